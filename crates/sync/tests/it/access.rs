//! Revoking, expiring and restoring the grant in the sandbox mid-import: access denied, pause, gap-free resume.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use jiff::SignedDuration;
use secrecy::SecretString;
use sellerlink_domain::audit::{AuditAction, AuditEntry};
use sellerlink_domain::clock::Clock;
use sellerlink_domain::connection::Connection;
use sellerlink_domain::connection::ConnectionStatus;
use sellerlink_domain::ids::AmazonOrderId;
use sellerlink_domain::lifecycle::StatusPolicy;
use sellerlink_domain::order::OrderItem;
use sellerlink_domain::refusal::RefusalCause;
use sellerlink_sandbox::world::lock;
use sellerlink_store::{AuditFilter, SyncOutcome};
use sellerlink_sync::{
    ImportOutcome, Importer, KeyringCredentials, MwsSourceFactory, OrderSource, OrdersPage,
    OutgoingShipment, PageToken, Participation, ShipmentOutcome, ShipmentSubmission, SourceError,
    SourceFactory, SourceFuture, StockOutcome, StockSubmission, VerifyOutcome, Window,
};
use serde_json::json;

use crate::compare::{assert_matches, watermark};
use crate::sandbox::{Options, Sandbox};
use crate::setup::{World, import_config, seal};

/// The real MWS source, which pulls a trigger (once) when its `after`-th item listing is asked for: the seller acts
/// in Seller Central while the import runs.
struct Tripwire {
    inner: Arc<dyn OrderSource>,
    calls: Arc<AtomicUsize>,
    after: usize,
    trigger: Arc<dyn Fn() + Send + Sync>,
}

impl OrderSource for Tripwire {
    fn updated_orders_page<'a>(
        &'a self,
        window: &'a Window,
        page: Option<&'a PageToken>,
    ) -> SourceFuture<'a, OrdersPage> {
        self.inner.updated_orders_page(window, page)
    }

    fn order_items<'a>(&'a self, order: &'a AmazonOrderId) -> SourceFuture<'a, Vec<OrderItem>> {
        if self.calls.fetch_add(1, Ordering::SeqCst) + 1 == self.after {
            (self.trigger)();
        }
        self.inner.order_items(order)
    }

    fn verify(&self) -> SourceFuture<'_, Vec<Participation>> {
        self.inner.verify()
    }

    fn submit_shipment<'a>(
        &'a self,
        shipment: &'a OutgoingShipment,
    ) -> SourceFuture<'a, ShipmentSubmission> {
        self.inner.submit_shipment(shipment)
    }

    fn shipment_outcome<'a>(
        &'a self,
        submission: &'a str,
        order: &'a AmazonOrderId,
    ) -> SourceFuture<'a, ShipmentOutcome> {
        self.inner.shipment_outcome(submission, order)
    }

    fn submit_stock<'a>(
        &'a self,
        levels: &'a [(String, u32)],
    ) -> SourceFuture<'a, StockSubmission> {
        self.inner.submit_stock(levels)
    }

    fn stock_outcome<'a>(&'a self, submission: &'a str) -> SourceFuture<'a, StockOutcome> {
        self.inner.stock_outcome(submission)
    }
}

struct TripwireFactory {
    inner: MwsSourceFactory,
    calls: Arc<AtomicUsize>,
    after: usize,
    trigger: Arc<dyn Fn() + Send + Sync>,
}

impl SourceFactory for TripwireFactory {
    fn source(
        &self,
        connection: &Connection,
        credential: SecretString,
    ) -> Result<Arc<dyn OrderSource>, SourceError> {
        Ok(Arc::new(Tripwire {
            inner: self.inner.source(connection, credential)?,
            calls: Arc::clone(&self.calls),
            after: self.after,
            trigger: Arc::clone(&self.trigger),
        }))
    }
}

