//! Confirming shipments: what the 3PL typed is checked at the edge (each refusal names the field, in English and
//! Japanese), the package is made from the stored order's unshipped items, and the shipment is queued in the
//! store's outbox; the worker ([`sellerlink_sync::Shipper`]) sends it to Amazon.

use jiff::{SignedDuration, Timestamp};
use sellerlink_domain::audit::{Actor, AuditAction, AuditEntry};
use sellerlink_domain::ids::{AmazonOrderId, ConnectionId};
use sellerlink_domain::order::{FulfillmentChannel, OrderStatus, StoredOrder};
use sellerlink_store::{NewShipment, ShipmentFilter, ShipmentId, ShipmentLine, ShipmentRecord};
use sellerlink_sync::Shipper;

use crate::error::not_found;
use crate::{App, AppError};

/// The longest carrier name, service name or tracking number Amazon takes.
const MAX_TEXT: usize = 50;
/// How far ahead of now a ship date may lie (clocks and time zones differ a little, a day does not).
const FUTURE_SLACK: SignedDuration = SignedDuration::from_hours(1);

/// A package as typed: who carries it, its tracking number, when it left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShipmentInput {
    /// The carrier as Seller Central names it, e.g. `Yamato Transport`, `Japan Post`, `Sagawa Express`; any other
    /// name is sent as "Other" with the name.
    pub carrier: String,
    /// The service, e.g. 宅急便 (optional).
    pub shipping_method: Option<String>,
    /// The carrier's tracking number.
    pub tracking_number: String,
    /// When the package left; now when not given.
    pub ship_date: Option<Timestamp>,
}

fn refused(field: &'static str, en: String, ja: String) -> AppError {
    AppError::ShipmentRefused { field, en, ja }
}

/// A required text of at most 50 characters, without control characters.
fn text(field: &'static str, label_ja: &str, value: &str) -> Result<String, AppError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(refused(
            field,
            format!("is empty; expected 1–{MAX_TEXT} characters"),
            format!("{label_ja}を入力してください（1〜{MAX_TEXT}文字）。"),
        ));
    }
    if value.chars().count() > MAX_TEXT || value.chars().any(char::is_control) {
        return Err(refused(
            field,
            format!("is longer than {MAX_TEXT} characters or holds control characters"),
            format!("{label_ja}は改行などを含まない{MAX_TEXT}文字以内で入力してください。"),
        ));
    }
    Ok(value.to_owned())
}

/// A tracking number: 1–50 ASCII letters, digits and hyphens.
fn tracking_number(value: &str) -> Result<String, AppError> {
    let value = value.trim();
    let fits = (1..=MAX_TEXT).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if fits {
        Ok(value.to_owned())
    } else {
        Err(refused(
            "tracking_number",
            format!(
                "{value:?} is not a tracking number; expected 1–{MAX_TEXT} letters, digits and hyphens, e.g. 1234-5678-9012"
            ),
            format!(
                "追跡番号 {value:?} の形式が正しくありません。英数字とハイフン1〜{MAX_TEXT}文字（例: 1234-5678-9012）で入力してください。"
            ),
        ))
    }
}

/// The order's lines still to ship, or why the order cannot be confirmed.
fn unshipped_lines(stored: &StoredOrder) -> Result<Vec<ShipmentLine>, AppError> {
    let order = &stored.order;
    let id = &order.amazon_order_id;
    if order.fulfillment_channel == Some(FulfillmentChannel::Afn) {
        return Err(refused(
            "amazon_order_id",
            format!("{id} is fulfilled by Amazon (AFN); Amazon confirms its shipment itself"),
            format!("注文 {id} は Amazon 出荷（AFN）のため、出荷通知は Amazon が行います。"),
        ));
    }
    match order.status {
        OrderStatus::Canceled => {
            return Err(refused(
                "amazon_order_id",
                format!("{id} was cancelled; do not ship it"),
                format!("注文 {id} はキャンセルされています。出荷しないでください。"),
            ));
        }
        OrderStatus::Pending | OrderStatus::PendingAvailability => {
            return Err(refused(
                "amazon_order_id",
                format!(
                    "{id} is still pending (payment not confirmed); Amazon takes a shipment once it is Unshipped"
                ),
                format!(
                    "注文 {id} はまだ保留中（支払い未確定）です。未出荷（Unshipped）になってから出荷通知してください。"
                ),
            ));
        }
        _ => {}
    }
    let lines: Vec<ShipmentLine> = order
        .items
        .iter()
        .filter(|item| item.quantity_ordered > item.quantity_shipped)
        .map(|item| ShipmentLine {
            order_item_id: item.order_item_id.clone(),
            quantity: item.quantity_ordered - item.quantity_shipped,
        })
        .collect();
    if lines.is_empty() {
        return Err(refused(
            "amazon_order_id",
            format!("every item of {id} has shipped already"),
            format!("注文 {id} の商品はすべて出荷済みです。"),
        ));
    }
    Ok(lines)
}

