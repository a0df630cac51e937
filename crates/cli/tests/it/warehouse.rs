//! `orders ship`, `orders shipments`, `stock set` and `stock list` through the binary against a real sandbox
//! (SP-API, HTTPS): a shipment is queued, sent with `--now` and confirmed at Amazon, a repeat changes nothing; a
//! stock level is pushed with `--now` and shows at Amazon; bad input names its field in both languages and records
//! nothing.

use serde_json::{Value, json};

use crate::amazon::Amazon;
use crate::support::{Home, JAPAN, Run};

/// Runs a command on a blocking thread (the binary talks to the sandbox running in this test's runtime).
fn run(home: &Home, args: &[&str]) -> Run {
    tokio::task::block_in_place(|| home.run(args))
}

/// A sandbox seller who authorized the demo app, connected through `connection add-spapi` to the merchant
/// "Takumi" of a fresh home: (sandbox, home, seller id, connection id).
async fn seller_connected() -> (Amazon, Home, String, String) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let amazon = Amazon::start(1).await;
    let home = amazon.spapi_home();
    run(&home, &["merchant", "add", "--name", "Takumi"]).assert_ok();
    let seller = amazon.seller(0);
    let token = amazon.authorize(&seller).await;
    let added = tokio::task::block_in_place(|| {
        home.run_with_stdin(
            &[
                "--json",
                "connection",
                "add-spapi",
                "--merchant",
                "Takumi",
                "--selling-partner-id",
                &seller,
                "--marketplace-id",
                JAPAN,
            ],
            &format!("{token}\n"),
        )
    });
    let connection = added.assert_ok().json()["id"].as_str().unwrap().to_owned();
    (amazon, home, seller, connection)
}

