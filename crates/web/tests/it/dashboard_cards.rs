//! The merchant dashboard in each connection state and the operator overview, as insta snapshots in Japanese and
//! English (a fixed clock; the random ids replaced by stable names), plus what the cards promise: one primary
//! action with its Seller Central page, no countdown while access is lost, a stable order, the connect card
//! collapsed once connected, a real empty state on the API keys page, and no repository paths on merchants' pages.

use jiff::{SignedDuration, Timestamp};
use sellerlink_app::{LifecycleCommand, NewSpApiConnection};
use sellerlink_domain::audit::Actor;
use sellerlink_domain::connection::{Language, Merchant};
use sellerlink_domain::ids::{ConnectionId, LwaRefreshToken, MarketplaceId, SellingPartnerId};
use sellerlink_store::Role;

use crate::support::{Browser, TestApp, TestClock};

/// The fixed instant every snapshot is taken at: 2026-12-06 10:00 JST.
const NOW: &str = "2026-12-06T01:00:00Z";

/// A world on the fixed clock.
async fn world() -> TestApp {
    let world = TestApp::new().await;
    match &world.clock {
        TestClock::Manual(clock) => clock.set(NOW.parse::<Timestamp>().unwrap()),
        _ => panic!("the snapshots need the manual clock"),
    }
    world
}

/// One merchant per state, each with its Japanese and English user; the names of the random ids.
struct Scene {
    world: TestApp,
    merchants: Vec<(&'static str, Merchant)>,
    names: Vec<(String, String)>,
}

/// The connection states a dashboard card can be in.
const STATES: [&str; 6] = [
    "healthy",
    "expiring",
    "expired",
    "access_lost",
    "revoked",
    "spapi_reauthorize",
];

impl Scene {
    async fn new() -> Self {
        let world = world().await;
        let mut scene = Self {
            world,
            merchants: Vec::new(),
            names: Vec::new(),
        };
        for (n, state) in STATES.into_iter().enumerate() {
            let merchant = scene.world.merchant(&format!("荷主{}", n + 1)).await;
            for language in [Language::Ja, Language::En] {
                scene
                    .world
                    .user(
                        &format!("{}@{state}.example", language.code()),
                        Role::Merchant(merchant.id),
                        language,
                    )
                    .await;
            }
            scene
                .names
                .push((merchant.id.to_string(), format!("merchant-{state}")));
            let connection = scene.connect(&merchant, state).await;
            scene
                .names
                .push((connection.to_string(), format!("conn-{state}")));
            scene.merchants.push((state, merchant));
        }
        for language in [Language::Ja, Language::En] {
            scene
                .world
                .user(
                    &format!("ops-{}@3pl.example", language.code()),
                    Role::Operator,
                    language,
                )
                .await;
        }
        scene
    }

    /// A connection of `merchant` in `state` at [`NOW`].
    async fn connect(&self, merchant: &Merchant, state: &str) -> ConnectionId {
        let world = &self.world;
        let seller = match state {
            "healthy" => "A1HEALTHY00001",
            "expiring" => "A1EXPIRING0001",
            "expired" => "A1EXPIRED00001",
            "access_lost" => "A1ACCESSLOST01",
            "revoked" => "A1REVOKED00001",
            _ => "A1SPAPI0000001",
        };
        let actor = Actor::cli("test");
        match state {
            "spapi_reauthorize" => {
                let authorized_on = (world.app.now() - SignedDuration::from_hours(24 * 340))
                    .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(9)))
                    .date();
                let connected = world
                    .app
                    .add_spapi_connection(
                        NewSpApiConnection {
                            merchant_id: merchant.id,
                            selling_partner_id: SellingPartnerId::parse(seller).unwrap(),
                            marketplace_id: MarketplaceId::japan(),
                            refresh_token: LwaRefreshToken::parse(
                                "Atzr|IwEBIsnapshotRefreshTokenEnding0042",
                            )
                            .unwrap(),
                            authorized_on: Some(authorized_on),
                            skip_verification: true,
                        },
                        &actor,
                    )
                    .await
                    .expect("the SP-API connection is stored");
                let id = connected.connection.connection.id;
                world.mark_verified(id).await;
                id
            }
            _ => {
                let days_ago = match state {
                    "expiring" => 340,
                    "expired" => 400,
                    _ => 20,
                };
                let id = world.connection(merchant, seller, days_ago).await;
                world.mark_verified(id).await;
                match state {
                    "access_lost" => world.mark_denied(id).await,
                    "revoked" => {
                        world
                            .app
                            .apply(id, LifecycleCommand::Revoke, &actor)
                            .await
                            .expect("revoked");
                    }
                    _ => {}
                }
                id
            }
        }
    }

    fn merchant(&self, state: &str) -> &Merchant {
        &self
            .merchants
            .iter()
            .find(|(s, _)| *s == state)
            .expect("a merchant per state")
            .1
    }

    /// The page's `<main>` with ids and the CSRF token replaced by stable names.
    fn stable(&self, html: &str) -> String {
        let start = html.find("<main id=\"main\">").expect("a main element");
        let end = html.find("</main>").expect("the end of main") + "</main>".len();
        let mut main = html[start..end].to_owned();
        for (id, name) in &self.names {
            main = main.replace(id.as_str(), name);
        }
        let marker = "name=\"csrf\" value=\"";
        let mut out = String::new();
        let mut rest = main.as_str();
        while let Some(at) = rest.find(marker) {
            let value_start = at + marker.len();
            let value_end = value_start + rest[value_start..].find('"').expect("a closing quote");
            out.push_str(&rest[..value_start]);
            out.push_str("[csrf]");
            rest = &rest[value_end..];
        }
        out.push_str(rest);
        out
    }
}

