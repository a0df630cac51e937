//! The grant's dates in the wizard, renew/restore on the day it was done, replacing the MWS Auth Token after access
//! was lost, and removing a connection — each with its refusals.

use axum::http::StatusCode;
use jiff::ToSpan;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use secrecy::ExposeSecret as _;
use sellerlink_app::LifecycleCommand;
use sellerlink_domain::audit::{Actor, AuditAction};
use sellerlink_domain::connection::{ConnectionStatus, Language};
use sellerlink_domain::ids::ConnectionId;
use sellerlink_store::{AuditFilter, Role};
use sellerlink_testkit::sandbox_control::GrantAction;

use crate::support::{Browser, Options, Reply, TestApp};

const DEVELOPER_DIGITS: &str = "525964794073";

fn today(world: &TestApp) -> Date {
    world
        .app
        .now()
        .to_zoned_datetime(TimeZone::get("Asia/Tokyo").unwrap())
        .date()
}

async fn signed_in(world: &TestApp, language: Language) -> (Browser<'_>, String) {
    let merchant = world.merchant("Acme").await;
    world
        .user("owner@acme.example", Role::Merchant(merchant.id), language)
        .await;
    let browser = world.browser().signed_in("owner@acme.example").await;
    (browser, merchant.id.to_string())
}

/// Dates typed, the field whose message is expected, and words the Japanese message contains.
type DateCase<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);

/// The inline message under `field`, or `None`.
fn field_error(html: &str, field: &str) -> Option<String> {
    let marker = format!("id=\"{field}-error\">");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find("</p>")? + start;
    Some(html[start..end].to_owned())
}

async fn revoke_at_amazon(world: &TestApp, seller: &str) {
    world
        .sandbox_control()
        .grant_action(GrantAction::Revoke, seller, DEVELOPER_DIGITS)
        .await;
}

async fn with_sandbox() -> TestApp {
    TestApp::with(Options {
        sandbox: true,
        ..Options::default()
    })
    .await
}

/// Step ⑤ with the three values (Seller ID, Marketplace ID, MWS Auth Token) and the dates typed, if any.
async fn submit_grant(
    browser: &mut Browser<'_>,
    wizard: &str,
    values: [&str; 3],
    dates: &[(&str, &str)],
) -> Reply {
    let mut fields = vec![
        ("seller_id", values[0]),
        ("marketplace_id", values[1]),
        ("mws_auth_token", values[2]),
    ];
    fields.extend_from_slice(dates);
    browser.submit(wizard, wizard, &fields).await
}

async fn credential_replacements(world: &TestApp, id: ConnectionId) -> usize {
    world
        .app
        .store()
        .audit_entries(&AuditFilter {
            connection: Some(id),
            ..AuditFilter::default()
        })
        .await
        .unwrap()
        .iter()
        .filter(|r| r.entry.action == AuditAction::CredentialReplaced)
        .count()
}

