//! Why "Connect with Amazon" did not connect, and what the merchant (or the operator) does about it.

use sellerlink_domain::ids::SellingPartnerId;
use sellerlink_store::OAuthStateRefusal;
use serde::Serialize;

/// What was wrong with the `state` that came back from Amazon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StateProblem {
    /// The redirect carried no `state`.
    Missing,
    /// sellerlink never issued it (forged or mangled).
    Unknown,
    /// It was used before (the redirect was replayed, or the page reloaded).
    AlreadyUsed,
    /// It belongs to another browser session.
    OtherSession,
    /// More than ten minutes passed since "Connect with Amazon" was pressed.
    Expired,
}

impl From<OAuthStateRefusal> for StateProblem {
    fn from(refusal: OAuthStateRefusal) -> Self {
        match refusal {
            OAuthStateRefusal::Unknown => Self::Unknown,
            OAuthStateRefusal::AlreadyUsed => Self::AlreadyUsed,
            OAuthStateRefusal::OtherSession => Self::OtherSession,
            OAuthStateRefusal::Expired => Self::Expired,
        }
    }
}

impl StateProblem {
    fn en(self) -> &'static str {
        match self {
            Self::Missing => "Amazon's answer carried no state",
            Self::Unknown => "sellerlink did not issue this state",
            Self::AlreadyUsed => {
                "this authorization was already completed (the page was reloaded or replayed)"
            }
            Self::OtherSession => "the authorization was started in another browser session",
            Self::Expired => {
                "more than 10 minutes passed since \"Connect with Amazon\" was pressed"
            }
        }
    }

    fn ja(self) -> &'static str {
        match self {
            Self::Missing => "Amazonからの応答に state がありません",
            Self::Unknown => "sellerlinkが発行していない state です",
            Self::AlreadyUsed => {
                "この認可はすでに完了しています（再読み込みまたは再送信されました）"
            }
            Self::OtherSession => "別のブラウザセッションで開始された認可です",
            Self::Expired => "「Amazonで接続」を押してから10分以上経過しました",
        }
    }
}

/// An SP-API authorization ("Connect with Amazon", or a re-authorization from Manage Your Apps) that was refused;
/// nothing was stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum SpApiFailure {
    /// The `state` check failed: possibly a forged or replayed request.
    StateRejected {
        /// What was wrong.
        state: StateProblem,
    },
    /// A parameter Amazon always sends is missing or malformed (e.g. the seller chose Cancel).
    BadParameter {
        /// The query parameter.
        name: &'static str,
    },
    /// The re-authorization was started for one seller account and came back for another.
    OtherSeller {
        /// The account Manage Your Apps named.
        expected: SellingPartnerId,
        /// The account Amazon's redirect named.
        returned: SellingPartnerId,
    },
    /// LWA refused the one-time code: older than 5 minutes, already used, or for another redirect URI.
    CodeRejected {
        /// Amazon's answer.
        amazon_message: String,
    },
    /// The authorization was granted but does not work: it was revoked or lapsed at once.
    AuthorizationLost {
        /// The seller account.
        selling_partner_id: SellingPartnerId,
        /// Seller Central of the marketplace.
        seller_central_host: String,
    },
    /// Amazon refused sellerlink's own app credentials (the LWA client secret, rotated every 180 days).
    AppCredentialsRejected {
        /// Amazon's answer.
        amazon_message: String,
    },
    /// Amazon denied access for another reason (a role the app lacks, another region).
    AccessDenied {
        /// Amazon's answer.
        amazon_message: String,
    },
    /// The log-in URI was called with an `amazon_callback_uri` that is not Amazon's: sellerlink does not send the
    /// browser (and a fresh state) there.
    UntrustedCallback {
        /// The URL as given.
        url: String,
    },
}

