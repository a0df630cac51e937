//! The mailer: render, compose, send, retry.

use lettre::message::Mailbox;
use sellerlink_http::RetryPolicy;

use super::compose::Email;
use super::transport::{Delivery, EmailTransport};
use crate::error::NotifyError;
use crate::message::Notification;
use crate::render::render;

/// Sends notifications as e-mail from one sender address.
#[derive(Debug)]
pub struct Mailer {
    transport: EmailTransport,
    from: Mailbox,
    retry: RetryPolicy,
}

impl Mailer {
    /// A mailer handing e-mails from `from` to `transport`, with [`RetryPolicy::delivery`].
    pub fn new(transport: EmailTransport, from: Mailbox) -> Self {
        Self {
            transport,
            from,
            retry: RetryPolicy::delivery(),
        }
    }

    /// The same mailer with another retry policy.
    pub fn with_retry(self, retry: RetryPolicy) -> Self {
        Self { retry, ..self }
    }

    /// The transport.
    pub fn transport(&self) -> &EmailTransport {
        &self.transport
    }

    /// The e-mail `notification` becomes, addressed to `to`.
    ///
    /// # Errors
    ///
    /// [`NotifyError::Render`] if a template fails.
    pub fn compose(
        &self,
        notification: &Notification,
        to: &[Mailbox],
    ) -> Result<Email, NotifyError> {
        Ok(Email::for_notification(
            notification,
            render(notification)?,
            self.from.clone(),
            to.to_vec(),
        ))
    }

    /// Renders `notification` in its language and sends it to `to`, retrying transient failures.
    ///
    /// # Errors
    ///
    /// The last error once the attempts are used up, or the first error that retrying cannot cure.
    pub async fn send(
        &self,
        notification: &Notification,
        to: &[Mailbox],
    ) -> Result<Delivery, NotifyError> {
        let email = self.compose(notification, to)?;
        self.send_email(&email).await
    }

    /// Sends a composed e-mail, retrying transient failures (4xx replies, time-outs, network errors).
    ///
    /// # Errors
    ///
    /// As [`Mailer::send`].
    pub async fn send_email(&self, email: &Email) -> Result<Delivery, NotifyError> {
        let mut delays = self.retry.delays();
        let mut attempt = 1;
        loop {
            match self.transport.send(email).await {
                Ok(delivery) => {
                    return Ok(Delivery {
                        attempts: attempt,
                        ..delivery
                    });
                }
                Err(error) => {
                    let wait = if error.is_transient() {
                        delays.next()
                    } else {
                        None
                    };
                    let Some(wait) = wait else {
                        return Err(with_attempts(error, attempt));
                    };
                    tracing::warn!(
                        notification.id = %email.notification_id,
                        attempt,
                        retry_in_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                        error = %error,
                        "sending the notification e-mail failed; retrying"
                    );
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
            }
        }
    }
}

fn with_attempts(error: NotifyError, attempts: u32) -> NotifyError {
    match error {
        NotifyError::Smtp {
            transient,
            code,
            reason,
            hint,
            ..
        } => NotifyError::Smtp {
            attempts,
            transient,
            code,
            reason,
            hint,
        },
        other => other,
    }
}
