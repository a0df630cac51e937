//! Sign-in, sign-out, session cookies, throttling and CSRF.

use axum::http::{Method, StatusCode};
use jiff::SignedDuration;
use sellerlink_domain::connection::Language;
use sellerlink_store::Role;

use crate::support::{Options, PASSWORD, TestApp};

#[tokio::test]
async fn signing_in_sets_a_hardened_session_cookie_and_goes_home() {
    let world = TestApp::new().await;
    world.operator().await;
    let mut browser = world.browser();
    let reply = browser.sign_in("OPS@3pl.example", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.location(), "/operator");
    let session = reply
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("sl_session="))
        .expect("a session cookie");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(session.contains(flag), "{session} lacks {flag}");
    }
    assert!(
        !session.contains("Secure"),
        "plain HTTP: no Secure flag ({session})"
    );
    let value = session
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("sl_session=");
    assert!(value.len() >= 43, "a 256-bit random value");
    let page = browser.get("/operator").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("ops@3pl.example"));
}

#[tokio::test]
async fn behind_tls_the_cookies_are_secure() {
    let world = TestApp::with(Options {
        secure_cookies: true,
        ..Options::default()
    })
    .await;
    world.operator().await;
    let mut browser = world.browser();
    let reply = browser.sign_in("ops@3pl.example", PASSWORD).await;
    assert!(!reply.set_cookies().is_empty());
    for cookie in reply.set_cookies() {
        assert!(cookie.contains("; Secure"), "{cookie}");
        assert!(
            cookie.starts_with("__Host-"),
            "a Secure cookie cannot be planted by a sibling host: {cookie}"
        );
    }
    assert!(
        browser.cookies.contains_key("__Host-sl_csrf"),
        "{:?}",
        browser.cookies
    );
    let page = browser.get("/operator").await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "the __Host- session cookie is read back"
    );
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_address_get_the_same_answer() {
    let world = TestApp::new().await;
    world.operator().await;
    let mut browser = world.browser();
    let wrong = browser.sign_in("ops@3pl.example", "not the password").await;
    let unknown = browser.sign_in("nobody@3pl.example", PASSWORD).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    for reply in [&wrong, &unknown] {
        assert!(
            reply
                .body
                .contains("メールアドレスまたはパスワードが正しくありません。")
        );
        assert!(
            !reply
                .set_cookies()
                .iter()
                .any(|c| c.starts_with("sl_session="))
        );
    }
}

