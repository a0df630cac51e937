//! [`Store`]: opening either engine and applying its embedded migrations.

use std::fmt;
use std::sync::Arc;

use sqlx::migrate::Migrator;
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::SqlitePoolOptions;

use crate::BuyerDataSeal;
use crate::database_url::{self, Target};
use crate::engine::{Engine, Pool};
use crate::error::{StoreError, StoreResult};
use crate::private_file;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Connections a SQLite store keeps open by default (SQLite has one writer at a time; WAL lets readers run
/// alongside).
const SQLITE_MAX_CONNECTIONS: u32 = 4;
/// SQLite page cache of the whole pool, in KiB, shared out evenly between its connections: memory does not grow
/// with the pool size. 64 MiB keeps the upserts of a large orders table in memory (SQLite's default is 2 MiB per
/// connection); see "SQLite page cache" in docs/BENCHMARKS.md.
const SQLITE_CACHE_BUDGET_KIB: u32 = 64 * 1024;
/// No connection gets less page cache than SQLite's own default (2 MiB), however large the pool.
const SQLITE_MIN_CACHE_KIB: u32 = 2 * 1024;
/// The largest pool a store opens (a typo such as 10000 would exhaust the database's connection slots).
pub const MAX_POOL_SIZE: u32 = 1000;
/// Refreshes SQLite's planner statistics where they are stale; 0x10002 considers every table, not only those the
/// connection has queried. Rows sampled per index are capped by `analysis_limit` (set on every connection).
const OPTIMIZE: &str = "PRAGMA optimize = 0x10002";

/// Connections a PostgreSQL store keeps open per process.
const POSTGRES_MAX_CONNECTIONS: u32 = 10;

/// How a store opens its database.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StoreOptions {
    /// Connections the pool keeps open at most (1–[`MAX_POOL_SIZE`]); `None`: 4 on SQLite, 10 on PostgreSQL.
    pub pool_size: Option<u32>,
}

/// The database of sellerlink: merchants, connections (with their sealed credential), the audit log, imported
/// orders, sync state and leases, on SQLite or PostgreSQL. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Store {
    pub(crate) pool: Pool,
    /// Seals and opens orders' buyer data; `None` refuses buyer data (see [`Store::with_buyer_seal`]).
    pub(crate) buyer_seal: Option<Arc<dyn BuyerDataSeal>>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("engine", &self.engine())
            .finish()
    }
}

