#![doc = include_str!("../README.md")]

mod connections;
mod error;
mod keys;
mod merchants;
mod settings;
mod view;

use std::sync::Arc;

use sellerlink_domain::clock::Clock;
use sellerlink_secrets::Keyring;
use sellerlink_store::Store;

pub use connections::{LifecycleCommand, NewMwsConnection};
pub use error::AppError;
pub use keys::RotationReport;
pub use settings::{DeveloperIdentity, KeySettings, Settings};
pub use view::ConnectionView;

/// The running application: storage, keys, time and settings.
#[derive(Clone)]
pub struct App {
    store: Store,
    keyring: Arc<Keyring>,
    clock: Arc<dyn Clock>,
    settings: Arc<Settings>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("database", &self.store.engine())
            .finish_non_exhaustive()
    }
}

impl App {
    /// Opens the store (running migrations), loads the keyring and builds the app.
    pub async fn open(settings: Settings, clock: Arc<dyn Clock>) -> Result<Self, AppError> {
        let keyring = settings.keys.load()?;
        let store = Store::connect(&settings.database_url).await?;
        store.migrate().await?;
        Ok(Self {
            store,
            keyring: Arc::new(keyring),
            clock,
            settings: Arc::new(settings),
        })
    }

    /// The store, for read-only views that need no service logic.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The current instant on the app's clock.
    pub fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }
}
