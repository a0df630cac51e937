//! The one thing a merchant should do about a connection now, chosen from its API, its status and the cause of a
//! refusal, and the Seller Central page where it is done.
//!
//! | API | status | primary action | Seller Central page |
//! | --- | --- | --- | --- |
//! | MWS | expiring soon | 承認 (approve), then record the day | User Permissions |
//! | MWS | expired | 復元 (restore), then record the day | User Permissions |
//! | MWS | revoked, or the token refused | grant again, replace the token | User Permissions |
//! | SP-API | expiring soon, expired, revoked, refused | 再認可 (re-authorize) | Manage Your Apps |
//! | either | unverified, or sellerlink's own credentials refused | verify now | — |
//! | either | active | none | — |

use sellerlink_app::ConnectionView;
use sellerlink_domain::connection::{ApiAccount, ConnectionStatus};
use sellerlink_domain::marketplace::Marketplace;
use sellerlink_notify::SellerCentralHost;
use url::Url;

/// What the card asks the merchant to do first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PrimaryAction {
    /// An MWS grant close to its expiry: 「アクセス権を承認」 in Seller Central, then record the day here.
    Approve,
    /// An expired MWS grant: 「アクセス権の復元」 in Seller Central, then record the day here.
    Restore,
    /// An SP-API authorization ending or refused: 「再認可」 on Manage Your Apps.
    Reauthorize,
    /// An MWS grant the seller revoked, or a token Amazon refuses: grant access again and paste the new token.
    ReplaceToken,
    /// Nothing to do in Seller Central: ask Amazon again (never verified, or sellerlink's own credentials were
    /// refused and the operator fixes them).
    Verify,
}

impl PrimaryAction {
    /// The primary action of a connection, or `None` when nothing needs doing.
    pub(crate) fn of(view: &ConnectionView) -> Option<Self> {
        let spapi = matches!(view.connection.account, ApiAccount::SpApi { .. });
        // Refusals of sellerlink's own credentials (MWS developer keys, the SP-API app's client secret): the
        // operator fixes them, not the merchant.
        let operator_side = view
            .connection
            .grant
            .access_denied
            .as_ref()
            .is_some_and(|denial| denial.cause.operator_must_act());
        match view.status {
            ConnectionStatus::Active => None,
            ConnectionStatus::Unverified => Some(Self::Verify),
            ConnectionStatus::AccessDenied if operator_side => Some(Self::Verify),
            _ if spapi => Some(Self::Reauthorize),
            ConnectionStatus::ExpiringSoon { .. } => Some(Self::Approve),
            ConnectionStatus::Expired => Some(Self::Restore),
            ConnectionStatus::Revoked | ConnectionStatus::AccessDenied => Some(Self::ReplaceToken),
        }
    }

    /// The CSS/test name (`data-action`): `approve`, `restore`, `reauthorize`, `replace_token`, `verify`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Approve => "approve",
            Self::Restore => "restore",
            Self::Reauthorize => "reauthorize",
            Self::ReplaceToken => "replace_token",
            Self::Verify => "verify",
        }
    }

    /// The Seller Central page where the action is done, on `site`; `None` for [`Self::Verify`].
    pub(crate) fn seller_central_page(self, site: &SellerCentralHost) -> Option<String> {
        match self {
            Self::Approve | Self::Restore | Self::ReplaceToken => Some(site.user_permissions_url()),
            Self::Reauthorize => Some(site.manage_apps_url()),
            Self::Verify => None,
        }
    }
}

/// The Seller Central site a merchant uses for a connection: the first configured override that is a usable base
/// URL (the sandbox in the demo), else the Seller Central host of the connection's home marketplace.
pub(crate) fn seller_central_site(
    overrides: &[Option<&Url>],
    home: &Marketplace,
) -> SellerCentralHost {
    overrides
        .iter()
        .flatten()
        .find_map(|url| SellerCentralHost::parse(&url.origin().ascii_serialization()).ok())
        .unwrap_or_else(|| SellerCentralHost::of(home))
}

#[cfg(test)]
pub(crate) mod tests {
    use jiff::{SignedDuration, Timestamp};
    use sellerlink_domain::connection::{ConnectedMarketplace, Connection};
    use sellerlink_domain::ids::{
        ConnectionId, DeveloperId, MarketplaceId, MerchantId, SellerId, SellingPartnerId,
    };
    use sellerlink_domain::lifecycle::{AccessDenial, AccessGrant, RenewalTerm, StatusPolicy};
    use sellerlink_domain::marketplace::Region;
    use sellerlink_domain::refusal::RefusalCause;

    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    pub(crate) const NOW: &str = "2026-12-06T03:00:00Z";

