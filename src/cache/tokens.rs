//! A file's duplication token stream, packed for the cache: each token's key and the change of
//! its line from the previous token's, as LEB128 varints. Lines rarely change by more than one,
//! so most tokens take three or four bytes, and unpacking is a tight loop, not serde's visitor,
//! and only done when the clone pass has to run again.

use crate::model::DupToken;

pub fn pack(tokens: &[DupToken]) -> Vec<u8> {
    let mut out = Vec::with_capacity(tokens.len() * 4);
    let mut line = 0u32;
    for t in tokens {
        put_varint(&mut out, u64::from(t.key));
        // Zigzag: a stream is in source order, but nothing here relies on it.
        let delta = i64::from(t.line) - i64::from(line);
        put_varint(&mut out, ((delta << 1) ^ (delta >> 63)) as u64);
        line = t.line;
    }
    out
}

/// The stream `pack` wrote, or `None` when the bytes are not one (never a panic).
pub fn unpack(mut bytes: &[u8]) -> Option<Vec<DupToken>> {
    let mut tokens = Vec::with_capacity(bytes.len() / 3);
    let mut line = 0i64;
    while !bytes.is_empty() {
        let key = u32::try_from(take_varint(&mut bytes)?).ok()?;
        let zigzag = take_varint(&mut bytes)?;
        line += (zigzag >> 1) as i64 ^ -((zigzag & 1) as i64);
        tokens.push(DupToken {
            key,
            line: u32::try_from(line).ok()?,
        });
    }
    Some(tokens)
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
    }

    #[test]
    fn a_small_stream_packs_to_two_bytes_a_token() {
        let tokens: Vec<DupToken> = (0..100)
            .map(|i| DupToken {
                key: i % 90,
                line: 1 + i / 10,
            })
            .collect();
        assert_eq!(pack(&tokens).len(), 200);
    }

    #[test]
    fn cut_or_overlong_bytes_are_refused() {
        let packed = pack(&[DupToken { key: 1000, line: 5 }]);
        for n in 1..packed.len() {
            assert_eq!(unpack(&packed[..n]), None, "cut to {n}");
        }
        assert_eq!(unpack(&[0xff; 11]), None);
        // A key past u32 and a line below 1… below 0.
        assert_eq!(unpack(&[0x80, 0x80, 0x80, 0x80, 0x10, 0]), None);
        assert_eq!(unpack(&[1, 3]), None);
    }
}
