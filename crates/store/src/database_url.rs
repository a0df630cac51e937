//! Turning a database URL into connection options of the right engine, without ever echoing a password.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};

use crate::error::StoreError;

/// How long a SQLite connection waits for another writer before giving up.
pub(crate) const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Where a URL points.
pub(crate) enum Target {
    Sqlite(SqliteConnectOptions),
    Postgres(PgConnectOptions),
}

/// Parses `sqlite://path`, `sqlite:path` or `postgres://…` (also `postgresql://…`).
pub(crate) fn parse(url: &str) -> Result<Target, StoreError> {
    let url = url.trim();
    let refuse = |problem: String| StoreError::Url {
        url: redact(url),
        problem,
    };
    if url.starts_with("sqlite:") {
        let path = url
            .trim_start_matches("sqlite://")
            .trim_start_matches("sqlite:");
        if path.is_empty() || path.starts_with('?') {
            return Err(refuse(
                "names no database file; expected sqlite://path/to/file.db or sqlite:file.db"
                    .to_owned(),
            ));
        }
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| refuse(format!("is not a valid SQLite URL: {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(SQLITE_BUSY_TIMEOUT)
            // The page cache (`cache_size`) is set by `Store::connect_with`, from the pool size.
            // `PRAGMA optimize` samples at most this many rows per index, so refreshing statistics stays cheap.
            .pragma("analysis_limit", "1000");
        return Ok(Target::Sqlite(options));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| refuse(format!("is not a valid PostgreSQL URL: {e}")))?;
        return Ok(Target::Postgres(options));
    }
    let scheme = match url.split_once(':') {
        Some((scheme, _)) if !scheme.is_empty() && !scheme.contains(['/', '@']) => {
            format!("the scheme {scheme:?} is not supported")
        }
        _ => "has no scheme".to_owned(),
    };
    Err(refuse(format!(
        "{scheme}; expected sqlite://path/to/file.db, sqlite:file.db or postgres://user@host:5432/database"
    )))
}

/// Whether a SQLite URL names an in-memory database (no file is created for it).
pub(crate) fn is_in_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

/// The URL with its password (if any) replaced by `***`; a URL that does not parse is not shown at all.
pub(crate) fn redact(text: &str) -> String {
    if text.starts_with("sqlite:") {
        return text.to_owned();
    }
    match url::Url::parse(text) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                // Only fails for URLs that cannot have a password, which this one evidently can.
                let _ = parsed.set_password(Some("***"));
            }
            parsed.to_string()
        }
        Err(_) => "(not shown: it does not parse as a URL)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_never_echoed() {
        assert_eq!(
            redact("postgres://sl:hunter2@db.internal:5432/sellerlink"),
            "postgres://sl:***@db.internal:5432/sellerlink"
        );
        assert_eq!(redact("postgres://sl@db/x"), "postgres://sl@db/x");
        assert!(!redact("not a url :hunter2@").contains("hunter2"));
        let Err(error) = parse("mysql://root:hunter2@localhost/db") else {
            panic!("mysql accepted");
        };
        let text = error.to_string();
        assert!(text.contains("\"mysql\" is not supported"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
    }

    #[test]
    fn sqlite_urls_need_a_file() {
        assert!(matches!(parse("sqlite://"), Err(StoreError::Url { .. })));
        assert!(matches!(parse("sqlite:data/app.db"), Ok(Target::Sqlite(_))));
        assert!(matches!(
            parse("postgresql://u@localhost/db"),
            Ok(Target::Postgres(_))
        ));
        assert!(matches!(parse("/tmp/x.db"), Err(StoreError::Url { .. })));
    }
}
