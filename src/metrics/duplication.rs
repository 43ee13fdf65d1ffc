//! Clone detection over token streams (DEFINITIONS.md "duplication", §3.9).
//!
//! Front ends turn each file into [`DupToken`]s — comments and formatting dropped, identifiers
//! and literals replaced by placeholders when `normalize` asks — so the same code formatted or
//! commented differently is the same stream. Detection is Rabin–Karp over windows of tokens,
//! in linear expected time:
//!
//! 1. every window of `W = min_tokens − (STRIDE − 1)` tokens gets a rolling hash; its first
//!    few occurrences are remembered, but only at positions that are a multiple of [`STRIDE`] in
//!    their file (a quarter of the memory), which still guarantees that any common run of
//!    `min_tokens` tokens contains a remembered window;
//! 2. a later window whose hash was seen is compared token by token with each remembered
//!    occurrence and extended backwards and forwards as far as the tokens agree; the longest
//!    match wins (a hash collision extends nowhere);
//! 3. a match of at least `min_tokens` tokens spanning at least `min_lines` lines is a clone;
//!    two fragments of one file may not overlap; scanning resumes at the first window reaching
//!    past the match (only remembering windows until it is passed), so the work is linear in
//!    the number of tokens;
//! 4. clones sharing their first fragment form one group: three copies are one clone with
//!    three fragments.

use rustc_hash::FxHashMap;

use crate::metrics::fingerprint::stable_hash;
use crate::model::DupToken;

/// What `[duplication] normalize` replaces before comparing tokens.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    serde::Deserialize,
    serde::Serialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Normalize {
    /// Tokens compare by their text.
    #[default]
    None,
    /// String and number literals compare equal to each other.
    Literals,
    /// Identifiers and literals compare equal to each other: finds renamed copies.
    Identifiers,
}

/// What a token is, for normalisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenClass {
    /// Keywords, operators, punctuation, layout (Python NEWLINE/INDENT/DEDENT): always by text.
    Syntax,
    Identifier,
    Literal,
}

/// The key of a token with this text and class, under `normalize`. A stable hash (FNV-1a), so
/// a clone's identity in a baseline (`metrics::fingerprint::keys_hash` of its keys) means the
/// same to every qgate build.
#[inline]
pub fn token_key(text: &[u8], class: TokenClass, normalize: Normalize) -> u32 {
    let h = match (class, normalize) {
        (TokenClass::Identifier, Normalize::Identifiers) => stable_hash(&[1]),
        (TokenClass::Literal, Normalize::Literals | Normalize::Identifiers) => stable_hash(&[2]),
        _ => stable_hash(text),
    };
    // Keys 0..=2 are reserved for barriers; fold the 64-bit hash into the rest.
    ((h ^ (h >> 32)) as u32).max(3)
}

/// The pieces of a multi-line string, as a code lexer would cut them (jscpd reads docstrings
/// so): runs of letters, digits and `_`, and every other visible character on its own, with
/// their byte offsets.
pub fn pieces(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        loop {
            let start = at;
            let (class, width) = class_at(text, at)?;
            at += width;
            match class {
                Class::Space => continue,
                Class::Other => return Some((start, &text[start..at])),
                Class::Word => {}
            }
            // The rest of the word; ASCII letters without decoding (docstrings are mostly ASCII).
            loop {
                match bytes.get(at) {
                    Some(&b) if b.is_ascii_alphanumeric() || b == b'_' => at += 1,
                    Some(&b) if b.is_ascii() => break,
                    Some(_) => match class_at(text, at) {
                        Some((Class::Word, width)) => at += width,
                        _ => break,
                    },
                    None => break,
                }
            }
            return Some((start, &text[start..at]));
        }
    })
}

/// What a character is to [`pieces`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Space,
    /// A letter, digit or `_`.
    Word,
    Other,
}

/// The class and byte width of the character at byte `at` of `text` (a character boundary).
#[inline(always)]
fn class_at(text: &str, at: usize) -> Option<(Class, usize)> {
    let byte = *text.as_bytes().get(at)?;
    let c = if byte.is_ascii() {
        char::from(byte)
    } else {
        text[at..].chars().next()?
    };
    let class = if c.is_whitespace() {
        Class::Space
    } else if c.is_alphanumeric() || c == '_' {
        Class::Word
    } else {
        Class::Other
    };
    Some((class, c.len_utf8()))
}

