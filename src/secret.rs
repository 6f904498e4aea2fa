//! Secrets: the [`Secret`] wrapper, whose `Debug` never prints the value, and the secrets the
//! server generates for itself and keeps in `DATA_DIR` when none is configured. A leaf: it
//! imports nothing of the crate, so config, accounts and the HTTP layer can all use it.

use std::path::Path;

/// File in `DATA_DIR` holding the generated `JWT_SECRET` (the `cl_session` key).
pub const JWT_SECRET_FILE: &str = "jwt_secret";

/// A secret string whose `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }

    /// The secret itself; call only where it is used.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// The JWT secret: `JWT_SECRET` when set, else the one persisted in `data_dir/jwt_secret`,
/// else a new random one written there (mode 0600). Returns it and whether it was generated.
pub fn load_or_create_jwt_secret(
    configured: Option<&Secret>,
    data_dir: &Path,
) -> std::io::Result<(Secret, bool)> {
    load_or_create_secret(configured, data_dir, JWT_SECRET_FILE)
}

/// A secret: `configured` when set, else the one persisted in `data_dir/file`, else a new
/// random one written there (mode 0600). Returns it and whether it was generated.
pub fn load_or_create_secret(
    configured: Option<&Secret>,
    data_dir: &Path,
    file: &str,
) -> std::io::Result<(Secret, bool)> {
    if let Some(s) = configured {
        return Ok((s.clone(), false));
    }
    let path = data_dir.join(file);
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let trimmed = existing.trim();
        if !trimmed.is_empty() {
            return Ok((Secret::new(trimmed), false));
        }
    }
    let bytes: [u8; 32] = rand::random();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    std::fs::create_dir_all(data_dir)?;
    let tmp = data_dir.join(format!(".{file}.tmp"));
    {
        use std::io::Write as _;
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut f = opts.open(&tmp)?;
        f.write_all(hex.as_bytes())?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, &path)?;
    Ok((Secret::new(hex), true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_do_not_print() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "[redacted]");
        assert_eq!(s.expose(), "hunter2");
    }

    #[test]
    fn a_generated_secret_is_kept_and_a_configured_one_wins() {
        let dir = std::env::temp_dir().join(format!("clovicharts-secret-{}", std::process::id()));
        let (first, generated) = load_or_create_secret(None, &dir, "s").unwrap();
        assert!(generated);
        assert_eq!(first.expose().len(), 64);
        let (again, generated) = load_or_create_secret(None, &dir, "s").unwrap();
        assert_eq!((again, generated), (first, false));
        let set = Secret::new("configured");
        assert_eq!(
            load_or_create_secret(Some(&set), &dir, "s").unwrap(),
            (set, false)
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
