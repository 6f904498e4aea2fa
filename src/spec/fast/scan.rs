//! The fast path's byte scanner: finds `/data/datasets/<i>/data` arrays of plain numbers,
//! `null`s and `{"x": n, "y": n}` objects and reads them straight into [`DataPoint`]s, numbers
//! bit-for-bit as serde_json reads them, and a `/data/labels` array of plain strings (no escapes)
//! straight into one [`Labels`] column.

use crate::spec::{DataPoint, Labels, MAX_POINTS};
use plain::plain_string_end;

mod plain;

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

/// One array read by the scanner: where it was and what it holds.
pub(super) struct Cut {
    /// Byte range of the array, brackets included.
    pub(super) start: usize,
    pub(super) end: usize,
    /// What it held.
    pub(super) column: Column,
}

/// The contents of a [`Cut`].
pub(super) enum Column {
    /// A dataset's `data`.
    Points {
        /// Index of its dataset in `data.datasets`.
        dataset: usize,
        /// How many elements it has.
        len: usize,
        /// Its points; empty when the running total passed [`MAX_POINTS`] (only counted then).
        points: Vec<DataPoint>,
    },
    /// `data.labels`, every one a string without escapes.
    Labels(Labels),
}

/// The byte walker. Every method returns `None` when the scanner is unsure (which includes
/// malformed JSON): the caller then gives the value, or the body, to serde_json.
pub(super) struct Scanner<'a> {
    b: &'a [u8],
    pos: usize,
    depth: usize,
    cuts: Vec<Cut>,
    /// Points read so far, over all cuts.
    total: usize,
}

impl<'a> Scanner<'a> {
    /// The arrays that can be read directly, or `None` to leave the whole body to serde_json.
    pub(super) fn scan(b: &'a [u8]) -> Option<Vec<Cut>> {
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
        let (mut seen, mut seen_labels) = (false, false);
        self.object(|s, key| match key {
            Some(b"datasets") if !seen => {
                seen = true;
                s.datasets()
            }
            Some(b"labels") if !seen_labels => {
                seen_labels = true;
                s.labels()
            }
            Some(b"datasets" | b"labels") | None => None,
            Some(_) => s.skip(),
        })
    }

    /// `data.labels`: read as strings, or skipped (left in the skeleton) when it holds anything
    /// but strings without escapes, or more than [`MAX_POINTS`] of them (the validator words
    /// that error).
    fn labels(&mut self) -> Option<()> {
        let (start, depth) = (self.pos, self.depth);
        if self.peek()? == b'[' {
            if let Some(labels) = self.strings() {
                self.cuts.push(Cut {
                    start,
                    end: self.pos,
                    column: Column::Labels(labels),
                });
                return Some(());
            }
            (self.pos, self.depth) = (start, depth);
        }
        self.skip()
    }

    /// An array of strings without escapes or control characters, valid UTF-8, at most
    /// [`MAX_POINTS`] of them. The bytes go into one buffer, checked as UTF-8 once at the end.
    fn strings(&mut self) -> Option<Labels> {
        let b = self.b;
        let count = self.element_estimate().min(MAX_POINTS);
        let mut text: Vec<u8> = Vec::with_capacity(count.saturating_mul(16));
        let mut ends: Vec<usize> = Vec::with_capacity(count);
        self.pos += 1; // '['
        self.ws();
        if self.peek()? != b']' {
            loop {
                self.ws();
                if b.get(self.pos) != Some(&b'"') || ends.len() == MAX_POINTS {
                    return None;
                }
                let start = self.pos + 1;
                let i = plain_string_end(b, start)?;
                text.extend_from_slice(b.get(start..i)?);
                ends.push(text.len());
                self.pos = i + 1;
                self.ws();
                match self.next()? {
                    b',' => {}
                    b']' => break,
                    _ => return None,
                }
            }
        } else {
            self.pos += 1;
        }
        let text = String::from_utf8(text).ok()?;
        // Each label must be valid alone: a sequence split over two labels is not.
        if !ends.iter().all(|&e| text.is_char_boundary(e)) {
            return None;
        }
        Some(Labels::from_parts(text, ends))
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
                    start,
                    end: self.pos,
                    column: Column::Points {
                        dataset,
                        len,
                        points,
                    },
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
    use serde_json::Value;

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
}
