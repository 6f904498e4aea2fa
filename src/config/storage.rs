//! The chart storage variables (`STORAGE_URL`, `STORAGE_SWEEP_GRACE_SECS`,
//! `STORAGE_SWEEP_INTERVAL_SECS`, `STORAGE_TIMEOUT_MS`), read for `src/store/`: where chart
//! images and metadata files live, how long an object without a row is left alone before a
//! sweep (at start, then every interval) may remove it.
//!
//! - unset: `DATA_DIR/charts`, exactly as before;
//! - `file:///path`: that directory (a shared volume for several instances);
//! - `s3://bucket[/prefix]?endpoint=…&region=…`: any S3-compatible store. The query takes the
//!   option names of the `object_store` crate's S3 builder (`endpoint`, `region`,
//!   `virtual_hosted_style_request`, `skip_signature`, …); credentials and any other option
//!   come from the usual `AWS_*` variables (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//!   `AWS_SESSION_TOKEN`, `AWS_REGION`, …), which the query overrides. An `http://` endpoint is
//!   allowed as given.

use super::env::{ConfigError, parsed, var};
use crate::secret::Secret;
use std::path::PathBuf;
use std::str::FromStr as _;
use std::time::Duration;

/// How old an object without a row must be before the startup sweep removes it: far longer
/// than any save takes (render, write, commit), so one instance's sweep never removes the
/// objects of a save another instance has in flight.
pub const DEFAULT_SWEEP_GRACE_SECS: u64 = 3_600;
/// How often a running server sweeps again (`STORAGE_SWEEP_INTERVAL_SECS`; 0: only at start):
/// leftovers of a crashed instance on shared storage are removed without a restart.
pub const DEFAULT_SWEEP_INTERVAL_SECS: u64 = 3_600;
/// Longest wait for one object-store request (S3), retries included, before it counts as
/// unreachable (`503 STORE_UNAVAILABLE`).
pub const DEFAULT_STORAGE_TIMEOUT_MS: u64 = 5_000;

/// Where chart files live.
#[derive(Clone, Debug, Default)]
pub enum StorageLocation {
    /// `DATA_DIR/charts` (`STORAGE_URL` unset).
    #[default]
    DataDir,
    /// `file:///path`: a directory, shared by every instance that names it.
    Dir(PathBuf),
    /// `s3://…`: a bucket of an S3-compatible store.
    S3(S3Location),
}

/// A bucket (and key prefix) of an S3-compatible store, with the client's options.
#[derive(Clone, Debug)]
pub struct S3Location {
    /// The bucket.
    pub bucket: String,
    /// Key prefix without leading or trailing `/` (empty: the bucket's top level).
    pub prefix: String,
    /// Options of `object_store`'s S3 builder by name (`endpoint`, `region`,
    /// `access_key_id`, …): the `AWS_*` variables first, then the URL's query; a later entry
    /// wins. Secrets, as they may hold credentials.
    pub options: Vec<(String, Secret)>,
}

impl S3Location {
    /// `s3://bucket/prefix`, without the options (safe to log).
    pub fn display(&self) -> String {
        if self.prefix.is_empty() {
            format!("s3://{}", self.bucket)
        } else {
            format!("s3://{}/{}", self.bucket, self.prefix)
        }
    }

    /// The value of option `name` (the last one given), if any.
    pub fn option(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.expose())
    }

    /// Adds (or overrides) an option, e.g. credentials in tests.
    pub fn with_option(mut self, name: &str, value: &str) -> S3Location {
        self.options.push((name.to_owned(), Secret::new(value)));
        self
    }
}

/// The chart storage settings.
#[derive(Clone, Debug)]
pub struct StorageConfig {
    /// `STORAGE_URL`.
    pub location: StorageLocation,
    /// `STORAGE_SWEEP_GRACE_SECS`: objects without a row younger than this survive the sweep.
    pub sweep_grace: Duration,
    /// `STORAGE_SWEEP_INTERVAL_SECS`: how often a running server sweeps again; `None`: only at
    /// start (`0`).
    pub sweep_interval: Option<Duration>,
    /// `STORAGE_TIMEOUT_MS`: one object-store request's time limit, retries included.
    pub timeout: Duration,
}

