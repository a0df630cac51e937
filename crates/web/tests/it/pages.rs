//! The pages: Japanese by default and English on request (remembered), masked credentials, the dashboard's
//! countdown and guidance, the operator's urgency order, orders with filters and pages, security headers.

use axum::http::StatusCode;
use jiff::SignedDuration;
use sellerlink_domain::connection::Language;
use sellerlink_store::{Email, Role};

use crate::support::{TOKEN, TestApp};

#[tokio::test]
async fn pages_are_japanese_by_default_and_english_once_chosen() {
    let world = TestApp::new().await;
    let merchant = world.merchant("Acme").await;
    world
        .user(
            "owner@acme.example",
            Role::Merchant(merchant.id),
            Language::Ja,
        )
        .await;
    let connection = world.connection(&merchant, "A1B2C3D4E5F6G7", 340).await;
    world.mark_verified(connection).await;

    let mut anonymous = world.browser();
    let login = anonymous.get("/login").await;
    assert!(login.body.contains("<html lang=\"ja\">"));
    assert!(
        login
            .body
            .contains("<label for=\"email\">メールアドレス</label>")
    );
    let switched = anonymous
        .submit("/login", "/language", &[("lang", "en"), ("next", "/login")])
        .await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    assert_eq!(switched.location(), "/login");
    let english = anonymous.get("/login").await;
    assert!(
        english.body.contains("<html lang=\"en\">"),
        "the cookie remembers the choice"
    );
    assert!(
        english
            .body
            .contains("<label for=\"email\">E-mail address</label>")
    );

    let mut browser = world.browser().signed_in("owner@acme.example").await;
    let home = format!("/merchants/{}", merchant.id);
    let ja = browser.get(&home).await;
    assert!(ja.body.contains("<html lang=\"ja\">"));
    assert!(ja.body.contains("有効期限まであと"));
    assert!(ja.body.contains("承認を記録"));
    let reply = browser
        .submit(&home, "/language", &[("lang", "en"), ("next", &home)])
        .await;
    assert_eq!(reply.location(), home);
    let en = browser.get(&home).await;
    assert!(en.body.contains("<html lang=\"en\">"));
    assert!(en.body.contains("Access expires in"));
    assert!(en.body.contains("Record the approval"));
    let user = world
        .app
        .store()
        .user_by_email(&Email::parse("owner@acme.example").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.language, Language::En, "remembered on the user");
    let mut later = world.browser().signed_in("owner@acme.example").await;
    assert!(
        later.get(&home).await.body.contains("<html lang=\"en\">"),
        "and in the next session"
    );
}

#[tokio::test]
async fn credentials_are_only_ever_shown_masked() {
    let world = TestApp::new().await;
    let merchant = world.merchant("Acme").await;
    world
        .user(
            "owner@acme.example",
            Role::Merchant(merchant.id),
            Language::Ja,
        )
        .await;
    world.operator().await;
    let connection = world.connection(&merchant, "A1B2C3D4E5F6G7", 10).await;
    let tail = &TOKEN[TOKEN.len() - 12..];
    let mut browser = world.browser().signed_in("owner@acme.example").await;
    let page = browser.get(&format!("/merchants/{}", merchant.id)).await;
    assert!(
        page.body
            .contains(&format!("id=\"credential-{connection}\">amzn.mws.…c0ffee<")),
        "{}",
        page.body
    );
    let mut operator = world.browser().signed_in("ops@3pl.example").await;
    for (reply, what) in [
        (page, "dashboard"),
        (operator.get("/operator").await, "operator"),
        (
            operator
                .api(axum::http::Method::GET, "/api/v1/connections", None, None)
                .await,
            "API",
        ),
    ] {
        assert!(
            !reply.body.contains(tail),
            "{what} shows more than the masked tail"
        );
        assert!(!reply.body.contains(TOKEN), "{what} shows the token");
    }
}

