//! The fast path for big series: JSON bytes → [`ChartSpec`] without a `serde_json::Value` for
//! the long `data` arrays.
//!
//! Read as loose JSON, every number costs a 32-byte `Value` and a million of them ~125 ms. For
//! bodies of [`FAST_PATH_MIN_BYTES`] or more, a scanner walks the bytes once and reads every
//! `/data/datasets/<i>/data` array made only of plain numbers, `null`s and `{"x": n, "y": n}`
//! objects straight into [`DataPoint`]s, cutting it out of the document (it becomes `[]`). The
//! rest of the body — the skeleton — goes through the one validator as usual, and the arrays
//! are put back into the validated datasets. What was cut needs no checking: finite JSON
//! numbers, `null` and two-number points are exactly what the validator accepts silently.
//!
//! The scanner gives an array (or the whole body) back to the general path whenever it is
//! unsure: escaped or repeated keys on the way to the data, elements of any other shape, numbers
//! it cannot read bit-for-bit as serde_json does. Errors always come from the general path: a
//! skeleton that is not valid JSON, or that the validator refuses, is re-read whole, so every
//! message, JSON pointer, line and column is exactly what the general path reports.

use super::validate::{from_value, parse_json};
use super::{ChartSpec, DataPoint, ErrorCode, MAX_POINTS, SpecError, SpecErrors};
use crate::numfmt::group_thousands;
use serde_json::Value;

/// Bodies smaller than this take the general path: they are cheap to read as loose JSON, and the
/// small charts that make up most traffic keep exactly one code path.
pub const FAST_PATH_MIN_BYTES: usize = 64 * 1024;
/// Deepest nesting the scanner follows before leaving the body to serde_json (whose own limit
/// is 128).
const MAX_DEPTH: usize = 100;
/// Longest run of digits read directly: 19 digits always fit a `u64`.
const MAX_DIGITS: usize = 19;
/// Largest significand converted directly: above 2^53 an `f64` cannot hold it exactly.
const MAX_EXACT_SIGNIFICAND: u64 = 1 << 53;
/// Exact powers of ten: with an exact significand, one division by one of these is the
/// correctly rounded result, as serde_json computes it.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Parses a request body (JSON bytes) into a validated [`ChartSpec`], reading long numeric
/// series without building loose JSON for them.
///
/// # Errors
///
/// Exactly those of the general path ([`parse_json`] then [`from_value`]), preceded by the
/// total-points check ([`check_points`]).
pub(super) fn parse_spec(bytes: &[u8]) -> Result<ChartSpec, SpecErrors> {
    if bytes.len() >= FAST_PATH_MIN_BYTES
        && let Some(cuts) = Scanner::scan(bytes)
        && !cuts.is_empty()
        && let Some(result) = with_cuts(bytes, cuts)
    {
        return result;
    }
    general(bytes)
}

/// The general path: loose JSON, the points limit, then the validator.
fn general(bytes: &[u8]) -> Result<ChartSpec, SpecErrors> {
    let value = parse_json(bytes)?;
    check_points(&value, 0)?;
    from_value(&value)
}

/// Validates the skeleton and puts the cut arrays back; `None` sends the body to the general
/// path (for its error messages).
fn with_cuts(bytes: &[u8], cuts: Vec<Cut>) -> Option<Result<ChartSpec, SpecErrors>> {
    let mut skeleton = Vec::with_capacity(
        bytes.len() - cuts.iter().map(|c| c.end - c.start).sum::<usize>() + 2 * cuts.len(),
    );
    let mut from = 0;
    for cut in &cuts {
        skeleton.extend_from_slice(bytes.get(from..cut.start)?);
        skeleton.extend_from_slice(b"[]");
        from = cut.end;
    }
    skeleton.extend_from_slice(bytes.get(from..)?);
    let value: Value = serde_json::from_slice(&skeleton).ok()?;
    let cut_points = cuts
        .iter()
        .map(|c| c.len)
        .fold(0usize, usize::saturating_add);
    if let Err(e) = check_points(&value, cut_points) {
        return Some(Err(e));
    }
    let mut spec = from_value(&value).ok()?;
    for cut in cuts {
        spec.datasets.get_mut(cut.dataset)?.data = cut.points;
    }
    Some(Ok(spec))
}

