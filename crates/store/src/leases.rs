//! Leases: a named lock with an owner and an expiry, so that several workers never sync one connection at once.

use jiff::{SignedDuration, Timestamp};
use sellerlink_domain::ids::ConnectionId;

use crate::codec::{Column, millis};
use crate::engine::{Engine, Handle, on_conn, on_pool};
use crate::error::{StoreError, StoreResult};
use crate::names::{NameError, NameRule, name_plumbing};
use crate::store::Store;

fn printable(c: char) -> bool {
    !c.is_control() && !c.is_whitespace()
}

/// What a lease locks, e.g. `sync:<connection id>`: 1–200 printable characters without spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LeaseName(String);

const NAME_RULE: NameRule = NameRule {
    field: "lease name",
    max_chars: 200,
    allowed: printable,
    expected: "1–200 printable characters without spaces, e.g. sync:01890a5d-ac96-774b-bcce-b302099a8057",
};

impl LeaseName {
    /// The lease of a connection's sync: `sync:<connection id>`.
    pub fn sync(connection_id: ConnectionId) -> Self {
        Self(format!("sync:{connection_id}"))
    }

    /// Parses a lease name.
    pub fn parse(input: &str) -> Result<Self, NameError> {
        NAME_RULE.check(input).map(Self)
    }
}
name_plumbing!(LeaseName);

/// Who holds a lease, e.g. `worker@host:pid`: 1–200 printable characters without spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LeaseOwner(String);

const OWNER_RULE: NameRule = NameRule {
    field: "lease owner",
    max_chars: 200,
    allowed: printable,
    expected: "1–200 printable characters without spaces, e.g. worker@node-1:4242",
};

impl LeaseOwner {
    /// Parses an owner name.
    pub fn parse(input: &str) -> Result<Self, NameError> {
        OWNER_RULE.check(input).map(Self)
    }

    /// This process as an owner, `<role>@<host>:<pid>:<start time>#<random>` (see [`LeaseProcess`]), so that
    /// another process on this host can tell when it is gone; `<role>:<pid>#<random>` where the system does not
    /// tell. The random part makes the owner unique per process start even where every process has the same id
    /// (each worker is PID 1 in its own container) and the host names are alike: two processes never share an
    /// owner, so neither can renew or release the other's lease.
    pub fn of_this_process(role: &str) -> Result<Self, NameError> {
        let nonce = uuid::Uuid::new_v4().simple().to_string();
        let nonce = &nonce[..12];
        match LeaseProcess::current() {
            Some(process) => Self::parse(&format!("{role}@{process}#{nonce}")),
            None => Self::parse(&format!("{role}:{}#{nonce}", std::process::id())),
        }
    }

    /// The process this owner names, if it was made by [`LeaseOwner::of_this_process`] on a system that tells.
    pub fn process(&self) -> Option<LeaseProcess> {
        let (_, process) = self.0.rsplit_once('@')?;
        let process = process
            .split_once('#')
            .map_or(process, |(process, _)| process);
        process.parse().ok()
    }
}
name_plumbing!(LeaseOwner);

/// A process on a host: host name, PID namespace, process id, and the process's start time (clock ticks since boot,
/// from `/proc/<pid>/stat`), so that a process id the system reused is not mistaken for the process, nor a process
/// in another PID namespace (another container on the same host, where every worker may be PID 1) for one in
/// ours. Shown as `<host>:<pid namespace>:<pid>:<start time>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseProcess {
    /// The host name.
    pub host: String,
    /// The inode number of the PID namespace (`/proc/self/ns/pid`).
    pub pid_namespace: u64,
    /// The process id, within that namespace.
    pub pid: u32,
    /// When it started, in clock ticks since the host booted.
    pub started: u64,
}

impl LeaseProcess {
    /// This process, where the system tells (Linux `/proc`); `None` elsewhere.
    pub fn current() -> Option<Self> {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname").ok()?;
        let host = host.trim();
        let plain = |c: char| printable(c) && c != ':' && c != '@' && c != '#';
        if host.is_empty() || !host.chars().all(plain) {
            return None;
        }
        let pid = std::process::id();
        let (started, _) = proc_stat(pid)?;
        Some(Self {
            host: host.to_owned(),
            pid_namespace: pid_namespace()?,
            pid,
            started,
        })
    }

