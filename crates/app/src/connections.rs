//! Connections: adding one from the guide's three values, the lifecycle actions, removal and views.

use jiff::Timestamp;
use jiff::civil::Date;
use secrecy::{ExposeSecret, SecretString};
use sellerlink_domain::audit::{Actor, AuditAction, AuditEntry};
use sellerlink_domain::connection::{ApiAccount, ConnectedMarketplace, Connection};
use sellerlink_domain::ids::{ConnectionId, MarketplaceId, MerchantId, MwsAuthToken, SellerId};
use sellerlink_domain::lifecycle::{AccessGrant, Expiry, RenewalTerm};
use sellerlink_secrets::{SealContext, Sealed};
use sellerlink_store::{ConnectionFilter, SealedCredential};

use crate::api_switch::NewApi;
use crate::error::not_found;
use crate::{App, AppError, ConnectionView, VerificationFailure};

/// The guide's step ⑤ values plus what the merchant reads off the permissions page.
#[derive(Debug, Clone)]
pub struct NewMwsConnection {
    pub merchant_id: MerchantId,
    pub seller_id: SellerId,
    /// At least one; the first is the home marketplace.
    pub marketplaces: Vec<MarketplaceId>,
    pub auth_token: MwsAuthToken,
    /// When access was granted; default now.
    pub granted_at: Option<Timestamp>,
    /// Seller Central's "last approval date", if it differs from the grant day.
    pub last_approved_on: Option<Date>,
    /// Seller Central's expiry date, if known; `Some(Expiry::Disabled)` when the expiry feature is off.
    pub expiry: Option<Expiry>,
    /// Store without asking Amazon first (e.g. to record a historical grant); the connection stays *unverified*.
    pub skip_verification: bool,
}

/// A lifecycle action on an existing connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LifecycleCommand {
    /// R2: the merchant approved access (renewed) in Seller Central on `on` (default today).
    Renew { on: Option<Date> },
    /// R3: the merchant restored expired access in Seller Central on `on` (default today).
    Restore { on: Option<Date> },
    /// R4/R5: the merchant switched the expiry feature on.
    EnableExpiry,
    /// The merchant revoked access.
    Revoke,
}

/// Where a connection's sealed credential is bound: a ciphertext copied to another row will not open.
pub(crate) fn credential_context(id: ConnectionId) -> SealContext {
    // One definition for sealing (here) and opening (the import engine): a mismatch would make every
    // credential unreadable.
    sellerlink_sync::KeyringCredentials::context(id)
}

pub(crate) fn to_stored(sealed: &Sealed) -> SealedCredential {
    SealedCredential {
        kek_id: sealed.kek_id().to_string(),
        blob: sealed.to_bytes(),
    }
}

pub(crate) fn snapshot(connection: &Connection) -> serde_json::Value {
    serde_json::to_value(connection).expect("a connection serializes")
}

