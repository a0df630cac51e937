//! Sign-in throttling: failures are counted per login and per client address in a sliding window; over the limit,
//! sign-in is refused with 429 and the same message as a wrong password.

use std::net::IpAddr;

use sellerlink_store::ThrottleKey;

use crate::error::HttpError;
use crate::state::WebState;

/// The counters one sign-in attempt is charged to.
pub(crate) struct AttemptKeys {
    pub login: ThrottleKey,
    pub ip: Option<ThrottleKey>,
}

impl AttemptKeys {
    pub(crate) fn new(typed_login: &str, ip: Option<IpAddr>) -> Self {
        Self {
            login: ThrottleKey::login(typed_login),
            ip: ip.map(ThrottleKey::ip),
        }
    }

    fn all(&self) -> Vec<ThrottleKey> {
        let mut keys = vec![self.login.clone()];
        keys.extend(self.ip.clone());
        keys
    }
}

/// True when the login or the address has used up its failures in the window.
pub(crate) async fn blocked(state: &WebState, keys: &AttemptKeys) -> Result<bool, HttpError> {
    let limits = state.config().login_throttle;
    let since = state
        .session_now()
        .checked_sub(limits.window)
        .unwrap_or(jiff::Timestamp::MIN);
    let store = state.store();
    if store.login_failures_since(&keys.login, since).await? >= limits.per_login {
        return Ok(true);
    }
    if let Some(ip) = &keys.ip
        && store.login_failures_since(ip, since).await? >= limits.per_ip
    {
        return Ok(true);
    }
    Ok(false)
}

/// Charges a failed attempt to its counters.
pub(crate) async fn failed(state: &WebState, keys: &AttemptKeys) -> Result<(), HttpError> {
    state
        .store()
        .record_login_failure(&keys.all(), state.session_now())
        .await?;
    Ok(())
}

/// A successful sign-in clears the login's counter (not the address's).
pub(crate) async fn succeeded(state: &WebState, keys: &AttemptKeys) -> Result<(), HttpError> {
    state.store().clear_login_failures(&keys.login).await?;
    Ok(())
}
