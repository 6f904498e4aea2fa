//! Reading environment variables: a blank value counts as unset, a value that does not parse is
//! a [`ConfigError`] naming the variable. Every area's config (`mod.rs`, `llm.rs`,
//! `accounts.rs`) reads through these two functions.

/// A bad environment variable.
#[derive(Debug, thiserror::Error)]
#[error("{name}={value:?} is invalid: {reason}")]
pub struct ConfigError {
    /// The variable.
    pub name: &'static str,
    /// Its value.
    pub value: String,
    /// What is wrong.
    pub reason: String,
}

/// The variable's value, `None` when unset or blank.
pub(crate) fn var(name: &'static str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The variable parsed as `T`, `default` when unset or blank.
pub(crate) fn parsed<T: std::str::FromStr>(name: &'static str, default: T) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    match var(name) {
        None => Ok(default),
        Some(v) => v.trim().parse().map_err(|e: T::Err| ConfigError {
            name,
            value: v.clone(),
            reason: e.to_string(),
        }),
    }
}
