//! [`SpApiAppSettings`]: the operator's SP-API app as sellerlink is configured with it.

use std::fmt;

use sellerlink_domain::marketplace::MARKETPLACES;
use sellerlink_sync::SpApiSettings;
use url::Url;

use crate::AppError;

/// The app's identifier in Amazon's Developer Central / Solution Provider Portal:
/// `amzn1.sellerapps.app.` followed by a UUID (lower-case hex with dashes).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SpApiApplicationId(String);

impl SpApiApplicationId {
    const PREFIX: &'static str = "amzn1.sellerapps.app.";

    /// Parses an application ID as Developer Central shows it (surrounding whitespace is ignored).
    pub fn parse(input: &str) -> Result<Self, AppError> {
        let value = input.trim();
        let problem = |problem: &str| AppError::InvalidInput {
            field: "SP-API application ID",
            problem: format!(
                "{problem}; expected amzn1.sellerapps.app. followed by a UUID, \
                 e.g. amzn1.sellerapps.app.0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
            ),
        };
        let Some(uuid) = value.strip_prefix(Self::PREFIX) else {
            return Err(problem("does not start with amzn1.sellerapps.app."));
        };
        let groups: Vec<&str> = uuid.split('-').collect();
        let shaped = groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
            && uuid.chars().all(|c| c == '-' || c.is_ascii_hexdigit());
        if !shaped {
            return Err(problem("does not end in a UUID"));
        }
        Ok(Self(format!(
            "{}{}",
            Self::PREFIX,
            uuid.to_ascii_lowercase()
        )))
    }

    /// The identifier's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SpApiApplicationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for SpApiApplicationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SpApiApplicationId({})", self.0)
    }
}

/// How sellerlink acts as the operator's SP-API app: what "Connect with Amazon" sends sellers to, where Amazon
/// sends them back, and how the app reaches LWA and SP-API (`api`, with the client ID, the client secret and the
/// secret's own expiry date).
#[derive(Debug, Clone)]
pub struct SpApiAppSettings {
    /// The app's application ID (`application_id` of the consent URL).
    pub application_id: SpApiApplicationId,
    /// The OAuth redirect URI registered for the app, where Amazon sends the browser back with
    /// `state`, `selling_partner_id` and `spapi_oauth_code`; it is also sent with the code exchange.
    pub redirect_uri: Url,
    /// Seller Central's origin for the consent and re-authorization pages instead of the marketplace's
    /// (`https://sellercentral.amazon.co.jp` for Japan) — the sandbox's URL, e.g. `http://127.0.0.1:8080`.
    pub consent_base_override: Option<Url>,
    /// Authorize the app's Draft version (`version=beta`): for an app not published yet.
    pub draft: bool,
    /// LWA and SP-API endpoints, the app's LWA credentials and the client secret's expiry date.
    pub api: SpApiSettings,
}

impl SpApiAppSettings {
    /// The origins whose consent pages "Connect with Amazon" sends a merchant to: the configured override (the
    /// sandbox), or every Seller Central host of the marketplace table (`https://sellercentral.amazon.co.jp`, …),
    /// each once. The web app's page policy allows form submissions to exactly these.
    pub fn consent_origins(&self) -> Vec<String> {
        match &self.consent_base_override {
            Some(base) => vec![base.origin().ascii_serialization()],
            None => {
                let mut origins: Vec<String> = MARKETPLACES
                    .iter()
                    .map(|marketplace| format!("https://{}", marketplace.seller_central_host))
                    .collect();
                origins.sort_unstable();
                origins.dedup();
                origins
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn application_ids_are_checked_and_normalised() {
        let id = SpApiApplicationId::parse(
            " amzn1.sellerapps.app.0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0 ",
        )
        .unwrap();
        assert_eq!(
            id.as_str(),
            "amzn1.sellerapps.app.0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
        );
        for bad in [
            "",
            "amzn1.application-oa2-client.0123",
            "amzn1.sellerapps.app.0f1e2d3c",
            "amzn1.sellerapps.app.0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1fz",
        ] {
            let error = SpApiApplicationId::parse(bad).unwrap_err().to_string();
            assert!(error.starts_with("SP-API application ID:"), "{error}");
            assert!(error.contains("expected amzn1.sellerapps.app."), "{error}");
        }
    }
}
