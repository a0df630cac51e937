//! The use cases behind "Connect with Amazon": start (the website workflow), the log-in URI's continuation (the
//! Appstore workflow and the yearly re-authorization from Manage Your Apps), and completion at the redirect URI.

use std::fmt;

use jiff::{SignedDuration, Timestamp};
use secrecy::SecretString;
use sellerlink_domain::audit::Actor;
use sellerlink_domain::ids::{MarketplaceId, MerchantId, SellingPartnerId};
use sellerlink_spapi::{AuthorizationCode, LwaError, LwaErrorKind};
use sellerlink_store::OAuthState;
use url::Url;

use super::connect::NewAuthorization;
use super::failure::{SpApiFailure, StateProblem};
use super::query::{SpApiCallback, SpApiLogin};
use super::state::{STATE_LIFETIME, StateValue, session_digest};
use super::urls::{back_to_amazon, consent_url, trusted_callback};
use crate::api_switch::{NewApi, SpApiTarget};
use crate::error::not_found;
use crate::{App, AppError, ConnectionView, VerificationFailure};

/// Where to send the merchant's browser to authorize the app at Amazon. `Debug` shows neither the state nor the
/// query.
#[derive(Clone)]
pub struct AuthorizationRequest {
    /// Seller Central's consent page with `application_id`, `state`, `redirect_uri` (and `version=beta` for a
    /// Draft app): answer the button press with a redirect (`303`) here.
    pub url: Url,
    /// The `state` in the URL; sellerlink keeps only its digest.
    pub state: String,
    /// Amazon must send the browser back before this instant.
    pub expires_at: Timestamp,
}

impl fmt::Debug for AuthorizationRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationRequest")
            .field(
                "url",
                &format_args!(
                    "{}{}?…",
                    self.url.origin().ascii_serialization(),
                    self.url.path()
                ),
            )
            .field("state", &"…")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// A completed authorization: the connection as stored now.
#[derive(Debug, Clone)]
pub struct SpApiConnected {
    /// The connection (new, or the renewed existing one), verified.
    pub connection: ConnectionView,
    /// True when an existing connection of the same seller account was renewed (new refresh token, 365 days from
    /// today) instead of a connection being created.
    pub renewed: bool,
    /// True when the merchant's MWS connection to the same seller account and region moved to SP-API (same
    /// connection, orders and history; audit `api_switched`) instead of a connection being created.
    pub switched: bool,
}

/// States stay in the store this long after they expire, so that a late replay is told "already used".
const STATE_RETENTION: SignedDuration = SignedDuration::from_hours(24);

/// The longest `amazon_state` passed back to Amazon.
const MAX_AMAZON_STATE: usize = 2048;

pub(crate) fn refused(failure: SpApiFailure) -> AppError {
    AppError::Verification(VerificationFailure::SpApi(failure))
}

fn bad_parameter(name: &'static str) -> AppError {
    refused(SpApiFailure::BadParameter { name })
}

/// LWA's refusal of the code exchange, for the merchant (or the operator).
fn exchange_refused(error: &LwaError) -> AppError {
    match error.kind() {
        LwaErrorKind::InvalidGrant => refused(SpApiFailure::CodeRejected {
            amazon_message: error.to_string(),
        }),
        LwaErrorKind::InvalidClient | LwaErrorKind::UnauthorizedClient => {
            refused(SpApiFailure::AppCredentialsRejected {
                amazon_message: error.to_string(),
            })
        }
        kind if kind.is_transient() => AppError::Verification(VerificationFailure::Unreachable {
            detail: error.to_string(),
        }),
        _ => AppError::Verification(VerificationFailure::Refused {
            detail: error.to_string(),
        }),
    }
}

impl App {
    /// Starts the website authorization workflow ("Connect with Amazon") for `merchant_id` in `marketplace_id`
    /// (its region and Seller Central host; Amazon.co.jp for Japanese sellers).
    ///
    /// Issues a fresh, unpredictable `state` bound to `session_binding` — a value unique to the signed-in browser
    /// session, e.g. the web session's id; it is stored only as a digest — valid for ten minutes and usable once.
    /// The caller redirects the browser to [`AuthorizationRequest::url`]; Amazon sends it back to the configured
    /// redirect URI, whose handler calls [`App::complete_spapi_authorization`] with the same session binding.
    ///
    /// Errors: SP-API not configured ([`AppError::NotConfigured`]), unknown merchant, empty session binding.
    pub async fn start_spapi_authorization(
        &self,
        merchant_id: MerchantId,
        marketplace_id: &MarketplaceId,
        session_binding: &str,
    ) -> Result<AuthorizationRequest, AppError> {
        let spapi = self.spapi()?;
        let (state, expires_at) = self
            .issue_state(merchant_id, marketplace_id.clone(), None, session_binding)
            .await?;
        Ok(AuthorizationRequest {
            url: consent_url(&spapi.settings, marketplace_id, state.as_str()),
            state: state.as_str().to_owned(),
            expires_at,
        })
    }

