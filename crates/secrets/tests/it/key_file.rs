use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::{Arc, Barrier};

use sellerlink_secrets::{KeySource, Keyring, SecretsError};

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn chmod(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn first_load_creates_an_owner_only_file_that_later_loads_reuse() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.json");

    let first = Keyring::load_or_create_file(&path).unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(first.source(), &KeySource::File(path.clone()));

    let second = Keyring::load_or_create_file(&path).unwrap();
    assert_eq!(second.current_id(), first.current_id());
    assert_eq!(
        Keyring::load_file(&path).unwrap().current_id(),
        first.current_id()
    );

    let json: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["current"], first.current_id().to_string());
    assert_eq!(json["keys"][0]["id"], first.current_id().to_string());
    assert!(
        json["keys"][0]["created_at"]
            .as_str()
            .unwrap()
            .parse::<jiff::Timestamp>()
            .is_ok()
    );
    // Only the key file remains: no temporary files left behind.
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("keys.json")]);
}

#[test]
fn missing_parent_directories_are_created_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir
        .path()
        .join("state")
        .join("sellerlink")
        .join("keys.json");
    Keyring::load_or_create_file(&path).unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
}

#[test]
fn rotation_keeps_the_file_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.json");
    Keyring::load_or_create_file(&path).unwrap();
    Keyring::rotate_file(&path).unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn looser_permissions_are_refused_with_a_chmod_hint() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.json");
    Keyring::load_or_create_file(&path).unwrap();
    for loose in [0o644, 0o640, 0o604, 0o660, 0o602] {
        chmod(&path, loose);
        let err = Keyring::load_or_create_file(&path).unwrap_err();
        assert!(
            matches!(err, SecretsError::KeyFilePermissions { mode, .. } if mode == loose),
            "{err:?}"
        );
        let msg = err.to_string();
        assert!(
            msg.contains(&format!("chmod 600 {}", path.display())),
            "{msg}"
        );
        assert!(msg.contains(&format!("{loose:04o}")), "{msg}");
        assert!(matches!(
            Keyring::rotate_file(&path),
            Err(SecretsError::KeyFilePermissions { .. })
        ));
    }
    chmod(&path, 0o400);
    assert!(Keyring::load_or_create_file(&path).is_ok());
}

#[test]
fn processes_starting_together_agree_on_one_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = Arc::new(dir.path().join("keys.json"));
    let barrier = Arc::new(Barrier::new(8));
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let path = Arc::clone(&path);
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                barrier.wait();
                *Keyring::load_or_create_file(&path).unwrap().current_id()
            })
        })
        .collect();
    let ids: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    assert_eq!(Keyring::load_file(&path).unwrap().current_id(), &ids[0]);
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn a_corrupt_file_is_reported_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.json");
    fs::write(&path, b"{\"version\":1,").unwrap();
    chmod(&path, 0o600);
    let err = Keyring::load_or_create_file(&path).unwrap_err();
    assert!(
        matches!(err, SecretsError::KeyFileInvalid { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("restore it from backup"), "{err}");
    assert_eq!(fs::read(&path).unwrap(), b"{\"version\":1,");
}

#[test]
fn load_file_requires_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.json");
    let err = Keyring::load_file(&path).unwrap_err();
    assert!(
        matches!(err, SecretsError::KeyFileMissing { .. }),
        "{err:?}"
    );
    assert!(!path.exists());
}
