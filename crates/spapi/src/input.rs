//! Values parsed at the edge of this crate — the app's LWA credentials, access tokens, OAuth codes,
//! SKUs and shipment fields. A value is either valid or an [`InputError`] that names the field, says
//! what is wrong and shows the expected format. Secrets never appear in an error.

use std::fmt;

/// Which value was being parsed; names the field in errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InputField {
    /// The app's LWA client identifier.
    LwaClientId,
    /// The app's LWA client secret.
    LwaClientSecret,
    /// An LWA access token.
    AccessToken,
    /// The `spapi_oauth_code` from the OAuth redirect.
    AuthorizationCode,
    /// A Listings product type.
    ProductType,
    /// `confirmShipment` `packageReferenceId`.
    PackageReferenceId,
    /// `confirmShipment` `carrierCode`.
    CarrierCode,
    /// `confirmShipment` `carrierName`.
    CarrierName,
    /// `confirmShipment` `trackingNumber`.
    TrackingNumber,
    /// `confirmShipment` `orderItems[].orderItemId`.
    OrderItemId,
    /// `confirmShipment` `orderItems[].quantity`.
    Quantity,
    /// `patchListingsItem` `marketplaceIds`.
    MarketplaceIds,
    /// `patchListingsItem` `patches`.
    Patches,
}

impl InputField {
    /// The field's name in English.
    pub fn name(self) -> &'static str {
        match self {
            Self::LwaClientId => "LWA client ID",
            Self::LwaClientSecret => "LWA client secret",
            Self::AccessToken => "LWA access token",
            Self::AuthorizationCode => "SP-API authorization code (spapi_oauth_code)",
            Self::ProductType => "product type",
            Self::PackageReferenceId => "package reference ID",
            Self::CarrierCode => "carrier code",
            Self::CarrierName => "carrier name",
            Self::TrackingNumber => "tracking number",
            Self::OrderItemId => "order item ID",
            Self::Quantity => "quantity",
            Self::MarketplaceIds => "marketplace IDs",
            Self::Patches => "patches",
        }
    }

    /// The expected format, with an example.
    pub fn expected_format(self) -> &'static str {
        match self {
            Self::LwaClientId => {
                "amzn1.application-oa2-client. followed by hexadecimal digits, \
                 e.g. amzn1.application-oa2-client.0123456789abcdef0123456789abcdef"
            }
            Self::LwaClientSecret => {
                "the client secret shown with the app's LWA credentials in Developer Central: \
                 up to 512 printable characters without spaces, e.g. amzn1.oa2-cs.v1.…"
            }
            Self::AccessToken => "Atza| followed by the token LWA issued, without spaces",
            Self::AuthorizationCode => {
                "the spapi_oauth_code query value of the OAuth redirect: up to 512 printable \
                 characters without spaces, e.g. ANDCxqkXpLmVfRnBoTsz"
            }
            Self::ProductType => "an Amazon product type in upper case, e.g. PRODUCT or LUGGAGE",
            Self::PackageReferenceId => "a positive whole number written as text, e.g. \"1\"",
            Self::CarrierCode => {
                "a carrier Seller Central offers for the marketplace, e.g. \"Yamato Transport\", \
                 or \"Other\" together with a carrier name"
            }
            Self::CarrierName => "the carrier's name, e.g. \"Seino Transportation\"",
            Self::TrackingNumber => "the carrier's tracking number, e.g. 123456789012",
            Self::OrderItemId => "Amazon's order item ID, e.g. 12345678901234",
            Self::Quantity => "a whole number of units, at least 1",
            Self::MarketplaceIds => "at least one marketplace, e.g. A1VC38T7YXB528 (Amazon.co.jp)",
            Self::Patches => {
                "at least one patch, e.g. fulfillment_availability_patch(quantity, None)"
            }
        }
    }
}