    /// Continues an authorization that Amazon started at the app's **log-in URI**: a re-authorization from Seller
    /// Central → Manage Your Apps (the yearly renewal), or an authorization from the Appstore. Call it once the
    /// merchant is signed in to sellerlink, with the log-in request's query and the merchant's session binding;
    /// answer with a redirect (`303`) to the returned URL, which is `amazon_callback_uri` with `amazon_state`
    /// (unchanged), a fresh `state` bound to the session, the redirect URI and `version=beta` for a Draft app.
    /// Amazon then sends the browser to the redirect URI as in a first authorization, and
    /// [`App::complete_spapi_authorization`] recognizes the seller account's existing connection and renews it.
    ///
    /// The `amazon_callback_uri` must be an `https` URL of an Amazon host (or of the configured Seller Central
    /// override) on `/apps/authorize/confirm/…`; sellerlink refuses to send a fresh state anywhere else.
    pub async fn continue_spapi_reauthorization(
        &self,
        login: &SpApiLogin,
        merchant_id: MerchantId,
        session_binding: &str,
    ) -> Result<Url, AppError> {
        let spapi = self.spapi()?;
        let callback_text = login
            .amazon_callback_uri
            .as_deref()
            .filter(|text| !text.trim().is_empty())
            .ok_or_else(|| bad_parameter("amazon_callback_uri"))?;
        let callback = trusted_callback(&spapi.settings, callback_text).ok_or_else(|| {
            refused(SpApiFailure::UntrustedCallback {
                url: callback_text.chars().take(200).collect(),
            })
        })?;
        let amazon_state = login
            .amazon_state
            .as_deref()
            .filter(|text| {
                !text.is_empty()
                    && text.len() <= MAX_AMAZON_STATE
                    && text.chars().all(|c| !c.is_control() && !c.is_whitespace())
            })
            .ok_or_else(|| bad_parameter("amazon_state"))?;
        let selling_partner_id = login
            .selling_partner_id
            .as_deref()
            .and_then(|text| SellingPartnerId::parse(text).ok())
            .ok_or_else(|| bad_parameter("selling_partner_id"))?;
        let marketplace = match self
            .spapi_connection_of(merchant_id, &selling_partner_id)
            .await?
        {
            Some(existing) => existing.connection.home_marketplace().clone(),
            None => MarketplaceId::japan(),
        };
        let (state, _) = self
            .issue_state(
                merchant_id,
                marketplace,
                Some(selling_partner_id),
                session_binding,
            )
            .await?;
        let beta = spapi.settings.draft || login.version.as_deref() == Some("beta");
        Ok(back_to_amazon(
            &callback,
            amazon_state,
            state.as_str(),
            &spapi.settings.redirect_uri,
            beta,
        ))
    }

