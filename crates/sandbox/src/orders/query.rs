//! The time-window order query behind ListOrders, with pages in a stable (time, order ID) order.
//!
//! A page never repeats or skips an order of the window: the cursor is the (time, ID) key of the
//! last order returned and the next page starts strictly after it. An order that changes between
//! pages gets a LastUpdateDate after the pinned upper bound, leaves the window and is picked up by
//! the caller's next incremental query instead.

use std::cmp::Ordering;

use crate::ids::OrderId;
use crate::orders::book::SellerOrders;
use crate::orders::model::{FulfillmentChannel, Order, OrderState, OrderStatus, PaymentMethod};

/// Which instant the window applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeField {
    /// PurchaseDate (CreatedAfter/CreatedBefore).
    Created,
    /// LastUpdateDate (LastUpdatedAfter/LastUpdatedBefore).
    LastUpdated,
}

/// A validated order query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderQuery {
    /// The time field of the window.
    pub field: TimeField,
    /// Lower bound, inclusive (epoch ms).
    pub after_ms: i64,
    /// Upper bound, inclusive (epoch ms).
    pub before_ms: i64,
    /// Marketplaces to include (at least one).
    pub marketplaces: Vec<String>,
    /// Statuses to include; empty = all.
    pub statuses: Vec<OrderStatus>,
    /// Channels to include; empty = all.
    pub channels: Vec<FulfillmentChannel>,
    /// Payment methods to include; empty = all.
    pub payment_methods: Vec<PaymentMethod>,
    /// Only orders of this buyer e-mail.
    pub buyer_email: Option<String>,
    /// Only the order with this seller order ID.
    pub seller_order_id: Option<String>,
    /// Page size, 1–100.
    pub page_size: usize,
}

/// Where the previous page ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    /// The time key of the last order returned (epoch ms).
    pub time_ms: i64,
    /// Its ID.
    pub id: OrderId,
}

/// One page of results.
#[derive(Debug)]
pub struct Page<'a> {
    /// Orders with their state at the query instant, in (time, ID) order.
    pub orders: Vec<(&'a Order, OrderState)>,
    /// Where the next page starts, if there are more.
    pub next: Option<Cursor>,
}

impl OrderQuery {
    /// The time key of `order` if it matches the query at `now_ms`.
    pub fn key(&self, order: &Order, now_ms: i64) -> Option<(i64, OrderState)> {
        let state = order.state_at(now_ms)?;
        let time = match self.field {
            TimeField::Created => order.purchase_ms(),
            TimeField::LastUpdated => state.last_update_ms,
        };
        if time < self.after_ms || time > self.before_ms {
            return None;
        }
        if !self.marketplaces.iter().any(|m| m == order.marketplace_id) {
            return None;
        }
        if !self.statuses.is_empty() && !self.statuses.contains(&state.status) {
            return None;
        }
        if !self.channels.is_empty() && !self.channels.contains(&order.channel) {
            return None;
        }
        if !self.payment_methods.is_empty() && !self.payment_methods.contains(&order.payment) {
            return None;
        }
        if let Some(email) = &self.buyer_email
            && !order.buyer_email.eq_ignore_ascii_case(email)
        {
            return None;
        }
        if let Some(id) = &self.seller_order_id
            && order.seller_order_id() != id
        {
            return None;
        }
        Some((time, state))
    }

    /// The page after `after` (or the first page), evaluated at `now_ms`.
    pub fn page<'a>(
        &self,
        orders: &'a SellerOrders,
        after: Option<Cursor>,
        now_ms: i64,
    ) -> Page<'a> {
        let mut candidates: Vec<(i64, OrderId, &'a Order, OrderState)> = Vec::new();
        for order in orders.all() {
            let Some((time, state)) = self.key(order, now_ms) else {
                continue;
            };
            if let Some(cursor) = after
                && (time, order.id) <= (cursor.time_ms, cursor.id)
            {
                continue;
            }
            candidates.push((time, order.id, order, state));
        }
        let by_key = |a: &(i64, OrderId, &Order, OrderState),
                      b: &(i64, OrderId, &Order, OrderState)|
         -> Ordering { (a.0, a.1).cmp(&(b.0, b.1)) };
        let size = self.page_size.max(1);
        let more = candidates.len() > size;
        if more {
            candidates.select_nth_unstable_by(size, by_key);
            candidates.truncate(size);
        }
        candidates.sort_unstable_by(by_key);
        let next = if more {
            candidates.last().map(|(time, id, _, _)| Cursor {
                time_ms: *time,
                id: *id,
            })
        } else {
            None
        };
        Page {
            orders: candidates
                .into_iter()
                .map(|(_, _, order, state)| (order, state))
                .collect(),
            next,
        }
    }
}
