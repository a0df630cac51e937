//! One-time OAuth `state` values of "Connect with Amazon": each is bound to a merchant and a browser session, lives
//! a few minutes and can be taken once. Only SHA-256 digests of the state and of the session are stored.

use jiff::Timestamp;
use sellerlink_domain::ids::{MarketplaceId, MerchantId, SellingPartnerId};

use crate::accounts::TokenHash;
use crate::codec::{Column, millis, opt_millis};
use crate::engine::on_pool;
use crate::error::{StoreError, StoreResult, is_foreign_key_violation, is_unique_violation};
use crate::store::Store;

/// An OAuth `state` as stored: what it was issued for, to whom, and until when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthState {
    /// SHA-256 of the state sent to Amazon (the row's key).
    pub state_hash: TokenHash,
    /// SHA-256 of the browser session it is bound to.
    pub session_hash: TokenHash,
    /// The merchant that asked to connect.
    pub merchant_id: MerchantId,
    /// The marketplace the connection is for (its region and Seller Central host).
    pub marketplace_id: MarketplaceId,
    /// The seller account Amazon said is re-authorizing, when the state was issued for a re-authorization.
    pub selling_partner_id: Option<SellingPartnerId>,
    /// When it was issued.
    pub created_at: Timestamp,
    /// From this instant on it is refused.
    pub expires_at: Timestamp,
    /// When it was taken; `None` while unused.
    pub used_at: Option<Timestamp>,
}

/// Why a state could not be taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OAuthStateRefusal {
    /// No such state was issued (forged, mistyped, or deleted after expiry).
    Unknown,
    /// It was taken before (a replayed redirect).
    AlreadyUsed,
    /// It is bound to another browser session.
    OtherSession,
    /// It expired before it came back.
    Expired,
}

impl OAuthStateRefusal {
    /// A short stable name: `unknown`, `already_used`, `other_session`, `expired`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::AlreadyUsed => "already_used",
            Self::OtherSession => "other_session",
            Self::Expired => "expired",
        }
    }
}

const COLUMNS: &str = "state_hash, session_hash, merchant_id, marketplace_id, selling_partner_id, created_at_ms, \
    expires_at_ms, used_at_ms";

#[derive(sqlx::FromRow)]
struct StateRow {
    state_hash: String,
    session_hash: String,
    merchant_id: String,
    marketplace_id: String,
    selling_partner_id: Option<String>,
    created_at_ms: i64,
    expires_at_ms: i64,
    used_at_ms: Option<i64>,
}

impl StateRow {
    fn into_state(self) -> StoreResult<OAuthState> {
        let col = |name| Column::new("oauth_states", name);
        Ok(OAuthState {
            state_hash: col("state_hash").parse(TokenHash::parse_hex(&self.state_hash))?,
            session_hash: col("session_hash").parse(TokenHash::parse_hex(&self.session_hash))?,
            merchant_id: col("merchant_id").parse(MerchantId::parse(&self.merchant_id))?,
            marketplace_id: col("marketplace_id")
                .parse(MarketplaceId::parse(&self.marketplace_id))?,
            selling_partner_id: self
                .selling_partner_id
                .as_deref()
                .map(|id| col("selling_partner_id").parse(SellingPartnerId::parse(id)))
                .transpose()?,
            created_at: col("created_at_ms").instant(self.created_at_ms)?,
            expires_at: col("expires_at_ms").instant(self.expires_at_ms)?,
            used_at: col("used_at_ms").opt_instant(self.used_at_ms)?,
        })
    }
}

impl Store {
    /// Records a newly issued state. An unknown merchant is [`StoreError::NotFound`]; a state issued twice is
    /// [`StoreError::Duplicate`]; an expiry not after the issue time is [`StoreError::Invalid`].
    pub async fn insert_oauth_state(&self, state: &OAuthState) -> StoreResult<()> {
        if state.expires_at <= state.created_at {
            return Err(StoreError::invalid(
                "oauth state",
                format!(
                    "expires at {} but was issued at {}; expected an expiry after the issue time",
                    state.expires_at, state.created_at
                ),
            ));
        }
        let sql =
            format!("INSERT INTO oauth_states ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
        let sql = sqlx::AssertSqlSafe(sql);
        let inserted = on_pool!(&self.pool, |pool| {
            sqlx::query(sql)
                .bind(state.state_hash.to_hex())
                .bind(state.session_hash.to_hex())
                .bind(state.merchant_id.to_string())
                .bind(state.marketplace_id.as_str().to_owned())
                .bind(
                    state
                        .selling_partner_id
                        .as_ref()
                        .map(|id| id.as_str().to_owned()),
                )
                .bind(millis(state.created_at))
                .bind(millis(state.expires_at))
                .bind(opt_millis(state.used_at))
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        });
        inserted.map_err(|e| {
            if is_foreign_key_violation(&e) {
                StoreError::not_found("merchant", state.merchant_id)
            } else if is_unique_violation(&e) {
                StoreError::Duplicate {
                    what: "oauth state",
                    detail: "this state was issued before".to_owned(),
                }
            } else {
                e.into()
            }
        })?;
        Ok(())
    }

    /// Takes the state with digest `state_hash` for the session with digest `session_hash` at `now`: marks it used
    /// and returns it, if it is unused, bound to that session and not expired. Atomic on both engines: of two
    /// requests racing with the same state, exactly one takes it. A refused state is left as it was (a state
    /// presented from another session stays usable by its own session).
    pub async fn take_oauth_state(
        &self,
        state_hash: &TokenHash,
        session_hash: &TokenHash,
        now: Timestamp,
    ) -> StoreResult<Result<OAuthState, OAuthStateRefusal>> {
        let take = sqlx::AssertSqlSafe(format!(
            "UPDATE oauth_states SET used_at_ms = $1 WHERE state_hash = $2 AND session_hash = $3 \
             AND used_at_ms IS NULL AND expires_at_ms > $1 RETURNING {COLUMNS}"
        ));
        let taken: Option<StateRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(take)
                .bind(millis(now))
                .bind(state_hash.to_hex())
                .bind(session_hash.to_hex())
                .fetch_optional(pool)
                .await?
        });
        if let Some(row) = taken {
            return Ok(Ok(row.into_state()?));
        }
        let Some(state) = self.oauth_state(state_hash).await? else {
            return Ok(Err(OAuthStateRefusal::Unknown));
        };
        let refusal = if state.used_at.is_some() {
            OAuthStateRefusal::AlreadyUsed
        } else if &state.session_hash != session_hash {
            OAuthStateRefusal::OtherSession
        } else {
            OAuthStateRefusal::Expired
        };
        Ok(Err(refusal))
    }

    /// The state with digest `state_hash`, used or not, if it is stored.
    pub async fn oauth_state(&self, state_hash: &TokenHash) -> StoreResult<Option<OAuthState>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM oauth_states WHERE state_hash = $1"
        ));
        let row: Option<StateRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(sql)
                .bind(state_hash.to_hex())
                .fetch_optional(pool)
                .await?
        });
        row.map(StateRow::into_state).transpose()
    }

    /// Deletes the states that expired before `before` (used or not); returns how many. Housekeeping: keep them a
    /// while after expiry so that a late replay is reported as "already used" rather than "unknown".
    pub async fn delete_oauth_states_expired_before(&self, before: Timestamp) -> StoreResult<u64> {
        const SQL: &str = "DELETE FROM oauth_states WHERE expires_at_ms < $1";
        Ok(on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(millis(before))
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }
}
