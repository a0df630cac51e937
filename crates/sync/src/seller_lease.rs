//! The leases this process holds on its connections, shared by every job of the process.
//!
//! A connection's lease (`sync:<connection id>`) says which *process* spends that seller account's Amazon quota
//! now. Imports, shipment confirmations and stock pushes of one process share it (their calls go through the
//! process's own rate limiter, so they never throttle one another), while another process leaves the connection
//! alone until the lease is released or expires. Only one import of a connection runs at a time, also within the
//! process. Every write an import makes carries the lease's fence ([`sellerlink_store::Fence`]), so a process that
//! stalled past its lease and lost it writes nothing after its successor took over.
//!
//! The lease also carries what its holder knows of the seller's quota ([`LeaseState`]): stored with every renewal
//! and the last release, handed to the next process that takes the lease in the store.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::SignedDuration;
use sellerlink_domain::clock::Clock;
use sellerlink_domain::ids::ConnectionId;
use sellerlink_store::{Fence, Lease, LeaseName, LeaseOwner, Store, StoreError};
use tokio::sync::{Mutex, Notify};

/// What a connection's lease carries from one holding process to the next: the seller's quota state, as opaque
/// text the store keeps with the lease. [`crate::SellerAccess`] implements it over its gateways; the leases only
/// pass the text along.
pub trait LeaseState: Send + Sync {
    /// This process took the connection's lease in the store; `stored` is what the previous holder left.
    fn taken(&self, connection: ConnectionId, stored: Option<String>);
    /// What to store with the lease now (a renewal, or the release by the last job of this process holding it);
    /// `None` keeps what is stored.
    fn current(&self, connection: ConnectionId) -> Option<String>;
    /// This process no longer holds the connection's lease (released, or lost to another process).
    fn let_go(&self, connection: ConnectionId);
}

/// What a job wants the lease for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeasePurpose {
    /// An import: at most one per connection, in the whole fleet.
    Import,
    /// Shipment confirmations or stock levels: alongside this process's import, never another process's.
    Outbox,
}

/// The answer to [`SellerLeases::acquire`].
#[derive(Debug)]
pub enum Acquired {
    /// This process holds the lease now.
    Held(SellerLease),
    /// Another process holds it (its lease as stored, if it was still there when read).
    Elsewhere(Option<Lease>),
}

#[derive(Debug)]
struct Held {
    fence: Fence,
    holders: usize,
    importing: bool,
}

#[derive(Debug)]
struct Inner {
    store: Store,
    clock: Arc<dyn Clock>,
    owner: LeaseOwner,
    ttl: SignedDuration,
    held: Mutex<HashMap<ConnectionId, Held>>,
    state: Option<Arc<dyn LeaseState>>,
    /// Woken whenever an import of this process gives its share back.
    import_ended: Notify,
}

/// The process's leases on its connections. Cheap to clone; clones share the leases.
#[derive(Debug, Clone)]
pub struct SellerLeases {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for dyn LeaseState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LeaseState")
    }
}

