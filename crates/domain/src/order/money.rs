//! Money in one normal form, whichever API sent it: MWS writes `7360.00` for yen, SP-API `7360`; both are stored
//! as `7360` because the yen has no minor unit. Every amount is written with exactly its currency's number of
//! decimals ([`currency_decimals`]): `12.5` USD becomes `12.50`, `7360.00` JPY becomes `7360`. Digits that the
//! currency does not have are never dropped when they are not zero (`0.5` JPY stays `0.5`): an amount is kept
//! exact rather than rounded.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How many decimals an amount of this ISO 4217 currency has (its minor unit): 0 for the yen and the other
/// currencies without a minor unit, 3 for the dinars, 2 for every other currency (USD, EUR, GBP, …).
pub fn currency_decimals(currency: &str) -> usize {
    match currency {
        "JPY" | "KRW" | "CLP" | "ISK" | "VND" | "XAF" | "XOF" | "PYG" | "UGX" | "XPF" | "RWF"
        | "KMF" | "GNF" | "DJF" | "BIF" | "VUV" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// An amount of money in its normal form: an ISO 4217 code and a decimal string with exactly the currency's
/// decimals (see the module documentation). Build one with [`Money::new`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    /// ISO 4217, upper case, e.g. `JPY`.
    pub currency: String,
    /// The decimal amount in normal form, e.g. `7360` (JPY) or `12.50` (USD).
    pub amount: String,
}

/// An amount or currency that is not money.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// The currency is not three letters.
    #[error("currency {0:?} is not an ISO 4217 code (three letters, e.g. JPY)")]
    Currency(String),
    /// The amount is not a plain decimal number.
    #[error("amount {0:?} is not a decimal number (e.g. 7360 or 12.50)")]
    Amount(String),
}

impl Money {
    /// The money in normal form: the currency trimmed and upper-cased, the amount rewritten with the currency's
    /// decimals (leading zeros and a `+` dropped, `-0` written `0`). Refuses a currency that is not three letters
    /// and an amount that is not `[-+]digits[.digits]` (no exponent, no thousands separator).
    pub fn new(currency: &str, amount: &str) -> Result<Self, MoneyError> {
        let code = currency.trim();
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(MoneyError::Currency(currency.to_owned()));
        }
        let code = code.to_ascii_uppercase();
        let amount = normal_amount(amount, currency_decimals(&code))
            .ok_or_else(|| MoneyError::Amount(amount.to_owned()))?;
        Ok(Self {
            currency: code,
            amount,
        })
    }

    /// The same money in normal form (for amounts read back from before normalization), or `None` if it is not
    /// money.
    pub fn normalized(&self) -> Option<Self> {
        Self::new(&self.currency, &self.amount).ok()
    }

    /// The amount's parts: whether it is negative, its whole digits and its decimal digits (normal form assumed;
    /// for display).
    pub fn parts(&self) -> (bool, &str, &str) {
        let (negative, unsigned) = match self.amount.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, self.amount.as_str()),
        };
        let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        (negative, whole, fraction)
    }
}

impl fmt::Display for Money {
    /// `7360 JPY`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

/// `text` rewritten with `decimals` decimals, or `None` if it is not a plain decimal.
fn normal_amount(text: &str, decimals: usize) -> Option<String> {
    let text = text.trim();
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty())
        || !digits(whole)
        || !digits(fraction)
        || unsigned.ends_with('.')
    {
        return None;
    }
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let mut fraction = fraction.trim_end_matches('0').to_owned();
    while fraction.len() < decimals {
        fraction.push('0');
    }
    let zero = whole == "0" && fraction.bytes().all(|b| b == b'0');
    let mut out = String::with_capacity(whole.len() + fraction.len() + 2);
    if negative && !zero {
        out.push('-');
    }
    out.push_str(whole);
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(&fraction);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn amount(currency: &str, text: &str) -> String {
        Money::new(currency, text).unwrap().amount
    }

    #[test]
    fn both_apis_spellings_are_one_amount() {
        assert_eq!(amount("JPY", "7360.00"), "7360");
        assert_eq!(amount("JPY", "7360"), "7360");
        assert_eq!(amount("jpy", " 0.0 "), "0");
        assert_eq!(amount("USD", "12.5"), "12.50");
        assert_eq!(amount("USD", "12.500"), "12.50");
        assert_eq!(amount("EUR", "+007"), "7.00");
        assert_eq!(amount("KWD", "1.5"), "1.500");
        assert_eq!(amount("USD", "-0.00"), "0.00");
        assert_eq!(amount("USD", "-.5"), "-0.50");
        assert_eq!(Money::new("jpy", "1").unwrap().currency, "JPY");
    }

    #[test]
    fn digits_the_currency_lacks_are_kept_when_not_zero() {
        assert_eq!(amount("JPY", "0.50"), "0.5");
        assert_eq!(amount("USD", "1.005"), "1.005");
    }

    #[test]
    fn what_is_not_money_is_refused() {
        for text in ["", "-", ".", "1.", "1e3", "1,000", "¥100", "12 34", "--1"] {
            assert_eq!(
                Money::new("JPY", text),
                Err(MoneyError::Amount(text.to_owned())),
                "{text:?}"
            );
        }
        for code in ["", "JP", "JPYY", "¥¥¥", "1PY"] {
            assert!(matches!(
                Money::new(code, "1"),
                Err(MoneyError::Currency(_))
            ));
        }
        assert_eq!(
            MoneyError::Amount("1e3".into()).to_string(),
            "amount \"1e3\" is not a decimal number (e.g. 7360 or 12.50)"
        );
    }

    #[test]
    fn parts_split_the_normal_form() {
        assert_eq!(
            Money::new("USD", "-1234.5").unwrap().parts(),
            (true, "1234", "50")
        );
        assert_eq!(
            Money::new("JPY", "7360").unwrap().parts(),
            (false, "7360", "")
        );
    }

    proptest! {
        #[test]
        fn normal_form_is_a_fixed_point_and_keeps_the_value(cents in -10_000_000_000i64..10_000_000_000, pad in 0usize..3) {
            let text = format!("{}{}.{:02}{}", if cents < 0 { "-" } else { "" }, cents.unsigned_abs() / 100, cents.unsigned_abs() % 100, "0".repeat(pad));
            let usd = Money::new("USD", &text).unwrap();
            prop_assert_eq!(Money::new("USD", &usd.amount).unwrap(), usd.clone());
            let (negative, whole, fraction) = usd.parts();
            let value: i64 = format!("{whole}{fraction}").parse().unwrap();
            prop_assert_eq!(if negative { -value } else { value }, cents);
        }
    }
}