impl App {
    /// Stores a new MWS connection, sealed, with its audit entry. It stays *unverified* until Amazon accepts it.
    ///
    /// When the merchant already connected this seller account in the home marketplace's region through SP-API, that
    /// connection moves to MWS instead (same id, orders and history; audit `api_switched`): one connection per
    /// seller account and region. A seller account connected for another merchant is
    /// [`AppError::AlreadyConnected`].
    pub async fn add_mws_connection(
        &self,
        input: NewMwsConnection,
        actor: &Actor,
    ) -> Result<ConnectionView, AppError> {
        let now = self.now();
        let merchant = self
            .store
            .merchant(input.merchant_id)
            .await
            .map_err(|e| not_found(e, AppError::MerchantNotFound(input.merchant_id)))?;
        let Some(home) = input.marketplaces.first() else {
            return Err(AppError::InvalidInput {
                field: "marketplace",
                problem: "at least one Marketplace ID is required".into(),
            });
        };
        let granted_at = input.granted_at.unwrap_or(now);
        if granted_at > now {
            return Err(AppError::InvalidInput {
                field: "granted-at",
                problem: "is in the future".into(),
            });
        }
        let grant = AccessGrant::from_seller_central(
            granted_at,
            input.last_approved_on,
            input.expiry,
            home.marketplace(),
            RenewalTerm::OneYear,
        )?;
        // The same account through MWS again is refused by the store as before; through SP-API it switches.
        let through_spapi = self
            .account_connection(merchant.id, &input.seller_id, home.marketplace().region)
            .await?
            .filter(|existing| matches!(existing.connection.account, ApiAccount::SpApi { .. }));
        let mut marketplaces: Vec<ConnectedMarketplace> = Vec::new();
        for id in input.marketplaces {
            if !marketplaces.iter().any(|m| m.id == id) {
                marketplaces.push(ConnectedMarketplace { id, name: None });
            }
        }
        let mut connection = Connection {
            id: ConnectionId::new(),
            merchant_id: merchant.id,
            account: ApiAccount::Mws {
                seller_id: input.seller_id,
                developer_id: self.settings.developer.developer_id.clone(),
            },
            marketplaces,
            grant,
            verified_at: None,
            created_at: now,
        };
        let secret = SecretString::from(input.auth_token.expose_secret().to_owned());
        if !input.skip_verification {
            self.verify_new(&mut connection, &secret).await?;
        }
        if let Some(existing) = through_spapi {
            let to = NewApi {
                account: connection.account,
                marketplaces: connection.marketplaces,
                grant: connection.grant,
                verified_at: connection.verified_at,
            };
            let switched = self.switch_api(existing, to, &secret, actor).await?;
            return self.view(switched).await;
        }
        let sealed = self
            .keyring
            .seal(&credential_context(connection.id), &secret)?;
        let audit = AuditEntry {
            merchant_id: merchant.id,
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
        self.view(connection).await
    }

    /// Applies a lifecycle action (on the day given, or today), atomically with its audit entry.
    pub async fn apply(
        &self,
        id: ConnectionId,
        command: LifecycleCommand,
        actor: &Actor,
    ) -> Result<ConnectionView, AppError> {
        let now = self.now();
        let stored = self
            .store
            .connection(id)
            .await
            .map_err(|e| not_found(e, AppError::ConnectionNotFound(id)))?;
        let (before, version) = (stored.connection, stored.version);
        let today = before.grant.local_date(now);
        let (grant, action) = match command {
            LifecycleCommand::Renew { on } => (
                before.grant.renew_on(on.unwrap_or(today), now)?,
                AuditAction::Renewed,
            ),
            LifecycleCommand::Restore { on } => (
                before.grant.restore_on(on.unwrap_or(today), now)?,
                AuditAction::Restored,
            ),
            LifecycleCommand::EnableExpiry => {
                (before.grant.enable_expiry()?, AuditAction::ExpiryEnabled)
            }
            LifecycleCommand::Revoke => (before.grant.revoke(now)?, AuditAction::Revoked),
        };
        let after = Connection {
            grant,
            ..before.clone()
        };
        let audit = AuditEntry {
            merchant_id: before.merchant_id,
            connection_id: Some(id),
            actor: actor.clone(),
            action,
            at: now,
            before: Some(snapshot(&before)),
            after: Some(snapshot(&after)),
        };
        self.store
            .update_connection(&after, version, &audit)
            .await?;
        self.view(after).await
    }

    /// Deletes a connection, its credential and everything imported through it.
    pub async fn remove_connection(&self, id: ConnectionId, actor: &Actor) -> Result<(), AppError> {
        let before = self
            .store
            .connection(id)
            .await
            .map_err(|e| not_found(e, AppError::ConnectionNotFound(id)))?
            .connection;
        let audit = AuditEntry {
            merchant_id: before.merchant_id,
            connection_id: Some(id),
            actor: actor.clone(),
            action: AuditAction::ConnectionRemoved,
            at: self.now(),
            before: Some(snapshot(&before)),
            after: None,
        };
        self.store.remove_connection(id, &audit).await?;
        Ok(())
    }

    /// One connection with its status.
    pub async fn connection(&self, id: ConnectionId) -> Result<ConnectionView, AppError> {
        let connection = self
            .store
            .connection(id)
            .await
            .map_err(|e| not_found(e, AppError::ConnectionNotFound(id)))?
            .connection;
        self.view(connection).await
    }

    /// Connections (of one merchant, or all), most urgent first.
    pub async fn connections(
        &self,
        merchant: Option<MerchantId>,
    ) -> Result<Vec<ConnectionView>, AppError> {
        let mut views = Vec::new();
        for stored in self
            .store
            .connections(&ConnectionFilter {
                merchant,
                ..Default::default()
            })
            .await?
        {
            views.push(self.view(stored.connection).await?);
        }
        views.sort_by_key(|v| (v.status.urgency(), v.connection.created_at));
        Ok(views)
    }

    /// The credential in clear, for the one caller that sends it to Amazon.
    pub async fn credential(&self, id: ConnectionId) -> Result<SecretString, AppError> {
        let stored = self.store.credential(id).await?;
        let sealed = Sealed::from_bytes(&stored.blob)?;
        Ok(self.keyring.open(&credential_context(id), &sealed)?)
    }

    /// Proves a not-yet-stored connection against Amazon: the credential works and the seller sells in every
    /// marketplace named. On success records Amazon's marketplace names and the verification time.
    pub(crate) async fn verify_new(
        &self,
        connection: &mut Connection,
        secret: &SecretString,
    ) -> Result<(), AppError> {
        let factory = self
            .gateways
            .as_ref()
            .filter(|_| self.settings.mws.is_some())
            .ok_or(AppError::NotConfigured {
                what: crate::MWS_NOT_CONFIGURED,
            })?;
        let ApiAccount::Mws {
            seller_id,
            developer_id,
        } = &connection.account
        else {
            return Err(AppError::InvalidInput {
                field: "api",
                problem: "only MWS connections are verified here".into(),
            });
        };
        let host = connection
            .home_marketplace()
            .marketplace()
            .seller_central_host;
        let failure = |e: &sellerlink_sync::GatewayError| {
            AppError::Verification(VerificationFailure::from_source(
                e,
                seller_id,
                developer_id,
                host,
            ))
        };
        let gateway = factory
            .gateway(connection, secret.clone())
            .map_err(|e| failure(&e))?;
        let participations = gateway.verify().await.map_err(|e| failure(&e))?;
        let missing: Vec<MarketplaceId> = connection
            .marketplaces
            .iter()
            .map(|m| m.id.clone())
            .filter(|id| !participations.iter().any(|p| &p.marketplace_id == id))
            .collect();
        if !missing.is_empty() {
            let participating = participations
                .iter()
                .map(|p| p.marketplace_id.clone())
                .collect();
            return Err(AppError::Verification(
                VerificationFailure::MarketplaceNotParticipating {
                    missing,
                    participating,
                },
            ));
        }
        for marketplace in &mut connection.marketplaces {
            marketplace.name = participations
                .iter()
                .find(|p| p.marketplace_id == marketplace.id)
                .and_then(|p| p.name.clone());
        }
        connection.verified_at = Some(self.now());
        Ok(())
    }

    pub(crate) async fn view(&self, connection: Connection) -> Result<ConnectionView, AppError> {
        let masked =
            sellerlink_secrets::mask(self.credential(connection.id).await?.expose_secret());
        Ok(ConnectionView::new(
            connection,
            masked,
            self.now(),
            &self.settings.status_policy,
        ))
    }
}
