//! Where e-mails go: an SMTP relay, or an outbox folder for local development.

use std::fmt;
use std::path::{Path, PathBuf};

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use secrecy::ExposeSecret;

use super::compose::Email;
use super::outbox;
use super::settings::{SmtpSettings, SmtpTls};
use crate::error::NotifyError;

/// Where an e-mail is handed over.
///
/// Build and drop an SMTP transport inside a tokio runtime: its connection pool needs one.
pub enum EmailTransport {
    /// An SMTP relay (connections are pooled and reused).
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// A folder: each message becomes `{notification id}.eml`, written atomically, so sending the same
    /// notification again replaces the file instead of adding one.
    Outbox(PathBuf),
}

/// How an e-mail was handed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The Message-ID the e-mail carried.
    pub message_id: String,
    /// Where it went.
    pub route: DeliveryRoute,
    /// How many attempts it took (1 = first time).
    pub attempts: u32,
}

/// Where an e-mail went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryRoute {
    /// Accepted by the SMTP relay, with its reply, e.g. `250 2.0.0 OK queued`.
    Smtp {
        /// The relay's final reply.
        reply: String,
    },
    /// Written to this file.
    Outbox {
        /// The `.eml` file.
        path: PathBuf,
    },
}

impl EmailTransport {
    /// An SMTP transport built from `settings`.
    ///
    /// # Errors
    ///
    /// [`NotifyError::SmtpSettings`] naming the setting that cannot be used.
    pub fn smtp(settings: &SmtpSettings) -> Result<Self, NotifyError> {
        let host = settings.host.trim();
        if host.is_empty() {
            return Err(NotifyError::SmtpSettings {
                field: "host",
                problem: "is empty; expected the relay's host name, e.g. smtp.example.com"
                    .to_owned(),
            });
        }
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(settings.port)
            .timeout(Some(settings.timeout))
            .tls(tls_mode(settings, host)?);
        match (&settings.username, &settings.password) {
            (Some(username), Some(password)) => {
                builder = builder.credentials(Credentials::new(
                    username.clone(),
                    password.expose_secret().to_owned(),
                ));
            }
            (None, None) => {}
            (Some(_), None) => {
                return Err(NotifyError::SmtpSettings {
                    field: "password",
                    problem: "is missing; a user name needs a password".to_owned(),
                });
            }
            (None, Some(_)) => {
                return Err(NotifyError::SmtpSettings {
                    field: "username",
                    problem: "is missing; a password needs a user name".to_owned(),
                });
            }
        }
        if let Some(name) = &settings.hello_name {
            builder = builder.hello_name(ClientId::Domain(name.clone()));
        }
        Ok(Self::Smtp(builder.build()))
    }

    /// An outbox folder (created on first use).
    pub fn outbox(folder: impl Into<PathBuf>) -> Self {
        Self::Outbox(folder.into())
    }

    /// Hands `email` over once, without retrying.
    ///
    /// # Errors
    ///
    /// [`NotifyError::InvalidEmail`] if the e-mail cannot be built, [`NotifyError::Smtp`] if the relay
    /// refused it or could not be reached, [`NotifyError::Outbox`] if the file could not be written.
    pub async fn send(&self, email: &Email) -> Result<Delivery, NotifyError> {
        let message = email.to_message()?;
        let route = match self {
            Self::Smtp(transport) => {
                let response = transport.send(message).await.map_err(smtp_error)?;
                let text: Vec<&str> = response.message().collect();
                DeliveryRoute::Smtp {
                    reply: format!("{} {}", response.code(), text.join(" ")),
                }
            }
            Self::Outbox(folder) => {
                let path =
                    outbox::write(folder, email.notification_id, &message.formatted()).await?;
                DeliveryRoute::Outbox { path }
            }
        };
        Ok(Delivery {
            message_id: email.message_id.clone(),
            route,
            attempts: 1,
        })
    }

    /// The outbox folder, if this is one.
    pub fn outbox_folder(&self) -> Option<&Path> {
        match self {
            Self::Outbox(folder) => Some(folder),
            Self::Smtp(_) => None,
        }
    }
}

impl fmt::Debug for EmailTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // lettre's own Debug would show the pool's internals; credentials stay out of sight.
            Self::Smtp(_) => f.write_str("EmailTransport::Smtp(..)"),
            Self::Outbox(folder) => f
                .debug_tuple("EmailTransport::Outbox")
                .field(folder)
                .finish(),
        }
    }
}

fn tls_mode(settings: &SmtpSettings, host: &str) -> Result<Tls, NotifyError> {
    if settings.tls == SmtpTls::None {
        return Ok(Tls::None);
    }
    let mut parameters = TlsParameters::builder(host.to_owned());
    if let Some(pem) = &settings.extra_root_ca_pem {
        sellerlink_http::certificates(pem).map_err(|problem| NotifyError::SmtpSettings {
            field: "extra_root_ca_pem",
            problem: problem.to_string(),
        })?;
        let certificate = Certificate::from_pem(pem).map_err(|e| NotifyError::SmtpSettings {
            field: "extra_root_ca_pem",
            problem: format!("is not a usable certificate bundle ({e})"),
        })?;
        parameters = parameters.add_root_certificate(certificate);
    }
    let parameters = parameters
        .build_rustls()
        .map_err(|e| NotifyError::SmtpSettings {
            field: "tls",
            problem: format!("rustls refused the configuration ({e})"),
        })?;
    Ok(match settings.tls {
        SmtpTls::StartTls => Tls::Required(parameters),
        SmtpTls::Tls | SmtpTls::None => Tls::Wrapper(parameters),
    })
}

/// Classifies lettre's error: 4xx replies, time-outs and network failures are worth retrying.
fn smtp_error(error: lettre::transport::smtp::Error) -> NotifyError {
    let code = error.status().map(u16::from);
    let (transient, hint) = if error.is_transient() {
        (true, "the relay asked to try again later")
    } else if error.is_permanent() {
        (
            false,
            "the relay refused the message; check the sender and recipient addresses and the SMTP account",
        )
    } else if error.is_tls() {
        (
            false,
            "check the TLS mode and that the relay's certificate is trusted (extra_root_ca_pem)",
        )
    } else if error.is_client() || error.is_response() {
        (false, "the relay and sellerlink disagree on the protocol")
    } else {
        (
            true,
            "check the SMTP host, port and TLS mode, and that the relay is running",
        )
    };
    NotifyError::Smtp {
        attempts: 1,
        transient,
        code,
        reason: error_chain(&error),
        hint,
    }
}

/// An error and its sources, joined with `: `.
pub(crate) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let next = cause.to_string();
        if !text.contains(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        source = cause.source();
    }
    text
}
