//! The data each template shows, and one askama template type per kind × language × part.
//!
//! Every view holds the connection as `c`; the HTML templates also get the rendered `subject`, which the
//! layout uses as its title.

use askama::Template;

use crate::fix::FixGuide;
use crate::message::{Api, ConnectionSummary};

/// The connection, formatted for reading.
#[derive(Debug, Clone)]
pub(crate) struct ConnectionView {
    pub connection_id: String,
    pub merchant_name: String,
    pub seller_id: String,
    pub marketplace: String,
    pub api_label: &'static str,
    pub is_mws: bool,
    pub developer_name: String,
    /// Dashed, as Seller Central shows it.
    pub developer_id: String,
    pub seller_central_url: String,
}

impl ConnectionView {
    pub(crate) fn new(c: &ConnectionSummary) -> Self {
        Self {
            connection_id: c.connection_id.to_string(),
            merchant_name: c.merchant_name.as_str().to_owned(),
            seller_id: c.seller_id.as_str().to_owned(),
            marketplace: c.marketplace.clone(),
            api_label: c.api.label(),
            is_mws: c.api == Api::Mws,
            developer_name: c.developer_name.clone(),
            developer_id: c.developer_id.dashed(),
            seller_central_url: c.seller_central_host.home_url(),
        }
    }
}

/// An expiry reminder.
#[derive(Debug, Clone)]
pub(crate) struct ExpiryReminderView {
    pub c: ConnectionView,
    pub expires_on: String,
    pub days_left: i32,
    pub fix: Option<FixGuide>,
}

/// An access-loss alert.
#[derive(Debug, Clone)]
pub(crate) struct AccessLostView {
    pub c: ConnectionView,
    /// The classified cause in plain words.
    pub cause: String,
    /// Amazon's code and message, if Amazon gave any.
    pub amazon_answer: Option<String>,
    pub detected_at: String,
    pub fix: Option<FixGuide>,
}

/// An "access restored" notice.
#[derive(Debug, Clone)]
pub(crate) struct AccessRestoredView {
    pub c: ConnectionView,
    pub restored_at: String,
}

/// A reminder that the operator's LWA client secret expires.
#[derive(Debug, Clone)]
pub(crate) struct AppSecretExpiringView {
    pub c: ConnectionView,
    pub expires_on: String,
    pub days_left: i32,
    pub fix: Option<FixGuide>,
}

/// A test message.
#[derive(Debug, Clone)]
pub(crate) struct TestView {
    pub c: ConnectionView,
    pub created_at: String,
}

/// Declares a subject or plain-text template type (`v` only).
macro_rules! plain_template {
    ($name:ident, $view:ty, $path:tt) => {
        #[derive(Template)]
        #[template(path = $path)]
        pub(crate) struct $name<'a> {
            pub v: &'a $view,
        }
    };
}

/// Declares an HTML template type (`v` and the rendered `subject`, the page title).
macro_rules! html_template {
    ($name:ident, $view:ty, $path:tt) => {
        #[derive(Template)]
        #[template(path = $path)]
        pub(crate) struct $name<'a> {
            pub v: &'a $view,
            pub subject: &'a str,
        }
    };
}

plain_template!(
    ExpiryReminderJaSubject,
    ExpiryReminderView,
    "ja/expiry_reminder.subject.txt"
);
plain_template!(
    ExpiryReminderJaText,
    ExpiryReminderView,
    "ja/expiry_reminder.txt"
);
html_template!(
    ExpiryReminderJaHtml,
    ExpiryReminderView,
    "ja/expiry_reminder.html"
);
plain_template!(
    ExpiryReminderEnSubject,
    ExpiryReminderView,
    "en/expiry_reminder.subject.txt"
);
plain_template!(
    ExpiryReminderEnText,
    ExpiryReminderView,
    "en/expiry_reminder.txt"
);
html_template!(
    ExpiryReminderEnHtml,
    ExpiryReminderView,
    "en/expiry_reminder.html"
);

plain_template!(
    AccessLostJaSubject,
    AccessLostView,
    "ja/access_lost.subject.txt"
);
plain_template!(AccessLostJaText, AccessLostView, "ja/access_lost.txt");
html_template!(AccessLostJaHtml, AccessLostView, "ja/access_lost.html");
plain_template!(
    AccessLostEnSubject,
    AccessLostView,
    "en/access_lost.subject.txt"
);
plain_template!(AccessLostEnText, AccessLostView, "en/access_lost.txt");
html_template!(AccessLostEnHtml, AccessLostView, "en/access_lost.html");

plain_template!(
    AccessRestoredJaSubject,
    AccessRestoredView,
    "ja/access_restored.subject.txt"
);
plain_template!(
    AccessRestoredJaText,
    AccessRestoredView,
    "ja/access_restored.txt"
);
html_template!(
    AccessRestoredJaHtml,
    AccessRestoredView,
    "ja/access_restored.html"
);
plain_template!(
    AccessRestoredEnSubject,
    AccessRestoredView,
    "en/access_restored.subject.txt"
);
plain_template!(
    AccessRestoredEnText,
    AccessRestoredView,
    "en/access_restored.txt"
);
html_template!(
    AccessRestoredEnHtml,
    AccessRestoredView,
    "en/access_restored.html"
);

plain_template!(
    AppSecretExpiringJaSubject,
    AppSecretExpiringView,
    "ja/app_secret_expiring.subject.txt"
);
plain_template!(
    AppSecretExpiringJaText,
    AppSecretExpiringView,
    "ja/app_secret_expiring.txt"
);
html_template!(
    AppSecretExpiringJaHtml,
    AppSecretExpiringView,
    "ja/app_secret_expiring.html"
);
plain_template!(
    AppSecretExpiringEnSubject,
    AppSecretExpiringView,
    "en/app_secret_expiring.subject.txt"
);
plain_template!(
    AppSecretExpiringEnText,
    AppSecretExpiringView,
    "en/app_secret_expiring.txt"
);
html_template!(
    AppSecretExpiringEnHtml,
    AppSecretExpiringView,
    "en/app_secret_expiring.html"
);

plain_template!(TestJaSubject, TestView, "ja/test.subject.txt");
plain_template!(TestJaText, TestView, "ja/test.txt");
html_template!(TestJaHtml, TestView, "ja/test.html");
plain_template!(TestEnSubject, TestView, "en/test.subject.txt");
plain_template!(TestEnText, TestView, "en/test.txt");
html_template!(TestEnHtml, TestView, "en/test.html");
