//! `sellerlink sync` (one import now, with progress bars) and `sellerlink worker` (the worker's jobs, registered in
//! `sellerlink_app::Jobs`, which the demo runs too).

use std::io::IsTerminal as _;
use std::sync::Arc;
use std::time::Duration;

use std::collections::HashMap;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use sellerlink_app::{App, JobSettings, Jobs, RunOptions, SyncReport, run_jobs};
use sellerlink_domain::ids::ConnectionId;
use sellerlink_store::Store;
use sellerlink_sync::{ImportOutcome, SchedulerConfig};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::args::{SyncArgs, WorkerArgs};
use crate::output::{AlreadyReported, Output};
use crate::shutdown::{self, Signals};

/// Imports the connections now, at most `--concurrency` at once (default: the database pool size), reading
/// `--all`'s connections from the store a page at a time, so that memory does not grow with their number. On a
/// terminal each running connection has a progress bar; without one (cron, CI, a pipe) each prints one line,
/// `<connection id> <outcome>…`, when it ends. A `TOTAL` line ends the output (with `--json`, a last array element
/// `{"total": …}`). A connection that did not import completely (an error, or a lease another live process holds)
/// does not stop the others but makes the command fail. SIGTERM or SIGINT stops the running imports after their
/// current page (recorded as interrupted) and starts no more; a second signal stops at once.
pub async fn run(
    app: &App,
    args: SyncArgs,
    output: &Output,
    signals: Option<Signals>,
) -> anyhow::Result<()> {
    let mut signals = Signals::or_install(signals)?;
    let concurrency = args
        .concurrency
        .unwrap_or_else(|| app.store().pool_size())
        .max(1) as usize;
    let mut ids = if args.all || args.connections.is_empty() {
        ConnectionIds::every(app.store().clone())
    } else {
        ConnectionIds::listed(args.connections)
    };
    let lines = !output.json && !std::io::stderr().is_terminal();
    let bars = MultiProgress::new();
    if output.json || lines {
        bars.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let mut printer = Printer::new(output.json, lines);
    let cancel = CancellationToken::new();
    let mut tasks = JoinSet::new();
    let mut running: HashMap<tokio::task::Id, ConnectionId> = HashMap::new();
    let mut listing_failed = None;
    let mut stopped_at_once = None;
    loop {
        while running.len() < concurrency && !cancel.is_cancelled() && listing_failed.is_none() {
            match ids.next().await {
                Ok(Some(id)) => {
                    let import = import_one(app.clone(), id, bars.clone(), cancel.clone());
                    running.insert(tasks.spawn(import).id(), id);
                }
                Ok(None) => break,
                Err(error) => listing_failed = Some(error),
            }
        }
        let joined = tokio::select! {
            joined = tasks.join_next_with_id() => joined,
            stop = signals.next(), if stopped_at_once.is_none() => {
                if cancel.is_cancelled() {
                    stopped_at_once = Some(stop);
                    tasks.abort_all();
                } else {
                    crate::shutdown::announce(stop, Duration::ZERO);
                    cancel.cancel();
                }
                continue;
            }
        };
        let Some(joined) = joined else { break };
        let (id, result) = match joined {
            Ok((task, result)) => (running.remove(&task), result),
            Err(error) => {
                let id = running.remove(&error.id());
                let why = if error.is_cancelled() {
                    "stopped at once by a second signal".to_owned()
                } else {
                    format!("the import panicked: {error}")
                };
                (id, Err(anyhow::anyhow!(why)))
            }
        };
        if let Some(id) = id {
            printer.connection(id, result);
        }
    }
    if let Some(stop) = stopped_at_once {
        crate::shutdown::let_statements_land().await;
        crate::shutdown::give_back_leases(app).await;
        printer.total();
        return Err(crate::shutdown::ExitStatus(stop.exit_status()).into());
    }
    let totals = printer.total();
    if let Some(error) = listing_failed {
        return Err(error.context("listing the connections to import failed"));
    }
    if totals.failed + totals.held > 0 {
        return Err(AlreadyReported(format!(
            "{} connection(s) did not import completely; see above",
            totals.failed + totals.held
        ))
        .into());
    }
    Ok(())
}

/// Connections read from the store per page by `sync --all`.
const CONNECTION_PAGE: u32 = 500;

/// The connections `sync` imports: those named on the command line, or every stored one, a page at a time.
enum ConnectionIds {
    Listed(std::vec::IntoIter<ConnectionId>),
    Every {
        store: Store,
        page: std::vec::IntoIter<ConnectionId>,
        after: Option<ConnectionId>,
        done: bool,
    },
}

impl ConnectionIds {
    fn listed(ids: Vec<ConnectionId>) -> Self {
        Self::Listed(ids.into_iter())
    }

    fn every(store: Store) -> Self {
        Self::Every {
            store,
            page: Vec::new().into_iter(),
            after: None,
            done: false,
        }
    }

    async fn next(&mut self) -> anyhow::Result<Option<ConnectionId>> {
        match self {
            Self::Listed(ids) => Ok(ids.next()),
            Self::Every {
                store,
                page,
                after,
                done,
            } => {
                if let Some(id) = page.next() {
                    *after = Some(id);
                    return Ok(Some(id));
                }
                if *done {
                    return Ok(None);
                }
                let ids = store.connection_ids_after(*after, CONNECTION_PAGE).await?;
                *done = ids.len() < CONNECTION_PAGE as usize;
                *page = ids.into_iter();
                let next = page.next();
                if next.is_some() {
                    *after = next;
                }
                Ok(next)
            }
        }
    }
}

/// Imports one connection with a progress bar (hidden without a terminal).
async fn import_one(
    app: App,
    id: ConnectionId,
    bars: MultiProgress,
    cancel: CancellationToken,
) -> anyhow::Result<SyncReport> {
    let style =
        ProgressStyle::with_template("{spinner} {prefix:.bold} {msg}").expect("a valid template");
    let bar = bars.add(
        ProgressBar::new_spinner()
            .with_style(style)
            .with_prefix(short(id)),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    let progress_bar = bar.clone();
    let options = RunOptions {
        progress: Some(Arc::new(move |p: &sellerlink_sync::Progress| {
            progress_bar.set_message(format!(
                "{} page(s), {} order(s) listed, {} written, {} item call(s)",
                p.pages, p.orders_seen, p.orders_written, p.item_calls
            ));
        })),
        cancel: Some(cancel),
    };
    let result = app.sync_connection(id, options).await;
    let line = match &result {
        Ok(report) => summary(report),
        Err(err) => format!("error: {err}"),
    };
    // The finished bar leaves the live area (one line is printed in its place), so that a terminal's bars
    // stay as many as the imports running.
    bar.finish_and_clear();
    bars.remove(&bar);
    if !bars.is_hidden() {
        let _ = bars.println(format!("{} {line}", short(id)));
    }
    Ok(result?)
}

/// Outcomes counted for the `TOTAL` line.
#[derive(Debug, Default, Clone, Copy)]
struct Totals {
    connections: u64,
    imported: u64,
    failed: u64,
    held: u64,
    paused: u64,
    orders_new: u64,
    orders_changed: u64,
}

impl Totals {
    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "connections": self.connections,
            "imported": self.imported,
            "failed": self.failed,
            "held_elsewhere": self.held,
            "paused": self.paused,
            "orders_new": self.orders_new,
            "orders_changed": self.orders_changed,
        })
    }

    fn line(&self) -> String {
        let mut line = format!(
            "TOTAL {} connection(s): {} imported, {} failed, {} held elsewhere",
            self.connections, self.imported, self.failed, self.held
        );
        if self.paused > 0 {
            line.push_str(&format!(", {} paused", self.paused));
        }
        line.push_str(&format!(
            "; {} new, {} changed orders",
            self.orders_new, self.orders_changed
        ));
        line
    }
}

