//! Retries and rate limits.

use std::sync::Arc;

use axum::http::Method;
use sellerlink_domain::clock::SystemClock;
use sellerlink_domain::ids::AmazonOrderId;
use sellerlink_spapi::{ErrorKind, Operation, UsagePlan};

use crate::fake_amazon::{FakeAmazon, Scripted, fast_retries};

const ORDER: &str = "/orders/2026-01-01/orders/503-2468013-5791357";
const PARTICIPATIONS: &str = "/sellers/v1/marketplaceParticipations";

fn order_id() -> AmazonOrderId {
    AmazonOrderId::parse("503-2468013-5791357").unwrap()
}

#[tokio::test]
async fn throttled_then_ok_is_retried_with_rate_limits_on() {
    let amazon = FakeAmazon::start().await;
    let seller = amazon.add_seller("A2SLNK0EXAMPL3");
    amazon.script(
        Method::GET,
        ORDER,
        Scripted::fixture(429, "spapi_error_429_quota_exceeded.json"),
    );
    amazon.script(
        Method::GET,
        ORDER,
        Scripted::fixture(200, "orders_get_order.json"),
    );
    // Real time for the buckets: the 429 empties getOrder's bucket and the retry waits for a
    // token, which at 0.5/s × 1000 takes 2 ms.
    let client = amazon
        .client_builder()
        .clock(Arc::new(SystemClock))
        .rate_limits(true)
        .rate_scale(1000.0)
        .build()
        .unwrap();

    let order = client.get_order(&seller, &order_id(), &[]).await.unwrap();
    assert_eq!(order.order_id, order_id());
    assert_eq!(amazon.api_calls().len(), 2);
}

#[tokio::test]
async fn throttling_that_lasts_gives_up_as_throttled() {
    let amazon = FakeAmazon::start().await;
    let seller = amazon.add_seller("A2SLNK0EXAMPL3");
    for _ in 0..3 {
        amazon.script(
            Method::GET,
            ORDER,
            Scripted::fixture(429, "spapi_error_429_quota_exceeded.json")
                .header("retry-after", "0"),
        );
    }
    let client = amazon
        .client_builder()
        .retry_policy(fast_retries(2))
        .build()
        .unwrap();
    let error = client
        .get_order(&seller, &order_id(), &[])
        .await
        .unwrap_err();
    assert_eq!(
        error.kind(),
        &ErrorKind::Throttled {
            retry_after: Some(std::time::Duration::ZERO)
        }
    );
    assert_eq!(error.code(), Some("QuotaExceeded"));
    assert_eq!(
        amazon.api_calls().len(),
        3,
        "the first attempt and two retries"
    );
}

#[tokio::test]
async fn server_errors_are_retried_client_errors_are_not() {
    let amazon = FakeAmazon::start().await;
    let seller = amazon.add_seller("A2SLNK0EXAMPL3");
    let client = amazon.client();

    amazon.script(
        Method::GET,
        PARTICIPATIONS,
        Scripted::fixture(500, "spapi_error_500.json"),
    );
    amazon.script(
        Method::GET,
        PARTICIPATIONS,
        Scripted::json(503, "<html>Service Unavailable</html>"),
    );
    amazon.script(
        Method::GET,
        PARTICIPATIONS,
        Scripted::fixture(200, "sellers_marketplace_participations.json"),
    );
    assert_eq!(
        client
            .get_marketplace_participations(&seller)
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(amazon.api_calls().len(), 3);

    amazon.script(
        Method::GET,
        ORDER,
        Scripted::fixture(400, "spapi_error_400_invalid_input.json"),
    );
    let error = client
        .get_order(&seller, &order_id(), &[])
        .await
        .unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::InvalidInput);
    amazon.script(
        Method::GET,
        ORDER,
        Scripted::fixture(404, "spapi_error_404_not_found.json"),
    );
    let error = client
        .get_order(&seller, &order_id(), &[])
        .await
        .unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::NotFound);
    assert_eq!(
        amazon.api_calls().len(),
        5,
        "400 and 404 were sent once each"
    );
}

