//! The JSON the API sends and receives (each with its OpenAPI schema). Identifiers are UUIDs or Amazon's own
//! strings; instants are RFC 3339 UTC; dates are `YYYY-MM-DD` in the marketplace's calendar.

use jiff::Timestamp;
use jiff::civil::Date;
use sellerlink_app::ConnectionView;
use sellerlink_domain::connection::{ApiAccount, ConnectionStatus, Merchant};
use sellerlink_domain::lifecycle::Expiry;
use sellerlink_domain::order::{Address, Money, OrderItem, StoredOrder};
use sellerlink_store::{ApiKeyRecord, ListedOrder, SyncRun};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A merchant (a tenant of the 3PL).
#[derive(Debug, Serialize, ToSchema)]
pub struct MerchantOut {
    /// Its id.
    pub id: Uuid,
    /// Its display name.
    #[schema(example = "株式会社たくみ")]
    pub name: String,
    /// The language it reads: `ja` or `en`.
    #[schema(example = "ja")]
    pub language: String,
    /// When it was registered.
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

impl From<&Merchant> for MerchantOut {
    fn from(merchant: &Merchant) -> Self {
        Self {
            id: merchant.id.as_uuid(),
            name: merchant.name.to_string(),
            language: merchant.language.code().to_owned(),
            created_at: merchant.created_at,
        }
    }
}

/// A new merchant.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateMerchantIn {
    /// Display name, 1–100 characters.
    #[schema(example = "株式会社たくみ")]
    pub name: String,
    /// `ja` (default) or `en`.
    #[schema(example = "ja")]
    pub language: Option<String>,
}

/// A connection's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusName {
    /// Valid; the expiry (if any) is further away than the warning threshold.
    Active,
    /// Valid, but expiring within the threshold: approve access in Seller Central.
    ExpiringSoon,
    /// The expiry date has passed: restore access in Seller Central.
    Expired,
    /// The seller revoked access.
    Revoked,
    /// Amazon refused the credential.
    AccessDenied,
    /// Stored but never proven against Amazon.
    Unverified,
}

impl From<ConnectionStatus> for StatusName {
    fn from(status: ConnectionStatus) -> Self {
        match status {
            ConnectionStatus::Active => Self::Active,
            ConnectionStatus::ExpiringSoon { .. } => Self::ExpiringSoon,
            ConnectionStatus::Expired => Self::Expired,
            ConnectionStatus::Revoked => Self::Revoked,
            ConnectionStatus::AccessDenied => Self::AccessDenied,
            ConnectionStatus::Unverified => Self::Unverified,
        }
    }
}

/// A marketplace of a connection.
#[derive(Debug, Serialize, ToSchema)]
pub struct MarketplaceOut {
    /// Amazon's marketplace id.
    #[schema(example = "A1VC38T7YXB528")]
    pub id: String,
    /// Amazon's name for it, once verified.
    #[schema(example = "Amazon.co.jp")]
    pub name: Option<String>,
}

/// Amazon's refusal of a credential.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessDeniedOut {
    /// When Amazon refused it.
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    /// The classified cause, e.g. `access_denied`.
    pub cause: String,
    /// Amazon's code and message.
    pub detail: String,
}