#[tokio::test]
async fn five_failures_throttle_the_login_until_the_window_passes() {
    let world = TestApp::new().await;
    world.operator().await;
    let mut browser = world.browser();
    for _ in 0..5 {
        let reply = browser.sign_in("ops@3pl.example", "guess").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let throttled = browser.sign_in("ops@3pl.example", PASSWORD).await;
    assert_eq!(
        throttled.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert!(
        throttled
            .body
            .contains("メールアドレスまたはパスワードが正しくありません。")
    );
    assert!(
        !throttled
            .set_cookies()
            .iter()
            .any(|c| c.starts_with("sl_session="))
    );

    world.advance(SignedDuration::from_mins(16));
    let reply = browser.sign_in("ops@3pl.example", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "the window has passed");
}

#[tokio::test]
async fn concurrent_wrong_passwords_are_checked_at_most_the_limit() {
    let world = TestApp::new().await;
    world.operator().await;
    let guesses = (0..12).map(|_| async {
        let mut browser = world.browser();
        browser.sign_in("ops@3pl.example", "guess").await.status
    });
    let statuses = futures::future::join_all(guesses).await;
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(
        (checked, refused),
        (5, 7),
        "only the limit's worth of passwords is checked: {statuses:?}"
    );
    let mut browser = world.browser();
    let after = browser.sign_in("ops@3pl.example", PASSWORD).await;
    assert_eq!(after.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn one_address_guessing_many_logins_is_throttled_but_not_a_correct_password() {
    let world = TestApp::new().await;
    world.operator().await;
    let mut browser = world.browser();
    for n in 0..20 {
        let reply = browser
            .sign_in(&format!("guess{n}@3pl.example"), "guess")
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let throttled = browser.sign_in("guess20@3pl.example", "guess").await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    let wrong = browser.sign_in("ops@3pl.example", "guess").await;
    assert_eq!(
        wrong.status,
        StatusCode::TOO_MANY_REQUESTS,
        "a wrong password from the address is still refused as throttled"
    );
    let reply = browser.sign_in("ops@3pl.example", PASSWORD).await;
    assert_eq!(
        reply.status,
        StatusCode::SEE_OTHER,
        "the address's limit never blocks the right password of an account that is not throttled itself"
    );
    let mut elsewhere = world.browser();
    elsewhere.peer = "198.51.100.7:1234".parse().unwrap();
    let reply = elsewhere.sign_in("ops@3pl.example", PASSWORD).await;
    assert_eq!(
        reply.status,
        StatusCode::SEE_OTHER,
        "another address is not affected"
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_is_counted_by_its_own_address() {
    let proxy: std::net::IpAddr = "192.0.2.10".parse().unwrap();
    let world = TestApp::with(Options {
        trusted_proxy: Some(proxy),
        ..Options::default()
    })
    .await;
    world.operator().await;
    world
        .user("clerk@3pl.example", Role::Operator, Language::Ja)
        .await;
    let mut attacker = world.browser();
    // The attacker's own forged hop is ignored: the proxy appends the address it saw, the rightmost untrusted one.
    attacker.forwarded_for = Some("198.51.100.99, 203.0.113.5".into());
    for n in 0..20 {
        let reply = attacker
            .sign_in(&format!("guess{n}@3pl.example"), "guess")
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let throttled = attacker.sign_in("clerk@3pl.example", "guess").await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);

    let mut colleague = world.browser();
    colleague.forwarded_for = Some("203.0.113.6".into());
    let wrong = colleague.sign_in("clerk@3pl.example", "typo").await;
    assert_eq!(
        wrong.status,
        StatusCode::UNAUTHORIZED,
        "another client behind the same proxy has its own count"
    );

    // Without the proxy, a client cannot choose its address by sending the header itself.
    let mut direct = world.browser();
    direct.peer = "198.51.100.7:1234".parse().unwrap();
    direct.forwarded_for = Some("203.0.113.5".into());
    let reply = direct.sign_in("clerk@3pl.example", "typo").await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    for n in 0..19 {
        direct
            .sign_in(&format!("other{n}@3pl.example"), "guess")
            .await;
    }
    let mine = direct.sign_in("other99@3pl.example", "guess").await;
    assert_eq!(
        mine.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the direct client's failures count against its own address"
    );
}

#[tokio::test]
async fn a_planted_signed_out_csrf_cookie_is_not_trusted() {
    let world = TestApp::new().await;
    world.operator().await;
    let mut browser = world.browser();
    browser
        .cookies
        .insert("sl_csrf".into(), "planted-by-a-neighbour".into());
    let reply = browser
        .post_form(
            "/login",
            &[
                ("csrf", "planted-by-a-neighbour"),
                ("email", "ops@3pl.example"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    assert!(
        !reply
            .set_cookies()
            .iter()
            .any(|c| c.starts_with("sl_session="))
    );
    // A token the server issued itself still works (the planted cookie was replaced).
    let reply = browser.sign_in("ops@3pl.example", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
}

#[tokio::test]
async fn signing_out_ends_the_session_for_good() {
    let world = TestApp::new().await;
    world.operator().await;
    let mut browser = world.browser().signed_in("ops@3pl.example").await;
    let stolen = browser.cookies.get("sl_session").cloned().unwrap();
    let reply = browser.submit("/operator", "/logout", &[]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location(), "/login");
    let after = browser.get("/operator").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert!(after.location().starts_with("/login?next="));

    let mut thief = world.browser();
    thief.cookies.insert("sl_session".into(), stolen);
    let reply = thief.get("/operator").await;
    assert_eq!(
        reply.status,
        StatusCode::SEE_OTHER,
        "the old cookie opens nothing"
    );
}

#[tokio::test]
async fn pages_ask_for_sign_in_and_return_afterwards() {
    let world = TestApp::new().await;
    world.operator().await;
    let mut browser = world.browser();
    let reply = browser.get("/orders?status=Unshipped").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        reply.location(),
        "/login?next=%2Forders%3Fstatus%3DUnshipped"
    );
    let form = browser.get(reply.location()).await;
    let csrf = crate::support::csrf_of(&form.body);
    let signed_in = browser
        .post_form(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", "ops@3pl.example"),
                ("password", PASSWORD),
                ("next", "/orders?status=Unshipped"),
            ],
        )
        .await;
    assert_eq!(signed_in.location(), "/orders?status=Unshipped");
    let mut other = world.browser();
    let form = other.get("/login").await;
    let csrf = crate::support::csrf_of(&form.body);
    let evil = other
        .post_form(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", "ops@3pl.example"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(evil.status, StatusCode::SEE_OTHER);
    assert_eq!(
        evil.location(),
        "/operator",
        "only local paths are followed"
    );
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused_and_changes_nothing() {
    let world = TestApp::new().await;
    let merchant = world.merchant("Acme").await;
    world
        .user(
            "owner@acme.example",
            Role::Merchant(merchant.id),
            Language::Ja,
        )
        .await;
    let connection = world.connection(&merchant, "A1B2C3D4E5F6G7", 300).await;
    let mut browser = world.browser().signed_in("owner@acme.example").await;
    let before = world.app.connection(connection).await.unwrap();

    let missing = browser
        .post_form(&format!("/connections/{connection}/renew"), &[])
        .await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    let wrong = browser
        .post_form(
            &format!("/connections/{connection}/renew"),
            &[("csrf", "forged")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert!(wrong.body.contains("フォームの有効期限が切れたか"));
    assert_eq!(
        world.app.connection(connection).await.unwrap().connection,
        before.connection
    );

    let language = browser
        .post_form("/language", &[("lang", "en"), ("next", "/")])
        .await;
    assert_eq!(language.status, StatusCode::FORBIDDEN);
    let user = world
        .app
        .store()
        .user_by_email(&sellerlink_store::Email::parse("owner@acme.example").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.language, Language::Ja, "nothing changed");

    let logout = browser.post_form("/logout", &[]).await;
    assert_eq!(logout.status, StatusCode::FORBIDDEN);
    assert_eq!(
        browser.get("/orders").await.status,
        StatusCode::OK,
        "still signed in"
    );
}

#[tokio::test]
async fn the_api_with_a_session_needs_the_csrf_header_to_change_anything() {
    let world = TestApp::new().await;
    world.operator().await;
    let mut browser = world.browser().signed_in("ops@3pl.example").await;
    let body = serde_json::json!({ "name": "Acme" });
    let refused = browser
        .api(Method::POST, "/api/v1/merchants", Some(body.clone()), None)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.code(), "csrf_failed");
    assert!(world.app.merchants().await.unwrap().is_empty());
    let csrf = browser.csrf().await;
    let created = browser
        .api(Method::POST, "/api/v1/merchants", Some(body), Some(&csrf))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let read = browser
        .api(Method::GET, "/api/v1/merchants", None, None)
        .await;
    assert_eq!(read.status, StatusCode::OK, "reading needs no CSRF header");
}

#[tokio::test]
async fn a_disabled_user_cannot_sign_in_and_loses_its_sessions() {
    let world = TestApp::new().await;
    let operator = world.operator().await;
    let mut browser = world.browser().signed_in("ops@3pl.example").await;
    world
        .app
        .store()
        .set_user_disabled(operator.id, true)
        .await
        .unwrap();
    assert_eq!(browser.get("/operator").await.status, StatusCode::SEE_OTHER);
    let reply = world.browser().sign_in("ops@3pl.example", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}
