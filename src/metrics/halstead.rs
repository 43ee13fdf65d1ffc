//! Halstead measures from operator and operand counts (language-neutral; the counting rules
//! live with each front end).

pub use crate::model::HalsteadCounts;

/// radon's derived values (`radon/metrics.py halstead_visitor_report`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Halstead {
    pub counts: HalsteadCounts,
    /// `h1 + h2`
    pub vocabulary: u32,
    /// `N1 + N2`
    pub length: u32,
    /// `h1·log2 h1 + h2·log2 h2` (0 when either is 0)
    pub calculated_length: f64,
    /// `N·log2 h` (0 when h = 0)
    pub volume: f64,
    /// `h1·N2 / (2·h2)` (0 when h2 = 0)
    pub difficulty: f64,
    /// `difficulty · volume`
    pub effort: f64,
    /// `effort / 18` seconds
    pub time: f64,
    /// `volume / 3000`
    pub bugs: f64,
}

impl From<HalsteadCounts> for Halstead {
    fn from(c: HalsteadCounts) -> Self {
        let (h1, h2) = (
            f64::from(c.distinct_operators),
            f64::from(c.distinct_operands),
        );
        let (n1, n2) = (f64::from(c.operators), f64::from(c.operands));
        let h = h1 + h2;
        let n = n1 + n2;
        let calculated_length = if h1 > 0.0 && h2 > 0.0 {
            h1 * h1.log2() + h2 * h2.log2()
        } else {
            0.0
        };
        let volume = if h > 0.0 { n * h.log2() } else { 0.0 };
        let difficulty = if h2 > 0.0 { h1 * n2 / (2.0 * h2) } else { 0.0 };
        let effort = difficulty * volume;
        Self {
            counts: c,
            vocabulary: c.distinct_operators + c.distinct_operands,
            length: c.operators + c.operands,
            calculated_length,
            volume,
            difficulty,
            effort,
            time: effort / 18.0,
            bugs: volume / 3000.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_values_follow_radon() {
        // `a + b * c`: h1 = 2 (Add, Mult), h2 = 4 (a, the BinOp, b, c), N1 = 2, N2 = 4.
        let h = Halstead::from(HalsteadCounts {
            distinct_operators: 2,
            distinct_operands: 4,
            operators: 2,
            operands: 4,
        });
        assert_eq!(h.vocabulary, 6);
        assert!((h.volume - 6.0 * 6f64.log2()).abs() < 1e-12);
        assert!((h.difficulty - 1.0).abs() < 1e-12);
        assert!((h.calculated_length - (2.0 + 8.0)).abs() < 1e-12);
    }

    #[test]
    fn empty_counts_give_zeros_not_nan() {
        let h = Halstead::from(HalsteadCounts::default());
        assert_eq!(
            (h.volume, h.difficulty, h.effort, h.calculated_length),
            (0.0, 0.0, 0.0, 0.0)
        );
    }
}
