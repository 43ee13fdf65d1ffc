//! The token streams on disk, in two files of one format: `tokens-<key>.bin`, the base, holding
//! most of them, and `recent-tokens-<key>.bin`, the streams written since the base was. A run
//! that analysed a few files again (a pre-commit run after an edit) writes only the small file,
//! not the base: tens of megabytes for a million lines. The base is written again, and the
//! small file removed, when the small file would pass an eighth of the base or a quarter of the
//! base holds streams no entry uses any more, so neither grows without bound.
//!
//! Either file may come from another run than the other (concurrent writers): a stream is found
//! by the hash of the bytes it came from, so a mix can lack a stream, never give a wrong one.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::{ContentHash, format};

/// The small file may hold up to this fraction of the base's stream bytes…
const RECENT_SHARE: usize = 8;
/// …and the base may hold up to this fraction of streams no entry uses, before it is rewritten.
const DEAD_SHARE: usize = 4;

/// Both token files, each read on first use.
#[derive(Debug)]
pub struct TokenStore {
    base_file: PathBuf,
    recent_file: PathBuf,
    settings_key: ContentHash,
    base: OnceLock<TokenFile>,
    recent: OnceLock<TokenFile>,
}

/// One token file's bytes and where each stream lies in them, or why it was not used.
#[derive(Debug, Default)]
struct TokenFile {
    bytes: FileBytes,
    ranges: FxHashMap<ContentHash, Range<usize>>,
    warning: Option<String>,
}