impl SpApiFailure {
    /// A stable machine-readable reason, e.g. `spapi_state_rejected`.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::StateRejected { .. } => "spapi_state_rejected",
            Self::BadParameter { .. } => "spapi_bad_parameter",
            Self::OtherSeller { .. } => "spapi_other_seller",
            Self::CodeRejected { .. } => "spapi_code_rejected",
            Self::AuthorizationLost { .. } => "spapi_authorization_lost",
            Self::AppCredentialsRejected { .. } => "spapi_app_credentials_rejected",
            Self::AccessDenied { .. } => "spapi_access_denied",
            Self::UntrustedCallback { .. } => "spapi_untrusted_callback",
        }
    }

    /// What happened and what to do, in English.
    pub fn message_en(&self) -> String {
        const AGAIN: &str = "Nothing was saved. Press \"Connect with Amazon\" again.";
        match self {
            Self::StateRejected { state } => {
                format!(
                    "The answer from Amazon could not be matched to your request: {}. {AGAIN}",
                    state.en()
                )
            }
            Self::BadParameter { name } => format!(
                "Amazon's answer has no valid {name}: the authorization was not completed (for example, Cancel \
                 was chosen on Amazon's page). {AGAIN}"
            ),
            Self::OtherSeller { expected, returned } => format!(
                "The re-authorization was started for seller account {expected} but Amazon answered for \
                 {returned}. Sign in to Seller Central with the account you want to connect. {AGAIN}"
            ),
            Self::CodeRejected { amazon_message } => format!(
                "Amazon did not accept the one-time authorization code ({amazon_message}); it is valid for 5 \
                 minutes and only once. {AGAIN}"
            ),
            Self::AuthorizationLost {
                selling_partner_id,
                seller_central_host,
            } => format!(
                "Amazon says the authorization of seller account {selling_partner_id} is not active. Check \
                 Seller Central (https://{seller_central_host}) → Settings → User Permissions → Manage Your Apps, \
                 then authorize again. Nothing was saved."
            ),
            Self::AppCredentialsRejected { amazon_message } => format!(
                "Amazon refused sellerlink's own app credentials ({amazon_message}). This is not the merchant's \
                 fault: the operator must rotate the LWA client secret in Developer Central and update \
                 sellerlink's configuration. Nothing was saved."
            ),
            Self::AccessDenied { amazon_message } => format!(
                "Amazon denied access ({amazon_message}). Authorize the app with the seller account's primary \
                 user, in the marketplace's region. {AGAIN}"
            ),
            Self::UntrustedCallback { url } => format!(
                "The link does not lead back to Amazon ({url}), so sellerlink did not follow it. Start the \
                 re-authorization again from Seller Central → Manage Your Apps."
            ),
        }
    }

    /// What happened and what to do, in Japanese (Seller Central's own labels).
    pub fn message_ja(&self) -> String {
        const AGAIN: &str = "何も保存されていません。もう一度「Amazonで接続」を押してください。";
        match self {
            Self::StateRejected { state } => {
                format!(
                    "Amazonからの応答をこの操作と照合できませんでした（{}）。{AGAIN}",
                    state.ja()
                )
            }
            Self::BadParameter { name } => format!(
                "Amazonからの応答に有効な {name} がありません。認可が完了していません（Amazonの画面で「キャンセル」を\
                 選んだ場合など）。{AGAIN}"
            ),
            Self::OtherSeller { expected, returned } => format!(
                "出品者アカウント {expected} の再認可として開始しましたが、Amazonは {returned} について応答しました。\
                 接続したいアカウントでセラーセントラルにサインインしてください。{AGAIN}"
            ),
            Self::CodeRejected { amazon_message } => format!(
                "Amazonがワンタイム認可コードを受け付けませんでした（{amazon_message}）。コードの有効期限は5分で、\
                 1回しか使えません。{AGAIN}"
            ),
            Self::AuthorizationLost {
                selling_partner_id,
                seller_central_host,
            } => format!(
                "出品者アカウント {selling_partner_id} の認可が有効ではないとAmazonが応答しました。セラーセントラル\
                 （https://{seller_central_host}）→ 設定 → ユーザー権限 → アプリの管理 を確認し、もう一度認可してください。\
                 何も保存されていません。"
            ),
            Self::AppCredentialsRejected { amazon_message } => format!(
                "Amazonがsellerlinkのアプリ認証情報を拒否しました（{amazon_message}）。荷主様の操作の問題ではありません。\
                 運用者がデベロッパーセントラルでLWAクライアントシークレットを更新し、sellerlinkの設定を変更してください。\
                 何も保存されていません。"
            ),
            Self::AccessDenied { amazon_message } => format!(
                "Amazonがアクセスを拒否しました（{amazon_message}）。出品者アカウントの主ユーザーで、マーケットプレイスの\
                 地域でアプリを認可してください。{AGAIN}"
            ),
            Self::UntrustedCallback { url } => format!(
                "このリンクはAmazonに戻りません（{url}）。sellerlinkはこのリンクに移動しませんでした。セラーセントラル →\
                 アプリの管理 から再認可をやり直してください。"
            ),
        }
    }
}
