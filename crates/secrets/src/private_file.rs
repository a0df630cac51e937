//! Owner-only files: reading with a permission check, and atomic writes
//! through a temporary sibling that is mode 0600 from the moment it exists.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::error::{Result, SecretsError};
use crate::random;

/// Reads the file at `path`; `None` when it does not exist.
///
/// Refuses a file whose permissions let group or others read or write it.
/// The check runs on the opened handle, so it applies to what is read.
pub(crate) fn read(path: &Path) -> Result<Option<Zeroizing<Vec<u8>>>> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(io_error(path, "open", source)),
    };
    let metadata = file
        .metadata()
        .map_err(|source| io_error(path, "inspect", source))?;
    check_owner_only(path, &metadata)?;
    let capacity = usize::try_from(metadata.len())
        .unwrap_or(0)
        .saturating_add(1);
    let mut content = Zeroizing::new(Vec::with_capacity(capacity));
    file.read_to_end(&mut content)
        .map_err(|source| io_error(path, "read", source))?;
    Ok(Some(content))
}

/// Writes `content` to `path` only if nothing is there yet, atomically:
/// readers see either no file or the whole file. Returns `false` (and writes
/// nothing) when another writer got there first. Creates missing parent
/// directories with mode 0700.
pub(crate) fn create_new(path: &Path, content: &[u8]) -> Result<bool> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_private_dirs(parent)
            .map_err(|source| io_error(path, "create the directory of", source))?;
    }
    let temp = TempFile::write(path, content)?;
    // A hard link, unlike a rename, fails when the target exists: the first
    // process to get here wins, the others load its file.
    let created = match fs::hard_link(&temp.path, path) {
        Ok(()) => true,
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => false,
        Err(source) => return Err(io_error(path, "create", source)),
    };
    drop(temp);
    if created {
        sync_parent(path)?;
    }
    Ok(created)
}

/// Replaces the file at `path` with `content` atomically (temporary sibling,
/// then rename).
pub(crate) fn replace(path: &Path, content: &[u8]) -> Result<()> {
    let mut temp = TempFile::write(path, content)?;
    fs::rename(&temp.path, path).map_err(|source| io_error(path, "replace", source))?;
    temp.disarm();
    sync_parent(path)
}

/// A temporary sibling of the target; removed on drop unless disarmed.
struct TempFile {
    path: PathBuf,
    armed: bool,
}

impl TempFile {
    fn write(target: &Path, content: &[u8]) -> Result<Self> {
        let suffix = hex::encode(random::array::<6>()?);
        let name = target
            .file_name()
            .map_or_else(|| "keys".into(), |n| n.to_string_lossy().into_owned());
        let temp = Self {
            path: target.with_file_name(format!(".{name}.{suffix}.tmp")),
            armed: true,
        };
        let mut file = owner_only_options()
            .open(&temp.path)
            .map_err(|source| io_error(&temp.path, "create", source))?;
        file.write_all(content)
            .and_then(|()| file.sync_all())
            .map_err(|source| io_error(&temp.path, "write", source))?;
        Ok(temp)
    }

    fn disarm(&mut self) {
        self.armed = false;
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if self.armed {
            // Best effort: a leftover temporary file holds the same content
            // with the same 0600 mode, so failing to remove it is harmless.
            let _ = fs::remove_file(&self.path);
        }
    }
}

fn sync_parent(path: &Path) -> Result<()> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    File::open(parent)
        .and_then(|dir| dir.sync_all())
        .map_err(|source| io_error(path, "flush the directory of", source))
}

fn io_error(path: &Path, action: &'static str, source: io::Error) -> SecretsError {
    SecretsError::KeyFileIo {
        path: path.to_owned(),
        action,
        source,
    }
}

#[cfg(unix)]
fn owner_only_options() -> OpenOptions {
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = OpenOptions::new();
    options.write(true).create_new(true).mode(0o600);
    options
}

#[cfg(not(unix))]
fn owner_only_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    options
}

#[cfg(unix)]
fn create_private_dirs(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dirs(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)
}

#[cfg(unix)]
fn check_owner_only(path: &Path, metadata: &fs::Metadata) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = metadata.permissions().mode() & 0o777;
    if mode & 0o077 == 0 {
        Ok(())
    } else {
        Err(SecretsError::KeyFilePermissions {
            path: path.to_owned(),
            mode,
        })
    }
}

#[cfg(not(unix))]
fn check_owner_only(_path: &Path, _metadata: &fs::Metadata) -> Result<()> {
    Ok(())
}
