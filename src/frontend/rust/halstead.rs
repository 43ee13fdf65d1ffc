//! Rust Halstead counting over tokens (DEFINITIONS.md Part 1): operators are keywords,
//! punctuation (a multi-character operator such as `&&`, `->` or `..=` is one) and delimiter
//! pairs (`()`, `[]`, `{}` each count once per group); operands are identifiers, literals and
//! lifetimes. Doc comments (`#[doc = …]`) are not code and are left out.

use rustc_hash::FxHashSet;

use crate::model::HalsteadCounts;

/// One operator or operand at its byte offset; its text is kept only as a hash (the Rust lexer
/// in `frontend::rust::lex` produces these in the same pass that counts lines).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lexeme {
    pub offset: usize,
    pub operator: bool,
    pub key: u64,
}

/// Strict, reserved and weak keywords; `self`, `Self`, `true` and `false` are operands.
pub fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "as" | "async"
            | "await"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "union"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "macro"
            | "override"
            | "priv"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
            | "try"
            | "gen"
    )
}

/// Counts over the lexemes whose offsets lie in `range` (all of them for a file).
pub fn count(lexemes: &[Lexeme], range: std::ops::Range<usize>) -> HalsteadCounts {
    let start = lexemes.partition_point(|l| l.offset < range.start);
    let mut operators = FxHashSet::default();
    let mut operands = FxHashSet::default();
    let mut counts = HalsteadCounts::default();
    for l in lexemes[start..].iter().take_while(|l| l.offset < range.end) {
        if l.operator {
            counts.operators += 1;
            operators.insert(l.key);
        } else {
            counts.operands += 1;
            operands.insert(l.key);
        }
    }
    counts.distinct_operators = operators.len() as u32;
    counts.distinct_operands = operands.len() as u32;
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontend::rust::lex::scan;
    use crate::source::LineIndex;

    fn all(src: &str) -> (u32, u32, u32, u32) {
        let c = count(&scan(src, &LineIndex::new(src)).lexemes, 0..usize::MAX);
        (
            c.distinct_operators,
            c.distinct_operands,
            c.operators,
            c.operands,
        )
    }

    #[test]
    fn keywords_punctuation_and_groups_are_operators() {
        // operators fn, (), :, ->, {}, +; operands f, a, u8, u8, a, 1
        assert_eq!(all("fn f(a: u8) -> u8 { a + 1 }"), (6, 4, 6, 6));
    }

    #[test]
    fn multi_character_operators_are_one() {
        assert_eq!(all("a && b ..= c"), (2, 3, 2, 3));
    }

    #[test]
    fn lifetimes_are_operands() {
        assert_eq!(all("&'a str"), (1, 2, 1, 2));
    }

    #[test]
    fn doc_comments_are_not_counted() {
        assert_eq!(
            all("/// Doc.\n//! Inner.\n/** Block. */\nfn f() {}"),
            all("fn f() {}")
        );
        assert_ne!(all("#[inline]\nfn f() {}"), all("fn f() {}"));
    }

    #[test]
    fn counting_a_range() {
        let src = "fn a() { 1 } fn b() { 2 + 3 }";
        let l = scan(src, &LineIndex::new(src)).lexemes;
        let b = count(&l, 13..29);
        assert_eq!((b.operators, b.operands), (4, 3));
    }
}