/// A token that matches nothing (it ends any window): stands where a suppressed region was.
pub const BARRIER: u32 = 0;

/// Window positions remembered: one in [`STRIDE`].
pub const STRIDE: usize = 4;

/// Settings of one detection run.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub min_tokens: usize,
    pub min_lines: u32,
}

/// A run of tokens `start..end` in file `file` (an index into the input).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: u32,
    pub start: u32,
    pub end: u32,
}

/// A clone: the first occurrence and every later copy of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub tokens: u32,
    pub fragments: Vec<Span>,
}

/// Finds clones among `files` (token streams of one language, in a stable order).
pub fn detect(files: &[&[DupToken]], limits: Limits) -> Vec<Group> {
    let tokens: usize = files.iter().map(|f| f.len()).sum();
    let mut detector = Detector::with_capacity(limits, tokens);
    for f in 1..=files.len() {
        detector.scan_last(&files[..f]);
    }
    detector.groups()
}

/// The clone pass over one language, a file at a time in a stable order: the matches found in
/// a file depend only on the files before it, so it can run while later files are analysed.
pub struct Detector {
    min_tokens: usize,
    min_lines: u32,
    windows: Windows,
    seen: Seen,
    pairs: Vec<(Span, Span)>,
}

impl Detector {
    pub fn new(limits: Limits) -> Self {
        Self {
            min_tokens: limits.min_tokens.max(STRIDE + 1),
            min_lines: limits.min_lines,
            windows: Windows::new(limits),
            seen: Seen::default(),
            pairs: Vec::new(),
        }
    }

    /// A detector for files of `tokens` tokens in all: at most one window in [`STRIDE`] is
    /// remembered, so its table never grows (rehashing) then.
    pub fn with_capacity(limits: Limits, tokens: usize) -> Self {
        let mut detector = Self::new(limits);
        detector.seen.table.reserve(tokens / STRIDE);
        detector
    }

    /// Scans the last of `files` against itself and every file before it; each earlier file
    /// must have been scanned so, in order.
    pub fn scan_last<T: AsRef<[DupToken]>>(&mut self, files: &[T]) {
        if files.is_empty() {
            return;
        }
        let f = (files.len() - 1) as u32;
        let tokens: &[DupToken] = files[f as usize].as_ref();
        let (min_tokens, window) = (self.min_tokens, self.windows.window);
        if tokens.len() < window {
            return;
        }
        let hashes = rolling_hashes(tokens, self.windows);
        // End of the last clone found in this file: fragments of one file do not overlap.
        let mut done_until = 0usize;
        // A match too short at one alignment is as short at every later position of that
        // alignment: (earlier file, offset between the runs, end of the run).
        let mut rejected: Option<(u32, isize, usize)> = None;
        // Inside a clone: alignments (earlier file, offset) already paired, and how many more
        // may be tried.
        let mut explored: Vec<(u32, isize)> = Vec::new();
        let mut alternatives_left = 0usize;
        let is_clone = |m: &Match, tokens: &[DupToken], other: &[DupToken]| {
            m.len >= min_tokens
                && lines(tokens, m.start_b, m.len) >= self.min_lines
                && lines(other, m.start_a, m.len) >= self.min_lines
        };
        let mut i = 0usize;
        while i < hashes.len() {
            let Some(h) = hashes[i] else {
                i += 1;
                continue;
            };
            let here = (f, i as u32);
            let remember = i.is_multiple_of(STRIDE);
            // The occurrences before this window; it is remembered among them from here on.
            let Some(occurrences) = self.seen.visit(h, here, remember) else {
                i += 1;
                continue;
            };
            if i < done_until {
                // Inside the clone just found: remember its windows too (a later copy may share
                // more with this one than with the earlier one), and pair it with a few other
                // earlier copies that align differently (three copies of one function that
                // differ at the edges are three overlapping pairs, not one).
                for &(g, j) in occurrences.as_slice() {
                    let alignment = (g, i as isize - j as isize);
                    if alternatives_left == 0
                        || explored.contains(&alignment)
                        || (g == f && j as usize >= i)
                    {
                        continue;
                    }
                    alternatives_left -= 1;
                    explored.push(alignment);
                    let other = files[g as usize].as_ref();
                    let m = extend(tokens, i, other, j as usize, 0, (g == f).then_some(()));
                    if is_clone(&m, tokens, other) {
                        self.pairs.push(spans(g, f, &m));
                        done_until = done_until.max(m.start_b + m.len);
                    }
                }
                i += 1;
                continue;
            }
            // Every remembered occurrence long enough to be a clone with this one is reported
            // (copies of one text are found in every pairing the windows allow); the longest
            // decides how far scanning skips.
            let mut longest: Option<Match> = None;
            let mut found = false;
            for &(g, j) in occurrences.as_slice() {
                let offset = i as isize - j as isize;
                if rejected.is_some_and(|(rg, ro, until)| rg == g && ro == offset && i < until) {
                    continue;
                }
                let other = files[g as usize].as_ref();
                let m = extend(
                    tokens,
                    i,
                    other,
                    j as usize,
                    done_until,
                    (g == f).then_some(()),
                );
                if is_clone(&m, tokens, other) {
                    self.pairs.push(spans(g, f, &m));
                    explored.push((g, offset));
                    found = true;
                } else {
                    rejected = Some((g, offset, m.start_b + m.len));
                }
                if longest
                    .as_ref()
                    .is_none_or(|l| m.start_b + m.len > l.start_b + l.len)
                {
                    longest = Some(m);
                }
            }
            let Some(m) = longest else {
                i += 1;
                continue;
            };
            if found {
                done_until = m.start_b + m.len;
                alternatives_left = MAX_OCCURRENCES;
                explored.clear();
                for &(g, j) in occurrences.as_slice() {
                    explored.push((g, i as isize - j as isize));
                }
                i = (i + 1).max(done_until + 1 - window);
            } else {
                // Windows lying wholly inside a rejected run are as short in lines; skipping
                // them keeps one-line runs (minified code, one token repeated) linear.
                i = (i + 1).max((m.start_b + m.len + 1).saturating_sub(window));
            }
        }
    }