#[tokio::test]
async fn the_reported_rate_limit_replaces_the_documented_one() {
    let amazon = FakeAmazon::start().await;
    let seller = amazon.add_seller("A2SLNK0EXAMPL3");
    let client = amazon.client_builder().rate_limits(true).build().unwrap();
    let id = &seller.selling_partner_id;
    assert_eq!(
        client.rate_limit(id, Operation::GetOrder),
        Some(UsagePlan {
            rate: 0.5,
            burst: 30
        })
    );

    amazon.script(
        Method::GET,
        ORDER,
        Scripted::fixture(200, "orders_get_order.json").header("x-amzn-RateLimit-Limit", "2.0"),
    );
    client.get_order(&seller, &order_id(), &[]).await.unwrap();
    assert_eq!(
        client.rate_limit(id, Operation::GetOrder),
        Some(UsagePlan {
            rate: 2.0,
            burst: 30
        })
    );

    amazon.script(
        Method::GET,
        ORDER,
        Scripted::fixture(404, "spapi_error_404_not_found.json")
            .header("x-amzn-RateLimit-Limit", "1.5"),
    );
    client
        .get_order(&seller, &order_id(), &[])
        .await
        .unwrap_err();
    assert_eq!(
        client.rate_limit(id, Operation::GetOrder).unwrap().rate,
        1.5,
        "404 carries it too"
    );

    amazon.script(
        Method::GET,
        ORDER,
        Scripted::fixture(403, "spapi_error_403_missing_role.json")
            .header("x-amzn-RateLimit-Limit", "9"),
    );
    client
        .get_order(&seller, &order_id(), &[])
        .await
        .unwrap_err();
    assert_eq!(
        client.rate_limit(id, Operation::GetOrder).unwrap().rate,
        1.5,
        "403 does not"
    );

    assert_eq!(
        client.rate_limit(id, Operation::SearchOrders),
        Some(UsagePlan {
            rate: 0.0056,
            burst: 20
        }),
        "other operations keep their plans"
    );
    let off = amazon.client();
    assert_eq!(off.rate_limit(id, Operation::GetOrder), None);
}

#[tokio::test]
async fn the_bucket_holds_calls_until_the_clock_refills_it() {
    let amazon = FakeAmazon::start().await;
    let seller = amazon.add_seller("A2SLNK0EXAMPL3");
    let client = amazon.client_builder().rate_limits(true).build().unwrap();
    // getMarketplaceParticipations: Amazon's burst is 15, of which the client spends 14 (one is kept back as a
    // cushion for calls that arrive closer together than they were sent), then one token per 62.5 s of the
    // (manual) clock.
    for _ in 0..15 {
        amazon.script(
            Method::GET,
            PARTICIPATIONS,
            Scripted::fixture(200, "sellers_marketplace_participations.json"),
        );
    }
    for _ in 0..14 {
        client
            .get_marketplace_participations(&seller)
            .await
            .unwrap();
    }
    let mut fifteenth = tokio::spawn({
        let client = client.clone();
        let seller = seller.clone();
        async move { client.get_marketplace_participations(&seller).await }
    });
    let still_waiting =
        tokio::time::timeout(std::time::Duration::from_millis(300), &mut fifteenth).await;
    assert!(
        still_waiting.is_err(),
        "the fifteenth call must wait for a token"
    );
    assert_eq!(amazon.api_calls().len(), 14, "our burst of 14 used up");
    amazon.clock.advance(jiff::SignedDuration::from_secs(63));
    fifteenth.await.unwrap().unwrap();
    assert_eq!(amazon.api_calls().len(), 15);
}

#[tokio::test]
async fn an_unreachable_amazon_is_a_transport_error_after_retries() {
    let closed = {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap()
    };
    let base = url::Url::parse(&format!("http://{closed}/")).unwrap();
    let amazon = FakeAmazon::start().await;
    let seller = amazon.add_seller("A2SLNK0EXAMPL3");
    let lwa = sellerlink_spapi::LwaClient::builder()
        .token_endpoint(base.join("auth/o2/token").unwrap())
        .credentials(FakeAmazon::credentials(crate::fake_amazon::CLIENT_SECRET))
        .build()
        .unwrap();
    let client = amazon
        .client_builder()
        .lwa(lwa)
        .endpoint_override(base)
        .retry_policy(fast_retries(2))
        .build()
        .unwrap();
    let error = client
        .get_marketplace_participations(&seller)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::Transport);
    assert!(error.is_retryable());
    assert!(error.to_string().contains("could not reach LWA"), "{error}");
}
