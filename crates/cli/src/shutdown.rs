//! Stopping gracefully on SIGTERM or SIGINT, also as PID 1 in a container.
//!
//! The kernel gives a PID namespace's first process no default action for SIGTERM or SIGINT: a signal it has no
//! handler for is dropped, so `docker stop` or a Kubernetes rollout would wait and then kill it hard. The long-running
//! commands therefore install handlers for both ([`Signals::install`], before anything else runs), and on the first
//! signal cancel their jobs, let them finish for at most the grace period, give back every lease the process still
//! holds and exit 0. A second signal during the grace period stops at once: the jobs are aborted, the leases given
//! back, and the exit status is 128 + the signal (143 for SIGTERM, 130 for SIGINT), as a shell reports it.

use std::time::Duration;

use sellerlink_app::{App, RunningJobs};
use tokio::signal::unix::{Signal, SignalKind, signal};

/// Which signal asked the process to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// SIGTERM (`kill`, `docker stop`, Kubernetes).
    Terminate,
    /// SIGINT (Ctrl-C).
    Interrupt,
}

impl Stop {
    /// The exit status of a process stopped at once by this signal: 128 + its number.
    pub fn exit_status(self) -> u8 {
        match self {
            Self::Terminate => 128 + 15,
            Self::Interrupt => 128 + 2,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Terminate => "SIGTERM",
            Self::Interrupt => "SIGINT",
        }
    }
}

/// Handlers for SIGTERM and SIGINT, installed for the rest of the process's life.
#[derive(Debug)]
pub struct Signals {
    terminate: Signal,
    interrupt: Signal,
}

impl Signals {
    /// Installs the handlers (from then on neither signal ends the process by itself).
    pub fn install() -> anyhow::Result<Self> {
        let install = |kind: SignalKind, name: &str| {
            signal(kind).map_err(|e| anyhow::anyhow!("cannot handle {name}: {e}"))
        };
        Ok(Self {
            terminate: install(SignalKind::terminate(), "SIGTERM")?,
            interrupt: install(SignalKind::interrupt(), "SIGINT")?,
        })
    }

    /// The handlers installed earlier, or installed now.
    pub fn or_install(installed: Option<Self>) -> anyhow::Result<Self> {
        match installed {
            Some(signals) => Ok(signals),
            None => Self::install(),
        }
    }

    /// Waits for the next signal.
    pub async fn next(&mut self) -> Stop {
        tokio::select! {
            _ = self.terminate.recv() => Stop::Terminate,
            _ = self.interrupt.recv() => Stop::Interrupt,
        }
    }
}

/// How the jobs ended after the first signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// They finished within the grace period.
    Finished,
    /// The grace period ran out; what was still running was aborted.
    GraceRanOut,
    /// A second signal came; what was still running was aborted.
    StoppedAtOnce(Stop),
}

/// A stop that already printed why: the process exits with this status (see [`Stop::exit_status`]).
#[derive(Debug, thiserror::Error)]
#[error("stopped at once by a second signal")]
pub struct ExitStatus(pub u8);

/// Waits for `stopping` (the jobs winding down after their cancellation) for at most `grace`, or until a second
/// signal. `abort` is called when they did not finish in time, and must return once they are gone (abort the
/// tasks, then await them), so that nothing renews a lease after [`give_back_leases`].
pub async fn wind_down<S, A>(signals: &mut Signals, grace: Duration, stopping: S, abort: A) -> Ended
where
    S: Future<Output = ()>,
    A: AsyncFnOnce(),
{
    tokio::pin!(stopping);
    let ended = tokio::select! {
        () = &mut stopping => return Ended::Finished,
        () = tokio::time::sleep(grace) => Ended::GraceRanOut,
        stop = signals.next() => Ended::StoppedAtOnce(stop),
    };
    match ended {
        Ended::GraceRanOut => eprintln!(
            "sellerlink: the jobs did not finish within {}s; stopping them now",
            grace.as_secs()
        ),
        Ended::StoppedAtOnce(stop) => {
            eprintln!("sellerlink: {} again; stopping at once", stop.name())
        }
        Ended::Finished => {}
    }
    abort().await;
    ended
}

/// Stops `running` jobs (whose shutdown already fired) within `grace`, or at once on a second signal: what has not
/// finished by then is aborted, and this returns once it is gone.
pub async fn stop_jobs(mut running: RunningJobs, signals: &mut Signals, grace: Duration) -> Ended {
    let ended = wind_down(signals, grace, running.stopped(), async || {}).await;
    if ended != Ended::Finished {
        running.abort().await;
        let_statements_land().await;
    }
    ended
}

/// After aborting tasks: a statement an aborted task had already handed to the database may still land (the
/// driver runs it on its own thread); wait a moment so that a lease renewal cannot follow the leases' release.
pub async fn let_statements_land() {
    tokio::time::sleep(Duration::from_millis(200)).await;
}

/// Says which signal came and what happens now.
pub fn announce(stop: Stop, grace: Duration) {
    eprintln!(
        "sellerlink: {} received; finishing running work (at most {}s, a second signal stops at once)",
        stop.name(),
        grace.as_secs()
    );
}

/// Gives back every lease this process still holds, so other workers take its connections over at once instead
/// of after the leases expire. Failures are reported, not fatal: the leases then expire on their own.
pub async fn give_back_leases(app: &App) {
    let owner = app.lease_owner();
    match app.store().release_leases_of(owner).await {
        Ok(0) => {}
        Ok(released) => tracing::info!(released, %owner, "gave back the leases still held"),
        Err(error) => {
            eprintln!(
                "sellerlink: could not give back the leases of {owner} ({error}); they expire on their own"
            )
        }
    }
}

/// What the command returns after [`wind_down`] ended as `ended` (and the leases were given back): `Ok` (exit 0)
/// unless a second signal stopped it at once.
pub fn result(ended: Ended) -> anyhow::Result<()> {
    match ended {
        Ended::Finished | Ended::GraceRanOut => Ok(()),
        Ended::StoppedAtOnce(stop) => Err(ExitStatus(stop.exit_status()).into()),
    }
}

/// The grace period of the `--shutdown-grace` option.
pub fn grace(global: &crate::args::GlobalArgs) -> Duration {
    Duration::from_secs(global.shutdown_grace)
}
