//! How qgate ranks ruff's rules. ruff writes every SARIF result at level `error`, which would
//! rank `CPY001 Missing copyright notice` above Bandit's `B324`; so a ruff result is ranked by
//! its rule instead:
//!
//! - `S` rules (ruff's port of Bandit: `S602` is Bandit's `B602`) take Bandit's severity and
//!   confidence for the same test and count for the `security` gate, as Bandit's results do;
//! - what stops code from running or is almost surely a bug — syntax errors (`E9…`), undefined
//!   names (`F821`, `F822`, `F823`), pylint errors (`PLE…`) — is high;
//! - the other pyflakes (`F`), bugbear (`B`), pylint warnings (`PLW`) and `ASYNC` rules are
//!   medium;
//! - everything else (style, naming, docs, imports, upgrades, …) is low.
//!
//! `[sarif] severity` overrides any of it.

use super::bandit::Level;
use super::bandit_tests;
use crate::report::Severity;

/// A ruff rule's rank.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ranked {
    pub severity: Severity,
    pub confidence: Option<Severity>,
    pub security: bool,
}

/// Whether a SARIF run's tool is ruff.
pub fn is_ruff(tool: &str) -> bool {
    tool.eq_ignore_ascii_case("ruff")
}

pub fn rank(rule: &str) -> Ranked {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(number) = rule.strip_prefix('S').filter(|n| digits(n)) {
        let (severity, confidence) =
            bandit_tests::test(&format!("B{number}")).unwrap_or((Level::Medium, Level::Medium));
        return Ranked {
            severity: severity.severity(),
            confidence: Some(confidence.severity()),
            security: true,
        };
    }
    let severity = if rule.starts_with("E9")
        || matches!(rule, "F821" | "F822" | "F823")
        || rule.starts_with("PLE")
    {
        Severity::High
    } else if rule.strip_prefix('F').is_some_and(digits)
        || rule.strip_prefix('B').is_some_and(digits)
        || rule.starts_with("PLW")
        || rule.starts_with("ASYNC")
    {
        Severity::Medium
    } else {
        Severity::Low
    };
    Ranked {
        severity,
        confidence: None,
        security: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn security_rules_take_bandits_rank() {
        let s602 = rank("S602");
        assert_eq!(
            (s602.severity, s602.confidence, s602.security),
            (Severity::High, Some(Severity::High), true)
        );
        assert_eq!(rank("S101").severity, Severity::Low);
        assert_eq!(rank("S324").severity, Severity::High);
        // A new S rule without a Bandit test still counts for security.
        assert_eq!(
            (rank("S999").severity, rank("S999").security),
            (Severity::Medium, true)
        );
    }

    #[test]
    fn other_rules_by_what_they_catch() {
        let severity = |r: &str| (rank(r).severity, rank(r).security);
        assert_eq!(severity("E999"), (Severity::High, false));
        assert_eq!(severity("F821"), (Severity::High, false));
        assert_eq!(severity("PLE0101"), (Severity::High, false));
        assert_eq!(severity("F401"), (Severity::Medium, false));
        assert_eq!(severity("B006"), (Severity::Medium, false));
        assert_eq!(severity("CPY001"), (Severity::Low, false));
        assert_eq!(severity("SIM108"), (Severity::Low, false));
        assert_eq!(severity("BLE001"), (Severity::Low, false));
        assert_eq!(severity("E501"), (Severity::Low, false));
    }
}
