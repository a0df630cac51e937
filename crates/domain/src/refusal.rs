//! Why Amazon refused a credential: the one vocabulary every crate uses for a refusal of access.
//!
//! The clients classify Amazon's answers (`mws::ErrorKind`, `spapi::ErrorKind`), the sync engine maps them to a
//! [`RefusalCause`] in one place per API, the connection records it ([`crate::lifecycle::AccessDenial`]), and the
//! alert's cause, the fix it spells out and the pages' primary action are derived from it by exhaustive `match`.
//! It is stored (database column and JSON) as its stable [`RefusalCause::code`], which this module alone writes and
//! reads.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Who must act when Amazon refuses a credential, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefusalCause {
    /// The seller's grant is missing, revoked or expired, or the token is not theirs: the merchant must renew or
    /// restore access in Seller Central (MWS 401 `AccessDenied`; an SP-API call denied for the seller account).
    SellerAccess,
    /// The operator's own developer keys are refused (MWS 403 `InvalidAccessKeyId`, `SignatureDoesNotMatch`): the
    /// operator must fix sellerlink's configuration.
    OperatorCredentials,
    /// The seller's SP-API authorization is gone (LWA `invalid_grant`, or Amazon called the access token "revoked,
    /// malformed or invalid"): it passed its 365 days or was revoked. The merchant must re-authorize the app (Seller
    /// Central → Manage Your Apps → Re-authorize, or "Connect with Amazon" again).
    AuthorizationLost,
    /// The app's LWA client credentials are refused (LWA `invalid_client`, e.g. the client secret passed its 180
    /// days): the operator must rotate the secret and update sellerlink's configuration.
    AppCredentialsRejected,
}

impl RefusalCause {
    /// Every cause, in declaration order.
    pub const ALL: [Self; 4] = [
        Self::SellerAccess,
        Self::OperatorCredentials,
        Self::AuthorizationLost,
        Self::AppCredentialsRejected,
    ];

    /// The stable stored code: `access_denied` (seller access), `invalid_credentials` (operator credentials),
    /// `invalid_grant` (authorization lost) or `invalid_client` (app credentials rejected). Databases and audit
    /// snapshots hold these codes: they never change.
    pub fn code(self) -> &'static str {
        match self {
            Self::SellerAccess => "access_denied",
            Self::OperatorCredentials => "invalid_credentials",
            Self::AuthorizationLost => "invalid_grant",
            Self::AppCredentialsRejected => "invalid_client",
        }
    }

    /// Whether sellerlink's own credentials (MWS developer keys, the SP-API app's client secret) were refused, so
    /// the operator fixes it and the merchant need not do anything.
    pub fn operator_must_act(self) -> bool {
        match self {
            Self::OperatorCredentials | Self::AppCredentialsRejected => true,
            Self::SellerAccess | Self::AuthorizationLost => false,
        }
    }
}

impl fmt::Display for RefusalCause {
    /// The stored code.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A stored refusal cause that is none of the [`RefusalCause`] codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "refusal cause {given:?} is not a known code; expected one of {}",
    expected_codes()
)]
pub struct UnknownRefusalCause {
    /// The text that was read, at most [`UnknownRefusalCause::MAX_ECHO`] characters of it.
    pub given: String,
}

impl UnknownRefusalCause {
    /// How many characters of the unknown text an error repeats.
    pub const MAX_ECHO: usize = 64;

    fn new(text: &str) -> Self {
        Self {
            given: text.chars().take(Self::MAX_ECHO).collect(),
        }
    }
}

/// The known codes, e.g. for an error message: `access_denied, invalid_credentials, invalid_grant, invalid_client`.
fn expected_codes() -> String {
    RefusalCause::ALL.map(RefusalCause::code).join(", ")
}

impl FromStr for RefusalCause {
    type Err = UnknownRefusalCause;

    /// Reads a stored code, exactly as [`RefusalCause::code`] writes it.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|cause| cause.code() == text)
            .ok_or_else(|| UnknownRefusalCause::new(text))
    }
}

impl TryFrom<&str> for RefusalCause {
    type Error = UnknownRefusalCause;

    fn try_from(text: &str) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl Serialize for RefusalCause {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for RefusalCause {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The codes as databases hold them: compared with literals here, and only here.
    const STORED: [(RefusalCause, &str); 4] = [
        (RefusalCause::SellerAccess, "access_denied"),
        (RefusalCause::OperatorCredentials, "invalid_credentials"),
        (RefusalCause::AuthorizationLost, "invalid_grant"),
        (RefusalCause::AppCredentialsRejected, "invalid_client"),
    ];

    #[test]
    fn every_cause_keeps_its_stored_code_and_reads_back() {
        assert_eq!(STORED.map(|(cause, _)| cause), RefusalCause::ALL);
        for (cause, code) in STORED {
            assert_eq!(cause.code(), code);
            assert_eq!(cause.to_string(), code);
            assert_eq!(code.parse::<RefusalCause>(), Ok(cause));
            assert_eq!(RefusalCause::try_from(code), Ok(cause));
            let json = serde_json::to_string(&cause).unwrap();
            assert_eq!(json, format!("\"{code}\""));
            assert_eq!(serde_json::from_str::<RefusalCause>(&json).unwrap(), cause);
        }
    }

    #[test]
    fn an_unknown_code_is_refused_with_the_field_and_the_expected_codes() {
        let error = "account_blocked".parse::<RefusalCause>().unwrap_err();
        assert_eq!(error.given, "account_blocked");
        assert_eq!(
            error.to_string(),
            "refusal cause \"account_blocked\" is not a known code; expected one of access_denied, \
             invalid_credentials, invalid_grant, invalid_client"
        );
        // Codes are exact: no case folding, no trimming.
        assert!("Access_Denied".parse::<RefusalCause>().is_err());
        assert!(" invalid_grant".parse::<RefusalCause>().is_err());
        let long = "x".repeat(500);
        assert_eq!(
            long.parse::<RefusalCause>().unwrap_err().given.len(),
            UnknownRefusalCause::MAX_ECHO
        );
        let json = serde_json::from_str::<RefusalCause>("\"revoked\"").unwrap_err();
        assert!(
            json.to_string().contains("expected one of access_denied"),
            "{json}"
        );
    }

    #[test]
    fn only_sellerlinks_own_credentials_are_the_operators_to_fix() {
        let operator: Vec<_> = RefusalCause::ALL
            .into_iter()
            .filter(|cause| cause.operator_must_act())
            .collect();
        assert_eq!(
            operator,
            [
                RefusalCause::OperatorCredentials,
                RefusalCause::AppCredentialsRejected
            ]
        );
    }
}
