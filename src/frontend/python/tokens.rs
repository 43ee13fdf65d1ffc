//! One pass over ruff's token stream: clone-detection tokens and the comment markers.

use ruff_python_ast::token::{Token, TokenKind};
use ruff_text_size::Ranged;

use crate::frontend::markers::{self, Marker};
use crate::metrics::duplication::{self, BARRIER, Normalize, TokenClass};
use crate::model::{DupToken, Language, Suppression};
use crate::source::LineIndex;

/// What the pass found.
pub struct Scanned {
    /// Empty unless clone tokens were asked for.
    pub tokens: Vec<DupToken>,
    pub suppressions: Vec<Suppression>,
}

/// Clone tokens (when `normalize` is given: only for a file that parses) drop comments and
/// line breaks inside brackets, and keep NEWLINE, INDENT and DEDENT as fixed placeholders, so
/// structure matters but formatting does not. Comments are read for markers in any case.
pub fn scan(
    text: &str,
    index: &LineIndex,
    tokens: &[Token],
    normalize: Option<Normalize>,
    skip: &[std::ops::Range<usize>],
) -> Scanned {
    // `skip` is sorted: the next range a token may fall in.
    let mut next_skip = 0;
    let mut out = Vec::with_capacity(if normalize.is_some() { tokens.len() } else { 0 });
    let mut suppressions = Vec::new();
    let mut suppressed = false;
    // DEDENTs at the end of the file sit after the last line break: they belong to the last line.
    let last_line = index.line_count().max(1);
    // Tokens come in source order: their lines are found walking forward.
    let mut lines = index.cursor();
    let mut fixed = FixedKeys::default();
    for token in tokens {
        let range = token.range();
        let start = range.start().to_usize();
        let source = &text[start..range.end().to_usize()];
        if token.kind() == TokenKind::Comment {
            match markers::parse(source, Language::Python) {
                Some(Marker::Ignore(rules)) => suppressions.push(Suppression {
                    line: lines.line(start),
                    rules,
                }),
                Some(Marker::DuplicationStart) => {
                    suppressed = true;
                    out.push(DupToken {
                        key: BARRIER,
                        line: lines.line(start),
                    });
                }
                Some(Marker::DuplicationEnd) => suppressed = false,
                None => {}
            }
            continue;
        }
        let Some(normalize) = normalize else {
            continue;
        };
        while skip.get(next_skip).is_some_and(|r| r.end <= start) {
            next_skip += 1;
        }
        if skip.get(next_skip).is_some_and(|r| r.contains(&start)) {
            // Left out of clone detection without a barrier: the code on either side still
            // joins, so two identical files are one clone from their first line to their last.
            continue;
        }
        let kind = token.kind();
        let (bytes, class): (&[u8], TokenClass) = match kind {
            TokenKind::NonLogicalNewline | TokenKind::EndOfFile => continue,
            TokenKind::Newline => (b"<newline>", TokenClass::Syntax),
            TokenKind::Indent => (b"<indent>", TokenClass::Syntax),
            TokenKind::Dedent => (b"<dedent>", TokenClass::Syntax),
            TokenKind::Name => (source.as_bytes(), TokenClass::Identifier),
            TokenKind::Int
            | TokenKind::Float
            | TokenKind::Complex
            | TokenKind::String
            | TokenKind::FStringMiddle
            | TokenKind::TStringMiddle => (source.as_bytes(), TokenClass::Literal),
            _ => (source.as_bytes(), TokenClass::Syntax),
        };
        if suppressed {
            continue;
        }
        let mut line = lines.line(start).min(last_line);
        if token.kind() == TokenKind::Dedent {
            // A DEDENT sits before the next statement but closes the block above it: it belongs
            // to the block's last line (a copied function ends there, not at what follows).
            line = out.last().map_or(line, |t: &DupToken| t.line);
        }
        if class == TokenClass::Literal && source.contains('\n') {
            // A multi-line string (a docstring, usually) counts piece by piece, as jscpd's tokens
            // do: a copied docstring is copied text, and its lines are lines of the clone.
            for (offset, word) in duplication::pieces(source) {
                let key = duplication::token_key(word.as_bytes(), class, normalize);
                out.push(DupToken {
                    key,
                    line: lines.line(start + offset).min(last_line),
                });
            }
            continue;
        }
        out.push(DupToken {
            key: fixed.key(kind, bytes, class, normalize),
            line,
        });
    }
    if normalize.is_none() {
        out.clear();
    }
    Scanned {
        tokens: out,
        suppressions,
    }
}

/// The keys of the tokens whose text their kind fixes (keywords, operators, NEWLINE, INDENT,
/// DEDENT), each hashed once a file instead of once a token: hashing token texts byte by byte
/// is this pass's hot spot, and these are about half its tokens.
struct FixedKeys([u32; 256]);

