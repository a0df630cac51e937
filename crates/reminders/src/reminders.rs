//! [`Reminders`]: the worker's state — the store, the keyring for webhook secrets, the senders, the clock and the
//! settings.

use std::fmt;
use std::sync::Arc;

use sellerlink_domain::clock::{Clock, SystemClock};
use sellerlink_secrets::Keyring;
use sellerlink_store::{DeliveryRecord, Store};

use crate::senders::Senders;
use crate::settings::ReminderSettings;

/// Called after a send succeeded and before it is recorded.
pub(crate) type SentHook = Arc<dyn Fn(&DeliveryRecord) + Send + Sync>;

/// Plans and delivers expiry reminders and access alerts. Cheap to clone; clones share everything.
///
/// Several workers (threads, processes, nodes) may run over one database at once: planning is idempotent and a
/// delivery is sent by the worker holding its lease.
#[derive(Clone)]
pub struct Reminders {
    pub(crate) store: Store,
    pub(crate) keyring: Arc<Keyring>,
    pub(crate) senders: Arc<Senders>,
    pub(crate) settings: Arc<ReminderSettings>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) on_sent: Option<SentHook>,
}

impl fmt::Debug for Reminders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reminders")
            .field("store", &self.store)
            .field("worker", &self.settings.worker)
            .field("offsets", &self.settings.offsets)
            .finish_non_exhaustive()
    }
}

impl Reminders {
    /// A worker over `store`, opening webhook secrets with `keyring`, sending through `senders`; it reads the
    /// system clock (see [`Reminders::with_clock`]).
    pub fn new(
        store: Store,
        keyring: Arc<Keyring>,
        settings: ReminderSettings,
        senders: Senders,
    ) -> Self {
        Self {
            store,
            keyring,
            senders: Arc::new(senders),
            settings: Arc::new(settings),
            clock: Arc::new(SystemClock),
            on_sent: None,
        }
    }

    /// The same worker reading `clock` (for [`Reminders::serve`] and [`Reminders::send_test`]).
    pub fn with_clock(self, clock: Arc<dyn Clock>) -> Self {
        Self { clock, ..self }
    }

    /// The same worker calling `hook` after each successful send and before recording it — the crash window
    /// the README discusses. For fault-injection tests and instrumentation; keep it quick.
    pub fn on_sent(self, hook: impl Fn(&DeliveryRecord) + Send + Sync + 'static) -> Self {
        Self {
            on_sent: Some(Arc::new(hook)),
            ..self
        }
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The settings in force.
    pub fn settings(&self) -> &ReminderSettings {
        &self.settings
    }
}
