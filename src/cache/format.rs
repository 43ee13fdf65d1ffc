//! The cache files' bytes. Each starts with a header naming the kind of file, the format, the
//! qgate version and the settings key, then a checksummed body:
//!
//! - the analysis file: entries (path, content hash, stream hash, stat, encoded analysis) and the clone
//!   result;
//! - the token file: packed token streams keyed by the content hash of the bytes they were
//!   computed from. A stream is a function of those bytes and the settings alone, so a token
//!   file from another run (two concurrent writers) can only lack a stream, never give a wrong
//!   one.
//!
//! Every length is checked against what is left, so a truncated or forged file is an error,
//! never an out-of-bounds read or a huge allocation.

use std::ops::Range;

use rustc_hash::FxHashMap;

use super::{Clones, ContentHash, Entry, FileStat};

const ANALYSIS_MAGIC: &[u8; 12] = b"qgate-cache\n";
const TOKENS_MAGIC: &[u8; 12] = b"qgate-token\n";
/// Bumped when the layout or any stored type changes shape.
const FORMAT_VERSION: u32 = 8;
const QGATE_VERSION: &str = env!("CARGO_PKG_VERSION");
/// An entry's bytes besides its path and blob: the path's length, the content and stream
/// hashes, the stat (a flag and four numbers) and the blob's length.
const ENTRY_FIXED: usize = 8 + 16 + 16 + 1 + 32 + 8;

pub fn encode<'a>(
    settings_key: ContentHash,
    entries: impl Iterator<Item = (&'a String, &'a Entry)>,
    clones: Option<&Clones>,
) -> Vec<u8> {
    // Sorted: the same cache content gives the same bytes.
    let mut sorted: Vec<(&String, &Entry)> = entries.collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
    // Every byte counted, the clone result's too: a buffer grown at the end would copy the
    // whole file and fault in twice its pages.
    let capacity = 8
        + sorted
            .iter()
            .map(|(p, e)| ENTRY_FIXED + p.len() + e.blob.len())
            .sum::<usize>()
        + clones.map_or(1, |c| 1 + 16 + 8 + c.blob.len());
    framed(ANALYSIS_MAGIC, settings_key, capacity, |body| {
        body.extend_from_slice(&(sorted.len() as u64).to_le_bytes());
        for (path, entry) in sorted {
            put_bytes(body, path.as_bytes());
            body.extend_from_slice(&entry.hash.to_le_bytes());
            body.extend_from_slice(&entry.stream_hash.to_le_bytes());
            match entry.stat {
                Some(stat) => {
                    body.push(1);
                    for n in [
                        stat.len,
                        stat.modified_ns as u64,
                        stat.changed_ns as u64,
                        stat.inode,
                    ] {
                        body.extend_from_slice(&n.to_le_bytes());
                    }
                }
                None => body.push(0),
            }
            put_bytes(body, &entry.blob);
        }
        match clones {
            Some(c) => {
                body.push(1);
                body.extend_from_slice(&c.key.to_le_bytes());
                put_bytes(body, &c.blob);
            }
            None => body.push(0),
        }
    })
}

/// The token file holding `streams` (content hash, packed stream), in hash order.
pub fn encode_tokens<'a>(
    settings_key: ContentHash,
    streams: impl Iterator<Item = (ContentHash, &'a [u8])>,
) -> Vec<u8> {
    let mut sorted: Vec<(ContentHash, &[u8])> = streams.collect();
    sorted.sort_unstable_by_key(|s| s.0);
    sorted.dedup_by_key(|s| s.0);
    let capacity = 8 + sorted.iter().map(|s| 24 + s.1.len()).sum::<usize>();
    framed(TOKENS_MAGIC, settings_key, capacity, |body| {
        body.extend_from_slice(&(sorted.len() as u64).to_le_bytes());
        for (hash, stream) in sorted {
            body.extend_from_slice(&hash.to_le_bytes());
            put_bytes(body, stream);
        }
    })
}

