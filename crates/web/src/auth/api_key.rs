//! API keys: `sl_` followed by 43 random URL-safe characters, shown once; the store keeps the SHA-256 and the first
//! 8 characters.

use axum::http::HeaderValue;
use jiff::{SignedDuration, Timestamp};
use sellerlink_domain::ids::MerchantId;
use sellerlink_store::{ApiKeyId, ApiKeyName, ApiKeyRecord, ApiKeyScopes};

use super::tokens::{hash_token, random_token};
use crate::error::HttpError;
use crate::state::WebState;

/// Every key starts with this.
pub(crate) const KEY_PREFIX: &str = "sl_";

/// How many leading characters of a key are kept to recognise it.
const SHOWN_CHARS: usize = 8;

/// `last_used` is written at most this often per key.
const TOUCH_EVERY: SignedDuration = SignedDuration::from_secs(60);

/// A key just created: the key itself (to show once) and what is stored.
pub(crate) struct NewApiKey {
    pub key: String,
    pub record: ApiKeyRecord,
}

impl std::fmt::Debug for NewApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewApiKey")
            .field("key", &"[shown once]")
            .field("record", &self.record)
            .finish()
    }
}

/// The scopes a merchant chose, or 422 naming `scopes`.
pub(crate) fn parse_scopes<'a>(
    codes: impl IntoIterator<Item = &'a str>,
) -> Result<ApiKeyScopes, HttpError> {
    ApiKeyScopes::parse(codes).map_err(|e| {
        HttpError::invalid(
            "scopes",
            e.to_string(),
            "スコープを1つ以上選んでください（connections:read、connections:manage、orders:read、shipments:write、stock:write、notifications:read、notifications:manage）。",
        )
    })
}

/// Creates and stores a new key for a merchant.
pub(crate) async fn create(
    state: &WebState,
    merchant: MerchantId,
    name: ApiKeyName,
    scopes: ApiKeyScopes,
    now: Timestamp,
) -> Result<NewApiKey, HttpError> {
    let key = format!("{KEY_PREFIX}{}", random_token());
    let record = ApiKeyRecord {
        id: ApiKeyId::new(),
        merchant_id: merchant,
        name,
        prefix: key.chars().take(SHOWN_CHARS).collect(),
        hash: hash_token(&key),
        scopes,
        created_at: now,
        revoked_at: None,
        last_used: None,
    };
    state.store().insert_api_key(&record).await?;
    Ok(NewApiKey { key, record })
}

/// The live key an `Authorization: Bearer sl_…` header names; 401 for anything else.
pub(crate) async fn authenticate(
    state: &WebState,
    header: &HeaderValue,
) -> Result<ApiKeyRecord, HttpError> {
    let text = header.to_str().map_err(|_| HttpError::invalid_api_key())?;
    let Some(key) = text
        .strip_prefix("Bearer ")
        .or_else(|| text.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|key| key.starts_with(KEY_PREFIX))
    else {
        return Err(HttpError::invalid_api_key());
    };
    let record = state
        .store()
        .api_key_by_hash(&hash_token(key))
        .await?
        .filter(|record| record.revoked_at.is_none())
        .ok_or_else(HttpError::invalid_api_key)?;
    let now = state.now();
    let stale = record
        .last_used
        .is_none_or(|used| now.duration_since(used) >= TOUCH_EVERY);
    if stale && let Err(error) = state.store().touch_api_key(record.id, now).await {
        tracing::warn!(%error, "recording an API key's use failed");
    }
    Ok(record)
}
