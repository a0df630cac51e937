//! How a [`Connection`] is laid out in the `connections` table: the account and the access grant flattened into
//! columns, the marketplaces as JSON text.

use sellerlink_domain::connection::{ApiAccount, ConnectedMarketplace, Connection};
use sellerlink_domain::ids::{ConnectionId, DeveloperId, MerchantId, SellerId, SellingPartnerId};
use sellerlink_domain::lifecycle::{AccessDenial, AccessGrant, Expiry, RenewalTerm};
use sellerlink_domain::marketplace::Region;
use sellerlink_domain::refusal::RefusalCause;

use crate::codec::{Column, date_text, json_text, millis, opt_millis};
use crate::error::{StoreError, StoreResult};

const TABLE: &str = "connections";

/// The selected columns of a connection read, in [`ConnectionRow`]'s order.
macro_rules! connection_columns {
    () => {
        "id, merchant_id, api, seller_id, developer_id, region, marketplaces_json, granted_at_ms, \
         last_approved_on, expiry_enabled, expires_on, term, time_zone, revoked_at_ms, access_denied_at_ms, \
         access_denied_cause, access_denied_detail, verified_at_ms, created_at_ms, version, credential_kek_id"
    };
}
pub(crate) use connection_columns;

/// `SELECT <the connection columns> FROM connections`, for [`ConnectionRow`].
macro_rules! connection_select {
    () => {
        concat!(
            "SELECT ",
            $crate::connection_row::connection_columns!(),
            " FROM connections"
        )
    };
}
pub(crate) use connection_select;

/// The stored name of a renewal term.
fn term_name(term: RenewalTerm) -> &'static str {
    match term {
        RenewalTerm::OneYear => "one_year",
        RenewalTerm::Days365 => "days365",
    }
}

fn parse_term(text: &str) -> Option<RenewalTerm> {
    [RenewalTerm::OneYear, RenewalTerm::Days365]
        .into_iter()
        .find(|term| term_name(*term) == text)
}

/// The API region a connection's seller account is authorized in: an SP-API connection's own region, an MWS
/// connection's home marketplace's region. One seller account has one connection per region (`account_region`).
pub(crate) fn account_region(connection: &Connection) -> Region {
    match &connection.account {
        ApiAccount::SpApi { region, .. } => *region,
        ApiAccount::Mws { .. } => connection.home_marketplace().marketplace().region,
    }
}

/// The columns a connection is written as (everything but the version and the credential).
pub(crate) struct ConnectionColumns {
    pub(crate) id: String,
    pub(crate) merchant_id: String,
    pub(crate) api: &'static str,
    pub(crate) seller_id: String,
    pub(crate) developer_id: Option<String>,
    pub(crate) region: Option<&'static str>,
    /// The region of the seller account, whatever the API ([`account_region`]).
    pub(crate) account_region: &'static str,
    pub(crate) marketplaces_json: String,
    pub(crate) granted_at_ms: i64,
    pub(crate) last_approved_on: String,
    pub(crate) expiry_enabled: bool,
    pub(crate) expires_on: Option<String>,
    pub(crate) term: &'static str,
    pub(crate) time_zone: String,
    pub(crate) revoked_at_ms: Option<i64>,
    pub(crate) access_denied_at_ms: Option<i64>,
    pub(crate) access_denied_cause: Option<String>,
    pub(crate) access_denied_detail: Option<String>,
    pub(crate) verified_at_ms: Option<i64>,
    pub(crate) created_at_ms: i64,
}

impl ConnectionColumns {
    pub(crate) fn of(connection: &Connection) -> StoreResult<Self> {
        if connection.marketplaces.is_empty() {
            return Err(StoreError::invalid(
                "connection marketplaces",
                "a connection needs at least one marketplace (the first is its home marketplace)",
            ));
        }
        let (seller_id, developer_id, region) = match &connection.account {
            ApiAccount::Mws {
                seller_id,
                developer_id,
            } => (
                seller_id.as_str().to_owned(),
                Some(developer_id.digits().to_owned()),
                None,
            ),
            ApiAccount::SpApi {
                selling_partner_id,
                region,
            } => (
                selling_partner_id.as_str().to_owned(),
                None,
                Some(region.code()),
            ),
        };
        let grant = &connection.grant;
        let denial = grant.access_denied.as_ref();
        Ok(Self {
            id: connection.id.to_string(),
            merchant_id: connection.merchant_id.to_string(),
            api: connection.account.api_name(),
            seller_id,
            developer_id,
            region,
            account_region: account_region(connection).code(),
            marketplaces_json: json_text("connection marketplaces", &connection.marketplaces)?,
            granted_at_ms: millis(grant.granted_at),
            last_approved_on: date_text(grant.last_approved_on),
            expiry_enabled: matches!(grant.expiry, Expiry::Enabled { .. }),
            expires_on: grant.expires_on().map(date_text),
            term: term_name(grant.term),
            time_zone: grant.time_zone.clone(),
            revoked_at_ms: opt_millis(grant.revoked_at),
            access_denied_at_ms: denial.map(|d| millis(d.at)),
            access_denied_cause: denial.map(|d| d.cause.code().to_owned()),
            access_denied_detail: denial.map(|d| d.detail.clone()),
            verified_at_ms: opt_millis(connection.verified_at),
            created_at_ms: millis(connection.created_at),
        })
    }
}

