//! SP-API applications as Developer Central registers them: identity, LWA client ID, client
//! secrets with their 180-day lifetime, OAuth redirect URIs, the log-in URI and the
//! draft/published stage.

use std::fmt;

use jiff::{SignedDuration, Timestamp};

/// A client secret stops working this long after it was created.
pub const SECRET_LIFETIME: SignedDuration = SignedDuration::from_hours(180 * 24);
/// After a rotation the previous secret keeps working this long (but never past its own
/// expiry). Amazon does not document a grace period; the sandbox chooses 7 days.
pub const ROTATION_GRACE: SignedDuration = SignedDuration::from_hours(7 * 24);

/// Which version of an app sellers authorize.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppStage {
    /// Only authorizable with `version=beta` (testing, private apps).
    Draft,
    /// Listed; authorizable without `version=beta`.
    Published,
}

impl AppStage {
    /// `draft` or `published`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
        }
    }
}

/// One LWA client secret of an app. `Debug` hides the value.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientSecret {
    value: String,
    /// When it was created.
    pub created_at: Timestamp,
    /// Created + 180 days.
    pub expires_at: Timestamp,
    /// When a newer secret replaced it (it then works for the grace period).
    pub replaced_at: Option<Timestamp>,
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientSecret")
            .field("value", &"<redacted>")
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .field("replaced_at", &self.replaced_at)
            .finish()
    }
}

impl ClientSecret {
    /// A fresh secret created at `now`.
    pub fn new(value: String, now: Timestamp) -> Self {
        Self {
            value,
            created_at: now,
            expires_at: now
                .saturating_add(SECRET_LIFETIME)
                .unwrap_or(Timestamp::MAX),
            replaced_at: None,
        }
    }

    /// The secret itself (control API, banner and client authentication only).
    pub fn expose(&self) -> &str {
        &self.value
    }

    /// The instant it stops working: its expiry, or the end of the grace after a rotation.
    pub fn valid_until(&self) -> Timestamp {
        match self.replaced_at {
            Some(at) => at
                .saturating_add(ROTATION_GRACE)
                .unwrap_or(Timestamp::MAX)
                .min(self.expires_at),
            None => self.expires_at,
        }
    }

    /// Whether it authenticates the client at `now`.
    pub fn is_valid_at(&self, now: Timestamp) -> bool {
        now < self.valid_until()
    }
}

/// A registered SP-API application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct App {
    /// `amzn1.sellerapps.app.<uuid>`.
    pub application_id: String,
    /// The name sellers see on the consent page and in Manage Your Apps.
    pub name: String,
    /// The developer (organisation) that registered it.
    pub developer_name: String,
    /// `amzn1.application-oa2-client.<32 hex>`.
    pub client_id: String,
    /// Every secret ever issued, oldest first; the last one is current.
    pub secrets: Vec<ClientSecret>,
    /// OAuth redirect URIs; the first is the default.
    pub redirect_uris: Vec<String>,
    /// Where Amazon sends sellers who start from the Appstore or re-authorize.
    pub login_uri: Option<String>,
    /// Draft or published.
    pub stage: AppStage,
    /// The roles the app asks for (shown on the consent page).
    pub roles: Vec<String>,
    /// When it was registered.
    pub registered_at: Timestamp,
}

impl App {
    /// The newest client secret.
    pub fn current_secret(&self) -> Option<&ClientSecret> {
        self.secrets.last()
    }

    /// Whether `secret` is one of the app's secrets that still works at `now`.
    pub fn accepts_secret(&self, secret: &str, now: Timestamp) -> bool {
        self.secrets.iter().any(|s| {
            s.is_valid_at(now)
                && crate::seller_central::session::constant_time_eq(
                    s.expose().as_bytes(),
                    secret.as_bytes(),
                )
        })
    }

