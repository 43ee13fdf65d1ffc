//! A file's duplication token stream, packed for the cache: the number of tokens (four
//! little-endian bytes), every token's key as four little-endian bytes (keys are hashes: as a
//! varint most would take five), then the change of each token's line from the previous one's
//! as a zigzag LEB128 varint (one byte almost always). So most tokens take five bytes, the keys
//! alone (what the clone update hashes for every file) are one copy away, and unpacking is a
//! tight loop, not serde's visitor, done only when the clone pass has to run again.

use crate::model::DupToken;

pub fn pack(tokens: &[DupToken]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + tokens.len() * 5);
    // A stream longer than u32::MAX tokens is beyond any file qgate reads (max-file-size).
    out.extend_from_slice(&(tokens.len() as u32).to_le_bytes());
    for t in tokens {
        out.extend_from_slice(&t.key.to_le_bytes());
    }
    let mut line = 0u32;
    for t in tokens {
        // Zigzag: a stream is in source order, but nothing here relies on it.
        let delta = i64::from(t.line) - i64::from(line);
        put_varint(&mut out, ((delta << 1) ^ (delta >> 63)) as u64);
        line = t.line;
    }
    out
}

/// The keys and the line changes of a packed stream, or `None` when the bytes are too short
/// for the keys their count announces.
fn split(bytes: &[u8]) -> Option<(&[[u8; 4]], &[u8])> {
    let (count, rest) = bytes.split_first_chunk::<4>()?;
    let count = usize::try_from(u32::from_le_bytes(*count)).ok()?;
    let (keys, _) = rest.as_chunks::<4>();
    if keys.len() < count {
        return None;
    }
    Some((&keys[..count], &rest[count * 4..]))
}

/// The stream `pack` wrote, or `None` when the bytes are not one (never a panic).
pub fn unpack(bytes: &[u8]) -> Option<Vec<DupToken>> {
    let (keys, mut lines) = split(bytes)?;
    let mut tokens = Vec::with_capacity(keys.len());
    let mut line = 0i64;
    for key in keys {
        let zigzag = take_varint(&mut lines)?;
        line += (zigzag >> 1) as i64 ^ -((zigzag & 1) as i64);
        tokens.push(DupToken {
            key: u32::from_le_bytes(*key),
            line: u32::try_from(line).ok()?,
        });
    }
    // Nothing after the last line change.
    lines.is_empty().then_some(tokens)
}

/// The keys alone of the stream `pack` wrote, into `keys` (cleared first): what the clone
/// pass hashes, without the lines (which are not read, so not checked: the file's checksum
/// vouches for them, and [`unpack`] refuses them when they are needed and wrong). `None` when
/// the bytes are too short for the keys.
pub fn unpack_keys(bytes: &[u8], keys: &mut Vec<u32>) -> Option<()> {
    let (packed, _) = split(bytes)?;
    keys.clear();
    keys.extend(packed.iter().map(|k| u32::from_le_bytes(*k)));
    Some(())
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn take_varint(bytes: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = bytes.split_first()?;
        *bytes = rest;
        value |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_round_trips_through_extreme_values() {
        let tokens = vec![
            DupToken { key: 0, line: 1 },
            DupToken {
                key: u32::MAX,
                line: 1,
            },
            DupToken {
                key: 300,
                line: u32::MAX,
            },
            DupToken { key: 7, line: 2 },
        ];
        let packed = pack(&tokens);
        assert_eq!(unpack(&packed), Some(tokens));
        assert_eq!(pack(&[]), [0, 0, 0, 0]);
        assert_eq!(unpack(&[0, 0, 0, 0]), Some(vec![]));
        let mut keys = vec![9];
        assert_eq!(unpack_keys(&packed, &mut keys), Some(()));
        assert_eq!(keys, [0, u32::MAX, 300, 7]);
    }

    #[test]
    fn a_small_stream_packs_to_five_bytes_a_token() {
        let tokens: Vec<DupToken> = (0..100)
            .map(|i| DupToken {
                key: 0x9e37_79b9u32.wrapping_mul(i),
                line: 1 + i / 10,
            })
            .collect();
        let packed = pack(&tokens);
        assert_eq!(packed.len(), 4 + 500);
        // The count, the first two keys; the lines start after the hundredth key.
        assert_eq!(
            &packed[..12],
            &[100, 0, 0, 0, 0, 0, 0, 0, 0xb9, 0x79, 0x37, 0x9e]
        );
        assert_eq!(&packed[404..407], &[2, 0, 0]);
        assert_eq!(unpack(&packed), Some(tokens));
    }

    #[test]
    fn cut_or_overlong_bytes_are_refused() {
        let packed = pack(&[DupToken { key: 1000, line: 5 }]);
        assert_eq!(packed, [1, 0, 0, 0, 0xe8, 0x03, 0, 0, 10]);
        for n in 0..packed.len() {
            assert_eq!(unpack(&packed[..n]), None, "cut to {n}");
        }
        // The keys alone need the count and the keys, not the lines.
        for n in 0..8 {
            assert_eq!(
                unpack_keys(&packed[..n], &mut Vec::new()),
                None,
                "cut to {n}"
            );
        }
        let mut keys = Vec::new();
        assert_eq!(unpack_keys(&packed[..8], &mut keys), Some(()));
        assert_eq!(keys, [1000]);
        // A line change of eleven continued bytes, a line below 0, a byte after the last line
        // change, and a count of more keys than there are.
        let mut overlong = vec![1, 0, 0, 0, 1, 0, 0, 0];
        overlong.extend([0xff; 11]);
        assert_eq!(unpack(&overlong), None);
        assert_eq!(unpack(&[1, 0, 0, 0, 1, 0, 0, 0, 3]), None);
        assert_eq!(unpack(&[1, 0, 0, 0, 1, 0, 0, 0, 2, 0]), None);
        assert_eq!(unpack(&[2, 0, 0, 0, 1, 0, 0, 0, 2]), None);
        assert_eq!(unpack_keys(&[2, 0, 0, 0, 1, 0, 0, 0, 2], &mut keys), None);
    }
}