    /// The clones found, three copies of one text one group, the largest first.
    pub fn groups(self) -> Vec<Group> {
        let mut out = group(self.pairs);
        out.sort_by(|x, y| {
            y.tokens
                .cmp(&x.tokens)
                .then_with(|| x.fragments.cmp(&y.fragments))
        });
        out
    }
}

/// The pair of spans a match between `a` (earlier file `g`) and `b` (file `f`) covers.
fn spans(g: u32, f: u32, m: &Match) -> (Span, Span) {
    let a = Span {
        file: g,
        start: m.start_a as u32,
        end: (m.start_a + m.len) as u32,
    };
    let b = Span {
        file: f,
        start: m.start_b as u32,
        end: (m.start_b + m.len) as u32,
    };
    (a, b)
}

/// Earlier occurrences a window is compared with: bounds the work on text repeated everywhere.
pub const MAX_OCCURRENCES: usize = 8;

/// Occurrences remembered per window hash: at most [`MAX_OCCURRENCES`], the earliest first,
/// so a later copy is compared with a few earlier ones and keeps the longest match (the first
/// occurrence alone may share only that window). Most windows occur once: the table holds one
/// packed occurrence per hash (16-byte entries, so more of it stays in cache), or the index of
/// a list in `lists` for the few that repeat.
#[derive(Default)]
struct Seen {
    table: FxHashMap<u64, u64>,
    lists: Vec<Vec<(u32, u32)>>,
}

/// Marks a table value as an index into `Seen::lists`. File indices stay below it (`pack`).
const LIST: u64 = 1 << 63;

fn pack((file, position): (u32, u32)) -> u64 {
    debug_assert!(u64::from(file) << 32 < LIST);
    (u64::from(file) << 32) | u64::from(position)
}

fn unpack(value: u64) -> (u32, u32) {
    ((value >> 32) as u32, value as u32)
}

/// A copy of the occurrences a window found.
struct Found {
    len: usize,
    items: [(u32, u32); MAX_OCCURRENCES],
}

impl Found {
    fn as_slice(&self) -> &[(u32, u32)] {
        &self.items[..self.len]
    }
}

