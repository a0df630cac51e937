//! Opening what the store holds sealed: a connection's credential ([`KeyringCredentials`], for the one call that
//! sends it to Amazon through the connection's gateway) and orders' buyer data ([`KeyringBuyerData`]).

use std::sync::Arc;

use futures::FutureExt as _;
use futures::future::BoxFuture;
use secrecy::SecretString;
use sellerlink_domain::ids::ConnectionId;
use sellerlink_secrets::{Keyring, SealContext, Sealed};
use sellerlink_store::{SealedCredential, Store};

/// A connection's credential could not be opened.
#[derive(Debug, thiserror::Error)]
#[error("the credential of connection {connection} cannot be opened: {reason}")]
pub struct CredentialError {
    /// The connection.
    pub connection: ConnectionId,
    /// Why (never the credential itself).
    pub reason: String,
}

/// Opens a connection's sealed credential for the one call that sends it to Amazon.
pub trait CredentialOpener: Send + Sync {
    /// The credential of `connection`, in clear.
    fn open(
        &self,
        connection: ConnectionId,
    ) -> BoxFuture<'_, Result<SecretString, CredentialError>>;

    /// `sealed`, the credential of `connection` as the caller read it from the store, in clear.
    fn open_sealed(
        &self,
        connection: ConnectionId,
        sealed: &SealedCredential,
    ) -> Result<SecretString, CredentialError>;
}

/// Opens credentials sealed by `sellerlink-secrets` and kept in the store, bound to their row the way
/// `sellerlink-app` seals them (record `connection`, the connection id, field `credential`).
#[derive(Clone)]
pub struct KeyringCredentials {
    store: Store,
    keyring: Arc<Keyring>,
}

impl std::fmt::Debug for KeyringCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyringCredentials")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

impl KeyringCredentials {
    /// Opens with `keyring` what `store` holds.
    pub fn new(store: Store, keyring: Arc<Keyring>) -> Self {
        Self { store, keyring }
    }

    /// The seal context of a connection's credential.
    pub fn context(connection: ConnectionId) -> SealContext {
        SealContext::new("connection", &connection.to_string(), "credential")
    }

    async fn open_credential(
        &self,
        connection: ConnectionId,
    ) -> Result<SecretString, CredentialError> {
        let fail = |reason: String| CredentialError { connection, reason };
        let stored = self
            .store
            .credential(connection)
            .await
            .map_err(|e| fail(e.to_string()))?;
        self.open_sealed(connection, &stored)
    }
}

impl CredentialOpener for KeyringCredentials {
    fn open(
        &self,
        connection: ConnectionId,
    ) -> BoxFuture<'_, Result<SecretString, CredentialError>> {
        self.open_credential(connection).boxed()
    }

    fn open_sealed(
        &self,
        connection: ConnectionId,
        sealed: &SealedCredential,
    ) -> Result<SecretString, CredentialError> {
        let fail = |reason: String| CredentialError { connection, reason };
        let sealed = Sealed::from_bytes(&sealed.blob).map_err(|e| fail(e.to_string()))?;
        self.keyring
            .open(&Self::context(connection), &sealed)
            .map_err(|e| fail(e.to_string()))
    }
}

/// Seals and opens orders' buyer data with the keyring, bound to each order by the AAD
/// `sellerlink/v1|order|<amazon order id>|buyer` (installed on the store by the application).
pub struct KeyringBuyerData {
    keyring: Arc<Keyring>,
}

impl std::fmt::Debug for KeyringBuyerData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyringBuyerData").finish_non_exhaustive()
    }
}

impl KeyringBuyerData {
    /// Seals with the keyring's current key, opens with any of its keys.
    pub fn new(keyring: Arc<Keyring>) -> Self {
        Self { keyring }
    }

    /// The AAD context of an order's buyer data.
    pub fn context(
        order_id: &sellerlink_domain::ids::AmazonOrderId,
    ) -> sellerlink_secrets::SealContext {
        sellerlink_secrets::SealContext::new("order", order_id.as_str(), "buyer")
    }
}

impl sellerlink_store::BuyerDataSeal for KeyringBuyerData {
    fn seal(
        &self,
        order_id: &sellerlink_domain::ids::AmazonOrderId,
        plaintext: &str,
    ) -> Result<sellerlink_store::SealedBuyerData, String> {
        let sealed = self
            .keyring
            .seal(
                &Self::context(order_id),
                &secrecy::SecretString::from(plaintext),
            )
            .map_err(|e| e.to_string())?;
        Ok(sellerlink_store::SealedBuyerData {
            kek_id: sealed.kek_id().to_string(),
            sealed: sealed.to_text(),
        })
    }

    fn open(
        &self,
        order_id: &sellerlink_domain::ids::AmazonOrderId,
        sealed: &str,
    ) -> Result<String, String> {
        use secrecy::ExposeSecret as _;
        let sealed = sellerlink_secrets::Sealed::from_text(sealed).map_err(|e| e.to_string())?;
        self.keyring
            .open(&Self::context(order_id), &sealed)
            .map(|text| text.expose_secret().to_owned())
            .map_err(|e| e.to_string())
    }
}
