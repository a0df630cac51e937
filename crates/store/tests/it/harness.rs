//! One store per test, on each engine. `on_both_engines!(name, …)` turns each `async fn name(db: Db)` into the tests
//! `name::sqlite` and `name::postgres`.

use std::future::Future;
use std::sync::Arc;

use sellerlink_domain::ids::AmazonOrderId;
use sellerlink_secrets::secrecy::{ExposeSecret, SecretString};
use sellerlink_secrets::{Keyring, MasterKey, SealContext, Sealed};
use sellerlink_store::{BuyerDataSeal, Engine, SealedBuyerData, Store};
use sqlx::{AssertSqlSafe, Connection, PgConnection, SqliteConnection};

/// The variable naming the PostgreSQL server (an admin URL; each test creates and drops its own database there).
const PG_VARIABLE: &str = "TEST_DATABASE_URL";

/// A migrated store of one engine, plus raw access to its database for inspection and sabotage.
pub struct Db {
    pub store: Store,
    url: String,
    _dir: Option<tempfile::TempDir>,
}

impl Db {
    pub fn engine(&self) -> Engine {
        self.store.engine()
    }

    /// The database's URL, to open other connections to it.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Runs one statement on a separate connection, bypassing the store.
    pub async fn execute(&self, sql: &str) {
        let statement = AssertSqlSafe(sql.to_owned());
        match self.engine() {
            Engine::Sqlite => {
                let mut conn = SqliteConnection::connect(&self.url).await.unwrap();
                sqlx::query(statement).execute(&mut conn).await.unwrap();
                conn.close().await.unwrap();
            }
            Engine::Postgres => {
                let mut conn = PgConnection::connect(&self.url).await.unwrap();
                sqlx::query(statement).execute(&mut conn).await.unwrap();
                conn.close().await.unwrap();
            }
        }
    }

    /// Reads one BLOB/BYTEA value with a text parameter, bypassing the store.
    pub async fn bytes(&self, sql: &str, param: &str) -> Vec<u8> {
        let statement = AssertSqlSafe(sql.to_owned());
        match self.engine() {
            Engine::Sqlite => {
                let mut conn = SqliteConnection::connect(&self.url).await.unwrap();
                sqlx::query_scalar(statement)
                    .bind(param.to_owned())
                    .fetch_one(&mut conn)
                    .await
                    .unwrap()
            }
            Engine::Postgres => {
                let mut conn = PgConnection::connect(&self.url).await.unwrap();
                sqlx::query_scalar(statement)
                    .bind(param.to_owned())
                    .fetch_one(&mut conn)
                    .await
                    .unwrap()
            }
        }
    }

    /// Reads one integer (e.g. a `COUNT(*)`) with a text parameter, bypassing the store.
    pub async fn count(&self, sql: &str, param: &str) -> i64 {
        let statement = AssertSqlSafe(sql.to_owned());
        match self.engine() {
            Engine::Sqlite => {
                let mut conn = SqliteConnection::connect(&self.url).await.unwrap();
                sqlx::query_scalar(statement)
                    .bind(param.to_owned())
                    .fetch_one(&mut conn)
                    .await
                    .unwrap()
            }
            Engine::Postgres => {
                let mut conn = PgConnection::connect(&self.url).await.unwrap();
                sqlx::query_scalar(statement)
                    .bind(param.to_owned())
                    .fetch_one(&mut conn)
                    .await
                    .unwrap()
            }
        }
    }
}

/// Seals buyer data with a real keyring, as the application does (its seal lives in `sellerlink-sync`, which
/// depends on this crate).
struct KeyringSeal(Keyring);

fn context(order_id: &AmazonOrderId) -> SealContext {
    SealContext::new("order", order_id.as_str(), "buyer")
}

impl BuyerDataSeal for KeyringSeal {
    fn seal(&self, order_id: &AmazonOrderId, plaintext: &str) -> Result<SealedBuyerData, String> {
        let sealed = self
            .0
            .seal(&context(order_id), &SecretString::from(plaintext))
            .map_err(|e| e.to_string())?;
        Ok(SealedBuyerData {
            kek_id: sealed.kek_id().to_string(),
            sealed: sealed.to_text(),
        })
    }

