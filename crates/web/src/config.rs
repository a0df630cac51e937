//! [`WebConfig`]: everything the web app is started with.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use ipnet::IpNet;
use jiff::SignedDuration;
use sellerlink_sync::SchedulerConfig;
use url::Url;

use crate::auth::password::PasswordCost;
use crate::demo_clock::DemoClock;

/// How failed sign-ins are throttled: after `per_login` failures for one login, or `per_ip` from one address,
/// within `window`, sign-in answers 429 with the same generic message until the window has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginThrottle {
    /// The window failures are counted in.
    pub window: SignedDuration,
    /// Failures allowed per login.
    pub per_login: u64,
    /// Failures allowed per client address.
    pub per_ip: u64,
}

impl Default for LoginThrottle {
    /// 5 failures per login and 20 per address within 15 minutes.
    fn default() -> Self {
        Self {
            window: SignedDuration::from_mins(15),
            per_login: 5,
            per_ip: 20,
        }
    }
}

/// Settings of the web app. Amazon access itself (MWS endpoint and developer keys) is the app's
/// (`sellerlink_app::Settings::mws`); without it connections cannot be verified or imported. So are the
/// notification senders behind the channel pages (`App::with_notifications`): without them the channel list and
/// the notification log stay readable and every change answers 503 `notifications_not_configured`.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Where to listen. Default `127.0.0.1:8080`.
    pub bind: SocketAddr,
    /// Mark cookies `Secure` (set this when the app is reached over TLS, e.g. behind a TLS proxy).
    pub secure_cookies: bool,
    /// The cost of new argon2id password hashes.
    pub password_cost: PasswordCost,
    /// A session ends after this long unused. Default 12 hours.
    pub session_idle: SignedDuration,
    /// A session ends this long after sign-in, used or not. Default 7 days.
    pub session_max: SignedDuration,
    /// Sign-in throttling.
    pub login_throttle: LoginThrottle,
    /// Import every connection's orders in the background with these settings (needs Amazon access); `None`
    /// imports only on demand.
    pub scheduler: Option<SchedulerConfig>,
    /// Start an import in the background as soon as a new connection is verified.
    pub sync_after_connect: bool,
    /// Where merchants sign in to Seller Central, when it is not Amazon's own host for the marketplace (the
    /// sandbox's URL in the demo).
    pub seller_central_url: Option<Url>,
    /// Lets a merchant's webhook point at a loopback, private or link-local address. Off by default: the server
    /// would post into the 3PL's own network on the merchant's say-so. Turn it on for local development and the
    /// demo, or when merchants' receivers run on the 3PL's network.
    pub allow_private_webhooks: bool,
    /// The demo's clock control (`sellerlink demo` only): a bar on every page and `/api/v1/demo/clock` move it
    /// forward by days. `None` (production) shows no bar and answers 404 there. Sessions and sign-in throttling
    /// keep counting real time with it, so that moving the clock signs nobody out.
    pub demo_clock: Option<DemoClock>,
    /// The reverse proxies (addresses or networks) whose `X-Forwarded-For` names the client. A request from any
    /// other peer is attributed to the peer itself, whatever it sends. Empty (the default): no proxy is trusted.
    pub trusted_proxies: Vec<IpNet>,
}

/// One trusted proxy: an address (`10.0.0.5`, `::1`) or a network (`10.0.0.0/8`, `fd00::/8`).
pub fn parse_trusted_proxy(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| {
            format!(
                "{text:?} is not an IP address or network (expected e.g. 10.0.0.5 or 10.0.0.0/8)"
            )
        })
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 8080),
            secure_cookies: false,
            password_cost: PasswordCost::default(),
            session_idle: SignedDuration::from_hours(12),
            session_max: SignedDuration::from_hours(7 * 24),
            login_throttle: LoginThrottle::default(),
            scheduler: None,
            sync_after_connect: true,
            seller_central_url: None,
            allow_private_webhooks: false,
            demo_clock: None,
            trusted_proxies: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        assert_eq!(
            parse_trusted_proxy("10.0.0.5"),
            Ok("10.0.0.5/32".parse().unwrap())
        );
        assert_eq!(
            parse_trusted_proxy(" fd00::/8"),
            Ok("fd00::/8".parse().unwrap())
        );
        assert!(parse_trusted_proxy("proxy.local").is_err());
        assert!(parse_trusted_proxy("10.0.0.0/33").is_err());
    }
}
