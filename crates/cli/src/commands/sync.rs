//! `sellerlink sync` (one import now, with progress bars) and `sellerlink worker` (its jobs: [`Worker`], which the
//! demo runs too).

use std::io::IsTerminal as _;
use std::sync::Arc;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use sellerlink_app::{App, RunOptions, SyncReport};
use sellerlink_domain::ids::ConnectionId;
use sellerlink_reminders::Reminders;
use sellerlink_sync::{Scheduler, SchedulerConfig, Shipper, StockPusher};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::args::{SyncArgs, WorkerArgs};
use crate::output::{AlreadyReported, Output};

/// Imports the connections now. On a terminal each connection has a progress bar that ends on its outcome; without
/// one (cron, CI, a pipe) each prints one line, `<connection id> <outcome>…`, when it ends. A connection that did
/// not import completely (an error, or a lease another live process holds) makes the command fail.
pub async fn run(app: &App, args: SyncArgs, output: &Output) -> anyhow::Result<()> {
    let ids: Vec<ConnectionId> = if args.all || args.connections.is_empty() {
        app.connections(None)
            .await?
            .into_iter()
            .map(|v| v.connection.id)
            .collect()
    } else {
        args.connections
    };
    let bars = MultiProgress::new();
    let lines = !output.json && !std::io::stderr().is_terminal();
    if output.json || lines {
        bars.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let style =
        ProgressStyle::with_template("{spinner} {prefix:.bold} {msg}").expect("a valid template");
    let mut handles = Vec::new();
    for id in ids {
        let bar = bars.add(
            ProgressBar::new_spinner()
                .with_style(style.clone())
                .with_prefix(short(id)),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        let progress_bar = bar.clone();
        let options = RunOptions {
            progress: Some(Arc::new(move |p: &sellerlink_sync::Progress| {
                progress_bar.set_message(format!(
                    "{} page(s), {} order(s) listed, {} written, {} item call(s)",
                    p.pages, p.orders_seen, p.orders_written, p.item_calls
                ));
            })),
            cancel: None,
        };
        let app = app.clone();
        handles.push(tokio::spawn(async move {
            let result = app.sync_connection(id, options).await;
            match &result {
                Ok(report) => bar.finish_with_message(summary(report)),
                Err(err) => bar.abandon_with_message(format!("error: {err}")),
            }
            (id, result)
        }));
    }
    let mut reports = Vec::new();
    let mut failed = 0;
    for handle in handles {
        let (id, result) = handle.await?;
        match result {
            Ok(report) => {
                let error = error_text(&report);
                if error.is_some() {
                    failed += 1;
                }
                if lines {
                    println!("{id} {}", summary(&report));
                }
                reports.push(serde_json::json!({
                    "connection_id": id,
                    "outcome": report.outcome.as_str(),
                    "pages": report.pages,
                    "orders_new": report.orders_new,
                    "orders_changed": report.orders_changed,
                    "orders_unchanged": report.orders_unchanged,
                    "throttled": report.throttled,
                    "watermark": report.watermark,
                    "error": error,
                }));
            }
            Err(err) => {
                failed += 1;
                if lines {
                    println!("{id} error: {err}");
                }
                reports.push(serde_json::json!({ "connection_id": id, "outcome": "error", "error": err.to_string() }));
            }
        }
    }
    if output.json {
        output.done("", &reports);
    }
    if failed > 0 {
        return Err(AlreadyReported(format!(
            "{failed} connection(s) did not import completely; see above"
        ))
        .into());
    }
    Ok(())
}

pub async fn worker(
    app: &App,
    global: &crate::args::GlobalArgs,
    args: WorkerArgs,
) -> anyhow::Result<()> {
    let settings = WorkerSettings {
        scheduler: SchedulerConfig {
            interval: jiff::SignedDuration::from_mins(args.interval_minutes.max(1)),
            max_concurrent: args.concurrency.max(1),
            ..SchedulerConfig::default()
        },
        buyer_data_days: args.buyer_data.buyer_data_days,
        allow_private_webhooks: global.allow_private_webhooks,
    };
    let worker = Worker::new(app, global, settings).await?;
    let shutdown = CancellationToken::new();
    let jobs = worker.start(&shutdown);
    eprintln!(
        "sellerlink worker: importing every {} minute(s), sending due reminders and alerts every minute, shipment confirmations and stock levels every 30 s; Ctrl-C to stop",
        args.interval_minutes
    );
    tokio::signal::ctrl_c().await?;
    shutdown.cancel();
    for job in jobs {
        job.await?;
    }
    Ok(())
}

/// How the worker's jobs run.
#[derive(Debug, Clone, Copy)]
pub struct WorkerSettings {
    /// The imports and the re-checks of paused connections.
    pub scheduler: SchedulerConfig,
    /// Erase the buyer data of finished orders this many days after Amazon's last update of them; 0 keeps it.
    pub buyer_data_days: u32,
    /// Post webhooks to non-public addresses too (`--allow-private-webhooks`; the demo).
    pub allow_private_webhooks: bool,
}

/// The worker's jobs over one app and its clock: imports and re-checks of paused connections, expiry reminders
/// and access alerts, shipment confirmations, stock levels and buyer-data erasure. `sellerlink worker` and
/// `sellerlink demo` both run them through this, as loops ([`Worker::start`]) and, in the demo after its clock
/// moved, once at once ([`Worker::run_due_now`]).
pub struct Worker {
    app: App,
    scheduler: Arc<Scheduler>,
    reminders: Reminders,
    shipper: Shipper,
    pusher: StockPusher,
    buyer_data_days: u32,
}

impl Worker {
    /// The jobs of `app` (which needs Amazon access), with the reminders' mail settings from `global`.
    pub async fn new(
        app: &App,
        global: &crate::args::GlobalArgs,
        settings: WorkerSettings,
    ) -> anyhow::Result<Arc<Self>> {
        Ok(Arc::new(Self {
            app: app.clone(),
            scheduler: Arc::new(Scheduler::new(app.importer()?.clone(), settings.scheduler)),
            reminders: crate::commands::notify::reminders(
                global,
                app,
                settings.allow_private_webhooks,
            )
            .await?,
            shipper: app.shipper()?,
            pusher: app.stock_pusher()?,
            buyer_data_days: settings.buyer_data_days,
        }))
    }

    /// Starts every job's loop: the scheduler (polling every 15 s), the reminders (every minute), shipment
    /// confirmations and stock levels (every 30 s) and, unless switched off, buyer-data erasure (daily). They stop
    /// when `shutdown` fires (a run in progress finishes first); await the handles.
    pub fn start(self: &Arc<Self>, shutdown: &CancellationToken) -> Vec<JoinHandle<()>> {
        let mut jobs = vec![tokio::spawn(self.scheduler.clone().run(shutdown.clone()))];
        let reminders = self.reminders.clone();
        let stop = shutdown.clone();
        jobs.push(tokio::spawn(async move {
            reminders.serve(stop.cancelled_owned()).await
        }));
        let worker = self.clone();
        jobs.push(tokio::spawn(every(
            OUTBOX_EVERY,
            shutdown.clone(),
            move || {
                let worker = worker.clone();
                async move { worker.send_shipments().await }
            },
        )));
        let worker = self.clone();
        jobs.push(tokio::spawn(every(
            OUTBOX_EVERY,
            shutdown.clone(),
            move || {
                let worker = worker.clone();
                async move { worker.push_stock().await }
            },
        )));
        if self.buyer_data_days > 0 {
            let worker = self.clone();
            jobs.push(tokio::spawn(every(DAILY, shutdown.clone(), move || {
                let worker = worker.clone();
                async move { worker.erase_buyer_data().await }
            })));
        }
        jobs
    }

    /// Runs every job once now, in the order their effects build on each other: re-checks of paused connections
    /// and the imports due (a refusal found here is what raises an access alert), then reminders and alerts, then
    /// shipment confirmations, stock levels and buyer-data erasure. Failures are logged, as in the loops.
    pub async fn run_due_now(&self) {
        match self.scheduler.tick(self.app.now()).await {
            Ok(runs) => tracing::info!(imports = runs.len(), "ran the imports due"),
            Err(error) => tracing::warn!(%error, "running the imports due failed"),
        }
        match self.reminders.run_once(self.app.now()).await {
            Ok(outcome) => tracing::info!(?outcome, "reminders pass finished"),
            Err(error) => tracing::warn!(%error, "the reminders pass failed"),
        }
        self.send_shipments().await;
        self.push_stock().await;
        if self.buyer_data_days > 0 {
            self.erase_buyer_data().await;
        }
    }

    /// The reminders the jobs send through (the web app's notification pages use them too).
    pub fn reminders(&self) -> &Reminders {
        &self.reminders
    }

    async fn send_shipments(&self) {
        if let Err(error) = self.shipper.run_once().await {
            tracing::warn!(%error, "sending shipment confirmations failed");
        }
    }

    async fn push_stock(&self) {
        if let Err(error) = self.pusher.run_once().await {
            tracing::warn!(%error, "pushing stock levels failed");
        }
    }

    async fn erase_buyer_data(&self) {
        let days = self.buyer_data_days;
        match crate::commands::orders::erase_buyer_data(&self.app, days).await {
            Ok(0) => {}
            Ok(erased) => tracing::info!(erased, days, "erased buyer data of finished orders"),
            Err(error) => tracing::warn!(%error, "erasing buyer data failed"),
        }
    }
}

/// How often the worker sends due shipment confirmations and stock levels.
const OUTBOX_EVERY: Duration = Duration::from_secs(30);
/// How often the worker erases old buyer data.
const DAILY: Duration = Duration::from_secs(24 * 60 * 60);

/// Runs `job` now and then every `period` until `shutdown` fires (a run in progress finishes first).
async fn every<F, Fut>(period: Duration, shutdown: CancellationToken, job: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()>,
{
    loop {
        job().await;
        tokio::select! {
            () = shutdown.cancelled() => break,
            () = tokio::time::sleep(period) => {}
        }
    }
}

fn short(id: ConnectionId) -> String {
    id.to_string()[..8].to_owned()
}

fn summary(report: &SyncReport) -> String {
    let mut text = format!(
        "{}: {} page(s), {} new, {} changed, {} unchanged",
        report.outcome.as_str(),
        report.pages,
        report.orders_new,
        report.orders_changed,
        report.orders_unchanged
    );
    if let Some(error) = error_text(report) {
        text.push_str(&format!(" — {error}"));
    }
    text
}

/// Why a connection did not import completely: the error its run ended on, or who holds its lease.
fn error_text(report: &SyncReport) -> Option<String> {
    match &report.error {
        Some(error) => Some(format!("{}: {}", error.kind, error.message)),
        None => report.lease_held_message(),
    }
}
