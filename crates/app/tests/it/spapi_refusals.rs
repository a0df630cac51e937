//! Refusals of "Connect with Amazon": forged, replayed, expired and foreign states, a seller account already
//! connected to another merchant, an untrusted callback — each refused with a message, and nothing stored.

use jiff::SignedDuration;
use sellerlink_app::{AppError, SpApiCallback, SpApiFailure, SpApiLogin, StateProblem};
use sellerlink_domain::ids::MarketplaceId;

use crate::spapi_support::{Browser, Sandbox, actor, merchant, open_app, spapi_failure};

fn state_problem(error: &AppError) -> StateProblem {
    match spapi_failure(error) {
        SpApiFailure::StateRejected { state } => *state,
        other => panic!("expected a state refusal, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_replayed_expired_and_foreign_states_are_refused_and_nothing_is_stored() {
    let sandbox = Sandbox::start(8, 30).await;
    let dir = tempfile::tempdir().unwrap();
    let app = open_app(dir.path(), &sandbox, &sandbox.demo_app().await).await;
    let takumi = merchant(&app, "匠工房").await;
    let mut browser = Browser::new(&sandbox);
    let japan = MarketplaceId::japan();

    let request = app
        .start_spapi_authorization(takumi.id, &japan, "session-A")
        .await
        .unwrap();
    let callback = browser.consent(request.url.as_str(), &sandbox.seller).await;

    // A state from another browser session, a forged one, none at all, a mangled one: refused.
    let other_session = app
        .complete_spapi_authorization(&callback, "session-B", &actor())
        .await
        .unwrap_err();
    assert_eq!(state_problem(&other_session), StateProblem::OtherSession);
    let forged = SpApiCallback {
        state: Some("0".repeat(64)),
        ..callback.clone()
    };
    let forged = app
        .complete_spapi_authorization(&forged, "session-A", &actor())
        .await
        .unwrap_err();
    assert_eq!(state_problem(&forged), StateProblem::Unknown);
    for state in [None, Some(String::new())] {
        let missing = SpApiCallback {
            state,
            ..callback.clone()
        };
        let missing = app
            .complete_spapi_authorization(&missing, "session-A", &actor())
            .await
            .unwrap_err();
        assert_eq!(state_problem(&missing), StateProblem::Missing);
    }
    let mangled = SpApiCallback {
        state: Some("<script>".into()),
        ..callback.clone()
    };
    let mangled = app
        .complete_spapi_authorization(&mangled, "session-A", &actor())
        .await
        .unwrap_err();
    assert_eq!(state_problem(&mangled), StateProblem::Unknown);
    assert!(
        app.connections(None).await.unwrap().is_empty(),
        "nothing was stored"
    );

    // Every refusal says what to do, in both languages, with a stable code.
    assert_eq!(other_session.code(), "spapi_state_rejected");
    assert!(
        other_session.to_string().contains("Connect with Amazon"),
        "{other_session}"
    );
    assert!(
        other_session.message_ja().contains("Amazonで接続"),
        "{}",
        other_session.message_ja()
    );

    // The session that started it completes it (the refused attempts did not use the state up) — once.
    let connected = app
        .complete_spapi_authorization(&callback, "session-A", &actor())
        .await
        .unwrap();
    assert!(!connected.renewed);
    let replay = app
        .complete_spapi_authorization(&callback, "session-A", &actor())
        .await
        .unwrap_err();
    assert_eq!(state_problem(&replay), StateProblem::AlreadyUsed);

    // A state that comes back after 10 minutes is refused, even by its own session.
    let late = app
        .start_spapi_authorization(takumi.id, &japan, "session-C")
        .await
        .unwrap();
    let late_callback = browser.consent(late.url.as_str(), &sandbox.seller).await;
    sandbox.advance(SignedDuration::from_mins(11)).await;
    let expired = app
        .complete_spapi_authorization(&late_callback, "session-C", &actor())
        .await
        .unwrap_err();
    assert_eq!(state_problem(&expired), StateProblem::Expired);

    // A seller account already connected to one merchant cannot be connected to another.
    let other = merchant(&app, "別の荷主").await;
    let theirs = app
        .start_spapi_authorization(other.id, &japan, "session-D")
        .await
        .unwrap();
    let their_callback = browser.consent(theirs.url.as_str(), &sandbox.seller).await;
    let taken = app
        .complete_spapi_authorization(&their_callback, "session-D", &actor())
        .await
        .unwrap_err();
    assert!(
        matches!(taken, AppError::AlreadyConnected { .. }),
        "{taken:?}"
    );
    assert_eq!(app.connections(None).await.unwrap().len(), 1);

    // A one-time code used twice is refused by LWA (even behind a fresh state).
    let again = app
        .start_spapi_authorization(takumi.id, &japan, "session-E")
        .await
        .unwrap();
    let reused = SpApiCallback {
        state: Some(again.state.clone()),
        ..callback.clone()
    };
    let reused = app
        .complete_spapi_authorization(&reused, "session-E", &actor())
        .await
        .unwrap_err();
    assert!(
        matches!(spapi_failure(&reused), SpApiFailure::CodeRejected { .. }),
        "{reused:?}"
    );

    // The log-in URI never sends the browser (and a fresh state) anywhere but Amazon.
    let login = SpApiLogin {
        amazon_callback_uri: Some("https://evil.example/apps/authorize/confirm/x".into()),
        amazon_state: Some("AMZSTATE".into()),
        selling_partner_id: Some(sandbox.seller.seller_id.clone()),
        version: None,
    };
    let untrusted = app
        .continue_spapi_reauthorization(&login, takumi.id, "session-F")
        .await
        .unwrap_err();
    assert!(
        matches!(
            spapi_failure(&untrusted),
            SpApiFailure::UntrustedCallback { .. }
        ),
        "{untrusted:?}"
    );
    let no_state = SpApiLogin {
        amazon_callback_uri: Some(format!("{}/apps/authorize/confirm/x", sandbox.url())),
        amazon_state: None,
        ..login.clone()
    };
    let no_state = app
        .continue_spapi_reauthorization(&no_state, takumi.id, "session-F")
        .await
        .unwrap_err();
    assert_eq!(
        spapi_failure(&no_state),
        &SpApiFailure::BadParameter {
            name: "amazon_state"
        }
    );

    // An empty session binding binds nothing and is refused before anything is issued.
    assert!(matches!(
        app.start_spapi_authorization(takumi.id, &japan, " ")
            .await
            .unwrap_err(),
        AppError::InvalidInput { .. }
    ));
}
