//! Where orders live: one [`SellerOrders`] per seller, plus world-wide uniqueness of order and
//! order-item IDs.

use std::collections::{HashMap, HashSet};

use crate::ids::OrderId;
use crate::orders::model::Order;

/// One seller's orders with an index by ID.
#[derive(Debug, Default)]
pub struct SellerOrders {
    orders: Vec<Order>,
    by_id: HashMap<OrderId, usize>,
}

impl SellerOrders {
    /// Every order, in insertion order.
    pub fn all(&self) -> &[Order] {
        &self.orders
    }

    /// The order with this ID.
    pub fn get(&self, id: &OrderId) -> Option<&Order> {
        self.by_id.get(id).map(|&i| &self.orders[i])
    }

    /// The order with this ID, mutable.
    pub fn get_mut(&mut self, id: &OrderId) -> Option<&mut Order> {
        self.by_id.get(id).map(|&i| &mut self.orders[i])
    }

    /// Number of orders.
    pub fn len(&self) -> usize {
        self.orders.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.orders.is_empty()
    }
}

/// Every seller's orders.
#[derive(Debug, Default)]
pub struct OrderBook {
    sellers: HashMap<String, SellerOrders>,
    order_ids: HashSet<OrderId>,
    item_ids: HashSet<u64>,
}

/// Why an order could not be added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddOrderError {
    /// The Amazon order ID exists already.
    #[error("order {0} exists already")]
    DuplicateOrder(String),
    /// An order item ID exists already.
    #[error("order item ID {0} exists already")]
    DuplicateItem(u64),
    /// The order has no items.
    #[error("an order needs at least one item")]
    NoItems,
}

impl OrderBook {
    /// The orders of a seller (empty if none).
    pub fn seller(&self, seller_id: &str) -> Option<&SellerOrders> {
        self.sellers.get(seller_id)
    }

    /// The orders of a seller, mutable.
    pub fn seller_mut(&mut self, seller_id: &str) -> Option<&mut SellerOrders> {
        self.sellers.get_mut(seller_id)
    }

    /// Reserves room for `additional` orders of a seller.
    pub fn reserve(&mut self, seller_id: &str, additional: usize) {
        let entry = self.sellers.entry(seller_id.to_owned()).or_default();
        entry.orders.reserve(additional);
        entry.by_id.reserve(additional);
        self.order_ids.reserve(additional);
        self.item_ids.reserve(additional * 2);
    }

    /// Whether an order ID is taken anywhere.
    pub fn order_id_taken(&self, id: &OrderId) -> bool {
        self.order_ids.contains(id)
    }

    /// Whether an order item ID is taken anywhere.
    pub fn item_id_taken(&self, id: u64) -> bool {
        self.item_ids.contains(&id)
    }

    /// Adds an order for a seller after checking ID uniqueness.
    pub fn insert(&mut self, seller_id: &str, order: Order) -> Result<(), AddOrderError> {
        if order.items.is_empty() {
            return Err(AddOrderError::NoItems);
        }
        if self.order_ids.contains(&order.id) {
            return Err(AddOrderError::DuplicateOrder(order.id.to_string()));
        }
        for (i, item) in order.items.iter().enumerate() {
            let repeated = order.items[..i]
                .iter()
                .any(|earlier| earlier.order_item_id == item.order_item_id);
            if repeated || self.item_ids.contains(&item.order_item_id) {
                return Err(AddOrderError::DuplicateItem(item.order_item_id));
            }
        }
        self.order_ids.insert(order.id);
        self.item_ids
            .extend(order.items.iter().map(|item| item.order_item_id));
        let entry = self.sellers.entry(seller_id.to_owned()).or_default();
        entry.by_id.insert(order.id, entry.orders.len());
        entry.orders.push(order);
        Ok(())
    }

    /// Total number of orders.
    pub fn total(&self) -> usize {
        self.order_ids.len()
    }
}