    /// Whether the process has provably ended: it ran on this host in this PID namespace, and no live process
    /// has its id and start time (none with that id, a later one that reused the id, or only its zombie).
    /// `false` whenever that cannot be known: another host, another PID namespace, or a system without `/proc`.
    pub fn is_gone(&self) -> bool {
        let Some(here) = Self::current() else {
            return false;
        };
        if here.host != self.host || here.pid_namespace != self.pid_namespace {
            return false;
        }
        let stat = format!("/proc/{}/stat", self.pid);
        if !std::path::Path::new(&stat).exists() {
            return true;
        }
        match proc_stat(self.pid) {
            Some((started, state)) => started != self.started || matches!(state, 'Z' | 'X'),
            None => false,
        }
    }
}

/// The inode number of this process's PID namespace, from the link `/proc/self/ns/pid` (`pid:[4026531836]`).
fn pid_namespace() -> Option<u64> {
    let link = std::fs::read_link("/proc/self/ns/pid").ok()?;
    let link = link.to_str()?;
    link.strip_prefix("pid:[")?.strip_suffix(']')?.parse().ok()
}

/// The start time and state of process `pid`, from `/proc/<pid>/stat` (fields 22 and 3; the command name, field
/// 2, is in parentheses and may itself contain spaces and parentheses).
fn proc_stat(pid: u32) -> Option<(u64, char)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, after_name) = stat.rsplit_once(')')?;
    let mut fields = after_name.split_whitespace();
    let state = fields.next()?.chars().next()?;
    let started = fields.nth(18)?.parse().ok()?;
    Some((started, state))
}

impl std::fmt::Display for LeaseProcess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}:{}",
            self.host, self.pid_namespace, self.pid, self.started
        )
    }
}

impl std::str::FromStr for LeaseProcess {
    type Err = ();

    /// Reads `<host>:<pid namespace>:<pid>:<start time>`.
    fn from_str(text: &str) -> Result<Self, ()> {
        let mut parts = text.rsplitn(4, ':');
        let started = parts.next().ok_or(())?.parse().map_err(drop)?;
        let pid = parts.next().ok_or(())?.parse().map_err(drop)?;
        let pid_namespace = parts.next().ok_or(())?.parse().map_err(drop)?;
        let host = parts.next().filter(|h| !h.is_empty()).ok_or(())?;
        Ok(Self {
            host: host.to_owned(),
            pid_namespace,
            pid,
            started,
        })
    }
}

/// A lease as stored. It may have expired: compare `expires_at` with the clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// What it locks.
    pub name: LeaseName,
    /// Who took it last.
    pub owner: LeaseOwner,
    /// From this instant on, anyone may take it.
    pub expires_at: Timestamp,
    /// Its fencing token: one more each time the lease passed to a new holder.
    pub token: i64,
}

/// What a holder shows to write under its lease: the lease, its owner and the fencing token it got when it took the
/// lease. A write that carries a fence happens only while the lease still has this owner and token (see
/// [`Store::import_orders`]); otherwise it fails with [`StoreError::LeaseLost`] and changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fence {
    /// The lease.
    pub lease: LeaseName,
    /// Its holder.
    pub owner: LeaseOwner,
    /// The token the holder got.
    pub token: i64,
}

/// A lease just taken: the fence its holder writes under, and the quota state the previous holder left with it
/// (opaque text, see [`Store::renew_lease_with_state`]; `None` if it left none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TakenLease {
    /// What the new holder's writes carry.
    pub fence: Fence,
    /// What the previous holder knew of the seller's Amazon quota when it last renewed or released the lease.
    pub quota_state: Option<String>,
}

impl TakenLease {
    fn new(name: &LeaseName, owner: &LeaseOwner, token: i64, quota_state: Option<String>) -> Self {
        Self {
            fence: Fence {
                lease: name.clone(),
                owner: owner.clone(),
                token,
            },
            quota_state,
        }
    }
}

/// The most quota state a lease keeps (a seller's buckets take well under 2 KiB).
pub const MAX_QUOTA_STATE_BYTES: usize = 16 * 1024;

/// Refuses quota state larger than [`MAX_QUOTA_STATE_BYTES`].
fn checked_quota_state(quota_state: Option<&str>) -> StoreResult<Option<String>> {
    match quota_state {
        Some(text) if text.len() > MAX_QUOTA_STATE_BYTES => Err(StoreError::invalid(
            "lease quota state",
            format!(
                "{} bytes is more than the {MAX_QUOTA_STATE_BYTES} a lease keeps; expected a seller's quota snapshot",
                text.len()
            ),
        )),
        other => Ok(other.map(str::to_owned)),
    }
}

