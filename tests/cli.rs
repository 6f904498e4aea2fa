//! The `clovicharts render` command: output files, exit statuses and error messages.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

mod common;

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_clovicharts"));
    cmd.env("CLOVICHARTS_BACKEND", "cpu")
        .env("RUST_LOG", "warn");
    cmd
}

fn render_stdin(spec: &str, out: &std::path::Path, extra: &[&str]) -> Output {
    let mut child = bin()
        .args(["render", "-", "-o"])
        .arg(out)
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Err(e) = child.stdin.take().unwrap().write_all(spec.as_bytes()) {
        // A command that refuses its arguments exits before it reads the spec (under load the
        // write can come after that).
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

fn png_size(path: &std::path::Path) -> (u32, u32) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let reader = decoder.read_info().unwrap();
    let info = reader.info();
    (info.width, info.height)
}

#[test]
fn renders_the_readme_example() {
    let dir = common::temp_dir("cli");
    let out = dir.join("bar.png");
    let status = bin()
        .args([
            "render",
            concat!(env!("CARGO_MANIFEST_DIR"), "/examples/bar.json"),
            "-o",
        ])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(png_size(&out), (800, 500));
}

#[test]
fn overrides_and_webp_by_extension() {
    let dir = common::temp_dir("cli");
    let spec = r#"{"type":"line","data":{"labels":["a","b"],"datasets":[{"data":[1,2]}]}}"#;
    let out = dir.join("small.png");
    let o = render_stdin(
        spec,
        &out,
        &["--width", "320", "--height", "200", "--theme", "light"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(png_size(&out), (320, 200));
    let webp = dir.join("chart.webp");
    let o = render_stdin(spec, &webp, &[]);
    assert!(o.status.success());
    let bytes = std::fs::read(&webp).unwrap();
    assert_eq!(&bytes[..4], b"RIFF");
    assert_eq!(&bytes[8..12], b"WEBP");
}

#[test]
fn bad_input_exits_2_with_code_and_path() {
    let dir = common::temp_dir("cli");
    let out = dir.join("x.png");
    let cases = [
        (
            r#"{"data":{"datasets":[{"data":[1]}]}}"#,
            "MISSING_TYPE at /type",
        ),
        (r#"{"type":"bar"}"#, "MISSING_DATA at /data"),
        (
            r#"{"type":"bar","data":{"datasets":[]}}"#,
            "DATASET_EMPTY at /data/datasets",
        ),
        (
            r#"{"type":"histogram","data":{"datasets":[{"data":[1]}]}}"#,
            "INVALID_CHART_TYPE at /type",
        ),
        (
            r#"{"type":"bar","data":{"datasets":[{"data":[1]}]},"options":{"width":2401}}"#,
            "CHART_TOO_LARGE at /options/width",
        ),
        (
            r#"{"type":"bar","data":{"datasets":[{"data":[1,"abc"]}]}}"#,
            "VALIDATION_ERROR at /data/datasets/0/data/1",
        ),
        (
            r#"{"type":"bar","data":{"datasets":[{"data":[1]}]},"options":{"width":-5}}"#,
            "VALIDATION_ERROR at /options/width",
        ),
        (
            r#"{"type":"bar", "data": }"#,
            "VALIDATION_ERROR at /: invalid JSON at line 1",
        ),
    ];
    for (spec, expected) in cases {
        let o = render_stdin(spec, &out, &[]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{spec}: {stderr}");
        assert!(
            stderr.contains(expected),
            "{spec}: expected {expected:?} in {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    assert!(!out.exists(), "no file is written for bad input");
}

#[test]
fn missing_file_and_bad_override_exit_2() {
    let o = bin()
        .args(["render", "/nonexistent/spec.json", "-o", "/tmp/x.png"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let dir = common::temp_dir("cli");
    let spec = r#"{"type":"bar","data":{"datasets":[{"data":[1]}]}}"#;
    let o = render_stdin(spec, &dir.join("x.png"), &["--theme", "neon"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/options/theme"));
}

#[test]
fn unwritable_output_exits_1() {
    let spec = r#"{"type":"bar","data":{"datasets":[{"data":[1]}]}}"#;
    let o = render_stdin(spec, std::path::Path::new("/nonexistent-dir/x.png"), &[]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn help_explains_every_flag() {
    let o = bin().args(["render", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&o.stdout);
    for flag in [
        "--output",
        "--backend",
        "--theme",
        "--width",
        "--height",
        "CLOVICHARTS_BACKEND",
    ] {
        assert!(help.contains(flag), "{flag} missing from help:\n{help}");
    }
}

#[test]
fn every_format_by_extension_and_stdout() {
    let dir = common::temp_dir("cli");
    let spec = r#"{"type":"bar","data":{"labels":["a","b"],"datasets":[{"data":[1,2]}]}}"#;
    let cases: [(&str, &[u8]); 6] = [
        ("c.png", b"\x89PNG"),
        ("c.webp", b"RIFF"),
        ("c.svg", b"<svg"),
        ("c.pdf", b"%PDF-"),
        ("c.jpg", b"\xFF\xD8\xFF"),
        ("c.JPEG", b"\xFF\xD8\xFF"),
    ];
    for (name, magic) in cases {
        let out = dir.join(name);
        let o = render_stdin(spec, &out, &[]);
        assert!(
            o.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(std::fs::read(&out).unwrap().starts_with(magic), "{name}");
    }
    let o = render_stdin(spec, std::path::Path::new("-"), &["--format", "svg"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.stdout.starts_with(b"<svg"));
}

#[test]
fn unknown_extension_or_format_exits_2_and_writes_nothing() {
    let dir = common::temp_dir("cli");
    let spec = r#"{"type":"bar","data":{"datasets":[{"data":[1]}]}}"#;
    for (out, extra) in [
        ("chart.gif", &[][..]),
        ("chart", &[][..]),
        ("chart.png", &["--format", "tiff"][..]),
        ("chart.png", &["--format", "svg"][..]),
    ] {
        let path = dir.join(out);
        let o = render_stdin(spec, &path, extra);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{out} {extra:?}: {stderr}");
        assert!(stderr.contains("VALIDATION_ERROR"), "{stderr}");
        assert!(!path.exists(), "{out}: no mislabelled file");
    }
}

#[test]
fn many_specs_into_a_directory_with_a_summary() {
    let dir = common::temp_dir("cli");
    let specs = dir.join("specs");
    std::fs::create_dir_all(&specs).unwrap();
    let good = r#"{"type":"line","data":{"labels":["a","b"],"datasets":[{"data":[1,2]}]}}"#;
    std::fs::write(specs.join("one.json"), good).unwrap();
    std::fs::write(specs.join("two.json"), good).unwrap();
    std::fs::write(
        specs.join("bad.json"),
        r#"{"type":"histogram","data":{"datasets":[{"data":[1]}]}}"#,
    )
    .unwrap();
    let out = dir.join("out");
    let o = bin()
        .arg("render")
        .args(["one", "bad", "two"].map(|n| specs.join(format!("{n}.json"))))
        .arg("--out-dir")
        .arg(&out)
        .args(["--format", "pdf"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("bad.json: error: INVALID_CHART_TYPE"),
        "{stderr}"
    );
    assert!(stderr.contains("rendered 2 of 3 specs"), "{stderr}");
    assert!(stderr.contains("1 invalid"), "{stderr}");
    for n in ["one", "two"] {
        let bytes = std::fs::read(out.join(format!("{n}.pdf"))).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
    }
    assert!(!out.join("bad.pdf").exists());
}

/// `config check` and `serve` with every variable of the table cleared, so the machine's own
/// environment does not leak in.
fn config_bin() -> Command {
    let mut cmd = bin();
    for var in [
        "HOST",
        "PORT",
        "DATA_DIR",
        "PUBLIC_URL",
        "LOGIN_URL",
        "RATE_LIMIT_PER_MIN",
        "TRUST_PROXY",
        "RENDER_WORKERS",
        "RENDER_QUEUE",
        "RENDER_TIMEOUT_MS",
        "MAX_BODY_BYTES",
        "CORS_ORIGINS",
        "JWT_SECRET",
        "DATABASE_URL",
        "REDIS_URL",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

#[test]
fn config_check_prints_the_effective_configuration_with_secrets_redacted() {
    let o = config_bin()
        .args([
            "config",
            "check",
            "--port",
            "9123",
            "--data-dir",
            "/srv/cc-data",
        ])
        .env("PORT", "1111")
        .env("RENDER_WORKERS", "3")
        .env("JWT_SECRET", "hunter2-very-secret")
        .env(
            "DATABASE_URL",
            "postgres://charts:pw0rd-secret@127.0.0.1/charts",
        )
        .env("CORS_ORIGINS", "https://app.example.com")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // The flag wins over the variable; variables without a flag still count.
    assert!(out.contains("port: 9123,"), "{out}");
    assert!(out.contains("\"/srv/cc-data\""), "{out}");
    assert!(out.contains("render_workers: 3,"), "{out}");
    assert!(out.contains("render_queue: 96,"), "{out}");
    assert!(out.contains("\"https://app.example.com\""), "{out}");
    assert!(!out.contains("hunter2") && !out.contains("pw0rd"), "{out}");
    assert!(
        out.contains("jwt_secret: Some(\n        [redacted],"),
        "{out}"
    );
    assert!(
        out.contains("database_url: Some(\n        [redacted],"),
        "{out}"
    );
}

#[test]
fn config_check_names_a_bad_setting_and_exits_2() {
    let o = config_bin()
        .args(["config", "check", "--public-url", "ftp://example.com"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("PUBLIC_URL"));
    let o = config_bin()
        .args(["config", "check"])
        .env("RENDER_CACHE_MB", "lots")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("RENDER_CACHE_MB"));
}

/// `serve --host --port --data-dir` alone (no variables) starts a server there.
#[test]
fn serve_takes_its_settings_as_flags() {
    use std::io::{Read as _, Write as _};
    let dir = common::temp_dir("cli-serve");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = config_bin()
        .args([
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--data-dir",
        ])
        .arg(dir.join("data"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let answer = loop {
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            s.write_all(b"GET /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .unwrap();
            let mut text = String::new();
            let _ = s.read_to_string(&mut text);
            break text;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the server did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let _ = child.kill();
    let _ = child.wait();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"alive\""), "{answer}");
    assert!(
        dir.join("data").is_dir(),
        "the data dir of the flag was used"
    );
}
