//! The jobs' registry (which jobs each process runs, how often, how the fleet shares them) and their record: every
//! run is recorded per job and process, a job the fleet runs once per interval is skipped by a second process
//! while the first holds its lease, and the runner stops on shutdown.

use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use secrecy::SecretString;
use sellerlink_app::{
    App, AppError, Cadence, JobKind, JobLease, JobSettings, Jobs, MwsSettings, SessionCleanup,
    run_jobs,
};
use sellerlink_domain::ids::{AwsAccessKeyId, DeveloperId};
use sellerlink_notify::WebhookSender;
use sellerlink_reminders::{ReminderSettings, Reminders, Senders};
use sellerlink_store::JobOutcome;
use sellerlink_sync::SchedulerConfig;
use tokio_util::sync::CancellationToken;

use crate::{World, world};

/// The app of `world` with MWS configured (nothing is called: the endpoint is never reached by these tests) and
/// the reminders service.
async fn with_amazon_and_reminders(world: &World) -> App {
    let mut settings = world.app.settings().clone();
    settings.mws = Some(MwsSettings::new(
        "https://mws.invalid".parse().unwrap(),
        AwsAccessKeyId::parse("AKIAIOSFODNN7EXAMPLE").unwrap(),
        SecretString::from("a-secret-key".to_owned()),
    ));
    let app = App::open(settings, world.clock.clone()).await.unwrap();
    let reminders = Reminders::new(
        app.store().clone(),
        Arc::new(app.settings().keys.load().unwrap()),
        ReminderSettings::new("shippinno", DeveloperId::parse("5259-6479-4073").unwrap()),
        Senders::new(None, WebhookSender::builder().build().unwrap()),
    );
    app.with_notifications(reminders)
}

fn sessions(world: &World) -> SessionCleanup {
    SessionCleanup {
        login_failure_window: SignedDuration::from_mins(15),
        clock: world.clock.clone(),
    }
}

fn listed(jobs: &Jobs) -> Vec<(JobKind, Duration, Cadence, JobLease)> {
    jobs.iter()
        .map(|job| job.spec())
        .map(|spec| (spec.kind, spec.interval, spec.cadence, spec.lease))
        .collect()
}

const MINUTE: Duration = Duration::from_secs(60);

/// Now, to the millisecond the store keeps.
fn now() -> Timestamp {
    Timestamp::from_millisecond(Timestamp::now().as_millisecond()).unwrap()
}

#[tokio::test]
async fn the_worker_and_the_web_server_register_their_jobs_with_their_intervals() {
    let w = world(now()).await;
    let app = with_amazon_and_reminders(&w).await;
    let scheduler = SchedulerConfig {
        interval: SignedDuration::from_mins(10),
        ..SchedulerConfig::default()
    };

    let worker = Jobs::new(&app, JobSettings::worker(scheduler, 30)).unwrap();
    assert_eq!(
        listed(&worker),
        vec![
            (
                JobKind::Imports,
                10 * MINUTE,
                Cadence::Continuous,
                JobLease::PerItem
            ),
            (
                JobKind::Reminders,
                MINUTE,
                Cadence::AtStart,
                JobLease::PerItem
            ),
            (
                JobKind::Shipments,
                Duration::from_secs(30),
                Cadence::AtStart,
                JobLease::PerItem
            ),
            (
                JobKind::StockLevels,
                Duration::from_secs(30),
                Cadence::AtStart,
                JobLease::PerItem
            ),
            (
                JobKind::BuyerDataErasure,
                24 * 60 * MINUTE,
                Cadence::AtStart,
                JobLease::Fleet
            ),
        ]
    );
    let keeping = Jobs::new(&app, JobSettings::worker(scheduler, 0)).unwrap();
    assert!(
        !keeping.kinds().contains(&JobKind::BuyerDataErasure),
        "0 days keeps buyer data"
    );

    let web = Jobs::new(&app, JobSettings::web(Some(scheduler), sessions(&w))).unwrap();
    assert_eq!(
        listed(&web),
        vec![
            (
                JobKind::Imports,
                10 * MINUTE,
                Cadence::Continuous,
                JobLease::PerItem
            ),
            (
                JobKind::PlannerStatistics,
                10 * MINUTE,
                Cadence::AfterInterval,
                JobLease::Fleet
            ),
            (
                JobKind::SessionCleanup,
                10 * MINUTE,
                Cadence::AfterInterval,
                JobLease::Fleet
            ),
        ]
    );
    let web = Jobs::new(&app, JobSettings::web(None, sessions(&w))).unwrap();
    assert_eq!(
        web.kinds(),
        vec![JobKind::PlannerStatistics, JobKind::SessionCleanup]
    );

    // The worker's jobs need Amazon access and the reminders service.
    for refused in [
        Jobs::new(&w.app, JobSettings::worker(scheduler, 30)),
        Jobs::new(
            &w.app,
            JobSettings {
                reminders: true,
                ..JobSettings::default()
            },
        ),
    ] {
        assert!(matches!(refused, Err(AppError::NotConfigured { .. })));
    }

    // Names and leases are stable: they are stored, and shown in the API.
    for kind in JobKind::ALL {
        assert_eq!(JobKind::parse(kind.as_str()), Some(kind));
        assert_eq!(kind.lease_name().as_str(), format!("job:{}", kind.as_str()));
    }
}