impl Default for StorageConfig {
    fn default() -> Self {
        StorageConfig {
            location: StorageLocation::DataDir,
            sweep_grace: Duration::from_secs(DEFAULT_SWEEP_GRACE_SECS),
            sweep_interval: Some(Duration::from_secs(DEFAULT_SWEEP_INTERVAL_SECS)),
            timeout: Duration::from_millis(DEFAULT_STORAGE_TIMEOUT_MS),
        }
    }
}

impl StorageConfig {
    /// The defaults at `location`.
    pub fn at(location: StorageLocation) -> StorageConfig {
        StorageConfig {
            location,
            ..StorageConfig::default()
        }
    }

    /// The defaults at a `STORAGE_URL` value (with the `AWS_*` variables), e.g. for
    /// `clovicharts migrate --storage`.
    pub fn from_url(url: &str) -> Result<StorageConfig, ConfigError> {
        Ok(StorageConfig::at(parse_storage_url(url.trim(), aws_env())?))
    }

    /// Reads the variables; a `STORAGE_URL` that cannot be used is refused at start.
    pub fn from_env() -> Result<StorageConfig, ConfigError> {
        let location = match var("STORAGE_URL") {
            None => StorageLocation::DataDir,
            Some(url) => parse_storage_url(url.trim(), aws_env())?,
        };
        Ok(StorageConfig {
            location,
            sweep_grace: Duration::from_secs(parsed(
                "STORAGE_SWEEP_GRACE_SECS",
                DEFAULT_SWEEP_GRACE_SECS,
            )?),
            sweep_interval: Some(parsed(
                "STORAGE_SWEEP_INTERVAL_SECS",
                DEFAULT_SWEEP_INTERVAL_SECS,
            )?)
            .filter(|&s| s > 0)
            .map(Duration::from_secs),
            timeout: Duration::from_millis(
                parsed("STORAGE_TIMEOUT_MS", DEFAULT_STORAGE_TIMEOUT_MS)?.max(1),
            ),
        })
    }
}

/// The `AWS_*` variables that name an option of the S3 builder, as `(lowercase name, value)`.
fn aws_env() -> Vec<(String, Secret)> {
    let mut options: Vec<(String, Secret)> = std::env::vars()
        .filter(|(k, v)| k.starts_with("AWS_") && !v.trim().is_empty())
        .map(|(k, v)| (k.to_ascii_lowercase(), Secret::new(v)))
        .filter(|(k, _)| object_store::aws::AmazonS3ConfigKey::from_str(k).is_ok())
        .collect();
    // The environment's order is arbitrary; a stable one keeps "later wins" meaningful.
    options.sort_by(|a, b| a.0.cmp(&b.0));
    options
}

