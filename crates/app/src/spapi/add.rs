//! Adding an SP-API connection from a refresh token the operator already holds — a self-authorization in Seller
//! Central, or an authorization made outside sellerlink — as the CLI's `connection add-spapi` does. The token goes
//! through the same verification, sealing and renewal rules as one that "Connect with Amazon" obtained.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use secrecy::SecretString;
use sellerlink_domain::audit::Actor;
use sellerlink_domain::connection::Connection;
use sellerlink_domain::ids::{LwaRefreshToken, MarketplaceId, MerchantId, SellingPartnerId};
use sellerlink_domain::lifecycle::{AccessGrant, RenewalTerm, Validity};

use super::SpApiConnected;
use super::authorize::refused;
use super::connect::NewAuthorization;
use super::failure::{AuthorizationDateProblem, SpApiFailure};
use crate::api_switch::{NewApi, SpApiTarget};
use crate::error::not_found;
use crate::{App, AppError, VerificationFailure};

/// A seller's SP-API authorization of the operator's app, as the operator enters it: the seller account, its
/// marketplace and the LWA refresh token Amazon issued. `Debug` masks the token.
#[derive(Debug, Clone)]
pub struct NewSpApiConnection {
    /// The merchant the seller account belongs to.
    pub merchant_id: MerchantId,
    /// The seller account (merchant token), as Seller Central shows it.
    pub selling_partner_id: SellingPartnerId,
    /// The marketplace the connection imports from (an SP-API connection has one; its region picks the endpoint).
    pub marketplace_id: MarketplaceId,
    /// The seller's refresh token (`Atzr|…`).
    pub refresh_token: LwaRefreshToken,
    /// The day the seller authorized the app, as Manage Your Apps shows it (the home marketplace's calendar); the
    /// 365 days count from it. Default: today.
    pub authorized_on: Option<Date>,
    /// Store without asking Amazon first; the connection stays *unverified* until `verify_connection`.
    pub skip_verification: bool,
}

/// The instant the 365 days count from: now for today (or no date), else the start of `authorized_on` in the
/// home marketplace's time zone. A date after today is refused.
fn authorization_instant(
    authorized_on: Option<Date>,
    home: &MarketplaceId,
    now: Timestamp,
) -> Result<Timestamp, AppError> {
    let zone = TimeZone::get(home.marketplace().time_zone).unwrap_or(TimeZone::UTC);
    let today = now.to_zoned_datetime(zone.clone()).date();
    match authorized_on {
        None => Ok(now),
        Some(date) if date == today => Ok(now),
        Some(date) if date > today => Err(date_refused(AuthorizationDateProblem::InTheFuture {
            authorized_on: date,
            today,
        })),
        Some(date) => Ok(date
            .to_zoned_datetime(zone)
            .map(|start| start.timestamp())
            .unwrap_or(now)),
    }
}

fn date_refused(issue: AuthorizationDateProblem) -> AppError {
    refused(SpApiFailure::AuthorizationDate { issue })
}

/// A refusal of the verification, worded for a token typed in: LWA's `invalid_grant` says the token does not
/// work, which for a pasted token also means a copy error or another app's token.
fn for_pasted_token(error: AppError) -> AppError {
    match error {
        AppError::Verification(VerificationFailure::SpApi(SpApiFailure::AuthorizationLost {
            selling_partner_id,
            seller_central_host,
        })) => refused(SpApiFailure::RefreshTokenRejected {
            selling_partner_id,
            seller_central_host,
        }),
        other => other,
    }
}

/// Whether `existing` may be renewed with the new token: only verified, for its own marketplace, and not back in
/// time.
fn check_renewal(
    existing: &Connection,
    home: &MarketplaceId,
    authorized_on: Date,
    verify: bool,
) -> Result<(), AppError> {
    if !verify {
        return Err(refused(SpApiFailure::RenewalNeedsVerification {
            connection_id: existing.id,
        }));
    }
    if existing.home_marketplace() != home {
        return Err(refused(SpApiFailure::RenewalOtherMarketplace {
            connection_id: existing.id,
            home: existing.home_marketplace().clone(),
            given: home.clone(),
        }));
    }
    let last_approved_on = existing.grant.last_approved_on;
    if authorized_on < last_approved_on {
        return Err(date_refused(AuthorizationDateProblem::BeforeLastApproval {
            authorized_on,
            last_approved_on,
        }));
    }
    Ok(())
}

