//! One module per top-level command.

pub mod app_credentials;
pub mod connection;
pub mod demo;
pub mod keys;
pub mod merchant;
pub mod notify;
pub mod orders;
pub mod sandbox;
pub mod serve;
pub mod stock;
pub mod sync;

use sellerlink_domain::audit::Actor;

/// The person at the terminal, for the audit log.
pub fn cli_actor() -> Actor {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "unknown".to_owned());
    Actor::cli(&user)
}
