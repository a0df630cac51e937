//! [`AmazonGateway`]: the one interface to Amazon that the jobs of `sellerlink-sync` are written against,
//! API-neutral and in domain types.
//!
//! An MWS connection implements it with [`crate::MwsGateway`] and an SP-API connection with
//! [`crate::SpApiGateway`], so the import engine, verification, the shipper and the stock pusher are written once.

use std::fmt;
use std::time::Duration;

use futures::future::BoxFuture;
use jiff::Timestamp;
use sellerlink_domain::ids::{AmazonOrderId, MarketplaceId};
use sellerlink_domain::order::{Order, OrderItem};
use sellerlink_domain::refusal::RefusalCause;
use sellerlink_domain::unreadable::UnreadableOrder;

/// The future every [`AmazonGateway`] method returns.
pub type GatewayFuture<'a, T> = BoxFuture<'a, Result<T, GatewayError>>;

/// Orders changed in `[updated_after, updated_before]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The lower bound (`LastUpdatedAfter`).
    pub updated_after: Timestamp,
    /// The upper bound (`LastUpdatedBefore`); `None` lets Amazon choose its default, "now minus two minutes" on
    /// Amazon's own clock, which it echoes in [`OrdersPage::upper_bound`].
    pub updated_before: Option<Timestamp>,
}

/// Amazon's opaque continuation token of a listing (`NextToken`).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PageToken(String);

impl PageToken {
    /// Wraps a token exactly as Amazon sent it.
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// The token's text, to send back.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PageToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PageToken(<{} chars>)", self.0.len())
    }
}

/// One page of changed orders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrdersPage {
    /// The orders of this page. Their `items` are empty unless [`OrdersPage::items_included`].
    pub orders: Vec<Order>,
    /// The orders of this page that could not be read: the engine quarantines them with the page.
    pub unreadable: Vec<UnreadableOrder>,
    /// The token of the next page; `None` on the last page.
    pub next: Option<PageToken>,
    /// The upper bound Amazon applied to the window (`LastUpdatedBefore`, echoed): every order changed up to this
    /// instant is in this listing, so the next import may start from it.
    pub upper_bound: Timestamp,
    /// True when the page already carries each order's complete items (an SP-API `searchOrders` page does), so
    /// the engine does not call [`AmazonGateway::order_items`].
    pub items_included: bool,
}

/// A marketplace the seller account takes part in, as Amazon reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participation {
    /// The marketplace.
    pub marketplace_id: MarketplaceId,
    /// Amazon's name for it, e.g. `Amazon.co.jp`.
    pub name: Option<String>,
}

/// What kind of failure a [`GatewayError`] is, which decides what the engine does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GatewayErrorKind {
    /// Amazon throttled the call: wait `retry_after`, then call again.
    Throttled {
        /// How long to wait (zero when the gateway's own pacing already waits).
        retry_after: Duration,
    },
    /// Amazon refused the credential: pause the connection until it is verified again.
    AccessDenied {
        /// Who must act (mapped from the client's error in `mws::classify` or `spapi::classify`).
        cause: RefusalCause,
        /// Amazon's error code, e.g. `AccessDenied`.
        code: String,
        /// Amazon's error message, e.g. `Access to Orders.ListOrders is denied`.
        message: String,
    },
    /// A failure that may pass: 5xx, connection, timeout, a truncated or unreadable body. Retry with backoff.
    Transient,
    /// Amazon refused the request itself (4xx other than access), or the gateway refused it before sending.
    Invalid,
    /// Anything else (e.g. a listing that repeated its continuation token).
    Other,
}

impl GatewayErrorKind {
    /// A short stable name: `throttled`, the [`RefusalCause`]'s code, `transient`, `invalid`, `other`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Throttled { .. } => "throttled",
            Self::AccessDenied { cause, .. } => cause.code(),
            Self::Transient => "transient",
            Self::Invalid => "invalid",
            Self::Other => "other",
        }
    }
}

/// A failed call to Amazon, classified. The message never contains a secret (token, key or signed URL).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{operation}: {message}")]
pub struct GatewayError {
    /// The classification.
    pub kind: GatewayErrorKind,
    /// The operation that failed, e.g. `Orders.ListOrders`.
    pub operation: String,
    /// What happened, with Amazon's code and message when there were some.
    pub message: String,
}

impl GatewayError {
    /// A new error.
    pub fn new(
        kind: GatewayErrorKind,
        operation: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            operation: operation.into(),
            message: message.into(),
        }
    }
}

