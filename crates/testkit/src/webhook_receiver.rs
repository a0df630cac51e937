//! [`WebhookReceiver`]: a real HTTP server (axum) on loopback that records every request and can be
//! told to fail the next ones.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::wait::{WaitTimeout, until_count};

/// One request the receiver got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// `POST`, `GET`, …
    pub method: String,
    /// The path and query, e.g. `/hooks/sellerlink?x=1`.
    pub path: String,
    /// The headers in arrival order, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
    /// The status the receiver answered (0 for a request it never answered, see
    /// [`WebhookReceiver::hang_next`]).
    pub answered: u16,
}

impl RecordedRequest {
    /// The first value of a header (name matched case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The body as UTF-8 text (lossy).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// How to answer one of the next requests.
#[derive(Debug, Clone, Copy)]
enum Answer {
    Status(StatusCode),
    /// Never answer; the client has to time out.
    Hang,
}

#[derive(Debug)]
struct ReceiverState {
    requests: Mutex<Vec<RecordedRequest>>,
    failures: Mutex<VecDeque<Answer>>,
    count: watch::Sender<usize>,
}

impl ReceiverState {
    fn requests(&self) -> MutexGuard<'_, Vec<RecordedRequest>> {
        self.requests
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn failures(&self) -> MutexGuard<'_, VecDeque<Answer>> {
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A running HTTP receiver on `127.0.0.1:<random port>`; any method and path is accepted and
/// recorded. It answers `200 OK` unless told to fail; it stops when dropped.
#[derive(Debug)]
pub struct WebhookReceiver {
    address: SocketAddr,
    state: Arc<ReceiverState>,
    server: JoinHandle<()>,
}

impl WebhookReceiver {
    /// Starts the receiver on a free loopback port.
    ///
    /// # Errors
    ///
    /// If no loopback port can be bound.
    pub async fn start() -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let address = listener.local_addr()?;
        let state = Arc::new(ReceiverState {
            requests: Mutex::new(Vec::new()),
            failures: Mutex::new(VecDeque::new()),
            count: watch::Sender::new(0),
        });
        let router = Router::new()
            .fallback(record)
            .with_state(Arc::clone(&state));
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Ok(Self {
            address,
            state,
            server,
        })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// `http://127.0.0.1:<port>{path}`; `path` should start with `/`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url())
    }

    /// The address.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Answers the next `n` requests with `500 Internal Server Error` (after recording them).
    pub fn fail_next(&self, n: usize) {
        self.fail_next_with(n, 500);
    }

    /// Answers the next `n` requests with `status`, e.g. 429 or 410 (after recording them).
    ///
    /// # Panics
    ///
    /// If `status` is not a valid HTTP status code (100–999).
    pub fn fail_next_with(&self, n: usize, status: u16) {
        let status = StatusCode::from_u16(status).expect("an HTTP status code between 100 and 999");
        let mut failures = self.state.failures();
        failures.clear();
        failures.extend(std::iter::repeat_n(Answer::Status(status), n));
    }

    /// Records the next `n` requests but never answers them, so the client's timeout fires.
    /// (The held requests are released when the receiver is dropped.)
    pub fn hang_next(&self, n: usize) {
        let mut failures = self.state.failures();
        failures.clear();
        failures.extend(std::iter::repeat_n(Answer::Hang, n));
    }

    /// Every request so far, failed ones included, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.requests().clone()
    }

    /// Waits until at least `count` requests have arrived, then returns all of them.
    ///
    /// # Errors
    ///
    /// [`WaitTimeout`] if fewer than `count` arrived within `timeout`.
    pub async fn wait_for(
        &self,
        count: usize,
        timeout: Duration,
    ) -> Result<Vec<RecordedRequest>, WaitTimeout> {
        until_count(&self.state.count, "requests", count, timeout).await?;
        Ok(self.requests())
    }
}

impl Drop for WebhookReceiver {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn record(
    State(state): State<Arc<ReceiverState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, &'static str) {
    let answer = state
        .failures()
        .pop_front()
        .unwrap_or(Answer::Status(StatusCode::OK));
    let request = RecordedRequest {
        method: method.to_string(),
        path: uri
            .path_and_query()
            .map_or_else(|| uri.path().to_owned(), ToString::to_string),
        headers: headers
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: body.to_vec(),
        answered: match answer {
            Answer::Status(status) => status.as_u16(),
            Answer::Hang => 0,
        },
    };
    let count = {
        let mut requests = state.requests();
        requests.push(request);
        requests.len()
    };
    state.count.send_replace(count);
    match answer {
        Answer::Status(status) if status.is_success() => (status, "ok"),
        Answer::Status(status) => (status, "failure injected by WebhookReceiver"),
        Answer::Hang => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    use super::*;

    /// Sends one HTTP/1.1 request by hand and returns the status line.
    async fn post(receiver: &WebhookReceiver, body: &str) -> String {
        let mut stream = TcpStream::connect(receiver.address()).await.unwrap();
        let request = format!(
            "POST /hooks/x?y=1 HTTP/1.1\r\nHost: {}\r\nX-Test: yes\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            receiver.address(),
            body.len()
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        response.lines().next().unwrap_or_default().to_owned()
    }

    #[tokio::test]
    async fn records_requests_and_fails_the_next_ones_on_demand() {
        let receiver = WebhookReceiver::start().await.unwrap();
        receiver.fail_next(2);
        assert_eq!(
            post(&receiver, "one").await,
            "HTTP/1.1 500 Internal Server Error"
        );
        assert_eq!(
            post(&receiver, "two").await,
            "HTTP/1.1 500 Internal Server Error"
        );
        assert_eq!(post(&receiver, "three").await, "HTTP/1.1 200 OK");
        receiver.fail_next_with(1, 429);
        assert_eq!(
            post(&receiver, "four").await,
            "HTTP/1.1 429 Too Many Requests"
        );

        let requests = receiver.wait_for(4, Duration::from_secs(5)).await.unwrap();
        let answered: Vec<u16> = requests.iter().map(|r| r.answered).collect();
        assert_eq!(answered, [500, 500, 200, 429]);
        let third = &requests[2];
        assert_eq!(third.method, "POST");
        assert_eq!(third.path, "/hooks/x?y=1");
        assert_eq!(third.header("x-test"), Some("yes"));
        assert_eq!(third.header("X-TEST"), Some("yes"));
        assert_eq!(third.body_text(), "three");
    }
}