/// A connection row as read by [`connection_select!`].
#[derive(sqlx::FromRow)]
pub(crate) struct ConnectionRow {
    id: String,
    merchant_id: String,
    api: String,
    seller_id: String,
    developer_id: Option<String>,
    region: Option<String>,
    marketplaces_json: String,
    granted_at_ms: i64,
    last_approved_on: String,
    expiry_enabled: bool,
    expires_on: Option<String>,
    term: String,
    time_zone: String,
    revoked_at_ms: Option<i64>,
    access_denied_at_ms: Option<i64>,
    access_denied_cause: Option<String>,
    access_denied_detail: Option<String>,
    verified_at_ms: Option<i64>,
    created_at_ms: i64,
    pub(crate) version: i64,
    pub(crate) credential_kek_id: String,
}

fn col(name: &'static str) -> Column {
    Column::new(TABLE, name)
}

impl ConnectionRow {
    pub(crate) fn to_connection(&self) -> StoreResult<Connection> {
        let account = match self.api.as_str() {
            "mws" => {
                let developer_id = self
                    .developer_id
                    .as_deref()
                    .ok_or_else(|| col("developer_id").corrupt("missing for an MWS connection"))?;
                ApiAccount::Mws {
                    seller_id: col("seller_id").parse(SellerId::parse(&self.seller_id))?,
                    developer_id: col("developer_id").parse(DeveloperId::parse(developer_id))?,
                }
            }
            "sp_api" => {
                let region = self
                    .region
                    .as_deref()
                    .ok_or_else(|| col("region").corrupt("missing for an SP-API connection"))?;
                ApiAccount::SpApi {
                    selling_partner_id: col("seller_id")
                        .parse(SellingPartnerId::parse(&self.seller_id))?,
                    region: col("region").known(Region::parse(region), region)?,
                }
            }
            other => return Err(col("api").corrupt(format!("unknown API {other:?}"))),
        };
        let marketplaces: Vec<ConnectedMarketplace> =
            col("marketplaces_json").json(&self.marketplaces_json)?;
        if marketplaces.is_empty() {
            return Err(col("marketplaces_json").corrupt("no marketplace"));
        }
        let expires_on = col("expires_on").opt_date(self.expires_on.as_deref())?;
        let expiry = match (self.expiry_enabled, expires_on) {
            (true, Some(expires_on)) => Expiry::Enabled { expires_on },
            (false, None) => Expiry::Disabled,
            (true, None) => {
                return Err(col("expires_on").corrupt("missing while expiry is enabled"));
            }
            (false, Some(_)) => {
                return Err(col("expires_on").corrupt("set while expiry is disabled"));
            }
        };
        let access_denied = match (
            self.access_denied_at_ms,
            &self.access_denied_cause,
            &self.access_denied_detail,
        ) {
            (None, None, None) => None,
            (Some(at), Some(cause), Some(detail)) => Some(AccessDenial {
                at: col("access_denied_at_ms").instant(at)?,
                cause: col("access_denied_cause").parse(cause.parse::<RefusalCause>())?,
                detail: detail.clone(),
            }),
            _ => {
                return Err(col("access_denied_at_ms")
                    .corrupt("access denial time, cause and detail are not all set or all empty"));
            }
        };
        Ok(Connection {
            id: col("id").parse(ConnectionId::parse(&self.id))?,
            merchant_id: col("merchant_id").parse(MerchantId::parse(&self.merchant_id))?,
            account,
            marketplaces,
            grant: AccessGrant {
                granted_at: col("granted_at_ms").instant(self.granted_at_ms)?,
                last_approved_on: col("last_approved_on").date(&self.last_approved_on)?,
                expiry,
                term: col("term").known(parse_term(&self.term), &self.term)?,
                time_zone: self.time_zone.clone(),
                revoked_at: col("revoked_at_ms").opt_instant(self.revoked_at_ms)?,
                access_denied,
            },
            verified_at: col("verified_at_ms").opt_instant(self.verified_at_ms)?,
            created_at: col("created_at_ms").instant(self.created_at_ms)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_names_round_trip_and_match_serde() {
        for term in [RenewalTerm::OneYear, RenewalTerm::Days365] {
            assert_eq!(parse_term(term_name(term)), Some(term));
            assert_eq!(serde_json::to_value(term).unwrap(), term_name(term));
        }
        assert_eq!(parse_term("two_years"), None);
    }
}
