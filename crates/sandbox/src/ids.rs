//! Identifiers parsed at the edge. Each error names the field, what is wrong and the expected format.

use std::fmt;

/// Why an identifier was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} {problem}; expected {expected}")]
pub struct IdError {
    /// The parameter or field that carried the value.
    pub field: &'static str,
    /// What is wrong with it.
    pub problem: String,
    /// The expected format.
    pub expected: &'static str,
}

impl IdError {
    fn new(field: &'static str, problem: impl Into<String>, expected: &'static str) -> Self {
        Self {
            field,
            problem: problem.into(),
            expected,
        }
    }
}

/// A 12-digit MWS developer ID, stored without dashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeveloperId([u8; 12]);

impl DeveloperId {
    const EXPECTED: &'static str =
        "12 digits, with or without dashes (1234-1234-1234 or 123412341234)";

    /// Parses `1234-1234-1234` or `123412341234` (surrounding whitespace is ignored).
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(IdError::new("developer ID", "is empty", Self::EXPECTED));
        }
        let dashed = trimmed.contains('-');
        if dashed {
            let groups: Vec<&str> = trimmed.split('-').collect();
            if groups.len() != 3 || groups.iter().any(|g| g.len() != 4) {
                return Err(IdError::new(
                    "developer ID",
                    "has dashes in the wrong places",
                    Self::EXPECTED,
                ));
            }
        }
        let mut digits = [0u8; 12];
        let mut count = 0usize;
        for byte in trimmed.bytes().filter(|b| *b != b'-') {
            if !byte.is_ascii_digit() {
                return Err(IdError::new(
                    "developer ID",
                    "contains a character that is not a digit",
                    Self::EXPECTED,
                ));
            }
            if count == 12 {
                return Err(IdError::new(
                    "developer ID",
                    "has more than 12 digits",
                    Self::EXPECTED,
                ));
            }
            digits[count] = byte;
            count += 1;
        }
        if count != 12 {
            return Err(IdError::new(
                "developer ID",
                format!("has {count} digits"),
                Self::EXPECTED,
            ));
        }
        Ok(Self(digits))
    }

    /// The 12 digits without dashes.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The ID as Seller Central shows it: `5259-6479-4073`.
    pub fn dashed(&self) -> String {
        let s = self.as_str();
        format!("{}-{}-{}", &s[0..4], &s[4..8], &s[8..12])
    }
}

impl fmt::Display for DeveloperId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Formats a 12-digit developer ID string with dashes; returns the input unchanged if it is not one.
pub fn dashed_developer_id(digits: &str) -> String {
    DeveloperId::parse(digits)
        .map(|id| id.dashed())
        .unwrap_or_else(|_| digits.to_owned())
}

/// An Amazon order ID, stored inline. The sandbox generates Amazon's usual `NNN-NNNNNNN-NNNNNNN`, but Amazon's
/// models make the id a plain string and real orders carry other shapes (FBA multi-channel `S01-…`, non-Amazon
/// sales channels, test orders), so any 1–64 printable ASCII characters without spaces are accepted — in the
/// control API (to place such an order) and in every request naming an order.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OrderId {
    /// The characters, then zero bytes (which sort before every printable character, so ids order as text).
    bytes: [u8; OrderId::MAX_LEN],
    len: u8,
}

impl OrderId {
    /// The longest order ID the sandbox holds.
    pub const MAX_LEN: usize = 64;
    const EXPECTED: &'static str = "1-64 printable ASCII characters without spaces, usually 3-7-7 digits like 503-1234567-1234567";

    /// Parses an order ID: 1–64 characters from `!` to `~`.
    pub fn parse(field: &'static str, input: &str) -> Result<Self, IdError> {
        let bytes = input.as_bytes();
        if bytes.is_empty() || bytes.len() > Self::MAX_LEN {
            return Err(IdError::new(
                field,
                format!("has {} characters", input.chars().count()),
                Self::EXPECTED,
            ));
        }
        if let Some(i) = bytes.iter().position(|b| !b.is_ascii_graphic()) {
            return Err(IdError::new(
                field,
                format!("has an unexpected character at position {}", i + 1),
                Self::EXPECTED,
            ));
        }
        let mut out = [0u8; Self::MAX_LEN];
        out[..bytes.len()].copy_from_slice(bytes);
        Ok(Self {
            bytes: out,
            len: u8::try_from(bytes.len()).expect("at most 64"),
        })
    }

