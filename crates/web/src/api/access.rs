//! What each API route asks of an API key: one of its scopes, or a signed-in session (creating API keys and
//! notification channels, and whatever is not listed here: a route added without an entry refuses keys).
//!
//! [`mark`] runs on every API route and leaves the route's [`KeyAccess`] in the request; [`crate::auth::caller`]
//! checks it when the caller is an API key. Sessions are governed by their role, not by scopes.

use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use sellerlink_store::ApiKeyScope;

use crate::error::HttpError;

/// What a route asks of an API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyAccess {
    /// A key with this scope may call it.
    Scope(ApiKeyScope),
    /// Only a signed-in session may call it.
    SessionOnly,
}

impl KeyAccess {
    /// Refuses a key whose scopes do not cover this route, naming what is missing.
    pub(crate) fn check(self, scopes: &sellerlink_store::ApiKeyScopes) -> Result<(), HttpError> {
        match self {
            Self::Scope(scope) if scopes.allows(scope) => Ok(()),
            Self::Scope(scope) => Err(HttpError::missing_scope(scope)),
            Self::SessionOnly => Err(HttpError::session_required()),
        }
    }
}

/// The access `method` on the route `path` (as matched, e.g. `/v1/connections/{connection_id}/stock`) asks of a key.
pub(crate) fn required(method: &Method, path: &str) -> KeyAccess {
    use ApiKeyScope::*;
    let path = path.strip_prefix("/api").unwrap_or(path);
    let read = *method == Method::GET || *method == Method::HEAD;
    let scope = match path {
        "/v1/merchants" | "/v1/merchants/{merchant_id}" if read => ReadConnections,
        "/v1/connections" | "/v1/connections/{connection_id}" if read => ReadConnections,
        "/v1/connections/{connection_id}/sync-runs" if read => ReadConnections,
        "/v1/connections"
        | "/v1/connections/{connection_id}"
        | "/v1/connections/{connection_id}/actions"
        | "/v1/connections/{connection_id}/verify"
        | "/v1/connections/{connection_id}/sync-runs" => ManageConnections,
        "/v1/orders"
        | "/v1/connections/{connection_id}/orders/{amazon_order_id}"
        | "/v1/connections/{connection_id}/orders/{amazon_order_id}/shipments"
        | "/v1/connections/{connection_id}/stock"
            if read =>
        {
            ReadOrders
        }
        "/v1/connections/{connection_id}/orders/{amazon_order_id}/shipments" => WriteShipments,
        "/v1/connections/{connection_id}/stock" => WriteStock,
        "/v1/notification-channels" | "/v1/notifications" if read => ReadNotifications,
        "/v1/notification-channels/{channel_id}/disable"
        | "/v1/notification-channels/{channel_id}/enable"
        | "/v1/notification-channels/{channel_id}/test" => ManageNotifications,
        _ => return KeyAccess::SessionOnly,
    };
    KeyAccess::Scope(scope)
}

/// Leaves the route's [`KeyAccess`] in the request for the caller check.
pub(crate) async fn mark(mut request: Request, next: Next) -> Response {
    let access = request
        .extensions()
        .get::<MatchedPath>()
        .map_or(KeyAccess::SessionOnly, |path| {
            required(request.method(), path.as_str())
        });
    request.extensions_mut().insert(access);
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_writes_and_session_only_routes() {
        use ApiKeyScope::*;
        let stock = "/api/v1/connections/{connection_id}/stock";
        assert_eq!(required(&Method::GET, stock), KeyAccess::Scope(ReadOrders));
        assert_eq!(required(&Method::PUT, stock), KeyAccess::Scope(WriteStock));
        assert_eq!(
            required(&Method::POST, "/v1/connections"),
            KeyAccess::Scope(ManageConnections)
        );
        for (method, path) in [
            (Method::POST, "/v1/api-keys"),
            (Method::GET, "/v1/api-keys"),
            (Method::DELETE, "/v1/api-keys/{api_key_id}"),
            (Method::POST, "/v1/notification-channels"),
            (Method::POST, "/v1/merchants"),
            (Method::GET, "/v1/some-future-route"),
        ] {
            assert_eq!(
                required(&method, path),
                KeyAccess::SessionOnly,
                "{method} {path}"
            );
        }
    }
}
