//! Sellers v1 `getMarketplaceParticipations`: where the seller can sell. A successful answer is
//! the proof that an authorization works.

use sellerlink_domain::ids::MarketplaceId;
use serde::Deserialize;

/// The response body, `{"payload": [...]}` (v1 wraps its data in `payload`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GetMarketplaceParticipationsResponse {
    /// The participations.
    #[serde(default)]
    pub payload: Vec<Participation>,
}

/// One marketplace the seller can sell in, and their standing there.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Participation {
    /// The marketplace.
    pub marketplace: MarketplaceInfo,
    /// The seller's standing in it.
    pub participation: ParticipationStatus,
    /// The seller's store name there.
    #[serde(default, rename = "storeName")]
    pub store_name: Option<String>,
}

/// A marketplace as the Sellers API describes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MarketplaceInfo {
    /// The marketplace ID as sent (may be one this build's table does not know, e.g. a
    /// non-retail marketplace); see [`Participation::marketplace_id`].
    pub id: String,
    /// E.g. `Amazon.co.jp`.
    pub name: String,
    /// ISO 3166-1 alpha-2, e.g. `JP`.
    pub country_code: String,
    /// ISO 4217, e.g. `JPY`.
    pub default_currency_code: String,
    /// E.g. `ja_JP`.
    pub default_language_code: String,
    /// E.g. `www.amazon.co.jp`.
    pub domain_name: String,
}

/// The seller's standing in a marketplace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParticipationStatus {
    /// The seller participates in the marketplace.
    pub is_participating: bool,
    /// The seller's listings there are suspended (listing status Inactive).
    pub has_suspended_listings: bool,
}

impl Participation {
    /// The marketplace as a known [`MarketplaceId`]; `None` for marketplaces outside the table.
    pub fn marketplace_id(&self) -> Option<MarketplaceId> {
        MarketplaceId::parse(&self.marketplace.id).ok()
    }

    /// True if this is `marketplace` and the seller participates in it.
    pub fn is_active_in(&self, marketplace: &MarketplaceId) -> bool {
        self.participation.is_participating && self.marketplace.id == marketplace.as_str()
    }
}
