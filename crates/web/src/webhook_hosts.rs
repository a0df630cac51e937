//! Where a merchant's webhook may point. sellerlink posts to a webhook from inside the 3PL's network (on every
//! reminder, and at once when someone presses "send a test"), so a URL that names a loopback, private, link-local
//! or otherwise non-public address would let a merchant make the server send requests into that network. Such
//! URLs are refused when a merchant's channel is added, unless [`crate::WebConfig::allow_private_webhooks`] is set
//! (local development, the demo, a 3PL that runs merchants' receivers on its own network).
//!
//! A host name is resolved once, when the channel is added, and refused if any of its addresses is not public.
//! A name that later starts resolving to a private address is not caught here.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

use crate::error::HttpError;

/// Refuses `address` (an already validated webhook URL) when it points at a non-public address.
pub(crate) async fn ensure_public(address: &str, field: &'static str) -> Result<(), HttpError> {
    let Ok(url) = Url::parse(address.trim()) else {
        return Ok(()); // the channel's own validation reports a URL that does not parse
    };
    let port = url.port_or_known_default().unwrap_or(443);
    let addresses: Vec<IpAddr> = match url.host() {
        None => return Ok(()),
        Some(Host::Ipv4(ip)) => vec![IpAddr::V4(ip)],
        Some(Host::Ipv6(ip)) => vec![IpAddr::V6(ip)],
        Some(Host::Domain(name)) => match tokio::net::lookup_host((name, port)).await {
            Ok(found) => found.map(|socket| socket.ip()).collect(),
            Err(_) => return Err(unresolvable(field, name)),
        },
    };
    match addresses.iter().find(|ip| !is_public(**ip)) {
        Some(ip) => Err(not_public(field, *ip)),
        None if addresses.is_empty() => Err(unresolvable(field, url.host_str().unwrap_or(""))),
        None => Ok(()),
    }
}

fn not_public(field: &'static str, ip: IpAddr) -> HttpError {
    HttpError::invalid(
        field,
        format!(
            "{field}: the webhook URL points to {ip}, a loopback, private or link-local address; use a URL that is \
             reachable on the public internet, e.g. https://example.com/hooks/sellerlink"
        ),
        format!(
            "{field}: Webhook URL の宛先 {ip} はループバック・プライベート・リンクローカルのアドレスです。インターネットから\
             到達できる URL（例: https://example.com/hooks/sellerlink）を入力してください。"
        ),
    )
}

fn unresolvable(field: &'static str, host: &str) -> HttpError {
    HttpError::invalid(
        field,
        format!(
            "{field}: the webhook host {host:?} does not resolve to an address; check the spelling, e.g. \
             https://example.com/hooks/sellerlink"
        ),
        format!(
            "{field}: Webhook のホスト名 {host:?} のアドレスが見つかりません。綴りを確認してください（例: \
             https://example.com/hooks/sellerlink）。"
        ),
    )
}

/// Whether an address is one anybody on the internet could reach (not this machine, not a private network).
fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => is_public_v4(ip),
        IpAddr::V6(ip) => match ip.to_ipv4_mapped() {
            Some(mapped) => is_public_v4(mapped),
            None => is_public_v6(ip),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    let shared = a == 100 && (64..128).contains(&b); // 100.64.0.0/10, carrier-grade NAT
    let benchmarking = a == 198 && (b == 18 || b == 19); // 198.18.0.0/15
    let reserved = a >= 240; // 240.0.0.0/4 and broadcast
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || shared
        || benchmarking
        || reserved)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    let unique_local = first & 0xfe00 == 0xfc00; // fc00::/7
    let link_local = first & 0xffc0 == 0xfe80; // fe80::/10
    let documentation = first == 0x2001 && ip.segments()[1] == 0x0db8; // 2001:db8::/32
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || unique_local
        || link_local
        || documentation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_and_non_public_addresses() {
        for public in [
            "93.184.215.14",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:93.184.215.14",
        ] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
        for local in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!is_public(local.parse().unwrap()), "{local}");
        }
    }

    #[tokio::test]
    async fn loopback_literals_and_names_are_refused_with_the_field_named() {
        for url in [
            "http://127.0.0.1:8080/hook",
            "https://[::1]/hook",
            "http://169.254.169.254/latest/meta-data",
            "http://localhost:9000/hook",
        ] {
            let error = ensure_public(url, "address").await.unwrap_err();
            assert_eq!(error.field, Some("address"), "{url}");
            assert_eq!(error.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
            assert!(
                error.message.contains("loopback, private"),
                "{url}: {}",
                error.message
            );
            assert!(error.message_ja.contains("プライベート"), "{url}");
        }
    }

    #[tokio::test]
    async fn a_public_literal_passes() {
        ensure_public("https://93.184.215.14/hooks/sellerlink", "address")
            .await
            .unwrap();
    }
}
