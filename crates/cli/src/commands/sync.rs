//! `sellerlink sync` (one import now, with progress bars) and `sellerlink worker` (the scheduler).

use std::sync::Arc;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use sellerlink_app::{App, RunOptions, SyncReport};
use sellerlink_domain::ids::ConnectionId;
use sellerlink_sync::{Scheduler, SchedulerConfig};
use tokio_util::sync::CancellationToken;

use crate::args::{SyncArgs, WorkerArgs};
use crate::output::{AlreadyReported, Output};

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
    if output.json {
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
                if report.error.is_some() {
                    failed += 1;
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
                    "error": report.error.as_ref().map(|e| format!("{}: {}", e.kind, e.message)),
                }));
            }
            Err(err) => {
                failed += 1;
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
    let config = SchedulerConfig {
        interval: jiff::SignedDuration::from_mins(args.interval_minutes.max(1)),
        max_concurrent: args.concurrency.max(1),
        ..SchedulerConfig::default()
    };
    let scheduler = Arc::new(Scheduler::new(app.importer()?.clone(), config));
    let shutdown = CancellationToken::new();
    let task = tokio::spawn(scheduler.run(shutdown.clone()));
    let reminders = crate::commands::notify::reminders(global, app).await?;
    let reminders_shutdown = shutdown.clone();
    let reminders_task =
        tokio::spawn(async move { reminders.serve(reminders_shutdown.cancelled_owned()).await });
    let mut jobs = Vec::new();
    let shipper = app.shipper()?;
    jobs.push(tokio::spawn(every(
        OUTBOX_EVERY,
        shutdown.clone(),
        move || {
            let shipper = shipper.clone();
            async move {
                if let Err(error) = shipper.run_once().await {
                    tracing::warn!(%error, "sending shipment confirmations failed");
                }
            }
        },
    )));
    let pusher = app.stock_pusher()?;
    jobs.push(tokio::spawn(every(
        OUTBOX_EVERY,
        shutdown.clone(),
        move || {
            let pusher = pusher.clone();
            async move {
                if let Err(error) = pusher.run_once().await {
                    tracing::warn!(%error, "pushing stock levels failed");
                }
            }
        },
    )));
    if args.buyer_data_days > 0 {
        let (app, days) = (app.clone(), args.buyer_data_days);
        jobs.push(tokio::spawn(every(DAILY, shutdown.clone(), move || {
            let app = app.clone();
            async move {
                match crate::commands::orders::erase_buyer_data(&app, days).await {
                    Ok(0) => {}
                    Ok(erased) => {
                        tracing::info!(erased, days, "erased buyer data of finished orders")
                    }
                    Err(error) => tracing::warn!(%error, "erasing buyer data failed"),
                }
            }
        })));
    }
    eprintln!(
        "sellerlink worker: importing every {} minute(s), sending due reminders and alerts every minute, shipment confirmations and stock levels every 30 s; Ctrl-C to stop",
        args.interval_minutes
    );
    tokio::signal::ctrl_c().await?;
    shutdown.cancel();
    task.await?;
    reminders_task.await?;
    for job in jobs {
        job.await?;
    }
    Ok(())
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
    if let Some(error) = &report.error {
        text.push_str(&format!(" — {}: {}", error.kind, error.message));
    }
    text
}