/// One connection of a merchant to an Amazon seller account. The credential is never returned, only masked.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConnectionOut {
    /// Its id.
    pub id: Uuid,
    /// The merchant.
    pub merchant_id: Uuid,
    /// `mws` or `sp_api`.
    #[schema(example = "mws")]
    pub api: String,
    /// The seller account's merchant token.
    #[schema(example = "A1B2C3D4E5F6G7")]
    pub seller_id: String,
    /// The developer ID the seller granted access to (MWS).
    #[schema(example = "5259-6479-4073")]
    pub developer_id: Option<String>,
    /// The marketplaces; the first is the home marketplace.
    pub marketplaces: Vec<MarketplaceOut>,
    /// The status now.
    pub status: StatusName,
    /// Whole days until the expiry date (negative once expired), if the expiry feature is on.
    pub days_until_expiry: Option<i32>,
    /// When access was granted.
    #[schema(value_type = String, format = DateTime)]
    pub granted_at: Timestamp,
    /// The last day access was granted, approved or restored.
    #[schema(value_type = String, format = Date)]
    pub last_approved_on: Date,
    /// Whether the yearly expiry feature is on.
    pub expiry_enabled: bool,
    /// The first day without access, if the expiry feature is on.
    #[schema(value_type = Option<String>, format = Date)]
    pub expires_on: Option<Date>,
    /// When the seller revoked access.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub revoked_at: Option<Timestamp>,
    /// Amazon's refusal on record.
    pub access_denied: Option<AccessDeniedOut>,
    /// When Amazon last accepted the credential.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub verified_at: Option<Timestamp>,
    /// When the connection was added.
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// The credential, masked, e.g. `amzn.mws.…c0ffee`.
    #[schema(example = "amzn.mws.…c0ffee")]
    pub credential_masked: String,
    /// The newest sync run.
    pub last_sync: Option<SyncRunOut>,
}

impl ConnectionOut {
    pub(crate) fn new(view: &ConnectionView, last_sync: Option<&SyncRun>) -> Self {
        let connection = &view.connection;
        let grant = &connection.grant;
        let developer_id = match &connection.account {
            ApiAccount::Mws { developer_id, .. } => Some(developer_id.dashed()),
            ApiAccount::SpApi { .. } => None,
        };
        Self {
            id: connection.id.as_uuid(),
            merchant_id: connection.merchant_id.as_uuid(),
            api: connection.account.api_name().to_owned(),
            seller_id: connection.account.seller_id().to_string(),
            developer_id,
            marketplaces: connection
                .marketplaces
                .iter()
                .map(|m| MarketplaceOut {
                    id: m.id.to_string(),
                    name: m.name.clone(),
                })
                .collect(),
            status: view.status.into(),
            days_until_expiry: view.days_until_expiry,
            granted_at: grant.granted_at,
            last_approved_on: grant.last_approved_on,
            expiry_enabled: matches!(grant.expiry, Expiry::Enabled { .. }),
            expires_on: view.expires_on,
            revoked_at: grant.revoked_at,
            access_denied: grant.access_denied.as_ref().map(|d| AccessDeniedOut {
                at: d.at,
                cause: d.cause.code().to_owned(),
                detail: d.detail.clone(),
            }),
            verified_at: connection.verified_at,
            created_at: connection.created_at,
            credential_masked: view.credential_masked.clone(),
            last_sync: last_sync.map(SyncRunOut::from),
        }
    }
}

/// A new MWS connection: the three values Seller Central showed on its completion page (the guide's step ⑤).
#[derive(Deserialize, ToSchema)]
pub struct CreateConnectionIn {
    /// The merchant (operators must give it; a merchant's own is used otherwise).
    pub merchant_id: Option<Uuid>,
    /// Seller ID (出品者ID).
    #[schema(example = "A1B2C3D4E5F6G7")]
    pub seller_id: String,
    /// Marketplace ID (マーケットプレイスID).
    #[schema(example = "A1VC38T7YXB528")]
    pub marketplace_id: String,
    /// MWS Auth Token (MWS認証トークン); stored sealed, never returned.
    #[schema(example = "amzn.mws.01234567-89ab-cdef-0123-456789abcdef")]
    pub mws_auth_token: String,
}

/// A lifecycle action the merchant took in Seller Central.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionName {
    /// "Approve access" (renew, R2) was clicked today.
    Renew,
    /// "Restore access" (after expiry, R3) was clicked today.
    Restore,
    /// The expiry feature was switched on (irreversible, R4–R5).
    EnableExpiry,
    /// Access was revoked.
    Revoke,
}

/// The body of a lifecycle action.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ActionIn {
    /// The action.
    pub action: ActionName,
}

/// What verifying a connection against Amazon found.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerifyOut {
    /// `verified` or `access_denied`.
    #[schema(example = "verified")]
    pub outcome: String,
    /// Amazon's answer when it refused.
    pub message: Option<String>,
    /// The connection afterwards.
    pub connection: ConnectionOut,
}

