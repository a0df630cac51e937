//! The stock page and the history (audit) page of a connection: tenancy (another merchant's connection is a 404,
//! an operator sees every one), filters, paging, empty states, Japanese and English, and no secret or raw JSON on
//! the history page.

use axum::http::StatusCode;
use jiff::SignedDuration;
use sellerlink_app::LifecycleCommand;
use sellerlink_domain::audit::Actor;
use sellerlink_domain::connection::Language;
use sellerlink_domain::ids::ConnectionId;
use sellerlink_store::Role;

use crate::support::{Browser, TOKEN, TestApp};

struct World {
    world: TestApp,
    merchant: String,
    connection: ConnectionId,
    /// A second connection of the same merchant, with no stock level.
    bare: ConnectionId,
    /// Another merchant's connection.
    others: ConnectionId,
}

async fn world() -> World {
    let world = TestApp::new().await;
    let acme = world.merchant("Acme").await;
    let bolt = world.merchant("Bolt").await;
    world
        .user("owner@acme.example", Role::Merchant(acme.id), Language::Ja)
        .await;
    world
        .user(
            "owner@acme-en.example",
            Role::Merchant(acme.id),
            Language::En,
        )
        .await;
    world
        .user("owner@bolt.example", Role::Merchant(bolt.id), Language::Ja)
        .await;
    world.operator().await;
    let connection = world.connection(&acme, "A1AAAAAAAAAAAA", 10).await;
    let bare = world.connection(&acme, "A1CCCCCCCCCCCC", 10).await;
    let others = world.connection(&bolt, "A1BBBBBBBBBBBB", 10).await;
    World {
        merchant: acme.id.to_string(),
        world,
        connection,
        bare,
        others,
    }
}

/// Sets `count` SKUs `SKU-001`… of the connection, plus the named ones, and moves three through Amazon's answers:
/// `TK-MUG-0001` accepted, `TK-MUG-0002` in a feed, `tk-cup-0001` refused.
async fn stock(world: &TestApp, connection: ConnectionId, count: u32) {
    let mut levels: Vec<(String, u32)> = (1..=count).map(|n| (format!("SKU-{n:03}"), n)).collect();
    levels.extend([
        ("TK-MUG-0001".to_owned(), 12),
        ("TK-MUG-0002".to_owned(), 7),
        ("tk-cup-0001".to_owned(), 3),
    ]);
    world
        .app
        .set_stock_levels(connection, &levels)
        .await
        .unwrap();
    let store = world.app.store();
    let now = world.app.now();
    store
        .stock_pushed(connection, "TK-MUG-0001", 1, 12, now)
        .await
        .unwrap();
    store
        .stock_submitted(connection, "TK-MUG-0002", 1, "50001018000", now, now)
        .await
        .unwrap();
    store
        .stock_rejected(
            connection,
            "tk-cup-0001",
            1,
            "8541: SKU tk-cup-0001 does not exist in your catalog",
            now,
        )
        .await
        .unwrap();
}

/// The `data-sku` values of the stock table, in order.
fn skus(html: &str) -> Vec<String> {
    attribute_values(html, "data-sku")
}

/// The `data-action` values of the history table, in order.
fn actions(html: &str) -> Vec<String> {
    attribute_values(html, "data-action")
}

