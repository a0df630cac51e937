//! A third-party MWS client (python-amazon-mws 0.8.15 from PyPI) signs requests the sandbox
//! accepts, and parses its responses.

use crate::support::{JP, Options, TestSandbox};

#[tokio::test]
async fn python_mws_library_is_accepted_and_parses_responses() {
    let python = sellerlink_testkit::tools::python_with(&["mws"]);
    // Real time: the library stamps requests with the machine's clock.
    let sandbox = TestSandbox::start_with(Options {
        sellers: 1,
        orders: 400,
        frozen: false,
        clock_start: None,
        ..Options::default()
    })
    .await;
    let token = sandbox.grant(&sandbox.seller.seller_id).await;
    let stock = sandbox
        .control_get(&format!(
            "/_sandbox/sellers/{}/stock",
            sandbox.seller.seller_id
        ))
        .await;
    let sku = stock.as_object().unwrap().keys().next().unwrap().clone();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/python/mws_client_check.py"
    );
    let output = tokio::process::Command::new(&python)
        .arg(script)
        .args([
            &sandbox.running.https_url(),
            &sandbox.developer.access_key_id,
            &sandbox.developer.secret_key,
            &sandbox.seller.seller_id,
            &token,
            JP,
            &sku,
        ])
        .env("REQUESTS_CA_BUNDLE", sandbox.running.ca_pem_path())
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
    assert_eq!(result["library_version"], "0.8.15");
    assert_eq!(result["participations"][0], JP);
    assert_eq!(result["marketplace_names"][0], "Amazon.co.jp");
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
    assert_eq!(page1.len(), 25);
    assert!(
        !page2.is_empty() && page2.iter().all(|id| !page1.contains(id)),
        "ByNextToken continues without repeats"
    );
    assert_eq!(result["get_order"][0], page1[0]);
    assert!(!result["items"].as_array().unwrap().is_empty());
    assert_eq!(result["service_status"], "GREEN");
    assert_eq!(result["feed_id"].as_str().unwrap().len(), 11);
    assert_eq!(result["feed_status"], "_DONE_");
    assert_eq!(result["messages_successful"], "1");
    let stock = sandbox
        .control_get(&format!(
            "/_sandbox/sellers/{}/stock",
            sandbox.seller.seller_id
        ))
        .await;
    assert_eq!(
        stock[&sku]["quantity"], 17,
        "the library's inventory feed was applied"
    );
}
