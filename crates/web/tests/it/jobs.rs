//! `/api/v1/jobs` and the jobs page: an operator sees every background job with each process's last run and the
//! import queue; a merchant's user and a merchant's API key are refused.

use axum::http::{Method, StatusCode};
use sellerlink_app::{JobKind, JobSettings, Jobs};
use sellerlink_domain::connection::Language;
use sellerlink_store::Role;

use crate::support::TestApp;

#[tokio::test]
async fn operators_see_each_jobs_last_run_and_the_import_queue_and_merchants_are_refused() {
    let world = TestApp::new().await;
    world.operator().await;
    let acme = world.merchant("Acme").await;
    // A new connection is due at once: the import queue holds it.
    world.connection(&acme, "A1B2C3D4E5F6G7", 10).await;
    world
        .user("owner@acme.example", Role::Merchant(acme.id), Language::Ja)
        .await;
    // A run, as a worker records it.
    let settings = JobSettings {
        buyer_data_days: 30,
        ..JobSettings::default()
    };
    Jobs::new(&world.app, settings).unwrap().run_due_now().await;

    let mut operator = world.browser().signed_in("ops@3pl.example").await;
    let reply = operator.api(Method::GET, "/api/v1/jobs", None, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let body = reply.json();
    let jobs = body["jobs"].as_array().unwrap();
    let names: Vec<&str> = jobs
        .iter()
        .map(|job| job["name"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = JobKind::ALL.iter().map(|kind| kind.as_str()).collect();
    assert_eq!(names, expected, "every job, run or not");
    let erasure = &jobs[4];
    assert_eq!(erasure["label"], "Buyer-data erasure");
    assert_eq!(erasure["label_ja"], "購入者情報の削除");
    let run = &erasure["runs"][0];
    assert_eq!(run["outcome"], "ok", "{run}");
    assert_eq!(run["process"], world.app.lease_owner().to_string());
    assert_eq!(run["interval_seconds"], 86_400);
    assert!(run["finished_at"].is_string(), "{run}");
    assert!(
        run["summary"]
            .as_str()
            .unwrap()
            .starts_with("erased the buyer data of 0"),
        "{run}"
    );
    assert_eq!(
        jobs[0]["runs"],
        serde_json::json!([]),
        "no process imports here"
    );
    assert_eq!(body["import_queue"]["due"], 1);
    assert_eq!(body["import_queue"]["oldest_due_age_seconds"], 0);

    let page = operator.get("/operator/jobs").await;
    assert_eq!(page.status, StatusCode::OK);
    for shown in [
        "購入者情報の削除",
        r#"data-job="buyer_data_erasure" data-outcome="ok""#,
        "1 日ごと",
        "成功",
        r#"data-job="imports""#,
        "まだどのプロセスも実行していません。",
        "取り込み待ち: 1 件",
    ] {
        assert!(page.body.contains(shown), "{shown} in {}", page.body);
    }
    let overview = operator.get("/operator").await;
    assert!(overview.body.contains(r#"href="/operator/jobs""#));

    // A merchant's user: 403 on both.
    let mut owner = world.browser().signed_in("owner@acme.example").await;
    let refused = owner.api(Method::GET, "/api/v1/jobs", None, None).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.code(), "forbidden");
    assert_eq!(
        owner.get("/operator/jobs").await.status,
        StatusCode::FORBIDDEN
    );
    // A merchant's API key, whatever its scopes: the endpoint is for sessions.
    let csrf = owner.csrf().await;
    let created = owner
        .api(
            Method::POST,
            "/api/v1/api-keys",
            Some(serde_json::json!({ "name": "Everything", "scopes": ["connections:read", "connections:manage", "orders:read", "shipments:write", "stock:write", "notifications:read", "notifications:manage"] })),
            Some(&csrf),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let key = created.json()["key"].as_str().unwrap().to_owned();
    let by_key = world
        .api_with_key(Method::GET, "/api/v1/jobs", &key, None)
        .await;
    assert_eq!(by_key.status, StatusCode::FORBIDDEN);
    assert_eq!(by_key.code(), "session_required");
}
