//! Sellers v1 `getMarketplaceParticipations`: `{"payload": [{marketplace, participation,
//! storeName}]}`, one entry per marketplace of the seller.

use super::pipeline::{Reply, SpCall};

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Marketplace {
    id: &'static str,
    country_code: &'static str,
    name: &'static str,
    default_currency_code: &'static str,
    default_language_code: &'static str,
    domain_name: &'static str,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Participation {
    is_participating: bool,
    has_suspended_listings: bool,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    marketplace: Marketplace,
    participation: Participation,
    store_name: String,
}

#[derive(serde::Serialize)]
struct Body {
    payload: Vec<Entry>,
}

/// Answers `getMarketplaceParticipations` for the token's seller.
pub fn run(call: &SpCall<'_>) -> Reply {
    let payload = call
        .seller
        .marketplace_ids
        .iter()
        .filter_map(|id| crate::marketplaces::find(id))
        .map(|m| Entry {
            marketplace: Marketplace {
                id: m.id,
                country_code: m.country,
                name: m.name,
                default_currency_code: m.currency,
                default_language_code: m.language,
                domain_name: m.domain,
            },
            participation: Participation {
                is_participating: true,
                has_suspended_listings: false,
            },
            store_name: call.seller.display_name.clone(),
        })
        .collect();
    Reply::ok(&Body { payload })
}
