//! Recording Amazon's verdict on a credential on the connection: *access denied* (which pauses its sync) and the
//! successful verification that clears it. Each change is one guarded update with its audit entry.

use jiff::Timestamp;
use sellerlink_domain::audit::{Actor, AuditAction, AuditEntry};
use sellerlink_domain::connection::Connection;
use sellerlink_domain::ids::ConnectionId;
use sellerlink_domain::lifecycle::AccessDenial;
use sellerlink_domain::refusal::RefusalCause;
use sellerlink_store::{Store, StoreError, StoredConnection};

/// The actor of every change the engine makes.
pub(crate) fn actor() -> Actor {
    Actor::system("sync")
}

/// How often a change is re-applied after someone else changed the row in between.
const ATTEMPTS: usize = 3;

fn snapshot(connection: &Connection) -> Option<serde_json::Value> {
    serde_json::to_value(connection).ok()
}

/// Applies `change` to the stored connection and writes it with an `action` audit entry; on a version conflict,
/// reads the row again and re-applies. Returns the connection as it was before the change that was written.
async fn update(
    store: &Store,
    id: ConnectionId,
    now: Timestamp,
    action: AuditAction,
    change: impl Fn(&Connection) -> Connection,
) -> Result<Connection, StoreError> {
    let mut last_conflict = None;
    for _ in 0..ATTEMPTS {
        let StoredConnection {
            connection: before,
            version,
            ..
        } = store.connection(id).await?;
        let after = change(&before);
        let audit = AuditEntry {
            merchant_id: before.merchant_id,
            connection_id: Some(id),
            actor: actor(),
            action,
            at: now,
            before: snapshot(&before),
            after: snapshot(&after),
        };
        match store.update_connection(&after, version, &audit).await {
            Ok(_) => return Ok(before),
            Err(conflict @ StoreError::Conflict { .. }) => last_conflict = Some(conflict),
            Err(other) => return Err(other),
        }
    }
    Err(last_conflict.unwrap_or_else(|| StoreError::Invalid {
        what: "connection update",
        detail: "gave up after repeated conflicts".to_owned(),
    }))
}

/// Records that Amazon refused the connection's credential (audit `access_denied`, actor `system:sync`). A refusal
/// already on record keeps its first time and takes a new cause with its detail; a refusal for the cause already
/// on record (e.g. at an hourly re-check of a paused connection) changes nothing and writes no audit entry.
pub(crate) async fn deny(
    store: &Store,
    id: ConnectionId,
    now: Timestamp,
    cause: RefusalCause,
    code: &str,
    message: &str,
) -> Result<(), StoreError> {
    let detail = match (code.is_empty(), message.is_empty()) {
        (false, false) => format!("{code}: {message}"),
        (false, true) => code.to_owned(),
        (true, false) => message.to_owned(),
        (true, true) => "Amazon refused the credential without an error body".to_owned(),
    };
    let denial = AccessDenial {
        at: now,
        cause,
        detail,
    };
    let on_record = store.connection(id).await?.connection.grant.access_denied;
    if on_record.is_some_and(|known| known.cause == denial.cause) {
        return Ok(());
    }
    update(store, id, now, AuditAction::AccessDenied, |before| {
        Connection {
            grant: before.grant.deny_access(denial.clone()),
            ..before.clone()
        }
    })
    .await?;
    Ok(())
}

/// Records a successful verification: `verified_at = now`, Amazon's names for the connection's marketplaces, and
/// any refusal on record cleared. The audit action is `access_denied_cleared` when a refusal was cleared, else
/// `connection_verified`. Returns whether a refusal was cleared.
pub(crate) async fn verified(
    store: &Store,
    id: ConnectionId,
    now: Timestamp,
    names: &[(sellerlink_domain::ids::MarketplaceId, Option<String>)],
) -> Result<bool, StoreError> {
    let was_denied = store
        .connection(id)
        .await?
        .connection
        .grant
        .access_denied
        .is_some();
    let action = if was_denied {
        AuditAction::AccessDeniedCleared
    } else {
        AuditAction::ConnectionVerified
    };
    update(store, id, now, action, |before| {
        let mut after = before.clone();
        after.grant = before.grant.clear_access_denied();
        after.verified_at = Some(now);
        for marketplace in &mut after.marketplaces {
            if let Some((_, Some(name))) = names.iter().find(|(id, _)| *id == marketplace.id) {
                marketplace.name = Some(name.clone());
            }
        }
        after
    })
    .await?;
    Ok(was_denied)
}
