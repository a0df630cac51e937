//! Query parameters as SP-API reads them: arrays are comma-separated (`a,b`) or repeated
//! (`x=a&x=b`); names the operation does not know are ignored.

/// The decoded query string.
#[derive(Debug, Default, Clone)]
pub struct QueryParams {
    pairs: Vec<(String, String)>,
}

impl QueryParams {
    /// Decodes `query` (without `?`).
    pub fn parse(query: Option<&str>) -> Self {
        Self {
            pairs: query
                .map(|q| {
                    url::form_urlencoded::parse(q.as_bytes())
                        .map(|(k, v)| (k.into_owned(), v.into_owned()))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// The first value of `name`, if present and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// Every value of the array parameter `name`, split at commas, empty items dropped.
    pub fn list(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_take_commas_and_repeats() {
        let q = QueryParams::parse(Some(
            "marketplaceIds=A1VC38T7YXB528,A39IBJ37TRP1C6&marketplaceIds=A19VAU5U5O7RUS&x=&createdAfter=2024-01-01T00%3A00%3A00Z",
        ));
        assert_eq!(q.list("marketplaceIds").len(), 3);
        assert_eq!(q.get("createdAfter"), Some("2024-01-01T00:00:00Z"));
        assert_eq!(q.get("x"), None);
        assert!(q.list("missing").is_empty());
    }
}
