//! Where the installation's pseudonymisation key lives, and creating it on first use. A copy of the
//! database alone must not re-identify anyone: the key is kept apart from the pseudonyms, in a key
//! file readable by its owner only (mode 0600) or in `BLENDSCAN_PSEUDONYM_KEY`. Installations from
//! before kept it in the `installation` table; `blendscan key move` moves it out, and until then it is
//! still used (with a warning).

use std::io::Write as _;
use std::path::Path;

use sea_orm::DatabaseConnection;

use super::RunError;
use crate::config::KeySource;
use crate::db;
use crate::domain::respondent::PseudonymKey;

/// The key for one import, and whether it still has to be kept (a new one, on the first import).
pub(super) struct InstallationKey {
    pub key: PseudonymKey,
    stored: bool,
}

impl InstallationKey {
    pub async fn load(db: &DatabaseConnection, source: &KeySource) -> Result<Self, RunError> {
        let found = match source {
            KeySource::Value(key) => Some(key.clone()),
            KeySource::Database => db::imports::existing_pseudonym_key(db).await?,
            KeySource::File(path) => match read_key_file(path)? {
                Some(key) => Some(key),
                None => {
                    let legacy = db::imports::existing_pseudonym_key(db).await?;
                    if legacy.is_some() {
                        tracing::warn!(
                            file = %path.display(),
                            "the pseudonymisation key is still in the database: move it out with `blendscan key move`"
                        );
                    }
                    legacy
                }
            },
        };
        Ok(match found {
            Some(key) => Self { key, stored: true },
            None => Self {
                key: PseudonymKey::random(),
                stored: false,
            },
        })
    }

    /// Keep a new key when the import will be stored; the key to analyse again with when another
    /// process kept a different one first (a race on the very first import).
    pub async fn keep(
        &self,
        db: &DatabaseConnection,
        source: &KeySource,
        storing: bool,
    ) -> Result<Option<PseudonymKey>, RunError> {
        if self.stored || !storing {
            return Ok(None);
        }
        let winner = match source {
            KeySource::Value(key) => key.clone(),
            KeySource::Database => db::imports::store_pseudonym_key(db, &self.key).await?,
            KeySource::File(path) => write_key_file(path, &self.key)?,
        };
        Ok((winner != self.key).then_some(winner))
    }
}

fn key_error(path: &Path, what: &str) -> RunError {
    RunError::Key(format!("{}: {what}", path.display()))
}

/// The key in `path`, if the file exists.
pub fn read_key_file(path: &Path) -> Result<Option<PseudonymKey>, RunError> {
    match std::fs::read_to_string(path) {
        Ok(text) => PseudonymKey::from_hex(text.trim())
            .map(Some)
            .ok_or_else(|| key_error(path, "not a pseudonymisation key (64 hexadecimal digits)")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(key_error(path, &format!("cannot be read: {e}"))),
    }
}

/// Write `key` to a new file at `path`, readable by its owner only; when another process wrote one
/// first, that one counts and is returned. The key is written whole to a file of its own first and then
/// linked into place, so a reader never sees the file half written.
pub fn write_key_file(path: &Path, key: &PseudonymKey) -> Result<PseudonymKey, RunError> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| key_error(path, &format!("cannot create its directory: {e}")))?;
    let name = path
        .file_name()
        .map_or_else(Default::default, |n| n.to_string_lossy());
    let draft = dir.join(format!(
        ".{name}.{}.{:x}",
        std::process::id(),
        rand::random::<u64>()
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&draft).and_then(|mut file| {
        file.write_all(format!("{}\n", key.to_hex()).as_bytes())?;
        file.sync_all()
    });
    let linked = written.and_then(|()| std::fs::hard_link(&draft, path));
    let _ = std::fs::remove_file(&draft);
    match linked {
        Ok(()) => Ok(key.clone()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            read_key_file(path)?.ok_or_else(|| key_error(path, "disappeared"))
        }
        Err(e) => Err(key_error(path, &format!("cannot be written: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writers_racing_on_the_first_key_all_get_the_one_that_was_kept() {
        for _ in 0..20 {
            let dir = tempfile::tempdir().expect("tmp");
            let path = dir.path().join("blendscan.key");
            let kept: Vec<PseudonymKey> = std::thread::scope(|s| {
                let writers: Vec<_> = (0..8)
                    .map(|_| {
                        let path = path.clone();
                        s.spawn(move || {
                            // A reader in between never sees a file without a whole key.
                            let _ = read_key_file(&path).expect("never half written");
                            write_key_file(&path, &PseudonymKey::random()).expect("written or read")
                        })
                    })
                    .collect();
                writers
                    .into_iter()
                    .map(|w| w.join().expect("thread"))
                    .collect()
            });
            let on_disk = read_key_file(&path).expect("read").expect("a key");
            assert!(kept.iter().all(|k| *k == on_disk));
            let left: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
            assert_eq!(left.len(), 1, "no drafts left behind");
        }
    }
}
