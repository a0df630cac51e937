//! After Amazon said yes: verify the new refresh token, then store it — as a new SP-API connection, or as the
//! renewal of the merchant's existing connection to the same seller account.

use jiff::Timestamp;
use secrecy::SecretString;
use sellerlink_domain::audit::{Actor, AuditAction, AuditEntry};
use sellerlink_domain::connection::{ApiAccount, ConnectedMarketplace, Connection};
use sellerlink_domain::ids::{
    ConnectionId, LwaRefreshToken, MarketplaceId, MerchantId, SellingPartnerId,
};
use sellerlink_domain::lifecycle::{AccessGrant, Expiry, RenewalTerm};
use sellerlink_domain::refusal::RefusalCause;
use sellerlink_spapi::SellerAuth;
use sellerlink_store::{ConnectionFilter, StoreError, StoredConnection};
use sellerlink_sync::{AmazonGateway as _, GatewayError, GatewayErrorKind};

use super::authorize::refused;
use super::failure::SpApiFailure;
use crate::connections::{credential_context, snapshot, to_stored};
use crate::{App, AppError, VerificationFailure};

/// How often a renewal re-reads the connection when a sync run changed it meanwhile.
const ATTEMPTS: usize = 3;

/// A seller account's authorization of the app, about to be stored as a new connection.
#[derive(Debug)]
pub(crate) struct NewAuthorization {
    /// The merchant the connection belongs to.
    pub(crate) merchant_id: MerchantId,
    /// The seller account.
    pub(crate) selling_partner_id: SellingPartnerId,
    /// The home marketplace (the only one of an SP-API connection).
    pub(crate) home: MarketplaceId,
    /// Amazon's name for `home`, when verification read it.
    pub(crate) name: Option<String>,
    /// When the seller authorized the app: the 365 days count from its day in the home marketplace's calendar.
    pub(crate) authorized_at: Timestamp,
    /// Amazon accepted the refresh token just now (`getMarketplaceParticipations`).
    pub(crate) verified: bool,
}

/// The grant after a re-authorization at `authorized_at` (usually now): approved that day, expiring 365 days later,
/// any revocation or refusal of the previous period gone (Amazon starts a new period; the seller consented again).
fn reauthorized(grant: &AccessGrant, authorized_at: Timestamp) -> AccessGrant {
    let approved_on = grant.local_date(authorized_at);
    AccessGrant {
        last_approved_on: approved_on,
        expiry: Expiry::Enabled {
            expires_on: RenewalTerm::Days365.expiry_after(approved_on),
        },
        term: RenewalTerm::Days365,
        revoked_at: None,
        access_denied: None,
        ..grant.clone()
    }
}

/// A failed verification of a fresh authorization, for the merchant (or the operator).
fn verification_refused(
    error: &GatewayError,
    selling_partner_id: &SellingPartnerId,
    home: &MarketplaceId,
) -> AppError {
    match &error.kind {
        GatewayErrorKind::AccessDenied { cause, .. } => refused(match cause {
            RefusalCause::AuthorizationLost => SpApiFailure::AuthorizationLost {
                selling_partner_id: selling_partner_id.clone(),
                seller_central_host: home.marketplace().seller_central_host.to_owned(),
            },
            RefusalCause::AppCredentialsRejected => SpApiFailure::AppCredentialsRejected {
                amazon_message: error.to_string(),
            },
            RefusalCause::SellerAccess | RefusalCause::OperatorCredentials => {
                SpApiFailure::AccessDenied {
                    amazon_message: error.to_string(),
                }
            }
        }),
        GatewayErrorKind::Transient | GatewayErrorKind::Throttled { .. } => {
            AppError::Verification(VerificationFailure::Unreachable {
                detail: error.to_string(),
            })
        }
        GatewayErrorKind::Invalid | GatewayErrorKind::Other => {
            AppError::Verification(VerificationFailure::Refused {
                detail: error.to_string(),
            })
        }
    }
}

impl App {
    /// The merchant's SP-API connection to `selling_partner_id`, if there is one.
    pub(crate) async fn spapi_connection_of(
        &self,
        merchant: MerchantId,
        selling_partner_id: &SellingPartnerId,
    ) -> Result<Option<StoredConnection>, AppError> {
        let filter = ConnectionFilter {
            merchant: Some(merchant),
            ..ConnectionFilter::default()
        };
        Ok(self.store.connections(&filter).await?.into_iter().find(|stored| {
            matches!(&stored.connection.account, ApiAccount::SpApi { selling_partner_id: id, .. } if id == selling_partner_id)
        }))
    }

    /// Proves a fresh refresh token with `getMarketplaceParticipations`; the seller must sell in `home`. Returns
    /// Amazon's name for `home`.
    pub(crate) async fn verify_authorization(
        &self,
        selling_partner_id: &SellingPartnerId,
        refresh_token: &LwaRefreshToken,
        home: &MarketplaceId,
    ) -> Result<Option<String>, AppError> {
        let spapi = self.spapi()?;
        let seller = SellerAuth::new(
            selling_partner_id.clone(),
            refresh_token.clone(),
            home.marketplace().region,
        );
        let gateway = spapi.factory.gateway_for(seller, vec![home.clone()]);
        let participations = gateway
            .verify()
            .await
            .map_err(|e| verification_refused(&e, selling_partner_id, home))?;
        let Some(found) = participations.iter().find(|p| &p.marketplace_id == home) else {
            return Err(AppError::Verification(
                VerificationFailure::MarketplaceNotParticipating {
                    missing: vec![home.clone()],
                    participating: participations
                        .iter()
                        .map(|p| p.marketplace_id.clone())
                        .collect(),
                },
            ));
        };
        Ok(found.name.clone())
    }

