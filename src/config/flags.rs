//! `serve` (and `config check`) flags: each one also reads its environment variable (clap's
//! `env`), and a flag given on the command line wins over the variable. Everything else is read
//! from the environment only ([`super::Config::from_env`]); secrets have no flags, so they never
//! show in `ps`.

use super::{Config, ConfigError, QUEUE_PER_WORKER, parse_cors_origins, parse_public_url};
use std::net::IpAddr;
use std::path::PathBuf;

/// The server's flags.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct ServeArgs {
    /// Address to bind.
    #[arg(long, env = "HOST", value_name = "ADDR")]
    pub host: Option<IpAddr>,
    /// Port to listen on (8966 when unset).
    #[arg(long, env = "PORT")]
    pub port: Option<u16>,
    /// Charts, the SQLite database and the generated secret (./data when unset).
    #[arg(long, env = "DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Base of the URLs in answers (default: from the request's Host).
    #[arg(long, env = "PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// Where 401 answers send browsers.
    #[arg(long, env = "LOGIN_URL", value_name = "URL")]
    pub login_url: Option<String>,
    /// Requests per minute per client on /api/ (0: off).
    #[arg(long, env = "RATE_LIMIT_PER_MIN", value_name = "N")]
    pub rate_limit_per_min: Option<u32>,
    /// Key clients on X-Forwarded-For (only behind a proxy that sets it).
    #[arg(long, env = "TRUST_PROXY")]
    pub trust_proxy: bool,
    /// Render threads (default: the number of cores).
    #[arg(long, env = "RENDER_WORKERS", value_name = "N")]
    pub render_workers: Option<usize>,
    /// Render jobs that may wait before 503 (default: 32 per worker).
    #[arg(long, env = "RENDER_QUEUE", value_name = "N")]
    pub render_queue: Option<usize>,
    /// Deadline of one render, milliseconds.
    #[arg(long, env = "RENDER_TIMEOUT_MS", value_name = "MS")]
    pub render_timeout_ms: Option<u64>,
    /// Largest request body, bytes.
    #[arg(long, env = "MAX_BODY_BYTES", value_name = "BYTES")]
    pub max_body_bytes: Option<usize>,
    /// Origins (comma-separated) whose pages may call the API.
    #[arg(long, env = "CORS_ORIGINS", value_name = "ORIGINS")]
    pub cors_origins: Option<String>,
}

impl ServeArgs {
    /// The environment's configuration with these flags over it.
    pub fn config(&self) -> Result<Config, ConfigError> {
        let mut c = Config::from_env()?;
        self.apply(&mut c)?;
        Ok(c)
    }

    /// Puts the flags that were given (or whose variable is set) over `c`.
    pub fn apply(&self, c: &mut Config) -> Result<(), ConfigError> {
        if let Some(host) = self.host {
            c.host = host;
        }
        if let Some(port) = self.port {
            c.port = port;
        }
        if let Some(dir) = &self.data_dir {
            c.data_dir = dir.clone();
        }
        if let Some(url) = &self.public_url {
            c.public_url = Some(parse_public_url(url)?);
        }
        if let Some(url) = self.login_url.as_ref().filter(|u| !u.trim().is_empty()) {
            c.login_url = url.clone();
        }
        if let Some(n) = self.rate_limit_per_min {
            c.rate_limit_per_min = n;
        }
        c.trust_proxy |= self.trust_proxy;
        if let Some(n) = self.render_workers {
            c.render_workers = n.clamp(1, 256);
            if self.render_queue.is_none() {
                c.render_queue = c.render_workers * QUEUE_PER_WORKER;
            }
        }
        if let Some(n) = self.render_queue {
            c.render_queue = n.max(1);
        }
        if let Some(ms) = self.render_timeout_ms {
            c.render_timeout_ms = ms.max(1);
        }
        if let Some(n) = self.max_body_bytes {
            c.max_body_bytes = n.max(1024);
        }
        if let Some(list) = &self.cors_origins {
            c.cors_origins = parse_cors_origins(list)?;
        }
        Ok(())
    }
}

/// `clovicharts config check`: the effective configuration, secrets shown as `[redacted]`.
pub fn describe(c: &Config) -> String {
    format!(
        "# clovicharts: the effective configuration (environment, then flags); secrets are \
         [redacted]\n{c:#?}\n"
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]
    use super::*;

    #[test]
    fn flags_win_and_workers_resize_the_queue() {
        let mut c = Config::for_tests("/tmp/x");
        let args = ServeArgs {
            port: Some(9001),
            data_dir: Some("/srv/charts".into()),
            render_workers: Some(3),
            cors_origins: Some("https://a.example, http://b.example:8080".into()),
            ..ServeArgs::default()
        };
        args.apply(&mut c).unwrap();
        assert_eq!(c.port, 9001);
        assert_eq!(c.data_dir, PathBuf::from("/srv/charts"));
        assert_eq!(
            (c.render_workers, c.render_queue),
            (3, 3 * QUEUE_PER_WORKER)
        );
        assert_eq!(c.cors_origins.len(), 2);
        let bad = ServeArgs {
            public_url: Some("ftp://x".into()),
            ..ServeArgs::default()
        };
        assert_eq!(bad.apply(&mut c).unwrap_err().name, "PUBLIC_URL");
    }

    #[test]
    fn secrets_are_redacted_in_the_description() {
        let mut c = Config::for_tests("/tmp/x");
        c.jwt_secret = Some(crate::secret::Secret::new("hunter2-jwt"));
        c.database_url = Some(crate::secret::Secret::new("postgres://u:pw0rd@h/db"));
        let text = describe(&c);
        assert!(
            !text.contains("hunter2") && !text.contains("pw0rd"),
            "{text}"
        );
        assert!(text.contains("[redacted]") && text.contains("port: 0"));
    }
}
