//! Who a call is made for: the seller's merchant token, their LWA refresh token and the region
//! they authorized in.

use sellerlink_domain::ids::{LwaRefreshToken, MarketplaceId, SellingPartnerId};
use sellerlink_domain::marketplace::Region;

/// A seller's SP-API authorization, as every call needs it. `Debug` masks the refresh token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SellerAuth {
    /// The seller's merchant token (`selling_partner_id` of the OAuth redirect).
    pub selling_partner_id: SellingPartnerId,
    /// The long-lived refresh token LWA issued for this seller and app.
    pub refresh_token: LwaRefreshToken,
    /// The region the seller authorized in; the token works against that region's host only.
    pub region: Region,
}

impl SellerAuth {
    /// A seller's authorization in `region`.
    pub fn new(
        selling_partner_id: SellingPartnerId,
        refresh_token: LwaRefreshToken,
        region: Region,
    ) -> Self {
        Self {
            selling_partner_id,
            refresh_token,
            region,
        }
    }

    /// A seller's authorization in the region of `marketplace` (Amazon.co.jp → Far East).
    pub fn for_marketplace(
        selling_partner_id: SellingPartnerId,
        refresh_token: LwaRefreshToken,
        marketplace: &MarketplaceId,
    ) -> Self {
        Self::new(
            selling_partner_id,
            refresh_token,
            marketplace.marketplace().region,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japan_is_far_east_and_debug_hides_the_token() {
        let auth = SellerAuth::for_marketplace(
            SellingPartnerId::parse("A2SLNK0EXAMPL3").unwrap(),
            LwaRefreshToken::parse("Atzr|IwEBIKeepThisSecret").unwrap(),
            &MarketplaceId::japan(),
        );
        assert_eq!(auth.region, Region::Fe);
        let debug = format!("{auth:?}");
        assert!(!debug.contains("KeepThisSecret"), "{debug}");
        assert!(debug.contains("A2SLNK0EXAMPL3"), "{debug}");
    }
}
