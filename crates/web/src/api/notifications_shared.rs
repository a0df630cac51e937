//! What the notification pages and endpoints share: channels looked up within the caller's scope, new channels
//! parsed at the edge and added, switched or tried through the app's use cases, and the notification log narrowed
//! to the caller.
//!
//! Tenancy: a merchant sees its own channels and the deliveries about itself. A delivery about it that went to
//! one of the operator's channels is listed too (the merchant may see that the operator was told), but without
//! the operator's address or error text. The operator's channels, and other merchants' channels, answer 404.

use std::collections::{HashMap, HashSet};

use axum::http::StatusCode;
use secrecy::SecretString;
use sellerlink_app::AppError;
use sellerlink_domain::connection::Language;
use sellerlink_domain::ids::{ConnectionId, MerchantId};
use sellerlink_notify::WebhookSecret;
use sellerlink_reminders::{ChannelTarget, ReminderError};
use sellerlink_store::{
    ChannelId, ChannelKind, ChannelOwner, DeliveryKind, DeliveryQuery, DeliveryRecord,
    DeliveryState, NotificationChannel, StoreError,
};

use crate::error::{HttpError, echo};
use crate::state::WebState;
use crate::tenancy::Scope;

/// Deliveries per page when none is asked for.
pub(crate) const DEFAULT_PER_PAGE: u32 = 50;
/// The most deliveries one page holds.
pub(crate) const MAX_PER_PAGE: u32 = 200;

/// 503 `notifications_not_configured`: the app was started without its notification senders.
fn not_configured() -> HttpError {
    HttpError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "notifications_not_configured",
        "sellerlink was started without its notification senders, so channels cannot be added, switched or \
         tried; ask the operator to start it with `sellerlink serve`.",
        "sellerlink が通知の送信設定なしで起動されているため、通知チャネルの追加・停止・テスト送信はできません。\
         運用担当者に `sellerlink serve` での起動を依頼してください。",
    )
}

/// Refuses every channel change with 503 when the app has no notification senders (before any input is read).
fn ensure_configured(state: &WebState) -> Result<(), HttpError> {
    state
        .app()
        .notifications()
        .map(|_| ())
        .map_err(|_| not_configured())
}

/// A failure of a notification-channel use case as an HTTP error; `field` names the request field that held the
/// address.
fn channel_use_case_error(error: AppError, field: &'static str) -> HttpError {
    match error {
        AppError::Notifications(error) => reminder_error(error, field),
        AppError::NotConfigured { .. } => not_configured(),
        other => other.into(),
    }
}

/// The 404 of a channel that is not there (or not the caller's).
pub(crate) fn channel_not_found() -> HttpError {
    HttpError::not_found("notification channel", "通知チャネル")
}

/// A failure of the reminders service as an HTTP error; `field` names the request field that held the address.
pub(crate) fn reminder_error(error: ReminderError, field: &'static str) -> HttpError {
    match error {
        ReminderError::ChannelNotFound(_) => channel_not_found(),
        ReminderError::MerchantNotFound(_) => crate::tenancy::merchant_not_found(),
        ReminderError::NoConnectionToShow { .. } => HttpError::new(
            StatusCode::CONFLICT,
            "no_connection_to_show",
            "A test message shows one of the merchant's Amazon connections, and there is none yet; connect an \
             Amazon account first, then send the test again.",
            "テストメッセージには荷主の Amazon 接続を1件表示しますが、まだ接続がありません。先に Amazon アカウントを\
             接続してから、もう一度テスト送信してください。",
        ),
        ReminderError::InvalidChannel { .. } => HttpError::invalid(
            field,
            error.to_string(),
            "メールアドレスの形式が正しくありません。taro@example.co.jp または 山田太郎 <taro@example.co.jp> の形式で\
             入力してください。",
        ),
        ReminderError::InvalidWebhook(_) => HttpError::invalid(
            field,
            error.to_string(),
            "Webhook URL が正しくありません。http または https の URL（例: https://example.com/hooks/sellerlink）を\
             ユーザー名・パスワードなしで入力してください。",
        ),
        ReminderError::Store(store) => store.into(),
        other => HttpError::internal(&other),
    }
}

