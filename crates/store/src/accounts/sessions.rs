//! Sessions of signed-in users, keyed by the SHA-256 of the cookie value.

use jiff::Timestamp;

use super::token_hash::TokenHash;
use super::users::{User, UserId, UserRow};
use crate::codec::{Column, millis};
use crate::engine::{Handle, on_conn, on_pool};
use crate::error::{StoreError, StoreResult, is_foreign_key_violation};
use crate::store::Store;

/// A signed-in session. The cookie value is not here: only its hash, which is the session's id.
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    /// SHA-256 of the cookie value.
    pub id: TokenHash,
    /// Whose session it is.
    pub user_id: UserId,
    /// The token every form of this session must carry.
    pub csrf_token: String,
    /// When the user signed in.
    pub created_at: Timestamp,
    /// When it ends unless it is used again (sliding expiry, capped by the web app).
    pub expires_at: Timestamp,
    /// When it was last used (updated at most every few minutes).
    pub last_seen: Timestamp,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("id", &self.id)
            .field("user_id", &self.user_id)
            .field("csrf_token", &"[redacted]")
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .field("last_seen", &self.last_seen)
            .finish()
    }
}

/// A live session together with its (enabled) user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionWithUser {
    /// The session.
    pub session: Session,
    /// Its user.
    pub user: User,
}

#[derive(sqlx::FromRow)]
struct JoinedRow {
    s_id: String,
    s_csrf_token: String,
    s_created_at_ms: i64,
    s_expires_at_ms: i64,
    s_last_seen_ms: i64,
    id: String,
    email: String,
    password_hash: String,
    role: String,
    merchant_id: Option<String>,
    language: String,
    created_at_ms: i64,
    disabled: bool,
}

impl JoinedRow {
    fn into_pair(self) -> StoreResult<SessionWithUser> {
        let col = |name| Column::new("sessions", name);
        let user = UserRow {
            id: self.id,
            email: self.email,
            password_hash: self.password_hash,
            role: self.role,
            merchant_id: self.merchant_id,
            language: self.language,
            created_at_ms: self.created_at_ms,
            disabled: self.disabled,
        }
        .into_user()?;
        Ok(SessionWithUser {
            session: Session {
                id: col("id").parse(TokenHash::parse_hex(&self.s_id))?,
                user_id: user.id,
                csrf_token: self.s_csrf_token,
                created_at: col("created_at_ms").instant(self.s_created_at_ms)?,
                expires_at: col("expires_at_ms").instant(self.s_expires_at_ms)?,
                last_seen: col("last_seen_ms").instant(self.s_last_seen_ms)?,
            },
            user,
        })
    }
}

/// Ends every session of a user (inside the caller's transaction); returns how many ended.
pub(super) async fn delete_sessions_of(handle: Handle<'_>, user: UserId) -> StoreResult<u64> {
    const SQL: &str = "DELETE FROM sessions WHERE user_id = $1";
    Ok(on_conn!(handle, |c| {
        sqlx::query(SQL)
            .bind(user.to_string())
            .execute(&mut *c)
            .await?
            .rows_affected()
    }))
}

impl Store {
    /// Records a new session. An unknown user is [`StoreError::NotFound`].
    pub async fn insert_session(&self, session: &Session) -> StoreResult<()> {
        const SQL: &str = "INSERT INTO sessions (id, user_id, csrf_token, created_at_ms, expires_at_ms, last_seen_ms) \
            VALUES ($1, $2, $3, $4, $5, $6)";
        let inserted = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(session.id.to_hex())
                .bind(session.user_id.to_string())
                .bind(session.csrf_token.clone())
                .bind(millis(session.created_at))
                .bind(millis(session.expires_at))
                .bind(millis(session.last_seen))
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        });
        inserted.map_err(|e| {
            if is_foreign_key_violation(&e) {
                StoreError::not_found("user", session.user_id)
            } else {
                e.into()
            }
        })?;
        Ok(())
    }

    /// The session with this id and its user, if the session has not expired at `now` and the user is not
    /// disabled.
    pub async fn live_session(
        &self,
        id: &TokenHash,
        now: Timestamp,
    ) -> StoreResult<Option<SessionWithUser>> {
        const SQL: &str = "SELECT s.id AS s_id, s.csrf_token AS s_csrf_token, s.created_at_ms AS s_created_at_ms, \
            s.expires_at_ms AS s_expires_at_ms, s.last_seen_ms AS s_last_seen_ms, \
            u.id, u.email, u.password_hash, u.role, u.merchant_id, u.language, u.created_at_ms, u.disabled \
            FROM sessions s JOIN users u ON u.id = s.user_id \
            WHERE s.id = $1 AND s.expires_at_ms > $2 AND u.disabled = $3";
        let row: Option<JoinedRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(SQL)
                .bind(id.to_hex())
                .bind(millis(now))
                .bind(false)
                .fetch_optional(pool)
                .await?
        });
        row.map(JoinedRow::into_pair).transpose()
    }

    /// Marks a session used at `last_seen` and moves its end to `expires_at`. Returns false if it no longer exists.
    pub async fn touch_session(
        &self,
        id: &TokenHash,
        last_seen: Timestamp,
        expires_at: Timestamp,
    ) -> StoreResult<bool> {
        const SQL: &str = "UPDATE sessions SET last_seen_ms = $1, expires_at_ms = $2 WHERE id = $3";
        let updated = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(millis(last_seen))
                .bind(millis(expires_at))
                .bind(id.to_hex())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(updated == 1)
    }

    /// Ends a session (sign-out). Returns false if there was none.
    pub async fn delete_session(&self, id: &TokenHash) -> StoreResult<bool> {
        const SQL: &str = "DELETE FROM sessions WHERE id = $1";
        let deleted = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(id.to_hex())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(deleted == 1)
    }

    /// Ends every session of a user; returns how many ended.
    pub async fn delete_user_sessions(&self, user: UserId) -> StoreResult<u64> {
        let mut tx = self.pool.begin().await?;
        let deleted = delete_sessions_of(tx.handle(), user).await?;
        tx.commit().await?;
        Ok(deleted)
    }

    /// Deletes sessions that expired at or before `now`; returns how many.
    pub async fn delete_expired_sessions(&self, now: Timestamp) -> StoreResult<u64> {
        const SQL: &str = "DELETE FROM sessions WHERE expires_at_ms <= $1";
        Ok(on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(millis(now))
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }
}