impl Store {
    /// Opens a store.
    ///
    /// - `sqlite://path/to/file.db` or `sqlite:file.db`: creates the file (and its directory) if missing; WAL journal,
    ///   `synchronous=NORMAL`, foreign keys on, 5 s busy timeout.
    /// - `postgres://user[:password]@host[:port]/database`: connects at once, so a wrong URL fails here.
    ///
    /// Call [`Store::migrate`] before first use.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        Self::connect_with(url, StoreOptions::default()).await
    }

    /// Opens a store as [`Store::connect`] does, with a pool of `options.pool_size` connections. On SQLite each
    /// connection's page cache is a share of one 64 MiB budget (at least 2 MiB), so memory does not grow with the
    /// pool.
    pub async fn connect_with(url: &str, store_options: StoreOptions) -> StoreResult<Self> {
        if let Some(size) = store_options.pool_size
            && !(1..=MAX_POOL_SIZE).contains(&size)
        {
            return Err(StoreError::invalid(
                "database pool size",
                format!("{size} is out of range; expected 1–{MAX_POOL_SIZE} connections"),
            ));
        }
        let pool = match database_url::parse(url)? {
            Target::Sqlite(options) => {
                let size = store_options.pool_size.unwrap_or(SQLITE_MAX_CONNECTIONS);
                let cache_kib = (SQLITE_CACHE_BUDGET_KIB / size).max(SQLITE_MIN_CACHE_KIB);
                // Negative = KiB.
                let options = options.pragma("cache_size", format!("-{cache_kib}"));
                let file = options.get_filename();
                if let Some(dir) = file.parent().filter(|dir| !dir.as_os_str().is_empty()) {
                    tokio::fs::create_dir_all(dir)
                        .await
                        .map_err(|e| StoreError::Url {
                            url: database_url::redact(url),
                            problem: format!("cannot create directory {}: {e}", dir.display()),
                        })?;
                }
                if !database_url::is_in_memory(url) {
                    private_file::create_owner_only(file)
                        .await
                        .map_err(|e| StoreError::Url {
                            url: database_url::redact(url),
                            problem: format!("cannot create {}: {e}", file.display()),
                        })?;
                }
                let pool = SqlitePoolOptions::new()
                    .max_connections(size)
                    // Each new connection brings its planner statistics up to date (SQLite's advice for
                    // long-lived connections); cheap when they are.
                    .after_connect(|connection, _| {
                        Box::pin(async move {
                            sqlx::query(OPTIMIZE).execute(connection).await.map(|_| ())
                        })
                    })
                    .connect_with(options)
                    .await?;
                Pool::Sqlite(pool)
            }
            Target::Postgres(options) => {
                let pool = PgPoolOptions::new()
                    .max_connections(store_options.pool_size.unwrap_or(POSTGRES_MAX_CONNECTIONS))
                    .connect_with(options)
                    .await?;
                Pool::Postgres(pool)
            }
        };
        tracing::debug!(engine = %pool.engine(), "store opened");
        Ok(Self {
            pool,
            buyer_seal: None,
        })
    }

    /// Applies the embedded migrations that are not applied yet, then settles connections stored before migration
    /// 0600: fills their account region and merges a seller account connected twice (MWS and SP-API) into one
    /// connection (see the crate's README). Idempotent; safe to run from several processes.
    pub async fn migrate(&self) -> StoreResult<()> {
        match &self.pool {
            Pool::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await?,
            Pool::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        self.settle_accounts().await?;
        tracing::debug!(engine = %self.engine(), "store migrations applied");
        Ok(())
    }

    /// Refreshes the statistics the query planner chooses indexes by, where they are stale. SQLite runs
    /// `PRAGMA optimize` (it re-analyzes only tables that changed much since their last analysis; without statistics
    /// a merchant's page of orders may be answered by sorting all of the merchant's orders instead of walking the
    /// newest-first index). PostgreSQL's autovacuum keeps its own statistics, so there it does nothing. Cheap when
    /// nothing changed: every new SQLite connection runs it, and long-running processes
    /// should run it every few hours (the web server does every 10 minutes).
    pub async fn optimize(&self) -> StoreResult<()> {
        if let Pool::Sqlite(pool) = &self.pool {
            sqlx::query(OPTIMIZE).execute(pool).await?;
        }
        Ok(())
    }

    /// The engine this store runs on.
    pub fn engine(&self) -> Engine {
        self.pool.engine()
    }

    /// Connections the pool keeps open at most.
    pub fn pool_size(&self) -> u32 {
        match &self.pool {
            Pool::Sqlite(pool) => pool.options().get_max_connections(),
            Pool::Postgres(pool) => pool.options().get_max_connections(),
        }
    }

    /// Closes every connection; later calls fail. Waits for calls in flight to finish.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn sqlite_page_cache_is_a_share_of_one_budget_whatever_the_pool_size() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("cache.db").display());
        for (size, kib) in [(1, 65_536), (4, 16_384), (8, 8_192), (64, 2_048)] {
            let options = StoreOptions {
                pool_size: Some(size),
            };
            let store = Store::connect_with(&url, options).await.unwrap();
            let Pool::Sqlite(pool) = &store.pool else {
                panic!("a SQLite URL opened another engine");
            };
            let cache: i64 = sqlx::query_scalar("PRAGMA cache_size")
                .fetch_one(pool)
                .await
                .unwrap();
            assert_eq!(cache, -kib, "pool of {size}");
            store.close().await;
        }
    }
}
