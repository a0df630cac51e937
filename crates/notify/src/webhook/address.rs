//! Where a webhook may be sent. sellerlink posts webhooks from inside the 3PL's network, so a URL whose host is a
//! loopback, private, link-local or otherwise non-public address would let a merchant make the server send
//! requests into that network. The web app checks a merchant's URL when the channel is added, the CLI likewise,
//! and [`crate::WebhookSender`] checks again at every attempt (a name may start resolving elsewhere later) and
//! connects to the very address it checked. The operator may allow private addresses (local development, the
//! demo, receivers on the 3PL's own network).
//!
//! IPv6 addresses that carry an IPv4 address (IPv4-compatible, IPv4-mapped and -translated, NAT64, 6to4, Teredo)
//! are judged by the IPv4 address they lead to.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use url::{Host, Url};

/// Why a webhook URL's host cannot be posted to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressRefusal {
    /// The host name resolves to no address.
    #[error("the webhook host {host:?} does not resolve to an address")]
    Unresolvable {
        /// The host name.
        host: String,
    },
    /// The host is, or resolves to, an address that is not public.
    #[error("the webhook host resolves to {ip}, a loopback, private or link-local address")]
    NotPublic {
        /// The first such address.
        ip: IpAddr,
    },
}

impl AddressRefusal {
    /// The refusal for a person who typed the URL into `field`: what is wrong and what is expected, in English.
    pub fn explain_en(&self, field: &str) -> String {
        match self {
            Self::NotPublic { ip } => format!(
                "{field}: the webhook URL points to {ip}, a loopback, private or link-local address; use a URL \
                 that is reachable on the public internet, e.g. https://example.com/hooks/sellerlink"
            ),
            Self::Unresolvable { host } => format!(
                "{field}: the webhook host {host:?} does not resolve to an address; check the spelling, e.g. \
                 https://example.com/hooks/sellerlink"
            ),
        }
    }

    /// [`Self::explain_en`] in Japanese.
    pub fn explain_ja(&self, field: &str) -> String {
        match self {
            Self::NotPublic { ip } => format!(
                "{field}: Webhook URL の宛先 {ip} はループバック・プライベート・リンクローカルのアドレスです。\
                 インターネットから到達できる URL（例: https://example.com/hooks/sellerlink）を入力してください。"
            ),
            Self::Unresolvable { host } => format!(
                "{field}: Webhook のホスト名 {host:?} のアドレスが見つかりません。綴りを確認してください（例: \
                 https://example.com/hooks/sellerlink）。"
            ),
        }
    }
}

/// The socket addresses `url`'s host stands for, each of them public unless `allow_private`: an IP literal as it
/// is, a name as the system resolver answers now.
///
/// # Errors
///
/// [`AddressRefusal`]: a name that does not resolve, or any address that is not public.
pub async fn resolve(url: &Url, allow_private: bool) -> Result<Vec<SocketAddr>, AddressRefusal> {
    let port = url.port_or_known_default().unwrap_or(443);
    let ips: Vec<IpAddr> = match url.host() {
        None => Vec::new(),
        Some(Host::Ipv4(ip)) => vec![IpAddr::V4(ip)],
        Some(Host::Ipv6(ip)) => vec![IpAddr::V6(ip)],
        Some(Host::Domain(name)) => tokio::net::lookup_host((name, port))
            .await
            .map(|found| found.map(|socket| socket.ip()).collect())
            .unwrap_or_default(),
    };
    if ips.is_empty() {
        return Err(AddressRefusal::Unresolvable {
            host: url.host_str().unwrap_or_default().to_owned(),
        });
    }
    if !allow_private && let Some(ip) = ips.iter().find(|ip| !is_public(**ip)) {
        return Err(AddressRefusal::NotPublic { ip: *ip });
    }
    Ok(ips
        .into_iter()
        .map(|ip| SocketAddr::new(ip, port))
        .collect())
}

/// Whether an address is one anybody on the internet could reach (not this machine, not a private network).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => is_public_v4(ip),
        IpAddr::V6(ip) => match embedded_ipv4(ip) {
            Some(embedded) => embedded.iter().all(|v4| is_public_v4(*v4)),
            None => is_public_v6(ip),
        },
    }
}

