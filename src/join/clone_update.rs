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
use rustc_hash::FxHashSet;

use crate::join::clone_record::{FileState, Record};
use crate::join::clones::{self, DuplicationSettings, Found};
use crate::metrics::duplication::{self, Windows};
use crate::model::{DupToken, Language};
use crate::report::Report;

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

/// The clone result among `report.files` now, from `record` (the last result, of the same
/// files and settings) and `now` (each file's hashes; its stream is `fresh` when this run
/// analysed it, else stored), or `None` when the update cannot be made (the whole pass must
/// run). The clone tokens of `now` are not read: they are the record's, or the new stream's.
pub fn update(
    report: &Report,
    settings: &DuplicationSettings,
    record: &Record,
    mut now: Vec<FileState>,
    fresh: &[Option<&[DupToken]>],
    stored: &dyn StoredStreams,
) -> Option<Updated> {
    if record.files.len() != now.len() || fresh.len() != now.len() {
        return None;
    }
    let current = |i: usize, now: &[FileState]| -> Option<Vec<DupToken>> {
        match fresh[i] {
            Some(tokens) => Some(tokens.to_vec()),
            None => stored.tokens(now[i].content),
        }
    };
    let windows = Windows::new(settings.limits());
    let mut redone: FxHashSet<usize> = FxHashSet::default();
    let mut groups = Vec::new();
    for language in [Language::Python, Language::Rust] {
        let members = clones::members(report, settings, language);
        let changed: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| record.files[i].stream != now[i].stream)
            .collect();
        if changed.is_empty() {
            continue;
        }
        // The hashes of the part: the changed files' old and new windows, then those of every
        // file found sharing one.
        let mut hashes = PartHashes::default();
        let mut keys = Vec::new();
        for &i in &changed {
            stored.keys(record.files[i].content, &mut keys)?;
            hashes.add(&keys, windows);
            let new: Vec<u32> = current(i, &now)?.iter().map(|t| t.key).collect();
            hashes.add(&new, windows);
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
            }
            part.extend(joining);
        }
        part.sort_unstable();
        let streams: Vec<Vec<DupToken>> = part
            .iter()
            .map(|&i| current(i, &now))
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
    for g in &record.groups {
        let inside = g.fragments.iter().filter(|f| redone.contains(&f.0)).count();
        match inside {
            0 => groups.push(g.clone()),
            // A group both inside and outside the part cannot be: the record is not what the
            // pass found.
            n if n != g.fragments.len() => return None,
            _ => {}
        }
    }
    // A file outside every part kept its stream, or takes no part.
    for (i, state) in now.iter_mut().enumerate() {
        if !redone.contains(&i) {
            state.clone_tokens = record.files[i].clone_tokens;
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
    use crate::join::clones::Located;
    use crate::model::{FileModel, LineCounts};
    use crate::report::build::file_report;

    /// The streams a cache would hold, by content hash, counting the streams read whole.
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

    fn settings() -> DuplicationSettings {
        DuplicationSettings {
            min_tokens: 20,
            min_lines: 2,
            normalize: duplication::Normalize::None,
            excluded: globset::GlobSet::empty(),
            max_reported_clones: usize::MAX,
            max_reported_fragments: usize::MAX,
        }
    }

    fn report(languages: &[Language]) -> Report {
        let mut report = Report::new(String::new(), Default::default());
        for (i, &language) in languages.iter().enumerate() {
            let extension = if language == Language::Python {
                "py"
            } else {
                "rs"
            };
            let mut model = FileModel::new(language, LineCounts::default());
            report
                .files
                .push(file_report(&format!("f{i:02}.{extension}"), &mut model));
        }
        report
    }

    /// The whole pass's result over `streams`, as the cache records it (content `contents`).
    fn full(report: &Report, streams: &[Vec<DupToken>], contents: &[u128]) -> Record {
        let refs: Vec<&[DupToken]> = streams.iter().map(Vec::as_slice).collect();
        let settings = settings();
        let found = clones::detect(report, &refs, &settings);
        let mut groups: Vec<Located> = found
            .iter()
            .flat_map(|f| clones::locate(&refs, f))
            .collect();
        groups.sort_by(|a, b| a.fragments.cmp(&b.fragments));
        let tokens = clones::clone_tokens(report, &refs, &settings);
        let files = contents
            .iter()
            .zip(tokens)
            .map(|(&content, clone_tokens)| FileState {
                content,
                stream: content,
                clone_tokens,
            })
            .collect();
        Record { files, groups }
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

    /// A file: pieces of a shared pool (so files share code) and tokens of its own, three
    /// tokens a line.
    fn file(random: &Random, pool: &[Vec<u32>], unique: &mut u32) -> Vec<DupToken> {
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
        let pool: Vec<Vec<u32>> = (0..6)
            .map(|_| {
                (0..25 + random.below(30))
                    .map(|_| 3 + random.below(60) as u32)
                    .collect()
            })
            .collect();
        let (mut updated_runs, mut grown, mut largest) = (0, 0, 0);
        for round in 0..60 {
            let languages: Vec<Language> = (0..24)
                .map(|i| {
                    if i % 5 == 4 {
                        Language::Rust
                    } else {
                        Language::Python
                    }
                })
                .collect();
            let report = report(&languages);
            let mut streams: Vec<Vec<DupToken>> =
                (0..24).map(|_| file(&random, &pool, &mut unique)).collect();
            let mut contents: Vec<u128> = (0..24).map(|i| (round * 100 + i) as u128).collect();
            let mut store = Store::default();
            store
                .streams
                .extend(contents.iter().copied().zip(streams.clone()));
            let mut record = full(&report, &streams, &contents);
            let mut next_content = 1_000_000u128 * (round as u128 + 1);
            for edit in 0..6 {
                let mut fresh: Vec<Option<Vec<DupToken>>> = vec![None; 24];
                let mut changed = 0;
                for _ in 0..1 + random.below(3) {
                    let i = random.below(24) as usize;
                    changed += usize::from(fresh[i].is_none());
                    let new = file(&random, &pool, &mut unique);
                    next_content += 1;
                    contents[i] = next_content;
                    streams[i] = new.clone();
                    store.streams.insert(next_content, new.clone());
                    fresh[i] = Some(new);
                }
                let now: Vec<FileState> = contents
                    .iter()
                    .map(|&c| FileState {
                        content: c,
                        stream: c,
                        clone_tokens: None,
                    })
                    .collect();
                let fresh: Vec<Option<&[DupToken]>> = fresh.iter().map(Option::as_deref).collect();
                let mut updated = update(&report, &settings(), &record, now, &fresh, &store)
                    .expect("every stream is stored and the part is small");
                updated
                    .record
                    .groups
                    .sort_by(|a, b| a.fragments.cmp(&b.fragments));
                let expected = full(&report, &streams, &contents);
                assert_eq!(updated.record, expected, "round {round}, edit {edit}");
                updated_runs += 1;
                grown += usize::from(updated.redone > changed);
                largest = largest.max(updated.redone);
                // The next edit updates the updated record.
                record = updated.record;
            }
        }
        assert_eq!(updated_runs, 360);
        // Most parts are a few files: the update does not fall back to redoing everything.
        // The part grew past the changed files through shared code in half the edits, and stayed
        // well short of every file.
        assert_eq!(grown, 187, "parts that grew, of 360");
        assert!(largest < 20, "a part of {largest} files");
    }

    #[test]
    fn a_lost_stream_or_another_set_of_files_gives_up() {
        let report = report(&[Language::Python, Language::Python]);
        let random = Random(Cell::new(7));
        let mut unique = 0;
        let streams: Vec<Vec<DupToken>> = (0..2).map(|_| file(&random, &[], &mut unique)).collect();
        let record = full(&report, &streams, &[1, 2]);
        let state = |content| FileState {
            content,
            stream: content,
            clone_tokens: None,
        };
        let mut store = Store::default();
        store.streams.insert(1, streams[0].clone());
        store.streams.insert(3, streams[1].clone());
        // File 1 changed (content 2 → 3) and its old stream (2) is gone.
        let fresh = [None, Some(streams[1].as_slice())];
        let now = vec![state(1), state(3)];
        assert!(update(&report, &settings(), &record, now, &fresh, &store).is_none());
        store.streams.insert(2, streams[1].clone());
        let now = vec![state(1), state(3)];
        let updated = update(&report, &settings(), &record, now, &fresh, &store).expect("stored");
        assert_eq!(updated.redone, 1);
        // A record of other files.
        let now = vec![state(1)];
        assert!(update(&report, &settings(), &record, now, &fresh[..1], &store).is_none());
    }
}
