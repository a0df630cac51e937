//! Leases: a named lock with an owner and an expiry, so that several workers never sync one connection at once.

use jiff::{SignedDuration, Timestamp};
use sellerlink_domain::ids::ConnectionId;

use crate::codec::{Column, millis};
use crate::engine::on_pool;
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

    /// This process as an owner, `<role>@<host>:<pid>:<start time>` (see [`LeaseProcess`]), so that another
    /// process on this host can tell when it is gone; `<role>:<pid>` where the system does not tell.
    pub fn of_this_process(role: &str) -> Result<Self, NameError> {
        match LeaseProcess::current() {
            Some(process) => Self::parse(&format!("{role}@{process}")),
            None => Self::parse(&format!("{role}:{}", std::process::id())),
        }
    }

    /// The process this owner names, if it was made by [`LeaseOwner::of_this_process`] on a system that tells.
    pub fn process(&self) -> Option<LeaseProcess> {
        let (_, process) = self.0.rsplit_once('@')?;
        process.parse().ok()
    }
}
name_plumbing!(LeaseOwner);

/// A process on a host: host name, process id, and the process's start time (clock ticks since boot, from
/// `/proc/<pid>/stat`), so that a process id the system reused is not mistaken for the process. Shown as
/// `<host>:<pid>:<start time>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseProcess {
    /// The host name.
    pub host: String,
    /// The process id.
    pub pid: u32,
    /// When it started, in clock ticks since the host booted.
    pub started: u64,
}

impl LeaseProcess {
    /// This process, where the system tells (Linux `/proc`); `None` elsewhere.
    pub fn current() -> Option<Self> {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname").ok()?;
        let host = host.trim();
        let plain = |c: char| printable(c) && c != ':' && c != '@';
        if host.is_empty() || !host.chars().all(plain) {
            return None;
        }
        let pid = std::process::id();
        let (started, _) = proc_stat(pid)?;
        Some(Self {
            host: host.to_owned(),
            pid,
            started,
        })
    }

    /// Whether the process has provably ended: it ran on this host, and no live process has its id and start
    /// time (none with that id, a later one that reused the id, or only its zombie). `false` whenever that
    /// cannot be known: another host, or a system without `/proc`.
    pub fn is_gone(&self) -> bool {
        let Some(here) = Self::current() else {
            return false;
        };
        if here.host != self.host {
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
        write!(f, "{}:{}:{}", self.host, self.pid, self.started)
    }
}

impl std::str::FromStr for LeaseProcess {
    type Err = ();

    /// Reads `<host>:<pid>:<start time>`.
    fn from_str(text: &str) -> Result<Self, ()> {
        let mut parts = text.rsplitn(3, ':');
        let started = parts.next().ok_or(())?.parse().map_err(drop)?;
        let pid = parts.next().ok_or(())?.parse().map_err(drop)?;
        let host = parts.next().filter(|h| !h.is_empty()).ok_or(())?;
        Ok(Self {
            host: host.to_owned(),
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
}

#[derive(sqlx::FromRow)]
struct LeaseRow {
    name: String,
    owner: String,
    expires_at_ms: i64,
}

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
        let expires_at = lease_end(now, ttl)?;
        const SQL: &str = "INSERT INTO leases (name, owner, expires_at_ms) VALUES ($1, $2, $3) \
            ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at_ms = excluded.expires_at_ms \
            WHERE leases.expires_at_ms <= $4 OR leases.owner = excluded.owner";
        let taken = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(name.as_str().to_owned())
                .bind(owner.as_str().to_owned())
                .bind(millis(expires_at))
                .bind(millis(now))
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(taken == 1)
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
    ) -> StoreResult<bool> {
        let expires_at = lease_end(now, ttl)?;
        const SQL: &str =
            "UPDATE leases SET owner = $1, expires_at_ms = $2 WHERE name = $3 AND owner = $4";
        let taken = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(owner.as_str().to_owned())
                .bind(millis(expires_at))
                .bind(name.as_str().to_owned())
                .bind(gone.as_str().to_owned())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(taken == 1)
    }

    /// Gives the lease up if `owner` holds it; returns whether it did.
    pub async fn release_lease(&self, name: &LeaseName, owner: &LeaseOwner) -> StoreResult<bool> {
        const SQL: &str = "DELETE FROM leases WHERE name = $1 AND owner = $2";
        let released = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(name.as_str().to_owned())
                .bind(owner.as_str().to_owned())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(released == 1)
    }

    /// The lease as stored, if anyone took it and did not release it.
    pub async fn lease(&self, name: &LeaseName) -> StoreResult<Option<Lease>> {
        const SQL: &str = "SELECT name, owner, expires_at_ms FROM leases WHERE name = $1";
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
            })
        })
        .transpose()
    }

    /// Gives up every lease `owner` holds (a process stopping gracefully hands its work back at once instead of
    /// letting it wait for the leases to expire); returns how many it gave up.
    pub async fn release_leases_of(&self, owner: &LeaseOwner) -> StoreResult<u64> {
        const SQL: &str = "DELETE FROM leases WHERE owner = $1";
        let released = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(owner.as_str().to_owned())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(released)
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
        assert_eq!(owner.as_str(), format!("sellerlink@{process}"));
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
        };
        assert!(
            !elsewhere.is_gone(),
            "another host's process cannot be checked"
        );
    }

    #[test]
    fn owners_without_a_process_name_none() {
        for owner in ["worker@node-1:4242", "sellerlink-4242", "w@:1:2", "w@h:x:2"] {
            assert_eq!(LeaseOwner::parse(owner).unwrap().process(), None, "{owner}");
        }
        let process = LeaseOwner::parse("sellerlink@node-1:4242:77")
            .unwrap()
            .process()
            .unwrap();
        assert_eq!(
            (process.host.as_str(), process.pid, process.started),
            ("node-1", 4242, 77)
        );
    }
}
