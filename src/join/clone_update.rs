//! The clone result of the last run, updated for the few files whose token streams changed,
//! without the whole pass.
//!
//! Which windows a file remembers depends on the matches found before it, so one changed file
//! can change what any later file finds — but only through window hashes they share. Take the
//! changed files of a language, and every file sharing a window hash (at any position) with
//! one of them, old stream or new, and so on until no other file shares one: that part of the
//! files meets the rest nowhere, in the table or in a comparison. So the pass over the part
//! alone, in its order, finds exactly the clones the whole pass finds among its files, and the
//! rest of the result stands. A part grown past [`MAX_PART`] files gives up (the whole pass
//! runs), as does a stream the cache no longer has.

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::join::clone_record::{FileState, Record};
use crate::join::clones::{self, DuplicationSettings, Found, Located};
use crate::metrics::duplication::{self, Windows};
use crate::model::{DupToken, Language};

/// The largest part worth updating; past it the whole pass is about as quick.
pub const MAX_PART: usize = 64;

/// The token streams the cache stores, by the hash of the bytes they came from.
pub trait StoredStreams: Sync {
    /// The stream's keys, into `keys`; `None` when it is not stored.
    fn keys(&self, content: u128, keys: &mut Vec<u32>) -> Option<()>;
    fn tokens(&self, content: u128) -> Option<Vec<DupToken>>;
}

/// The updated result, and how many files the pass ran over again.
#[derive(Debug)]
pub struct Updated {
    pub record: Record,
    pub redone: usize,
}

