//! [`ReminderError`]: what can stop a reminders pass or a channel use case.

use sellerlink_domain::ids::MerchantId;
use sellerlink_secrets::SecretsError;
use sellerlink_store::{ChannelId, StoreError};

/// An error of the reminders worker or its use cases. A failed *send* is not an error: it is recorded on the
/// delivery (retried or failed) and counted in the [`crate::RunOutcome`].
///
/// No message contains a webhook secret, an SMTP password or a webhook URL's query string.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReminderError {
    /// The store failed; the pass stops and the next one picks up where it left off.
    #[error("reminders: {0}")]
    Store(#[from] StoreError),
    /// A webhook secret could not be sealed.
    #[error("reminders: {0}")]
    Secrets(#[from] SecretsError),
    /// There is no such channel.
    #[error("notification channel {0} does not exist")]
    ChannelNotFound(ChannelId),
    /// There is no such merchant.
    #[error("merchant {0} does not exist")]
    MerchantNotFound(MerchantId),
    /// A test message shows one of the owner's connections, and there is none.
    #[error(
        "a test message shows one of {owner} connections, and there is none yet; add a connection first"
    )]
    NoConnectionToShow {
        /// `the operator's` or `merchant <id>'s`.
        owner: String,
    },
    /// A channel setting cannot be used.
    #[error("{field}: {problem}; expected {expected}")]
    InvalidChannel {
        /// The setting, e.g. `e-mail address`.
        field: &'static str,
        /// What is wrong.
        problem: String,
        /// The expected format.
        expected: &'static str,
    },
    /// A webhook URL cannot be used.
    #[error(transparent)]
    InvalidWebhook(#[from] sellerlink_notify::webhook::WebhookEndpointError),
    /// A notification could not be written as JSON (a bug).
    #[error("the notification could not be written as JSON: {0}")]
    Payload(#[from] serde_json::Error),
}
