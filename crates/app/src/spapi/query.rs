//! The query strings Amazon sends the browser back with, as the web layer hands them over: raw text, checked by
//! the use cases (a missing or wrong value is a refusal with a message, not a parse error of the web layer).

use std::fmt;

/// The query of the OAuth redirect URI: `state`, `selling_partner_id`, `spapi_oauth_code` (and, for hybrid MWS
/// apps, `mws_auth_token`, which sellerlink does not use). `Debug` hides the state and the code.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SpApiCallback {
    /// The `state` sellerlink issued.
    pub state: Option<String>,
    /// The seller account that authorized (its merchant token).
    pub selling_partner_id: Option<String>,
    /// The one-time LWA authorization code (valid 5 minutes).
    pub spapi_oauth_code: Option<String>,
}

impl SpApiCallback {
    /// Reads the parameters from a query string (without `?`); unknown parameters are ignored, the first of a
    /// repeated one wins.
    pub fn from_query(query: &str) -> Self {
        let mut callback = Self::default();
        for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
            let slot = match name.as_ref() {
                "state" => &mut callback.state,
                "selling_partner_id" => &mut callback.selling_partner_id,
                "spapi_oauth_code" => &mut callback.spapi_oauth_code,
                _ => continue,
            };
            slot.get_or_insert_with(|| value.into_owned());
        }
        callback
    }
}

impl fmt::Debug for SpApiCallback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SpApiCallback")
            .field("state", &self.state.as_ref().map(|_| "…"))
            .field("selling_partner_id", &self.selling_partner_id)
            .field(
                "spapi_oauth_code",
                &self.spapi_oauth_code.as_ref().map(|_| "…"),
            )
            .finish()
    }
}

/// The query of the app's log-in URI, as Amazon loads it for an Appstore authorization or a re-authorization
/// from Manage Your Apps: `amazon_callback_uri`, `amazon_state`, `selling_partner_id` and, for a Draft app,
/// `version=beta`. `Debug` hides Amazon's state.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SpApiLogin {
    /// Where the browser must go back to at Amazon.
    pub amazon_callback_uri: Option<String>,
    /// Amazon's own anti-forgery value, passed back unchanged.
    pub amazon_state: Option<String>,
    /// The seller account that is authorizing.
    pub selling_partner_id: Option<String>,
    /// `beta` while the app is a Draft.
    pub version: Option<String>,
}

impl SpApiLogin {
    /// Reads the parameters from a query string (without `?`); unknown parameters are ignored, the first of a
    /// repeated one wins.
    pub fn from_query(query: &str) -> Self {
        let mut login = Self::default();
        for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
            let slot = match name.as_ref() {
                "amazon_callback_uri" => &mut login.amazon_callback_uri,
                "amazon_state" => &mut login.amazon_state,
                "selling_partner_id" => &mut login.selling_partner_id,
                "version" => &mut login.version,
                _ => continue,
            };
            slot.get_or_insert_with(|| value.into_owned());
        }
        login
    }
}

impl fmt::Debug for SpApiLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SpApiLogin")
            .field("amazon_callback_uri", &self.amazon_callback_uri)
            .field("amazon_state", &self.amazon_state.as_ref().map(|_| "…"))
            .field("selling_partner_id", &self.selling_partner_id)
            .field("version", &self.version)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_read_and_secrets_stay_out_of_debug() {
        let callback = SpApiCallback::from_query(
            "state=abc&selling_partner_id=A2SLNK0EXAMPL3&spapi_oauth_code=ANcode123&state=second&x=1",
        );
        assert_eq!(callback.state.as_deref(), Some("abc"));
        assert_eq!(
            callback.selling_partner_id.as_deref(),
            Some("A2SLNK0EXAMPL3")
        );
        let debug = format!("{callback:?}");
        assert!(
            !debug.contains("ANcode123") && !debug.contains("abc"),
            "{debug}"
        );

        let login = SpApiLogin::from_query(
            "amazon_callback_uri=https%3A%2F%2Fsellercentral.amazon.co.jp%2Fapps%2Fauthorize%2Fconfirm%2Fa\
             &amazon_state=AMZ&selling_partner_id=A2SLNK0EXAMPL3&version=beta",
        );
        assert_eq!(
            login.amazon_callback_uri.as_deref(),
            Some("https://sellercentral.amazon.co.jp/apps/authorize/confirm/a")
        );
        assert_eq!(login.version.as_deref(), Some("beta"));
        assert!(!format!("{login:?}").contains("AMZ"));
    }
}
