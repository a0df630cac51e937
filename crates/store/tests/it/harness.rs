//! One store per test, on each engine. `on_both_engines!(name, …)` turns each `async fn name(db: Db)` into the tests
//! `name::sqlite` and `name::postgres`.

use std::future::Future;
use std::sync::Arc;

use sellerlink_domain::ids::AmazonOrderId;
use sellerlink_secrets::secrecy::{ExposeSecret, SecretString};
use sellerlink_secrets::{Keyring, MasterKey, SealContext, Sealed};
use sellerlink_store::{BuyerDataSeal, Engine, SealedBuyerData, Store};
use sellerlink_testkit::TestDatabase;
use sellerlink_testkit::database;
use sqlx::{AssertSqlSafe, Connection, PgConnection, SqliteConnection};

/// Evaluates `$body` with `$conn` a new raw connection (SQLite's or PostgreSQL's own type) to `$db`'s database.
macro_rules! with_raw_connection {
    ($db:expr, |$conn:ident| $body:expr) => {
        match $db.engine() {
            Engine::Sqlite => {
                let mut $conn = SqliteConnection::connect($db.url()).await.unwrap();
                $body
            }
            Engine::Postgres => {
                let mut $conn = PgConnection::connect($db.url()).await.unwrap();
                $body
            }
        }
    };
}

/// A migrated store of one engine, plus raw access to its database for inspection and sabotage.
pub struct Db {
    pub store: Store,
    database: TestDatabase,
}

impl Db {
    pub fn engine(&self) -> Engine {
        self.store.engine()
    }

    /// The database's URL, to open other connections to it.
    pub fn url(&self) -> &str {
        self.database.url()
    }

    /// Runs one statement on a separate connection, bypassing the store.
    pub async fn execute(&self, sql: &str) {
        let statement = AssertSqlSafe(sql.to_owned());
        with_raw_connection!(self, |conn| {
            sqlx::query(statement).execute(&mut conn).await.unwrap();
            conn.close().await.unwrap();
        })
    }

    /// Reads one BLOB/BYTEA value with a text parameter, bypassing the store.
    pub async fn bytes(&self, sql: &str, param: &str) -> Vec<u8> {
        self.scalar(sql, param).await
    }

    /// Reads one integer (e.g. a `COUNT(*)`) with a text parameter, bypassing the store.
    pub async fn count(&self, sql: &str, param: &str) -> i64 {
        self.scalar(sql, param).await
    }

    /// Reads one value that both engines decode as `T`, with a text parameter, bypassing the store.
    async fn scalar<T>(&self, sql: &str, param: &str) -> T
    where
        T: Send + Unpin,
        T: for<'r> sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>,
        T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
    {
        let statement = AssertSqlSafe(sql.to_owned());
        with_raw_connection!(self, |conn| {
            sqlx::query_scalar(statement)
                .bind(param.to_owned())
                .fetch_one(&mut conn)
                .await
                .unwrap()
        })
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

/// Runs `test` on a store in a fresh database of `engine` (see [`sellerlink_testkit::database`]): a SQLite file in
/// a directory that does not exist yet, or a PostgreSQL database dropped afterwards, also when the test fails.
pub async fn run<F, Fut>(engine: Engine, start: Start, test: F)
where
    F: FnOnce(Db) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    database::run_on(engine, move |database| async move {
        let store = match start {
            Start::Migrated => database.migrated_store().await,
            Start::Empty => database.open_store().await,
        }
        .with_buyer_seal(buyer_seal());
        test(Db {
            store: store.clone(),
            database,
        })
        .await;
        store.close().await;
    })
    .await;
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
                    $crate::harness::run(
                        sellerlink_store::Engine::Sqlite,
                        $crate::harness::Start::$start,
                        super::$test,
                    )
                    .await;
                }

                #[tokio::test]
                async fn postgres() {
                    $crate::harness::run(
                        sellerlink_store::Engine::Postgres,
                        $crate::harness::Start::$start,
                        super::$test,
                    )
                    .await;
                }
            }
        )+
    };
}
