//! [`ClientIp`]: the address of the client a request comes from, which sign-in throttling counts failures by.
//!
//! Behind a reverse proxy every request arrives from the proxy. Only when the peer is one of the configured trusted
//! proxies (`WebConfig::trusted_proxies`) is `X-Forwarded-For` read: from the right, skipping trusted proxies, the
//! first other address is the client (each proxy appends the address it saw, so hops further left were written
//! by the client and prove nothing). Any other peer is the client itself, whatever it sends.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;

use crate::state::WebState;

/// The header proxies name the client in.
const FORWARDED_FOR: &str = "x-forwarded-for";

/// The client's address, when the server knows it (absent for in-process requests).
pub(crate) struct ClientIp(pub Option<IpAddr>);

impl FromRequestParts<WebState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &WebState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip());
        Ok(Self(peer.map(|peer| {
            client_address(peer, &parts.headers, &state.config().trusted_proxies)
        })))
    }
}

/// The rightmost address of the chain peer ← `X-Forwarded-For` that is not a trusted proxy (the leftmost one if
/// all are; the last readable one if a hop is not an address).
fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all(FORWARDED_FOR)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|line| line.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Ok(ip) = hop.parse::<IpAddr>() else {
            break;
        };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(chain: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for line in chain {
            headers.append(FORWARDED_FOR, line.parse().unwrap());
        }
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client_and_only_behind_a_trusted_proxy() {
        let trusted: Vec<IpNet> = vec![
            "10.0.0.0/8".parse().unwrap(),
            "192.0.2.1/32".parse().unwrap(),
        ];
        let chain = headers(&["198.51.100.1, 203.0.113.5", "10.1.1.1"]);
        assert_eq!(
            client_address(ip("192.0.2.1"), &chain, &trusted),
            ip("203.0.113.5")
        );
        assert_eq!(
            client_address(ip("198.51.100.7"), &chain, &trusted),
            ip("198.51.100.7"),
            "an untrusted peer's header is ignored"
        );
        assert_eq!(
            client_address(ip("192.0.2.1"), &chain, &[]),
            ip("192.0.2.1")
        );
        assert_eq!(
            client_address(ip("10.0.0.2"), &headers(&["10.0.0.3"]), &trusted),
            ip("10.0.0.3"),
            "all trusted: the leftmost"
        );
        assert_eq!(
            client_address(ip("10.0.0.2"), &headers(&["garbage, 10.0.0.9"]), &trusted),
            ip("10.0.0.9")
        );
        assert_eq!(
            client_address(ip("10.0.0.2"), &HeaderMap::new(), &trusted),
            ip("10.0.0.2")
        );
    }
}
