//! Parsed identifiers. Raw strings stop at the edge: every constructor here either returns a valid
//! value or an [`IdError`] that names the field, says what is wrong and shows the expected format.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::marketplace::{self, Marketplace};

/// Which identifier a value was meant to be; names the field in errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdField {
    SellerId,
    SellingPartnerId,
    MarketplaceId,
    MwsAuthToken,
    DeveloperId,
    AwsAccessKeyId,
    LwaRefreshToken,
    AmazonOrderId,
    /// An order id as Amazon sent it (or as the store kept it): any shape Amazon's models allow.
    ReceivedOrderId,
    MerchantId,
    ConnectionId,
    /// A seller SKU (出品者SKU).
    Sku,
}

impl IdField {
    /// The request field (JSON key, form field and CLI option in snake case) that carries this identifier.
    pub fn key(self) -> &'static str {
        match self {
            Self::SellerId => "seller_id",
            Self::SellingPartnerId => "selling_partner_id",
            Self::MarketplaceId => "marketplace_id",
            Self::MwsAuthToken => "mws_auth_token",
            Self::DeveloperId => "developer_id",
            Self::AwsAccessKeyId => "access_key_id",
            Self::LwaRefreshToken => "refresh_token",
            Self::AmazonOrderId | Self::ReceivedOrderId => "amazon_order_id",
            Self::MerchantId => "merchant_id",
            Self::ConnectionId => "connection_id",
            Self::Sku => "sku",
        }
    }

    /// The field's name as a merchant sees it in English.
    pub fn name_en(self) -> &'static str {
        match self {
            Self::SellerId => "Seller ID",
            Self::SellingPartnerId => "Selling Partner ID",
            Self::MarketplaceId => "Marketplace ID",
            Self::MwsAuthToken => "MWS Auth Token",
            Self::DeveloperId => "Developer ID",
            Self::AwsAccessKeyId => "AWS access key ID",
            Self::LwaRefreshToken => "LWA refresh token",
            Self::AmazonOrderId => "Amazon order ID",
            Self::ReceivedOrderId => "order ID from Amazon",
            Self::MerchantId => "merchant ID",
            Self::ConnectionId => "connection ID",
            Self::Sku => "SKU",
        }
    }

    /// The field's name as a merchant sees it in Japanese (Seller Central's own labels).
    pub fn name_ja(self) -> &'static str {
        match self {
            Self::SellerId => "出品者ID",
            Self::SellingPartnerId => "セリングパートナーID",
            Self::MarketplaceId => "マーケットプレイスID",
            Self::MwsAuthToken => "MWS認証トークン",
            Self::DeveloperId => "開発者ID",
            Self::AwsAccessKeyId => "AWSアクセスキーID",
            Self::LwaRefreshToken => "LWAリフレッシュトークン",
            Self::AmazonOrderId => "Amazon注文番号",
            Self::ReceivedOrderId => "Amazonから届いた注文番号",
            Self::MerchantId => "荷主ID",
            Self::ConnectionId => "接続ID",
            Self::Sku => "SKU",
        }
    }

    /// The expected format, with an example, as shown in error messages.
    pub fn expected_format(self) -> &'static str {
        match self {
            Self::SellerId | Self::SellingPartnerId => {
                "10–20 upper-case letters and digits starting with A, e.g. A1B2C3D4E5F6G7"
            }
            Self::MarketplaceId => "an Amazon marketplace ID, e.g. A1VC38T7YXB528 (Amazon.co.jp)",
            Self::MwsAuthToken => {
                "amzn.mws. followed by a UUID, e.g. amzn.mws.01234567-89ab-cdef-0123-456789abcdef"
            }
            Self::DeveloperId => {
                "12 digits, with or without dashes, e.g. 1234-1234-1234 or 123412341234"
            }
            Self::AwsAccessKeyId => "20 upper-case letters and digits, e.g. AKIAIOSFODNN7EXAMPLE",
            Self::LwaRefreshToken => "Atzr| followed by the token Amazon issued, without spaces",
            Self::AmazonOrderId => "3-7-7 digits, e.g. 503-1234567-1234567",
            Self::ReceivedOrderId => {
                "1–64 printable ASCII characters without spaces, e.g. 503-1234567-1234567 or S01-1234567-1234567"
            }
            Self::MerchantId | Self::ConnectionId => {
                "a UUID, e.g. 01890a5d-ac96-774b-bcce-b302099a8057"
            }
            Self::Sku => "1–40 visible characters as in Seller Central, e.g. TEA-GREEN-100G",
        }
    }

    /// The expected format, with an example, in Japanese.
    pub fn expected_format_ja(self) -> &'static str {
        match self {
            Self::SellerId | Self::SellingPartnerId => {
                "Aで始まる10〜20文字の英大文字・数字（例: A1B2C3D4E5F6G7）"
            }
            Self::MarketplaceId => {
                "AmazonのマーケットプレイスID（例: A1VC38T7YXB528 = Amazon.co.jp）"
            }
            Self::MwsAuthToken => {
                "amzn.mws. に続くUUID（例: amzn.mws.01234567-89ab-cdef-0123-456789abcdef）"
            }
            Self::DeveloperId => {
                "12桁の数字、ハイフンの有無は問いません（例: 1234-1234-1234 または 123412341234）"
            }
            Self::AwsAccessKeyId => "20文字の英大文字・数字（例: AKIAIOSFODNN7EXAMPLE）",
            Self::LwaRefreshToken => "Atzr| で始まるAmazon発行のトークン（空白なし）",
            Self::AmazonOrderId => "3桁-7桁-7桁の数字（例: 503-1234567-1234567）",
            Self::ReceivedOrderId => {
                "空白を含まない1〜64文字の半角英数字・記号（例: 503-1234567-1234567、S01-1234567-1234567）"
            }
            Self::MerchantId | Self::ConnectionId => "UUID",
            Self::Sku => "Seller Central と同じ見える文字1〜40文字（例: TEA-GREEN-100G）",
        }
    }
}

