//! Types shared by several sections: money and postal addresses.

use std::fmt;

use serde::{Deserialize, Deserializer};

use super::de::optional_text;

/// An ISO 4217 currency code such as `JPY`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CurrencyCode(String);

impl CurrencyCode {
    /// Parses three ASCII letters (upper-cased).
    pub fn parse(input: &str) -> Result<Self, String> {
        let value = input.trim();
        if value.len() == 3 && value.bytes().all(|b| b.is_ascii_alphabetic()) {
            Ok(Self(value.to_ascii_uppercase()))
        } else {
            Err(format!(
                "currency code {value:?} is not three letters (ISO 4217, e.g. JPY)"
            ))
        }
    }

    /// The code, e.g. `JPY`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Digits after the decimal point in the currency's minor unit (JPY 0, USD 2, KWD 3).
    pub fn minor_unit_digits(&self) -> u32 {
        match self.0.as_str() {
            "JPY" | "KRW" | "CLP" | "ISK" | "VND" | "XAF" | "XOF" | "PYG" | "UGX" => 0,
            "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
            _ => 2,
        }
    }
}

impl fmt::Display for CurrencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A decimal amount exactly as Amazon wrote it (e.g. `1507.00`), never rounded through a float.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Amount(String);

impl Amount {
    /// Parses `-?digits(.digits)?`.
    pub fn parse(input: &str) -> Result<Self, String> {
        let value = input.trim();
        let unsigned = value.strip_prefix('-').unwrap_or(value);
        let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        let digits_ok = !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && fraction.bytes().all(|b| b.is_ascii_digit())
            && !(unsigned.contains('.') && fraction.is_empty());
        if digits_ok {
            Ok(Self(value.to_owned()))
        } else {
            Err(format!(
                "amount {value:?} is not a decimal number (e.g. 1507.00)"
            ))
        }
    }

    /// The amount's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The amount as an integer count of `10^-digits` units (`1507.00` with 0 digits → `1507`,
    /// `12.34` with 2 digits → `1234`). `None` if it has non-zero decimals beyond `digits` or
    /// does not fit an `i64`.
    pub fn to_minor_units(&self, digits: u32) -> Option<i64> {
        let negative = self.0.starts_with('-');
        let unsigned = self.0.trim_start_matches('-');
        let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        let digits = digits as usize;
        let (kept, dropped) = if fraction.len() > digits {
            fraction.split_at(digits)
        } else {
            (fraction, "")
        };
        if dropped.bytes().any(|b| b != b'0') {
            return None;
        }
        let mut text = String::with_capacity(whole.len() + digits);
        text.push_str(whole);
        text.push_str(kept);
        text.extend(std::iter::repeat_n('0', digits - kept.len()));
        let magnitude: i64 = text.parse().ok()?;
        Some(if negative { -magnitude } else { magnitude })
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An MWS `Money` element: currency and amount.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
pub struct Money {
    /// The currency.
    #[serde(rename = "CurrencyCode", deserialize_with = "currency_code")]
    pub currency_code: CurrencyCode,
    /// The amount.
    #[serde(rename = "Amount", deserialize_with = "amount")]
    pub amount: Amount,
}

impl Money {
    /// The amount in the currency's minor unit (yen for JPY, cents for USD); `None` if Amazon
    /// sent more precision than the currency has.
    pub fn minor_units(&self) -> Option<i64> {
        self.amount
            .to_minor_units(self.currency_code.minor_unit_digits())
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency_code)
    }
}

fn currency_code<'de, D: Deserializer<'de>>(deserializer: D) -> Result<CurrencyCode, D::Error> {
    super::de::element(deserializer, "CurrencyCode", CurrencyCode::parse)
}

fn amount<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Amount, D::Error> {
    super::de::element(deserializer, "Amount", Amount::parse)
}

/// A postal address (`ShippingAddress`, `DefaultShipFromLocationAddress`). Every part is
/// optional because Amazon hides parts of it depending on the order's status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Address {
    /// Recipient name.
    #[serde(rename = "Name", default, deserialize_with = "optional_text")]
    pub name: Option<String>,
    /// First address line.
    #[serde(rename = "AddressLine1", default, deserialize_with = "optional_text")]
    pub address_line1: Option<String>,
    /// Second address line.
    #[serde(rename = "AddressLine2", default, deserialize_with = "optional_text")]
    pub address_line2: Option<String>,
    /// Third address line.
    #[serde(rename = "AddressLine3", default, deserialize_with = "optional_text")]
    pub address_line3: Option<String>,
    /// City.
    #[serde(rename = "City", default, deserialize_with = "optional_text")]
    pub city: Option<String>,
    /// Municipality.
    #[serde(rename = "Municipality", default, deserialize_with = "optional_text")]
    pub municipality: Option<String>,
    /// County.
    #[serde(rename = "County", default, deserialize_with = "optional_text")]
    pub county: Option<String>,
    /// District.
    #[serde(rename = "District", default, deserialize_with = "optional_text")]
    pub district: Option<String>,
    /// State or region; the prefecture in Japan.
    #[serde(rename = "StateOrRegion", default, deserialize_with = "optional_text")]
    pub state_or_region: Option<String>,
    /// Postal code, e.g. `107-0053`.
    #[serde(rename = "PostalCode", default, deserialize_with = "optional_text")]
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    #[serde(rename = "CountryCode", default, deserialize_with = "optional_text")]
    pub country_code: Option<String>,
    /// Phone number.
    #[serde(rename = "Phone", default, deserialize_with = "optional_text")]
    pub phone: Option<String>,
    /// `Residential` or `Commercial`.
    #[serde(rename = "AddressType", default, deserialize_with = "optional_text")]
    pub address_type: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yen_amounts_with_zero_decimals_become_whole_yen() {
        let money = Money {
            currency_code: CurrencyCode::parse("JPY").expect("valid"),
            amount: Amount::parse("1507.00").expect("valid"),
        };
        assert_eq!(money.minor_units(), Some(1507));
        assert_eq!(money.to_string(), "1507.00 JPY");
    }

    #[test]
    fn minor_units_refuse_lost_precision() {
        let amount = Amount::parse("12.345").expect("valid");
        assert_eq!(amount.to_minor_units(3), Some(12345));
        assert_eq!(amount.to_minor_units(2), None);
        assert_eq!(
            Amount::parse("-0.5").expect("valid").to_minor_units(2),
            Some(-50)
        );
        assert_eq!(
            Amount::parse("7").expect("valid").to_minor_units(2),
            Some(700)
        );
    }

    #[test]
    fn malformed_amounts_and_currencies_are_refused() {
        for bad in ["", "1,000", "1.", ".5", "abc", "1e3", "--1"] {
            assert!(Amount::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert!(CurrencyCode::parse("YEN1").is_err());
        assert_eq!(CurrencyCode::parse("jpy").expect("valid").as_str(), "JPY");
    }
}
