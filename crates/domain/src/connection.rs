//! Merchants and their connections to Amazon seller accounts.

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::ids::{
    ConnectionId, DeveloperId, MarketplaceId, MerchantId, SellerId, SellingPartnerId,
};
use crate::lifecycle::{AccessGrant, AccessStatus, StatusPolicy};
use crate::marketplace::Region;
use crate::text;

/// The language a person reads sellerlink in; Japanese first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Ja,
    En,
}

impl Language {
    /// `ja` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Ja => "ja",
            Self::En => "en",
        }
    }

    /// Parses `ja`/`en` (also `ja-JP`, `en-US`…).
    pub fn parse(text: &str) -> Option<Self> {
        let lower = text.trim().to_ascii_lowercase();
        match lower.split(['-', '_']).next() {
            Some("ja") => Some(Self::Ja),
            Some("en") => Some(Self::En),
            _ => None,
        }
    }
}

/// A merchant's display name: 1–100 characters in Unicode normal form NFKC, without control, format or
/// bidirectional characters (see [`crate::text`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MerchantName(String);

/// A merchant name that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "merchant name: {problem}; expected 1–100 visible characters, without control, format or text-direction \
     characters"
)]
pub struct MerchantNameError {
    problem: String,
    problem_ja: String,
}

impl MerchantNameError {
    /// The whole message in Japanese.
    pub fn message_ja(&self) -> String {
        format!(
            "荷主名{}。1〜100文字の見える文字で入力してください（制御文字、書式文字、文字の向きを変える文字は使えません）。",
            self.problem_ja
        )
    }
}

impl MerchantName {
    /// Parses a display name, trimming surrounding white space and normalising it to NFKC (full-width letters
    /// become ASCII).
    pub fn parse(input: &str) -> Result<Self, MerchantNameError> {
        let refuse = |problem: String, problem_ja: String| {
            Err(MerchantNameError {
                problem,
                problem_ja,
            })
        };
        if let Some((position, c)) = text::first_hidden(input.trim()) {
            let c = text::code_point(c);
            return refuse(
                format!(
                    "contains {c} at position {position}, an invisible or text-direction character"
                ),
                format!(
                    "の{position}文字目に見えない文字または文字の向きを変える文字（{c}）があります"
                ),
            );
        }
        let normalized = text::normalized(input);
        let name = normalized.trim();
        if name.is_empty() {
            return refuse("is empty".to_owned(), "が入力されていません".to_owned());
        }
        let count = name.chars().count();
        if count > 100 {
            return refuse(
                "is longer than 100 characters".to_owned(),
                format!("が長すぎます（{count}文字）"),
            );
        }
        Ok(Self(name.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for MerchantName {
    type Error = MerchantNameError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<MerchantName> for String {
    fn from(value: MerchantName) -> Self {
        value.0
    }
}

impl fmt::Display for MerchantName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A merchant (tenant) of the 3PL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Merchant {
    pub id: MerchantId,
    pub name: MerchantName,
    pub language: Language,
    pub created_at: Timestamp,
}

/// Which Amazon API a connection uses, with the identity of the seller account in that API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "api", rename_all = "snake_case")]
pub enum ApiAccount {
    /// The guide's MWS grant: the seller authorized our developer ID; the secret is the MWS Auth Token.
    Mws {
        seller_id: SellerId,
        developer_id: DeveloperId,
    },
    /// An SP-API OAuth authorization in one region; the secret is the LWA refresh token.
    SpApi {
        selling_partner_id: SellingPartnerId,
        region: Region,
    },
}

impl ApiAccount {
    /// `mws` or `sp_api`.
    pub fn api_name(&self) -> &'static str {
        match self {
            Self::Mws { .. } => "mws",
            Self::SpApi { .. } => "sp_api",
        }
    }

    /// The merchant token of the seller account, whichever API.
    pub fn seller_id(&self) -> SellerId {
        match self {
            Self::Mws { seller_id, .. } => seller_id.clone(),
            Self::SpApi {
                selling_partner_id, ..
            } => selling_partner_id.as_seller_id(),
        }
    }
}

/// A marketplace the connection sells in, with the name Amazon reported when it was verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectedMarketplace {
    pub id: MarketplaceId,
    /// Amazon's name for it, e.g. `Amazon.co.jp`; `None` until verified.
    pub name: Option<String>,
}

/// One seller account connected to sellerlink for one merchant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connection {
    pub id: ConnectionId,
    pub merchant_id: MerchantId,
    pub account: ApiAccount,
    /// At least one; the first is the home marketplace whose calendar the grant's dates use.
    pub marketplaces: Vec<ConnectedMarketplace>,
    pub grant: AccessGrant,
    /// Last time Amazon accepted the credential; `None` = never verified.
    pub verified_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

/// A connection's status at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ConnectionStatus {
    Active,
    ExpiringSoon {
        days_left: i32,
    },
    Expired,
    Revoked,
    AccessDenied,
    /// Stored but never proven against Amazon.
    Unverified,
}

impl ConnectionStatus {
    /// The stored/JSON name, e.g. `expiring_soon`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::ExpiringSoon { .. } => "expiring_soon",
            Self::Expired => "expired",
            Self::Revoked => "revoked",
            Self::AccessDenied => "access_denied",
            Self::Unverified => "unverified",
        }
    }

