//! Turns a [`Notification`] into an e-mail's subject, plain-text body and HTML body, in the reader's
//! language, with askama templates (`templates/{ja,en}/`).
//!
//! Dates are shown as Seller Central shows them (`2019-04-17`, times as `2019-04-17 10:00:00 JST`); the
//! HTML body is escaped by askama, the plain-text body is not escaped.

mod views;
mod wording;

use askama::Template;

use sellerlink_domain::connection::Language;

use crate::error::NotifyError;
use crate::fix::fix_for;
use crate::jst;
use crate::message::{Notification, NotificationKind};

use views::{
    AccessLostView, AccessRestoredView, AppSecretExpiringView, ConnectionView, ExpiryReminderView,
    TestView,
};

/// A notification rendered for e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// One line, no control characters.
    pub subject: String,
    /// The `text/plain` body.
    pub text: String,
    /// The `text/html` body.
    pub html: String,
}

/// Renders the subject, the plain-text body and the HTML body (whose title is the subject).
macro_rules! render_all {
    ($kind:expr, $v:expr, $subject:ident, $text:ident, $html:ident) => {{
        let subject = one_line(&run($kind, "subject", &views::$subject { v: $v })?);
        let text = run($kind, "text", &views::$text { v: $v })?;
        let html = run(
            $kind,
            "html",
            &views::$html {
                v: $v,
                subject: &subject,
            },
        )?;
        Ok(Rendered {
            subject,
            text,
            html,
        })
    }};
}

/// Renders `notification` in its language.
///
/// # Errors
///
/// [`NotifyError::Render`] if a template fails, which only a bug in a template can cause.
pub fn render(notification: &Notification) -> Result<Rendered, NotifyError> {
    let c = ConnectionView::new(&notification.connection);
    let language = notification.language;
    let fix = fix_for(notification);
    let name = notification.kind.name();
    match &notification.kind {
        NotificationKind::ExpiryReminder {
            expires_on,
            days_left,
        } => {
            let v = ExpiryReminderView {
                c,
                expires_on: jst::date(*expires_on),
                days_left: *days_left,
                fix,
            };
            match language {
                Language::Ja => render_all!(
                    name,
                    &v,
                    ExpiryReminderJaSubject,
                    ExpiryReminderJaText,
                    ExpiryReminderJaHtml
                ),
                Language::En => render_all!(
                    name,
                    &v,
                    ExpiryReminderEnSubject,
                    ExpiryReminderEnText,
                    ExpiryReminderEnHtml
                ),
            }
        }
        NotificationKind::AccessLost {
            cause,
            amazon_code,
            amazon_message,
            detected_at,
        } => {
            let v = AccessLostView {
                c,
                cause: wording::cause(cause, language),
                amazon_answer: wording::amazon_answer(
                    amazon_code.as_deref(),
                    amazon_message.as_deref(),
                ),
                detected_at: jst::date_time(*detected_at),
                fix,
            };
            match language {
                Language::Ja => render_all!(
                    name,
                    &v,
                    AccessLostJaSubject,
                    AccessLostJaText,
                    AccessLostJaHtml
                ),
                Language::En => render_all!(
                    name,
                    &v,
                    AccessLostEnSubject,
                    AccessLostEnText,
                    AccessLostEnHtml
                ),
            }
        }
        NotificationKind::AccessRestored { restored_at } => {
            let v = AccessRestoredView {
                c,
                restored_at: jst::date_time(*restored_at),
            };
            match language {
                Language::Ja => render_all!(
                    name,
                    &v,
                    AccessRestoredJaSubject,
                    AccessRestoredJaText,
                    AccessRestoredJaHtml
                ),
                Language::En => render_all!(
                    name,
                    &v,
                    AccessRestoredEnSubject,
                    AccessRestoredEnText,
                    AccessRestoredEnHtml
                ),
            }
        }
        NotificationKind::AppSecretExpiring {
            expires_on,
            days_left,
        } => {
            let v = AppSecretExpiringView {
                c,
                expires_on: jst::date(*expires_on),
                days_left: *days_left,
                fix,
            };
            match language {
                Language::Ja => render_all!(
                    name,
                    &v,
                    AppSecretExpiringJaSubject,
                    AppSecretExpiringJaText,
                    AppSecretExpiringJaHtml
                ),
                Language::En => render_all!(
                    name,
                    &v,
                    AppSecretExpiringEnSubject,
                    AppSecretExpiringEnText,
                    AppSecretExpiringEnHtml
                ),
            }
        }
        NotificationKind::Test => {
            let v = TestView {
                c,
                created_at: jst::date_time(notification.created_at),
            };
            match language {
                Language::Ja => render_all!(name, &v, TestJaSubject, TestJaText, TestJaHtml),
                Language::En => render_all!(name, &v, TestEnSubject, TestEnText, TestEnHtml),
            }
        }
    }
}

fn run(
    kind: &'static str,
    part: &'static str,
    template: &impl Template,
) -> Result<String, NotifyError> {
    template
        .render()
        .map_err(|source| NotifyError::Render { kind, part, source })
}

/// Collapses white space (including line breaks) so the subject is one header line.
fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
