//! The audit log: written inside the transaction of the change it describes, read newest first.

use sellerlink_domain::audit::{Actor, AuditAction, AuditEntry};
use sellerlink_domain::ids::{ConnectionId, MerchantId};
use uuid::Uuid;

use crate::codec::{Column, json_text, millis};
use crate::engine::{Args, Handle, bind_args, on_conn, on_pool};
use crate::error::{StoreError, StoreResult};
use crate::store::Store;

/// Which audit entries to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only this merchant's entries.
    pub merchant: Option<MerchantId>,
    /// Only this connection's entries (also after the connection was removed).
    pub connection: Option<ConnectionId>,
    /// At most this many entries.
    pub limit: u32,
}

impl Default for AuditFilter {
    /// Every entry, the newest 100.
    fn default() -> Self {
        Self {
            merchant: None,
            connection: None,
            limit: 100,
        }
    }
}

/// An audit entry as stored, with its id.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRecord {
    /// A UUIDv7 given when the entry was written.
    pub id: Uuid,
    /// The entry.
    pub entry: AuditEntry,
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: String,
    merchant_id: String,
    connection_id: Option<String>,
    actor: String,
    action: String,
    at_ms: i64,
    before_json: Option<String>,
    after_json: Option<String>,
}

const TABLE: &str = "audit_log";

impl AuditRow {
    fn into_record(self) -> StoreResult<AuditRecord> {
        let col = |name| Column::new(TABLE, name);
        Ok(AuditRecord {
            id: col("id").parse(Uuid::try_parse(&self.id))?,
            entry: AuditEntry {
                merchant_id: col("merchant_id").parse(MerchantId::parse(&self.merchant_id))?,
                connection_id: self
                    .connection_id
                    .as_deref()
                    .map(|id| col("connection_id").parse(ConnectionId::parse(id)))
                    .transpose()?,
                actor: Actor::from_stored(self.actor),
                action: col("action").known(AuditAction::parse(&self.action), &self.action)?,
                at: col("at_ms").instant(self.at_ms)?,
                before: self
                    .before_json
                    .as_deref()
                    .map(|text| col("before_json").json(text))
                    .transpose()?,
                after: self
                    .after_json
                    .as_deref()
                    .map(|text| col("after_json").json(text))
                    .transpose()?,
            },
        })
    }
}

/// Refuses an audit entry that is not about the merchant (and connection) being changed.
pub(crate) fn expect_subject(
    entry: &AuditEntry,
    merchant: MerchantId,
    connection: Option<ConnectionId>,
) -> StoreResult<()> {
    if entry.merchant_id != merchant {
        return Err(StoreError::invalid(
            "audit entry",
            format!(
                "names merchant {} but the change is to merchant {merchant}",
                entry.merchant_id
            ),
        ));
    }
    if entry.connection_id != connection {
        let named = entry.connection_id.map_or_else(
            || "no connection".to_owned(),
            |id| format!("connection {id}"),
        );
        let changed = connection.map_or_else(
            || "no connection".to_owned(),
            |id| format!("connection {id}"),
        );
        return Err(StoreError::invalid(
            "audit entry",
            format!("names {named} but the change concerns {changed}"),
        ));
    }
    Ok(())
}

/// Appends an entry; call it inside the transaction of the change it describes.
pub(crate) async fn write_audit(handle: Handle<'_>, entry: &AuditEntry) -> StoreResult<()> {
    let before = entry
        .before
        .as_ref()
        .map(|v| json_text("audit before", v))
        .transpose()?;
    let after = entry
        .after
        .as_ref()
        .map(|v| json_text("audit after", v))
        .transpose()?;
    const SQL: &str = "INSERT INTO audit_log \
        (id, merchant_id, connection_id, actor, action, at_ms, before_json, after_json) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    on_conn!(handle, |c| {
        sqlx::query(SQL)
            .bind(Uuid::now_v7().hyphenated().to_string())
            .bind(entry.merchant_id.to_string())
            .bind(entry.connection_id.map(|id| id.to_string()))
            .bind(entry.actor.as_str().to_owned())
            .bind(entry.action.as_str())
            .bind(millis(entry.at))
            .bind(before)
            .bind(after)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    Ok(())
}

impl Store {
    /// Audit entries, newest first.
    pub async fn audit_entries(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditRecord>> {
        let mut args = Args::new(self.engine());
        let mut conditions = Vec::new();
        if let Some(merchant) = filter.merchant {
            conditions.push(format!("merchant_id = {}", args.text(merchant.to_string())));
        }
        if let Some(connection) = filter.connection {
            conditions.push(format!(
                "connection_id = {}",
                args.text(connection.to_string())
            ));
        }
        let mut sql = String::from(
            "SELECT id, merchant_id, connection_id, actor, action, at_ms, before_json, after_json FROM audit_log",
        );
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        let limit = args.int(i64::from(filter.limit));
        sql.push_str(&format!(" ORDER BY at_ms DESC, id DESC LIMIT {limit}"));
        let rows: Vec<AuditRow> = on_pool!(&self.pool, |pool| {
            bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), args)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(AuditRow::into_record).collect()
    }
}
