//! Read models: a connection with its derived status, safe to print or serialize (no secret inside).

use jiff::Timestamp;
use jiff::civil::Date;
use sellerlink_domain::connection::{Connection, ConnectionStatus};
use sellerlink_domain::lifecycle::StatusPolicy;
use serde::Serialize;

/// A connection as people see it at one instant.
#[derive(Debug, Clone, Serialize)]
pub struct ConnectionView {
    #[serde(flatten)]
    pub connection: Connection,
    /// The derived status at `as_of`.
    pub status: ConnectionStatus,
    /// Whole days until the expiry date (negative once expired), if the expiry feature is on.
    pub days_until_expiry: Option<i32>,
    /// The expiry date, if any.
    pub expires_on: Option<Date>,
    /// The credential, masked (e.g. `amzn.mws.…c0ffee`).
    pub credential_masked: String,
    /// The instant the status was derived at.
    pub as_of: Timestamp,
}

impl ConnectionView {
    pub(crate) fn new(
        connection: Connection,
        credential_masked: String,
        now: Timestamp,
        policy: &StatusPolicy,
    ) -> Self {
        Self {
            status: connection.status(now, policy),
            days_until_expiry: connection.grant.days_until_expiry(now),
            expires_on: connection.grant.expires_on(),
            credential_masked,
            as_of: now,
            connection,
        }
    }
}
