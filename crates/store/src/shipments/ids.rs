//! The id of a shipment, where it stands, and the lines it ships.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;

use crate::names::NameError;

/// The id of one shipment confirmation (a UUIDv7, so ids sort by creation).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ShipmentId(Uuid);

impl ShipmentId {
    /// A new, time-ordered id.
    pub fn new() -> Self {
        Self(Uuid::now_v7())
    }

    /// Parses the hyphenated UUID form, e.g. `01890a5d-ac96-774b-bcce-b302099a8057`.
    pub fn parse(input: &str) -> Result<Self, NameError> {
        let refuse = |problem: &str| NameError {
            field: "shipment id",
            problem: problem.to_owned(),
            expected: "a UUID, e.g. 01890a5d-ac96-774b-bcce-b302099a8057",
        };
        let text = input.trim();
        if text.is_empty() {
            return Err(refuse("is empty"));
        }
        Uuid::try_parse(text)
            .map(Self)
            .map_err(|_| refuse("is not a UUID"))
    }

    /// The underlying UUID.
    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl Default for ShipmentId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for ShipmentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

impl fmt::Debug for ShipmentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ShipmentId({})", self.0.hyphenated())
    }
}

impl std::str::FromStr for ShipmentId {
    type Err = NameError;
    fn from_str(s: &str) -> Result<Self, NameError> {
        Self::parse(s)
    }
}

impl Serialize for ShipmentId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ShipmentId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Where a shipment confirmation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ShipmentState {
    /// Written, not sent yet (or sent and failed in a way worth retrying at `next_attempt_at`).
    Queued,
    /// Sent to Amazon as a feed whose result is checked at `next_attempt_at`.
    Submitted,
    /// Amazon accepted it. Final.
    Confirmed,
    /// Amazon refused it; `last_error` says why. Final.
    Rejected,
}

impl ShipmentState {
    /// Every state, in the order a shipment goes through them.
    pub const ALL: &'static [Self] = &[
        Self::Queued,
        Self::Submitted,
        Self::Confirmed,
        Self::Rejected,
    ];

    /// The stored name: `queued`, `submitted`, `confirmed` or `rejected`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Submitted => "submitted",
            Self::Confirmed => "confirmed",
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

    /// True for `confirmed` and `rejected`: nothing more happens to the shipment.
    pub fn is_finished(self) -> bool {
        matches!(self, Self::Confirmed | Self::Rejected)
    }
}

impl fmt::Display for ShipmentState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One order item in a shipment, and how many of it the parcel holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipmentLine {
    /// Amazon's order item id (`OrderItemId`).
    pub order_item_id: String,
    /// Units of it in this parcel (at least 1).
    pub quantity: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_name_the_field() {
        let id = ShipmentId::new();
        assert_eq!(ShipmentId::parse(&id.to_string()).unwrap(), id);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{id}\""));
        assert_eq!(serde_json::from_str::<ShipmentId>(&json).unwrap(), id);
        assert_eq!(
            ShipmentId::parse("nope").unwrap_err().to_string(),
            "shipment id: is not a UUID; expected a UUID, e.g. 01890a5d-ac96-774b-bcce-b302099a8057"
        );
        assert!(serde_json::from_str::<ShipmentId>("\"\"").is_err());
        assert!(format!("{id:?}").starts_with("ShipmentId("));
    }

    #[test]
    fn states_round_trip_and_know_when_they_are_final() {
        for state in ShipmentState::ALL {
            assert_eq!(ShipmentState::parse(state.as_str()), Some(*state));
            assert_eq!(
                serde_json::to_string(state).unwrap(),
                format!("\"{}\"", state.as_str())
            );
        }
        assert_eq!(ShipmentState::parse("Queued"), None);
        let finished: Vec<_> = ShipmentState::ALL
            .iter()
            .filter(|s| s.is_finished())
            .collect();
        assert_eq!(
            finished,
            [&ShipmentState::Confirmed, &ShipmentState::Rejected]
        );
    }
}