/// What is wrong with a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdProblem {
    /// Nothing was given.
    Empty,
    /// Wrong number of characters.
    Length { actual: usize },
    /// A character that may not appear, at a 1-based position. Secrets report no character.
    Character {
        position: usize,
        character: Option<char>,
    },
    /// A character that cannot be seen or that turns the text around it (see [`crate::text::is_hidden`]), at a
    /// 1-based position; named by its code point in messages.
    Hidden { position: usize, character: char },
    /// Well-formed pieces in the wrong arrangement (missing prefix, dashes in the wrong place…).
    Shape,
    /// Well-formed but not an Amazon marketplace we know.
    UnknownMarketplace,
    /// The value starts with something other than the prefix every value of its kind starts with (e.g. a token
    /// that does not start with `amzn.mws.`). What it does start with is not repeated: it may be part of a secret.
    WrongPrefix {
        /// The prefix a value of this kind starts with.
        expected: &'static str,
    },
}

/// A value that is not a valid identifier of its kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {}; expected {}", .field.name_en(), self.problem_en(), .field.expected_format())]
pub struct IdError {
    /// The identifier that was being parsed.
    pub field: IdField,
    /// What is wrong with it.
    pub problem: IdProblem,
}

impl IdError {
    fn new(field: IdField, problem: IdProblem) -> Self {
        Self { field, problem }
    }

    /// What is wrong, in English.
    pub fn problem_en(&self) -> String {
        match &self.problem {
            IdProblem::Empty => "is empty".to_owned(),
            IdProblem::Length { actual } => format!("has the wrong length ({actual} characters)"),
            IdProblem::Character {
                position,
                character: Some(c),
            } => {
                format!("contains {c:?} at position {position}, which is not allowed")
            }
            IdProblem::Character {
                position,
                character: None,
            } => {
                format!("contains a character that is not allowed at position {position}")
            }
            IdProblem::Hidden {
                position,
                character,
            } => format!(
                "contains {} at position {position}, an invisible or text-direction character",
                crate::text::code_point(*character)
            ),
            IdProblem::Shape => "is not in the expected shape".to_owned(),
            IdProblem::UnknownMarketplace => "is not a known Amazon marketplace".to_owned(),
            IdProblem::WrongPrefix { expected } => format!("does not start with {expected}"),
        }
    }

