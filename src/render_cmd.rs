//! The `render` subcommand for one spec: its arguments, reading and validating the spec with
//! the command line's overrides, choosing the renderer, writing the file, and how failures map
//! to exit statuses. `render_batch` renders many specs with the same pieces.

use anyhow::Context as _;
use clap::ValueEnum;
use clovicharts::render::{Backend, BackendChoice};
use clovicharts::spec::Format;
use clovicharts::spec::{self, SpecErrors};
use clovicharts::text::TextShaper;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub(crate) struct RenderArgs {
    /// The spec: a JSON file, or `-` to read standard input; several files with `--out-dir`.
    #[arg(required = true, value_name = "SPEC")]
    pub(crate) specs: Vec<String>,
    /// Output file, `-` for standard output. Its extension picks the format (`.png`, `.webp`,
    /// `.svg`, `.pdf`, `.jpg`/`.jpeg`); any other extension is refused.
    #[arg(short, long, conflicts_with = "out_dir")]
    pub(crate) output: Option<PathBuf>,
    /// Directory for many specs: each `<name>.json` becomes `<name>.<format>` there (created if
    /// missing). A progress bar shows on a terminal; invalid specs are reported and skipped.
    #[arg(long, value_name = "DIR")]
    pub(crate) out_dir: Option<PathBuf>,
    /// Output format: png, webp, svg, pdf or jpeg. Without it, the `-o` extension, else the
    /// spec's `options.format`.
    #[arg(long, short = 'f')]
    pub(crate) format: Option<String>,
    /// Renderer: `auto` uses a real GPU when present, else the CPU. Overrides CLOVICHARTS_BACKEND.
    #[arg(long, value_enum, env = "CLOVICHARTS_BACKEND", default_value = "auto")]
    pub(crate) backend: BackendArg,
    /// Theme, overriding `options.theme`: clovitek, dark or light.
    #[arg(long)]
    pub(crate) theme: Option<String>,
    /// Width in px, overriding `options.width` (max 2400).
    #[arg(long)]
    pub(crate) width: Option<u32>,
    /// Height in px, overriding `options.height` (max 1600).
    #[arg(long)]
    pub(crate) height: Option<u32>,
    /// A directory of font files (.ttf/.otf/.ttc) added to the embedded fonts; repeatable.
    /// Defaults to FONT_DIRS (`:`-separated).
    #[arg(long = "font-dir", env = "FONT_DIRS", value_delimiter = ':')]
    pub(crate) font_dirs: Vec<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum BackendArg {
    Auto,
    Gpu,
    Cpu,
}

/// Exit status for invalid input.
pub(crate) const EXIT_BAD_INPUT: u8 = 2;
/// Exit status for internal failures.
pub(crate) const EXIT_FAILURE: u8 = 1;

/// Why a render command failed: the input (exit 2) or we (exit 1).
pub(crate) enum Failure {
    BadInput(SpecErrors),
    Internal(anyhow::Error),
}

impl Failure {
    /// Prints the failure (each line after `prefix`, e.g. the spec's file name) and gives the
    /// exit status.
    pub(crate) fn report(&self, prefix: &str) -> ExitCode {
        match self {
            Failure::BadInput(errors) => {
                for e in &errors.errors {
                    let path = if e.path.is_empty() { "/" } else { &e.path };
                    eprintln!("{prefix}error: {} at {}: {}", e.code, path, e.message);
                    if let Some(hint) = &e.hint {
                        eprintln!("{prefix}  hint: {hint}");
                    }
                }
                ExitCode::from(EXIT_BAD_INPUT)
            }
            Failure::Internal(e) => {
                eprintln!("{prefix}error: {e:#}");
                ExitCode::from(EXIT_FAILURE)
            }
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Internal(e)
    }
}

pub(crate) fn bad_input(message: String) -> Failure {
    Failure::BadInput(SpecErrors::one(spec::SpecError::new(
        spec::ErrorCode::ValidationError,
        "",
        message,
    )))
}

pub(crate) fn render(args: RenderArgs) -> Result<(), Failure> {
    let [spec_path] = args.specs.as_slice() else {
        return Err(bad_input("several specs need --out-dir".to_owned()));
    };
    let Some(output) = &args.output else {
        return Err(bad_input(
            "give an output: -o FILE (or -o - for standard output) or --out-dir DIR".to_owned(),
        ));
    };
    let to_stdout = output.as_os_str() == "-";
    let by_extension = if to_stdout {
        None
    } else {
        Some(format_of_path(output).map_err(bad_input)?)
    };
    let flag = format_flag(&args).map_err(bad_input)?;
    if let (Some(flag), Some(ext)) = (flag, by_extension)
        && flag != ext
    {
        return Err(bad_input(format!(
            "--format {} does not match the output file {} (a .{} file)",
            flag.name(),
            output.display(),
            ext.name()
        )));
    }
    let mut chart = load_spec(spec_path, &args)?;
    if let Some(format) = flag.or(by_extension) {
        chart.options.format = format;
    }
    let backend = select_backend(&args)?;
    let mut renderer = backend.renderer().context("creating the renderer")?;
    let fonts = clovicharts::text::FontSet::with_dirs(&args.font_dirs)
        .map_err(|e| bad_input(e.to_string()))?;
    let mut shaper = TextShaper::with_fonts(&fonts);
    let out = clovicharts::render_spec(&chart, &mut shaper, renderer.as_mut())
        .context("rendering the chart")?;
    for w in chart.warnings.iter().chain(&out.warnings) {
        eprintln!("warning: {}: {}", w.path, w.message);
    }
    if to_stdout {
        use std::io::Write as _;
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(&out.bytes)
            .and_then(|()| stdout.flush())
            .context("writing to standard output")?;
    } else {
        std::fs::write(output, &out.bytes)
            .with_context(|| format!("writing {}", output.display()))?;
    }
    tracing::info!(
        file = %output.display(),
        format = out.format.name(),
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

/// The renderer `--backend` asks for.
pub(crate) fn select_backend(args: &RenderArgs) -> Result<Backend, Failure> {
    let choice = match args.backend {
        BackendArg::Auto => BackendChoice::Auto,
        BackendArg::Gpu => BackendChoice::Gpu,
        BackendArg::Cpu => BackendChoice::Cpu,
    };
    Ok(Backend::select(choice).context("selecting the renderer")?)
}

/// Reads (a file, or standard input for `-`), applies the overrides and validates one spec.
pub(crate) fn load_spec(spec_path: &str, args: &RenderArgs) -> Result<spec::ChartSpec, Failure> {
    let bytes = if spec_path == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| bad_input(format!("cannot read standard input: {e}")))?;
        buf
    } else {
        std::fs::read(Path::new(spec_path))
            .map_err(|e| bad_input(format!("cannot read {spec_path}: {e}")))?
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
    apply_overrides(&mut value, args);
    spec::from_value(&value).map_err(Failure::BadInput)
}

/// Applies `--theme/--width/--height` to the spec's `options` before validation, so overrides
/// are validated like everything else.
pub(crate) fn apply_overrides(value: &mut serde_json::Value, args: &RenderArgs) {
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

/// The names `--format` and file extensions accept, for messages.
fn format_names() -> String {
    Format::ALL.map(Format::name).join(", ")
}

/// The format `--format` names, if given.
pub(crate) fn format_flag(args: &RenderArgs) -> Result<Option<Format>, String> {
    args.format
        .as_deref()
        .map(|f| {
            Format::parse(f.trim()).ok_or_else(|| {
                format!(
                    "unknown format {f:?} for --format; formats: {}",
                    format_names()
                )
            })
        })
        .transpose()
}

/// The format an output file's extension names (`.jpg` is JPEG).
pub(crate) fn format_of_path(path: &Path) -> Result<Format, String> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    Format::from_extension(ext).ok_or_else(|| {
        let shown = if ext.is_empty() {
            "no extension".to_owned()
        } else {
            format!("the extension .{ext}")
        };
        format!(
            "cannot tell the format of {} from {shown}; use one of .png, .webp, .svg, .pdf, \
             .jpg/.jpeg, or --format with {}",
            path.display(),
            format_names()
        )
    })
}
