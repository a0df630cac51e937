//! Merchants (tenants of the 3PL).

use sellerlink_domain::audit::AuditEntry;
use sellerlink_domain::connection::{Language, Merchant, MerchantName};
use sellerlink_domain::ids::MerchantId;
use sellerlink_domain::text::confusable_key;

use crate::audit::{expect_subject, write_audit};
use crate::codec::{Column, millis};
use crate::engine::{on_conn, on_pool};
use crate::error::{StoreError, StoreResult, is_unique_violation};
use crate::store::Store;

#[derive(sqlx::FromRow)]
struct MerchantRow {
    id: String,
    name: String,
    language: String,
    created_at_ms: i64,
}

const TABLE: &str = "merchants";

impl MerchantRow {
    fn into_merchant(self) -> StoreResult<Merchant> {
        let col = |name| Column::new(TABLE, name);
        Ok(Merchant {
            id: col("id").parse(MerchantId::parse(&self.id))?,
            name: col("name").parse(MerchantName::parse(&self.name))?,
            language: col("language").known(Language::parse(&self.language), &self.language)?,
            created_at: col("created_at_ms").instant(self.created_at_ms)?,
        })
    }
}

impl Store {
    /// Adds a merchant and its audit entry (`merchant_created`, about this merchant and no connection) in one
    /// transaction. A taken name or id, or a name that could be taken for an existing one (equal after NFKC, case
    /// folding and removing spaces, see [`confusable_key`]), is [`StoreError::Duplicate`].
    pub async fn insert_merchant(
        &self,
        merchant: &Merchant,
        audit: &AuditEntry,
    ) -> StoreResult<()> {
        expect_subject(audit, merchant.id, None)?;
        let mut tx = self.pool.begin().await?;
        const NAMES: &str = "SELECT name FROM merchants";
        let names: Vec<String> = on_conn!(tx.handle(), |c| {
            sqlx::query_scalar(NAMES).fetch_all(&mut *c).await
        })?;
        let key = confusable_key(merchant.name.as_str());
        if let Some(twin) = names.iter().find(|name| confusable_key(name) == key) {
            return Err(StoreError::Duplicate {
                what: "merchant",
                detail: format!(
                    "the name {:?} could be taken for the existing merchant {twin:?}",
                    merchant.name.as_str()
                ),
            });
        }
        const SQL: &str =
            "INSERT INTO merchants (id, name, language, created_at_ms) VALUES ($1, $2, $3, $4)";
        let inserted = on_conn!(tx.handle(), |c| {
            sqlx::query(SQL)
                .bind(merchant.id.to_string())
                .bind(merchant.name.as_str().to_owned())
                .bind(merchant.language.code())
                .bind(millis(merchant.created_at))
                .execute(&mut *c)
                .await
                .map(|done| done.rows_affected())
        });
        inserted.map_err(|e| {
            if is_unique_violation(&e) {
                StoreError::Duplicate {
                    what: "merchant",
                    detail: format!(
                        "the name {:?} or the id {} is already taken",
                        merchant.name.as_str(),
                        merchant.id
                    ),
                }
            } else {
                e.into()
            }
        })?;
        write_audit(tx.handle(), audit).await?;
        tx.commit().await
    }

    /// The merchant with this id, or [`StoreError::NotFound`].
    pub async fn merchant(&self, id: MerchantId) -> StoreResult<Merchant> {
        const SQL: &str = "SELECT id, name, language, created_at_ms FROM merchants WHERE id = $1";
        let row: Option<MerchantRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(SQL)
                .bind(id.to_string())
                .fetch_optional(pool)
                .await?
        });
        row.ok_or_else(|| StoreError::not_found("merchant", id))?
            .into_merchant()
    }

    /// The merchant with exactly this name, if any.
    pub async fn merchant_by_name(&self, name: &MerchantName) -> StoreResult<Option<Merchant>> {
        const SQL: &str = "SELECT id, name, language, created_at_ms FROM merchants WHERE name = $1";
        let row: Option<MerchantRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(SQL)
                .bind(name.as_str().to_owned())
                .fetch_optional(pool)
                .await?
        });
        row.map(MerchantRow::into_merchant).transpose()
    }

    /// Every merchant, oldest first.
    pub async fn merchants(&self) -> StoreResult<Vec<Merchant>> {
        const SQL: &str =
            "SELECT id, name, language, created_at_ms FROM merchants ORDER BY created_at_ms, id";
        let rows: Vec<MerchantRow> = on_pool!(&self.pool, |pool| sqlx::query_as(SQL)
            .fetch_all(pool)
            .await?);
        rows.into_iter().map(MerchantRow::into_merchant).collect()
    }
}
