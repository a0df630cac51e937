//! Planning deliveries: idempotent inserts keyed by (connection, kind, cycle, offset, channel), giving up on
//! pending ones that no longer make sense, and closing access incidents — one transaction per connection.

use jiff::Timestamp;
use sellerlink_domain::ids::{ConnectionId, MerchantId};

use super::ids::{ChannelId, CycleKey, DeliveryId, DeliveryKind, DeliveryState};
use crate::codec::{Column, millis};
use crate::engine::{Engine, Handle, on_conn, on_pool};
use crate::error::{StoreError, StoreResult};
use crate::store::Store;

/// A delivery to plan. Planning the same (connection, kind, cycle, offset, channel) again changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDelivery {
    /// The idempotency key; derive it from what makes the delivery unique, so every planner picks the same.
    pub id: DeliveryId,
    /// The connection it is about (`None` only for a test send).
    pub connection_id: Option<ConnectionId>,
    /// The merchant it is about.
    pub merchant_id: Option<MerchantId>,
    /// What it reports.
    pub kind: DeliveryKind,
    /// The cycle it belongs to.
    pub cycle: CycleKey,
    /// Days before the expiry date, for reminders.
    pub offset_days: Option<i32>,
    /// The channel it goes to.
    pub channel_id: ChannelId,
    /// The mailbox or webhook URL (shown without query) it is addressed to.
    pub recipient: String,
    /// The notification as the sender will send it, as JSON.
    pub payload_json: String,
    /// When it was planned; it may be sent from then on.
    pub planned_at: Timestamp,
    /// `Some(reason)` records it as skipped instead of planning it (e.g. a less urgent reminder whose day passed
    /// while no worker ran).
    pub skipped: Option<String>,
}

/// Pending reminders of a connection to give up on, with the reason recorded in `last_error`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipPending {
    /// Every planned reminder of a cycle other than `keep` (all of them when `keep` is `None`): the connection was
    /// renewed, restored, revoked or has no expiry any more.
    RemindersOutside {
        /// The current cycle, whose reminders stay.
        keep: Option<CycleKey>,
        /// Why.
        reason: String,
    },
    /// Planned reminders of `cycle` further from the expiry than `offset_days`: a more urgent one replaces them.
    LessUrgent {
        /// The cycle.
        cycle: CycleKey,
        /// The offset that is due now.
        offset_days: i32,
        /// Why.
        reason: String,
    },
}

/// An access incident of the connection that ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedIncident {
    /// The incident (its start).
    pub cycle: CycleKey,
    /// Why its still-planned `access_lost` alerts are given up.
    pub reason: String,
}

/// Everything planned for one connection in one pass, written in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryPlan {
    /// The connection.
    pub connection_id: ConnectionId,
    /// Deliveries to insert (existing ones are left as they are).
    pub rows: Vec<NewDelivery>,
    /// Pending reminders to give up on.
    pub skip_pending: Vec<SkipPending>,
    /// Incidents that ended. Put their `access_restored` rows (planned, or skipped when the incident ended
    /// without access coming back) in `rows`, one per channel that had an `access_lost` row: an incident counts as
    /// open while it has an `access_lost` row and no `access_restored` row. Within the transaction, an
    /// `access_lost` alert that is still planned is given up, and so is the restore notice on every channel whose
    /// `access_lost` alert never went out.
    pub close_incidents: Vec<ClosedIncident>,
}

/// What a plan changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanCounts {
    /// Deliveries newly planned to be sent.
    pub planned: u32,
    /// Deliveries newly recorded as skipped, or pending ones given up.
    pub skipped: u32,
}

/// Why a restore notice is not sent on a channel whose access-lost alert never went out.
const RESTORE_WITHOUT_ALERT: &str = "the access-lost alert on this channel never went out";