    /// Stores a new SP-API connection with its sealed refresh token (audit `connection_created`).
    pub(crate) async fn create_spapi_connection(
        &self,
        new: NewAuthorization,
        secret: &SecretString,
        actor: &Actor,
    ) -> Result<Connection, AppError> {
        let now = self.now();
        let marketplace = new.home.marketplace();
        let connection = Connection {
            id: ConnectionId::new(),
            merchant_id: new.merchant_id,
            account: ApiAccount::SpApi {
                selling_partner_id: new.selling_partner_id,
                region: marketplace.region,
            },
            grant: AccessGrant::new(new.authorized_at, marketplace, RenewalTerm::Days365, true),
            marketplaces: vec![ConnectedMarketplace {
                id: new.home,
                name: new.name,
            }],
            verified_at: new.verified.then_some(now),
            created_at: now,
        };
        let sealed = self
            .keyring
            .seal(&credential_context(connection.id), secret)?;
        let audit = AuditEntry {
            merchant_id: connection.merchant_id,
            connection_id: Some(connection.id),
            actor: actor.clone(),
            action: AuditAction::ConnectionCreated,
            at: now,
            before: None,
            after: Some(snapshot(&connection)),
        };
        self.store
            .insert_connection(&connection, &to_stored(&sealed), &audit)
            .await?;
        Ok(connection)
    }

    /// Renews an existing SP-API connection with a verified refresh token: replaces its sealed refresh token (audit
    /// `credential_replaced`), then approves its grant on the day of `authorized_at` (usually now) for 365 days,
    /// clears a recorded refusal and records the verification (audit `renewed`). A sync run that changes the row in
    /// between (e.g. recording the refusal of the old token) makes the step read it again.
    pub(crate) async fn renew_spapi_connection(
        &self,
        existing: StoredConnection,
        name: Option<String>,
        secret: &SecretString,
        actor: &Actor,
        authorized_at: Timestamp,
    ) -> Result<Connection, AppError> {
        let id = existing.connection.id;
        let sealed = to_stored(&self.keyring.seal(&credential_context(id), secret)?);
        let mut stored = existing;
        let mut version = None;
        for _ in 0..ATTEMPTS {
            let audit = self.audit(
                &stored.connection,
                &stored.connection,
                AuditAction::CredentialReplaced,
                actor,
            );
            match self
                .store
                .replace_credential(id, &sealed, stored.version, &audit)
                .await
            {
                Ok(new_version) => {
                    version = Some(new_version);
                    break;
                }
                Err(StoreError::Conflict { .. }) => stored = self.store.connection(id).await?,
                Err(other) => return Err(other.into()),
            }
        }
        let Some(mut version) = version else {
            return Err(AppError::Conflict);
        };
        for _ in 0..ATTEMPTS {
            let before = &stored.connection;
            let now = self.now();
            let mut after = Connection {
                grant: reauthorized(&before.grant, authorized_at),
                verified_at: Some(now),
                ..before.clone()
            };
            if let Some(home) = after.marketplaces.first_mut()
                && name.is_some()
            {
                home.name = name.clone();
            }
            let audit = self.audit(before, &after, AuditAction::Renewed, actor);
            match self.store.update_connection(&after, version, &audit).await {
                Ok(_) => return Ok(after),
                Err(StoreError::Conflict { .. }) => {
                    stored = self.store.connection(id).await?;
                    version = stored.version;
                }
                Err(other) => return Err(other.into()),
            }
        }
        Err(AppError::Conflict)
    }

    fn audit(
        &self,
        before: &Connection,
        after: &Connection,
        action: AuditAction,
        actor: &Actor,
    ) -> AuditEntry {
        AuditEntry {
            merchant_id: before.merchant_id,
            connection_id: Some(before.id),
            actor: actor.clone(),
            action,
            at: self.now(),
            before: Some(snapshot(before)),
            after: Some(snapshot(after)),
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use sellerlink_domain::ids::MarketplaceId;
    use sellerlink_domain::lifecycle::AccessDenial;

    use super::*;

    #[test]
    fn a_reauthorization_starts_a_new_365_day_period_in_jst() {
        let granted: Timestamp = "2025-03-01T01:00:00Z".parse().unwrap();
        let japan = MarketplaceId::japan();
        let grant = AccessGrant::new(granted, japan.marketplace(), RenewalTerm::Days365, true)
            .deny_access(AccessDenial {
                at: granted,
                cause: RefusalCause::AuthorizationLost,
                detail: "lapsed".into(),
            })
            .revoke(granted)
            .unwrap();
        // 2026-03-02 23:30 JST is still 2026-03-02 14:30 UTC; the new period counts from the JST date.
        let renewed = reauthorized(&grant, "2026-03-02T14:30:00Z".parse().unwrap());
        assert_eq!(renewed.last_approved_on, date(2026, 3, 2));
        assert_eq!(renewed.expires_on(), Some(date(2027, 3, 2)));
        assert_eq!((renewed.revoked_at, renewed.access_denied), (None, None));
        assert_eq!(
            renewed.granted_at, granted,
            "the first grant stays on record"
        );
    }
}
