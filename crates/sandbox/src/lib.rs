#![doc = include_str!("../README.md")]

mod apps;
mod clock;
mod clock_handle;
mod control;
mod dropped_connections;
mod faults;
mod feeds;
mod generate;
mod grants_handle;
mod ids;
mod jst;
mod lwa;
mod malformed;
mod marketplaces;
mod mws;
mod orders;
mod request_log;
mod seller_central;
mod server;
mod spapi;
mod stock;
mod throttle;
mod timefmt;
mod tls;
mod world;
mod xml;

pub use clock_handle::ClockHandle;
pub use grants_handle::{GrantChangeError, GrantsHandle};
pub use lwa::{App, AppStage, ClientSecret, SpApiAppError};
pub use server::{RunningSandbox, SandboxConfig, SandboxError, run_forever, start};
pub use tls::{TlsError, install_crypto_provider};
pub use world::{Developer, SellerAccount};

/// Signing raw MWS requests the way the sandbox checks them (Signature Version 2, and [`signing::verify`], the check
/// itself) and the `Content-MD5` of a feed body, for tests and tools that talk MWS without a client library.
pub mod signing {
    pub use crate::mws::feeds::content_md5;
    pub use crate::mws::signature::{
        SignatureMethod, canonical_query, encode, sign, string_to_sign, verify,
    };
}

/// Not part of the API: what the crate's own benchmark (`benches/list_orders.rs`) measures below the HTTP layer.
#[doc(hidden)]
pub mod bench_internals {
    pub use crate::mws::call::Call;
    pub use crate::mws::orders::orders_page;
    pub use crate::mws::params::Params;
    pub use crate::mws::section::Section;
    pub use crate::orders::{OrderQuery, TimeField};
    pub use crate::server::build_world;
}

/// The axum state shared by every router (MWS, LWA, SP-API, control API, Seller Central pages).
#[derive(Clone, Debug)]
pub(crate) struct AppState {
    /// The sandbox's whole state.
    pub(crate) world: world::SharedWorld,
}

impl AppState {
    /// State around an existing world.
    pub(crate) fn new(world: world::SharedWorld) -> Self {
        Self { world }
    }
}