/// One seller account through one Amazon API: its changed orders and their items (the import), its marketplace
/// participations (verification), shipment confirmations and stock levels.
///
/// Every method is one logical call; the jobs retry throttled and transient failures themselves, so gateways
/// should not retry (except where a protocol needs it, e.g. a body failing its checksum).
pub trait AmazonGateway: Send + Sync {
    /// One page of orders changed within `window`: the first page when `page` is `None`, else the page `page`
    /// continues. Every page of one listing echoes the same [`OrdersPage::upper_bound`].
    fn updated_orders_page<'a>(
        &'a self,
        window: &'a Window,
        page: Option<&'a PageToken>,
    ) -> GatewayFuture<'a, OrdersPage>;

    /// Every item of an order (all pages).
    fn order_items<'a>(&'a self, order: &'a AmazonOrderId) -> GatewayFuture<'a, Vec<OrderItem>>;

    /// Proves the credential works: the marketplaces the seller account takes part in.
    fn verify(&self) -> GatewayFuture<'_, Vec<Participation>>;

    /// Tells Amazon a package left: accepted at once (SP-API `confirmShipment`), or handed over for processing
    /// (an MWS `_POST_ORDER_FULFILLMENT_DATA_` feed) whose outcome [`AmazonGateway::shipment_outcome`] reads later.
    fn submit_shipment<'a>(
        &'a self,
        shipment: &'a OutgoingShipment,
    ) -> GatewayFuture<'a, ShipmentSubmission>;

    /// What became of a shipment handed over for processing as `submission`.
    fn shipment_outcome<'a>(
        &'a self,
        submission: &'a str,
        order: &'a AmazonOrderId,
    ) -> GatewayFuture<'a, ShipmentOutcome>;

    /// Tells Amazon how many units of each SKU are available: per SKU at once (SP-API `patchListingsItem`), or
    /// all in one feed processed later (MWS `_POST_INVENTORY_AVAILABILITY_DATA_`).
    fn submit_stock<'a>(
        &'a self,
        levels: &'a [(String, u32)],
    ) -> GatewayFuture<'a, StockSubmission>;

    /// What became of the stock feed `submission`: per SKU, accepted or refused with Amazon's reason.
    fn stock_outcome<'a>(&'a self, submission: &'a str) -> GatewayFuture<'a, StockOutcome>;
}

/// Amazon's verdict on one SKU's quantity: accepted, or refused with Amazon's reason.
pub type SkuVerdict = (String, Result<(), String>);

/// Amazon's first answer to stock levels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StockSubmission {
    /// Answered at once, SKU by SKU.
    Answered(Vec<SkuVerdict>),
    /// Handed over for processing under this id; ask [`AmazonGateway::stock_outcome`] later.
    Processing {
        /// Amazon's submission id (an MWS `FeedSubmissionId`).
        submission: String,
    },
}

/// What processing made of stock levels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StockOutcome {
    /// Not processed yet; ask again later.
    Pending,
    /// Processed: the SKUs Amazon refused, with its reasons (every other SKU of the feed was accepted).
    Processed {
        /// Refused SKUs and why.
        refused: Vec<(String, String)>,
        /// Errors Amazon could not tie to a SKU (they concern the whole feed).
        whole_feed: Vec<String>,
    },
}

/// A package to confirm to Amazon: which order, who carries it, its tracking number, when it left and what is in
/// it. Checked before it is queued (carrier and tracking number 1–50 characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingShipment {
    /// The order.
    pub amazon_order_id: AmazonOrderId,
    /// The order's marketplace.
    pub marketplace_id: MarketplaceId,
    /// The carrier as Seller Central names it, e.g. `Yamato Transport`, `Japan Post`, `Sagawa Express`.
    pub carrier: String,
    /// The service, e.g. 宅急便.
    pub shipping_method: Option<String>,
    /// The carrier's tracking number.
    pub tracking_number: String,
    /// When the package left.
    pub ship_date: Timestamp,
    /// Amazon's order item ids and the units of each in the package.
    pub lines: Vec<(String, u32)>,
    /// A number unique per package of the order (`"1"` for the first); re-sending it edits that package.
    pub package_reference: String,
}

/// Amazon's first answer to a shipment confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShipmentSubmission {
    /// Accepted: the order is marked shipped.
    Accepted,
    /// Handed over for processing under this id; ask [`AmazonGateway::shipment_outcome`] later.
    Processing {
        /// Amazon's submission id (an MWS `FeedSubmissionId`).
        submission: String,
    },
}

/// What processing made of a shipment confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShipmentOutcome {
    /// Not processed yet; ask again later.
    Pending,
    /// Accepted: the order is marked shipped.
    Accepted,
    /// Refused, with Amazon's reason (e.g. the order was cancelled).
    Refused(String),
}