    /// What is wrong, in Japanese, to follow the field's name (e.g. `の文字数が正しくありません（41文字）`).
    pub fn problem_ja(&self) -> String {
        match &self.problem {
            IdProblem::Empty => "が入力されていません".to_owned(),
            IdProblem::Length { actual } => format!("の文字数が正しくありません（{actual}文字）"),
            IdProblem::Character {
                position,
                character: Some(c),
            } => {
                format!("の{position}文字目に使用できない文字「{c}」があります")
            }
            IdProblem::Character {
                position,
                character: None,
            } => {
                format!("の{position}文字目に使用できない文字があります")
            }
            IdProblem::Hidden {
                position,
                character,
            } => format!(
                "の{position}文字目に見えない文字または文字の向きを変える文字（{}）があります",
                crate::text::code_point(*character)
            ),
            IdProblem::Shape => "の形式が正しくありません".to_owned(),
            IdProblem::UnknownMarketplace => {
                "は既知のAmazonマーケットプレイスではありません".to_owned()
            }
            IdProblem::WrongPrefix { expected } => format!("が {expected} で始まっていません"),
        }
    }

    /// The whole message in Japanese, for merchants.
    pub fn message_ja(&self) -> String {
        format!(
            "{}{}。正しい形式: {}",
            self.field.name_ja(),
            self.problem_ja(),
            self.field.expected_format_ja()
        )
    }
}

/// Removes what copy-paste adds around a value (spaces, tabs, newlines, full-width spaces).
fn trimmed(input: &str) -> &str {
    input.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
}

/// An identifier as typed, made ready to be checked: Unicode normal form NFKC (full-width letters, digits and
/// punctuation from a Japanese IME become ASCII, the ideographic space a space), then without the spaces copy-paste
/// adds around it. Refuses what is left empty.
fn normalized(field: IdField, input: &str) -> Result<String, IdError> {
    let text = crate::text::normalized(input);
    let value = trimmed(&text);
    if value.is_empty() {
        Err(IdError::new(field, IdProblem::Empty))
    } else {
        Ok(value.to_owned())
    }
}

fn non_empty(field: IdField, input: &str) -> Result<&str, IdError> {
    let value = trimmed(input);
    if value.is_empty() {
        Err(IdError::new(field, IdProblem::Empty))
    } else {
        Ok(value)
    }
}

fn first_bad_char(
    field: IdField,
    value: &str,
    allowed: impl Fn(char) -> bool,
    reveal: bool,
) -> Result<(), IdError> {
    match value.chars().enumerate().find(|(_, c)| !allowed(*c)) {
        None => Ok(()),
        Some((index, c)) => Err(IdError::new(
            field,
            IdProblem::Character {
                position: index + 1,
                character: reveal.then_some(c),
            },
        )),
    }
}

fn check_length(
    field: IdField,
    value: &str,
    range: std::ops::RangeInclusive<usize>,
) -> Result<(), IdError> {
    let actual = value.chars().count();
    if range.contains(&actual) {
        Ok(())
    } else {
        Err(IdError::new(field, IdProblem::Length { actual }))
    }
}

/// Implements the plumbing every string identifier shares: `as_str`, serde through `parse`, `FromStr`.
macro_rules! string_id {
    ($name:ident) => {
        impl $name {
            /// The canonical text of this identifier.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                Self::parse(s)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                Self::parse(&text).map_err(serde::de::Error::custom)
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(value: String) -> Result<Self, IdError> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }
    };
}

/// Implements `Display` and a transparent `Debug` for identifiers that are not secret.
macro_rules! public_id {
    ($name:ident) => {
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }
    };
}

fn parse_merchant_token(field: IdField, input: &str) -> Result<String, IdError> {
    let value = normalized(field, input)?.to_ascii_uppercase();
    first_bad_char(
        field,
        &value,
        |c| c.is_ascii_uppercase() || c.is_ascii_digit(),
        true,
    )?;
    check_length(field, &value, 10..=20)?;
    if !value.starts_with('A') {
        return Err(IdError::new(field, IdProblem::Shape));
    }
    Ok(value)
}

