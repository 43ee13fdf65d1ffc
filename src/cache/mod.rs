//! The incremental cache (`.qgate_cache/`): each file's analysis keyed by the hash of its bytes,
//! and the clone-detection result keyed by every file's token stream.
//!
//! Two files per analysis configuration (the key hashing the settings that change what the
//! front ends compute), each recording the qgate version that wrote it:
//! - `analysis-<key>.bin`: every file's encoded analysis and the clone result, read by every
//!   run;
//! - `tokens-<key>.bin`: the token streams, by content hash, read only by a run whose clone
//!   pass must run again (most of the bytes, and not needed when nothing changed), and
//!   `recent-tokens-<key>.bin`, the few written since (`token_store`): an edit rewrites a few
//!   kilobytes, not the whole base.
//!
//! A file that is truncated, corrupt, foreign or from another version is ignored with a warning
//! and rebuilt: a cache is never trusted beyond its checksum and version. Writes go to a
//! temporary file renamed into place, so concurrent runs each leave whole files and readers
//! never see half of one; a token file and an analysis file from different runs still agree,
//! since a stream is found by the hash of the bytes it came from. Failing to write costs speed,
//! never correctness: a warning, and the run goes on.

mod format;
mod token_store;
mod tokens;

use std::io::Write;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use self::token_store::TokenStore;
use crate::frontend::Analysis;
use crate::model::DupToken;
use crate::settings::Settings;

/// The cache directory's name under the repository root.
pub const DIR_NAME: &str = ".qgate_cache";

/// What marks the directory as a cache for backup tools (<https://bford.info/cachedir/>) and
/// lets `qgate clean` know it is qgate's to delete.
const CACHEDIR_TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by qgate.\n# For information about cache directory tags see https://bford.info/cachedir/\n";

/// A 128-bit content hash (xxh3): what an entry is valid for.
pub type ContentHash = u128;

pub fn content_hash(bytes: &[u8]) -> ContentHash {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// What `stat` says of a file. When it matches the stored one, the file's bytes are taken to be
/// the ones hashed and are not read again (as git's index and ruff's cache do).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileStat {
    pub len: u64,
    pub modified_ns: i64,
    /// The inode change time and number (unix; zero elsewhere): a `chmod`, or an edit that
    /// restores the old mtime, changes them.
    pub changed_ns: i64,
    pub inode: u64,
}

impl FileStat {
    pub fn of(meta: &std::fs::Metadata) -> Option<Self> {
        let modified = meta.modified().ok()?;
        let modified_ns = modified
            .duration_since(std::time::UNIX_EPOCH)
            .ok()
            .and_then(|d| i64::try_from(d.as_nanos()).ok())?;
        #[cfg(unix)]
        let (changed_ns, inode) = {
            use std::os::unix::fs::MetadataExt;
            (
                meta.ctime()
                    .saturating_mul(1_000_000_000)
                    .saturating_add(meta.ctime_nsec()),
                meta.ino(),
            )
        };
        #[cfg(not(unix))]
        let (changed_ns, inode) = (0, 0);
        Some(Self {
            len: meta.len(),
            modified_ns,
            changed_ns,
            inode,
        })
    }

    /// The stat of a file whose bytes were read at `read_at`, kept only when it was last
    /// modified at least two seconds before: a write soon after the read could otherwise leave
    /// the same mtime on a filesystem with coarse timestamps, and the change would go unseen.
    pub fn settled(meta: &std::fs::Metadata, read_at: std::time::SystemTime) -> Option<Self> {
        let modified = meta.modified().ok()?;
        let age = read_at.duration_since(modified).ok()?;
        (age >= std::time::Duration::from_secs(2))
            .then(|| Self::of(meta))
            .flatten()
    }
}

/// One file's stored analysis: the hash of the bytes it was computed from, their stat when it
/// can be trusted, and the encoded outcome without the token stream (decoded only when the file
/// is unchanged). The stream is packed apart (unpacked only when the clone pass runs): in the
/// entry when this run computed it, else in the token file under `hash`. `stream_hash` is the
/// hash of the packed stream: the clone result is keyed by it, so an edit that leaves every
/// clone token and its line as they were (a comment changed, a line's trailing space) reuses it.
#[derive(Debug)]
pub struct Entry {
    pub hash: ContentHash,
    pub stream_hash: ContentHash,
    pub stat: Option<FileStat>,
    pub blob: Vec<u8>,
    pub fresh_tokens: Option<Vec<u8>>,
}

