//! Starting and stopping the sandbox: world generation, the TLS certificate, the HTTP and HTTPS
//! listeners (one router for both), graceful shutdown, and the CLI entry point.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use jiff::Timestamp;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use tower::Service;

use crate::AppState;
use crate::clock_handle::ClockHandle;
use crate::dropped_connections::ConnectionControl;
use crate::grants_handle::GrantsHandle;
use crate::lwa::SpApiAppError;
use crate::world::{DEMO_DEVELOPER_ID, Developer, SellerAccount, SharedWorld, World, lock};

/// How to start a sandbox.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Address to bind; must be a loopback address (the control API has no other protection).
    pub bind: IpAddr,
    /// Plain-HTTP port; 0 = any free port.
    pub http_port: u16,
    /// HTTPS port; `None` or `Some(0)` = any free port. HTTPS is always served.
    pub https_port: Option<u16>,
    /// Seed of the generated world.
    pub seed: u64,
    /// Number of generated sellers.
    pub sellers: usize,
    /// Number of generated orders per seller.
    pub orders_per_seller: usize,
    /// Restore-rate factor for throttling (1.0 = Amazon's real rates).
    pub throttle_scale: f64,
    /// The sandbox clock's start; `None` = real now.
    pub clock_start: Option<Timestamp>,
    /// Where `sandbox-ca.pem` is written.
    pub cert_dir: PathBuf,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            http_port: 0,
            https_port: None,
            seed: 1,
            sellers: 3,
            orders_per_seller: 500,
            throttle_scale: 1.0,
            clock_start: None,
            cert_dir: std::env::temp_dir().join("sellerlink-sandbox"),
        }
    }
}

/// Why the sandbox could not start.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// A configuration value is not usable.
    #[error("invalid sandbox configuration: {0}")]
    InvalidConfig(String),
    /// A port could not be bound.
    #[error("could not bind {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
    /// TLS setup failed.
    #[error(transparent)]
    Tls(#[from] crate::tls::TlsError),
    /// The CA file could not be written.
    #[error("could not write the CA certificate to {path}: {source}")]
    CertFile {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Waiting for Ctrl-C failed.
    #[error("could not wait for the shutdown signal: {0}")]
    Signal(std::io::Error),
}

/// Which listener a request came in on; put into every request's extensions (the app pages
/// build absolute URLs such as `amazon_callback_uri` from it and the `Host` header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListenerScheme {
    /// Whether the listener is the HTTPS one.
    pub https: bool,
}

impl ListenerScheme {
    /// `https` or `http`.
    pub fn as_str(self) -> &'static str {
        if self.https { "https" } else { "http" }
    }
}

/// A started sandbox. Dropping it stops accepting connections; [`RunningSandbox::shutdown`] also
/// waits for the listeners to stop.
#[derive(Debug)]
pub struct RunningSandbox {
    http_addr: SocketAddr,
    https_addr: SocketAddr,
    ca_pem: String,
    ca_pem_path: PathBuf,
    world: SharedWorld,
    shutdown: watch::Sender<bool>,
    listeners: Vec<JoinHandle<()>>,
}

impl RunningSandbox {
    /// `http://127.0.0.1:PORT`.
    pub fn http_url(&self) -> String {
        format!("http://{}", self.http_addr)
    }

    /// `https://127.0.0.1:PORT` (trust [`Self::ca_pem`]).
    pub fn https_url(&self) -> String {
        format!("https://{}", self.https_addr)
    }

    /// The plain-HTTP listener's address.
    pub fn http_addr(&self) -> SocketAddr {
        self.http_addr
    }

    /// The HTTPS listener's address.
    pub fn https_addr(&self) -> SocketAddr {
        self.https_addr
    }

    /// The CA certificate (PEM) that signed the HTTPS certificate.
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// Where the CA PEM was written.
    pub fn ca_pem_path(&self) -> &Path {
        &self.ca_pem_path
    }

    /// The seeded demo developer (`shippinno`, `525964794073`) with its keys.
    pub fn demo_developer(&self) -> Developer {
        lock(&self.world)
            .developer(DEMO_DEVELOPER_ID)
            .cloned()
            .expect("every sandbox seeds the demo developer")
    }

