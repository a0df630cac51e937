//! One database per test, on each engine: `on_both_engines!(name, …)` turns each `async fn name(db: Db)` into the
//! tests `name::sqlite` (a fresh file) and `name::postgres` (a fresh database on the server of
//! `TEST_DATABASE_URL`, dropped afterwards; skipped with a note when the variable is unset). The databases come from
//! [`sellerlink_testkit::database`].

use std::future::Future;

use sellerlink_store::{Engine, Store};
use sellerlink_testkit::TestDatabase;
use sellerlink_testkit::database;

/// A migrated store and the URL it was opened with (for more workers or a child process).
pub struct Db {
    pub store: Store,
    pub url: String,
    _database: TestDatabase,
}

impl Db {
    /// Opens and migrates a store on `database`.
    async fn open(database: TestDatabase) -> Self {
        Self {
            store: database.migrated_store().await,
            url: database.url().to_owned(),
            _database: database,
        }
    }

    /// Another store (its own connection pool) on the same database, as a second process would open it.
    pub async fn open_again(&self) -> Store {
        Store::connect(&self.url)
            .await
            .expect("open the database again")
    }
}

/// A migrated store in a fresh SQLite file.
pub async fn sqlite_db() -> Db {
    Db::open(TestDatabase::sqlite()).await
}

/// Runs `test` on a migrated store in a fresh database of `engine`, dropped afterwards also when the test fails.
pub async fn run<F, Fut>(engine: Engine, test: F)
where
    F: FnOnce(Db) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    database::run_on(engine, move |database| async move {
        let db = Db::open(database).await;
        let store = db.store.clone();
        test(db).await;
        store.close().await;
    })
    .await;
}

/// Expands each `async fn name(db: Db)` into `name::sqlite` and `name::postgres`.
macro_rules! on_both_engines {
    ($($test:ident),+ $(,)?) => {
        $(
            mod $test {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    $crate::harness::run(sellerlink_store::Engine::Sqlite, super::$test).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    $crate::harness::run(sellerlink_store::Engine::Postgres, super::$test).await;
                }
            }
        )+
    };
}
