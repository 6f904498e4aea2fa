//! The `clovicharts` command line: run the server, render a chart spec to a file, mint tokens.

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};
use clovicharts::render::{Backend, BackendChoice};
use clovicharts::spec::{self, SpecErrors};
use clovicharts::text::TextShaper;
use std::io::Read as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// Turn JSON chart specs (the CloviCharts / Chart.js body) into PNG or WebP images.
#[derive(Parser, Debug)]
#[command(name = "clovicharts", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the HTTP server (port 8966 by default; configured by environment variables, see the
    /// README: HOST, PORT, DATA_DIR, PUBLIC_URL, JWT_SECRET, INTERNAL_SECRET, RATE_LIMIT_PER_MIN,
    /// RENDER_WORKERS, RENDER_QUEUE, MAX_BODY_BYTES, TRUST_PROXY, LOGIN_URL, CLOVICHARTS_BACKEND,
    /// LLM_PROVIDER and the other LLM_* variables of the optional model).
    Serve,
    /// Print a `cl_session` token signed with JWT_SECRET (or the secret saved in DATA_DIR).
    Token(TokenArgs),
    /// Render one chart spec to an image file.
    ///
    /// Exit status: 0 on success, 2 when the spec or arguments are invalid (the error code, JSON
    /// path and message are printed), 1 when rendering or writing fails.
    Render(RenderArgs),
    /// Manage local accounts (same DATA_DIR as the server).
    #[command(subcommand)]
    Admin(AdminCommand),
}

#[derive(Subcommand, Debug)]
enum AdminCommand {
    /// Create an admin account, or promote an existing one and set its password. The password is
    /// read from standard input (one line; prompted for on a terminal).
    Create {
        /// The account's e-mail.
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long)]
        name: Option<String>,
        /// The admin role: admin, super_admin or platform_admin.
        #[arg(long, default_value = "admin")]
        role: String,
    },
}

#[derive(clap::Args, Debug)]
struct RenderArgs {
    /// The spec: a JSON file, or `-` to read standard input.
    spec: String,
    /// Output file; `.png` or `.webp` picks the format (otherwise the spec's `options.format`).
    #[arg(short, long)]
    output: PathBuf,
    /// Renderer: `auto` uses a real GPU when present, else the CPU. Overrides CLOVICHARTS_BACKEND.
    #[arg(long, value_enum, env = "CLOVICHARTS_BACKEND", default_value = "auto")]
    backend: BackendArg,
    /// Theme, overriding `options.theme`: clovitek, dark or light.
    #[arg(long)]
    theme: Option<String>,
    /// Width in px, overriding `options.width` (max 2400).
    #[arg(long)]
    width: Option<u32>,
    /// Height in px, overriding `options.height` (max 1600).
    #[arg(long)]
    height: Option<u32>,
}

#[derive(clap::Args, Debug)]
struct TokenArgs {
    /// The user id (a number is sent as a number).
    #[arg(long, default_value = "1")]
    user: String,
    /// The role: user, admin, super_admin or platform_admin.
    #[arg(long, default_value = "user")]
    role: String,
    /// E-mail claim.
    #[arg(long)]
    email: Option<String>,
    /// Name claim.
    #[arg(long)]
    name: Option<String>,
    /// Lifetime in seconds.
    #[arg(long, default_value_t = 86_400)]
    ttl: i64,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum BackendArg {
    Auto,
    Gpu,
    Cpu,
}

/// Exit status for invalid input.
const EXIT_BAD_INPUT: u8 = 2;
/// Exit status for internal failures.
const EXIT_FAILURE: u8 = 1;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,clovicharts=info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match cli.command {
        Command::Serve => match serve() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(EXIT_FAILURE)
            }
        },
        Command::Token(args) => match token(&args) {
            Ok(t) => {
                println!("{t}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(EXIT_FAILURE)
            }
        },
        Command::Admin(cmd) => match admin(cmd) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(EXIT_FAILURE)
            }
        },
        Command::Render(args) => match render(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(Failure::BadInput(errors)) => {
                for e in &errors.errors {
                    let path = if e.path.is_empty() { "/" } else { &e.path };
                    eprintln!("error: {} at {}: {}", e.code, path, e.message);
                    if let Some(hint) = &e.hint {
                        eprintln!("  hint: {hint}");
                    }
                }
                ExitCode::from(EXIT_BAD_INPUT)
            }
            Err(Failure::Internal(e)) => {
                eprintln!("error: {e:#}");
                ExitCode::from(EXIT_FAILURE)
            }
        },
    }
}

fn serve() -> anyhow::Result<()> {
    let config = clovicharts::config::Config::from_env()?;
    let backend = Backend::from_env().context("selecting the renderer")?;
    tracing::info!(
        backend = backend.kind().name(),
        adapter = %backend.adapter_name(),
        workers = config.render_workers,
        "renderer selected"
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let served = runtime.block_on(async move {
        let addr = std::net::SocketAddr::new(config.host, config.port);
        let state = clovicharts::api::AppState::start(config, backend).await?;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("binding {addr}"))?;
        tracing::info!(address = %listener.local_addr()?, data_dir = %state.config.data_dir.display(), "clovicharts listening");
        clovicharts::api::serve(listener, state, clovicharts::api::shutdown_signal()).await?;
        tracing::info!("stopped");
        Ok(())
    });
    // Blocking tasks still running (a render past its deadline) must not hold the exit.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    served
}

