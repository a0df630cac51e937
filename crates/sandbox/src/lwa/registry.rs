//! The registry of apps and authorizations, with every LWA rule. Methods take the sandbox's
//! `now`; nothing here reads a clock of its own.

use std::collections::HashMap;
use std::fmt;

use jiff::Timestamp;
use rand::SeedableRng;
use rand::rngs::StdRng;

use super::apps::{self, App, AppStage, ClientSecret, NewApp, SpApiAppError};
use super::authorizations::{
    ACCESS_TOKEN_LIFETIME, AMAZON_STATE_LIFETIME, AccessTokenRecord, AmazonState, AuthCode,
    AuthorizationStatus, CODE_LIFETIME, IssuedRefreshToken, SpApiAuthorization,
};
use super::credentials;

/// Past this many live entries, expired codes, access tokens and states are swept out.
const SWEEP_AT: usize = 10_000;

/// What a successful token request returns. `Debug` hides the tokens.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenGrant {
    /// `Atza|…`.
    pub access_token: String,
    /// `Atzr|…`; `None` for client-credentials grants.
    pub refresh_token: Option<String>,
    /// Seconds the access token works (3600).
    pub expires_in: i64,
}

impl fmt::Debug for TokenGrant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenGrant")
            .field("access_token", &"Atza|<redacted>")
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "Atzr|<redacted>"),
            )
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

/// Why a client could not authenticate (always answered as 401 `invalid_client`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuthFailure {
    /// No app has this client ID.
    UnknownClient,
    /// The secret is not one of the app's, or it expired or was rotated out.
    BadSecret,
}

/// Why a grant was refused (answered as 400 `invalid_grant`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantFailure {
    /// The code is unknown, used, expired, for another app or another redirect URI, or its
    /// authorization was revoked meanwhile.
    Code,
    /// The refresh token is unknown, for another app, or its authorization lapsed or was revoked.
    RefreshToken,
}

/// Who a valid access token speaks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessContext {
    /// The seller, `None` for a grantless token.
    pub seller_id: Option<String>,
    /// The app.
    pub application_id: String,
}

/// Why an access token was refused on an SP-API call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenDenial {
    /// No `x-amz-access-token` header.
    Missing,
    /// Unknown token, or its authorization lapsed or was revoked.
    RevokedOrInvalid,
    /// The token is older than 3600 s.
    Expired,
}

/// Why an `amazon_state` was refused on the confirm page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateFailure {
    /// Unknown, already used, for another seller or app.
    Invalid,
    /// Older than [`AMAZON_STATE_LIFETIME`].
    Expired,
}

/// Apps, authorizations, codes and tokens. See the [module docs](super).
pub struct LwaRegistry {
    apps: Vec<App>,
    authorizations: Vec<SpApiAuthorization>,
    refresh_index: HashMap<String, (usize, usize)>,
    codes: HashMap<String, AuthCode>,
    access_tokens: HashMap<String, AccessTokenRecord>,
    amazon_states: HashMap<String, AmazonState>,
    rng: StdRng,
}

impl fmt::Debug for LwaRegistry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LwaRegistry")
            .field("apps", &self.apps.len())
            .field("authorizations", &self.authorizations.len())
            .field("live_access_tokens", &self.access_tokens.len())
            .finish_non_exhaustive()
    }
}

