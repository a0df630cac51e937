//! The demo clock bar (`templates/demo_clock.html`, on every page of a signed-in visitor of the demo) and its form:
//! `POST /demo/clock` moves sellerlink's and the sandbox's clocks forward by `days` and comes back to the page.

use axum::extract::{Form, State};
use axum::response::Response;
use jiff::Timestamp;
use serde::Deserialize;

use super::{error_page, format, local_path, see_other};
use crate::auth::caller::PageUser;
use crate::auth::session::Visitor;
use crate::demo_clock::{MAX_ADVANCE_DAYS, parse_advance_days};
use crate::error::HttpError;
use crate::i18n::Texts;
use crate::state::WebState;

/// The bar's quick steps, in days (their buttons are `demo-advance-<days>`).
const STEPS: [i64; 4] = [1, 7, 30, 365];

/// What the bar shows.
pub(crate) struct Bar {
    /// The demo's now in Japan time, `2027-03-12 14:03 JST`.
    pub shown: String,
    /// The same instant, RFC 3339, for `<time datetime>`.
    pub datetime: String,
    /// The quick steps: days and button label.
    pub steps: Vec<(i64, String)>,
    pub max_days: i64,
}

impl Bar {
    /// The bar for a signed-in visitor when the web app runs with the demo clock; else none.
    pub(crate) fn for_visitor(visitor: &Visitor, t: &Texts) -> Option<Self> {
        visitor.signed_in.as_ref()?;
        visitor.demo_now.map(|now| Self::at(now, t))
    }

    fn at(now: Timestamp, t: &Texts) -> Self {
        Self {
            shown: format::jst(now),
            datetime: now.to_string(),
            steps: STEPS
                .iter()
                .map(|&days| (days, (t.demo_clock_plus_days)(days)))
                .collect(),
            max_days: MAX_ADVANCE_DAYS,
        }
    }
}

/// The bar's forms: the days to move forward, and the page to come back to.
#[derive(Debug, Deserialize)]
pub(crate) struct AdvanceForm {
    days: String,
    next: Option<String>,
}

/// Moves the demo clock forward (running what fell due) and returns to the page the form was on.
pub(crate) async fn advance(
    State(state): State<WebState>,
    user: PageUser,
    Form(form): Form<AdvanceForm>,
) -> Response {
    let Some(demo) = state.demo_clock() else {
        return error_page(&user.visitor, &HttpError::not_found("page", "ページ"));
    };
    match parse_advance_days("days", &form.days) {
        Ok(days) => {
            demo.advance(days).await;
            see_other(&local_path(form.next.as_deref(), "/"))
        }
        Err(error) => error_page(&user.visitor, &error),
    }
}
