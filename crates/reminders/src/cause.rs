//! From the refusal recorded on a connection to the classified cause an alert explains (and whose fix it
//! spells out), with Amazon's own code and message kept apart.

use sellerlink_domain::connection::{ApiAccount, Connection, Language};
use sellerlink_domain::lifecycle::{AccessDenial, Validity};
use sellerlink_domain::refusal::RefusalCause;
use sellerlink_notify::AccessLossCause;

/// The cause of `denial` on `connection`, in the reader's `language` where it needs words of our own.
///
/// A refusal of the seller's access on an MWS connection is told apart by the grant's dates when it happened
/// (expired, revoked, or refused while valid); on an SP-API connection it is a lost authorization, like LWA's
/// `invalid_grant`. A refusal of the app's client credentials is the app secret; a refusal of sellerlink's own
/// developer keys is explained in words of our own.
pub fn classify(
    connection: &Connection,
    denial: &AccessDenial,
    language: Language,
) -> AccessLossCause {
    let is_mws = matches!(connection.account, ApiAccount::Mws { .. });
    match denial.cause {
        RefusalCause::SellerAccess if is_mws => match connection.grant.validity(denial.at) {
            Validity::Expired => AccessLossCause::MwsExpired,
            Validity::Revoked => AccessLossCause::MwsRevoked,
            Validity::Valid => AccessLossCause::MwsAccessDenied,
        },
        RefusalCause::SellerAccess | RefusalCause::AuthorizationLost => {
            AccessLossCause::SpApiAuthorizationLost
        }
        RefusalCause::AppCredentialsRejected => AccessLossCause::SpApiAppSecretExpired,
        RefusalCause::OperatorCredentials => {
            AccessLossCause::Other(operator_keys(language).to_owned())
        }
    }
}

fn operator_keys(language: Language) -> &'static str {
    match language {
        Language::Ja => {
            "Amazon が sellerlink 自身の開発者キー（アクセスキーID・シークレットキー）を拒否しました（InvalidAccessKeyId / SignatureDoesNotMatch）。運用者が sellerlink の設定を確認します。荷主様の操作は不要です。"
        }
        Language::En => {
            "Amazon refused sellerlink's own developer keys (InvalidAccessKeyId / SignatureDoesNotMatch). The operator checks sellerlink's configuration; the merchant need not do anything."
        }
    }
}

/// Amazon's code and message from a denial's detail (the sync engine writes `Code: message`, `Code` or
/// `message`): it splits at the first `: ` when the part before it is one word; a lone word is a code; anything
/// else is all message.
pub fn amazon_answer(denial: &AccessDenial) -> (Option<String>, Option<String>) {
    let detail = denial.detail.trim();
    if detail.is_empty() {
        return (None, None);
    }
    match detail.split_once(": ") {
        Some((code, message)) if !code.is_empty() && !code.contains(char::is_whitespace) => {
            let message = message.trim();
            (
                Some(code.to_owned()),
                (!message.is_empty()).then(|| message.to_owned()),
            )
        }
        _ if !detail.contains(char::is_whitespace) => (Some(detail.to_owned()), None),
        _ => (None, Some(detail.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;
    use sellerlink_domain::connection::ConnectedMarketplace;
    use sellerlink_domain::ids::{
        ConnectionId, DeveloperId, MarketplaceId, MerchantId, SellerId, SellingPartnerId,
    };
    use sellerlink_domain::lifecycle::{AccessGrant, RenewalTerm};
    use sellerlink_domain::marketplace::Region;

    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn connection(account: ApiAccount) -> Connection {
        let japan = MarketplaceId::japan();
        let granted_at = at("2026-01-10T01:00:00Z");
        Connection {
            id: ConnectionId::new(),
            merchant_id: MerchantId::new(),
            account,
            marketplaces: vec![ConnectedMarketplace {
                id: japan.clone(),
                name: None,
            }],
            grant: AccessGrant::new(granted_at, japan.marketplace(), RenewalTerm::OneYear, true),
            verified_at: Some(granted_at),
            created_at: granted_at,
        }
    }

    fn mws() -> Connection {
        connection(ApiAccount::Mws {
            seller_id: SellerId::parse("A1B2C3D4E5F6G7").unwrap(),
            developer_id: DeveloperId::parse("525964794073").unwrap(),
        })
    }

    fn denial(at_text: &str, cause: RefusalCause, detail: &str) -> AccessDenial {
        AccessDenial {
            at: at(at_text),
            cause,
            detail: detail.to_owned(),
        }
    }

    #[test]
    fn mws_refusals_are_told_apart_by_the_dates() {
        let connection = mws();
        let during = denial(
            "2026-06-01T00:00:00Z",
            RefusalCause::SellerAccess,
            "AccessDenied: denied",
        );
        assert_eq!(
            classify(&connection, &during, Language::Ja),
            AccessLossCause::MwsAccessDenied
        );
        // The grant expires on 2027-01-10 (JST); a refusal on that day is an expiry.
        let lapsed = denial(
            "2027-01-09T15:00:00Z",
            RefusalCause::SellerAccess,
            "AccessDenied: denied",
        );
        assert_eq!(
            classify(&connection, &lapsed, Language::Ja),
            AccessLossCause::MwsExpired
        );
        let keys = denial(
            "2026-06-01T00:00:00Z",
            RefusalCause::OperatorCredentials,
            "InvalidAccessKeyId: x",
        );
        let AccessLossCause::Other(words) = classify(&connection, &keys, Language::En) else {
            panic!("operator keys are an operator matter");
        };
        assert!(words.contains("sellerlink's own developer keys"), "{words}");
    }

    #[test]
    fn sp_api_refusals_follow_lwa() {
        let connection = connection(ApiAccount::SpApi {
            selling_partner_id: SellingPartnerId::parse("A1B2C3D4E5F6G7").unwrap(),
            region: Region::Fe,
        });
        let grant = denial(
            "2026-06-01T00:00:00Z",
            RefusalCause::AuthorizationLost,
            "invalid_grant: revoked",
        );
        let client = denial(
            "2026-06-01T00:00:00Z",
            RefusalCause::AppCredentialsRejected,
            "invalid_client: expired",
        );
        assert_eq!(
            classify(&connection, &grant, Language::En),
            AccessLossCause::SpApiAuthorizationLost
        );
        assert_eq!(
            classify(&connection, &client, Language::En),
            AccessLossCause::SpApiAppSecretExpired
        );
        let refused = denial(
            "2026-06-01T00:00:00Z",
            RefusalCause::SellerAccess,
            "Unauthorized: denied",
        );
        assert_eq!(
            classify(&connection, &refused, Language::En),
            AccessLossCause::SpApiAuthorizationLost,
            "an SP-API refusal of the seller's access is re-authorized"
        );
    }

    #[test]
    fn amazon_codes_are_split_from_messages() {
        let split = |detail: &str| {
            amazon_answer(&denial(
                "2026-06-01T00:00:00Z",
                RefusalCause::SellerAccess,
                detail,
            ))
        };
        assert_eq!(
            split("AccessDenied: Access to Orders.ListOrders is denied"),
            (
                Some("AccessDenied".to_owned()),
                Some("Access to Orders.ListOrders is denied".to_owned())
            )
        );
        assert_eq!(
            split("AccessDenied"),
            (Some("AccessDenied".to_owned()), None)
        );
        assert_eq!(
            split("Amazon refused the credential without an error body"),
            (
                None,
                Some("Amazon refused the credential without an error body".to_owned())
            )
        );
        assert_eq!(split(""), (None, None));
    }
}