impl Entry {
    pub fn encode(
        hash: ContentHash,
        stat: Option<FileStat>,
        analysis: &mut Analysis,
    ) -> Option<Self> {
        let stream = match analysis {
            Analysis::Model(model) => std::mem::take(&mut model.tokens),
            Analysis::Skipped(_) => Vec::new(),
        };
        let blob = postcard::to_allocvec(&*analysis).ok();
        let tokens = tokens::pack(&stream);
        // The stream goes back before anything can fail: the run still needs it.
        if let Analysis::Model(model) = analysis {
            model.tokens = stream;
        }
        Some(Self {
            hash,
            stream_hash: content_hash(&tokens),
            stat,
            blob: blob?,
            fresh_tokens: Some(tokens),
        })
    }

    /// The stored analysis with an empty token stream (see [`Cache::tokens`]), or `None`
    /// when the blob does not decode (it is then recomputed).
    pub fn decode(&self) -> Option<Analysis> {
        postcard::from_bytes(&self.blob).ok()
    }

    /// Keeps `stream` as this entry's token stream: one computed again because the stored one
    /// was lost goes back into the token file.
    pub fn set_tokens(&mut self, stream: &[DupToken]) {
        let packed = tokens::pack(stream);
        self.stream_hash = content_hash(&packed);
        self.fresh_tokens = Some(packed);
    }

    /// Whether the file at `path` has the stat recorded with this entry (never for an entry
    /// without one).
    pub fn stat_matches(&self, path: &Path) -> bool {
        self.stat.is_some()
            && self.stat == std::fs::metadata(path).ok().as_ref().and_then(FileStat::of)
    }
}

/// The clone-detection result of a run, for these files and duplication settings (`key`);
/// `blob` is its [`crate::join::clone_record::Record`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clones {
    pub key: ContentHash,
    pub blob: Vec<u8>,
}

/// Where a run's clone result came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClonesFrom {
    /// The stored one: no file's token stream changed.
    Stored,
    /// The stored one updated by a pass over this many files: those new or whose streams
    /// changed, and those sharing a window of tokens with them or with files gone.
    Updated(usize),
    /// The whole pass, over every file.
    Detected,
}

impl std::fmt::Display for ClonesFrom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Stored => write!(f, "the stored result (no token stream changed)"),
            Self::Updated(0) => write!(
                f,
                "the stored result less the files gone or left out of the pass"
            ),
            Self::Updated(1) => write!(f, "the stored result updated by a pass over 1 file"),
            Self::Updated(n) => write!(f, "the stored result updated by a pass over {n} files"),
            Self::Detected => write!(f, "detected over every file"),
        }
    }
}

/// The cache of one analysis configuration, loaded; the run takes entries out and puts the
/// current ones back, and [`Cache::save`] writes them.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    file: PathBuf,
    /// The token files, each read on first use.
    store: TokenStore,
    settings_key: ContentHash,
    /// Loaded entries this run has not taken (files outside its paths, or gone).
    entries: FxHashMap<String, Entry>,
    /// The entries of this run's files.
    current: FxHashMap<String, Entry>,
    clones: Option<Clones>,
    /// Whether this run's clone pass ran (and read every stream it did not compute).
    clone_pass_ran: bool,
    /// Where this run's clone result came from.
    clones_from: Option<ClonesFrom>,
    /// The hashes and stats of the entries the run took out: one put back unchanged leaves the
    /// file as it is, so a run that changed nothing writes nothing.
    taken: FxHashMap<String, (ContentHash, Option<FileStat>)>,
    changed: bool,
    /// Files whose stored analysis this run reused.
    reused: usize,
    /// What went wrong reading or writing it; shown as warnings.
    warnings: Vec<String>,
}

