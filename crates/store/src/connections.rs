//! Connections: one seller account per row, with its access grant, an optimistic-concurrency version and the
//! sealed credential (kept in [`crate::credentials`]'s columns, never read here).

use std::fmt;

use jiff::civil::Date;
use sellerlink_domain::audit::AuditEntry;
use sellerlink_domain::connection::Connection;
use sellerlink_domain::ids::{ConnectionId, MerchantId};

use crate::audit::{expect_subject, write_audit};
use crate::codec::{Column, date_text};
use crate::connection_row::{ConnectionColumns, ConnectionRow, connection_select};
use crate::credentials::{SealedCredential, check_sealed};
use crate::engine::{Args, Handle, Tx, bind_args, on_conn, on_pool};
use crate::error::{StoreError, StoreResult, is_foreign_key_violation, is_unique_violation};
use crate::store::Store;

/// The version of a connection row, raised by one on every change; pass the version you read to a change so it
/// fails with [`StoreError::Conflict`] if someone else changed the row in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RowVersion(i64);

impl RowVersion {
    /// The version of a freshly inserted row.
    pub const FIRST: Self = Self(1);

    /// The number.
    pub fn get(self) -> i64 {
        self.0
    }

    pub(crate) fn from_stored(value: i64) -> Self {
        Self(value)
    }
}

impl fmt::Display for RowVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A connection as stored: the domain value, its row version and the id of the key its credential is sealed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredConnection {
    /// The connection.
    pub connection: Connection,
    /// Its current version, for [`Store::update_connection`] and [`Store::replace_credential`].
    pub version: RowVersion,
    /// The key-encryption key that seals its credential (not secret; shows key-rotation progress).
    pub credential_kek_id: String,
}

/// Which connections to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectionFilter {
    /// Only this merchant's connections.
    pub merchant: Option<MerchantId>,
    /// Only connections whose expiry feature is on and whose expiry date is on or before this date.
    pub expires_on_or_before: Option<Date>,
}

impl ConnectionRow {
    pub(crate) fn into_stored(self) -> StoreResult<StoredConnection> {
        Ok(StoredConnection {
            connection: self.to_connection()?,
            version: RowVersion::from_stored(self.version),
            credential_kek_id: self.credential_kek_id,
        })
    }
}

/// What is stored about a connection's identity, to explain why a guarded change matched no row.
#[derive(sqlx::FromRow)]
struct Guard {
    version: i64,
    merchant_id: String,
    api: String,
    seller_id: String,
    developer_id: Option<String>,
    region: Option<String>,
}

async fn read_guard(handle: Handle<'_>, id: ConnectionId) -> StoreResult<Option<Guard>> {
    const SQL: &str = "SELECT version, merchant_id, api, seller_id, developer_id, region \
        FROM connections WHERE id = $1";
    Ok(on_conn!(handle, |c| {
        sqlx::query_as(SQL)
            .bind(id.to_string())
            .fetch_optional(&mut *c)
            .await?
    }))
}

/// Explains why a change guarded by (id, version, merchant[, account]) matched no row.
pub(crate) async fn explain_guard_miss(
    handle: Handle<'_>,
    id: ConnectionId,
    expected: RowVersion,
    columns: Option<&ConnectionColumns>,
    merchant: MerchantId,
) -> StoreError {
    let guard = match read_guard(handle, id).await {
        Ok(Some(guard)) => guard,
        Ok(None) => return StoreError::not_found("connection", id),
        Err(error) => return error,
    };
    if guard.version != expected.get() {
        return StoreError::Conflict {
            what: "connection",
            id: id.to_string(),
            detail: format!(
                "expected version {expected}, the stored version is {}",
                guard.version
            ),
        };
    }
    if guard.merchant_id != merchant.to_string() {
        return StoreError::invalid(
            "connection merchant",
            format!(
                "the connection belongs to merchant {}, not {merchant}; a connection cannot move to another merchant",
                guard.merchant_id
            ),
        );
    }
    if let Some(columns) = columns {
        let same_account = guard.api == columns.api
            && guard.seller_id == columns.seller_id
            && guard.developer_id == columns.developer_id
            && guard.region.as_deref() == columns.region;
        if !same_account {
            return StoreError::invalid(
                "connection account",
                "the seller account (API, seller ID, developer ID, region) of a connection cannot change; \
                 remove the connection and add a new one",
            );
        }
    }
    StoreError::Conflict {
        what: "connection",
        id: id.to_string(),
        detail: "the row changed while it was being updated".to_owned(),
    }
}

