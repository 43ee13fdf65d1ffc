//! One validation for every threshold, whether it comes from the configuration or from
//! `--threshold`: a non-negative number in the metric's range, or — for complexity — one of
//! radon's rank letters, as xenon takes them.

use crate::gate::catalog::{Metric, Rule};
use crate::metrics::rank;

/// A threshold as written.
#[derive(Clone, Copy, Debug)]
pub enum Written<'a> {
    Number(f64),
    Text(&'a str),
}

/// The threshold's value, or (what is wrong, what to write instead).
pub fn value(rule: &Rule, key: &str, written: Written<'_>) -> Result<f64, (String, String)> {
    let Some(threshold) = rule.thresholds.get(key) else {
        return Err((
            format!("gate `{}` has no threshold `{key}`", rule.id),
            format!(
                "valid keys: {}",
                rule.thresholds
                    .keys()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    };
    let metric = threshold.metric;
    let what = format!("threshold `{key}` of gate `{}`", rule.id);
    let example = || {
        let default = threshold
            .default
            .map_or_else(|| "10".to_owned(), crate::report::number);
        if metric.accepts_rank() {
            format!("for example `{key} = {default}`, or a rank letter such as \"B\"")
        } else {
            format!("for example `{key} = {default}`")
        }
    };
    let n = match written {
        Written::Number(n) => n,
        Written::Text(text) => {
            let text = text.trim();
            if let Some(bound) = rank_letter(text).filter(|_| metric.accepts_rank()) {
                return Ok(bound);
            }
            text.parse::<f64>()
                .map_err(|_| (format!("{what} must be a number, not `{text}`"), example()))?
        }
    };
    if !n.is_finite() || n < 0.0 {
        return Err((format!("{what} must be a non-negative number"), example()));
    }
    // A ratchet's thresholds are tolerances in points: 0.5 is not a fraction.
    if metric.is_percent() && rule.scope != crate::gate::catalog::RuleScope::Ratchet {
        if n > 100.0 {
            return Err((
                format!(
                    "{what} is a percentage; {} is above 100",
                    crate::report::number(n)
                ),
                "use a value from 0 to 100".to_owned(),
            ));
        }
        if n > 0.0 && n < 1.0 {
            return Err((
                format!(
                    "{what} is a percentage; {} looks like a fraction",
                    crate::report::number(n)
                ),
                format!("did you mean {}?", crate::report::number(n * 100.0)),
            ));
        }
    }
    if metric == Metric::PylintScore && n > 10.0 {
        let hint = if n <= 100.0 {
            format!(
                "pylint scores run from 0 to 10: did you mean {}?",
                crate::report::number(n / 10.0)
            )
        } else {
            "pylint scores run from 0 to 10".to_owned()
        };
        return Err((
            format!(
                "{what} is a pylint score; {} is above 10",
                crate::report::number(n)
            ),
            hint,
        ));
    }
    if metric == Metric::MaintainabilityAverage && n > 100.0 {
        return Err((
            format!(
                "{what} is a maintainability index (0–100); {} is above 100",
                crate::report::number(n)
            ),
            "use a value from 0 to 100".to_owned(),
        ));
    }
    Ok(n)
}

/// The largest complexity a rank letter allows (`B` → 10), as radon ranks it: a threshold of
/// `B` passes what ranks A or B.
fn rank_letter(text: &str) -> Option<f64> {
    let mut chars = text.chars();
    let letter = chars.next()?.to_ascii_uppercase();
    if chars.next().is_some() {
        return None;
    }
    rank::upper_bound(letter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gate::catalog::rule;

    fn check(gate: &str, key: &str, written: Written<'_>) -> Result<f64, String> {
        value(rule(gate).unwrap(), key, written).map_err(|(m, h)| format!("{m} — {h}"))
    }

    #[test]
    fn numbers_in_range_pass() {
        assert_eq!(check("coverage", "min", Written::Text("85")), Ok(85.0));
        assert_eq!(check("coverage", "min", Written::Number(0.0)), Ok(0.0));
        assert_eq!(check("pylint-score", "min", Written::Number(7.5)), Ok(7.5));
        assert_eq!(
            check("complexity", "max-function", Written::Number(15.0)),
            Ok(15.0)
        );
    }

    #[test]
    fn out_of_range_values_say_what_to_write() {
        assert_eq!(
            check("coverage", "min", Written::Text("150")),
            Err("threshold `min` of gate `coverage` is a percentage; 150 is above 100 — use a value from 0 to 100".into())
        );
        assert_eq!(
            check("coverage", "min", Written::Text("0.85")),
            Err("threshold `min` of gate `coverage` is a percentage; 0.85 looks like a fraction — did you mean 85?".into())
        );
        assert_eq!(
            check("type-hints", "min", Written::Number(250.0)).map_err(|e| e.contains("above 100")),
            Err(true)
        );
        assert_eq!(
            check("pylint-score", "min", Written::Text("85")),
            Err("threshold `min` of gate `pylint-score` is a pylint score; 85 is above 10 — pylint scores run from 0 to 10: did you mean 8.5?".into())
        );
        assert_eq!(
            check("coverage", "min-file", Written::Number(101.0))
                .map_err(|e| e.contains("above 100")),
            Err(true)
        );
        assert!(check("coverage", "min", Written::Number(-1.0)).is_err());
        assert!(check("coverage", "min", Written::Text("NaN")).is_err());
        assert!(check("coverage", "min", Written::Text("high")).is_err());
    }

    #[test]
    fn complexity_takes_rank_letters() {
        assert_eq!(
            check("complexity", "max-function", Written::Text("B")),
            Ok(10.0)
        );
        assert_eq!(
            check("complexity", "max-average", Written::Text("a")),
            Ok(5.0)
        );
        assert_eq!(
            check("complexity", "max-function", Written::Text("C")),
            Ok(20.0)
        );
        let err = check("coverage", "min", Written::Text("B")).unwrap_err();
        assert!(err.contains("must be a number, not `B`"), "{err}");
    }
}