/// A seller's merchant token ("Seller ID", 出品者ID), as Seller Central shows it on the grant's completion page.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SellerId(String);
string_id!(SellerId);
public_id!(SellerId);

impl SellerId {
    /// Parses a Seller ID as typed: full-width characters (NFKC), lower case and surrounding spaces are normalised
    /// first, so `ａ１ｂ２ｃ３ｄ４ｅ５ｆ６ｇ７` is `A1B2C3D4E5F6G7`.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        parse_merchant_token(IdField::SellerId, input).map(Self)
    }
}

/// The seller's merchant token as SP-API's OAuth redirect names it (`selling_partner_id`).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SellingPartnerId(String);
string_id!(SellingPartnerId);
public_id!(SellingPartnerId);

impl SellingPartnerId {
    /// Parses a Selling Partner ID, normalised like a [`SellerId`] (full-width, lower case, spaces).
    pub fn parse(input: &str) -> Result<Self, IdError> {
        parse_merchant_token(IdField::SellingPartnerId, input).map(Self)
    }

    /// The same account seen as an MWS Seller ID (both are the merchant token).
    pub fn as_seller_id(&self) -> SellerId {
        SellerId(self.0.clone())
    }
}

/// An Amazon marketplace, guaranteed to be one in [`marketplace::MARKETPLACES`].
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MarketplaceId(String);
string_id!(MarketplaceId);
public_id!(MarketplaceId);

impl MarketplaceId {
    /// Parses a Marketplace ID and checks that it is a marketplace Amazon runs; full-width characters (NFKC), lower
    /// case and surrounding spaces are normalised first.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let field = IdField::MarketplaceId;
        let value = normalized(field, input)?.to_ascii_uppercase();
        first_bad_char(
            field,
            &value,
            |c| c.is_ascii_uppercase() || c.is_ascii_digit(),
            true,
        )?;
        check_length(field, &value, 9..=14)?;
        if marketplace::find(&value).is_none() {
            return Err(IdError::new(field, IdProblem::UnknownMarketplace));
        }
        Ok(Self(value))
    }

    /// The marketplace this id names.
    pub fn marketplace(&self) -> &'static Marketplace {
        marketplace::find(&self.0).expect("a MarketplaceId is only built from the table")
    }

    /// Amazon.co.jp, the marketplace of the merchant guide.
    pub fn japan() -> Self {
        Self(marketplace::JAPAN_ID.to_owned())
    }
}

/// The token Seller Central issues when a seller grants a developer MWS access (MWS認証トークン). Secret:
/// `Debug` masks it and there is no `Display`; use [`MwsAuthToken::expose_secret`] where it must be sent.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct MwsAuthToken(String);
string_id!(MwsAuthToken);

impl MwsAuthToken {
    const PREFIX: &'static str = "amzn.mws.";

    /// Parses an MWS Auth Token (`amzn.mws.` + UUID) as typed: full-width characters (NFKC), the dashes a Japanese
    /// IME or a word processor puts in place of `-` (`ー`, `−`, `‐`, `–`…), surrounding spaces and upper case are
    /// normalised first. A UUID pasted without `amzn.mws.` is the token it clearly is: the prefix is added. A value
    /// with another prefix is refused with [`IdProblem::WrongPrefix`]. The UUID's hex digits are lower-cased.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let field = IdField::MwsAuthToken;
        let value: String = normalized(field, input)?
            .chars()
            .map(|c| if is_dash_lookalike(c) { '-' } else { c })
            .collect();
        let prefixed = value
            .get(..Self::PREFIX.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(Self::PREFIX));
        let (uuid, offset) = if prefixed {
            check_length(field, &value, 45..=45)?;
            (&value[Self::PREFIX.len()..], Self::PREFIX.len())
        } else if value.contains(['.', '|', ':', '/']) {
            // Something other than amzn.mws. in front (an SP-API token, a cut-off prefix…).
            return Err(IdError::new(
                field,
                IdProblem::WrongPrefix {
                    expected: Self::PREFIX,
                },
            ));
        } else {
            check_length(field, &value, 36..=36)?;
            (value.as_str(), 0)
        };
        check_uuid(field, uuid, offset)?;
        Ok(Self(format!(
            "{}{}",
            Self::PREFIX,
            uuid.to_ascii_lowercase()
        )))
    }

    /// The token itself, for the one place that sends it to Amazon or seals it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

