//! TLS for both HTTP clients: rustls on the ring provider, Mozilla's roots (webpki-roots) and any
//! extra root certificates, such as the sandbox's own CA.

use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject as _;
use rustls::{ClientConfig, RootCertStore};

use crate::build_error::BuildError;

/// Builds the client TLS configuration, also trusting the CA certificates in `extra_roots_pem`.
pub(crate) fn client_config(extra_roots_pem: &[Vec<u8>]) -> Result<ClientConfig, BuildError> {
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    for (index, pem) in extra_roots_pem.iter().enumerate() {
        let mut found = 0_usize;
        for certificate in CertificateDer::pem_slice_iter(pem) {
            let certificate = certificate.map_err(|e| BuildError::RootCertificate {
                index,
                reason: format!("is not readable as PEM: {e}"),
            })?;
            roots
                .add(certificate)
                .map_err(|e| BuildError::RootCertificate {
                    index,
                    reason: format!("is not a usable CA certificate: {e}"),
                })?;
            found += 1;
        }
        if found == 0 {
            return Err(BuildError::RootCertificate {
                index,
                reason: "holds no -----BEGIN CERTIFICATE----- block".to_owned(),
            });
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(BuildError::Tls)?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// Builds a reqwest client on that TLS configuration.
pub(crate) fn http_client(
    extra_roots_pem: &[Vec<u8>],
    timeout: std::time::Duration,
) -> Result<reqwest::Client, BuildError> {
    let tls = client_config(extra_roots_pem)?;
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .timeout(timeout)
        .connect_timeout(timeout.min(std::time::Duration::from_secs(10)))
        .build()
        .map_err(|e| BuildError::Http(e.without_url()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_without_certificates_is_refused() {
        let error = client_config(&[b"not a certificate".to_vec()]).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("extra root certificate #0 holds no"),
            "{error}"
        );
    }

    #[test]
    fn mozilla_roots_alone_build() {
        assert!(client_config(&[]).is_ok());
    }
}
