//! The use cases through a real SQLite store and a manual clock; the SP-API ones against a real sandbox.

mod api_switch;
mod jobs;
mod spapi_flow;
mod spapi_refusals;
mod spapi_secrets;
mod spapi_support;

use std::sync::Arc;

use jiff::civil::date;
use jiff::{SignedDuration, Timestamp};
use sellerlink_app::{
    App, AppError, DeveloperIdentity, KeySettings, LifecycleCommand, NewMwsConnection, Settings,
};
use sellerlink_domain::audit::{Actor, AuditAction};
use sellerlink_domain::clock::ManualClock;
use sellerlink_domain::connection::{ConnectionStatus, Language, MerchantName};
use sellerlink_domain::ids::{ConnectionId, DeveloperId, MarketplaceId, MwsAuthToken, SellerId};
use sellerlink_domain::lifecycle::{LifecycleError, StatusPolicy};
use sellerlink_store::AuditFilter;

const TOKEN: &str = "amzn.mws.01234567-89ab-cdef-0123-456789abcdef";

struct World {
    app: App,
    clock: Arc<ManualClock>,
    _dir: tempfile::TempDir,
}

fn jst(text: &str) -> Timestamp {
    format!("{text}+09:00[Asia/Tokyo]")
        .parse::<jiff::ZonedDateTime>()
        .unwrap()
        .timestamp()
}

async fn world(start: Timestamp) -> World {
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings {
        database_url: format!("sqlite://{}", dir.path().join("app.db").display()),
        keys: KeySettings {
            master_key: None,
            previous_master_keys: None,
            key_file: dir.path().join("master.key"),
        },
        developer: DeveloperIdentity {
            name: "shippinno".into(),
            developer_id: DeveloperId::parse("5259-6479-4073").unwrap(),
        },
        status_policy: StatusPolicy::default(),
        mws: None,
        spapi: None,
        initial_lookback: SignedDuration::from_hours(24 * 30),
        lease_ttl: SignedDuration::from_mins(5),
    };
    let clock = Arc::new(ManualClock::new(start));
    let app = App::open(settings, clock.clone()).await.unwrap();
    World {
        app,
        clock,
        _dir: dir,
    }
}

fn actor() -> Actor {
    Actor::cli("tester")
}

async fn connect(world: &World, seller: &str) -> ConnectionId {
    let merchant = match world.app.find_merchant("Takumi").await {
        Ok(m) => m,
        Err(_) => world
            .app
            .add_merchant(
                MerchantName::parse("Takumi").unwrap(),
                Language::Ja,
                &actor(),
            )
            .await
            .unwrap(),
    };
    let input = NewMwsConnection {
        merchant_id: merchant.id,
        seller_id: SellerId::parse(seller).unwrap(),
        marketplaces: vec![MarketplaceId::japan()],
        auth_token: MwsAuthToken::parse(TOKEN).unwrap(),
        granted_at: None,
        last_approved_on: None,
        expiry: None,
        skip_verification: true,
    };
    world
        .app
        .add_mws_connection(input, &actor())
        .await
        .unwrap()
        .connection
        .id
}

