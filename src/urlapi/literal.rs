//! A chart config sent as text — JSON, or the JavaScript object literal QuickChart accepts
//! (unquoted keys, single quotes, trailing commas, comments, and function expressions such as
//! the `QuickChartFunction`s the official clients inline) — read into JSON, without running
//! anything.
//!
//! Strict JSON is read by `serde_json` first (the common case, and the fast one for big data).
//! Anything else goes through [`quote_functions`], one linear pass that turns every function
//! expression outside a string into a string holding its source — the same shape a client
//! sends when it quotes its callbacks itself, which the validator already turns into defaults
//! plus a warning (or into `ticks.format` for the formatter shapes it recognises) — and then
//! through a JSON5 reader.
//!
//! The pass is bounded: it looks at every byte once (a function's source is copied once), it
//! never backtracks past the start of the value it is in, and it refuses nesting deeper than
//! [`MAX_DEPTH`] before the (recursive) JSON5 reader sees the text.

use serde_json::Value;

/// Deepest nesting of objects and arrays read, as `serde_json`'s own recursion limit: the JSON5
/// reader recurses per level, so this bounds its stack.
pub const MAX_DEPTH: usize = 128;

/// Largest config read as a JavaScript literal rather than strict JSON: the JSON5 reader builds a
/// token tree several times the text's size, and hand-written literals are a few kilobytes;
/// big data comes as JSON, which has no such limit.
pub const MAX_LITERAL_BYTES: usize = 4 * 1024 * 1024;

/// Why a config text could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LiteralError {
    /// Nested deeper than [`MAX_DEPTH`].
    #[error("the chart config is nested more than {MAX_DEPTH} levels deep")]
    TooDeep,
    /// Not strict JSON, and longer than [`MAX_LITERAL_BYTES`].
    #[error(
        "the chart config is not strict JSON, and a JavaScript literal may be at most {MAX_LITERAL_BYTES} bytes"
    )]
    TooLarge,
    /// Not JSON nor a JavaScript object literal.
    #[error("the chart config is neither JSON nor a JavaScript object literal: {0}")]
    Syntax(String),
}

/// Reads `text` (JSON or a JavaScript object literal) into JSON; functions become strings of
/// their source.
pub fn parse(text: &str) -> Result<Value, LiteralError> {
    if let Ok(value) = serde_json::from_str::<Value>(text) {
        return Ok(value);
    }
    if text.len() > MAX_LITERAL_BYTES {
        return Err(LiteralError::TooLarge);
    }
    let quoted = quote_functions(text)?;
    if let Ok(value) = serde_json::from_str::<Value>(&quoted) {
        return Ok(value);
    }
    json5::from_str::<Value>(&quoted).map_err(|e| LiteralError::Syntax(short(&e.to_string())))
}

/// At most this many characters of a reader's message go into an error.
const MAX_MESSAGE_CHARS: usize = 200;

fn short(message: &str) -> String {
    let one_line = message.split_whitespace().collect::<Vec<_>>().join(" ");
    one_line.chars().take(MAX_MESSAGE_CHARS).collect()
}

/// `text` with every function expression outside a string replaced by a JSON string of its
/// source (see the module doc); errors only on nesting deeper than [`MAX_DEPTH`].
pub fn quote_functions(text: &str) -> Result<String, LiteralError> {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 16);
    // Where in `out` the value being read started: after the last `:`, `,`, `[` or `{` outside
    // parentheses. A function expression (`async`, parameters and all) begins there.
    let mut value_start = 0;
    let mut depth = 0usize;
    let mut parens = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'"' | b'\'' | b'`' => {
                let end = skip_string(bytes, i);
                out.push_str(&text[i..end]);
                i = end;
                continue;
            }
            b'/' if matches!(bytes.get(i + 1), Some(b'/' | b'*')) => {
                let end = skip_comment(bytes, i);
                out.push_str(&text[i..end]);
                i = end;
                continue;
            }
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(LiteralError::TooDeep);
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'(' => parens += 1,
            b')' => parens = parens.saturating_sub(1),
            _ => {}
        }
        let arrow = b == b'=' && bytes.get(i + 1) == Some(&b'>');
        let keyword = b == b'f' && starts_word(bytes, i, b"function") && !is_key(bytes, i + 8);
        if parens == 0 && (arrow || keyword) {
            // The function's source: what this value held so far, then its own text.
            let from = if arrow {
                body_end(bytes, i + 2)
            } else {
                function_end(bytes, i)
            };
            let source = format!("{}{}", &out[value_start..], &text[i..from]);
            out.truncate(value_start);
            let lead = source.len() - source.trim_start().len();
            out.push_str(&source[..lead]);
            push_json_string(&mut out, source.trim());
            value_start = out.len();
            i = from;
            continue;
        }
        // `b` is ASCII here or a byte of a multi-byte character: copy whole characters.
        let len = utf8_len(b);
        let end = (i + len).min(bytes.len());
        out.push_str(text.get(i..end).unwrap_or(""));
        if parens == 0 && matches!(b, b':' | b',' | b'[' | b'{') {
            value_start = out.len();
        }
        i = end;
    }
    Ok(out)
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Whether `word` starts at `i` as a whole identifier.
fn starts_word(bytes: &[u8], i: usize, word: &[u8]) -> bool {
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    bytes[i..].starts_with(word)
        && (i == 0 || !ident(bytes[i - 1]))
        && bytes.get(i + word.len()).is_none_or(|b| !ident(*b))
}