/// The maintenance jobs, which need neither Amazon nor the senders.
fn maintenance(world: &World) -> JobSettings {
    JobSettings {
        buyer_data_days: 30,
        planner_statistics: true,
        sessions: Some(sessions(world)),
        ..JobSettings::default()
    }
}

#[tokio::test]
async fn each_run_is_recorded_per_process_and_the_fleet_runs_a_leased_job_once_per_interval() {
    let w = world(now()).await;
    let jobs = Jobs::new(&w.app, maintenance(&w)).unwrap();
    let started = w.app.now();
    jobs.run_due_now().await;

    let view = w.app.jobs_view().await.unwrap();
    let kinds: Vec<JobKind> = view.jobs.iter().map(|job| job.kind).collect();
    assert_eq!(kinds, JobKind::ALL, "every job is listed, run or not");
    for job in &view.jobs {
        let ran = jobs.kinds().contains(&job.kind);
        assert_eq!(job.runs.len(), usize::from(ran), "{:?}", job.kind);
        if let Some(run) = job.runs.first() {
            assert_eq!(&run.owner, w.app.lease_owner());
            assert_eq!(run.outcome, JobOutcome::Ok, "{run:?}");
            assert_eq!(run.started_at, started);
            assert_eq!(run.finished_at, Some(started));
        }
    }
    let erasure = &view.jobs[4].runs[0];
    assert_eq!(erasure.interval, SignedDuration::from_hours(24));
    assert!(
        erasure.summary.contains("0 finished order(s)"),
        "{}",
        erasure.summary
    );
    assert_eq!(view.import_queue.due, 0);
    assert_eq!(view.import_queue.oldest_due_age, None);

    // Another process on the same database: the jobs are leased to the first for their interval.
    let other = App::open(w.app.settings().clone(), w.clock.clone())
        .await
        .unwrap();
    assert_ne!(other.lease_owner(), w.app.lease_owner());
    Jobs::new(&other, maintenance(&w))
        .unwrap()
        .run_due_now()
        .await;
    let owners = |view: &sellerlink_app::JobsView| -> Vec<usize> {
        view.jobs.iter().map(|job| job.runs.len()).collect()
    };
    assert_eq!(
        owners(&w.app.jobs_view().await.unwrap()),
        [0, 0, 0, 0, 1, 1, 1]
    );

    // Ten minutes later the maintenance leases have ended (the erasure's day has not).
    w.clock.advance(SignedDuration::from_mins(10));
    Jobs::new(&other, maintenance(&w))
        .unwrap()
        .run_due_now()
        .await;
    let view = w.app.jobs_view().await.unwrap();
    assert_eq!(owners(&view), [0, 0, 0, 0, 1, 2, 2]);
    assert_eq!(
        &view.jobs[5].runs[0].owner,
        other.lease_owner(),
        "newest first"
    );
}

#[tokio::test]
async fn the_runner_runs_jobs_at_start_and_stops_on_shutdown() {
    let w = world(now()).await;
    let app = with_amazon_and_reminders(&w).await;
    let settings = JobSettings {
        imports: Some(SchedulerConfig::default()),
        ..maintenance(&w)
    };
    let jobs = Jobs::new(&app, settings).unwrap();
    let shutdown = CancellationToken::new();
    let mut running = run_jobs(&jobs, &shutdown);
    // The erasure runs at start, and the imports' loop says it is running; the planner's statistics and the
    // session clean-up wait one interval.
    let started = async {
        loop {
            let view = app.jobs_view().await.unwrap();
            let erased = view.jobs[4]
                .runs
                .first()
                .is_some_and(|run| run.outcome == JobOutcome::Ok);
            if erased && !view.jobs[0].runs.is_empty() {
                return view;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    let view = tokio::time::timeout(Duration::from_secs(10), started)
        .await
        .expect("the erasure ran at start and the imports started");
    assert_eq!(view.jobs[0].runs[0].outcome, JobOutcome::Running);
    assert_eq!(view.jobs[0].runs[0].finished_at, None);
    assert!(view.jobs[5].runs.is_empty() && view.jobs[6].runs.is_empty());

    shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(5), running.stopped())
        .await
        .expect("the jobs stop when asked");
    // The imports' loop recorded what it did until it stopped.
    let imports = &app.jobs_view().await.unwrap().jobs[0].runs[0];
    assert_eq!(imports.outcome, JobOutcome::Ok, "{imports:?}");
    assert!(imports.finished_at.is_some());
    assert_eq!(imports.summary, "nothing was due");
    assert_eq!(imports.interval, SignedDuration::from_mins(10));
}