impl Default for FixedKeys {
    fn default() -> Self {
        // 0 is the barrier's key, never a token's: it marks a kind not hashed yet.
        Self([BARRIER; 256])
    }
}

impl FixedKeys {
    fn key(
        &mut self,
        kind: TokenKind,
        text: &[u8],
        class: TokenClass,
        normalize: Normalize,
    ) -> u32 {
        let fixed = matches!(
            kind,
            TokenKind::Newline | TokenKind::Indent | TokenKind::Dedent
        ) || kind.is_keyword()
            || kind.is_operator();
        if !fixed {
            return duplication::token_key(text, class, normalize);
        }
        let Some(slot) = self.0.get_mut(kind as usize) else {
            return duplication::token_key(text, class, normalize);
        };
        if *slot == BARRIER {
            *slot = duplication::token_key(text, class, normalize);
        }
        *slot
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_ast::PySourceType;
    use ruff_python_parser::parse_unchecked_source;

    fn scanned(src: &str, normalize: Option<Normalize>) -> Scanned {
        let parsed = parse_unchecked_source(src, PySourceType::Python);
        scan(src, &LineIndex::new(src), parsed.tokens(), normalize, &[])
    }

    #[test]
    fn suppressions_come_from_comments_only() {
        let src = "import pickle  # qgate: ignore[B403]\nx = '# qgate: ignore[B101]'\n# qgate: ignore[B101, function-too-complex ]\n";
        let s = scanned(src, None);
        assert_eq!(
            s.suppressions,
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
        assert!(s.tokens.is_empty());
    }

    #[test]
    fn a_suppressed_region_leaves_one_barrier() {
        let src = "a = 1\n# qgate: ignore-duplication-start\nb = 2\n# qgate: ignore-duplication-end\nc = 3\n";
        let s = scanned(src, Some(Normalize::None));
        let lines: Vec<u32> = s.tokens.iter().map(|t| t.line).collect();
        // `a = 1 <newline>`, the barrier, `c = 3 <newline>`.
        assert_eq!(lines, [1, 1, 1, 1, 2, 5, 5, 5, 5]);
        assert_eq!(s.tokens[4].key, BARRIER);
    }

    #[test]
    fn skipped_ranges_leave_no_token_and_no_barrier() {
        let src = "import os\nfrom a import (\n    b,\n    c,\n)\nx = 1\n";
        let parsed = parse_unchecked_source(src, PySourceType::Python);
        let all = scan(
            src,
            &LineIndex::new(src),
            parsed.tokens(),
            Some(Normalize::None),
            &[],
        );
        let skip = [0..9, 10..41];
        let s = scan(
            src,
            &LineIndex::new(src),
            parsed.tokens(),
            Some(Normalize::None),
            &skip,
        );
        let lines: Vec<u32> = s.tokens.iter().map(|t| t.line).collect();
        // The NEWLINE after each import, then `x = 1 <newline>`.
        assert_eq!(lines, [1, 5, 6, 6, 6, 6]);
        assert!(s.tokens.iter().all(|t| t.key != BARRIER));
        assert_eq!(all.tokens.len(), 3 + 10 + 4);
    }

    #[test]
    fn keywords_operators_and_layout_keep_the_keys_of_their_text() {
        let src = "def f(x):\n    return (x)\ndef g():\n    return 1\n";
        let keys: Vec<u32> = scanned(src, Some(Normalize::Identifiers))
            .tokens
            .iter()
            .map(|t| t.key)
            .collect();
        let key = |text: &str, class| {
            duplication::token_key(text.as_bytes(), class, Normalize::Identifiers)
        };
        let (syntax, name, literal) = (
            TokenClass::Syntax,
            TokenClass::Identifier,
            TokenClass::Literal,
        );
        let expected = [
            key("def", syntax),
            key("f", name),
            key("(", syntax),
            key("x", name),
            key(")", syntax),
            key(":", syntax),
            key("<newline>", syntax),
            key("<indent>", syntax),
            key("return", syntax),
            key("(", syntax),
            key("x", name),
            key(")", syntax),
            key("<newline>", syntax),
            key("<dedent>", syntax),
            key("def", syntax),
            key("g", name),
            key("(", syntax),
            key(")", syntax),
            key(":", syntax),
            key("<newline>", syntax),
            key("<indent>", syntax),
            key("return", syntax),
            key("1", literal),
            key("<newline>", syntax),
            key("<dedent>", syntax),
        ];
        assert_eq!(keys, expected);
    }

    #[test]
    fn a_marker_in_a_string_is_no_marker() {
        let src = "s = '# qgate: ignore-duplication-start'\nt = 1\n";
        let s = scanned(src, Some(Normalize::None));
        assert!(s.tokens.iter().all(|t| t.key != BARRIER));
        assert_eq!(s.tokens.last().map(|t| t.line), Some(2));
    }
}
