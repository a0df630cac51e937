//! Sign-in throttling: failures are counted per login and per client address in a sliding window; over the limit,
//! sign-in is refused with 429 and the same message as a wrong password.
//!
//! "May I try?" and "count this attempt" are one step: [`reserve`] checks the counters and, in the same critical
//! section, takes a reservation that counts as a failure until the attempt ends. So however many attempts arrive at
//! once, at most the limit's worth of passwords is checked. A failed attempt turns its reservation into a stored
//! failure; a successful one clears the login's counter; either way the reservation is then released.
//!
//! The per-address limit never blocks the right password of a login that is not throttled itself (behind a shared
//! address, one client's guessing must not lock everyone out): over it, the password is still checked, and only a
//! wrong one is answered 429. Guessing stays bounded by the per-login limit.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};

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

/// The attempts in flight (password being checked), per key, and the gate that makes check-and-reserve atomic.
#[derive(Default)]
pub(crate) struct InFlight {
    gate: tokio::sync::Mutex<()>,
    counts: Arc<Mutex<HashMap<ThrottleKey, u64>>>,
}

impl InFlight {
    fn count(&self, key: &ThrottleKey) -> u64 {
        let counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        counts.get(key).copied().unwrap_or(0)
    }
}

/// An attempt allowed to check its password; counts against the limits until dropped.
pub(crate) struct Reservation {
    keys: Vec<ThrottleKey>,
    counts: Arc<Mutex<HashMap<ThrottleKey, u64>>>,
    address_throttled: bool,
}

impl Reservation {
    /// Whether the client's address has used up its failures (only a right password gets through then).
    pub(crate) fn address_throttled(&self) -> bool {
        self.address_throttled
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        for key in &self.keys {
            if let Some(count) = counts.get_mut(key) {
                *count = count.saturating_sub(1);
                if *count == 0 {
                    counts.remove(key);
                }
            }
        }
    }
}

/// Checks the counters (stored failures plus attempts in flight) and, unless the login has used up its failures in
/// the window, reserves one attempt on the login and the address (noting whether the address has used up its own);
/// `None` when the login is throttled.
pub(crate) async fn reserve(
    state: &WebState,
    keys: &AttemptKeys,
) -> Result<Option<Reservation>, HttpError> {
    let limits = state.config().login_throttle;
    let since = state
        .session_now()
        .checked_sub(limits.window)
        .unwrap_or(jiff::Timestamp::MIN);
    let in_flight = state.sign_ins_in_flight();
    let _gate = in_flight.gate.lock().await;
    if used(state, &keys.login, since).await? >= limits.per_login {
        return Ok(None);
    }
    let address_throttled = match &keys.ip {
        Some(ip) => used(state, ip, since).await? >= limits.per_ip,
        None => false,
    };
    let reserved = keys.all();
    let mut counts = in_flight
        .counts
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    for key in &reserved {
        *counts.entry(key.clone()).or_insert(0) += 1;
    }
    Ok(Some(Reservation {
        keys: reserved,
        counts: in_flight.counts.clone(),
        address_throttled,
    }))
}

/// Failures under `key` since `since`, counting attempts in flight as failures.
async fn used(
    state: &WebState,
    key: &ThrottleKey,
    since: jiff::Timestamp,
) -> Result<u64, HttpError> {
    let stored = state.store().login_failures_since(key, since).await?;
    Ok(stored + state.sign_ins_in_flight().count(key))
}

/// Charges a failed attempt to its counters (then its reservation is released).
pub(crate) async fn failed(
    state: &WebState,
    keys: &AttemptKeys,
    reservation: Reservation,
) -> Result<(), HttpError> {
    // Under the gate: a concurrent `reserve` reads the stored failures and the reservations one after the other,
    // so the failure must be stored and its reservation released with no `reserve` in between — else that
    // `reserve` could see neither and check one password too many.
    let _gate = state.sign_ins_in_flight().gate.lock().await;
    state
        .store()
        .record_login_failure(&keys.all(), state.session_now())
        .await?;
    drop(reservation);
    Ok(())
}

/// A successful sign-in clears the login's counter (not the address's) and releases its reservation.
pub(crate) async fn succeeded(
    state: &WebState,
    keys: &AttemptKeys,
    reservation: Reservation,
) -> Result<(), HttpError> {
    let _gate = state.sign_ins_in_flight().gate.lock().await;
    state.store().clear_login_failures(&keys.login).await?;
    drop(reservation);
    Ok(())
}
