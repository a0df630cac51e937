//! Signature V2: the test vectors of `docs/amazon/MWS.md#test-vectors` and the server's acceptance rules.

use reqwest::StatusCode;
use sellerlink_sandbox::signing::{SignatureMethod, canonical_query, sign, string_to_sign, verify};

use crate::support::{JP, TestSandbox, first};

fn vector(
    secret: &str,
    method: &str,
    host: &str,
    path: &str,
    params: &[(&str, &str)],
) -> (String, String) {
    let canonical = canonical_query(params.iter().copied());
    let to_sign = string_to_sign(method, host, path, &canonical);
    (
        canonical,
        sign(secret, SignatureMethod::HmacSha256, &to_sign),
    )
}

#[test]
fn vector_a_rust_mws_crate() {
    let params = [
        ("AWSAccessKeyId", "3333"),
        ("Action", "GetMatchingProduct"),
        ("Version", "2011-10-01"),
        ("SignatureMethod", "HmacSHA256"),
        ("SignatureVersion", "2"),
        ("Timestamp", "2016-12-20T18:42:04Z"),
        ("MarketplaceId", "5555"),
        ("ASINList.ASIN.1", "6666"),
        ("SellerId", "1111"),
    ];
    let (canonical, signature) = vector(
        "0000",
        "POST",
        "mws.amazonservices.ca",
        "/Products/2011-10-01",
        &params,
    );
    assert_eq!(
        canonical,
        "ASINList.ASIN.1=6666&AWSAccessKeyId=3333&Action=GetMatchingProduct&MarketplaceId=5555&SellerId=1111&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2016-12-20T18%3A42%3A04Z&Version=2011-10-01"
    );
    assert_eq!(signature, "e7NJFMRLOOpRUp0IP42irtpKzq404KDbjZpKZ/OWRLI=");
    let mut with_millis = params;
    with_millis[5] = ("Timestamp", "2016-12-20T18:42:04.000Z");
    let (_, signature) = vector(
        "0000",
        "POST",
        "mws.amazonservices.ca",
        "/Products/2011-10-01",
        &with_millis,
    );
    assert_eq!(signature, "1rcgZi/Hac/b6ryKSiyEpZQnpLW6l3/nNbvrQkHizdk=");
}

#[test]
fn vector_b_product_advertising_get() {
    let params = [
        ("Service", "AWSECommerceService"),
        ("AWSAccessKeyId", "AKIAIOSFODNN7EXAMPLE"),
        ("AssociateTag", "mytag-20"),
        ("Operation", "ItemLookup"),
        ("ItemId", "0679722769"),
        ("ResponseGroup", "Images,ItemAttributes,Offers,Reviews"),
        ("Version", "2013-08-01"),
        ("Timestamp", "2014-08-18T12:00:00Z"),
    ];
    let (canonical, signature) = vector(
        "1234567890",
        "GET",
        "webservices.amazon.com",
        "/onca/xml",
        &params,
    );
    assert!(canonical.contains("ResponseGroup=Images%2CItemAttributes%2COffers%2CReviews"));
    assert_eq!(signature, "j7bZM0LXZ9eXeZruTqWm2DIvDYVUU3wxPPpp+iXxzQc=");
}

const SECRET_C: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