#[tokio::test]
async fn the_dashboard_counts_down_and_says_what_to_do() {
    let world = TestApp::new().await;
    let merchant = world.merchant("Acme").await;
    world
        .user(
            "owner@acme.example",
            Role::Merchant(merchant.id),
            Language::Ja,
        )
        .await;
    let expiring = world.connection(&merchant, "A1EXPIRING0001", 345).await;
    world.mark_verified(expiring).await;
    let expired = world.connection(&merchant, "A1EXPIRED00001", 400).await;
    let mut browser = world.browser().signed_in("owner@acme.example").await;
    let home = format!("/merchants/{}", merchant.id);
    let page = browser.get(&home).await.body;
    assert!(
        page.contains(&format!("id=\"status-{expiring}\">まもなく期限切れ")),
        "{page}"
    );
    assert!(page.contains(&format!("id=\"countdown-{expiring}\">有効期限まであと")));
    assert!(page.contains("アクセス権を承認"));
    assert!(page.contains("開発者ID 5259-6479-4073 の行で「アクセス権を承認」をクリックします"));
    assert!(page.contains(&format!("id=\"status-{expired}\">期限切れ")));
    assert!(page.contains("日経過）"), "{page}");
    assert!(page.contains("「アクセス権の復元」をクリックします"));

    let renewed = browser
        .submit(&home, &format!("/connections/{expired}/restore"), &[])
        .await;
    assert_eq!(renewed.status, StatusCode::SEE_OTHER);
    assert_eq!(renewed.location(), format!("{home}?notice=restored"));
    let after = browser.get(renewed.location()).await.body;
    assert!(after.contains("復元を記録しました"));
    let view = world.app.connection(expired).await.unwrap();
    assert!(view.days_until_expiry.unwrap() >= 364);

    world.advance(SignedDuration::from_hours(1));
    let verify = browser
        .submit(&home, &format!("/connections/{expiring}/verify"), &[])
        .await;
    assert_eq!(
        verify.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "no Amazon access configured"
    );
    assert!(verify.body.contains("Amazon への接続設定がありません"));
}

#[tokio::test]
async fn the_operator_sees_the_most_urgent_first_with_counts_and_sync_health() {
    let world = TestApp::new().await;
    world.operator().await;
    let acme = world.merchant("Acme").await;
    let bolt = world.merchant("Bolt").await;
    let healthy = world.connection(&acme, "A1HEALTHY00001", 10).await;
    world.mark_verified(healthy).await;
    let soon = world.connection(&acme, "A1SOON00000001", 350).await;
    world.mark_verified(soon).await;
    let sooner = world.connection(&bolt, "A1SOONER000001", 360).await;
    world.mark_verified(sooner).await;
    world.connection(&bolt, "A1EXPIRED00001", 380).await;
    let denied = world.connection(&acme, "A1DENIED000001", 20).await;
    world.mark_denied(denied).await;

    let mut browser = world.browser().signed_in("ops@3pl.example").await;
    let page = browser.get("/operator").await.body;
    let order: Vec<usize> = [
        "A1DENIED000001",
        "A1EXPIRED00001",
        "A1SOONER000001",
        "A1SOON00000001",
        "A1HEALTHY00001",
    ]
    .iter()
    .map(|seller| {
        page.find(seller)
            .unwrap_or_else(|| panic!("{seller} listed"))
    })
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "most urgent first: {order:?}"
    );
    assert!(page.contains("id=\"count-access_denied\"><span class=\"n\">1</span>"));
    assert!(page.contains("id=\"count-expiring_soon\"><span class=\"n\">2</span>"));
    assert!(page.contains("id=\"count-active\"><span class=\"n\">1</span>"));
    assert!(
        page.contains("要対応"),
        "merchants with problems need attention"
    );

    let added = browser
        .submit(
            "/operator",
            "/operator/merchants",
            &[("name", "Cargo"), ("language", "en")],
        )
        .await;
    assert_eq!(added.location(), "/operator?notice=merchant_added");
    let cargo = world.app.find_merchant("Cargo").await.unwrap();
    let user = browser
        .submit(
            "/operator",
            "/operator/users",
            &[
                ("merchant_id", &cargo.id.to_string()),
                ("email", "boss@cargo.example"),
                ("password", "a long enough password"),
                ("language", "en"),
            ],
        )
        .await;
    assert_eq!(user.location(), "/operator?notice=user_added");
    let mut boss = world.browser();
    let signed_in = boss
        .sign_in("boss@cargo.example", "a long enough password")
        .await;
    assert_eq!(signed_in.location(), format!("/merchants/{}", cargo.id));
    let short = browser
        .submit(
            "/operator",
            "/operator/users",
            &[
                ("merchant_id", &cargo.id.to_string()),
                ("email", "x@cargo.example"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn orders_are_filtered_paged_and_shown_with_items() {
    let world = TestApp::new().await;
    let merchant = world.merchant("Acme").await;
    world
        .user(
            "owner@acme.example",
            Role::Merchant(merchant.id),
            Language::En,
        )
        .await;
    let connection = world.connection(&merchant, "A1B2C3D4E5F6G7", 10).await;
    world.orders(connection, 120, 1).await;
    let mut browser = world.browser().signed_in("owner@acme.example").await;

    let first = browser.get("/orders").await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains("Orders 1–50 of 120"), "{}", first.body);
    assert!(first.body.contains("id=\"next-page\""));
    assert!(!first.body.contains("id=\"prev-page\""));
    let last = browser.get("/orders?page=3").await;
    assert!(last.body.contains("Orders 101–120 of 120"));
    assert!(last.body.contains("Page 3 of 3"));
    let mfn = browser.get("/orders?status=Unshipped&channel=MFN").await;
    assert!(mfn.body.contains("Orders 1–40 of 40"), "{}", mfn.body);
    let unshipped = browser.get("/orders?status=Unshipped").await;
    assert!(
        unshipped.body.contains("Orders 1–50 of 60"),
        "{}",
        unshipped.body
    );
    assert!(unshipped.body.contains("page=2"), "pages keep the filters");
    assert!(unshipped.body.contains("status=Unshipped"));
    let none = browser.get("/orders?marketplace_id=ATVPDKIKX0DER").await;
    assert!(none.body.contains("No matching orders."));
    let bad = browser.get("/orders?from=31-12-2026").await;
    assert!(bad.body.contains("31-12-2026") && bad.body.contains("cannot be read; use YYYY-MM-DD"));

    let today = world
        .app
        .now()
        .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(9)))
        .date();
    let dated = browser
        .get(&format!("/orders?from={today}&to={today}"))
        .await;
    assert_eq!(dated.status, StatusCode::OK);

    let detail = browser
        .get(&format!(
            "/connections/{connection}/orders/503-0000000-0000001"
        ))
        .await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(detail.body.contains("SKU-1"));
    assert!(detail.body.contains("テスト商品 1"));
    assert!(detail.body.contains("〒150-0001 東京都 渋谷区"));
}

