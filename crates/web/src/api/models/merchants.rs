//! Merchants: the 3PL's tenants.

use jiff::Timestamp;
use sellerlink_domain::connection::Merchant;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A merchant (a tenant of the 3PL).
#[derive(Debug, Serialize, ToSchema)]
pub struct MerchantOut {
    /// Its id.
    pub id: Uuid,
    /// Its display name.
    #[schema(example = "株式会社たくみ")]
    pub name: String,
    /// The language it reads: `ja` or `en`.
    #[schema(example = "ja")]
    pub language: String,
    /// When it was registered.
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

impl From<&Merchant> for MerchantOut {
    fn from(merchant: &Merchant) -> Self {
        Self {
            id: merchant.id.as_uuid(),
            name: merchant.name.to_string(),
            language: merchant.language.code().to_owned(),
            created_at: merchant.created_at,
        }
    }
}

/// A new merchant.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateMerchantIn {
    /// Display name, 1–100 characters.
    #[schema(example = "株式会社たくみ")]
    pub name: String,
    /// `ja` (default) or `en`.
    #[schema(example = "ja")]
    pub language: Option<String>,
}
