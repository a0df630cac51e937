//! [`QuotaHandover`]: the seller's quota state that a connection's lease carries from the process that held it to
//! the next (see [`LeaseState`]), joined to this process's gateways.
//!
//! When this process takes a connection's lease in the store, the state the previous holder left is kept until the
//! connection's gateway is opened under the lease — the first moment the seller account is known here, and before
//! any call to Amazon — and then taken on by the gateway factory's buckets for that account. From then on every
//! renewal and the last release store what those buckets say now. sync never looks inside the state: it is the
//! factory's (`GatewayFactory::export_quota` / `import_quota`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use sellerlink_domain::connection::{ApiAccount, Connection};
use sellerlink_domain::ids::ConnectionId;
use sellerlink_domain::quota::QuotaSnapshot;
use sellerlink_gateway::GatewayFactory;
use sellerlink_store::MAX_QUOTA_STATE_BYTES;

use crate::seller_lease::LeaseState;

/// Where this process is with a connection whose lease it holds.
enum Holding {
    /// Taken in the store; what the previous holder left (if readable), not taken on yet.
    Taken(Option<QuotaSnapshot>),
    /// The gateway was opened: the factory's buckets for this account are the seller's quota state.
    Spending(ApiAccount),
}

/// Carries the quota state of held connections between the store's leases and the gateway factory's buckets.
pub(crate) struct QuotaHandover {
    gateways: Arc<dyn GatewayFactory>,
    held: Mutex<HashMap<ConnectionId, Holding>>,
}

impl QuotaHandover {
    pub(crate) fn new(gateways: Arc<dyn GatewayFactory>) -> Self {
        Self {
            gateways,
            held: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<ConnectionId, Holding>> {
        self.held
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The connection's gateway is being opened: if this process took its lease since the last opening, the
    /// state the previous holder left is taken on now, before any call. A connection whose lease this process
    /// does not hold (a verification before it is stored, say) changes nothing.
    pub(crate) fn opening(&self, connection: &Connection) {
        let mut held = self.lock();
        let Some(holding) = held.get_mut(&connection.id) else {
            return;
        };
        if let Holding::Taken(Some(snapshot)) = holding {
            self.gateways.import_quota(&connection.account, snapshot);
            tracing::debug!(
                connection.id = %connection.id,
                buckets = snapshot.buckets.len(),
                "took on the quota state the lease's previous holder left"
            );
        }
        *holding = Holding::Spending(connection.account.clone());
    }
}

impl LeaseState for QuotaHandover {
    fn taken(&self, connection: ConnectionId, stored: Option<String>) {
        let snapshot = stored.and_then(|text| match QuotaSnapshot::from_json(&text) {
            Ok(snapshot) => Some(snapshot),
            Err(error) => {
                tracing::warn!(%error, connection.id = %connection, "ignoring the quota state stored with the lease");
                None
            }
        });
        self.lock().insert(connection, Holding::Taken(snapshot));
    }

    fn current(&self, connection: ConnectionId) -> Option<String> {
        let held = self.lock();
        let Holding::Spending(account) = held.get(&connection)? else {
            return None;
        };
        let text = self.gateways.export_quota(account)?.to_json();
        if text.len() > MAX_QUOTA_STATE_BYTES {
            tracing::warn!(
                connection.id = %connection,
                bytes = text.len(),
                "the quota state is too large to keep with the lease; the stored one stays"
            );
            return None;
        }
        Some(text)
    }

    fn let_go(&self, connection: ConnectionId) {
        self.lock().remove(&connection);
    }
}