fn attribute_values(html: &str, name: &str) -> Vec<String> {
    let marker = format!("{name}=\"");
    html.match_indices(&marker)
        .map(|(at, _)| {
            let rest = &html[at + marker.len()..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .collect()
}

async fn signed_in<'a>(world: &'a TestApp, email: &str) -> Browser<'a> {
    world.browser().signed_in(email).await
}

#[tokio::test]
async fn another_merchants_pages_are_not_found_and_an_operator_sees_every_one() {
    let w = world().await;
    stock(&w.world, w.others, 2).await;
    let mut acme = signed_in(&w.world, "owner@acme.example").await;
    for path in [
        format!("/connections/{}/stock", w.others),
        format!("/connections/{}/audit", w.others),
        format!("/connections/{}/stock", ConnectionId::new()),
        format!("/connections/{}/audit?action=renewed", ConnectionId::new()),
        "/connections/not-an-id/stock".to_owned(),
        "/connections/not-an-id/audit".to_owned(),
    ] {
        let reply = acme.get(&path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!reply.body.contains("A1BBBBBBBBBBBB"), "{path} leaks");
        assert!(!reply.body.contains("TK-MUG"), "{path} leaks");
    }
    let mut operator = signed_in(&w.world, "ops@3pl.example").await;
    for connection in [w.others, w.connection] {
        for page in ["stock", "audit"] {
            let reply = operator
                .get(&format!("/connections/{connection}/{page}"))
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{page}: {}", reply.body);
        }
    }
    let overview = operator.get("/operator").await.body;
    for connection in [w.others, w.connection] {
        for page in ["stock", "audit"] {
            assert!(
                overview.contains(&format!("href=\"/connections/{connection}/{page}\"")),
                "the operator's overview links to {page}: {overview}"
            );
        }
    }
    let theirs = operator
        .get(&format!("/connections/{}/stock", w.others))
        .await
        .body;
    assert!(
        theirs.contains("出品者ID A1BBBBBBBBBBBB（MWS）"),
        "{theirs}"
    );
    assert_eq!(skus(&theirs).len(), 5);
}

#[tokio::test]
async fn the_dashboard_card_links_to_both_pages() {
    let w = world().await;
    let mut browser = signed_in(&w.world, "owner@acme.example").await;
    let dashboard = browser
        .get(&format!("/merchants/{}", w.merchant))
        .await
        .body;
    let id = w.connection;
    assert!(
        dashboard.contains(&format!(
            "id=\"stock-{id}\" href=\"/connections/{id}/stock\">在庫</a>"
        )),
        "{dashboard}"
    );
    assert!(
        dashboard.contains(&format!(
            "id=\"audit-{id}\" href=\"/connections/{id}/audit\">履歴</a>"
        )),
        "{dashboard}"
    );
}

#[tokio::test]
async fn the_stock_page_shows_each_state_and_filters_and_pages() {
    let w = world().await;
    stock(&w.world, w.connection, 55).await;
    let mut browser = signed_in(&w.world, "owner@acme.example").await;
    let base = format!("/connections/{}/stock", w.connection);

    let first = browser.get(&base).await;
    assert_eq!(first.status, StatusCode::OK);
    let html = &first.body;
    assert!(
        html.contains("在庫 — 出品者ID A1AAAAAAAAAAAA（MWS）"),
        "{html}"
    );
    assert!(html.contains("58 件中 1〜50 件を表示"), "{html}");
    assert!(html.contains("1 / 2 ページ"));
    let listed = skus(html);
    assert_eq!(listed.len(), 50);
    assert_eq!(listed[0], "SKU-001", "by SKU");
    assert!(
        html.contains(&format!("href=\"{base}?page=2\" rel=\"next\"")),
        "{html}"
    );

    let second = browser.get(&format!("{base}?page=2")).await.body;
    assert_eq!(
        skus(&second),
        [
            "SKU-051",
            "SKU-052",
            "SKU-053",
            "SKU-054",
            "SKU-055",
            "TK-MUG-0001",
            "TK-MUG-0002",
            "tk-cup-0001"
        ]
    );
    assert!(second.contains("58 件中 51〜58 件を表示"), "{second}");
    assert!(second.contains("rel=\"prev\""));
    assert!(!second.contains("rel=\"next\""));

    // Every state in Seller Central's words, with what Amazon holds, the feed in flight and Amazon's reason.
    let accepted = browser.get(&format!("{base}?sku=TK-MUG-0001")).await.body;
    assert_eq!(skus(&accepted), ["TK-MUG-0001"]);
    assert!(accepted.contains("data-state=\"pushed\""));
    assert!(accepted.contains("Amazon に反映済み"), "{accepted}");
    assert!(accepted.contains("12（20"), "quantity and when: {accepted}");
    let sent = browser.get(&format!("{base}?sku=TK-MUG-0002")).await.body;
    assert!(sent.contains("送信済み（Amazon で処理中）"), "{sent}");
    assert!(
        sent.contains("フィード 50001018000（在庫数 7、処理結果待ち）"),
        "{sent}"
    );
    let refused = browser.get(&format!("{base}?sku=cup")).await.body;
    assert!(refused.contains("Amazon が拒否"), "{refused}");
    assert!(
        refused.contains("拒否の理由: 8541: SKU tk-cup-0001 does not exist in your catalog"),
        "{refused}"
    );
    let waiting = browser.get(&format!("{base}?sku=SKU-007")).await.body;
    assert!(waiting.contains("送信待ち"));
    assert!(waiting.contains("まだありません"), "nothing accepted yet");

    // SKU: contains (the default, ASCII letters without case) or starts with.
    let mugs = browser.get(&format!("{base}?sku=mug")).await.body;
    assert_eq!(skus(&mugs), ["TK-MUG-0001", "TK-MUG-0002"]);
    let tk = browser
        .get(&format!("{base}?sku=tk&match=prefix"))
        .await
        .body;
    assert_eq!(skus(&tk), ["TK-MUG-0001", "TK-MUG-0002", "tk-cup-0001"]);
    assert!(
        tk.contains("<option value=\"prefix\" selected>で始まる</option>"),
        "{tk}"
    );
    let none = browser
        .get(&format!("{base}?sku=MUG&match=prefix"))
        .await
        .body;
    assert!(skus(&none).is_empty());
    assert!(none.contains("id=\"no-stock-match\""), "{none}");
    assert!(none.contains("条件に一致する SKU はありません。"));

    // State, and both filters together.
    let refused_only = browser.get(&format!("{base}?state=rejected")).await.body;
    assert_eq!(skus(&refused_only), ["tk-cup-0001"]);
    let waiting_tk = browser
        .get(&format!("{base}?state=pending&sku=tk"))
        .await
        .body;
    assert!(skus(&waiting_tk).is_empty());
    let waiting_sku = browser
        .get(&format!("{base}?state=pending&sku=SKU-05&page=1"))
        .await
        .body;
    assert_eq!(skus(&waiting_sku).len(), 6);
    // The filters are kept on the next page's link.
    let paged = browser.get(&format!("{base}?state=pending")).await.body;
    assert!(
        paged.contains(&format!("href=\"{base}?state=pending&#38;page=2\"")),
        "{paged}"
    );

    // A filter that does not read names its field (422) and lists nothing.
    for (query, field) in [
        ("state=Shipped", "state:"),
        ("match=regex", "match:"),
        ("page=0", "page:"),
        ("page=3x", "page:"),
    ] {
        let reply = browser.get(&format!("{base}?{query}")).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert!(reply.body.contains("id=\"filter-error\""), "{query}");
        assert!(reply.body.contains(field), "{query}: {}", reply.body);
        assert!(skus(&reply.body).is_empty(), "{query}");
    }
}

#[tokio::test]
async fn a_connection_without_stock_says_so_in_both_languages() {
    let w = world().await;
    let path = format!("/connections/{}/stock", w.bare);
    let mut ja = signed_in(&w.world, "owner@acme.example").await;
    let page = ja.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"no-stock\""));
    assert!(
        page.body
            .contains("この接続にはまだ在庫数が設定されていません。"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("id=\"stock-table\""));
    let mut en = signed_in(&w.world, "owner@acme-en.example").await;
    let page = en.get(&path).await.body;
    assert!(page.contains("<html lang=\"en\">"));
    assert!(
        page.contains("Stock — Seller ID A1CCCCCCCCCCCC (MWS)"),
        "{page}"
    );
    assert!(
        page.contains("No quantity has been set for this connection yet."),
        "{page}"
    );
}

