//! Checks on what callers hand the store, made before anything is written: SKUs, quantities, revisions and the
//! texts of Amazon's answers. A refusal is [`StoreError::Invalid`] naming the field, the problem and what is
//! expected.

use std::collections::HashSet;

use sellerlink_domain::ids::{IdField, Sku};
use sellerlink_domain::text::{code_point, first_hidden};

use super::state::StockState;
use crate::error::{StoreError, StoreResult};

/// Most units one stock level may hold.
pub(super) const QUANTITY_MAX: u32 = 1_000_000;
/// Longest feed submission id accepted (Amazon's are 11 digits).
const FEED_ID_MAX_CHARS: usize = 100;

/// What is wrong with a text that must be 1–`max_chars` characters without control, format or text-direction
/// characters (see [`sellerlink_domain::text`]) or surrounding spaces, if anything.
fn text_problem(value: &str, max_chars: usize) -> Option<String> {
    if value.trim().is_empty() {
        Some("is empty".to_owned())
    } else if value.trim() != value {
        Some("has spaces at its start or end".to_owned())
    } else if let Some((at, c)) = first_hidden(value) {
        Some(format!(
            "contains {} at position {at}, an invisible or text-direction character",
            code_point(c)
        ))
    } else {
        let count = value.chars().count();
        (count > max_chars).then(|| format!("is {count} characters long"))
    }
}

/// Refuses a SKU Amazon would not take ([`Sku::parse`]) or one not in its parsed form (surrounding spaces).
pub(super) fn sku(value: &str) -> StoreResult<()> {
    let problem = match Sku::parse(value) {
        Ok(sku) if sku.as_str() == value => return Ok(()),
        Ok(_) => "has spaces at its start or end".to_owned(),
        Err(error) => error.problem_en(),
    };
    Err(StoreError::invalid(
        "SKU",
        format!(
            "{value:?} {problem}; expected {}",
            IdField::Sku.expected_format()
        ),
    ))
}

/// Refuses a quantity above [`QUANTITY_MAX`].
pub(super) fn quantity(sku: &str, value: u32) -> StoreResult<()> {
    if value > QUANTITY_MAX {
        return Err(StoreError::invalid(
            "stock quantity",
            format!("{value} for SKU {sku} is too large; expected 0–{QUANTITY_MAX} units"),
        ));
    }
    Ok(())
}

/// Refuses a batch of quantities with a bad SKU, a bad quantity or a SKU listed twice.
pub(super) fn levels(levels: &[(String, u32)]) -> StoreResult<()> {
    let mut seen = HashSet::with_capacity(levels.len());
    for (sku_text, units) in levels {
        sku(sku_text)?;
        quantity(sku_text, *units)?;
        if !seen.insert(sku_text.as_str()) {
            return Err(StoreError::invalid(
                "stock levels",
                format!("list SKU {sku_text} twice; expected each SKU once with its quantity"),
            ));
        }
    }
    Ok(())
}

/// Refuses revision 0 (revisions start at 1) and revisions too large to store.
pub(super) fn revision(value: u64) -> StoreResult<i64> {
    if value == 0 {
        return Err(StoreError::invalid(
            "stock revision",
            "is 0; expected the revision read from the stock level (1 or more)",
        ));
    }
    i64::try_from(value).map_err(|_| {
        StoreError::invalid(
            "stock revision",
            format!("{value} is too large; expected the revision read from the stock level"),
        )
    })
}

/// Refuses a feed submission id that is not a plain token.
pub(super) fn feed_submission_id(value: &str) -> StoreResult<()> {
    match text_problem(value, FEED_ID_MAX_CHARS) {
        None => Ok(()),
        Some(problem) => Err(StoreError::invalid(
            "feed submission id",
            format!(
                "{problem}; expected 1–{FEED_ID_MAX_CHARS} characters without control characters or surrounding \
                 spaces, e.g. 50001018000"
            ),
        )),
    }
}

/// Refuses a message (an error or a rejection reason) that says nothing.
pub(super) fn message(field: &'static str, value: &str) -> StoreResult<()> {
    if value.trim().is_empty() {
        return Err(StoreError::invalid(
            field,
            "is empty; expected what went wrong, e.g. Amazon's error message",
        ));
    }
    Ok(())
}

/// Refuses a final state as the state a retry starts from.
pub(super) fn open_state(expected: StockState) -> StoreResult<()> {
    if !expected.is_open() {
        return Err(StoreError::invalid(
            "expected stock state",
            format!("{expected} has nothing to retry; expected pending or submitted"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skus_name_the_field_and_the_problem() {
        assert!(sku("TK-MUG-0001").is_ok());
        assert!(sku("湯呑み-青").is_ok());
        assert!(sku(&"x".repeat(40)).is_ok());
        let cases = [
            (String::new(), "is empty"),
            ("  ".to_owned(), "is empty"),
            (" TK-1".to_owned(), "has spaces at its start or end"),
            (
                "TK\n1".to_owned(),
                "contains U+000A at position 3, an invisible or text-direction character",
            ),
            (
                "TK\u{200B}1".to_owned(),
                "contains U+200B at position 3, an invisible or text-direction character",
            ),
            ("x".repeat(41), "has the wrong length (41 characters)"),
        ];
        for (value, problem) in cases {
            let error = sku(&value).unwrap_err().to_string();
            assert!(error.starts_with("SKU: "), "{error}");
            assert!(error.contains(problem), "{value:?}: {error}");
            assert!(
                error.contains("expected 1–40 visible characters"),
                "{error}"
            );
        }
    }

    #[test]
    fn batches_refuse_large_quantities_and_repeated_skus() {
        let ok = [("A".to_owned(), 0), ("B".to_owned(), QUANTITY_MAX)];
        assert!(levels(&ok).is_ok());
        let error = levels(&[("A".to_owned(), QUANTITY_MAX + 1)])
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "stock quantity: 1000001 for SKU A is too large; expected 0–1000000 units"
        );
        let error = levels(&[("A".to_owned(), 1), ("A".to_owned(), 2)])
            .unwrap_err()
            .to_string();
        assert!(error.contains("list SKU A twice"), "{error}");
    }

    #[test]
    fn revisions_start_at_one_and_retries_need_an_open_state() {
        assert_eq!(revision(1).unwrap(), 1);
        assert!(revision(0).is_err());
        assert!(revision(u64::MAX).is_err());
        assert!(open_state(StockState::Pending).is_ok());
        assert!(open_state(StockState::Submitted).is_ok());
        assert_eq!(
            open_state(StockState::Pushed).unwrap_err().to_string(),
            "expected stock state: pushed has nothing to retry; expected pending or submitted"
        );
    }
}
