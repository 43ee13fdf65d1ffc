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
    line_hash_bytes(line.as_bytes())
}

fn line_hash_bytes(line: &[u8]) -> u64 {
    line.iter()
        .filter(|b| !b.is_ascii_whitespace())
        .fold(OFFSET, |h, &b| (h ^ u64::from(b)).wrapping_mul(PRIME))
}

/// Hashes of the 1-based `wanted` lines of `text` (ascending, duplicates allowed), in the
/// order asked; a line past the end has none. Only the wanted lines are hashed.
pub fn hashes_of_lines(text: &[u8], wanted: &[u32]) -> Vec<Option<u64>> {
    let mut out = Vec::with_capacity(wanted.len());
    let (mut line, mut start) = (1u32, 0usize);
    for &want in wanted {
        while line < want && start < text.len() {
            start = match memchr::memchr2(b'\n', b'\r', &text[start..]) {
                Some(p) => {
                    let at = start + p;
                    at + if text[at..].starts_with(b"\r\n") {
                        2
                    } else {
                        1
                    }
                }
                None => text.len(),
            };
            line += 1;
        }
        // Line `want` exists when it was reached before the end (`x\n` has no line 2).
        if line != want || start >= text.len() {
            out.push(None);
            continue;
        }
        let end = memchr::memchr2(b'\n', b'\r', &text[start..]).map_or(text.len(), |p| start + p);
        out.push(Some(line_hash_bytes(&text[start..end])));
    }
    out
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

/// The fingerprint without the path: what a baseline matches a finding on once its file was
/// renamed or moved.
pub fn content(rule: &str, line_hash: u64, occurrence: u32) -> String {
    let mut h = fnv1a(OFFSET, rule.as_bytes());
    h = fnv1a(h, &[1]);
    h = fnv1a(h, &line_hash.to_le_bytes());
    format!("{h:016x}:{occurrence}")
}

/// FNV-1a of `bytes`: the same value in every build and on every platform.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    fnv1a(OFFSET, bytes)
}

/// A stable hash of a sequence of 32-bit keys (a clone's normalised tokens), as 16 hex digits.
pub fn keys_hash(keys: impl Iterator<Item = u32>) -> String {
    let h = keys.fold(OFFSET, |h, k| fnv1a(h, &k.to_le_bytes()));
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line's hash in one pass: the reference [`hashes_of_lines`] must agree with.
    fn line_hashes(text: &str) -> Vec<u64> {
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
    fn wanted_lines_hash_as_every_line_does() {
        let text = "a\r\n  b\rc\n\nd";
        let all = line_hashes(text);
        let got = hashes_of_lines(text.as_bytes(), &[1, 2, 2, 4, 5, 6]);
        assert_eq!(
            got,
            [
                Some(all[0]),
                Some(all[1]),
                Some(all[1]),
                Some(all[3]),
                Some(all[4]),
                None
            ]
        );
        assert_eq!(hashes_of_lines(b"x\n", &[2]), [None]);
        assert_eq!(hashes_of_lines(b"", &[1]), [None]);
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
