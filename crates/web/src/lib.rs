#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod accounts;
mod api;
mod auth;
mod config;
mod demo_clock;
mod error;
mod i18n;
mod metrics;
mod onboarding;
mod order_counts;
mod pages;
mod paging;
mod security;
mod server;
mod state;
mod tenancy;
mod webhook_hosts;

pub use accounts::{NewUser, add_user};
pub use api::{ApiDoc, openapi_json};
pub use auth::password::PasswordCost;
pub use config::{LoginThrottle, WebConfig, parse_trusted_proxy};
pub use demo_clock::DemoClock;
pub use error::WebError;
pub use ipnet::IpNet;
pub use metrics::{MetricsListener, serve_metrics};
pub use server::{RunningServer, StoppingServer, router, serve};
pub use state::WebState;
