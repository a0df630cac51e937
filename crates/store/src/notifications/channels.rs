//! Notification channels: an e-mail mailbox or a webhook URL, owned by a merchant or by the operator.

use std::fmt;

use jiff::Timestamp;
use sellerlink_domain::connection::Language;
use sellerlink_domain::ids::MerchantId;

use super::ids::{ChannelId, ChannelKind, ChannelOwner};
use crate::codec::{Column, millis};
use crate::credentials::{SealedCredential, check_sealed};
use crate::engine::on_pool;
use crate::error::{StoreError, StoreResult, is_foreign_key_violation, is_unique_violation};
use crate::store::Store;

/// Where notifications go. The address was checked by the caller (a mailbox for e-mail, an http/https URL for a
/// webhook); a webhook's signing secret arrives sealed and leaves as the same bytes.
///
/// `Debug` shows a webhook URL without its query string and the secret as a key id and a length.
#[derive(Clone, PartialEq, Eq)]
pub struct NotificationChannel {
    /// The channel's id.
    pub id: ChannelId,
    /// The operator, or the merchant whose contacts it reaches.
    pub owner: ChannelOwner,
    /// E-mail or webhook.
    pub kind: ChannelKind,
    /// `Name <mailbox@example.com>` / `mailbox@example.com`, or the webhook URL.
    pub address: String,
    /// The webhook signing secret, sealed by the secrets layer; `None` for e-mail.
    pub sealed_secret: Option<SealedCredential>,
    /// The language notifications on this channel are written in.
    pub language: Language,
    /// When the channel was added.
    pub created_at: Timestamp,
    /// A disabled channel gets no new notifications.
    pub disabled: bool,
}

impl NotificationChannel {
    /// The address as it may be shown and logged: a webhook URL loses its query and fragment (where a URL may carry
    /// a token); an e-mail address is shown whole, since `?` and `#` are ordinary characters of its local part.
    pub fn display_address(&self) -> String {
        match self.kind {
            ChannelKind::Email => self.address.clone(),
            ChannelKind::Webhook => display_address(&self.address),
        }
    }
}

/// `address` without anything from the first `?` or `#` on (where a URL may carry a token).
pub(crate) fn display_address(address: &str) -> String {
    address
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_owned()
}

impl fmt::Debug for NotificationChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NotificationChannel")
            .field("id", &self.id)
            .field("owner", &self.owner)
            .field("kind", &self.kind)
            .field("address", &self.display_address())
            .field("sealed_secret", &self.sealed_secret)
            .field("language", &self.language)
            .field("created_at", &self.created_at)
            .field("disabled", &self.disabled)
            .finish()
    }
}

#[derive(sqlx::FromRow)]
struct ChannelRow {
    id: String,
    merchant_id: Option<String>,
    kind: String,
    address: String,
    secret_kek_id: Option<String>,
    secret_blob: Option<Vec<u8>>,
    language: String,
    created_at_ms: i64,
    disabled: bool,
}

const TABLE: &str = "notification_channels";

const SELECT: &str = "SELECT id, merchant_id, kind, address, secret_kek_id, secret_blob, language, \
    created_at_ms, disabled FROM notification_channels";

impl ChannelRow {
    fn into_channel(self) -> StoreResult<NotificationChannel> {
        let col = |name| Column::new(TABLE, name);
        let owner = match self.merchant_id.as_deref() {
            None => ChannelOwner::Operator,
            Some(id) => ChannelOwner::Merchant(col("merchant_id").parse(MerchantId::parse(id))?),
        };
        let sealed_secret = match (self.secret_kek_id, self.secret_blob) {
            (Some(kek_id), Some(blob)) => Some(SealedCredential { kek_id, blob }),
            (None, None) => None,
            _ => {
                return Err(
                    col("secret_blob").corrupt("key id and sealed bytes must be set together")
                );
            }
        };
        Ok(NotificationChannel {
            id: col("id").parse(ChannelId::parse(&self.id))?,
            owner,
            kind: col("kind").known(ChannelKind::parse(&self.kind), &self.kind)?,
            address: self.address,
            sealed_secret,
            language: col("language").known(Language::parse(&self.language), &self.language)?,
            created_at: col("created_at_ms").instant(self.created_at_ms)?,
            disabled: self.disabled,
        })
    }
}

/// Refuses a channel whose parts do not fit together (a caller bug, never user input that was parsed).
fn check_channel(channel: &NotificationChannel) -> StoreResult<()> {
    let address = channel.address.trim();
    if address.is_empty() || address.len() > 2000 || address.chars().any(char::is_control) {
        return Err(StoreError::invalid(
            "notification channel address",
            "expected 1–2000 characters without control characters (a mailbox or a webhook URL)",
        ));
    }
    match (channel.kind, &channel.sealed_secret) {
        (ChannelKind::Email, None) => Ok(()),
        (ChannelKind::Webhook, Some(secret)) => check_sealed(secret),
        (ChannelKind::Email, Some(_)) => Err(StoreError::invalid(
            "notification channel secret",
            "an e-mail channel has no signing secret",
        )),
        (ChannelKind::Webhook, None) => Err(StoreError::invalid(
            "notification channel secret",
            "a webhook channel needs its signing secret, sealed",
        )),
    }
}

