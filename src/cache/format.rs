//! The cache file's bytes: a header naming the format, the qgate version and the settings key,
//! then a checksummed body of entries (path, content hash, encoded analysis) and the clone
//! result. Every length is checked against what is left, so a truncated or forged file is an
//! error, never an out-of-bounds read or a huge allocation.

use rustc_hash::FxHashMap;

use super::{Clones, ContentHash, Entry, FileStat};

const MAGIC: &[u8; 12] = b"qgate-cache\n";
/// Bumped when the layout or any stored type changes shape.
const FORMAT_VERSION: u32 = 2;
const QGATE_VERSION: &str = env!("CARGO_PKG_VERSION");

pub fn encode<'a>(
    settings_key: ContentHash,
    entries: impl Iterator<Item = (&'a String, &'a Entry)>,
    clones: Option<&Clones>,
) -> Vec<u8> {
    let mut body = Vec::new();
    // Sorted: the same cache content gives the same bytes.
    let mut sorted: Vec<(&String, &Entry)> = entries.collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
    body.extend_from_slice(&(sorted.len() as u64).to_le_bytes());
    for (path, entry) in sorted {
        put_bytes(&mut body, path.as_bytes());
        body.extend_from_slice(&entry.hash.to_le_bytes());
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
        put_bytes(&mut body, &entry.blob);
        put_bytes(&mut body, &entry.tokens);
    }
    match clones {
        Some(c) => {
            body.push(1);
            body.extend_from_slice(&c.key.to_le_bytes());
            put_bytes(&mut body, &c.blob);
        }
        None => body.push(0),
    }

    let mut out = Vec::with_capacity(body.len() + 64);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    put_bytes(&mut out, QGATE_VERSION.as_bytes());
    out.extend_from_slice(&settings_key.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(&body).to_le_bytes());
    out.extend_from_slice(&body);
    out
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    out.extend_from_slice(bytes);
}

type Decoded = (FxHashMap<String, Entry>, Option<Clones>);

/// The entries and clone result of a cache file written for `settings_key`, or why it cannot
/// be trusted.
pub fn decode(bytes: &[u8], settings_key: ContentHash) -> Result<Decoded, String> {
    let mut r = Reader { rest: bytes };
    if r.take(MAGIC.len()) != Some(MAGIC.as_slice()) {
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
    let corrupt = || "corrupt cache body".to_owned();
    let mut r = Reader { rest: body };
    let count = r.u64().ok_or_else(corrupt)?;
    let mut entries = FxHashMap::default();
    for _ in 0..count {
        let path = r.bytes().ok_or_else(corrupt)?;
        let path = std::str::from_utf8(path).map_err(|_| corrupt())?.to_owned();
        let hash = r.u128().ok_or_else(corrupt)?;
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
        let tokens = r.bytes().ok_or_else(corrupt)?.to_vec();
        entries.insert(
            path,
            Entry {
                hash,
                stat,
                blob,
                tokens,
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
                stat: Some(FileStat {
                    len: 3,
                    modified_ns: -1,
                    changed_ns: i64::MAX,
                    inode: 77,
                }),
                blob: vec![1, 2, 3],
                tokens: vec![4, 5],
            },
        );
        entries.insert(
            "b/c.rs".to_owned(),
            Entry {
                hash: u128::MAX,
                stat: None,
                blob: vec![],
                tokens: vec![],
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
        assert_eq!(entries["a.py"].tokens, vec![4, 5]);
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

    #[test]
    fn another_version_or_other_settings_are_refused_by_name() {
        let bytes = sample();
        assert_eq!(
            decode(&bytes, 43).unwrap_err(),
            "written for other settings"
        );
        let mut old = Vec::new();
        old.extend_from_slice(MAGIC);
        old.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        put_bytes(&mut old, b"0.0.1");
        assert_eq!(
            decode(&old, 42).unwrap_err(),
            format!("written by qgate 0.0.1 (cache format 2), this is {QGATE_VERSION}")
        );
    }
}
