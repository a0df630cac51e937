//! "Connect with Amazon" (SP-API): the button starts the OAuth website workflow, Amazon sends the browser back to
//! the redirect URI (`/amazon/callback`), and the app's log-in URI (`/amazon/login`) continues a re-authorization
//! started in Seller Central → Manage Your Apps. The OAuth `state` is bound to the signed-in session.
//!
//! Register `<public URL>/amazon/callback` as the app's redirect URI and `<public URL>/amazon/login` as its log-in
//! URI. Every response carries `Referrer-Policy: no-referrer`, so the one-time code never leaks onwards.

use axum::extract::{Form, Path, RawQuery, State};
use axum::response::Response;
use sellerlink_app::{SpApiCallback, SpApiLogin};
use sellerlink_domain::ids::{MarketplaceId, MerchantId};
use serde::Deserialize;

use super::{error_page, see_other};
use crate::auth::caller::PageUser;
use crate::error::HttpError;
use crate::state::WebState;
use crate::tenancy::merchant_not_found;

/// What binds an OAuth `state` to the browser that started it: the session's id (the SHA-256 of its cookie).
fn session_binding(user: &PageUser) -> String {
    user.signed_in.session.id.to_hex()
}

#[derive(Deserialize)]
pub(crate) struct StartForm {
    #[serde(default)]
    marketplace: String,
}

/// The button: sends the browser to Seller Central's consent page for the merchant's marketplace.
pub(crate) async fn start(
    State(state): State<WebState>,
    user: PageUser,
    Path(merchant_id): Path<String>,
    Form(form): Form<StartForm>,
) -> Response {
    let result = async {
        let id = MerchantId::parse(&merchant_id).map_err(|_| merchant_not_found())?;
        let merchant = user.scope().merchant_record(state.app(), id).await?;
        let marketplace = if form.marketplace.trim().is_empty() {
            MarketplaceId::japan()
        } else {
            MarketplaceId::parse(&form.marketplace).map_err(|e| HttpError::invalid_id(&e))?
        };
        let request = state
            .app()
            .start_spapi_authorization(merchant.id, &marketplace, &session_binding(&user))
            .await?;
        Ok::<_, HttpError>(see_other(request.url.as_str()))
    }
    .await;
    result.unwrap_or_else(|error| error_page(&user.visitor, &error))
}

/// The redirect URI: stores (or renews) the connection, verified, and shows the dashboard.
pub(crate) async fn callback(
    State(state): State<WebState>,
    user: PageUser,
    RawQuery(query): RawQuery,
) -> Response {
    let callback = SpApiCallback::from_query(query.as_deref().unwrap_or_default());
    match state
        .app()
        .complete_spapi_authorization(&callback, &session_binding(&user), &user.actor())
        .await
    {
        Ok(done) => {
            let connection = &done.connection.connection;
            if state.config().sync_after_connect {
                state.import_in_background(connection.id);
            }
            let notice = if done.switched {
                "switched_to_spapi"
            } else if done.renewed {
                "reauthorized"
            } else {
                "connected"
            };
            see_other(&format!(
                "/merchants/{}?notice={notice}",
                connection.merchant_id
            ))
        }
        Err(error) => error_page(&user.visitor, &error.into()),
    }
}

/// The log-in URI: continues a re-authorization (or an Appstore authorization) for the signed-in merchant user.
pub(crate) async fn login(
    State(state): State<WebState>,
    user: PageUser,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(merchant) = user.scope().merchant() else {
        let error = HttpError::forbidden(
            "authorize an Amazon app (sign in as the merchant's user)",
            "Amazon アプリを承認（荷主のユーザーでサインインしてください）",
        );
        return error_page(&user.visitor, &error);
    };
    let login = SpApiLogin::from_query(query.as_deref().unwrap_or_default());
    match state
        .app()
        .continue_spapi_reauthorization(&login, merchant, &session_binding(&user))
        .await
    {
        Ok(url) => see_other(url.as_str()),
        Err(error) => error_page(&user.visitor, &error.into()),
    }
}