/// The clone result now, from `record` (the last result, under the same duplication
/// settings) and `now` (each file as this run found it; its stream is `fresh` when this run
/// analysed it, else stored), or `None` when the update cannot be made (the whole pass must
/// run). The clone tokens of `now` are not read: they are the record's, or the new stream's.
///
/// A file is changed when its stream, its language or whether it takes part is not the
/// record's, or the record lacks it; a file of the record that is not in `now` unchanged
/// (changed, gone, or out of the pass) is gone: its old windows join the part's.
pub fn update(
    settings: &DuplicationSettings,
    record: &Record,
    mut now: Vec<FileState>,
    fresh: &[Option<&[DupToken]>],
    stored: &dyn StoredStreams,
) -> Option<Updated> {
    if fresh.len() != now.len() {
        return None;
    }
    let current = |i: usize, now: &[FileState]| -> Option<Vec<DupToken>> {
        match fresh[i] {
            Some(tokens) => Some(tokens.to_vec()),
            None => stored.tokens(now[i].content),
        }
    };
    let old_index: FxHashMap<&str, usize> = record
        .files
        .iter()
        .enumerate()
        .map(|(j, f)| (f.path.as_str(), j))
        .collect();
    // The record's file each file now is, when it is the same member with the same stream.
    let same: Vec<Option<usize>> = now
        .iter()
        .map(|f| {
            let j = *old_index.get(f.path.as_str())?;
            let old = &record.files[j];
            (old.member == f.member && old.stream == f.stream).then_some(j)
        })
        .collect();
    let windows = Windows::new(settings.limits());
    let (mut redone, mut redone_old) = (FxHashSet::default(), FxHashSet::default());
    let mut groups = Vec::new();
    for language in [Language::Python, Language::Rust] {
        let members: Vec<usize> = (0..now.len())
            .filter(|&i| now[i].member == Some(language))
            .collect();
        let changed: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| same[i].is_none())
            .collect();
        let kept: FxHashSet<usize> = members.iter().filter_map(|&i| same[i]).collect();
        let gone: Vec<usize> = (0..record.files.len())
            .filter(|j| record.files[*j].member == Some(language) && !kept.contains(j))
            .collect();
        if changed.is_empty() && gone.is_empty() {
            continue;
        }
        // The hashes of the part: the gone files' old windows and the changed files' new
        // ones, then those of every file found sharing one.
        let mut hashes = PartHashes::default();
        let mut keys = Vec::new();
        for &j in &gone {
            stored.keys(record.files[j].content, &mut keys)?;
            hashes.add(&keys, windows);
        }
        // Each part file's stream, taken once: the changed files' now, the others' at the end.
        let mut streams: FxHashMap<usize, Vec<DupToken>> = FxHashMap::default();
        for &i in &changed {
            let stream = current(i, &now)?;
            let new: Vec<u32> = stream.iter().map(|t| t.key).collect();
            hashes.add(&new, windows);
            streams.insert(i, stream);
        }
        let mut part = changed;
        loop {
            let outside: Vec<usize> = members
                .iter()
                .copied()
                .filter(|i| !part.contains(i))
                .collect();
            let joining: Vec<usize> = outside
                .par_iter()
                .map_init(Vec::new, |keys, &i| {
                    stored.keys(now[i].content, keys)?;
                    Some(hashes.shared_by(keys, windows).then_some(i))
                })
                .collect::<Option<Vec<Option<usize>>>>()?
                .into_iter()
                .flatten()
                .collect();
            if joining.is_empty() {
                break;
            }
            if part.len() + joining.len() > MAX_PART {
                return None;
            }
            for &i in &joining {
                stored.keys(now[i].content, &mut keys)?;
                hashes.add(&keys, windows);
                redone_old.extend(same[i]);
            }
            part.extend(joining);
        }
        redone_old.extend(gone);
        part.sort_unstable();
        let streams: Vec<Vec<DupToken>> = part
            .iter()
            .map(|&i| streams.remove(&i).or_else(|| current(i, &now)))
            .collect::<Option<_>>()?;
        let refs: Vec<&[DupToken]> = streams.iter().map(Vec::as_slice).collect();
        let found = Found {
            groups: duplication::detect(&refs, settings.limits()),
            members: part.clone(),
        };
        let mut by_file: Vec<&[DupToken]> = vec![&[]; now.len()];
        for (&i, stream) in part.iter().zip(&streams) {
            by_file[i] = stream;
        }
        groups.extend(clones::locate(&by_file, &found));
        for (&i, stream) in part.iter().zip(&streams) {
            now[i].clone_tokens = Some(stream.len() as u32);
        }
        redone.extend(part);
    }
    // The record's groups outside every part stand, their files where they are now.
    let new_index: FxHashMap<usize, usize> = same
        .iter()
        .enumerate()
        .filter_map(|(i, j)| Some(((*j)?, i)))
        .collect();
    for g in &record.groups {
        let inside = g
            .fragments
            .iter()
            .filter(|f| redone_old.contains(&f.0))
            .count();
        if inside == g.fragments.len() {
            continue;
        }
        // A group both inside and outside a part cannot be: the record is not what the pass
        // found.
        if inside > 0 {
            return None;
        }
        let fragments = g
            .fragments
            .iter()
            .map(|&(j, first, last)| Some((*new_index.get(&j)?, first, last)))
            .collect::<Option<_>>()?;
        groups.push(Located {
            fragments,
            ..g.clone()
        });
    }
    // A file outside every part kept its stream, or takes no part.
    for (i, state) in now.iter_mut().enumerate() {
        if !redone.contains(&i) {
            state.clone_tokens = same[i].and_then(|j| record.files[j].clone_tokens);
        }
    }
    Some(Updated {
        redone: redone.len(),
        record: Record { files: now, groups },
    })
}

/// The window hashes of the part, with a bit per range of hashes in front of the set: every
/// other file's windows are looked up, and almost all of them miss in bits that stay in the
/// fastest cache.
#[derive(Default)]
struct PartHashes {
    set: FxHashSet<u64>,
    bits: Vec<u64>,
}

/// log₂ of the bits in front of the set (32 KiB of them).
const BITS: u32 = 18;

impl PartHashes {
    fn bit(h: u64) -> (usize, u64) {
        // The top bits: a polynomial hash modulo 2⁶⁴ mixes every token into them.
        let b = (h >> (64 - BITS)) as usize;
        (b / 64, 1 << (b % 64))
    }

    fn add(&mut self, keys: &[u32], windows: Windows) {
        if self.bits.is_empty() {
            self.bits = vec![0; (1 << BITS) / 64];
        }
        windows.each(
            keys,
            |k| k,
            |h| {
                if let Some(h) = h {
                    let (word, mask) = Self::bit(h);
                    self.bits[word] |= mask;
                    self.set.insert(h);
                }
                true
            },
        );
    }

