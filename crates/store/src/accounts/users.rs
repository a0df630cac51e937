//! Users of the web app: operators (the 3PL's staff) and merchant users (who see only their merchant).

use std::fmt;

use jiff::Timestamp;
use sellerlink_domain::connection::Language;
use sellerlink_domain::ids::MerchantId;
use uuid::Uuid;

use super::email::Email;
use crate::codec::{Column, millis};
use crate::engine::{on_conn, on_pool};
use crate::error::{StoreError, StoreResult, is_foreign_key_violation, is_unique_violation};
use crate::store::Store;

/// A user's id (a UUIDv7).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(Uuid);

impl UserId {
    /// A new, time-ordered id.
    pub fn new() -> Self {
        Self(Uuid::now_v7())
    }

    /// Wraps a UUID.
    pub fn from_uuid(id: Uuid) -> Self {
        Self(id)
    }

    /// The underlying UUID.
    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl Default for UserId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

impl fmt::Debug for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UserId({})", self.0.hyphenated())
    }
}

/// What a user may see and do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// The 3PL's staff: every merchant.
    Operator,
    /// A merchant's user: that merchant's data only.
    Merchant(MerchantId),
}

impl Role {
    /// `operator` or `merchant`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Operator => "operator",
            Self::Merchant(_) => "merchant",
        }
    }

    /// The merchant a merchant user belongs to.
    pub fn merchant(self) -> Option<MerchantId> {
        match self {
            Self::Operator => None,
            Self::Merchant(id) => Some(id),
        }
    }
}

/// An argon2id password hash as a PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`). Not the password, but kept
/// out of `Debug` all the same: an offline guessing attack needs only this string.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

/// A string that is not an argon2id PHC string.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "password hash: {problem}; expected an argon2id PHC string ($argon2id$v=19$m=…,t=…,p=…$…$…)"
)]
pub struct PasswordHashError {
    problem: &'static str,
}

impl PasswordHash {
    /// Accepts an argon2id PHC string (the web app makes it; the store only checks its shape).
    pub fn parse(phc: &str) -> Result<Self, PasswordHashError> {
        if !phc.starts_with("$argon2id$") {
            return Err(PasswordHashError {
                problem: "does not start with $argon2id$",
            });
        }
        if phc.split('$').count() != 6 || phc.chars().any(|c| c.is_whitespace()) {
            return Err(PasswordHashError {
                problem: "does not have the five $-separated parts of a PHC string",
            });
        }
        Ok(Self(phc.to_owned()))
    }

    /// The PHC string, for the password verifier.
    pub fn as_phc(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash($argon2id$…)")
    }
}

/// A user of the web app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Its id.
    pub id: UserId,
    /// The sign-in address (unique).
    pub email: Email,
    /// The argon2id hash of its password.
    pub password_hash: PasswordHash,
    /// Operator, or a merchant's user.
    pub role: Role,
    /// The language its pages are shown in.
    pub language: Language,
    /// When it was created (stored to the millisecond).
    pub created_at: Timestamp,
    /// A disabled user cannot sign in and its sessions end.
    pub disabled: bool,
}

#[derive(sqlx::FromRow)]
pub(super) struct UserRow {
    pub(super) id: String,
    pub(super) email: String,
    pub(super) password_hash: String,
    pub(super) role: String,
    pub(super) merchant_id: Option<String>,
    pub(super) language: String,
    pub(super) created_at_ms: i64,
    pub(super) disabled: bool,
}

pub(super) const USER_COLUMNS: &str =
    "id, email, password_hash, role, merchant_id, language, created_at_ms, disabled";

const TABLE: &str = "users";

impl UserRow {
    pub(super) fn into_user(self) -> StoreResult<User> {
        let col = |name| Column::new(TABLE, name);
        let role = match (self.role.as_str(), self.merchant_id.as_deref()) {
            ("operator", None) => Role::Operator,
            ("merchant", Some(merchant)) => {
                Role::Merchant(col("merchant_id").parse(MerchantId::parse(merchant))?)
            }
            (other, _) => {
                return Err(col("role").corrupt(format!(
                    "role {other:?} does not fit merchant_id {:?}",
                    self.merchant_id
                )));
            }
        };
        Ok(User {
            id: UserId(col("id").parse(Uuid::try_parse(&self.id))?),
            email: col("email").parse(Email::parse(&self.email))?,
            password_hash: col("password_hash").parse(PasswordHash::parse(&self.password_hash))?,
            role,
            language: col("language").known(Language::parse(&self.language), &self.language)?,
            created_at: col("created_at_ms").instant(self.created_at_ms)?,
            disabled: self.disabled,
        })
    }
}

