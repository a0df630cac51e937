//! The webhook URL and address checks, fuzzed: any text as an endpoint URL and a secret, host literals in every
//! spelling the URL parser accepts (decimal, octal, hex, short IPv4; IPv6 with embedded IPv4), and every IPv6 form
//! that carries a non-public IPv4 address. Each must answer with its typed result (no panic, no case longer than the
//! bound), and no spelling of a loopback, private or reserved address may pass. No name is looked up: the hosts are
//! address literals. The budget per target is `SELLERLINK_FUZZ_CASES` (see docs/RELIABILITY.md).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use proptest::prelude::*;
use sellerlink_notify::webhook::address::{self, AddressRefusal};
use sellerlink_notify::{WebhookEndpoint, WebhookSecret};
use sellerlink_testkit::fuzz::{cases, run, within_bound};

/// A loopback, private, link-local, shared, benchmarking, multicast or reserved IPv4 address.
fn non_public_ipv4() -> impl Strategy<Value = Ipv4Addr> {
    let ranges: [(u32, u32); 10] = [
        (0x0000_0000, 8),  // 0.0.0.0/8
        (0x7f00_0000, 8),  // 127.0.0.0/8
        (0x0a00_0000, 8),  // 10.0.0.0/8
        (0xac10_0000, 12), // 172.16.0.0/12
        (0xc0a8_0000, 16), // 192.168.0.0/16
        (0xa9fe_0000, 16), // 169.254.0.0/16
        (0x6440_0000, 10), // 100.64.0.0/10
        (0xc612_0000, 15), // 198.18.0.0/15
        (0xe000_0000, 4),  // 224.0.0.0/4
        (0xf000_0000, 4),  // 240.0.0.0/4
    ];
    (0..ranges.len(), any::<u32>()).prop_map(move |(which, host)| {
        let (network, prefix) = ranges[which];
        Ipv4Addr::from_bits(network | (host >> prefix))
    })
}

/// An IPv6 address that carries `v4` in one of the forms the check must see through.
fn embedding(v4: Ipv4Addr, form: usize, noise: u128) -> Ipv6Addr {
    let v4_bits = u128::from(v4.to_bits());
    let bits = match form % 7 {
        0 => v4_bits,                                                   // ::a.b.c.d
        1 => 0xffff << 32 | v4_bits,                                    // ::ffff:a.b.c.d
        2 => 0xffff_0000 << 32 | v4_bits,                               // ::ffff:0:a.b.c.d
        3 => 0x0064_ff9b << 96 | v4_bits,                               // 64:ff9b::a.b.c.d
        4 => 0x2002 << 112 | v4_bits << 80 | (noise & ((1 << 80) - 1)), // 6to4
        // Teredo with the address as the server, then as the (inverted) client.
        5 => 0x2001_0000 << 96 | v4_bits << 64 | (noise & ((1 << 64) - 1)),
        _ => {
            0x2001_0000 << 96
                | (noise & (((1 << 32) - 1) << 64 | 0xffff_ffff << 32))
                | u128::from(!v4.to_bits())
        }
    };
    Ipv6Addr::from_bits(bits)
}

/// Resolves a URL whose host is an address literal (no lookup happens).
fn resolve_literal(url: &url::Url) -> Result<Vec<std::net::SocketAddr>, AddressRefusal> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("a runtime: {e}"));
    runtime.block_on(address::resolve(url, false))
}

#[test]
fn no_embedding_of_a_non_public_ipv4_address_passes() {
    let shapes = (non_public_ipv4(), 0..7usize, any::<u128>());
    run("embedded IPv4", cases(), shapes, |(v4, form, noise)| {
        let v6 = embedding(v4, form, noise);
        assert!(!address::is_public(IpAddr::V4(v4)), "{v4}");
        assert!(!address::is_public(IpAddr::V6(v6)), "{v6} carries {v4}");
        let url = url::Url::parse(&format!("https://[{v6}]/hooks"))
            .unwrap_or_else(|e| panic!("{v6}: {e}"));
        assert!(
            matches!(resolve_literal(&url), Err(AddressRefusal::NotPublic { .. })),
            "{url}"
        );
    });
}

/// Host literals in the spellings the URL parser turns into IPv4: dotted, decimal, octal, hex, short forms.
fn host_literal() -> impl Strategy<Value = String> {
    let spelled = (non_public_ipv4(), 0..5usize).prop_map(|(v4, spelling)| {
        let [a, b, c, d] = v4.octets();
        let bits = v4.to_bits();
        match spelling {
            0 => v4.to_string(),
            1 => bits.to_string(),
            2 => format!("0{a:o}.0{b:o}.0{c:o}.0{d:o}"),
            3 => format!("0x{bits:x}"),
            _ => format!("{a}.{}", bits & 0x00ff_ffff),
        }
    });
    prop_oneof![spelled, "[0-9a-fA-FxX.]{1,24}", "\\[[0-9a-fA-F:.]{2,45}\\]"]
}

#[test]
fn every_spelling_of_an_address_literal_is_judged_by_the_address() {
    run("address literals", cases(), host_literal(), |host| {
        within_bound(move || {
            let Ok(url) = url::Url::parse(&format!("https://{host}/hooks")) else {
                return;
            };
            let ip = match url.host() {
                Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip),
                Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip),
                // A name would be looked up; names are not this test's subject.
                _ => return,
            };
            let outcome = resolve_literal(&url);
            assert_eq!(outcome.is_ok(), address::is_public(ip), "{host} is {ip}");
        });
    });
}

/// Text shaped like URLs: schemes, user info, hosts, ports, paths, queries and fragments in odd combinations.
fn url_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,64}",
        "(https?|ftp|file|javascript|data)://([a-z:@]{0,8}@)?[a-z0-9.\\[\\]:%-]{0,40}(:[0-9]{0,7})?(/[ -~]{0,20})?(\\?[ -~]{0,20})?(#[ -~]{0,10})?",
        (1usize..=1 << 20).prop_map(|size| format!("https://{}.example/", "a".repeat(size))),
    ]
}

#[test]
fn endpoint_urls_and_secrets_answer_any_text_with_a_typed_result() {
    run("endpoint URLs", cases(), url_text(), |text| {
        within_bound(move || {
            let secret = WebhookSecret::parse(&text).unwrap_or_else(|_| WebhookSecret::generate());
            match WebhookEndpoint::new(&text, secret) {
                Ok(endpoint) => {
                    assert!(matches!(endpoint.url().scheme(), "http" | "https"));
                    let shown = endpoint.display_url();
                    assert!(!shown.contains('?') && !shown.contains('#'), "{shown}");
                }
                Err(error) => assert!(!error.to_string().is_empty()),
            }
        });
    });
}
