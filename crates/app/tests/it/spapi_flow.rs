//! "Connect with Amazon" end to end over HTTP: the consent pages, import, the 365-day lapse, the re-authorization
//! from Manage Your Apps through the log-in URI, and the import resuming without a gap.

use jiff::SignedDuration;
use secrecy::ExposeSecret as _;
use sellerlink_app::{SecretCondition, SpApiFailure, SpApiLogin, StateProblem};
use sellerlink_domain::audit::AuditAction;
use sellerlink_domain::connection::{ApiAccount, ConnectionStatus};
use sellerlink_domain::ids::MarketplaceId;
use sellerlink_domain::marketplace::Region;
use sellerlink_domain::refusal::RefusalCause;
use sellerlink_store::AuditFilter;
use sellerlink_sync::ImportOutcome;

use crate::spapi_support::{
    Browser, Sandbox, actor, assert_equal_to_sandbox, merchant, open_app, refresh_token_of,
    spapi_failure,
};

const DAY: SignedDuration = SignedDuration::from_hours(24);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_import_lapse_reauthorize_from_manage_your_apps_and_resume_without_a_gap() {
    let sandbox = Sandbox::start(7, 300).await;
    let dir = tempfile::tempdir().unwrap();
    let demo = sandbox.demo_app().await;
    let mut app = open_app(dir.path(), &sandbox, &demo).await;
    let takumi = merchant(&app, "匠工房").await;
    let mut browser = Browser::new(&sandbox);

    // 1. "Connect with Amazon": Seller Central's consent page (sign-in first), Confirm, back to the redirect URI.
    let request = app
        .start_spapi_authorization(takumi.id, &MarketplaceId::japan(), "session-1")
        .await
        .unwrap();
    assert!(
        request
            .url
            .as_str()
            .starts_with(&format!("{}/apps/authorize/consent?", sandbox.url()))
    );
    assert!(request.url.as_str().contains(&demo.application_id));
    let callback = browser.consent(request.url.as_str(), &sandbox.seller).await;
    assert_eq!(
        callback.state.as_deref(),
        Some(request.state.as_str()),
        "Amazon echoes the state"
    );
    let connected = app
        .complete_spapi_authorization(&callback, "session-1", &actor())
        .await
        .unwrap();
    assert!(!connected.renewed);
    let view = connected.connection;
    let id = view.connection.id;
    assert_eq!(
        view.connection.account,
        ApiAccount::SpApi {
            selling_partner_id: sellerlink_domain::ids::SellingPartnerId::parse(
                &sandbox.seller.seller_id
            )
            .unwrap(),
            region: Region::Fe,
        }
    );
    assert_eq!(view.status, ConnectionStatus::Active);
    assert_eq!(
        view.connection.marketplaces[0].name.as_deref(),
        Some("Amazon.co.jp")
    );
    assert_eq!(view.days_until_expiry, Some(365));
    let first_token = refresh_token_of(&app, id).await;
    assert!(first_token.expose_secret().starts_with("Atzr|"));

    // The same redirect again (a reload, or a replay) is refused and changes nothing.
    let replay = app
        .complete_spapi_authorization(&callback, "session-1", &actor())
        .await
        .unwrap_err();
    assert_eq!(
        spapi_failure(&replay),
        &SpApiFailure::StateRejected {
            state: StateProblem::AlreadyUsed
        }
    );
    assert_eq!(app.connections(None).await.unwrap().len(), 1);

    // 2. Orders are imported and equal the sandbox's.
    let first = app.sync_connection(id, Default::default()).await.unwrap();
    assert_eq!(first.outcome, ImportOutcome::Completed, "{:?}", first.error);
    assert_equal_to_sandbox(app.store(), id, &sandbox).await;
    assert!(first.orders_new > 200);

    // 3. A year goes by. The operator rotates the app's client secret before each 180-day deadline (restarting
    //    with the new one); sellers' authorizations are untouched and imports keep working.
    //    (The demo secret was issued when the sandbox's world was generated, 12 days before the consent.)
    for days in [160, 170] {
        sandbox.advance(DAY * days).await;
        let status = app.app_credentials_status(sandbox.now()).unwrap();
        assert_eq!(
            status.condition,
            SecretCondition::ExpiringSoon,
            "{}",
            status.message_en()
        );
        let rotated = sandbox.rotate_secret().await;
        app = open_app(dir.path(), &sandbox, &rotated).await;
        assert_eq!(
            app.app_credentials_status(sandbox.now()).unwrap().condition,
            SecretCondition::Valid
        );
        sandbox.place_order("YEARLY-TEA").await;
        sandbox.advance(SignedDuration::from_mins(5)).await;
        let report = app.sync_connection(id, Default::default()).await.unwrap();
        assert_eq!(
            report.outcome,
            ImportOutcome::Completed,
            "{:?}",
            report.error
        );
    }
    sandbox.advance(DAY * 10).await;
    let view = app.connection(id).await.unwrap();
    assert!(
        matches!(
            view.status,
            ConnectionStatus::ExpiringSoon { days_left: 25 }
        ),
        "{:?}",
        view.status
    );

    // 4. Day 366: the authorization has lapsed. The import pauses with the classified refusal.
    sandbox.advance(DAY * 26).await;
    let lapsed = app.sync_connection(id, Default::default()).await.unwrap();
    assert_eq!(
        lapsed.outcome,
        ImportOutcome::PausedAccessDenied,
        "{:?}",
        lapsed.error
    );
    assert_eq!(
        lapsed.error.as_ref().map(|e| e.kind.as_str()),
        Some(RefusalCause::AuthorizationLost.code())
    );
    let paused = app.connection(id).await.unwrap();
    assert_eq!(
        paused
            .connection
            .grant
            .access_denied
            .as_ref()
            .map(|d| d.cause),
        Some(RefusalCause::AuthorizationLost)
    );
    assert_eq!(paused.status, ConnectionStatus::Expired);
    assert_eq!(
        app.sync_connection(id, Default::default())
            .await
            .unwrap()
            .outcome,
        ImportOutcome::Paused
    );

    // The seller keeps selling while the connection is paused.
    let while_paused = [
        sandbox.place_order("PAUSED-1").await,
        sandbox.place_order("PAUSED-2").await,
    ];
    sandbox.advance(SignedDuration::from_hours(1)).await;

    // 5. Seller Central → Manage Your Apps → Re-authorize → the app's log-in URI → (signed in) back to Amazon →
    //    the redirect URI: recognized as the renewal of the same connection.
    let login_url = browser
        .reauthorize_from_manage_your_apps(&demo.application_id, &sandbox.seller)
        .await;
    let login = SpApiLogin::from_query(&crate::spapi_support::query_of(&login_url));
    assert_eq!(
        login.selling_partner_id.as_deref(),
        Some(sandbox.seller.seller_id.as_str())
    );
    let back = app
        .continue_spapi_reauthorization(&login, takumi.id, "session-2")
        .await
        .unwrap();
    assert!(
        back.as_str()
            .starts_with(&format!("{}/apps/authorize/confirm/", sandbox.url()))
    );
    let callback = browser.back_to_amazon(back.as_str(), &sandbox.seller).await;
    let renewed = app
        .complete_spapi_authorization(&callback, "session-2", &actor())
        .await
        .unwrap();
    assert!(renewed.renewed);
    let view = renewed.connection;
    assert_eq!(view.connection.id, id, "no second connection");
    assert_eq!(view.status, ConnectionStatus::Active);
    assert_eq!(
        view.days_until_expiry,
        Some(365),
        "the 365-day clock starts again today"
    );
    assert_eq!(view.connection.grant.access_denied, None);
    assert_ne!(
        refresh_token_of(&app, id).await.expose_secret(),
        first_token.expose_secret(),
        "the new refresh token replaced the lapsed one"
    );
    assert_eq!(app.connections(None).await.unwrap().len(), 1);
    let audit = app
        .store()
        .audit_entries(&AuditFilter {
            connection: Some(id),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    let actions: Vec<AuditAction> = audit.iter().map(|r| r.entry.action).collect();
    assert_eq!(
        &actions[..2],
        [AuditAction::Renewed, AuditAction::CredentialReplaced],
        "{actions:?}"
    );
    assert_eq!(audit[0].entry.actor.as_str(), "user:merchant-user-1");

    // 6. The import resumes from its watermark: nothing sold while paused is missing.
    let resumed = app.sync_connection(id, Default::default()).await.unwrap();
    assert_eq!(
        resumed.outcome,
        ImportOutcome::Completed,
        "{:?}",
        resumed.error
    );
    assert_equal_to_sandbox(app.store(), id, &sandbox).await;
    for order in &while_paused {
        let order = sellerlink_domain::ids::AmazonOrderId::parse(order).unwrap();
        assert!(
            app.store().order(id, &order).await.unwrap().is_some(),
            "{order} was imported"
        );
    }
}