/// Refuses a spec whose datasets hold more than [`MAX_POINTS`] points in all (`extra` are points
/// already read elsewhere), before any of them is validated.
///
/// # Errors
///
/// The one limit error, at `/data/datasets`.
pub(super) fn check_points(value: &Value, extra: usize) -> Result<(), SpecErrors> {
    let total = value
        .pointer("/data/datasets")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|d| d.get("data").and_then(Value::as_array).map(Vec::len))
        .fold(extra, usize::saturating_add);
    if total > MAX_POINTS {
        return Err(SpecErrors::one(too_many_points(total)));
    }
    Ok(())
}

/// The error for a chart with `total` points, more than [`MAX_POINTS`].
pub(super) fn too_many_points(total: usize) -> SpecError {
    SpecError::new(
        ErrorCode::ValidationError,
        "/data/datasets",
        format!(
            "{} data points in all is more than the limit of {} per chart",
            group_thousands(&total.to_string()),
            group_thousands(&MAX_POINTS.to_string())
        ),
    )
    .with_hint(
        "aggregate or sample the series before sending it: the chart has fewer pixels than that",
    )
}

/// One array read by the scanner: where it was and what it holds.
struct Cut {
    /// Index of its dataset in `data.datasets`.
    dataset: usize,
    /// Byte range of the array, brackets included.
    start: usize,
    end: usize,
    /// How many elements it has.
    len: usize,
    /// Its points; empty when the running total passed [`MAX_POINTS`] (only counted then).
    points: Vec<DataPoint>,
}

/// The byte walker. Every method returns `None` when the scanner is unsure (which includes
/// malformed JSON): the caller then gives the value, or the body, to serde_json.
struct Scanner<'a> {
    b: &'a [u8],
    pos: usize,
    depth: usize,
    cuts: Vec<Cut>,
    /// Points read so far, over all cuts.
    total: usize,
}

impl<'a> Scanner<'a> {
    /// The arrays that can be read directly, or `None` to leave the whole body to serde_json.
    fn scan(b: &'a [u8]) -> Option<Vec<Cut>> {
        let mut s = Scanner {
            b,
            pos: 0,
            depth: 0,
            cuts: Vec::new(),
            total: 0,
        };
        s.ws();
        if s.peek()? != b'{' {
            return None;
        }
        let mut seen = false;
        s.object(|s, key| match key {
            Some(b"data") if !seen => {
                seen = true;
                s.data()
            }
            Some(b"data") | None => None,
            Some(_) => s.skip(),
        })?;
        Some(s.cuts)
    }

    /// `data`: its `datasets`.
    fn data(&mut self) -> Option<()> {
        if self.peek()? != b'{' {
            return self.skip();
        }
        let mut seen = false;
        self.object(|s, key| match key {
            Some(b"datasets") if !seen => {
                seen = true;
                s.datasets()
            }
            Some(b"datasets") | None => None,
            Some(_) => s.skip(),
        })
    }

    /// `data.datasets`: each dataset object.
    fn datasets(&mut self) -> Option<()> {
        if self.peek()? != b'[' {
            return self.skip();
        }
        self.array(|s, i| {
            if s.peek()? == b'{' {
                s.dataset(i)
            } else {
                s.skip()
            }
        })
    }

    /// One dataset: its `data` array is read directly when it can be.
    fn dataset(&mut self, index: usize) -> Option<()> {
        let mut seen = false;
        self.object(|s, key| match key {
            Some(b"data") if !seen => {
                seen = true;
                s.series(index)
            }
            Some(b"data") | None => None,
            Some(_) => s.skip(),
        })
    }