    /// Completes an authorization at the redirect URI: `callback` is the redirect's query, `session_binding` the
    /// same value the authorization was started with.
    ///
    /// 1. Refuses — storing nothing — a missing, unknown, expired or already used `state`, or one issued to
    ///    another session; then a missing or malformed `selling_partner_id` / `spapi_oauth_code`, or a
    ///    re-authorization that came back for another seller account.
    /// 2. Exchanges the code at LWA for a refresh token, and verifies it with `getMarketplaceParticipations` (the
    ///    marketplace must be one the account sells in).
    /// 3. If the merchant already has an SP-API connection to this seller account, **renews** it: the sealed
    ///    refresh token is replaced, the grant approved today for 365 days, a recorded refusal cleared (so its
    ///    sync resumes from its watermark), audited `credential_replaced` then `renewed`. If it has an MWS
    ///    connection to the account in the marketplace's region, **moves** that connection to SP-API (same id,
    ///    orders and history; 365 days from today; audited `api_switched`). Otherwise creates a verified SP-API
    ///    connection (365-day term), sealed, audited `connection_created`.
    ///
    /// Refusals are [`AppError::Verification`] with [`VerificationFailure::SpApi`] (or `Unreachable`,
    /// `MarketplaceNotParticipating`), whose messages say what to do in English and Japanese; a seller account
    /// connected to another merchant is [`AppError::AlreadyConnected`].
    pub async fn complete_spapi_authorization(
        &self,
        callback: &SpApiCallback,
        session_binding: &str,
        actor: &Actor,
    ) -> Result<SpApiConnected, AppError> {
        let spapi = self.spapi()?;
        let session = session_digest(session_binding)?;
        let issued = self.take_state(callback, &session).await?;
        let selling_partner_id = callback
            .selling_partner_id
            .as_deref()
            .and_then(|text| SellingPartnerId::parse(text).ok())
            .ok_or_else(|| bad_parameter("selling_partner_id"))?;
        if let Some(expected) = &issued.selling_partner_id
            && expected != &selling_partner_id
        {
            return Err(refused(SpApiFailure::OtherSeller {
                expected: expected.clone(),
                returned: selling_partner_id,
            }));
        }
        let code = callback
            .spapi_oauth_code
            .as_deref()
            .and_then(|text| AuthorizationCode::parse(text).ok())
            .ok_or_else(|| bad_parameter("spapi_oauth_code"))?;
        let tokens = spapi
            .factory
            .lwa()
            .exchange_authorization_code(&code, &spapi.settings.redirect_uri)
            .await
            .map_err(|e| exchange_refused(&e))?;
        let home = issued.marketplace_id;
        let name = self
            .verify_authorization(&selling_partner_id, &tokens.refresh_token, &home)
            .await?;
        let secret = SecretString::from(tokens.refresh_token.expose_secret().to_owned());
        let target = self
            .spapi_target(issued.merchant_id, &selling_partner_id, &home)
            .await?;
        let (connection, renewed, switched) = match target {
            SpApiTarget::Renew(existing) => (
                self.renew_spapi_connection(existing, name, &secret, actor, self.now())
                    .await?,
                true,
                false,
            ),
            SpApiTarget::SwitchFromMws(existing) => {
                let now = self.now();
                let to = NewApi::spapi(selling_partner_id, home, name, now, Some(now));
                (
                    self.switch_api(existing, to, &secret, actor).await?,
                    false,
                    true,
                )
            }
            SpApiTarget::Create => {
                let created = self
                    .create_spapi_connection(
                        NewAuthorization {
                            merchant_id: issued.merchant_id,
                            selling_partner_id,
                            home,
                            name,
                            authorized_at: self.now(),
                            verified: true,
                        },
                        &secret,
                        actor,
                    )
                    .await?;
                (created, false, false)
            }
        };
        tracing::info!(
            connection.id = %connection.id,
            seller.id = %connection.account.seller_id(),
            renewed,
            switched,
            "SP-API authorization stored"
        );
        Ok(SpApiConnected {
            connection: self.view(connection).await?,
            renewed,
            switched,
        })
    }

    /// Issues a state for `merchant_id` bound to the session, and drops states expired long ago.
    async fn issue_state(
        &self,
        merchant_id: MerchantId,
        marketplace_id: MarketplaceId,
        selling_partner_id: Option<SellingPartnerId>,
        session_binding: &str,
    ) -> Result<(StateValue, Timestamp), AppError> {
        let session_hash = session_digest(session_binding)?;
        let now = self.now();
        let state = StateValue::generate();
        let record = OAuthState {
            state_hash: state.digest(),
            session_hash,
            merchant_id,
            marketplace_id,
            selling_partner_id,
            created_at: now,
            expires_at: now.saturating_add(STATE_LIFETIME).unwrap_or(Timestamp::MAX),
            used_at: None,
        };
        self.store
            .insert_oauth_state(&record)
            .await
            .map_err(|e| not_found(e, AppError::MerchantNotFound(merchant_id)))?;
        let horizon = now
            .saturating_sub(STATE_RETENTION)
            .unwrap_or(Timestamp::MIN);
        if let Err(error) = self.store.delete_oauth_states_expired_before(horizon).await {
            tracing::warn!(error = %error, "old OAuth states could not be deleted; they are retried next time");
        }
        Ok((state, record.expires_at))
    }

    /// Takes the callback's state for this session, or says why not.
    async fn take_state(
        &self,
        callback: &SpApiCallback,
        session: &sellerlink_store::TokenHash,
    ) -> Result<OAuthState, AppError> {
        let reject = |state: StateProblem| {
            tracing::warn!(state = ?state, "an SP-API authorization came back with a refused state");
            refused(SpApiFailure::StateRejected { state })
        };
        let Some(text) = callback.state.as_deref().filter(|text| !text.is_empty()) else {
            return Err(reject(StateProblem::Missing));
        };
        let Some(state) = StateValue::returned(text) else {
            return Err(reject(StateProblem::Unknown));
        };
        match self
            .store
            .take_oauth_state(&state.digest(), session, self.now())
            .await?
        {
            Ok(issued) => Ok(issued),
            Err(refusal) => Err(reject(refusal.into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_debug_shows_no_state() {
        let request = AuthorizationRequest {
            url: "https://sellercentral.amazon.co.jp/apps/authorize/consent?state=s3cr3t"
                .parse()
                .unwrap(),
            state: "s3cr3t".into(),
            expires_at: Timestamp::UNIX_EPOCH,
        };
        let debug = format!("{request:?}");
        assert!(!debug.contains("s3cr3t"), "{debug}");
        assert!(
            debug.contains("https://sellercentral.amazon.co.jp/apps/authorize/consent"),
            "{debug}"
        );
    }
}