impl Store {
    /// Adds a user. A taken e-mail address is [`StoreError::Duplicate`]; an unknown merchant is
    /// [`StoreError::NotFound`].
    pub async fn insert_user(&self, user: &User) -> StoreResult<()> {
        const SQL: &str = "INSERT INTO users (id, email, password_hash, role, merchant_id, language, created_at_ms, \
            disabled) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
        let inserted = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(user.id.to_string())
                .bind(user.email.as_str().to_owned())
                .bind(user.password_hash.as_phc().to_owned())
                .bind(user.role.name())
                .bind(user.role.merchant().map(|m| m.to_string()))
                .bind(user.language.code())
                .bind(millis(user.created_at))
                .bind(user.disabled)
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        });
        inserted.map_err(|e| {
            if is_unique_violation(&e) {
                StoreError::Duplicate {
                    what: "user",
                    detail: format!("the e-mail address {} is already taken", user.email),
                }
            } else if is_foreign_key_violation(&e) {
                StoreError::not_found(
                    "merchant",
                    user.role
                        .merchant()
                        .map(|m| m.to_string())
                        .unwrap_or_default(),
                )
            } else {
                e.into()
            }
        })?;
        Ok(())
    }

    /// The user with this id, or [`StoreError::NotFound`].
    pub async fn user(&self, id: UserId) -> StoreResult<User> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        let row: Option<UserRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(id.to_string())
                .fetch_optional(pool)
                .await?
        });
        row.ok_or_else(|| StoreError::not_found("user", id))?
            .into_user()
    }

    /// The user signing in with this address, if any.
    pub async fn user_by_email(&self, email: &Email) -> StoreResult<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
        let row: Option<UserRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(email.as_str().to_owned())
                .fetch_optional(pool)
                .await?
        });
        row.map(UserRow::into_user).transpose()
    }

    /// Users, oldest first: every user, or only one merchant's.
    pub async fn users(&self, merchant: Option<MerchantId>) -> StoreResult<Vec<User>> {
        let rows: Vec<UserRow> = match merchant {
            None => {
                let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY created_at_ms, id");
                on_pool!(&self.pool, |pool| {
                    sqlx::query_as(sqlx::AssertSqlSafe(sql))
                        .fetch_all(pool)
                        .await?
                })
            }
            Some(merchant) => {
                let sql = format!(
                    "SELECT {USER_COLUMNS} FROM users WHERE merchant_id = $1 ORDER BY created_at_ms, id"
                );
                on_pool!(&self.pool, |pool| {
                    sqlx::query_as(sqlx::AssertSqlSafe(sql))
                        .bind(merchant.to_string())
                        .fetch_all(pool)
                        .await?
                })
            }
        };
        rows.into_iter().map(UserRow::into_user).collect()
    }

    /// Changes the language a user reads the app in.
    pub async fn set_user_language(&self, id: UserId, language: Language) -> StoreResult<()> {
        const SQL: &str = "UPDATE users SET language = $1 WHERE id = $2";
        let updated = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(language.code())
                .bind(id.to_string())
                .execute(pool)
                .await?
                .rows_affected()
        });
        if updated == 0 {
            return Err(StoreError::not_found("user", id));
        }
        Ok(())
    }

    /// Replaces a user's password hash and ends every session of the user, in one transaction.
    pub async fn set_user_password(&self, id: UserId, hash: &PasswordHash) -> StoreResult<()> {
        const SQL: &str = "UPDATE users SET password_hash = $1 WHERE id = $2";
        let mut tx = self.pool.begin().await?;
        let updated = on_conn!(tx.handle(), |c| {
            sqlx::query(SQL)
                .bind(hash.as_phc().to_owned())
                .bind(id.to_string())
                .execute(&mut *c)
                .await?
                .rows_affected()
        });
        if updated == 0 {
            return Err(StoreError::not_found("user", id));
        }
        super::sessions::delete_sessions_of(tx.handle(), id).await?;
        tx.commit().await
    }

    /// Disables (or enables again) a user; disabling ends every session of the user in the same transaction.
    pub async fn set_user_disabled(&self, id: UserId, disabled: bool) -> StoreResult<()> {
        const SQL: &str = "UPDATE users SET disabled = $1 WHERE id = $2";
        let mut tx = self.pool.begin().await?;
        let updated = on_conn!(tx.handle(), |c| {
            sqlx::query(SQL)
                .bind(disabled)
                .bind(id.to_string())
                .execute(&mut *c)
                .await?
                .rows_affected()
        });
        if updated == 0 {
            return Err(StoreError::not_found("user", id));
        }
        if disabled {
            super::sessions::delete_sessions_of(tx.handle(), id).await?;
        }
        tx.commit().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hashes_must_be_argon2id_phc_strings_and_stay_out_of_debug() {
        let phc = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";
        let hash = PasswordHash::parse(phc).unwrap();
        assert_eq!(hash.as_phc(), phc);
        assert!(!format!("{hash:?}").contains("c2FsdHNhbHQ"));
        assert!(PasswordHash::parse("$argon2i$v=19$m=1,t=1,p=1$a$b").is_err());
        assert!(PasswordHash::parse("$argon2id$v=19$a$b").is_err());
        assert!(PasswordHash::parse("hunter2").is_err());
    }
}