/// Characters typed in place of a hyphen-minus: the katakana long-vowel mark a Japanese IME gives for the `-` key
/// (`ー`, and its half-width form once NFKC has made it full-width), Unicode's hyphens and dashes, and the minus sign.
fn is_dash_lookalike(c: char) -> bool {
    matches!(
        c,
        '\u{30FC}' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}'
    )
}

/// Checks the 36 characters of a UUID (8-4-4-4-12 hex digits); `offset` is where they start in what was typed, for
/// the position in the error. Secret: the offending character is never named.
fn check_uuid(field: IdField, uuid: &str, offset: usize) -> Result<(), IdError> {
    for (index, c) in uuid.chars().enumerate() {
        let dash = matches!(index, 8 | 13 | 18 | 23);
        let ok = if dash {
            c == '-'
        } else {
            c.is_ascii_hexdigit()
        };
        if !ok {
            let problem = if c == '-' || (dash && c.is_ascii_hexdigit()) {
                IdProblem::Shape
            } else {
                IdProblem::Character {
                    position: offset + index + 1,
                    character: None,
                }
            };
            return Err(IdError::new(field, problem));
        }
    }
    Ok(())
}

impl fmt::Debug for MwsAuthToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MwsAuthToken(amzn.mws.…)")
    }
}

/// A developer's 12-digit account number (開発者ID), stored without dashes and shown with them.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeveloperId(String);
string_id!(DeveloperId);

impl DeveloperId {
    /// Parses `1234-1234-1234` or `123412341234` (dashes only between the groups of four).
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let field = IdField::DeveloperId;
        let value = non_empty(field, input)?;
        first_bad_char(field, value, |c| c.is_ascii_digit() || c == '-', true)?;
        let digits: String = value.chars().filter(char::is_ascii_digit).collect();
        if digits.len() != 12 {
            return Err(IdError::new(
                field,
                IdProblem::Length {
                    actual: digits.len(),
                },
            ));
        }
        let dashed =
            value.len() == 14 && value.as_bytes()[4] == b'-' && value.as_bytes()[9] == b'-';
        if value.contains('-') && !dashed {
            return Err(IdError::new(field, IdProblem::Shape));
        }
        Ok(Self(digits))
    }

    /// The twelve digits, as Amazon's forms accept them.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// The dashed form Seller Central displays, e.g. `5259-6479-4073`.
    pub fn dashed(&self) -> String {
        format!("{}-{}-{}", &self.0[..4], &self.0[4..8], &self.0[8..])
    }
}

impl fmt::Display for DeveloperId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.dashed())
    }
}

impl fmt::Debug for DeveloperId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeveloperId({:?})", self.dashed())
    }
}

/// The developer's AWS access key id that MWS requests carry (`AWSAccessKeyId`); not secret.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AwsAccessKeyId(String);
string_id!(AwsAccessKeyId);
public_id!(AwsAccessKeyId);

impl AwsAccessKeyId {
    /// Parses a 20-character access key id.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let field = IdField::AwsAccessKeyId;
        let value = non_empty(field, input)?;
        first_bad_char(
            field,
            value,
            |c| c.is_ascii_uppercase() || c.is_ascii_digit(),
            true,
        )?;
        check_length(field, value, 20..=20)?;
        Ok(Self(value.to_owned()))
    }
}

/// A Login-with-Amazon refresh token (`Atzr|…`), the long-lived SP-API credential. Secret.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct LwaRefreshToken(String);
string_id!(LwaRefreshToken);

impl LwaRefreshToken {
    const PREFIX: &'static str = "Atzr|";

    /// Parses a refresh token: `Atzr|` then up to 2043 printable ASCII characters without spaces.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let field = IdField::LwaRefreshToken;
        let value = non_empty(field, input)?;
        if !value.starts_with(Self::PREFIX) {
            return Err(IdError::new(field, IdProblem::Shape));
        }
        first_bad_char(field, value, |c| c.is_ascii_graphic(), false)?;
        check_length(field, value, Self::PREFIX.len() + 1..=2048)?;
        Ok(Self(value.to_owned()))
    }

    /// The token itself, for the LWA request or sealing.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for LwaRefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LwaRefreshToken(Atzr|…)")
    }
}

