//! Checks on what callers hand the store, made before anything is written: the texts that describe a shipment, its
//! lines, and the states a transition may start from. A refusal is [`StoreError::Invalid`] naming the field, the
//! problem and what is expected.

use std::collections::HashSet;

use super::ids::ShipmentState;
use super::record::NewShipment;
use crate::error::{StoreError, StoreResult};

/// Longest carrier, shipping method, tracking number or feed submission id accepted.
const TEXT_MAX_CHARS: usize = 100;
/// Longest order item id accepted (Amazon's are 14 digits).
const ITEM_ID_MAX_CHARS: usize = 50;

/// Refuses a text that is blank, longer than `max_chars`, padded with spaces or holds a control character.
pub(super) fn text(field: &'static str, value: &str, max_chars: usize) -> StoreResult<()> {
    let problem = if value.trim().is_empty() {
        Some("is empty".to_owned())
    } else if value.trim() != value {
        Some("has spaces at its start or end".to_owned())
    } else if let Some((at, _)) = value.chars().enumerate().find(|(_, c)| c.is_control()) {
        Some(format!(
            "contains a control character at position {}",
            at + 1
        ))
    } else {
        let count = value.chars().count();
        (count > max_chars).then(|| format!("is {count} characters long"))
    };
    match problem {
        None => Ok(()),
        Some(problem) => Err(StoreError::invalid(
            field,
            format!(
                "{problem}; expected 1–{max_chars} characters without control characters or surrounding spaces"
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

/// Refuses a feed submission id that is not a plain token.
pub(super) fn feed_submission_id(value: &str) -> StoreResult<()> {
    text("feed submission id", value, TEXT_MAX_CHARS)
}

/// Refuses a shipment whose texts or lines cannot be what Amazon expects.
pub(super) fn new_shipment(new: &NewShipment) -> StoreResult<()> {
    text("shipment carrier", &new.carrier, TEXT_MAX_CHARS)?;
    if let Some(method) = &new.shipping_method {
        text("shipment shipping method", method, TEXT_MAX_CHARS)?;
    }
    text(
        "shipment tracking number",
        &new.tracking_number,
        TEXT_MAX_CHARS,
    )?;
    if new.lines.is_empty() {
        return Err(StoreError::invalid(
            "shipment lines",
            "are empty; expected at least one order item with its quantity",
        ));
    }
    let mut seen = HashSet::new();
    for line in &new.lines {
        text(
            "shipment line order item id",
            &line.order_item_id,
            ITEM_ID_MAX_CHARS,
        )?;
        if line.quantity == 0 {
            return Err(StoreError::invalid(
                "shipment line quantity",
                format!(
                    "is 0 for order item {}; expected at least 1",
                    line.order_item_id
                ),
            ));
        }
        if !seen.insert(line.order_item_id.as_str()) {
            return Err(StoreError::invalid(
                "shipment lines",
                format!(
                    "list order item {} twice; expected each item once with its total quantity",
                    line.order_item_id
                ),
            ));
        }
    }
    Ok(())
}

/// Refuses a final state as the state a transition starts from.
pub(super) fn open_state(expected: ShipmentState) -> StoreResult<()> {
    if expected.is_finished() {
        return Err(StoreError::invalid(
            "expected shipment state",
            format!("{expected} is final; expected queued or submitted"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_name_the_field_and_the_problem() {
        assert!(text("carrier", "ヤマト運輸", 100).is_ok());
        let cases = [
            ("", "is empty"),
            ("   ", "is empty"),
            (" Yamato", "has spaces at its start or end"),
            ("Ya\tmato", "contains a control character at position 3"),
            ("12345", "is 5 characters long"),
        ];
        for (value, problem) in cases {
            let error = text("carrier", value, 4).unwrap_err().to_string();
            assert!(error.starts_with("carrier: "), "{error}");
            assert!(error.contains(problem), "{value:?}: {error}");
            assert!(error.contains("expected 1–4 characters"), "{error}");
        }
    }

    #[test]
    fn only_open_states_start_a_transition() {
        assert!(open_state(ShipmentState::Queued).is_ok());
        assert!(open_state(ShipmentState::Submitted).is_ok());
        let error = open_state(ShipmentState::Rejected).unwrap_err().to_string();
        assert_eq!(
            error,
            "expected shipment state: rejected is final; expected queued or submitted"
        );
    }
}
