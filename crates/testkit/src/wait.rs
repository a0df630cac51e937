//! Waiting for a recorder to reach a count, bounded by a deadline instead of a sleep.

use std::time::Duration;

use tokio::sync::watch;

/// The recorder did not reach the expected count in time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("waited {waited:?} for {expected} {what}, but only {received} arrived")]
pub struct WaitTimeout {
    /// `messages` or `requests`.
    pub what: &'static str,
    /// The count waited for.
    pub expected: usize,
    /// The count reached.
    pub received: usize,
    /// How long it waited.
    pub waited: Duration,
}

/// Waits until the watched count is at least `expected`, or `timeout` passes.
pub(crate) async fn until_count(
    count: &watch::Sender<usize>,
    what: &'static str,
    expected: usize,
    timeout: Duration,
) -> Result<(), WaitTimeout> {
    let mut receiver = count.subscribe();
    let reached = tokio::time::timeout(timeout, receiver.wait_for(|n| *n >= expected)).await;
    match reached {
        Ok(Ok(_)) => Ok(()),
        _ => Err(WaitTimeout {
            what,
            expected,
            received: *count.borrow(),
            waited: timeout,
        }),
    }
}