#[tokio::test]
async fn every_page_carries_the_security_headers() {
    let world = TestApp::new().await;
    world.operator().await;
    let mut browser = world.browser().signed_in("ops@3pl.example").await;
    for path in [
        "/login",
        "/operator",
        "/orders",
        "/api/v1/merchants",
        "/nope",
    ] {
        let reply = browser.get(path).await;
        let csp = reply.header("content-security-policy");
        assert!(csp.contains("script-src 'sha256-"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(reply.header("x-frame-options"), "DENY", "{path}");
        assert_eq!(reply.header("referrer-policy"), "no-referrer", "{path}");
        assert_eq!(reply.header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(reply.header("cache-control"), "no-store", "{path}");
    }
    let css = browser.get("/static/app.css").await;
    assert!(css.header("cache-control").starts_with("public"));
    let missing = browser.get("/nope").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("見つかりません"));
}

#[tokio::test]
async fn unknown_static_paths_are_the_normal_not_found_page() {
    let world = TestApp::new().await;
    world.operator().await;
    let mut anonymous = world.browser();
    let mut signed_in = world.browser().signed_in("ops@3pl.example").await;
    for path in [
        "/static/nope.css",
        "/static/",
        "/static/app.css/x",
        "/static/a/b.js",
    ] {
        for browser in [&mut anonymous, &mut signed_in] {
            let reply = browser.get(path).await;
            assert_eq!(
                reply.status,
                StatusCode::NOT_FOUND,
                "{path}: {}",
                reply.body
            );
            assert!(
                reply.body.contains("見つかりません"),
                "{path}: {}",
                reply.body
            );
        }
    }
}

#[tokio::test]
async fn a_long_unreadable_date_is_not_echoed_in_full() {
    let world = TestApp::new().await;
    world.operator().await;
    let mut browser = world.browser().signed_in("ops@3pl.example").await;
    let reply = browser
        .get(&format!("/orders?from={}", "9".repeat(10_000)))
        .await;
    assert!(
        reply.body.contains(&format!("{}…", "9".repeat(64))),
        "{}",
        reply.status
    );
    assert!(
        !reply.body.contains(&format!("「{}", "9".repeat(65))),
        "the message shows only the start (the form keeps what was typed)"
    );
}

#[tokio::test]
async fn the_operator_sees_orders_amazon_sent_that_could_not_be_read() {
    let world = TestApp::new().await;
    world.operator().await;
    let acme = world.merchant("Acme").await;
    let connection = world.connection(&acme, "A1ODDORDER0001", 10).await;
    let mut browser = world.browser().signed_in("ops@3pl.example").await;
    assert!(
        browser
            .get("/operator")
            .await
            .body
            .contains("id=\"quarantine-empty\"")
    );

    let odd = sellerlink_store::UnreadableOrder {
        order_key: "S01-1234567".to_owned(),
        reason: "orderId: <b>not</b> 3-7-7 digits".to_owned(),
        raw: "{\"orderId\":\"S01-1234567\"}".to_owned(),
        relist_from: world.app.now(),
    };
    world
        .app
        .store()
        .import_orders(connection, &[], &[odd], world.app.now(), None, None)
        .await
        .unwrap();
    let page = browser.get("/operator").await.body;
    let table = &page[page.find("id=\"quarantine-table\"").expect("listed")..];
    assert!(table.contains("A1ODDORDER0001") && table.contains("S01-1234567"));
    assert!(
        table.contains("orderId: &#60;b&#62;not&#60;/b&#62; 3-7-7 digits")
            || table.contains("orderId: &lt;b&gt;not&lt;/b&gt; 3-7-7 digits"),
        "the reason is shown, escaped"
    );
    assert!(page.contains("取り込めない注文"));
}

#[tokio::test]
async fn the_operators_forms_refuse_a_bad_language_a_taken_name_and_text_that_is_not_utf8() {
    let world = TestApp::new().await;
    let acme = world.merchant("Acme").await;
    world.operator().await;
    let mut browser = world.browser().signed_in("ops@3pl.example").await;

    let french = browser
        .submit(
            "/operator",
            "/operator/merchants",
            &[("name", "Cargo"), ("language", "fr")],
        )
        .await;
    assert_eq!(
        french.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        french.body
    );
    assert!(french.body.contains("language:"), "{}", french.body);
    assert!(
        world.app.find_merchant("Cargo").await.is_err(),
        "nothing stored"
    );

    let taken = browser
        .submit("/operator", "/operator/merchants", &[("name", "Acme")])
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT, "{}", taken.body);
    assert!(
        taken
            .body
            .contains("id=\"notice\" role=\"status\">荷主「Acme」はすでに登録されています"),
        "a merchant, not a seller, is taken: {}",
        taken.body
    );

    let csrf = browser.csrf().await;
    let mut body = format!("csrf={csrf}&language=en&name=Car").into_bytes();
    body.extend_from_slice(b"%FFgo");
    let garbled = browser.post_raw_form("/operator/merchants", body).await;
    assert_eq!(
        garbled.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        garbled.body
    );
    assert!(garbled.body.contains("UTF-8"), "{}", garbled.body);
    let mut raw = format!("csrf={csrf}&language=en&name=Car").into_bytes();
    raw.extend_from_slice(b"\xC3go");
    let raw = browser.post_raw_form("/operator/merchants", raw).await;
    assert_eq!(raw.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", raw.body);
    assert!(
        world.app.merchants().await.unwrap().len() == 1,
        "only Acme is registered"
    );

    let user = browser
        .submit(
            "/operator",
            "/operator/users",
            &[
                ("merchant_id", &acme.id.to_string()),
                ("email", "boss@acme.example"),
                ("password", "a long enough password"),
                ("language", "xx"),
            ],
        )
        .await;
    assert_eq!(
        user.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        user.body
    );
    assert!(user.body.contains("language:"), "{}", user.body);
    let boss = Email::parse("boss@acme.example").unwrap();
    assert!(
        world
            .app
            .store()
            .user_by_email(&boss)
            .await
            .unwrap()
            .is_none(),
        "no user stored"
    );
}