/// Parses a `STORAGE_URL` value; `env` are the options from `AWS_*` variables, which the URL's
/// query overrides. The error never repeats the query (it may hold credentials).
pub fn parse_storage_url(
    url: &str,
    env: Vec<(String, Secret)>,
) -> Result<StorageLocation, ConfigError> {
    let scheme = url.split(':').next().unwrap_or_default().to_owned();
    // Repeated in errors without the query and the user info: either may hold credentials.
    let without_query = url.split('?').next().unwrap_or_default();
    let shown = match without_query.split_once("://") {
        Some((head, rest)) if rest.contains('@') => {
            let host = rest.rsplit('@').next().unwrap_or_default();
            format!("{head}://[redacted]@{host}")
        }
        _ => without_query.to_owned(),
    };
    let fail = |reason: String| ConfigError {
        name: "STORAGE_URL",
        value: shown.clone(),
        reason,
    };
    let parsed = reqwest::Url::parse(url).map_err(|e| {
        fail(format!(
            "not a URL ({e}); expected file:///path or s3://bucket?endpoint=…"
        ))
    })?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(fail(
            "credentials do not go in the URL; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
                .into(),
        ));
    }
    match scheme.as_str() {
        "file" => {
            if parsed.query().is_some() {
                return Err(fail("a file:// URL takes no query".into()));
            }
            let path = parsed
                .to_file_path()
                .map_err(|()| fail("must be file:///absolute/path (no host)".into()))?;
            Ok(StorageLocation::Dir(path))
        }
        "s3" => {
            let bucket = parsed
                .host_str()
                .filter(|b| !b.is_empty())
                .ok_or_else(|| fail("no bucket: expected s3://bucket".into()))?
                .to_owned();
            let prefix = parsed.path().trim_matches('/').to_owned();
            let prefix_ok = prefix.is_empty()
                || prefix.split('/').all(|part| {
                    !part.is_empty()
                        && part != "."
                        && part != ".."
                        && part
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
                });
            if !prefix_ok {
                return Err(fail(format!(
                    "the key prefix {prefix:?} must be /-separated names of letters, digits, \
                     '-', '_' and '.'"
                )));
            }
            let mut options = env;
            for (key, value) in parsed.query_pairs() {
                let key = key.into_owned();
                if object_store::aws::AmazonS3ConfigKey::from_str(&key).is_err() {
                    return Err(fail(format!(
                        "unknown option {key:?} in the query (use the S3 option names of the \
                         object_store crate, e.g. endpoint, region)"
                    )));
                }
                options.push((key, Secret::new(value.into_owned())));
            }
            Ok(StorageLocation::S3(S3Location {
                bucket,
                prefix,
                options,
            }))
        }
        _ => Err(fail(format!(
            "unsupported scheme {scheme:?}: expected file:///path or s3://bucket?endpoint=…"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s3(url: &str) -> S3Location {
        match parse_storage_url(url, Vec::new()) {
            Ok(StorageLocation::S3(s)) => s,
            other => panic!("{url}: {other:?}"),
        }
    }

    fn refused(url: &str) -> String {
        match parse_storage_url(url, Vec::new()) {
            Err(e) => e.to_string(),
            Ok(ok) => panic!("{url} was accepted: {ok:?}"),
        }
    }

    #[test]
    fn file_urls_name_a_directory() {
        match parse_storage_url("file:///srv/charts", Vec::new()) {
            Ok(StorageLocation::Dir(p)) => assert_eq!(p, PathBuf::from("/srv/charts")),
            other => panic!("{other:?}"),
        }
        assert!(refused("file://host/srv").contains("file:///absolute/path"));
        assert!(refused("file:///srv?x=1").contains("no query"));
    }

    #[test]
    fn s3_urls_give_bucket_prefix_and_options_and_the_query_wins() {
        let env = vec![
            ("aws_region".to_owned(), Secret::new("eu-west-1")),
            ("aws_access_key_id".to_owned(), Secret::new("AKIA")),
        ];
        let loc = match parse_storage_url(
            "s3://charts/prod/v1/?endpoint=http%3A%2F%2F127.0.0.1%3A9000&aws_region=us-east-2",
            env,
        ) {
            Ok(StorageLocation::S3(s)) => s,
            other => panic!("{other:?}"),
        };
        assert_eq!(loc.bucket, "charts");
        assert_eq!(loc.prefix, "prod/v1");
        assert_eq!(loc.option("endpoint"), Some("http://127.0.0.1:9000"));
        assert_eq!(loc.option("aws_region"), Some("us-east-2"));
        assert_eq!(loc.option("aws_access_key_id"), Some("AKIA"));
        assert_eq!(loc.display(), "s3://charts/prod/v1");
        assert_eq!(s3("s3://b").prefix, "");
        assert_eq!(s3("s3://b").display(), "s3://b");
    }

    #[test]
    fn bad_urls_are_refused_naming_the_variable_and_never_echo_the_query() {
        for (url, why) in [
            ("charts", "not a URL"),
            ("http://x/y", "unsupported scheme"),
            ("s3:///prefix", "no bucket"),
            ("s3://b/a%20b", "key prefix"),
            (
                "s3://b?endpoint=http://x&bogus=1",
                "unknown option \"bogus\"",
            ),
            ("s3://key:secret@b", "credentials do not go in the URL"),
        ] {
            let e = refused(url);
            assert!(e.starts_with("STORAGE_URL="), "{e}");
            assert!(e.contains(why), "{url}: {e}");
        }
        let e = refused("s3://b?secret_access_key=hunter2&bogus=1");
        assert!(!e.contains("hunter2"), "{e}");
        let e = refused("s3://key:hunter2@b");
        assert!(!e.contains("hunter2") && e.contains("[redacted]@b"), "{e}");
    }
}
