//! Accounts of the web app: users (operators and merchant users) with argon2id password hashes, their sessions,
//! merchants' API keys and failed sign-ins for throttling.
//!
//! The store keeps only what cannot be used to sign in: password hashes (PHC strings made by the web app), the
//! SHA-256 of session cookies and of API keys, never the cookies or keys themselves.

mod api_key_scopes;
mod api_keys;
mod email;
mod login_attempts;
mod sessions;
mod token_hash;
mod users;

pub use api_key_scopes::{ApiKeyScope, ApiKeyScopes};
pub use api_keys::{ApiKeyId, ApiKeyName, ApiKeyRecord};
pub use email::{Email, EmailError};
pub use login_attempts::ThrottleKey;
pub use sessions::{Session, SessionWithUser};
pub use token_hash::{TokenHash, TokenHashError};
pub use users::{PasswordHash, PasswordHashError, Role, User, UserId};
