//! Number formatting shared by every stage: thousands grouping of digit strings, and the
//! locale that writes a chart's numbers (`options.locale`).
//!
//! Axis labels (`1,500`), error messages (`3,840,000 pixels`) and the fast parser's limits all
//! group digits the same way; keeping the rule in one leaf module keeps them in agreement. A
//! chart's own numbers (ticks, data labels, alt text, narrative) are written by
//! `layout::scale::NumberFormat`, which passes each one through [`localize`]: the locale in force
//! on this thread, set for one chart's layout and text by [`with_locale`].

use std::cell::Cell;

/// `"1234567"` → `"1,234,567"`, `"1234.5"` → `"1,234.5"`: commas every three digits of the
/// integer part; the text must be digits only (no sign), with an optional fraction.
pub fn group_thousands(digits: &str) -> String {
    let (int, frac) = digits
        .split_once('.')
        .map_or((digits, None), |(i, f)| (i, Some(f)));
    let mut out = String::with_capacity(int.len() + int.len() / 3 + 4);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// `n` with thousands separators (`3,840,000`), as the reference writes its limits.
pub fn thousands(n: u64) -> String {
    group_thousands(&n.to_string())
}

/// How a locale writes numbers, as `Intl.NumberFormat` does for it: the group and decimal
/// separators, Indian grouping (`12,34,567`), and the fewest integer digits that get grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Locale {
    group: char,
    decimal: char,
    indian: bool,
    /// Integer digits from which groups are separated (5 for `es`: `1234`, `12.345`).
    min_digits: u8,
}

impl Default for Locale {
    /// `en-US`: `1,234.5`, what every chart writes without `options.locale`.
    fn default() -> Self {
        Locale::new(',', '.')
    }
}

/// Narrow no-break space, French's group separator.
const NNBSP: char = '\u{202F}';
/// No-break space, the group separator of most other space-grouping locales.
const NBSP: char = '\u{A0}';

impl Locale {
    const fn new(group: char, decimal: char) -> Locale {
        Locale {
            group,
            decimal,
            indian: false,
            min_digits: 4,
        }
    }

    /// A BCP 47 tag (`de-DE`, `fr`, `en_IN`, `ja-JP`): `Ok(None)` for a well-formed tag whose
    /// language has no rule here (it writes numbers as `en-US`), `Err` for text that is not a tag.
    pub fn parse(tag: &str) -> Result<Option<Locale>, NotATag> {
        let parts: Vec<&str> = tag.trim().split(['-', '_']).collect();
        let well_formed = parts.first().is_some_and(|l| {
            (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_alphabetic())
        }) && parts[1..]
            .iter()
            .all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
        if !well_formed {
            return Err(NotATag);
        }
        let language = parts[0].to_ascii_lowercase();
        let region = parts[1..]
            .iter()
            .find(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_alphabetic()))
            .map(|r| r.to_ascii_uppercase());
        let region = region.as_deref();
        let dot_comma = Locale::new('.', ',');
        let indian = Locale {
            indian: true,
            ..Locale::default()
        };
        let found = match (language.as_str(), region) {
            (_, Some("IN")) => indian,
            ("hi" | "bn" | "mr" | "gu" | "pa" | "ta" | "te" | "kn" | "ml" | "or", _) => indian,
            ("de" | "it", Some("CH" | "LI")) => Locale::new('’', '.'),
            ("es", Some("MX" | "US" | "PR")) => Locale::default(),
            ("es" | "pl", _) => Locale {
                min_digits: 5,
                ..if language == "es" {
                    dot_comma
                } else {
                    Locale::new(NBSP, ',')
                }
            },
            (
                "de" | "nl" | "it" | "pt" | "id" | "da" | "tr" | "el" | "ro" | "hr" | "sl" | "sr",
                _,
            ) => dot_comma,
            ("fr", _) => Locale::new(NNBSP, ','),
            (
                "ru" | "uk" | "cs" | "sk" | "sv" | "nb" | "nn" | "no" | "fi" | "hu" | "bg" | "et"
                | "lv" | "lt" | "kk",
                _,
            ) => Locale::new(NBSP, ','),
            ("en" | "ja" | "zh" | "ko" | "he" | "th" | "ms" | "fil" | "ga" | "cy", _) => {
                Locale::default()
            }
            _ => return Ok(None),
        };
        Ok(Some(found))
    }

    /// `number` (as `NumberFormat` writes it for `en-US`: digits, `,` groups, one `.`, maybe an
    /// exponent or a unit) written in this locale.
    fn write(self, number: String) -> String {
        if self == Locale::default() {
            return number;
        }
        let end = number
            .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
            .unwrap_or(number.len());
        let (body, rest) = number.split_at(end);
        let (int, frac) = body
            .split_once('.')
            .map_or((body, None), |(i, f)| (i, Some(f)));
        let grouped = int.contains(',');
        let digits: Vec<char> = int.chars().filter(char::is_ascii_digit).collect();
        let mut out = String::with_capacity(number.len() + 4);
        let n = digits.len();
        let group_here = |i: usize| {
            if !grouped || n < usize::from(self.min_digits) || i == 0 {
                return false;
            }
            let from_end = n - i;
            if self.indian {
                from_end == 3 || (from_end > 3 && (from_end - 3).is_multiple_of(2))
            } else {
                from_end.is_multiple_of(3)
            }
        };
        for (i, &d) in digits.iter().enumerate() {
            if group_here(i) {
                out.push(self.group);
            }
            out.push(d);
        }
        if let Some(f) = frac {
            out.push(self.decimal);
            out.push_str(f);
        }
        // The part after the number (an exponent, a unit) is kept as it is.
        out.push_str(rest);
        out
    }
}