/// The header, then the body `write_body` appends, with its length and checksum filled in
/// afterwards (the body is tens of megabytes: it is not copied again).
fn framed(
    magic: &[u8; 12],
    settings_key: ContentHash,
    capacity: usize,
    write_body: impl FnOnce(&mut Vec<u8>),
) -> Vec<u8> {
    let mut out = Vec::with_capacity(capacity + 64);
    out.extend_from_slice(magic);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    put_bytes(&mut out, QGATE_VERSION.as_bytes());
    out.extend_from_slice(&settings_key.to_le_bytes());
    let sizes = out.len();
    out.extend_from_slice(&[0; 16]);
    let start = out.len();
    write_body(&mut out);
    let length = (out.len() - start) as u64;
    let checksum = xxhash_rust::xxh3::xxh3_64(&out[start..]);
    out[sizes..sizes + 8].copy_from_slice(&length.to_le_bytes());
    out[sizes + 8..start].copy_from_slice(&checksum.to_le_bytes());
    out
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// The body of a file `frame` wrote with `magic` for `settings_key`, and its offset in
/// `bytes`; or why it cannot be trusted.
fn unframe<'a>(
    bytes: &'a [u8],
    magic: &[u8; 12],
    settings_key: ContentHash,
) -> Result<(&'a [u8], usize), String> {
    let mut r = Reader { rest: bytes };
    if r.take(magic.len()) != Some(magic.as_slice()) {
        return Err("not a qgate cache file".to_owned());
    }
    let truncated = || "truncated cache file".to_owned();
    let format = r.u32().ok_or_else(truncated)?;
    let version = r.bytes().ok_or_else(truncated)?;
    if format != FORMAT_VERSION || version != QGATE_VERSION.as_bytes() {
        return Err(format!(
            "written by qgate {} (cache format {format}), this is {QGATE_VERSION}",
            String::from_utf8_lossy(version)
        ));
    }
    if r.u128().ok_or_else(truncated)? != settings_key {
        return Err("written for other settings".to_owned());
    }
    let length = r.u64().ok_or_else(truncated)?;
    let checksum = r.u64().ok_or_else(truncated)?;
    let offset = bytes.len() - r.rest.len();
    let body = usize::try_from(length)
        .ok()
        .and_then(|n| r.take(n))
        .ok_or_else(truncated)?;
    if !r.rest.is_empty() {
        return Err("trailing bytes after the cache's body".to_owned());
    }
    if xxhash_rust::xxh3::xxh3_64(body) != checksum {
        return Err("checksum mismatch (corrupt cache file)".to_owned());
    }
    Ok((body, offset))
}

type Decoded = (FxHashMap<String, Entry>, Option<Clones>);

/// The entries and clone result of an analysis file written for `settings_key`, or why it
/// cannot be trusted. The entries' token streams are in the token file.
pub fn decode(bytes: &[u8], settings_key: ContentHash) -> Result<Decoded, String> {
    let (body, _) = unframe(bytes, ANALYSIS_MAGIC, settings_key)?;
    let corrupt = || "corrupt cache body".to_owned();
    let mut r = Reader { rest: body };
    let count = r.u64().ok_or_else(corrupt)?;
    let mut entries = FxHashMap::default();
    for _ in 0..count {
        let path = r.bytes().ok_or_else(corrupt)?;
        let path = std::str::from_utf8(path).map_err(|_| corrupt())?.to_owned();
        let hash = r.u128().ok_or_else(corrupt)?;
        let stream_hash = r.u128().ok_or_else(corrupt)?;
        let stat = match r.take(1).ok_or_else(corrupt)? {
            [0] => None,
            [1] => Some(FileStat {
                len: r.u64().ok_or_else(corrupt)?,
                modified_ns: r.u64().ok_or_else(corrupt)? as i64,
                changed_ns: r.u64().ok_or_else(corrupt)? as i64,
                inode: r.u64().ok_or_else(corrupt)?,
            }),
            _ => return Err(corrupt()),
        };
        let blob = r.bytes().ok_or_else(corrupt)?.to_vec();
        entries.insert(
            path,
            Entry {
                hash,
                stream_hash,
                stat,
                blob,
                fresh_tokens: None,
            },
        );
    }
    let clones = match r.take(1).ok_or_else(corrupt)? {
        [0] => None,
        [1] => Some(Clones {
            key: r.u128().ok_or_else(corrupt)?,
            blob: r.bytes().ok_or_else(corrupt)?.to_vec(),
        }),
        _ => return Err(corrupt()),
    };
    if !r.rest.is_empty() {
        return Err(corrupt());
    }
    Ok((entries, clones))
}

/// Where each packed stream of a token file lies in `bytes`, by content hash; or why the file
/// cannot be trusted.
pub fn decode_tokens(
    bytes: &[u8],
    settings_key: ContentHash,
) -> Result<FxHashMap<ContentHash, Range<usize>>, String> {
    let (body, offset) = unframe(bytes, TOKENS_MAGIC, settings_key)?;
    let corrupt = || "corrupt cache body".to_owned();
    let mut r = Reader { rest: body };
    let count = r.u64().ok_or_else(corrupt)?;
    let mut ranges = FxHashMap::default();
    for _ in 0..count {
        let hash = r.u128().ok_or_else(corrupt)?;
        let stream = r.bytes().ok_or_else(corrupt)?;
        let start = offset + (body.len() - r.rest.len()) - stream.len();
        ranges.insert(hash, start..start + stream.len());
    }
    if !r.rest.is_empty() {
        return Err(corrupt());
    }
    Ok(ranges)
}

struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.rest.len() {
            return None;
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Some(head)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    fn u32(&mut self) -> Option<u32> {
        self.array().map(u32::from_le_bytes)
    }

    fn u64(&mut self) -> Option<u64> {
        self.array().map(u64::from_le_bytes)
    }

    fn u128(&mut self) -> Option<u128> {
        self.array().map(u128::from_le_bytes)
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = usize::try_from(self.u64()?).ok()?;
        self.take(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        let mut entries = FxHashMap::default();
        entries.insert(
            "a.py".to_owned(),
            Entry {
                hash: 1,
                stream_hash: 2,
                stat: Some(FileStat {
                    len: 3,
                    modified_ns: -1,
                    changed_ns: i64::MAX,
                    inode: 77,
                }),
                blob: vec![1, 2, 3],
                fresh_tokens: Some(vec![4, 5]),
            },
        );
        entries.insert(
            "b/c.rs".to_owned(),
            Entry {
                hash: u128::MAX,
                stream_hash: 0,
                stat: None,
                blob: vec![],
                fresh_tokens: None,
            },
        );
        let clones = Clones {
            key: 5,
            blob: b"{}".to_vec(),
        };
        encode(42, entries.iter(), Some(&clones))
    }

    #[test]
    fn a_cache_file_round_trips() {
        let (entries, clones) = decode(&sample(), 42).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries["a.py"].blob, vec![1, 2, 3]);
        assert_eq!(
            entries["a.py"].fresh_tokens, None,
            "streams are not in this file"
        );
        assert_eq!(
            entries["a.py"]
                .stat
                .map(|s| (s.modified_ns, s.changed_ns, s.inode)),
            Some((-1, i64::MAX, 77))
        );
        assert_eq!(entries["b/c.rs"].stat, None);
        assert_eq!(entries["b/c.rs"].hash, u128::MAX);
        assert_eq!(clones.unwrap().blob, b"{}".to_vec());
    }

    #[test]
    fn every_truncation_and_every_flipped_byte_is_refused() {
        let bytes = sample();
        for n in 0..bytes.len() {
            assert!(decode(&bytes[..n], 42).is_err(), "truncated to {n} bytes");
        }
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x40;
            assert!(decode(&bad, 42).is_err(), "byte {i} flipped");
        }
    }

    fn sample_tokens() -> Vec<u8> {
        let streams: [(ContentHash, &[u8]); 3] = [(9, &[1, 2, 3]), (u128::MAX, &[]), (4, &[7])];
        encode_tokens(42, streams.into_iter())
    }

    #[test]
    fn a_token_file_round_trips() {
        let bytes = sample_tokens();
        let ranges = decode_tokens(&bytes, 42).unwrap();
        assert_eq!(ranges.len(), 3);
        assert_eq!(&bytes[ranges[&9].clone()], &[1, 2, 3]);
        assert_eq!(&bytes[ranges[&4].clone()], &[7]);
        assert!(ranges[&u128::MAX].is_empty());
        for n in 0..bytes.len() {
            assert!(
                decode_tokens(&bytes[..n], 42).is_err(),
                "truncated to {n} bytes"
            );
        }
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x40;
            assert!(decode_tokens(&bad, 42).is_err(), "byte {i} flipped");
        }
    }

    #[test]
    fn one_kind_of_cache_file_is_not_read_as_the_other() {
        assert_eq!(
            decode(&sample_tokens(), 42).unwrap_err(),
            "not a qgate cache file"
        );
        assert_eq!(
            decode_tokens(&sample(), 42).unwrap_err(),
            "not a qgate cache file"
        );
    }

    #[test]
    fn another_version_or_other_settings_are_refused_by_name() {
        let bytes = sample();
        assert_eq!(
            decode(&bytes, 43).unwrap_err(),
            "written for other settings"
        );
        let mut old = Vec::new();
        old.extend_from_slice(ANALYSIS_MAGIC);
        old.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        put_bytes(&mut old, b"0.0.1");
        assert_eq!(
            decode(&old, 42).unwrap_err(),
            format!("written by qgate 0.0.1 (cache format 8), this is {QGATE_VERSION}")
        );
    }
}