    /// A dataset's `data`: read as points, or skipped (left in the skeleton) when it holds
    /// anything else.
    fn series(&mut self, dataset: usize) -> Option<()> {
        let (start, depth) = (self.pos, self.depth);
        if self.peek()? == b'[' {
            let budget = MAX_POINTS.saturating_sub(self.total);
            if let Some((len, points)) = self.points(budget) {
                self.total = self.total.saturating_add(len);
                self.cuts.push(Cut {
                    dataset,
                    start,
                    end: self.pos,
                    len,
                    points,
                });
                return Some(());
            }
            (self.pos, self.depth) = (start, depth);
        }
        self.skip()
    }

    /// An array of numbers, `null`s and `{x, y}` points. Past `budget` points they are only
    /// counted (the chart is refused for its size; memory must not grow with the body).
    fn points(&mut self, budget: usize) -> Option<(usize, Vec<DataPoint>)> {
        let mut out = Vec::with_capacity(self.element_estimate().min(budget));
        let mut len = 0usize;
        self.pos += 1; // '['
        self.ws();
        if self.peek()? == b']' {
            self.pos += 1;
            return Some((0, out));
        }
        loop {
            self.ws();
            let point = match self.peek()? {
                b'n' => {
                    self.literal(b"null")?;
                    DataPoint::Missing
                }
                b'{' => self.xy()?,
                _ => DataPoint::Value(self.number()?),
            };
            if len < budget {
                out.push(point);
            } else if len == budget {
                out = Vec::new();
            }
            len += 1;
            self.ws();
            match self.next()? {
                b',' => {}
                b']' => return Some((len, out)),
                _ => return None,
            }
        }
    }

    /// An upper bound on the elements of the array at the cursor, from its commas up to the
    /// first `]` (the arrays read here hold no brackets), so the points vector is allocated
    /// once instead of growing (and copying) a dozen times. Two commas per element for `{x, y}`
    /// points: at most twice the need, freed with the spec.
    fn element_estimate(&self) -> usize {
        let rest = self.b.get(self.pos..).unwrap_or_default();
        let end = memchr::memchr(b']', rest).unwrap_or(rest.len());
        memchr::memchr_iter(b',', &rest[..end]).count() + 1
    }

    /// `{"x": n, "y": n}` (either order, nothing else).
    fn xy(&mut self) -> Option<DataPoint> {
        let (mut x, mut y) = (None, None);
        self.object(|s, key| {
            let slot = match key? {
                b"x" if x.is_none() => &mut x,
                b"y" if y.is_none() => &mut y,
                _ => return None,
            };
            *slot = Some(s.number()?);
            Some(())
        })?;
        Some(DataPoint::Point { x: x?, y: y? })
    }

