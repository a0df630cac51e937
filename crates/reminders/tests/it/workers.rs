//! Two workers over one database, each with its own connection pool, running every pass at the same moment:
//! each reminder is planned once and delivered once.

use std::collections::{HashMap, HashSet};

use jiff::ToSpan;
use sellerlink_domain::connection::Language;
use sellerlink_store::{ChannelOwner, DeliveryId, DeliveryState};

use crate::harness::Db;
use crate::world::{World, date, jst};

async fn two_workers_at_once_send_each_reminder_once(db: Db) {
    let mut world = World::new(db, jst("2026-01-01", "00:00")).await;
    let sakura = world.merchant("株式会社さくら雑貨", Language::Ja).await;
    let owner = ChannelOwner::Merchant(sakura.id);
    world
        .email_channel(owner, "tanaka@sakura.example", Language::Ja)
        .await;
    world
        .webhook_channel(owner, "/hooks/sakura", Language::Ja)
        .await;
    world
        .webhook_channel(ChannelOwner::Operator, "/hooks/operator", Language::En)
        .await;
    // Twelve connections, several expiring on the same days, so both workers find work at the same moments.
    for granted in [
        "2025-02-01",
        "2025-02-01",
        "2025-02-01",
        "2025-02-05",
        "2025-02-05",
        "2025-02-10",
        "2025-02-10",
        "2025-02-10",
        "2025-02-12",
        "2025-02-20",
        "2025-02-20",
        "2025-02-25",
    ] {
        world.mws(&sakura, granted, true).await;
    }
    let second = world.second_worker("worker-2").await;

    let mut planned = 0;
    let mut sent = 0;
    let mut day = date("2026-01-01");
    while day <= date("2026-02-25") {
        world.set(jst(&day.to_string(), "02:00"));
        let now = world.now();
        let (one, two) = tokio::join!(world.reminders.run_once(now), second.run_once(now));
        let (one, two) = (one.unwrap(), two.unwrap());
        planned += one.planned + two.planned;
        sent += one.sent + two.sent;
        assert_eq!(one.failed + two.failed + one.retrying + two.retrying, 0);
        day = day.checked_add(1.day()).unwrap();
    }

    let records = world.deliveries().await;
    // 12 connections × 6 offsets × 3 channels; the first offsets fall after the start, so none is late.
    assert_eq!(records.len(), 12 * 6 * 3);
    assert!(records.iter().all(|r| r.state == DeliveryState::Delivered));
    assert_eq!(
        planned as usize,
        records.len(),
        "each delivery planned once between the two workers"
    );
    assert_eq!(
        sent as usize,
        records.len(),
        "each delivery sent once between the two workers"
    );

    let arrivals = world.arrivals();
    let mut copies: HashMap<DeliveryId, usize> = HashMap::new();
    for (_, id) in &arrivals {
        *copies.entry(*id).or_default() += 1;
    }
    let duplicated: Vec<_> = copies.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        duplicated.is_empty(),
        "arrived more than once: {duplicated:?}"
    );
    let delivered: HashSet<DeliveryId> = records.iter().map(|r| r.id).collect();
    assert_eq!(copies.keys().copied().collect::<HashSet<_>>(), delivered);
}

on_both_engines!(two_workers_at_once_send_each_reminder_once);