/// The error that ended a sync run.
#[derive(Debug, Serialize, ToSchema)]
pub struct SyncErrorOut {
    /// e.g. `throttled`, `access_denied`, `transient`.
    pub kind: String,
    /// What happened.
    pub message: String,
}

/// One order import run of a connection.
#[derive(Debug, Serialize, ToSchema)]
pub struct SyncRunOut {
    /// Its id.
    pub id: Uuid,
    /// The connection.
    pub connection_id: Uuid,
    /// When it started.
    #[schema(value_type = String, format = DateTime)]
    pub started_at: Timestamp,
    /// When it ended; absent while running.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub finished_at: Option<Timestamp>,
    /// `ok`, `paused_access_denied` or `failed`; absent while running.
    pub outcome: Option<String>,
    /// Pages read from Amazon.
    pub pages: u32,
    /// Orders stored for the first time.
    pub orders_new: u64,
    /// Stored orders that changed.
    pub orders_changed: u64,
    /// The error it ended on.
    pub error: Option<SyncErrorOut>,
}

impl From<&SyncRun> for SyncRunOut {
    fn from(run: &SyncRun) -> Self {
        let result = run.result.as_ref();
        Self {
            id: run.id.as_uuid(),
            connection_id: run.connection_id.as_uuid(),
            started_at: run.started_at,
            finished_at: result.map(|r| r.finished_at),
            outcome: result.map(|r| r.outcome.as_str().to_owned()),
            pages: result.map_or(0, |r| r.pages),
            orders_new: result.map_or(0, |r| r.orders_new),
            orders_changed: result.map_or(0, |r| r.orders_changed),
            error: result.and_then(|r| r.error.as_ref()).map(|e| SyncErrorOut {
                kind: e.kind.clone(),
                message: e.message.clone(),
            }),
        }
    }
}

/// What an import started through the API did.
#[derive(Debug, Serialize, ToSchema)]
pub struct SyncStartedOut {
    /// `completed`, `paused_access_denied`, `failed`, `paused` or `lease_held`.
    #[schema(example = "completed")]
    pub outcome: String,
    /// Orders stored for the first time.
    pub orders_new: u64,
    /// Stored orders that changed.
    pub orders_changed: u64,
    /// The recorded run, if one ran.
    pub run: Option<SyncRunOut>,
}

/// Query of the sync-run list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SyncRunsQuery {
    /// How many runs, newest first (1–100, default 20).
    #[param(value_type = Option<u32>)]
    pub limit: Option<String>,
}

/// Query of the connection list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConnectionsQuery {
    /// Only this merchant's connections (operators; a merchant always sees only its own).
    pub merchant_id: Option<Uuid>,
}

/// An amount of money, with exactly its currency's decimals whichever API imported it (`7360` JPY, `12.50` USD).
#[derive(Debug, Serialize, ToSchema)]
pub struct MoneyOut {
    /// ISO 4217 code.
    #[schema(example = "JPY")]
    pub currency: String,
    /// Decimal amount with the currency's decimals (none for JPY).
    #[schema(example = "1507")]
    pub amount: String,
}

impl From<&Money> for MoneyOut {
    fn from(money: &Money) -> Self {
        let money = money.normalized().unwrap_or_else(|| money.clone());
        Self {
            currency: money.currency,
            amount: money.amount,
        }
    }
}

/// An order in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderOut {
    /// The connection it was imported through.
    pub connection_id: Uuid,
    /// Amazon's order number.
    #[schema(example = "503-1234567-1234567")]
    pub amazon_order_id: String,
    /// The marketplace.
    #[schema(example = "A1VC38T7YXB528")]
    pub marketplace_id: String,
    /// Amazon's order status, e.g. `Unshipped`.
    #[schema(example = "Unshipped")]
    pub status: String,
    /// `MFN` (the 3PL ships) or `AFN` (Amazon ships).
    pub fulfillment_channel: Option<String>,
    /// When it was bought.
    #[schema(value_type = String, format = DateTime)]
    pub purchase_date: Timestamp,
    /// Amazon's last change of it.
    #[schema(value_type = String, format = DateTime)]
    pub last_update_date: Timestamp,
    /// The order total.
    pub order_total: Option<MoneyOut>,
    /// e.g. `Amazon.co.jp`.
    pub sales_channel: Option<String>,
    /// e.g. `Std JP Kanto8`.
    pub ship_service_level: Option<String>,
    /// Ship by.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub latest_ship_date: Option<Timestamp>,
    /// Number of lines.
    pub item_count: u64,
}