impl LwaRegistry {
    /// An empty registry whose generated app identities follow `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            apps: Vec::new(),
            authorizations: Vec::new(),
            refresh_index: HashMap::new(),
            codes: HashMap::new(),
            access_tokens: HashMap::new(),
            amazon_states: HashMap::new(),
            rng: StdRng::seed_from_u64(seed ^ 0x5EA1_A000_0A99_5EED),
        }
    }

    // ----- apps ----------------------------------------------------------------------------

    /// Every app, in registration order.
    pub fn apps(&self) -> &[App] {
        &self.apps
    }

    /// The app with this application ID.
    pub fn app(&self, application_id: &str) -> Option<&App> {
        self.apps
            .iter()
            .find(|a| a.application_id == application_id)
    }

    /// The app with this LWA client ID.
    pub fn app_by_client_id(&self, client_id: &str) -> Option<&App> {
        self.apps.iter().find(|a| a.client_id == client_id)
    }

    fn app_mut(&mut self, application_id: &str) -> Result<&mut App, SpApiAppError> {
        self.apps
            .iter_mut()
            .find(|a| a.application_id == application_id)
            .ok_or_else(|| SpApiAppError::UnknownApp(application_id.to_owned()))
    }

    /// Registers an app at `now`; identifiers not given are generated from the seeded RNG.
    pub fn register_app(&mut self, new: NewApp, now: Timestamp) -> Result<App, SpApiAppError> {
        let name = new.name.trim();
        if name.is_empty() {
            return Err(SpApiAppError::Empty("name"));
        }
        for uri in &new.redirect_uris {
            apps::check_uri("redirect_uri", uri)?;
        }
        if let Some(uri) = &new.login_uri {
            apps::check_uri("login_uri", uri)?;
        }
        let application_id = match new.application_id {
            Some(id) => {
                apps::check_application_id(&id)?;
                id
            }
            None => credentials::application_id(&mut self.rng),
        };
        let client_id = match new.client_id {
            Some(id) => {
                apps::check_client_id(&id)?;
                id
            }
            None => credentials::client_id(&mut self.rng),
        };
        let secret = match new.client_secret {
            Some(secret) => {
                apps::check_client_secret(&secret)?;
                secret
            }
            None => credentials::client_secret(&mut self.rng),
        };
        if self.app(&application_id).is_some() {
            return Err(SpApiAppError::Duplicate("application ID"));
        }
        if self.app_by_client_id(&client_id).is_some() {
            return Err(SpApiAppError::Duplicate("client ID"));
        }
        let roles = if new.roles.is_empty() {
            apps::DEFAULT_ROLES
                .iter()
                .map(|r| (*r).to_owned())
                .collect()
        } else {
            new.roles
        };
        let app = App {
            application_id,
            name: name.to_owned(),
            developer_name: new
                .developer_name
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| "sandbox developer".to_owned()),
            client_id,
            secrets: vec![ClientSecret::new(secret, now)],
            redirect_uris: new.redirect_uris,
            login_uri: new.login_uri,
            stage: new.stage.unwrap_or(AppStage::Draft),
            roles,
            registered_at: now,
        };
        self.apps.push(app.clone());
        Ok(app)
    }

    /// Replaces the redirect URIs (`replace`) and/or appends more (`add`, skipping duplicates).
    pub fn set_redirect_uris(
        &mut self,
        application_id: &str,
        replace: Option<Vec<String>>,
        add: Vec<String>,
    ) -> Result<App, SpApiAppError> {
        for uri in replace.iter().flatten().chain(add.iter()) {
            apps::check_uri("redirect_uri", uri)?;
        }
        let app = self.app_mut(application_id)?;
        if let Some(uris) = replace {
            app.redirect_uris = uris;
        }
        for uri in add {
            if !app.redirect_uris.contains(&uri) {
                app.redirect_uris.push(uri);
            }
        }
        Ok(app.clone())
    }

    /// Sets (or clears) the log-in URI.
    pub fn set_login_uri(
        &mut self,
        application_id: &str,
        uri: Option<String>,
    ) -> Result<App, SpApiAppError> {
        if let Some(uri) = &uri {
            apps::check_uri("login_uri", uri)?;
        }
        let app = self.app_mut(application_id)?;
        app.login_uri = uri;
        Ok(app.clone())
    }

    /// Moves the app to `stage` (publish, or back to draft).
    pub fn set_stage(
        &mut self,
        application_id: &str,
        stage: AppStage,
    ) -> Result<App, SpApiAppError> {
        let app = self.app_mut(application_id)?;
        app.stage = stage;
        Ok(app.clone())
    }

    /// Rotates the client secret: a new one from now; the previous one works for the grace period.
    pub fn rotate_secret(
        &mut self,
        application_id: &str,
        now: Timestamp,
    ) -> Result<App, SpApiAppError> {
        let value = credentials::client_secret(&mut self.rng);
        let app = self.app_mut(application_id)?;
        for secret in &mut app.secrets {
            if secret.replaced_at.is_none() {
                secret.replaced_at = Some(now);
            }
        }
        app.secrets.push(ClientSecret::new(value, now));
        Ok(app.clone())
    }

    /// Test helper: every secret of the app stops working now (as if 180 days had passed).
    pub fn expire_secrets(
        &mut self,
        application_id: &str,
        now: Timestamp,
    ) -> Result<App, SpApiAppError> {
        let app = self.app_mut(application_id)?;
        for secret in &mut app.secrets {
            secret.expires_at = secret.expires_at.min(now);
        }
        Ok(app.clone())
    }

    /// Authenticates an LWA client by ID and secret at `now`.
    pub fn authenticate_client(
        &self,
        client_id: &str,
        client_secret: &str,
        now: Timestamp,
    ) -> Result<&App, ClientAuthFailure> {
        let app = self
            .app_by_client_id(client_id)
            .ok_or(ClientAuthFailure::UnknownClient)?;
        if app.accepts_secret(client_secret, now) {
            Ok(app)
        } else {
            Err(ClientAuthFailure::BadSecret)
        }
    }

    // ----- authorizations ------------------------------------------------------------------

    /// Every authorization, in creation order.
    pub fn authorizations(&self) -> &[SpApiAuthorization] {
        &self.authorizations
    }

    /// The authorization of (seller, app).
    pub fn authorization(
        &self,
        seller_id: &str,
        application_id: &str,
    ) -> Option<&SpApiAuthorization> {
        self.authorizations
            .iter()
            .find(|a| a.seller_id == seller_id && a.application_id == application_id)
    }

    fn authorization_index(&self, seller_id: &str, application_id: &str) -> Option<usize> {
        self.authorizations
            .iter()
            .position(|a| a.seller_id == seller_id && a.application_id == application_id)
    }

    /// Every authorization of a seller, oldest first.
    pub fn authorizations_for_seller(&self, seller_id: &str) -> Vec<&SpApiAuthorization> {
        self.authorizations
            .iter()
            .filter(|a| a.seller_id == seller_id)
            .collect()
    }

    /// Records the seller's consent at `now`: a new authorization, or a renewal of the existing
    /// one (365 days from now). Returns its index.
    fn consent(&mut self, seller_id: &str, application_id: &str, now: Timestamp) -> usize {
        match self.authorization_index(seller_id, application_id) {
            Some(i) => {
                self.authorizations[i].renew(now);
                i
            }
            None => {
                self.authorizations
                    .push(SpApiAuthorization::new(seller_id, application_id, now));
                self.authorizations.len() - 1
            }
        }
    }

    /// The seller confirmed the consent page (or the re-authorization continuation): the
    /// authorization is made or renewed and a one-time code bound to (app, redirect URI, seller)
    /// is issued, valid 5 minutes.
    pub fn authorize_with_code(
        &mut self,
        seller_id: &str,
        application_id: &str,
        redirect_uri: &str,
        now: Timestamp,
    ) -> Result<String, SpApiAppError> {
        if self.app(application_id).is_none() {
            return Err(SpApiAppError::UnknownApp(application_id.to_owned()));
        }
        let index = self.consent(seller_id, application_id, now);
        let period = self.authorizations[index].period;
        self.sweep(now);
        let code = credentials::authorization_code();
        self.codes.insert(
            code.clone(),
            AuthCode {
                seller_id: seller_id.to_owned(),
                application_id: application_id.to_owned(),
                redirect_uri: redirect_uri.to_owned(),
                period,
                expires_at: now.saturating_add(CODE_LIFETIME).unwrap_or(Timestamp::MAX),
                used: false,
            },
        );
        Ok(code)
    }

    /// Self-authorization (control API): makes or renews the authorization and issues a refresh
    /// token directly, without a code.
    pub fn self_authorize(
        &mut self,
        seller_id: &str,
        application_id: &str,
        now: Timestamp,
    ) -> Result<String, SpApiAppError> {
        if self.app(application_id).is_none() {
            return Err(SpApiAppError::UnknownApp(application_id.to_owned()));
        }
        let index = self.consent(seller_id, application_id, now);
        Ok(self.issue_refresh_token(index, now))
    }

    fn issue_refresh_token(&mut self, index: usize, now: Timestamp) -> String {
        let token = credentials::refresh_token();
        let auth = &mut self.authorizations[index];
        auth.refresh_tokens.push(IssuedRefreshToken {
            token: token.clone(),
            issued_at: now,
            period: auth.period,
        });
        self.refresh_index
            .insert(token.clone(), (index, auth.refresh_tokens.len() - 1));
        token
    }

    fn issue_access_token(
        &mut self,
        seller_id: Option<&str>,
        application_id: &str,
        period: u32,
        now: Timestamp,
    ) -> String {
        self.sweep(now);
        let token = credentials::access_token();
        self.access_tokens.insert(
            token.clone(),
            AccessTokenRecord {
                seller_id: seller_id.map(str::to_owned),
                application_id: application_id.to_owned(),
                period,
                expires_at: now
                    .saturating_add(ACCESS_TOKEN_LIFETIME)
                    .unwrap_or(Timestamp::MAX),
            },
        );
        token
    }

    /// `grant_type=authorization_code` for the authenticated app.
    pub fn exchange_code(
        &mut self,
        application_id: &str,
        code: &str,
        redirect_uri: Option<&str>,
        now: Timestamp,
    ) -> Result<TokenGrant, GrantFailure> {
        let record = self.codes.get_mut(code).ok_or(GrantFailure::Code)?;
        let usable = !record.used
            && now < record.expires_at
            && record.application_id == application_id
            && redirect_uri.is_none_or(|uri| uri == record.redirect_uri);
        if !usable {
            return Err(GrantFailure::Code);
        }
        record.used = true;
        let (seller_id, period) = (record.seller_id.clone(), record.period);
        let index = self
            .authorization_index(&seller_id, application_id)
            .filter(|&i| self.authorizations[i].admits(period, now))
            .ok_or(GrantFailure::Code)?;
        let refresh_token = self.issue_refresh_token(index, now);
        let access_token = self.issue_access_token(Some(&seller_id), application_id, period, now);
        Ok(TokenGrant {
            access_token,
            refresh_token: Some(refresh_token),
            expires_in: ACCESS_TOKEN_LIFETIME.as_secs(),
        })
    }

    /// `grant_type=refresh_token` for the authenticated app; echoes the refresh token.
    pub fn refresh(
        &mut self,
        application_id: &str,
        refresh_token: &str,
        now: Timestamp,
    ) -> Result<TokenGrant, GrantFailure> {
        let &(index, slot) = self
            .refresh_index
            .get(refresh_token)
            .ok_or(GrantFailure::RefreshToken)?;
        let auth = &self.authorizations[index];
        let period = auth.refresh_tokens[slot].period;
        if auth.application_id != application_id || !auth.admits(period, now) {
            return Err(GrantFailure::RefreshToken);
        }
        let seller_id = auth.seller_id.clone();
        let access_token = self.issue_access_token(Some(&seller_id), application_id, period, now);
        Ok(TokenGrant {
            access_token,
            refresh_token: Some(refresh_token.to_owned()),
            expires_in: ACCESS_TOKEN_LIFETIME.as_secs(),
        })
    }

    /// `grant_type=client_credentials`: a grantless token (no seller).
    pub fn grantless(&mut self, application_id: &str, now: Timestamp) -> TokenGrant {
        let access_token = self.issue_access_token(None, application_id, 0, now);
        TokenGrant {
            access_token,
            refresh_token: None,
            expires_in: ACCESS_TOKEN_LIFETIME.as_secs(),
        }
    }

    /// Checks an SP-API call's `x-amz-access-token` at `now`.
    pub fn check_access_token(
        &self,
        token: Option<&str>,
        now: Timestamp,
    ) -> Result<AccessContext, TokenDenial> {
        let token = token
            .filter(|t| !t.is_empty())
            .ok_or(TokenDenial::Missing)?;
        let record = self
            .access_tokens
            .get(token)
            .ok_or(TokenDenial::RevokedOrInvalid)?;
        if now >= record.expires_at {
            return Err(TokenDenial::Expired);
        }
        if let Some(seller_id) = &record.seller_id {
            let live = self
                .authorization(seller_id, &record.application_id)
                .is_some_and(|a| a.admits(record.period, now));
            if !live {
                return Err(TokenDenial::RevokedOrInvalid);
            }
        }
        Ok(AccessContext {
            seller_id: record.seller_id.clone(),
            application_id: record.application_id.clone(),
        })
    }

    /// The seller revokes the app ("disable authorization") at `now`.
    pub fn revoke(
        &mut self,
        seller_id: &str,
        application_id: &str,
        now: Timestamp,
    ) -> Result<SpApiAuthorization, AuthorizationMissing> {
        let i = self
            .authorization_index(seller_id, application_id)
            .ok_or(AuthorizationMissing)?;
        let auth = &mut self.authorizations[i];
        if auth.revoked_at.is_none() {
            auth.revoked_at = Some(now);
        }
        Ok(auth.clone())
    }

    /// Test helper: the authorization expires now (as if 365 days had passed).
    pub fn expire_now(
        &mut self,
        seller_id: &str,
        application_id: &str,
        now: Timestamp,
    ) -> Result<SpApiAuthorization, AuthorizationMissing> {
        let i = self
            .authorization_index(seller_id, application_id)
            .ok_or(AuthorizationMissing)?;
        let auth = &mut self.authorizations[i];
        auth.expires_at = auth.expires_at.min(now);
        Ok(auth.clone())
    }

    /// Issues the `amazon_state` for a re-authorization of (seller, app), valid 1 hour.
    pub fn issue_amazon_state(
        &mut self,
        seller_id: &str,
        application_id: &str,
        now: Timestamp,
    ) -> String {
        self.sweep(now);
        let state = credentials::amazon_state();
        self.amazon_states.insert(
            state.clone(),
            AmazonState {
                seller_id: seller_id.to_owned(),
                application_id: application_id.to_owned(),
                expires_at: now
                    .saturating_add(AMAZON_STATE_LIFETIME)
                    .unwrap_or(Timestamp::MAX),
            },
        );
        state
    }

    /// Consumes an `amazon_state` that must have been issued for (seller, app).
    pub fn take_amazon_state(
        &mut self,
        value: &str,
        seller_id: &str,
        application_id: &str,
        now: Timestamp,
    ) -> Result<(), StateFailure> {
        let state = self.amazon_states.get(value).ok_or(StateFailure::Invalid)?;
        if state.seller_id != seller_id || state.application_id != application_id {
            return Err(StateFailure::Invalid);
        }
        let expired = now >= state.expires_at;
        self.amazon_states.remove(value);
        if expired {
            Err(StateFailure::Expired)
        } else {
            Ok(())
        }
    }

    /// The status of (seller, app) at `now`, if there is an authorization.
    pub fn status(
        &self,
        seller_id: &str,
        application_id: &str,
        now: Timestamp,
    ) -> Option<AuthorizationStatus> {
        self.authorization(seller_id, application_id)
            .map(|a| a.status(now))
    }

    fn sweep(&mut self, now: Timestamp) {
        if self.codes.len() >= SWEEP_AT {
            self.codes.retain(|_, c| !c.used && now < c.expires_at);
        }
        if self.access_tokens.len() >= SWEEP_AT {
            self.access_tokens.retain(|_, t| now < t.expires_at);
        }
        if self.amazon_states.len() >= SWEEP_AT {
            self.amazon_states.retain(|_, s| now < s.expires_at);
        }
    }
}

