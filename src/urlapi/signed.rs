//! Signed URLs (`URL_API_AUTH=signed`): a page embeds `GET /chart?…&key_id=<id>&sig=<hex>`
//! without exposing a key. `sig` is HMAC-SHA256 over the [canonical query](canonical_query),
//! keyed with the key's **signing secret**: the lowercase hex SHA-256 of the raw `cc_live_` key.
//! The key holder computes it from the key; the server holds exactly that digest (keys are
//! stored only as digests), so no new secret is stored, and the raw key never travels.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The query parameter carrying the signature.
pub const SIG_PARAM: &str = "sig";
/// The query parameter naming the key (`key_…`).
pub const KEY_ID_PARAM: &str = "key_id";

/// The canonical form of `pairs` (the decoded query parameters, `sig` left out): sorted by name
/// then value, each `name=value` percent-encoded (RFC 3986: only `A-Z a-z 0-9 - . _ ~` kept,
/// `%XX` in upper case otherwise), joined by `&`.
pub fn canonical_query(pairs: &[(String, String)]) -> String {
    let mut kept: Vec<(&str, &str)> = pairs
        .iter()
        .filter(|(k, _)| k != SIG_PARAM)
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    kept.sort_unstable();
    let mut out = String::new();
    for (i, (k, v)) in kept.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode(k, &mut out);
        out.push('=');
        encode(v, &mut out);
    }
    out
}

fn encode(s: &str, out: &mut String) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// `sig` (hex) for `canonical` under `secret` (the key's hex digest).
pub fn sign(secret: &str, canonical: &str) -> String {
    let Some(mut mac) = mac(secret) else {
        return String::new();
    };
    mac.update(canonical.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// HMAC-SHA256 keyed with `secret` (HMAC takes keys of any length, so this is always `Some`).
fn mac(secret: &str) -> Option<Hmac<Sha256>> {
    <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).ok()
}

/// Whether `sig` (hex) signs `canonical` under `secret`, compared in constant time.
pub fn verify(secret: &str, canonical: &str, sig: &str) -> bool {
    let (Some(bytes), Some(mut mac)) = (hex(sig), mac(secret)) else {
        return false;
    };
    mac.update(canonical.as_bytes());
    mac.verify_slice(&bytes).is_ok()
}

fn hex(s: &str) -> Option<Vec<u8>> {
    if s.len() != 64 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn canonical_form_is_sorted_encoded_and_leaves_sig_out() {
        let q = pairs(&[
            ("w", "200"),
            ("c", "{type:'bar'}"),
            ("sig", "x"),
            ("key_id", "key_1"),
        ]);
        assert_eq!(
            canonical_query(&q),
            "c=%7Btype%3A%27bar%27%7D&key_id=key_1&w=200"
        );
    }

    #[test]
    fn signatures_verify_and_tampering_fails() {
        let secret = "ab".repeat(32);
        let sig = sign(&secret, "c=1&key_id=k");
        assert!(verify(&secret, "c=1&key_id=k", &sig));
        assert!(!verify(&secret, "c=2&key_id=k", &sig));
        assert!(!verify(&"cd".repeat(32), "c=1&key_id=k", &sig));
        assert!(!verify(&secret, "c=1&key_id=k", "zz"));
        assert!(!verify(&secret, "c=1&key_id=k", &"é".repeat(32)));
    }
}