impl OrderOut {
    /// The order's fields beside its number of items (the order's own `items` may be left out).
    fn with_item_count(stored: &StoredOrder, item_count: u64) -> Self {
        let order = &stored.order;
        Self {
            connection_id: stored.connection_id.as_uuid(),
            amazon_order_id: order.amazon_order_id.to_string(),
            marketplace_id: order.marketplace_id.to_string(),
            status: order.status.to_string(),
            fulfillment_channel: order.fulfillment_channel.map(|c| c.as_str().to_owned()),
            purchase_date: order.purchase_date,
            last_update_date: order.last_update_date,
            order_total: order.order_total.as_ref().map(MoneyOut::from),
            sales_channel: order.sales_channel.clone(),
            ship_service_level: order.ship_service_level.clone(),
            latest_ship_date: order.latest_ship_date,
            item_count,
        }
    }
}

impl From<&ListedOrder> for OrderOut {
    fn from(listed: &ListedOrder) -> Self {
        Self::with_item_count(&listed.stored, listed.item_count)
    }
}

/// A delivery address.
#[derive(Debug, Serialize, ToSchema)]
pub struct AddressOut {
    /// Recipient.
    pub name: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// Prefecture or state.
    pub state_or_region: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Address line 1.
    pub address_line1: Option<String>,
    /// Address line 2.
    pub address_line2: Option<String>,
    /// Address line 3.
    pub address_line3: Option<String>,
    /// ISO country code.
    pub country_code: Option<String>,
    /// Phone.
    pub phone: Option<String>,
}

impl From<&Address> for AddressOut {
    fn from(a: &Address) -> Self {
        Self {
            name: a.name.clone(),
            postal_code: a.postal_code.clone(),
            state_or_region: a.state_or_region.clone(),
            city: a.city.clone(),
            address_line1: a.address_line1.clone(),
            address_line2: a.address_line2.clone(),
            address_line3: a.address_line3.clone(),
            country_code: a.country_code.clone(),
            phone: a.phone.clone(),
        }
    }
}

/// One line of an order.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemOut {
    /// Amazon's item id.
    pub order_item_id: String,
    /// ASIN.
    pub asin: String,
    /// The seller's SKU.
    pub seller_sku: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Quantity ordered.
    pub quantity_ordered: u32,
    /// Quantity shipped.
    pub quantity_shipped: u32,
    /// Item price.
    pub item_price: Option<MoneyOut>,
    /// Shipping price.
    pub shipping_price: Option<MoneyOut>,
}

impl From<&OrderItem> for ItemOut {
    fn from(item: &OrderItem) -> Self {
        Self {
            order_item_id: item.order_item_id.clone(),
            asin: item.asin.clone(),
            seller_sku: item.seller_sku.clone(),
            title: item.title.clone(),
            quantity_ordered: item.quantity_ordered,
            quantity_shipped: item.quantity_shipped,
            item_price: item.item_price.as_ref().map(MoneyOut::from),
            shipping_price: item.shipping_price.as_ref().map(MoneyOut::from),
        }
    }
}

/// An order with its items and delivery details.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderDetailOut {
    /// The order.
    #[serde(flatten)]
    pub order: OrderOut,
    /// Buyer.
    pub buyer_name: Option<String>,
    /// Where to ship.
    pub shipping_address: Option<AddressOut>,
    /// e.g. `COD`, `Other`.
    pub payment_method: Option<String>,
    /// The lines.
    pub items: Vec<ItemOut>,
}

