//! Why Amazon did not accept a grant, and what the merchant (or operator) must do about it.

use sellerlink_domain::ids::{DeveloperId, IdField, MarketplaceId, SellerId};
use sellerlink_domain::refusal::RefusalCause;
use sellerlink_sync::{GatewayError, GatewayErrorKind};
use serde::Serialize;

/// A verification that failed; nothing was stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum VerificationFailure {
    /// Amazon knows no seller account with this Seller ID (MWS `InvalidParameterValue`: "Invalid seller id"): it was
    /// most likely mistyped.
    SellerIdNotFound {
        seller_id: SellerId,
        developer_id: DeveloperId,
        seller_central_host: String,
    },
    /// The token was issued for another seller account (the Seller ID and token do not belong together).
    TokenForAnotherSeller {
        seller_id: SellerId,
        developer_id: DeveloperId,
        seller_central_host: String,
    },
    /// The seller's grant to our developer ID has expired (R1/R3): restore access.
    AccessExpired {
        seller_id: SellerId,
        developer_id: DeveloperId,
        seller_central_host: String,
    },
    /// The seller revoked our developer's access: grant it again.
    AccessRevoked {
        seller_id: SellerId,
        developer_id: DeveloperId,
        seller_central_host: String,
    },
    /// Amazon refused without saying which of the above (live MWS never says).
    AccessRefused {
        seller_id: SellerId,
        developer_id: DeveloperId,
        seller_central_host: String,
        amazon_message: String,
    },
    /// The operator's own developer keys were refused.
    OperatorCredentials { amazon_message: String },
    /// The seller account does not sell in a marketplace the merchant named.
    MarketplaceNotParticipating {
        missing: Vec<MarketplaceId>,
        participating: Vec<MarketplaceId>,
    },
    /// Amazon could not be reached or failed.
    Unreachable { detail: String },
    /// Amazon refused the request for another reason.
    Refused { detail: String },
    /// An SP-API authorization ("Connect with Amazon" or a re-authorization) was refused.
    #[serde(rename = "sp_api")]
    SpApi(crate::SpApiFailure),
}

impl VerificationFailure {
    /// Classifies a failed verification call.
    pub(crate) fn from_source(
        error: &GatewayError,
        seller_id: &SellerId,
        developer_id: &DeveloperId,
        seller_central_host: &str,
    ) -> Self {
        let ids = || {
            (
                seller_id.clone(),
                developer_id.clone(),
                seller_central_host.to_owned(),
            )
        };
        match &error.kind {
            GatewayErrorKind::AccessDenied { cause, .. } => match cause {
                RefusalCause::OperatorCredentials => Self::OperatorCredentials {
                    amazon_message: error.message.clone(),
                },
                // An MWS verification meets only the two MWS causes; the SP-API ones read as the seller's refusal.
                RefusalCause::SellerAccess
                | RefusalCause::AuthorizationLost
                | RefusalCause::AppCredentialsRejected => {
                    let (seller_id, developer_id, seller_central_host) = ids();
                    Self::seller_refusal(
                        &error.message,
                        seller_id,
                        developer_id,
                        seller_central_host,
                    )
                }
            },
            GatewayErrorKind::Transient | GatewayErrorKind::Throttled { .. } => Self::Unreachable {
                detail: error.to_string(),
            },
            GatewayErrorKind::Invalid if names_an_unknown_seller(&error.message) => {
                let (seller_id, developer_id, seller_central_host) = ids();
                Self::SellerIdNotFound {
                    seller_id,
                    developer_id,
                    seller_central_host,
                }
            }
            GatewayErrorKind::Invalid | GatewayErrorKind::Other => Self::Refused {
                detail: error.to_string(),
            },
        }
    }

