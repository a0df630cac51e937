//! Percent-encoding for SP-API URLs: path segments (SKUs, order ids) and query values. Everything
//! except RFC 3986's unreserved characters is encoded, exactly once; list values are joined with
//! literal commas, the form SP-API expects for array parameters.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but `A–Z a–z 0–9 - . _ ~`.
const STRICT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Encodes one path segment (a `/` inside becomes `%2F`).
pub(crate) fn path_segment(value: &str) -> String {
    utf8_percent_encode(value, STRICT).to_string()
}

/// A query string under construction.
#[derive(Debug, Default, Clone)]
pub(crate) struct Query {
    text: String,
}

impl Query {
    /// Appends `name=value`.
    pub(crate) fn push(&mut self, name: &str, value: &str) {
        self.separator();
        self.text.push_str(&path_segment(name));
        self.text.push('=');
        self.text.push_str(&path_segment(value));
    }

    /// Appends `name=a,b,c`, each value encoded on its own; nothing when `values` is empty.
    pub(crate) fn push_list<'a>(&mut self, name: &str, values: impl IntoIterator<Item = &'a str>) {
        let encoded: Vec<String> = values.into_iter().map(path_segment).collect();
        if encoded.is_empty() {
            return;
        }
        self.separator();
        self.text.push_str(&path_segment(name));
        self.text.push('=');
        self.text.push_str(&encoded.join(","));
    }

    fn separator(&mut self) {
        if !self.text.is_empty() {
            self.text.push('&');
        }
    }

    /// The query without the leading `?`; empty when nothing was pushed.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }
}

#[cfg(test)]
mod tests {
    use percent_encoding::percent_decode_str;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn skus_and_tokens_are_encoded_once() {
        assert_eq!(
            path_segment("TEA/緑茶 100g"),
            "TEA%2F%E7%B7%91%E8%8C%B6%20100g"
        );
        assert_eq!(path_segment("a+b=c%"), "a%2Bb%3Dc%25");
        let mut query = Query::default();
        query.push_list("marketplaceIds", ["A1VC38T7YXB528", "A39IBJ37TRP1C6"]);
        query.push("paginationToken", "2YgY+W55/IGNh==");
        query.push_list("fulfillmentStatuses", []);
        assert_eq!(
            query.as_str(),
            "marketplaceIds=A1VC38T7YXB528,A39IBJ37TRP1C6&paginationToken=2YgY%2BW55%2FIGNh%3D%3D"
        );
    }

    proptest! {
        #[test]
        fn a_segment_decodes_back_and_holds_no_separators(value in any::<String>()) {
            let encoded = path_segment(&value);
            prop_assert!(!encoded.contains(['/', '?', '&', '=', ',', '#', ' ', '+']));
            let decoded = percent_decode_str(&encoded).decode_utf8().unwrap();
            prop_assert_eq!(decoded.as_ref(), value.as_str());
        }
    }
}