async fn signed_in<'a>(world: &'a TestApp, email: &str) -> Browser<'a> {
    world.browser().signed_in(email).await
}

#[tokio::test]
async fn the_dashboard_in_each_state_and_language() {
    let scene = Scene::new().await;
    for state in STATES {
        let merchant = scene.merchant(state);
        for language in ["ja", "en"] {
            let mut browser = signed_in(&scene.world, &format!("{language}@{state}.example")).await;
            let page = browser.get(&format!("/merchants/{}", merchant.id)).await;
            assert_eq!(page.status, axum::http::StatusCode::OK, "{}", page.body);
            insta::assert_snapshot!(
                format!("dashboard_{state}_{language}"),
                scene.stable(&page.body)
            );
        }
    }
}

#[tokio::test]
async fn the_operator_overview_in_both_languages() {
    let scene = Scene::new().await;
    for language in ["ja", "en"] {
        let mut browser = signed_in(&scene.world, &format!("ops-{language}@3pl.example")).await;
        let page = browser.get("/operator").await;
        assert_eq!(page.status, axum::http::StatusCode::OK, "{}", page.body);
        let stable = scene.stable(&page.body);
        insta::assert_snapshot!(format!("operator_overview_{language}"), stable);
    }
}

/// The card of `connection` on `page`: from its `<section` to its `</section>`.
fn card_of(page: &str, connection: ConnectionId) -> &str {
    let start = page
        .find(&format!(
            "<section class=\"card connection\" id=\"connection-{connection}\""
        ))
        .unwrap_or_else(|| panic!("no card for {connection}"));
    let end = start + page[start..].find("</section>").expect("the card ends");
    &page[start..end]
}

#[tokio::test]
async fn each_card_has_one_primary_action_linking_to_the_exact_seller_central_page() {
    let world = world().await;
    let merchant = world.merchant("Acme").await;
    world
        .user(
            "owner@acme.example",
            Role::Merchant(merchant.id),
            Language::Ja,
        )
        .await;
    let healthy = world.connection(&merchant, "A1HEALTHY00001", 20).await;
    world.mark_verified(healthy).await;
    let expiring = world.connection(&merchant, "A1EXPIRING0001", 340).await;
    world.mark_verified(expiring).await;
    let expired = world.connection(&merchant, "A1EXPIRED00001", 400).await;
    world.mark_verified(expired).await;
    let lost = world.connection(&merchant, "A1LOST00000001", 20).await;
    world.mark_verified(lost).await;
    world.mark_denied(lost).await;
    let unverified = world.connection(&merchant, "A1UNVERIFIED01", 20).await;

    let mut browser = signed_in(&world, "owner@acme.example").await;
    let page = browser
        .get(&format!("/merchants/{}", merchant.id))
        .await
        .body;
    let permissions = "https://sellercentral.amazon.co.jp/gp/account-manager/home.html";
    for (connection, action, button, link) in [
        (expiring, "approve", "承認を記録", Some(permissions)),
        (expired, "restore", "復元を記録", Some(permissions)),
        (
            lost,
            "replace_token",
            "新しいトークンで差し替える",
            Some(permissions),
        ),
        (unverified, "verify", "今すぐ確認", None),
    ] {
        let card = card_of(&page, connection);
        assert_eq!(
            card.matches("class=\"guide primary-action").count(),
            1,
            "one primary action: {card}"
        );
        assert!(
            card.contains(&format!("data-action=\"{action}\"")),
            "{card}"
        );
        assert!(card.contains(button), "{action}: {card}");
        match link {
            Some(href) => assert!(
                card.contains(&format!(
                    "id=\"seller-central-link-{connection}\" href=\"{href}\""
                )),
                "{action}: {card}"
            ),
            None => assert!(!card.contains("seller-central-link-"), "{card}"),
        }
        assert!(card.contains("<span class=\"api api-mws\""), "{card}");
    }
    let healthy_card = card_of(&page, healthy);
    assert!(!healthy_card.contains("primary-action"), "{healthy_card}");
    assert!(
        healthy_card.contains(&format!(
            "<details class=\"more\" id=\"renew-early-{healthy}\">"
        )),
        "approving early stays possible, folded away: {healthy_card}"
    );
    let lost_card = card_of(&page, lost);
    assert!(lost_card.contains(">アクセス停止</span>"), "{lost_card}");
    assert!(
        !lost_card.contains("countdown-") && !lost_card.contains("有効期限まであと"),
        "no countdown while access is lost: {lost_card}"
    );
}

