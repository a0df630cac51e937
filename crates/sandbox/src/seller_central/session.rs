//! Seller Central sessions: who is signed in, the CSRF token, the grant flow in progress, the
//! one-time completion page and flash notices; plus the per-login sign-in throttle.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use rand::Rng;
use sha2::{Digest, Sha256};

use super::fields::DeveloperId;
use super::messages::Notice;

/// A session unused for this long (wall-clock time) is forgotten.
const IDLE_TIMEOUT: Duration = Duration::from_secs(12 * 60 * 60);
/// At most this many sessions are kept; the least recently used one is dropped first.
const MAX_SESSIONS: usize = 10_000;
/// At most this many logins have failure counters at once.
const MAX_TRACKED_LOGINS: usize = 10_000;
/// Failed sign-ins in a row that lock a login.
pub(crate) const MAX_FAILURES: u32 = 5;
/// How long a login stays locked after [`MAX_FAILURES`] failures (sandbox clock).
pub(crate) const LOCKOUT: SignedDuration = SignedDuration::from_secs(60);

/// The random 128-bit identifier in the `sc-session` cookie. Its `Debug` hides the value.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) struct SessionId(String);

impl SessionId {
    fn random() -> Self {
        Self(format!("{:032x}", rand::rng().random::<u128>()))
    }

    /// Accepts exactly 32 lowercase hex digits (anything else cannot be one of ours).
    pub(crate) fn parse(value: &str) -> Option<Self> {
        (value.len() == 32
            && value
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
        .then(|| Self(value.to_owned()))
    }

    /// The cookie value.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionId(<redacted>)")
    }
}

/// The per-session token every form posts back. Its `Debug` hides the value.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct CsrfToken(String);

impl CsrfToken {
    fn random() -> Self {
        Self(format!("{:032x}", rand::rng().random::<u128>()))
    }

    /// The value to put in the form's hidden `csrf` field.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// Whether a submitted value is this token (compared in constant time).
    pub(crate) fn matches(&self, submitted: Option<&str>) -> bool {
        submitted.is_some_and(|value| constant_time_eq(self.0.as_bytes(), value.as_bytes()))
    }
}

impl fmt::Debug for CsrfToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CsrfToken(<redacted>)")
    }
}

/// Compares two secrets without an early exit (both are hashed first, so lengths do not leak
/// through timing either).
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let left = Sha256::digest(a);
    let right = Sha256::digest(b);
    left.iter()
        .zip(right.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// Step ③ done, step ④ pending: the developer the seller chose (re-checked when granting).
#[derive(Clone, Debug)]
pub(crate) struct PendingGrant {
    /// The developer ID as parsed in step ③.
    pub developer_id: DeveloperId,
    /// The developer name as the seller typed it.
    pub typed_name: String,
    /// The developer's registered name (shown on the consent page).
    pub registered_name: String,
}

/// Step ⑤: the grant whose credentials the completion page shows once.
#[derive(Clone, Debug)]
pub(crate) struct Completion {
    /// The developer just granted.
    pub developer_id: DeveloperId,
    /// Set by the first display of the completion page.
    pub shown: bool,
}

/// One browser's session.
#[derive(Debug)]
pub(crate) struct Session {
    /// The signed-in seller, `None` before sign-in.
    pub seller_id: Option<String>,
    /// The token forms must post back.
    pub csrf: CsrfToken,
    /// The grant flow between steps ③ and ④.
    pub pending_grant: Option<PendingGrant>,
    /// The grant flow's step ⑤.
    pub completion: Option<Completion>,
    /// A message for the next permissions page.
    pub notice: Option<Notice>,
    last_used: Instant,
}

#[derive(Debug, Default)]
struct FailedLogins {
    count: u32,
    locked_until: Option<Timestamp>,
}

#[derive(Debug, Default)]
struct Store {
    sessions: HashMap<SessionId, Session>,
    failures: HashMap<String, FailedLogins>,
}

/// All Seller Central sessions of one sandbox (cheap to clone; clones share the store).
#[derive(Clone, Default)]
pub struct Sessions {
    store: Arc<Mutex<Store>>,
}

impl fmt::Debug for Sessions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.lock().sessions.len();
        f.debug_struct("Sessions").field("count", &count).finish()
    }
}

