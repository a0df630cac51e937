//! Notifications are data: they survive a JSON round trip (for an outbox table) unchanged.

use sellerlink_domain::connection::Language;
use sellerlink_notify::Notification;

use crate::support::{all_cases, notification};

#[test]
fn every_kind_round_trips_through_json() {
    for (name, kind, api) in all_cases() {
        let original = notification(kind, api, Language::Ja);
        let json = serde_json::to_string(&original).unwrap();
        let back: Notification = serde_json::from_str(&json).unwrap();
        assert_eq!(back, original, "{name}: {json}");
    }
}

#[test]
fn stored_json_names_the_kind_and_keeps_the_developer_id() {
    let (_, kind, api) = all_cases().remove(0);
    let json = serde_json::to_value(notification(kind, api, Language::En)).unwrap();
    assert_eq!(json["kind"]["type"], "expiry_reminder");
    assert_eq!(json["kind"]["expires_on"], "2019-04-17");
    assert_eq!(json["connection"]["developer_id"], "525964794073");
    assert_eq!(
        json["connection"]["seller_central_host"],
        "https://sellercentral.amazon.co.jp"
    );
    assert_eq!(json["language"], "en");
}
