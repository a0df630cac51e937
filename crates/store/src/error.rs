//! [`StoreError`]: what can go wrong when reading or writing the store.

/// An error of the store. None of the messages contains credential bytes or a database password: credentials are
/// bound as parameters (never part of SQL text or of the database's error messages) and URLs are shown redacted.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL cannot be used.
    #[error("database URL {url}: {problem}")]
    Url {
        /// The URL with any password replaced by `***`.
        url: String,
        /// What is wrong and what is expected.
        problem: String,
    },
    /// The row asked for does not exist.
    #[error("{what} {id} does not exist")]
    NotFound {
        /// The kind of row, e.g. `connection`.
        what: &'static str,
        /// The id that was looked up.
        id: String,
    },
    /// A unique key is already taken (mapped from the unique-violation error of either engine).
    #[error("{what} already exists: {detail}")]
    Duplicate {
        /// The kind of row, e.g. `connection`.
        what: &'static str,
        /// Which key is taken.
        detail: String,
    },
    /// Someone else changed the row since it was read (optimistic concurrency), or it is past the requested change.
    #[error("{what} {id} was changed by someone else: {detail}; read it again and retry")]
    Conflict {
        /// The kind of row, e.g. `connection`.
        what: &'static str,
        /// The row's id.
        id: String,
        /// Expected and actual state.
        detail: String,
    },
    /// A stored value does not parse as what it should be; the row was written by something other than this crate
    /// or edited by hand.
    #[error("stored value {table}.{column} cannot be read: {detail}")]
    Corrupt {
        /// The table.
        table: &'static str,
        /// The column.
        column: &'static str,
        /// Why it does not parse.
        detail: String,
    },
    /// The caller asked for something the store refuses before touching the database (e.g. an audit entry about a
    /// different connection, or a changed merchant on update).
    #[error("{what}: {detail}")]
    Invalid {
        /// The argument or field concerned.
        what: &'static str,
        /// What is wrong and what is expected.
        detail: String,
    },
    /// A write made under a lease (see [`crate::Fence`]) found the lease passed to another holder, or released:
    /// nothing was written.
    #[error(
        "the lease {lease} is no longer held by {owner} with token {token}; nothing was written"
    )]
    LeaseLost {
        /// The lease.
        lease: String,
        /// Who thought it held it.
        owner: String,
        /// The fencing token it held it with.
        token: i64,
    },
    /// Applying the embedded migrations failed.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Any other database error (connection, I/O, SQL).
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// The result of a store call.
pub type StoreResult<T> = Result<T, StoreError>;

impl StoreError {
    /// The error of a write whose lease, held as `fence` says, has passed to another holder or was released.
    pub(crate) fn lease_lost(fence: &crate::Fence) -> Self {
        Self::LeaseLost {
            lease: fence.lease.to_string(),
            owner: fence.owner.to_string(),
            token: fence.token,
        }
    }

    pub(crate) fn not_found(what: &'static str, id: impl ToString) -> Self {
        Self::NotFound {
            what,
            id: id.to_string(),
        }
    }

    pub(crate) fn invalid(what: &'static str, detail: impl Into<String>) -> Self {
        Self::Invalid {
            what,
            detail: detail.into(),
        }
    }
}

/// True when the database refused a write because a unique key (or primary key) is taken.
pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// True when the database refused a write because a referenced row does not exist.
pub(crate) fn is_foreign_key_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_foreign_key_violation())
}
