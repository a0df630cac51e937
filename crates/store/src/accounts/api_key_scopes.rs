//! [`ApiKeyScope`]: what an API key may do; a key holds a non-empty set of them ([`ApiKeyScopes`]).

use std::collections::BTreeSet;
use std::fmt;

use crate::names::NameError;

/// One thing an API key may do. Creating keys and notification channels is none of them: that needs a signed-in
/// session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ApiKeyScope {
    /// Read the merchant, its connections and their import runs.
    ReadConnections,
    /// Add, remove, verify and change connections; start imports.
    ManageConnections,
    /// Read orders, their shipment confirmations and stock levels.
    ReadOrders,
    /// Confirm shipments.
    WriteShipments,
    /// Set stock levels.
    WriteStock,
    /// Read notification channels and the notification log.
    ReadNotifications,
    /// Switch notification channels off and on, send test messages.
    ManageNotifications,
}

const EXPECTED: &str = "one or more of connections:read, connections:manage, orders:read, shipments:write, \
                        stock:write, notifications:read, notifications:manage";

impl ApiKeyScope {
    /// Every scope, in display order.
    pub const ALL: [Self; 7] = [
        Self::ReadConnections,
        Self::ManageConnections,
        Self::ReadOrders,
        Self::WriteShipments,
        Self::WriteStock,
        Self::ReadNotifications,
        Self::ManageNotifications,
    ];

    /// Its name in the API, on the page and in the database, e.g. `orders:read`.
    pub fn code(self) -> &'static str {
        match self {
            Self::ReadConnections => "connections:read",
            Self::ManageConnections => "connections:manage",
            Self::ReadOrders => "orders:read",
            Self::WriteShipments => "shipments:write",
            Self::WriteStock => "stock:write",
            Self::ReadNotifications => "notifications:read",
            Self::ManageNotifications => "notifications:manage",
        }
    }

    /// Parses a scope's code.
    pub fn parse(input: &str) -> Result<Self, NameError> {
        let input = input.trim();
        Self::ALL
            .into_iter()
            .find(|scope| scope.code() == input)
            .ok_or_else(|| NameError {
                field: "scopes",
                problem: format!(
                    "{:?} is not a scope",
                    input.chars().take(40).collect::<String>()
                ),
                expected: EXPECTED,
            })
    }
}

impl fmt::Display for ApiKeyScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The scopes of one key: at least one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyScopes(BTreeSet<ApiKeyScope>);

impl ApiKeyScopes {
    /// Every scope (what keys created before scopes existed hold).
    pub fn all() -> Self {
        Self(ApiKeyScope::ALL.into_iter().collect())
    }

    /// Parses a list of scope codes; an unknown one, or none at all, is refused.
    pub fn parse<'a>(codes: impl IntoIterator<Item = &'a str>) -> Result<Self, NameError> {
        let scopes = codes
            .into_iter()
            .map(ApiKeyScope::parse)
            .collect::<Result<BTreeSet<_>, _>>()?;
        if scopes.is_empty() {
            return Err(NameError {
                field: "scopes",
                problem: "is empty".to_owned(),
                expected: EXPECTED,
            });
        }
        Ok(Self(scopes))
    }

    /// Parses the stored form: codes separated by spaces.
    pub fn parse_stored(text: &str) -> Result<Self, NameError> {
        Self::parse(text.split_whitespace())
    }

    /// The stored form: codes separated by single spaces, in display order.
    pub fn to_stored(&self) -> String {
        self.codes().collect::<Vec<_>>().join(" ")
    }

    /// Whether the key may do this.
    pub fn allows(&self, scope: ApiKeyScope) -> bool {
        self.0.contains(&scope)
    }

    /// The codes, in display order.
    pub fn codes(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.iter().map(|scope| scope.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_parsed_from_their_codes_and_stored_as_text() {
        let scopes = ApiKeyScopes::parse(["stock:write", " orders:read", "stock:write"]).unwrap();
        assert_eq!(scopes.to_stored(), "orders:read stock:write");
        assert_eq!(
            ApiKeyScopes::parse_stored(&scopes.to_stored()).unwrap(),
            scopes
        );
        assert!(scopes.allows(ApiKeyScope::WriteStock));
        assert!(!scopes.allows(ApiKeyScope::WriteShipments));
        let unknown = ApiKeyScopes::parse(["orders:read", "admin"]).unwrap_err();
        assert_eq!(unknown.field, "scopes");
        assert!(unknown.problem.contains("admin"));
        assert!(ApiKeyScopes::parse([]).is_err());
        assert_eq!(
            ApiKeyScopes::parse_stored(&ApiKeyScopes::all().to_stored()).unwrap(),
            ApiKeyScopes::all()
        );
    }
}
