//! [`MailSink`]: a real, minimal SMTP server on loopback that records what it receives.
//!
//! It speaks the subset of RFC 5321 a mail client needs to deliver: the `220` greeting, `EHLO`/`HELO`
//! (advertising `8BITMIME` and `SIZE`), `MAIL FROM`, `RCPT TO`, `DATA` with dot-unstuffing, `RSET`,
//! `NOOP` and `QUIT`. There is no TLS and no authentication. Commands out of order get `503`, unknown
//! ones `500`/`502`, as a real server answers.

mod session;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::mime::ParsedMail;
use crate::wait::{WaitTimeout, until_count};

/// The largest message accepted, advertised with `SIZE`.
pub const MAX_MESSAGE_BYTES: usize = 10 * 1024 * 1024;

/// One message the sink accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMail {
    /// The name the client gave in `EHLO`/`HELO`.
    pub helo: String,
    /// The reverse path of `MAIL FROM:<…>` (without the angle brackets; empty for `<>`).
    pub mail_from: String,
    /// The forward paths of `RCPT TO:<…>`, in order.
    pub rcpt_to: Vec<String>,
    /// The message as received after dot-unstuffing, lines ending in CRLF, without the final `.` line.
    pub data: Vec<u8>,
}

impl ReceivedMail {
    /// The message parsed into headers and (MIME) parts.
    pub fn parsed(&self) -> ParsedMail {
        ParsedMail::parse(&self.data)
    }
}

/// What the sessions share.
#[derive(Debug)]
pub(crate) struct SinkState {
    messages: Mutex<Vec<ReceivedMail>>,
    count: watch::Sender<usize>,
    fail_next: AtomicUsize,
}

impl SinkState {
    fn lock(&self) -> MutexGuard<'_, Vec<ReceivedMail>> {
        self.messages
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Consumes one injected failure, if any is left.
    pub(crate) fn take_failure(&self) -> bool {
        self.fail_next
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
    }

    /// Records an accepted message and returns its sequence number (1-based).
    pub(crate) fn record(&self, mail: ReceivedMail) -> usize {
        let mut messages = self.lock();
        messages.push(mail);
        let count = messages.len();
        drop(messages);
        self.count.send_replace(count);
        count
    }
}

/// A running SMTP sink on `127.0.0.1:<random port>`; it stops when dropped.
#[derive(Debug)]
pub struct MailSink {
    address: SocketAddr,
    state: Arc<SinkState>,
    server: JoinHandle<()>,
}

impl MailSink {
    /// Starts the sink on a free loopback port.
    ///
    /// # Errors
    ///
    /// If no loopback port can be bound.
    pub async fn start() -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let address = listener.local_addr()?;
        let state = Arc::new(SinkState {
            messages: Mutex::new(Vec::new()),
            count: watch::Sender::new(0),
            fail_next: AtomicUsize::new(0),
        });
        let server = tokio::spawn(accept_loop(listener, Arc::clone(&state)));
        Ok(Self {
            address,
            state,
            server,
        })
    }

    /// The address clients connect to.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `127.0.0.1`.
    pub fn host(&self) -> String {
        self.address.ip().to_string()
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// Every message accepted so far, in arrival order.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        self.state.lock().clone()
    }

    /// Waits until at least `count` messages have arrived, then returns all of them.
    ///
    /// # Errors
    ///
    /// [`WaitTimeout`] if fewer than `count` arrived within `timeout`.
    pub async fn wait_for(
        &self,
        count: usize,
        timeout: Duration,
    ) -> Result<Vec<ReceivedMail>, WaitTimeout> {
        until_count(&self.state.count, "messages", count, timeout).await?;
        Ok(self.messages())
    }

    /// Makes the next `n` deliveries fail: their `DATA` is read and answered with
    /// `451 4.3.0` (a transient failure), and nothing is recorded.
    pub fn fail_next(&self, n: usize) {
        self.state.fail_next.store(n, Ordering::SeqCst);
    }

    /// How many injected failures are still pending.
    pub fn pending_failures(&self) -> usize {
        self.state.fail_next.load(Ordering::SeqCst)
    }
}

impl Drop for MailSink {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn accept_loop(listener: TcpListener, state: Arc<SinkState>) {
    // Sessions live in this set, so aborting the accept loop ends them too.
    let mut sessions = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    sessions.spawn(session::run(stream, Arc::clone(&state)));
                }
            }
            Some(_) = sessions.join_next(), if !sessions.is_empty() => {}
        }
    }
}

#[cfg(test)]
mod tests;
