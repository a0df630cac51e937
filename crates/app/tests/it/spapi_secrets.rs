//! The operator's client secret runs out (every SP-API connection pauses for the operator, not the seller), and the
//! seller's refresh token never shows up in logs, `Debug`, error texts, the audit log or the database file.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use jiff::SignedDuration;
use secrecy::ExposeSecret as _;
use sellerlink_app::{SecretCondition, SpApiCallback, VerifyOutcome};
use sellerlink_domain::ids::MarketplaceId;
use sellerlink_domain::refusal::RefusalCause;
use sellerlink_store::AuditFilter;
use sellerlink_sync::ImportOutcome;
use sellerlink_testkit::sandbox_control::AuthorizationAction;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

use crate::spapi_support::{
    Browser, Sandbox, actor, assert_equal_to_sandbox, merchant, open_app, refresh_token_of,
};

const DAY: SignedDuration = SignedDuration::from_hours(24);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_client_secret_pauses_the_connection_for_the_operator_until_it_is_rotated() {
    let sandbox = Sandbox::start(9, 100).await;
    let dir = tempfile::tempdir().unwrap();
    let demo = sandbox.demo_app().await;
    let app = open_app(dir.path(), &sandbox, &demo).await;
    let takumi = merchant(&app, "匠工房").await;
    let request = app
        .start_spapi_authorization(takumi.id, &MarketplaceId::japan(), "s")
        .await
        .unwrap();
    let callback = Browser::new(&sandbox)
        .consent(request.url.as_str(), &sandbox.seller)
        .await;
    let id = app
        .complete_spapi_authorization(&callback, "s", &actor())
        .await
        .unwrap()
        .connection
        .connection
        .id;
    let first = app.sync_connection(id, Default::default()).await.unwrap();
    assert_eq!(first.outcome, ImportOutcome::Completed, "{:?}", first.error);

    // Nobody rotates the secret: 180 days after it was issued, LWA refuses it.
    let status = app.app_credentials_status(sandbox.now()).unwrap();
    assert_eq!(
        (status.condition, status.expires_on),
        (SecretCondition::Valid, demo.secret_expires_on)
    );
    sandbox.advance(DAY * 170).await;
    let status = app.app_credentials_status(sandbox.now()).unwrap();
    assert_eq!(
        status.condition,
        SecretCondition::Expired,
        "{}",
        status.message_en()
    );
    assert!(status.message_ja().contains("期限切れ"));
    let paused = app.sync_connection(id, Default::default()).await.unwrap();
    assert_eq!(
        paused.outcome,
        ImportOutcome::PausedAccessDenied,
        "{:?}",
        paused.error
    );
    assert_eq!(
        paused.error.as_ref().map(|e| e.kind.as_str()),
        Some(RefusalCause::AppCredentialsRejected.code())
    );
    let view = app.connection(id).await.unwrap();
    assert_eq!(
        view.connection.grant.access_denied.map(|d| d.cause),
        Some(RefusalCause::AppCredentialsRejected)
    );

    // The operator rotates it and restarts; verifying clears the pause, and the import catches up.
    let rotated = sandbox.rotate_secret().await;
    let app = open_app(dir.path(), &sandbox, &rotated).await;
    assert_eq!(
        app.app_credentials_status(sandbox.now()).unwrap().condition,
        SecretCondition::Valid
    );
    sandbox.place_order("AFTER-ROTATION").await;
    sandbox.advance(SignedDuration::from_mins(5)).await;
    let VerifyOutcome::Verified(verified) = app.verify_connection(id).await.unwrap() else {
        panic!("the seller's authorization still works with the new secret");
    };
    assert!(verified.cleared_access_denied);
    let resumed = app.sync_connection(id, Default::default()).await.unwrap();
    assert_eq!(
        resumed.outcome,
        ImportOutcome::Completed,
        "{:?}",
        resumed.error
    );
    assert_equal_to_sandbox(app.store(), id, &sandbox).await;
}