#[derive(sqlx::FromRow)]
struct LeaseRow {
    name: String,
    owner: String,
    expires_at_ms: i64,
    token: i64,
}

/// The expiry a released lease gets: long past, so anyone may take it, while the row keeps its token.
const RELEASED: i64 = 0;

impl Store {
    /// Takes the lease until `now + ttl` if it is free, expired, or already `owner`'s (then it is extended).
    /// Returns whether `owner` holds it now. Atomic on both engines: of several workers racing for a free lease
    /// exactly one gets it.
    pub async fn try_acquire_lease(
        &self,
        name: &LeaseName,
        owner: &LeaseOwner,
        now: Timestamp,
        ttl: SignedDuration,
    ) -> StoreResult<bool> {
        Ok(self.acquire_lease(name, owner, now, ttl).await?.is_some())
    }

    /// [`Store::try_acquire_lease`], returning the fence `owner` writes under: the token grows by one when the
    /// lease passes to `owner` (it was free, expired, or held by another), and stays when `owner` renews a lease
    /// it still holds. `None` if another holds it.
    pub async fn acquire_lease(
        &self,
        name: &LeaseName,
        owner: &LeaseOwner,
        now: Timestamp,
        ttl: SignedDuration,
    ) -> StoreResult<Option<Fence>> {
        Ok(self
            .acquire_lease_with_state(name, owner, now, ttl)
            .await?
            .map(|taken| taken.fence))
    }

