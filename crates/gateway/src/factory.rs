//! [`GatewayFactory`]: turning a stored connection and its credential in clear into the [`AmazonGateway`] of its
//! API. Opening the sealed credential is the caller's part (`sellerlink-sync`'s `CredentialOpener`), so the
//! gateway never touches the store or the keyring.

use std::sync::Arc;

use secrecy::SecretString;
use sellerlink_domain::connection::Connection;

use crate::gateway::{AmazonGateway, GatewayError};

/// Builds the gateway of a connection from the connection and its credential in clear.
pub trait GatewayFactory: Send + Sync {
    /// The gateway for `connection`; `credential` is its MWS Auth Token or LWA refresh token.
    fn gateway(
        &self,
        connection: &Connection,
        credential: SecretString,
    ) -> Result<Arc<dyn AmazonGateway>, GatewayError>;
}
