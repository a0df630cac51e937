//! A fresh database for each test, on each engine: the one fixture behind the store, reminders and sync suites.
//!
//! - [`TestDatabase::sqlite`]: a new SQLite file in a temporary directory (in a subdirectory that does not exist
//!   yet, so opening it also exercises the store creating its directory), removed with the value.
//! - [`TestDatabase::postgres`]: a new database `sl_test_<random>` on the PostgreSQL server that
//!   `TEST_DATABASE_URL` names (an admin URL), dropped by [`TestDatabase::remove`]. Without the variable the
//!   PostgreSQL half is skipped with a note on stderr (and refused under CI, which must run it); with it set but the
//!   server unreachable, the test fails and says so.
//! - [`run_on`]: one test on a fresh database of one engine, which is removed afterwards even when the test panics.
//!
//! Each suite opens its store there as it needs ([`TestDatabase::open_store`] or [`TestDatabase::migrated_store`],
//! with the buyer-data seal it wants) and may open more connections on [`TestDatabase::url`].

use std::future::Future;

use sellerlink_store::{Engine, Store};
use sqlx::{AssertSqlSafe, Connection as _, PgConnection};

/// The variable naming the PostgreSQL server for tests: an admin URL, e.g.
/// `postgres://postgres@127.0.0.1:5432/postgres`; each test creates and drops its own database there.
pub const POSTGRES_URL_VARIABLE: &str = "TEST_DATABASE_URL";

/// A fresh, empty database for one test, and what removes it.
pub struct TestDatabase {
    engine: Engine,
    url: String,
    /// The SQLite file's directory, deleted when this value is dropped.
    _directory: Option<tempfile::TempDir>,
    /// The PostgreSQL database, dropped by [`TestDatabase::remove`] or [`run_on`].
    server: Option<ThrowawayDatabase>,
}

impl TestDatabase {
    /// A new SQLite file in a temporary directory of its own.
    pub fn sqlite() -> Self {
        let directory = tempfile::tempdir().expect("a temporary directory for the test database");
        let url = format!(
            "sqlite://{}/not/yet/there/sellerlink.db",
            directory.path().display()
        );
        Self {
            engine: Engine::Sqlite,
            url,
            _directory: Some(directory),
            server: None,
        }
    }

    /// A new database on the PostgreSQL server of `TEST_DATABASE_URL`, or `None` (with a note on stderr) when the
    /// variable is unset or empty.
    ///
    /// # Panics
    ///
    /// When the variable is unset under CI (`CI` is set), when it is not a URL, and when the server cannot be
    /// reached or refuses to create the database.
    pub async fn postgres() -> Option<Self> {
        let admin_url = postgres_admin_url()?;
        let mut url = url::Url::parse(&admin_url).unwrap_or_else(|error| {
            panic!(
                "{POSTGRES_URL_VARIABLE} is not a URL ({error}); expected postgres://user@host:port/database"
            )
        });
        let name = format!("sl_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = connect_admin(&admin_url).await;
        sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|error| panic!("cannot create the test database {name}: {error}"));
        admin.close().await.ok();
        url.set_path(&name);
        Some(Self {
            engine: Engine::Postgres,
            url: url.into(),
            _directory: None,
            server: Some(ThrowawayDatabase { admin_url, name }),
        })
    }

    /// A new database of `engine` ([`TestDatabase::sqlite`] or [`TestDatabase::postgres`]); `None` when the
    /// PostgreSQL half is skipped.
    pub async fn create(engine: Engine) -> Option<Self> {
        match engine {
            Engine::Sqlite => Some(Self::sqlite()),
            Engine::Postgres => Self::postgres().await,
        }
    }

    /// The engine the database runs on.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The URL to open the database with (a store, a raw connection, a child process).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A store on the database, as it is (still empty when the database is new).
    pub async fn open_store(&self) -> Store {
        let engine = self.engine;
        Store::connect(&self.url)
            .await
            .unwrap_or_else(|error| panic!("cannot open the {engine} test store: {error}"))
    }

    /// A store on the database with every migration applied.
    pub async fn migrated_store(&self) -> Store {
        let store = self.open_store().await;
        store.migrate().await.unwrap_or_else(|error| {
            panic!("cannot migrate the {} test store: {error}", self.engine)
        });
        store
    }

    /// Removes the database now: a PostgreSQL database is dropped (connections still open to it are ended), a
    /// SQLite file goes with its directory.
    pub async fn remove(self) {
        if let Some(server) = &self.server {
            server.drop_database().await;
        }
    }
}

/// Runs `test` on a fresh database of `engine` and removes the database afterwards, also when the test fails: the
/// test runs in a task of its own, and its panic is passed on once the database is gone. Without
/// `TEST_DATABASE_URL` a PostgreSQL run is skipped (see [`TestDatabase::postgres`]).
pub async fn run_on<F, Fut>(engine: Engine, test: F)
where
    F: FnOnce(TestDatabase) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(database) = TestDatabase::create(engine).await else {
        return;
    };
    let server = database.server.clone();
    let outcome = tokio::spawn(test(database)).await;
    if let Some(server) = server {
        server.drop_database().await;
    }
    if let Err(error) = outcome {
        match error.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(error) => panic!("the test task did not finish: {error}"),
        }
    }
}

/// A database created on the PostgreSQL server for one test.
#[derive(Clone)]
struct ThrowawayDatabase {
    admin_url: String,
    name: String,
}

impl ThrowawayDatabase {
    /// Drops the database, ending the connections still open to it; dropping it twice is harmless.
    async fn drop_database(&self) {
        let mut admin = connect_admin(&self.admin_url).await;
        sqlx::query(AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        )))
        .execute(&mut admin)
        .await
        .unwrap_or_else(|error| panic!("cannot drop the test database {}: {error}", self.name));
        admin.close().await.ok();
    }
}

/// The admin URL of `TEST_DATABASE_URL`, or `None` with a note when the PostgreSQL half is skipped.
fn postgres_admin_url() -> Option<String> {
    let admin_url = std::env::var(POSTGRES_URL_VARIABLE)
        .ok()
        .filter(|url| !url.trim().is_empty());
    if admin_url.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the PostgreSQL variant: set {POSTGRES_URL_VARIABLE} (.ci/run points it at a throwaway database)"
        );
        eprintln!(
            "SQLite only: {POSTGRES_URL_VARIABLE} is not set, so the PostgreSQL variant did not run (CI sets it)"
        );
    }
    admin_url
}

/// A connection to the server's admin database; panics, naming the variable, when the server cannot be reached.
async fn connect_admin(admin_url: &str) -> PgConnection {
    PgConnection::connect(admin_url)
        .await
        .unwrap_or_else(|error| {
            panic!("{POSTGRES_URL_VARIABLE} is set but PostgreSQL cannot be reached: {error}")
        })
}
