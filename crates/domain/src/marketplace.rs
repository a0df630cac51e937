//! Every Amazon marketplace sellerlink can connect to, with the hosts each API uses there.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Amazon's three API regions; a seller's authorization is valid in one region only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Region {
    /// North America: Canada, United States, Mexico, Brazil.
    Na,
    /// Europe, the Middle East, Africa and India.
    Eu,
    /// Far East: Singapore, Australia, Japan.
    Fe,
}

impl Region {
    /// The short code used in configuration and host names (`na`, `eu`, `fe`).
    pub fn code(self) -> &'static str {
        match self {
            Self::Na => "na",
            Self::Eu => "eu",
            Self::Fe => "fe",
        }
    }

    /// Parses `na`, `eu` or `fe` (any case).
    pub fn parse(input: &str) -> Option<Self> {
        match input.trim().to_ascii_lowercase().as_str() {
            "na" => Some(Self::Na),
            "eu" => Some(Self::Eu),
            "fe" => Some(Self::Fe),
            _ => None,
        }
    }

    /// The SP-API production host of this region.
    pub fn spapi_host(self) -> &'static str {
        match self {
            Self::Na => "sellingpartnerapi-na.amazon.com",
            Self::Eu => "sellingpartnerapi-eu.amazon.com",
            Self::Fe => "sellingpartnerapi-fe.amazon.com",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One row of the marketplace table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Marketplace {
    /// Amazon's marketplace id, e.g. `A1VC38T7YXB528`.
    pub id: &'static str,
    /// ISO 3166-1 alpha-2 country code (`GB` for the United Kingdom).
    pub country_code: &'static str,
    /// The country in English.
    pub country: &'static str,
    /// The sales channel name Amazon uses, e.g. `Amazon.co.jp`.
    pub name: &'static str,
    /// The storefront's domain.
    pub domain: &'static str,
    /// ISO 4217 currency code.
    pub currency: &'static str,
    /// Amazon's default language code for the marketplace, e.g. `ja_JP`.
    pub language: &'static str,
    /// The IANA time zone Seller Central uses for the marketplace's dates.
    pub time_zone: &'static str,
    /// The API region.
    pub region: Region,
    /// The MWS endpoint host; `None` where the marketplace opened after MWS stopped taking new ones.
    pub mws_host: Option<&'static str>,
    /// The SP-API endpoint host.
    pub spapi_host: &'static str,
    /// The Seller Central host where the seller grants access.
    pub seller_central_host: &'static str,
}

impl Marketplace {
    /// The country in Japanese, by its usual Japanese name (日本, アメリカ合衆国, イギリス, …).
    pub fn country_ja(&self) -> &'static str {
        match self.country_code {
            "CA" => "カナダ",
            "US" => "アメリカ合衆国",
            "MX" => "メキシコ",
            "BR" => "ブラジル",
            "IE" => "アイルランド",
            "ES" => "スペイン",
            "GB" => "イギリス",
            "FR" => "フランス",
            "BE" => "ベルギー",
            "NL" => "オランダ",
            "DE" => "ドイツ",
            "IT" => "イタリア",
            "SE" => "スウェーデン",
            "ZA" => "南アフリカ",
            "PL" => "ポーランド",
            "EG" => "エジプト",
            "TR" => "トルコ",
            "SA" => "サウジアラビア",
            "AE" => "アラブ首長国連邦",
            "IN" => "インド",
            "SG" => "シンガポール",
            "AU" => "オーストラリア",
            "JP" => "日本",
            _ => self.country,
        }
    }

    /// Seller Central's MWS registration page, the guide's step ① (only for MWS marketplaces).
    pub fn mws_registration_url(&self) -> String {
        format!(
            "https://{}/gp/mws/registration/register.html",
            self.seller_central_host
        )
    }
}

/// Amazon.co.jp, the marketplace of the merchant guide.
pub const JAPAN_ID: &str = "A1VC38T7YXB528";