    /// The first seeded seller (`seller1@example.jp` / `sandbox-pass-1`).
    pub fn demo_seller(&self) -> SellerAccount {
        lock(&self.world)
            .sellers()
            .first()
            .cloned()
            .expect("every sandbox seeds at least one seller")
    }

    /// The seeded demo SP-API app (`shippinno sellerlink`) with its client ID and secret.
    pub fn demo_app(&self) -> crate::lwa::App {
        crate::lwa::demo::demo_app(&lock(&self.world))
            .cloned()
            .expect("every sandbox seeds the demo app")
    }

    /// Every seller account, the generated ones first (`seller1@example.jp`, `seller2@example.jp`, …).
    pub fn sellers(&self) -> Vec<SellerAccount> {
        lock(&self.world).sellers().to_vec()
    }

    /// The sandbox clock, to read or move without the control API (see [`ClockHandle`]).
    pub fn clock(&self) -> ClockHandle {
        ClockHandle::new(self.world.clone())
    }

    /// Ends sellers' MWS grants and SP-API authorizations without the control API, for a synchronous callback
    /// that must do it at an exact moment (see [`GrantsHandle`]).
    pub fn grants(&self) -> GrantsHandle {
        GrantsHandle::new(self.world.clone())
    }

    /// The sandbox's now.
    pub fn now(&self) -> Timestamp {
        lock(&self.world).now()
    }

    /// Points an SP-API app at a web app: adds `redirect_uri` to the app's OAuth redirect URIs (the default one stays
    /// first) and makes `login_uri` its log-in URI, as `POST /_sandbox/apps/{application_id}` with
    /// `add_redirect_uris` and `login_uri` does.
    pub fn register_web_app(
        &self,
        application_id: &str,
        redirect_uri: &str,
        login_uri: &str,
    ) -> Result<crate::lwa::App, SpApiAppError> {
        let mut world = lock(&self.world);
        let lwa = world.lwa_mut();
        lwa.set_redirect_uris(application_id, None, vec![redirect_uri.to_owned()])?;
        lwa.set_login_uri(application_id, Some(login_uri.to_owned()))
    }

    /// Stops accepting, lets open connections finish (up to 5 s) and waits for the listeners.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        for listener in std::mem::take(&mut self.listeners) {
            let _ = listener.await;
        }
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}

async fn fallback(uri: Uri) -> Response {
    crate::mws::invalid_address(uri.path())
        .unwrap_or_else(|| (StatusCode::NOT_FOUND, "Not Found").into_response())
}

/// The whole application: MWS, LWA, SP-API, control API, Seller Central pages and the SP-API
/// app pages on one router (the two page routers share one session store).
pub fn app(state: AppState) -> Router {
    let sessions = crate::seller_central::Sessions::new();
    Router::new()
        .merge(crate::mws::router())
        .merge(crate::lwa::router())
        .merge(crate::spapi::router())
        .merge(crate::control::router())
        .merge(crate::seller_central::router_with_sessions(
            sessions.clone(),
        ))
        .merge(crate::apps::router(sessions))
        .fallback(fallback)
        .with_state(state)
}

fn validate(config: &SandboxConfig) -> Result<(), SandboxError> {
    if !config.bind.is_loopback() {
        return Err(SandboxError::InvalidConfig(format!(
            "bind address {} is not a loopback address; the sandbox's control API is protected only by binding to 127.0.0.1 or ::1",
            config.bind
        )));
    }
    if !(config.throttle_scale.is_finite() && config.throttle_scale > 0.0) {
        return Err(SandboxError::InvalidConfig(format!(
            "throttle_scale must be a positive number, got {}",
            config.throttle_scale
        )));
    }
    if config.sellers == 0 {
        return Err(SandboxError::InvalidConfig(
            "sellers must be at least 1 (the demo seller)".into(),
        ));
    }
    Ok(())
}