impl Store {
    /// Adds a connection with its sealed credential and its audit entry in one transaction. Its version is
    /// [`RowVersion::FIRST`].
    ///
    /// Errors: [`StoreError::Duplicate`] if this seller account is already connected in the same region (through
    /// either API), or through the same API;
    /// [`StoreError::NotFound`] if the merchant does not exist; [`StoreError::Invalid`] if the audit entry is about
    /// another merchant or connection, or the connection has no marketplace.
    pub async fn insert_connection(
        &self,
        connection: &Connection,
        credential: &SealedCredential,
        audit: &AuditEntry,
    ) -> StoreResult<()> {
        expect_subject(audit, connection.merchant_id, Some(connection.id))?;
        check_sealed(credential)?;
        let columns = ConnectionColumns::of(connection)?;
        let seller = format!(
            "{} seller {} in region {}",
            columns.api, columns.seller_id, columns.account_region
        );
        let mut tx = self.pool.begin().await?;
        const SQL: &str = "INSERT INTO connections (id, merchant_id, api, seller_id, developer_id, region, \
            marketplaces_json, granted_at_ms, last_approved_on, expiry_enabled, expires_on, term, time_zone, \
            revoked_at_ms, access_denied_at_ms, access_denied_cause, access_denied_detail, verified_at_ms, \
            created_at_ms, version, credential_kek_id, credential_blob, account_region, import_due_ms) \
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, 1, $20, $21, \
            $22, $19)";
        let inserted = on_conn!(tx.handle(), |c| {
            sqlx::query(SQL)
                .bind(columns.id)
                .bind(columns.merchant_id)
                .bind(columns.api)
                .bind(columns.seller_id)
                .bind(columns.developer_id)
                .bind(columns.region)
                .bind(columns.marketplaces_json)
                .bind(columns.granted_at_ms)
                .bind(columns.last_approved_on)
                .bind(columns.expiry_enabled)
                .bind(columns.expires_on)
                .bind(columns.term)
                .bind(columns.time_zone)
                .bind(columns.revoked_at_ms)
                .bind(columns.access_denied_at_ms)
                .bind(columns.access_denied_cause)
                .bind(columns.access_denied_detail)
                .bind(columns.verified_at_ms)
                .bind(columns.created_at_ms)
                .bind(credential.kek_id.clone())
                .bind(credential.blob.clone())
                .bind(columns.account_region)
                .execute(&mut *c)
                .await
                .map(|done| done.rows_affected())
        });
        inserted.map_err(|e| {
            if is_unique_violation(&e) {
                StoreError::Duplicate {
                    what: "connection",
                    detail: format!(
                        "{seller} is already connected (or the connection id {} is taken)",
                        connection.id
                    ),
                }
            } else if is_foreign_key_violation(&e) {
                StoreError::not_found("merchant", connection.merchant_id)
            } else {
                e.into()
            }
        })?;
        write_audit(tx.handle(), audit).await?;
        tx.commit().await
    }

