//! A year and six weeks, day by day (at 02:00 JST — still the previous day in UTC — and at 20:00 JST), for
//! connections granted on different dates: one left to lapse, one renewed mid-cycle, one restored after expiry,
//! one revoked, one without expiry, and one added late. Every reminder is checked where it arrived: the real SMTP
//! sink and the real webhook receiver, in Japanese and in English.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use jiff::ToSpan;
use jiff::civil::Date;
use sellerlink_domain::connection::Language;
use sellerlink_domain::ids::ConnectionId;
use sellerlink_notify::verify_signature;
use sellerlink_store::{
    ChannelId, ChannelOwner, DeliveryId, DeliveryKind, DeliveryRecord, DeliveryState,
};

use crate::harness::Db;
use crate::world::{World, date, jst, jst_date};

/// (connection, cycle = expiry date, offset, days left when sent, JST date it went out).
type Expected = (&'static str, &'static str, i32, i64, &'static str);

const SAKURA_REMINDERS: &[Expected] = &[
    // Left to lapse on 2026-03-10.
    ("plain", "2026-03-10", 30, 30, "2026-02-08"),
    ("plain", "2026-03-10", 14, 14, "2026-02-24"),
    ("plain", "2026-03-10", 7, 7, "2026-03-03"),
    ("plain", "2026-03-10", 3, 3, "2026-03-07"),
    ("plain", "2026-03-10", 1, 1, "2026-03-09"),
    ("plain", "2026-03-10", 0, 0, "2026-03-10"),
    // Renewed on 2026-02-08: the old cycle's 7, 3, 1 and 0 never go out; the new cycle's do.
    ("renewed", "2026-02-20", 30, 30, "2026-01-21"),
    ("renewed", "2026-02-20", 14, 14, "2026-02-06"),
    ("renewed", "2027-02-08", 30, 30, "2027-01-09"),
    ("renewed", "2027-02-08", 14, 14, "2027-01-25"),
    ("renewed", "2027-02-08", 7, 7, "2027-02-01"),
    ("renewed", "2027-02-08", 3, 3, "2027-02-05"),
    ("renewed", "2027-02-08", 1, 1, "2027-02-07"),
    ("renewed", "2027-02-08", 0, 0, "2027-02-08"),
    // Revoked on 2026-03-05: nothing after the 30-day reminder.
    ("revoked", "2026-04-01", 30, 30, "2026-03-02"),
];

const OCEAN_REMINDERS: &[Expected] = &[
    // Lapsed on 2026-02-05, restored on 2026-02-10: a new cycle to 2027-02-10.
    ("restored", "2026-02-05", 30, 30, "2026-01-06"),
    ("restored", "2026-02-05", 14, 14, "2026-01-22"),
    ("restored", "2026-02-05", 7, 7, "2026-01-29"),
    ("restored", "2026-02-05", 3, 3, "2026-02-02"),
    ("restored", "2026-02-05", 1, 1, "2026-02-04"),
    ("restored", "2026-02-05", 0, 0, "2026-02-05"),
    ("restored", "2027-02-10", 30, 30, "2027-01-11"),
    ("restored", "2027-02-10", 14, 14, "2027-01-27"),
    ("restored", "2027-02-10", 7, 7, "2027-02-03"),
    ("restored", "2027-02-10", 3, 3, "2027-02-07"),
    ("restored", "2027-02-10", 1, 1, "2027-02-09"),
    ("restored", "2027-02-10", 0, 0, "2027-02-10"),
    // SP-API, added on 2026-09-01 with nine days left: the 14-day reminder at once (the 30-day one skipped).
    ("late", "2026-09-10", 14, 9, "2026-09-01"),
    ("late", "2026-09-10", 7, 7, "2026-09-03"),
    ("late", "2026-09-10", 3, 3, "2026-09-07"),
    ("late", "2026-09-10", 1, 1, "2026-09-09"),
    ("late", "2026-09-10", 0, 0, "2026-09-10"),
];

/// (channel, connection, cycle, offset, days left, JST date sent).
type Row = (String, String, String, i32, i64, Date);

fn expand(channels: &[&str], reminders: &[Expected]) -> Vec<Row> {
    let mut rows = Vec::new();
    for channel in channels {
        for (connection, cycle, offset, days_left, sent) in reminders {
            rows.push((
                (*channel).to_owned(),
                (*connection).to_owned(),
                (*cycle).to_owned(),
                *offset,
                *days_left,
                date(sent),
            ));
        }
    }
    rows.sort();
    rows
}

async fn a_year_of_reminders_goes_out_exactly_as_planned(db: Db) {
    let mut world = World::new(db, jst("2026-01-01", "00:00")).await;
    let sakura = world.merchant("株式会社さくら雑貨", Language::Ja).await;
    let ocean = world.merchant("Blue Ocean Trading", Language::En).await;
    let sakura_mail = world
        .email_channel(
            ChannelOwner::Merchant(sakura.id),
            "tanaka@sakura.example",
            Language::Ja,
        )
        .await;
    let sakura_hook = world
        .webhook_channel(
            ChannelOwner::Merchant(sakura.id),
            "/hooks/sakura",
            Language::Ja,
        )
        .await;
    let ocean_mail = world
        .email_channel(
            ChannelOwner::Merchant(ocean.id),
            "ops@blueocean.example",
            Language::En,
        )
        .await;
    let operator_hook = world
        .webhook_channel(ChannelOwner::Operator, "/hooks/operator", Language::En)
        .await;
    let channel_names: HashMap<ChannelId, &str> = HashMap::from([
        (sakura_mail.id, "sakura-mail"),
        (sakura_hook.id, "sakura-hook"),
        (ocean_mail.id, "ocean-mail"),
        (operator_hook.id, "operator-hook"),
    ]);

    let plain = world.mws(&sakura, "2025-03-10", true).await;
    let renewed = world.mws(&sakura, "2025-02-20", true).await;
    let revoked = world.mws(&sakura, "2025-04-01", true).await;
    let restored = world.mws(&ocean, "2025-02-05", true).await;
    let no_expiry = world.mws(&ocean, "2025-07-01", false).await;
    let mut names: HashMap<ConnectionId, &str> = HashMap::from([
        (plain.id, "plain"),
        (renewed.id, "renewed"),
        (revoked.id, "revoked"),
        (restored.id, "restored"),
        (no_expiry.id, "no expiry"),
    ]);

    let mut day = date("2026-01-01");
    while day <= date("2027-02-15") {
        let text = day.to_string();
        world.set(jst(&text, "02:00"));
        world.run().await;
        world.set(jst(&text, "12:00"));
        match text.as_str() {
            "2026-02-08" => drop(world.renew(renewed.id).await),
            "2026-02-10" => drop(world.restore(restored.id).await),
            "2026-03-05" => drop(world.revoke(revoked.id).await),
            "2026-09-01" => {
                let late = world.sp_api(&ocean, "2025-09-10").await;
                names.insert(late.id, "late");
            }
            _ => {}
        }
        world.set(jst(&text, "20:00"));
        world.run().await;
        day = day.checked_add(1.day()).unwrap();
    }

    // The store: every reminder delivered once per channel, and the late connection's passed 30-day offset skipped.
    let records = world.deliveries().await;
    let mut delivered: Vec<Row> = Vec::new();
    let mut skipped = Vec::new();
    let mut payload_days: HashMap<DeliveryId, i64> = HashMap::new();
    for record in &records {
        assert_eq!(record.kind, DeliveryKind::ExpiryReminder);
        let connection = names[&record.connection_id.unwrap()].to_owned();
        let channel = channel_names[&record.channel_id].to_owned();
        let payload: serde_json::Value = serde_json::from_str(&record.payload_json).unwrap();
        let days_left = payload["kind"]["days_left"].as_i64().unwrap();
        payload_days.insert(record.id, days_left);
        match record.state {
            DeliveryState::Delivered => delivered.push((
                channel,
                connection,
                record.cycle.to_string(),
                record.offset_days.unwrap(),
                days_left,
                jst_date(record.delivered_at.unwrap()),
            )),
            DeliveryState::Skipped => skipped.push((
                channel,
                connection,
                record.cycle.to_string(),
                record.offset_days,
            )),
            other => panic!("delivery {} is still {other}", record.id),
        }
    }
    delivered.sort();
    let mut expected = expand(
        &["sakura-mail", "sakura-hook", "operator-hook"],
        SAKURA_REMINDERS,
    );
    expected.extend(expand(&["ocean-mail", "operator-hook"], OCEAN_REMINDERS));
    expected.sort();
    assert_eq!(delivered, expected);
    skipped.sort();
    assert_eq!(
        skipped,
        [
            (
                "ocean-mail".to_owned(),
                "late".to_owned(),
                "2026-09-10".to_owned(),
                Some(30)
            ),
            (
                "operator-hook".to_owned(),
                "late".to_owned(),
                "2026-09-10".to_owned(),
                Some(30)
            ),
        ]
    );

    // The wire: each delivered reminder arrived exactly once, on its own channel.
    let by_id: HashMap<DeliveryId, &DeliveryRecord> = records.iter().map(|r| (r.id, r)).collect();
    let places: HashMap<&str, ChannelId> = HashMap::from([
        ("mail:tanaka@sakura.example", sakura_mail.id),
        ("hook:/hooks/sakura", sakura_hook.id),
        ("mail:ops@blueocean.example", ocean_mail.id),
        ("hook:/hooks/operator", operator_hook.id),
    ]);
    let arrivals = world.arrivals();
    assert_eq!(
        arrivals.len(),
        expected.len(),
        "one arrival per delivered reminder"
    );
    let distinct: HashSet<DeliveryId> = arrivals.iter().map(|(_, id)| *id).collect();
    assert_eq!(distinct.len(), arrivals.len(), "no reminder arrived twice");
    for (place, id) in &arrivals {
        let record = by_id[id];
        assert_eq!(record.state, DeliveryState::Delivered);
        assert_eq!(places[place.as_str()], record.channel_id, "{place}");
    }

    // E-mails in the merchant's language, with the Message-ID derived from the delivery id.
    let mails = world.mail.messages();
    let mut japanese = 0;
    let mut english = 0;
    for mail in &mails {
        let parsed = mail.parsed();
        let id = DeliveryId::parse(parsed.header("X-Sellerlink-Notification-Id").unwrap()).unwrap();
        assert_eq!(
            parsed.header("Message-ID"),
            Some(format!("<{id}@sellerlink>").as_str())
        );
        let subject = parsed.decoded_header("Subject").unwrap();
        let record = by_id[&id];
        let days_left = payload_days[&id];
        let connection = names[&record.connection_id.unwrap()];
        if mail.rcpt_to == ["tanaka@sakura.example"] {
            japanese += 1;
            assert!(
                subject.starts_with(
                    "【sellerlink】株式会社さくら雑貨: Amazon MWS 開発者アクセス権の有効期限"
                ),
                "{subject}"
            );
            let wording = match days_left {
                0 => "が本日切れました".to_owned(),
                1 => "は明日です".to_owned(),
                n => format!("まであと{n}日"),
            };
            assert!(subject.contains(&wording), "{subject}");
            let text = parsed.find_part("text/plain").unwrap().body_text();
            assert!(
                text.contains("5259-6479-4073"),
                "the developer ID to look for (R7): {text}"
            );
        } else {
            english += 1;
            assert_eq!(mail.rcpt_to, ["ops@blueocean.example"]);
            let access = if connection == "late" {
                "Amazon SP-API app authorization"
            } else {
                "Amazon MWS developer access"
            };
            assert!(
                subject.starts_with(&format!("[sellerlink] Blue Ocean Trading: {access}")),
                "{subject}"
            );
            let wording = match days_left {
                0 => "lapsed today".to_owned(),
                1 => "expires tomorrow".to_owned(),
                n => format!("expires in {n} days"),
            };
            assert!(subject.contains(&wording), "{subject}");
        }
    }
    assert_eq!((japanese, english), (15, 17));

    // Webhooks signed with the channel's secret, in the channel's language, with the cycle and days left.
    for request in world.hooks.requests() {
        let secret = &world.secrets[request.path.as_str()];
        let timestamp = request.header("sellerlink-webhook-timestamp").unwrap();
        let signed_at = jiff::Timestamp::from_second(timestamp.parse().unwrap()).unwrap();
        verify_signature(
            secret,
            timestamp,
            &request.body,
            request.header("sellerlink-webhook-signature").unwrap(),
            signed_at,
            Duration::from_secs(300),
        )
        .unwrap();
        let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
        let id = DeliveryId::parse(body["id"].as_str().unwrap()).unwrap();
        let record = by_id[&id];
        assert_eq!(body["type"], "connection.expiry_reminder");
        assert_eq!(body["data"]["expires_on"], record.cycle.as_str());
        assert_eq!(body["data"]["days_left"].as_i64(), Some(payload_days[&id]));
        assert_eq!(
            body["data"]["connection"]["id"],
            record.connection_id.unwrap().to_string()
        );
        assert_eq!(body["data"]["connection"]["developer_id"], "5259-6479-4073");
        let language = if request.path == "/hooks/sakura" {
            "ja"
        } else {
            "en"
        };
        assert_eq!(body["data"]["language"], language);
        // Signed when it was sent: the run's instant on the manual clock.
        assert_eq!(jst_date(signed_at), jst_date(record.delivered_at.unwrap()));
    }
}

on_both_engines!(a_year_of_reminders_goes_out_exactly_as_planned);
