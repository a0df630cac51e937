//! One import as three stages running side by side, so that Amazon's slowest calls (the items) never wait for
//! the database or for the next page:
//!
//! 1. the **lister** reads the pages of the window and runs at most one page ahead;
//! 2. the **fetcher** fetches the items of every new or changed order, `items_concurrency` at a time, across page
//!    boundaries, and hands completed orders on in listing order;
//! 3. the **writer** commits each page's orders with their items in one transaction, and the watermark with the
//!    last page.
//!
//! If any stage fails, the others are dropped: what was committed stays committed (each page is whole), and the
//! watermark only moves with the last page, so the next run re-reads whatever was not.

use std::collections::{HashMap, HashSet};

use futures::future::BoxFuture;
use futures::{FutureExt as _, StreamExt as _, stream};
use jiff::Timestamp;
use sellerlink_domain::clock::Clock;
use sellerlink_domain::ids::{AmazonOrderId, ConnectionId};
use sellerlink_domain::order::Order;
use sellerlink_store::{LeaseName, Store, StoreError, SyncStream, SyncWatermark};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::retry::{CallError, with_retry};
use super::stats::RunStats;
use crate::config::ImportConfig;
use crate::report::{Progress, ProgressFn};
use crate::source::{OrderSource, OrdersPage, PageToken, SourceError, SourceErrorKind, Window};

/// What is stored about an order: enough to tell whether a listed snapshot is new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Known {
    /// Amazon's last update of the stored snapshot.
    pub(crate) last_update: Timestamp,
    /// How many items are stored with it.
    pub(crate) items: u64,
}

impl Known {
    /// Whether a listed snapshot with `last_update` adds nothing to what is stored. Amazon moves `LastUpdateDate`
    /// on every change of an order, so an equal date means the same order; an earlier one is stale.
    fn covers(&self, last_update: Timestamp) -> bool {
        self.items > 0 && last_update <= self.last_update
    }
}

/// Why a pipeline stopped.
#[derive(Debug)]
pub(crate) enum PipelineError {
    /// Amazon's (or the network's) error, after retries.
    Source(SourceError),
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
            CallError::Source(error) => Self::Source(error),
            CallError::Cancelled => Self::Cancelled,
        }
    }
}

impl From<StoreError> for PipelineError {
    fn from(error: StoreError) -> Self {
        Self::Store(error)
    }
}

/// A page on its way from the lister to the fetcher.
struct Listed {
    page: OrdersPage,
    /// The smallest upper bound of the pages so far (they should all be equal).
    upper_bound: Timestamp,
}

/// Work for the fetcher, in listing order.
enum Job {
    /// Fetch this order's items, then write it.
    Fetch(Order),
    /// Write this order as it is (its items came with the page).
    Write(Order),
    /// The page ends here.
    End { upper_bound: Timestamp, last: bool },
}

/// Work for the writer, in listing order.
enum Done {
    Order(Order),
    End { upper_bound: Timestamp, last: bool },
}

/// Everything one run's pipeline needs.
pub(crate) struct Pipeline<'a> {
    pub(crate) store: &'a Store,
    pub(crate) clock: &'a dyn Clock,
    pub(crate) source: &'a dyn OrderSource,
    pub(crate) connection_id: ConnectionId,
    pub(crate) window: Window,
    pub(crate) known: HashMap<AmazonOrderId, Known>,
    pub(crate) config: &'a ImportConfig,
    pub(crate) lease: &'a LeaseName,
    pub(crate) stats: &'a RunStats,
    pub(crate) cancel: &'a CancellationToken,
    pub(crate) progress: Option<&'a ProgressFn>,
}