impl Seen {
    /// The occurrences remembered for `hash` before `here`; `here` joins them when `remember`
    /// (and the list has room).
    #[inline(always)] // one call per token: the scan's hot path (not inlined, the pass is 30 % slower)
    fn visit(&mut self, hash: u64, here: (u32, u32), remember: bool) -> Option<Found> {
        use std::collections::hash_map::Entry;
        if !remember {
            let value = *self.table.get(&hash)?;
            return Some(found(&self.lists, value));
        }
        match self.table.entry(hash) {
            Entry::Vacant(vacant) => {
                vacant.insert(pack(here));
                None
            }
            Entry::Occupied(mut occupied) => {
                let value = *occupied.get();
                let before = found(&self.lists, value);
                if value & LIST == 0 {
                    occupied.insert(LIST | self.lists.len() as u64);
                    self.lists.push(vec![unpack(value), here]);
                } else {
                    let list = &mut self.lists[(value & !LIST) as usize];
                    if list.len() < MAX_OCCURRENCES {
                        list.push(here);
                    }
                }
                Some(before)
            }
        }
    }
}

/// The occurrences a table value stands for.
fn found(lists: &[Vec<(u32, u32)>], value: u64) -> Found {
    let mut found = Found {
        len: 1,
        items: [(0, 0); MAX_OCCURRENCES],
    };
    if value & LIST == 0 {
        found.items[0] = unpack(value);
    } else {
        let list = &lists[(value & !LIST) as usize];
        found.len = list.len();
        found.items[..list.len()].copy_from_slice(list);
    }
    found
}

/// Joins pairs that share a fragment: `A~B` and `B~C` are one clone of three fragments. (Which
/// earlier copy a later one is matched with depends on which windows were remembered.)
fn group(pairs: Vec<(Span, Span)>) -> Vec<Group> {
    let mut index: FxHashMap<Span, usize> = FxHashMap::default();
    let mut spans: Vec<Span> = Vec::new();
    let mut id = |s: Span, spans: &mut Vec<Span>| {
        *index.entry(s).or_insert_with(|| {
            spans.push(s);
            spans.len() - 1
        })
    };
    let ids: Vec<(usize, usize)> = pairs
        .iter()
        .map(|&(a, b)| (id(a, &mut spans), id(b, &mut spans)))
        .collect();
    let mut parent: Vec<usize> = (0..spans.len()).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for (a, b) in ids {
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        parent[ra.max(rb)] = ra.min(rb);
    }
    let mut members: FxHashMap<usize, Vec<Span>> = FxHashMap::default();
    for (k, span) in spans.iter().enumerate() {
        members.entry(root(&mut parent, k)).or_default().push(*span);
    }
    members
        .into_values()
        .map(|mut fragments| {
            fragments.sort();
            let tokens = fragments.iter().map(|s| s.end - s.start).min().unwrap_or(0);
            Group { tokens, fragments }
        })
        .collect()
}

/// Multiplier of the polynomial rolling hash (odd, so powers never vanish modulo 2⁶⁴).
const BASE: u64 = 0x100_0000_01B3;

fn pow(base: u64, exp: usize) -> u64 {
    (0..exp).fold(1u64, |acc, _| acc.wrapping_mul(base))
}

/// Hash of every window of tokens; `None` for windows holding a barrier.
#[inline(always)]
fn rolling_hashes(tokens: &[DupToken], windows: Windows) -> Vec<Option<u64>> {
    let mut out = Vec::with_capacity(tokens.len() + 1 - windows.window);
    windows.each(
        tokens,
        |t| t.key,
        |h| {
            out.push(h);
            true
        },
    );
    debug_assert_eq!(out.len(), tokens.len() + 1 - windows.window);
    out
}

/// The windows a detection run hashes: their length, `W = min_tokens − (STRIDE − 1)`, and the
/// rolling hash's power for it.
#[derive(Clone, Copy, Debug)]
pub struct Windows {
    window: usize,
    power: u64,
}

impl Windows {
    pub fn new(limits: Limits) -> Self {
        let window = limits.min_tokens.max(STRIDE + 1) - (STRIDE - 1);
        Self {
            window,
            power: pow(BASE, window - 1),
        }
    }

    /// Calls `each` with the hash of every window of `items` (by `key`), in order, `None` for
    /// one holding a barrier, until it returns false. The hashes the clone pass compares: a
    /// file none of whose hashes another file has cannot take part in a clone with it.
    #[inline(always)]
    pub fn each<T: Copy>(
        self,
        items: &[T],
        key: impl Fn(T) -> u32,
        each: impl FnMut(Option<u64>) -> bool,
    ) {
        // Most streams hold no barrier: counting them is a vectorised loop (one that stops at
        // the first would not be), and spares every window the count.
        if items.iter().filter(|&&t| key(t) == BARRIER).count() == 0 {
            self.roll::<false, T>(items, key, each);
        } else {
            self.roll::<true, T>(items, key, each);
        }
    }