/// Whether the word ending at `i` is followed by `:` (an unquoted key such as `function:`).
fn is_key(bytes: &[u8], i: usize) -> bool {
    bytes[i.min(bytes.len())..]
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b':')
}

/// The end (exclusive) of the string literal opening at `i` (quote, backtick); the end of the
/// text when it is never closed.
fn skip_string(bytes: &[u8], i: usize) -> usize {
    let quote = bytes[i];
    let mut j = i + 1;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 2,
            b if b == quote => return j + 1,
            _ => j += 1,
        }
    }
    bytes.len()
}

/// The end (exclusive) of the `//` or `/* */` comment at `i`.
fn skip_comment(bytes: &[u8], i: usize) -> usize {
    if bytes.get(i + 1) == Some(&b'/') {
        return memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n);
    }
    memchr::memmem::find(&bytes[i + 2..], b"*/").map_or(bytes.len(), |n| i + 2 + n + 2)
}

/// The end of `function name(params) { body }` starting at `i`: past the brace that closes the
/// first block.
fn function_end(bytes: &[u8], i: usize) -> usize {
    scan_code(bytes, i, |j, b| match b {
        b'{' => Some(balanced_end(bytes, j)),
        // A value separator before any body: not a function after all; stop there.
        b',' | b'}' | b']' => Some(j),
        _ => None,
    })
}

/// The end of an arrow function's body starting at `i` (just past `=>`): a block to its closing
/// brace, or an expression up to the `,`, `}`, `]` or `)` that ends the value it is in.
fn body_end(bytes: &[u8], i: usize) -> usize {
    let mut j = i;
    while j < bytes.len() && bytes[j].is_ascii_whitespace() {
        j += 1;
    }
    if bytes.get(j) == Some(&b'{') {
        return balanced_end(bytes, j);
    }
    let mut nesting = 0usize;
    scan_code(bytes, j, |j, b| {
        match b {
            b'(' | b'[' | b'{' => nesting += 1,
            b')' | b']' | b'}' if nesting == 0 => return Some(j),
            b')' | b']' | b'}' => nesting -= 1,
            b',' if nesting == 0 => return Some(j),
            _ => {}
        }
        None
    })
}

/// The end (exclusive) of the bracketed block opening at `i`, strings and comments skipped.
fn balanced_end(bytes: &[u8], i: usize) -> usize {
    let mut nesting = 0usize;
    scan_code(bytes, i, |j, b| {
        match b {
            b'(' | b'[' | b'{' => nesting += 1,
            b')' | b']' | b'}' => {
                nesting = nesting.saturating_sub(1);
                if nesting == 0 {
                    return Some(j + 1);
                }
            }
            _ => {}
        }
        None
    })
}

/// Walks `bytes` from `i`, skipping strings and comments, and calls `visit(index, byte)` for
/// every other byte until it answers `Some(end)`; `bytes.len()` when it never does. Linear:
/// each byte is looked at once.
fn scan_code(bytes: &[u8], i: usize, mut visit: impl FnMut(usize, u8) -> Option<usize>) -> usize {
    let mut j = i;
    while j < bytes.len() {
        match bytes[j] {
            b'"' | b'\'' | b'`' => j = skip_string(bytes, j),
            b'/' if matches!(bytes.get(j + 1), Some(b'/' | b'*')) => j = skip_comment(bytes, j),
            b => {
                if let Some(end) = visit(j, b) {
                    return end;
                }
                j += 1;
            }
        }
    }
    bytes.len()
}

