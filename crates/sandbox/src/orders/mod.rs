//! Orders: the model, the per-seller book and the time-window query with stable pagination.

pub mod book;
pub mod model;
pub mod query;

pub use book::{OrderBook, SellerOrders};
pub use model::{
    Address, FulfillmentChannel, Order, OrderItem, OrderState, OrderStatus, PaymentMethod,
    Shipment, Timeline,
};
pub use query::{Cursor, OrderQuery, TimeField};
