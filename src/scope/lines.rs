//! Moving line numbers across a diff: the `--staged` change is read in the index's version of
//! a file and shown in the working tree's.

/// One hunk of a diff with no context lines, in git's numbering: `old_lines == 0` inserts after
/// old line `old_start`; otherwise old lines `old_start ..= old_start + old_lines - 1` are
/// replaced by `new_lines` lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hunk {
    pub old_start: u32,
    pub old_lines: u32,
    pub new_lines: u32,
}

/// Where the old-side `ranges` (inclusive, ascending) are on the new side: lines a hunk
/// replaced are dropped, the others shifted by the hunks before them.
pub fn remap(ranges: &[[u32; 2]], hunks: &[Hunk]) -> Vec<[u32; 2]> {
    let mut out: Vec<[u32; 2]> = Vec::new();
    for line in ranges.iter().flat_map(|&[a, b]| a..=b) {
        let mut shift: i64 = 0;
        let mut replaced = false;
        for h in hunks {
            let before = if h.old_lines == 0 {
                h.old_start < line
            } else {
                h.old_start + h.old_lines - 1 < line
            };
            if before {
                shift += i64::from(h.new_lines) - i64::from(h.old_lines);
            } else if h.old_lines > 0 && h.old_start <= line {
                replaced = true;
            }
        }
        if replaced {
            continue;
        }
        let Ok(moved) = u32::try_from(i64::from(line) + shift) else {
            continue;
        };
        match out.last_mut() {
            Some(last) if last[1] + 1 == moved => last[1] = moved,
            _ => out.push([moved, moved]),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_shift_past_insertions_and_deletions_and_drop_when_replaced() {
        let hunks = [
            // Two lines inserted after line 2.
            Hunk {
                old_start: 2,
                old_lines: 0,
                new_lines: 2,
            },
            // Line 5 replaced by three lines.
            Hunk {
                old_start: 5,
                old_lines: 1,
                new_lines: 3,
            },
            // Lines 8-9 deleted.
            Hunk {
                old_start: 8,
                old_lines: 2,
                new_lines: 0,
            },
        ];
        assert_eq!(remap(&[[1, 2]], &hunks), [[1, 2]]);
        assert_eq!(remap(&[[3, 4]], &hunks), [[5, 6]]);
        assert_eq!(remap(&[[4, 6]], &hunks), [[6, 6], [10, 10]]);
        assert_eq!(remap(&[[7, 10]], &hunks), [[11, 12]]);
        assert_eq!(remap(&[[1, 3]], &[]), [[1, 3]]);
    }
}