/// Prints each connection's outcome as it ends (a line, a JSON array element, or nothing on a terminal where its
/// bar said it) and the total; keeps only the counts.
struct Printer {
    json: bool,
    lines: bool,
    elements: u64,
    totals: Totals,
}

impl Printer {
    fn new(json: bool, lines: bool) -> Self {
        Self {
            json,
            lines,
            elements: 0,
            totals: Totals::default(),
        }
    }

    fn connection(&mut self, id: ConnectionId, result: anyhow::Result<SyncReport>) {
        let totals = &mut self.totals;
        totals.connections += 1;
        let element = match result {
            Ok(report) => {
                let error = error_text(&report);
                match report.outcome {
                    ImportOutcome::Completed => totals.imported += 1,
                    ImportOutcome::LeaseHeld => totals.held += 1,
                    ImportOutcome::Paused => totals.paused += 1,
                    ImportOutcome::Failed | ImportOutcome::PausedAccessDenied => totals.failed += 1,
                }
                totals.orders_new += report.orders_new;
                totals.orders_changed += report.orders_changed;
                if self.lines {
                    println!("{id} {}", summary(&report));
                }
                serde_json::json!({
                    "connection_id": id,
                    "outcome": report.outcome.as_str(),
                    "pages": report.pages,
                    "orders_new": report.orders_new,
                    "orders_changed": report.orders_changed,
                    "orders_unchanged": report.orders_unchanged,
                    "throttled": report.throttled,
                    "watermark": report.watermark,
                    "error": error,
                })
            }
            Err(err) => {
                totals.failed += 1;
                if self.lines {
                    println!("{id} error: {err:#}");
                }
                serde_json::json!({ "connection_id": id, "outcome": "error", "error": format!("{err:#}") })
            }
        };
        if self.json {
            self.element(&element);
        }
    }

