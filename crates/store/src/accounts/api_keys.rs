//! Merchants' API keys: stored as the SHA-256 of the whole key plus its first 8 characters for recognition.

use std::fmt;

use jiff::Timestamp;
use sellerlink_domain::ids::MerchantId;
use sellerlink_domain::text::{is_hidden, normalized};
use uuid::Uuid;

use super::api_key_scopes::ApiKeyScopes;
use super::token_hash::TokenHash;
use crate::codec::{Column, millis};
use crate::engine::on_pool;
use crate::error::{StoreError, StoreResult, is_foreign_key_violation, is_unique_violation};
use crate::names::{NameError, NameRule, name_plumbing};
use crate::store::Store;

/// An API key's id (a UUIDv7).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ApiKeyId(Uuid);

impl ApiKeyId {
    /// A new, time-ordered id.
    pub fn new() -> Self {
        Self(Uuid::now_v7())
    }

    /// Parses the hyphenated UUID form.
    pub fn parse(input: &str) -> Result<Self, NameError> {
        Uuid::try_parse(input.trim())
            .map(Self)
            .map_err(|_| NameError {
                field: "API key id",
                problem: "is not a UUID".to_owned(),
                expected: "a UUID, e.g. 01890a5d-ac96-774b-bcce-b302099a8057",
            })
    }

    /// The underlying UUID.
    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl Default for ApiKeyId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for ApiKeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

impl fmt::Debug for ApiKeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKeyId({})", self.0.hyphenated())
    }
}

/// What a merchant calls a key, e.g. `WMS import`: 1–100 characters in NFKC without control, format or text-direction
/// characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ApiKeyName(String);

const NAME_RULE: NameRule = NameRule {
    field: "API key name",
    max_chars: 100,
    allowed: |c| !is_hidden(c),
    expected: "1–100 characters without control, format or text-direction characters, e.g. WMS import",
};

impl ApiKeyName {
    /// Parses a key name, trimming surrounding white space and normalising it to NFKC.
    pub fn parse(input: &str) -> Result<Self, NameError> {
        NAME_RULE.check(input)?;
        NAME_RULE.check(&normalized(input)).map(Self)
    }
}
name_plumbing!(ApiKeyName);

/// An API key as stored: never the key, only its hash and its first 8 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyRecord {
    /// Its id.
    pub id: ApiKeyId,
    /// The merchant whose data the key reads and changes.
    pub merchant_id: MerchantId,
    /// The merchant's name for it.
    pub name: ApiKeyName,
    /// The key's first 8 characters, shown so a person can tell keys apart.
    pub prefix: String,
    /// SHA-256 of the whole key.
    pub hash: TokenHash,
    /// What the key may do.
    pub scopes: ApiKeyScopes,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it was revoked; a revoked key authenticates nothing.
    pub revoked_at: Option<Timestamp>,
    /// When it was last used (updated at most about once a minute).
    pub last_used: Option<Timestamp>,
}

#[derive(sqlx::FromRow)]
struct KeyRow {
    id: String,
    merchant_id: String,
    name: String,
    prefix: String,
    hash: String,
    scopes: String,
    created_at_ms: i64,
    revoked_at_ms: Option<i64>,
    last_used_ms: Option<i64>,
}

const COLUMNS: &str =
    "id, merchant_id, name, prefix, hash, scopes, created_at_ms, revoked_at_ms, last_used_ms";

impl KeyRow {
    fn into_record(self) -> StoreResult<ApiKeyRecord> {
        let col = |name| Column::new("api_keys", name);
        Ok(ApiKeyRecord {
            id: ApiKeyId(col("id").parse(Uuid::try_parse(&self.id))?),
            merchant_id: col("merchant_id").parse(MerchantId::parse(&self.merchant_id))?,
            name: col("name").parse(ApiKeyName::parse(&self.name))?,
            prefix: self.prefix,
            hash: col("hash").parse(TokenHash::parse_hex(&self.hash))?,
            scopes: col("scopes").parse(ApiKeyScopes::parse_stored(&self.scopes))?,
            created_at: col("created_at_ms").instant(self.created_at_ms)?,
            revoked_at: col("revoked_at_ms").opt_instant(self.revoked_at_ms)?,
            last_used: col("last_used_ms").opt_instant(self.last_used_ms)?,
        })
    }
}