async fn insert_row(handle: Handle<'_>, row: &NewDelivery) -> StoreResult<u64> {
    let offset = row.offset_days.map(i64::from);
    let state = if row.skipped.is_some() {
        DeliveryState::Skipped
    } else {
        DeliveryState::Planned
    };
    const SQL: &str = "INSERT INTO notification_deliveries (id, connection_id, merchant_id, kind, cycle_key, \
        offset_days, channel_id, recipient, payload_json, state, attempts, last_error, planned_at_ms, \
        next_attempt_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $12, $12) \
        ON CONFLICT DO NOTHING";
    Ok(on_conn!(handle, |c| {
        sqlx::query(SQL)
            .bind(row.id.to_string())
            .bind(row.connection_id.map(|id| id.to_string()))
            .bind(row.merchant_id.map(|id| id.to_string()))
            .bind(row.kind.as_str())
            .bind(row.cycle.as_str().to_owned())
            .bind(offset)
            .bind(row.channel_id.to_string())
            .bind(row.recipient.clone())
            .bind(row.payload_json.clone())
            .bind(state.as_str())
            .bind(row.skipped.clone())
            .bind(millis(row.planned_at))
            .execute(&mut *c)
            .await?
            .rows_affected()
    }))
}

async fn skip_pending(
    handle: Handle<'_>,
    connection: ConnectionId,
    skip: &SkipPending,
) -> StoreResult<u64> {
    const BASE: &str = "UPDATE notification_deliveries SET state = 'skipped', last_error = $1 \
        WHERE connection_id = $2 AND kind = 'expiry_reminder' AND state = 'planned'";
    Ok(match skip {
        SkipPending::RemindersOutside { keep: None, reason } => on_conn!(handle, |c| {
            sqlx::query(BASE)
                .bind(reason.clone())
                .bind(connection.to_string())
                .execute(&mut *c)
                .await?
                .rows_affected()
        }),
        SkipPending::RemindersOutside {
            keep: Some(keep),
            reason,
        } => {
            let sql = format!("{BASE} AND cycle_key <> $3");
            on_conn!(handle, |c| {
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(reason.clone())
                    .bind(connection.to_string())
                    .bind(keep.as_str().to_owned())
                    .execute(&mut *c)
                    .await?
                    .rows_affected()
            })
        }
        SkipPending::LessUrgent {
            cycle,
            offset_days,
            reason,
        } => {
            let sql = format!("{BASE} AND cycle_key = $3 AND offset_days > $4");
            on_conn!(handle, |c| {
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(reason.clone())
                    .bind(connection.to_string())
                    .bind(cycle.as_str().to_owned())
                    .bind(i64::from(*offset_days))
                    .execute(&mut *c)
                    .await?
                    .rows_affected()
            })
        }
    })
}

/// On PostgreSQL, locks the incident's access-lost rows so that no worker claims one while the incident closes
/// (SQLite's write transaction already excludes every other writer).
async fn lock_incident(
    mut handle: Handle<'_>,
    connection: ConnectionId,
    cycle: &CycleKey,
) -> StoreResult<()> {
    if handle.engine() != Engine::Postgres {
        return Ok(());
    }
    const SQL: &str = "SELECT id FROM notification_deliveries \
        WHERE connection_id = $1 AND kind = 'access_lost' AND cycle_key = $2 FOR UPDATE";
    on_conn!(handle.reborrow(), |c| {
        sqlx::query(SQL)
            .bind(connection.to_string())
            .bind(cycle.as_str().to_owned())
            .fetch_all(&mut *c)
            .await?
            .len()
    });
    Ok(())
}

