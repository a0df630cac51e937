//! E-mail: a [`Mailer`] renders a notification, composes a multipart/alternative message (plain text and
//! HTML, UTF-8 subject, a Message-ID derived from the notification id) and hands it to an
//! [`EmailTransport`] — SMTP through lettre, or an outbox folder of `.eml` files for local development —
//! retrying transient failures with backoff.

mod compose;
mod mailer;
mod outbox;
mod settings;
mod transport;

pub use compose::{Email, NOTIFICATION_ID_HEADER, NOTIFICATION_TYPE_HEADER};
pub use lettre::message::Mailbox;
pub use mailer::Mailer;
pub use settings::{SmtpSettings, SmtpTls};
pub(crate) use transport::error_chain;
pub use transport::{Delivery, DeliveryRoute, EmailTransport};