    fn open(&self, order_id: &AmazonOrderId, sealed: &str) -> Result<String, String> {
        let sealed = Sealed::from_text(sealed).map_err(|e| e.to_string())?;
        self.0
            .open(&context(order_id), &sealed)
            .map(|text| text.expose_secret().to_owned())
            .map_err(|e| e.to_string())
    }
}

/// A store's buyer-data seal under a fresh master key.
pub fn buyer_seal() -> Arc<dyn BuyerDataSeal> {
    let key = MasterKey::generate().expect("a random master key");
    Arc::new(KeyringSeal(Keyring::new(key, [])))
}

/// Whether a test's store starts migrated (the usual) or empty (to build an older schema first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    Migrated,
    Empty,
}

/// Runs `test` on a store in a fresh SQLite file (in a directory that does not exist yet).
pub async fn on_sqlite<F, Fut>(start: Start, test: F)
where
    F: FnOnce(Db) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/not/yet/there/store.db", dir.path().display());
    let store = Store::connect(&url)
        .await
        .expect("open a SQLite store")
        .with_buyer_seal(buyer_seal());
    if start == Start::Migrated {
        store.migrate().await.expect("migrate SQLite");
    }
    test(Db {
        store,
        url,
        _dir: Some(dir),
    })
    .await;
}

/// Runs `test` on a store in a fresh PostgreSQL database, dropped afterwards (also when the test fails). Skips with
/// a note when `TEST_DATABASE_URL` is unset; fails when it is set and the server cannot be reached.
pub async fn on_postgres<F, Fut>(start: Start, test: F)
where
    F: FnOnce(Db) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(admin_url) = std::env::var(PG_VARIABLE)
        .ok()
        .filter(|url| !url.trim().is_empty())
    else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the PostgreSQL variant: set {PG_VARIABLE} (.ci/run points it at a throwaway database)"
        );
        eprintln!(
            "SQLite only: {PG_VARIABLE} is not set, so the PostgreSQL variant did not run (CI sets it)"
        );
        return;
    };
    let mut admin = PgConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("{PG_VARIABLE} is set but PostgreSQL cannot be reached: {e}"));
    let name = format!("sl_test_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .expect("create a throwaway database");
    let mut url = url::Url::parse(&admin_url).expect("TEST_DATABASE_URL is a URL");
    url.set_path(&name);
    let url = url.to_string();
    let outcome = run_on(&url, start, test).await;
    sqlx::query(AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&mut admin)
    .await
    .expect("drop the throwaway database");
    admin.close().await.ok();
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(error)) => match error.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(error) => panic!("the test task did not finish: {error}"),
        },
        Err(error) => panic!("cannot prepare the PostgreSQL store: {error}"),
    }
}

/// Opens and migrates the store at `url`, then runs the test in its own task so that a failing test still returns
/// here (and its database is dropped).
async fn run_on<F, Fut>(
    url: &str,
    start: Start,
    test: F,
) -> Result<Result<(), tokio::task::JoinError>, sellerlink_store::StoreError>
where
    F: FnOnce(Db) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let store = Store::connect(url).await?.with_buyer_seal(buyer_seal());
    if start == Start::Migrated {
        store.migrate().await?;
    }
    let run = tokio::spawn(test(Db {
        store: store.clone(),
        url: url.to_owned(),
        _dir: None,
    }))
    .await;
    store.close().await;
    Ok(run)
}

/// Expands each `async fn name(db: Db)` into `name::sqlite` and `name::postgres` tests on a migrated store; with
/// `empty:` first, on a store whose database has no tables yet.
macro_rules! on_both_engines {
    (empty: $($test:ident),+ $(,)?) => {
        on_both_engines!(@start Empty, $($test),+);
    };
    ($($test:ident),+ $(,)?) => {
        on_both_engines!(@start Migrated, $($test),+);
    };
    (@start $start:ident, $($test:ident),+) => {
        $(
            mod $test {
                #[tokio::test]
                async fn sqlite() {
                    $crate::harness::on_sqlite($crate::harness::Start::$start, super::$test).await;
                }

                #[tokio::test]
                async fn postgres() {
                    $crate::harness::on_postgres($crate::harness::Start::$start, super::$test).await;
                }
            }
        )+
    };
}
