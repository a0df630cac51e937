//! The carrier of a shipment as Amazon wants it named: a code from Amazon's carrier-code list, or
//! `Other` with the carrier's own name. Amazon.co.jp refuses a shipment confirmation without a
//! carrier code since 2022-08-31 (docs/CARRIERS.md).

/// The carrier code for a carrier not on Amazon's list; the carrier's name goes along with it.
pub const OTHER_CARRIER_CODE: &str = "Other";

/// Amazon.co.jp's carrier codes and the large international carriers', each with the names a warehouse may type for it (compared
/// without case and without spaces).
const LISTED: &[(&str, &[&str])] = &[
    (
        "Japan Post",
        &["日本郵便", "郵便局", "ゆうパック", "JP Post"],
    ),
    (
        "Yamato Transport",
        &[
            "ヤマト運輸",
            "ヤマト",
            "クロネコヤマト",
            "Yamato",
            "Kuroneko Yamato",
        ],
    ),
    ("Sagawa Express", &["佐川急便", "佐川", "Sagawa"]),
    ("Seino Transportation", &["西濃運輸", "西濃", "Seino"]),
    ("Fukuyama Transporting", &["福山通運", "Fukuyama"]),
    ("Nippon Express", &["日本通運", "日通", "Nittsu"]),
    ("UPS", &[]),
    ("USPS", &[]),
    ("FedEx", &["フェデックス"]),
    ("DHL", &[]),
];

/// Who carries a parcel, in Amazon's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShipmentCarrier {
    /// A carrier on Amazon's list, by its code (e.g. `Yamato Transport`).
    Listed(&'static str),
    /// Any other carrier: sent as code `Other` with this name.
    Other(String),
}

impl ShipmentCarrier {
    /// The carrier a warehouse typed, e.g. `ヤマト運輸`, `yamato transport` or `YamatoTransport`.
    pub fn from_typed(typed: &str) -> Self {
        let wanted = comparable(typed);
        LISTED
            .iter()
            .find(|(code, names)| {
                comparable(code) == wanted || names.iter().any(|name| comparable(name) == wanted)
            })
            .map_or_else(
                || Self::Other(typed.trim().to_owned()),
                |(code, _)| Self::Listed(code),
            )
    }

    /// The carrier code to send: the listed code, or `Other`.
    pub fn code(&self) -> &str {
        match self {
            Self::Listed(code) => code,
            Self::Other(_) => OTHER_CARRIER_CODE,
        }
    }

    /// The carrier name to send next to the code: only for `Other`.
    pub fn name(&self) -> Option<&str> {
        match self {
            Self::Listed(_) => None,
            Self::Other(name) => Some(name),
        }
    }
}

/// Lower case without any whitespace (including the ideographic space).
fn comparable(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_carriers_map_to_amazons_codes_in_english_and_japanese() {
        for (typed, code) in [
            ("Yamato Transport", "Yamato Transport"),
            ("yamato  transport", "Yamato Transport"),
            ("YamatoTransport", "Yamato Transport"),
            ("ヤマト運輸", "Yamato Transport"),
            (" ヤマト\u{3000}運輸 ", "Yamato Transport"),
            ("佐川急便", "Sagawa Express"),
            ("SAGAWA EXPRESS", "Sagawa Express"),
            ("日本郵便", "Japan Post"),
            ("japan post", "Japan Post"),
            ("西濃運輸", "Seino Transportation"),
            ("福山通運", "Fukuyama Transporting"),
            ("日本通運", "Nippon Express"),
        ] {
            let carrier = ShipmentCarrier::from_typed(typed);
            assert_eq!(carrier, ShipmentCarrier::Listed(code), "{typed}");
            assert_eq!(carrier.code(), code);
            assert_eq!(carrier.name(), None);
        }
    }

    #[test]
    fn an_unlisted_carrier_is_other_with_its_name() {
        let carrier = ShipmentCarrier::from_typed(" エコ配 ");
        assert_eq!(carrier.code(), "Other");
        assert_eq!(carrier.name(), Some("エコ配"));
        assert_eq!(
            ShipmentCarrier::from_typed("Yamato Transport Kyoto").code(),
            "Other"
        );
    }
}
