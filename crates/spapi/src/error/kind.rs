//! The classes of failure, each with what it means and what to do next.

use std::time::Duration;

/// What went wrong with a call, and so who must act.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The seller's authorization is gone: LWA answered `invalid_grant`, or Amazon called the token
    /// "revoked, malformed or invalid". The seller must re-authorize.
    AuthorizationLost,
    /// The app's LWA credentials were refused: LWA `invalid_client`, or Amazon's 403 "The LWA
    /// secret token you provided has expired.". The operator must rotate the client secret.
    AppCredentialsRejected,
    /// Amazon denied access for another reason — typically a role the app lacks or a token used
    /// in the wrong region. `details` is Amazon's text.
    AccessDenied {
        /// Amazon's `details` (or `message` when there are none).
        details: String,
    },
    /// Amazon said the access token expired. The client refreshes and retries once by itself;
    /// this is seen only if the retry was refused the same way.
    TokenExpired,
    /// HTTP 429 `QuotaExceeded`; retried with backoff until the retry policy gives up.
    Throttled {
        /// Amazon's `Retry-After`, when sent.
        retry_after: Option<Duration>,
    },
    /// HTTP 400 (or 413/415/other 4xx) — or a request this client refused to send.
    InvalidInput,
    /// HTTP 404: the order or listing does not exist.
    NotFound,
    /// HTTP 5xx, or LWA temporarily unavailable.
    Server,
    /// Amazon (or LWA) could not be reached: connection, TLS or timeout.
    Transport,
    /// An answer this client cannot read.
    Decode,
    /// Paging stopped because Amazon returned a next token that was already used.
    RepeatedNextToken,
}

impl ErrorKind {
    /// True for failures worth retrying unchanged.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::Throttled { .. } | Self::Server | Self::Transport
        )
    }

    /// A short English description.
    pub fn summary(&self) -> String {
        match self {
            Self::AuthorizationLost => {
                "the seller's authorization was revoked or has expired".to_owned()
            }
            Self::AppCredentialsRejected => "Amazon refused the app's LWA credentials".to_owned(),
            Self::AccessDenied { details } if details.is_empty() => "access denied".to_owned(),
            Self::AccessDenied { details } => format!("access denied: {details}"),
            Self::TokenExpired => "the access token expired, also after a refresh".to_owned(),
            Self::Throttled { .. } => "throttled by Amazon (QuotaExceeded)".to_owned(),
            Self::InvalidInput => "Amazon rejected the request as invalid".to_owned(),
            Self::NotFound => "not found".to_owned(),
            Self::Server => "Amazon had a server error".to_owned(),
            Self::Transport => "Amazon could not be reached".to_owned(),
            Self::Decode => "Amazon's answer could not be read".to_owned(),
            Self::RepeatedNextToken => "paging stopped at a repeated next token".to_owned(),
        }
    }

    /// What to do next, in English.
    pub fn remedy(&self) -> &'static str {
        match self {
            Self::AuthorizationLost => {
                "The seller must re-authorize the app in Seller Central (Manage Your Apps → \
                 Re-authorize) or through sellerlink's authorize link; until then every call fails"
            }
            Self::AppCredentialsRejected => {
                "The operator must rotate the app's LWA client secret in Developer Central (it \
                 expires every 180 days) and update sellerlink's configuration; sellers need not \
                 re-authorize"
            }
            Self::AccessDenied { .. } => {
                "Check that the app has the role this call needs and that the seller authorized it \
                 in this region; a newly added role needs the seller to re-authorize"
            }
            Self::TokenExpired => {
                "Check this machine's clock; sellerlink refreshes tokens by itself"
            }
            Self::Throttled { .. } => {
                "Amazon's rate limit was used up; the call will be tried again later"
            }
            Self::InvalidInput => "Correct the request as Amazon's message says",
            Self::NotFound => "Check the order ID or SKU; Amazon does not know it",
            Self::Server | Self::Transport => "Try again later",
            Self::Decode => {
                "Report this with the request ID; Amazon's answer did not match the documented shape"
            }
            Self::RepeatedNextToken => {
                "Start the import again later; paging stopped to avoid a loop"
            }
        }
    }

    /// What to do next, in Japanese, for merchants.
    pub fn remedy_ja(&self) -> &'static str {
        match self {
            Self::AuthorizationLost => {
                "出品者がセラーセントラル（アプリの管理 →「再認可」）でアプリを再認可する必要があります。\
                 再認可されるまで連携は停止します"
            }
            Self::AppCredentialsRejected => {
                "運用担当者がデベロッパーセントラルでLWAクライアントシークレットを更新し（180日ごとに期限切れ）、\
                 sellerlinkの設定を更新してください。出品者の再認可は不要です"
            }
            Self::AccessDenied { .. } => {
                "アプリに必要なロールがあるか、出品者がこの地域で承認しているかを確認してください。\
                 ロールを追加した場合は出品者の再認可が必要です"
            }
            Self::TokenExpired => "サーバーの時刻を確認してください。トークンは自動で更新されます",
            Self::Throttled { .. } => {
                "Amazonのリクエスト上限に達しました。時間をおいて自動で再試行します"
            }
            Self::InvalidInput => "Amazonのメッセージに従ってリクエストを修正してください",
            Self::NotFound => "注文番号またはSKUを確認してください。Amazonに存在しません",
            Self::Server | Self::Transport => "時間をおいて再度お試しください",
            Self::Decode => {
                "リクエストIDを添えてご報告ください。Amazonの応答を読み取れませんでした"
            }
            Self::RepeatedNextToken => {
                "時間をおいて取り込みをやり直してください。ループ防止のため中断しました"
            }
        }
    }
}
