//! The pieces every filtered list of a connection's rows shares: `WHERE` conditions built with their bound
//! arguments (connection, merchant, exact text, one of several values) and the page limit (0 = 100, at most 500).

use sellerlink_domain::ids::{ConnectionId, MerchantId};

use crate::engine::{Args, Engine};
use crate::error::{StoreError, StoreResult};

/// Rows a list returns when its filter does not say.
pub(crate) const DEFAULT_LIMIT: u32 = 100;
/// The most rows one list may ask for.
pub(crate) const MAX_LIMIT: u32 = 500;

/// The limit a filter asks for, or [`StoreError::Invalid`] (naming `what`) above [`MAX_LIMIT`].
pub(crate) fn list_limit(what: &'static str, limit: u32) -> StoreResult<u32> {
    match limit {
        0 => Ok(DEFAULT_LIMIT),
        n if n <= MAX_LIMIT => Ok(n),
        n => Err(StoreError::invalid(
            what,
            format!("{n} is out of range; expected 1–{MAX_LIMIT}, or 0 for {DEFAULT_LIMIT}"),
        )),
    }
}

/// Conditions joined with AND, their values bound to `args` as they are added.
pub(crate) struct Conditions<'a> {
    args: &'a mut Args,
    conditions: Vec<String>,
}

impl<'a> Conditions<'a> {
    pub(crate) fn new(args: &'a mut Args) -> Self {
        Self {
            args,
            conditions: Vec::new(),
        }
    }

    /// Rows of this connection (column `connection_id`).
    pub(crate) fn connection(mut self, connection: Option<ConnectionId>) -> Self {
        if let Some(connection) = connection {
            let value = self.args.text(connection.to_string());
            self.conditions.push(format!("connection_id = {value}"));
        }
        self
    }

    /// Rows of this merchant's connections.
    pub(crate) fn merchant(mut self, merchant: Option<MerchantId>) -> Self {
        if let Some(merchant) = merchant {
            let value = self.args.text(merchant.to_string());
            self.conditions.push(format!(
                "connection_id IN (SELECT id FROM connections WHERE merchant_id = {value})"
            ));
        }
        self
    }

    /// Rows whose `column` is exactly `value`.
    pub(crate) fn equals(mut self, column: &str, value: Option<&str>) -> Self {
        if let Some(value) = value {
            let value = self.args.text(value);
            self.conditions.push(format!("{column} = {value}"));
        }
        self
    }

    /// Rows whose `column` matches the SQL `LIKE` pattern `pattern` (escaped with a backslash), ASCII letters compared
    /// without case on both engines: the column's ASCII capitals are folded to lower case (SQLite's `lower` folds
    /// only those; PostgreSQL's `translate` is told exactly those) and `pattern` must come folded already. Other
    /// characters, full-width letters included, compare exactly on both engines.
    pub(crate) fn like_ascii_folded(mut self, column: &str, pattern: Option<String>) -> Self {
        if let Some(pattern) = pattern {
            let folded = match self.args.engine() {
                Engine::Sqlite => format!("lower({column})"),
                Engine::Postgres => format!(
                    "translate({column}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
                ),
            };
            let value = self.args.text(pattern);
            self.conditions
                .push(format!("{folded} LIKE {value} ESCAPE '\\'"));
        }
        self
    }

    /// Rows whose `column` is one of `values` (no condition when there are none).
    pub(crate) fn one_of<'v>(
        mut self,
        column: &str,
        values: impl IntoIterator<Item = &'v str>,
    ) -> Self {
        let list: Vec<String> = values.into_iter().map(|v| self.args.text(v)).collect();
        if !list.is_empty() {
            self.conditions
                .push(format!("{column} IN ({})", list.join(", ")));
        }
        self
    }

    /// ` WHERE …`, or nothing.
    pub(crate) fn sql(self) -> String {
        if self.conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.conditions.join(" AND "))
        }
    }
}