fn write_ca(dir: &Path, pem: &str) -> Result<PathBuf, SandboxError> {
    let path = dir.join("sandbox-ca.pem");
    let err = |source| SandboxError::CertFile {
        path: path.clone(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(err)?;
    let temp = dir.join(format!(
        ".sandbox-ca.pem.{}.{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::write(&temp, pem).map_err(err)?;
    std::fs::rename(&temp, &path).map_err(err)?;
    Ok(path)
}

/// Builds the world a config describes (generation is deterministic for a seed and clock start).
pub fn build_world(config: &SandboxConfig) -> World {
    let start = config.clock_start.unwrap_or_else(Timestamp::now);
    let mut world = World::empty(config.seed, start, config.throttle_scale);
    crate::generate::populate(&mut world, start, config.sellers, config.orders_per_seller);
    crate::lwa::demo::seed_demo_app(&mut world);
    world
}

async fn bind(addr: SocketAddr) -> Result<TcpListener, SandboxError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| SandboxError::Bind { addr, source })
}

/// Starts a sandbox: generates the world and the certificate, binds both ports and serves.
pub async fn start(config: SandboxConfig) -> Result<RunningSandbox, SandboxError> {
    validate(&config)?;
    crate::tls::install_crypto_provider();
    let tls = crate::tls::generate()?;
    let ca_pem_path = write_ca(&config.cert_dir, &tls.ca_pem)?;
    let world: SharedWorld = Arc::new(Mutex::new(build_world(&config)));

    let http = bind(SocketAddr::new(config.bind, config.http_port)).await?;
    let https = bind(SocketAddr::new(config.bind, config.https_port.unwrap_or(0))).await?;
    let http_addr = http.local_addr().map_err(|source| SandboxError::Bind {
        addr: SocketAddr::new(config.bind, config.http_port),
        source,
    })?;
    let https_addr = https.local_addr().map_err(|source| SandboxError::Bind {
        addr: SocketAddr::new(config.bind, 0),
        source,
    })?;

    let router = app(AppState::new(world.clone()));
    let (shutdown, signal) = watch::channel(false);
    let acceptor = TlsAcceptor::from(tls.server_config.clone());
    let listeners = vec![
        tokio::spawn(accept_loop(http, router.clone(), None, signal.clone())),
        tokio::spawn(accept_loop(https, router, Some(acceptor), signal)),
    ];
    Ok(RunningSandbox {
        http_addr,
        https_addr,
        ca_pem: tls.ca_pem,
        ca_pem_path,
        world,
        shutdown,
        listeners,
    })
}

async fn accept_loop(
    listener: TcpListener,
    router: Router,
    tls: Option<TlsAcceptor>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _peer)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let (router, tls, shutdown) = (router.clone(), tls.clone(), shutdown.clone());
                tokio::spawn(async move {
                    match tls {
                        None => serve_connection(stream, router, ListenerScheme { https: false }, shutdown).await,
                        Some(acceptor) => {
                            if let Ok(Ok(stream)) = tokio::time::timeout(Duration::from_secs(10), acceptor.accept(stream)).await {
                                serve_connection(stream, router, ListenerScheme { https: true }, shutdown).await;
                            }
                        }
                    }
                });
            }
            changed = shutdown.changed() => {
                if changed.is_err() || *shutdown.borrow() {
                    break;
                }
            }
        }
    }
}

async fn serve_connection<IO>(
    io: IO,
    router: Router,
    scheme: ListenerScheme,
    mut shutdown: watch::Receiver<bool>,
) where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let control = ConnectionControl::new();
    let per_request = control.clone();
    let service =
        hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(per_request.clone());
            request.extensions_mut().insert(scheme);
            let mut router = router.clone();
            async move {
                let response: Result<Response, Infallible> =
                    router.call(request.map(Body::new)).await;
                response
            }
        });
    let builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    let connection = builder.serve_connection_with_upgrades(TokioIo::new(io), service);
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => {}
        // A "dropped connection" fault: return without answering; the socket closes on drop.
        _ = control.dropped() => {}
        _ = shutdown.changed() => {
            connection.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(Duration::from_secs(5), connection).await;
        }
    }
}