    /// [`Store::acquire_lease`], also returning the quota state the lease's previous holder left with it.
    pub async fn acquire_lease_with_state(
        &self,
        name: &LeaseName,
        owner: &LeaseOwner,
        now: Timestamp,
        ttl: SignedDuration,
    ) -> StoreResult<Option<TakenLease>> {
        let expires_at = lease_end(now, ttl)?;
        const SQL: &str = "INSERT INTO leases (name, owner, expires_at_ms, token) VALUES ($1, $2, $3, 1) \
            ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at_ms = excluded.expires_at_ms, \
            token = CASE WHEN leases.owner = excluded.owner AND leases.expires_at_ms > $4 \
                THEN leases.token ELSE leases.token + 1 END \
            WHERE leases.expires_at_ms <= $4 OR leases.owner = excluded.owner \
            RETURNING token, quota_state";
        let row: Option<(i64, Option<String>)> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(SQL)
                .bind(name.as_str().to_owned())
                .bind(owner.as_str().to_owned())
                .bind(millis(expires_at))
                .bind(millis(now))
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|(token, quota_state)| TakenLease::new(name, owner, token, quota_state)))
    }

    /// Extends `fence`'s lease until `now + ttl` if its holder still holds it with the same token (even if it
    /// expired meanwhile and nobody took it); returns whether it did. A holder that renews this way never gets a
    /// new token, so what it writes stays fenced against whoever held the lease in between.
    pub async fn renew_lease(
        &self,
        fence: &Fence,
        now: Timestamp,
        ttl: SignedDuration,
    ) -> StoreResult<bool> {
        self.renew_lease_with_state(fence, now, ttl, None).await
    }

    /// [`Store::renew_lease`], storing `quota_state` with the lease in the same statement (fenced like the
    /// renewal), so a holder killed later leaves recent state behind; `None` keeps what is stored.
    pub async fn renew_lease_with_state(
        &self,
        fence: &Fence,
        now: Timestamp,
        ttl: SignedDuration,
        quota_state: Option<&str>,
    ) -> StoreResult<bool> {
        let expires_at = lease_end(now, ttl)?;
        let quota_state = checked_quota_state(quota_state)?;
        const SQL: &str = "UPDATE leases SET expires_at_ms = $1, quota_state = COALESCE($5, quota_state) \
            WHERE name = $2 AND owner = $3 AND token = $4";
        let renewed = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(millis(expires_at))
                .bind(fence.lease.as_str().to_owned())
                .bind(fence.owner.as_str().to_owned())
                .bind(fence.token)
                .bind(quota_state.clone())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(renewed == 1)
    }

    /// Gives the lease to `owner` until `now + ttl` if `gone` still holds it (whether or not it expired): for a
    /// holder known to have ended. Returns whether `owner` holds it now; of several workers taking over the same
    /// lease exactly one gets it.
    pub async fn take_over_lease(
        &self,
        name: &LeaseName,
        gone: &LeaseOwner,
        owner: &LeaseOwner,
        now: Timestamp,
        ttl: SignedDuration,
    ) -> StoreResult<Option<Fence>> {
        Ok(self
            .take_over_lease_with_state(name, gone, owner, now, ttl)
            .await?
            .map(|taken| taken.fence))
    }

    /// [`Store::take_over_lease`], also returning the quota state the ended holder left with the lease (as of its
    /// last renewal).
    pub async fn take_over_lease_with_state(
        &self,
        name: &LeaseName,
        gone: &LeaseOwner,
        owner: &LeaseOwner,
        now: Timestamp,
        ttl: SignedDuration,
    ) -> StoreResult<Option<TakenLease>> {
        let expires_at = lease_end(now, ttl)?;
        const SQL: &str = "UPDATE leases SET owner = $1, expires_at_ms = $2, token = token + 1 \
            WHERE name = $3 AND owner = $4 RETURNING token, quota_state";
        let row: Option<(i64, Option<String>)> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(SQL)
                .bind(owner.as_str().to_owned())
                .bind(millis(expires_at))
                .bind(name.as_str().to_owned())
                .bind(gone.as_str().to_owned())
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|(token, quota_state)| TakenLease::new(name, owner, token, quota_state)))
    }

    /// Gives `fence`'s lease up if its holder still holds it with that token, storing `quota_state` with it for
    /// the next holder (`None` keeps what is stored); the row keeps its token. Returns whether it did.
    pub async fn release_lease_with_state(
        &self,
        fence: &Fence,
        quota_state: Option<&str>,
    ) -> StoreResult<bool> {
        let quota_state = checked_quota_state(quota_state)?;
        const SQL: &str = "UPDATE leases SET expires_at_ms = $1, quota_state = COALESCE($5, quota_state) \
            WHERE name = $2 AND owner = $3 AND token = $4 AND expires_at_ms <> $1";
        let released = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(RELEASED)
                .bind(fence.lease.as_str().to_owned())
                .bind(fence.owner.as_str().to_owned())
                .bind(fence.token)
                .bind(quota_state.clone())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(released == 1)
    }

    /// Gives the lease up if `owner` holds it (it expires at once; the row keeps its token); returns whether it
    /// did.
    pub async fn release_lease(&self, name: &LeaseName, owner: &LeaseOwner) -> StoreResult<bool> {
        const SQL: &str = "UPDATE leases SET expires_at_ms = $1 \
            WHERE name = $2 AND owner = $3 AND expires_at_ms <> $1";
        let released = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(RELEASED)
                .bind(name.as_str().to_owned())
                .bind(owner.as_str().to_owned())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(released == 1)
    }

    /// Gives up every lease `owner` still holds (a process stopping); returns how many.
    pub async fn release_leases_of(&self, owner: &LeaseOwner) -> StoreResult<u64> {
        const SQL: &str =
            "UPDATE leases SET expires_at_ms = $1 WHERE owner = $2 AND expires_at_ms <> $1";
        let released = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(RELEASED)
                .bind(owner.as_str().to_owned())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(released)
    }

    /// The lease as stored, if anyone took it and did not release it.
    pub async fn lease(&self, name: &LeaseName) -> StoreResult<Option<Lease>> {
        const SQL: &str = "SELECT name, owner, expires_at_ms, token FROM leases \
            WHERE name = $1 AND expires_at_ms <> 0";
        let row: Option<LeaseRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(SQL)
                .bind(name.as_str().to_owned())
                .fetch_optional(pool)
                .await?
        });
        row.map(|row| {
            let col = |name| Column::new("leases", name);
            Ok(Lease {
                name: col("name").parse(LeaseName::parse(&row.name))?,
                owner: col("owner").parse(LeaseOwner::parse(&row.owner))?,
                expires_at: col("expires_at_ms").instant(row.expires_at_ms)?,
                token: row.token,
            })
        })
        .transpose()
    }
}

