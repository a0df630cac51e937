//! Access lost in the middle of an import, through either API — the MWS grant or the SP-API authorization lapses, the
//! seller revokes it — pauses the connection with the seller's cause; it resumes without a gap once access is back
//! and verified. An SP-API app's expired client secret pauses its connections for the operator instead.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use jiff::SignedDuration;
use secrecy::SecretString;
use sellerlink_domain::audit::AuditAction;
use sellerlink_domain::clock::Clock;
use sellerlink_domain::connection::Connection;
use sellerlink_domain::connection::ConnectionStatus;
use sellerlink_domain::ids::AmazonOrderId;
use sellerlink_domain::lifecycle::StatusPolicy;
use sellerlink_domain::order::OrderItem;
use sellerlink_domain::refusal::RefusalCause;
use sellerlink_sandbox::GrantsHandle;
use sellerlink_store::{AuditFilter, SyncOutcome};
use sellerlink_sync::{
    AmazonGateway, GatewayError, GatewayFactory, GatewayFuture, ImportOutcome, Importer,
    MwsGatewayFactory, OrdersPage, OutgoingShipment, PageToken, Participation, Progress,
    RunOptions, ShipmentOutcome, ShipmentSubmission, StockOutcome, StockSubmission, SyncReport,
    VerifyOutcome, Window,
};
use sellerlink_testkit::sandbox_control::GrantAction;
use serde_json::json;

use crate::compare::watermark;
use crate::sandbox::Options;
use crate::setup::{Api, World, import_config, importer_with_factory};

/// The real MWS gateway, which pulls a trigger (once) when its `after`-th item listing is asked for: the seller acts
/// in Seller Central while the import runs.
struct Tripwire {
    inner: Arc<dyn AmazonGateway>,
    calls: Arc<AtomicUsize>,
    after: usize,
    trigger: Arc<dyn Fn() + Send + Sync>,
}

impl AmazonGateway for Tripwire {
    fn updated_orders_page<'a>(
        &'a self,
        window: &'a Window,
        page: Option<&'a PageToken>,
    ) -> GatewayFuture<'a, OrdersPage> {
        self.inner.updated_orders_page(window, page)
    }

    fn order_items<'a>(&'a self, order: &'a AmazonOrderId) -> GatewayFuture<'a, Vec<OrderItem>> {
        if self.calls.fetch_add(1, Ordering::SeqCst) + 1 == self.after {
            (self.trigger)();
        }
        self.inner.order_items(order)
    }

    fn verify(&self) -> GatewayFuture<'_, Vec<Participation>> {
        self.inner.verify()
    }

    fn submit_shipment<'a>(
        &'a self,
        shipment: &'a OutgoingShipment,
    ) -> GatewayFuture<'a, ShipmentSubmission> {
        self.inner.submit_shipment(shipment)
    }

    fn shipment_outcome<'a>(
        &'a self,
        submission: &'a str,
        order: &'a AmazonOrderId,
    ) -> GatewayFuture<'a, ShipmentOutcome> {
        self.inner.shipment_outcome(submission, order)
    }

    fn submit_stock<'a>(
        &'a self,
        levels: &'a [(String, u32)],
    ) -> GatewayFuture<'a, StockSubmission> {
        self.inner.submit_stock(levels)
    }

    fn stock_outcome<'a>(&'a self, submission: &'a str) -> GatewayFuture<'a, StockOutcome> {
        self.inner.stock_outcome(submission)
    }
}

struct TripwireFactory {
    inner: MwsGatewayFactory,
    calls: Arc<AtomicUsize>,
    after: usize,
    trigger: Arc<dyn Fn() + Send + Sync>,
}

impl GatewayFactory for TripwireFactory {
    fn gateway(
        &self,
        connection: &Connection,
        credential: SecretString,
    ) -> Result<Arc<dyn AmazonGateway>, GatewayError> {
        Ok(Arc::new(Tripwire {
            inner: self.inner.gateway(connection, credential)?,
            calls: Arc::clone(&self.calls),
            after: self.after,
            trigger: Arc::clone(&self.trigger),
        }))
    }
}