    fn shared_by(&self, keys: &[u32], windows: Windows) -> bool {
        let mut shares = false;
        windows.each(
            keys,
            |k| k,
            |h| {
                shares = h.is_some_and(|h| {
                    let (word, mask) = Self::bit(h);
                    self.bits.get(word).is_some_and(|w| w & mask != 0) && self.set.contains(&h)
                });
                !shares
            },
        );
        shares
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::collections::HashMap;

    use super::*;
    use crate::model::{FileModel, LineCounts};
    use crate::report::Report;
    use crate::report::build::file_report;

    /// The streams a cache would hold, by content hash.
    #[derive(Default)]
    struct Store {
        streams: HashMap<u128, Vec<DupToken>>,
    }

    impl StoredStreams for Store {
        fn keys(&self, content: u128, keys: &mut Vec<u32>) -> Option<()> {
            keys.clear();
            keys.extend(self.streams.get(&content)?.iter().map(|t| t.key));
            Some(())
        }

        fn tokens(&self, content: u128) -> Option<Vec<DupToken>> {
            self.streams.get(&content).cloned()
        }
    }

    /// `[duplication]` with `excluded` (paths) out of the pass.
    fn settings(excluded: &[&str]) -> DuplicationSettings {
        let mut globs = globset::GlobSetBuilder::new();
        for path in excluded {
            globs.add(globset::Glob::new(path).unwrap());
        }
        DuplicationSettings {
            min_tokens: 20,
            min_lines: 2,
            normalize: duplication::Normalize::None,
            excluded: globs.build().unwrap(),
            max_reported_clones: usize::MAX,
            max_reported_fragments: usize::MAX,
        }
    }

    /// A file of a project: its stream, the hash of its bytes, whether the pass leaves it out.
    #[derive(Clone)]
    struct File {
        stream: Vec<DupToken>,
        content: u128,
        out: bool,
    }

    /// Slot `i` is `f<i>.py`, or `f<i>.rs` for every fifth.
    fn path(i: usize) -> String {
        let extension = if i % 5 == 4 { "rs" } else { "py" };
        format!("f{i:02}.{extension}")
    }

    /// The report's files, the streams and the settings of the files present in `slots`.
    fn project(slots: &[Option<File>]) -> (Report, Vec<&File>, DuplicationSettings) {
        let mut report = Report::new(String::new(), Default::default());
        let mut files = Vec::new();
        let mut out = Vec::new();
        for (i, file) in slots.iter().enumerate() {
            let Some(file) = file else { continue };
            let language = if i % 5 == 4 {
                Language::Rust
            } else {
                Language::Python
            };
            let mut model = FileModel::new(language, LineCounts::default());
            report.files.push(file_report(&path(i), &mut model));
            files.push(file);
            if file.out {
                out.push(path(i));
            }
        }
        let out: Vec<&str> = out.iter().map(String::as_str).collect();
        (report, files, settings(&out))
    }

    /// Each present file as this run finds it.
    fn states(report: &Report, files: &[&File], settings: &DuplicationSettings) -> Vec<FileState> {
        report
            .files
            .iter()
            .zip(files)
            .map(|(f, file)| FileState {
                path: f.path.clone(),
                member: settings.takes_part(&f.path, false).then_some(f.language),
                content: file.content,
                stream: file.content,
                clone_tokens: None,
            })
            .collect()
    }

    /// The whole pass's result over the files of `slots`, as the cache records it.
    fn full(slots: &[Option<File>]) -> Record {
        let (report, files, settings) = project(slots);
        let refs: Vec<&[DupToken]> = files.iter().map(|f| f.stream.as_slice()).collect();
        let mut groups = clones::detect_located(&report, &refs, &settings);
        groups.sort_by(|a, b| a.fragments.cmp(&b.fragments));
        let tokens = clones::clone_tokens(&report, &refs, &settings);
        Record::new(states(&report, &files, &settings), groups, &tokens)
    }

    /// A tiny deterministic generator (xorshift).
    struct Random(Cell<u64>);

    impl Random {
        fn below(&self, n: u64) -> u64 {
            let mut x = self.0.get();
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0.set(x);
            x % n
        }
    }

    /// A stream: pieces of a shared pool (so files share code) and tokens of its own, three
    /// tokens a line.
    fn stream(random: &Random, pool: &[Vec<u32>], unique: &mut u32) -> Vec<DupToken> {
        let mut keys = Vec::new();
        for _ in 0..1 + random.below(5) {
            if !pool.is_empty() && random.below(8) == 0 {
                keys.extend(&pool[random.below(pool.len() as u64) as usize]);
            } else {
                for _ in 0..10 + random.below(40) {
                    *unique += 1;
                    keys.push(*unique);
                }
            }
        }
        keys.iter()
            .enumerate()
            .map(|(n, &key)| DupToken {
                key,
                line: n as u32 / 3 + 1,
            })
            .collect()
    }

    #[test]
    fn an_update_gives_what_the_whole_pass_gives_after_every_edit() {
        let random = Random(Cell::new(0x9e37_79b9_7f4a_7c15));
        let mut unique = 1000u32;
        let mut content = 0u128;
        let pool: Vec<Vec<u32>> = (0..6)
            .map(|_| {
                (0..25 + random.below(30))
                    .map(|_| 3 + random.below(60) as u32)
                    .collect()
            })
            .collect();
        let mut store = Store::default();
        let mut new_file = |store: &mut Store, unique: &mut u32| {
            content += 1;
            let stream = stream(&random, &pool, unique);
            store.streams.insert(content, stream.clone());
            File {
                stream,
                content,
                out: false,
            }
        };
        let (mut updates, mut grown, mut largest) = (0, 0, 0);
        for round in 0..60 {
            // 30 slots, 24 files to begin with.
            let mut slots: Vec<Option<File>> = (0..30)
                .map(|i| (i % 5 != 2).then(|| new_file(&mut store, &mut unique)))
                .collect();
            let mut record = full(&slots);
            for edit in 0..6 {
                let mut fresh: Vec<bool> = vec![false; 30];
                let mut changed = 0;
                for _ in 0..1 + random.below(3) {
                    let i = random.below(30) as usize;
                    changed += usize::from(!fresh[i]);
                    fresh[i] = true;
                    // Mostly a new stream; now and then a file added, deleted, or taken out
                    // of the pass (or back in).
                    slots[i] = match (random.below(10), slots[i].take()) {
                        (0, _) => None,
                        (1, Some(file)) => Some(File {
                            out: !file.out,
                            ..file
                        }),
                        _ => Some(new_file(&mut store, &mut unique)),
                    };
                }
                let (report, files, settings) = project(&slots);
                let now = states(&report, &files, &settings);
                let fresh: Vec<Option<&[DupToken]>> = report
                    .files
                    .iter()
                    .zip(&files)
                    .map(|(f, file)| {
                        let slot: usize = f.path[1..3].parse().unwrap();
                        fresh[slot].then_some(file.stream.as_slice())
                    })
                    .collect();
                let mut updated = update(&settings, &record, now, &fresh, &store)
                    .expect("every stream is stored and the part is small");
                updated
                    .record
                    .groups
                    .sort_by(|a, b| a.fragments.cmp(&b.fragments));
                assert_eq!(updated.record, full(&slots), "round {round}, edit {edit}");
                updates += 1;
                grown += usize::from(updated.redone > changed);
                largest = largest.max(updated.redone);
                // The next edit updates the updated record.
                record = updated.record;
            }
        }
        assert_eq!(updates, 360);
        // The part grew past the changed files through shared code in about half the edits,
        // and stayed well short of every file.
        assert_eq!(grown, 154, "parts that grew, of 360");
        assert!(largest < 20, "a part of {largest} files");
    }

    #[test]
    fn a_lost_stream_gives_up() {
        let random = Random(Cell::new(7));
        let mut unique = 0;
        let mut file = |content| File {
            stream: stream(&random, &[], &mut unique),
            content,
            out: false,
        };
        let (a, b) = (file(1), file(2));
        let record = full(&[Some(a.clone()), Some(b.clone())]);
        let slots = [Some(a.clone()), Some(file(3))];
        let (report, files, settings) = project(&slots);
        let fresh = [None, Some(files[1].stream.as_slice())];
        let mut store = Store::default();
        store.streams.insert(1, a.stream.clone());
        store.streams.insert(3, files[1].stream.clone());
        // f01's old stream (2) is gone.
        let now = states(&report, &files, &settings);
        assert!(update(&settings, &record, now, &fresh, &store).is_none());
        store.streams.insert(2, b.stream);
        let now = states(&report, &files, &settings);
        let updated = update(&settings, &record, now, &fresh, &store).expect("stored");
        assert_eq!(updated.redone, 1);
        assert_eq!(updated.record, full(&slots));
    }
}
