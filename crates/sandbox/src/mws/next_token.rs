//! Opaque NextTokens: base64 of a compact binary cursor followed by a truncated HMAC with a key
//! generated per sandbox start, so forged, altered or foreign tokens are refused
//! (`NextTokenCorrupted`).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};

const VERSION: u8 = 1;
const TAG_LEN: usize = 16;

/// What kind of listing a token continues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum TokenKind {
    /// ListOrders.
    Orders = 1,
    /// ListOrderItems.
    OrderItems = 2,
    /// GetFeedSubmissionList.
    FeedSubmissions = 3,
}

/// Appends fields to a cursor.
#[derive(Debug, Default)]
pub struct Writer {
    bytes: Vec<u8>,
}

impl Writer {
    /// A byte.
    pub fn u8(&mut self, v: u8) -> &mut Self {
        self.bytes.push(v);
        self
    }

    /// A signed 64-bit number.
    pub fn i64(&mut self, v: i64) -> &mut Self {
        self.bytes.extend_from_slice(&v.to_be_bytes());
        self
    }

    /// A string (up to 65535 bytes).
    pub fn str(&mut self, v: &str) -> &mut Self {
        let len = v.len().min(usize::from(u16::MAX));
        self.bytes.extend_from_slice(&(len as u16).to_be_bytes());
        self.bytes.extend_from_slice(&v.as_bytes()[..len]);
        self
    }

    /// An optional string.
    pub fn opt_str(&mut self, v: Option<&str>) -> &mut Self {
        match v {
            Some(s) => self.u8(1).str(s),
            None => self.u8(0),
        }
    }

    /// A list of strings (up to 255).
    pub fn strs<'a>(&mut self, list: impl IntoIterator<Item = &'a str>) -> &mut Self {
        let items: Vec<&str> = list.into_iter().take(255).collect();
        self.u8(items.len() as u8);
        for s in items {
            self.str(s);
        }
        self
    }
}

/// Reads fields back in the order they were written.
#[derive(Debug)]
pub struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    /// A byte.
    pub fn u8(&mut self) -> Option<u8> {
        let (&b, rest) = self.bytes.split_first()?;
        self.bytes = rest;
        Some(b)
    }

    /// A signed 64-bit number.
    pub fn i64(&mut self) -> Option<i64> {
        let (head, rest) = self.bytes.split_at_checked(8)?;
        self.bytes = rest;
        Some(i64::from_be_bytes(head.try_into().ok()?))
    }

    /// A string.
    pub fn str(&mut self) -> Option<String> {
        let (len, rest) = self.bytes.split_at_checked(2)?;
        let len = usize::from(u16::from_be_bytes([len[0], len[1]]));
        let (text, rest) = rest.split_at_checked(len)?;
        self.bytes = rest;
        String::from_utf8(text.to_vec()).ok()
    }

    /// An optional string.
    pub fn opt_str(&mut self) -> Option<Option<String>> {
        match self.u8()? {
            0 => Some(None),
            1 => self.str().map(Some),
            _ => None,
        }
    }

    /// A list of strings.
    pub fn strs(&mut self) -> Option<Vec<String>> {
        let n = self.u8()?;
        (0..n).map(|_| self.str()).collect()
    }

    /// Whether every byte was read.
    pub fn is_done(&self) -> bool {
        self.bytes.is_empty()
    }
}

fn tag(key: &[u8; 32], data: &[u8]) -> [u8; TAG_LEN] {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(data);
    let full = mac.finalize().into_bytes();
    let mut out = [0u8; TAG_LEN];
    out.copy_from_slice(&full[..TAG_LEN]);
    out
}

/// Seals a cursor into a token.
pub fn seal(key: &[u8; 32], kind: TokenKind, cursor: Writer) -> String {
    let mut data = Vec::with_capacity(cursor.bytes.len() + 2 + TAG_LEN);
    data.push(VERSION);
    data.push(kind as u8);
    data.extend_from_slice(&cursor.bytes);
    let t = tag(key, &data);
    data.extend_from_slice(&t);
    STANDARD.encode(data)
}

/// Opens a token of `kind`; `None` if it is malformed, forged or of another kind.
pub fn open(key: &[u8; 32], kind: TokenKind, token: &str) -> Option<Vec<u8>> {
    let data = STANDARD.decode(token.trim()).ok()?;
    if data.len() < 2 + TAG_LEN {
        return None;
    }
    let (body, given) = data.split_at(data.len() - TAG_LEN);
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(body);
    mac.verify_truncated_left(given).ok()?;
    if body[0] != VERSION || body[1] != kind as u8 {
        return None;
    }
    Some(body[2..].to_vec())
}

/// A reader over an opened cursor.
pub fn reader(bytes: &[u8]) -> Reader<'_> {
    Reader { bytes }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_forgery() {
        let key = [7u8; 32];
        let mut w = Writer::default();
        w.str("A1").i64(-5).opt_str(None).strs(["x", "y"]);
        let token = seal(&key, TokenKind::Orders, w);
        let bytes = open(&key, TokenKind::Orders, &token).unwrap();
        let mut r = reader(&bytes);
        assert_eq!(r.str().unwrap(), "A1");
        assert_eq!(r.i64().unwrap(), -5);
        assert_eq!(r.opt_str().unwrap(), None);
        assert_eq!(r.strs().unwrap(), vec!["x", "y"]);
        assert!(r.is_done());
        assert!(open(&key, TokenKind::OrderItems, &token).is_none());
        assert!(open(&[8u8; 32], TokenKind::Orders, &token).is_none());
        let mut raw = STANDARD.decode(&token).unwrap();
        raw[3] ^= 1;
        assert!(open(&key, TokenKind::Orders, &STANDARD.encode(raw)).is_none());
        assert!(open(&key, TokenKind::Orders, "not base64!").is_none());
    }
}