#[tokio::test]
async fn the_wizard_records_the_dates_seller_central_shows() {
    let world = with_sandbox().await;
    let (mut browser, merchant) = signed_in(&world, Language::Ja).await;
    let page = format!("/merchants/{merchant}/connect");
    let form = browser.get(&page).await.body;
    for id in ["granted_on", "last_approved_on", "expires_on", "no_expiry"] {
        assert!(form.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(form.contains("<label for=\"granted_on\">権限の付与日</label>"));

    // Granted two months ago; Seller Central shows the expiry a year after that.
    let granted = today(&world) - 60.days();
    let expires = granted + 1.year();
    let (seller, marketplace, token) = world.sandbox_grant(0).await;
    let reply = submit_grant(
        &mut browser,
        &page,
        [&seller, &marketplace, &token],
        &[
            ("granted_on", &granted.to_string()),
            ("expires_on", &expires.to_string()),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let views = world.app.connections(None).await.unwrap();
    let view = &views[0];
    assert_eq!(view.expires_on, Some(expires));
    let days_left = today(&world).until(expires).unwrap().get_days();
    assert_eq!(view.days_until_expiry, Some(days_left));
    let dashboard = browser.get(reply.location()).await.body;
    // Shown as Seller Central writes it, with the ISO day for machines.
    let written = expires.strftime("%Y年%-m月%-d日").to_string();
    assert!(
        dashboard.contains(&format!("data-iso=\"{expires}\">{written}</dd>")),
        "{dashboard}"
    );

    // The expiry feature off: no expiry date, no countdown.
    let (seller, marketplace, token) = world.sandbox_grant(1).await;
    let off = submit_grant(
        &mut browser,
        &page,
        [&seller, &marketplace, &token],
        &[("no_expiry", "on")],
    )
    .await;
    assert_eq!(off.status, StatusCode::SEE_OTHER, "{}", off.body);
    let views = world.app.connections(None).await.unwrap();
    let off_view = views
        .iter()
        .find(|v| v.connection.account.seller_id().to_string() == seller)
        .unwrap();
    assert_eq!(off_view.expires_on, None);
    assert_eq!(off_view.days_until_expiry, None);
    let dashboard = browser.get(off.location()).await.body;
    let id = off_view.connection.id;
    assert!(
        dashboard.contains(&format!("<dd id=\"expires-{id}\">有効期限なし</dd>")),
        "{dashboard}"
    );
    assert!(
        !dashboard.contains(&format!("id=\"countdown-{id}\"")),
        "no countdown without expiry: {dashboard}"
    );
    let note = format!("id=\"no-expiry-{id}\">有効期限機能は無効です");
    assert!(dashboard.contains(&note), "{dashboard}");
}

#[tokio::test]
async fn the_wizard_refuses_bad_dates_under_their_field_and_keeps_them() {
    let world = TestApp::new().await;
    let (mut browser, merchant) = signed_in(&world, Language::Ja).await;
    let page = format!("/merchants/{merchant}/connect");
    let tomorrow = (today(&world) + 1.day()).to_string();
    let granted = (today(&world) - 30.days()).to_string();
    let before_grant = (today(&world) - 31.days()).to_string();
    let base = [
        ("seller_id", "A1B2C3D4E5F6G7"),
        ("marketplace_id", "A1VC38T7YXB528"),
        (
            "mws_auth_token",
            "amzn.mws.11111111-2222-3333-4444-555555fedcba",
        ),
    ];
    let cases: [DateCase<'_>; 5] = [
        (&[("granted_on", &tomorrow)], "granted_on", "未来の日付"),
        (
            &[
                ("granted_on", &granted),
                ("last_approved_on", &before_grant),
            ],
            "last_approved_on",
            "前回承認日",
        ),
        (
            &[("granted_on", "2025-01-10"), ("expires_on", "2026-02-01")],
            "expires_on",
            "1年を超えています",
        ),
        (
            &[("expires_on", "2026-02-01"), ("no_expiry", "on")],
            "expires_on",
            "有効期限なし",
        ),
        (&[("granted_on", "10/01/2025")], "granted_on", "YYYY-MM-DD"),
    ];
    for (dates, field, words) in cases {
        let mut fields = base.to_vec();
        fields.extend_from_slice(dates);
        let reply = browser.submit(&page, &page, &fields).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        let message =
            field_error(&reply.body, field).unwrap_or_else(|| panic!("{field}: {}", reply.body));
        assert!(message.contains(words), "{field}: {message}");
        for (name, value) in dates {
            if *name == "no_expiry" {
                assert!(
                    reply
                        .body
                        .contains("name=\"no_expiry\" value=\"on\" checked")
                );
            } else {
                assert!(
                    reply
                        .body
                        .contains(&format!("name=\"{name}\" value=\"{value}\"")),
                    "{name} is kept"
                );
            }
        }
        assert!(reply.body.contains("value=\"A1B2C3D4E5F6G7\""));
        assert_eq!(
            reply.body.matches("555555fedcba").count(),
            1,
            "the token is kept in its own field and is in no message"
        );
        assert!(reply.body.contains(
            "name=\"mws_auth_token\" value=\"amzn.mws.11111111-2222-3333-4444-555555fedcba\""
        ));
    }
    // English: the field is named as Seller Central names it.
    world
        .user("en@acme.example", Role::Operator, Language::En)
        .await;
    let mut english = world.browser().signed_in("en@acme.example").await;
    let mut fields = base.to_vec();
    fields.extend_from_slice(&[("granted_on", "2025-01-10"), ("expires_on", "2026-02-01")]);
    let reply = english.submit(&page, &page, &fields).await;
    let message = field_error(&reply.body, "expires_on").unwrap();
    assert!(
        message.contains("more than a year after the last approval date"),
        "{message}"
    );
    assert!(world.app.connections(None).await.unwrap().is_empty());
}

#[tokio::test]
async fn renew_and_restore_take_the_day_they_were_done() {
    let world = TestApp::new().await;
    let (mut browser, merchant) = signed_in(&world, Language::Ja).await;
    let m = world.app.find_merchant("Acme").await.unwrap();
    let expiring = world.connection(&m, "A1EXPIRING0001", 345).await;
    let expired = world.connection(&m, "A1EXPIRED00001", 400).await;
    let home = format!("/merchants/{merchant}");
    let today = today(&world);
    let page = browser.get(&home).await.body;
    assert!(page.contains(&format!(
        "id=\"renew-on-{expiring}\" name=\"on\" value=\"{today}\""
    )));
    assert!(page.contains(&format!("id=\"renew-submit-{expiring}\"")));
    assert!(!page.contains(&format!("id=\"restore-on-{expiring}\"")));
    assert!(page.contains(&format!(
        "id=\"restore-on-{expired}\" name=\"on\" value=\"{today}\""
    )));
    assert!(page.contains(&format!("id=\"restore-submit-{expired}\"")));

    // A future day is refused, naming the field; nothing changes.
    let before = world.app.connection(expiring).await.unwrap().connection;
    let future = browser
        .submit(
            &home,
            &format!("/connections/{expiring}/renew"),
            &[("on", &(today + 1.day()).to_string())],
        )
        .await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        future.body.contains("セラーセントラルで操作した日"),
        "{}",
        future.body
    );
    assert!(future.body.contains("未来の日付"));
    assert_eq!(
        world.app.connection(expiring).await.unwrap().connection,
        before
    );

    // Approved three days ago, recorded today: the year counts from that day.
    let approved = today - 3.days();
    let renewed = browser
        .submit(
            &home,
            &format!("/connections/{expiring}/renew"),
            &[("on", &approved.to_string())],
        )
        .await;
    assert_eq!(renewed.status, StatusCode::SEE_OTHER, "{}", renewed.body);
    let view = world.app.connection(expiring).await.unwrap();
    assert_eq!(view.connection.grant.last_approved_on, approved);
    assert_eq!(view.expires_on, Some(approved + 1.year()));

    // Restoring on a day access was still valid is the rule's refusal (R3), shown on the dashboard.
    let expired_on = world
        .app
        .connection(expired)
        .await
        .unwrap()
        .expires_on
        .unwrap();
    let early = browser
        .submit(
            &home,
            &format!("/connections/{expired}/restore"),
            &[("on", &(expired_on - 1.day()).to_string())],
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert!(
        early.body.contains("復元は期限切れの場合のみです"),
        "{}",
        early.body
    );
    let restored_on = expired_on + 2.days();
    let restored = browser
        .submit(
            &home,
            &format!("/connections/{expired}/restore"),
            &[("on", &restored_on.to_string())],
        )
        .await;
    assert_eq!(restored.location(), format!("{home}?notice=restored"));
    let view = world.app.connection(expired).await.unwrap();
    assert_eq!(view.expires_on, Some(restored_on + 1.year()));
}

#[tokio::test]
async fn a_revoked_connection_gets_the_new_grants_token_of_the_same_seller() {
    let world = with_sandbox().await;
    let (mut browser, merchant) = signed_in(&world, Language::Ja).await;
    let wizard = format!("/merchants/{merchant}/connect");
    let home = format!("/merchants/{merchant}");
    let (seller, marketplace, token) = world.sandbox_grant(0).await;
    let connected = submit_grant(&mut browser, &wizard, [&seller, &marketplace, &token], &[]).await;
    assert_eq!(
        connected.status,
        StatusCode::SEE_OTHER,
        "{}",
        connected.body
    );
    let id = world.app.connections(None).await.unwrap()[0].connection.id;

    // While access works there is no form, and the rule refuses a replacement.
    let page = browser.get(&home).await.body;
    assert!(!page.contains(&format!("id=\"replace-token-{id}\"")));
    let (other_seller, _, other_token) = world.sandbox_grant(1).await;
    let too_early = browser
        .submit(
            &home,
            &format!("/connections/{id}/replace-token"),
            &[("mws_auth_token", &other_token)],
        )
        .await;
    assert_eq!(too_early.status, StatusCode::CONFLICT, "{}", too_early.body);
    assert!(too_early.body.contains("アクセス権は有効です"));

    // The seller revokes; sellerlink learns it.
    revoke_at_amazon(&world, &seller).await;
    world
        .app
        .apply(id, LifecycleCommand::Revoke, &Actor::cli("test"))
        .await
        .unwrap();
    let page = browser.get(&home).await.body;
    assert!(
        page.contains(&format!("id=\"replace-token-{id}\"")),
        "{page}"
    );
    assert!(page.contains(&format!(
        "id=\"mws_auth_token-{id}\" name=\"mws_auth_token\""
    )));
    assert!(page.contains(&format!("id=\"replace-token-submit-{id}\"")));
    assert!(page.contains("新しいMWS認証トークンを下に入力して"));

    // Another seller's token: Amazon refuses it, nothing is stored.
    let masked_before = world.app.connection(id).await.unwrap().credential_masked;
    let wrong = browser
        .submit(
            &home,
            &format!("/connections/{id}/replace-token"),
            &[("mws_auth_token", &other_token)],
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    assert!(
        wrong.body.contains("このMWS認証トークンは出品者ID"),
        "{}",
        wrong.body
    );
    assert!(!wrong.body.contains(&other_token));
    let after_wrong = world.app.connection(id).await.unwrap();
    assert_eq!(after_wrong.credential_masked, masked_before);
    assert_eq!(after_wrong.status, ConnectionStatus::Revoked);
    assert_eq!(credential_replacements(&world, id).await, 0);
    assert_ne!(other_seller, seller);

    // The seller grants access again: a new token, a new year from today.
    let (_, _, new_token) = world.sandbox_grant(0).await;
    assert_ne!(new_token, token);
    let replaced = browser
        .submit(
            &home,
            &format!("/connections/{id}/replace-token"),
            &[("mws_auth_token", &new_token)],
        )
        .await;
    assert_eq!(replaced.status, StatusCode::SEE_OTHER, "{}", replaced.body);
    assert_eq!(replaced.location(), format!("{home}?notice=token_replaced"));
    let view = world.app.connection(id).await.unwrap();
    assert_eq!(view.status, ConnectionStatus::Active);
    assert!(view.connection.grant.revoked_at.is_none());
    assert!(view.connection.verified_at.is_some());
    assert_eq!(view.expires_on, Some(today(&world) + 1.year()));
    assert!(new_token.ends_with(&view.credential_masked[view.credential_masked.len() - 6..]));
    assert_eq!(
        world.app.credential(id).await.unwrap().expose_secret(),
        new_token
    );
    assert_eq!(credential_replacements(&world, id).await, 1);
    let views = world.app.connections(None).await.unwrap();
    assert_eq!(views.len(), 1, "the same connection, not a new one");
    assert_eq!(views[0].connection.id, id);
    let page = browser.get(replaced.location()).await.body;
    assert!(page.contains("MWS認証トークンを差し替えました"));
}

#[tokio::test]
async fn the_wizard_replaces_the_token_instead_of_saying_already_connected() {
    let world = with_sandbox().await;
    let (mut browser, merchant) = signed_in(&world, Language::Ja).await;
    let wizard = format!("/merchants/{merchant}/connect");
    let (seller, marketplace, token) = world.sandbox_grant(0).await;
    let reply = submit_grant(&mut browser, &wizard, [&seller, &marketplace, &token], &[]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let id = world.app.connections(None).await.unwrap()[0].connection.id;
    revoke_at_amazon(&world, &seller).await;
    world
        .app
        .apply(id, LifecycleCommand::Revoke, &Actor::cli("test"))
        .await
        .unwrap();
    let (_, _, new_token) = world.sandbox_grant(0).await;
    let reply = submit_grant(
        &mut browser,
        &wizard,
        [&seller, &marketplace, &new_token],
        &[],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(
        reply.location(),
        format!("/merchants/{merchant}?notice=token_replaced")
    );
    let views = world.app.connections(None).await.unwrap();
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].connection.id, id);
    assert_eq!(views[0].status, ConnectionStatus::Active);
    assert_eq!(credential_replacements(&world, id).await, 1);
}

#[tokio::test]
async fn removing_a_connection_needs_the_confirmation() {
    let world = TestApp::new().await;
    let (mut browser, merchant) = signed_in(&world, Language::Ja).await;
    let m = world.app.find_merchant("Acme").await.unwrap();
    let id = world.connection(&m, "A1B2C3D4E5F6G7", 10).await;
    world.orders(id, 3, 1).await;
    let home = format!("/merchants/{merchant}");
    let page = browser.get(&home).await.body;
    assert!(page.contains(&format!("id=\"remove-connection-{id}\"")));
    assert!(page.contains(&format!("id=\"confirm-remove-{id}\" name=\"confirm\"")));
    assert!(page.contains(&format!("id=\"remove-submit-{id}\"")));

    let unconfirmed = browser
        .submit(&home, &format!("/connections/{id}/remove"), &[])
        .await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unconfirmed.body.contains("何も削除されていません"));
    assert!(world.app.connection(id).await.is_ok());

    let removed = browser
        .submit(
            &home,
            &format!("/connections/{id}/remove"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    assert_eq!(removed.location(), format!("{home}?notice=removed"));
    assert!(world.app.connections(None).await.unwrap().is_empty());
    assert!(
        browser
            .get(removed.location())
            .await
            .body
            .contains("接続を削除しました")
    );
}