    /// [`Self::each`], counting the barriers in the window only when there may be some.
    #[inline(always)]
    fn roll<const BARRIERS: bool, T: Copy>(
        self,
        items: &[T],
        key: impl Fn(T) -> u32,
        mut each: impl FnMut(Option<u64>) -> bool,
    ) {
        let (window, power) = (self.window, self.power);
        if items.len() < window {
            return;
        }
        let mut h = 0u64;
        let mut barriers = 0usize;
        for &t in &items[..window] {
            let new = key(t);
            h = h.wrapping_mul(BASE).wrapping_add(u64::from(new));
            barriers += usize::from(BARRIERS && new == BARRIER);
        }
        if !each((barriers == 0).then_some(h)) {
            return;
        }
        // Each step drops the token leaving the window and adds the one entering it; pairing
        // them by zip leaves no index to check.
        for (&leaving, &entering) in items.iter().zip(&items[window..]) {
            let (old, new) = (key(leaving), key(entering));
            h = h
                .wrapping_sub(u64::from(old).wrapping_mul(power))
                .wrapping_mul(BASE)
                .wrapping_add(u64::from(new));
            if BARRIERS {
                barriers = barriers + usize::from(new == BARRIER) - usize::from(old == BARRIER);
            }
            if !each((barriers == 0).then_some(h)) {
                return;
            }
        }
    }
}

/// A match between `b[start_b..]` (the file being scanned) and `a[start_a..]` (earlier).
struct Match {
    start_a: usize,
    start_b: usize,
    len: usize,
}

/// Extends a window match at `b[i]` ~ `a[j]` as far as the tokens agree, backwards (not before
/// `floor` in `b`) and forwards. In one file (`same`), the two fragments may not overlap.
fn extend(
    b: &[DupToken],
    i: usize,
    a: &[DupToken],
    j: usize,
    floor: usize,
    same: Option<()>,
) -> Match {
    let equal = |x: &DupToken, y: &DupToken| x.key == y.key && x.key != BARRIER;
    let mut back = 0;
    while i > back + floor && j > back && equal(&b[i - back - 1], &a[j - back - 1]) {
        back += 1;
    }
    let (start_b, start_a) = (i - back, j - back);
    // In one file, `a` is the earlier occurrence: [start_a, +len) must end before start_b. The
    // cap is applied before comparing, so a long run of one token is not compared again and
    // again (quadratic) at every position.
    let cap = match same {
        Some(()) if start_a >= start_b => 0,
        Some(()) => start_b - start_a,
        None => usize::MAX,
    };
    let mut len = 0;
    while len < cap
        && start_b + len < b.len()
        && start_a + len < a.len()
        && equal(&b[start_b + len], &a[start_a + len])
    {
        len += 1;
    }
    Match {
        start_a,
        start_b,
        len,
    }
}

