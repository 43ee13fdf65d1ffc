//! Sets of line numbers stored compactly, as sorted inclusive ranges: `[[1, 5], [9, 9]]`.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(transparent)]
pub struct LineRanges(pub Vec<[u32; 2]>);

impl LineRanges {
    /// The ranges of `lines`, which must be ascending (duplicates are fine).
    pub fn from_ascending(lines: impl IntoIterator<Item = u32>) -> Self {
        let mut ranges: Vec<[u32; 2]> = Vec::new();
        for line in lines {
            match ranges.last_mut() {
                Some(last) if line <= last[1].saturating_add(1) => last[1] = last[1].max(line),
                _ => ranges.push([line, line]),
            }
        }
        Self(ranges)
    }

    pub fn contains(&self, line: u32) -> bool {
        let i = self.0.partition_point(|r| r[1] < line);
        self.0.get(i).is_some_and(|r| r[0] <= line)
    }

    /// How many lines the ranges hold.
    pub fn count(&self) -> u32 {
        self.0.iter().map(|r| r[1] - r[0] + 1).sum()
    }

    pub fn lines(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().flat_map(|r| r[0]..=r[1])
    }
}

/// `15, 21, 31-33`, as `coverage report -m` lists missing lines.
impl std::fmt::Display for LineRanges {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, [a, b]) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            if a == b {
                write!(f, "{a}")?;
            } else {
                write!(f, "{a}-{b}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascending_lines_become_ranges() {
        let r = LineRanges::from_ascending([1, 2, 3, 3, 5, 9, 10]);
        assert_eq!(r.0, [[1, 3], [5, 5], [9, 10]]);
        assert_eq!(r.count(), 6);
        assert_eq!(r.lines().collect::<Vec<_>>(), [1, 2, 3, 5, 9, 10]);
        assert!(LineRanges::from_ascending([]).0.is_empty());
        assert_eq!(r.to_string(), "1-3, 5, 9-10");
    }

    #[test]
    fn membership() {
        let r = LineRanges::from_ascending([2, 3, 7]);
        let inside: Vec<u32> = (0..10).filter(|&l| r.contains(l)).collect();
        assert_eq!(inside, [2, 3, 7]);
    }
}
