//! One connection per seller account and region, whatever the API: connecting through the other API moves the
//! existing connection, and each order stays stored once.

use std::collections::HashSet;

use jiff::SignedDuration;
use sellerlink_app::{App, AppError, NewMwsConnection, NewSpApiConnection};
use sellerlink_domain::audit::AuditAction;
use sellerlink_domain::connection::{ApiAccount, ConnectionStatus, Merchant};
use sellerlink_domain::ids::{
    ConnectionId, LwaRefreshToken, MarketplaceId, MwsAuthToken, SellerId, SellingPartnerId,
};
use sellerlink_store::{AuditFilter, OrderQuery};
use sellerlink_sync::ImportOutcome;

use crate::spapi_support::{
    Browser, Sandbox, actor, assert_equal_to_sandbox, merchant, open_app_with_mws,
};

/// The demo developer's MWS grant for the sandbox's seller, as Seller Central shows it.
async fn mws_grant(sandbox: &Sandbox) -> MwsAuthToken {
    let developer = sandbox.running.demo_developer();
    let grant = sandbox
        .control
        .grant(&sandbox.seller.seller_id, &developer.developer_id)
        .await;
    MwsAuthToken::parse(&grant.mws_auth_token).unwrap()
}

fn mws_input(sandbox: &Sandbox, merchant: &Merchant, token: &MwsAuthToken) -> NewMwsConnection {
    NewMwsConnection {
        merchant_id: merchant.id,
        seller_id: SellerId::parse(&sandbox.seller.seller_id).unwrap(),
        marketplaces: vec![MarketplaceId::japan()],
        auth_token: token.clone(),
        granted_at: None,
        last_approved_on: None,
        expiry: None,
        skip_verification: false,
    }
}

/// The seller authorizes the demo app in Seller Central (a self-authorization); returns the refresh token.
async fn self_authorization(sandbox: &Sandbox) -> LwaRefreshToken {
    let app_id = sandbox.running.demo_app().application_id;
    let issued = sandbox
        .control
        .authorize(&sandbox.seller.seller_id, Some(&app_id))
        .await;
    LwaRefreshToken::parse(&issued.refresh_token.unwrap()).unwrap()
}

async fn import(app: &App, sandbox: &Sandbox, id: ConnectionId) {
    sandbox.place_order("SWITCH-TEA").await;
    sandbox.advance(SignedDuration::from_mins(5)).await;
    let report = app.sync_connection(id, Default::default()).await.unwrap();
    assert_eq!(
        report.outcome,
        ImportOutcome::Completed,
        "{:?}",
        report.error
    );
}