/// Lines spanned by `tokens[start..start + len]`.
fn lines(tokens: &[DupToken], start: usize, len: usize) -> u32 {
    if len == 0 {
        return 0;
    }
    tokens[start + len - 1].line - tokens[start].line + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A token stream from words, one line per `;`-separated chunk.
    fn stream(text: &str) -> Vec<DupToken> {
        let mut out = Vec::new();
        for (n, line) in text.split(';').enumerate() {
            for word in line.split_whitespace() {
                let key = if word == "|" {
                    BARRIER
                } else {
                    token_key(word.as_bytes(), TokenClass::Syntax, Normalize::None)
                };
                out.push(DupToken {
                    key,
                    line: n as u32 + 1,
                });
            }
        }
        out
    }

    fn words(n: usize, salt: &str) -> String {
        (0..n).map(|k| format!("{salt}{k} ; ")).collect()
    }

    const LIMITS: Limits = Limits {
        min_tokens: 10,
        min_lines: 3,
    };

    #[test]
    fn pieces_are_words_and_single_characters_in_any_script() {
        // Non-ASCII letters join a word, non-ASCII spaces (NBSP, U+2028) part words, and a dash
        // or an emoji is a piece of its own; offsets are bytes.
        let text = "naïve_1 café\u{a0}x\u{2028}—😀日本語 a\x1cb";
        let got: Vec<(usize, &str)> = pieces(text).collect();
        assert_eq!(
            got,
            [
                (0, "naïve_1"),
                (9, "café"),
                (16, "x"),
                (20, "—"),
                (23, "😀"),
                (27, "日本語"),
                (37, "a"),
                (38, "\x1c"),
                (39, "b"),
            ]
        );
        assert_eq!(pieces(" \t\n").count(), 0);
    }

    #[test]
    fn every_window_is_hashed_as_a_whole_and_one_holding_a_barrier_is_none() {
        let windows = Windows::new(LIMITS);
        assert_eq!(windows.window, 7);
        // Each window's polynomial hash worked out on its own, not rolled.
        let direct = |keys: &[u32]| -> Vec<Option<u64>> {
            keys.windows(7)
                .map(|w| {
                    (!w.contains(&BARRIER)).then(|| {
                        w.iter().fold(0u64, |h, &k| {
                            h.wrapping_mul(BASE).wrapping_add(u64::from(k))
                        })
                    })
                })
                .collect()
        };
        let rolled = |keys: &[u32]| {
            let mut out = Vec::new();
            windows.each(
                keys,
                |k| k,
                |h| {
                    out.push(h);
                    true
                },
            );
            out
        };
        let plain: Vec<u32> = (0..20)
            .map(|k| 0x9e37_79b9u32.wrapping_mul(k + 3))
            .collect();
        let mut barred = plain.clone();
        barred[9] = BARRIER;
        for keys in [&plain, &barred] {
            assert_eq!(rolled(keys), direct(keys));
        }
        let hashes = rolled(&barred);
        assert_eq!(hashes.len(), 14);
        // Windows 3 to 9 hold the barrier.
        let none: Vec<usize> = (0..14).filter(|&i| hashes[i].is_none()).collect();
        assert_eq!(none, [3, 4, 5, 6, 7, 8, 9]);
        assert_eq!(rolled(&plain[..6]), []);
        // Stopped by the callback after the third window.
        let mut calls = 0;
        windows.each(
            &plain,
            |k| k,
            |_| {
                calls += 1;
                calls < 3
            },
        );
        assert_eq!(calls, 3);
    }

    #[test]
    fn a_window_finds_the_occurrences_before_it_and_the_earliest_eight_are_kept() {
        let mut seen = Seen::default();
        let found = |f: Option<Found>| f.map(|f| f.as_slice().to_vec());
        assert!(seen.visit(7, (0, 0), true).is_none());
        // A window not remembered finds, and adds nothing.
        assert_eq!(found(seen.visit(7, (0, 1), false)), Some(vec![(0, 0)]));
        assert_eq!(found(seen.visit(7, (0, 2), false)), Some(vec![(0, 0)]));
        for k in 1..12u32 {
            let before = seen.visit(7, (1, 4 * k), true).map(|f| f.len);
            assert_eq!(before, Some(k.min(8) as usize));
        }
        let kept: Vec<(u32, u32)> = std::iter::once((0, 0))
            .chain((1..8).map(|k| (1, 4 * k)))
            .collect();
        assert_eq!(found(seen.visit(7, (2, 0), false)), Some(kept));
        assert!(seen.visit(8, (2, 1), false).is_none());
        assert!(seen.visit(8, (2, 4), true).is_none());
        assert_eq!(found(seen.visit(8, (3, 0), false)), Some(vec![(2, 4)]));
    }

    #[test]
    fn two_identical_files_are_one_clone_of_two_fragments() {
        let a = stream(&words(30, "w"));
        let groups = detect(&[&a, &a.clone()], LIMITS);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].tokens, 30);
        assert_eq!(
            groups[0].fragments,
            [
                Span {
                    file: 0,
                    start: 0,
                    end: 30
                },
                Span {
                    file: 1,
                    start: 0,
                    end: 30
                }
            ]
        );
    }

    #[test]
    fn three_copies_are_one_clone_of_three_fragments() {
        let body = words(20, "x");
        let files: Vec<Vec<DupToken>> = ["a", "bb", "ccc"]
            .iter()
            .map(|pad| {
                stream(&format!(
                    "{} {body} {}",
                    words(pad.len(), pad),
                    words(2, pad)
                ))
            })
            .collect();
        let refs: Vec<&[DupToken]> = files.iter().map(Vec::as_slice).collect();
        let groups = detect(&refs, LIMITS);
        assert_eq!(groups.len(), 1, "{groups:?}");
        let starts: Vec<(u32, u32, u32)> = groups[0]
            .fragments
            .iter()
            .map(|s| (s.file, s.start, s.end))
            .collect();
        assert_eq!(starts, [(0, 1, 21), (1, 2, 22), (2, 3, 23)]);
    }

    #[test]
    fn short_matches_are_not_clones() {
        let a = stream(&format!("{} {}", words(9, "s"), words(20, "a")));
        let b = stream(&format!("{} {}", words(9, "s"), words(20, "b")));
        assert!(detect(&[&a, &b], LIMITS).is_empty());
        // Long enough in tokens but on too few lines.
        let one_line: String = (0..30).map(|k| format!("t{k} ")).collect();
        let (a, b) = (stream(&one_line), stream(&one_line));
        assert!(detect(&[&a, &b], LIMITS).is_empty());
    }

    #[test]
    fn a_match_is_extended_to_its_full_length() {
        let shared = words(40, "m");
        let a = stream(&format!("{} {shared} {}", words(5, "p"), words(5, "q")));
        let b = stream(&format!("{} {shared} {}", words(7, "r"), words(3, "s")));
        let groups = detect(&[&a, &b], LIMITS);
        assert_eq!(groups[0].tokens, 40);
        assert_eq!(
            groups[0].fragments[1],
            Span {
                file: 1,
                start: 7,
                end: 47
            }
        );
    }

    #[test]
    fn clones_within_one_file_do_not_overlap() {
        let body = words(15, "d");
        let a = stream(&format!("{body} {} {body}", words(3, "gap")));
        let groups = detect(&[&a], LIMITS);
        assert_eq!(groups.len(), 1);
        assert_eq!(
            groups[0].fragments,
            [
                Span {
                    file: 0,
                    start: 0,
                    end: 15
                },
                Span {
                    file: 0,
                    start: 18,
                    end: 33
                }
            ]
        );
    }

    #[test]
    fn a_repeated_token_gives_few_clones() {
        // Every position repeats every other: the work and the output stay bounded (a few
        // pairs per doubling of the clone length), not quadratic.
        let a = stream(&"x ; ".repeat(100_000));
        let groups = detect(&[&a], LIMITS);
        let pairs: usize = groups.iter().map(|g| g.fragments.len() - 1).sum();
        assert!(pairs < 400, "{pairs}");
        assert!(
            groups
                .iter()
                .flat_map(|g| &g.fragments)
                .all(|s| s.start < s.end && s.end as usize <= a.len())
        );
    }

    #[test]
    fn long_runs_of_one_token_stay_linear() {
        // One line: every window matches, nothing is a clone (too few lines), in linear time.
        let a = stream(&"x ".repeat(200_000));
        assert!(detect(&[&a], LIMITS).is_empty());
        let b = a.clone();
        assert!(detect(&[&a, &b], LIMITS).is_empty());
    }

    #[test]
    fn barriers_break_matches() {
        let body = words(16, "z");
        let a = stream(&body);
        let b = stream(&format!(
            "{} | {}",
            words(8, "z"),
            &body[body.find("z8").unwrap()..]
        ));
        assert!(detect(&[&a, &b], LIMITS).is_empty());
        let c = stream(&body);
        assert_eq!(detect(&[&a, &c], LIMITS).len(), 1);
    }

    #[test]
    fn normalisation_makes_renamed_copies_equal() {
        let key = |w: &str, c, n| token_key(w.as_bytes(), c, n);
        assert_ne!(
            key("a", TokenClass::Identifier, Normalize::None),
            key("b", TokenClass::Identifier, Normalize::None)
        );
        assert_eq!(
            key("a", TokenClass::Identifier, Normalize::Identifiers),
            key("b", TokenClass::Identifier, Normalize::Identifiers)
        );
        assert_ne!(
            key("a", TokenClass::Identifier, Normalize::Literals),
            key("b", TokenClass::Identifier, Normalize::Literals)
        );
        assert_eq!(
            key("1", TokenClass::Literal, Normalize::Literals),
            key("'x'", TokenClass::Literal, Normalize::Literals)
        );
        assert_ne!(
            key("if", TokenClass::Syntax, Normalize::Identifiers),
            key("for", TokenClass::Syntax, Normalize::Identifiers)
        );
        assert!(key("", TokenClass::Syntax, Normalize::None) > BARRIER);
    }
}