/// Gives up the restore notices of channels whose alert never went out, then the alerts still planned; returns
/// how many of each.
async fn close_incident(
    mut handle: Handle<'_>,
    connection: ConnectionId,
    incident: &ClosedIncident,
) -> StoreResult<[u64; 2]> {
    const RESTORES: &str = "UPDATE notification_deliveries SET state = 'skipped', last_error = $1 \
        WHERE connection_id = $2 AND kind = 'access_restored' AND cycle_key = $3 AND state = 'planned' \
        AND channel_id IN (SELECT channel_id FROM notification_deliveries WHERE connection_id = $2 \
            AND kind = 'access_lost' AND cycle_key = $3 AND state IN ('planned', 'skipped', 'failed'))";
    const ALERTS: &str = "UPDATE notification_deliveries SET state = 'skipped', last_error = $1 \
        WHERE connection_id = $2 AND kind = 'access_lost' AND cycle_key = $3 AND state = 'planned'";
    let mut changed = [0; 2];
    for (slot, (sql, reason)) in [
        (RESTORES, RESTORE_WITHOUT_ALERT),
        (ALERTS, incident.reason.as_str()),
    ]
    .into_iter()
    .enumerate()
    {
        changed[slot] = on_conn!(handle.reborrow(), |c| {
            sqlx::query(sql)
                .bind(reason.to_owned())
                .bind(connection.to_string())
                .bind(incident.cycle.as_str().to_owned())
                .execute(&mut *c)
                .await?
                .rows_affected()
        });
    }
    Ok(changed)
}

fn check_plan(plan: &DeliveryPlan) -> StoreResult<()> {
    for row in &plan.rows {
        if row.connection_id != Some(plan.connection_id) {
            return Err(StoreError::invalid(
                "delivery plan",
                format!(
                    "delivery {} is not about connection {}; a plan covers one connection",
                    row.id, plan.connection_id
                ),
            ));
        }
        if row.kind == DeliveryKind::Test {
            return Err(StoreError::invalid(
                "delivery plan",
                "test sends are not planned; use insert_test_delivery",
            ));
        }
    }
    Ok(())
}

fn count(value: u64) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// A (connection, cycle) pair as read.
#[derive(sqlx::FromRow)]
struct IncidentRow {
    connection_id: String,
    cycle_key: String,
}

impl IncidentRow {
    fn into_pair(self) -> StoreResult<(ConnectionId, CycleKey)> {
        let col = |name| Column::new("notification_deliveries", name);
        Ok((
            col("connection_id").parse(ConnectionId::parse(&self.connection_id))?,
            col("cycle_key").parse(CycleKey::parse(&self.cycle_key))?,
        ))
    }
}

impl Store {
    /// Writes one connection's plan in one transaction: inserts its deliveries unless they exist (`ON CONFLICT DO
    /// NOTHING` on the unique key, so several workers planning at once plan each delivery once), gives up pending
    /// reminders that no longer apply, and closes ended incidents (see [`DeliveryPlan::close_incidents`]).
    pub async fn plan_deliveries(&self, plan: &DeliveryPlan) -> StoreResult<PlanCounts> {
        check_plan(plan)?;
        let mut counts = PlanCounts::default();
        let mut tx = self.pool.begin().await?;
        for incident in &plan.close_incidents {
            lock_incident(tx.handle(), plan.connection_id, &incident.cycle).await?;
        }
        for row in &plan.rows {
            let inserted = count(insert_row(tx.handle(), row).await?);
            if row.skipped.is_some() {
                counts.skipped += inserted;
            } else {
                counts.planned += inserted;
            }
        }
        for skip in &plan.skip_pending {
            counts.skipped += count(skip_pending(tx.handle(), plan.connection_id, skip).await?);
        }
        for incident in &plan.close_incidents {
            let [restores, alerts] =
                close_incident(tx.handle(), plan.connection_id, incident).await?;
            // Restore rows of this plan that turn out not to be needed were counted as planned above.
            counts.planned = counts.planned.saturating_sub(count(restores));
            counts.skipped += count(restores) + count(alerts);
        }
        tx.commit().await?;
        Ok(counts)
    }

