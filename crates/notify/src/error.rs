//! The one error type of this crate, classified so callers know whether trying later can help.

use std::path::PathBuf;

/// Why a notification could not be rendered or delivered.
///
/// No variant carries a secret: SMTP passwords and webhook secrets never reach an error message, and
/// webhook URLs are shown without their query string.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NotifyError {
    /// A template failed to render (a bug in a template).
    #[error("rendering the {part} of the {kind} notification failed: {source}")]
    Render {
        /// The notification kind, e.g. `expiry_reminder`.
        kind: &'static str,
        /// `subject`, `text` or `html`.
        part: &'static str,
        /// askama's error.
        #[source]
        source: askama::Error,
    },

    /// The e-mail cannot be built from what it was given.
    #[error("e-mail {field}: {problem}")]
    InvalidEmail {
        /// Which part, e.g. `to` or `header X-Foo`.
        field: String,
        /// What is wrong and what is expected.
        problem: String,
    },

    /// The SMTP settings cannot be used.
    #[error("SMTP settings: {field}: {problem}")]
    SmtpSettings {
        /// The setting, e.g. `extra_root_ca_pem`.
        field: &'static str,
        /// What is wrong and what is expected.
        problem: String,
    },

    /// The SMTP server refused the message or could not be reached.
    #[error(
        "sending the e-mail over SMTP failed after {attempts} attempt(s){}: {reason}; {hint}",
        code.map(|c| format!(" (reply code {c})")).unwrap_or_default()
    )]
    Smtp {
        /// How many times sending was tried.
        attempts: u32,
        /// Whether trying again later may succeed (4xx replies, time-outs, network errors).
        transient: bool,
        /// The server's reply code, if it answered.
        code: Option<u16>,
        /// What went wrong, from lettre.
        reason: String,
        /// What to check.
        hint: &'static str,
    },

    /// Writing a message into the outbox folder failed.
    #[error(
        "writing the e-mail to the outbox file {path} failed: {source}; check that the folder exists and is writable"
    )]
    Outbox {
        /// The file (or folder) that could not be written.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },

    /// The webhook settings cannot be used.
    #[error("webhook settings: {field}: {problem}")]
    WebhookSettings {
        /// The setting, e.g. `extra_root_ca_pem`.
        field: &'static str,
        /// What is wrong and what is expected.
        problem: String,
    },

    /// The webhook endpoint answered with an error status. Its body is counted, never quoted: what a receiver
    /// answers does not belong in sellerlink's delivery log.
    #[error(
        "the webhook endpoint {endpoint} answered HTTP {status} after {attempts} attempt(s) ({body_bytes} bytes of response body); {}",
        if *retryable { "it may accept the notification later" } else { "fix the endpoint; resending the same notification will not help until then" }
    )]
    WebhookStatus {
        /// The endpoint, without query string.
        endpoint: String,
        /// The last HTTP status.
        status: u16,
        /// How many requests were made.
        attempts: u32,
        /// The length of the last response body (counted up to 64 KiB).
        body_bytes: usize,
        /// Whether the status was one worth retrying (5xx, 429).
        retryable: bool,
    },

    /// The webhook host is, or now resolves to, an address that is not public; nothing was sent.
    #[error(
        "the webhook endpoint {endpoint} was not called: {refusal}; webhooks go to public addresses only (the operator may allow private ones with --allow-private-webhooks / SELLERLINK_ALLOW_PRIVATE_WEBHOOKS)"
    )]
    WebhookAddress {
        /// The endpoint, without query string.
        endpoint: String,
        /// Which address was refused.
        refusal: crate::webhook::AddressRefusal,
    },

    /// The webhook endpoint could not be reached.
    #[error(
        "the webhook endpoint {endpoint} could not be reached after {attempts} attempt(s): {reason}"
    )]
    WebhookTransport {
        /// The endpoint, without query string.
        endpoint: String,
        /// How many requests were tried.
        attempts: u32,
        /// Whether the last attempt timed out.
        timed_out: bool,
        /// What went wrong.
        reason: String,
    },

    /// The webhook payload could not be serialized.
    #[error("serializing the webhook payload failed: {0}")]
    Payload(#[from] serde_json::Error),
}

impl NotifyError {
    /// Whether sending the same notification again later may succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Smtp { transient, .. } => *transient,
            Self::Outbox { .. } | Self::WebhookTransport { .. } => true,
            Self::WebhookStatus { retryable, .. } => *retryable,
            Self::Render { .. }
            | Self::InvalidEmail { .. }
            | Self::SmtpSettings { .. }
            | Self::WebhookSettings { .. }
            | Self::WebhookAddress { .. }
            | Self::Payload(_) => false,
        }
    }
}
