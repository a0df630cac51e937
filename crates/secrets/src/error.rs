//! The one error type of this crate.
//!
//! No variant carries key material or plaintext: messages name the variable,
//! file, key id or record involved, say what is wrong and what to do next.

use std::path::PathBuf;

use crate::key_id::KeyId;
use crate::master_key::KeyProblem;
use crate::{MASTER_KEY_VAR, PREVIOUS_MASTER_KEYS_VAR};

/// Result alias used throughout the crate.
pub type Result<T, E = SecretsError> = std::result::Result<T, E>;

/// How a master key must be written, quoted in every key-parsing error.
pub const EXPECTED_KEY_FORMAT: &str = "32 random bytes written as standard base64 \
(44 characters ending in '=', e.g. from `openssl rand -base64 32`) or as 64 hex digits \
(e.g. from `openssl rand -hex 32`)";

/// Everything that can go wrong while loading keys, sealing or opening.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SecretsError {
    /// A master key given through the environment could not be parsed.
    #[error(
        "{variable}{} is not a usable master key: {problem}; expected {EXPECTED_KEY_FORMAT}",
        entry_suffix(*.entry)
    )]
    InvalidMasterKey {
        /// The environment variable that held the value.
        variable: &'static str,
        /// 1-based position within a comma-separated list, when the variable holds several keys.
        entry: Option<usize>,
        /// What is wrong with the value (never the value itself).
        problem: KeyProblem,
    },

    /// Previous keys were configured without a current key.
    #[error(
        "{PREVIOUS_MASTER_KEYS_VAR} is set but {MASTER_KEY_VAR} is not; set {MASTER_KEY_VAR} \
         to the key that seals new secrets, or unset {PREVIOUS_MASTER_KEYS_VAR} to use the key file"
    )]
    PreviousKeysWithoutCurrent,

    /// A file-system operation on the key file failed.
    #[error("could not {action} key file {}: {source}", .path.display())]
    KeyFileIo {
        /// The key file (or its temporary sibling) involved.
        path: PathBuf,
        /// What was being done, e.g. "read" or "create the directory of".
        action: &'static str,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },

    /// The key file does not exist where an existing one is required.
    #[error(
        "no key file at {}; start sellerlink once to create it, or point the key file \
         setting at the existing one",
        .path.display()
    )]
    KeyFileMissing {
        /// The expected location.
        path: PathBuf,
    },

    /// The key file is readable or writable by users other than its owner.
    #[error(
        "key file {} has permissions {mode:04o} and is open to other users; \
         run `chmod 600 {}` and start again",
        .path.display(),
        .path.display()
    )]
    KeyFilePermissions {
        /// The key file.
        path: PathBuf,
        /// Its permission bits (`mode & 0o777`).
        mode: u32,
    },

    /// The key file exists but its content is not a valid key file.
    #[error(
        "key file {} is not a valid sellerlink key file: {problem}; restore it from backup \
         (secrets sealed under its keys cannot be opened without them)",
        .path.display()
    )]
    KeyFileInvalid {
        /// The key file.
        path: PathBuf,
        /// What is wrong (never the key material).
        problem: String,
    },

    /// Retiring the key that seals new secrets was requested.
    #[error(
        "master key {kek_id} is the current key and cannot be retired; rotate first \
         (`sellerlink keys rotate`), then retire it"
    )]
    CannotRetireCurrent {
        /// The current key's id.
        kek_id: KeyId,
    },

    /// The secret was sealed under a master key this keyring does not hold.
    #[error(
        "the secret was sealed under master key {kek_id}, which is missing from the keyring; \
         add that key back (key file or {PREVIOUS_MASTER_KEYS_VAR}) or have the merchant \
         enter the credential again"
    )]
    UnknownKey {
        /// Id of the missing master key.
        kek_id: KeyId,
    },

    /// Authentication failed: the sealed value was altered or belongs to another record or field.
    #[error(
        "could not open the sealed {context}: authentication failed, so the stored value was \
         altered, truncated or copied from another record or field; have the merchant enter \
         the credential again"
    )]
    Tampered {
        /// The record and field the caller tried to open, e.g. `field mws_auth_token of connection 42`.
        context: String,
    },

    /// The stored bytes are not a sealed secret of a known layout.
    #[error("stored sealed secret is malformed: {problem}")]
    MalformedSealed {
        /// What is wrong with the layout.
        problem: String,
    },

    /// Key ids are 16 lowercase hex digits.
    #[error(
        "key id is invalid: {problem}; expected 16 lowercase hex digits, e.g. 3f2a9c0d1e4b5a67"
    )]
    InvalidKeyId {
        /// What is wrong (the offending value is not repeated).
        problem: String,
    },

    /// The operating system's random number generator failed.
    #[error("the operating system's random number generator failed: {0}")]
    Randomness(getrandom::Error),

    /// AES-GCM refused to encrypt (only possible for absurdly large inputs).
    #[error("AES-256-GCM refused to encrypt the secret (it is larger than AES-GCM allows)")]
    EncryptionRefused,
}

fn entry_suffix(entry: Option<usize>) -> String {
    entry.map_or_else(String::new, |n| format!(" (entry {n})"))
}