/// The IPv4 addresses an IPv6 address leads to, for the forms that embed one.
fn embedded_ipv4(ip: Ipv6Addr) -> Option<Vec<Ipv4Addr>> {
    let s = ip.segments();
    let bits = ip.to_bits();
    let low32 = Ipv4Addr::from_bits(bits as u32);
    let pair = |high: u16, low: u16| Ipv4Addr::from_bits(u32::from(high) << 16 | u32::from(low));
    match s {
        // ::a.b.c.d (IPv4-compatible; also :: and ::1), ::ffff:a.b.c.d (mapped), ::ffff:0:a.b.c.d (translated)
        [0, 0, 0, 0, 0, 0 | 0xffff, _, _] | [0, 0, 0, 0, 0xffff, 0, _, _] => Some(vec![low32]),
        // 64:ff9b::a.b.c.d, the well-known NAT64 prefix
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => Some(vec![low32]),
        // 2002:AABB:CCDD::/48, 6to4
        [0x2002, high, low, ..] => Some(vec![pair(high, low)]),
        // 2001:0:SSSS:SSSS:…:CCCC:CCCC, Teredo: the server, and the client (stored inverted)
        [0x2001, 0, server_high, server_low, ..] => Some(vec![
            pair(server_high, server_low),
            Ipv4Addr::from_bits(!(bits as u32)),
        ]),
        _ => None,
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
    let s = ip.segments();
    let unique_local = s[0] & 0xfe00 == 0xfc00; // fc00::/7
    let link_local = s[0] & 0xffc0 == 0xfe80; // fe80::/10
    let site_local = s[0] & 0xffc0 == 0xfec0; // fec0::/10, deprecated but still routed inside some networks
    let documentation = s[0] == 0x2001 && s[1] == 0x0db8; // 2001:db8::/32
    let local_nat64 = s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1; // 64:ff9b:1::/48
    let discard = s[0] == 0x100 && s[1..4] == [0, 0, 0]; // 100::/64
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || unique_local
        || link_local
        || site_local
        || documentation
        || local_nat64
        || discard)
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
            "::93.184.215.14",
            "64:ff9b::8.8.8.8",
            "2002:5db8:d70e::1",
            "2001:0:5db8:d70e::a247:28f1", // Teredo: server 93.184.215.14, client 93.184.215.14
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
            "fec0::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::127.0.0.1",
            "::ffff:0:127.0.0.1",
            "64:ff9b::127.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b:1::8.8.8.8",
            "2002:7f00:1::1",
            "2002:c0a8:101::1",
            "2001:0:7f00:1::a247:28f1",    // Teredo server 127.0.0.1
            "2001:0:5db8:d70e::80ff:fffe", // Teredo client 127.0.0.1
        ] {
            assert!(!is_public(local.parse().unwrap()), "{local}");
        }
    }

    #[tokio::test]
    async fn literals_and_names_are_resolved_and_judged() {
        let url = |text: &str| Url::parse(text).unwrap();
        for refused in [
            "http://127.0.0.1:8080/hook",
            "https://[::1]/hook",
            "https://[::127.0.0.1]/hook",
            "https://[64:ff9b::7f00:1]/hook",
            "http://169.254.169.254/latest/meta-data",
            "http://localhost:9000/hook",
        ] {
            let refusal = resolve(&url(refused), false).await.unwrap_err();
            assert!(
                matches!(refusal, AddressRefusal::NotPublic { .. }),
                "{refused}: {refusal:?}"
            );
        }
        let allowed = resolve(&url("http://127.0.0.1:8080/hook"), true).await;
        assert_eq!(allowed.unwrap(), ["127.0.0.1:8080".parse().unwrap()]);
        let public = resolve(&url("https://93.184.215.14/hooks"), false).await;
        assert_eq!(public.unwrap(), ["93.184.215.14:443".parse().unwrap()]);
        let nowhere = resolve(&url("https://no-such-host.invalid/hook"), false).await;
        assert!(
            matches!(nowhere, Err(AddressRefusal::Unresolvable { .. })),
            "{nowhere:?}"
        );
    }
}
