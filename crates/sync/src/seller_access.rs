//! [`SellerAccess`]: what every job that calls Amazon for a seller account shares — the store, the clock, this
//! process's leases on seller accounts, and the way to a connection's gateway (open its credential, build the
//! gateway of its API) with the retries of one logical call. Its leases carry the seller's quota state from one
//! process to the next through the gateways ([`QuotaHandover`]).

use std::sync::Arc;

use sellerlink_domain::clock::Clock;
use sellerlink_domain::connection::Connection;
use sellerlink_gateway::{AmazonGateway, GatewayError, GatewayFactory};
use sellerlink_store::{SealedCredential, Store};
use tokio_util::sync::CancellationToken;

use crate::config::{ImportConfig, RetryConfig};
use crate::credentials::CredentialOpener;
use crate::error::SyncError;
use crate::import::{CallError, RunStats, with_retry};
use crate::quota_handover::QuotaHandover;
use crate::seller_lease::SellerLeases;

/// The store, clock, leases and gateways that the importer, the shipper and the stock pusher share. Cheap to
/// clone; clones share everything, the leases above all, so that one process's jobs never lease one seller account
/// against each other.
#[derive(Clone)]
pub struct SellerAccess {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    clock: Arc<dyn Clock>,
    credentials: Arc<dyn CredentialOpener>,
    gateways: Arc<dyn GatewayFactory>,
    retry: RetryConfig,
    leases: SellerLeases,
    handover: Arc<QuotaHandover>,
}

impl std::fmt::Debug for SellerAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SellerAccess")
            .field("store", &self.inner.store)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl SellerAccess {
    /// Access over `store`. `clock` must read Amazon's time; `credentials` opens each connection's credential and
    /// `gateways` builds the gateway of its API; `config` gives the retries and this process's lease owner and TTL.
    pub fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        credentials: Arc<dyn CredentialOpener>,
        gateways: Arc<dyn GatewayFactory>,
        config: &ImportConfig,
    ) -> Self {
        let handover = Arc::new(QuotaHandover::new(Arc::clone(&gateways)));
        let leases = SellerLeases::carrying(
            store.clone(),
            Arc::clone(&clock),
            config.owner.clone(),
            config.lease_ttl,
            Some(handover.clone()),
        );
        Self {
            inner: Arc::new(Inner {
                store,
                clock,
                credentials,
                gateways,
                retry: config.retry,
                leases,
                handover,
            }),
        }
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.inner.clock
    }

    /// The leases this process holds on seller accounts.
    pub fn leases(&self) -> &SellerLeases {
        &self.inner.leases
    }

    /// Opens the connection's credential and builds its gateway; under a lease this process has just taken, the
    /// quota state the previous holder left is taken on first.
    pub(crate) async fn open_gateway(
        &self,
        connection: &Connection,
    ) -> Result<Arc<dyn AmazonGateway>, SyncError> {
        let credential = self.inner.credentials.open(connection.id).await?;
        self.gateway_with(connection, credential)
    }

    /// Opens `sealed`, the connection's credential as already read from the store, and builds its gateway, like
    /// [`SellerAccess::open_gateway`].
    pub(crate) fn open_gateway_sealed(
        &self,
        connection: &Connection,
        sealed: &SealedCredential,
    ) -> Result<Arc<dyn AmazonGateway>, SyncError> {
        let credential = self.inner.credentials.open_sealed(connection.id, sealed)?;
        self.gateway_with(connection, credential)
    }

    fn gateway_with(
        &self,
        connection: &Connection,
        credential: secrecy::SecretString,
    ) -> Result<Arc<dyn AmazonGateway>, SyncError> {
        let gateway = self
            .inner
            .gateways
            .gateway(connection, credential)
            .map_err(|source| SyncError::Gateway {
                connection: connection.id,
                source,
            })?;
        self.inner.handover.opening(connection);
        Ok(gateway)
    }

    /// Runs one logical call to Amazon with the retries (throttling waits, transient failures with backoff);
    /// never cancelled. For calls outside an import run: verification, shipments, stock.
    pub(crate) async fn retrying<T, F, Fut>(&self, call: F) -> Result<T, CallError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, GatewayError>>,
    {
        let stats = RunStats::default();
        let never = CancellationToken::new();
        with_retry(&self.inner.retry, &stats, &never, call).await
    }
}