/// An importer whose source pulls `trigger` at its `after`-th item listing.
fn tripping_importer(
    world: &World,
    after: usize,
    trigger: impl Fn() + Send + Sync + 'static,
) -> Importer {
    let clock: Arc<dyn Clock> = Arc::new(world.sandbox.clock());
    let factory = TripwireFactory {
        inner: MwsSourceFactory::new(&world.sandbox.mws_settings(), clock.clone()).unwrap(),
        calls: Arc::new(AtomicUsize::new(0)),
        after,
        trigger: Arc::new(trigger),
    };
    let credentials = KeyringCredentials::new(world.store().clone(), world.linked.keyring.clone());
    Importer::new(
        world.store().clone(),
        clock,
        Arc::new(credentials),
        Arc::new(factory),
        import_config(),
    )
}

/// Every stored order has its items.
async fn assert_no_order_without_items(world: &World) {
    let summaries = world.store().order_ids(world.id()).await.unwrap();
    assert!(
        summaries.iter().all(|s| s.item_count > 0),
        "an order was stored without its items"
    );
}

async fn status(world: &World) -> ConnectionStatus {
    let connection = world
        .store()
        .connection(world.id())
        .await
        .unwrap()
        .connection;
    connection.status(world.sandbox.now(), &StatusPolicy::default())
}

async fn audit_actions(world: &World) -> Vec<(AuditAction, String)> {
    let filter = AuditFilter {
        connection: Some(world.id()),
        ..AuditFilter::default()
    };
    let entries = world.store().audit_entries(&filter).await.unwrap();
    entries
        .into_iter()
        .map(|record| (record.entry.action, record.entry.actor.as_str().to_owned()))
        .collect()
}

async fn assert_paused(world: &World) {
    assert_eq!(status(world).await, ConnectionStatus::AccessDenied);
    let runs_before = world
        .store()
        .sync_runs(world.id(), 100)
        .await
        .unwrap()
        .len();
    let again = world.importer.run_once(world.id()).await.unwrap();
    assert_eq!(
        again.outcome,
        ImportOutcome::Paused,
        "later runs stay paused"
    );
    assert_eq!(again.run_id, None);
    assert_eq!(
        world
            .store()
            .sync_runs(world.id(), 100)
            .await
            .unwrap()
            .len(),
        runs_before
    );
}

async fn assert_caught_up(world: &World) {
    let report = world.importer.run_once(world.id()).await.unwrap();
    assert_eq!(
        report.outcome,
        ImportOutcome::Completed,
        "{:?}",
        report.error
    );
    let mark = watermark(world.store(), world.id()).await.unwrap();
    let orders = world.sandbox.orders(&world.linked.seller_id).await;
    assert_matches(world.store(), world.id(), &orders, mark).await;
}