impl App {
    /// Adds an SP-API connection from a refresh token the operator holds (the CLI's `connection add-spapi`).
    ///
    /// 1. Refuses an authorization date after today; and, when verifying, one 365 days or more ago (such an
    ///    authorization has lapsed, so the date cannot be the one of a working token).
    /// 2. Unless `skip_verification`, proves the token with `getMarketplaceParticipations` exactly as "Connect with
    ///    Amazon" does ([`App::complete_spapi_authorization`]); the seller account must sell in the marketplace.
    ///    LWA's `invalid_grant` is [`SpApiFailure::RefreshTokenRejected`] (lapsed, revoked, mistyped or another
    ///    app's token: re-authorize in Manage Your Apps and add the new token).
    /// 3. If the merchant already has an SP-API connection to this seller account, **renews** it as a
    ///    re-authorization from Manage Your Apps does: the sealed refresh token is replaced, the grant approved on the
    ///    authorization date for 365 days, a recorded refusal cleared (audited `credential_replaced` then `renewed`).
    ///    A renewal needs verification and the connection's own marketplace. If the merchant has an MWS connection
    ///    to the account in the marketplace's region, **moves** it to SP-API (same id, orders and history; the
    ///    365 days from the authorization date; audited `api_switched`; *unverified* when verification was
    ///    skipped). Otherwise creates the connection
    ///    (365-day term from the authorization date), sealed, audited `connection_created`; *unverified* when
    ///    verification was skipped.
    ///
    /// SP-API cannot say which seller account a refresh token belongs to (`getMarketplaceParticipations` names
    /// marketplaces only), so a token of another seller account that sells in the same marketplace is not caught
    /// here. A seller account connected to another merchant is [`AppError::AlreadyConnected`]. Nothing is stored on
    /// any refusal.
    pub async fn add_spapi_connection(
        &self,
        input: NewSpApiConnection,
        actor: &Actor,
    ) -> Result<SpApiConnected, AppError> {
        let merchant = self
            .store
            .merchant(input.merchant_id)
            .await
            .map_err(|e| not_found(e, AppError::MerchantNotFound(input.merchant_id)))?;
        let home = input.marketplace_id;
        let verify = !input.skip_verification;
        let authorized_at = authorization_instant(input.authorized_on, &home, self.now())?;
        let grant = AccessGrant::new(
            authorized_at,
            home.marketplace(),
            RenewalTerm::Days365,
            true,
        );
        if verify && grant.validity(self.now()) == Validity::Expired {
            return Err(date_refused(AuthorizationDateProblem::Lapsed {
                authorized_on: grant.last_approved_on,
                expired_on: grant.expires_on().unwrap_or(grant.last_approved_on),
            }));
        }
        let target = self
            .spapi_target(merchant.id, &input.selling_partner_id, &home)
            .await?;
        if let SpApiTarget::Renew(existing) = &target {
            check_renewal(&existing.connection, &home, grant.last_approved_on, verify)?;
        }
        let name = if verify {
            self.verify_authorization(&input.selling_partner_id, &input.refresh_token, &home)
                .await
                .map_err(for_pasted_token)?
        } else {
            None
        };
        let secret = SecretString::from(input.refresh_token.expose_secret().to_owned());
        let (connection, renewed, switched) = match target {
            SpApiTarget::Renew(existing) => (
                self.renew_spapi_connection(existing, name, &secret, actor, authorized_at)
                    .await?,
                true,
                false,
            ),
            SpApiTarget::SwitchFromMws(existing) => {
                let verified_at = verify.then(|| self.now());
                let to = NewApi::spapi(
                    input.selling_partner_id,
                    home,
                    name,
                    authorized_at,
                    verified_at,
                );
                (
                    self.switch_api(existing, to, &secret, actor).await?,
                    false,
                    true,
                )
            }
            SpApiTarget::Create => {
                let new = NewAuthorization {
                    merchant_id: merchant.id,
                    selling_partner_id: input.selling_partner_id,
                    home,
                    name,
                    authorized_at,
                    verified: verify,
                };
                (
                    self.create_spapi_connection(new, &secret, actor).await?,
                    false,
                    false,
                )
            }
        };
        tracing::info!(
            connection.id = %connection.id,
            seller.id = %connection.account.seller_id(),
            renewed,
            switched,
            verified = verify,
            "SP-API connection added from a refresh token"
        );
        Ok(SpApiConnected {
            connection: self.view(connection).await?,
            renewed,
            switched,
        })
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn the_authorization_day_is_read_in_the_marketplaces_calendar() {
        let japan = MarketplaceId::japan();
        // 2025-06-10 23:30 JST is still 2025-06-10 14:30 UTC.
        let now: Timestamp = "2025-06-10T14:30:00Z".parse().unwrap();
        assert_eq!(authorization_instant(None, &japan, now).unwrap(), now);
        assert_eq!(
            authorization_instant(Some(date(2025, 6, 10)), &japan, now).unwrap(),
            now
        );
        let earlier = authorization_instant(Some(date(2025, 3, 1)), &japan, now).unwrap();
        assert_eq!(earlier, "2025-02-28T15:00:00Z".parse().unwrap());
        let grant = AccessGrant::new(earlier, japan.marketplace(), RenewalTerm::Days365, true);
        assert_eq!(grant.last_approved_on, date(2025, 3, 1));
        assert_eq!(grant.expires_on(), Some(date(2026, 3, 1)));
        let error = authorization_instant(Some(date(2025, 6, 11)), &japan, now).unwrap_err();
        assert_eq!(error.code(), "spapi_authorization_date");
        assert!(
            error.to_string().contains("after today (2025-06-10"),
            "{error}"
        );
        assert!(
            error.message_ja().contains("今日"),
            "{}",
            error.message_ja()
        );
    }
}
