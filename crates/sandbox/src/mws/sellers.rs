//! Sellers 2011-07-01: ListMarketplaceParticipations (+ByNextToken) and GetServiceStatus.

use crate::mws::call::{Call, Reply};
use crate::mws::errors::MwsErrorAnswer;

/// Dispatches a Sellers operation.
pub fn run(call: &Call<'_>) -> Result<Reply, MwsErrorAnswer> {
    match call.operation {
        "ListMarketplaceParticipations" => Ok(participations(call)),
        // The sandbox never splits participations over pages, so no token is ever valid.
        "ListMarketplaceParticipationsByNextToken" => {
            call.params
                .non_empty("NextToken")
                .ok_or_else(|| MwsErrorAnswer::missing("NextToken"))?;
            Err(MwsErrorAnswer::next_token_corrupted())
        }
        _ => Ok(call.service_status()),
    }
}

fn participations(call: &Call<'_>) -> Reply {
    let mut w = call.begin(2048);
    w.open("ListParticipations");
    for id in &call.seller.marketplace_ids {
        w.open("Participation")
            .leaf("MarketplaceId", id)
            .leaf("SellerId", &call.seller.seller_id)
            .leaf("HasSellerSuspendedListings", "No")
            .close("Participation");
    }
    w.close("ListParticipations");
    w.open("ListMarketplaces");
    for id in &call.seller.marketplace_ids {
        let Some(m) = crate::marketplaces::find(id) else {
            continue;
        };
        w.open("Marketplace")
            .leaf("MarketplaceId", m.id)
            .leaf("Name", m.name)
            .leaf("DefaultCountryCode", m.country)
            .leaf("DefaultCurrencyCode", m.currency)
            .leaf("DefaultLanguageCode", m.language)
            .leaf("DomainName", m.domain)
            .close("Marketplace");
    }
    w.close("ListMarketplaces");
    call.end(w)
}
