//! Rust Halstead counting over tokens (DEFINITIONS.md Part 1): operators are keywords,
//! punctuation (a multi-character operator such as `&&`, `->` or `..=` is one) and delimiter
//! pairs (`()`, `[]`, `{}` each count once per group); operands are identifiers, literals and
//! lifetimes. Doc comments (`#[doc = …]`) are not code and are left out.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use rustc_hash::FxHashSet;

use super::halstead::HalsteadCounts;

/// One token for Halstead counting, at its byte offset in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lexeme {
    pub offset: usize,
    pub operator: bool,
    pub text: String,
}

/// Every operator and operand of a token stream, in source order.
pub fn lexemes(tokens: &TokenStream) -> Vec<Lexeme> {
    let mut out = Vec::new();
    collect(tokens.clone(), &mut out);
    out.sort_by_key(|l| l.offset);
    out
}

fn collect(tokens: TokenStream, out: &mut Vec<Lexeme>) {
    let mut iter = tokens.into_iter().peekable();
    let mut pending = String::new();
    let mut pending_at = 0;
    while let Some(tree) = iter.next() {
        match tree {
            TokenTree::Punct(p) => {
                // `#[doc = "…"]` and `#![doc = "…"]`: documentation, not code.
                if p.as_char() == '#' && pending.is_empty() && is_doc_attribute(&mut iter) {
                    continue;
                }
                // A lifetime or label: `'a` is one operand.
                if p.as_char() == '\'' && p.spacing() == Spacing::Joint {
                    if !pending.is_empty() {
                        out.push(Lexeme {
                            offset: pending_at,
                            operator: true,
                            text: std::mem::take(&mut pending),
                        });
                    }
                    let offset = p.span().byte_range().start;
                    if let Some(TokenTree::Ident(name)) = iter.next() {
                        out.push(Lexeme {
                            offset,
                            operator: false,
                            text: format!("'{name}"),
                        });
                    }
                    continue;
                }
                if pending.is_empty() {
                    pending_at = p.span().byte_range().start;
                }
                pending.push(p.as_char());
                if p.spacing() == Spacing::Alone
                    || !matches!(iter.peek(), Some(TokenTree::Punct(_)))
                {
                    out.push(Lexeme {
                        offset: pending_at,
                        operator: true,
                        text: std::mem::take(&mut pending),
                    });
                }
            }
            TokenTree::Ident(i) => {
                let text = i.to_string();
                let operator = is_keyword(&text);
                out.push(Lexeme {
                    offset: i.span().byte_range().start,
                    operator,
                    text,
                });
            }
            TokenTree::Literal(l) => {
                out.push(Lexeme {
                    offset: l.span().byte_range().start,
                    operator: false,
                    text: l.to_string(),
                });
            }
            TokenTree::Group(g) => {
                let text = match g.delimiter() {
                    Delimiter::Parenthesis => "()",
                    Delimiter::Bracket => "[]",
                    Delimiter::Brace => "{}",
                    Delimiter::None => "",
                };
                if !text.is_empty() {
                    out.push(Lexeme {
                        offset: g.span_open().byte_range().start,
                        operator: true,
                        text: text.to_owned(),
                    });
                }
                collect(g.stream(), out);
            }
        }
    }
}

/// After a `#`: consumes `[doc …]` (or `![doc …]`) when that is what follows.
fn is_doc_attribute(iter: &mut std::iter::Peekable<proc_macro2::token_stream::IntoIter>) -> bool {
    let mut lookahead = iter.clone();
    if matches!(lookahead.peek(), Some(TokenTree::Punct(p)) if p.as_char() == '!') {
        lookahead.next();
    }
    let Some(TokenTree::Group(g)) = lookahead.next() else {
        return false;
    };
    let doc = g.delimiter() == Delimiter::Bracket
        && matches!(g.stream().into_iter().next(), Some(TokenTree::Ident(i)) if i == "doc");
    if doc {
        *iter = lookahead;
    }
    doc
}

/// Strict, reserved and weak keywords; `self`, `Self`, `true` and `false` are operands.
fn is_keyword(word: &str) -> bool {
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
            operators.insert(l.text.as_str());
        } else {
            counts.operands += 1;
            operands.insert(l.text.as_str());
        }
    }
    counts.distinct_operators = operators.len() as u32;
    counts.distinct_operands = operands.len() as u32;
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(src: &str) -> (u32, u32, u32, u32) {
        let tokens: TokenStream = src.parse().unwrap();
        let c = count(&lexemes(&tokens), 0..usize::MAX);
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
        let tokens: TokenStream = "a && b ..= c".parse().unwrap();
        let ops: Vec<String> = lexemes(&tokens)
            .into_iter()
            .filter(|l| l.operator)
            .map(|l| l.text)
            .collect();
        assert_eq!(ops, ["&&", "..="]);
    }

    #[test]
    fn lifetimes_are_operands() {
        let tokens: TokenStream = "&'a str".parse().unwrap();
        let texts: Vec<(bool, String)> = lexemes(&tokens)
            .into_iter()
            .map(|l| (l.operator, l.text))
            .collect();
        assert_eq!(
            texts,
            [
                (true, "&".to_owned()),
                (false, "'a".to_owned()),
                (false, "str".to_owned())
            ]
        );
    }

    #[test]
    fn doc_comments_are_not_counted() {
        assert_eq!(all("/// Doc.\n//! Inner.\nfn f() {}"), all("fn f() {}"));
        assert_ne!(all("#[inline]\nfn f() {}"), all("fn f() {}"));
    }

    #[test]
    fn counting_a_range() {
        let tokens: TokenStream = "fn a() { 1 } fn b() { 2 + 3 }".parse().unwrap();
        let l = lexemes(&tokens);
        let b = count(&l, 13..29);
        assert_eq!((b.operators, b.operands), (4, 3));
    }
}
