//! The end of a plain JSON string (no escapes, no control characters), found a word at a time.

/// Where the plain string starting at `b[start]` ends (the index of its closing `"`), or `None`
/// when an escape or a raw control character comes first (the validator reads, or refuses, that
/// string) or the body ends. Eight bytes at a time: labels are most of a labelled series' bytes.
pub(super) fn plain_string_end(b: &[u8], start: usize) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    // Bytes below `n` (n <= 128) get their high bit set; the lowest flagged byte is exact.
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH;
    let zero = |x: u64| below(x, 1);
    let mut i = start;
    while let Some(chunk) = b.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let stops = zero(x ^ (ONES * u64::from(b'"')))
            | zero(x ^ (ONES * u64::from(b'\\')))
            | below(x, 0x20);
        if stops != 0 {
            i += (stops.trailing_zeros() / 8) as usize;
            return (b.get(i) == Some(&b'"')).then_some(i);
        }
        i += 8;
    }
    loop {
        match *b.get(i)? {
            b'"' => return Some(i),
            c if c == b'\\' || c < 0x20 => return None,
            _ => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_strings_end_where_a_byte_loop_says() {
        let naive = |b: &[u8], start: usize| {
            let rel = b
                .get(start..)?
                .iter()
                .position(|&c| c == b'"' || c == b'\\' || c < 0x20)?;
            (b[start + rel] == b'"').then_some(start + rel)
        };
        // Every stop byte at every offset of a word, after ASCII, UTF-8 and bytes near the masks'
        // edges (0x01, 0x1f, 0x20, 0x21, 0x5b, 0x5d, 0x7f, 0x80, 0xa0, 0xff).
        let fills: [&[u8]; 4] = [
            b"abcdefghijklmnopq",
            "東京한국🚀".as_bytes(),
            b"\x21\x20\x5b\x5d\x7f",
            &[0x80, 0xa0, 0xff, 0x23, 0x21, 0x01],
        ];
        for fill in fills {
            for len in 0..fill.len() {
                for stop in [b'"', b'\\', 0x00, 0x01, 0x1f, b'\n'] {
                    for tail in [&b""[..], b"\"", b"xyz\"", b"\x01\""] {
                        let mut b = vec![b'"'];
                        b.extend_from_slice(&fill[..len]);
                        b.push(stop);
                        b.extend_from_slice(tail);
                        assert_eq!(plain_string_end(&b, 1), naive(&b, 1), "{b:?}");
                    }
                }
                let mut b = vec![b'"'];
                b.extend_from_slice(&fill[..len]);
                assert_eq!(plain_string_end(&b, 1), None, "unterminated {b:?}");
            }
        }
    }
}
