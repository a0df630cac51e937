//! The documented request/response shapes, written as fixtures, parse and classify.

use sellerlink_domain::ids::MarketplaceId;
use sellerlink_domain::order::{FulfillmentChannel, OrderStatus};
use sellerlink_spapi::error::ErrorEnvelope;
use sellerlink_spapi::lwa::parse_token_response;
use sellerlink_spapi::model::listings::{IssueSeverity, SubmissionStatus};
use sellerlink_spapi::model::orders::GetOrderResponse;
use sellerlink_spapi::model::sellers::GetMarketplaceParticipationsResponse;
use sellerlink_spapi::{
    ErrorKind, GrantType, ListingsItemSubmissionResponse, LwaErrorKind, Operation, ResponseMeta,
    SearchOrdersPage, SpApiError,
};

use crate::fake_amazon::{fixture, start_instant};

#[test]
fn lwa_successes_parse_with_an_expiry_an_hour_ahead() {
    for (name, grant) in [
        (
            "lwa_authorization_code_success.json",
            GrantType::AuthorizationCode,
        ),
        ("lwa_refresh_success.json", GrantType::RefreshToken),
    ] {
        let parsed = parse_token_response(grant, 200, fixture(name).as_bytes(), start_instant())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            parsed.access_token.expose_secret().starts_with("Atza|"),
            "{name}"
        );
        assert_eq!(
            parsed.access_token.expires_at(),
            "2026-01-10T01:00:00Z".parse::<jiff::Timestamp>().unwrap(),
            "{name}"
        );
        assert!(parsed.refresh_token.is_some(), "{name}");
    }
}

#[test]
fn lwa_errors_classify() {
    let cases = [
        (
            "lwa_error_invalid_grant_code.json",
            GrantType::AuthorizationCode,
            400,
            LwaErrorKind::InvalidGrant,
        ),
        (
            "lwa_error_invalid_grant_refresh.json",
            GrantType::RefreshToken,
            400,
            LwaErrorKind::InvalidGrant,
        ),
        (
            "lwa_error_invalid_client.json",
            GrantType::RefreshToken,
            401,
            LwaErrorKind::InvalidClient,
        ),
        (
            "lwa_error_invalid_request.json",
            GrantType::RefreshToken,
            400,
            LwaErrorKind::InvalidRequest,
        ),
        (
            "lwa_error_unsupported_grant_type.json",
            GrantType::RefreshToken,
            400,
            LwaErrorKind::UnsupportedGrantType,
        ),
        (
            "lwa_error_unauthorized_client.json",
            GrantType::RefreshToken,
            400,
            LwaErrorKind::UnauthorizedClient,
        ),
        (
            "lwa_error_server_error.json",
            GrantType::RefreshToken,
            500,
            LwaErrorKind::Server,
        ),
        (
            "lwa_error_temporarily_unavailable.json",
            GrantType::RefreshToken,
            503,
            LwaErrorKind::TemporarilyUnavailable,
        ),
    ];
    for (name, grant, status, expected) in cases {
        let error = parse_token_response(grant, status, fixture(name).as_bytes(), start_instant())
            .expect_err(name);
        assert_eq!(error.kind(), expected, "{name}");
        assert_eq!(error.status(), Some(status), "{name}");
        assert!(error.error_description().is_some(), "{name}");
    }
    let revoked = parse_token_response(
        GrantType::RefreshToken,
        400,
        fixture("lwa_error_invalid_grant_refresh.json").as_bytes(),
        start_instant(),
    )
    .unwrap_err();
    assert!(
        revoked.to_string().contains("the seller must re-authorize"),
        "{revoked}"
    );
    let code = parse_token_response(
        GrantType::AuthorizationCode,
        400,
        fixture("lwa_error_invalid_grant_code.json").as_bytes(),
        start_instant(),
    )
    .unwrap_err();
    assert!(code.to_string().contains("codes live 5 minutes"), "{code}");
    let client = parse_token_response(
        GrantType::RefreshToken,
        401,
        fixture("lwa_error_invalid_client.json").as_bytes(),
        start_instant(),
    )
    .unwrap_err();
    assert!(client.to_string().contains("180-day rotation"), "{client}");
}

