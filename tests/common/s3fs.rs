//! A real S3-compatible server for the tests: `s3s-fs` (crates.io, `cargo install s3s-fs
//! --version 0.14.1 --locked --features binary`, as `.ci/run` does) serving a temp directory on a free 127.0.0.1 port, started by
//! the test itself and killed when dropped. Its binary is `CLOVICHARTS_TEST_S3FS`, else
//! `s3s-fs` on `PATH`; without one the tests that need it report as ignored (and fail when
//! `CI` is set, see `tests/s3.rs`).
//!
//! `s3s-fs` keeps each bucket as a directory and each object as a file under it, so a test can
//! check what really reached the server, and date an object back (its `Last-Modified` is the
//! file's modification time) to exercise the sweep's grace period.

use clovicharts::config::storage::parse_storage_url;
use clovicharts::config::{S3Location, Secret, StorageConfig, StorageLocation};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The variable naming the `s3s-fs` binary.
pub(crate) const S3FS_VAR: &str = "CLOVICHARTS_TEST_S3FS";
/// The bucket every test uses (a directory under the server's root).
pub(crate) const BUCKET: &str = "charts";
/// The server's credentials (it checks every request's signature against them).
pub(crate) const ACCESS_KEY: &str = "clovicharts-test-key";
pub(crate) const SECRET_KEY: &str = "clovicharts-test-secret-0123456789";

/// The `s3s-fs` binary: `CLOVICHARTS_TEST_S3FS` if set (it must exist), else `s3s-fs` on PATH.
pub(crate) fn binary() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os(S3FS_VAR).filter(|v| !v.is_empty()) {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!("{S3FS_VAR}={} is not a file", path.display()))
        };
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join("s3s-fs"))
        .find(|p| p.is_file())
        .ok_or_else(|| format!("no s3s-fs on PATH and {S3FS_VAR} is unset"))
}

/// One running `s3s-fs` over a temp directory.
pub(crate) struct S3Server {
    bin: PathBuf,
    child: Option<Child>,
    /// Its port on 127.0.0.1.
    pub(crate) port: u16,
    /// The directory it serves (buckets are its subdirectories).
    pub(crate) root: PathBuf,
}

impl S3Server {
    /// Starts `bin` on a free port over a fresh directory holding the bucket [`BUCKET`].
    pub(crate) fn start(bin: &Path) -> S3Server {
        let root = crate::common::temp_dir("s3fs");
        std::fs::create_dir_all(root.join(BUCKET)).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut server = S3Server {
            bin: bin.to_owned(),
            child: None,
            port,
            root,
        };
        server.spawn();
        server
    }

    fn spawn(&mut self) {
        let child = Command::new(&self.bin)
            .args(["--host", "127.0.0.1", "--port", &self.port.to_string()])
            .args(["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY])
            .arg(&self.root)
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", self.bin.display()));
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "s3s-fs did not listen on {}",
                self.port
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the server (its objects stay on disk).
    pub(crate) fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port over the same directory.
    pub(crate) fn restart(&mut self) {
        self.stop();
        self.spawn();
    }

    /// `http://127.0.0.1:<port>`.
    pub(crate) fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The `STORAGE_URL` of key prefix `prefix` in the bucket.
    pub(crate) fn url(&self, prefix: &str) -> String {
        format!(
            "s3://{BUCKET}/{prefix}?endpoint={}&region=us-east-1",
            self.endpoint()
        )
    }

    /// The credentials, as the environment of a server binary.
    pub(crate) fn credentials_env(&self) -> [(&'static str, &'static str); 2] {
        [
            ("AWS_ACCESS_KEY_ID", ACCESS_KEY),
            ("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
        ]
    }

    /// The parsed location of `prefix`, credentials included (as the `AWS_*` variables give
    /// them to a server).
    pub(crate) fn location(&self, prefix: &str) -> S3Location {
        self.location_via(prefix, &self.endpoint())
    }

    /// [`Self::location`] reached through `endpoint` (a proxy in front of the server).
    pub(crate) fn location_via(&self, prefix: &str, endpoint: &str) -> S3Location {
        let url = format!("s3://{BUCKET}/{prefix}?endpoint={endpoint}&region=us-east-1");
        let env = self
            .credentials_env()
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), Secret::new(*v)))
            .collect();
        match parse_storage_url(&url, env).unwrap() {
            StorageLocation::S3(location) => location,
            other => panic!("not an S3 location: {other:?}"),
        }
    }

    /// The storage settings of `prefix` with the default grace period.
    pub(crate) fn storage(&self, prefix: &str) -> StorageConfig {
        StorageConfig::at(StorageLocation::S3(self.location(prefix)))
    }

    /// Where the server keeps object `name` of `prefix`.
    pub(crate) fn object_file(&self, prefix: &str, name: &str) -> PathBuf {
        self.root.join(BUCKET).join(prefix).join(name)
    }

    /// The names of the objects under `prefix`, sorted.
    pub(crate) fn object_names(&self, prefix: &str) -> Vec<String> {
        let Ok(dir) = std::fs::read_dir(self.root.join(BUCKET).join(prefix)) else {
            return Vec::new();
        };
        let mut names: Vec<String> = dir
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.root);
    }
}
