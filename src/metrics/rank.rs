//! radon's rank letters, shown next to numbers people read.

/// radon's `cc_rank`: A 1–5, B 6–10, C 11–20, D 21–30, E 31–40, F 41+.
pub fn cyclomatic_rank(cc: u32) -> char {
    match cc {
        0..=5 => 'A',
        6..=10 => 'B',
        11..=20 => 'C',
        21..=30 => 'D',
        31..=40 => 'E',
        _ => 'F',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_boundaries_match_radon() {
        let got: Vec<char> = [1, 5, 6, 10, 11, 20, 21, 30, 31, 40, 41, 200]
            .map(cyclomatic_rank)
            .to_vec();
        assert_eq!(
            got,
            ['A', 'A', 'B', 'B', 'C', 'C', 'D', 'D', 'E', 'E', 'F', 'F']
        );
    }
}
