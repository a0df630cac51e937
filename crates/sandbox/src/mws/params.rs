//! Request parameters from the query string and the form body, decoded.

/// Decoded `name=value` pairs in arrival order (query string first, then body).
#[derive(Clone, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

/// Parameters whose values never appear in `Debug` output.
const SECRET_PARAMS: &[&str] = &["MWSAuthToken", "Signature"];

impl std::fmt::Debug for Params {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut list = f.debug_list();
        for (k, v) in &self.pairs {
            if SECRET_PARAMS.contains(&k.as_str()) {
                list.entry(&(k, "<redacted>"));
            } else {
                list.entry(&(k, v));
            }
        }
        list.finish()
    }
}

impl Params {
    /// Adds the pairs of an `application/x-www-form-urlencoded` string.
    pub fn extend_from_urlencoded(&mut self, encoded: &[u8]) {
        self.pairs.extend(
            url::form_urlencoded::parse(encoded).map(|(k, v)| (k.into_owned(), v.into_owned())),
        );
    }

    /// Every pair.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first non-empty value of `name`.
    pub fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }

    /// Whether `name` is present (even empty).
    pub fn has(&self, name: &str) -> bool {
        self.pairs.iter().any(|(k, _)| k == name)
    }

    /// The values of a 1-based list parameter `prefix.N` (e.g. `MarketplaceId.Id`), by N.
    pub fn list(&self, prefix: &str) -> Vec<&str> {
        let mut found: Vec<(u32, &str)> = self
            .pairs
            .iter()
            .filter_map(|(k, v)| {
                let rest = k.strip_prefix(prefix)?.strip_prefix('.')?;
                let n: u32 = rest.parse().ok()?;
                (n >= 1).then_some((n, v.as_str()))
            })
            .collect();
        found.sort_by_key(|(n, _)| *n);
        found.dedup_by_key(|(n, _)| *n);
        found.into_iter().map(|(_, v)| v).collect()
    }

    /// Whether any parameter starts with `prefix.`.
    pub fn has_list(&self, prefix: &str) -> bool {
        self.pairs
            .iter()
            .any(|(k, _)| k.strip_prefix(prefix).is_some_and(|r| r.starts_with('.')))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_decoding() {
        let mut p = Params::default();
        p.extend_from_urlencoded(b"MarketplaceId.Id.2=B&MarketplaceId.Id.1=A&X=a%20b+c&Empty=");
        assert_eq!(p.list("MarketplaceId.Id"), vec!["A", "B"]);
        assert_eq!(p.get("X"), Some("a b c"));
        assert!(p.has("Empty") && p.non_empty("Empty").is_none());
        assert!(p.has_list("MarketplaceId.Id") && !p.has_list("OrderStatus.Status"));
        p.extend_from_urlencoded(b"MWSAuthToken=amzn.mws.secret");
        assert!(!format!("{p:?}").contains("amzn.mws.secret"));
    }
}
