//! The demo clock control: the bar on the pages and `/api/v1/demo/clock` exist only when the web app runs with the
//! demo clock (as `sellerlink demo` starts it); they move the app's clock by whole days, and moving it signs nobody
//! out. (The demo's own test, in the CLI crate, moves the sandbox with it and sees reminders and alerts arrive.)

use std::sync::atomic::Ordering;

use axum::http::{Method, StatusCode};
use jiff::{SignedDuration, Timestamp};
use sellerlink_domain::connection::Language;
use sellerlink_store::Role;
use serde_json::json;

use crate::support::{Options, TestApp, TestClock};

const BAR_IDS: [&str; 8] = [
    "id=\"demo-clock\"",
    "id=\"demo-clock-date\"",
    "id=\"demo-advance-1\"",
    "id=\"demo-advance-7\"",
    "id=\"demo-advance-30\"",
    "id=\"demo-advance-365\"",
    "id=\"demo-advance-days\"",
    "id=\"demo-advance-submit\"",
];

async fn world(demo_clock: bool) -> TestApp {
    let world = TestApp::with(Options {
        demo_clock,
        ..Options::default()
    })
    .await;
    let merchant = world.merchant("デモ荷主").await;
    world
        .user(
            "owner@demo.example",
            Role::Merchant(merchant.id),
            Language::Ja,
        )
        .await;
    world
}

fn moves(world: &TestApp) -> usize {
    match &world.clock {
        TestClock::Demo(_, moves) => moves.load(Ordering::SeqCst),
        _ => panic!("not a demo world"),
    }
}

fn days_ahead(world: &TestApp) -> f64 {
    world
        .app
        .now()
        .duration_since(Timestamp::now())
        .as_secs_f64()
        / 86_400.0
}

#[tokio::test]
async fn without_the_demo_clock_there_is_no_bar_and_no_route() {
    let world = world(false).await;
    let mut browser = world.browser().signed_in("owner@demo.example").await;
    let page = browser.get("/orders").await;
    assert_eq!(page.status, StatusCode::OK);
    for id in BAR_IDS {
        assert!(!page.body.contains(id), "{id} shown outside the demo");
    }
    let csrf = browser.csrf().await;
    let form = browser
        .post_form("/demo/clock", &[("csrf", &csrf), ("days", "30")])
        .await;
    assert_eq!(form.status, StatusCode::NOT_FOUND, "{}", form.body);
    let read = browser
        .api(Method::GET, "/api/v1/demo/clock", None, None)
        .await;
    assert_eq!(read.status, StatusCode::NOT_FOUND);
    let moved = browser
        .api(
            Method::POST,
            "/api/v1/demo/clock",
            Some(json!({"advance_days": 30})),
            Some(&csrf),
        )
        .await;
    assert_eq!(moved.status, StatusCode::NOT_FOUND);
    let anonymous = world
        .api_anonymous(Method::GET, "/api/v1/demo/clock", None)
        .await;
    assert_eq!(anonymous.status, StatusCode::NOT_FOUND);
    assert!(days_ahead(&world).abs() < 0.01);
}

#[tokio::test]
async fn the_bar_moves_the_clock_by_days_and_keeps_the_visitor_signed_in() {
    let world = world(true).await;
    let login = world.browser().get("/login").await;
    assert!(
        !login.body.contains("id=\"demo-clock\""),
        "no bar before sign-in"
    );
    let mut browser = world.browser().signed_in("owner@demo.example").await;
    let page = browser.get("/orders").await;
    for id in BAR_IDS {
        assert!(page.body.contains(id), "{id} missing:\n{}", page.body);
    }
    assert!(page.body.contains("+365 日"), "Japanese labels");
    let csrf = browser.csrf().await;

    // A quick step, then the number field; each comes back to the page it was on.
    let quick = browser
        .post_form(
            "/demo/clock",
            &[("csrf", &csrf), ("next", "/orders?page=1"), ("days", "7")],
        )
        .await;
    assert_eq!(quick.status, StatusCode::SEE_OTHER, "{}", quick.body);
    assert_eq!(quick.location(), "/orders?page=1");
    let typed = browser
        .post_form(
            "/demo/clock",
            &[
                ("csrf", &csrf),
                ("next", "//evil.example/"),
                ("days", " 333 "),
            ],
        )
        .await;
    assert_eq!(typed.status, StatusCode::SEE_OTHER, "{}", typed.body);
    assert_eq!(typed.location(), "/");
    assert!(
        (days_ahead(&world) - 340.0).abs() < 0.01,
        "{}",
        days_ahead(&world)
    );
    assert_eq!(moves(&world), 2, "what runs after a move ran once per move");

    // 340 days later the visitor is still signed in, and the bar shows the demo's date.
    let later = browser.get("/orders").await;
    assert_eq!(later.status, StatusCode::OK, "{}", later.body);
    let shown = world
        .app
        .now()
        .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(9)));
    assert!(
        later.body.contains(&shown.strftime("%Y-%m-%d").to_string()),
        "the demo date is shown"
    );

    // Nothing but forward moves of whole days, with the field named in both languages; no CSRF, no move.
    for days in ["0", "-5", "3651", "a year"] {
        let refused = browser
            .post_form("/demo/clock", &[("csrf", &csrf), ("days", days)])
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{days}");
        assert!(refused.body.contains("days"), "{}", refused.body);
        assert!(refused.body.contains("1 から 3650"), "{}", refused.body);
    }
    let forged = browser.post_form("/demo/clock", &[("days", "30")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(moves(&world), 2);
}

#[tokio::test]
async fn the_json_api_reads_and_moves_the_demo_clock_for_signed_in_callers_only() {
    let world = world(true).await;
    let anonymous = world
        .api_anonymous(Method::GET, "/api/v1/demo/clock", None)
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let mut browser = world.browser().signed_in("owner@demo.example").await;
    let read = browser
        .api(Method::GET, "/api/v1/demo/clock", None, None)
        .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    assert_eq!(read.json()["offset_seconds"], 0);
    let csrf = browser.csrf().await;
    let moved = browser
        .api(
            Method::POST,
            "/api/v1/demo/clock",
            Some(json!({"advance_days": 365})),
            Some(&csrf),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let body = moved.json();
    assert_eq!(body["offset_seconds"], 365 * 86_400);
    let now: Timestamp = body["now"].as_str().unwrap().parse().unwrap();
    assert!((now.duration_since(world.app.now())).abs() < SignedDuration::from_secs(5));
    assert!(body["now_jst"].as_str().unwrap().ends_with("JST"));

    let refused = browser
        .api(
            Method::POST,
            "/api/v1/demo/clock",
            Some(json!({"advance_days": 0})),
            Some(&csrf),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["error"]["field"], "advance_days");
    assert!(
        refused.json()["error"]["message_ja"]
            .as_str()
            .unwrap()
            .contains("advance_days")
    );
    let without_csrf = browser
        .api(
            Method::POST,
            "/api/v1/demo/clock",
            Some(json!({"advance_days": 1})),
            None,
        )
        .await;
    assert_eq!(without_csrf.status, StatusCode::FORBIDDEN);
    assert_eq!(moves(&world), 1);
}
