//! Sellers 2011-07-01 responses: `ListMarketplaceParticipations` and its by-next-token form
//! (`docs/amazon/MWS.md#sellers-2011-07-01`).

use std::fmt;

use sellerlink_domain::ids::{IdProblem, MarketplaceId, SellerId};
use serde::{Deserialize, Deserializer};

use super::ResponseMetadata;
use super::de::{element_parsers, optional_text};
use crate::error::DecodeError;

/// A marketplace id from a participation listing. Amazon also lists marketplaces that are not
/// retail sites (e.g. `A6W85IYQ5WB1C`, "IBA"); those are kept as text instead of failing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ListedMarketplace {
    /// A marketplace in sellerlink's marketplace table.
    Known(MarketplaceId),
    /// A well-formed id that is not in the table.
    Unlisted(String),
}

impl ListedMarketplace {
    /// Parses an id: known marketplaces become [`ListedMarketplace::Known`], well-formed
    /// unknown ones [`ListedMarketplace::Unlisted`]; malformed text is an error.
    pub fn parse(input: &str) -> Result<Self, String> {
        match MarketplaceId::parse(input) {
            Ok(id) => Ok(Self::Known(id)),
            Err(error) if error.problem == IdProblem::UnknownMarketplace => {
                Ok(Self::Unlisted(input.trim().to_ascii_uppercase()))
            }
            Err(error) => Err(error.to_string()),
        }
    }

    /// The id's text.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Known(id) => id.as_str(),
            Self::Unlisted(text) => text,
        }
    }

    /// The known marketplace, if it is one.
    pub fn known(&self) -> Option<&MarketplaceId> {
        match self {
            Self::Known(id) => Some(id),
            Self::Unlisted(_) => None,
        }
    }
}

impl fmt::Display for ListedMarketplace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

element_parsers! {
    required listed_marketplace: "MarketplaceId" => ListedMarketplace = ListedMarketplace::parse;
    required seller_id: "SellerId" => SellerId = SellerId::parse;
    optional suspended: "HasSellerSuspendedListings" => bool = parse_yes_no;
}

fn parse_yes_no(text: &str) -> Result<bool, String> {
    match text {
        "Yes" | "yes" | "true" => Ok(true),
        "No" | "no" | "false" => Ok(false),
        other => Err(format!("expected Yes or No, found {other:?}")),
    }
}

/// The seller takes part in a marketplace.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Participation {
    /// The marketplace.
    #[serde(rename = "MarketplaceId", deserialize_with = "listed_marketplace")]
    pub marketplace_id: ListedMarketplace,
    /// The seller (the account the credentials belong to).
    #[serde(rename = "SellerId", deserialize_with = "seller_id")]
    pub seller_id: SellerId,
    /// `Yes` when some of the seller's listings are suspended there.
    #[serde(
        rename = "HasSellerSuspendedListings",
        default,
        deserialize_with = "suspended"
    )]
    pub has_seller_suspended_listings: Option<bool>,
}

/// A marketplace's description.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MarketplaceInfo {
    /// The marketplace.
    #[serde(rename = "MarketplaceId", deserialize_with = "listed_marketplace")]
    pub marketplace_id: ListedMarketplace,
    /// e.g. `Amazon.co.jp`.
    #[serde(rename = "Name", default, deserialize_with = "optional_text")]
    pub name: Option<String>,
    /// e.g. `JP`.
    #[serde(
        rename = "DefaultCountryCode",
        default,
        deserialize_with = "optional_text"
    )]
    pub default_country_code: Option<String>,
    /// e.g. `JPY`.
    #[serde(
        rename = "DefaultCurrencyCode",
        default,
        deserialize_with = "optional_text"
    )]
    pub default_currency_code: Option<String>,
    /// e.g. `ja_JP`.
    #[serde(
        rename = "DefaultLanguageCode",
        default,
        deserialize_with = "optional_text"
    )]
    pub default_language_code: Option<String>,
    /// e.g. `www.amazon.co.jp`.
    #[serde(rename = "DomainName", default, deserialize_with = "optional_text")]
    pub domain_name: Option<String>,
}

/// One page of `ListMarketplaceParticipations` or its by-next-token form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarketplaceParticipationsPage {
    /// Where the seller takes part.
    pub participations: Vec<Participation>,
    /// The marketplaces named in `participations`.
    pub marketplaces: Vec<MarketplaceInfo>,
    /// Present when more pages follow.
    pub next_token: Option<String>,
    /// Amazon's request id.
    pub request_id: Option<String>,
}