    /// The connection with this id, or [`StoreError::NotFound`].
    pub async fn connection(&self, id: ConnectionId) -> StoreResult<StoredConnection> {
        const SQL: &str = concat!(connection_select!(), " WHERE id = $1");
        let row: Option<ConnectionRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(SQL)
                .bind(id.to_string())
                .fetch_optional(pool)
                .await?
        });
        row.ok_or_else(|| StoreError::not_found("connection", id))?
            .into_stored()
    }

    /// Connections matching the filter, oldest first.
    pub async fn connections(
        &self,
        filter: &ConnectionFilter,
    ) -> StoreResult<Vec<StoredConnection>> {
        let mut args = Args::new(self.engine());
        let mut conditions = Vec::new();
        if let Some(merchant) = filter.merchant {
            conditions.push(format!("merchant_id = {}", args.text(merchant.to_string())));
        }
        if let Some(date) = filter.expires_on_or_before {
            conditions.push(format!(
                "expires_on IS NOT NULL AND expires_on <= {}",
                args.text(date_text(date))
            ));
        }
        let mut sql = String::from(connection_select!());
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        sql.push_str(" ORDER BY created_at_ms, id");
        let rows: Vec<ConnectionRow> = on_pool!(&self.pool, |pool| {
            bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), args)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(ConnectionRow::into_stored).collect()
    }

    /// The ids of at most `limit` connections after `after` (from the first when `None`), in id order: one page of
    /// a walk over every connection that holds one page in memory at a time (`sync --all`). Pass the last id of a
    /// page to get the next; an empty page ends the walk. Connections added during the walk with an id below the
    /// cursor are not visited (ids are time-ordered UUIDv7, so new ones mostly sort last).
    pub async fn connection_ids_after(
        &self,
        after: Option<ConnectionId>,
        limit: u32,
    ) -> StoreResult<Vec<ConnectionId>> {
        const FIRST: &str = "SELECT id FROM connections ORDER BY id LIMIT $1";
        const NEXT: &str = "SELECT id FROM connections WHERE id > $1 ORDER BY id LIMIT $2";
        let limit = i64::from(limit);
        let ids: Vec<String> = match after {
            None => on_pool!(&self.pool, |pool| {
                sqlx::query_scalar(FIRST)
                    .bind(limit)
                    .fetch_all(pool)
                    .await?
            }),
            Some(after) => on_pool!(&self.pool, |pool| {
                sqlx::query_scalar(NEXT)
                    .bind(after.to_string())
                    .bind(limit)
                    .fetch_all(pool)
                    .await?
            }),
        };
        ids.iter()
            .map(|id| Column::new("connections", "id").parse(ConnectionId::parse(id)))
            .collect()
    }

    /// How many connections are stored (every merchant's, paused ones too).
    pub async fn count_connections(&self) -> StoreResult<u64> {
        const SQL: &str = "SELECT COUNT(*) FROM connections";
        let count: i64 = on_pool!(&self.pool, |pool| {
            sqlx::query_scalar(SQL).fetch_one(pool).await?
        });
        Column::new("connections", "COUNT(*)").count(count)
    }

    /// Writes a connection's new state (grant, marketplaces, verification) if its stored version is still
    /// `expected`, with the audit entry, in one transaction; returns the new version.
    ///
    /// The id, merchant, seller account and creation time of a connection never change. Errors:
    /// [`StoreError::Conflict`] if the version moved on, [`StoreError::NotFound`], [`StoreError::Invalid`] for a
    /// changed merchant or account or an audit entry about something else.
    pub async fn update_connection(
        &self,
        connection: &Connection,
        expected: RowVersion,
        audit: &AuditEntry,
    ) -> StoreResult<RowVersion> {
        expect_subject(audit, connection.merchant_id, Some(connection.id))?;
        let mut tx = self.pool.begin().await?;
        let version = write_connection_update(&mut tx, connection, expected, audit).await?;
        tx.commit().await?;
        Ok(version)
    }

    /// Removes a connection with its orders, order items, shipments, stock levels, sync watermarks and sync runs, and
    /// writes the audit entry, in one transaction. The audit log keeps its entries about the connection.
    pub async fn remove_connection(&self, id: ConnectionId, audit: &AuditEntry) -> StoreResult<()> {
        if audit.connection_id != Some(id) {
            return Err(StoreError::invalid(
                "audit entry",
                format!("must name the removed connection {id}"),
            ));
        }
        let mut tx = self.pool.begin().await?;
        let guard = read_guard(tx.handle(), id)
            .await?
            .ok_or_else(|| StoreError::not_found("connection", id))?;
        let merchant = MerchantId::parse(&guard.merchant_id).map_err(|e| StoreError::Corrupt {
            table: "connections",
            column: "merchant_id",
            detail: e.to_string(),
        })?;
        expect_subject(audit, merchant, Some(id))?;
        const STATEMENTS: [&str; 8] = [
            "DELETE FROM order_items WHERE connection_id = $1",
            "DELETE FROM order_quarantine WHERE connection_id = $1",
            "DELETE FROM orders WHERE connection_id = $1",
            "DELETE FROM shipments WHERE connection_id = $1",
            "DELETE FROM stock_levels WHERE connection_id = $1",
            "DELETE FROM sync_watermarks WHERE connection_id = $1",
            "DELETE FROM sync_runs WHERE connection_id = $1",
            "DELETE FROM connections WHERE id = $1",
        ];
        for sql in STATEMENTS {
            on_conn!(tx.handle(), |c| {
                sqlx::query(sql)
                    .bind(id.to_string())
                    .execute(&mut *c)
                    .await?
                    .rows_affected()
            });
        }
        write_audit(tx.handle(), audit).await?;
        tx.commit().await
    }
}

