//! Switching the language: remembered on the user (signed in) and in a cookie (for signed-out pages).

use axum::extract::{Form, State};
use axum::http::header::SET_COOKIE;
use axum::response::Response;
use sellerlink_domain::connection::Language;
use serde::Deserialize;

use super::{error_page, local_path, see_other};
use crate::auth::session::{Visitor, language_cookie};
use crate::state::WebState;

#[derive(Deserialize)]
pub(crate) struct LanguageForm {
    lang: String,
    next: Option<String>,
}

/// Stores the choice and returns to the page the switch was on.
pub(crate) async fn switch(
    State(state): State<WebState>,
    visitor: Visitor,
    Form(form): Form<LanguageForm>,
) -> Response {
    let language = Language::parse(&form.lang).unwrap_or_default();
    if let Some(user) = visitor.user()
        && let Err(error) = state.store().set_user_language(user.id, language).await
    {
        return error_page(&visitor, &error.into());
    }
    let mut response = see_other(&local_path(form.next.as_deref(), "/"));
    response.headers_mut().append(
        SET_COOKIE,
        language_cookie(language, state.config().secure_cookies),
    );
    response
}