impl Store {
    /// Stores a new key. An unknown merchant is [`StoreError::NotFound`]; a hash already stored is
    /// [`StoreError::Duplicate`].
    pub async fn insert_api_key(&self, key: &ApiKeyRecord) -> StoreResult<()> {
        let prefix_ok = (1..=8).contains(&key.prefix.chars().count());
        if !prefix_ok {
            return Err(StoreError::invalid(
                "API key prefix",
                "must be the key's first 1–8 characters",
            ));
        }
        let sql =
            format!("INSERT INTO api_keys ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
        let inserted = on_pool!(&self.pool, |pool| {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(key.id.to_string())
                .bind(key.merchant_id.to_string())
                .bind(key.name.as_str().to_owned())
                .bind(key.prefix.clone())
                .bind(key.hash.to_hex())
                .bind(key.scopes.to_stored())
                .bind(millis(key.created_at))
                .bind(key.revoked_at.map(millis))
                .bind(key.last_used.map(millis))
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        });
        inserted.map_err(|e| {
            if is_unique_violation(&e) {
                StoreError::Duplicate {
                    what: "API key",
                    detail: format!("id {} or its hash is already stored", key.id),
                }
            } else if is_foreign_key_violation(&e) {
                StoreError::not_found("merchant", key.merchant_id)
            } else {
                e.into()
            }
        })?;
        Ok(())
    }

    /// The key whose hash this is (revoked or not), if any.
    pub async fn api_key_by_hash(&self, hash: &TokenHash) -> StoreResult<Option<ApiKeyRecord>> {
        let sql = format!("SELECT {COLUMNS} FROM api_keys WHERE hash = $1");
        let row: Option<KeyRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(hash.to_hex())
                .fetch_optional(pool)
                .await?
        });
        row.map(KeyRow::into_record).transpose()
    }

    /// A merchant's keys, newest first (revoked ones too).
    pub async fn api_keys(&self, merchant: MerchantId) -> StoreResult<Vec<ApiKeyRecord>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM api_keys WHERE merchant_id = $1 ORDER BY created_at_ms DESC, id DESC"
        );
        let rows: Vec<KeyRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(merchant.to_string())
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(KeyRow::into_record).collect()
    }

    /// Revokes one of a merchant's keys at `at` (a key already revoked keeps its first revocation time) and returns
    /// it. Another merchant's key, or no key, is [`StoreError::NotFound`].
    pub async fn revoke_api_key(
        &self,
        merchant: MerchantId,
        id: ApiKeyId,
        at: Timestamp,
    ) -> StoreResult<ApiKeyRecord> {
        const SQL: &str = "UPDATE api_keys SET revoked_at_ms = COALESCE(revoked_at_ms, $1) \
            WHERE id = $2 AND merchant_id = $3";
        let updated = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(millis(at))
                .bind(id.to_string())
                .bind(merchant.to_string())
                .execute(pool)
                .await?
                .rows_affected()
        });
        if updated == 0 {
            return Err(StoreError::not_found("API key", id));
        }
        let sql = format!("SELECT {COLUMNS} FROM api_keys WHERE id = $1");
        let row: KeyRow = on_pool!(&self.pool, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(id.to_string())
                .fetch_one(pool)
                .await?
        });
        row.into_record()
    }

    /// Records that a key was used at `at`.
    pub async fn touch_api_key(&self, id: ApiKeyId, at: Timestamp) -> StoreResult<()> {
        const SQL: &str = "UPDATE api_keys SET last_used_ms = $1 WHERE id = $2";
        on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(millis(at))
                .bind(id.to_string())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_ids_are_parsed() {
        assert_eq!(
            ApiKeyName::parse("  WMS import ").unwrap().as_str(),
            "WMS import"
        );
        assert!(ApiKeyName::parse("").is_err());
        assert!(ApiKeyName::parse("a\nb").is_err());
        for hidden in ["WMS\u{202E}import", "WMS\u{200B}", "\u{2066}WMS\u{2069}"] {
            let error = ApiKeyName::parse(hidden).unwrap_err();
            assert_eq!(error.field, "API key name", "{hidden:?}");
            assert!(error.problem.contains("at position"), "{hidden:?}");
        }
        assert_eq!(ApiKeyName::parse("ＷＭＳ １").unwrap().as_str(), "WMS 1");
        let id = ApiKeyId::new();
        assert_eq!(ApiKeyId::parse(&id.to_string()).unwrap(), id);
        assert!(
            ApiKeyId::parse("nope")
                .unwrap_err()
                .to_string()
                .starts_with("API key id")
        );
    }
}
