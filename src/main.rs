//! The `clovicharts` command line: run the server, render a chart spec to a file, mint tokens.

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use clovicharts::render::Backend;
use std::process::ExitCode;

mod render_batch;
mod render_cmd;

use render_cmd::{EXIT_BAD_INPUT, EXIT_FAILURE, RenderArgs, render};

/// Turn JSON chart specs (the CloviCharts / Chart.js body) into PNG or WebP images.
#[derive(Parser, Debug)]
#[command(name = "clovicharts", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the HTTP server (port 8966 by default). Configured by the flags below, each also read
    /// from its environment variable (a flag wins), and by the other variables of
    /// docs/configuration.md: JWT_SECRET, INTERNAL_SECRET, DATABASE_URL, CLOVICHARTS_BACKEND,
    /// LLM_PROVIDER and the other LLM_* variables of the optional model, ….
    Serve(clovicharts::config::flags::ServeArgs),
    /// Inspect the configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print a `cl_session` token signed with JWT_SECRET (or the secret saved in DATA_DIR).
    Token(TokenArgs),
    /// Render chart specs to image files (PNG, WebP, SVG, PDF or JPEG).
    ///
    /// Exit status: 0 on success, 2 when a spec or the arguments are invalid (the error code,
    /// JSON path and message are printed; with `--out-dir` the valid specs are still rendered),
    /// 1 when rendering or writing fails.
    Render(RenderArgs),
    /// Manage local accounts (same DATA_DIR as the server).
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Copy this DATA_DIR's SQLite database and chart files into PostgreSQL (and, with
    /// --storage, into shared chart storage) for running several instances. Safe to run again
    /// after an interruption: what is there already is skipped. Ends with a count check.
    Migrate(MigrateArgs),
}

#[derive(clap::Args, Debug)]
struct MigrateArgs {
    /// The target PostgreSQL database, `postgres://user:password@host:5432/db` (it must
    /// exist; the tables are created).
    #[arg(long)]
    to: String,
    /// Where the chart files go, as STORAGE_URL: `s3://bucket?endpoint=…` or `file:///path`
    /// (credentials from AWS_*). Without it they stay in DATA_DIR/charts.
    #[arg(long)]
    storage: Option<String>,
    /// The data directory to copy from.
    #[arg(long, env = "DATA_DIR", default_value = "./data")]
    data_dir: std::path::PathBuf,
}

#[derive(Subcommand, Debug)]
enum ConfigCommand {
    /// Print the configuration `serve` would run with (environment and the same flags),
    /// secrets redacted; exit 2 when it is invalid.
    Check(clovicharts::config::flags::ServeArgs),
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

/// Logs go to stderr: colour only when stderr is a terminal (files and journald get plain
/// text), and `LOG_FORMAT=json` writes one JSON object per line for log collectors.
fn init_logging() {
    use std::io::IsTerminal as _;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,clovicharts=info"));
    let format = std::env::var("LOG_FORMAT").unwrap_or_default();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    match format.trim().to_ascii_lowercase().as_str() {
        "json" => builder.json().flatten_event(true).init(),
        "" | "text" => builder.init(),
        other => {
            builder.init();
            tracing::warn!(
                LOG_FORMAT = other,
                "unknown LOG_FORMAT (text or json); using text"
            );
        }
    }
}

fn main() -> ExitCode {
    init_logging();
    let cli = Cli::parse();
    match cli.command {
        Command::Config(ConfigCommand::Check(args)) => match args.config() {
            Ok(config) => {
                print!("{}", clovicharts::config::flags::describe(&config));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(EXIT_BAD_INPUT)
            }
        },
        Command::Serve(args) => match serve(&args) {
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
        Command::Migrate(args) => match migrate(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(EXIT_FAILURE)
            }
        },
        Command::Render(args) if args.out_dir.is_some() || args.specs.len() > 1 => {
            render_batch::run(&args)
        }
        Command::Render(args) => match render(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(failure) => failure.report(""),
        },
    }
}

fn serve(args: &clovicharts::config::flags::ServeArgs) -> anyhow::Result<()> {
    let config = args.config()?;
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
    let (secret, generated) = clovicharts::secret::load_or_create_jwt_secret(
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
        let db = clovicharts::db::Db::open_configured(
            config.database_url.as_ref().map(|u| u.expose()),
            &config.data_dir,
        )
        .await?;
        let accounts = clovicharts::accounts::Accounts::new(db, settings);
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

fn migrate(args: &MigrateArgs) -> anyhow::Result<()> {
    use clovicharts::migrate::{MigrateTarget, migrate};
    let storage = args
        .storage
        .as_deref()
        .map(clovicharts::config::StorageConfig::from_url)
        .transpose()?;
    let database = args.data_dir.join(clovicharts::store::DATABASE_FILE);
    anyhow::ensure!(
        database.is_file(),
        "no {} to copy from (set DATA_DIR or --data-dir)",
        database.display()
    );
    let target = MigrateTarget {
        database_url: args.to.clone(),
        storage,
    };
    let bar = indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} rows {wide_msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let report = runtime.block_on(migrate(&args.data_dir, &target, &|done, total| {
        bar.set_length(total);
        bar.set_position(done);
    }));
    bar.finish_and_clear();
    let report = report?;
    for t in &report.tables {
        println!(
            "{:<15} {:>8} in SQLite, {:>8} in PostgreSQL ({} copied by this run)",
            t.table, t.source, t.target, t.inserted
        );
    }
    if target.storage.is_some() {
        println!(
            "chart objects: {} copied, {} already there, {} missing in the source",
            report.objects_copied, report.objects_present, report.objects_missing
        );
    }
    println!("count check passed");
    Ok(())
}