impl Sessions {
    /// An empty session store.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock leaves plain data behind; keep serving.
        self.store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Starts a new session (signed in when `seller_id` is given) and returns its id.
    pub(crate) fn create(&self, seller_id: Option<String>) -> SessionId {
        let mut store = self.lock();
        let now = Instant::now();
        if store.sessions.len() >= MAX_SESSIONS {
            store
                .sessions
                .retain(|_, session| now.duration_since(session.last_used) < IDLE_TIMEOUT);
        }
        if store.sessions.len() >= MAX_SESSIONS
            && let Some(oldest) = store
                .sessions
                .iter()
                .min_by_key(|(_, session)| session.last_used)
                .map(|(id, _)| id.clone())
        {
            store.sessions.remove(&oldest);
        }
        let id = SessionId::random();
        store.sessions.insert(
            id.clone(),
            Session {
                seller_id,
                csrf: CsrfToken::random(),
                pending_grant: None,
                completion: None,
                notice: None,
                last_used: now,
            },
        );
        id
    }

    /// Runs `f` on the live session `id`; `None` if there is no such session (or it idled out).
    pub(crate) fn with<R>(&self, id: &SessionId, f: impl FnOnce(&mut Session) -> R) -> Option<R> {
        let mut store = self.lock();
        let now = Instant::now();
        let alive = store
            .sessions
            .get(id)
            .is_some_and(|session| now.duration_since(session.last_used) < IDLE_TIMEOUT);
        if !alive {
            store.sessions.remove(id);
            return None;
        }
        let session = store.sessions.get_mut(id)?;
        session.last_used = now;
        Some(f(session))
    }

    /// Ends session `id`.
    pub(crate) fn remove(&self, id: &SessionId) {
        self.lock().sessions.remove(id);
    }

    /// Whether sign-in for `login_key` is locked at `now` (sandbox clock).
    pub(crate) fn is_locked(&self, login_key: &str, now: Timestamp) -> bool {
        let mut store = self.lock();
        let Some(entry) = store.failures.get(login_key) else {
            return false;
        };
        match entry.locked_until {
            Some(until) if now < until => true,
            Some(_) => {
                // The lockout is over: start counting afresh.
                store.failures.remove(login_key);
                false
            }
            None => false,
        }
    }

    /// Counts a failed sign-in for `login_key`; the [`MAX_FAILURES`]th in a row locks the login
    /// for [`LOCKOUT`].
    pub(crate) fn record_failure(&self, login_key: &str, now: Timestamp) {
        let mut store = self.lock();
        if store.failures.len() >= MAX_TRACKED_LOGINS && !store.failures.contains_key(login_key) {
            store
                .failures
                .retain(|_, entry| entry.locked_until.is_some_and(|until| now < until));
        }
        let entry = store.failures.entry(login_key.to_owned()).or_default();
        if entry.locked_until.is_some() {
            return;
        }
        entry.count += 1;
        if entry.count >= MAX_FAILURES {
            entry.locked_until = Some(now.saturating_add(LOCKOUT).unwrap_or(now));
        }
    }

    /// Forgets the failures of `login_key` (after a successful sign-in).
    pub(crate) fn clear_failures(&self, login_key: &str) {
        self.lock().failures.remove(login_key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_tokens_are_random_hex_and_hidden_in_debug() {
        let sessions = Sessions::new();
        let a = sessions.create(None);
        let b = sessions.create(Some("A1".into()));
        assert_ne!(a, b);
        assert!(SessionId::parse(a.expose()).is_some());
        assert!(SessionId::parse("not-a-session").is_none());
        assert_eq!(format!("{a:?}"), "SessionId(<redacted>)");
        let csrf = sessions.with(&b, |s| s.csrf.clone()).unwrap();
        assert!(!format!("{csrf:?}").contains(csrf.expose()));
        assert!(csrf.matches(Some(csrf.expose())));
        assert!(!csrf.matches(Some("x")));
        assert!(!csrf.matches(None));
        assert_eq!(
            sessions.with(&b, |s| s.seller_id.clone()).flatten(),
            Some("A1".into())
        );
        sessions.remove(&b);
        assert!(sessions.with(&b, |_| ()).is_none());
    }

    #[test]
    fn five_failures_lock_a_login_for_a_minute_of_sandbox_time() {
        let sessions = Sessions::new();
        let t0: Timestamp = "2024-01-01T00:00:00Z".parse().unwrap();
        for _ in 0..MAX_FAILURES - 1 {
            sessions.record_failure("a@example.jp", t0);
            assert!(!sessions.is_locked("a@example.jp", t0));
        }
        sessions.record_failure("a@example.jp", t0);
        assert!(sessions.is_locked("a@example.jp", t0));
        assert!(!sessions.is_locked("b@example.jp", t0));
        let almost = t0 + SignedDuration::from_secs(59);
        assert!(sessions.is_locked("a@example.jp", almost));
        let after = t0 + LOCKOUT;
        assert!(!sessions.is_locked("a@example.jp", after));
        sessions.record_failure("a@example.jp", after);
        assert!(!sessions.is_locked("a@example.jp", after));
    }
}