    /// A JSON number, converted exactly as serde_json converts it (then `as_f64`).
    fn number(&mut self) -> Option<f64> {
        let b = self.b;
        let start = self.pos;
        let mut i = start;
        let negative = b.get(i) == Some(&b'-');
        if negative {
            i += 1;
        }
        let mut significand: u64 = 0;
        let mut digits = 0usize;
        let mut read_digits = |i: &mut usize, digits: &mut usize| {
            while let Some(&d @ b'0'..=b'9') = b.get(*i) {
                *digits += 1;
                if *digits <= MAX_DIGITS {
                    significand = significand * 10 + u64::from(d - b'0');
                }
                *i += 1;
            }
        };
        match b.get(i) {
            Some(b'0') => {
                i += 1;
                digits = 1;
            }
            Some(b'1'..=b'9') => read_digits(&mut i, &mut digits),
            _ => return None,
        }
        let mut fraction = 0usize;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let before = digits;
            read_digits(&mut i, &mut digits);
            fraction = digits - before;
            if fraction == 0 {
                return None;
            }
        }
        let simple = digits <= MAX_DIGITS
            && !matches!(b.get(i), Some(b'e' | b'E'))
            && (fraction == 0 || significand <= MAX_EXACT_SIGNIFICAND);
        let value = if simple {
            let pow = *POW10.get(fraction)?;
            // Integers: `u64 as f64`, as serde_json's `as_f64`; fractions: one exact division.
            let magnitude = if fraction == 0 {
                significand as f64
            } else {
                significand as f64 / pow
            };
            if negative { -magnitude } else { magnitude }
        } else {
            // Long or exponent forms: let serde_json read this one token.
            while let Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-') = b.get(i) {
                i += 1;
            }
            serde_json::from_slice::<f64>(b.get(start..i)?).ok()?
        };
        // A number must end at a delimiter (`01` or `1x` is not one number).
        if !matches!(
            b.get(i),
            Some(b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r') | None
        ) {
            return None;
        }
        self.pos = i;
        value.is_finite().then_some(value)
    }

    /// The members of an object (the cursor is on `{`): `member` is called with each key
    /// (`None` when it has escapes) and the cursor on the value.
    fn object(
        &mut self,
        mut member: impl FnMut(&mut Self, Option<&'a [u8]>) -> Option<()>,
    ) -> Option<()> {
        self.enter()?;
        self.pos += 1; // '{'
        self.ws();
        if self.peek()? == b'}' {
            self.pos += 1;
            self.depth -= 1;
            return Some(());
        }
        loop {
            self.ws();
            let key = self.string()?;
            self.ws();
            if self.next()? != b':' {
                return None;
            }
            self.ws();
            member(self, key)?;
            self.ws();
            match self.next()? {
                b',' => {}
                b'}' => break,
                _ => return None,
            }
        }
        self.depth -= 1;
        Some(())
    }

    /// The elements of an array (the cursor is on `[`): `element` is called with each index and
    /// the cursor on the element.
    fn array(&mut self, mut element: impl FnMut(&mut Self, usize) -> Option<()>) -> Option<()> {
        self.enter()?;
        self.pos += 1; // '['
        self.ws();
        if self.peek()? == b']' {
            self.pos += 1;
            self.depth -= 1;
            return Some(());
        }
        let mut index = 0;
        loop {
            self.ws();
            element(self, index)?;
            index += 1;
            self.ws();
            match self.next()? {
                b',' => {}
                b']' => break,
                _ => return None,
            }
        }
        self.depth -= 1;
        Some(())
    }

    /// Skips any value (leniently: serde_json checks the skeleton).
    fn skip(&mut self) -> Option<()> {
        match self.peek()? {
            b'{' => self.object(|s, _| s.skip()),
            b'[' => self.array(|s, _| s.skip()),
            b'"' => self.string().map(|_| ()),
            _ => {
                let b = self.b;
                while let Some(c) = b.get(self.pos) {
                    if matches!(c, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r') {
                        break;
                    }
                    self.pos += 1;
                }
                Some(())
            }
        }
    }

    /// A string (the cursor is on `"`): its raw contents, `None` inside when it has escapes.
    fn string(&mut self) -> Option<Option<&'a [u8]>> {
        let b = self.b;
        if b.get(self.pos) != Some(&b'"') {
            return None;
        }
        let start = self.pos + 1;
        let mut i = start;
        let mut escaped = false;
        loop {
            match b.get(i)? {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    i += 2;
                }
                _ => i += 1,
            }
        }
        self.pos = i + 1;
        Some((!escaped).then(|| b.get(start..i)).flatten())
    }

    /// Exactly `word` (`null`).
    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.pos + word.len();
        (self.b.get(self.pos..end)? == word).then(|| self.pos = end)
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body past the fast-path threshold: `data` padded by a long label.
    fn big(data: &str) -> Vec<u8> {
        let pad = "x".repeat(FAST_PATH_MIN_BYTES);
        format!(
            r#"{{"type":"line","data":{{"labels":["{pad}"],"datasets":[{{"label":"a","data":{data}}}]}}}}"#
        )
        .into_bytes()
    }

    fn general_of(bytes: &[u8]) -> Result<ChartSpec, SpecErrors> {
        general(bytes)
    }

    #[test]
    fn numbers_read_exactly_as_serde_json() {
        let tokens = [
            "0",
            "-0",
            "1",
            "-1",
            "12.5",
            "0.1",
            "0.30000000000000004",
            "123456789012345678",
            "9007199254740993",
            "18446744073709551615",
            "1e3",
            "1.5E-7",
            "-2.25e+2",
            "1e308",
            "3.141592653589793238462643",
            "0.000001",
            "99999999999999999999",
            "1.7976931348623157e308",
        ];
        for t in tokens {
            assert_reads_like_serde_json(t);
        }
    }

    /// The scanner reads the number token `t` to the same bits as serde_json.
    fn assert_reads_like_serde_json(t: &str) {
        let json = format!("[{t}]");
        let mut s = Scanner {
            b: json.as_bytes(),
            pos: 1,
            depth: 0,
            cuts: Vec::new(),
            total: 0,
        };
        let ours = s.number().unwrap();
        let theirs = serde_json::from_str::<Value>(t).unwrap().as_f64().unwrap();
        assert_eq!(ours.to_bits(), theirs.to_bits(), "{t}");
    }

    #[test]
    fn random_numbers_read_exactly_as_serde_json() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            seed >> 11
        };
        for k in 0..50_000u64 {
            let int = next() % 10u64.pow((k % 12) as u32 + 1);
            let frac_digits = (next() % 12) as usize;
            let frac = next() % 10u64.pow(frac_digits as u32);
            let sign = if next() % 3 == 0 { "-" } else { "" };
            let t = if frac_digits == 0 {
                format!("{sign}{int}")
            } else {
                format!("{sign}{int}.{frac:0frac_digits$}")
            };
            assert_reads_like_serde_json(&t);
        }
    }

    #[test]
    fn fast_and_general_paths_agree() {
        let data = r#"[1, 2.5, null, -3e2, {"x": 1, "y": 2}, {"y": 4, "x": 3}, 0.1]"#;
        let body = big(data);
        let cuts = Scanner::scan(&body).unwrap();
        assert_eq!(cuts.len(), 1, "the array is read directly");
        assert_eq!(parse_spec(&body), general_of(&body));
    }

    #[test]
    fn unusual_arrays_take_the_general_path_with_the_same_errors() {
        for data in [
            r#"[1, "2", 3]"#,
            r#"[1, true]"#,
            r#"[{"x": 1}]"#,
            r#"[{"x": 1, "y": 2, "r": 3}]"#,
            r#"[{"date": "2026-01-01", "value": 3}]"#,
            r#"[1e999]"#,
            r#"[01]"#,
            r#"[1,]"#,
            r#"[1 2]"#,
            r#"{"a": 1}"#,
        ] {
            let body = big(data);
            assert_eq!(parse_spec(&body), general_of(&body), "{data}");
        }
        // Malformed after the array: the general path's line and column.
        let mut body = big("[1, 2, 3]");
        body.pop();
        assert!(parse_spec(&body).is_err());
        assert_eq!(parse_spec(&body), general_of(&body));
    }

    #[test]
    fn repeated_or_escaped_keys_leave_the_body_to_serde() {
        let pad = "x".repeat(FAST_PATH_MIN_BYTES);
        for body in [
            format!(
                r#"{{"type":"line","data":{{"labels":["{pad}"],"datasets":[{{"data":[1],"data":[2,3]}}]}}}}"#
            ),
            format!(
                r#"{{"type":"line","d\u0061ta":{{}},"data":{{"labels":["{pad}"],"datasets":[{{"data":[1]}}]}}}}"#
            ),
        ] {
            assert_eq!(parse_spec(body.as_bytes()), general_of(body.as_bytes()));
        }
    }

    #[test]
    fn the_points_limit_is_checked_before_reading() {
        let err = check_points(
            &serde_json::json!({"data": {"datasets": [{"data": [1, 2]}]}}),
            MAX_POINTS,
        )
        .unwrap_err();
        assert_eq!(err.errors.len(), 1);
        assert_eq!(err.errors[0].path, "/data/datasets");
        assert!(
            err.errors[0].message.contains("10,000,000"),
            "{}",
            err.errors[0].message
        );
        assert!(err.errors[0].hint.is_some());
    }
}
