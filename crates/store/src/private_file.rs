//! The SQLite database file is created readable by its owner only (0600), before SQLite opens it: it holds
//! merchants' names, buyers' addresses and sealed credentials. SQLite gives its `-wal` and `-shm` files the
//! database file's permissions, so they are private too.

use std::io;
use std::path::Path;

/// Creates `path` empty with mode 0600 unless it exists; an existing file is left as it is.
pub(crate) async fn create_owner_only(path: &Path) -> io::Result<()> {
    let mut options = tokio::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    match options.open(path).await {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}
