//! The budget and the per-case time bound shared by the parser fuzz suites (`tests/it/fuzz.rs` in the parsing
//! crates). The number of cases per target is `SELLERLINK_FUZZ_CASES` (default [`DEFAULT_CASES`], small enough for
//! every test run); a long run sets it to, say, 100000.

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, TestRunner};
use std::sync::mpsc;
use std::time::Duration;

/// Cases per target when `SELLERLINK_FUZZ_CASES` is unset.
pub const DEFAULT_CASES: u32 = 256;

/// The longest one case may take before it counts as a hang (generous: two cores are shared by several builds).
pub const CASE_TIME_BOUND: Duration = Duration::from_secs(10);

/// Cases per target: `SELLERLINK_FUZZ_CASES`, else [`DEFAULT_CASES`]. An unreadable value is a test failure, not a
/// silent fallback.
pub fn cases() -> u32 {
    match std::env::var("SELLERLINK_FUZZ_CASES") {
        Ok(text) => text.trim().parse().unwrap_or_else(|_| {
            panic!("SELLERLINK_FUZZ_CASES must be a positive whole number, not {text:?}")
        }),
        Err(_) => DEFAULT_CASES,
    }
}

/// Runs `work` on its own thread and returns its result; panics (failing the case) when it panicked or did not
/// finish within [`CASE_TIME_BOUND`], so an endless loop in a parser is a failure instead of a hung suite.
pub fn within_bound<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let (sender, receiver) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        // The receiver is gone only when the bound already failed the case.
        let _ = sender.send(work());
    });
    match receiver.recv_timeout(CASE_TIME_BOUND) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(payload) => std::panic::resume_unwind(payload),
            Ok(()) => panic!("the case ended without a result"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("the case ran longer than {CASE_TIME_BOUND:?}: a parser loops or is quadratic")
        }
    }
}

/// Runs `check` on `cases` values of `strategy` (no failure persistence: the failing value is in the message); a
/// panic in `check` fails the test with `name` and the shrunk value.
pub fn run<S: Strategy>(name: &str, cases: u32, strategy: S, check: impl Fn(S::Value)) {
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    if let Err(failure) = runner.run(&strategy, |value| {
        check(value);
        Ok(())
    }) {
        panic!("{name}: {failure}");
    }
}
