//! Replacing the MWS Auth Token of a connection that lost access: after a revocation the seller grants access
//! again, which issues a new token (and starts a new year); after an expiry or a refusal the token may also have
//! changed. The new token is proven against Amazon for the SAME seller before anything is stored; then the sealed
//! credential, the grant and the audit entry `credential_replaced` are written in one transaction.

use secrecy::SecretString;
use sellerlink_domain::audit::{Actor, AuditAction, AuditEntry};
use sellerlink_domain::connection::{ApiAccount, Connection};
use sellerlink_domain::ids::{ConnectionId, MwsAuthToken};
use sellerlink_domain::lifecycle::{LifecycleError, RenewalTerm, SellerCentralDates};

use crate::connections::{credential_context, snapshot, to_stored};
use crate::error::not_found;
use crate::{App, AppError, ConnectionView};

/// A new MWS Auth Token for an existing connection, with the new grant's dates as Seller Central shows them
/// (default: granted now).
#[derive(Debug, Clone)]
pub struct MwsTokenReplacement {
    pub connection_id: ConnectionId,
    pub auth_token: MwsAuthToken,
    pub dates: SellerCentralDates,
}

impl App {
    /// Replaces a revoked, expired or refused MWS connection's token after Amazon accepted it for the same seller
    /// (MWS `ListMarketplaceParticipations`, as when connecting): the grant becomes the new grant, revocation and
    /// refusal are cleared. Nothing is stored when a rule or Amazon refuses.
    pub async fn replace_mws_token(
        &self,
        input: MwsTokenReplacement,
        actor: &Actor,
    ) -> Result<ConnectionView, AppError> {
        let id = input.connection_id;
        let now = self.now();
        let stored = self
            .store
            .connection(id)
            .await
            .map_err(|e| not_found(e, AppError::ConnectionNotFound(id)))?;
        let before = stored.connection;
        if !matches!(before.account, ApiAccount::Mws { .. }) {
            return Err(LifecycleError::NotMws.into());
        }
        before.grant.check_replaceable(now)?;
        let home = before.home_marketplace().marketplace();
        let mut after = Connection {
            grant: input.dates.grant(now, home, RenewalTerm::OneYear)?,
            verified_at: None,
            ..before.clone()
        };
        let secret = SecretString::from(input.auth_token.expose_secret().to_owned());
        self.verify_new(&mut after, &secret).await?;
        let sealed = self.keyring.seal(&credential_context(id), &secret)?;
        let audit = AuditEntry {
            merchant_id: before.merchant_id,
            connection_id: Some(id),
            actor: actor.clone(),
            action: AuditAction::CredentialReplaced,
            at: now,
            before: Some(snapshot(&before)),
            after: Some(snapshot(&after)),
        };
        self.store
            .replace_credential_and_grant(&after, &to_stored(&sealed), stored.version, &audit)
            .await?;
        self.view(after).await
    }
}
