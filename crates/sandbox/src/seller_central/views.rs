//! The askama templates (in `templates/seller_central/`) and the data each one shows.
//!
//! Every page extends `base.html`, which needs `chrome` (language, wording, switch link) and
//! `account` (the signed-in seller's bar, if any).

use askama::Template;

use super::lang::Chrome;

/// The signed-in seller shown in the page header, with the token for the sign-out form.
#[derive(Clone, Debug)]
pub(crate) struct AccountBar {
    /// The seller's display name.
    pub display_name: String,
    /// The session's CSRF token.
    pub csrf: String,
}

/// A notice or error box.
#[derive(Clone, Debug)]
pub(crate) struct NoticeView {
    /// Styled as an error.
    pub error: bool,
    /// The message.
    pub text: String,
}

/// Step ①: sign-in.
#[derive(Template)]
#[template(path = "seller_central/signin.html")]
pub(crate) struct SigninPage {
    pub chrome: Chrome,
    pub account: Option<AccountBar>,
    pub csrf: String,
    pub login: String,
    pub return_to: String,
    pub error: Option<String>,
}

/// One current authorization in the permissions table.
#[derive(Clone, Debug)]
pub(crate) struct PermissionRow {
    /// Developer ID, 12 digits (form value).
    pub developer_id: String,
    /// Developer ID as `1234-1234-1234`.
    pub developer_id_dashed: String,
    pub nickname: String,
    /// `2018-04-17 10:26:33 JST`.
    pub granted_at: String,
    /// `2018-04-17`.
    pub last_approved: String,
    /// Expiry wording (date, expired-on date, or no expiry).
    pub expiry: String,
    pub state_label: &'static str,
    /// `active` or `expired` (CSS class and test hook).
    pub state_class: &'static str,
    pub expiry_feature: &'static str,
    pub can_approve: bool,
    pub can_restore: bool,
    pub can_enable_expiry: bool,
}

/// One revoked authorization in the history table.
#[derive(Clone, Debug)]
pub(crate) struct HistoryRow {
    pub developer_id_dashed: String,
    pub nickname: String,
    pub granted_at: String,
    pub revoked_at: String,
}

/// Step ②: User Permissions → Amazon MWS Developer Permissions.
#[derive(Template)]
#[template(path = "seller_central/permissions.html")]
pub(crate) struct PermissionsPage {
    pub chrome: Chrome,
    pub account: Option<AccountBar>,
    pub csrf: String,
    pub notice: Option<NoticeView>,
    pub seller_id: String,
    pub marketplace_ids: Vec<String>,
    pub rows: Vec<PermissionRow>,
    pub history: Vec<HistoryRow>,
}

/// Step ③: developer name and developer ID.
#[derive(Template)]
#[template(path = "seller_central/developer.html")]
pub(crate) struct DeveloperPage {
    pub chrome: Chrome,
    pub account: Option<AccountBar>,
    pub csrf: String,
    pub greeting: String,
    pub developer_name: String,
    pub developer_id: String,
    pub errors: Vec<String>,
}

/// Step ④: consent with the two required checkboxes.
#[derive(Template)]
#[template(path = "seller_central/consent.html")]
pub(crate) struct ConsentPage {
    pub chrome: Chrome,
    pub account: Option<AccountBar>,
    pub csrf: String,
    pub greeting: String,
    pub developer_name: String,
    pub developer_id_dashed: String,
    pub lead: String,
    pub responsibility: String,
    pub error: Option<String>,
    pub catalog_checked: bool,
    pub responsibility_checked: bool,
}

/// The three values the developer needs (completion and view pages).
#[derive(Clone, Debug)]
pub(crate) struct Credentials {
    pub seller_id: String,
    /// The seller's first marketplace.
    pub marketplace_id: String,
    /// Any further marketplaces.
    pub other_marketplaces: Vec<String>,
    pub mws_auth_token: String,
}

/// Step ⑤: the completion page, shown once.
#[derive(Template)]
#[template(path = "seller_central/complete.html")]
pub(crate) struct CompletePage {
    pub chrome: Chrome,
    pub account: Option<AccountBar>,
    pub access_text: String,
    pub credentials: Credentials,
}

/// "View" for a permissions row.
#[derive(Template)]
#[template(path = "seller_central/view.html")]
pub(crate) struct ViewPage {
    pub chrome: Chrome,
    pub account: Option<AccountBar>,
    pub nickname: String,
    pub developer_id_dashed: String,
    pub state_label: &'static str,
    pub credentials: Credentials,
}

/// A confirmation step (revoke, enable expiry).
#[derive(Template)]
#[template(path = "seller_central/confirm.html")]
pub(crate) struct ConfirmPage {
    pub chrome: Chrome,
    pub account: Option<AccountBar>,
    pub csrf: String,
    pub title: &'static str,
    pub question: String,
    /// Where the form posts.
    pub action: &'static str,
    pub developer_id: String,
    pub button: &'static str,
    /// Styles the button as dangerous.
    pub danger: bool,
}

/// Editing a developer nickname.
#[derive(Template)]
#[template(path = "seller_central/nickname.html")]
pub(crate) struct NicknamePage {
    pub chrome: Chrome,
    pub account: Option<AccountBar>,
    pub csrf: String,
    pub developer_id: String,
    pub developer_id_dashed: String,
    pub nickname: String,
    pub error: Option<String>,
}

/// A page with only a message (already shown, not found, expired form).
#[derive(Template)]
#[template(path = "seller_central/message.html")]
pub(crate) struct MessagePage {
    pub chrome: Chrome,
    pub account: Option<AccountBar>,
    pub title: &'static str,
    pub message: String,
    pub error: bool,
    /// Show a link back to the permissions page.
    pub back_link: bool,
}