fn shipments(home: &Home) -> Vec<Value> {
    run(home, &["--json", "orders", "shipments"])
        .assert_ok()
        .json()
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shipment_is_confirmed_at_amazon_once_and_bad_input_is_refused_by_field() {
    let (amazon, home, seller, connection) = seller_connected().await;
    let placed = amazon
        .control
        .place_order(
            &seller,
            json!({ "items": [{ "sku": "TEA-01", "quantity": 2, "unit_price": 1200 }] }),
        )
        .await;
    let order = placed["amazon_order_id"].as_str().unwrap().to_owned();
    amazon.control.advance_secs(180.0).await;
    run(&home, &["sync", "--connection", &connection]).assert_ok();

    // Bad input: the field, in both languages; nothing queued.
    let bad = run(
        &home,
        &[
            "--json",
            "orders",
            "ship",
            "--connection",
            &connection,
            &order,
            "--carrier",
            "Yamato Transport",
            "--tracking",
            "12 34",
        ],
    );
    assert!(!bad.status.success());
    let error = &bad.json()["error"];
    assert_eq!(error["code"], "shipment_refused", "{error}");
    assert_eq!(error["field"], "tracking_number", "{error}");
    assert!(
        error["message_ja"].as_str().unwrap().contains("追跡番号"),
        "{error}"
    );
    let not_imported = run(
        &home,
        &[
            "--json",
            "orders",
            "ship",
            "--connection",
            &connection,
            "503-0000000-0000000",
            "--carrier",
            "Yamato Transport",
            "--tracking",
            "1234",
        ],
    );
    assert_eq!(not_imported.json()["error"]["field"], "amazon_order_id");
    assert!(shipments(&home).is_empty());

    // Sent now: Amazon confirms it at once and shows the order shipped.
    let ship = [
        "--json",
        "orders",
        "ship",
        "--connection",
        &connection,
        &order,
        "--carrier",
        "Yamato Transport",
        "--method",
        "宅急便",
        "--tracking",
        "1234-5678-9012",
        "--now",
    ];
    let shipped = run(&home, &ship).assert_ok().json();
    assert_eq!(shipped["state"], "confirmed", "{shipped}");
    assert_eq!(shipped["lines"][0]["quantity"], 2, "{shipped}");
    let at_amazon = amazon.control.orders(&seller).await;
    let status = at_amazon
        .iter()
        .find(|o| o["amazon_order_id"] == order.as_str())
        .map(|o| o["status"].clone());
    assert_eq!(status, Some(json!("Shipped")));

    // The same parcel again: the confirmed shipment, nothing new.
    let again = run(&home, &ship).assert_ok().json();
    assert_eq!(again["id"], shipped["id"]);
    let listed = shipments(&home);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["state"], "confirmed");
    let plain = run(&home, &["orders", "shipments"])
        .assert_ok()
        .stdout
        .clone();
    assert!(
        plain.contains("1234-5678-9012") && plain.contains("confirmed"),
        "{plain}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn stock_levels_are_pushed_to_amazon_and_listed() {
    let (amazon, home, seller, connection) = seller_connected().await;
    let catalog = amazon.control.stock(&seller).await;
    let sku = catalog.as_object().unwrap().keys().next().unwrap().clone();

    let bad = run(
        &home,
        &[
            "--json",
            "stock",
            "set",
            "--connection",
            &connection,
            "NO-EQUALS-SIGN",
        ],
    );
    assert_eq!(bad.json()["error"]["field"], "levels", "{}", bad.stdout);
    let set = run(
        &home,
        &[
            "--json",
            "stock",
            "set",
            "--connection",
            &connection,
            &format!("{sku}=17"),
            "--now",
        ],
    )
    .assert_ok()
    .json();
    assert_eq!(set[0]["state"], "pushed", "{set}");
    let at_amazon = amazon.control.stock(&seller).await;
    assert_eq!(at_amazon[&sku]["quantity"], 17);
    let listed = run(&home, &["stock", "list"]).assert_ok().stdout.clone();
    assert!(
        listed.contains(&sku) && listed.contains("pushed"),
        "{listed}"
    );
}

/// An order Amazon sent under another id shape than 3-7-7 digits is shown, shipped and listed by that id; a typed id
/// of another shape that names no imported order is refused with the 3-7-7 format, in both languages.
#[tokio::test(flavor = "multi_thread")]
async fn an_order_of_another_id_shape_is_shipped_by_its_id_and_a_typo_is_refused_with_the_format() {
    let (amazon, home, seller, connection) = seller_connected().await;
    let odd = "S01-5512345-7788990";
    amazon
        .control
        .place_order(
            &seller,
            json!({ "amazon_order_id": odd, "items": [{ "sku": "TEA-02", "quantity": 1, "unit_price": 1500 }] }),
        )
        .await;
    amazon.control.advance_secs(180.0).await;
    run(&home, &["sync", "--connection", &connection]).assert_ok();

    let shown = run(
        &home,
        &["--json", "orders", "show", "--connection", &connection, odd],
    )
    .assert_ok()
    .json();
    assert_eq!(shown["order"]["amazon_order_id"], odd, "{shown}");

    // A typo of the same shape names no imported order: the typed rule explains what is expected.
    let typo = run(
        &home,
        &[
            "--json",
            "orders",
            "ship",
            "--connection",
            &connection,
            "S01-5512345-7788999",
            "--carrier",
            "Yamato Transport",
            "--tracking",
            "1234",
        ],
    );
    assert!(!typo.status.success());
    let error = &typo.json()["error"];
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("expected 3-7-7 digits"),
        "{error}"
    );
    assert!(
        error["message_ja"]
            .as_str()
            .unwrap()
            .contains("3桁-7桁-7桁"),
        "{error}"
    );
    // Text no order id can be is refused before anything is looked up.
    let spaced = run(
        &home,
        &["orders", "show", "--connection", &connection, "503 1234567"],
    );
    assert!(!spaced.status.success());
    assert!(
        spaced.stderr.contains("expected 3-7-7 digits"),
        "{}",
        spaced.stderr
    );
    assert!(shipments(&home).is_empty());

    let shipped = run(
        &home,
        &[
            "--json",
            "orders",
            "ship",
            "--connection",
            &connection,
            odd,
            "--carrier",
            "Yamato Transport",
            "--tracking",
            "2234-5678-9012",
            "--now",
        ],
    )
    .assert_ok()
    .json();
    assert_eq!(shipped["state"], "confirmed", "{shipped}");
    let by_order = run(&home, &["--json", "orders", "shipments", "--order", odd])
        .assert_ok()
        .json();
    assert_eq!(by_order.as_array().map(Vec::len), Some(1), "{by_order}");
    assert_eq!(by_order[0]["amazon_order_id"], odd, "{by_order}");
}