/// An Amazon order number.
///
/// Two rules, for two sources:
/// - [`AmazonOrderId::parse`] is for what a person types (CLI, web forms, API bodies): Amazon's usual
///   `NNN-NNNNNNN-NNNNNNN` (3, 7 and 7 digits), so a typo is caught with a clear message.
/// - [`AmazonOrderId::from_amazon`] is for what Amazon sends and what the store read back: Amazon's models
///   make `AmazonOrderId`/`orderId` a plain string, and real orders carry other shapes (FBA multi-channel
///   `S01-…` ids, non-Amazon sales channels, test orders). Any 1–64 printable ASCII characters without spaces
///   are taken; only an id that could not be shown, typed or sent back to Amazon is refused.
///
/// To *look up* an order someone names, use [`OrderIdLookup`], which accepts both and keeps the strict
/// error for the case where no stored order answers.
///
/// `serde` deserializes with [`AmazonOrderId::from_amazon`]: serde input is always machine data (Amazon's
/// answers, JSON the program wrote); typed input goes through `parse`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AmazonOrderId(String);
public_id!(AmazonOrderId);

impl AmazonOrderId {
    /// The longest order id [`AmazonOrderId::from_amazon`] accepts (Amazon's usual ids have 19 characters).
    pub const MAX_RECEIVED_LEN: usize = 64;

    /// Parses a typed `NNN-NNNNNNN-NNNNNNN` (surrounding spaces are ignored).
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let field = IdField::AmazonOrderId;
        let value = non_empty(field, input)?;
        first_bad_char(field, value, |c| c.is_ascii_digit() || c == '-', true)?;
        check_length(field, value, 19..=19)?;
        let bytes = value.as_bytes();
        let shaped = bytes
            .iter()
            .enumerate()
            .all(|(i, b)| (*b == b'-') == (i == 3 || i == 11));
        if !shaped {
            return Err(IdError::new(field, IdProblem::Shape));
        }
        Ok(Self(value.to_owned()))
    }

    /// Takes an order id as Amazon sent it, or as the store kept it: surrounding whitespace (the wire format's
    /// layout) is dropped, the rest must be 1–[`Self::MAX_RECEIVED_LEN`] printable ASCII characters (`!` to `~`),
    /// so no space, control, non-ASCII or invisible character. An id refused here cannot be imported; its order
    /// is quarantined.
    pub fn from_amazon(input: &str) -> Result<Self, IdError> {
        let field = IdField::ReceivedOrderId;
        let value = non_empty(field, input)?;
        first_bad_char(field, value, |c| c.is_ascii_graphic(), true)?;
        check_length(field, value, 1..=Self::MAX_RECEIVED_LEN)?;
        Ok(Self(value.to_owned()))
    }

    /// The canonical text of this identifier.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this id has Amazon's usual 3-7-7 digit shape (what [`AmazonOrderId::parse`] accepts).
    pub fn is_usual_shape(&self) -> bool {
        Self::parse(&self.0).is_ok()
    }
}

impl std::str::FromStr for AmazonOrderId {
    type Err = IdError;
    /// The strict, typed rule ([`AmazonOrderId::parse`]).
    fn from_str(s: &str) -> Result<Self, IdError> {
        Self::parse(s)
    }
}

impl Serialize for AmazonOrderId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for AmazonOrderId {
    /// The lenient rule ([`AmazonOrderId::from_amazon`]): serde reads machine data, never typed input.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::from_amazon(&text).map_err(serde::de::Error::custom)
    }
}

impl From<AmazonOrderId> for String {
    fn from(value: AmazonOrderId) -> String {
        value.0
    }
}

/// An order id someone typed to name an order sellerlink already holds (CLI arguments, the web order page's
/// address, API paths).
///
/// Typed ids are held to Amazon's usual 3-7-7 shape, but an imported order may carry any id Amazon sent, and it
/// must stay reachable. So a lookup takes the text when it is a 3-7-7 id or any id [`AmazonOrderId::from_amazon`]
/// accepts; when it is not 3-7-7, [`OrderIdLookup::unusual_shape`] keeps the strict error, which the caller
/// reports if no stored order has that id (a typo reads "expected 3-7-7 digits", not just "not found").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderIdLookup {
    id: AmazonOrderId,
    unusual_shape: Option<IdError>,
}

