//! TLS for outbound calls: rustls on the ring provider, Mozilla's roots (webpki-roots) and any extra
//! root certificates a caller trusts as well, such as the sandbox's own CA.

use std::fmt;
use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject as _;
use rustls::{ClientConfig, RootCertStore};

/// Why a PEM bundle of extra root certificates cannot be used. `Display` completes a sentence
/// whose subject names the bundle: "extra root certificate #0 holds no … block".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PemProblem {
    /// A block could not be read as PEM.
    Unreadable(String),
    /// The bundle holds no `CERTIFICATE` block at all.
    NoCertificate,
    /// rustls refused a certificate as a trust anchor.
    UnusableCertificate(String),
}

impl fmt::Display for PemProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unreadable(reason) => write!(f, "is not readable as PEM: {reason}"),
            Self::NoCertificate => f.write_str("holds no -----BEGIN CERTIFICATE----- block"),
            Self::UnusableCertificate(reason) => {
                write!(f, "is not a usable CA certificate: {reason}")
            }
        }
    }
}

impl std::error::Error for PemProblem {}

/// Why the TLS configuration could not be built.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// An extra root certificate bundle cannot be used.
    #[error("extra root certificate #{index} {problem}")]
    RootCertificate {
        /// Which bundle, counted from 0 in the order they were given.
        index: usize,
        /// What is wrong with it.
        problem: PemProblem,
    },
    /// rustls refused the configuration.
    #[error("TLS configuration refused: {0}")]
    Rustls(#[source] rustls::Error),
}

/// Reads every `CERTIFICATE` block of a PEM bundle; refuses a bundle without one.
///
/// # Errors
///
/// [`PemProblem::Unreadable`] or [`PemProblem::NoCertificate`].
pub fn certificates(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, PemProblem> {
    let certificates = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| PemProblem::Unreadable(e.to_string()))?;
    if certificates.is_empty() {
        return Err(PemProblem::NoCertificate);
    }
    Ok(certificates)
}

/// The client configuration: Mozilla's roots plus every certificate in `extra_roots_pem` (one PEM
/// bundle per entry), TLS 1.2 and 1.3, ALPN offering HTTP/2 then HTTP/1.1, no client certificate.
///
/// # Errors
///
/// [`TlsError::RootCertificate`] naming the first bundle that cannot be used, or
/// [`TlsError::Rustls`].
pub(crate) fn client_config(extra_roots_pem: &[Vec<u8>]) -> Result<ClientConfig, TlsError> {
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    for (index, pem) in extra_roots_pem.iter().enumerate() {
        let refused = |problem| TlsError::RootCertificate { index, problem };
        for certificate in certificates(pem).map_err(refused)? {
            roots
                .add(certificate)
                .map_err(|e| refused(PemProblem::UnusableCertificate(e.to_string())))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(TlsError::Rustls)?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mozilla_roots_alone_build_with_http2_first() {
        let config = client_config(&[]).expect("builds");
        assert_eq!(
            config.alpn_protocols,
            [b"h2".to_vec(), b"http/1.1".to_vec()]
        );
    }

    #[test]
    fn a_bundle_without_certificates_is_named() {
        let error = client_config(&[b"not a certificate".to_vec()]).expect_err("refused");
        assert_eq!(
            error.to_string(),
            "extra root certificate #0 holds no -----BEGIN CERTIFICATE----- block"
        );
        assert_eq!(certificates(b""), Err(PemProblem::NoCertificate));
    }

    #[test]
    fn a_broken_block_is_unreadable() {
        let pem = b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
        let problem = certificates(pem).expect_err("refused");
        assert!(matches!(problem, PemProblem::Unreadable(_)), "{problem}");
    }

    #[test]
    fn a_certificate_rustls_cannot_parse_is_unusable() {
        // A well-formed PEM block whose content is not a DER certificate.
        let pem = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        let error = client_config(&[Vec::new(), pem.to_vec()]);
        let error = error.expect_err("refused");
        // The empty first bundle is refused before the second is read.
        assert!(
            matches!(error, TlsError::RootCertificate { index: 0, .. }),
            "{error}"
        );
        let error = client_config(&[pem.to_vec()]).expect_err("refused");
        assert!(
            matches!(
                error,
                TlsError::RootCertificate {
                    index: 0,
                    problem: PemProblem::UnusableCertificate(_)
                }
            ),
            "{error}"
        );
    }
}