/// Collects everything the tracing subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Every log line of this test process at TRACE (the sandbox, Amazon's side, excluded). Global, because a
/// thread-local subscriber misses events whose callsites other tests' threads reached first.
fn captured_logs() -> &'static Captured {
    static LOGS: OnceLock<Captured> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Captured::default();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(EnvFilter::new("trace,sellerlink_sandbox=off"))
            .with_writer(logs.clone())
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_global_default(subscriber)
            .expect("no other test installs a global subscriber");
        logs
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_refresh_token_never_appears_in_logs_debug_errors_audit_or_the_database() {
    let logs = captured_logs();
    let sandbox = Sandbox::start(10, 60).await;
    let dir = tempfile::tempdir().unwrap();
    let demo = sandbox.demo_app().await;
    let app = open_app(dir.path(), &sandbox, &demo).await;
    let takumi = merchant(&app, "匠工房").await;
    let mut browser = Browser::new(&sandbox);
    let mut texts: Vec<String> = Vec::new();

    // A connection, an import, a lapse with its refusal, a renewal, a failed replay, a bad code.
    let request = app
        .start_spapi_authorization(takumi.id, &MarketplaceId::japan(), "s1")
        .await
        .unwrap();
    texts.push(format!("{request:?}"));
    let callback = browser.consent(request.url.as_str(), &sandbox.seller).await;
    texts.push(format!("{callback:?}"));
    let connected = app
        .complete_spapi_authorization(&callback, "s1", &actor())
        .await
        .unwrap();
    texts.push(format!("{connected:?}"));
    texts.push(serde_json::to_string(&connected.connection).unwrap());
    let id = connected.connection.connection.id;
    let mut stored_tokens = vec![refresh_token_of(&app, id).await.expose_secret().to_owned()];
    texts.push(format!(
        "{:?}",
        app.sync_connection(id, Default::default()).await.unwrap()
    ));
    sandbox
        .control
        .authorization_action(AuthorizationAction::Revoke, &sandbox.seller.seller_id, None)
        .await;
    sandbox.advance(SignedDuration::from_hours(2)).await;
    let refused = app.sync_connection(id, Default::default()).await.unwrap();
    assert_eq!(refused.outcome, ImportOutcome::PausedAccessDenied);
    texts.push(format!("{refused:?}"));
    texts.push(format!("{:?}", app.verify_connection(id).await.unwrap()));
    let again = app
        .start_spapi_authorization(takumi.id, &MarketplaceId::japan(), "s2")
        .await
        .unwrap();
    let renewal = browser.consent(again.url.as_str(), &sandbox.seller).await;
    let renewed = app
        .complete_spapi_authorization(&renewal, "s2", &actor())
        .await
        .unwrap();
    assert!(renewed.renewed);
    stored_tokens.push(refresh_token_of(&app, id).await.expose_secret().to_owned());
    texts.push(format!("{renewed:?}"));
    for bad in [&callback, &renewal] {
        let error = app
            .complete_spapi_authorization(bad, "s2", &actor())
            .await
            .unwrap_err();
        texts.push(format!("{error} {error:?} {}", error.message_ja()));
    }
    let reused_code = SpApiCallback {
        state: Some(
            app.start_spapi_authorization(takumi.id, &MarketplaceId::japan(), "s3")
                .await
                .unwrap()
                .state,
        ),
        ..renewal.clone()
    };
    let error = app
        .complete_spapi_authorization(&reused_code, "s3", &actor())
        .await
        .unwrap_err();
    texts.push(format!("{error} {error:?} {}", error.message_ja()));
    texts.push(format!("{app:?} {:?}", app.settings()));
    texts.push(format!("{:?}", app.connections(None).await.unwrap()));
    let audit = app
        .store()
        .audit_entries(&AuditFilter {
            connection: Some(id),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    texts.extend(
        audit
            .iter()
            .map(|record| serde_json::to_string(&record.entry).unwrap()),
    );
    let runs = app.store().sync_runs(id, 100).await.unwrap();
    texts.extend(runs.iter().map(|run| format!("{run:?}")));
    app.store().close().await;
    let database = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.to_string_lossy().contains("app.db"))
        .map(|path| String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned())
        .collect::<Vec<_>>()
        .join("\n");

    let mut secrets = sandbox.refresh_tokens().await;
    secrets.extend(stored_tokens);
    secrets.push(demo.client_secret.clone());
    secrets.extend([&callback, &renewal].map(|c| c.spapi_oauth_code.clone().unwrap()));
    assert!(secrets.len() >= 5, "{} secrets to look for", secrets.len());
    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("SP-API authorization stored"),
        "the logs were captured: {} bytes: {}",
        logs.len(),
        &logs[..logs.len().min(3000)]
    );
    for secret in &secrets {
        // The distinctive part: LWA tokens share a prefix (`Atzr|`), codes start with `AN`.
        let tail = &secret[secret.len().saturating_sub(24)..];
        assert!(
            !logs.contains(tail),
            "a secret ending in …{} is in the logs",
            &tail[tail.len() - 4..]
        );
        assert!(
            !database.contains(tail),
            "a secret is in the database file in clear"
        );
        for text in &texts {
            assert!(!text.contains(tail), "a secret is in: {text}");
        }
    }
}
