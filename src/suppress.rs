//! Inline suppressions: `# qgate: ignore[rule, …]` (Python) or `// qgate: ignore[rule, …]`
//! (Rust) at the end of a line, or alone on it, silences findings of those rules on that line.

use crate::model::Language;

const MARKER: &str = "qgate: ignore[";

/// The rules one line suppresses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Suppression {
    pub line: u32,
    pub rules: Vec<String>,
}

/// Every suppression comment of a file, in line order.
pub fn scan(text: &str, language: Language) -> Vec<Suppression> {
    if !text.contains(MARKER) {
        return Vec::new();
    }
    let comment = match language {
        Language::Python => "#",
        Language::Rust => "//",
    };
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let Some(at) = line.find(MARKER) else {
            continue;
        };
        // Only a comment marker counts, not the words inside a string.
        if !line[..at].trim_end().ends_with(comment) {
            continue;
        }
        let rest = &line[at + MARKER.len()..];
        let Some(end) = rest.find(']') else {
            continue;
        };
        let rules: Vec<String> = rest[..end]
            .split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
            .collect();
        if !rules.is_empty() {
            found.push(Suppression {
                line: index as u32 + 1,
                rules,
            });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_and_rust_comments() {
        let python = "import pickle  # qgate: ignore[B403]\nx = 'qgate: ignore[B101]'\n# qgate: ignore[B101, function-too-complex ]\n";
        assert_eq!(
            scan(python, Language::Python),
            [
                Suppression {
                    line: 1,
                    rules: vec!["B403".into()]
                },
                Suppression {
                    line: 3,
                    rules: vec!["B101".into(), "function-too-complex".into()]
                },
            ]
        );
        let rust = "loop { break; } // qgate: ignore[clippy::never_loop]\n# qgate: ignore[x]\n";
        assert_eq!(
            scan(rust, Language::Rust),
            [Suppression {
                line: 1,
                rules: vec!["clippy::never_loop".into()]
            }]
        );
        assert!(scan("# qgate: ignore[]\n# qgate: ignore[B1\n", Language::Python).is_empty());
    }
}