/// What a run writes to keep every stream its entries use, each `(content hash, packed stream)`
/// once, in hash order.
#[derive(Debug, PartialEq, Eq)]
pub enum Plan<'a> {
    /// Only the streams the base lacks, into the small file (none: the small file goes).
    Recent(Vec<(ContentHash, &'a [u8])>),
    /// Every stream, into the base; the small file goes.
    Base(Vec<(ContentHash, &'a [u8])>),
}

impl TokenStore {
    /// The store in the `base` and `recent` files, read when a stream is first asked for; a
    /// file that is missing is empty, one that cannot be trusted is empty with a warning (its
    /// streams are then computed again).
    pub fn new(dir: &Path, settings_key: ContentHash) -> Self {
        Self::at(
            dir.join(format!("tokens-{settings_key:032x}.bin")),
            dir.join(format!("recent-tokens-{settings_key:032x}.bin")),
            settings_key,
        )
    }

    fn at(base: PathBuf, recent: PathBuf, settings_key: ContentHash) -> Self {
        Self {
            base_file: base,
            recent_file: recent,
            settings_key,
            base: OnceLock::new(),
            recent: OnceLock::new(),
        }
    }

    fn base(&self) -> &TokenFile {
        self.base
            .get_or_init(|| TokenFile::read(&self.base_file, self.settings_key))
    }

    fn recent(&self) -> &TokenFile {
        self.recent
            .get_or_init(|| TokenFile::read(&self.recent_file, self.settings_key))
    }

    /// Reads both files now, if not yet read.
    pub fn read(&self) {
        self.recent();
        self.base();
    }

    pub fn get(&self, hash: ContentHash) -> Option<&[u8]> {
        self.recent().get(hash).or_else(|| self.base().get(hash))
    }

    /// Why a file read so far was not used.
    pub fn warnings(&self) -> impl Iterator<Item = &str> {
        [self.base.get(), self.recent.get()]
            .into_iter()
            .flatten()
            .filter_map(|f| f.warning.as_deref())
    }

    /// What to write so that every stream of `kept` (an entry's hash, and its stream when this
    /// run computed it) can be found; a stream neither computed nor stored is left out. Unless
    /// `read_base` (the clone pass ran, and so read it when any stream was not computed), the
    /// base is not read for this: the computed streams join the small file's, whether or not
    /// the base has them too, and the next run that reads the base decides whether to write it
    /// again.
    pub fn plan<'a>(
        &'a self,
        kept: impl Iterator<Item = (ContentHash, Option<&'a [u8]>)>,
        read_base: bool,
    ) -> Plan<'a> {
        // Each stream once, in hash order: the computed one, else the stored one.
        let streams = |stored: &dyn Fn(ContentHash) -> Option<&'a [u8]>| {
            let mut streams: Vec<(ContentHash, &'a [u8])> = kept
                .filter_map(|(hash, fresh)| Some((hash, fresh.or_else(|| stored(hash))?)))
                .collect();
            streams.sort_unstable_by_key(|s| s.0);
            streams.dedup_by_key(|s| s.0);
            streams
        };
        if !read_base {
            let recent = self.recent();
            return Plan::Recent(streams(&|hash| recent.get(hash)));
        }
        let base = self.base();
        let streams = streams(&|hash| self.get(hash));
        let in_base = |hash: &ContentHash| base.ranges.contains_key(hash);
        let base_total = base.stream_bytes();
        let live_in_base: usize = streams
            .iter()
            .filter(|s| in_base(&s.0))
            .map(|s| s.1.len())
            .sum();
        let extra: Vec<(ContentHash, &[u8])> =
            streams.iter().filter(|s| !in_base(&s.0)).copied().collect();
        let extra_bytes: usize = extra.iter().map(|s| s.1.len()).sum();
        let dead = base_total.saturating_sub(live_in_base);
        if base_total > 0
            && extra_bytes * RECENT_SHARE <= base_total
            && dead * DEAD_SHARE <= base_total
        {
            Plan::Recent(extra)
        } else {
            Plan::Base(streams)
        }
    }
}

impl TokenStore {
    /// Writes what [`Self::plan`] says into `dir` (atomically), and removes the small file when
    /// the base now holds every stream or there is nothing beyond the base.
    pub fn write<'a>(
        &'a self,
        dir: &Path,
        kept: impl Iterator<Item = (ContentHash, Option<&'a [u8]>)>,
        read_base: bool,
    ) -> std::io::Result<()> {
        let (file, streams) = match self.plan(kept, read_base) {
            Plan::Recent(streams) if streams.is_empty() => {
                return remove_if_present(&self.recent_file);
            }
            Plan::Recent(streams) => (&self.recent_file, streams),
            Plan::Base(streams) => (&self.base_file, streams),
        };
        let bytes = format::encode_tokens(self.settings_key, streams.into_iter());
        super::write_atomically(dir, file, &bytes)?;
        if file == &self.base_file {
            remove_if_present(&self.recent_file)?;
        }
        Ok(())
    }
}

fn remove_if_present(file: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(file) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

impl TokenFile {
    fn read(file: &Path, settings_key: ContentHash) -> Self {
        let warned = |warning: String| Self {
            warning: Some(warning),
            ..Self::default()
        };
        let bytes = match FileBytes::read(file) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Self::default(),
            Err(e) => {
                return warned(format!(
                    "{}: cannot read the cache: {e} — analysing the files again; check the directory's permissions or pass --no-cache",
                    file.display()
                ));
            }
        };
        match format::decode_tokens(bytes.as_slice(), settings_key) {
            Ok(ranges) => Self {
                bytes,
                ranges,
                warning: None,
            },
            Err(why) => warned(format!(
                "{}: {why} — ignored; it is rebuilt by this run",
                file.display()
            )),
        }
    }

    fn get(&self, hash: ContentHash) -> Option<&[u8]> {
        self.bytes.as_slice().get(self.ranges.get(&hash)?.clone())
    }

    fn stream_bytes(&self) -> usize {
        self.ranges.values().map(|r| r.len()).sum()
    }
}

/// A token file's bytes: mapped from the page cache on Unix, so a run that needs every stream
/// (a clone update's check for shared code) neither copies tens of megabytes nor faults in as
/// many fresh pages for them; read into memory elsewhere, or when the mapping fails.
#[derive(Debug)]
enum FileBytes {
    #[cfg(unix)]
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl Default for FileBytes {
    fn default() -> Self {
        Self::Read(Vec::new())
    }
}

impl FileBytes {
    fn read(file: &Path) -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            let opened = std::fs::File::open(file)?;
            // SAFETY: the cache's files are only ever replaced whole, by a rename
            // (`write_atomically`), never written in place, so the mapped bytes stay as they
            // are while this run holds them (docs/reliability.md, X7).
            if let Ok(mapped) = unsafe { memmap2::MmapOptions::new().populate().map(&opened) } {
                return Ok(Self::Mapped(mapped));
            }
        }
        // An empty file cannot be mapped: it is read, and refused as any damaged file is.
        std::fs::read(file).map(Self::Read)
    }

    fn as_slice(&self) -> &[u8] {
        match self {
            #[cfg(unix)]
            Self::Mapped(mapped) => mapped,
            Self::Read(bytes) => bytes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store whose base holds `base` and whose small file holds `recent`.
    fn store(base: &[(ContentHash, &[u8])], recent: &[(ContentHash, &[u8])]) -> TokenStore {
        let dir = tempfile::tempdir().unwrap();
        let (b, r) = (dir.path().join("b.bin"), dir.path().join("r.bin"));
        std::fs::write(&b, format::encode_tokens(1, base.iter().copied())).unwrap();
        std::fs::write(&r, format::encode_tokens(1, recent.iter().copied())).unwrap();
        let s = TokenStore::at(b, r, 1);
        // Both read now, before the directory goes (as a run whose clone pass ran).
        assert_eq!(s.get(0), None);
        s
    }

    const TEN: &[u8] = &[7; 10];
    const ONE: &[u8] = &[1];

    #[test]
    fn the_small_file_wins_and_either_file_finds_a_stream() {
        let s = store(&[(1, TEN), (2, TEN)], &[(2, ONE), (3, ONE)]);
        assert_eq!(s.warnings().count(), 0);
        assert_eq!(s.get(1), Some(TEN));
        assert_eq!(s.get(2), Some(ONE));
        assert_eq!(s.get(3), Some(ONE));
        assert_eq!(s.get(4), None);
    }

    #[test]
    fn a_few_new_streams_go_to_the_small_file_with_the_ones_it_holds() {
        // Base: 8 streams of 10 bytes (80); one stream of the base is no longer used (10 dead
        // ≤ 80 / 4), a stream kept from the small file and a fresh one (2 ≤ 80 / 8).
        let base: Vec<(ContentHash, &[u8])> = (1..=8).map(|h| (h, TEN)).collect();
        let s = store(&base, &[(20, ONE), (21, ONE)]);
        let kept = (2..=8).map(|h| (h, None)).chain([
            (20, None),
            (30, Some(ONE)),
            (30, Some(ONE)),
            (40, None),
        ]);
        assert_eq!(s.plan(kept, true), Plan::Recent(vec![(20, ONE), (30, ONE)]));
        // Nothing beyond the base: the small file goes.
        assert_eq!(
            s.plan((1..=8).map(|h| (h, None)), true),
            Plan::Recent(vec![])
        );
    }

    #[test]
    fn the_base_is_written_again_when_the_small_file_or_the_dead_streams_grow() {
        let base: Vec<(ContentHash, &[u8])> = (1..=8).map(|h| (h, TEN)).collect();
        let s = store(&base, &[]);
        let all = |extra: Vec<(ContentHash, &'static [u8])>| {
            let mut v: Vec<(ContentHash, &[u8])> = base.clone();
            v.extend(extra);
            v
        };
        // 11 new bytes > 80 / 8.
        let kept = (1..=8)
            .map(|h| (h, None))
            .chain([(9, Some(TEN)), (10, Some(ONE))]);
        assert_eq!(
            s.plan(kept, true),
            Plan::Base(all(vec![(9, TEN), (10, ONE)]))
        );
        // 30 dead bytes > 80 / 4.
        let kept = (4..=8).map(|h| (h, None)).chain([(10, Some(ONE))]);
        let mut live = base[3..].to_vec();
        live.push((10, ONE));
        assert_eq!(s.plan(kept, true), Plan::Base(live));
        // No base yet: everything goes into it.
        let dir = tempfile::tempdir().unwrap();
        let empty = TokenStore::at(dir.path().join("b"), dir.path().join("r"), 1);
        assert_eq!(empty.get(5), None);
        assert_eq!(
            empty.plan([(5, Some(ONE))].into_iter(), true),
            Plan::Base(vec![(5, ONE)])
        );
    }

    #[test]
    fn a_damaged_small_file_is_a_warning_and_the_base_still_serves() {
        let dir = tempfile::tempdir().unwrap();
        let (b, r) = (dir.path().join("b.bin"), dir.path().join("r.bin"));
        std::fs::write(&b, format::encode_tokens(1, [(1, TEN)].into_iter())).unwrap();
        std::fs::write(&r, b"qgate-token\nrubbish").unwrap();
        let s = TokenStore::at(b, r.clone(), 1);
        assert_eq!(s.get(1), Some(TEN));
        assert_eq!(
            s.warnings().collect::<Vec<_>>(),
            [format!(
                "{}: truncated cache file — ignored; it is rebuilt by this run",
                r.display()
            )]
        );
    }

    #[test]
    fn an_empty_file_which_cannot_be_mapped_is_read_and_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (b, r) = (dir.path().join("b.bin"), dir.path().join("r.bin"));
        std::fs::write(&b, b"").unwrap();
        std::fs::write(&r, format::encode_tokens(1, [(2, ONE)].into_iter())).unwrap();
        let s = TokenStore::at(b.clone(), r, 1);
        assert_eq!(s.get(2), Some(ONE));
        assert_eq!(s.get(1), None);
        assert_eq!(
            s.warnings().collect::<Vec<_>>(),
            [format!(
                "{}: not a qgate cache file — ignored; it is rebuilt by this run",
                b.display()
            )]
        );
    }

    #[test]
    fn a_run_that_did_not_read_the_base_adds_its_streams_to_the_small_file_unread() {
        let dir = tempfile::tempdir().unwrap();
        let (b, r) = (dir.path().join("b.bin"), dir.path().join("r.bin"));
        // A base that would be refused, were it read.
        std::fs::write(&b, b"not a token file").unwrap();
        std::fs::write(
            &r,
            format::encode_tokens(1, [(20, ONE), (21, ONE)].into_iter()),
        )
        .unwrap();
        let s = TokenStore::at(b, r, 1);
        let kept = [(1, None), (20, None), (30, Some(TEN))].into_iter();
        assert_eq!(
            s.plan(kept, false),
            Plan::Recent(vec![(20, ONE), (30, TEN)])
        );
        assert_eq!(s.warnings().count(), 0);
    }
}