#[test]
fn vector_c_jp_list_orders() {
    let params = [
        ("AWSAccessKeyId", "AKIAIOSFODNN7EXAMPLE"),
        ("Action", "ListOrders"),
        ("CreatedAfter", "2020-01-01T00:00:00Z"),
        (
            "MWSAuthToken",
            "amzn.mws.01234567-89ab-cdef-0123-456789abcdef",
        ),
        ("MarketplaceId.Id.1", "A1VC38T7YXB528"),
        ("SellerId", "A1EXAMPLE12345"),
        ("SignatureMethod", "HmacSHA256"),
        ("SignatureVersion", "2"),
        ("Timestamp", "2020-01-01T12:00:00Z"),
        ("Version", "2013-09-01"),
    ];
    let (canonical, signature) = vector(
        SECRET_C,
        "POST",
        "mws.amazonservices.jp",
        "/Orders/2013-09-01",
        &params,
    );
    assert_eq!(
        canonical,
        "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Action=ListOrders&CreatedAfter=2020-01-01T00%3A00%3A00Z&MWSAuthToken=amzn.mws.01234567-89ab-cdef-0123-456789abcdef&MarketplaceId.Id.1=A1VC38T7YXB528&SellerId=A1EXAMPLE12345&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2020-01-01T12%3A00%3A00Z&Version=2013-09-01"
    );
    assert_eq!(signature, "CSaEwgISt6V0f3L90NWpCXSQJLh00bCuiEZwKFJu/Ls=");
    // The server-side check accepts it, with the host as sent or with a port added.
    for host in ["mws.amazonservices.jp", "MWS.amazonservices.JP:443"] {
        assert!(verify(
            SECRET_C,
            SignatureMethod::HmacSha256,
            "POST",
            host,
            "/Orders/2013-09-01",
            &canonical,
            &signature
        ));
    }
    assert!(!verify(
        SECRET_C,
        SignatureMethod::HmacSha256,
        "GET",
        "mws.amazonservices.jp",
        "/Orders/2013-09-01",
        &canonical,
        &signature
    ));
}

#[test]
fn vector_d_encoding_edge_cases() {
    let params = [
        ("AWSAccessKeyId", "AKIAIOSFODNN7EXAMPLE"),
        ("Action", "ListOrders"),
        ("MarketplaceId.Id.1", "A1VC38T7YXB528"),
        ("SellerId", "A1EXAMPLE12345"),
        ("SellerOrderId", "a b~c*d+e/f=g&h:注文"),
        ("SignatureMethod", "HmacSHA256"),
        ("SignatureVersion", "2"),
        ("Timestamp", "2020-01-01T12:00:00.000Z"),
        ("Version", "2013-09-01"),
    ];
    let (canonical, signature) = vector(
        SECRET_C,
        "POST",
        "mws.amazonservices.jp",
        "/Orders/2013-09-01",
        &params,
    );
    assert!(canonical.contains("SellerOrderId=a%20b~c%2Ad%2Be%2Ff%3Dg%26h%3A%E6%B3%A8%E6%96%87&"));
    assert_eq!(signature, "Ai1WtJ/aERAadwYM+/zlVVvJrSjfTvLQO41snXFBUk0=");
}

#[tokio::test]
async fn host_with_or_without_port_sha1_and_get_are_accepted() {
    let sandbox = TestSandbox::start().await;
    let token = sandbox.grant(&sandbox.seller.seller_id).await;
    let base = sandbox.call(
        "/Sellers/2011-07-01",
        "ListMarketplaceParticipations",
        &token,
    );
    let with_port = base.clone().send(&sandbox.client).await;
    assert_eq!(with_port.status, StatusCode::OK, "{}", with_port.body);
    let mut without_port = base.clone();
    without_port.sign_host = Some("127.0.0.1".into());
    assert_eq!(
        without_port.send(&sandbox.client).await.status,
        StatusCode::OK
    );
    let sha1 = base
        .clone()
        .param("SignatureMethod", "HmacSHA1")
        .get()
        .send(&sandbox.client)
        .await;
    assert_eq!(sha1.status, StatusCode::OK, "{}", sha1.body);
    assert_eq!(first(&sha1.body, "MarketplaceId").as_deref(), Some(JP));

    let mut other_host = base.clone();
    other_host.sign_host = Some("mws.amazonservices.jp".into());
    let refused = other_host.send(&sandbox.client).await;
    assert_eq!(
        (refused.status, refused.code().as_deref()),
        (StatusCode::FORBIDDEN, Some("SignatureDoesNotMatch"))
    );
    let mut wrong_secret = base.clone();
    wrong_secret.secret = "x".repeat(40);
    assert_eq!(
        wrong_secret.send(&sandbox.client).await.code().as_deref(),
        Some("SignatureDoesNotMatch")
    );
}
