//! The JSON key file:
//! `{"version":1,"current":"<id>","keys":[{"id":"<id>","key":"<base64>","created_at":"<RFC 3339>"}]}`.

use std::path::Path;

use jiff::Timestamp;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{Result, SecretsError};
use crate::key_id::KeyId;
use crate::keyring::{KeySource, Keyring};
use crate::master_key::MasterKey;
use crate::private_file;

/// The format version this build reads and writes.
const FILE_VERSION: u32 = 1;

/// A parsed, validated key file: the current key and the older ones, oldest first.
pub(crate) struct KeyFile {
    current: Entry,
    previous: Vec<Entry>,
}

struct Entry {
    key: MasterKey,
    created_at: Timestamp,
}

impl Entry {
    fn fresh() -> Result<Self> {
        Ok(Self {
            key: MasterKey::generate()?,
            created_at: Timestamp::now(),
        })
    }
}

impl KeyFile {
    fn fresh() -> Result<Self> {
        Ok(Self {
            current: Entry::fresh()?,
            previous: Vec::new(),
        })
    }

    pub(crate) fn into_keyring(self, path: &Path) -> Keyring {
        Keyring::with_source(
            self.current.key,
            self.previous.into_iter().map(|e| e.key),
            KeySource::File(path.to_owned()),
        )
    }

    /// All entries in file order: previous keys, then the current one.
    fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.previous.iter().chain(std::iter::once(&self.current))
    }

    fn parse(path: &Path, content: &[u8]) -> Result<Self> {
        let invalid = |problem: String| SecretsError::KeyFileInvalid {
            path: path.to_owned(),
            problem,
        };
        // serde_json's messages may quote the offending value, which could be
        // key material: report only where and what kind of error it is.
        let doc: StoredDoc = serde_json::from_slice(content).map_err(|err| {
            invalid(format!(
                "it is not JSON of the expected shape ({:?} error at line {}, column {})",
                err.classify(),
                err.line(),
                err.column()
            ))
        })?;
        if doc.version != FILE_VERSION {
            return Err(invalid(format!(
                "format version {} is unknown (this build reads version {FILE_VERSION})",
                doc.version
            )));
        }
        let current = KeyId::parse(&doc.current)
            .map_err(|err| invalid(format!("the \"current\" field is wrong: {err}")))?;
        if doc.keys.is_empty() {
            return Err(invalid("it lists no keys".to_owned()));
        }
        let mut entries: Vec<Entry> = Vec::with_capacity(doc.keys.len());
        for (index, stored) in doc.keys.iter().enumerate() {
            let n = index + 1;
            let id = KeyId::parse(&stored.id)
                .map_err(|err| invalid(format!("key entry {n} has a bad \"id\": {err}")))?;
            let key = MasterKey::parse_encoded(stored.key.expose_secret()).map_err(|problem| {
                invalid(format!(
                    "the \"key\" of entry {n} ({id}) is unusable: {problem}; expected 32 bytes as standard base64"
                ))
            })?;
            if *key.id() != id {
                return Err(invalid(format!(
                    "key entry {n} is labelled {id} but its key has id {}",
                    key.id()
                )));
            }
            if entries.iter().any(|e| *e.key.id() == id) {
                return Err(invalid(format!("key {id} is listed twice")));
            }
            entries.push(Entry {
                key,
                created_at: stored.created_at,
            });
        }
        let Some(position) = entries.iter().position(|e| *e.key.id() == current) else {
            return Err(invalid(format!(
                "the current key {current} is not among the listed keys"
            )));
        };
        let current = entries.remove(position);
        Ok(Self {
            current,
            previous: entries,
        })
    }

    fn to_json(&self, path: &Path) -> Result<Zeroizing<Vec<u8>>> {
        let exported: Vec<SecretString> = self.entries().map(|e| e.key.export_base64()).collect();
        let doc = OutDoc {
            version: FILE_VERSION,
            current: *self.current.key.id(),
            keys: self
                .entries()
                .zip(&exported)
                .map(|(entry, key)| OutEntry {
                    id: *entry.key.id(),
                    key: key.expose_secret(),
                    created_at: entry.created_at,
                })
                .collect(),
        };
        // Reserve enough up front that the buffer never reallocates (and so
        // never leaves an unwiped copy behind).
        let mut out = Zeroizing::new(Vec::with_capacity(256 + 192 * exported.len()));
        serde_json::to_writer_pretty(&mut *out, &doc).map_err(|err| SecretsError::KeyFileIo {
            path: path.to_owned(),
            action: "encode",
            source: err.into(),
        })?;
        out.push(b'\n');
        Ok(out)
    }
}

#[derive(Deserialize)]
struct StoredDoc {
    version: u32,
    current: String,
    keys: Vec<StoredEntry>,
}

#[derive(Deserialize)]
struct StoredEntry {
    id: String,
    key: SecretString,
    created_at: Timestamp,
}