    /// Builds an order ID from its three numeric groups.
    pub fn from_parts(first: u16, second: u32, third: u32) -> Self {
        let text = format!(
            "{:03}-{:07}-{:07}",
            first % 1000,
            second % 10_000_000,
            third % 10_000_000
        );
        Self::parse("order ID", &text).expect("3-7-7 digits are an order ID")
    }

    /// The ID as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}

impl fmt::Display for OrderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for OrderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OrderId({})", self.as_str())
    }
}

/// An ASIN, 10 uppercase alphanumeric characters, stored inline.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Asin([u8; 10]);

impl Asin {
    /// Parses a 10-character uppercase alphanumeric ASIN.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        const EXPECTED: &str = "10 uppercase letters or digits like B01ABCDEF2";
        let bytes = input.as_bytes();
        if bytes.len() != 10
            || !bytes
                .iter()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            return Err(IdError::new(
                "ASIN",
                "is not 10 uppercase letters or digits",
                EXPECTED,
            ));
        }
        let mut out = [0u8; 10];
        out.copy_from_slice(bytes);
        Ok(Self(out))
    }

    /// The ASIN as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl fmt::Debug for Asin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Asin({})", self.as_str())
    }
}

/// Checks a seller (merchant) ID: 10–20 uppercase letters or digits, as Amazon's merchant tokens are.
pub fn parse_seller_id(field: &'static str, input: &str) -> Result<String, IdError> {
    const EXPECTED: &str = "10-20 uppercase letters or digits like A1B2C3D4E5F6G7";
    let ok = (10..=20).contains(&input.len())
        && input
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if ok {
        Ok(input.to_owned())
    } else {
        Err(IdError::new(
            field,
            "is not 10-20 uppercase letters or digits",
            EXPECTED,
        ))
    }
}

/// Parses a 14-digit order item ID.
pub fn parse_order_item_id(field: &'static str, input: &str) -> Result<u64, IdError> {
    const EXPECTED: &str = "14 digits like 12345678901234";
    if input.len() == 14 && input.bytes().all(|b| b.is_ascii_digit()) {
        input
            .parse()
            .map_err(|_| IdError::new(field, "is not a number", EXPECTED))
    } else {
        Err(IdError::new(field, "is not 14 digits", EXPECTED))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn developer_id_with_and_without_dashes() {
        assert_eq!(
            DeveloperId::parse("5259-6479-4073").unwrap().as_str(),
            "525964794073"
        );
        assert_eq!(
            DeveloperId::parse(" 525964794073 ").unwrap().dashed(),
            "5259-6479-4073"
        );
        let err = DeveloperId::parse("5259-6479-407").unwrap_err();
        assert!(
            err.to_string().starts_with("developer ID has dashes"),
            "{err}"
        );
        assert!(DeveloperId::parse("52596479407a").is_err());
        assert!(DeveloperId::parse("5259647940731").is_err());
        assert!(DeveloperId::parse("").is_err());
    }

    #[test]
    fn order_id_shape() {
        let id = OrderId::from_parts(503, 1234567, 42);
        assert_eq!(id.as_str(), "503-1234567-0000042");
        assert_eq!(
            OrderId::parse("AmazonOrderId", "503-1234567-0000042").unwrap(),
            id
        );
        let longest = "9".repeat(64);
        for odd in ["S01-1234567-0000042", "TEST/ORDER#1", "7", longest.as_str()] {
            assert_eq!(OrderId::parse("AmazonOrderId", odd).unwrap().as_str(), odd);
        }
        let err = OrderId::parse("AmazonOrderId", "503 1234567").unwrap_err();
        assert!(
            err.to_string()
                .contains("AmazonOrderId has an unexpected character at position 4"),
            "{err}"
        );
        assert!(OrderId::parse("AmazonOrderId", "").is_err());
        assert!(OrderId::parse("AmazonOrderId", &"9".repeat(65)).is_err());
        assert!(OrderId::parse("AmazonOrderId", "５０３").is_err());
        // Ids order as their text, whatever their length.
        let mut ids: Vec<OrderId> = ["503-1", "503", "S01", "2"]
            .iter()
            .map(|t| OrderId::parse("id", t).unwrap())
            .collect();
        ids.sort();
        let texts: Vec<&str> = ids.iter().map(OrderId::as_str).collect();
        assert_eq!(texts, ["2", "503", "503-1", "S01"]);
    }
}
