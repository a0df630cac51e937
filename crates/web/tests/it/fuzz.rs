//! Form, query and JSON-body extraction, fuzzed through the real router with a signed-in operator (valid session and
//! CSRF token, so the input reaches the extractors): arbitrary query strings (invalid percent-encoding and UTF-8,
//! huge and negative numbers, unknown and repeated fields) on every listing, arbitrary form bodies on every form,
//! arbitrary JSON bodies on every API write. Each answer must be a client error or success in the house's shape —
//! never a 5xx, never a case longer than the bound. The budget per target is `SELLERLINK_FUZZ_CASES` (see
//! docs/RELIABILITY.md).

use std::net::SocketAddr;

use axum::body::Body;
use axum::http::{Method, Request, header};
use proptest::prelude::*;
use sellerlink_domain::connection::Language;
use sellerlink_store::Role;
use sellerlink_testkit::fuzz::{cases, mutated, run, within_bound};
use tokio::runtime::Handle;

use crate::support::{Reply, TestApp, csrf_of};

/// A world with a merchant, a connection with orders, and a signed-in operator's cookies and CSRF token.
struct World {
    app: &'static TestApp,
    cookies: String,
    csrf: String,
    connection: String,
    peer: SocketAddr,
}

impl World {
    async fn new() -> Self {
        // Leaked so each case can run on its own thread under the time bound.
        let app: &'static TestApp = Box::leak(Box::new(TestApp::new().await));
        let merchant = app.merchant("Acme").await;
        app.user(
            "owner@acme.example",
            Role::Merchant(merchant.id),
            Language::Ja,
        )
        .await;
        app.operator().await;
        let connection = app.connection(&merchant, "A1B2C3D4E5F6G7", 10).await;
        app.orders(connection, 3, 1).await;
        let mut browser = app.browser().signed_in("ops@3pl.example").await;
        let page = browser.get("/operator").await;
        let csrf = csrf_of(&page.body);
        let cookies = browser
            .cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ");
        Self {
            app,
            cookies,
            csrf,
            connection: connection.to_string(),
            peer: browser.peer,
        }
    }

    fn path(&self, template: &str) -> String {
        template.replace("{connection}", &self.connection)
    }

    /// Sends a request built from `method`, `uri`, `content_type` and `body` with the operator's session; `None`
    /// when the URI is not one an HTTP client could send.
    fn send(
        &self,
        handle: &Handle,
        method: Method,
        uri: String,
        content_type: &'static str,
        body: Vec<u8>,
    ) -> Option<(String, Reply)> {
        let request = Request::builder()
            .method(method)
            .uri(&uri)
            .header(header::COOKIE, &self.cookies)
            .header("x-csrf-token", &self.csrf)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .ok()?;
        let (app, peer, handle) = (self.app, self.peer, handle.clone());
        let reply = within_bound(move || handle.block_on(app.send(request, peer)));
        Some((uri, reply))
    }
}

/// The answer is not a server error, and an API error is the house's envelope.
fn assert_handled(uri: &str, reply: &Reply) {
    assert!(
        !reply.status.is_server_error(),
        "{uri}: {} {}",
        reply.status,
        reply.body
    );
    if uri.starts_with("/api/") && reply.status.is_client_error() {
        assert!(
            !reply.code().is_empty(),
            "{uri}: {} {}",
            reply.status,
            reply.body
        );
    }
}

/// Runs `body` with a fresh world on a runtime of its own.
fn with_world(body: impl FnOnce(&World, &Handle)) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("a runtime: {e}"));
    let world = runtime.block_on(World::new());
    body(&world, runtime.handle());
}

/// The listings (`/amazon/callback` is left out: without an Amazon configured it answers 503 by design).
const LISTINGS: [&str; 11] = [
    "/orders",
    "/notifications",
    "/api-keys",
    "/operator",
    "/api/v1/orders",
    "/api/v1/merchants",
    "/api/v1/connections",
    "/api/v1/notifications",
    "/api/v1/notification-channels",
    "/api/v1/connections/{connection}/sync-runs",
    "/api/v1/connections/{connection}/stock",
];

/// One query field's value: text of any kind (percent-encoded), numbers at and past the limits, broken escapes.
fn query_value() -> impl Strategy<Value = String> {
    let encoded = |text: String| url::form_urlencoded::byte_serialize(text.as_bytes()).collect();
    prop_oneof![
        any::<String>().prop_map(encoded),
        Just("368934881474191034".to_owned()),
        Just("18446744073709551616".to_owned()),
        "-?[0-9]{1,30}",
        Just(String::new()),
        Just("%FF%FE".to_owned()),
        Just("%".to_owned()),
        Just("%zz".to_owned()),
        "[a-z_]{1,12}",
        (1usize..=100_000).prop_map(|size| "9".repeat(size)),
    ]
}

