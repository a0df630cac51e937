//! The MWS marketplace table (`docs/amazon/MWS.md#marketplaces`).

/// One Amazon marketplace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marketplace {
    /// MarketplaceId, e.g. `A1VC38T7YXB528`.
    pub id: &'static str,
    /// ISO country code, e.g. `JP`.
    pub country: &'static str,
    /// Marketplace name and SalesChannel, e.g. `Amazon.co.jp`.
    pub name: &'static str,
    /// ISO 4217 currency, e.g. `JPY`.
    pub currency: &'static str,
    /// Default language, e.g. `ja_JP`.
    pub language: &'static str,
    /// Retail domain, e.g. `www.amazon.co.jp`.
    pub domain: &'static str,
}

/// The Japanese marketplace ID.
pub const JP: &str = "A1VC38T7YXB528";

const fn m(
    id: &'static str,
    country: &'static str,
    name: &'static str,
    currency: &'static str,
    language: &'static str,
    domain: &'static str,
) -> Marketplace {
    Marketplace {
        id,
        country,
        name,
        currency,
        language,
        domain,
    }
}

/// Every marketplace the sandbox knows.
pub const ALL: &[Marketplace] = &[
    m(JP, "JP", "Amazon.co.jp", "JPY", "ja_JP", "www.amazon.co.jp"),
    m(
        "A39IBJ37TRP1C6",
        "AU",
        "Amazon.com.au",
        "AUD",
        "en_AU",
        "www.amazon.com.au",
    ),
    m(
        "A19VAU5U5O7RUS",
        "SG",
        "Amazon.sg",
        "SGD",
        "en_SG",
        "www.amazon.sg",
    ),
    m(
        "ATVPDKIKX0DER",
        "US",
        "Amazon.com",
        "USD",
        "en_US",
        "www.amazon.com",
    ),
    m(
        "A2EUQ1WTGCTBG2",
        "CA",
        "Amazon.ca",
        "CAD",
        "en_CA",
        "www.amazon.ca",
    ),
    m(
        "A1AM78C64UM0Y8",
        "MX",
        "Amazon.com.mx",
        "MXN",
        "es_MX",
        "www.amazon.com.mx",
    ),
    m(
        "A2Q3Y263D00KWC",
        "BR",
        "Amazon.com.br",
        "BRL",
        "pt_BR",
        "www.amazon.com.br",
    ),
    m(
        "A1F83G8C2ARO7P",
        "GB",
        "Amazon.co.uk",
        "GBP",
        "en_GB",
        "www.amazon.co.uk",
    ),
    m(
        "A1PA6795UKMFR9",
        "DE",
        "Amazon.de",
        "EUR",
        "de_DE",
        "www.amazon.de",
    ),
    m(
        "A13V1IB3VIYZZH",
        "FR",
        "Amazon.fr",
        "EUR",
        "fr_FR",
        "www.amazon.fr",
    ),
    m(
        "APJ6JRA9NG5V4",
        "IT",
        "Amazon.it",
        "EUR",
        "it_IT",
        "www.amazon.it",
    ),
    m(
        "A1RKKUPIHCS9HS",
        "ES",
        "Amazon.es",
        "EUR",
        "es_ES",
        "www.amazon.es",
    ),
    m(
        "A1805IZSGTT6HS",
        "NL",
        "Amazon.nl",
        "EUR",
        "nl_NL",
        "www.amazon.nl",
    ),
    m(
        "AMEN7PMS3EDWL",
        "BE",
        "Amazon.com.be",
        "EUR",
        "fr_BE",
        "www.amazon.com.be",
    ),
    m(
        "A2NODRKZP88ZB9",
        "SE",
        "Amazon.se",
        "SEK",
        "sv_SE",
        "www.amazon.se",
    ),
    m(
        "A1C3SOZRARQ6R3",
        "PL",
        "Amazon.pl",
        "PLN",
        "pl_PL",
        "www.amazon.pl",
    ),
    m(
        "A33AVAJ2PDY3EV",
        "TR",
        "Amazon.com.tr",
        "TRY",
        "tr_TR",
        "www.amazon.com.tr",
    ),
    m(
        "A17E79C6D8DWNP",
        "SA",
        "Amazon.sa",
        "SAR",
        "ar_AE",
        "www.amazon.sa",
    ),
    m(
        "A2VIGQ35RCS4UG",
        "AE",
        "Amazon.ae",
        "AED",
        "en_AE",
        "www.amazon.ae",
    ),
    m(
        "ARBP9OOSHTCHU",
        "EG",
        "Amazon.eg",
        "EGP",
        "ar_EG",
        "www.amazon.eg",
    ),
    m(
        "A21TJRUUN4KGV",
        "IN",
        "Amazon.in",
        "INR",
        "en_IN",
        "www.amazon.in",
    ),
];

/// The marketplace with this ID.
pub fn find(id: &str) -> Option<&'static Marketplace> {
    ALL.iter().find(|m| m.id == id)
}
