//! Tenancy: a merchant's user or API key sees that merchant only. Everything another merchant owns answers exactly
//! as if it did not exist (404), through pages and API alike.

use sellerlink_app::{App, ConnectionView};
use sellerlink_domain::connection::Merchant;
use sellerlink_domain::ids::{ConnectionId, MerchantId};
use sellerlink_store::Role;

use crate::error::HttpError;

/// What a caller may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// An operator: every merchant.
    All,
    /// A merchant's user or API key: that merchant only.
    Merchant(MerchantId),
}

impl Scope {
    pub(crate) fn of(role: Role) -> Self {
        match role {
            Role::Operator => Self::All,
            Role::Merchant(id) => Self::Merchant(id),
        }
    }

    /// The merchant every query is limited to, if any.
    pub(crate) fn merchant(self) -> Option<MerchantId> {
        match self {
            Self::All => None,
            Self::Merchant(id) => Some(id),
        }
    }

    /// Whether this scope includes `merchant`.
    pub(crate) fn allows(self, merchant: MerchantId) -> bool {
        match self {
            Self::All => true,
            Self::Merchant(own) => own == merchant,
        }
    }

    /// Narrows a requested merchant filter to this scope: `Err(404)` when a merchant asks for another merchant.
    pub(crate) fn narrow(
        self,
        requested: Option<MerchantId>,
    ) -> Result<Option<MerchantId>, HttpError> {
        match (self, requested) {
            (Self::All, requested) => Ok(requested),
            (Self::Merchant(own), None) => Ok(Some(own)),
            (Self::Merchant(own), Some(asked)) if asked == own => Ok(Some(own)),
            (Self::Merchant(_), Some(_)) => Err(merchant_not_found()),
        }
    }

    /// A merchant in scope, or 404.
    pub(crate) async fn merchant_record(
        self,
        app: &App,
        id: MerchantId,
    ) -> Result<Merchant, HttpError> {
        if !self.allows(id) {
            return Err(merchant_not_found());
        }
        app.store().merchant(id).await.map_err(|error| match error {
            sellerlink_store::StoreError::NotFound { .. } => merchant_not_found(),
            other => other.into(),
        })
    }

    /// A connection in scope, or 404 (the same answer whether it belongs to someone else or does not exist).
    pub(crate) async fn connection(
        self,
        app: &App,
        id: ConnectionId,
    ) -> Result<ConnectionView, HttpError> {
        let view = app.connection(id).await?;
        if self.allows(view.connection.merchant_id) {
            Ok(view)
        } else {
            Err(HttpError::from(
                sellerlink_app::AppError::ConnectionNotFound(id),
            ))
        }
    }
}

/// The 404 of a merchant that is not there (or not the caller's).
pub(crate) fn merchant_not_found() -> HttpError {
    HttpError::not_found("merchant", "荷主")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merchants_see_only_themselves() {
        let own = MerchantId::new();
        let other = MerchantId::new();
        let scope = Scope::Merchant(own);
        assert!(scope.allows(own));
        assert!(!scope.allows(other));
        assert_eq!(scope.narrow(None).unwrap(), Some(own));
        assert_eq!(scope.narrow(Some(own)).unwrap(), Some(own));
        assert_eq!(scope.narrow(Some(other)).unwrap_err().status.as_u16(), 404);
        assert_eq!(Scope::All.narrow(Some(other)).unwrap(), Some(other));
        assert!(Scope::All.allows(other));
    }
}
