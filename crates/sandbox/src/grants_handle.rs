//! [`GrantsHandle`]: ends a seller's access in a started sandbox without an HTTP round trip, for code that must do
//! it at an exact moment from a synchronous callback (a test's hook that runs in the middle of an import).

use jiff::Timestamp;

use crate::lwa::LwaRegistry;
use crate::lwa::registry::AuthorizationMissing;
use crate::world::{GrantError, SharedWorld, lock};

/// Ends sellers' MWS grants and SP-API authorizations in one started sandbox, synchronously; cheap to clone,
/// shareable between threads. Each method does what the control API's `POST /_sandbox/grants/{action}` or
/// `POST /_sandbox/authorizations/{action}` does with the same action, at the sandbox's now; everything else about
/// grants goes through the control API.
#[derive(Debug, Clone)]
pub struct GrantsHandle {
    world: SharedWorld,
}

/// Why a [`GrantsHandle`] could not change access.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GrantChangeError {
    /// The MWS grant could not be changed: unknown seller or developer, no grant, or (expiring) a grant without
    /// the expiry feature; the message is the sandbox's.
    #[error("the MWS grant cannot be changed: {0}")]
    Grant(String),
    /// The seller has not authorized the SP-API app.
    #[error("the seller has not authorized this app")]
    NoAuthorization,
}

impl From<GrantError> for GrantChangeError {
    fn from(error: GrantError) -> Self {
        Self::Grant(error.to_string())
    }
}

impl GrantsHandle {
    pub(crate) fn new(world: SharedWorld) -> Self {
        Self { world }
    }

    /// The seller's MWS grant to the developer (12 digits) expires now: its expiry date becomes today (JST), as
    /// `POST /_sandbox/grants/expire-now` does. The grant must have the expiry feature on.
    pub fn expire_grant_now(
        &self,
        seller_id: &str,
        developer_id: &str,
    ) -> Result<(), GrantChangeError> {
        lock(&self.world).expire_now(seller_id, developer_id)?;
        Ok(())
    }

    /// The seller revokes the developer's MWS grant for good, as `POST /_sandbox/grants/revoke` does.
    pub fn revoke_grant(
        &self,
        seller_id: &str,
        developer_id: &str,
    ) -> Result<(), GrantChangeError> {
        lock(&self.world).revoke_access(seller_id, developer_id)?;
        Ok(())
    }

    /// The seller's authorization of the SP-API app (`amzn1.sellerapps.app.…`) expires now, as if its 365 days had
    /// passed, as `POST /_sandbox/authorizations/expire-now` does.
    pub fn expire_authorization_now(
        &self,
        seller_id: &str,
        application_id: &str,
    ) -> Result<(), GrantChangeError> {
        self.change_authorization(seller_id, application_id, LwaRegistry::expire_now)
    }

    /// The seller revokes its authorization of the SP-API app in Manage Your Apps, as
    /// `POST /_sandbox/authorizations/revoke` does.
    pub fn revoke_authorization(
        &self,
        seller_id: &str,
        application_id: &str,
    ) -> Result<(), GrantChangeError> {
        self.change_authorization(seller_id, application_id, LwaRegistry::revoke)
    }

    /// Applies `change` to the authorization at the sandbox's now.
    fn change_authorization<T>(
        &self,
        seller_id: &str,
        application_id: &str,
        change: impl FnOnce(&mut LwaRegistry, &str, &str, Timestamp) -> Result<T, AuthorizationMissing>,
    ) -> Result<(), GrantChangeError> {
        let mut world = lock(&self.world);
        let now = world.now();
        change(world.lwa_mut(), seller_id, application_id, now)
            .map_err(|_| GrantChangeError::NoAuthorization)?;
        Ok(())
    }
}