fn token(args: &TokenArgs) -> anyhow::Result<String> {
    let config = clovicharts::config::Config::from_env()?;
    let (secret, generated) = clovicharts::api::auth::load_or_create_jwt_secret(
        config.jwt_secret.as_ref(),
        &config.data_dir,
    )?;
    if generated {
        eprintln!(
            "note: generated a new JWT secret in {}; the server started on this DATA_DIR uses it",
            config.data_dir.display()
        );
    }
    let id = args
        .user
        .parse::<i64>()
        .map_or_else(|_| serde_json::Value::String(args.user.clone()), Into::into);
    Ok(clovicharts::api::auth::mint_session(
        &secret,
        id,
        &args.role,
        args.email.as_deref(),
        args.name.as_deref(),
        args.ttl,
    )?)
}

fn admin(cmd: AdminCommand) -> anyhow::Result<()> {
    let AdminCommand::Create { email, name, role } = cmd;
    let config = clovicharts::config::Config::from_env()?;
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        eprint!(
            "Password for {email} (at least {} characters): ",
            clovicharts::accounts::MIN_PASSWORD_CHARS
        );
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let password = clovicharts::config::Secret::new(line.trim_end_matches(['\r', '\n']));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("creating {}", config.data_dir.display()))?;
        let settings = clovicharts::accounts::AccountSettings {
            // Not used to sign anything here.
            secret: clovicharts::config::Secret::new(""),
            admin_emails: Vec::new(),
            login_failures_per_account: 0,
            login_failures_per_address: 0,
        };
        let db = config.data_dir.join(clovicharts::store::DATABASE_FILE);
        let accounts = clovicharts::accounts::Accounts::open(&db, settings).await?;
        let result = accounts
            .create_admin(&email, password, name.as_deref(), &role)
            .await;
        accounts.close().await;
        let (user, created) = result?;
        println!(
            "{} {} ({}, role {})",
            if created { "created" } else { "promoted" },
            user.email,
            user.id,
            user.role
        );
        Ok(())
    })
}

enum Failure {
    BadInput(SpecErrors),
    Internal(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Internal(e)
    }
}

fn bad_input(message: String) -> Failure {
    Failure::BadInput(SpecErrors::one(spec::SpecError::new(
        spec::ErrorCode::ValidationError,
        "",
        message,
    )))
}

fn render(args: RenderArgs) -> Result<(), Failure> {
    let bytes = if args.spec == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| bad_input(format!("cannot read standard input: {e}")))?;
        buf
    } else {
        std::fs::read(&args.spec)
            .map_err(|e| bad_input(format!("cannot read {}: {e}", args.spec)))?
    };
    let mut value: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        // Let the spec parser word the syntax error (line and column).
        Err(_) => {
            return Err(Failure::BadInput(
                spec::parse_spec(&bytes).err().unwrap_or_else(|| {
                    SpecErrors::one(spec::SpecError::new(
                        spec::ErrorCode::ValidationError,
                        "",
                        "invalid JSON",
                    ))
                }),
            ));
        }
    };
    apply_overrides(&mut value, &args);
    let mut chart = spec::from_value(&value).map_err(Failure::BadInput)?;
    match args
        .output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("png") => chart.options.format = spec::Format::Png,
        Some("webp") => chart.options.format = spec::Format::Webp,
        _ => {}
    }
    let choice = match args.backend {
        BackendArg::Auto => BackendChoice::Auto,
        BackendArg::Gpu => BackendChoice::Gpu,
        BackendArg::Cpu => BackendChoice::Cpu,
    };
    let backend = Backend::select(choice).context("selecting the renderer")?;
    let mut renderer = backend.renderer().context("creating the renderer")?;
    let mut shaper = TextShaper::new();
    let out = clovicharts::render_spec(&chart, &mut shaper, renderer.as_mut())
        .context("rendering the chart")?;
    std::fs::write(&args.output, &out.bytes)
        .with_context(|| format!("writing {}", args.output.display()))?;
    tracing::info!(
        file = %args.output.display(),
        bytes = out.bytes.len(),
        width = out.width,
        height = out.height,
        backend = out.backend.name(),
        adapter = %backend.adapter_name(),
        layout_ms = out.layout_time.as_secs_f64() * 1e3,
        render_ms = out.render_time.as_secs_f64() * 1e3,
        encode_ms = out.encode_time.as_secs_f64() * 1e3,
        "chart written"
    );
    Ok(())
}

/// Applies `--theme/--width/--height` to the spec's `options` before validation, so overrides
/// are validated like everything else.
fn apply_overrides(value: &mut serde_json::Value, args: &RenderArgs) {
    let Some(root) = value.as_object_mut() else {
        return;
    };
    let options = root
        .entry("options")
        .or_insert_with(|| serde_json::Value::Object(Default::default()));
    if !options.is_object() {
        *options = serde_json::Value::Object(Default::default());
    }
    let Some(options) = options.as_object_mut() else {
        return;
    };
    if let Some(theme) = &args.theme {
        options.insert("theme".into(), theme.clone().into());
    }
    if let Some(w) = args.width {
        options.insert("width".into(), w.into());
    }
    if let Some(h) = args.height {
        options.insert("height".into(), h.into());
    }
}
