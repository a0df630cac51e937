//! Exact arithmetic on Amazon's decimal strings (`"1507"`, `"29.99"`), without floating point.

/// Multiplies the decimal string `amount` by `factor`, keeping its number of fraction digits:
/// `("29.99", 3)` → `"89.97"`, `("1507", 2)` → `"3014"`. `None` if `amount` is not a plain decimal
/// (optional `-`, digits, optional `.` and digits) or the result has more than 38 digits.
pub fn multiply(amount: &str, factor: u32) -> Option<String> {
    let amount = amount.trim();
    let (negative, unsigned) = match amount.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, amount.strip_prefix('+').unwrap_or(amount)),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (unsigned, ""),
    };
    let all_digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    let digits = format!("{whole}{fraction}");
    let value: u128 = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    let product = value.checked_mul(u128::from(factor))?;
    let scale = fraction.len();
    let mut text = format!("{product:0>width$}", width = scale + 1);
    if scale > 0 {
        text.insert(text.len() - scale, '.');
    }
    if negative && product != 0 {
        text.insert(0, '-');
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn examples() {
        assert_eq!(multiply("29.99", 3).as_deref(), Some("89.97"));
        assert_eq!(multiply("1507", 2).as_deref(), Some("3014"));
        assert_eq!(multiply("0.05", 3).as_deref(), Some("0.15"));
        assert_eq!(multiply("-0.50", 3).as_deref(), Some("-1.50"));
        assert_eq!(multiply("-1.00", 0).as_deref(), Some("0.00"));
        assert_eq!(multiply(".5", 2).as_deref(), Some("1.0"));
        assert_eq!(multiply("1e3", 2), None);
        assert_eq!(multiply("", 2), None);
        assert_eq!(multiply("1,000", 2), None);
    }

    proptest! {
        #[test]
        fn agrees_with_integer_arithmetic(cents in 0u64..10_000_000_000, factor in 0u32..10_000) {
            let amount = format!("{}.{:02}", cents / 100, cents % 100);
            let expected = u128::from(cents) * u128::from(factor);
            let expected = format!("{}.{:02}", expected / 100, expected % 100);
            prop_assert_eq!(multiply(&amount, factor), Some(expected));
        }
    }
}
