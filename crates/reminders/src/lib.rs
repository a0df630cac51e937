#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod cause;
mod channels;
mod compose;
mod deliver;
mod error;
pub mod owed;
mod plan_pass;
mod reminders;
mod run;
mod senders;
mod settings;
mod test_send;

pub use cause::{amazon_answer, classify};
pub use channels::ChannelTarget;
pub use error::ReminderError;
pub use reminders::Reminders;
pub use run::RunOutcome;
pub use senders::Senders;
pub use settings::{OffsetsError, ReminderOffsets, ReminderSettings};
