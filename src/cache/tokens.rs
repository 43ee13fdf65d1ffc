//! A file's duplication token stream, packed for the cache: each token's key as four
//! little-endian bytes (keys are hashes: as a varint most would take five), then the change of
//! its line from the previous token's as a zigzag LEB128 varint (one byte almost always). So
//! most tokens take five bytes, and unpacking is a tight loop, not serde's visitor, and only
//! done when the clone pass has to run again.

use crate::model::DupToken;

pub fn pack(tokens: &[DupToken]) -> Vec<u8> {
    let mut out = Vec::with_capacity(tokens.len() * 5);
    let mut line = 0u32;
    for t in tokens {
        out.extend_from_slice(&t.key.to_le_bytes());
        // Zigzag: a stream is in source order, but nothing here relies on it.
        let delta = i64::from(t.line) - i64::from(line);
        put_varint(&mut out, ((delta << 1) ^ (delta >> 63)) as u64);
        line = t.line;
    }
    out
}

/// The stream `pack` wrote, or `None` when the bytes are not one (never a panic).
pub fn unpack(mut bytes: &[u8]) -> Option<Vec<DupToken>> {
    let mut tokens = Vec::with_capacity(bytes.len() / 5);
    let mut line = 0i64;
    while let Some((key, rest)) = bytes.split_first_chunk::<4>() {
        bytes = rest;
        let zigzag = take_varint(&mut bytes)?;
        line += (zigzag >> 1) as i64 ^ -((zigzag & 1) as i64);
        tokens.push(DupToken {
            key: u32::from_le_bytes(*key),
            line: u32::try_from(line).ok()?,
        });
    }
    // A key cut short.
    bytes.is_empty().then_some(tokens)
}

/// The keys alone of the stream `pack` wrote, into `keys` (cleared first): what the clone
/// pass hashes, without the lines. `None` when the bytes are not a stream.
pub fn unpack_keys(mut bytes: &[u8], keys: &mut Vec<u32>) -> Option<()> {
    keys.clear();
    keys.reserve(bytes.len() / 5);
    while let Some((key, rest)) = bytes.split_first_chunk::<4>() {
        bytes = rest;
        take_varint(&mut bytes)?;
        keys.push(u32::from_le_bytes(*key));
    }
    bytes.is_empty().then_some(())
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
        assert_eq!(unpack(&[]), Some(vec![]));
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
        assert_eq!(packed.len(), 500);
        assert_eq!(&packed[..5], &[0, 0, 0, 0, 2]);
        assert_eq!(unpack(&packed), Some(tokens));
    }

    #[test]
    fn cut_or_overlong_bytes_are_refused() {
        let packed = pack(&[DupToken { key: 1000, line: 5 }]);
        assert_eq!(packed, [0xe8, 0x03, 0, 0, 10]);
        for n in 1..packed.len() {
            assert_eq!(unpack(&packed[..n]), None, "cut to {n}");
            assert_eq!(
                unpack_keys(&packed[..n], &mut Vec::new()),
                None,
                "cut to {n}"
            );
        }
        // A line change of eleven continued bytes, and a line below 0.
        let mut overlong = vec![1, 0, 0, 0];
        overlong.extend([0xff; 11]);
        assert_eq!(unpack(&overlong), None);
        assert_eq!(unpack(&[1, 0, 0, 0, 3]), None);
    }
}
