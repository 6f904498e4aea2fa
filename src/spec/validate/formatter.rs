//! Reading the common shapes of a Chart.js tick formatter *without running it*: clients send
//! `"callback": "function(v) { return '$' + v; }"` (QuickChart lets functions travel as strings),
//! and most such functions only add a prefix or suffix, fix the decimals or group thousands.
//! Those shapes map onto the declarative `ticks.format`; anything else is not recognised (the
//! caller then draws the default and warns).
//!
//! Recognised, with `v` the function's first parameter (any name) and `'…'` any string literal
//! (single, double or back quotes without `${`):
//! - bodies: `function (v, …) { return E; }`, `(v, …) => E`, `v => E`, `(v) => { return E; }`;
//! - `E` is a `+` chain of literals and exactly one value term, or a template literal
//!   `` `…${T}…` `` with one value term `T`;
//! - value terms: `v`, `v.toFixed(n)`, `Number(v).toFixed(n)`, `v.toLocaleString()` (with any
//!   locale arguments), `Math.round(v)`.

use crate::spec::TickFormat;
use serde_json::{Map, Value};

/// The [`TickFormat`] a JavaScript formatter function `source` is equivalent to, if it has one
/// of the recognised shapes.
pub(super) fn recognise(source: &str) -> Option<TickFormat> {
    let (param, expr) = split_function(source.trim())?;
    if let Some(inner) = expr.strip_prefix('`').and_then(|e| e.strip_suffix('`')) {
        return template(inner, param);
    }
    let mut format = TickFormat::default();
    let mut seen_value = false;
    for part in split_plus(expr)? {
        let part = part.trim();
        if let Some(text) = string_literal(part) {
            if seen_value {
                format.suffix.push_str(&text);
            } else {
                format.prefix.push_str(&text);
            }
        } else if !seen_value && value_term(part, param, &mut format) {
            seen_value = true;
        } else {
            return None;
        }
    }
    seen_value.then_some(format)
}

/// `v` as the JavaScript formatter `source` writes it, when it has a recognised shape; else
/// `v` plainly, with a warning at `path` that the function was not run.
pub(super) fn written(
    source: &str,
    v: f64,
    path: &str,
    warnings: &mut Vec<crate::spec::SpecWarning>,
) -> String {
    let plain = super::data::format_number(v);
    match recognise(source) {
        Some(f) => {
            let body = match f.decimals {
                Some(d) => format!("{v:.*}", usize::from(d)),
                None => plain,
            };
            format!("{}{body}{}", f.prefix, f.suffix)
        }
        None => {
            super::lenient::warn(
                warnings,
                path,
                "this function is JavaScript, never run: the value is shown".to_owned(),
            );
            plain
        }
    }
}

/// A [`TickFormat`] as the `format` object a client would have written.
pub(super) fn format_value(format: TickFormat) -> Value {
    let mut f = Map::new();
    if !format.prefix.is_empty() {
        f.insert("prefix".to_owned(), Value::String(format.prefix));
    }
    if !format.suffix.is_empty() {
        f.insert("suffix".to_owned(), Value::String(format.suffix));
    }
    if let Some(d) = format.decimals {
        f.insert("decimals".to_owned(), Value::from(d));
    }
    if let Some(c) = format.compact {
        f.insert("compact".to_owned(), Value::Bool(c));
    }
    if format.percent {
        f.insert("percent".to_owned(), Value::Bool(true));
    }
    Value::Object(f)
}

/// The first parameter's name and the returned expression of a function's source text.
pub(super) fn split_function(s: &str) -> Option<(&str, &str)> {
    let s = s.strip_prefix("async").map_or(s, str::trim_start);
    let (params, body, arrow) = if let Some(rest) = s.strip_prefix("function") {
        let rest = rest.trim_start();
        let open = rest.find('(')?;
        // Only a name (or nothing) between `function` and `(`.
        if !rest[..open].trim().chars().all(is_ident_char) {
            return None;
        }
        let close = open + rest[open..].find(')')?;
        (&rest[open + 1..close], rest[close + 1..].trim(), false)
    } else {
        let arrow = s.find("=>")?;
        let params = s[..arrow].trim();
        let params = params
            .strip_prefix('(')
            .and_then(|p| p.strip_suffix(')'))
            .unwrap_or(params);
        (params, s[arrow + 2..].trim(), true)
    };
    let param = params.split(',').next()?.trim();
    if param.is_empty() || !param.chars().all(is_ident_char) {
        return None;
    }
    let expr = match body.strip_prefix('{') {
        Some(block) => {
            let block = block.strip_suffix('}')?.trim();
            let expr = block.strip_prefix("return")?;
            // `return` must be a whole word, and the block one statement.
            if !expr.starts_with(char::is_whitespace) && !expr.starts_with(['\'', '"', '`', '(']) {
                return None;
            }
            let expr = expr.trim().strip_suffix(';').unwrap_or(expr.trim()).trim();
            if has_top_level(expr, ';') {
                return None;
            }
            expr
        }
        None if arrow => body.strip_suffix(';').unwrap_or(body).trim(),
        None => return None,
    };
    Some((param, strip_parens(expr)))
}

