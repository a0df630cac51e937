//! A merchant's API keys (the key itself only in the answer that creates it).

use jiff::Timestamp;
use sellerlink_store::ApiKeyRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// An API key (never the key itself after creation).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyOut {
    /// Its id.
    pub id: Uuid,
    /// The merchant's name for it.
    pub name: String,
    /// Its first 8 characters.
    #[schema(example = "sl_AbCdE")]
    pub prefix: String,
    /// What it may do: `connections:read`, `connections:manage`, `orders:read`, `shipments:write`, `stock:write`,
    /// `notifications:read`, `notifications:manage`.
    #[schema(example = json!(["orders:read", "shipments:write"]))]
    pub scopes: Vec<String>,
    /// When it was created.
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// When it was revoked.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub revoked_at: Option<Timestamp>,
    /// When it was last used (to the minute).
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_used: Option<Timestamp>,
}

impl From<&ApiKeyRecord> for ApiKeyOut {
    fn from(key: &ApiKeyRecord) -> Self {
        Self {
            id: key.id.as_uuid(),
            name: key.name.to_string(),
            prefix: key.prefix.clone(),
            scopes: key.scopes.codes().map(str::to_owned).collect(),
            created_at: key.created_at,
            revoked_at: key.revoked_at,
            last_used: key.last_used,
        }
    }
}

/// A key just created. `key` is shown this once and never again.
#[derive(Serialize, ToSchema)]
pub struct CreatedApiKeyOut {
    /// The key: send it as `Authorization: Bearer <key>`.
    #[schema(example = "sl_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg")]
    pub key: String,
    /// The stored key.
    pub api_key: ApiKeyOut,
}

/// A new API key.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateApiKeyIn {
    /// What the key is for, 1–100 characters.
    #[schema(example = "WMS import")]
    pub name: String,
    /// What it may do, at least one of `connections:read`, `connections:manage`, `orders:read`, `shipments:write`,
    /// `stock:write`, `notifications:read`, `notifications:manage`. No scope creates keys or notification channels:
    /// that needs a signed-in session.
    #[serde(default)]
    #[schema(example = json!(["orders:read", "shipments:write"]))]
    pub scopes: Vec<String>,
}
