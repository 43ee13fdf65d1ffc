//! The clone result as the cache keeps it: every clone group (not only the reported ones) and,
//! for each file, what the result was computed from — the hash of its bytes (to find its token
//! stream again), the hash of its packed stream, and its clone tokens. A later run whose files
//! differ in a few streams updates it ([`super::clone_update`]) instead of detecting again.
//!
//! Bytes, not JSON: a million lines are thousands of groups and files. Every length is checked
//! against what is left, so damaged bytes decode to `None`, never a panic.

use crate::join::clones::Located;
use crate::model::Language;

/// One file as the clone result saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileState {
    pub path: String,
    /// The file's language when it takes part in clone detection.
    pub member: Option<Language>,
    /// The hash of the file's bytes (the cache's `ContentHash`): its stream is stored under it.
    pub content: u128,
    /// The hash of its packed token stream: the result depends on nothing else of the file.
    pub stream: u128,
    /// Its stream's length when it takes part.
    pub clone_tokens: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// By index into the report's files.
    pub files: Vec<FileState>,
    pub groups: Vec<Located>,
}

const NO_TOKENS: u32 = u32::MAX;

impl Record {
    /// The record of `groups` found among `files`, whose clone tokens are `clone_tokens`.
    pub fn new(
        mut files: Vec<FileState>,
        groups: Vec<Located>,
        clone_tokens: &[Option<u32>],
    ) -> Self {
        for (file, &tokens) in files.iter_mut().zip(clone_tokens) {
            file.clone_tokens = tokens;
        }
        Self { files, groups }
    }

    /// Whether it was computed from `files` as they are: the same paths, each the same member
    /// with the same stream (clone tokens are not compared: they follow from the stream).
    pub fn has_files(&self, files: &[FileState]) -> bool {
        self.files.len() == files.len()
            && self
                .files
                .iter()
                .zip(files)
                .all(|(a, b)| (&a.path, a.member, a.stream) == (&b.path, b.member, b.stream))
    }

    /// Each file's clone tokens.
    pub fn clone_tokens(&self) -> Vec<Option<u32>> {
        self.files.iter().map(|f| f.clone_tokens).collect()
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 + self.files.len() * 64 + self.groups.len() * 64);
        put_u32(&mut out, self.files.len() as u32);
        for f in &self.files {
            put_u32(&mut out, f.path.len() as u32);
            out.extend_from_slice(f.path.as_bytes());
            out.push(match f.member {
                None => 0,
                Some(Language::Python) => 1,
                Some(Language::Rust) => 2,
            });
            out.extend_from_slice(&f.content.to_le_bytes());
            out.extend_from_slice(&f.stream.to_le_bytes());
            put_u32(&mut out, f.clone_tokens.unwrap_or(NO_TOKENS));
        }
        put_u32(&mut out, self.groups.len() as u32);
        for g in &self.groups {
            put_u32(&mut out, g.tokens);
            put_u32(&mut out, g.hash.len() as u32);
            out.extend_from_slice(g.hash.as_bytes());
            put_u32(&mut out, g.fragments.len() as u32);
            for &(file, first, last) in &g.fragments {
                for n in [file as u32, first, last] {
                    put_u32(&mut out, n);
                }
            }
        }
        out
    }

    /// The record `encode` wrote, or `None` when the bytes are not one (or name a file beyond
    /// those it lists).
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        let mut r = Reader(bytes);
        let file_count = r.u32()? as usize;
        let mut files = Vec::with_capacity(file_count.min(r.0.len() / 41));
        for _ in 0..file_count {
            let path_len = r.u32()? as usize;
            let path = String::from_utf8(r.take(path_len)?.to_vec()).ok()?;
            let member = match r.take(1)? {
                [0] => None,
                [1] => Some(Language::Python),
                [2] => Some(Language::Rust),
                _ => return None,
            };
            let content = r.u128()?;
            let stream = r.u128()?;
            let tokens = r.u32()?;
            files.push(FileState {
                path,
                member,
                content,
                stream,
                clone_tokens: (tokens != NO_TOKENS).then_some(tokens),
            });
        }
        let group_count = r.u32()? as usize;
        let mut groups = Vec::with_capacity(group_count.min(r.0.len() / 12));
        for _ in 0..group_count {
            let tokens = r.u32()?;
            let hash_len = r.u32()? as usize;
            let hash = String::from_utf8(r.take(hash_len)?.to_vec()).ok()?;
            let fragment_count = r.u32()? as usize;
            let mut fragments = Vec::with_capacity(fragment_count.min(r.0.len() / 12));
            for _ in 0..fragment_count {
                let file = r.u32()? as usize;
                if file >= files.len() {
                    return None;
                }
                fragments.push((file, r.u32()?, r.u32()?));
            }
            groups.push(Located {
                tokens,
                hash,
                fragments,
            });
        }
        r.0.is_empty().then_some(Self { files, groups })
    }
}

fn put_u32(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(&n.to_le_bytes());
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        if n > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u128(&mut self) -> Option<u128> {
        Some(u128::from_le_bytes(self.take(16)?.try_into().ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        Record {
            files: vec![
                FileState {
                    path: "a.py".into(),
                    member: Some(Language::Python),
                    content: 1 << 100,
                    stream: 7,
                    clone_tokens: Some(120),
                },
                FileState {
                    path: "src/é.rs".into(),
                    member: None,
                    content: 2,
                    stream: u128::MAX,
                    clone_tokens: None,
                },
            ],
            groups: vec![Located {
                tokens: 60,
                hash: "00ff00ff00ff00ff".into(),
                fragments: vec![(0, 3, 20), (0, 40, 57)],
            }],
        }
    }

    #[test]
    fn a_record_round_trips() {
        let r = record();
        let bytes = r.encode();
        assert_eq!(
            bytes.len(),
            4 + (4 + 4 + 37) + (4 + 9 + 37) + 4 + 4 + 4 + 16 + 4 + 2 * 12
        );
        assert_eq!(Record::decode(&bytes), Some(r));
        let empty = Record {
            files: vec![],
            groups: vec![],
        };
        assert_eq!(Record::decode(&empty.encode()), Some(empty));
    }

    #[test]
    fn damaged_bytes_are_refused() {
        let bytes = record().encode();
        for n in 0..bytes.len() {
            assert_eq!(Record::decode(&bytes[..n]), None, "cut to {n}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(Record::decode(&longer), None);
        // A fragment naming a third file of two.
        let mut beyond = record();
        beyond.groups[0].fragments[1].0 = 2;
        assert_eq!(Record::decode(&beyond.encode()), None);
        // A language that is not one.
        let mut language = bytes.clone();
        assert_eq!(language[12], 1);
        language[12] = 3;
        assert_eq!(Record::decode(&language), None);
        // A count far beyond the bytes allocates nothing up front.
        let mut huge = vec![0xff, 0xff, 0xff, 0xff];
        huge.extend([0; 8]);
        assert_eq!(Record::decode(&huge), None);
    }
}
