//! The URLs of the authorization workflows: Seller Central's consent page, the way back to Amazon after the
//! log-in URI, and the check that a callback Amazon handed over really is Amazon's.

use sellerlink_domain::ids::MarketplaceId;
use sellerlink_domain::marketplace::MARKETPLACES;
use url::Url;

use super::SpApiAppSettings;

/// The path every re-authorization callback of Seller Central starts with.
const CONFIRM_PATH: &str = "/apps/authorize/confirm/";

/// `https://{seller central host}/apps/authorize/consent?application_id=…&state=…&redirect_uri=…[&version=beta]`,
/// Seller Central's host taken from the marketplace table (or the configured override, for the sandbox).
pub(crate) fn consent_url(
    settings: &SpApiAppSettings,
    marketplace: &MarketplaceId,
    state: &str,
) -> Url {
    let mut url = match &settings.consent_base_override {
        Some(base) => base.clone(),
        None => Url::parse(&format!(
            "https://{}",
            marketplace.marketplace().seller_central_host
        ))
        .expect("the marketplace table holds valid host names"),
    };
    url.set_path("/apps/authorize/consent");
    url.set_query(None);
    url.query_pairs_mut()
        .append_pair("application_id", settings.application_id.as_str())
        .append_pair("state", state)
        .append_pair("redirect_uri", settings.redirect_uri.as_str());
    if settings.draft {
        url.query_pairs_mut().append_pair("version", "beta");
    }
    url
}

/// `{amazon_callback_uri}?amazon_state=…&state=…&redirect_uri=…[&version=beta]`: where the browser goes after the
/// log-in URI, to finish a re-authorization (or an Appstore authorization) at Amazon.
pub(crate) fn back_to_amazon(
    callback: &Url,
    amazon_state: &str,
    state: &str,
    redirect_uri: &Url,
    beta: bool,
) -> Url {
    let mut url = callback.clone();
    url.query_pairs_mut()
        .append_pair("amazon_state", amazon_state)
        .append_pair("state", state)
        .append_pair("redirect_uri", redirect_uri.as_str());
    if beta {
        url.query_pairs_mut().append_pair("version", "beta");
    }
    url
}

/// True for a host of Amazon's: a Seller Central host of the marketplace table, or a storefront domain (and its
/// subdomains) such as `amazon.com` or `sellercentral.amazon.co.jp`.
fn is_amazon_host(host: &str) -> bool {
    MARKETPLACES.iter().any(|marketplace| {
        let root = marketplace.domain.trim_start_matches("www.");
        host == marketplace.seller_central_host
            || host == root
            || host
                .strip_suffix(root)
                .is_some_and(|sub| sub.ends_with('.'))
    })
}