/// Starts a sandbox, prints where it listens and the demo identity, and runs until Ctrl-C.
pub async fn run_forever(config: SandboxConfig) -> Result<(), SandboxError> {
    let sandbox = start(config).await?;
    println!("{}", sandbox.banner());
    tokio::signal::ctrl_c()
        .await
        .map_err(SandboxError::Signal)?;
    println!("sellerlink sandbox: shutting down");
    sandbox.shutdown().await;
    Ok(())
}

impl RunningSandbox {
    /// The text [`run_forever`] prints at start: URLs, CA path, demo developer, demo app and demo seller login.
    pub fn banner(&self) -> String {
        let sandbox = self;
        let developer = sandbox.demo_developer();
        let seller = sandbox.demo_seller();
        let app = sandbox.demo_app();
        let app_secret = app
            .current_secret()
            .map(|s| s.expose().to_owned())
            .unwrap_or_default();
        let (sellers, orders, seed) = {
            let world = lock(&sandbox.world);
            (world.sellers().len(), world.orders.total(), world.seed())
        };
        format!(
            "sellerlink sandbox (seed {seed}, {sellers} sellers, {orders} orders)\n\
         \x20 MWS over HTTP    {http}\n\
         \x20 MWS over HTTPS   {https}\n\
         \x20 CA certificate   {ca}\n\
         \x20 Seller Central   {http}/gp/mws/registration/register.html\n\
         \x20 Control API      {http}/_sandbox\n\
         Demo developer (the 3PL of the guide)\n\
         \x20 Developer name   {name}\n\
         \x20 Developer ID     {dev_id}\n\
         \x20 AWSAccessKeyId   {key}\n\
         \x20 Secret key       {secret}\n\
         Demo SP-API app (LWA token endpoint {http}/auth/o2/token; SP-API on both listeners)\n\
         \x20 App name         {app_name} ({stage})\n\
         \x20 Application ID   {app_id}\n\
         \x20 LWA client ID    {client_id}\n\
         \x20 LWA secret       {client_secret}\n\
         \x20 Redirect URI     {redirect} (placeholder: register yours with POST /_sandbox/apps/{app_id})\n\
         \x20 Consent page     {http}/apps/authorize/consent?application_id={app_id}&state=…\n\
         \x20 Manage Your Apps {http}/apps/manage\n\
         Demo seller (sign in to Seller Central)\n\
         \x20 E-mail / phone   {email} / {phone}\n\
         \x20 Password         {password}\n\
         \x20 Seller ID        {seller_id}\n\
         \x20 Marketplace IDs  {marketplaces}",
            http = sandbox.http_url(),
            https = sandbox.https_url(),
            ca = sandbox.ca_pem_path().display(),
            name = developer.name,
            dev_id = crate::ids::dashed_developer_id(&developer.developer_id),
            key = developer.access_key_id,
            secret = developer.secret_key,
            app_name = app.name,
            stage = app.stage.as_str(),
            app_id = app.application_id,
            client_id = app.client_id,
            client_secret = app_secret,
            redirect = app
                .redirect_uris
                .first()
                .map(String::as_str)
                .unwrap_or("(none)"),
            email = seller.email,
            phone = seller.phone,
            password = seller.password,
            seller_id = seller.seller_id,
            marketplaces = seller.marketplace_ids.join(", "),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_of_ten_sellers_by_ten_thousand_orders_is_deterministic() {
        let config = SandboxConfig {
            sellers: 10,
            orders_per_seller: 10_000,
            clock_start: Some("2024-03-01T00:00:00Z".parse().unwrap()),
            ..SandboxConfig::default()
        };
        let started = std::time::Instant::now();
        let world = build_world(&config);
        let elapsed = started.elapsed();
        let again = build_world(&config);
        assert_eq!(world.orders().total(), 100_000);
        let ids = |w: &World| -> Vec<String> {
            w.sellers()
                .iter()
                .map(|s| {
                    w.orders().seller(&s.seller_id).unwrap().all()[9_999]
                        .id
                        .to_string()
                })
                .collect()
        };
        assert_eq!(ids(&world), ids(&again));
        eprintln!("generated 10 x 10,000 orders in {elapsed:?} (debug build)");
    }
}