/// An MWS importer whose gateway pulls `trigger` at its `after`-th item listing.
fn tripping_importer(
    world: &World,
    after: usize,
    trigger: impl Fn() + Send + Sync + 'static,
) -> Importer {
    let clock: Arc<dyn Clock> = Arc::new(world.sandbox.clock());
    let factory = TripwireFactory {
        inner: MwsGatewayFactory::new(&world.sandbox.mws_settings(), clock.clone()).unwrap(),
        calls: Arc::new(AtomicUsize::new(0)),
        after,
        trigger: Arc::new(trigger),
    };
    importer_with_factory(
        world.store(),
        clock,
        world.linked.keyring.clone(),
        Arc::new(factory),
        import_config(),
    )
}

/// Run options that call `during` once, right after the run's first page is committed.
fn after_first_page(during: impl Fn() + Send + Sync + 'static) -> RunOptions {
    let done = AtomicBool::new(false);
    RunOptions {
        progress: Some(Arc::new(move |progress: &Progress| {
            if progress.pages == 1 && !done.swap(true, Ordering::SeqCst) {
                during();
            }
        })),
        cancel: None,
    }
}

/// How the seller's access ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Loss {
    /// The MWS grant expires; the SP-API authorization reaches its 365th day.
    Lapse,
    /// The seller revokes the grant or the authorization in Seller Central.
    Revocation,
}

/// Ends the seller's access at once, from inside a running import, as Amazon would.
fn end_access(grants: &GrantsHandle, api: Api, seller: &str, holder: &str, loss: Loss) {
    match (api, loss) {
        (Api::Mws, Loss::Lapse) => grants
            .expire_grant_now(seller, holder)
            .expect("the grant expires"),
        (Api::Mws, Loss::Revocation) => grants
            .revoke_grant(seller, holder)
            .expect("the grant is revoked"),
        (Api::SpApi, Loss::Lapse) => grants
            .expire_authorization_now(seller, holder)
            .expect("the authorization lapses"),
        (Api::SpApi, Loss::Revocation) => grants
            .revoke_authorization(seller, holder)
            .expect("the authorization is revoked"),
    }
}

/// Runs an import during which the seller's access ends: through MWS, which lists each order's items on its own,
/// at the `mws_item_listing`-th listing; through SP-API, whose pages carry their items, once the first page is
/// committed.
async fn import_while_access_ends(
    world: &World,
    loss: Loss,
    mws_item_listing: usize,
) -> SyncReport {
    let (api, grants) = (world.api, world.sandbox.running.grants());
    let seller = world.linked.seller_id.clone();
    let holder = match api {
        Api::Mws => world.sandbox.developer.developer_id.clone(),
        Api::SpApi => world.app.application_id.clone(),
    };
    let end = move || end_access(&grants, api, &seller, &holder, loss);
    let report = match api {
        Api::Mws => {
            let tripping = tripping_importer(world, mws_item_listing, end);
            tripping.run_once(world.id()).await
        }
        Api::SpApi => {
            let options = after_first_page(end);
            world.importer.run_once_with(world.id(), options).await
        }
    };
    report.unwrap()
}

/// The seller gives access back: an expired MWS grant is restored; otherwise (a revoked grant never comes back, a
/// lapsed or revoked authorization never works again) the seller grants or authorizes anew and the merchant stores
/// the new credential.
async fn give_access_back(world: &World, loss: Loss) {
    let seller = &world.linked.seller_id;
    if (world.api, loss) == (Api::Mws, Loss::Lapse) {
        world
            .sandbox
            .grant_action(GrantAction::Restore, seller)
            .await;
    } else {
        let credential = world.api.grant_access(&world.sandbox, seller).await;
        world.replace_credential(&credential).await;
    }
}

/// The cause of the seller's lost access, as each API reports it, and what Amazon's answer says.
fn seller_refusal(api: Api) -> (RefusalCause, &'static str) {
    match api {
        Api::Mws => (RefusalCause::SellerAccess, "AccessDenied"),
        Api::SpApi => (
            RefusalCause::AuthorizationLost,
            "revoked, malformed or invalid",
        ),
    }
}

/// Every stored order has its items.
async fn assert_no_order_without_items(world: &World) {
    let summaries = world.store().order_ids(world.id()).await.unwrap();
    assert!(
        summaries.iter().all(|s| s.item_count > 0),
        "an order was stored without its items"
    );
}

