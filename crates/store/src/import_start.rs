//! What an import reads before its first call to Amazon — the connection, its sealed credential, where the
//! orders stream resumes and how far back quarantined orders reach — in one statement, so that a pass over
//! connections with nothing new costs as few round trips as possible.

use jiff::Timestamp;
use sellerlink_domain::ids::ConnectionId;

use crate::codec::Column;
use crate::connection_row::{ConnectionRow, connection_columns};
use crate::connections::StoredConnection;
use crate::credentials::SealedCredential;
use crate::engine::on_pool;
use crate::error::{StoreError, StoreResult};
use crate::store::Store;
use crate::sync::SyncStream;

/// The state an import of one connection starts from (see [`Store::import_start`]).
#[derive(Debug, Clone)]
pub struct ImportStart {
    /// The connection as stored.
    pub connection: StoredConnection,
    /// Its credential, sealed.
    pub credential: SealedCredential,
    /// Where the stream's last completed import ended (its watermark), if one did.
    pub resume_after: Option<Timestamp>,
    /// The earliest instant the import must re-read from for the connection's quarantined orders, if it has any.
    pub earliest_quarantined: Option<Timestamp>,
}

#[derive(sqlx::FromRow)]
struct ImportStartRow {
    #[sqlx(flatten)]
    connection: ConnectionRow,
    credential_blob: Vec<u8>,
    resume_after_ms: Option<i64>,
    relist_from_ms: Option<i64>,
}

impl Store {
    /// The state an import of `stream` on connection `id` starts from, read in one statement; or
    /// [`StoreError::NotFound`]. The same facts as [`Store::connection`], [`Store::credential`],
    /// [`Store::watermark`] and [`Store::earliest_quarantined`] together.
    pub async fn import_start(
        &self,
        id: ConnectionId,
        stream: &SyncStream,
    ) -> StoreResult<ImportStart> {
        const SQL: &str = concat!(
            "SELECT ",
            connection_columns!(),
            ", credential_blob, \
             (SELECT w.last_updated_after_ms FROM sync_watermarks w \
              WHERE w.connection_id = c.id AND w.stream = $2) AS resume_after_ms, \
             (SELECT MIN(q.relist_from_ms) FROM order_quarantine q WHERE q.connection_id = c.id) AS relist_from_ms \
             FROM connections c WHERE c.id = $1"
        );
        let row: Option<ImportStartRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(SQL)
                .bind(id.to_string())
                .bind(stream.as_str().to_owned())
                .fetch_optional(pool)
                .await?
        });
        let row = row.ok_or_else(|| StoreError::not_found("connection", id))?;
        let credential = SealedCredential {
            kek_id: row.connection.credential_kek_id.clone(),
            blob: row.credential_blob,
        };
        let resume_after = row
            .resume_after_ms
            .map(|ms| Column::new("sync_watermarks", "last_updated_after_ms").instant(ms))
            .transpose()?;
        let earliest_quarantined = row
            .relist_from_ms
            .map(|ms| Column::new("order_quarantine", "relist_from_ms").instant(ms))
            .transpose()?;
        Ok(ImportStart {
            connection: row.connection.into_stored()?,
            credential,
            resume_after,
            earliest_quarantined,
        })
    }
}