impl From<&StoredOrder> for OrderDetailOut {
    fn from(stored: &StoredOrder) -> Self {
        let order = &stored.order;
        Self {
            order: OrderOut::with_item_count(stored, order.items.len() as u64),
            buyer_name: order.buyer_name.clone(),
            shipping_address: order.shipping_address.as_ref().map(AddressOut::from),
            payment_method: order.payment_method.clone().map(String::from),
            items: order.items.iter().map(ItemOut::from).collect(),
        }
    }
}

/// A page of orders.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderPageOut {
    /// The orders, newest purchase first.
    pub orders: Vec<OrderOut>,
    /// This page (from 1).
    pub page: u32,
    /// Orders per page.
    pub per_page: u32,
    /// Orders matching the filters.
    pub total: u64,
}

/// Filters and paging of the order list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrdersQuery {
    /// Only this merchant's orders (operators).
    pub merchant_id: Option<Uuid>,
    /// Only this connection's orders.
    pub connection_id: Option<Uuid>,
    /// Comma-separated statuses, e.g. `Unshipped,PartiallyShipped`.
    pub status: Option<String>,
    /// Only this marketplace.
    pub marketplace_id: Option<String>,
    /// `MFN` or `AFN`.
    pub channel: Option<String>,
    /// Purchased at or after this instant (RFC 3339).
    pub purchased_after: Option<String>,
    /// Purchased before this instant (RFC 3339).
    pub purchased_before: Option<String>,
    /// Only orders still to ship (Unshipped, PartiallyShipped) that are `due_today` (ship-by date today, Japan time)
    /// or `overdue` (ship-by date passed).
    #[param(example = "overdue")]
    pub ship_by: Option<String>,
    /// `-purchase_date` (newest order first, the default), `ship_by` (earliest ship-by date first; orders without
    /// one last) or `-ship_by` (latest first).
    #[param(example = "ship_by")]
    pub sort: Option<String>,
    /// Page number, 1–10000 (default 1).
    #[param(value_type = Option<u32>)]
    pub page: Option<String>,
    /// Orders per page, 1–200 (default 50).
    #[param(value_type = Option<u32>)]
    pub per_page: Option<String>,
}

/// An API key (never the key itself after creation).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyOut {
    /// Its id.
    pub id: Uuid,
    /// The merchant's name for it.
    pub name: String,
    /// Its first 8 characters.
    #[schema(example = "sl_AbCdE")]
    pub prefix: String,
    /// What it may do: `connections:read`, `connections:manage`, `orders:read`, `shipments:write`, `stock:write`,
    /// `notifications:read`, `notifications:manage`.
    #[schema(example = json!(["orders:read", "shipments:write"]))]
    pub scopes: Vec<String>,
    /// When it was created.
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// When it was revoked.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub revoked_at: Option<Timestamp>,
    /// When it was last used (to the minute).
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_used: Option<Timestamp>,
}

impl From<&ApiKeyRecord> for ApiKeyOut {
    fn from(key: &ApiKeyRecord) -> Self {
        Self {
            id: key.id.as_uuid(),
            name: key.name.to_string(),
            prefix: key.prefix.clone(),
            scopes: key.scopes.codes().map(str::to_owned).collect(),
            created_at: key.created_at,
            revoked_at: key.revoked_at,
            last_used: key.last_used,
        }
    }
}

/// A key just created. `key` is shown this once and never again.
#[derive(Serialize, ToSchema)]
pub struct CreatedApiKeyOut {
    /// The key: send it as `Authorization: Bearer <key>`.
    #[schema(example = "sl_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg")]
    pub key: String,
    /// The stored key.
    pub api_key: ApiKeyOut,
}

/// A new API key.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateApiKeyIn {
    /// What the key is for, 1–100 characters.
    #[schema(example = "WMS import")]
    pub name: String,
    /// What it may do, at least one of `connections:read`, `connections:manage`, `orders:read`, `shipments:write`,
    /// `stock:write`, `notifications:read`, `notifications:manage`. No scope creates keys or notification channels:
    /// that needs a signed-in session.
    #[serde(default)]
    #[schema(example = json!(["orders:read", "shipments:write"]))]
    pub scopes: Vec<String>,
}
