//! Bandit 1.9.4's tests with their severity and confidence, read from Bandit's source
//! (`bandit/plugins/*.py`, and its blacklists through `gen_blacklist()`): what a ruff `S` rule —
//! ruff's port of the Bandit test with the same number (`S602` is `B602`) — is worth.
//! Where Bandit picks a severity from the code at run time (`B602` is low for a literal
//! command), the table holds the highest it can report, so a ruff result never ranks below
//! Bandit's worst case for it.

use super::bandit::Level;

/// (test id, severity, confidence).
const TESTS: &[(&str, Level, Level)] = &[
    ("B101", Level::Low, Level::High),
    ("B102", Level::Medium, Level::High),
    ("B103", Level::Medium, Level::High),
    ("B104", Level::Medium, Level::Medium),
    ("B105", Level::Low, Level::Medium),
    ("B106", Level::Low, Level::Medium),
    ("B107", Level::Low, Level::Medium),
    ("B108", Level::Medium, Level::Medium),
    ("B110", Level::Low, Level::High),
    ("B112", Level::Low, Level::High),
    ("B113", Level::Medium, Level::Low),
    ("B201", Level::High, Level::Medium),
    ("B202", Level::High, Level::High),
    ("B301", Level::Medium, Level::High),
    ("B302", Level::Medium, Level::High),
    ("B303", Level::Medium, Level::High),
    ("B304", Level::High, Level::High),
    ("B305", Level::Medium, Level::High),
    ("B306", Level::Medium, Level::High),
    ("B307", Level::Medium, Level::High),
    ("B308", Level::Medium, Level::High),
    ("B310", Level::Medium, Level::High),
    ("B311", Level::Low, Level::High),
    ("B312", Level::High, Level::High),
    ("B313", Level::Medium, Level::High),
    ("B314", Level::Medium, Level::High),
    ("B315", Level::Medium, Level::High),
    ("B316", Level::Medium, Level::High),
    ("B317", Level::Medium, Level::High),
    ("B318", Level::Medium, Level::High),
    ("B319", Level::Medium, Level::High),
    ("B321", Level::High, Level::High),
    ("B323", Level::Medium, Level::High),
    ("B324", Level::High, Level::High),
    ("B401", Level::High, Level::High),
    ("B402", Level::High, Level::High),
    ("B403", Level::Low, Level::High),
    ("B404", Level::Low, Level::High),
    ("B405", Level::Low, Level::High),
    ("B406", Level::Low, Level::High),
    ("B407", Level::Low, Level::High),
    ("B408", Level::Low, Level::High),
    ("B409", Level::Low, Level::High),
    ("B411", Level::High, Level::High),
    ("B412", Level::High, Level::High),
    ("B413", Level::High, Level::High),
    ("B415", Level::High, Level::High),
    ("B501", Level::High, Level::High),
    ("B502", Level::High, Level::High),
    ("B503", Level::Medium, Level::Medium),
    ("B504", Level::Low, Level::Medium),
    ("B505", Level::Medium, Level::High),
    ("B506", Level::Medium, Level::High),
    ("B507", Level::High, Level::Medium),
    ("B508", Level::Medium, Level::High),
    ("B509", Level::Medium, Level::High),
    ("B601", Level::Medium, Level::Medium),
    ("B602", Level::High, Level::High),
    ("B603", Level::Low, Level::High),
    ("B604", Level::Medium, Level::Low),
    ("B605", Level::High, Level::High),
    ("B606", Level::Low, Level::Medium),
    ("B607", Level::Low, Level::High),
    ("B608", Level::Medium, Level::Medium),
    ("B609", Level::High, Level::Medium),
    ("B610", Level::Medium, Level::Medium),
    ("B611", Level::Medium, Level::Medium),
    ("B612", Level::Medium, Level::High),
    ("B613", Level::High, Level::Medium),
    ("B614", Level::Medium, Level::High),
    ("B615", Level::Medium, Level::High),
    ("B701", Level::High, Level::High),
    ("B702", Level::Medium, Level::High),
    ("B703", Level::Medium, Level::High),
    ("B704", Level::Medium, Level::High),
];

/// Bandit's severity and confidence for test `id` (`B602`).
pub fn test(id: &str) -> Option<(Level, Level)> {
    TESTS
        .iter()
        .find(|(t, _, _)| *t == id)
        .map(|&(_, severity, confidence)| (severity, confidence))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tests_as_bandit_ranks_them() {
        assert_eq!(test("B602"), Some((Level::High, Level::High)));
        assert_eq!(test("B101"), Some((Level::Low, Level::High)));
        assert_eq!(test("B324"), Some((Level::High, Level::High)));
        assert_eq!(test("B113"), Some((Level::Medium, Level::Low)));
        assert_eq!(test("B999"), None);
        assert!(
            TESTS.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted, no duplicates"
        );
    }
}