impl Store {
    /// Adds a channel. Errors: [`StoreError::NotFound`] if its merchant does not exist, [`StoreError::Duplicate`]
    /// if the id is taken, [`StoreError::Invalid`] if the address is empty or the secret does not fit the kind.
    pub async fn insert_notification_channel(
        &self,
        channel: &NotificationChannel,
    ) -> StoreResult<()> {
        check_channel(channel)?;
        const SQL: &str = "INSERT INTO notification_channels (id, merchant_id, kind, address, secret_kek_id, \
            secret_blob, language, created_at_ms, disabled) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
        let secret = channel.sealed_secret.as_ref();
        let inserted = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(channel.id.to_string())
                .bind(channel.owner.merchant().map(|id| id.to_string()))
                .bind(channel.kind.as_str())
                .bind(channel.address.trim().to_owned())
                .bind(secret.map(|s| s.kek_id.clone()))
                .bind(secret.map(|s| s.blob.clone()))
                .bind(channel.language.code())
                .bind(millis(channel.created_at))
                .bind(channel.disabled)
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        });
        inserted.map_err(|e| {
            if is_unique_violation(&e) {
                StoreError::Duplicate {
                    what: "notification channel",
                    detail: format!("the id {} is taken", channel.id),
                }
            } else if is_foreign_key_violation(&e) {
                match channel.owner.merchant() {
                    Some(merchant) => StoreError::not_found("merchant", merchant),
                    None => e.into(),
                }
            } else {
                e.into()
            }
        })?;
        Ok(())
    }

    /// The channel with this id, or [`StoreError::NotFound`].
    pub async fn notification_channel(&self, id: ChannelId) -> StoreResult<NotificationChannel> {
        let sql = format!("{SELECT} WHERE id = $1");
        let row: Option<ChannelRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(id.to_string())
                .fetch_optional(pool)
                .await?
        });
        row.ok_or_else(|| StoreError::not_found("notification channel", id))?
            .into_channel()
    }

    /// The channels of one owner (the operator's, or one merchant's), disabled ones included, oldest first.
    pub async fn notification_channels(
        &self,
        owner: ChannelOwner,
    ) -> StoreResult<Vec<NotificationChannel>> {
        let rows: Vec<ChannelRow> = match owner {
            ChannelOwner::Operator => {
                let sql = format!("{SELECT} WHERE merchant_id IS NULL ORDER BY created_at_ms, id");
                on_pool!(&self.pool, |pool| {
                    sqlx::query_as(sqlx::AssertSqlSafe(sql))
                        .fetch_all(pool)
                        .await?
                })
            }
            ChannelOwner::Merchant(merchant) => {
                let sql = format!("{SELECT} WHERE merchant_id = $1 ORDER BY created_at_ms, id");
                on_pool!(&self.pool, |pool| {
                    sqlx::query_as(sqlx::AssertSqlSafe(sql))
                        .bind(merchant.to_string())
                        .fetch_all(pool)
                        .await?
                })
            }
        };
        rows.into_iter().map(ChannelRow::into_channel).collect()
    }

    /// The enabled channels a notification about `merchant` goes to: the merchant's own, then the operator's,
    /// each oldest first.
    pub async fn channels_reaching(
        &self,
        merchant: MerchantId,
    ) -> StoreResult<Vec<NotificationChannel>> {
        let sql = format!(
            "{SELECT} WHERE disabled = $1 AND (merchant_id = $2 OR merchant_id IS NULL) \
             ORDER BY CASE WHEN merchant_id IS NULL THEN 1 ELSE 0 END, created_at_ms, id"
        );
        let rows: Vec<ChannelRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(false)
                .bind(merchant.to_string())
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(ChannelRow::into_channel).collect()
    }

    /// Disables or re-enables a channel. A disabled channel gets no new notifications, and deliveries still
    /// waiting for it are skipped when their turn comes. [`StoreError::NotFound`] if there is no such channel.
    pub async fn set_notification_channel_disabled(
        &self,
        id: ChannelId,
        disabled: bool,
    ) -> StoreResult<()> {
        const SQL: &str = "UPDATE notification_channels SET disabled = $1 WHERE id = $2";
        let updated = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(disabled)
                .bind(id.to_string())
                .execute(pool)
                .await?
                .rows_affected()
        });
        if updated == 0 {
            return Err(StoreError::not_found("notification channel", id));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_addresses_drop_queries() {
        assert_eq!(
            display_address("https://example.com/hook?token=abc#x"),
            "https://example.com/hook"
        );
        assert_eq!(display_address("ops@example.com"), "ops@example.com");
    }
}