/// A `locale` that is not a BCP 47 language tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotATag;

thread_local! {
    static CURRENT: Cell<Locale> = Cell::new(Locale::default());
}

/// Runs `f` with `locale` writing the numbers [`localize`] sees on this thread, then restores
/// the one before (also when `f` panics).
pub fn with_locale<R>(locale: Locale, f: impl FnOnce() -> R) -> R {
    struct Restore(Locale);
    impl Drop for Restore {
        fn drop(&mut self) {
            CURRENT.with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(CURRENT.with(|c| c.replace(locale)));
    f()
}

/// An `en-US` number (`1,234.5`) in the locale set by [`with_locale`] (`1.234,5` in `de-DE`).
pub fn localize(number: String) -> String {
    CURRENT.with(Cell::get).write(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_the_integer_part_only() {
        assert_eq!(group_thousands("0"), "0");
        assert_eq!(group_thousands("999"), "999");
        assert_eq!(group_thousands("1000"), "1,000");
        assert_eq!(group_thousands("1234567.891"), "1,234,567.891");
        assert_eq!(group_thousands("0.25"), "0.25");
        assert_eq!(thousands(10_000_000), "10,000,000");
        assert_eq!(thousands(u64::MAX), "18,446,744,073,709,551,615");
    }

    fn in_locale(tag: &str, number: &str) -> String {
        let locale = Locale::parse(tag).unwrap().unwrap();
        with_locale(locale, || localize(number.to_owned()))
    }

    #[test]
    fn locales_write_numbers_as_intl_does() {
        assert_eq!(in_locale("de-DE", "1,234.5"), "1.234,5");
        assert_eq!(in_locale("de", "0.25"), "0,25");
        assert_eq!(
            in_locale("fr-FR", "1,234,567.5"),
            "1\u{202F}234\u{202F}567,5"
        );
        assert_eq!(in_locale("en-IN", "12,345,678"), "1,23,45,678");
        assert_eq!(in_locale("en_IN", "123,456.75"), "1,23,456.75");
        assert_eq!(in_locale("hi", "1,000"), "1,000");
        assert_eq!(in_locale("ja-JP", "1,234.5"), "1,234.5");
        assert_eq!(in_locale("de-CH", "1,234.5"), "1’234.5");
        // Spanish and Polish group from five integer digits.
        assert_eq!(in_locale("es-ES", "1,234.5"), "1234,5");
        assert_eq!(in_locale("es", "12,345"), "12.345");
        assert_eq!(in_locale("es-MX", "1,234.5"), "1,234.5");
        // Units and exponents keep their letters; an ungrouped number stays ungrouped.
        assert_eq!(in_locale("de-DE", "1.5k"), "1,5k");
        assert_eq!(in_locale("de-DE", "2.50e12"), "2,50e12");
        assert_eq!(in_locale("de-DE", "2024"), "2024");
    }

    #[test]
    fn the_default_is_unchanged_and_restored_after_a_chart() {
        assert_eq!(localize("1,234.5".to_owned()), "1,234.5");
        let de = Locale::parse("de-DE").unwrap().unwrap();
        let inner = with_locale(de, || {
            let fr = Locale::parse("fr").unwrap().unwrap();
            let nested = with_locale(fr, || localize("0.5".to_owned()));
            (nested, localize("0.5".to_owned()))
        });
        assert_eq!(inner, ("0,5".to_owned(), "0,5".to_owned()));
        assert_eq!(localize("0.5".to_owned()), "0.5");
        let _ = std::panic::catch_unwind(|| with_locale(de, || panic!("a failed chart")));
        assert_eq!(localize("0.5".to_owned()), "0.5");
    }

    #[test]
    fn tags_are_checked_and_unknown_languages_fall_back() {
        assert_eq!(Locale::parse("xx-YY"), Ok(None));
        assert_eq!(Locale::parse("zz"), Ok(None));
        for bad in [
            "",
            "d",
            "de DE",
            "toolonglanguage",
            "de-",
            "1234",
            "de-DE-!",
        ] {
            assert_eq!(Locale::parse(bad), Err(NotATag), "{bad:?}");
        }
    }
}
