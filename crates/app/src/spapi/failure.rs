//! Why "Connect with Amazon" did not connect, and what the merchant (or the operator) does about it.

use jiff::civil::Date;
use sellerlink_domain::ids::{ConnectionId, MarketplaceId, SellingPartnerId};
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

/// Why the authorization date given with a refresh token cannot be right.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuthorizationDateProblem {
    /// Not a `YYYY-MM-DD` date.
    NotADate {
        /// What was typed (at most 40 characters of it).
        given: String,
    },
    /// After today in the home marketplace's calendar.
    InTheFuture {
        /// The date given.
        authorized_on: Date,
        /// Today in the marketplace's calendar.
        today: Date,
    },
    /// 365 days or more ago while the token is being verified: an authorization given then has lapsed, so a working
    /// token was authorized (again) later.
    Lapsed {
        /// The date given.
        authorized_on: Date,
        /// The day an authorization given then stopped working.
        expired_on: Date,
    },
    /// Before the existing connection's last approval: a renewal cannot move its 365 days back.
    BeforeLastApproval {
        /// The date given.
        authorized_on: Date,
        /// The connection's last approval.
        last_approved_on: Date,
    },
}

impl AuthorizationDateProblem {
    fn en(&self) -> String {
        match self {
            Self::NotADate { given } => format!(
                "{given:?} is not a date; expected YYYY-MM-DD as Manage Your Apps shows it, e.g. 2025-04-17"
            ),
            Self::InTheFuture {
                authorized_on,
                today,
            } => format!("{authorized_on} is after today ({today} in the marketplace's calendar)"),
            Self::Lapsed {
                authorized_on,
                expired_on,
            } => format!(
                "an authorization given on {authorized_on} lapsed on {expired_on} (365 days later), so a token that \
                 works was authorized later: give the date of the latest (re-)authorization that Manage Your Apps \
                 shows, or add --no-verify to record a lapsed authorization without asking Amazon"
            ),
            Self::BeforeLastApproval {
                authorized_on,
                last_approved_on,
            } => format!(
                "{authorized_on} is before the connection's last approval on {last_approved_on}; a renewal cannot \
                 move the 365-day clock back"
            ),
        }
    }

    fn ja(&self) -> String {
        match self {
            Self::NotADate { given } => format!(
                "「{given}」は日付ではありません。アプリの管理に表示される日付を YYYY-MM-DD 形式（例: 2025-04-17）で入力してください"
            ),
            Self::InTheFuture {
                authorized_on,
                today,
            } => format!(
                "{authorized_on} は今日（マーケットプレイスの暦で {today}）より後の日付です"
            ),
            Self::Lapsed {
                authorized_on,
                expired_on,
            } => format!(
                "{authorized_on} に行われた認可は365日後の {expired_on} に失効しているため、有効なトークンはその後に認可\
                 されたものです。アプリの管理に表示される最新の（再）認可の日付を入力してください（失効した認可をAmazonに\
                 確認せず記録するだけなら --no-verify を付けてください）"
            ),
            Self::BeforeLastApproval {
                authorized_on,
                last_approved_on,
            } => format!(
                "{authorized_on} は接続の前回の承認日 {last_approved_on} より前です。更新で365日の期限を前に戻すことはできません"
            ),
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
    /// LWA refused a refresh token that was entered by hand (`invalid_grant`): the seller's authorization lapsed
    /// (365 days) or was revoked, or the token is incomplete or another app's.
    RefreshTokenRejected {
        /// The seller account the token was entered for.
        selling_partner_id: SellingPartnerId,
        /// Seller Central of the marketplace.
        seller_central_host: String,
    },
    /// A refresh token for a seller account the merchant is already connected to renews that connection, and a
    /// renewal is stored only once Amazon accepts the token.
    RenewalNeedsVerification {
        /// The existing connection.
        connection_id: ConnectionId,
    },
    /// A refresh token for a connected seller account came with another marketplace than the connection's.
    RenewalOtherMarketplace {
        /// The existing connection.
        connection_id: ConnectionId,
        /// Its marketplace, which a renewal keeps.
        home: MarketplaceId,
        /// The marketplace given.
        given: MarketplaceId,
    },
    /// The authorization date given with a refresh token cannot be right.
    AuthorizationDate {
        /// What is wrong with it.
        issue: AuthorizationDateProblem,
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
            Self::RefreshTokenRejected { .. } => "spapi_refresh_token_rejected",
            Self::RenewalNeedsVerification { .. } => "spapi_renewal_needs_verification",
            Self::RenewalOtherMarketplace { .. } => "spapi_renewal_other_marketplace",
            Self::AuthorizationDate { .. } => "spapi_authorization_date",
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
            Self::RefreshTokenRejected {
                selling_partner_id,
                seller_central_host,
            } => format!(
                "Amazon refused this LWA refresh token for seller account {selling_partner_id} (invalid_grant): \
                 the seller's authorization of the app lapsed (365 days after it was given) or was revoked, or the \
                 token was copied incompletely or belongs to another app. Have the seller (re-)authorize the app in \
                 Seller Central (https://{seller_central_host}) → Settings → User Permissions → Manage Your Apps, \
                 then add the new refresh token. Nothing was saved."
            ),
            Self::RenewalNeedsVerification { connection_id } => format!(
                "Connection {connection_id} already links this merchant to the seller account, so a new refresh \
                 token renews it (the token replaced, 365 days from the authorization date), and a renewal is \
                 stored only once Amazon accepts the token. Run the command again without --no-verify. Nothing was \
                 saved."
            ),
            Self::RenewalOtherMarketplace {
                connection_id,
                home,
                given,
            } => format!(
                "Connection {connection_id} to this seller account is for {} ({home}); a renewal keeps its \
                 marketplace. Give --marketplace-id {home}, or remove the connection first to connect {given} \
                 instead. Nothing was saved.",
                home.marketplace().name
            ),
            Self::AuthorizationDate { issue } => {
                format!("The authorization date: {}. Nothing was saved.", issue.en())
            }
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
            Self::RefreshTokenRejected {
                selling_partner_id,
                seller_central_host,
            } => format!(
                "AmazonがセリングパートナーID {selling_partner_id} のLWAリフレッシュトークンを拒否しました\
                 （invalid_grant）。アプリの認可が期限切れ（認可から365日）か取り消されたか、トークンのコピーが不完全か、\
                 別のアプリのトークンです。セラーセントラル（https://{seller_central_host}）→ 設定 → ユーザー権限 → \
                 アプリの管理 でアプリを（再）認可してもらい、新しいリフレッシュトークンを登録してください。\
                 何も保存されていません。"
            ),
            Self::RenewalNeedsVerification { connection_id } => format!(
                "接続 {connection_id} がすでにこの荷主とこの出品者アカウントをつないでいるため、新しいリフレッシュトークンは\
                 この接続の更新（トークンの差し替えと、認可日から365日の期限）になります。更新はAmazonがトークンを受け付けた\
                 場合にのみ保存されます。--no-verify を付けずにもう一度実行してください。何も保存されていません。"
            ),
            Self::RenewalOtherMarketplace {
                connection_id,
                home,
                given,
            } => format!(
                "この出品者アカウントへの接続 {connection_id} のマーケットプレイスは {}（{home}）で、更新しても変わりません。\
                 --marketplace-id {home} を指定するか、{given} で接続し直す場合は先にこの接続を削除してください。\
                 何も保存されていません。",
                home.marketplace().name
            ),
            Self::AuthorizationDate { issue } => {
                format!("認可日: {}。何も保存されていません。", issue.ja())
            }
        }
    }
}
