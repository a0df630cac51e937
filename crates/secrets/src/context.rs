//! [`SealContext`]: the associated data that binds a ciphertext to its row and field.

use std::fmt;

/// Version tag at the start of every associated-data string.
const AAD_PREFIX: &str = "sellerlink/v1";

/// Names the place a sealed secret belongs to: record kind, record id and field.
///
/// Its bytes are the AES-GCM associated data of both the key wrap and the
/// payload, so a sealed value copied to another record or field does not open.
/// The format is `sellerlink/v1|{kind}|{id}|{field}`; `%` and `|` inside a
/// component are written as `%25` and `%7C`, so distinct contexts never share
/// the same bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SealContext {
    record_kind: String,
    record_id: String,
    field: String,
}

impl SealContext {
    /// Context for `field` of the record `record_kind`/`record_id`,
    /// e.g. `SealContext::new("connection", "42", "mws_auth_token")`.
    #[must_use]
    pub fn new(record_kind: &str, record_id: &str, field: &str) -> Self {
        Self {
            record_kind: record_kind.to_owned(),
            record_id: record_id.to_owned(),
            field: field.to_owned(),
        }
    }

    /// The kind of record, e.g. `connection`.
    #[must_use]
    pub fn record_kind(&self) -> &str {
        &self.record_kind
    }

    /// The record's id.
    #[must_use]
    pub fn record_id(&self) -> &str {
        &self.record_id
    }

    /// The field within the record, e.g. `mws_auth_token`.
    #[must_use]
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The associated-data bytes fed to AES-GCM.
    #[must_use]
    pub fn aad(&self) -> Vec<u8> {
        let mut aad = String::from(AAD_PREFIX);
        for part in [&self.record_kind, &self.record_id, &self.field] {
            aad.push('|');
            push_escaped(&mut aad, part);
        }
        aad.into_bytes()
    }
}

fn push_escaped(out: &mut String, part: &str) {
    for c in part.chars() {
        match c {
            '%' => out.push_str("%25"),
            '|' => out.push_str("%7C"),
            other => out.push(other),
        }
    }
}

impl fmt::Display for SealContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "field {} of {} {}",
            self.field, self.record_kind, self.record_id
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aad_has_the_documented_layout() {
        let ctx = SealContext::new("connection", "42", "mws_auth_token");
        assert_eq!(ctx.aad(), b"sellerlink/v1|connection|42|mws_auth_token");
    }

    #[test]
    fn separators_inside_components_cannot_collide() {
        let a = SealContext::new("a|b", "c", "d");
        let b = SealContext::new("a", "b|c", "d");
        let c = SealContext::new("a%7Cb", "c", "d");
        assert_ne!(a.aad(), b.aad());
        assert_ne!(a.aad(), c.aad());
        assert_eq!(a.aad(), b"sellerlink/v1|a%7Cb|c|d");
    }

    #[test]
    fn display_names_field_and_record() {
        let ctx = SealContext::new("connection", "42", "mws_auth_token");
        assert_eq!(ctx.to_string(), "field mws_auth_token of connection 42");
    }
}