    /// Records a test send, planned to go out at once. Its cycle is its own id, so it never collides.
    pub async fn insert_test_delivery(&self, row: &NewDelivery) -> StoreResult<()> {
        if row.kind != DeliveryKind::Test
            || row.cycle != CycleKey::test(row.id)
            || row.skipped.is_some()
        {
            return Err(StoreError::invalid(
                "test delivery",
                "expected kind test, the delivery's own id as its cycle, and no skip reason",
            ));
        }
        let mut tx = self.pool.begin().await?;
        let inserted = insert_row(tx.handle(), row).await?;
        if inserted != 1 {
            return Err(StoreError::Duplicate {
                what: "notification delivery",
                detail: format!("the id {} is taken", row.id),
            });
        }
        tx.commit().await
    }

    /// Access incidents that are still open: those with an `access_lost` delivery and no `access_restored` one,
    /// by connection. This is how the planner remembers which incident was alerted, so that the restore notice
    /// goes out once.
    pub async fn open_access_incidents(&self) -> StoreResult<Vec<(ConnectionId, CycleKey)>> {
        const SQL: &str = "SELECT DISTINCT l.connection_id, l.cycle_key FROM notification_deliveries l \
            WHERE l.kind = 'access_lost' AND l.connection_id IS NOT NULL AND NOT EXISTS ( \
                SELECT 1 FROM notification_deliveries r WHERE r.connection_id = l.connection_id \
                AND r.kind = 'access_restored' AND r.cycle_key = l.cycle_key) \
            ORDER BY l.connection_id, l.cycle_key";
        let rows: Vec<IncidentRow> = on_pool!(&self.pool, |pool| sqlx::query_as(SQL)
            .fetch_all(pool)
            .await?);
        rows.into_iter().map(IncidentRow::into_pair).collect()
    }

    /// The channels that already have a delivery of this (connection, kind, cycle, offset), whatever became of it,
    /// in id order: a planner plans only for the others.
    pub async fn channels_with_delivery(
        &self,
        connection: ConnectionId,
        kind: DeliveryKind,
        cycle: &CycleKey,
        offset_days: Option<i32>,
    ) -> StoreResult<Vec<ChannelId>> {
        const SQL: &str = "SELECT DISTINCT channel_id FROM notification_deliveries \
            WHERE connection_id = $1 AND kind = $2 AND cycle_key = $3 AND COALESCE(offset_days, -1) = $4 \
            ORDER BY channel_id";
        let ids: Vec<String> = on_pool!(&self.pool, |pool| {
            sqlx::query_scalar(SQL)
                .bind(connection.to_string())
                .bind(kind.as_str())
                .bind(cycle.as_str().to_owned())
                .bind(offset_days.map_or(-1, i64::from))
                .fetch_all(pool)
                .await?
        });
        let col = Column::new("notification_deliveries", "channel_id");
        ids.iter()
            .map(|id| col.parse(ChannelId::parse(id)))
            .collect()
    }

    /// (connection, cycle) of the deliveries of `kind` still planned (waiting to be sent or retried), so a planner
    /// can give up those of a cycle that ended.
    pub async fn pending_cycles(
        &self,
        kind: DeliveryKind,
    ) -> StoreResult<Vec<(ConnectionId, CycleKey)>> {
        const SQL: &str = "SELECT DISTINCT connection_id, cycle_key FROM notification_deliveries \
            WHERE state = 'planned' AND kind = $1 AND connection_id IS NOT NULL \
            ORDER BY connection_id, cycle_key";
        let rows: Vec<IncidentRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(SQL)
                .bind(kind.as_str())
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(IncidentRow::into_pair).collect()
    }

    /// Gives up every planned delivery about a connection that no longer exists; returns how many.
    pub async fn skip_deliveries_of_removed_connections(&self) -> StoreResult<u32> {
        const SQL: &str = "UPDATE notification_deliveries \
            SET state = 'skipped', last_error = 'the connection was removed' \
            WHERE state = 'planned' AND connection_id IS NOT NULL \
            AND NOT EXISTS (SELECT 1 FROM connections c WHERE c.id = notification_deliveries.connection_id)";
        let skipped = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL).execute(pool).await?.rows_affected()
        });
        Ok(count(skipped))
    }
}
