//! The audit log: written inside the transaction of the change it describes, read newest first.

use jiff::Timestamp;
use sellerlink_domain::audit::{Actor, AuditAction, AuditEntry};
use sellerlink_domain::ids::{ConnectionId, MerchantId};
use uuid::Uuid;

use crate::codec::{Column, json_text, millis};
use crate::engine::{Args, Handle, bind_args, on_conn, on_pool};
use crate::error::{StoreError, StoreResult};
use crate::store::Store;

/// Which audit entries to read, newest first. Filters combine with AND; empty ones do not filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only this merchant's entries.
    pub merchant: Option<MerchantId>,
    /// Only this connection's entries (also after the connection was removed).
    pub connection: Option<ConnectionId>,
    /// Only entries of one of these actions (empty = any action).
    pub actions: Vec<AuditAction>,
    /// Only entries at or after this instant.
    pub from: Option<Timestamp>,
    /// Only entries before this instant.
    pub to: Option<Timestamp>,
    /// Only entries older than this one (page by cursor: pass the cursor of the last entry read).
    pub before: Option<AuditCursor>,
    /// At most this many entries.
    pub limit: u32,
    /// Skip this many entries first (page by number; combine with `before = None`).
    pub offset: u64,
}

impl Default for AuditFilter {
    /// Every entry, the newest 100.
    fn default() -> Self {
        Self {
            merchant: None,
            connection: None,
            actions: Vec::new(),
            from: None,
            to: None,
            before: None,
            limit: 100,
            offset: 0,
        }
    }
}

/// Where a page of audit entries ended, in their order (newest first: time, then id); pass it as
/// [`AuditFilter::before`] to read the next, older page. Stable while entries are added, unlike an offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditCursor {
    /// When the last entry read happened.
    pub at: Timestamp,
    /// Its id.
    pub id: Uuid,
}

impl AuditCursor {
    /// The cursor just past (older than) this entry.
    pub fn after(record: &AuditRecord) -> Self {
        Self {
            at: record.entry.at,
            id: record.id,
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

/// ` WHERE …` for the filter's conditions (its cursor included), or nothing.
fn filter_sql(filter: &AuditFilter, args: &mut Args, with_cursor: bool) -> String {
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
    if !filter.actions.is_empty() {
        let list: Vec<String> = filter
            .actions
            .iter()
            .map(|action| args.text(action.as_str()))
            .collect();
        conditions.push(format!("action IN ({})", list.join(", ")));
    }
    if let Some(from) = filter.from {
        conditions.push(format!("at_ms >= {}", args.int(millis(from))));
    }
    if let Some(to) = filter.to {
        conditions.push(format!("at_ms < {}", args.int(millis(to))));
    }
    if let Some(cursor) = filter.before.filter(|_| with_cursor) {
        let at = millis(cursor.at);
        let older = args.int(at);
        let same = args.int(at);
        let id = args.text(cursor.id.hyphenated().to_string());
        conditions.push(format!(
            "(at_ms < {older} OR (at_ms = {same} AND id < {id}))"
        ));
    }
    if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    }
}

impl Store {
    /// Audit entries matching the filter, newest first (time, then id), after its cursor and offset.
    pub async fn audit_entries(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditRecord>> {
        let mut args = Args::new(self.engine());
        let conditions = filter_sql(filter, &mut args, true);
        let limit = args.int(i64::from(filter.limit));
        let offset = args.int(i64::try_from(filter.offset).unwrap_or(i64::MAX));
        let sql = format!(
            "SELECT id, merchant_id, connection_id, actor, action, at_ms, before_json, after_json FROM audit_log\
             {conditions} ORDER BY at_ms DESC, id DESC LIMIT {limit} OFFSET {offset}"
        );
        let rows: Vec<AuditRow> = on_pool!(&self.pool, |pool| {
            bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), args)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(AuditRow::into_record).collect()
    }

    /// How many audit entries match the filter (its cursor, limit and offset are ignored).
    pub async fn count_audit_entries(&self, filter: &AuditFilter) -> StoreResult<u64> {
        let mut args = Args::new(self.engine());
        let conditions = filter_sql(filter, &mut args, false);
        let sql = format!("SELECT COUNT(*) FROM audit_log{conditions}");
        let count: i64 = on_pool!(&self.pool, |pool| {
            bind_args!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)), args)
                .fetch_one(pool)
                .await?
        });
        Column::new(TABLE, "COUNT(*)").count(count)
    }
}
