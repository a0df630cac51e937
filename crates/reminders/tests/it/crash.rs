//! The crash window: a worker process that dies right after a send and before recording it, again and again,
//! against one SQLite file and the real SMTP sink and webhook receiver; then one clean run. Nothing is lost; an
//! id-aware webhook receiver sees each notification once; SMTP delivers at most one extra copy per crash, with
//! the same Message-ID.

use std::collections::HashMap;
use std::os::unix::process::ExitStatusExt;

use jiff::SignedDuration;
use sellerlink_domain::connection::Language;
use sellerlink_reminders::RunOutcome;
use sellerlink_store::{ChannelOwner, DeliveryId, DeliveryState};
use tokio::process::Command;

use crate::harness::sqlite_db;
use crate::world::{World, exposed, jst};

const PROBE: &str = env!("CARGO_BIN_EXE_sellerlink-reminders-probe");

/// The probe's lease; each spawn runs one lease later, so a row the previous one left `sending` is due again.
const LEASE_SECONDS: i64 = 60;

/// Spawns, each aborting after its first, second or third send. They leave work for the final clean run.
const SPAWNS: usize = 24;

/// Connections with a reminder due; each reaches two channels.
const CONNECTIONS: usize = 18;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_between_send_and_record_loses_nothing() {
    let mut world = World::new(sqlite_db().await, jst("2026-03-01", "09:00")).await;
    let sakura = world.merchant("株式会社さくら雑貨", Language::Ja).await;
    let owner = ChannelOwner::Merchant(sakura.id);
    world
        .email_channel(owner, "tanaka@sakura.example", Language::Ja)
        .await;
    world
        .webhook_channel(owner, "/hooks/sakura", Language::Ja)
        .await;
    // Connections whose 30-day reminder is due on 2026-03-01 (one day late for half of them).
    for n in 0..CONNECTIONS {
        let granted = if n % 2 == 0 {
            "2025-03-31"
        } else {
            "2025-03-30"
        };
        world.mws(&sakura, granted, true).await;
    }
    let total_rows = CONNECTIONS * 2;

    let mut crashes = 0;
    let mut now = world.now();
    for spawn in 0..SPAWNS {
        let output = probe(&world, now, &format!("probe-{spawn}"))
            .env(
                "REMINDERS_PROBE_ABORT_AFTER_SENDS",
                (1 + spawn % 3).to_string(),
            )
            .output()
            .await
            .unwrap();
        assert_eq!(
            output.status.signal(),
            Some(6),
            "the probe should stop by abort after a send: {} {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        crashes += 1;
        now = now
            .checked_add(SignedDuration::from_secs(LEASE_SECONDS + 1))
            .unwrap();
    }

    // One clean pass once the last lease has run out.
    let output = probe(&world, now, "probe-final").output().await.unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let last: RunOutcome = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(last.failed, 0);

    // None lost: every delivery recorded as delivered.
    let records = world.deliveries().await;
    assert_eq!(records.len(), total_rows);
    assert!(
        records.iter().all(|r| r.state == DeliveryState::Delivered),
        "{records:#?}"
    );

    // Webhooks: every id arrived; after de-duplicating by id, each exactly once, and any repeat is byte-identical.
    let mut hooks: HashMap<DeliveryId, Vec<Vec<u8>>> = HashMap::new();
    for request in world.hooks.requests() {
        let id = DeliveryId::parse(request.header("sellerlink-webhook-id").unwrap()).unwrap();
        hooks.entry(id).or_default().push(request.body.clone());
    }
    // E-mail: every Message-ID arrived; repeats carry the same Message-ID and the same content.
    let mut mails: HashMap<String, Vec<Vec<u8>>> = HashMap::new();
    for mail in world.mail.messages() {
        let parsed = mail.parsed();
        let message_id = parsed.header("Message-ID").unwrap().to_owned();
        let body = parsed
            .find_part("text/plain")
            .unwrap()
            .body_text()
            .into_bytes();
        mails.entry(message_id).or_default().push(body);
    }
    let expected_hooks = records
        .iter()
        .filter(|r| r.recipient.starts_with("http"))
        .count();
    assert_eq!(hooks.len(), expected_hooks, "every webhook arrived");
    assert_eq!(
        mails.len(),
        total_rows - expected_hooks,
        "every e-mail arrived"
    );
    for record in &records {
        let is_hook = record.recipient.starts_with("http");
        let arrived = if is_hook {
            hooks.contains_key(&record.id)
        } else {
            mails.contains_key(&format!("<{}@sellerlink>", record.id))
        };
        assert!(arrived, "delivery {} never arrived", record.id);
    }
    let hook_repeats: usize = hooks.values().map(|copies| copies.len() - 1).sum();
    let mail_repeats: usize = mails.values().map(|copies| copies.len() - 1).sum();
    for copies in hooks.values().chain(mails.values()) {
        assert!(
            copies.iter().all(|copy| copy == &copies[0]),
            "a repeat differs from the first copy"
        );
    }
    // An id-aware receiver processes each webhook once: duplicates after de-duplication are zero by
    // construction of the map, and it saw every id. SMTP has no such key: at most one extra copy per crash.
    assert!(
        mail_repeats <= crashes,
        "{mail_repeats} extra e-mails for {crashes} crashes"
    );
    // Every crash happened right after a send, so each left exactly one sent-but-unrecorded delivery behind,
    // which a later pass sent again with the same id.
    assert_eq!(hook_repeats + mail_repeats, crashes, "one repeat per crash");
}

/// The probe, run at `now` as worker `name` against the world's database, SMTP sink and key.
fn probe(world: &World, now: jiff::Timestamp, name: &str) -> Command {
    let mut command = Command::new(PROBE);
    command
        .env("REMINDERS_PROBE_DATABASE_URL", &world.db.url)
        .env("REMINDERS_PROBE_MASTER_KEY", exposed(&world.master_key))
        .env("REMINDERS_PROBE_SMTP", world.mail.address().to_string())
        .env("REMINDERS_PROBE_NOW", now.to_string())
        .env("REMINDERS_PROBE_WORKER", name)
        .env("REMINDERS_PROBE_LEASE_SECONDS", LEASE_SECONDS.to_string())
        .env_remove("RUST_LOG")
        .kill_on_drop(true);
    command
}
