#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod client;
mod retry;
mod tls;
mod user_agent;

pub use client::{CONNECT_TIMEOUT_CAP, ClientSettings, DEFAULT_TIMEOUT};
pub use retry::RetryPolicy;
pub use tls::{PemProblem, TlsError, certificates};
pub use user_agent::{
    MAX_USER_AGENT_LEN, UserAgentError, amazon_user_agent, amazon_user_agent_header,
};
