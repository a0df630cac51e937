//! `GET /metrics`: the process's counters and the app's gauges in the Prometheus text format.
//!
//! On the web app's own listener it answers only requests whose TCP peer is on loopback and that no proxy
//! forwarded (no `Forwarded` or `X-Forwarded-For` header): a Prometheus on the same host scrapes it, while a
//! reverse proxy in front of the app cannot expose it by accident. Everyone else gets 404, as for an unknown
//! page. To scrape from another host, give `serve` or `worker` a separate listener with `--metrics-listen` and
//! keep that address inside the network Prometheus runs in ([`serve_metrics`]).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sellerlink_metrics::Gauges;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::error::WebError;
use crate::state::WebState;

/// `/metrics` on the web app's listener: loopback peers that no proxy forwarded only.
pub(crate) fn router() -> Router<WebState> {
    Router::new().route("/metrics", get(on_the_app_listener))
}

async fn on_the_app_listener(State(state): State<WebState>, request: Request) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| *addr);
    let local_and_direct =
        peer.is_some_and(|peer| peer.ip().is_loopback()) && !forwarded(request.headers());
    if !local_and_direct {
        return StatusCode::NOT_FOUND.into_response();
    }
    exposition(&state.app().gauges()).await
}

/// Whether a proxy says it forwarded the request for someone else.
fn forwarded(headers: &HeaderMap) -> bool {
    headers.contains_key(header::FORWARDED) || headers.contains_key("x-forwarded-for")
}

async fn exposition(sources: &[Arc<dyn Gauges>]) -> Response {
    let text = sellerlink_metrics::render(sources).await;
    (
        [(header::CONTENT_TYPE, sellerlink_metrics::CONTENT_TYPE)],
        text,
    )
        .into_response()
}

/// A listener that serves `GET /metrics` only, to anyone who reaches it (`--metrics-listen`).
#[derive(Debug)]
pub struct MetricsListener {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl MetricsListener {
    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Waits until it stopped (after the `shutdown` token given to [`serve_metrics`] fired).
    pub async fn stopped(self) {
        let _ = self.task.await;
    }
}

/// Serves `GET /metrics` on `bind` (port 0 picks a free one) until `shutdown` fires: the counters of this process
/// and the gauges of `sources`, computed at each scrape. Any other path is 404.
pub async fn serve_metrics(
    bind: SocketAddr,
    sources: Vec<Arc<dyn Gauges>>,
    shutdown: CancellationToken,
) -> Result<MetricsListener, WebError> {
    let listener = TcpListener::bind(bind)
        .await
        .map_err(|source| WebError::Bind { addr: bind, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| WebError::Bind { addr: bind, source })?;
    let sources = Arc::new(sources);
    let app = Router::new().route(
        "/metrics",
        get(move || {
            let sources = Arc::clone(&sources);
            async move { exposition(&sources).await }
        }),
    );
    let task = tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, app)
            .with_graceful_shutdown(shutdown.cancelled_owned())
            .await
        {
            tracing::error!(%error, "the metrics listener stopped on an error");
        }
    });
    tracing::info!(%addr, "serving /metrics");
    Ok(MetricsListener { addr, task })
}
