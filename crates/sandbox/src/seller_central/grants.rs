//! Looking up a seller's authorizations in the world the way the pages need them.

use crate::world::{Grant, SellerAccount, World};

use super::views::Credentials;

/// The seller's current (not revoked) authorization of `developer_id` (12 digits), if any.
/// Revoke is terminal, so there is at most one; the newest wins should there be more.
pub(crate) fn current<'w>(
    world: &'w World,
    seller_id: &str,
    developer_id: &str,
) -> Option<&'w Grant> {
    world
        .grants_for_seller(seller_id)
        .into_iter()
        .rfind(|grant| grant.developer_id == developer_id && grant.revoked_at.is_none())
}

/// Whether the name typed in step ③ names the registered developer: the same text once
/// surrounding spaces are removed, ignoring ASCII letter case.
pub(crate) fn names_match(registered: &str, typed: &str) -> bool {
    registered.trim().eq_ignore_ascii_case(typed.trim())
}

/// The three values the completion and view pages show.
pub(crate) fn credentials(seller: &SellerAccount, grant: &Grant) -> Credentials {
    let mut marketplaces = seller.marketplace_ids.iter().cloned();
    Credentials {
        seller_id: seller.seller_id.clone(),
        marketplace_id: marketplaces.next().unwrap_or_default(),
        other_marketplaces: marketplaces.collect(),
        mws_auth_token: grant.mws_auth_token.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn developer_names_match_ignoring_spaces_and_ascii_case() {
        assert!(names_match("shippinno", " shippinno "));
        assert!(names_match("shippinno", "Shippinno"));
        assert!(!names_match("shippinno", "shippin"));
        assert!(!names_match("シッピーノ", "shippinno"));
    }
}