impl SellerLeases {
    /// Leases held by `owner` (unique per process start: [`LeaseOwner::of_this_process`]) for `ttl` at a time.
    pub fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        owner: LeaseOwner,
        ttl: SignedDuration,
    ) -> Self {
        Self::carrying(store, clock, owner, ttl, None)
    }

    /// [`SellerLeases::new`], the leases carrying `state` from one holding process to the next.
    pub fn carrying(
        store: Store,
        clock: Arc<dyn Clock>,
        owner: LeaseOwner,
        ttl: SignedDuration,
        state: Option<Arc<dyn LeaseState>>,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                store,
                clock,
                owner,
                ttl,
                held: Mutex::new(HashMap::new()),
                state,
                import_ended: Notify::new(),
            }),
        }
    }

    /// Who holds the leases.
    pub fn owner(&self) -> &LeaseOwner {
        &self.inner.owner
    }

    /// Takes the connection's lease for `purpose`: shared with the jobs of this process that hold it already,
    /// taken in the store otherwise — at once from a process on this host that has ended (killed mid-import, say),
    /// else only once it is free or expired. An import asked for while this process imports the connection already
    /// (a person's "sync now" during the scheduled run) waits for that one to end, then runs.
    pub async fn acquire(
        &self,
        connection: ConnectionId,
        purpose: LeasePurpose,
    ) -> Result<Acquired, StoreError> {
        let inner = &self.inner;
        let import = purpose == LeasePurpose::Import;
        let mut held = loop {
            // Registered before the check, so an end signalled in between is not missed.
            let ended = inner.import_ended.notified();
            let held = inner.held.lock().await;
            let running = held.get(&connection).is_some_and(|entry| entry.importing);
            if !(import && running) {
                break held;
            }
            drop(held);
            ended.await;
        };
        if let Some(entry) = held.get_mut(&connection) {
            entry.holders += 1;
            entry.importing |= import;
            return Ok(Acquired::Held(self.guard(
                connection,
                entry.fence.clone(),
                import,
            )));
        }
        let name = LeaseName::sync(connection);
        let now = inner.clock.now();
        let mut taken = inner
            .store
            .acquire_lease_with_state(&name, &inner.owner, now, inner.ttl)
            .await?;
        let mut stored = None;
        if taken.is_none() {
            stored = inner.store.lease(&name).await?;
            if let Some(lease) = &stored
                && lease
                    .owner
                    .process()
                    .is_some_and(|process| process.is_gone())
            {
                taken = inner
                    .store
                    .take_over_lease_with_state(&name, &lease.owner, &inner.owner, now, inner.ttl)
                    .await?;
                if taken.is_some() {
                    sellerlink_metrics::lease_taken_over();
                    tracing::warn!(holder = %lease.owner, connection.id = %connection, "took over the lease of a process that has ended");
                }
            }
        }
        let Some(taken) = taken else {
            return Ok(Acquired::Elsewhere(stored));
        };
        let fence = taken.fence;
        if let Some(state) = &inner.state {
            state.taken(connection, taken.quota_state);
        }
        held.insert(
            connection,
            Held {
                fence: fence.clone(),
                holders: 1,
                importing: import,
            },
        );
        Ok(Acquired::Held(self.guard(connection, fence, import)))
    }

    fn guard(&self, connection: ConnectionId, fence: Fence, import: bool) -> SellerLease {
        SellerLease {
            leases: self.clone(),
            connection,
            fence,
            import,
            released: false,
        }
    }

    /// How many connections this process holds leases on now.
    pub async fn held(&self) -> usize {
        self.inner.held.lock().await.len()
    }

    async fn renew(&self, connection: ConnectionId, fence: &Fence) -> Result<bool, StoreError> {
        let inner = &self.inner;
        let now = inner.clock.now();
        let state = inner.state.as_ref().and_then(|s| s.current(connection));
        let renewed = inner
            .store
            .renew_lease_with_state(fence, now, inner.ttl, state.as_deref())
            .await?;
        let mut held = inner.held.lock().await;
        let ours = held
            .get(&connection)
            .is_some_and(|entry| entry.fence == *fence);
        if ours && !renewed {
            // Lost: the next job of this process asks the store again rather than trusting a dead fence.
            held.remove(&connection);
            self.let_go(connection);
            inner.import_ended.notify_waiters();
        }
        Ok(renewed)
    }

    async fn release(&self, connection: ConnectionId, fence: &Fence, import: bool) {
        let inner = &self.inner;
        let mut held = inner.held.lock().await;
        let Some(entry) = held.get_mut(&connection) else {
            return;
        };
        if entry.fence != *fence {
            return;
        }
        entry.holders = entry.holders.saturating_sub(1);
        if import {
            entry.importing = false;
        }
        if entry.holders == 0 {
            // The last job of this process gives the lease back in the store, with the quota state read now, while
            // it still holds the map: a job of this process that takes the lease next (an import that waited for
            // this one) reaches the store only afterwards, so this release never undoes its take and its writes are
            // not refused.
            let state = inner.state.as_ref().and_then(|s| s.current(connection));
            self.let_go(connection);
            if let Err(error) = inner
                .store
                .release_lease_with_state(fence, state.as_deref())
                .await
            {
                tracing::warn!(%error, connection.id = %connection, "could not release the lease; it expires on its own");
            }
            held.remove(&connection);
        }
        drop(held);
        if import {
            inner.import_ended.notify_waiters();
        }
    }
}

impl SellerLeases {
    fn let_go(&self, connection: ConnectionId) {
        if let Some(state) = &self.inner.state {
            state.let_go(connection);
        }
    }
}

/// A job's share of a connection's lease. Give it back with [`SellerLease::release`]; dropped without, it is
/// given back in the background.
#[derive(Debug)]
pub struct SellerLease {
    leases: SellerLeases,
    connection: ConnectionId,
    fence: Fence,
    import: bool,
    released: bool,
}

impl SellerLease {
    /// What the holder's writes carry.
    pub fn fence(&self) -> &Fence {
        &self.fence
    }

    /// Extends the lease; `false` if it was lost (another process took it after it expired).
    pub async fn renew(&self) -> Result<bool, StoreError> {
        self.leases.renew(self.connection, &self.fence).await
    }

    /// Gives this job's share back; the lease itself is released when no job of this process holds it.
    pub async fn release(mut self) {
        self.released = true;
        self.leases
            .release(self.connection, &self.fence, self.import)
            .await;
    }
}

impl Drop for SellerLease {
    fn drop(&mut self) {
        if self.released {
            return;
        }
        let (leases, connection, fence, import) = (
            self.leases.clone(),
            self.connection,
            self.fence.clone(),
            self.import,
        );
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move { leases.release(connection, &fence, import).await });
        }
    }
}
