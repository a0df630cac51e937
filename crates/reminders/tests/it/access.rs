//! Access-loss alerts: one per incident however often Amazon refuses, the cause and the fix in plain words, one
//! restore notice when access comes back, and no restore notice where the alert itself never went out.

use jiff::SignedDuration;
use sellerlink_domain::connection::{Connection, Language};
use sellerlink_domain::refusal::RefusalCause;
use sellerlink_store::{ChannelOwner, CycleKey, DeliveryKind, DeliveryRecord, DeliveryState};

use crate::harness::Db;
use crate::world::{World, jst};

const REFUSAL: &str = "AccessDenied: Access to Orders.ListOrders is denied";

fn of_kind(records: &[DeliveryRecord], kind: DeliveryKind) -> Vec<&DeliveryRecord> {
    records.iter().filter(|r| r.kind == kind).collect()
}

/// Runs a pass every six hours for `days` days.
async fn run_for(world: &World, days: i64) -> u32 {
    let mut sent = 0;
    for _ in 0..days * 4 {
        world.advance(SignedDuration::from_hours(6));
        sent += world.run().await.sent;
    }
    sent
}

async fn one_alert_per_incident_and_one_restore_notice(db: Db) {
    let mut world = World::new(db, jst("2026-06-01", "09:00")).await;
    let sakura = world.merchant("株式会社さくら雑貨", Language::Ja).await;
    let owner = ChannelOwner::Merchant(sakura.id);
    world
        .email_channel(owner, "tanaka@sakura.example", Language::Ja)
        .await;
    world
        .webhook_channel(owner, "/hooks/sakura", Language::Ja)
        .await;
    world
        .webhook_channel(ChannelOwner::Operator, "/hooks/operator", Language::En)
        .await;
    // Granted 2026-01-10: no reminder falls in these weeks.
    let connection: Connection = world.mws(&sakura, "2026-01-10", true).await;
    assert!(world.run().await.is_idle());

    // Amazon refuses the credential: the merchant (e-mail and webhook) and the operator hear of it once.
    let refused_at = world.now();
    world
        .refuse(connection.id, RefusalCause::SellerAccess, REFUSAL)
        .await;
    let outcome = world.run().await;
    assert_eq!((outcome.planned, outcome.sent), (3, 3));
    let mail = world.mail.messages().pop().unwrap().parsed();
    let subject = mail.decoded_header("Subject").unwrap();
    assert!(
        subject.contains("【要対応】株式会社さくら雑貨: アクセス停止"),
        "{subject}"
    );
    let text = mail.find_part("text/plain").unwrap().body_text();
    assert!(text.contains("AccessDenied"), "Amazon's own answer: {text}");
    assert!(
        text.contains("5259-6479-4073"),
        "the fix names the developer ID: {text}"
    );
    let hook = world
        .hooks
        .requests()
        .into_iter()
        .find(|r| r.path == "/hooks/sakura")
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&hook.body).unwrap();
    assert_eq!(body["type"], "connection.access_lost");
    assert_eq!(body["data"]["cause"], "mws_access_denied");
    assert_eq!(body["data"]["amazon_code"], "AccessDenied");
    assert_eq!(
        body["data"]["amazon_message"],
        "Access to Orders.ListOrders is denied"
    );
    assert_eq!(body["data"]["fix"]["actor"], "merchant");
    assert!(
        body["data"]["fix"]["steps"]
            .as_array()
            .is_some_and(|steps| !steps.is_empty())
    );

    // Refused again and again over three days: still one incident, no new alert.
    for _ in 0..3 {
        world.advance(SignedDuration::from_hours(20));
        world
            .refuse(connection.id, RefusalCause::SellerAccess, REFUSAL)
            .await;
        assert_eq!(world.run().await.planned, 0);
    }
    assert_eq!(run_for(&world, 2).await, 0);
    let stored = world
        .store()
        .connection(connection.id)
        .await
        .unwrap()
        .connection;
    assert_eq!(
        stored.grant.access_denied.unwrap().at,
        refused_at,
        "the incident keeps its first instant"
    );

    // Access comes back: one restore notice per channel that got the alert, then silence.
    world.accept(connection.id).await;
    let outcome = world.run().await;
    assert_eq!((outcome.planned, outcome.sent), (3, 3));
    assert_eq!(run_for(&world, 3).await, 0);

    // A second incident is a new cycle: alerted and restored once more.
    let second_at = world.now();
    world
        .refuse(connection.id, RefusalCause::SellerAccess, REFUSAL)
        .await;
    assert_eq!(world.run().await.sent, 3);
    world.advance(SignedDuration::from_hours(1));
    world.accept(connection.id).await;
    assert_eq!(world.run().await.sent, 3);
    assert_eq!(run_for(&world, 1).await, 0);

    let records = world.deliveries().await;
    assert!(records.iter().all(|r| r.state == DeliveryState::Delivered));
    let lost = of_kind(&records, DeliveryKind::AccessLost);
    let restored = of_kind(&records, DeliveryKind::AccessRestored);
    assert_eq!((lost.len(), restored.len()), (6, 6));
    let incidents = [
        CycleKey::incident(refused_at),
        CycleKey::incident(second_at),
    ];
    for incident in &incidents {
        assert_eq!(lost.iter().filter(|r| &r.cycle == incident).count(), 3);
        assert_eq!(restored.iter().filter(|r| &r.cycle == incident).count(), 3);
    }
    assert_eq!(
        world.arrivals().len(),
        12,
        "twelve messages in all, none repeated"
    );
    assert!(
        world
            .store()
            .open_access_incidents()
            .await
            .unwrap()
            .is_empty()
    );
}

