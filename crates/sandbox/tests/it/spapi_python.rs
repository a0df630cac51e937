//! A third-party SP-API client (python-amazon-sp-api from PyPI) works against the sandbox: its
//! LWA client refreshes at the sandbox's token endpoint, and its Sellers and Orders 2026-01-01
//! clients call the sandbox over HTTPS and parse the answers.

use crate::spapi_support::{demo_app, self_authorize};
use crate::support::{JP, TestSandbox};

#[tokio::test]
async fn python_sp_api_library_authenticates_calls_and_parses() {
    let python = sellerlink_testkit::tools::python_with(&["sp_api.api"]);
    let sandbox = TestSandbox::start().await;
    let (_, client_id, secret) = demo_app(&sandbox).await;
    let refresh = self_authorize(&sandbox, &sandbox.seller.seller_id).await;
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/python/spapi_client_check.py"
    );
    let output = tokio::process::Command::new(&python)
        .arg(script)
        .args([
            &sandbox.running.https_url(),
            &client_id,
            &secret,
            &refresh,
            "2024-02-01T00:00:00Z",
        ])
        .env("REQUESTS_CA_BUNDLE", sandbox.running.ca_pem_path())
        .env("SSL_CERT_FILE", sandbox.running.ca_pem_path())
        .env_remove("SP_API_DEFAULT_MARKETPLACE")
        .env_remove("AWS_ENV")
        .output()
        .await
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "script failed:\n{stdout}\n{stderr}"
    );
    let result: serde_json::Value =
        serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    assert_eq!(result["participations"][0], JP);
    assert_eq!(
        result["store_names"][0],
        sandbox.seller.display_name.as_str()
    );
    assert_eq!(result["participations_rate_limit"], "0.016");
    let page1: Vec<&str> = result["page1"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let page2: Vec<&str> = result["page2"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(page1.len(), 10);
    assert_eq!(result["next_token"], true);
    assert!(!page2.is_empty() && page2.iter().all(|id| !page1.contains(id)));
    assert!(!result["statuses"].as_array().unwrap().is_empty());
    assert_eq!(result["get_order"], page1[0]);
    assert_eq!(result["missing"], 404);
    assert_eq!(result["missing_error"], "NotFound");
    // The calls reached the sandbox as SP-API operations.
    let log = sandbox.control_get("/_sandbox/requests?limit=10").await;
    let operations: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["operation"].as_str())
        .collect();
    assert!(operations.contains(&"LWA.token"), "{operations:?}");
    assert!(operations.contains(&"SPAPI.searchOrders"), "{operations:?}");
}