impl OrderIdLookup {
    /// Reads a typed order id for a lookup. Fails with the strict error of [`AmazonOrderId::parse`] when the text
    /// could not even be an id Amazon sent (empty, spaces inside, non-ASCII, too long).
    pub fn parse(input: &str) -> Result<Self, IdError> {
        match AmazonOrderId::parse(input) {
            Ok(id) => Ok(Self {
                id,
                unusual_shape: None,
            }),
            Err(strict) => match AmazonOrderId::from_amazon(input) {
                Ok(id) => Ok(Self {
                    id,
                    unusual_shape: Some(strict),
                }),
                Err(_) => Err(strict),
            },
        }
    }

    /// The id to look for.
    pub fn id(&self) -> &AmazonOrderId {
        &self.id
    }

    /// Why the text is not a usual 3-7-7 id; `None` when it is one.
    pub fn unusual_shape(&self) -> Option<&IdError> {
        self.unusual_shape.as_ref()
    }

    /// The id to look for, and the strict error to report if no stored order has it.
    pub fn into_parts(self) -> (AmazonOrderId, Option<IdError>) {
        (self.id, self.unusual_shape)
    }
}

impl std::str::FromStr for OrderIdLookup {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        Self::parse(s)
    }
}

/// A seller SKU (出品者SKU), as Seller Central and both Amazon APIs take it: 1–[`Sku::MAX_LEN`] characters, kept
/// exactly as typed apart from the white space copy-paste adds around it (no case folding, no NFKC: Amazon matches
/// SKUs byte for byte). It may hold spaces, `/`, `&` or Japanese text, but no character that cannot be seen or
/// that turns the text around it ([`crate::text::is_hidden`]: control, format and bidirectional characters).
///
/// Parse every SKU a person or a warehouse system hands in with [`Sku::parse`]; the stock levels sellerlink
/// stores and the feeds it sends carry the parsed text.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sku(String);
string_id!(Sku);
public_id!(Sku);

impl Sku {
    /// The longest SKU Seller Central takes.
    pub const MAX_LEN: usize = 40;

    /// Parses a SKU: surrounding white space (including the full-width space) is dropped; what is left must be
    /// 1–[`Self::MAX_LEN`] characters without hidden ones.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let field = IdField::Sku;
        let value = non_empty(field, input)?;
        if let Some((position, character)) = crate::text::first_hidden(value) {
            return Err(IdError::new(
                field,
                IdProblem::Hidden {
                    position,
                    character,
                },
            ));
        }
        check_length(field, value, 1..=Self::MAX_LEN)?;
        Ok(Self(value.to_owned()))
    }
}

/// Implements a UUID-backed identifier of our own.
macro_rules! uuid_id {
    ($name:ident, $field:expr, $doc:literal) => {
        #[doc = $doc]
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(uuid::Uuid);

        impl $name {
            /// A new, time-ordered id.
            pub fn new() -> Self {
                Self(uuid::Uuid::now_v7())
            }

            /// Parses the hyphenated UUID form.
            pub fn parse(input: &str) -> Result<Self, IdError> {
                let value = non_empty($field, input)?;
                uuid::Uuid::try_parse(value)
                    .map(Self)
                    .map_err(|_| IdError::new($field, IdProblem::Shape))
            }

            /// The underlying UUID.
            pub fn as_uuid(&self) -> uuid::Uuid {
                self.0
            }

            /// Wraps a UUID read back from storage.
            pub fn from_uuid(id: uuid::Uuid) -> Self {
                Self(id)
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                Self::parse(s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0.hyphenated())
            }
        }
    };
}

uuid_id!(
    MerchantId,
    IdField::MerchantId,
    "A merchant (tenant) of the 3PL."
);
uuid_id!(
    ConnectionId,
    IdField::ConnectionId,
    "One seller account connected to sellerlink."
);

#[cfg(test)]
mod tests;