fn query() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("page"),
        Just("per_page"),
        Just("status"),
        Just("q"),
        Just("from"),
        Just("to"),
        Just("connection"),
        Just("merchant"),
        Just("sort"),
        Just("spapi_oauth_code"),
        Just("selling_partner_id"),
        Just("state"),
        Just("%FF"),
    ];
    prop::collection::vec((key, query_value()), 0..6).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(key, value)| format!("{key}={value}"))
            .collect::<Vec<_>>()
            .join("&")
    })
}

#[test]
fn arbitrary_query_strings_are_answered_without_a_server_error() {
    with_world(|world, handle| {
        let shapes = (0..LISTINGS.len(), query());
        run("query strings", cases(), shapes, |(which, query)| {
            let uri = format!("{}?{query}", world.path(LISTINGS[which]));
            if let Some((uri, reply)) =
                world.send(handle, Method::GET, uri, "text/plain", Vec::new())
            {
                assert_handled(&uri, &reply);
            }
        });
    });
}

/// The forms (a connection's sync is left out: without Amazon configured it answers 503 by design; `/logout`
/// would end the session the cases use).
const FORMS: [&str; 7] = [
    "/login",
    "/language",
    "/operator/merchants",
    "/operator/users",
    "/api-keys",
    "/demo/clock",
    "/operator/notification-channels",
];

/// Valid-looking form bodies to mutate (the CSRF token is put in front of each case).
const FORM_BODIES: [&str; 4] = [
    "email=ops%403pl.example&password=wrong-password",
    "language=en&return_to=%2Forders",
    "name=Acme+2&language=ja&email=new%40acme.example&role=merchant",
    "name=key+one&scopes=read_orders&scopes=write_stock&by=1h",
];

const FORM_FRAGMENTS: [&str; 8] = ["&", "=", "%", "%FF", "%C3%28", "+", "&&=&", "csrf="];

#[test]
fn arbitrary_form_bodies_are_answered_without_a_server_error() {
    with_world(|world, handle| {
        let body = prop_oneof![
            prop::collection::vec(any::<u8>(), 0..512),
            mutated(&FORM_BODIES, &FORM_FRAGMENTS),
        ];
        run(
            "form bodies",
            cases(),
            (0..FORMS.len(), body),
            |(which, body)| {
                let mut form = format!("csrf={}&", world.csrf).into_bytes();
                form.extend(body);
                let uri = world.path(FORMS[which]);
                let sent = world.send(
                    handle,
                    Method::POST,
                    uri,
                    "application/x-www-form-urlencoded",
                    form,
                );
                if let Some((uri, reply)) = sent {
                    assert_handled(&uri, &reply);
                }
            },
        );
    });
}

const API_WRITES: [(&str, &str); 6] = [
    ("POST", "/api/v1/merchants"),
    ("POST", "/api/v1/connections"),
    ("POST", "/api/v1/api-keys"),
    ("POST", "/api/v1/notification-channels"),
    ("PUT", "/api/v1/connections/{connection}/stock"),
    ("POST", "/api/v1/demo/clock"),
];

/// Valid-looking JSON bodies to mutate.
const JSON_BODIES: [&str; 4] = [
    r#"{"name":"Acme 3","language":"ja"}"#,
    r#"{"name":"key","scopes":["read_orders"]}"#,
    r#"{"kind":"webhook","url":"https://example.com/hooks","events":["connection_expiring"]}"#,
    r#"{"items":[{"sku":"SKU-1","quantity":3}]}"#,
];

const JSON_FRAGMENTS: [&str; 8] = ["{", "}", "[", "\"", "\\u0000", "1e999999", "null", ":"];

#[test]
fn arbitrary_json_bodies_are_answered_without_a_server_error() {
    with_world(|world, handle| {
        let body = prop_oneof![
            prop::collection::vec(any::<u8>(), 0..512),
            mutated(&JSON_BODIES, &JSON_FRAGMENTS),
        ];
        run(
            "JSON bodies",
            cases(),
            (0..API_WRITES.len(), body),
            |(which, body)| {
                let (method, path) = API_WRITES[which];
                let method = Method::from_bytes(method.as_bytes()).unwrap_or(Method::POST);
                let sent = world.send(handle, method, world.path(path), "application/json", body);
                if let Some((uri, reply)) = sent {
                    assert_handled(&uri, &reply);
                }
            },
        );
    });
}
