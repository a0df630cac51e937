//! One database per test, on each engine: `on_both_engines!(name, …)` turns each `async fn name(db: Db)` into the
//! tests `name::sqlite` (a fresh file) and `name::postgres` (a fresh database on the server of
//! `TEST_DATABASE_URL`, dropped afterwards; skipped with a note when the variable is unset).

use std::future::Future;

use sellerlink_store::Store;
use sqlx::{AssertSqlSafe, Connection, PgConnection};

const PG_VARIABLE: &str = "TEST_DATABASE_URL";

/// A migrated store and the URL it was opened with (for more workers or a child process).
pub struct Db {
    pub store: Store,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

impl Db {
    /// Another store (its own connection pool) on the same database, as a second process would open it.
    pub async fn open_again(&self) -> Store {
        Store::connect(&self.url)
            .await
            .expect("open the database again")
    }
}

/// A migrated store in a fresh SQLite file.
pub async fn sqlite_db() -> Db {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/reminders.db", dir.path().display());
    let store = Store::connect(&url).await.expect("open a SQLite store");
    store.migrate().await.expect("migrate SQLite");
    Db {
        store,
        url,
        _dir: Some(dir),
    }
}

/// Runs `test` on a fresh SQLite store.
pub async fn on_sqlite<F, Fut>(test: F)
where
    F: FnOnce(Db) -> Fut,
    Fut: Future<Output = ()>,
{
    test(sqlite_db().await).await;
}

/// Runs `test` on a fresh PostgreSQL database, dropped afterwards also when the test fails.
pub async fn on_postgres<F, Fut>(test: F)
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
    let name = format!("sl_reminders_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .expect("create a throwaway database");
    let mut url = url::Url::parse(&admin_url).expect("TEST_DATABASE_URL is a URL");
    url.set_path(&name);
    let url = url.to_string();
    let store = Store::connect(&url)
        .await
        .expect("open the PostgreSQL store");
    store.migrate().await.expect("migrate PostgreSQL");
    let run = tokio::spawn(test(Db {
        store: store.clone(),
        url,
        _dir: None,
    }))
    .await;
    store.close().await;
    sqlx::query(AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&mut admin)
    .await
    .expect("drop the throwaway database");
    admin.close().await.ok();
    if let Err(error) = run {
        match error.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(error) => panic!("the test task did not finish: {error}"),
        }
    }
}

/// Expands each `async fn name(db: Db)` into `name::sqlite` and `name::postgres`.
macro_rules! on_both_engines {
    ($($test:ident),+ $(,)?) => {
        $(
            mod $test {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    $crate::harness::on_sqlite(super::$test).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    $crate::harness::on_postgres(super::$test).await;
                }
            }
        )+
    };
}