/// Fails with [`StoreError::LeaseLost`] unless `fence`'s lease still has its owner and token, inside the caller's
/// write transaction. On PostgreSQL the lease row stays share-locked until that transaction ends, so a takeover
/// waits for the write to commit rather than slipping in between the check and the write; SQLite's write
/// transactions exclude each other anyway.
pub(crate) async fn check_fence(handle: Handle<'_>, fence: &Fence) -> StoreResult<()> {
    let lock = match handle.engine() {
        Engine::Postgres => " FOR SHARE",
        Engine::Sqlite => "",
    };
    let sql = format!(
        "SELECT token FROM leases WHERE name = $1 AND owner = $2 AND token = $3 AND expires_at_ms <> 0{lock}"
    );
    let held: Option<i64> = on_conn!(handle, |c| {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(fence.lease.as_str().to_owned())
            .bind(fence.owner.as_str().to_owned())
            .bind(fence.token)
            .fetch_optional(&mut *c)
            .await?
    });
    match held {
        Some(_) => Ok(()),
        None => Err(StoreError::lease_lost(fence)),
    }
}

/// When a lease taken at `now` for `ttl` ends.
fn lease_end(now: Timestamp, ttl: SignedDuration) -> StoreResult<Timestamp> {
    if !ttl.is_positive() {
        return Err(StoreError::invalid(
            "lease ttl",
            format!("{ttl:#} is not positive; expected a duration such as 60s"),
        ));
    }
    now.checked_add(ttl)
        .map_err(|e| StoreError::invalid("lease ttl", format!("{now} + {ttl:#}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_owners_are_checked() {
        let id = ConnectionId::parse("01890a5d-ac96-774b-bcce-b302099a8057").unwrap();
        assert_eq!(
            LeaseName::sync(id).as_str(),
            "sync:01890a5d-ac96-774b-bcce-b302099a8057"
        );
        assert!(LeaseName::parse("sync: x").is_err());
        let err = LeaseOwner::parse("").unwrap_err().to_string();
        assert!(err.starts_with("lease owner: is empty; expected"), "{err}");
        assert_eq!(LeaseOwner::parse(" w1 ").unwrap().to_string(), "w1");
    }

    #[test]
    fn this_process_is_named_by_host_pid_and_start_time_and_is_not_gone() {
        let owner = LeaseOwner::of_this_process("sellerlink").unwrap();
        let process = owner
            .process()
            .expect("Linux tells host, pid and start time");
        assert_eq!(process.pid, std::process::id());
        let (named, nonce) = owner.as_str().split_once('#').expect("a random part");
        assert_eq!(named, format!("sellerlink@{process}"));
        assert_eq!(nonce.len(), 12);
        let again = LeaseOwner::of_this_process("sellerlink").unwrap();
        assert_ne!(owner, again, "unique per call, so per process start");
        assert_eq!(again.process(), Some(process.clone()));
        assert_eq!(Some(process.clone()), LeaseProcess::current());
        assert!(!process.is_gone());
    }

    #[test]
    fn a_process_that_ended_or_whose_pid_was_reused_is_gone() {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        let (started, _) = proc_stat(pid).unwrap();
        child.wait().unwrap();
        let here = LeaseProcess::current().unwrap();
        let ended = LeaseProcess {
            pid,
            started,
            ..here.clone()
        };
        assert!(ended.is_gone());
        let reused = LeaseProcess {
            started: here.started + 1,
            ..here.clone()
        };
        assert!(reused.is_gone(), "same pid, other start time");
        let elsewhere = LeaseProcess {
            host: format!("{}-elsewhere", here.host),
            pid,
            started,
            ..here.clone()
        };
        assert!(
            !elsewhere.is_gone(),
            "another host's process cannot be checked"
        );
        let other_namespace = LeaseProcess {
            pid_namespace: here.pid_namespace + 1,
            pid,
            started,
            ..here.clone()
        };
        assert!(
            !other_namespace.is_gone(),
            "a process in another PID namespace (another container) cannot be checked"
        );
    }

    #[test]
    fn owners_without_a_process_name_none() {
        for owner in [
            "worker@node-1:4242",
            "sellerlink-4242",
            "w@:9:1:2",
            "w@h:9:x:2",
            "w@h:1:2",
        ] {
            assert_eq!(LeaseOwner::parse(owner).unwrap().process(), None, "{owner}");
        }
        let process = LeaseOwner::parse("sellerlink@node-1:4026531836:4242:77#0123abcd")
            .unwrap()
            .process()
            .unwrap();
        assert_eq!(
            (
                process.host.as_str(),
                process.pid_namespace,
                process.pid,
                process.started
            ),
            ("node-1", 4026531836, 4242, 77)
        );
    }
}
