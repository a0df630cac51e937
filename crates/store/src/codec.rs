//! How values are written to and read back from columns: instants as epoch milliseconds, civil dates as
//! `YYYY-MM-DD`, JSON as text. Reading never panics: a value that does not parse is [`StoreError::Corrupt`].

use std::fmt::Display;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::StoreError;

/// An instant as stored: milliseconds since 1970-01-01T00:00:00Z (sub-millisecond digits are dropped).
pub(crate) fn millis(at: Timestamp) -> i64 {
    at.as_millisecond()
}

/// An optional instant as stored.
pub(crate) fn opt_millis(at: Option<Timestamp>) -> Option<i64> {
    at.map(millis)
}

/// The instant as it reads back after being stored.
pub(crate) fn to_stored_precision(at: Timestamp) -> Timestamp {
    Timestamp::from_millisecond(at.as_millisecond()).unwrap_or(at)
}

/// A civil date as stored.
pub(crate) fn date_text(date: Date) -> String {
    date.strftime("%Y-%m-%d").to_string()
}

/// A value as JSON text.
pub(crate) fn json_text<T: Serialize>(what: &'static str, value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::invalid(what, e.to_string()))
}

/// A stored column, named so that a value that does not parse can say where it came from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    table: &'static str,
    name: &'static str,
}

impl Column {
    pub(crate) const fn new(table: &'static str, name: &'static str) -> Self {
        Self { table, name }
    }

    pub(crate) fn corrupt(self, detail: impl Display) -> StoreError {
        StoreError::Corrupt {
            table: self.table,
            column: self.name,
            detail: detail.to_string(),
        }
    }

    /// Lifts a parser's result, naming this column on failure.
    pub(crate) fn parse<T, E: Display>(self, parsed: Result<T, E>) -> Result<T, StoreError> {
        parsed.map_err(|e| self.corrupt(e))
    }

    /// Lifts an optional parse, naming the stored text on failure.
    pub(crate) fn known<T>(self, parsed: Option<T>, text: &str) -> Result<T, StoreError> {
        parsed.ok_or_else(|| self.corrupt(format!("unknown value {text:?}")))
    }

    pub(crate) fn instant(self, ms: i64) -> Result<Timestamp, StoreError> {
        Timestamp::from_millisecond(ms)
            .map_err(|e| self.corrupt(format!("{ms} ms is not a representable instant: {e}")))
    }

    pub(crate) fn opt_instant(self, ms: Option<i64>) -> Result<Option<Timestamp>, StoreError> {
        ms.map(|ms| self.instant(ms)).transpose()
    }

    pub(crate) fn date(self, text: &str) -> Result<Date, StoreError> {
        Date::strptime("%Y-%m-%d", text)
            .map_err(|e| self.corrupt(format!("{text:?} is not a YYYY-MM-DD date: {e}")))
    }

    pub(crate) fn opt_date(self, text: Option<&str>) -> Result<Option<Date>, StoreError> {
        text.map(|t| self.date(t)).transpose()
    }

    pub(crate) fn json<T: DeserializeOwned>(self, text: &str) -> Result<T, StoreError> {
        serde_json::from_str(text).map_err(|e| self.corrupt(format!("invalid JSON: {e}")))
    }

    /// A stored integer that must fit the domain's unsigned type.
    pub(crate) fn count<T: TryFrom<i64>>(self, value: i64) -> Result<T, StoreError> {
        T::try_from(value).map_err(|_| self.corrupt(format!("{value} is out of range")))
    }
}

/// A domain count as a stored integer.
pub(crate) fn stored_count<T: TryInto<i64> + Copy + Display>(
    what: &'static str,
    value: T,
) -> Result<i64, StoreError> {
    value
        .try_into()
        .map_err(|_| StoreError::invalid(what, format!("{value} is too large to store")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_zero_padded_and_read_back() {
        let column = Column::new("t", "c");
        for text in ["0001-01-01", "2019-04-17", "9999-12-31"] {
            let date = column.date(text).unwrap();
            assert_eq!(date_text(date), text);
        }
        let err = column.date("2019-4-17x").unwrap_err().to_string();
        assert!(err.contains("t.c"), "{err}");
    }

    #[test]
    fn instants_keep_milliseconds_and_refuse_the_unrepresentable() {
        let column = Column::new("t", "c");
        let at: Timestamp = "1969-12-31T23:59:59.999Z".parse().unwrap();
        assert_eq!(column.instant(millis(at)).unwrap(), at);
        assert!(matches!(
            column.instant(i64::MAX),
            Err(StoreError::Corrupt { column: "c", .. })
        ));
        let fine: Timestamp = "2026-01-01T00:00:00.123456789Z".parse().unwrap();
        assert_eq!(
            to_stored_precision(fine),
            "2026-01-01T00:00:00.123Z".parse::<Timestamp>().unwrap()
        );
    }
}