impl fmt::Display for InputField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What is wrong with a value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputProblem {
    /// Nothing was given.
    Empty,
    /// Too few or too many characters.
    Length {
        /// How many characters were given.
        actual: usize,
        /// The most allowed.
        max: usize,
    },
    /// A character that may not appear, at a 1-based position. Secrets never report the character.
    Character {
        /// 1-based position.
        position: usize,
        /// The character, for values that are not secret.
        character: Option<char>,
    },
    /// The value does not start with the prefix Amazon gives every such value.
    Prefix {
        /// The prefix expected.
        expected: &'static str,
    },
    /// Not a positive whole number.
    NotPositiveInteger,
    /// The value is required in this combination (e.g. a carrier name with carrier code `Other`).
    Required {
        /// Why it is required.
        because: &'static str,
    },
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("is empty"),
            Self::Length { actual, max } => {
                write!(f, "has {actual} characters (at most {max} allowed)")
            }
            Self::Character {
                position,
                character: Some(c),
            } => write!(
                f,
                "contains {c:?} at position {position}, which is not allowed"
            ),
            Self::Character {
                position,
                character: None,
            } => write!(
                f,
                "contains a character that is not allowed at position {position}"
            ),
            Self::Prefix { expected } => write!(f, "does not start with {expected}"),
            Self::NotPositiveInteger => f.write_str("is not a positive whole number"),
            Self::Required { because } => write!(f, "is required {because}"),
        }
    }
}

/// A value that is not valid for its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}; expected {}", .field.expected_format())]
pub struct InputError {
    /// The field that was being parsed.
    pub field: InputField,
    /// What is wrong with it.
    pub problem: InputProblem,
}

impl InputError {
    pub(crate) fn new(field: InputField, problem: InputProblem) -> Self {
        Self { field, problem }
    }
}

/// Removes what copy-paste adds around a value (spaces, tabs, newlines, full-width spaces).
pub(crate) fn trimmed(input: &str) -> &str {
    input.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
}

/// Checks a token-like value: non-empty after trimming, at most `max` characters, every character
/// printable ASCII without spaces. `secret` hides the offending character in the error.
pub(crate) fn token_like(
    field: InputField,
    input: &str,
    max: usize,
    secret: bool,
) -> Result<String, InputError> {
    let value = trimmed(input);
    if value.is_empty() {
        return Err(InputError::new(field, InputProblem::Empty));
    }
    if let Some((index, c)) = value
        .chars()
        .enumerate()
        .find(|(_, c)| !c.is_ascii_graphic())
    {
        return Err(InputError::new(
            field,
            InputProblem::Character {
                position: index + 1,
                character: (!secret).then_some(c),
            },
        ));
    }
    let actual = value.chars().count();
    if actual > max {
        return Err(InputError::new(field, InputProblem::Length { actual, max }));
    }
    Ok(value.to_owned())
}

/// Checks free text such as a carrier name: non-empty after trimming, at most `max` characters,
/// no control characters.
pub(crate) fn text(field: InputField, input: &str, max: usize) -> Result<String, InputError> {
    let value = trimmed(input);
    if value.is_empty() {
        return Err(InputError::new(field, InputProblem::Empty));
    }
    if let Some((index, c)) = value.chars().enumerate().find(|(_, c)| c.is_control()) {
        return Err(InputError::new(
            field,
            InputProblem::Character {
                position: index + 1,
                character: Some(c),
            },
        ));
    }
    let actual = value.chars().count();
    if actual > max {
        return Err(InputError::new(field, InputProblem::Length { actual, max }));
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_field_and_the_format() {
        let error = token_like(InputField::TrackingNumber, "  ", 40, false).unwrap_err();
        assert_eq!(error.problem, InputProblem::Empty);
        let text = error.to_string();
        assert!(
            text.starts_with("tracking number: is empty; expected the carrier's tracking number"),
            "{text}"
        );
    }

    #[test]
    fn secrets_hide_the_bad_character() {
        let error = token_like(InputField::LwaClientSecret, "abc def", 512, true).unwrap_err();
        assert_eq!(
            error.problem,
            InputProblem::Character {
                position: 4,
                character: None
            }
        );
        let error = token_like(InputField::AuthorizationCode, "abc\u{e9}", 512, false).unwrap_err();
        assert_eq!(
            error.problem,
            InputProblem::Character {
                position: 4,
                character: Some('\u{e9}')
            }
        );
    }

    #[test]
    fn copy_paste_whitespace_is_trimmed() {
        assert_eq!(
            token_like(
                InputField::AuthorizationCode,
                "\u{3000} ANcode\n",
                512,
                false
            )
            .unwrap(),
            "ANcode"
        );
        assert_eq!(
            text(InputField::CarrierName, " 西濃運輸 ", 100).unwrap(),
            "西濃運輸"
        );
        assert!(text(InputField::CarrierName, "a\tb", 100).is_err());
    }
}
