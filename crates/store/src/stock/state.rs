//! Where a stock level stands, and what setting a quantity did to it.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Where a stock level stands with Amazon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StockState {
    /// The current revision waits to be pushed at `next_attempt_at` (new, changed, or retried after a failure).
    Pending,
    /// The current revision was handed to Amazon in a feed whose result is checked at `next_attempt_at`.
    Submitted,
    /// Amazon accepted the current revision. Nothing to do until the quantity changes.
    Pushed,
    /// Amazon refused the current revision; `last_error` says why. Setting any quantity makes a new revision.
    Rejected,
}

impl StockState {
    /// Every state, in the order a stock level goes through them.
    pub const ALL: &'static [Self] =
        &[Self::Pending, Self::Submitted, Self::Pushed, Self::Rejected];

    /// The stored name: `pending`, `submitted`, `pushed` or `rejected`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Submitted => "submitted",
            Self::Pushed => "pushed",
            Self::Rejected => "rejected",
        }
    }

    /// The state with this stored name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|state| state.as_str() == text)
    }

    /// True for `pending` and `submitted`: a worker still has something to do.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Pending | Self::Submitted)
    }
}

impl fmt::Display for StockState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What [`crate::Store::set_stock_levels`] did with one SKU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StockChange {
    /// The SKU was new: revision 1, pending.
    Created,
    /// A new revision (a different quantity, or any quantity after a rejection), pending.
    Changed,
    /// The same quantity as stored: nothing was written.
    Unchanged,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_and_know_when_work_remains() {
        for state in StockState::ALL {
            assert_eq!(StockState::parse(state.as_str()), Some(*state));
            assert_eq!(
                serde_json::to_string(state).unwrap(),
                format!("\"{}\"", state.as_str())
            );
        }
        assert_eq!(StockState::parse("Pending"), None);
        let open: Vec<_> = StockState::ALL.iter().filter(|s| s.is_open()).collect();
        assert_eq!(open, [&StockState::Pending, &StockState::Submitted]);
        assert_eq!(
            serde_json::to_string(&StockChange::Unchanged).unwrap(),
            "\"unchanged\""
        );
    }
}