#[tokio::test]
async fn the_guides_year_through_the_store() {
    let w = world(jst("2018-04-17T10:26:33")).await;
    let id = connect(&w, "A1B2C3D4E5F6G7").await;
    let view = w.app.connection(id).await.unwrap();
    assert_eq!(view.expires_on, Some(date(2019, 4, 17)));
    assert_eq!(view.status, ConnectionStatus::Unverified);

    // Restore while valid: refused, nothing written.
    let refused = w
        .app
        .apply(id, LifecycleCommand::Restore { on: None }, &actor())
        .await
        .unwrap_err();
    assert!(matches!(
        refused,
        AppError::Lifecycle(LifecycleError::NotExpiredUseRenew { .. })
    ));

    // Renew on 2019-03-20 → expires 2020-03-20 (R2).
    w.clock.set(jst("2019-03-20T18:00:00"));
    let renewed = w
        .app
        .apply(id, LifecycleCommand::Renew { on: None }, &actor())
        .await
        .unwrap();
    assert_eq!(renewed.expires_on, Some(date(2020, 3, 20)));

    // On the expiry day renew is refused and restore works (R3).
    w.clock.set(jst("2020-03-20T08:00:00"));
    assert!(
        w.app
            .apply(id, LifecycleCommand::Renew { on: None }, &actor())
            .await
            .is_err()
    );
    let restored = w
        .app
        .apply(id, LifecycleCommand::Restore { on: None }, &actor())
        .await
        .unwrap();
    assert_eq!(restored.expires_on, Some(date(2021, 3, 20)));

    // Expiry already enabled (R5), then revoke is terminal.
    assert!(
        w.app
            .apply(id, LifecycleCommand::EnableExpiry, &actor())
            .await
            .is_err()
    );
    w.app
        .apply(id, LifecycleCommand::Revoke, &actor())
        .await
        .unwrap();
    w.clock.advance(SignedDuration::from_hours(24 * 400));
    assert!(
        w.app
            .apply(id, LifecycleCommand::Restore { on: None }, &actor())
            .await
            .is_err()
    );
    assert_eq!(
        w.app.connection(id).await.unwrap().status,
        ConnectionStatus::Revoked
    );

    let audit = w
        .app
        .store()
        .audit_entries(&AuditFilter {
            connection: Some(id),
            ..Default::default()
        })
        .await
        .unwrap();
    let audit: Vec<_> = audit.into_iter().map(|r| r.entry).collect();
    let actions: Vec<AuditAction> = audit.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [
            AuditAction::Revoked,
            AuditAction::Restored,
            AuditAction::Renewed,
            AuditAction::ConnectionCreated
        ]
    );
    let renewal = &audit[2];
    assert_eq!(
        renewal.before.as_ref().unwrap()["grant"]["expiry"]["expires_on"],
        "2019-04-17"
    );
    assert_eq!(
        renewal.after.as_ref().unwrap()["grant"]["expiry"]["expires_on"],
        "2020-03-20"
    );
    assert_eq!(renewal.actor.as_str(), "cli:tester");
    for entry in &audit {
        let text = serde_json::to_string(entry).unwrap();
        assert!(!text.contains(&TOKEN[9..]), "the audit log holds no secret");
    }
}

#[tokio::test]
async fn a_credential_copied_to_another_row_does_not_open() {
    let w = world(Timestamp::now()).await;
    let a = connect(&w, "A1B2C3D4E5F6G7").await;
    let b = connect(&w, "A7G6F5E4D3C2B1").await;
    let stored_a = w.app.store().credential(a).await.unwrap();
    let stored_b = w.app.store().credential(b).await.unwrap();
    assert!(
        w.app
            .store()
            .reseal_credential(b, &stored_b, &stored_a)
            .await
            .unwrap()
    );
    let err = w.app.credential(b).await.unwrap_err();
    assert!(matches!(err, AppError::Secrets(_)), "{err:?}");
    assert!(!format!("{err} {err:?}").contains(&TOKEN[9..]));
    assert!(w.app.credential(a).await.is_ok());
}

#[tokio::test]
async fn master_key_rotation_reseals_every_credential() {
    let w = world(Timestamp::now()).await;
    let ids = [
        connect(&w, "A1B2C3D4E5F6G7").await,
        connect(&w, "A7G6F5E4D3C2B1").await,
    ];
    let key_file = w.app.settings().keys.key_file.clone();
    let old = w.app.store().credential(ids[0]).await.unwrap().kek_id;
    let new = sellerlink_secrets::Keyring::rotate_file(&key_file)
        .unwrap()
        .to_string();
    // A process that has not reloaded keeps working with the old key.
    assert!(w.app.credential(ids[0]).await.is_ok());
    let reopened = App::open(w.app.settings().clone(), w.clock.clone())
        .await
        .unwrap();
    let report = reopened.reseal_credentials().await.unwrap();
    assert_eq!(
        (report.resealed, report.current_key_id.as_str()),
        (2, new.as_str())
    );
    for id in ids {
        assert_eq!(reopened.store().credential(id).await.unwrap().kek_id, new);
        assert_ne!(new, old);
        assert!(reopened.credential(id).await.is_ok());
    }
    assert_eq!(
        reopened.reseal_credentials().await.unwrap().resealed,
        0,
        "idempotent"
    );
}

/// An order with a buyer name and a delivery address.
fn order_with_buyer(id: &str, at: Timestamp) -> sellerlink_domain::order::Order {
    use sellerlink_domain::order::{Address, Order, OrderStatus};
    Order {
        amazon_order_id: sellerlink_domain::ids::AmazonOrderId::parse(id).unwrap(),
        marketplace_id: MarketplaceId::japan(),
        status: OrderStatus::Unshipped,
        fulfillment_channel: None,
        purchase_date: at,
        last_update_date: at,
        order_total: None,
        sales_channel: None,
        ship_service_level: None,
        buyer_name: Some("山田 花子".into()),
        shipping_address: Some(Address {
            name: Some("山田 花子".into()),
            address_line1: Some("渋谷2-21-1".into()),
            phone: Some("03-0000-0000".into()),
            ..Address::default()
        }),
        payment_method: None,
        latest_ship_date: None,
        items: Vec::new(),
    }
}

