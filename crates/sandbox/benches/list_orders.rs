//! The sandbox's own cost per 100-order ListOrders page.
//!
//! Run with `cargo bench -p sellerlink-sandbox --bench list_orders`. Measures, on a generated world
//! of 10 sellers × 10,000 orders: world generation, selecting one page (filter + ordering of the
//! seller's 10,000 orders), building the page's XML, and a whole signed ListOrders request over
//! loopback HTTP (client signing, transport, server checks, throttling, page, XML, response).

use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, Method};
use jiff::Timestamp;
use sellerlink_sandbox::SandboxConfig;
use sellerlink_sandbox::bench_internals::{
    Call, OrderQuery, Params, Section, TimeField, build_world, orders_page,
};
use sellerlink_sandbox::signing::{SignatureMethod, canonical_query, encode, sign, string_to_sign};
use sellerlink_testkit::SandboxControl;

struct Stats {
    name: &'static str,
    samples: Vec<Duration>,
}

impl Stats {
    fn row(&self) -> String {
        let mut sorted = self.samples.clone();
        sorted.sort();
        let n = sorted.len();
        let mean = sorted.iter().sum::<Duration>() / n as u32;
        let pick = |q: f64| sorted[((n as f64 - 1.0) * q).round() as usize];
        format!(
            "| {:<44} | {:>6} | {:>10.1} | {:>10.1} | {:>10.1} |",
            self.name,
            n,
            mean.as_secs_f64() * 1e6,
            pick(0.5).as_secs_f64() * 1e6,
            pick(0.95).as_secs_f64() * 1e6
        )
    }
}

fn measure(name: &'static str, iterations: usize, mut f: impl FnMut()) -> Stats {
    for _ in 0..iterations.min(20) {
        f();
    }
    let samples = (0..iterations)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed()
        })
        .collect();
    Stats { name, samples }
}

fn main() {
    let start: Timestamp = "2024-03-01T00:00:00Z".parse().unwrap();
    let config = SandboxConfig {
        sellers: 10,
        orders_per_seller: 10_000,
        clock_start: Some(start),
        throttle_scale: 1e9,
        ..SandboxConfig::default()
    };
    let mut rows = Vec::new();

    let generation = measure("generate 10 sellers x 10,000 orders", 5, || {
        std::hint::black_box(build_world(&config));
    });
    rows.push(generation);

    let world = build_world(&config);
    let seller = world.sellers()[0].clone();
    let now = world.now();
    let query = OrderQuery {
        field: TimeField::Created,
        after_ms: (start - jiff::SignedDuration::from_hours(24 * 31)).as_millisecond(),
        before_ms: now.as_millisecond() - 120_000,
        marketplaces: vec!["A1VC38T7YXB528".into()],
        statuses: Vec::new(),
        channels: Vec::new(),
        payment_methods: Vec::new(),
        buyer_email: None,
        seller_order_id: None,
        page_size: 100,
    };
    let book = world.orders().seller(&seller.seller_id).unwrap();
    rows.push(measure("select a 100-order page of 10,000", 500, || {
        let page = query.page(book, None, now.as_millisecond());
        assert_eq!(page.orders.len(), 100);
        std::hint::black_box(page);
    }));

    let params = Params::default();
    let headers = HeaderMap::new();
    let body = Bytes::new();
    let call = Call {
        section: Section::Orders,
        operation: "ListOrders",
        params: &params,
        seller: seller.clone(),
        developer_id: "525964794073".into(),
        now,
        method: &Method::POST,
        headers: &headers,
        body: &body,
        request_id: "00000000-0000-4000-8000-000000000000",
    };
    let mut size = 0;
    rows.push(measure(
        "select + render XML of a 100-order page",
        500,
        || {
            let reply = orders_page(&world, &call, &query, None);
            size = reply.body.len();
            std::hint::black_box(reply);
        },
    ));

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let e2e = runtime.block_on(async {
        let running = sellerlink_sandbox::start(SandboxConfig {
            cert_dir: dir.path().into(),
            ..config.clone()
        })
        .await
        .unwrap();
        let developer = running.demo_developer();
        let seller = running.demo_seller();
        let token = SandboxControl::new(running.http_url())
            .grant(&seller.seller_id, &developer.developer_id)
            .await
            .mws_auth_token;
        let client = reqwest::Client::new();
        let host = running.http_addr().to_string();
        let url = format!("{}/Orders/2013-09-01", running.http_url());
        let mut samples = Vec::new();
        for i in 0..320 {
            let now = running.now();
            let params = [
                ("AWSAccessKeyId", developer.access_key_id.as_str()),
                ("Action", "ListOrders"),
                ("CreatedAfter", "2024-01-30T00:00:00Z"),
                ("MWSAuthToken", token.as_str()),
                ("MarketplaceId.Id.1", "A1VC38T7YXB528"),
                ("SellerId", seller.seller_id.as_str()),
                ("SignatureMethod", "HmacSHA256"),
                ("SignatureVersion", "2"),
                ("Timestamp", &now.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()),
                ("Version", "2013-09-01"),
            ];
            let started = Instant::now();
            let canonical = canonical_query(params.iter().copied());
            let signature = sign(
                &developer.secret_key,
                SignatureMethod::HmacSha256,
                &string_to_sign("POST", &host, "/Orders/2013-09-01", &canonical),
            );
            let response = client
                .post(&url)
                .header(
                    "Content-Type",
                    "application/x-www-form-urlencoded; charset=utf-8",
                )
                .body(format!("{canonical}&Signature={}", encode(&signature)))
                .send()
                .await
                .unwrap();
            assert!(response.status().is_success(), "{}", response.status());
            let text = response.text().await.unwrap();
            assert!(text.contains("<NextToken>"));
            if i >= 20 {
                samples.push(started.elapsed());
            }
        }
        running.shutdown().await;
        Stats {
            name: "signed ListOrders over loopback HTTP (e2e)",
            samples,
        }
    });
    rows.push(e2e);

    println!(
        "\nsellerlink-sandbox: cost per 100-order ListOrders page (10 sellers x 10,000 orders; times in µs)\n"
    );
    println!(
        "| {:<44} | {:>6} | {:>10} | {:>10} | {:>10} |",
        "measurement", "n", "mean", "p50", "p95"
    );
    println!(
        "|{}|{}|{}|{}|{}|",
        "-".repeat(46),
        "-".repeat(8),
        "-".repeat(12),
        "-".repeat(12),
        "-".repeat(12)
    );
    for row in &rows {
        println!("{}", row.row());
    }
    println!("\nOne page of XML is {size} bytes.");
}
