//! Signature Version 2 (`docs/amazon/MWS.md#signature-version-2`): canonical query, string to
//! sign, HMAC, and the server-side check that accepts the host with or without its `:port`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// RFC 3986 unreserved characters stay; everything else is `%XY` with uppercase hex.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The HMAC used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureMethod {
    /// `HmacSHA256` (recommended).
    HmacSha256,
    /// `HmacSHA1`.
    HmacSha1,
}

impl SignatureMethod {
    /// Parses the `SignatureMethod` parameter.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "HmacSHA256" => Some(Self::HmacSha256),
            "HmacSHA1" => Some(Self::HmacSha1),
            _ => None,
        }
    }
}

/// Percent-encodes per RFC 3986 (space → `%20`, `*` → `%2A`, `~` kept).
pub fn encode(text: &str) -> String {
    utf8_percent_encode(text, RFC3986).to_string()
}

/// The canonical query: every pair but `Signature`, sorted by name (byte order), encoded, joined.
pub fn canonical_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut sorted: Vec<(&str, &str)> = pairs
        .into_iter()
        .filter(|(k, _)| *k != "Signature")
        .collect();
    sorted.sort_by(|a, b| {
        a.0.as_bytes()
            .cmp(b.0.as_bytes())
            .then_with(|| a.1.as_bytes().cmp(b.1.as_bytes()))
    });
    let mut out = String::with_capacity(sorted.len() * 32);
    for (i, (k, v)) in sorted.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(&encode(k));
        out.push('=');
        out.push_str(&encode(v));
    }
    out
}

/// `VERB\nhost\n/path\ncanonical-query`, with the host lowercased and an empty path as `/`.
pub fn string_to_sign(method: &str, host: &str, path: &str, canonical: &str) -> String {
    let path = if path.is_empty() { "/" } else { path };
    format!(
        "{method}\n{}\n{path}\n{canonical}",
        host.to_ascii_lowercase()
    )
}

/// Base64 of the HMAC of `message` keyed with `secret`.
pub fn sign(secret: &str, method: SignatureMethod, message: &str) -> String {
    match method {
        SignatureMethod::HmacSha256 => {
            let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes())
                .expect("HMAC takes keys of any length");
            mac.update(message.as_bytes());
            STANDARD.encode(mac.finalize().into_bytes())
        }
        SignatureMethod::HmacSha1 => {
            let mut mac = Hmac::<sha1::Sha1>::new_from_slice(secret.as_bytes())
                .expect("HMAC takes keys of any length");
            mac.update(message.as_bytes());
            STANDARD.encode(mac.finalize().into_bytes())
        }
    }
}

fn verify_one(secret: &str, method: SignatureMethod, message: &str, signature: &[u8]) -> bool {
    match method {
        SignatureMethod::HmacSha256 => {
            let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes())
                .expect("HMAC takes keys of any length");
            mac.update(message.as_bytes());
            mac.verify_slice(signature).is_ok()
        }
        SignatureMethod::HmacSha1 => {
            let mut mac = Hmac::<sha1::Sha1>::new_from_slice(secret.as_bytes())
                .expect("HMAC takes keys of any length");
            mac.update(message.as_bytes());
            mac.verify_slice(signature).is_ok()
        }
    }
}

/// The host forms a signature may have used: as sent, and without its `:port`.
pub fn host_variants(host: &str) -> Vec<String> {
    let host = host.trim().to_ascii_lowercase();
    let mut variants = vec![host.clone()];
    // Strip a trailing :port (but not inside an IPv6 literal's brackets).
    if let Some(colon) = host.rfind(':') {
        let after = &host[colon + 1..];
        if !after.is_empty()
            && after.bytes().all(|b| b.is_ascii_digit())
            && !host[..colon].ends_with(':')
        {
            variants.push(host[..colon].to_owned());
        }
    }
    variants
}

/// Whether `signature` (base64) signs the request for any accepted host form. Comparison is
/// constant-time.
pub fn verify(
    secret: &str,
    method: SignatureMethod,
    http_method: &str,
    host: &str,
    path: &str,
    canonical: &str,
    signature: &str,
) -> bool {
    let Ok(given) = STANDARD.decode(signature.trim()) else {
        return false;
    };
    host_variants(host).iter().any(|h| {
        verify_one(
            secret,
            method,
            &string_to_sign(http_method, h, path, canonical),
            &given,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_forms() {
        assert_eq!(
            host_variants("LocalHost:8443"),
            vec!["localhost:8443".to_owned(), "localhost".to_owned()]
        );
        assert_eq!(
            host_variants("mws.amazonservices.jp"),
            vec!["mws.amazonservices.jp".to_owned()]
        );
    }

    #[test]
    fn encoding_edge_cases() {
        assert_eq!(
            encode("a b~c*d+e/f=g&h:注文"),
            "a%20b~c%2Ad%2Be%2Ff%3Dg%26h%3A%E6%B3%A8%E6%96%87"
        );
    }
}
