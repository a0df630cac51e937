//! [`GatewayFactory`]: turning a stored connection and its credential in clear into the [`AmazonGateway`] of its
//! API. Opening the sealed credential is the caller's part (`sellerlink-sync`'s `CredentialOpener`), so the
//! gateway never touches the store or the keyring.

use std::sync::Arc;

use secrecy::SecretString;
use sellerlink_domain::connection::{ApiAccount, Connection};
use sellerlink_domain::quota::QuotaSnapshot;

use crate::gateway::{AmazonGateway, GatewayError};

/// Builds the gateway of a connection from the connection and its credential in clear.
pub trait GatewayFactory: Send + Sync {
    /// The gateway for `connection`; `credential` is its MWS Auth Token or LWA refresh token.
    fn gateway(
        &self,
        connection: &Connection,
        credential: SecretString,
    ) -> Result<Arc<dyn AmazonGateway>, GatewayError>;

    /// The state of `account`'s quota buckets in this process (levels, learned rates), for the process that
    /// spends its quota next; `None` when this factory does not pace or nothing was spent or learned.
    fn export_quota(&self, account: &ApiAccount) -> Option<QuotaSnapshot> {
        let _ = account;
        None
    }

    /// Takes on the quota state the previous holder of `account`'s lease left, before this process calls Amazon
    /// for it. A snapshot of another API, or a factory that does not pace, changes nothing.
    fn import_quota(&self, account: &ApiAccount, snapshot: &QuotaSnapshot) {
        let _ = (account, snapshot);
    }
}
