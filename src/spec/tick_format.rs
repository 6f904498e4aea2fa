//! The declarative number format of ticks and data labels.

/// A declarative number format (`ticks.format`), standing in for Chart.js callbacks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TickFormat {
    /// Text before the number, e.g. `"$"`.
    pub prefix: String,
    /// Text after the number, e.g. `" ms"`.
    pub suffix: String,
    /// Fixed decimals; `None` = as many as the ticks need.
    pub decimals: Option<u8>,
    /// `Some(true)`: 12k / 3.4M; `Some(false)`: 12,000; `None`: compact from 10,000 up.
    pub compact: Option<bool>,
    /// Multiply by 100 and append `%` (0.25 → 25%), as `Intl.NumberFormat`'s percent style.
    pub percent: bool,
}

impl TickFormat {
    /// Whether this is the default (automatic) format.
    pub fn is_auto(&self) -> bool {
        *self == TickFormat::default()
    }
}
