//! Stable identities for findings: what a baseline matches on and what SARIF's
//! `partialFingerprints` carry. A fingerprint is made of the rule, the path and the text of the
//! flagged line without whitespace — not its line number — so it survives code moving above it
//! and re-indentation. Identical lines flagged by one rule in one file are told apart by their
//! order.
//!
//! The hash is FNV-1a (64 bit), written out here because it must give the same value in every
//! qgate build: std's `DefaultHasher` promises no such thing, and FxHash is tuned for speed, not
//! stability.

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(hash, |h, &b| (h ^ u64::from(b)).wrapping_mul(PRIME))
}

/// The hash of one line's text, whitespace left out.
pub fn line_hash(line: &str) -> u64 {
    line.bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .fold(OFFSET, |h, b| (h ^ u64::from(b)).wrapping_mul(PRIME))
}

/// Hashes of every line of `text` in order, lines broken where the line index breaks them
/// (`\n`, `\r\n` and a lone `\r`).
pub fn line_hashes(text: &str) -> Vec<u64> {
    // One pass over the bytes: this runs on every analysed file.
    let bytes = text.as_bytes();
    let mut hashes = Vec::with_capacity(bytes.len() / 32);
    let mut hash = OFFSET;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                hashes.push(hash);
                hash = OFFSET;
            }
            b'\r' => {
                hashes.push(hash);
                hash = OFFSET;
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            b' ' | b'\t' | b'\x0c' => {}
            b => hash = (hash ^ u64::from(b)).wrapping_mul(PRIME),
        }
        i += 1;
    }
    if !matches!(bytes.last(), None | Some(b'\n' | b'\r')) {
        hashes.push(hash);
    }
    hashes
}

/// A finding's fingerprint: 16 hex digits of the hash of rule, path and line hash, then `:` and
/// the occurrence (1 for the first such line in the file, 2 for the next identical one, …).
pub fn finding(rule: &str, path: &str, line_hash: u64, occurrence: u32) -> String {
    let mut h = fnv1a(OFFSET, rule.as_bytes());
    h = fnv1a(h, &[0]);
    h = fnv1a(h, path.as_bytes());
    h = fnv1a(h, &[0]);
    h = fnv1a(h, &line_hash.to_le_bytes());
    format!("{h:016x}:{occurrence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_never_change() {
        // FNV-1a's published test vector: "a" → af63dc4c8601ec8c.
        assert_eq!(fnv1a(OFFSET, b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(line_hash("    x = 1"), line_hash("x=1"));
        assert_ne!(line_hash("x = 1"), line_hash("x = 2"));
        assert_eq!(
            finding("B101", "a.py", line_hash("assert x"), 1),
            finding("B101", "a.py", line_hash("  assert   x"), 1)
        );
    }

    #[test]
    fn rule_path_and_occurrence_tell_findings_apart() {
        let h = line_hash("assert x");
        let base = finding("B101", "a.py", h, 1);
        assert_ne!(base, finding("B102", "a.py", h, 1));
        assert_ne!(base, finding("B101", "b.py", h, 1));
        assert_ne!(base, finding("B101", "a.py", h, 2));
        assert!(base.ends_with(":1") && base.len() == 18, "{base}");
    }

    #[test]
    fn the_one_pass_agrees_with_hashing_each_line() {
        let text = "  def f(x):\r\n\treturn x  \n\n\x0cy = 1\x0b\rz";
        let lines = ["  def f(x):", "\treturn x  ", "", "\x0cy = 1\x0b", "z"];
        assert_eq!(line_hashes(text), lines.map(line_hash));
    }

    #[test]
    fn lines_break_like_the_line_index() {
        assert_eq!(
            line_hashes("a\nb\r\nc\rd"),
            ["a", "b", "c", "d"].map(line_hash)
        );
        assert_eq!(line_hashes("a\n"), [line_hash("a")]);
        assert_eq!(line_hashes(""), Vec::<u64>::new());
        assert_eq!(line_hashes("\n\n"), [line_hash(""), line_hash("")]);
    }
}
