//! The TLS configuration: rustls with the ring provider, the Mozilla roots from webpki-roots,
//! plus any extra root certificates (such as the sandbox's own CA).

use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject as _;
use rustls::{ClientConfig, RootCertStore};

use super::builder::BuildError;

/// Builds the client TLS configuration, trusting `extra_roots_pem` (PEM bundles) as well.
pub(crate) fn client_config(extra_roots_pem: &[Vec<u8>]) -> Result<ClientConfig, BuildError> {
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    for (index, pem) in extra_roots_pem.iter().enumerate() {
        let mut added = 0;
        for certificate in CertificateDer::pem_slice_iter(pem) {
            let certificate = certificate.map_err(|e| BuildError::RootCertificate {
                index,
                reason: format!("not readable as PEM: {e}"),
            })?;
            roots
                .add(certificate)
                .map_err(|e| BuildError::RootCertificate {
                    index,
                    reason: format!("not a usable CA certificate: {e}"),
                })?;
            added += 1;
        }
        if added == 0 {
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