/// The `amazon_callback_uri` of a log-in request, if sellerlink may send the browser there: an `https` URL of an
/// Amazon host (or of the configured Seller Central override) on the `/apps/authorize/confirm/…` path, without
/// credentials or a fragment. Anything else would let a crafted link collect a fresh `state`.
pub(crate) fn trusted_callback(settings: &SpApiAppSettings, text: &str) -> Option<Url> {
    let url = Url::parse(text).ok()?;
    let clean = url.username().is_empty()
        && url.password().is_none()
        && url.fragment().is_none()
        && url.path().starts_with(CONFIRM_PATH);
    if !clean {
        return None;
    }
    if let Some(base) = &settings.consent_base_override
        && base.origin() == url.origin()
    {
        return Some(url);
    }
    let amazon = url.scheme() == "https"
        && url.port().is_none()
        && url.host_str().is_some_and(is_amazon_host);
    amazon.then_some(url)
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use sellerlink_spapi::{LwaClientId, LwaClientSecret, LwaCredentials};
    use sellerlink_sync::SpApiSettings;

    use super::*;
    use crate::spapi::SpApiApplicationId;

    fn settings(override_base: Option<&str>, draft: bool) -> SpApiAppSettings {
        let credentials = LwaCredentials::new(
            LwaClientId::parse("amzn1.application-oa2-client.0123456789abcdef0123456789abcdef")
                .unwrap(),
            LwaClientSecret::parse("amzn1.oa2-cs.v1.secret").unwrap(),
        );
        SpApiAppSettings {
            application_id: SpApiApplicationId::parse(
                "amzn1.sellerapps.app.0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
            )
            .unwrap(),
            redirect_uri: "https://3pl.example.jp/amazon/callback".parse().unwrap(),
            consent_base_override: override_base.map(|b| b.parse().unwrap()),
            draft,
            api: SpApiSettings::new(credentials, date(2026, 9, 1)),
        }
    }

    #[test]
    fn the_consent_url_goes_to_the_marketplaces_seller_central() {
        let url = consent_url(&settings(None, true), &MarketplaceId::japan(), "s1");
        assert_eq!(
            url.as_str(),
            "https://sellercentral.amazon.co.jp/apps/authorize/consent?\
             application_id=amzn1.sellerapps.app.0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0&state=s1&\
             redirect_uri=https%3A%2F%2F3pl.example.jp%2Famazon%2Fcallback&version=beta"
        );
        let sandbox = consent_url(
            &settings(Some("http://127.0.0.1:8080"), false),
            &MarketplaceId::japan(),
            "s2",
        );
        assert!(
            sandbox
                .as_str()
                .starts_with("http://127.0.0.1:8080/apps/authorize/consent?application_id=")
        );
        assert!(!sandbox.as_str().contains("version"));
    }

    #[test]
    fn consent_pages_live_on_the_override_or_on_seller_centrals_hosts() {
        assert_eq!(
            settings(Some("http://127.0.0.1:8080/x"), false).consent_origins(),
            ["http://127.0.0.1:8080"]
        );
        let amazon = settings(None, false).consent_origins();
        assert!(amazon.contains(&"https://sellercentral.amazon.co.jp".to_owned()));
        assert!(
            amazon
                .iter()
                .all(|o| o.starts_with("https://sellercentral")),
            "{amazon:?}"
        );
        let mut unique = amazon.clone();
        unique.dedup();
        assert_eq!(unique, amazon, "each origin once");
    }

    #[test]
    fn only_amazons_callbacks_are_followed() {
        let amazon = settings(None, false);
        for good in [
            "https://sellercentral.amazon.co.jp/apps/authorize/confirm/amzn1.sellerapps.app.x",
            "https://amazon.com/apps/authorize/confirm/amzn1.sellerapps.app.x",
            "https://sellercentral-europe.amazon.com/apps/authorize/confirm/a",
        ] {
            assert!(trusted_callback(&amazon, good).is_some(), "{good}");
        }
        for bad in [
            "http://sellercentral.amazon.co.jp/apps/authorize/confirm/a",
            "https://sellercentral.amazon.co.jp.evil.example/apps/authorize/confirm/a",
            "https://evilamazon.com/apps/authorize/confirm/a",
            "https://user:pw@sellercentral.amazon.co.jp/apps/authorize/confirm/a",
            "https://sellercentral.amazon.co.jp/apps/manage",
            "https://sellercentral.amazon.co.jp:8443/apps/authorize/confirm/a",
            "//evil.example/apps/authorize/confirm/a",
            "not a url",
        ] {
            assert!(trusted_callback(&amazon, bad).is_none(), "{bad}");
        }
        let sandbox = settings(Some("http://127.0.0.1:8080"), false);
        assert!(
            trusted_callback(&sandbox, "http://127.0.0.1:8080/apps/authorize/confirm/a").is_some()
        );
        assert!(
            trusted_callback(&sandbox, "http://127.0.0.1:9090/apps/authorize/confirm/a").is_none()
        );
    }

    #[test]
    fn the_way_back_keeps_amazons_state_and_adds_ours() {
        let callback: Url = "https://sellercentral.amazon.co.jp/apps/authorize/confirm/a?x=1"
            .parse()
            .unwrap();
        let redirect: Url = "https://3pl.example.jp/amazon/callback".parse().unwrap();
        let url = back_to_amazon(&callback, "AMZ STATE", "ours", &redirect, true);
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(
            pairs,
            [
                ("x", "1"),
                ("amazon_state", "AMZ STATE"),
                ("state", "ours"),
                ("redirect_uri", "https://3pl.example.jp/amazon/callback"),
                ("version", "beta"),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
    }
}
