//! Building the notifications: what the reader needs to recognise the connection (merchant, seller, marketplace,
//! the developer ID to look for in Seller Central) and the event, with the delivery's id as idempotency key.

use jiff::Timestamp;
use sellerlink_domain::connection::{ApiAccount, Connection, Language, Merchant};
use sellerlink_notify::{
    Api, ConnectionSummary, Notification, NotificationKind, SellerCentralHost,
};
use sellerlink_store::{ChannelId, CycleKey, DeliveryId, DeliveryKind};

use crate::settings::ReminderSettings;

/// What a reader needs to recognise `connection` of `merchant`.
pub fn summary(
    connection: &Connection,
    merchant: &Merchant,
    settings: &ReminderSettings,
) -> ConnectionSummary {
    let home = &connection.marketplaces[0];
    let marketplace = home.id.marketplace();
    let (api, developer_id) = match &connection.account {
        ApiAccount::Mws { developer_id, .. } => (Api::Mws, developer_id.clone()),
        ApiAccount::SpApi { .. } => (Api::SpApi, settings.developer_id.clone()),
    };
    ConnectionSummary {
        connection_id: connection.id,
        merchant_name: merchant.name.clone(),
        seller_id: connection.account.seller_id(),
        marketplace: home
            .name
            .clone()
            .unwrap_or_else(|| marketplace.name.to_owned()),
        api,
        developer_name: settings.developer_name.clone(),
        developer_id,
        seller_central_host: settings
            .seller_central
            .clone()
            .unwrap_or_else(|| SellerCentralHost::of(marketplace)),
    }
}

/// The id of the delivery of one notification to one channel, the same whichever worker plans it: derived from
/// the connection, the kind, the cycle, the offset and the channel.
pub fn delivery_id(
    connection: &Connection,
    kind: DeliveryKind,
    cycle: &CycleKey,
    offset_days: Option<u16>,
    channel: ChannelId,
) -> DeliveryId {
    let offset = offset_days.map_or_else(|| "-".to_owned(), |days| days.to_string());
    let key = format!("{}:{cycle}:{offset}:{channel}", kind.as_str());
    DeliveryId::from_uuid(Notification::stable_id(connection.id, &key))
}

/// The notification a delivery sends.
pub fn notification(
    id: DeliveryId,
    kind: NotificationKind,
    connection: ConnectionSummary,
    language: Language,
    created_at: Timestamp,
) -> Notification {
    Notification {
        id: id.as_uuid(),
        kind,
        connection,
        language,
        created_at,
    }
}