async fn connection(world: &World) -> Connection {
    world
        .store()
        .connection(world.id())
        .await
        .unwrap()
        .connection
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

/// The run was refused with `cause` and Amazon's `message`, and recorded so.
async fn assert_refused(world: &World, report: &SyncReport, cause: RefusalCause, message: &str) {
    assert_eq!(
        report.outcome,
        ImportOutcome::PausedAccessDenied,
        "{:?}",
        report.error
    );
    let error = report.error.as_ref().expect("the refusal is reported");
    assert_eq!(error.kind, cause.code());
    assert!(error.message.contains(message), "{}", error.message);
    let run = world
        .store()
        .last_sync_run(world.id())
        .await
        .unwrap()
        .unwrap()
        .result
        .unwrap();
    assert_eq!(run.outcome, SyncOutcome::PausedAccessDenied);
    let recorded = run.error.unwrap().message;
    assert!(recorded.contains(message), "{recorded}");
}

/// The connection is paused for `cause`, and later runs stay paused without calling Amazon or recording a run.
async fn assert_paused(world: &World, cause: RefusalCause) {
    let connection = connection(world).await;
    assert_eq!(
        connection.status(world.sandbox.now(), &StatusPolicy::default()),
        ConnectionStatus::AccessDenied
    );
    assert_eq!(connection.grant.access_denied.map(|d| d.cause), Some(cause));
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
        "later runs stay paused without calling Amazon"
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

/// Access is back: the connection verifies (clearing the pause, naming its marketplace), is active again, and the
/// next import catches up with everything the seller sold meanwhile.
async fn assert_resumes(world: &World) {
    let VerifyOutcome::Verified(verified) =
        world.importer.verify_connection(world.id()).await.unwrap()
    else {
        panic!("access is back, so the connection verifies");
    };
    assert!(verified.cleared_access_denied);
    assert!(verified.missing_marketplaces.is_empty());
    let connection = connection(world).await;
    assert!(connection.verified_at.is_some());
    assert_eq!(
        connection.marketplaces[0].name.as_deref(),
        Some("Amazon.co.jp")
    );
    assert_eq!(
        connection.status(world.sandbox.now(), &StatusPolicy::default()),
        ConnectionStatus::Active
    );
    assert!(
        audit_actions(world)
            .await
            .contains(&(AuditAction::AccessDeniedCleared, "system:sync".to_owned()))
    );
    let report = world.importer.run_once(world.id()).await.unwrap();
    assert_eq!(
        report.outcome,
        ImportOutcome::Completed,
        "{:?}",
        report.error
    );
    world.assert_equal_to_sandbox().await;
}

/// Each refusal was recorded once, by the sync, and cleared once.
async fn assert_each_refusal_alerted_once(world: &World, refusals: usize) {
    let actions = audit_actions(world).await;
    let count = |wanted: AuditAction| actions.iter().filter(|(a, _)| *a == wanted).count();
    assert_eq!(
        (
            count(AuditAction::AccessDenied),
            count(AuditAction::AccessDeniedCleared)
        ),
        (refusals, refusals),
        "one refusal per incident (a verification that repeats the run's refusal logs nothing new), each cleared \
         once: {actions:?}"
    );
    assert!(
        actions
            .iter()
            .all(|(action, actor)| actor == "system:sync" || *action != AuditAction::AccessDenied)
    );
}

async fn add_orders(world: &World, count: usize) {
    let seller = &world.linked.seller_id;
    for n in 0..count {
        world
            .sandbox
            .control
            .place_order(
                seller,
                json!({ "items": [{ "sku": format!("PAUSE-{n:04}"), "quantity": 1, "unit_price": 500 }] }),
            )
            .await;
    }
}

async fn lost_access_mid_import_pauses_the_connection_and_it_resumes_without_a_gap(api: Api) {
    let (seed, orders) = match api {
        Api::Mws => (33, 400),
        Api::SpApi => (34, 450),
    };
    let world = World::start(api, Options::generated(seed, orders)).await;
    let id = world.id();
    let (cause, message) = seller_refusal(api);
    if api == Api::SpApi {
        // searchOrders pages come without item calls in between, so the lister would read the whole window before
        // the first commit; slowing each page down lets the changes below land while pages are still to be read.
        world
            .sandbox
            .control
            .set_fault("searchOrders", json!({ "slow": 1.0, "slow_ms": 300 }))
            .await;
    }

    // 1. The grant expires (the authorization reaches its 365th day) while the first import runs: what was
    //    committed stays, the watermark does not move, and the refusal is recorded as the seller's to fix.
    let report = import_while_access_ends(&world, Loss::Lapse, 150).await;
    assert_refused(&world, &report, cause, message).await;
    match api {
        Api::Mws => {
            let in_flight = import_config().items_concurrency as u64;
            assert!(
                report.item_calls >= 149 - in_flight && report.item_calls < 400,
                "{} item listings",
                report.item_calls
            );
        }
        Api::SpApi => assert!(
            report.pages >= 1 && report.pages < 5,
            "{} pages committed before the refusal",
            report.pages
        ),
    }
    assert_eq!(report.watermark, None);
    assert_no_order_without_items(&world).await;
    assert_eq!(
        watermark(world.store(), id).await,
        None,
        "the watermark did not move"
    );
    assert!(
        audit_actions(&world)
            .await
            .contains(&(AuditAction::AccessDenied, "system:sync".to_owned()))
    );
    assert_paused(&world, cause).await;

    // While paused, the seller keeps selling; verification keeps failing (through SP-API once the cached access
    // token has expired too: LWA answers invalid_grant).
    world.sandbox.advance(SignedDuration::from_mins(30)).await;
    add_orders(&world, 20).await;
    let paused_for = match api {
        Api::Mws => SignedDuration::from_mins(30),
        Api::SpApi => SignedDuration::from_hours(2),
    };
    world.sandbox.advance(paused_for).await;
    let refused = world.importer.verify_connection(id).await.unwrap();
    assert!(
        matches!(refused, VerifyOutcome::AccessDenied { cause: refused_for, .. } if refused_for == cause),
        "{refused:?}"
    );
    assert_paused(&world, cause).await;

    // 2. The seller gives access back; the connection stays paused until it is verified, then catches up.
    give_access_back(&world, Loss::Lapse).await;
    assert_paused(&world, cause).await;
    assert_resumes(&world).await;

    // 3. The seller revokes access during an incremental import of several pages.
    add_orders(&world, 230).await;
    world.sandbox.advance(SignedDuration::from_mins(5)).await;
    let before = watermark(world.store(), id).await;
    let report = import_while_access_ends(&world, Loss::Revocation, 100).await;
    assert_eq!(
        report.outcome,
        ImportOutcome::PausedAccessDenied,
        "{:?}",
        report.error
    );
    if api == Api::Mws {
        assert!(
            report.item_calls < 230,
            "the refusal stopped the run ({} item listings)",
            report.item_calls
        );
    }
    assert_eq!(
        watermark(world.store(), id).await,
        before,
        "the watermark stays where it was"
    );
    assert_no_order_without_items(&world).await;
    assert_paused(&world, cause).await;

    // The seller grants access anew and the merchant enters the new credential: still paused until verified.
    give_access_back(&world, Loss::Revocation).await;
    world.sandbox.control.clear_faults().await;
    assert_paused(&world, cause).await;
    assert_resumes(&world).await;
    assert_each_refusal_alerted_once(&world, 2).await;
}

on_both_apis!(lost_access_mid_import_pauses_the_connection_and_it_resumes_without_a_gap);

/// The operator lets the SP-API app's client secret expire: once the cached access token is gone, LWA answers
/// invalid_client and the connection pauses for the operator (invalid_client), not for the seller; rotating the
/// secret and restarting with it resumes the connection, the seller's refresh token untouched.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_spapi_app_secret_pauses_the_connection_until_the_operator_rotates_it() {
    let mut world = World::start(Api::SpApi, Options::generated(35, 60)).await;
    let id = world.id();
    let app_id = world.app.application_id.clone();
    let first = world.importer.run_once(id).await.unwrap();
    assert_eq!(first.outcome, ImportOutcome::Completed, "{:?}", first.error);

    world.sandbox.control.expire_secrets(&app_id).await;
    world.sandbox.advance(SignedDuration::from_hours(2)).await;
    add_orders(&world, 5).await;
    world.sandbox.advance(SignedDuration::from_mins(5)).await;
    let report = world.importer.run_once(id).await.unwrap();
    assert_eq!(
        report.outcome,
        ImportOutcome::PausedAccessDenied,
        "{:?}",
        report.error
    );
    assert_eq!(
        report.error.as_ref().map(|e| e.kind.as_str()),
        Some(RefusalCause::AppCredentialsRejected.code())
    );
    assert_paused(&world, RefusalCause::AppCredentialsRejected).await;

    world.sandbox.control.rotate_secret(&app_id).await;
    world.app = world.sandbox.demo_app().await;
    let settings = world.settings();
    world.reconfigure(&settings);
    assert_resumes(&world).await;
    assert_each_refusal_alerted_once(&world, 1).await;
}