    /// How urgently a person must act: lower is more urgent (for sorting dashboards).
    pub fn urgency(self) -> (u8, i32) {
        match self {
            Self::AccessDenied => (0, 0),
            Self::Expired => (1, 0),
            Self::Revoked => (2, 0),
            Self::Unverified => (3, 0),
            Self::ExpiringSoon { days_left } => (4, days_left),
            Self::Active => (5, 0),
        }
    }
}

impl Connection {
    /// The home marketplace.
    pub fn home_marketplace(&self) -> &MarketplaceId {
        &self.marketplaces[0].id
    }

    /// The status at `now`: the grant's status, except that a valid grant never verified is `Unverified`.
    pub fn status(&self, now: Timestamp, policy: &StatusPolicy) -> ConnectionStatus {
        match self.grant.status(now, policy) {
            AccessStatus::Revoked => ConnectionStatus::Revoked,
            AccessStatus::Expired => ConnectionStatus::Expired,
            AccessStatus::AccessDenied => ConnectionStatus::AccessDenied,
            _ if self.verified_at.is_none() => ConnectionStatus::Unverified,
            AccessStatus::ExpiringSoon { days_left } => {
                ConnectionStatus::ExpiringSoon { days_left }
            }
            AccessStatus::Active => ConnectionStatus::Active,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::RenewalTerm;

    #[test]
    fn unverified_until_amazon_accepts_it() {
        let now: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let japan = MarketplaceId::japan();
        let mut connection = Connection {
            id: ConnectionId::new(),
            merchant_id: MerchantId::new(),
            account: ApiAccount::Mws {
                seller_id: SellerId::parse("A1B2C3D4E5F6G7").unwrap(),
                developer_id: DeveloperId::parse("5259-6479-4073").unwrap(),
            },
            marketplaces: vec![ConnectedMarketplace {
                id: japan.clone(),
                name: None,
            }],
            grant: AccessGrant::new(now, japan.marketplace(), RenewalTerm::OneYear, true),
            verified_at: None,
            created_at: now,
        };
        let policy = StatusPolicy::default();
        assert_eq!(
            connection.status(now, &policy),
            ConnectionStatus::Unverified
        );
        connection.verified_at = Some(now);
        assert_eq!(connection.status(now, &policy), ConnectionStatus::Active);
        let later: Timestamp = "2027-01-02T00:00:00Z".parse().unwrap();
        assert_eq!(connection.status(later, &policy), ConnectionStatus::Expired);
        assert_eq!(connection.account.seller_id().as_str(), "A1B2C3D4E5F6G7");
    }

    #[test]
    fn names_and_languages() {
        assert!(MerchantName::parse("  株式会社たくみ ").is_ok());
        assert!(MerchantName::parse("").is_err());
        assert!(MerchantName::parse("a\u{7}b").is_err());
        let bidi = MerchantName::parse("Ac\u{202E}me").unwrap_err();
        assert!(bidi.to_string().contains("U+202E at position 3"), "{bidi}");
        assert!(
            bidi.message_ja().contains("3文字目"),
            "{}",
            bidi.message_ja()
        );
        assert_eq!(
            MerchantName::parse("Ａｃｍｅ　ｶﾌﾞ").unwrap().as_str(),
            "Acme カブ"
        );
        assert_eq!(Language::parse("ja-JP"), Some(Language::Ja));
        assert_eq!(Language::parse("EN"), Some(Language::En));
        assert_eq!(Language::parse("fr"), None);
    }
}