/// A channel id from a path; one that does not parse names nothing, so it is a 404 like any unknown id.
fn channel_id(text: &str) -> Result<ChannelId, HttpError> {
    ChannelId::parse(text).map_err(|_| channel_not_found())
}

/// Whether `scope` may see and change `channel`: operators every channel, a merchant its own only.
pub(crate) fn owns(scope: Scope, channel: &NotificationChannel) -> bool {
    match (scope, channel.owner) {
        (Scope::All, _) => true,
        (Scope::Merchant(own), ChannelOwner::Merchant(merchant)) => own == merchant,
        (Scope::Merchant(_), ChannelOwner::Operator) => false,
    }
}

/// The channel with this id if the caller may see it, else 404 (the same answer as for no channel at all).
pub(crate) async fn channel_in_scope(
    state: &WebState,
    scope: Scope,
    id: &str,
) -> Result<NotificationChannel, HttpError> {
    let id = channel_id(id)?;
    let channel = state
        .store()
        .notification_channel(id)
        .await
        .map_err(|error| match error {
            StoreError::NotFound { .. } => channel_not_found(),
            other => other.into(),
        })?;
    if owns(scope, &channel) {
        Ok(channel)
    } else {
        Err(channel_not_found())
    }
}

/// A language of channel messages as typed (`ja`, `en`; blank = the owner's default).
pub(crate) fn language(
    field: &'static str,
    text: Option<&str>,
) -> Result<Option<Language>, HttpError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => Language::parse(text).map(Some).ok_or_else(|| {
            HttpError::invalid(
                field,
                format!(
                    "{field}: {} is not a language; expected ja or en",
                    echo(text)
                ),
                format!(
                    "{field}: {} は言語として読めません。ja または en を指定してください。",
                    echo(text)
                ),
            )
        }),
    }
}

/// Adds a channel for `owner` from what was typed. A webhook gets a new signing secret, returned to be shown
/// this once; it is sealed before the store sees it. A merchant's webhook must point at a public address unless
/// the config allows private ones ([`crate::webhook_hosts`]). `field` is the request field that holds the address.
pub(crate) async fn add_channel(
    state: &WebState,
    owner: ChannelOwner,
    kind: ChannelKind,
    address: &str,
    language: Option<Language>,
    field: &'static str,
) -> Result<(NotificationChannel, Option<SecretString>), HttpError> {
    ensure_configured(state)?;
    let (target, secret) = match kind {
        ChannelKind::Email => (
            ChannelTarget::email(address).map_err(|e| reminder_error(e, field))?,
            None,
        ),
        ChannelKind::Webhook => {
            let secret = WebhookSecret::generate();
            let shown = SecretString::from(secret.expose_secret().to_owned());
            let target =
                ChannelTarget::webhook(address, secret).map_err(|e| reminder_error(e, field))?;
            if matches!(owner, ChannelOwner::Merchant(_)) && !state.config().allow_private_webhooks
            {
                crate::webhook_hosts::ensure_public(address, field).await?;
            }
            (target, Some(shown))
        }
    };
    let channel = state
        .app()
        .add_notification_channel(owner, target, language)
        .await
        .map_err(|e| channel_use_case_error(e, field))?;
    Ok((channel, secret))
}

/// Switches a channel off (`disabled`) or on again.
pub(crate) async fn set_disabled(
    state: &WebState,
    channel: &NotificationChannel,
    disabled: bool,
) -> Result<(), HttpError> {
    state
        .app()
        .set_notification_channel_disabled(channel.id, disabled)
        .await
        .map_err(|e| channel_use_case_error(e, "channel_id"))
}

