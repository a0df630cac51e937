#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod context;
mod envelope;
mod error;
mod key_file;
mod key_id;
mod keyring;
mod mask;
mod master_key;
mod private_file;
mod random;
mod sealed;

pub use context::SealContext;
pub use error::{EXPECTED_KEY_FORMAT, Result, SecretsError};
pub use key_id::KeyId;
pub use keyring::{KeySource, Keyring};
pub use mask::mask;
pub use master_key::{KeyProblem, MASTER_KEY_LEN, MasterKey};
pub use sealed::Sealed;

/// Environment variable holding the current master key.
pub const MASTER_KEY_VAR: &str = "SELLERLINK_MASTER_KEY";

/// Environment variable holding previous master keys, comma-separated.
pub const PREVIOUS_MASTER_KEYS_VAR: &str = "SELLERLINK_PREVIOUS_MASTER_KEYS";

/// The `secrecy` crate this API is written against (`SecretString`, `ExposeSecret`).
pub use secrecy;