/// Appends `s` as a JSON string literal.
fn push_json_string(out: &mut String, s: &str) {
    // Serialising a `str` cannot fail.
    out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "null".to_owned()));
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]
    use super::*;
    use serde_json::json;

    #[test]
    fn json_is_read_as_json() {
        assert_eq!(parse(r#"{"a": [1, 2]}"#).unwrap(), json!({"a": [1, 2]}));
    }

    #[test]
    fn javascript_literals_are_read() {
        let v = parse("{type: 'bar', data: {labels: ['a', 'b',], datasets: [{data: [1, 2]}]},}")
            .unwrap();
        assert_eq!(v["type"], "bar");
        assert_eq!(v["data"]["labels"], json!(["a", "b"]));
        let v = parse("// a comment\n{ /* here too */ type: \"line\" }").unwrap();
        assert_eq!(v["type"], "line");
    }

    #[test]
    fn functions_become_their_source() {
        let v = parse(
            "{options: {scales: {yAxes: [{ticks: {callback: function(value) { return '$' + value; }}}]}}}",
        )
        .unwrap();
        assert_eq!(
            v["options"]["scales"]["yAxes"][0]["ticks"]["callback"],
            "function(value) { return '$' + value; }"
        );
        let v = parse("{a: (v, i) => v + '%', b: 2, c: x => { return {y: x}; }, d: [v => v * 2]}")
            .unwrap();
        assert_eq!(v["a"], "(v, i) => v + '%'");
        assert_eq!(v["b"], 2);
        assert_eq!(v["c"], "x => { return {y: x}; }");
        assert_eq!(v["d"], json!(["v => v * 2"]));
        let v = parse(r#"{"f":async function named(a) { return "}" },"g":1}"#).unwrap();
        assert_eq!(v["f"], r#"async function named(a) { return "}" }"#);
        assert_eq!(v["g"], 1);
    }

    #[test]
    fn strings_that_mention_functions_are_left_alone() {
        let v = parse("{label: 'function => not code', n: 'functions'}").unwrap();
        assert_eq!(v["label"], "function => not code");
        assert_eq!(v["n"], "functions");
    }

    #[test]
    fn depth_is_bounded() {
        let deep = "[".repeat(MAX_DEPTH + 1);
        assert_eq!(parse(&deep), Err(LiteralError::TooDeep));
        let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn garbage_is_an_error_never_a_panic() {
        for text in [
            "",
            "{",
            "}",
            "'",
            "`",
            "/*",
            "=>",
            "function",
            "{a: =>}",
            "{a: function(",
            "é{",
            "{a: 'é', b: x => 'ü'}",
            "[1,,2]",
            "\u{0}",
            "{a: (}",
            "((((",
        ] {
            let _ = parse(text);
        }
    }

    #[test]
    fn pathological_texts_take_linear_time() {
        // Each pattern repeated to ~1 MB: a quadratic pass would take minutes here.
        for pattern in [
            "=>",
            "(",
            "function ",
            "function(",
            "{",
            "a: x => (",
            "[v => v, ",
            "'",
            "/*",
            "//",
            "x=>{",
            "async ",
            "f: function(a) { return '}' + \"{\" }, ",
            ":=>,",
        ] {
            let text = pattern.repeat(1_000_000 / pattern.len());
            let started = std::time::Instant::now();
            let _ = quote_functions(&text);
            assert!(
                started.elapsed() < std::time::Duration::from_secs(2),
                "{pattern:?} took {:?}",
                started.elapsed()
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_read_or_refused_never_a_panic(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "{", "}", "[", "]", "(", ")", "'", "\"", "`", "\\", "/*", "*/", "//", "\n",
                    ":", ",", "=>", "function", "async", " ", "a", "1", "é", "{type: 'bar'}",
                    "x => x + '%'", "function(v) { return v; }",
                ]),
                0..40,
            )
        ) {
            let text: String = parts.concat();
            if let Ok(quoted) = quote_functions(&text) {
                // Only function sources are rewritten: quotes around each, escapes inside.
                proptest::prop_assert!(quoted.len() <= text.len() * 3 + 2);
            }
            let _ = parse(&text);
        }
    }
}