/// The guarded UPDATE of [`Store::update_connection`] and its audit entry, inside the caller's transaction (which
/// may change more of the row, e.g. its credential); returns the new version.
pub(crate) async fn write_connection_update(
    tx: &mut Tx,
    connection: &Connection,
    expected: RowVersion,
    audit: &AuditEntry,
) -> StoreResult<RowVersion> {
    let columns = ConnectionColumns::of(connection)?;
    const SQL: &str = "UPDATE connections SET marketplaces_json = $1, granted_at_ms = $2, \
        last_approved_on = $3, expiry_enabled = $4, expires_on = $5, term = $6, time_zone = $7, \
        revoked_at_ms = $8, access_denied_at_ms = $9, access_denied_cause = $10, access_denied_detail = $11, \
        verified_at_ms = $12, version = version + 1 \
        WHERE id = $13 AND version = $14 AND merchant_id = $15 AND api = $16 AND seller_id = $17 \
        AND developer_id IS NOT DISTINCT FROM $18 AND region IS NOT DISTINCT FROM $19";
    let updated = on_conn!(tx.handle(), |c| {
        sqlx::query(SQL)
            .bind(columns.marketplaces_json.clone())
            .bind(columns.granted_at_ms)
            .bind(columns.last_approved_on.clone())
            .bind(columns.expiry_enabled)
            .bind(columns.expires_on.clone())
            .bind(columns.term)
            .bind(columns.time_zone.clone())
            .bind(columns.revoked_at_ms)
            .bind(columns.access_denied_at_ms)
            .bind(columns.access_denied_cause.clone())
            .bind(columns.access_denied_detail.clone())
            .bind(columns.verified_at_ms)
            .bind(columns.id.clone())
            .bind(expected.get())
            .bind(columns.merchant_id.clone())
            .bind(columns.api)
            .bind(columns.seller_id.clone())
            .bind(columns.developer_id.clone())
            .bind(columns.region)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if updated != 1 {
        return Err(explain_guard_miss(
            tx.handle(),
            connection.id,
            expected,
            Some(&columns),
            connection.merchant_id,
        )
        .await);
    }
    write_audit(tx.handle(), audit).await?;
    Ok(RowVersion(expected.get() + 1))
}
