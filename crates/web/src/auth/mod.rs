//! Who is calling: passwords, sessions and their cookies, CSRF tokens, sign-in throttling and API keys.

pub(crate) mod api_key;
pub(crate) mod caller;
pub(crate) mod client_ip;
pub(crate) mod cookies;
pub(crate) mod csrf;
pub mod password;
pub(crate) mod session;
pub(crate) mod throttle;
pub(crate) mod tokens;