impl Pipeline<'_> {
    /// Imports the window; returns the watermark written with the last page.
    pub(crate) async fn run(&self) -> Result<Timestamp, PipelineError> {
        let (page_tx, page_rx) = mpsc::channel::<Listed>(1);
        let (done_tx, done_rx) = mpsc::channel::<Done>(256);
        let (_, _, watermark) = tokio::try_join!(
            self.list(page_tx),
            self.fetch(page_rx, done_tx),
            self.write(done_rx)
        )?;
        watermark.ok_or(PipelineError::Cancelled)
    }

    async fn list(&self, pages: mpsc::Sender<Listed>) -> Result<(), PipelineError> {
        let mut token: Option<PageToken> = None;
        let mut tokens_seen: HashSet<PageToken> = HashSet::new();
        let mut upper_bound = Timestamp::MAX;
        loop {
            let page = with_retry(&self.config.retry, self.stats, self.cancel, || {
                self.source
                    .updated_orders_page(&self.window, token.as_ref())
            })
            .await?;
            upper_bound = upper_bound.min(page.upper_bound);
            let next = page.next.clone();
            if let Some(next) = &next
                && !tokens_seen.insert(next.clone())
            {
                return Err(PipelineError::Source(SourceError::new(
                    SourceErrorKind::Other,
                    "Orders.ListOrdersByNextToken",
                    "Amazon returned a NextToken it had already returned; stopped instead of looping",
                )));
            }
            if pages.send(Listed { page, upper_bound }).await.is_err() {
                // A later stage stopped; its error is the run's.
                return Ok(());
            }
            match next {
                Some(next) => token = Some(next),
                None => return Ok(()),
            }
        }
    }

    /// The jobs of one page: new or changed orders (items to fetch unless included), then the page's end.
    fn jobs(&self, listed: Listed) -> Vec<Job> {
        let Listed { page, upper_bound } = listed;
        let total = page.orders.len();
        let mut jobs = Vec::with_capacity(total + 1);
        for order in page.orders {
            let stored = self.known.get(&order.amazon_order_id);
            if stored.is_some_and(|known| known.covers(order.last_update_date)) {
                continue;
            }
            jobs.push(if page.items_included {
                Job::Write(order)
            } else {
                Job::Fetch(order)
            });
        }
        self.stats.page_listed(total, total - jobs.len());
        jobs.push(Job::End {
            upper_bound,
            last: page.next.is_none(),
        });
        jobs
    }

    async fn perform(&self, job: Job) -> Result<Done, PipelineError> {
        match job {
            Job::Fetch(mut order) => {
                let id = &order.amazon_order_id;
                let items = with_retry(&self.config.retry, self.stats, self.cancel, || async move {
                    let items = self.source.order_items(id).await?;
                    if items.is_empty() {
                        return Err(SourceError::new(
                            SourceErrorKind::Transient,
                            "Orders.ListOrderItems",
                            format!("Amazon listed no items for order {id}; every order has at least one"),
                        ));
                    }
                    Ok(items)
                })
                .await?;
                self.stats.item_call();
                order.items = items;
                Ok(Done::Order(order))
            }
            Job::Write(order) => Ok(Done::Order(order)),
            Job::End { upper_bound, last } => Ok(Done::End { upper_bound, last }),
        }
    }

    async fn fetch(&self, mut pages: mpsc::Receiver<Listed>, done: mpsc::Sender<Done>) -> Result<(), PipelineError> {
        let pages = stream::poll_fn(move |cx| pages.poll_recv(cx));
        let jobs = pages.flat_map(|listed| stream::iter(self.jobs(listed)));
        let results = jobs
            .map(|job| -> BoxFuture<'_, Result<Done, PipelineError>> { self.perform(job).boxed() })
            .buffered(self.config.items_concurrency.max(1));
        let mut results = std::pin::pin!(results);
        while let Some(result) = results.next().await {
            if done.send(result?).await.is_err() {
                return Ok(());
            }
        }
        Ok(())
    }

    async fn write(&self, mut done: mpsc::Receiver<Done>) -> Result<Option<Timestamp>, PipelineError> {
        let mut batch: Vec<Order> = Vec::new();
        while let Some(next) = done.recv().await {
            let (upper_bound, last) = match next {
                Done::Order(order) => {
                    batch.push(order);
                    continue;
                }
                Done::End { upper_bound, last } => (upper_bound, last),
            };
            let watermark = last.then(|| SyncWatermark {
                stream: SyncStream::orders(),
                last_updated_after: upper_bound,
            });
            let now = self.clock.now();
            let outcome = self
                .store
                .upsert_orders(self.connection_id, &batch, now, watermark.as_ref())
                .await?;
            batch.clear();
            self.stats.page_committed(
                outcome.inserted,
                outcome.updated,
                outcome.unchanged + outcome.skipped_older,
            );
            self.report_progress();
            if last {
                return Ok(Some(upper_bound));
            }
            let renewed = self
                .store
                .try_acquire_lease(self.lease, &self.config.owner, now, self.config.lease_ttl)
                .await?;
            if !renewed {
                return Err(PipelineError::LeaseLost);
            }
            if self.cancel.is_cancelled() {
                return Err(PipelineError::Cancelled);
            }
        }
        Ok(None)
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
