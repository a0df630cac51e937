//! One import as three stages running side by side, so that Amazon's slowest calls (the items) never wait for
//! the database or for the next page:
//!
//! 1. the **lister** reads the pages of the window and runs at most one page ahead;
//! 2. the **fetcher** fetches the items of every new or changed order, `items_concurrency` at a time, across page
//!    boundaries, and hands completed orders on in listing order;
//! 3. the **writer** commits each page's orders with their items in one transaction (several pages together when
//!    they are ready faster than the database takes them), and the watermark with the last page. Orders the gateway
//!    could not read travel with their page and are quarantined in its transaction; they never stop the import.
//!
//! If any stage fails, the others are dropped: what was committed stays committed (each page is whole), and the
//! watermark only moves with the last page, so the next run re-reads whatever was not.
//!
//! A run whose window held no order at all writes nothing, not even its watermark, unless the stored watermark is
//! more than [`IDLE_WATERMARK_REFRESH`] old: the next run then asks Amazon again from the same point, which finds
//! the same nothing plus whatever is new. That keeps the common idle run (most connections, most of the time) to
//! reads and saves a write per run; the refresh keeps the window of a seller who sells nothing for months short.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use futures::future::BoxFuture;
use futures::{FutureExt as _, StreamExt as _, stream};
use jiff::{SignedDuration, Timestamp};
use sellerlink_domain::clock::Clock;
use sellerlink_domain::ids::{AmazonOrderId, ConnectionId};
use sellerlink_domain::order::Order;
use sellerlink_gateway::{
    AmazonGateway, GatewayError, GatewayErrorKind, OrdersPage, PageToken, Window,
};
use sellerlink_store::{Store, StoreError, SyncStream, SyncWatermark, UnreadableOrder};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::retry::{CallError, with_retry};
use super::run_record::RunRecord;
use super::stats::RunStats;
use crate::config::{ImportConfig, RetryConfig};
use crate::report::{Progress, ProgressFn};
use crate::seller_lease::SellerLease;

/// The most orders committed in one transaction when several pages are ready at once.
const MAX_GROUP_ORDERS: usize = 3000;

/// How old the stored watermark may grow before a run whose window held no order writes it anyway.
const IDLE_WATERMARK_REFRESH: SignedDuration = SignedDuration::from_hours(24);

/// What is stored about an order: enough to tell whether a listed snapshot is new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Known {
    /// Amazon's last update of the stored snapshot.
    last_update: Timestamp,
    /// How many items are stored with it.
    items: u64,
}

impl Known {
    /// Whether a listed snapshot with `last_update` adds nothing to what is stored. Amazon moves `LastUpdateDate`
    /// on every change of an order, so an equal date means the same order; an earlier one is stale.
    fn covers(&self, last_update: Timestamp) -> bool {
        self.items > 0 && last_update <= self.last_update
    }
}

/// Whether a listed order is new or changed, given what is stored about its page's orders.
fn is_new_or_changed(known: &HashMap<AmazonOrderId, Known>, order: &Order) -> bool {
    !known
        .get(&order.amazon_order_id)
        .is_some_and(|known| known.covers(order.last_update_date))
}

/// Why a pipeline stopped.
#[derive(Debug)]
pub(crate) enum PipelineError {
    /// Amazon's (or the network's) error, after retries.
    Gateway(GatewayError),
    /// The store failed.
    Store(StoreError),
    /// Another worker took the lease (this run was too slow to renew it).
    LeaseLost,
    /// The run was cancelled.
    Cancelled,
}

impl From<CallError> for PipelineError {
    fn from(error: CallError) -> Self {
        match error {
            CallError::Gateway(error) => Self::Gateway(error),
            CallError::Cancelled => Self::Cancelled,
        }
    }
}

impl From<StoreError> for PipelineError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::LeaseLost { .. } => Self::LeaseLost,
            error => Self::Store(error),
        }
    }
}

/// A page on its way from the lister to the fetcher, with what is stored about its orders.
struct Listed {
    page: OrdersPage,
    known: HashMap<AmazonOrderId, Known>,
    /// The smallest upper bound of the pages so far (they should all be equal).
    upper_bound: Timestamp,
}

