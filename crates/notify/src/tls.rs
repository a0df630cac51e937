//! Reading extra root certificates (such as a local CA for a test SMTP relay or webhook receiver) and
//! the rustls client configuration for webhooks: the ring provider, Mozilla's roots plus those extras.

use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject as _;
use rustls::{ClientConfig, RootCertStore};

/// Reads every `CERTIFICATE` block of a PEM bundle; an error names what is wrong.
pub(crate) fn certificates(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, String> {
    let certificates = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("is not readable as PEM ({e})"))?;
    if certificates.is_empty() {
        return Err("holds no -----BEGIN CERTIFICATE----- block".to_owned());
    }
    Ok(certificates)
}

/// The client configuration trusting the Mozilla roots and `extra_roots_pem`.
pub(crate) fn client_config(extra_roots_pem: &[Vec<u8>]) -> Result<ClientConfig, String> {
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    for (index, pem) in extra_roots_pem.iter().enumerate() {
        for certificate in certificates(pem).map_err(|e| format!("bundle #{index} {e}"))? {
            roots
                .add(certificate)
                .map_err(|e| format!("bundle #{index} holds an unusable CA certificate ({e})"))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("rustls refused the protocol versions ({e})"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}