const NA: &str = "sellingpartnerapi-na.amazon.com";
const EU: &str = "sellingpartnerapi-eu.amazon.com";
const FE: &str = "sellingpartnerapi-fe.amazon.com";
const MWS_EU: Option<&str> = Some("mws-eu.amazonservices.com");
const SC_EUROPE: &str = "sellercentral-europe.amazon.com";

macro_rules! marketplace {
    ($id:literal, $cc:literal, $country:literal, $name:literal, $domain:literal, $cur:literal, $lang:literal,
     $tz:literal, $region:ident, $mws:expr, $spapi:expr, $sc:expr) => {
        Marketplace {
            id: $id,
            country_code: $cc,
            country: $country,
            name: $name,
            domain: $domain,
            currency: $cur,
            language: $lang,
            time_zone: $tz,
            region: Region::$region,
            mws_host: $mws,
            spapi_host: $spapi,
            seller_central_host: $sc,
        }
    };
}

/// Every Amazon marketplace, North America first, then Europe, then the Far East.
pub static MARKETPLACES: &[Marketplace] = &[
    marketplace!(
        "A2EUQ1WTGCTBG2",
        "CA",
        "Canada",
        "Amazon.ca",
        "www.amazon.ca",
        "CAD",
        "en_CA",
        "America/Toronto",
        Na,
        Some("mws.amazonservices.ca"),
        NA,
        "sellercentral.amazon.ca"
    ),
    marketplace!(
        "ATVPDKIKX0DER",
        "US",
        "United States",
        "Amazon.com",
        "www.amazon.com",
        "USD",
        "en_US",
        "America/Los_Angeles",
        Na,
        Some("mws.amazonservices.com"),
        NA,
        "sellercentral.amazon.com"
    ),
    marketplace!(
        "A1AM78C64UM0Y8",
        "MX",
        "Mexico",
        "Amazon.com.mx",
        "www.amazon.com.mx",
        "MXN",
        "es_MX",
        "America/Mexico_City",
        Na,
        Some("mws.amazonservices.com.mx"),
        NA,
        "sellercentral.amazon.com.mx"
    ),
    marketplace!(
        "A2Q3Y263D00KWC",
        "BR",
        "Brazil",
        "Amazon.com.br",
        "www.amazon.com.br",
        "BRL",
        "pt_BR",
        "America/Sao_Paulo",
        Na,
        Some("mws.amazonservices.com"),
        NA,
        "sellercentral.amazon.com.br"
    ),
    marketplace!(
        "A28R8C7NBKEWEA",
        "IE",
        "Ireland",
        "Amazon.ie",
        "www.amazon.ie",
        "EUR",
        "en_IE",
        "Europe/Dublin",
        Eu,
        None,
        EU,
        SC_EUROPE
    ),
    marketplace!(
        "A1RKKUPIHCS9HS",
        "ES",
        "Spain",
        "Amazon.es",
        "www.amazon.es",
        "EUR",
        "es_ES",
        "Europe/Madrid",
        Eu,
        MWS_EU,
        EU,
        SC_EUROPE
    ),
    marketplace!(
        "A1F83G8C2ARO7P",
        "GB",
        "United Kingdom",
        "Amazon.co.uk",
        "www.amazon.co.uk",
        "GBP",
        "en_GB",
        "Europe/London",
        Eu,
        MWS_EU,
        EU,
        SC_EUROPE
    ),
    marketplace!(
        "A13V1IB3VIYZZH",
        "FR",
        "France",
        "Amazon.fr",
        "www.amazon.fr",
        "EUR",
        "fr_FR",
        "Europe/Paris",
        Eu,
        MWS_EU,
        EU,
        SC_EUROPE
    ),
    marketplace!(
        "AMEN7PMS3EDWL",
        "BE",
        "Belgium",
        "Amazon.com.be",
        "www.amazon.com.be",
        "EUR",
        "fr_BE",
        "Europe/Brussels",
        Eu,
        MWS_EU,
        EU,
        "sellercentral.amazon.com.be"
    ),
    marketplace!(
        "A1805IZSGTT6HS",
        "NL",
        "Netherlands",
        "Amazon.nl",
        "www.amazon.nl",
        "EUR",
        "nl_NL",
        "Europe/Amsterdam",
        Eu,
        MWS_EU,
        EU,
        "sellercentral.amazon.nl"
    ),
    marketplace!(
        "A1PA6795UKMFR9",
        "DE",
        "Germany",
        "Amazon.de",
        "www.amazon.de",
        "EUR",
        "de_DE",
        "Europe/Berlin",
        Eu,
        MWS_EU,
        EU,
        SC_EUROPE
    ),
    marketplace!(
        "APJ6JRA9NG5V4",
        "IT",
        "Italy",
        "Amazon.it",
        "www.amazon.it",
        "EUR",
        "it_IT",
        "Europe/Rome",
        Eu,
        MWS_EU,
        EU,
        SC_EUROPE
    ),
    marketplace!(
        "A2NODRKZP88ZB9",
        "SE",
        "Sweden",
        "Amazon.se",
        "www.amazon.se",
        "SEK",
        "sv_SE",
        "Europe/Stockholm",
        Eu,
        MWS_EU,
        EU,
        "sellercentral.amazon.se"
    ),
    marketplace!(
        "AE08WJ6YKNBMC",
        "ZA",
        "South Africa",
        "Amazon.co.za",
        "www.amazon.co.za",
        "ZAR",
        "en_ZA",
        "Africa/Johannesburg",
        Eu,
        None,
        EU,
        "sellercentral.amazon.co.za"
    ),
    marketplace!(
        "A1C3SOZRARQ6R3",
        "PL",
        "Poland",
        "Amazon.pl",
        "www.amazon.pl",
        "PLN",
        "pl_PL",
        "Europe/Warsaw",
        Eu,
        MWS_EU,
        EU,
        "sellercentral.amazon.pl"
    ),
    marketplace!(
        "ARBP9OOSHTCHU",
        "EG",
        "Egypt",
        "Amazon.eg",
        "www.amazon.eg",
        "EGP",
        "ar_EG",
        "Africa/Cairo",
        Eu,
        MWS_EU,
        EU,
        "sellercentral.amazon.eg"
    ),
    marketplace!(
        "A33AVAJ2PDY3EV",
        "TR",
        "Turkey",
        "Amazon.com.tr",
        "www.amazon.com.tr",
        "TRY",
        "tr_TR",
        "Europe/Istanbul",
        Eu,
        MWS_EU,
        EU,
        "sellercentral.amazon.com.tr"
    ),
    marketplace!(
        "A17E79C6D8DWNP",
        "SA",
        "Saudi Arabia",
        "Amazon.sa",
        "www.amazon.sa",
        "SAR",
        "ar_SA",
        "Asia/Riyadh",
        Eu,
        MWS_EU,
        EU,
        "sellercentral.amazon.sa"
    ),
    marketplace!(
        "A2VIGQ35RCS4UG",
        "AE",
        "United Arab Emirates",
        "Amazon.ae",
        "www.amazon.ae",
        "AED",
        "en_AE",
        "Asia/Dubai",
        Eu,
        Some("mws.amazonservices.ae"),
        EU,
        "sellercentral.amazon.ae"
    ),
    marketplace!(
        "A21TJRUUN4KGV",
        "IN",
        "India",
        "Amazon.in",
        "www.amazon.in",
        "INR",
        "en_IN",
        "Asia/Kolkata",
        Eu,
        Some("mws.amazonservices.in"),
        EU,
        "sellercentral.amazon.in"
    ),
    marketplace!(
        "A19VAU5U5O7RUS",
        "SG",
        "Singapore",
        "Amazon.sg",
        "www.amazon.sg",
        "SGD",
        "en_SG",
        "Asia/Singapore",
        Fe,
        Some("mws-fe.amazonservices.com"),
        FE,
        "sellercentral.amazon.sg"
    ),
    marketplace!(
        "A39IBJ37TRP1C6",
        "AU",
        "Australia",
        "Amazon.com.au",
        "www.amazon.com.au",
        "AUD",
        "en_AU",
        "Australia/Sydney",
        Fe,
        Some("mws.amazonservices.com.au"),
        FE,
        "sellercentral.amazon.com.au"
    ),
    marketplace!(
        "A1VC38T7YXB528",
        "JP",
        "Japan",
        "Amazon.co.jp",
        "www.amazon.co.jp",
        "JPY",
        "ja_JP",
        "Asia/Tokyo",
        Fe,
        Some("mws.amazonservices.jp"),
        FE,
        "sellercentral.amazon.co.jp"
    ),
];

