//! [`Caller`]: who makes an API request (an API key or a signed-in user) and what they may see; [`PageUser`]: the
//! signed-in user of a page.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, header};
use axum::response::{IntoResponse, Redirect, Response};
use sellerlink_domain::audit::Actor;
use sellerlink_domain::ids::MerchantId;
use sellerlink_store::{Role, SessionWithUser, User};

use super::api_key;
use super::session::Visitor;
use super::tokens::same_token;
use crate::api::access::KeyAccess;
use crate::error::HttpError;
use crate::state::WebState;
use crate::tenancy::Scope;

/// The header a signed-in browser sends its CSRF token in on state-changing API requests.
pub(crate) const CSRF_HEADER: &str = "x-csrf-token";

/// The caller of an API request: an API key (its merchant) or a signed-in user (by role).
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    pub scope: Scope,
    pub actor: Actor,
}

impl Caller {
    /// Refuses everyone but operators.
    pub(crate) fn require_operator(&self, what_en: &str, what_ja: &str) -> Result<(), HttpError> {
        match self.scope {
            Scope::All => Ok(()),
            Scope::Merchant(_) => Err(HttpError::forbidden(what_en, what_ja)),
        }
    }

    /// The merchant a merchant-only action acts for; operators are refused.
    pub(crate) fn require_merchant(
        &self,
        what_en: &str,
        what_ja: &str,
    ) -> Result<MerchantId, HttpError> {
        self.scope
            .merchant()
            .ok_or_else(|| HttpError::forbidden(what_en, what_ja))
    }
}

/// The audit actor of a user.
pub(crate) fn user_actor(user: &User) -> Actor {
    Actor::user(&user.id.to_string())
}

impl FromRequestParts<WebState> for Caller {
    type Rejection = HttpError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &WebState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let key = api_key::authenticate(state, value).await?;
            // Every API route leaves what it asks of a key; anything else (none found) is for sessions only.
            parts
                .extensions
                .get::<KeyAccess>()
                .copied()
                .unwrap_or(KeyAccess::SessionOnly)
                .check(&key.scopes)?;
            return Ok(Self {
                scope: Scope::Merchant(key.merchant_id),
                actor: Actor::from_stored(format!("api-key:{}", key.id)),
            });
        }
        let visitor = Visitor::from_request_parts(parts, state).await?;
        let Some(signed_in) = visitor.signed_in else {
            return Err(HttpError::unauthenticated());
        };
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if !same_token(sent, &signed_in.session.csrf_token) {
                return Err(HttpError::csrf());
            }
        }
        Ok(Self {
            scope: Scope::of(signed_in.user.role),
            actor: user_actor(&signed_in.user),
        })
    }
}

/// The signed-in user of a page; without one the browser is sent to sign-in (and back afterwards).
#[derive(Debug, Clone)]
pub(crate) struct PageUser {
    pub visitor: Visitor,
    pub signed_in: Arc<SessionWithUser>,
}

impl PageUser {
    pub(crate) fn user(&self) -> &User {
        &self.signed_in.user
    }

    pub(crate) fn scope(&self) -> Scope {
        Scope::of(self.signed_in.user.role)
    }

    pub(crate) fn actor(&self) -> Actor {
        user_actor(&self.signed_in.user)
    }

    pub(crate) fn is_operator(&self) -> bool {
        matches!(self.signed_in.user.role, Role::Operator)
    }
}

impl FromRequestParts<WebState> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &WebState,
    ) -> Result<Self, Self::Rejection> {
        let visitor = Visitor::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        match visitor.signed_in.clone() {
            Some(signed_in) => Ok(Self { visitor, signed_in }),
            None => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/");
                let target = format!(
                    "/login?next={}",
                    url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
                );
                Err(Redirect::to(&target).into_response())
            }
        }
    }
}
