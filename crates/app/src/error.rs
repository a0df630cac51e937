//! What can go wrong in a use case, with a message in English and Japanese that says what to do next.

use sellerlink_domain::ids::{ConnectionId, IdError, MerchantId};
use sellerlink_domain::lifecycle::LifecycleError;
use sellerlink_secrets::SecretsError;
use sellerlink_store::StoreError;

/// A use case that could not be carried out. Nothing was changed when this is returned.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// An identifier typed by a person is malformed.
    #[error(transparent)]
    InvalidId(#[from] IdError),
    /// Any other input that does not fit (dates, names, combinations of options).
    #[error("{field}: {problem}")]
    InvalidInput {
        field: &'static str,
        problem: String,
    },
    /// A shipment the rules refuse: the field at fault, what is wrong and what to do, in English and Japanese.
    #[error("{field}: {en}")]
    ShipmentRefused {
        field: &'static str,
        en: String,
        ja: String,
    },
    /// Stock levels the rules refuse: the field at fault, what is wrong and what to do, in English and Japanese.
    #[error("{field}: {en}")]
    StockRefused {
        field: &'static str,
        en: String,
        ja: String,
    },
    /// The access-lifecycle rules refuse the action.
    #[error(transparent)]
    Lifecycle(#[from] LifecycleError),
    #[error("no merchant with id {0}")]
    MerchantNotFound(MerchantId),
    #[error("no merchant named {0:?}")]
    MerchantNameNotFound(String),
    #[error("no connection with id {0}")]
    ConnectionNotFound(ConnectionId),
    #[error("this seller account is already connected ({detail})")]
    AlreadyConnected { detail: String },
    #[error(
        "the connection was changed by someone else at the same time; nothing was saved — run the command again"
    )]
    Conflict,
    /// Master key or sealing problems (never carries key material or plaintext).
    #[error(transparent)]
    Secrets(#[from] SecretsError),
    /// Amazon did not accept the grant; nothing was stored.
    #[error("{}", .0.message_en())]
    Verification(crate::VerificationFailure),
    /// Something this use case needs is not configured.
    #[error("not configured: {what}")]
    NotConfigured { what: &'static str },
    /// The import engine failed (store or Amazon).
    #[error(transparent)]
    Sync(#[from] sellerlink_sync::SyncError),
    /// A notification-channel use case failed (no such channel, an address that does not parse, the store).
    #[error(transparent)]
    Notifications(#[from] sellerlink_reminders::ReminderError),
    /// Storage problems other than the ones above.
    #[error("database: {0}")]
    Store(StoreError),
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Duplicate { detail, .. } => Self::AlreadyConnected { detail },
            StoreError::Conflict { .. } => Self::Conflict,
            other => Self::Store(other),
        }
    }
}

impl AppError {
    /// The message in Japanese, for merchants.
    pub fn message_ja(&self) -> String {
        match self {
            Self::InvalidId(err) => err.message_ja(),
            Self::InvalidInput { field, problem } => format!("{field}: {problem}"),
            Self::ShipmentRefused { field, ja, .. } | Self::StockRefused { field, ja, .. } => {
                format!("{field}: {ja}")
            }
            Self::Lifecycle(err) => err.message_ja(),
            Self::MerchantNotFound(id) => format!("荷主ID {id} は登録されていません。"),
            Self::MerchantNameNotFound(name) => format!("荷主「{name}」は登録されていません。"),
            Self::ConnectionNotFound(id) => format!("接続ID {id} は登録されていません。"),
            Self::AlreadyConnected { .. } => {
                "この出品者アカウントはすでに接続されています。".to_owned()
            }
            Self::Conflict => {
                "同時に別の操作で変更されたため保存されませんでした。もう一度実行してください。"
                    .to_owned()
            }
            Self::Verification(failure) => failure.message_ja(),
            Self::NotConfigured { what } => format!("設定が必要です: {what}"),
            Self::Sync(err) => format!("同期の問題: {err}"),
            Self::Notifications(err) => format!("通知の問題: {err}"),
            Self::Secrets(err) => format!("暗号鍵の問題: {err}"),
            Self::Store(err) => format!("データベースの問題: {err}"),
        }
    }

    /// The input field at fault, where one is (e.g. `tracking_number`; `seller_id` for a malformed Seller ID or one
    /// Amazon does not know).
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Self::InvalidId(err) => Some(err.field.key()),
            Self::Verification(failure) => failure.field().map(|field| field.key()),
            Self::InvalidInput { field, .. }
            | Self::ShipmentRefused { field, .. }
            | Self::StockRefused { field, .. } => Some(field),
            Self::Lifecycle(refusal) => refusal.field().map(|f| f.name()),
            _ => None,
        }
    }

    /// A stable machine-readable code for JSON output and the API.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidId(_) | Self::InvalidInput { .. } => "invalid_input",
            Self::ShipmentRefused { .. } => "shipment_refused",
            Self::StockRefused { .. } => "stock_refused",
            Self::Lifecycle(_) => "lifecycle_refused",
            Self::MerchantNotFound(_)
            | Self::MerchantNameNotFound(_)
            | Self::ConnectionNotFound(_) => "not_found",
            Self::AlreadyConnected { .. } => "already_connected",
            Self::Conflict => "conflict",
            Self::Verification(failure) => failure.reason(),
            Self::NotConfigured { .. } => "not_configured",
            Self::Sync(_) => "sync",
            Self::Notifications(_) => "notifications",
            Self::Secrets(_) => "secrets",
            Self::Store(_) => "database",
        }
    }
}

/// Turns the store's `NotFound` into the use case's own not-found error; other errors pass through.
pub(crate) fn not_found(err: StoreError, instead: AppError) -> AppError {
    match err {
        StoreError::NotFound { .. } => instead,
        other => other.into(),
    }
}
