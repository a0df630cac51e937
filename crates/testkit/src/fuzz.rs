//! The budget and the per-case time bound shared by the parser fuzz suites (`tests/it/fuzz.rs` in the parsing
//! crates). The number of cases per target is `SELLERLINK_FUZZ_CASES` (default [`DEFAULT_CASES`], small enough for
//! every test run); a long run sets it to, say, 100000.

use proptest::prelude::*;
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

/// One edit of a document.
#[derive(Debug, Clone)]
enum Edit {
    Delete { at: usize, len: usize },
    Insert { at: usize, bytes: Vec<u8> },
    Fragment { at: usize, which: usize },
    Duplicate { at: usize, len: usize },
    Flip { at: usize, byte: u8 },
}

fn edit(fragments: usize) -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 0..64usize).prop_map(|(at, len)| Edit::Delete { at, len }),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(at, bytes)| Edit::Insert { at, bytes }),
        (any::<usize>(), 0..fragments).prop_map(|(at, which)| Edit::Fragment { at, which }),
        (any::<usize>(), 1..512usize).prop_map(|(at, len)| Edit::Duplicate { at, len }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Edit::Flip { at, byte }),
    ]
}

fn apply(document: &mut Vec<u8>, edit: &Edit, fragments: &[&str]) {
    let start = |position: usize, len: usize| position % (len + 1);
    match edit {
        Edit::Delete { at, len } => {
            let from = start(*at, document.len());
            let to = (from + len).min(document.len());
            document.drain(from..to);
        }
        Edit::Insert { at, bytes } => {
            let from = start(*at, document.len());
            document.splice(from..from, bytes.iter().copied());
        }
        Edit::Fragment { at, which } => {
            let from = start(*at, document.len());
            document.splice(from..from, fragments[*which].bytes());
        }
        Edit::Duplicate { at, len } => {
            let from = start(*at, document.len());
            let to = (from + len).min(document.len());
            let copy = document[from..to].to_vec();
            document.splice(to..to, copy);
        }
        Edit::Flip { at, byte } => {
            if !document.is_empty() {
                let index = at % document.len();
                document[index] = *byte;
            }
        }
    }
}

/// One of `documents` with one to seven edits: bytes deleted, inserted (any byte, so invalid UTF-8 too), duplicated
/// or overwritten, or one of `fragments` (tokens that stress the format's reader) spliced in.
pub fn mutated(
    documents: &'static [&'static str],
    fragments: &'static [&'static str],
) -> impl Strategy<Value = Vec<u8>> {
    assert!(
        !documents.is_empty() && !fragments.is_empty(),
        "nothing to mutate"
    );
    (
        0..documents.len(),
        prop::collection::vec(edit(fragments.len()), 1..8),
    )
        .prop_map(move |(which, edits)| {
            let mut document = documents[which].as_bytes().to_vec();
            for edit in &edits {
                apply(&mut document, edit, fragments);
            }
            document
        })
}