    /// The seller's refusal of the grant, told apart by the reason the sandbox names (a documented extension); live
    /// MWS answers `AccessDenied` for all, which is [`Self::AccessRefused`].
    fn seller_refusal(
        message: &str,
        seller_id: SellerId,
        developer_id: DeveloperId,
        seller_central_host: String,
    ) -> Self {
        if message.contains("token-for-another-seller") || message.contains("unknown-token") {
            Self::TokenForAnotherSeller {
                seller_id,
                developer_id,
                seller_central_host,
            }
        } else if message.contains("grant-expired") {
            Self::AccessExpired {
                seller_id,
                developer_id,
                seller_central_host,
            }
        } else if message.contains("grant-revoked") {
            Self::AccessRevoked {
                seller_id,
                developer_id,
                seller_central_host,
            }
        } else {
            Self::AccessRefused {
                seller_id,
                developer_id,
                seller_central_host,
                amazon_message: message.to_owned(),
            }
        }
    }

    /// The typed value Amazon's refusal points at, for showing the message at that field: the Seller ID Amazon does
    /// not know; the MWS Auth Token for a token of another seller or a grant that is expired, revoked or refused
    /// (the token is what the merchant replaces or has restored in Seller Central); the marketplace the seller does not
    /// sell in. `None` when no value the merchant typed is at fault.
    pub fn field(&self) -> Option<IdField> {
        match self {
            Self::SellerIdNotFound { .. } => Some(IdField::SellerId),
            Self::TokenForAnotherSeller { .. }
            | Self::AccessExpired { .. }
            | Self::AccessRevoked { .. }
            | Self::AccessRefused { .. } => Some(IdField::MwsAuthToken),
            Self::MarketplaceNotParticipating { .. } => Some(IdField::MarketplaceId),
            Self::OperatorCredentials { .. }
            | Self::Unreachable { .. }
            | Self::Refused { .. }
            | Self::SpApi(_) => None,
        }
    }