/// No authorization exists for this seller and app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the seller has not authorized this app")]
pub struct AuthorizationMissing;

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::SignedDuration;

    const SELLER: &str = "A1B2C3D4E5F6G7";
    const REDIRECT: &str = "https://3pl.example.jp/amazon/callback";

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn registry() -> (LwaRegistry, App) {
        let mut registry = LwaRegistry::new(1);
        let app = registry
            .register_app(
                NewApp {
                    name: "3PL".into(),
                    redirect_uris: vec![REDIRECT.into()],
                    ..NewApp::default()
                },
                at("2024-01-01T00:00:00Z"),
            )
            .unwrap();
        (registry, app)
    }

    #[test]
    fn code_is_single_use_bound_and_short_lived() {
        let (mut r, app) = registry();
        let t = at("2024-02-01T00:00:00Z");
        let id = app.application_id.as_str();
        let code = r.authorize_with_code(SELLER, id, REDIRECT, t).unwrap();
        assert_eq!(
            r.exchange_code(id, &code, Some("https://other.example/cb"), t),
            Err(GrantFailure::Code)
        );
        assert_eq!(
            r.exchange_code("amzn1.sellerapps.app.other", &code, None, t),
            Err(GrantFailure::Code)
        );
        let grant = r.exchange_code(id, &code, Some(REDIRECT), t).unwrap();
        assert!(grant.refresh_token.as_deref().unwrap().starts_with("Atzr|"));
        assert_eq!(
            r.exchange_code(id, &code, Some(REDIRECT), t),
            Err(GrantFailure::Code)
        );
        let late = r.authorize_with_code(SELLER, id, REDIRECT, t).unwrap();
        let five_minutes = t + SignedDuration::from_secs(300);
        assert_eq!(
            r.exchange_code(id, &late, None, five_minutes),
            Err(GrantFailure::Code)
        );
        assert!(!format!("{grant:?}").contains("IwEB"));
    }

    #[test]
    fn lapse_kills_tokens_and_reauthorization_restores_access_with_a_new_token() {
        let (mut r, app) = registry();
        let id = app.application_id.clone();
        let t0 = at("2024-02-01T00:00:00Z");
        let code = r.authorize_with_code(SELLER, &id, REDIRECT, t0).unwrap();
        let first = r.exchange_code(&id, &code, None, t0).unwrap();
        let refresh = first.refresh_token.clone().unwrap();
        assert_eq!(
            r.check_access_token(Some(&first.access_token), t0)
                .unwrap()
                .seller_id
                .as_deref(),
            Some(SELLER)
        );
        let hour = t0 + SignedDuration::from_secs(3600);
        assert_eq!(
            r.check_access_token(Some(&first.access_token), hour),
            Err(TokenDenial::Expired)
        );
        let again = r.refresh(&id, &refresh, hour).unwrap();
        assert_eq!(again.refresh_token.as_deref(), Some(refresh.as_str()));

        let lapsed = t0 + SignedDuration::from_hours(365 * 24);
        assert_eq!(
            r.refresh(&id, &refresh, lapsed),
            Err(GrantFailure::RefreshToken)
        );
        let before_lapse = lapsed - SignedDuration::from_secs(1);
        let last = r.refresh(&id, &refresh, before_lapse).unwrap();
        assert_eq!(
            r.check_access_token(Some(&last.access_token), lapsed),
            Err(TokenDenial::RevokedOrInvalid)
        );
        let code = r
            .authorize_with_code(SELLER, &id, REDIRECT, lapsed)
            .unwrap();
        let renewed = r.exchange_code(&id, &code, None, lapsed).unwrap();
        assert!(
            r.check_access_token(Some(&renewed.access_token), lapsed)
                .is_ok()
        );
        assert_eq!(
            r.refresh(&id, &refresh, lapsed),
            Err(GrantFailure::RefreshToken),
            "old tokens stay dead"
        );
        assert_eq!(
            r.authorization(SELLER, &id).unwrap().refresh_tokens.len(),
            2
        );
    }

    #[test]
    fn revocation_and_renewal_while_active() {
        let (mut r, app) = registry();
        let id = app.application_id.clone();
        let t0 = at("2024-02-01T00:00:00Z");
        let old = r.self_authorize(SELLER, &id, t0).unwrap();
        let t1 = t0 + SignedDuration::from_hours(24 * 300);
        let new = r.self_authorize(SELLER, &id, t1).unwrap();
        let t2 = t0 + SignedDuration::from_hours(24 * 400);
        assert!(
            r.refresh(&id, &old, t2).is_ok(),
            "older tokens live as long as the authorization"
        );
        let token = r.refresh(&id, &new, t2).unwrap().access_token;
        r.revoke(SELLER, &id, t2).unwrap();
        assert_eq!(r.refresh(&id, &new, t2), Err(GrantFailure::RefreshToken));
        assert_eq!(
            r.check_access_token(Some(&token), t2),
            Err(TokenDenial::RevokedOrInvalid)
        );
        assert_eq!(r.check_access_token(None, t2), Err(TokenDenial::Missing));
        assert_eq!(
            r.status(SELLER, &id, t2),
            Some(AuthorizationStatus::Revoked)
        );
    }

    #[test]
    fn secrets_rotate_and_expire() {
        let (mut r, app) = registry();
        let id = app.application_id.clone();
        let old = app.current_secret().unwrap().expose().to_owned();
        let t = at("2024-03-01T00:00:00Z");
        assert!(r.authenticate_client(&app.client_id, &old, t).is_ok());
        assert_eq!(
            r.authenticate_client(&app.client_id, "amzn1.oa2-cs.v1.wrong", t)
                .unwrap_err(),
            ClientAuthFailure::BadSecret
        );
        assert_eq!(
            r.authenticate_client("amzn1.application-oa2-client.00", &old, t)
                .unwrap_err(),
            ClientAuthFailure::UnknownClient
        );
        let rotated = r.rotate_secret(&id, t).unwrap();
        let new = rotated.current_secret().unwrap().expose().to_owned();
        assert_ne!(new, old);
        let week = t + SignedDuration::from_hours(7 * 24);
        assert!(
            r.authenticate_client(&app.client_id, &old, week - SignedDuration::from_secs(1))
                .is_ok()
        );
        assert!(r.authenticate_client(&app.client_id, &old, week).is_err());
        assert!(r.authenticate_client(&app.client_id, &new, week).is_ok());
        let half_year = t + SignedDuration::from_hours(180 * 24);
        assert!(
            r.authenticate_client(&app.client_id, &new, half_year)
                .is_err()
        );
    }

    #[test]
    fn amazon_state_is_bound_single_use_and_expires() {
        let (mut r, app) = registry();
        let id = app.application_id.clone();
        let t = at("2024-03-01T00:00:00Z");
        let state = r.issue_amazon_state(SELLER, &id, t);
        assert_eq!(
            r.take_amazon_state(&state, "A0THERSELLER00", &id, t),
            Err(StateFailure::Invalid)
        );
        assert_eq!(r.take_amazon_state(&state, SELLER, &id, t), Ok(()));
        assert_eq!(
            r.take_amazon_state(&state, SELLER, &id, t),
            Err(StateFailure::Invalid)
        );
        let late = r.issue_amazon_state(SELLER, &id, t);
        assert_eq!(
            r.take_amazon_state(&late, SELLER, &id, t + SignedDuration::from_hours(1)),
            Err(StateFailure::Expired)
        );
    }
}
