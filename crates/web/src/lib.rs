#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod accounts;
mod api;
mod auth;
mod config;
mod error;
mod i18n;
mod onboarding;
mod pages;
mod security;
mod server;
mod state;
mod sync;
mod tenancy;

pub use accounts::{NewUser, add_user};
pub use api::{ApiDoc, openapi_json};
pub use auth::password::PasswordCost;
pub use config::{AmazonAccess, LoginThrottle, WebConfig};
pub use error::WebError;
pub use server::{RunningServer, router, serve};
pub use state::WebState;