    /// A stable machine-readable reason.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::SellerIdNotFound { .. } => "seller_id_not_found",
            Self::TokenForAnotherSeller { .. } => "token_for_another_seller",
            Self::AccessExpired { .. } => "access_expired",
            Self::AccessRevoked { .. } => "access_revoked",
            Self::AccessRefused { .. } => "access_refused",
            Self::OperatorCredentials { .. } => "operator_credentials",
            Self::MarketplaceNotParticipating { .. } => "marketplace_not_participating",
            Self::Unreachable { .. } => "amazon_unreachable",
            Self::Refused { .. } => "amazon_refused",
            Self::SpApi(failure) => failure.reason(),
        }
    }

    /// What happened and what to do, in English.
    pub fn message_en(&self) -> String {
        let path = |host: &str| {
            format!(
                "Seller Central (https://{host}) → Settings → User Permissions → Amazon MWS Developer Permissions"
            )
        };
        match self {
            Self::SellerIdNotFound {
                seller_id,
                developer_id,
                seller_central_host,
            } => format!(
                "Amazon has no seller account with Seller ID {seller_id}: it is probably mistyped. Copy the Seller ID from {}, row of developer ID {developer_id}, \"View\" (the same page shows the MWS Auth Token). Nothing was saved.",
                path(seller_central_host)
            ),
            Self::TokenForAnotherSeller {
                seller_id,
                developer_id,
                seller_central_host,
            } => format!(
                "Amazon says this MWS Auth Token does not belong to Seller ID {seller_id}. Copy the Seller ID and the MWS Auth Token from the same page: {}, row of developer ID {developer_id}, \"View\". Nothing was saved.",
                path(seller_central_host)
            ),
            Self::AccessExpired {
                seller_id,
                developer_id,
                seller_central_host,
            } => format!(
                "The access of developer ID {developer_id} to Seller ID {seller_id} has expired. Restore it: {} → row of developer ID {developer_id} → \"Restore access\", then try again (the same token works again). Nothing was saved.",
                path(seller_central_host)
            ),
            Self::AccessRevoked {
                seller_id,
                developer_id,
                seller_central_host,
            } => format!(
                "Seller ID {seller_id} revoked the access of developer ID {developer_id}. Grant access again ({} → \"Grant access to developer\") and enter the NEW MWS Auth Token. Nothing was saved.",
                path(seller_central_host)
            ),
            Self::AccessRefused {
                seller_id,
                developer_id,
                seller_central_host,
                amazon_message,
            } => format!(
                "Amazon refused access for Seller ID {seller_id} ({amazon_message}). Check, in {}, that developer ID {developer_id} is listed: if its access expired, click \"Restore access\"; if it is missing, grant access again; and copy the Seller ID and token from the same row (\"View\"). Nothing was saved.",
                path(seller_central_host)
            ),
            Self::OperatorCredentials { amazon_message } => format!(
                "Amazon refused sellerlink's own developer keys ({amazon_message}). This is not the merchant's fault: the operator must check SELLERLINK_MWS_ACCESS_KEY_ID and SELLERLINK_MWS_SECRET_KEY. Nothing was saved."
            ),
            Self::MarketplaceNotParticipating {
                missing,
                participating,
            } => format!(
                "The seller account does not sell in {} (it sells in {}). Choose one of those marketplaces. Nothing was saved.",
                names(missing),
                names(participating)
            ),
            Self::Unreachable { detail } => {
                format!(
                    "Amazon could not be reached ({detail}). Nothing was saved; try again in a few minutes."
                )
            }
            Self::Refused { detail } => {
                format!("Amazon refused the check ({detail}). Nothing was saved.")
            }
            Self::SpApi(failure) => failure.message_en(),
        }
    }

    /// What happened and what to do, in Japanese (Seller Central's own labels).
    pub fn message_ja(&self) -> String {
        let path = |host: &str| {
            format!(
                "セラーセントラル（https://{host}）→ 設定 → ユーザー権限 → Amazon MWS 開発者権限"
            )
        };
        match self {
            Self::SellerIdNotFound {
                seller_id,
                developer_id,
                seller_central_host,
            } => format!(
                "出品者ID {seller_id} のアカウントはAmazonにありません（入力間違いの可能性があります）。{} の開発者ID {developer_id} の行の「表示」から出品者IDをコピーしてください（同じ画面にMWS認証トークンも表示されます）。何も保存されていません。",
                path(seller_central_host)
            ),
            Self::TokenForAnotherSeller {
                seller_id,
                developer_id,
                seller_central_host,
            } => format!(
                "このMWS認証トークンは出品者ID {seller_id} のものではありません。{} の開発者ID {developer_id} の行の「表示」で、同じ画面の出品者IDとMWS認証トークンをコピーしてください。何も保存されていません。",
                path(seller_central_host)
            ),
            Self::AccessExpired {
                seller_id,
                developer_id,
                seller_central_host,
            } => format!(
                "出品者ID {seller_id} に対する開発者ID {developer_id} のアクセス権は期限切れです。{} で開発者ID {developer_id} の行の「アクセス権の復元」を行ってから、もう一度お試しください（同じトークンが再び使えます）。何も保存されていません。",
                path(seller_central_host)
            ),
            Self::AccessRevoked {
                seller_id,
                developer_id,
                seller_central_host,
            } => format!(
                "出品者ID {seller_id} で開発者ID {developer_id} のアクセス権が取り消されています。{} →「開発者にアクセス権を付与」で改めて付与し、新しいMWS認証トークンを入力してください。何も保存されていません。",
                path(seller_central_host)
            ),
            Self::AccessRefused {
                seller_id,
                developer_id,
                seller_central_host,
                amazon_message,
            } => format!(
                "Amazonが出品者ID {seller_id} へのアクセスを拒否しました（{amazon_message}）。{} に開発者ID {developer_id} の行があるか確認してください。期限切れなら「アクセス権の復元」、行がなければ改めて付与し、出品者IDとトークンは同じ行の「表示」からコピーしてください。何も保存されていません。",
                path(seller_central_host)
            ),
            Self::OperatorCredentials { amazon_message } => format!(
                "Amazonがsellerlinkの開発者キーを拒否しました（{amazon_message}）。荷主様の操作の問題ではありません。運用者が SELLERLINK_MWS_ACCESS_KEY_ID と SELLERLINK_MWS_SECRET_KEY を確認してください。何も保存されていません。"
            ),
            Self::MarketplaceNotParticipating {
                missing,
                participating,
            } => format!(
                "この出品者アカウントは {} で販売していません（販売中: {}）。いずれかのマーケットプレイスを選んでください。何も保存されていません。",
                names(missing),
                names(participating)
            ),
            Self::Unreachable { detail } => {
                format!(
                    "Amazonに接続できませんでした（{detail}）。何も保存されていません。数分後にもう一度お試しください。"
                )
            }
            Self::Refused { detail } => {
                format!("Amazonが確認を拒否しました（{detail}）。何も保存されていません。")
            }
            Self::SpApi(failure) => failure.message_ja(),
        }
    }
}

