//! Whose data a call is about: the seller, and the MWS Auth Token of their grant.

use sellerlink_domain::ids::{MwsAuthToken, SellerId};

/// Whose data a call is about: the seller, and the MWS Auth Token the seller issued to this
/// developer (absent only when the developer keys are the seller's own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SellerAuth {
    /// The seller's merchant token (`SellerId`).
    pub seller_id: SellerId,
    /// The token from the seller's grant; its `Debug` is masked.
    pub auth_token: Option<MwsAuthToken>,
}

impl SellerAuth {
    /// A seller that granted this developer access with `auth_token`.
    pub fn granted(seller_id: SellerId, auth_token: MwsAuthToken) -> Self {
        Self {
            seller_id,
            auth_token: Some(auth_token),
        }
    }

    /// The developer's own seller account (no token is sent).
    pub fn own_account(seller_id: SellerId) -> Self {
        Self {
            seller_id,
            auth_token: None,
        }
    }
}
