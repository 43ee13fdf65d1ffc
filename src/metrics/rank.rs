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

/// The largest complexity `letter` covers, so `cc <= upper_bound(L)` exactly when radon ranks
/// `cc` at `L` or better, for fractional values too (xenon's thresholds): A 5, B 10, C 20, D 30,
/// E 40; F covers everything (the largest complexity a function can have).
pub fn upper_bound(letter: char) -> Option<f64> {
    Some(match letter {
        'A' => 5.0,
        'B' => 10.0,
        'C' => 20.0,
        'D' => 30.0,
        'E' => 40.0,
        'F' => f64::from(u32::MAX),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_bounds_agree_with_the_ranks() {
        for cc in 1..=60 {
            let rank = cyclomatic_rank(cc);
            for letter in ['A', 'B', 'C', 'D', 'E', 'F'] {
                let within = f64::from(cc) <= upper_bound(letter).unwrap();
                assert_eq!(within, rank <= letter, "{cc} {letter}");
            }
        }
        assert_eq!(upper_bound('G'), None);
    }

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