/// Work for the fetcher, in listing order.
enum Job {
    /// Quarantine this order with its page.
    Quarantine(UnreadableOrder),
    /// Fetch this order's items, then write it.
    Fetch(Order),
    /// Write this order as it is (its items came with the page).
    Write(Order),
    /// The page ends here.
    End(PageEnd),
}

/// Work for the writer, in listing order.
enum Done {
    Order(Box<Order>),
    Quarantine(UnreadableOrder),
    End(PageEnd),
}

/// The end of a listed page.
#[derive(Debug, Clone, Copy)]
struct PageEnd {
    /// The smallest upper bound of the pages so far.
    upper_bound: Timestamp,
    /// Whether it is the window's last page.
    last: bool,
    /// Whether the page listed any order (readable or not), new or already stored.
    listed_any: bool,
}

/// Everything one run's pipeline needs.
pub(crate) struct Pipeline<'a> {
    pub(crate) store: &'a Store,
    pub(crate) clock: &'a dyn Clock,
    pub(crate) gateway: Arc<dyn AmazonGateway>,
    pub(crate) connection_id: ConnectionId,
    pub(crate) window: Window,
    /// The watermark as stored when the run started.
    pub(crate) stored_watermark: Option<Timestamp>,
    pub(crate) config: &'a ImportConfig,
    pub(crate) lease: &'a SellerLease,
    pub(crate) stats: Arc<RunStats>,
    pub(crate) cancel: &'a CancellationToken,
    /// The run's row in the history, written as running once a page has something to import.
    pub(crate) run: &'a RunRecord,
    pub(crate) progress: Option<&'a ProgressFn>,
}

/// Aborts a task when its result is no longer wanted (the pipeline stopped).
struct AbortOnDrop(tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Fetches an order's items (with the engine's retries) and completes the order with them.
async fn fetch_items(
    gateway: Arc<dyn AmazonGateway>,
    stats: Arc<RunStats>,
    retry: RetryConfig,
    cancel: CancellationToken,
    mut order: Order,
) -> Result<Done, PipelineError> {
    let id = &order.amazon_order_id;
    let gateway = gateway.as_ref();
    let items = with_retry(&retry, &stats, &cancel, || async move {
        let items = gateway.order_items(id).await?;
        if items.is_empty() {
            return Err(GatewayError::new(
                GatewayErrorKind::Transient,
                "Orders.ListOrderItems",
                format!("Amazon listed no items for order {id}; every order has at least one"),
            ));
        }
        Ok(items)
    })
    .await?;
    stats.item_call();
    order.items = items;
    Ok(Done::Order(Box::new(order)))
}

