//! The two database engines behind one [`crate::Store`], and the plumbing that lets every method be written once:
//! the same SQL text (with `$n` placeholders, which both engines accept) runs on whichever pool or transaction is
//! at hand through [`on_pool!`] and [`on_conn!`].

use std::fmt;

use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};

use crate::error::StoreError;

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Engine {
    /// SQLite, one file (the default).
    Sqlite,
    /// PostgreSQL, reached by URL (for several nodes).
    Postgres,
}

impl Engine {
    /// `sqlite` or `postgres`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A pool of one engine.
#[derive(Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// An open write transaction. Dropping it without [`Tx::commit`] rolls everything back.
pub(crate) enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// A borrowed connection of either engine, inside a transaction or not.
pub(crate) enum Handle<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

impl Pool {
    pub(crate) fn engine(&self) -> Engine {
        match self {
            Self::Sqlite(_) => Engine::Sqlite,
            Self::Postgres(_) => Engine::Postgres,
        }
    }

    /// Begins a write transaction. SQLite takes the write lock up front (`BEGIN IMMEDIATE`), so a transaction that
    /// reads before it writes waits for other writers (busy timeout) instead of failing when it upgrades.
    pub(crate) async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Self::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Self::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// Begins a read-only transaction, so that several reads see one snapshot (an order and its items).
    pub(crate) async fn begin_read(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Self::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN DEFERRED").await?),
            Self::Postgres(pool) => Tx::Postgres(
                pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?,
            ),
        })
    }

    pub(crate) async fn close(&self) {
        match self {
            Self::Sqlite(pool) => pool.close().await,
            Self::Postgres(pool) => pool.close().await,
        }
    }
}

impl Handle<'_> {
    /// The same connection for a shorter borrow, so a handle can serve several calls in turn.
    pub(crate) fn reborrow(&mut self) -> Handle<'_> {
        match self {
            Self::Sqlite(conn) => Handle::Sqlite(conn),
            Self::Postgres(conn) => Handle::Postgres(conn),
        }
    }

    pub(crate) fn engine(&self) -> Engine {
        match self {
            Self::Sqlite(_) => Engine::Sqlite,
            Self::Postgres(_) => Engine::Postgres,
        }
    }
}

impl Tx {
    pub(crate) fn handle(&mut self) -> Handle<'_> {
        match self {
            Self::Sqlite(tx) => Handle::Sqlite(tx),
            Self::Postgres(tx) => Handle::Postgres(tx),
        }
    }

    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(tx) => tx.commit().await?,
            Self::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}

/// Runs `$body` with `$ex` bound to the pool of whichever engine `$pool` (a `&Pool`) holds. The body is the same
/// text for both engines; it is compiled once per engine.
macro_rules! on_pool {
    ($pool:expr, |$ex:ident| $body:expr) => {
        match $pool {
            $crate::engine::Pool::Sqlite($ex) => $body,
            $crate::engine::Pool::Postgres($ex) => $body,
        }
    };
}
pub(crate) use on_pool;

/// Runs `$body` with `$c` bound to the `&mut` connection of whichever engine `$handle` (a [`Handle`]) holds. Use
/// `&mut *$c` as the executor so the body may run several statements.
macro_rules! on_conn {
    ($handle:expr, |$c:ident| $body:expr) => {
        match $handle {
            $crate::engine::Handle::Sqlite($c) => $body,
            $crate::engine::Handle::Postgres($c) => $body,
        }
    };
}
pub(crate) use on_conn;

/// One value bound to a dynamically built statement.
pub(crate) enum Arg {
    Text(Option<String>),
    Int(Option<i64>),
}

/// The bound values of a dynamically built statement; each push returns its placeholder.
///
/// PostgreSQL gets `$1, $2, …`. SQLite gets anonymous `?`: sqlx looks every named parameter (`$n`) up through
/// `sqlite3_bind_parameter_name`, a linear scan, which makes binding a statement with thousands of `$n` parameters
/// quadratic. Placeholders must therefore appear in the SQL text in the order the values were pushed.
pub(crate) struct Args {
    engine: Engine,
    values: Vec<Arg>,
}

impl Args {
    pub(crate) fn new(engine: Engine) -> Self {
        Self {
            engine,
            values: Vec::new(),
        }
    }

    /// The engine the statement is for (some conditions are written differently per dialect).
    pub(crate) fn engine(&self) -> Engine {
        self.engine
    }

    pub(crate) fn push(&mut self, value: Arg) -> String {
        self.values.push(value);
        placeholder(self.engine, self.values.len())
    }

    pub(crate) fn text(&mut self, value: impl Into<String>) -> String {
        self.push(Arg::Text(Some(value.into())))
    }

    pub(crate) fn opt_text(&mut self, value: Option<String>) -> String {
        self.push(Arg::Text(value))
    }

    pub(crate) fn int(&mut self, value: i64) -> String {
        self.push(Arg::Int(Some(value)))
    }

    pub(crate) fn opt_int(&mut self, value: Option<i64>) -> String {
        self.push(Arg::Int(value))
    }

    pub(crate) fn len(&self) -> usize {
        self.values.len()
    }

    pub(crate) fn into_values(self) -> Vec<Arg> {
        self.values
    }
}

/// The placeholder of the `n`-th (1-based) value of a dynamically built statement.
fn placeholder(engine: Engine, n: usize) -> String {
    match engine {
        Engine::Postgres => format!("${n}"),
        Engine::Sqlite => "?".to_owned(),
    }
}

/// Binds every value of an [`Args`] to a `query`/`query_as`/`query_scalar` of either engine.
///
/// `bind_args!(query, args)` does not keep the statement prepared (`persistent(false)`): text built at run time
/// varies with filters and list lengths, and PostgreSQL then plans each execution with its actual values. A cached
/// generic plan made while a table was still small (e.g. an `IN (…)` over order ids answered by scanning a whole
/// connection) would otherwise stay in use after the table grew.
///
/// `bind_args!(prepared query, args)` keeps it prepared, for multi-row `INSERT`s: they have no plan to get wrong,
/// and a prepared statement saves a round trip per execution.
macro_rules! bind_args {
    (prepared $query:expr, $args:expr) => {{
        let mut query = $query;
        for arg in $args.into_values() {
            query = match arg {
                $crate::engine::Arg::Text(value) => query.bind(value),
                $crate::engine::Arg::Int(value) => query.bind(value),
            };
        }
        query
    }};
    ($query:expr, $args:expr) => {
        $crate::engine::bind_args!(prepared $query.persistent(false), $args)
    };
}
pub(crate) use bind_args;

/// `($1, $2, …), (…)` (or `(?, ?, …), (…)` on SQLite) for `rows` rows of `width` values, the statement's only
/// parameters, in the order they were pushed.
pub(crate) fn values_tuples(engine: Engine, rows: usize, width: usize) -> String {
    let mut sql = String::with_capacity(rows * width * 5);
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for col in 0..width {
            if col > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&placeholder(engine, row * width + col + 1));
        }
        sql.push(')');
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_follow_the_engine() {
        assert_eq!(
            values_tuples(Engine::Postgres, 2, 3),
            "($1, $2, $3), ($4, $5, $6)"
        );
        assert_eq!(values_tuples(Engine::Sqlite, 2, 2), "(?, ?), (?, ?)");
        let mut args = Args::new(Engine::Postgres);
        assert_eq!(args.text("a"), "$1");
        assert_eq!(args.int(2), "$2");
        assert_eq!(args.len(), 2);
    }
}