#[tokio::test]
async fn master_key_rotation_reseals_buyer_data() {
    let w = world(Timestamp::now()).await;
    let connection = connect(&w, "A1B2C3D4E5F6G7").await;
    let now = w.app.now();
    let orders = [
        order_with_buyer("503-1111111-1111111", now),
        order_with_buyer("503-2222222-2222222", now),
    ];
    w.app
        .store()
        .upsert_orders(connection, &orders, now, None)
        .await
        .unwrap();
    let key_file = w.app.settings().keys.key_file.clone();
    let new = sellerlink_secrets::Keyring::rotate_file(&key_file)
        .unwrap()
        .to_string();
    let reopened = App::open(w.app.settings().clone(), w.clock.clone())
        .await
        .unwrap();
    let on_old_key = reopened.store().buyer_data_not_sealed_with(&new, 10);
    assert_eq!(on_old_key.await.unwrap().len(), 2);
    let report = reopened.reseal_credentials().await.unwrap();
    assert_eq!(report.buyer_data_resealed, 2);
    let on_old_key = reopened.store().buyer_data_not_sealed_with(&new, 10);
    assert!(on_old_key.await.unwrap().is_empty());
    for order in &orders {
        let stored = reopened
            .store()
            .order(connection, &order.amazon_order_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.order.buyer_name, order.buyer_name);
        assert_eq!(stored.order.shipping_address, order.shipping_address);
    }
    assert_eq!(
        reopened
            .reseal_credentials()
            .await
            .unwrap()
            .buyer_data_resealed,
        0,
        "idempotent"
    );
}

#[tokio::test]
async fn renewals_and_restores_count_from_the_day_done_in_seller_central() {
    let w = world(jst("2018-04-17T10:26:33")).await;
    let id = connect(&w, "A1B2C3D4E5F6G7").await;
    // Restored in Seller Central on 2019-04-20, recorded on 2019-05-02: the year counts from the 20th.
    w.clock.set(jst("2019-05-02T09:00:00"));
    let on = |day| Some(day);
    let future = w
        .app
        .apply(
            id,
            LifecycleCommand::Restore {
                on: on(date(2019, 5, 3)),
            },
            &actor(),
        )
        .await
        .unwrap_err();
    assert!(matches!(
        future,
        AppError::Lifecycle(LifecycleError::InTheFuture { .. })
    ));
    assert_eq!(future.field(), Some("on"));
    let restored = w
        .app
        .apply(
            id,
            LifecycleCommand::Restore {
                on: on(date(2019, 4, 20)),
            },
            &actor(),
        )
        .await
        .unwrap();
    assert_eq!(
        restored.connection.grant.last_approved_on,
        date(2019, 4, 20)
    );
    assert_eq!(restored.expires_on, Some(date(2020, 4, 20)));
    let entries = w
        .app
        .store()
        .audit_entries(&AuditFilter {
            connection: Some(id),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(entries[0].entry.action, AuditAction::Restored);
}

#[tokio::test]
async fn a_token_is_replaced_only_after_access_was_lost_and_by_valid_dates() {
    let w = world(jst("2018-04-17T10:26:33")).await;
    let id = connect(&w, "A1B2C3D4E5F6G7").await;
    let replacement = |dates| sellerlink_app::MwsTokenReplacement {
        connection_id: id,
        auth_token: MwsAuthToken::parse("amzn.mws.99999999-89ab-cdef-0123-4567890fedcb").unwrap(),
        dates,
    };
    let working = w
        .app
        .replace_mws_token(replacement(Default::default()), &actor())
        .await
        .unwrap_err();
    assert!(matches!(
        working,
        AppError::Lifecycle(LifecycleError::TokenStillWorks)
    ));
    w.app
        .apply(id, LifecycleCommand::Revoke, &actor())
        .await
        .unwrap();
    let future = sellerlink_domain::lifecycle::SellerCentralDates {
        granted_at: Some(jst("2018-04-18T10:00:00")),
        ..Default::default()
    };
    let refused = w
        .app
        .replace_mws_token(replacement(future), &actor())
        .await
        .unwrap_err();
    assert_eq!(refused.field(), Some("granted_on"), "{refused}");
    // Without Amazon access configured nothing is stored unverified.
    let unverified = w
        .app
        .replace_mws_token(replacement(Default::default()), &actor())
        .await
        .unwrap_err();
    assert!(matches!(unverified, AppError::NotConfigured { .. }));
    let view = w.app.connection(id).await.unwrap();
    assert_eq!(view.status, ConnectionStatus::Revoked);
    assert_eq!(view.credential_masked, "amzn.mws.…abcdef");
}
