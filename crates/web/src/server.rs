//! Putting it together: the router with its middleware, and [`serve`], which listens, runs the background order
//! import (when configured) and cleans up expired sessions.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use sellerlink_app::App;
use sellerlink_sync::Scheduler;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

use crate::config::WebConfig;
use crate::error::WebError;
use crate::state::WebState;
use crate::{api, auth, metrics, pages, security};

/// The largest request body read (JSON and forms; page forms have their own, smaller limit). Larger is 413.
const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// How often expired sessions and old failed sign-ins are deleted.
const CLEANUP_EVERY: Duration = Duration::from_secs(600);

/// The whole web app: pages, `/api`, and the middleware every request passes (outermost first): panic guard,
/// request tracing, security headers, session recognition, CSRF check of page forms.
pub fn router(state: WebState) -> Router {
    Router::new()
        .nest("/api", api::router())
        .merge(pages::router())
        .merge(metrics::router())
        .layer(from_fn(auth::csrf::check_forms))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(from_fn_with_state(state.clone(), auth::session::recognise))
        .layer(from_fn_with_state(state.clone(), security::add_headers))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(CatchPanicLayer::new())
        .with_state(state)
}

/// The span of a request: method and path only. The query is left out because it can carry one-time OAuth values
/// (`state`, `spapi_oauth_code` at `/amazon/callback`) that must not reach the logs.
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    tracing::info_span!("http.request", http.method = %request.method(), http.path = %request.uri().path())
}

/// A running web app. Dropping it does not stop it; call [`RunningServer::shutdown`].
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    state: WebState,
    stop: CancellationToken,
    tasks: Vec<JoinHandle<()>>,
}

impl RunningServer {
    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Its state (the app, the import engine).
    pub fn state(&self) -> &WebState {
        &self.state
    }

    /// Stops accepting requests, lets requests in flight finish, stops the scheduler, and waits.
    pub async fn shutdown(self) {
        self.stop.cancel();
        for task in self.tasks {
            let _ = task.await;
        }
    }

    /// Asks everything to stop as [`RunningServer::shutdown`] does, without waiting: await
    /// [`StoppingServer::stopped`], or [`StoppingServer::abort`] what is still running.
    pub fn begin_shutdown(self) -> StoppingServer {
        self.stop.cancel();
        StoppingServer { tasks: self.tasks }
    }
}

/// A web app asked to stop ([`RunningServer::begin_shutdown`]).
#[derive(Debug)]
pub struct StoppingServer {
    tasks: Vec<JoinHandle<()>>,
}

impl StoppingServer {
    /// Waits until requests in flight and the scheduler's imports have finished.
    pub async fn stopped(&mut self) {
        // A task leaves the list only once it ended, so that `abort` after an abandoned wait awaits each task once.
        while let Some(task) = self.tasks.last_mut() {
            let _ = task.await;
            self.tasks.pop();
        }
    }

    /// Aborts what is still running (requests, imports) and returns once it is gone.
    pub async fn abort(self) {
        for task in &self.tasks {
            task.abort();
        }
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

/// Starts the web app on `config.bind` (port 0 picks a free port): serves the router, runs the order-import
/// scheduler when Amazon access with a scheduler is configured, and now and then deletes expired sessions and
/// refreshes the database's query statistics.
pub async fn serve(app: App, config: WebConfig) -> Result<RunningServer, WebError> {
    let bind = config.bind;
    let state = WebState::new(app, config);
    let listener = TcpListener::bind(bind)
        .await
        .map_err(|source| WebError::Bind { addr: bind, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| WebError::Bind { addr: bind, source })?;
    let stop = CancellationToken::new();
    let mut tasks = Vec::new();

    let service = router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let shutdown = stop.clone().cancelled_owned();
    tasks.push(tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, service)
            .with_graceful_shutdown(shutdown)
            .await
        {
            tracing::error!(%error, "the web server stopped on an error");
        }
    }));

    if let Some(config) = state.config().scheduler {
        match state.app().importer() {
            Ok(importer) => {
                let scheduler = Arc::new(Scheduler::new(importer.clone(), config));
                tasks.push(tokio::spawn(scheduler.run(stop.child_token())));
            }
            Err(error) => {
                tracing::warn!(%error, "no background import: Amazon access is not configured")
            }
        }
    }

    let cleaner = state.clone();
    let token = stop.child_token();
    tasks.push(tokio::spawn(async move {
        loop {
            tokio::select! {
                () = token.cancelled() => break,
                () = tokio::time::sleep(CLEANUP_EVERY) => clean_up(&cleaner).await,
            }
        }
    }));
    tracing::info!(%addr, "web app listening");
    Ok(RunningServer {
        addr,
        state,
        stop,
        tasks,
    })
}

async fn clean_up(state: &WebState) {
    let now = state.session_now();
    let window = state.config().login_throttle.window;
    let store = state.store();
    if let Err(error) = store.delete_expired_sessions(now).await {
        tracing::warn!(%error, "deleting expired sessions failed");
    }
    let before = now.checked_sub(window).unwrap_or(jiff::Timestamp::MIN);
    if let Err(error) = store.prune_login_failures(before).await {
        tracing::warn!(%error, "pruning failed sign-ins failed");
    }
    if let Err(error) = store.optimize().await {
        tracing::warn!(%error, "refreshing the query planner's statistics failed");
    }
}