impl Cache {
    /// The cache in `dir` for the settings of this run; empty (with a warning) when the stored
    /// one cannot be trusted, silently empty when there is none yet.
    pub fn open(dir: &Path, settings: &Settings) -> Self {
        let settings_key = settings_key(settings);
        let file = dir.join(format!("analysis-{:032x}.bin", settings_key));
        let mut cache = Self {
            dir: dir.to_path_buf(),
            file,
            store: TokenStore::new(dir, settings_key),
            settings_key,
            entries: FxHashMap::default(),
            current: FxHashMap::default(),
            clones: None,
            clone_pass_ran: false,
            clones_from: None,
            taken: FxHashMap::default(),
            changed: false,
            reused: 0,
            warnings: Vec::new(),
        };
        match std::fs::read(&cache.file) {
            Ok(bytes) => match format::decode(&bytes, settings_key) {
                Ok((entries, clones)) => {
                    cache.entries = entries;
                    cache.clones = clones;
                }
                Err(why) => cache.warnings.push(format!(
                    "{}: {why} — ignored; it is rebuilt by this run",
                    cache.file.display()
                )),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => cache.warnings.push(format!(
                "{}: cannot read the cache: {e} — analysing every file; check the directory's permissions or pass --no-cache",
                cache.file.display()
            )),
        }
        cache
    }

    /// Files whose stored analysis this run reused, and where the cache is.
    pub fn reused(&self) -> (usize, &Path) {
        (self.reused, &self.dir)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &str> {
        self.warnings
            .iter()
            .map(String::as_str)
            .chain(self.store.warnings())
    }

    /// The token stream of `entry`: its own when this run computed it, else the token file's;
    /// `None` when it has none (lost, or damaged: the caller computes it again).
    pub fn tokens(&self, entry: &Entry) -> Option<Vec<DupToken>> {
        match &entry.fresh_tokens {
            Some(packed) => tokens::unpack(packed),
            None => tokens::unpack(self.store.get(entry.hash)?),
        }
    }

    /// Reads the token files now (each is read once, on first use).
    pub fn read_streams(&self) {
        self.store.read();
    }

    /// The keys of the stored token stream of the file whose bytes hash to `content`, into
    /// `keys`; `None` when none is stored.
    pub fn stored_keys(&self, content: ContentHash, keys: &mut Vec<u32>) -> Option<()> {
        tokens::unpack_keys(self.store.get(content)?, keys)
    }

    /// The stored token stream of the file whose bytes hash to `content`.
    pub fn stored_tokens(&self, content: ContentHash) -> Option<Vec<DupToken>> {
        tokens::unpack(self.store.get(content)?)
    }

    /// The stored entry for `path`, moved out (the run puts back what is current).
    pub fn take(&mut self, path: &str) -> Option<Entry> {
        let entry = self.entries.remove(path)?;
        self.taken.insert(path.to_owned(), (entry.hash, entry.stat));
        Some(entry)
    }

    /// Records the current entry for `path`.
    pub fn put(&mut self, path: String, entry: Entry) {
        match self.taken.remove(&path) {
            Some((hash, stat)) if hash == entry.hash => {
                self.reused += 1;
                // A stat learnt (or lost) is worth writing: the next run reads less.
                self.changed |= stat != entry.stat;
            }
            _ => self.changed = true,
        }
        self.changed |= entry.fresh_tokens.is_some();
        self.current.insert(path, entry);
    }

    /// The stored clone result when it was computed under `key`.
    pub fn clones(&self, key: ContentHash) -> Option<&[u8]> {
        self.clones
            .as_ref()
            .filter(|c| c.key == key)
            .map(|c| c.blob.as_slice())
    }

    /// Where this run's clone result came from, for `-v`.
    pub fn clones_from(&self) -> Option<ClonesFrom> {
        self.clones_from
    }

    pub fn note_clones_from(&mut self, from: ClonesFrom) {
        self.clones_from = Some(from);
    }

    /// Keeps `clones` as the clone result; `pass_ran` when this run's clone pass (or update)
    /// ran and so read every stream it did not compute.
    pub fn put_clones(&mut self, clones: Clones, pass_ran: bool) {
        self.clone_pass_ran |= pass_ran;
        if self.clones.as_ref() != Some(&clones) {
            self.changed = true;
            self.clones = Some(clones);
        }
    }

    /// Drops the untaken entries of files that no longer exist under `root` (renamed or deleted
    /// files would otherwise stay forever); those of files outside this run's paths are kept.
    pub fn forget_missing(&mut self, root: &Path) {
        let before = self.entries.len();
        self.entries.retain(|path, _| root.join(path).is_file());
        self.changed |= self.entries.len() != before;
    }

    /// Writes the cache atomically, when this run changed it: the token file when it computed
    /// a stream, then the analysis file. A failure is a warning: the results do not depend on it.
    pub fn save(&mut self) {
        // Entries taken and not put back belong to files that are now skipped or unreadable.
        if !self.changed && self.taken.is_empty() && self.file.is_file() {
            return;
        }
        let fresh = self.current.values().any(|e| e.fresh_tokens.is_some());
        let written = create_dir(&self.dir)
            .and_then(|()| match fresh {
                true => self.write_tokens(),
                false => Ok(()),
            })
            .and_then(|()| self.write());
        if let Err(e) = written {
            let message = format!(
                "{}: cannot write the cache: {e} — the results are complete, but the next run analyses every file again; make the directory writable, set --cache-dir, or pass --no-cache",
                self.dir.display()
            );
            self.warnings.push(message);
        }
    }

    fn write(&self) -> std::io::Result<()> {
        let entries = self.entries.iter().chain(&self.current);
        let bytes = format::encode(self.settings_key, entries, self.clones.as_ref());
        write_atomically(&self.dir, &self.file, &bytes)
    }

    /// The streams of every entry kept: this run's, and the stored ones of the rest (those of
    /// files gone are dropped); only the ones the base lacks when they are few (`token_store`).
    fn write_tokens(&self) -> std::io::Result<()> {
        let kept = self
            .entries
            .values()
            .chain(self.current.values())
            .map(|e| (e.hash, e.fresh_tokens.as_deref()));
        self.store.write(&self.dir, kept, self.clone_pass_ran)
    }
}

/// Writes `bytes` to `file` in `dir` through a temporary file renamed into place (one that a
/// SIGINT or SIGTERM meanwhile removes, as it does a report's).
fn write_atomically(dir: &Path, file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".cache-").suffix(".tmp");
    let mut tmp = crate::output::pending_temp(&builder, dir)?;
    let registered = tmp.path().to_path_buf();
    let written = tmp
        .write_all(bytes)
        .and_then(|()| tmp.flush())
        .map(|()| pause_for_tests())
        .and_then(|()| tmp.persist(file).map(drop).map_err(|e| e.error));
    crate::output::forget_pending(&registered);
    written
}

/// Debug builds wait here (`QGATE_TEST_SLOW_CACHE_WRITE=<ms>`), so a test can signal a run
/// while a cache file is being written. Release builds have no such hook.
fn pause_for_tests() {
    if cfg!(debug_assertions)
        && let Some(ms) = std::env::var("QGATE_TEST_SLOW_CACHE_WRITE")
            .ok()
            .and_then(|v| v.parse().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// Creates the cache directory with its tag and a `.gitignore` that keeps it out of commits.
fn create_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let tag = dir.join("CACHEDIR.TAG");
    if !tag.exists() {
        std::fs::write(&tag, CACHEDIR_TAG)?;
        std::fs::write(dir.join(".gitignore"), "# Created by qgate.\n*\n")?;
    }
    Ok(())
}

/// The key of everything in the settings that changes a file's analysis: the front ends'
/// options and the size limit. (The qgate version is checked separately, so an upgrade replaces
/// the file instead of leaving the old one behind.)
fn settings_key(settings: &Settings) -> ContentHash {
    let described = format!(
        "{:?}|max-file-size={}",
        settings.analysis, settings.max_file_size
    );
    content_hash(described.as_bytes())
}

/// Removes the cache directory `dir`; only one qgate made (it holds qgate's `CACHEDIR.TAG`).
pub fn clean(dir: &Path) -> Result<bool, CleanError> {
    let tag = dir.join("CACHEDIR.TAG");
    match std::fs::read_to_string(&tag) {
        Ok(text) if text.contains("created by qgate") => {}
        Ok(_) => return Err(CleanError::NotOurs(dir.to_path_buf())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if dir.exists() {
                return Err(CleanError::NotOurs(dir.to_path_buf()));
            }
            return Ok(false);
        }
        Err(e) => return Err(CleanError::Io(dir.to_path_buf(), e)),
    }
    std::fs::remove_dir_all(dir).map_err(|e| CleanError::Io(dir.to_path_buf(), e))?;
    Ok(true)
}

#[derive(Debug, thiserror::Error)]
pub enum CleanError {
    #[error(
        "{}: not a qgate cache (no qgate CACHEDIR.TAG) — left alone; remove it by hand if it is yours to delete",
        .0.display()
    )]
    NotOurs(PathBuf),
    #[error("{path}: cannot remove the cache: {error} — check its permissions", path = .0.display(), error = .1)]
    Io(PathBuf, std::io::Error),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FileModel, Language, LineCounts};

    #[test]
    fn an_entry_round_trips_and_a_damaged_blob_does_not_decode() {
        let mut model = FileModel::new(Language::Rust, LineCounts::default());
        model.tokens.push(DupToken { key: 9, line: 3 });
        let mut analysis = Analysis::Model(model.clone());
        let entry = Entry::encode(7, None, &mut analysis).unwrap();
        assert!(matches!(&analysis, Analysis::Model(m) if *m == model));
        let stored_tokens = std::mem::take(&mut model.tokens);
        assert!(matches!(entry.decode(), Some(Analysis::Model(m)) if m == model));
        let packed = entry.fresh_tokens.as_deref().unwrap();
        assert_eq!(tokens::unpack(packed), Some(stored_tokens));
        let cut = Entry {
            blob: entry.blob[..entry.blob.len() - 1].to_vec(),
            ..entry
        };
        assert!(cut.decode().is_none());
    }

    #[test]
    fn a_stat_is_kept_only_for_a_file_older_than_two_seconds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.py");
        std::fs::write(&path, "x = 1\n").unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        let modified = meta.modified().unwrap();
        let second = std::time::Duration::from_secs(1);
        assert_eq!(FileStat::settled(&meta, modified + second), None);
        let settled = FileStat::settled(&meta, modified + 2 * second).unwrap();
        assert_eq!(Some(settled), FileStat::of(&meta));
        assert_eq!(settled.len, 6);
    }
}