impl Pipeline<'_> {
    /// Imports the window; returns the watermark as stored at its end (written with the last page, or left as it
    /// was when the window held nothing).
    pub(crate) async fn run(&self) -> Result<Timestamp, PipelineError> {
        let (page_tx, page_rx) = mpsc::channel::<Listed>(1);
        let (done_tx, done_rx) = mpsc::channel::<Done>(MAX_GROUP_ORDERS);
        let work = async {
            tokio::try_join!(
                self.list(page_tx),
                self.fetch(page_rx, done_tx),
                self.write(done_rx)
            )
        };
        tokio::select! {
            result = work => result?.2.ok_or(PipelineError::Cancelled),
            error = self.heartbeat() => Err(error),
        }
    }

    /// Renews the run's lease three times per lease period for as long as the run lasts, and with it the
    /// connection's claim in the import queue (so that no other worker finds it due while this run lasts); returns
    /// only when the lease cannot be renewed (another worker took it, or the store failed).
    async fn heartbeat(&self) -> PipelineError {
        let period = self
            .config
            .lease_ttl
            .unsigned_abs()
            .div_f64(3.0)
            .max(std::time::Duration::from_millis(10));
        loop {
            tokio::time::sleep(period).await;
            match self.lease.renew().await {
                Ok(true) => {}
                Ok(false) => return PipelineError::LeaseLost,
                Err(error) => return PipelineError::Store(error),
            }
            let claim = self.store.extend_import_claim(
                self.connection_id,
                self.clock.now(),
                self.config.lease_ttl,
            );
            if let Err(error) = claim.await {
                tracing::warn!(connection.id = %self.connection_id, %error, "could not extend the import's claim; another worker may find it due and wait for the lease");
            }
        }
    }

    async fn list(&self, pages: mpsc::Sender<Listed>) -> Result<(), PipelineError> {
        let mut token: Option<PageToken> = None;
        let mut tokens_seen: HashSet<PageToken> = HashSet::new();
        let mut upper_bound = Timestamp::MAX;
        loop {
            let page = with_retry(&self.config.retry, &self.stats, self.cancel, || {
                self.gateway
                    .updated_orders_page(&self.window, token.as_ref())
            })
            .await?;
            upper_bound = upper_bound.min(page.upper_bound);
            let next = page.next.clone();
            if let Some(next) = &next
                && !tokens_seen.insert(next.clone())
            {
                return Err(PipelineError::Gateway(GatewayError::new(
                    GatewayErrorKind::Other,
                    "Orders.ListOrdersByNextToken",
                    "Amazon returned a NextToken it had already returned; stopped instead of looping",
                )));
            }
            // Read while the fetcher still works on the page before: what is stored about this page's orders.
            let known = self.known(&page).await?;
            if !page.unreadable.is_empty()
                || page
                    .orders
                    .iter()
                    .any(|order| is_new_or_changed(&known, order))
            {
                self.run.show_running(self.store).await?;
            }
            let listed = Listed {
                page,
                known,
                upper_bound,
            };
            if pages.send(listed).await.is_err() {
                // A later stage stopped; its error is the run's.
                return Ok(());
            }
            match next {
                Some(next) => token = Some(next),
                None => return Ok(()),
            }
        }
    }

    /// What is stored about the orders of a listed page, read in one statement (none for an empty page).
    async fn known(
        &self,
        page: &OrdersPage,
    ) -> Result<HashMap<AmazonOrderId, Known>, PipelineError> {
        if page.orders.is_empty() {
            return Ok(HashMap::new());
        }
        let ids: Vec<&AmazonOrderId> = page.orders.iter().map(|o| &o.amazon_order_id).collect();
        let summaries = self.store.order_summaries(self.connection_id, &ids).await?;
        Ok(summaries
            .into_iter()
            .map(|s| {
                let known = Known {
                    last_update: s.last_update,
                    items: s.item_count,
                };
                (s.amazon_order_id, known)
            })
            .collect())
    }

    /// The jobs of one page: new or changed orders (items to fetch unless included), then the page's end.
    fn jobs(&self, listed: Listed) -> Vec<Job> {
        let Listed {
            page,
            upper_bound,
            known,
        } = listed;
        let total = page.orders.len();
        let mut jobs = Vec::with_capacity(total + page.unreadable.len() + 1);
        for order in page.orders {
            if !is_new_or_changed(&known, &order) {
                continue;
            }
            jobs.push(if page.items_included {
                Job::Write(order)
            } else {
                Job::Fetch(order)
            });
        }
        self.stats.page_listed(total, total - jobs.len());
        let listed_any = total > 0 || !page.unreadable.is_empty();
        jobs.extend(page.unreadable.into_iter().map(Job::Quarantine));
        jobs.push(Job::End(PageEnd {
            upper_bound,
            last: page.next.is_none(),
            listed_any,
        }));
        jobs
    }

    /// Runs a job. Item listings run as tasks of their own, so that several are parsed at once on a
    /// multi-threaded runtime.
    fn perform(&self, job: Job) -> BoxFuture<'static, Result<Done, PipelineError>> {
        match job {
            Job::Fetch(order) => {
                let fetch = fetch_items(
                    Arc::clone(&self.gateway),
                    Arc::clone(&self.stats),
                    self.config.retry,
                    self.cancel.clone(),
                    order,
                );
                let task = tokio::spawn(fetch);
                let abort = AbortOnDrop(task.abort_handle());
                async move {
                    let _abort = abort;
                    match task.await {
                        Ok(result) => result,
                        Err(error) if error.is_panic() => {
                            std::panic::resume_unwind(error.into_panic())
                        }
                        Err(_) => Err(PipelineError::Cancelled),
                    }
                }
                .boxed()
            }
            Job::Write(order) => futures::future::ready(Ok(Done::Order(Box::new(order)))).boxed(),
            Job::Quarantine(order) => futures::future::ready(Ok(Done::Quarantine(order))).boxed(),
            Job::End(end) => futures::future::ready(Ok(Done::End(end))).boxed(),
        }
    }

    async fn fetch(
        &self,
        mut pages: mpsc::Receiver<Listed>,
        done: mpsc::Sender<Done>,
    ) -> Result<(), PipelineError> {
        let pages = stream::poll_fn(move |cx| pages.poll_recv(cx));
        let jobs = pages.flat_map(|listed| stream::iter(self.jobs(listed)));
        let results = jobs
            .map(|job| self.perform(job))
            .buffered(self.config.items_concurrency.max(1));
        let mut results = std::pin::pin!(results);
        while let Some(result) = results.next().await {
            if done.send(result?).await.is_err() {
                return Ok(());
            }
        }
        Ok(())
    }

    /// Commits pages in listing order. When more completed pages are already waiting (the database is the slower
    /// side), they go into the same transaction, up to [`MAX_GROUP_ORDERS`] orders: each page is still whole,
    /// and the watermark still travels with the last page.
    async fn write(
        &self,
        mut done: mpsc::Receiver<Done>,
    ) -> Result<Option<Timestamp>, PipelineError> {
        let mut batch: Vec<Order> = Vec::new();
        let mut unreadable: Vec<UnreadableOrder> = Vec::new();
        let mut pages = 0u32;
        let mut listed_any = false;
        loop {
            let end = loop {
                match done.recv().await {
                    Some(Done::Order(order)) => batch.push(*order),
                    Some(Done::Quarantine(order)) => unreadable.push(order),
                    Some(Done::End(end)) => break end,
                    None => return Ok(None),
                }
            };
            let PageEnd {
                upper_bound, last, ..
            } = end;
            pages += 1;
            listed_any |= end.listed_any;
            if !last && batch.len() < MAX_GROUP_ORDERS && !done.is_empty() {
                continue;
            }
            if last
                && !listed_any
                && let Some(stored) = self.watermark_to_keep(upper_bound)
            {
                self.stats.pages_committed(pages, 0, 0, 0);
                self.report_progress();
                return Ok(Some(stored));
            }
            let watermark = last.then(|| SyncWatermark {
                stream: SyncStream::orders(),
                last_updated_after: upper_bound,
            });
            let now = self.clock.now();
            let outcome = self
                .store
                .import_orders(
                    self.connection_id,
                    &batch,
                    &unreadable,
                    now,
                    watermark.as_ref(),
                    Some(self.lease.fence()),
                )
                .await?;
            for order in &unreadable {
                tracing::warn!(
                    order = %order.order_key,
                    reason = %order.reason,
                    "an order Amazon sent cannot be read; it is quarantined and re-read by the next import"
                );
            }
            batch.clear();
            unreadable.clear();
            self.stats.pages_committed(
                std::mem::take(&mut pages),
                outcome.inserted,
                outcome.updated,
                outcome.unchanged + outcome.skipped_older,
            );
            self.report_progress();
            if last {
                return Ok(Some(upper_bound));
            }
            if self.cancel.is_cancelled() {
                return Err(PipelineError::Cancelled);
            }
        }
    }

    /// The stored watermark, when a run whose window held no order may leave it as it is rather than move it to
    /// `upper_bound`: it exists and is less than [`IDLE_WATERMARK_REFRESH`] older.
    fn watermark_to_keep(&self, upper_bound: Timestamp) -> Option<Timestamp> {
        let stored = self.stored_watermark?;
        let age = stored.duration_until(upper_bound);
        (age < IDLE_WATERMARK_REFRESH).then_some(stored)
    }

    fn report_progress(&self) {
        let Some(progress) = self.progress else {
            return;
        };
        let stats = self.stats.snapshot();
        progress(&Progress {
            connection_id: self.connection_id,
            pages: stats.pages,
            orders_seen: stats.orders_seen,
            orders_written: stats.orders_new + stats.orders_changed,
            item_calls: stats.item_calls,
        });
    }
}
