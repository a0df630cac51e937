//! Putting it together: the router with its middleware, and [`serve`], which listens and runs the web server's
//! jobs (the background order import when configured, the planner's statistics, the session clean-up).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use sellerlink_app::{App, JobSettings, Jobs, RunningJobs, SessionCleanup, run_jobs};
use sellerlink_domain::clock::{Clock, SystemClock};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

use crate::config::WebConfig;
use crate::error::WebError;
use crate::state::WebState;
use crate::{api, auth, metrics, pages, security};

/// The largest request body read (JSON and forms; page forms have their own, smaller limit). Larger is 413.
const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

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
    /// The jobs, and the server itself.
    tasks: RunningJobs,
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

    /// Stops accepting requests, lets requests in flight finish, stops the jobs, and waits.
    pub async fn shutdown(self) {
        self.begin_shutdown().stopped().await;
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
    /// The jobs, and the server itself.
    tasks: RunningJobs,
}

impl StoppingServer {
    /// Waits until requests in flight and the jobs (the scheduler's imports among them) have finished.
    pub async fn stopped(&mut self) {
        self.tasks.stopped().await;
    }

    /// Aborts what is still running (requests, imports) and returns once it is gone.
    pub async fn abort(self) {
        self.tasks.abort().await;
    }
}

/// Starts the web app on `config.bind` (port 0 picks a free port): serves the router and runs the web server's jobs
/// ([`JobSettings::web`]): the order-import scheduler when Amazon access with a scheduler is configured, the query
/// planner's statistics and the clean-up of expired sessions.
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
    let jobs = Jobs::new(state.app(), jobs_of(&state))?;
    let mut tasks = run_jobs(&jobs, &stop);

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

    tracing::info!(%addr, "web app listening");
    Ok(RunningServer {
        addr,
        state,
        stop,
        tasks,
    })
}

/// The web server's jobs: imports only when a scheduler is configured and Amazon access is.
fn jobs_of(state: &WebState) -> JobSettings {
    let scheduler = match (state.config().scheduler, state.app().importer()) {
        (Some(config), Ok(_)) => Some(config),
        (Some(_), Err(error)) => {
            tracing::warn!(%error, "no background import: Amazon access is not configured");
            None
        }
        (None, _) => None,
    };
    // Sessions count real time in the demo, so that moving the demo clock signs nobody out.
    let clock: Arc<dyn Clock> = match state.demo_clock() {
        Some(_) => Arc::new(SystemClock),
        None => state.app().clock(),
    };
    let sessions = SessionCleanup {
        login_failure_window: state.config().login_throttle.window,
        clock,
    };
    JobSettings::web(scheduler, sessions)
}