    /// The redirect URI a request asks for: `requested` if registered, else the default (first).
    pub fn resolve_redirect_uri(&self, requested: Option<&str>) -> Result<String, SpApiAppError> {
        match requested.filter(|r| !r.is_empty()) {
            Some(uri) if self.redirect_uris.iter().any(|r| r == uri) => Ok(uri.to_owned()),
            Some(uri) => Err(SpApiAppError::UnregisteredRedirectUri(uri.to_owned())),
            None => self
                .redirect_uris
                .first()
                .cloned()
                .ok_or(SpApiAppError::NoRedirectUri),
        }
    }
}

/// What registering an app takes (control API, demo seeding). Missing identifiers are generated.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NewApp {
    /// App name (required).
    pub name: String,
    /// Developer name (default `sandbox developer`).
    pub developer_name: Option<String>,
    /// OAuth redirect URIs.
    pub redirect_uris: Vec<String>,
    /// Log-in URI.
    pub login_uri: Option<String>,
    /// `draft` (default) or `published`.
    pub stage: Option<AppStage>,
    /// Roles (default: Inventory and Order Tracking, Product Listing, Direct-to-Consumer Delivery).
    pub roles: Vec<String>,
    /// A given application ID instead of a generated one.
    pub application_id: Option<String>,
    /// A given client ID instead of a generated one.
    pub client_id: Option<String>,
    /// A given client secret instead of a generated one.
    pub client_secret: Option<String>,
}

/// The roles a new app asks for unless told otherwise.
pub const DEFAULT_ROLES: &[&str] = &[
    "Inventory and Order Tracking",
    "Product Listing",
    "Direct-to-Consumer Delivery",
];

/// Why an SP-API app could not be registered or changed, or which redirect URI a request asks for is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpApiAppError {
    /// A required field was empty.
    #[error("{0} must not be empty")]
    Empty(&'static str),
    /// An identifier has the wrong shape.
    #[error("{field} {problem}; expected {expected}")]
    Malformed {
        /// The field.
        field: &'static str,
        /// What is wrong.
        problem: &'static str,
        /// The expected format.
        expected: &'static str,
    },
    /// The application or client ID is taken.
    #[error("an app with this {0} exists already")]
    Duplicate(&'static str),
    /// A redirect or log-in URI is not acceptable.
    #[error(
        "{field} {uri:?} is not acceptable: {problem}; expected an absolute https:// URL without a fragment (http:// is allowed for loopback hosts)"
    )]
    BadUri {
        /// `redirect_uri` or `login_uri`.
        field: &'static str,
        /// The URI.
        uri: String,
        /// What is wrong.
        problem: &'static str,
    },
    /// No app has this application ID.
    #[error("no app has application ID {0}")]
    UnknownApp(String),
    /// The requested redirect URI is not one of the app's.
    #[error("redirect_uri {0} is not registered for this app")]
    UnregisteredRedirectUri(String),
    /// The app has no redirect URI at all.
    #[error("the app has no OAuth redirect URI; register one first")]
    NoRedirectUri,
}

/// Checks an OAuth redirect or log-in URI: absolute `https://` (or `http://` to a loopback host,
/// a sandbox allowance for local test servers), no fragment.
pub fn check_uri(field: &'static str, uri: &str) -> Result<(), SpApiAppError> {
    let bad = |problem| SpApiAppError::BadUri {
        field,
        uri: uri.to_owned(),
        problem,
    };
    let parsed = url::Url::parse(uri).map_err(|_| bad("it is not an absolute URL"))?;
    if parsed.fragment().is_some() {
        return Err(bad("it has a fragment"));
    }
    let loopback = match parsed.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => return Err(bad("it has no host")),
    };
    match parsed.scheme() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        "http" => Err(bad("plain http is only allowed for loopback hosts")),
        _ => Err(bad("its scheme is not https")),
    }
}