#[derive(Serialize)]
struct OutDoc<'a> {
    version: u32,
    current: KeyId,
    keys: Vec<OutEntry<'a>>,
}

#[derive(Serialize)]
struct OutEntry<'a> {
    id: KeyId,
    key: &'a str,
    created_at: Timestamp,
}

/// Loads the key file, creating it with one fresh key when absent.
pub(crate) fn load_or_create(path: &Path) -> Result<KeyFile> {
    if let Some(content) = private_file::read(path)? {
        return KeyFile::parse(path, &content);
    }
    let fresh = KeyFile::fresh()?;
    if private_file::create_new(path, &fresh.to_json(path)?)? {
        return Ok(fresh);
    }
    // Another process created the file between our read and our link.
    load_existing(path)
}

/// Loads an existing key file.
pub(crate) fn load_existing(path: &Path) -> Result<KeyFile> {
    let content = private_file::read(path)?.ok_or_else(|| SecretsError::KeyFileMissing {
        path: path.to_owned(),
    })?;
    KeyFile::parse(path, &content)
}

/// Adds a fresh current key; returns its id.
pub(crate) fn rotate(path: &Path) -> Result<KeyId> {
    let mut file = load_existing(path)?;
    let fresh = Entry::fresh()?;
    let id = *fresh.key.id();
    let old = std::mem::replace(&mut file.current, fresh);
    file.previous.push(old);
    private_file::replace(path, &file.to_json(path)?)?;
    Ok(id)
}

/// Removes a previous key.
pub(crate) fn retire(path: &Path, kek_id: &KeyId) -> Result<()> {
    let mut file = load_existing(path)?;
    if file.current.key.id() == kek_id {
        return Err(SecretsError::CannotRetireCurrent { kek_id: *kek_id });
    }
    let before = file.previous.len();
    file.previous.retain(|e| e.key.id() != kek_id);
    if file.previous.len() == before {
        return Err(SecretsError::UnknownKey { kek_id: *kek_id });
    }
    private_file::replace(path, &file.to_json(path)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> String {
        match KeyFile::parse(Path::new("/k.json"), json.as_bytes()) {
            Ok(_) => "ok".to_owned(),
            Err(err) => err.to_string(),
        }
    }

    fn entry(key: &MasterKey) -> String {
        format!(
            r#"{{"id":"{}","key":"{}","created_at":"2026-01-01T00:00:00Z"}}"#,
            key.id(),
            key.export_base64().expose_secret()
        )
    }

    #[test]
    fn written_file_parses_back_to_the_same_keys() {
        let file = KeyFile::fresh().unwrap();
        let json = file.to_json(Path::new("/k.json")).unwrap();
        let back = KeyFile::parse(Path::new("/k.json"), &json).unwrap();
        assert_eq!(back.current.key.id(), file.current.key.id());
        assert_eq!(back.current.created_at, file.current.created_at);
        assert!(back.previous.is_empty());
    }

    #[test]
    fn inconsistent_files_are_rejected_without_echoing_keys() {
        let a = MasterKey::from_bytes([1; 32]);
        let b = MasterKey::from_bytes([2; 32]);
        let a_b64 = a.export_base64().expose_secret().to_owned();

        let ok = format!(
            r#"{{"version":1,"current":"{}","keys":[{}]}}"#,
            a.id(),
            entry(&a)
        );
        assert_eq!(parse(&ok), "ok");

        let v2 = ok.replace("\"version\":1", "\"version\":2");
        assert!(parse(&v2).contains("format version 2 is unknown"));

        let missing_current = format!(
            r#"{{"version":1,"current":"{}","keys":[{}]}}"#,
            b.id(),
            entry(&a)
        );
        assert!(parse(&missing_current).contains("not among the listed keys"));

        let twice = format!(
            r#"{{"version":1,"current":"{}","keys":[{},{}]}}"#,
            a.id(),
            entry(&a),
            entry(&a)
        );
        assert!(parse(&twice).contains("listed twice"));

        let mislabelled = entry(&a).replace(&a.id().to_string(), &b.id().to_string());
        let mislabelled = format!(
            r#"{{"version":1,"current":"{}","keys":[{mislabelled}]}}"#,
            b.id()
        );
        let msg = parse(&mislabelled);
        assert!(msg.contains("labelled"), "{msg}");
        assert!(!msg.contains(&a_b64), "{msg}");

        let wrong_type = format!(
            r#"{{"version":1,"current":"{}","keys":[{{"id":"{}","key":["{a_b64}"],"created_at":"2026-01-01T00:00:00Z"}}]}}"#,
            a.id(),
            a.id()
        );
        let msg = parse(&wrong_type);
        assert!(msg.contains("line 1"), "{msg}");
        assert!(!msg.contains(&a_b64), "{msg}");

        let empty = r#"{"version":1,"current":"0000000000000000","keys":[]}"#;
        assert!(parse(empty).contains("lists no keys"));
    }
}
