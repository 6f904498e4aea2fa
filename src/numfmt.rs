//! Number formatting shared by every stage: thousands grouping of digit strings.
//!
//! Axis labels (`1,500`), error messages (`3,840,000 pixels`) and the fast parser's limits all
//! group digits the same way; keeping the rule in one leaf module keeps them in agreement (and
//! gives locales one place to land).

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
}