impl App {
    /// Queues a shipment confirmation of the order `order_id` imported through `connection_id`: its unshipped
    /// items, with the typed carrier and tracking number. Idempotent: the same tracking number for the same order
    /// again returns the queued (or finished) shipment with `false` and changes nothing. The worker sends it.
    pub async fn queue_shipment(
        &self,
        connection_id: ConnectionId,
        order_id: &AmazonOrderId,
        input: ShipmentInput,
        actor: &Actor,
    ) -> Result<(ShipmentRecord, bool), AppError> {
        let carrier = text("carrier", "配送業者", &input.carrier)?;
        let tracking_number = tracking_number(&input.tracking_number)?;
        let shipping_method = input
            .shipping_method
            .as_deref()
            .filter(|m| !m.trim().is_empty())
            .map(|m| text("shipping_method", "配送方法", m))
            .transpose()?;
        let connection = self
            .store
            .connection(connection_id)
            .await
            .map_err(|e| not_found(e, AppError::ConnectionNotFound(connection_id)))?
            .connection;
        let stored = self
            .store
            .order(connection_id, order_id)
            .await?
            .ok_or_else(|| {
                refused(
                    "amazon_order_id",
                    format!(
                        "{order_id} has not been imported through connection {connection_id}; run `sellerlink sync` first"
                    ),
                    format!(
                        "注文 {order_id} はこの接続でまだ取り込まれていません。先に注文を取り込んでください（sellerlink sync）。"
                    ),
                )
            })?;
        let now = self.now();
        let ship_date = input.ship_date.unwrap_or(now);
        if ship_date > now.checked_add(FUTURE_SLACK).unwrap_or(Timestamp::MAX) {
            return Err(refused(
                "ship_date",
                format!("{ship_date} is in the future; give when the package left"),
                format!("出荷日時 {ship_date} が未来です。荷物が出た日時を入力してください。"),
            ));
        }
        if ship_date < stored.order.purchase_date {
            return Err(refused(
                "ship_date",
                format!(
                    "{ship_date} is before the order was placed ({})",
                    stored.order.purchase_date
                ),
                format!(
                    "出荷日時 {ship_date} が注文日時（{}）より前です。",
                    stored.order.purchase_date
                ),
            ));
        }
        let lines = unshipped_lines(&stored)?;
        let new = NewShipment {
            id: ShipmentId::new(),
            connection_id,
            amazon_order_id: order_id.clone(),
            carrier,
            shipping_method,
            tracking_number,
            ship_date,
            lines,
        };
        let audit = AuditEntry {
            merchant_id: connection.merchant_id,
            connection_id: Some(connection_id),
            actor: actor.clone(),
            action: AuditAction::ShipmentQueued,
            at: now,
            before: None,
            after: Some(serde_json::json!({
                "shipment_id": new.id.to_string(),
                "amazon_order_id": order_id.as_str(),
                "carrier": new.carrier,
                "tracking_number": new.tracking_number,
            })),
        };
        Ok(self.store.queue_shipment(&new, now, &audit).await?)
    }

    /// Shipments matching `filter`, newest first.
    pub async fn shipments(
        &self,
        filter: &ShipmentFilter,
    ) -> Result<Vec<ShipmentRecord>, AppError> {
        Ok(self.store.shipments(filter).await?)
    }

    /// The shipper that sends queued shipments (needs Amazon access configured).
    pub fn shipper(&self) -> Result<Shipper, AppError> {
        Ok(Shipper::new(self.importer()?.clone()))
    }
}