#[tokio::test]
async fn cards_keep_their_order_whatever_their_status() {
    let world = world().await;
    let merchant = world.merchant("Acme").await;
    world
        .user(
            "owner@acme.example",
            Role::Merchant(merchant.id),
            Language::Ja,
        )
        .await;
    // By urgency the expiring one would come first; by seller ID it comes second, and stays there.
    let first = world.connection(&merchant, "A1AAAAAAAAAAA1", 20).await;
    world.mark_verified(first).await;
    let second = world.connection(&merchant, "A1ZZZZZZZZZZZ1", 340).await;
    world.mark_verified(second).await;
    let mut browser = signed_in(&world, "owner@acme.example").await;
    let home = format!("/merchants/{}", merchant.id);
    let order = |page: &str| {
        let a = page.find(&format!("id=\"connection-{first}\"")).unwrap();
        let z = page.find(&format!("id=\"connection-{second}\"")).unwrap();
        a < z
    };
    assert!(order(&browser.get(&home).await.body));
    world.mark_denied(first).await;
    assert!(
        order(&browser.get(&home).await.body),
        "access lost does not move the card"
    );
}

#[tokio::test]
async fn the_connect_card_is_open_until_the_first_connection() {
    let world = world().await;
    let merchant = world.merchant("Acme").await;
    world
        .user(
            "owner@acme.example",
            Role::Merchant(merchant.id),
            Language::Ja,
        )
        .await;
    let mut browser = signed_in(&world, "owner@acme.example").await;
    let home = format!("/merchants/{}", merchant.id);
    let empty = browser.get(&home).await.body;
    assert!(
        empty.contains("<details class=\"card connect\" id=\"connect-card\" open>"),
        "{empty}"
    );
    world.connection(&merchant, "A1B2C3D4E5F6G7", 20).await;
    let connected = browser.get(&home).await.body;
    assert!(
        connected.contains("<details class=\"card connect\" id=\"connect-card\">"),
        "{connected}"
    );
    assert!(connected.contains("id=\"connect-mws\""), "still reachable");
}

#[tokio::test]
async fn the_api_keys_page_says_there_are_none_in_both_languages() {
    let world = world().await;
    let merchant = world.merchant("Acme").await;
    for language in [Language::Ja, Language::En] {
        world
            .user(
                &format!("{}@acme.example", language.code()),
                Role::Merchant(merchant.id),
                language,
            )
            .await;
    }
    let mut ja = signed_in(&world, "ja@acme.example").await;
    let page = ja.get("/api-keys").await.body;
    assert!(
        page.contains("id=\"no-keys\">APIキーはまだありません。"),
        "{page}"
    );
    assert!(!page.contains("keys-table"), "no empty table");
    assert!(
        page.contains("placeholder=\"例: 倉庫システム連携\""),
        "{page}"
    );
    let mut en = signed_in(&world, "en@acme.example").await;
    let page = en.get("/api-keys").await.body;
    assert!(page.contains("id=\"no-keys\">No API keys yet."), "{page}");
    assert!(page.contains("placeholder=\"e.g. WMS import\""), "{page}");

    let created = en
        .submit(
            "/api-keys",
            "/api-keys",
            &[("name", "WMS"), ("scopes", "orders:read")],
        )
        .await;
    assert!(created.status.is_success(), "{}", created.body);
    let page = en.get("/api-keys").await.body;
    assert!(
        page.contains("keys-table") && !page.contains("no-keys"),
        "{page}"
    );
}

#[tokio::test]
async fn merchants_pages_name_no_repository_files() {
    let scene = Scene::new().await;
    let merchant = scene.merchant("access_lost");
    for language in ["ja", "en"] {
        let mut browser = signed_in(&scene.world, &format!("{language}@access_lost.example")).await;
        for path in [
            format!("/merchants/{}", merchant.id),
            format!("/merchants/{}/notification-channels", merchant.id),
            format!("/merchants/{}/connect", merchant.id),
            "/api-keys".to_owned(),
            "/notifications".to_owned(),
        ] {
            let page = browser.get(&path).await;
            assert!(page.status.is_success(), "{path}: {}", page.status);
            for path_like in ["docs/", ".md", "crates/"] {
                assert!(
                    !page.body.contains(path_like),
                    "{path} ({language}) names {path_like}"
                );
            }
        }
    }
}