/// `(E)` → `E`, once, when the parentheses wrap the whole expression.
fn strip_parens(e: &str) -> &str {
    match e.strip_prefix('(').and_then(|i| i.strip_suffix(')')) {
        Some(inner) if split_plus(inner).is_some() && balanced(inner) => inner.trim(),
        _ => e,
    }
}

/// Walks `s` outside strings, calling `visit(c, depth)` for each other character with the
/// parenthesis depth it stands at, and says how the walk ended (see [`Walk`]).
fn walk_top(s: &str, mut visit: impl FnMut(usize, char, i32) -> bool) -> Walk {
    let mut depth = 0i32;
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"' | '`') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth < 0 {
                    return Walk::Unbalanced;
                }
            }
            (None, c) if visit(i, c, depth) => return Walk::Stopped,
            _ => {}
        }
    }
    if depth == 0 && quote.is_none() {
        Walk::Closed
    } else {
        Walk::Open
    }
}

/// How [`walk_top`] ended.
#[derive(PartialEq)]
enum Walk {
    /// `visit` found what it looked for.
    Stopped,
    /// A `)` without its `(`.
    Unbalanced,
    /// The end, with every string and parenthesis closed.
    Closed,
    /// The end, inside a string or parentheses.
    Open,
}

/// Whether the parentheses of `s` (outside strings) balance without going negative.
fn balanced(s: &str) -> bool {
    walk_top(s, |_, _, _| false) == Walk::Closed
}

/// Whether `needle` occurs outside strings and parentheses.
fn has_top_level(s: &str, needle: char) -> bool {
    find_top_level(s, needle).is_some()
}

/// The byte offset of the first `needle` outside strings and parentheses.
pub(super) fn find_top_level(s: &str, needle: char) -> Option<usize> {
    let mut found = None;
    walk_top(s, |i, c, depth| {
        let hit = c == needle && depth == 0;
        if hit {
            found = Some(i);
        }
        hit
    });
    found
}

/// The operands of a top-level `+` chain; `None` when a string is unterminated.
fn split_plus(s: &str) -> Option<Vec<&str>> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut quote = None;
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' | '`' => quote = Some(c),
            '(' => depth += 1,
            ')' => depth -= 1,
            '+' if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if quote.is_some() {
        return None;
    }
    parts.push(&s[start..]);
    Some(parts)
}

/// The text of a string literal (`'…'`, `"…"`, or a template without `${`), unescaped.
pub(super) fn string_literal(s: &str) -> Option<String> {
    let q = s.chars().next()?;
    if !matches!(q, '\'' | '"' | '`') || s.len() < 2 || !s.ends_with(q) {
        return None;
    }
    let inner = &s[1..s.len() - 1];
    if q == '`' && inner.contains("${") {
        return None;
    }
    unescape(inner, q)
}

/// Undoes `\'`, `\"`, `\\` and `\n`; refuses a bare closing quote inside.
fn unescape(inner: &str, q: char) -> Option<String> {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                other => out.push(other),
            },
            c if c == q => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

/// `` `pre${T}post` `` with one value term `T`.
fn template(inner: &str, param: &str) -> Option<TickFormat> {
    let open = inner.find("${")?;
    let close = open + inner[open..].find('}')?;
    let (pre, term, post) = (&inner[..open], &inner[open + 2..close], &inner[close + 1..]);
    if post.contains("${") {
        return None;
    }
    let mut format = TickFormat {
        prefix: unescape(pre, '`')?,
        suffix: unescape(post, '`')?,
        ..TickFormat::default()
    };
    value_term(term.trim(), param, &mut format).then_some(format)
}

