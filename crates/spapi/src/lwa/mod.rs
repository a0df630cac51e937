//! Login with Amazon (LWA): the token endpoint client, its errors, and the per-seller access-token
//! cache (`docs/amazon/SP-API.md#login-with-amazon-tokens`).

mod builder;
mod client;
mod error;
mod token_cache;
mod token_response;

pub use builder::{DEFAULT_TOKEN_ENDPOINT, LwaClientBuilder};
pub use client::LwaClient;
pub(crate) use error::excerpt as excerpt_of;
pub use error::{GrantType, LwaError, LwaErrorKind};
pub use token_cache::TokenCache;
pub use token_response::{TokenResponse, TokenSet, parse_token_response};
