//! The registry's counters and scrape-time gauges come out in the Prometheus text format, each family once.

use std::collections::BTreeMap;
use std::sync::Arc;

use sellerlink_metrics::{AmazonApi, Gauge, GaugeFuture, Gauges, Registry};

struct Fixed(Vec<Gauge>);

impl Gauges for Fixed {
    fn gauges(&self) -> GaugeFuture<'_> {
        let gauges = self.0.clone();
        Box::pin(async move { gauges })
    }
}

/// `name{labels}` → value, checking that every sample follows a `# TYPE` of its family and each family's
/// header appears once.
fn parse(text: &str) -> BTreeMap<String, f64> {
    let mut samples = BTreeMap::new();
    let mut typed: Vec<String> = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').unwrap();
            assert!(matches!(kind, "counter" | "gauge"), "{line}");
            assert!(!typed.contains(&name.to_owned()), "{name} typed twice");
            typed.push(name.to_owned());
            continue;
        }
        if line.starts_with("# HELP ") {
            continue;
        }
        let (series, value) = line.rsplit_once(' ').unwrap();
        let name = series.split('{').next().unwrap();
        assert_eq!(typed.last().map(String::as_str), Some(name), "{line}");
        samples.insert(series.to_owned(), value.parse().unwrap());
    }
    samples
}

#[tokio::test]
async fn counters_and_gauges_render_in_the_text_format() {
    let registry = Registry::new();
    registry.amazon_call(AmazonApi::Mws, "Orders.ListOrders");
    registry.amazon_call(AmazonApi::Mws, "Orders.ListOrders");
    registry.amazon_throttled(AmazonApi::Mws, "Orders.ListOrders");
    registry.amazon_call(AmazonApi::SpApi, "searchOrders");
    registry.import_finished("completed");
    registry.import_finished("completed");
    registry.import_finished("failed");
    registry.orders_written(42);
    registry.lease_taken_over();
    let sources: Vec<Arc<dyn Gauges>> = vec![
        Arc::new(Fixed(vec![Gauge::new(
            "sellerlink_connections",
            "Connections stored.",
            3.0,
        )])),
        Arc::new(Fixed(vec![
            Gauge::new("sellerlink_queue_depth", "Due work.", 5.0).with_label("kind", "im\"port"),
            Gauge::new("sellerlink_queue_depth", "Due work.", 1.0).with_label("kind", "stock"),
        ])),
    ];
    let text = registry.render(&sources).await;
    let samples = parse(&text);
    let expect = |series: &str, value: f64| {
        assert_eq!(samples.get(series), Some(&value), "{series} in\n{text}");
    };
    expect(
        r#"sellerlink_amazon_requests_total{api="mws",operation="Orders.ListOrders"}"#,
        2.0,
    );
    expect(
        r#"sellerlink_amazon_throttled_total{api="mws",operation="Orders.ListOrders"}"#,
        1.0,
    );
    expect(
        r#"sellerlink_amazon_requests_total{api="spapi",operation="searchOrders"}"#,
        1.0,
    );
    expect(r#"sellerlink_imports_total{outcome="completed"}"#, 2.0);
    expect(r#"sellerlink_imports_total{outcome="failed"}"#, 1.0);
    expect("sellerlink_orders_written_total", 42.0);
    expect("sellerlink_lease_takeovers_total", 1.0);
    expect("sellerlink_connections", 3.0);
    expect(r#"sellerlink_queue_depth{kind="im\"port"}"#, 5.0);
    expect(r#"sellerlink_queue_depth{kind="stock"}"#, 1.0);
    assert!(text.ends_with('\n'));
}

#[tokio::test]
async fn a_fresh_registry_still_describes_every_counter() {
    let text = Registry::new().render(&[]).await;
    for name in [
        "sellerlink_imports_total",
        "sellerlink_orders_written_total",
        "sellerlink_amazon_requests_total",
        "sellerlink_amazon_throttled_total",
        "sellerlink_lease_takeovers_total",
    ] {
        assert!(text.contains(&format!("# TYPE {name} counter\n")), "{text}");
    }
    assert_eq!(parse(&text)["sellerlink_orders_written_total"], 0.0);
}