/// Checks a given application ID: the prefix and a UUID.
pub fn check_application_id(id: &str) -> Result<(), SpApiAppError> {
    let ok = id
        .strip_prefix(super::credentials::APPLICATION_ID_PREFIX)
        .is_some_and(|rest| uuid::Uuid::parse_str(rest).is_ok());
    if ok {
        Ok(())
    } else {
        Err(SpApiAppError::Malformed {
            field: "application_id",
            problem: "is not amzn1.sellerapps.app. followed by a UUID",
            expected: "amzn1.sellerapps.app.0a1b2c3d-0000-4000-8000-123456789abc",
        })
    }
}

/// Checks a given client ID: the prefix and 1–64 hex digits.
pub fn check_client_id(id: &str) -> Result<(), SpApiAppError> {
    let ok = id
        .strip_prefix(super::credentials::CLIENT_ID_PREFIX)
        .is_some_and(|rest| {
            (1..=64).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_hexdigit())
        });
    if ok {
        Ok(())
    } else {
        Err(SpApiAppError::Malformed {
            field: "client_id",
            problem: "is not amzn1.application-oa2-client. followed by hex digits",
            expected: "amzn1.application-oa2-client.0123456789abcdef0123456789abcdef",
        })
    }
}

/// Checks a given client secret: 16–256 printable ASCII characters without spaces.
pub fn check_client_secret(secret: &str) -> Result<(), SpApiAppError> {
    let ok = (16..=256).contains(&secret.len()) && secret.bytes().all(|b| b.is_ascii_graphic());
    if ok {
        Ok(())
    } else {
        Err(SpApiAppError::Malformed {
            field: "client_secret",
            problem: "is not 16-256 printable characters without spaces",
            expected: "amzn1.oa2-cs.v1. followed by 64 hex digits",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn secrets_expire_after_180_days_and_rotation_keeps_a_grace() {
        let mut secret = ClientSecret::new("s".repeat(20), at("2024-01-01T00:00:00Z"));
        assert_eq!(secret.expires_at, at("2024-06-29T00:00:00Z"));
        assert!(secret.is_valid_at(at("2024-06-28T23:59:59Z")));
        assert!(!secret.is_valid_at(at("2024-06-29T00:00:00Z")));
        secret.replaced_at = Some(at("2024-03-01T00:00:00Z"));
        assert!(secret.is_valid_at(at("2024-03-07T23:59:59Z")));
        assert!(!secret.is_valid_at(at("2024-03-08T00:00:00Z")));
        // The grace never extends a secret past its own expiry.
        secret.replaced_at = Some(at("2024-06-27T00:00:00Z"));
        assert_eq!(secret.valid_until(), at("2024-06-29T00:00:00Z"));
        assert!(!format!("{secret:?}").contains("sss"));
    }

    #[test]
    fn uris_must_be_https_or_loopback_http() {
        assert!(check_uri("redirect_uri", "https://3pl.example.jp/amazon/callback").is_ok());
        assert!(check_uri("redirect_uri", "http://127.0.0.1:8080/cb?x=1").is_ok());
        assert!(check_uri("redirect_uri", "http://localhost/cb").is_ok());
        assert!(check_uri("redirect_uri", "http://3pl.example.jp/cb").is_err());
        assert!(check_uri("redirect_uri", "https://3pl.example.jp/cb#x").is_err());
        assert!(check_uri("redirect_uri", "/relative").is_err());
        assert!(check_uri("login_uri", "ftp://example.jp/").is_err());
    }

    #[test]
    fn identifier_checks_name_the_field() {
        assert!(
            check_application_id("amzn1.sellerapps.app.0a1b2c3d-0000-4000-8000-123456789abc")
                .is_ok()
        );
        let err = check_application_id("app-1").unwrap_err().to_string();
        assert!(
            err.starts_with("application_id") && err.contains("expected"),
            "{err}"
        );
        assert!(check_client_id("amzn1.application-oa2-client.abc123").is_ok());
        assert!(check_client_id("amzn1.application-oa2-client.xyz").is_err());
        assert!(check_client_secret("short").is_err());
    }
}