    fn element(&mut self, value: &serde_json::Value) {
        let text = serde_json::to_string_pretty(value).unwrap_or_else(|e| {
            serde_json::json!({ "error": format!("cannot render JSON: {e}") }).to_string()
        });
        let separator = if self.elements == 0 { "[\n" } else { ",\n" };
        print!("{separator}{text}");
        self.elements += 1;
    }

    /// Prints the total (and closes the JSON array); returns the counts.
    fn total(&mut self) -> Totals {
        let totals = self.totals;
        if self.json {
            self.element(&serde_json::json!({ "total": totals.json() }));
            println!("\n]");
        } else {
            println!("{}", totals.line());
        }
        totals
    }
}

/// Runs the worker's jobs ([`JobSettings::worker`]) until SIGTERM or SIGINT, then stops gracefully (see
/// [`crate::shutdown`]); with `--metrics-listen`, serves `/metrics` meanwhile.
pub async fn worker(
    app: &App,
    global: &crate::args::GlobalArgs,
    args: WorkerArgs,
    signals: Option<Signals>,
) -> anyhow::Result<()> {
    let mut signals = Signals::or_install(signals)?;
    let scheduler = SchedulerConfig {
        interval: jiff::SignedDuration::from_mins(args.interval_minutes.max(1)),
        max_concurrent: args.concurrency.max(1),
        ..SchedulerConfig::default()
    };
    let reminders =
        crate::commands::notify::reminders(global, app, global.allow_private_webhooks).await?;
    let app = app.clone().with_notifications(reminders);
    let jobs = Jobs::new(
        &app,
        JobSettings::worker(scheduler, args.buyer_data.buyer_data_days),
    )?;
    let shutdown = CancellationToken::new();
    let metrics = match args.metrics_listen {
        Some(bind) => {
            let listener =
                sellerlink_web::serve_metrics(bind, app.gauges(), shutdown.clone()).await?;
            eprintln!(
                "sellerlink worker: metrics at http://{}/metrics",
                listener.addr()
            );
            Some(listener)
        }
        None => None,
    };
    let running = run_jobs(&jobs, &shutdown);
    eprintln!(
        "sellerlink worker: importing every {} minute(s), sending due reminders and alerts every minute, shipment confirmations and stock levels every 30 s; Ctrl-C or SIGTERM to stop",
        args.interval_minutes
    );
    let grace = shutdown::grace(global);
    shutdown::announce(signals.next().await, grace);
    shutdown.cancel();
    let ended = shutdown::stop_jobs(running, &mut signals, grace).await;
    shutdown::give_back_leases(&app).await;
    if let Some(metrics) = metrics {
        metrics.stopped().await;
    }
    shutdown::result(ended)
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
