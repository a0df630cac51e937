//! The askama templates of the app pages (in `templates/apps/`). Each extends Seller Central's
//! `base.html`, so it needs `chrome` and `account` like every Seller Central page.

use askama::Template;

use super::texts::AppTexts;
use crate::seller_central::lang::Chrome;
use crate::seller_central::views::AccountBar;

/// The OAuth consent page.
#[derive(Template)]
#[template(path = "apps/consent.html")]
pub(crate) struct ConsentPage {
    pub chrome: Chrome,
    pub account: Option<AccountBar>,
    pub a: &'static AppTexts,
    pub csrf: String,
    pub intro: String,
    pub app_name: String,
    pub developer_name: String,
    pub roles: Vec<String>,
    pub seller_name: String,
    pub seller_id: String,
    pub draft: bool,
    pub application_id: String,
    pub state: String,
    pub redirect_uri: String,
    pub version: String,
}

/// A message (refusal, cancellation, notice).
#[derive(Template)]
#[template(path = "apps/message.html")]
pub(crate) struct AppMessagePage {
    pub chrome: Chrome,
    pub account: Option<AccountBar>,
    pub a: &'static AppTexts,
    pub title: &'static str,
    pub message: String,
    pub error: bool,
}

/// One row of Manage Your Apps.
#[derive(Clone, Debug)]
pub(crate) struct AppRow {
    pub application_id: String,
    pub name: String,
    pub developer: String,
    pub status_label: &'static str,
    /// `active`, `expired` or `revoked`.
    pub status_class: &'static str,
    pub authorized_on: String,
    pub expires_on: String,
    pub warning: Option<String>,
    pub can_revoke: bool,
}

/// Manage Your Apps.
#[derive(Template)]
#[template(path = "apps/manage.html")]
pub(crate) struct ManagePage {
    pub chrome: Chrome,
    pub account: Option<AccountBar>,
    pub a: &'static AppTexts,
    pub csrf: String,
    pub notice: Option<String>,
    pub rows: Vec<AppRow>,
}

/// The revoke confirmation.
#[derive(Template)]
#[template(path = "apps/revoke.html")]
pub(crate) struct RevokePage {
    pub chrome: Chrome,
    pub account: Option<AccountBar>,
    pub a: &'static AppTexts,
    pub csrf: String,
    pub question: String,
    pub application_id: String,
}
