//! A file's clone-detection tokens, carried in a shard's report (`--report-fingerprints`) so
//! that `qgate merge` finds the clones that cross shards exactly as one run would.
//!
//! Compact and lossless: `keys` is the base64 of each token's 32-bit key (little-endian),
//! `lines` the base64 of each token's line as an unsigned LEB128 delta from the previous
//! token's line (tokens come in source order, so lines never decrease).

use data_encoding::BASE64;
use serde::{Deserialize, Serialize};

use crate::model::DupToken;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TokenFingerprints {
    /// Base64 of the tokens' keys, 4 bytes each, little-endian.
    pub keys: String,
    /// Base64 of the tokens' lines, each an unsigned LEB128 delta from the line before.
    pub lines: String,
}

/// Why a report's fingerprints cannot be read back.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("not base64")]
    Base64,
    #[error("the keys are not a whole number of 4-byte values")]
    KeyLength,
    #[error("{lines} line deltas for {keys} keys")]
    Count { keys: usize, lines: usize },
    #[error("a line delta is cut short or too large")]
    Delta,
}

impl TokenFingerprints {
    pub fn encode(tokens: &[DupToken]) -> Self {
        let mut keys = Vec::with_capacity(tokens.len() * 4);
        let mut lines = Vec::with_capacity(tokens.len());
        let mut previous = 0u32;
        for t in tokens {
            keys.extend_from_slice(&t.key.to_le_bytes());
            let mut delta = t.line.saturating_sub(previous);
            previous = t.line;
            loop {
                let byte = (delta & 0x7f) as u8;
                delta >>= 7;
                if delta == 0 {
                    lines.push(byte);
                    break;
                }
                lines.push(byte | 0x80);
            }
        }
        Self {
            keys: BASE64.encode(&keys),
            lines: BASE64.encode(&lines),
        }
    }

    pub fn decode(&self) -> Result<Vec<DupToken>, DecodeError> {
        let keys = BASE64
            .decode(self.keys.as_bytes())
            .map_err(|_| DecodeError::Base64)?;
        let deltas = BASE64
            .decode(self.lines.as_bytes())
            .map_err(|_| DecodeError::Base64)?;
        if keys.len() % 4 != 0 {
            return Err(DecodeError::KeyLength);
        }
        let mut lines = Vec::with_capacity(keys.len() / 4);
        let (mut line, mut delta, mut shift) = (0u32, 0u32, 0u32);
        for byte in deltas {
            let bits = u32::from(byte & 0x7f);
            if shift > 28 || (shift == 28 && bits > 0x0f) {
                return Err(DecodeError::Delta);
            }
            delta |= bits << shift;
            if byte & 0x80 == 0 {
                line = line.checked_add(delta).ok_or(DecodeError::Delta)?;
                lines.push(line);
                (delta, shift) = (0, 0);
            } else {
                shift += 7;
            }
        }
        if shift != 0 {
            return Err(DecodeError::Delta);
        }
        if lines.len() * 4 != keys.len() {
            return Err(DecodeError::Count {
                keys: keys.len() / 4,
                lines: lines.len(),
            });
        }
        Ok(keys
            .chunks_exact(4)
            .zip(lines)
            .map(|(k, line)| DupToken {
                key: u32::from_le_bytes([k[0], k[1], k[2], k[3]]),
                line,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(key: u32, line: u32) -> DupToken {
        DupToken { key, line }
    }

    #[test]
    fn round_trips_keys_and_lines() {
        let tokens = vec![
            token(0, 1),
            token(u32::MAX, 1),
            token(7, 2),
            token(0x1234_5678, 200),
            token(9, 70_000),
            token(10, u32::MAX),
        ];
        let encoded = TokenFingerprints::encode(&tokens);
        assert_eq!(encoded.decode(), Ok(tokens));
    }

    #[test]
    fn small_files_encode_to_short_strings() {
        let encoded = TokenFingerprints::encode(&[token(1, 1), token(2, 1), token(3, 130)]);
        // Deltas 1, 0, 129 → 01 00 81 01.
        assert_eq!(encoded.lines, "AQCBAQ==");
        assert_eq!(encoded.keys, "AQAAAAIAAAADAAAA");
        assert_eq!(TokenFingerprints::encode(&[]).decode(), Ok(vec![]));
    }

    #[test]
    fn damaged_fingerprints_are_errors_not_panics() {
        let good = TokenFingerprints::encode(&[token(1, 1), token(2, 3)]);
        let with = |keys: &str, lines: &str| TokenFingerprints {
            keys: keys.to_owned(),
            lines: lines.to_owned(),
        };
        assert_eq!(with("%%", &good.lines).decode(), Err(DecodeError::Base64));
        assert_eq!(
            with("AQAA", &good.lines).decode(),
            Err(DecodeError::KeyLength)
        );
        assert_eq!(
            with(&good.keys, "AQ==").decode(),
            Err(DecodeError::Count { keys: 2, lines: 1 })
        );
        // A continuation byte with nothing after it; a sixth LEB128 byte.
        assert_eq!(with(&good.keys, "gA==").decode(), Err(DecodeError::Delta));
        assert_eq!(with("", "gICAgIAB").decode(), Err(DecodeError::Delta));
    }
}
