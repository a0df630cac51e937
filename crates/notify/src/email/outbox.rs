//! The outbox folder: one `.eml` file per notification, replaced atomically on re-send.

use std::path::{Path, PathBuf};

use uuid::Uuid;

use crate::error::NotifyError;

/// Writes `bytes` to `{folder}/{notification_id}.eml`, readable by its owner only (0600: the message names the
/// merchant and its seller accounts), through a temporary file and a rename, so a reader
/// never sees half a message and a re-send replaces the earlier copy.
pub(crate) async fn write(
    folder: &Path,
    notification_id: Uuid,
    bytes: &[u8],
) -> Result<PathBuf, NotifyError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| NotifyError::Outbox { path, source }
    };
    tokio::fs::create_dir_all(folder)
        .await
        .map_err(io(folder))?;
    let id = notification_id.hyphenated();
    let path = folder.join(format!("{id}.eml"));
    // A unique temporary name: two senders of the same notification never share one.
    let temporary = folder.join(format!(".{id}.{}.tmp", Uuid::new_v4().simple()));
    let written = async {
        write_owner_only(&temporary, bytes).await?;
        tokio::fs::rename(&temporary, &path).await
    }
    .await;
    if let Err(source) = written {
        let _ = tokio::fs::remove_file(&temporary).await;
        return Err(NotifyError::Outbox { path, source });
    }
    Ok(path)
}

/// Creates `path` with mode 0600 (set at creation, before any byte is written) and writes `bytes` into it.
async fn write_owner_only(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use tokio::io::AsyncWriteExt;
    let mut options = tokio::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut file = options.open(path).await?;
    file.write_all(bytes).await?;
    file.flush().await
}
