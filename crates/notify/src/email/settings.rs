//! How to reach the SMTP relay.

use std::time::Duration;

use secrecy::SecretString;

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SmtpTls {
    /// Plain text; only for a relay on the same machine or a test sink.
    None,
    /// Plain connection upgraded with `STARTTLS`, which is required (usually port 587).
    #[default]
    StartTls,
    /// TLS from the first byte ("SMTPS", usually port 465).
    Tls,
}

impl SmtpTls {
    /// The usual port for this mode: 25, 587 or 465.
    pub fn default_port(self) -> u16 {
        match self {
            Self::None => 25,
            Self::StartTls => 587,
            Self::Tls => 465,
        }
    }
}

/// The SMTP relay and how to sign in to it.
///
/// `Debug` never shows the password.
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    /// The relay's host name (also the name its certificate must carry).
    pub host: String,
    /// The relay's port.
    pub port: u16,
    /// How the connection is secured.
    pub tls: SmtpTls,
    /// The user name, when the relay wants `AUTH`.
    pub username: Option<String>,
    /// The password for `username`.
    pub password: Option<SecretString>,
    /// How long one SMTP command may take.
    pub timeout: Duration,
    /// Extra trusted root certificates (PEM), e.g. a company CA; Mozilla's roots are always trusted.
    pub extra_root_ca_pem: Option<Vec<u8>>,
    /// The name sent in `EHLO`; defaults to the machine's host name.
    pub hello_name: Option<String>,
}

impl SmtpSettings {
    /// Settings for `host` with the usual port for `tls`, no authentication and a 30 s timeout.
    pub fn new(host: impl Into<String>, tls: SmtpTls) -> Self {
        Self {
            host: host.into(),
            port: tls.default_port(),
            tls,
            username: None,
            password: None,
            timeout: Duration::from_secs(30),
            extra_root_ca_pem: None,
            hello_name: None,
        }
    }

    /// The same settings with another port.
    pub fn with_port(self, port: u16) -> Self {
        Self { port, ..self }
    }

    /// The same settings with `AUTH` credentials.
    pub fn with_credentials(self, username: impl Into<String>, password: SecretString) -> Self {
        Self {
            username: Some(username.into()),
            password: Some(password),
            ..self
        }
    }
}