async fn no_restore_notice_where_the_alert_never_went_out(db: Db) {
    let mut world = World::new(db, jst("2026-06-01", "09:00")).await;
    let ocean = world.merchant("Blue Ocean Trading", Language::En).await;
    let owner = ChannelOwner::Merchant(ocean.id);
    world
        .email_channel(owner, "ops@blueocean.example", Language::En)
        .await;
    world
        .webhook_channel(owner, "/hooks/blueocean", Language::En)
        .await;
    let connection = world.sp_api(&ocean, "2026-01-10").await;

    // LWA refuses the refresh token while the merchant's endpoint is down: the e-mail goes, the webhook waits.
    world.hooks.fail_next(10);
    world
        .refuse(
            connection.id,
            RefusalCause::AuthorizationLost,
            "invalid_grant: The request has an invalid grant parameter",
        )
        .await;
    let outcome = world.run().await;
    assert_eq!((outcome.sent, outcome.retrying), (1, 1));
    let mail = world.mail.messages().pop().unwrap().parsed();
    let text = mail.find_part("text/plain").unwrap().body_text();
    assert!(text.contains("invalid_grant"), "{text}");

    // Access is back before the webhook alert got through: that alert is given up, and so is its restore
    // notice; the e-mail channel hears that access is back.
    world.advance(SignedDuration::from_mins(30));
    world.accept(connection.id).await;
    world.hooks.fail_next(0);
    let outcome = world.run().await;
    assert_eq!(outcome.sent, 1);
    assert_eq!(run_for(&world, 1).await, 0);
    let records = world.deliveries().await;
    let mut seen: Vec<(DeliveryKind, bool, DeliveryState)> = records
        .iter()
        .map(|r| (r.kind, r.recipient.starts_with("http"), r.state))
        .collect();
    seen.sort_by_key(|(kind, hook, _)| (kind.as_str(), *hook));
    assert_eq!(
        seen,
        [
            (DeliveryKind::AccessLost, false, DeliveryState::Delivered),
            (DeliveryKind::AccessLost, true, DeliveryState::Skipped),
            (
                DeliveryKind::AccessRestored,
                false,
                DeliveryState::Delivered
            ),
            (DeliveryKind::AccessRestored, true, DeliveryState::Skipped),
        ]
    );
    let given_up = records
        .iter()
        .find(|r| r.kind == DeliveryKind::AccessLost && r.state == DeliveryState::Skipped)
        .unwrap();
    assert_eq!(
        given_up.last_error.as_deref(),
        Some("access came back before this alert went out")
    );
    assert_eq!(given_up.attempts, 1);
}

async fn revoked_connections_raise_no_alert(db: Db) {
    let mut world = World::new(db, jst("2026-06-01", "09:00")).await;
    let sakura = world.merchant("株式会社さくら雑貨", Language::Ja).await;
    world
        .email_channel(
            ChannelOwner::Merchant(sakura.id),
            "tanaka@sakura.example",
            Language::Ja,
        )
        .await;
    let connection = world.mws(&sakura, "2026-01-10", true).await;
    world.revoke(connection.id).await;
    world
        .refuse(connection.id, RefusalCause::SellerAccess, REFUSAL)
        .await;
    assert!(world.run().await.is_idle());
    assert!(world.deliveries().await.is_empty());
}

on_both_engines!(
    one_alert_per_incident_and_one_restore_notice,
    no_restore_notice_where_the_alert_never_went_out,
    revoked_connections_raise_no_alert,
);