#[test]
fn spapi_error_envelopes_classify() {
    let cases = [
        (
            "spapi_error_403_revoked.json",
            403,
            ErrorKind::AuthorizationLost,
        ),
        (
            "spapi_error_403_lwa_secret_expired.json",
            403,
            ErrorKind::AppCredentialsRejected,
        ),
        (
            "spapi_error_403_token_expired.json",
            403,
            ErrorKind::TokenExpired,
        ),
        (
            "spapi_error_403_missing_token.json",
            403,
            ErrorKind::AccessDenied {
                details: "Access token is missing in the request header.".to_owned(),
            },
        ),
        (
            "spapi_error_403_missing_role.json",
            403,
            ErrorKind::AccessDenied {
                details: "Access to requested resource is denied.".to_owned(),
            },
        ),
        (
            "spapi_error_403_missing_authentication_token.json",
            403,
            ErrorKind::AccessDenied {
                details: "Access to requested resource is denied.".to_owned(),
            },
        ),
        (
            "spapi_error_429_quota_exceeded.json",
            429,
            ErrorKind::Throttled { retry_after: None },
        ),
        (
            "spapi_error_400_invalid_input.json",
            400,
            ErrorKind::InvalidInput,
        ),
        (
            "spapi_error_400_package_reference_id.json",
            400,
            ErrorKind::InvalidInput,
        ),
        ("spapi_error_404_not_found.json", 404, ErrorKind::NotFound),
        ("spapi_error_500.json", 500, ErrorKind::Server),
    ];
    for (name, status, expected) in cases {
        let body = fixture(name);
        let envelope =
            ErrorEnvelope::parse(body.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(envelope.errors.len(), 1, "{name}");
        let error = SpApiError::from_response(
            Operation::GetOrder,
            status,
            ResponseMeta {
                request_id: Some("5d7a0c3e-91b2-4f68-8e4d-a1c2b3d4e5f6".to_owned()),
                retry_after: None,
            },
            body.as_bytes(),
        );
        assert_eq!(error.kind(), &expected, "{name}");
        assert_eq!(
            error.code(),
            Some(envelope.errors[0].code.as_str()),
            "{name}"
        );
        assert_eq!(
            error.message(),
            Some(envelope.errors[0].message.as_str()),
            "{name}"
        );
        assert_eq!(
            error.request_id(),
            Some("5d7a0c3e-91b2-4f68-8e4d-a1c2b3d4e5f6"),
            "{name}"
        );
        assert_eq!(error.is_retryable(), matches!(status, 429 | 500), "{name}");
    }
    let quota = SpApiError::from_response(
        Operation::SearchOrders,
        429,
        ResponseMeta::default(),
        fixture("spapi_error_429_quota_exceeded.json").as_bytes(),
    );
    assert_eq!(quota.details(), None, "empty details are dropped");
    assert!(
        quota
            .to_string()
            .contains("QuotaExceeded — You exceeded your quota"),
        "{quota}"
    );
}

#[test]
fn participations_parse() {
    let body: GetMarketplaceParticipationsResponse =
        serde_json::from_str(&fixture("sellers_marketplace_participations.json")).unwrap();
    let japan = MarketplaceId::japan();
    assert_eq!(body.payload.len(), 2);
    let jp = &body.payload[0];
    assert!(jp.is_active_in(&japan));
    assert_eq!(jp.marketplace_id(), Some(japan.clone()));
    assert_eq!(jp.marketplace.default_currency_code, "JPY");
    assert_eq!(jp.store_name.as_deref(), Some("しずおか茶園"));
    assert!(!body.payload[1].participation.is_participating);
    assert!(!body.payload[1].is_active_in(&japan));
}

#[test]
fn a_search_orders_page_parses_and_converts() {
    let page: SearchOrdersPage =
        serde_json::from_str(&fixture("orders_search_orders_page.json")).unwrap();
    assert_eq!(page.orders.len(), 2);
    assert_eq!(
        page.next_token.as_deref(),
        Some("MzAyNi0wMS0wOVQxODozMDoxMlp8MjQ5LTEzNTc5MjQtODY0MjA5Nw==")
    );
    assert_eq!(
        page.last_updated_before,
        Some("2026-01-10T02:58:00Z".parse().unwrap())
    );
    assert_eq!(page.created_before, None);
    let orders: Vec<_> = page
        .orders
        .iter()
        .map(|o| {
            o.to_domain(&sellerlink_domain::ids::MarketplaceId::japan())
                .unwrap()
        })
        .collect();
    assert_eq!(orders[0].status, OrderStatus::Unshipped);
    assert_eq!(orders[0].order_total.as_ref().unwrap().amount, "3960");
    assert_eq!(
        orders[0].items[0].item_price.as_ref().unwrap().amount,
        "3960"
    );
    assert_eq!(
        orders[0].latest_ship_date,
        Some("2026-01-11T14:59:59Z".parse().unwrap())
    );
    assert_eq!(orders[1].status, OrderStatus::PartiallyShipped);
    assert_eq!(orders[1].fulfillment_channel, Some(FulfillmentChannel::Mfn));
    assert_eq!(
        orders[1]
            .items
            .iter()
            .map(|i| i.quantity_shipped)
            .collect::<Vec<_>>(),
        [1, 0]
    );
    assert_eq!(orders[1].ship_service_level.as_deref(), Some("NEXT_DAY"));
}

#[test]
fn get_order_parses_with_items_and_address() {
    let body: GetOrderResponse = serde_json::from_str(&fixture("orders_get_order.json")).unwrap();
    let order = body
        .order
        .to_domain(&sellerlink_domain::ids::MarketplaceId::japan())
        .unwrap();
    assert_eq!(order.amazon_order_id.as_str(), "503-2468013-5791357");
    assert_eq!(order.buyer_name.as_deref(), Some("山田 花子"));
    assert_eq!(
        order.payment_method,
        Some(sellerlink_domain::order::PaymentMethod::CashOnDelivery)
    );
    assert_eq!(order.order_total.as_ref().unwrap().amount, "4510");
    let address = order.shipping_address.as_ref().unwrap();
    assert_eq!(address.state_or_region.as_deref(), Some("東京都"));
    assert_eq!(address.postal_code.as_deref(), Some("150-0041"));
    assert_eq!(
        address.address_line3, None,
        "an empty third line is dropped"
    );
    let item = &order.items[0];
    assert_eq!(item.seller_sku.as_deref(), Some("TEA-SENCHA-100G"));
    assert_eq!(item.item_price.as_ref().unwrap().amount, "3960");
    assert_eq!(item.shipping_price.as_ref().unwrap().amount, "550");
    assert_eq!(item.shipping_price.as_ref().unwrap().currency, "JPY");
}

#[test]
fn listings_submissions_parse() {
    let accepted: ListingsItemSubmissionResponse =
        serde_json::from_str(&fixture("listings_patch_accepted.json")).unwrap();
    assert_eq!(accepted.status, SubmissionStatus::Accepted);
    assert!(accepted.is_accepted());
    let invalid: ListingsItemSubmissionResponse =
        serde_json::from_str(&fixture("listings_patch_invalid.json")).unwrap();
    assert_eq!(invalid.status, SubmissionStatus::Invalid);
    assert!(!invalid.is_accepted());
    assert_eq!(invalid.issues[0].severity, IssueSeverity::Error);
    assert_eq!(
        invalid.issues[0].attribute_names,
        ["fulfillment_availability"]
    );
}