/// Every marketplace in the order a Japanese 3PL's merchants look for them: Amazon.co.jp first, then the rest of
/// the Far East, North America and Europe (each region in the table's order).
pub fn japan_first() -> impl Iterator<Item = &'static Marketplace> {
    let rank = |m: &Marketplace| match (m.id == JAPAN_ID, m.region) {
        (true, _) => 0,
        (false, Region::Fe) => 1,
        (false, Region::Na) => 2,
        (false, Region::Eu) => 3,
    };
    let mut ordered: Vec<&'static Marketplace> = MARKETPLACES.iter().collect();
    ordered.sort_by_key(|m| rank(m));
    ordered.into_iter()
}

/// The marketplace with this id, if Amazon runs one.
pub fn find(id: &str) -> Option<&'static Marketplace> {
    MARKETPLACES.iter().find(|m| m.id == id)
}

/// The marketplace of a country (ISO code; `UK` is accepted for `GB`).
pub fn by_country(code: &str) -> Option<&'static Marketplace> {
    let code = code.trim().to_ascii_uppercase();
    let code = if code == "UK" { "GB".to_owned() } else { code };
    MARKETPLACES.iter().find(|m| m.country_code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japan_row_matches_the_guide() {
        let jp = find(JAPAN_ID).unwrap();
        assert_eq!(
            (
                jp.country_code,
                jp.name,
                jp.currency,
                jp.time_zone,
                jp.region
            ),
            ("JP", "Amazon.co.jp", "JPY", "Asia/Tokyo", Region::Fe)
        );
        assert_eq!(jp.mws_host, Some("mws.amazonservices.jp"));
        assert_eq!(jp.spapi_host, "sellingpartnerapi-fe.amazon.com");
        assert_eq!(jp.seller_central_host, "sellercentral.amazon.co.jp");
        assert_eq!(
            jp.mws_registration_url(),
            "https://sellercentral.amazon.co.jp/gp/mws/registration/register.html"
        );
    }

    #[test]
    fn table_is_consistent() {
        let mut ids = std::collections::HashSet::new();
        for m in MARKETPLACES {
            assert!(ids.insert(m.id), "duplicate {}", m.id);
            assert_eq!(m.spapi_host, m.region.spapi_host(), "{}", m.id);
            assert!(
                jiff::tz::TimeZone::get(m.time_zone).is_ok(),
                "time zone {}",
                m.time_zone
            );
            assert_eq!(m.currency.len(), 3);
        }
        assert_eq!(MARKETPLACES.len(), 23);
        assert_eq!(by_country("uk").unwrap().id, "A1F83G8C2ARO7P");
    }

    #[test]
    fn every_country_has_its_japanese_name_and_japan_comes_first() {
        let mut names = std::collections::HashSet::new();
        for m in MARKETPLACES {
            let ja = m.country_ja();
            assert_ne!(ja, m.country, "{} has no Japanese name", m.id);
            assert!(!ja.is_ascii(), "{ja}");
            assert!(names.insert(ja), "duplicate {ja}");
        }
        assert_eq!(find(JAPAN_ID).unwrap().country_ja(), "日本");
        assert_eq!(by_country("US").unwrap().country_ja(), "アメリカ合衆国");
        let ordered: Vec<&str> = japan_first().map(|m| m.country_code).collect();
        assert_eq!(ordered.len(), MARKETPLACES.len());
        assert_eq!(&ordered[..4], ["JP", "SG", "AU", "CA"]);
        assert_eq!(ordered.last(), Some(&"IN"));
    }
}