#[tokio::test]
async fn the_stock_page_reads_in_english() {
    let w = world().await;
    stock(&w.world, w.connection, 1).await;
    let mut en = signed_in(&w.world, "owner@acme-en.example").await;
    let html = en
        .get(&format!("/connections/{}/stock", w.connection))
        .await
        .body;
    for words in [
        "Accepted by Amazon",
        "Sent (Amazon is processing it)",
        "Feed 50001018000 (quantity 7, awaiting its result)",
        "Refused by Amazon",
        "reason: 8541: SKU tk-cup-0001",
        "Waiting to be sent",
        "1–4 of 4",
    ] {
        assert!(html.contains(words), "{words}: {html}");
    }
}

#[tokio::test]
async fn the_history_shows_who_did_what_and_what_changed() {
    let w = world().await;
    let id = w.connection;
    w.world.advance(SignedDuration::from_hours(24 * 20));
    let mut browser = signed_in(&w.world, "owner@acme.example").await;
    let dashboard = format!("/merchants/{}", w.merchant);
    let renewed = browser
        .submit(
            &dashboard,
            &format!("/connections/{id}/renew"),
            &[("on", "")],
        )
        .await;
    assert_eq!(renewed.status, StatusCode::SEE_OTHER, "{}", renewed.body);
    w.world.advance(SignedDuration::from_hours(1));
    w.world
        .app
        .apply(id, LifecycleCommand::Revoke, &Actor::cli("ops"))
        .await
        .unwrap();

    let path = format!("/connections/{id}/audit");
    let reply = browser.get(&path).await;
    assert_eq!(reply.status, StatusCode::OK);
    let html = &reply.body;
    assert!(
        html.contains("履歴 — 出品者ID A1AAAAAAAAAAAA（MWS）"),
        "{html}"
    );
    assert_eq!(
        actions(html),
        ["revoked", "renewed", "connection_created"],
        "newest first"
    );
    // Who: the signed-in user by e-mail, the command line by OS user.
    assert!(html.contains(">owner@acme.example</td>"), "{html}");
    assert!(html.contains(">コマンドライン（ops）</td>"), "{html}");
    assert!(html.contains(">コマンドライン（test）</td>"), "{html}");
    // What: Seller Central's words, and the fields that changed, before → after.
    for words in [
        "取り消し",
        "承認（更新）",
        "接続（アクセス権の付与）",
        "<dt>最終承認日</dt>",
        "<dt>有効期限</dt>",
        "<dt>取り消し日時</dt>",
        "<dt>出品者ID</dt>",
        "<dt>開発者ID</dt>",
    ] {
        assert!(html.contains(words), "{words}: {html}");
    }
    let view = w.world.app.connection(id).await.unwrap();
    let approved = view.connection.grant.last_approved_on.to_string();
    assert!(
        html.contains(&format!(
            "</span> → <span class=\"after\" title=\"変更後\">{approved}</span>"
        )),
        "the approval date after: {html}"
    );
    assert!(
        !html.contains("—</span> → <span class=\"after\" title=\"変更後\">—</span>"),
        "a field without a value on either side is not listed: {html}"
    );
    // Never the token, never raw JSON.
    assert!(!html.contains(TOKEN));
    assert!(!html.contains(&TOKEN[TOKEN.len() - 6..]), "not even masked");
    for key in [
        "granted_at",
        "last_approved_on",
        "revoked_at",
        "\"grant\"",
        "&#34;",
        "&quot;",
    ] {
        assert!(!html.contains(key), "raw JSON ({key}): {html}");
    }

    // Filter by action; by days in Japan time; both.
    let revoked = browser.get(&format!("{path}?action=revoked")).await.body;
    assert_eq!(actions(&revoked), ["revoked"]);
    assert!(revoked.contains("<option value=\"revoked\" selected>取り消し</option>"));
    let japan = jiff::tz::TimeZone::fixed(jiff::tz::offset(9));
    let created_day = view.connection.created_at.to_zoned_datetime(japan).date();
    let today = view.connection.grant.last_approved_on;
    let that_day = browser
        .get(&format!("{path}?from={created_day}&to={created_day}"))
        .await
        .body;
    assert_eq!(actions(&that_day), ["connection_created"], "{that_day}");
    let since = browser
        .get(&format!("{path}?from={today}&action=renewed"))
        .await
        .body;
    assert_eq!(actions(&since), ["renewed"]);
    let nothing = browser.get(&format!("{path}?action=restored")).await.body;
    assert!(actions(&nothing).is_empty());
    assert!(
        nothing.contains("条件に一致する履歴はありません。"),
        "{nothing}"
    );

    let backwards = format!("from={today}&to={created_day}");
    for (query, field) in [
        ("action=hacked", "action:"),
        ("action=merchant_created", "action:"),
        ("from=2026%2F01%2F01", "from:"),
        (backwards.as_str(), "to:"),
        ("page=10001", "page:"),
    ] {
        let reply = browser.get(&format!("{path}?{query}")).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert!(reply.body.contains(field), "{query}: {}", reply.body);
        assert!(actions(&reply.body).is_empty(), "{query}");
    }

    // English.
    let mut en = signed_in(&w.world, "owner@acme-en.example").await;
    let english = en.get(&path).await.body;
    for words in [
        "History — Seller ID A1AAAAAAAAAAAA (MWS)",
        ">Revoked</td>",
        ">Approved (renewed)</td>",
        "<dt>Last approved on</dt>",
        ">Command line (ops)</td>",
        "1–3 of 3",
    ] {
        assert!(english.contains(words), "{words}: {english}");
    }
}

#[tokio::test]
async fn the_history_pages_by_fifty_keeping_its_filters() {
    let w = world().await;
    for _ in 0..54 {
        w.world.advance(SignedDuration::from_mins(1));
        w.world.mark_verified(w.connection).await;
    }
    let mut browser = signed_in(&w.world, "owner@acme.example").await;
    let path = format!("/connections/{}/audit", w.connection);
    let first = browser.get(&path).await.body;
    assert_eq!(actions(&first).len(), 50);
    assert!(first.contains("55 件中 1〜50 件を表示"), "{first}");
    assert!(
        first.contains("（表示する項目はありません）"),
        "entries without snapshots"
    );
    let second = browser.get(&format!("{path}?page=2")).await.body;
    assert_eq!(
        actions(&second),
        [
            "connection_verified",
            "connection_verified",
            "connection_verified",
            "connection_verified",
            "connection_created"
        ]
    );
    let verified = browser
        .get(&format!("{path}?action=connection_verified"))
        .await
        .body;
    assert!(verified.contains("54 件中 1〜50 件を表示"), "{verified}");
    assert!(
        verified.contains(&format!(
            "href=\"{path}?action=connection_verified&#38;page=2\" rel=\"next\""
        )),
        "{verified}"
    );
}
