//! The fix, spelled out step by step in the reader's language: what to click in Seller Central (or,
//! for the operator's LWA client secret, what the operator does) to keep or get back access.
//!
//! The same [`FixGuide`] is shown in the e-mail bodies and carried in webhook payloads, so every channel
//! gives the same instructions.

use serde::Serialize;

use sellerlink_domain::connection::Language;

use crate::message::{AccessLossCause, Api, Notification, NotificationKind};

mod en;
mod ja;

/// Who has to act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FixActor {
    /// The merchant, in Seller Central.
    Merchant,
    /// The operator running sellerlink; the merchant need not do anything.
    Operator,
}

/// Instructions that restore or keep a connection's access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FixGuide {
    /// Who has to act.
    pub actor: FixActor,
    /// The whole path on one line, e.g. `セラーセントラル → 設定 → ユーザー権限 → …`.
    pub summary: String,
    /// The steps, in order.
    pub steps: Vec<FixStep>,
    /// What happens afterwards, or a caution.
    pub note: Option<String>,
}

impl FixGuide {
    /// Whether the operator (not the merchant) has to act.
    pub fn is_operator(&self) -> bool {
        self.actor == FixActor::Operator
    }
}

/// One step of a [`FixGuide`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FixStep {
    /// What to do, in plain words.
    pub text: String,
    /// The page to open for this step, if there is one.
    pub url: Option<String>,
}

/// The situations that have a fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Situation {
    /// MWS, still valid: 「アクセス権を承認」.
    MwsApprove,
    /// MWS, expired: 「アクセス権の復元」.
    MwsRestore,
    /// MWS, developer removed: grant access again and register the new token.
    MwsGrantAgain,
    /// MWS refused without saying why: check the row, then restore or grant again.
    MwsCheck,
    /// SP-API, expiring or lapsed: Manage Your Apps → Re-authorize.
    SpApiReauthorize,
    /// The operator's LWA client secret: rotate it.
    RotateAppSecret,
    /// Something else: the operator investigates.
    Investigate,
}

/// The fix for what `notification` reports, or `None` when nothing needs doing (access restored, test).
pub fn fix_for(notification: &Notification) -> Option<FixGuide> {
    let situation = match &notification.kind {
        NotificationKind::ExpiryReminder { days_left, .. } => match notification.connection.api {
            // Access lapses at 00:00 on the expiry date, so on that day it is already a restore.
            Api::Mws if *days_left <= 0 => Situation::MwsRestore,
            Api::Mws => Situation::MwsApprove,
            Api::SpApi => Situation::SpApiReauthorize,
        },
        NotificationKind::AccessLost { cause, .. } => match cause {
            AccessLossCause::MwsAccessDenied => Situation::MwsCheck,
            AccessLossCause::MwsExpired => Situation::MwsRestore,
            AccessLossCause::MwsRevoked => Situation::MwsGrantAgain,
            AccessLossCause::SpApiAuthorizationLost => Situation::SpApiReauthorize,
            AccessLossCause::SpApiAppSecretExpired => Situation::RotateAppSecret,
            AccessLossCause::Other(_) => Situation::Investigate,
        },
        NotificationKind::AppSecretExpiring { .. } => Situation::RotateAppSecret,
        NotificationKind::AccessRestored { .. } | NotificationKind::Test => return None,
    };
    let c = &notification.connection;
    Some(match notification.language {
        Language::Ja => ja::guide(situation, c),
        Language::En => en::guide(situation, c),
    })
}

/// A step.
fn step(text: String, url: Option<String>) -> FixStep {
    FixStep { text, url }
}
