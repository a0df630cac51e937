//! The operator's own countdown: the app's LWA client secret stops working 180 days after it was issued, for every
//! seller at once, so sellerlink shows how many days are left.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;

use crate::App;

/// From this many days before the expiry date on, the secret is "expiring soon" (Amazon itself warns 90 days
/// ahead; sellerlink's banner turns urgent at 30).
pub const SECRET_EXPIRING_SOON_DAYS: i32 = 30;

/// The calendar the countdown uses: the 3PL operates in Japan.
const OPERATOR_TIME_ZONE: &str = "Asia/Tokyo";

/// Where the client secret stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretCondition {
    /// More than [`SECRET_EXPIRING_SOON_DAYS`] days left.
    Valid,
    /// At most [`SECRET_EXPIRING_SOON_DAYS`] days left: rotate it now.
    ExpiringSoon,
    /// The expiry date has been reached: LWA refuses the secret and every SP-API connection pauses.
    Expired,
}

/// The app credentials' countdown, as the operator's dashboard shows it. Holds no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppCredentialsStatus {
    /// The LWA client ID the secret belongs to.
    pub client_id: String,
    /// The first day the secret no longer works.
    pub expires_on: Date,
    /// Whole days from today (Japan) to the expiry date; 0 on it, negative after it.
    pub days_left: i32,
    /// Valid, expiring soon or expired.
    pub condition: SecretCondition,
}

impl AppCredentialsStatus {
    /// What the operator should do, in English.
    pub fn message_en(&self) -> String {
        let (expires_on, days) = (self.expires_on, self.days_left);
        match self.condition {
            SecretCondition::Valid => {
                format!("The SP-API client secret is valid until {expires_on} ({days} days left).")
            }
            SecretCondition::ExpiringSoon => format!(
                "The SP-API client secret expires on {expires_on} ({days} days left). Rotate it in Developer \
                 Central (LWA credentials → Rotate) and update sellerlink's configuration (the secret and its expiry \
                 date); sellers need not re-authorize."
            ),
            SecretCondition::Expired => format!(
                "The SP-API client secret expired on {expires_on}: Amazon refuses it and every SP-API connection is \
                 paused. Rotate it in Developer Central, update sellerlink's configuration, then verify the paused \
                 connections; sellers need not re-authorize."
            ),
        }
    }

    /// What the operator should do, in Japanese.
    pub fn message_ja(&self) -> String {
        let (expires_on, days) = (self.expires_on, self.days_left);
        match self.condition {
            SecretCondition::Valid => {
                format!(
                    "SP-API クライアントシークレットは {expires_on} まで有効です（残り{days}日）。"
                )
            }
            SecretCondition::ExpiringSoon => format!(
                "SP-API クライアントシークレットは {expires_on} に期限切れになります（残り{days}日）。デベロッパーセントラル\
                 （LWA認証情報 → ローテーション）で更新し、sellerlinkの設定（シークレットと有効期限）を変更してください。\
                 出品者の再認可は不要です。"
            ),
            SecretCondition::Expired => format!(
                "SP-API クライアントシークレットは {expires_on} に期限切れになりました。Amazonが拒否するため、すべての SP-API \
                 接続が停止しています。デベロッパーセントラルで更新して設定を変更し、停止中の接続を確認（再検証）してください。\
                 出品者の再認可は不要です。"
            ),
        }
    }
}

impl App {
    /// The client secret's countdown at `now`; `None` when SP-API is not configured.
    pub fn app_credentials_status(&self, now: Timestamp) -> Option<AppCredentialsStatus> {
        let spapi = self.spapi.as_ref()?;
        let api = &spapi.settings.api;
        let zone = TimeZone::get(OPERATOR_TIME_ZONE).unwrap_or(TimeZone::UTC);
        let today = now.to_zoned_datetime(zone).date();
        let days_left = today
            .until(api.secret_expires_on)
            .map(|span| span.get_days())
            .unwrap_or(i32::MIN);
        let condition = if days_left <= 0 {
            SecretCondition::Expired
        } else if days_left <= SECRET_EXPIRING_SOON_DAYS {
            SecretCondition::ExpiringSoon
        } else {
            SecretCondition::Valid
        };
        Some(AppCredentialsStatus {
            client_id: api.credentials.client_id.as_str().to_owned(),
            expires_on: api.secret_expires_on,
            days_left,
            condition,
        })
    }
}
