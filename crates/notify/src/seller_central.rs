//! The Seller Central site a merchant signs in to, and the pages the fix instructions point at.

use std::fmt;

use serde::{Deserialize, Serialize};

use sellerlink_domain::marketplace::Marketplace;

/// The Seller Central site of a marketplace: a host such as `sellercentral.amazon.co.jp` (HTTPS), or a
/// full base URL such as `http://127.0.0.1:8443` when the merchant uses the sandbox.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SellerCentralHost {
    /// `scheme://host[:port]`, without a trailing slash.
    base: String,
}

/// A Seller Central host that cannot be used in a link.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "seller_central_host: {problem}; expected a host name such as sellercentral.amazon.co.jp \
     or a base URL such as https://sellercentral.amazon.co.jp"
)]
pub struct SellerCentralHostError {
    problem: String,
}

impl SellerCentralHost {
    /// Parses a host (`sellercentral.amazon.co.jp`, optionally with `:port`) or an `http`/`https` base URL
    /// without a path.
    pub fn parse(input: &str) -> Result<Self, SellerCentralHostError> {
        let text = input.trim().trim_end_matches('/');
        if text.is_empty() {
            return Err(problem("is empty"));
        }
        let with_scheme = if text.contains("://") {
            text.to_owned()
        } else {
            format!("https://{text}")
        };
        let url = url::Url::parse(&with_scheme)
            .map_err(|e| problem(&format!("is not a valid host or URL ({e})")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(problem(&format!(
                "uses the scheme {:?}; only http and https are allowed",
                url.scheme()
            )));
        }
        let Some(host) = url.host_str() else {
            return Err(problem("has no host name"));
        };
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(problem("contains a path, query or fragment"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(problem("contains a user name or password"));
        }
        let base = match url.port() {
            Some(port) => format!("{}://{host}:{port}", url.scheme()),
            None => format!("{}://{host}", url.scheme()),
        };
        Ok(Self { base })
    }

    /// The Seller Central site of a marketplace from the marketplace table.
    pub fn of(marketplace: &Marketplace) -> Self {
        Self {
            base: format!("https://{}", marketplace.seller_central_host),
        }
    }

    /// `https://sellercentral.amazon.co.jp` (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// The sign-in page Seller Central opens on.
    pub fn home_url(&self) -> String {
        format!("{}/", self.base)
    }

    /// Settings → User Permissions, where the MWS developer permissions are listed.
    pub fn user_permissions_url(&self) -> String {
        format!("{}/gp/account-manager/home.html", self.base)
    }

    /// The MWS registration page of the guide's step ①, where access is granted to a developer.
    pub fn mws_registration_url(&self) -> String {
        format!("{}/gp/mws/registration/register.html", self.base)
    }

    /// Manage Your Apps (アプリの管理), where SP-API apps are re-authorized.
    pub fn manage_apps_url(&self) -> String {
        format!("{}/apps/manage", self.base)
    }
}

fn problem(text: &str) -> SellerCentralHostError {
    SellerCentralHostError {
        problem: text.to_owned(),
    }
}

impl TryFrom<String> for SellerCentralHost {
    type Error = SellerCentralHostError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<SellerCentralHost> for String {
    fn from(value: SellerCentralHost) -> Self {
        value.base
    }
}

impl fmt::Display for SellerCentralHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.base)
    }
}

impl fmt::Debug for SellerCentralHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SellerCentralHost({:?})", self.base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_host_means_https() {
        let host = SellerCentralHost::parse(" sellercentral.amazon.co.jp ").unwrap();
        assert_eq!(host.base_url(), "https://sellercentral.amazon.co.jp");
        assert_eq!(
            host.user_permissions_url(),
            "https://sellercentral.amazon.co.jp/gp/account-manager/home.html"
        );
        assert_eq!(
            host.manage_apps_url(),
            "https://sellercentral.amazon.co.jp/apps/manage"
        );
    }

    #[test]
    fn a_sandbox_base_url_keeps_its_scheme_and_port() {
        let host = SellerCentralHost::parse("http://127.0.0.1:8443/").unwrap();
        assert_eq!(host.base_url(), "http://127.0.0.1:8443");
        assert_eq!(
            host.mws_registration_url(),
            "http://127.0.0.1:8443/gp/mws/registration/register.html"
        );
    }

    #[test]
    fn paths_other_schemes_and_credentials_are_refused_with_the_field_named() {
        for bad in [
            "",
            "ftp://sellercentral.amazon.co.jp",
            "https://sellercentral.amazon.co.jp/gp/home",
            "https://user:pw@sellercentral.amazon.co.jp",
            "https://sellercentral.amazon.co.jp?x=1",
        ] {
            let error = SellerCentralHost::parse(bad).unwrap_err().to_string();
            assert!(error.starts_with("seller_central_host: "), "{bad}: {error}");
            assert!(error.contains("expected a host name"), "{bad}: {error}");
        }
    }

    #[test]
    fn the_marketplace_table_gives_the_japanese_site() {
        let japan = sellerlink_domain::marketplace::find("A1VC38T7YXB528").unwrap();
        assert_eq!(
            SellerCentralHost::of(japan).base_url(),
            "https://sellercentral.amazon.co.jp"
        );
    }
}