/// One connection, each order once and equal to the sandbox's, and one `api_switched` entry from `from` to `to`.
async fn one_connection_each_order_once(
    app: &App,
    sandbox: &Sandbox,
    id: ConnectionId,
    from: &str,
    to: &str,
) {
    let connections = app.connections(None).await.unwrap();
    assert_eq!(
        connections
            .iter()
            .map(|v| v.connection.id)
            .collect::<Vec<_>>(),
        [id]
    );
    let orders = app
        .store()
        .orders(&OrderQuery {
            limit: u32::MAX,
            ..OrderQuery::default()
        })
        .await
        .unwrap();
    let distinct: HashSet<&str> = orders
        .iter()
        .map(|stored| stored.order.amazon_order_id.as_str())
        .collect();
    assert_eq!(distinct.len(), orders.len(), "an order is stored twice");
    assert!(orders.iter().all(|stored| stored.connection_id == id));
    assert_equal_to_sandbox(app.store(), id, sandbox).await;

    let audit = app
        .store()
        .audit_entries(&AuditFilter {
            connection: Some(id),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    let switches: Vec<_> = audit
        .iter()
        .filter(|record| record.entry.action == AuditAction::ApiSwitched)
        .collect();
    assert_eq!(switches.len(), 1, "{audit:?}");
    let entry = &switches[0].entry;
    assert_eq!(entry.before.as_ref().unwrap()["account"]["api"], from);
    assert_eq!(entry.after.as_ref().unwrap()["account"]["api"], to);
    assert_eq!(entry.actor, actor());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mws_then_connect_with_amazon_moves_the_connection_to_spapi() {
    let sandbox = Sandbox::start(21, 80).await;
    let dir = tempfile::tempdir().unwrap();
    let demo = sandbox.demo_app().await;
    let app = open_app_with_mws(dir.path(), &sandbox, &demo).await;
    let takumi = merchant(&app, "匠工房").await;

    let mws = app
        .add_mws_connection(
            mws_input(&sandbox, &takumi, &mws_grant(&sandbox).await),
            &actor(),
        )
        .await
        .unwrap();
    let id = mws.connection.id;
    import(&app, &sandbox, id).await;
    let before = app
        .store()
        .orders(&OrderQuery::default())
        .await
        .unwrap()
        .len();
    assert!(before > 0);

    let request = app
        .start_spapi_authorization(takumi.id, &MarketplaceId::japan(), "session-1")
        .await
        .unwrap();
    let callback = Browser::new(&sandbox)
        .consent(request.url.as_str(), &sandbox.seller)
        .await;
    let connected = app
        .complete_spapi_authorization(&callback, "session-1", &actor())
        .await
        .unwrap();
    assert!(connected.switched && !connected.renewed);
    let view = connected.connection;
    assert_eq!(view.connection.id, id, "the same connection");
    assert!(matches!(view.connection.account, ApiAccount::SpApi { .. }));
    assert_eq!(view.status, ConnectionStatus::Active);
    assert_eq!(view.days_until_expiry, Some(365));
    assert!(
        app.credential(id)
            .await
            .map(|token| secrecy::ExposeSecret::expose_secret(&token).starts_with("Atzr|"))
            .unwrap()
    );

    import(&app, &sandbox, id).await;
    one_connection_each_order_once(&app, &sandbox, id, "mws", "sp_api").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spapi_then_mws_moves_the_connection_to_mws_and_another_merchant_stays_refused() {
    let sandbox = Sandbox::start(22, 80).await;
    let dir = tempfile::tempdir().unwrap();
    let demo = sandbox.demo_app().await;
    let app = open_app_with_mws(dir.path(), &sandbox, &demo).await;
    let takumi = merchant(&app, "匠工房").await;

    let spapi = app
        .add_spapi_connection(
            NewSpApiConnection {
                merchant_id: takumi.id,
                selling_partner_id: SellingPartnerId::parse(&sandbox.seller.seller_id).unwrap(),
                marketplace_id: MarketplaceId::japan(),
                refresh_token: self_authorization(&sandbox).await,
                authorized_on: None,
                skip_verification: false,
            },
            &actor(),
        )
        .await
        .unwrap();
    let id = spapi.connection.connection.id;
    import(&app, &sandbox, id).await;

    // Another merchant cannot take the seller account through the other API.
    let token = mws_grant(&sandbox).await;
    let other = merchant(&app, "別の荷主").await;
    let refused = app
        .add_mws_connection(mws_input(&sandbox, &other, &token), &actor())
        .await
        .unwrap_err();
    assert!(
        matches!(refused, AppError::AlreadyConnected { .. }),
        "{refused:?}"
    );

    let view = app
        .add_mws_connection(mws_input(&sandbox, &takumi, &token), &actor())
        .await
        .unwrap();
    assert_eq!(view.connection.id, id, "the same connection");
    assert!(matches!(view.connection.account, ApiAccount::Mws { .. }));
    assert_eq!(view.status, ConnectionStatus::Active);
    assert!(
        app.credential(id)
            .await
            .map(|token| secrecy::ExposeSecret::expose_secret(&token).starts_with("amzn.mws."))
            .unwrap()
    );

    import(&app, &sandbox, id).await;
    one_connection_each_order_once(&app, &sandbox, id, "sp_api", "mws").await;
}