async fn add_orders(world: &World, count: usize) {
    let seller = &world.linked.seller_id;
    for n in 0..count {
        world
            .sandbox
            .post(
                &format!("/_sandbox/sellers/{seller}/orders"),
                json!({ "items": [{ "sku": format!("PAUSE-{n:04}"), "quantity": 1, "unit_price": 500 }] }),
            )
            .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expiry_and_revocation_mid_import_pause_the_connection_and_it_resumes_without_a_gap() {
    let world = World::new(
        Sandbox::start(Options {
            seed: 33,
            orders: 400,
            ..Options::default()
        })
        .await,
    )
    .await;
    let id = world.id();
    let seller = world.linked.seller_id.clone();
    let developer = world.sandbox.developer.developer_id.clone();
    let sandbox_world = world.sandbox.running.world();

    // 1. The grant expires while the first import runs.
    let (w, s, d) = (sandbox_world.clone(), seller.clone(), developer.clone());
    let tripping = tripping_importer(&world, 150, move || {
        lock(&w).expire_now(&s, &d).expect("the grant expires");
    });
    let report = tripping.run_once(id).await.unwrap();
    assert_eq!(report.outcome, ImportOutcome::PausedAccessDenied);
    let in_flight = import_config().items_concurrency as u64;
    assert!(
        report.item_calls >= 149 - in_flight && report.item_calls < 400,
        "{} item listings",
        report.item_calls
    );
    assert_eq!(report.watermark, None);
    assert_no_order_without_items(&world).await;
    assert_eq!(
        report.error.as_ref().map(|e| e.kind.as_str()),
        Some(RefusalCause::SellerAccess.code())
    );
    assert_eq!(
        watermark(world.store(), id).await,
        None,
        "the watermark did not move"
    );
    let run = world
        .store()
        .last_sync_run(id)
        .await
        .unwrap()
        .unwrap()
        .result
        .unwrap();
    assert_eq!(run.outcome, SyncOutcome::PausedAccessDenied);
    assert!(run.error.unwrap().message.contains("AccessDenied"));
    let denial = world
        .store()
        .connection(id)
        .await
        .unwrap()
        .connection
        .grant
        .access_denied
        .unwrap();
    assert_eq!(denial.cause, RefusalCause::SellerAccess);
    assert!(
        audit_actions(&world)
            .await
            .contains(&(AuditAction::AccessDenied, "system:sync".to_owned()))
    );
    assert_paused(&world).await;

    // While paused, the seller keeps selling.
    world.sandbox.advance(SignedDuration::from_mins(30)).await;
    add_orders(&world, 20).await;
    world.sandbox.advance(SignedDuration::from_mins(30)).await;

    // 2. Verification still fails while the grant is expired, then succeeds once the seller restores access.
    let refused = world.importer.verify_connection(id).await.unwrap();
    assert!(matches!(
        refused,
        VerifyOutcome::AccessDenied {
            cause: RefusalCause::SellerAccess,
            ..
        }
    ));
    assert_paused(&world).await;
    world.sandbox.grant_action("restore", &seller).await;
    let VerifyOutcome::Verified(verified) = world.importer.verify_connection(id).await.unwrap()
    else {
        panic!("the restored grant verifies");
    };
    assert!(verified.cleared_access_denied);
    assert!(verified.missing_marketplaces.is_empty());
    let connection = world.store().connection(id).await.unwrap().connection;
    assert!(connection.verified_at.is_some());
    assert_eq!(
        connection.marketplaces[0].name.as_deref(),
        Some("Amazon.co.jp")
    );
    assert_eq!(status(&world).await, ConnectionStatus::Active);
    assert!(
        audit_actions(&world)
            .await
            .contains(&(AuditAction::AccessDeniedCleared, "system:sync".to_owned()))
    );
    assert_caught_up(&world).await;

    // 3. The seller revokes access during an incremental import of several pages.
    add_orders(&world, 230).await;
    world.sandbox.advance(SignedDuration::from_mins(5)).await;
    let before = watermark(world.store(), id).await;
    let (w, s, d) = (sandbox_world.clone(), seller.clone(), developer.clone());
    let tripping = tripping_importer(&world, 100, move || {
        lock(&w)
            .revoke_access(&s, &d)
            .expect("the grant is revoked");
    });
    let report = tripping.run_once(id).await.unwrap();
    assert_eq!(report.outcome, ImportOutcome::PausedAccessDenied);
    assert!(
        report.item_calls < 230,
        "the refusal stopped the run ({} item listings)",
        report.item_calls
    );
    assert_eq!(
        watermark(world.store(), id).await,
        before,
        "the watermark stays where it was"
    );
    assert_no_order_without_items(&world).await;
    assert_paused(&world).await;

    // A revoked grant never comes back: the seller grants access again and the merchant enters the new token.
    let token = world.sandbox.grant(&seller).await;
    let stored = world.store().connection(id).await.unwrap();
    let audit = AuditEntry {
        merchant_id: stored.connection.merchant_id,
        connection_id: Some(id),
        actor: sellerlink_domain::audit::Actor::cli("test"),
        action: AuditAction::CredentialReplaced,
        at: world.sandbox.now(),
        before: None,
        after: None,
    };
    world
        .store()
        .replace_credential(
            id,
            &seal(&world.linked.keyring, id, &token),
            stored.version,
            &audit,
        )
        .await
        .unwrap();
    assert_paused(&world).await;
    let VerifyOutcome::Verified(verified) = world.importer.verify_connection(id).await.unwrap()
    else {
        panic!("the new grant verifies");
    };
    assert!(verified.cleared_access_denied);
    assert_caught_up(&world).await;
}
