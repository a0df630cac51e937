//! Operation parameters as MWS expects them: flat `name=value` pairs, lists as 1-based dotted
//! names (`MarketplaceId.Id.1`), instants as UTC ISO 8601 with milliseconds.

use jiff::Timestamp;

/// Formats an instant the way this client sends it: UTC, millisecond precision, `Z`
/// (e.g. `2020-01-01T12:00:00.000Z`).
pub fn format_timestamp(instant: Timestamp) -> String {
    instant.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// The operation-specific parameters of one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.push((name.into(), value.into()));
    }

    pub(crate) fn push_timestamp(&mut self, name: &str, instant: Timestamp) {
        self.push(name, format_timestamp(instant));
    }

    /// Pushes `prefix.1`, `prefix.2`, … for the values in order.
    pub(crate) fn push_list<I, S>(&mut self, prefix: &str, values: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        for (index, value) in values.into_iter().enumerate() {
            self.push(format!("{prefix}.{}", index + 1), value);
        }
    }

    pub(crate) fn into_pairs(self) -> Vec<(String, String)> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_with_milliseconds() {
        let instant: Timestamp = "2020-05-28T20:22:24.768912+09:00".parse().expect("valid");
        assert_eq!(format_timestamp(instant), "2020-05-28T11:22:24.768Z");
        let whole: Timestamp = "2020-01-01T00:00:00Z".parse().expect("valid");
        assert_eq!(format_timestamp(whole), "2020-01-01T00:00:00.000Z");
    }

    #[test]
    fn lists_are_one_based() {
        let mut params = Params::new();
        params.push_list("OrderStatus.Status", ["Unshipped", "PartiallyShipped"]);
        assert_eq!(
            params.into_pairs(),
            vec![
                ("OrderStatus.Status.1".to_owned(), "Unshipped".to_owned()),
                (
                    "OrderStatus.Status.2".to_owned(),
                    "PartiallyShipped".to_owned()
                ),
            ]
        );
    }
}