/// Sends a test message to a channel now and returns its log record (delivered, or failed with the reason).
pub(crate) async fn send_test(
    state: &WebState,
    channel: &NotificationChannel,
) -> Result<DeliveryRecord, HttpError> {
    let record = state
        .app()
        .send_test_notification(channel.id)
        .await
        .map_err(|e| channel_use_case_error(e, "channel_id"))?;
    tracing::info!(
        channel.id = %channel.id,
        delivery.id = %record.id,
        delivery.state = record.state.as_str(),
        "test notification sent"
    );
    Ok(record)
}

/// The channels a scope sees: a merchant's own; for operators one merchant's, or (no merchant) their own and
/// every merchant's.
pub(crate) async fn channels_in_scope(
    state: &WebState,
    scope: Scope,
    merchant: Option<MerchantId>,
) -> Result<Vec<NotificationChannel>, HttpError> {
    let store = state.store();
    match scope.narrow(merchant)? {
        Some(merchant) => {
            scope.merchant_record(state.app(), merchant).await?;
            Ok(store
                .notification_channels(ChannelOwner::Merchant(merchant))
                .await?)
        }
        None => {
            let mut all = store.notification_channels(ChannelOwner::Operator).await?;
            for merchant in state.app().merchants().await? {
                all.extend(
                    store
                        .notification_channels(ChannelOwner::Merchant(merchant.id))
                        .await?,
                );
            }
            Ok(all)
        }
    }
}

/// The log's filters, parsed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct LogFilter {
    pub merchant: Option<MerchantId>,
    pub connection: Option<ConnectionId>,
    pub channel: Option<ChannelId>,
    pub kind: Option<DeliveryKind>,
    pub state: Option<DeliveryState>,
    /// From 1.
    pub page: u32,
    pub per_page: u32,
}

/// A delivery state as typed: a stored name, or `pending` for `planned`.
pub(crate) fn delivery_state(text: Option<&str>) -> Result<Option<DeliveryState>, HttpError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some("pending") => Ok(Some(DeliveryState::Planned)),
        Some(text) => DeliveryState::parse(text).map(Some).ok_or_else(|| {
            HttpError::invalid(
                "status",
                format!(
                    "status: {} is not a delivery status; expected delivered, failed, pending, sending or skipped", echo(text)
                ),
                format!(
                    "status: {} は配信状況として読めません。delivered、failed、pending、sending、skipped のいずれかを指定してください。", echo(text)
                ),
            )
        }),
    }
}

/// A delivery kind as typed.
pub(crate) fn delivery_kind(text: Option<&str>) -> Result<Option<DeliveryKind>, HttpError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => DeliveryKind::parse(text).map(Some).ok_or_else(|| {
            HttpError::invalid(
                "kind",
                format!(
                    "kind: {} is not a notification kind; expected expiry_reminder, access_lost, access_restored or test", echo(text)
                ),
                format!(
                    "kind: {} は通知の種類として読めません。expiry_reminder、access_lost、access_restored、test のいずれかを指定してください。", echo(text)
                ),
            )
        }),
    }
}

/// One line of the log with what the caller may see of it.
#[derive(Debug, Clone)]
pub(crate) struct LogEntry {
    pub record: DeliveryRecord,
    pub merchant_name: Option<String>,
    pub seller_id: Option<String>,
    /// It went to one of the operator's channels.
    pub to_operator: bool,
    /// The caller is a merchant, and this went to the operator: its address and error are not shown.
    pub hidden: bool,
}

impl LogEntry {
    /// Whether the recipient and the error text may be shown.
    pub(crate) fn shows_details(&self) -> bool {
        !self.hidden
    }
}

/// A page of the log.
#[derive(Debug, Clone)]
pub(crate) struct LogPage {
    pub entries: Vec<LogEntry>,
    pub page: u32,
    pub per_page: u32,
    pub has_more: bool,
}

