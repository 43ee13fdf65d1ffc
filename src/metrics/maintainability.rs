//! Maintainability index variants (DEFINITIONS.md §3.4), each named for what it is:
//!
//! - radon's (Python, for parity with `radon mi`):
//!   `MI = clamp(0, 100, 100/171 · (171 − 5.2 ln V − 0.23 G − 16.2 ln L + 50 sin(√(2.46 · radians(C)))))`;
//! - Visual Studio's (Rust): `MI = clamp(0, 100, 100/171 · (171 − 5.2 ln V − 0.23 G − 16.2 ln L))`,
//!   without radon's comment term — which oscillates and turns negative past about 230 %
//!   comments, so that documenting code more could lower its score to 0.
//!
//! with V the file's Halstead volume, G its total cyclomatic complexity, L its logical lines
//! (Python: radon's LLOC; Rust: SLOC) and C its comment percentage. 100 when V or L is not
//! positive.

pub fn radon_mi(volume: f64, complexity: u32, lines: u32, comment_percent: f64) -> f64 {
    if volume <= 0.0 || lines == 0 {
        return 100.0;
    }
    let comments = (2.46 * comment_percent.to_radians()).sqrt().sin();
    let raw =
        171.0 - 5.2 * volume.ln() - 0.23 * f64::from(complexity) - 16.2 * f64::from(lines).ln()
            + 50.0 * comments;
    (raw * 100.0 / 171.0).clamp(0.0, 100.0)
}

/// The index of a file from its counts: the comment percentage is `comment_lines / sloc × 100`
/// (0 without source lines), as radon computes it.
pub fn of_file(volume: f64, complexity: u32, lines: u32, comment_lines: u32, sloc: u32) -> f64 {
    let comment_percent = if sloc == 0 {
        0.0
    } else {
        f64::from(comment_lines) / f64::from(sloc) * 100.0
    };
    radon_mi(volume, complexity, lines, comment_percent)
}

/// The Visual Studio normalisation: radon's formula without the comment term.
pub fn visual_studio(volume: f64, complexity: u32, lines: u32) -> f64 {
    if volume <= 0.0 || lines == 0 {
        return 100.0;
    }
    let raw =
        171.0 - 5.2 * volume.ln() - 0.23 * f64::from(complexity) - 16.2 * f64::from(lines).ln();
    (raw * 100.0 / 171.0).clamp(0.0, 100.0)
}

/// radon's `mi_rank`: A above 19, B above 9, C otherwise.
pub fn rank(mi: f64) -> char {
    if mi > 19.0 {
        'A'
    } else if mi > 9.0 {
        'B'
    } else {
        'C'
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_matches_radon() {
        // radon 6.0.1 on the acceptance fixture: mi_compute(398.6443989321798, 35, 91, 0.0)
        let mi = radon_mi(398.644_398_932_179_8, 35, 91, 0.0);
        assert!((mi - 34.348_604_147_876_486).abs() < 1e-9, "{mi}");
    }

    #[test]
    fn documentation_never_lowers_the_visual_studio_index() {
        // A heavily documented file (300 % comments): radon's term punishes it, VS ignores it.
        let (v, g, l) = (2000.0, 20, 120);
        let undocumented = radon_mi(v, g, l, 0.0);
        // 16.19 against 28.84: -21.5 from 50·sin(√(2.46·radians(300))), scaled by 100/171.
        assert!((radon_mi(v, g, l, 300.0) - 16.19).abs() < 0.01);
        assert!((undocumented - 28.84).abs() < 0.01);
        let vs = visual_studio(v, g, l);
        let want = (171.0 - 5.2 * 2000f64.ln() - 0.23 * 20.0 - 16.2 * 120f64.ln()) * 100.0 / 171.0;
        assert!((vs - want).abs() < 1e-9, "{vs}");
        assert_eq!(vs, undocumented, "no comment term, no other difference");
    }

    #[test]
    fn degenerate_inputs_give_100() {
        assert_eq!(radon_mi(0.0, 1, 10, 0.0), 100.0);
        assert_eq!(radon_mi(10.0, 1, 0, 0.0), 100.0);
    }

    #[test]
    fn clamped_at_zero() {
        assert_eq!(radon_mi(1e12, 5000, 100_000, 0.0), 0.0);
    }

    #[test]
    fn ranks() {
        assert_eq!(
            [rank(19.5), rank(19.0), rank(9.5), rank(9.0)],
            ['A', 'B', 'B', 'C']
        );
    }
}