impl MarketplaceParticipationsPage {
    /// Parses a `ListMarketplaceParticipationsResponse` or its by-next-token form.
    pub fn from_xml(xml: &str) -> Result<Self, DecodeError> {
        #[derive(Deserialize)]
        struct Envelope {
            #[serde(
                rename = "ListMarketplaceParticipationsResult",
                alias = "ListMarketplaceParticipationsByNextTokenResult"
            )]
            result: ResultWire,
            #[serde(rename = "ResponseMetadata", default)]
            metadata: Option<ResponseMetadata>,
        }
        #[derive(Deserialize)]
        struct ResultWire {
            #[serde(rename = "NextToken", default, deserialize_with = "optional_text")]
            next_token: Option<String>,
            #[serde(
                rename = "ListParticipations",
                default,
                deserialize_with = "participations"
            )]
            participations: Vec<Participation>,
            #[serde(
                rename = "ListMarketplaces",
                default,
                deserialize_with = "marketplaces"
            )]
            marketplaces: Vec<MarketplaceInfo>,
        }
        let envelope: Envelope = super::decode(xml)?;
        Ok(Self {
            participations: envelope.result.participations,
            marketplaces: envelope.result.marketplaces,
            next_token: envelope.result.next_token,
            request_id: ResponseMetadata::request_id(envelope.metadata),
        })
    }
}

fn participations<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<Participation>, D::Error> {
    #[derive(Deserialize)]
    struct List {
        #[serde(rename = "Participation", default)]
        items: Vec<Participation>,
    }
    Ok(List::deserialize(deserializer)?.items)
}

fn marketplaces<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<MarketplaceInfo>, D::Error> {
    #[derive(Deserialize)]
    struct List {
        #[serde(rename = "Marketplace", default)]
        items: Vec<MarketplaceInfo>,
    }
    Ok(List::deserialize(deserializer)?.items)
}

/// All participations of a seller, every page merged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MarketplaceParticipations {
    /// Where the seller takes part.
    pub participations: Vec<Participation>,
    /// The marketplaces named in `participations`.
    pub marketplaces: Vec<MarketplaceInfo>,
}

impl MarketplaceParticipations {
    /// Adds one page.
    pub fn extend(&mut self, page: MarketplaceParticipationsPage) {
        self.participations.extend(page.participations);
        self.marketplaces.extend(page.marketplaces);
    }

    /// Whether the seller takes part in `marketplace`.
    pub fn participates_in(&self, marketplace: &MarketplaceId) -> bool {
        self.participations
            .iter()
            .any(|p| p.marketplace_id.known() == Some(marketplace))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::fixture;

    #[test]
    fn jp_participations_with_a_non_retail_marketplace() {
        let page = MarketplaceParticipationsPage::from_xml(&fixture(
            "list_marketplace_participations.xml",
        ))
        .expect("parses");
        assert_eq!(page.participations.len(), 2);
        assert_eq!(page.marketplaces.len(), 2);
        assert_eq!(page.next_token, None);
        assert_eq!(
            page.request_id.as_deref(),
            Some("e0b7d6c5-4a3f-4b2e-9d1c-8f7a6b5c4d3e")
        );
        let jp = &page.participations[0];
        assert_eq!(jp.marketplace_id.as_str(), "A1VC38T7YXB528");
        assert!(jp.marketplace_id.known().is_some());
        assert_eq!(jp.seller_id.as_str(), "A2SLNK0EXAMPL3");
        assert_eq!(jp.has_seller_suspended_listings, Some(false));
        assert_eq!(
            page.participations[1].marketplace_id,
            ListedMarketplace::Unlisted("A6W85IYQ5WB1C".to_owned())
        );
        let info = &page.marketplaces[0];
        assert_eq!(info.name.as_deref(), Some("Amazon.co.jp"));
        assert_eq!(info.default_currency_code.as_deref(), Some("JPY"));
        assert_eq!(info.domain_name.as_deref(), Some("www.amazon.co.jp"));

        let mut all = MarketplaceParticipations::default();
        all.extend(page);
        assert!(all.participates_in(&MarketplaceId::japan()));
    }

    #[test]
    fn a_malformed_seller_id_names_the_element() {
        let xml = fixture("list_marketplace_participations.xml").replacen(
            "A2SLNK0EXAMPL3",
            "not a seller",
            1,
        );
        let error = MarketplaceParticipationsPage::from_xml(&xml).expect_err("must fail");
        assert!(error.to_string().contains("<SellerId>"), "{error}");
    }
}
