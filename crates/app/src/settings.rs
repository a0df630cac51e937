//! Settings resolved once at start-up; secrets stay wrapped until the one place that uses them.

use std::path::PathBuf;

use secrecy::{ExposeSecret, SecretString};
use sellerlink_domain::ids::DeveloperId;
use sellerlink_domain::lifecycle::StatusPolicy;
use sellerlink_secrets::Keyring;
pub use sellerlink_sync::MwsSettings;

use crate::AppError;
use crate::spapi::SpApiAppSettings;

/// The 3PL's identity as an Amazon developer: what merchants type into Seller Central (steps ③–④).
#[derive(Debug, Clone)]
pub struct DeveloperIdentity {
    /// The developer name merchants enter, e.g. `shippinno`.
    pub name: String,
    /// The developer ID merchants enter.
    pub developer_id: DeveloperId,
}

/// Where the master key comes from: the environment, or a key file created on first run.
#[derive(Clone)]
pub struct KeySettings {
    /// `SELLERLINK_MASTER_KEY`: base64 or hex of 32 bytes.
    pub master_key: Option<SecretString>,
    /// `SELLERLINK_PREVIOUS_MASTER_KEYS`: comma-separated older keys still accepted for opening.
    pub previous_master_keys: Option<SecretString>,
    /// The key file used when the environment gives no key (mode 0600, created on first run).
    pub key_file: PathBuf,
}

impl std::fmt::Debug for KeySettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeySettings")
            .field(
                "master_key",
                &self.master_key.as_ref().map(|_| "[redacted]"),
            )
            .field(
                "previous_master_keys",
                &self.previous_master_keys.as_ref().map(|_| "[redacted]"),
            )
            .field("key_file", &self.key_file)
            .finish()
    }
}

impl KeySettings {
    /// Loads the keyring: the environment wins; otherwise the key file, created if missing.
    pub fn load(&self) -> Result<Keyring, AppError> {
        let current = self
            .master_key
            .as_ref()
            .map(|k| k.expose_secret().to_owned());
        let previous = self
            .previous_master_keys
            .as_ref()
            .map(|k| k.expose_secret().to_owned());
        Ok(Keyring::resolve(
            current.as_deref(),
            previous.as_deref(),
            &self.key_file,
        )?)
    }
}

/// Everything configurable.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `sqlite://…` (default, one file) or `postgres://…`.
    pub database_url: String,
    /// Master key settings.
    pub keys: KeySettings,
    /// The 3PL's developer identity.
    pub developer: DeveloperIdentity,
    /// When a connection counts as expiring soon.
    pub status_policy: StatusPolicy,
    /// How to reach MWS as the 3PL's developer; `None` = not configured (connections cannot be verified or synced).
    pub mws: Option<MwsSettings>,
    /// The 3PL's SP-API app ("Connect with Amazon"); `None` = not configured (no SP-API connections can be made,
    /// verified or synced).
    pub spapi: Option<SpApiAppSettings>,
    /// How far back the first import of a connection reaches.
    pub initial_lookback: jiff::SignedDuration,
    /// How long a process's lease on a connection lasts without renewal (renewed every third of it while the
    /// process works on the connection): how soon another worker takes over from one that crashed or stalled.
    pub lease_ttl: jiff::SignedDuration,
}
