//! `clovicharts render a.json b.json … --out-dir out/`: many specs in one run, one renderer and
//! shaper for all (warm caches), a progress bar on a terminal, a summary line at the end. An
//! invalid spec is reported under its file name and skipped; the rest are still rendered.
//!
//! Also the format choice every `render` shares: `--format`, else the `-o` extension, else the
//! spec's `options.format`; an unknown extension or format is refused (exit 2), never written
//! as a mislabelled file.

use crate::render_cmd::{EXIT_BAD_INPUT, EXIT_FAILURE, Failure, RenderArgs, format_flag};
use anyhow::Context as _;
use clovicharts::spec::Format;
use clovicharts::text::TextShaper;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Where spec `spec_path` goes in `dir`: its file stem with the format's extension (`chart` for
/// standard input).
fn output_path(dir: &Path, spec_path: &str, format: Format) -> PathBuf {
    let stem = if spec_path == "-" {
        "chart".into()
    } else {
        Path::new(spec_path)
            .file_stem()
            .map_or_else(|| "chart".into(), |s| s.to_string_lossy().into_owned())
    };
    dir.join(format!("{stem}.{}", format.name()))
}

/// Renders every spec of `args` into `--out-dir` and prints a summary; the exit status is 2 if
/// any spec (or the arguments) was invalid, else 1 if any render or write failed, else 0.
pub(crate) fn run(args: &RenderArgs) -> ExitCode {
    let Some(dir) = &args.out_dir else {
        return crate::render_cmd::bad_input(
            "several specs need --out-dir DIR (-o names a single file)".to_owned(),
        )
        .report("");
    };
    let flag = match format_flag(args) {
        Ok(f) => f,
        Err(message) => return crate::render_cmd::bad_input(message).report(""),
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("error: cannot create {}: {e}", dir.display());
        return ExitCode::from(EXIT_FAILURE);
    }
    let backend = match crate::render_cmd::select_backend(args) {
        Ok(b) => b,
        Err(f) => return f.report(""),
    };
    let mut renderer = match backend.renderer().context("creating the renderer") {
        Ok(r) => r,
        Err(e) => return Failure::Internal(e).report(""),
    };
    let fonts = match clovicharts::text::FontSet::with_dirs(&args.font_dirs) {
        Ok(f) => f,
        Err(e) => return crate::render_cmd::bad_input(e.to_string()).report(""),
    };
    let mut shaper = TextShaper::with_fonts(&fonts);

    let started = Instant::now();
    let bar = indicatif::ProgressBar::new(args.specs.len() as u64);
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
    } else {
        // Logs and pipes get the summary line only.
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let (mut written, mut invalid, mut failed, mut bytes) = (0usize, 0usize, 0usize, 0usize);
    for spec_path in &args.specs {
        bar.set_message(spec_path.clone());
        let prefix = format!("{spec_path}: ");
        let result = crate::render_cmd::load_spec(spec_path, args).and_then(|mut chart| {
            if let Some(f) = flag {
                chart.options.format = f;
            }
            let out = clovicharts::render_spec(&chart, &mut shaper, renderer.as_mut())
                .context("rendering the chart")?;
            for w in chart.warnings.iter().chain(&out.warnings) {
                bar.suspend(|| eprintln!("{prefix}warning: {}: {}", w.path, w.message));
            }
            let path = output_path(dir, spec_path, out.format);
            std::fs::write(&path, &out.bytes)
                .with_context(|| format!("writing {}", path.display()))?;
            Ok(out.bytes.len())
        });
        match result {
            Ok(n) => {
                written += 1;
                bytes += n;
            }
            Err(failure) => {
                bar.suspend(|| failure.report(&prefix));
                match failure {
                    Failure::BadInput(_) => invalid += 1,
                    Failure::Internal(_) => failed += 1,
                }
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    eprintln!(
        "rendered {written} of {} specs into {} ({} KB) in {:.2} s; {invalid} invalid, {failed} failed",
        args.specs.len(),
        dir.display(),
        bytes.div_ceil(1024),
        started.elapsed().as_secs_f64()
    );
    if invalid > 0 {
        ExitCode::from(EXIT_BAD_INPUT)
    } else if failed > 0 {
        ExitCode::from(EXIT_FAILURE)
    } else {
        ExitCode::SUCCESS
    }
}