    /// A connection granted `days_ago` days before [`NOW`], seen at [`NOW`].
    pub(crate) fn view(
        spapi: bool,
        days_ago: i64,
        denied: Option<RefusalCause>,
        revoked: bool,
    ) -> ConnectionView {
        let now = at(NOW);
        let japan = MarketplaceId::japan();
        let granted_at = now - SignedDuration::from_hours(24 * days_ago);
        let (account, term) = if spapi {
            (
                ApiAccount::SpApi {
                    selling_partner_id: SellingPartnerId::parse("A1B2C3D4E5F6G7").unwrap(),
                    region: Region::Fe,
                },
                RenewalTerm::Days365,
            )
        } else {
            (
                ApiAccount::Mws {
                    seller_id: SellerId::parse("A1B2C3D4E5F6G7").unwrap(),
                    developer_id: DeveloperId::parse("5259-6479-4073").unwrap(),
                },
                RenewalTerm::OneYear,
            )
        };
        let mut grant = AccessGrant::new(granted_at, japan.marketplace(), term, true);
        if let Some(cause) = denied {
            grant = grant.deny_access(AccessDenial {
                at: now,
                cause,
                detail: "AccessDenied".to_owned(),
            });
        }
        if revoked {
            grant = grant.revoke(now).unwrap();
        }
        let connection = Connection {
            id: ConnectionId::new(),
            merchant_id: MerchantId::new(),
            account,
            marketplaces: vec![ConnectedMarketplace {
                id: japan,
                name: None,
            }],
            grant,
            verified_at: Some(granted_at),
            created_at: granted_at,
        };
        view_at(connection, now)
    }

    /// What the app derives for `connection` at `now` with the default policy.
    pub(crate) fn view_at(connection: Connection, now: Timestamp) -> ConnectionView {
        let policy = StatusPolicy::default();
        ConnectionView {
            status: connection.status(now, &policy),
            days_until_expiry: connection.grant.days_until_expiry(now),
            expires_on: connection.grant.expires_on(),
            credential_masked: "amzn.mws.…c0ffee".to_owned(),
            as_of: now,
            connection,
        }
    }

    #[test]
    fn each_mws_state_has_its_own_action() {
        let cases = [
            (view(false, 10, None, false), None),
            (view(false, 340, None, false), Some(PrimaryAction::Approve)),
            (view(false, 400, None, false), Some(PrimaryAction::Restore)),
            (
                view(false, 400, Some(RefusalCause::SellerAccess), false),
                Some(PrimaryAction::Restore),
            ),
            (
                view(false, 10, Some(RefusalCause::SellerAccess), false),
                Some(PrimaryAction::ReplaceToken),
            ),
            (
                view(false, 10, None, true),
                Some(PrimaryAction::ReplaceToken),
            ),
            (
                view(false, 10, Some(RefusalCause::OperatorCredentials), false),
                Some(PrimaryAction::Verify),
            ),
        ];
        for (view, expected) in cases {
            assert_eq!(PrimaryAction::of(&view), expected, "{:?}", view.status);
        }
    }

    #[test]
    fn sp_api_is_always_reauthorized_unless_the_operator_must_act() {
        for (days_ago, denied, revoked) in [
            (340, None, false),
            (400, None, false),
            (10, Some(RefusalCause::AuthorizationLost), false),
            (10, Some(RefusalCause::SellerAccess), false),
            (10, None, true),
        ] {
            let view = view(true, days_ago, denied, revoked);
            assert_eq!(
                PrimaryAction::of(&view),
                Some(PrimaryAction::Reauthorize),
                "{:?}",
                view.status
            );
        }
        assert_eq!(PrimaryAction::of(&view(true, 10, None, false)), None);
        assert_eq!(
            PrimaryAction::of(&view(
                true,
                10,
                Some(RefusalCause::AppCredentialsRejected),
                false
            )),
            Some(PrimaryAction::Verify)
        );
    }

    #[test]
    fn an_unverified_connection_is_verified_first() {
        let mut unverified = view(false, 10, None, false);
        unverified.connection.verified_at = None;
        let unverified = view_at(unverified.connection, at(NOW));
        assert_eq!(unverified.status, ConnectionStatus::Unverified);
        assert_eq!(PrimaryAction::of(&unverified), Some(PrimaryAction::Verify));
    }

    #[test]
    fn links_go_to_the_exact_seller_central_page() {
        let japan = MarketplaceId::japan();
        let amazon = seller_central_site(&[None, None], japan.marketplace());
        assert_eq!(
            PrimaryAction::Approve
                .seller_central_page(&amazon)
                .as_deref(),
            Some("https://sellercentral.amazon.co.jp/gp/account-manager/home.html")
        );
        assert_eq!(
            PrimaryAction::Reauthorize
                .seller_central_page(&amazon)
                .as_deref(),
            Some("https://sellercentral.amazon.co.jp/apps/manage")
        );
        assert_eq!(PrimaryAction::Verify.seller_central_page(&amazon), None);
        let us = MarketplaceId::parse("ATVPDKIKX0DER").unwrap();
        assert_eq!(
            PrimaryAction::Restore
                .seller_central_page(&seller_central_site(&[], us.marketplace()))
                .as_deref(),
            Some("https://sellercentral.amazon.com/gp/account-manager/home.html")
        );
        let sandbox: Url = "http://127.0.0.1:8480/".parse().unwrap();
        let site = seller_central_site(&[None, Some(&sandbox)], japan.marketplace());
        assert_eq!(
            PrimaryAction::ReplaceToken
                .seller_central_page(&site)
                .as_deref(),
            Some("http://127.0.0.1:8480/gp/account-manager/home.html")
        );
    }
}
