//! Job runs: one row per (job, process), each process's newest run replacing its previous one; stopped processes'
//! rows forgotten; names and outcomes parsed.

use jiff::SignedDuration;
use sellerlink_store::{JobName, JobOutcome, JobRun, LeaseOwner};

use crate::fixtures::at;
use crate::harness::Db;

fn run(job: &str, owner: &str, started: &str) -> JobRun {
    JobRun {
        job: JobName::parse(job).unwrap(),
        owner: LeaseOwner::parse(owner).unwrap(),
        interval: SignedDuration::from_secs(30),
        started_at: at(started),
        finished_at: None,
        outcome: JobOutcome::Running,
        summary: String::new(),
    }
}

async fn each_process_keeps_its_last_run_of_each_job(db: Db) {
    let store = &db.store;
    assert!(store.job_runs().await.unwrap().is_empty());

    let started = run("shipments", "worker-a", "2026-05-01T00:00:00Z");
    store.record_job_run(&started).await.unwrap();
    assert_eq!(store.job_runs().await.unwrap(), vec![started.clone()]);

    // The run ends: the same row now says how.
    let finished = JobRun {
        finished_at: Some(at("2026-05-01T00:00:02Z")),
        outcome: JobOutcome::Ok,
        summary: "2 shipments: 2 confirmed".to_owned(),
        ..started.clone()
    };
    store.record_job_run(&finished).await.unwrap();
    // Another process runs the same job, and another job.
    let other = JobRun {
        finished_at: Some(at("2026-05-01T00:00:11Z")),
        outcome: JobOutcome::Failed,
        summary: "database: connection refused".to_owned(),
        ..run("shipments", "worker-b", "2026-05-01T00:00:10Z")
    };
    store.record_job_run(&other).await.unwrap();
    let reminders = JobRun {
        interval: SignedDuration::from_mins(1),
        ..run("reminders", "worker-a", "2026-05-01T00:00:05Z")
    };
    store.record_job_run(&reminders).await.unwrap();
    assert_eq!(
        store.job_runs().await.unwrap(),
        vec![reminders.clone(), other.clone(), finished.clone()],
        "by job name, the newest start first"
    );

    // The next run of worker-a replaces its row; worker-b's stays.
    let next = JobRun {
        finished_at: Some(at("2026-05-01T00:00:32Z")),
        outcome: JobOutcome::Ok,
        summary: "nothing due".to_owned(),
        ..run("shipments", "worker-a", "2026-05-01T00:00:30Z")
    };
    store.record_job_run(&next).await.unwrap();
    assert_eq!(
        store.job_runs().await.unwrap(),
        vec![reminders.clone(), next.clone(), other.clone()]
    );

    // Rows whose last sign of life is older than the cut-off are forgotten, of that job only.
    let forgotten = store
        .forget_job_runs(
            &JobName::parse("shipments").unwrap(),
            at("2026-05-01T00:00:20Z"),
        )
        .await
        .unwrap();
    assert_eq!(forgotten, 1);
    assert_eq!(store.job_runs().await.unwrap(), vec![reminders, next]);
}

#[test]
fn outcomes_read_back_from_their_names() {
    for outcome in [JobOutcome::Running, JobOutcome::Ok, JobOutcome::Failed] {
        assert_eq!(JobOutcome::parse(outcome.as_str()), Some(outcome));
    }
    assert_eq!(JobOutcome::parse("done"), None);
}

#[test]
fn job_names_are_short_lower_case_words() {
    assert_eq!(
        JobName::parse(" buyer_data_erasure ").unwrap().as_str(),
        "buyer_data_erasure"
    );
    for bad in [
        "",
        "Imports",
        "stock-levels",
        "job:imports",
        &"a".repeat(65),
    ] {
        let error = JobName::parse(bad).unwrap_err();
        assert_eq!(error.field, "job name", "{bad:?}");
        assert!(error.expected.contains("lower-case"), "{bad:?}");
    }
}

on_both_engines!(each_process_keeps_its_last_run_of_each_job);