/// The log page `filter` asks for, narrowed to `scope` (404 for another merchant, or another merchant's
/// connection or channel), newest first.
pub(crate) async fn log_page(
    state: &WebState,
    scope: Scope,
    filter: &LogFilter,
) -> Result<LogPage, HttpError> {
    let merchant = scope.narrow(filter.merchant)?;
    if let Some(connection) = filter.connection {
        scope.connection(state.app(), connection).await?;
    }
    if let Some(channel) = filter.channel {
        channel_in_scope(state, scope, &channel.to_string()).await?;
    }
    let query = DeliveryQuery {
        merchant,
        connection: filter.connection,
        channel: filter.channel,
        kind: filter.kind,
        state: filter.state,
        limit: filter.per_page + 1,
        offset: (filter.page - 1) * filter.per_page,
    };
    let store = state.store();
    let mut records = store.deliveries(&query).await?;
    let has_more = records.len() > filter.per_page as usize;
    records.truncate(filter.per_page as usize);

    // Which channels are the operator's, and what names to show.
    let merchant_channels: HashSet<ChannelId> = match scope {
        Scope::Merchant(own) => store
            .notification_channels(ChannelOwner::Merchant(own))
            .await?
            .iter()
            .map(|c| c.id)
            .collect(),
        Scope::All => HashSet::new(),
    };
    let operator_channels: HashSet<ChannelId> = store
        .notification_channels(ChannelOwner::Operator)
        .await?
        .iter()
        .map(|c| c.id)
        .collect();
    let names: HashMap<MerchantId, String> = match scope {
        Scope::All => state
            .app()
            .merchants()
            .await?
            .into_iter()
            .map(|m| (m.id, m.name.to_string()))
            .collect(),
        Scope::Merchant(own) => {
            let record = scope.merchant_record(state.app(), own).await?;
            HashMap::from([(own, record.name.to_string())])
        }
    };
    let mut sellers: HashMap<ConnectionId, Option<String>> = HashMap::new();
    for id in records.iter().filter_map(|r| r.connection_id) {
        if sellers.contains_key(&id) {
            continue;
        }
        let seller = match store.connection(id).await {
            Ok(stored) => Some(stored.connection.account.seller_id().to_string()),
            Err(StoreError::NotFound { .. }) => None,
            Err(other) => return Err(other.into()),
        };
        sellers.insert(id, seller);
    }
    let entries = records
        .into_iter()
        .map(|record| {
            let to_operator = operator_channels.contains(&record.channel_id);
            let hidden = matches!(scope, Scope::Merchant(_))
                && !merchant_channels.contains(&record.channel_id);
            LogEntry {
                merchant_name: record.merchant_id.and_then(|m| names.get(&m).cloned()),
                seller_id: record
                    .connection_id
                    .and_then(|c| sellers.get(&c).cloned().flatten()),
                to_operator,
                hidden,
                record,
            }
        })
        .collect();
    Ok(LogPage {
        entries,
        page: filter.page,
        per_page: filter.per_page,
        has_more,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_read_pending_as_planned_and_name_their_field() {
        assert_eq!(
            delivery_state(Some("pending")).unwrap(),
            Some(DeliveryState::Planned)
        );
        assert_eq!(
            delivery_state(Some("failed")).unwrap(),
            Some(DeliveryState::Failed)
        );
        assert_eq!(delivery_state(Some(" ")).unwrap(), None);
        let bad = delivery_state(Some("lost")).unwrap_err();
        assert_eq!((bad.status.as_u16(), bad.field), (422, Some("status")));
        assert_eq!(
            delivery_kind(Some("access_lost")).unwrap(),
            Some(DeliveryKind::AccessLost)
        );
        assert_eq!(delivery_kind(Some("sms")).unwrap_err().field, Some("kind"));
    }

    #[test]
    fn a_language_is_ja_or_en() {
        assert_eq!(
            language("language", Some("en")).unwrap(),
            Some(Language::En)
        );
        assert_eq!(language("language", Some("")).unwrap(), None);
        let bad = language("language", Some("fr")).unwrap_err();
        assert_eq!(bad.field, Some("language"));
        assert!(bad.message_ja.contains("ja または en"));
    }
}