/// Whether `term` is one of the value terms over `param`, recording what it does to the number.
fn value_term(term: &str, param: &str, format: &mut TickFormat) -> bool {
    let term = strip_parens(term);
    if term == param {
        return true;
    }
    if let Some(arg) = term
        .strip_prefix("Math.round(")
        .and_then(|r| r.strip_suffix(')'))
    {
        if arg.trim() == param {
            format.decimals = Some(0);
            return true;
        }
        return false;
    }
    let base = term.strip_prefix(param).or_else(|| {
        ["Number(", "parseFloat("]
            .iter()
            .find_map(|f| term.strip_prefix(f)?.strip_prefix(param)?.strip_prefix(')'))
    });
    let Some(method) = base.and_then(|b| b.strip_prefix('.')) else {
        return false;
    };
    if let Some(n) = method
        .strip_prefix("toFixed(")
        .and_then(|r| r.strip_suffix(')'))
    {
        let n = n.trim();
        let decimals = if n.is_empty() {
            Some(0)
        } else {
            n.parse::<u8>().ok()
        };
        return match decimals.filter(|d| *d <= 10) {
            Some(d) => {
                format.decimals = Some(d);
                // toFixed never groups thousands.
                format.compact = Some(false);
                true
            }
            None => false,
        };
    }
    if let Some(args) = method
        .strip_prefix("toLocaleString(")
        .and_then(|r| r.strip_suffix(')'))
    {
        // Locale arguments (`'en-US'`, `undefined`, options) do not change the shape we draw,
        // but an options object might ask for decimals we cannot read: only plain ones.
        if args.contains('{') {
            return false;
        }
        format.compact = Some(false);
        return true;
    }
    false
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

#[cfg(test)]
mod tests {
    use super::recognise;
    use crate::spec::TickFormat;

    fn fmt(prefix: &str, suffix: &str, decimals: Option<u8>, compact: Option<bool>) -> TickFormat {
        TickFormat {
            prefix: prefix.to_owned(),
            suffix: suffix.to_owned(),
            decimals,
            compact,
            percent: false,
        }
    }

    #[test]
    fn common_shapes_are_read() {
        for (src, want) in [
            (
                "function(value) { return '$' + value; }",
                fmt("$", "", None, None),
            ),
            (
                "function (v, index, values) {\n  return v + '%';\n}",
                fmt("", "%", None, None),
            ),
            ("v => '$' + v", fmt("$", "", None, None)),
            (
                "(val) => {\n return val + 'k';\n }",
                fmt("", "k", None, None),
            ),
            ("(v) => v.toFixed(2)", fmt("", "", Some(2), Some(false))),
            (
                "(v) => '$' + v.toLocaleString()",
                fmt("$", "", None, Some(false)),
            ),
            (
                "(val) => { return '$' + val.toLocaleString('en-US'); }",
                fmt("$", "", None, Some(false)),
            ),
            ("v => `${v}%`", fmt("", "%", None, None)),
            (
                "(v) => `$${v.toFixed(1)} M`",
                fmt("$", " M", Some(1), Some(false)),
            ),
            (
                "function(v) { return Math.round(v) + \" pts\"; }",
                fmt("", " pts", Some(0), None),
            ),
            ("(v) => ('€ ' + v)", fmt("€ ", "", None, None)),
            ("v => 'a' + 'b' + v + '!'", fmt("ab", "!", None, None)),
        ] {
            assert_eq!(recognise(src), Some(want), "{src}");
        }
    }

    #[test]
    fn anything_else_is_not() {
        for src in [
            "function(v) { return v / 1000 + 'k'; }",
            "(v) => v * 100 + '%'",
            "(v, i) => i % 2 ? '' : v",
            "function(v) { if (v > 0) return v; return ''; }",
            "(v) => this.getLabelForValue(v)",
            "(v) => '$' + v + v",
            "(v) => 'text'",
            "function(v) { var x = v; return x; }",
            "(v) => v.toLocaleString('en', {maximumFractionDigits: 1})",
            "(v) => v.toFixed(n)",
            "Revenue => Profit",
            "(v) => 'unterminated + v",
        ] {
            assert_eq!(recognise(src), None, "{src}");
        }
    }
}
