//! Form fields parsed at the edge into types whose errors name the field, the problem and the
//! expected format.

use crate::ids::{self, IdError};

/// Longest developer name accepted in step ③, in characters.
pub(crate) const MAX_DEVELOPER_NAME_CHARS: usize = 100;
/// Longest developer nickname accepted (the world's limit), in characters.
pub(crate) const MAX_NICKNAME_CHARS: usize = 50;
/// Longest sign-in identifier accepted, in characters.
const MAX_LOGIN_CHARS: usize = 254;

/// A 12-digit MWS developer ID as typed in Seller Central: `1234-1234-1234` or `123412341234`.
///
/// Full-width digits and hyphens (common with Japanese input methods) are normalised first; the
/// shape is then checked by the sandbox's own [`crate::ids::DeveloperId`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct DeveloperId(ids::DeveloperId);

/// Why a developer ID was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum DeveloperIdError {
    /// Nothing was entered.
    #[error("developer ID: missing; expected 12 digits as 1234-1234-1234 or 123412341234")]
    Empty,
    /// Not 12 digits in one of the two accepted shapes (the inner error says what is wrong).
    #[error(transparent)]
    Format(#[from] IdError),
}

impl DeveloperId {
    /// Parses a developer ID with or without the dashes after the 4th and 8th digit.
    pub(crate) fn parse(input: &str) -> Result<Self, DeveloperIdError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(DeveloperIdError::Empty);
        }
        let normalised: String = trimmed.chars().map(normalise_char).collect();
        Ok(Self(ids::DeveloperId::parse(&normalised)?))
    }

    /// The 12 digits without dashes (the form `World` keys developers by).
    pub(crate) fn digits(&self) -> &str {
        self.0.as_str()
    }

    /// The `1234-1234-1234` form Seller Central displays.
    pub(crate) fn dashed(&self) -> String {
        self.0.dashed()
    }
}

/// Formats a 12-digit developer ID as `1234-1234-1234`; other strings are returned unchanged.
pub(crate) fn dashed(digits: &str) -> String {
    ids::dashed_developer_id(digits)
}

fn normalise_char(c: char) -> char {
    match c {
        '０'..='９' => {
            char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c)
        }
        '－' | '‐' | '‑' | '–' | 'ー' => '-',
        other => other,
    }
}

/// A person-facing name: the developer name typed in step ③ or a developer nickname.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Name(String);

/// Why a name was refused; `field` is the form field's English name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum NameError {
    /// Nothing (or only spaces) was entered.
    #[error("{field}: missing; expected 1 to {max} characters")]
    Empty {
        /// The field.
        field: &'static str,
        /// The most characters allowed.
        max: usize,
    },
    /// Too many characters.
    #[error("{field}: {chars} characters is too long; expected at most {max}")]
    TooLong {
        /// The field.
        field: &'static str,
        /// Characters entered.
        chars: usize,
        /// The most characters allowed.
        max: usize,
    },
    /// Control characters (line breaks, tabs …) are not allowed.
    #[error("{field}: contains control characters; expected a single line of text")]
    ControlCharacters {
        /// The field.
        field: &'static str,
    },
}

impl Name {
    /// Parses a single-line name of 1 to `max` characters (surrounding spaces removed);
    /// `field` names the form field in the error.
    pub(crate) fn parse(field: &'static str, max: usize, input: &str) -> Result<Self, NameError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(NameError::Empty { field, max });
        }
        if trimmed.chars().any(char::is_control) {
            return Err(NameError::ControlCharacters { field });
        }
        let chars = trimmed.chars().count();
        if chars > max {
            return Err(NameError::TooLong { field, chars, max });
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// The name.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

/// What the seller typed as sign-in identifier: an e-mail address or a mobile phone number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Login(String);

impl Login {
    /// Trims the input; `None` when it is empty or implausibly long (the page then shows the
    /// same generic sign-in error as for a wrong password).
    /// Full-width digits and hyphens in a phone number are normalised.
    pub(crate) fn parse(input: &str) -> Option<Self> {
        let trimmed = input.trim();
        let chars = trimmed.chars().count();
        if chars == 0 || chars > MAX_LOGIN_CHARS || trimmed.chars().any(char::is_control) {
            return None;
        }
        if trimmed.contains('@') {
            Some(Self(trimmed.to_owned()))
        } else {
            Some(Self(trimmed.chars().map(normalise_char).collect()))
        }
    }

    /// The identifier (trimmed; a phone number normalised).
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// The key failed attempts are counted under: e-mail addresses lower-cased, phone numbers
    /// reduced to their digits, so `090-1234-5678` and `09012345678` share one counter.
    pub(crate) fn throttle_key(&self) -> String {
        if self.0.contains('@') {
            self.0.to_lowercase()
        } else {
            let digits: String = self.0.chars().filter(char::is_ascii_digit).collect();
            if digits.is_empty() {
                self.0.to_lowercase()
            } else {
                digits
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn developer_id_with_and_without_dashes() {
        let plain = DeveloperId::parse("525964794073").unwrap();
        let dashed = DeveloperId::parse(" 5259-6479-4073 ").unwrap();
        assert_eq!(plain, dashed);
        assert_eq!(plain.digits(), "525964794073");
        assert_eq!(plain.dashed(), "5259-6479-4073");
        assert_eq!(
            DeveloperId::parse("５２５９－６４７９－４０７３").unwrap(),
            plain
        );
    }

    #[test]
    fn developer_id_refuses_other_shapes_and_says_why() {
        assert_eq!(DeveloperId::parse("  "), Err(DeveloperIdError::Empty));
        for bad in [
            "12345",
            "52596479407",
            "5259647940731",
            "5259-64794073",
            "52596-479-4073",
            "5259-6479-407a",
            "abcd-efgh-ijkl",
        ] {
            let error = DeveloperId::parse(bad).unwrap_err();
            assert!(matches!(error, DeveloperIdError::Format(_)), "{bad}");
            let text = error.to_string();
            assert!(text.starts_with("developer ID"), "{text}");
            assert!(text.contains("1234-1234-1234"), "{text}");
        }
    }

    #[test]
    fn names_are_trimmed_single_lines_of_bounded_length() {
        assert_eq!(
            Name::parse("developer name", 100, "  shippinno ")
                .unwrap()
                .as_str(),
            "shippinno"
        );
        assert_eq!(
            Name::parse("nickname", 50, "   "),
            Err(NameError::Empty {
                field: "nickname",
                max: 50
            })
        );
        assert!(matches!(
            Name::parse("nickname", 50, &"あ".repeat(51)),
            Err(NameError::TooLong { chars: 51, .. })
        ));
        assert!(Name::parse("nickname", 50, &"あ".repeat(50)).is_ok());
        assert!(matches!(
            Name::parse("nickname", 50, "a\nb"),
            Err(NameError::ControlCharacters { .. })
        ));
    }

    #[test]
    fn login_throttle_key_groups_spellings_of_one_login() {
        let email = Login::parse(" Sales@Example.JP ").unwrap();
        assert_eq!(email.as_str(), "Sales@Example.JP");
        assert_eq!(email.throttle_key(), "sales@example.jp");
        let phone = Login::parse("090-1234-5678").unwrap();
        assert_eq!(phone.throttle_key(), "09012345678");
        let wide = Login::parse("０９０－１２３４－５６７８").unwrap();
        assert_eq!(wide.as_str(), "090-1234-5678");
        assert_eq!(wide.throttle_key(), "09012345678");
        assert!(Login::parse("").is_none());
    }
}