/// Whether Amazon's refusal says the Seller ID names no seller account (MWS answers `InvalidParameterValue` with
/// "Invalid seller id: …").
fn names_an_unknown_seller(message: &str) -> bool {
    message.to_ascii_lowercase().contains("invalid seller id")
}

fn names(ids: &[MarketplaceId]) -> String {
    if ids.is_empty() {
        return "-".to_owned();
    }
    ids.iter()
        .map(|id| format!("{} ({id})", id.marketplace().name))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(kind: GatewayErrorKind, message: &str) -> VerificationFailure {
        VerificationFailure::from_source(
            &GatewayError::new(kind, "Sellers.ListMarketplaceParticipations", message),
            &SellerId::parse("A1B2C3D4E5F6G7").expect("a valid seller id"),
            &DeveloperId::parse("5259-6479-4073").expect("a valid developer id"),
            "sellercentral.amazon.co.jp",
        )
    }

    #[test]
    fn an_unknown_seller_id_is_the_seller_id_field_with_its_own_message() {
        let failure = classify(
            GatewayErrorKind::Invalid,
            "Sellers.ListMarketplaceParticipations: Amazon MWS refused the request (HTTP 400): InvalidParameterValue: Invalid seller id: A1B2C3D4E5F6G7",
        );
        assert_eq!(failure.reason(), "seller_id_not_found");
        assert_eq!(failure.field(), Some(IdField::SellerId));
        let ja = failure.message_ja();
        assert!(
            ja.starts_with("出品者ID A1B2C3D4E5F6G7 のアカウントはAmazonにありません"),
            "{ja}"
        );
        assert!(!ja.contains("InvalidParameterValue"), "{ja}");
        assert!(failure.message_en().contains("probably mistyped"));
        let other = classify(
            GatewayErrorKind::Invalid,
            "InvalidParameterValue: Invalid marketplace",
        );
        assert_eq!(other.reason(), "amazon_refused");
        assert_eq!(other.field(), None);
    }

    #[test]
    fn refusals_point_at_the_value_the_merchant_typed() {
        let denied = |detail: &str| {
            classify(
                GatewayErrorKind::AccessDenied {
                    cause: RefusalCause::SellerAccess,
                    code: "AccessDenied".to_owned(),
                    message: detail.to_owned(),
                },
                detail,
            )
        };
        for detail in [
            "token-for-another-seller",
            "grant-expired",
            "grant-revoked",
            "token-for-another-developer",
        ] {
            assert_eq!(
                denied(detail).field(),
                Some(IdField::MwsAuthToken),
                "{detail}"
            );
        }
        let missing = VerificationFailure::MarketplaceNotParticipating {
            missing: vec![MarketplaceId::japan()],
            participating: Vec::new(),
        };
        assert_eq!(missing.field(), Some(IdField::MarketplaceId));
        let unreachable = classify(GatewayErrorKind::Transient, "connection refused");
        assert_eq!(unreachable.field(), None);
    }
}
