#![doc = include_str!("../README.md")]

pub mod apps;
pub mod clock;
pub mod control;
pub mod dropped_connections;
pub mod faults;
pub mod feeds;
pub mod generate;
pub mod ids;
pub mod jst;
pub mod lwa;
pub mod malformed;
pub mod marketplaces;
pub mod mws;
pub mod orders;
pub mod request_log;
pub mod seller_central;
pub mod server;
pub mod spapi;
pub mod stock;
pub mod throttle;
pub mod timefmt;
pub mod tls;
pub mod world;
pub mod xml;

pub use server::{RunningSandbox, SandboxConfig, SandboxError, run_forever, start};
pub use world::{Developer, Grant, GrantError, GrantState, SellerAccount, SharedWorld, World};

/// The axum state shared by every router (MWS, LWA, SP-API, control API, Seller Central pages).
#[derive(Clone, Debug)]
pub struct AppState {
    /// The sandbox's whole state.
    pub world: SharedWorld,
}

impl AppState {
    /// State around an existing world.
    pub fn new(world: SharedWorld) -> Self {
        Self { world }
    }
}
