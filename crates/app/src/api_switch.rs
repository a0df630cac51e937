//! One connection per seller account and region, whatever the API: a merchant adding SP-API for a seller account
//! it connected through MWS (or MWS for one connected through SP-API) moves the existing connection to the new
//! credential instead of creating a second connection that would import every order again.

use jiff::Timestamp;
use secrecy::SecretString;
use sellerlink_domain::audit::{Actor, AuditAction, AuditEntry};
use sellerlink_domain::connection::{ApiAccount, ConnectedMarketplace, Connection};
use sellerlink_domain::ids::{MarketplaceId, MerchantId, SellerId, SellingPartnerId};
use sellerlink_domain::lifecycle::{AccessGrant, RenewalTerm};
use sellerlink_domain::marketplace::Region;
use sellerlink_store::{StoreError, StoredConnection};

use crate::connections::{credential_context, snapshot, to_stored};
use crate::{App, AppError};

/// How often a switch re-reads the connection when a sync run changed it meanwhile.
const ATTEMPTS: usize = 3;

/// The new API's side of a connection: its account, marketplaces, the grant read from the new authorization, and
/// when Amazon accepted the new credential (`None` when verification was skipped).
#[derive(Debug, Clone)]
pub(crate) struct NewApi {
    pub(crate) account: ApiAccount,
    pub(crate) marketplaces: Vec<ConnectedMarketplace>,
    pub(crate) grant: AccessGrant,
    pub(crate) verified_at: Option<Timestamp>,
}

impl NewApi {
    /// `before` moved to this API: same id, merchant and creation time; the new account, marketplaces and
    /// verification; the new grant's dates as a renewal would set them (a refusal or revocation of the old
    /// credential gone), keeping the first grant's instant on record.
    fn applied_to(&self, before: &Connection) -> Connection {
        Connection {
            account: self.account.clone(),
            marketplaces: self.marketplaces.clone(),
            grant: AccessGrant {
                granted_at: before.grant.granted_at.min(self.grant.granted_at),
                ..self.grant.clone()
            },
            verified_at: self.verified_at,
            ..before.clone()
        }
    }
}

/// An API's name as merchants read it.
fn api_label(account: &ApiAccount) -> &'static str {
    match account {
        ApiAccount::Mws { .. } => "MWS",
        ApiAccount::SpApi { .. } => "SP-API",
    }
}

impl App {
    /// The connection of a seller account in a region, through either API, if `merchant` has one. A seller account
    /// connected for another merchant is [`AppError::AlreadyConnected`].
    pub(crate) async fn account_connection(
        &self,
        merchant: MerchantId,
        seller: &SellerId,
        region: Region,
    ) -> Result<Option<StoredConnection>, AppError> {
        match self.store.connection_of_account(seller, region).await? {
            Some(existing) if existing.connection.merchant_id != merchant => {
                Err(AppError::AlreadyConnected {
                    detail: format!(
                        "seller {seller} in region {region} is connected for another merchant"
                    ),
                })
            }
            found => Ok(found),
        }
    }

    /// Moves `existing` to the other API with the new credential, in one transaction with one `api_switched` audit
    /// entry (before/after snapshots): same connection id, orders, shipments, stock levels, history and audit log.
    /// Work handed to Amazon through the old API and not answered yet is queued again; the import watermark stays
    /// unless the connection gains a marketplace (see `Store::switch_api`). A sync run that changes the row in
    /// between makes the step read it again.
    pub(crate) async fn switch_api(
        &self,
        existing: StoredConnection,
        to: NewApi,
        secret: &SecretString,
        actor: &Actor,
    ) -> Result<Connection, AppError> {
        let id = existing.connection.id;
        let sealed = to_stored(&self.keyring.seal(&credential_context(id), secret)?);
        let mut stored = existing;
        for _ in 0..ATTEMPTS {
            let before = &stored.connection;
            let after = to.applied_to(before);
            let audit = AuditEntry {
                merchant_id: before.merchant_id,
                connection_id: Some(id),
                actor: actor.clone(),
                action: AuditAction::ApiSwitched,
                at: self.now(),
                before: Some(snapshot(before)),
                after: Some(snapshot(&after)),
            };
            match self
                .store
                .switch_api(&after, stored.version, &sealed, &audit)
                .await
            {
                Ok(_) => {
                    tracing::info!(
                        connection.id = %id,
                        seller.id = %after.account.seller_id(),
                        from = api_label(&before.account),
                        to = api_label(&after.account),
                        "connection switched to the other Amazon API"
                    );
                    return Ok(after);
                }
                Err(StoreError::Conflict { .. }) => stored = self.store.connection(id).await?,
                Err(other) => return Err(other.into()),
            }
        }
        Err(AppError::Conflict)
    }
}

/// What an SP-API authorization of a seller account does for a merchant.
#[derive(Debug)]
pub(crate) enum SpApiTarget {
    /// The merchant's SP-API connection to the account: renewed with the new refresh token.
    Renew(StoredConnection),
    /// The merchant's MWS connection to the account in the marketplace's region: moved to SP-API.
    SwitchFromMws(StoredConnection),
    /// No connection to the account yet: a new one.
    Create,
}

impl NewApi {
    /// The SP-API side of a switch: the seller account in `home`'s region, `home` as its one marketplace, a
    /// 365-day grant from `authorized_at`.
    pub(crate) fn spapi(
        selling_partner_id: SellingPartnerId,
        home: MarketplaceId,
        name: Option<String>,
        authorized_at: Timestamp,
        verified_at: Option<Timestamp>,
    ) -> Self {
        let marketplace = home.marketplace();
        Self {
            account: ApiAccount::SpApi {
                selling_partner_id,
                region: marketplace.region,
            },
            grant: AccessGrant::new(authorized_at, marketplace, RenewalTerm::Days365, true),
            marketplaces: vec![ConnectedMarketplace { id: home, name }],
            verified_at,
        }
    }
}

impl App {
    /// Where an SP-API authorization of `selling_partner_id` in `home` goes for `merchant`: the merchant's SP-API
    /// connection to the account (renewal), else its MWS connection to the account in `home`'s region (switch),
    /// else a new connection. A seller account connected for another merchant is [`AppError::AlreadyConnected`].
    pub(crate) async fn spapi_target(
        &self,
        merchant: MerchantId,
        selling_partner_id: &SellingPartnerId,
        home: &MarketplaceId,
    ) -> Result<SpApiTarget, AppError> {
        if let Some(existing) = self
            .spapi_connection_of(merchant, selling_partner_id)
            .await?
        {
            return Ok(SpApiTarget::Renew(existing));
        }
        let seller = selling_partner_id.as_seller_id();
        Ok(
            match self
                .account_connection(merchant, &seller, home.marketplace().region)
                .await?
            {
                Some(existing) => SpApiTarget::SwitchFromMws(existing),
                None => SpApiTarget::Create,
            },
        )
    }
}
