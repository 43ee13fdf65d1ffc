//! A small Rust lexer, one pass over the text, for what syn does not give: comments (line
//! counts), Halstead operators and operands (doc comments are comments, so they are left out),
//! and the nesting depth of brackets (to refuse input that would overflow syn's recursive
//! parser). syn parses the file once; nothing here re-parses it.

use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;

use super::halstead::{Lexeme, is_keyword};
use crate::frontend::markers::{self, Marker};
use crate::metrics::duplication::{self, BARRIER, Normalize, TokenClass};
use crate::model::{DupToken, Language, LineCounts, Suppression};
use crate::source::{LineCursor, LineIndex};

/// What one pass over the text found.
pub struct Scan {
    pub lines: LineCounts,
    /// Byte offset where bracket nesting (or a run of prefix operators) first exceeded the limit.
    pub too_deep_at: Option<usize>,
    /// Operators and operands in source order.
    pub lexemes: Vec<Lexeme>,
    /// Tokens for clone detection (closing brackets included, comments not).
    pub tokens: Vec<DupToken>,
    /// `// qgate: ignore[rule]` comments, in line order.
    pub suppressions: Vec<Suppression>,
}

/// Deepest bracket nesting (plus runs of prefix operators such as `!!!!x`, which syn also parses
/// recursively) that is handed to syn. Real code stays far below; syn needs a few KiB of stack
/// per level, and analysis threads have `engine::STACK_SIZE`.
pub const MAX_NESTING: usize = 1_000;

/// Longest chain of binary operators and method calls (`1+1+…`, `a.b().c()…`) in one expression,
/// or of `else if`s in one `if`, handed to syn. Such a chain nests one tree level per link (syn
/// parses an `else if` chain recursively), so a longer one would be refused after parsing anyway
/// (`depth::MAX_DEPTH`); refusing it here saves parsing — or overflowing on — a huge tree.
pub const MAX_CHAIN: usize = 5_000;

/// Keywords that start an item, so end any chain before them.
const ITEM_KEYWORDS: [&str; 9] = [
    "fn", "struct", "enum", "impl", "trait", "mod", "type", "static", "pub",
];

/// What the nesting estimate tracks per open bracket.
#[derive(Clone, Copy, Default)]
struct Level {
    /// Operator links of the current expression.
    links: usize,
    /// `<` not yet closed by `>` in the current statement: generic arguments nest (syn parses
    /// `Box<Box<…>>` recursively); comparisons and shifts leave a few behind, harmlessly.
    angles: usize,
    /// `else if`s of the current statement.
    else_ifs: usize,
}

#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Class {
    Blank,
    Comment,
    Code,
}

pub fn scan(text: &str, index: &LineIndex) -> Scan {
    scan_with(text, index, Normalize::None, false)
}

/// [`scan`], with clone-detection tokens normalised as `normalize` says, and `use`
/// declarations left out of them when `skip_imports`.
pub fn scan_with(text: &str, index: &LineIndex, normalize: Normalize, skip_imports: bool) -> Scan {
    let bytes = text.as_bytes();
    let total = index.line_count() as usize;
    let mut class = vec![Class::Blank; total + 2];
    let mut mark = |start: usize, end: usize, c: Class| {
        let first = index.line(start) as usize;
        let last = index.line(end.saturating_sub(1).max(start)) as usize;
        for slot in class.iter_mut().take(last.min(total) + 1).skip(first) {
            if c > *slot {
                *slot = c;
            }
        }
    };
    let mut depth = 0usize;
    let mut prefix_run = 0usize;
    let mut levels = vec![Level::default()];
    let mut after_else = false;
    let mut too_deep_at = None;
    let mut lexemes = Vec::new();
    let mut dup = DupSink {
        bytes,
        lines: index.cursor(),
        normalize,
        suppressed: false,
        in_use: None,
        tokens: Vec::new(),
        suppressions: Vec::new(),
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        // Whether this token is a run of prefix operators (`!`, `-`, `*`, `&`), which nest as
        // deeply as brackets do.
        let mut prefix_chars = 0;
        match b {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = memchr_newline(bytes, i);
                mark(start, i, Class::Comment);
                dup.comment(&text[start..i], start);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = block_comment_end(bytes, i);
                mark(start, i, Class::Comment);
                dup.comment(text.get(start..i).unwrap_or_default(), start);
                continue;
            }
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => {
                i += 1;
                continue;
            }
            b'"' => {
                i = string_end(bytes, i + 1);
                lexemes.push(lexeme(bytes, start, i, false));
                dup.push(start, i, TokenClass::Literal);
            }
            b'r' | b'b' | b'c' if raw_string_start(bytes, i).is_some() => {
                let (hashes, quote) = raw_string_start(bytes, i).unwrap_or((0, i + 1));
                i = raw_string_end(bytes, quote + 1, hashes);
                lexemes.push(lexeme(bytes, start, i, false));
                dup.push(start, i, TokenClass::Literal);
            }
            b'b' | b'c' if matches!(bytes.get(i + 1), Some(b'"' | b'\'')) => {
                i = if bytes[i + 1] == b'"' {
                    string_end(bytes, i + 2)
                } else {
                    char_or_lifetime_end(bytes, i + 1)
                };
                lexemes.push(lexeme(bytes, start, i, false));
                dup.push(start, i, TokenClass::Literal);
            }
            b'\'' => {
                i = char_or_lifetime_end(bytes, i);
                let lifetime = i == start + 1;
                if lifetime {
                    // A lifetime or label: `'a` is one operand.
                    i = identifier_end(text, i);
                }
                lexemes.push(lexeme(bytes, start, i, false));
                dup.push(
                    start,
                    i,
                    if lifetime {
                        TokenClass::Identifier
                    } else {
                        TokenClass::Literal
                    },
                );
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                levels.push(Level::default());
                i += 1;
                lexemes.push(lexeme(bytes, start, i, true));
                dup.push(start, i, TokenClass::Syntax);
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if levels.len() > 1 {
                    levels.pop();
                }
                i += 1;
                dup.push(start, i, TokenClass::Syntax);
            }
            _ if b.is_ascii_digit() => {
                i = number_end(bytes, i);
                lexemes.push(lexeme(bytes, start, i, false));
                if i - start > 2 && matches!(&bytes[start..start + 2], b"0x" | b"0o" | b"0b") {
                    // jscpd reads `0x1F` as `0` and `x1F`; counting it alike keeps clones near
                    // `min-tokens` measured alike (the pair matches exactly as one token would).
                    dup.push(start, start + 1, TokenClass::Literal);
                    dup.push(start + 1, i, TokenClass::Literal);
                } else {
                    dup.push(start, i, TokenClass::Literal);
                }
            }
            _ if b >= 0x80 && identifier_end(text, i) == i => {
                // A non-ASCII character that cannot start an identifier (`×`, `→`, a smart
                // quote, an NBSP): Rust whitespace is skipped, anything else is one stray
                // token — which syn then reports as the syntax error it is.
                let c = text[i..].chars().next().unwrap_or('\u{FFFD}');
                i += c.len_utf8();
                if is_rust_whitespace(c) {
                    continue;
                }
                lexemes.push(lexeme(bytes, start, i, true));
                dup.push(start, i, TokenClass::Syntax);
            }
            _ if b.is_ascii_alphabetic() || b == b'_' || b >= 0x80 => {
                // `r#type` is a raw identifier.
                if b == b'r' && bytes.get(i + 1) == Some(&b'#') {
                    i += 2;
                }
                i = identifier_end(text, i);
                let word = &text[start..i];
                lexemes.push(lexeme(bytes, start, i, is_keyword(word)));
                // `use` is reserved: it starts a use declaration (but for 2024's `use<'a>`
                // bound), which clone detection leaves out up to its `;`.
                if skip_imports
                    && word == "use"
                    && dup.in_use.is_none()
                    && bytes[i..].iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'<')
                {
                    dup.begin_use(depth);
                }
                dup.push(
                    start,
                    i,
                    if is_keyword(word) {
                        TokenClass::Syntax
                    } else {
                        TokenClass::Identifier
                    },
                );
                if after_else
                    && word == "if"
                    && let Some(level) = levels.last_mut()
                {
                    level.else_ifs += 1;
                    if level.else_ifs > MAX_CHAIN && too_deep_at.is_none() {
                        too_deep_at = Some(start);
                    }
                }
                // An item starts a new chain: the `->`, `&` and `+` of thousands of signatures
                // and bounds at one level are not one expression.
                if ITEM_KEYWORDS.contains(&word)
                    && let Some(level) = levels.last_mut()
                {
                    level.links = 0;
                }
                after_else = word == "else";
                prefix_run = 0;
                mark(start, i, Class::Code);
                continue;
            }
            _ if b.is_ascii_punctuation() => {
                i += operator_len(&bytes[i..]);
                let op = &bytes[start..i];
                let level = levels
                    .last_mut()
                    .expect("the outermost level is never popped");
                match op {
                    b"<" => level.angles += 1,
                    b"<<" => level.angles += 2,
                    b">" => level.angles = level.angles.saturating_sub(1),
                    b">>" => level.angles = level.angles.saturating_sub(2),
                    b";" => {
                        level.angles = 0;
                        level.else_ifs = 0;
                        if dup.in_use == Some(depth) {
                            // The `;` ending the declaration is left out with it.
                            dup.in_use = Some(usize::MAX);
                        }
                    }
                    _ => {}
                }
                // `->` names a return type; it links nothing.
                let links: &[u8] = if op == b"->" { &[] } else { op };
                for &c in links {
                    match c {
                        b';' | b',' | b'=' => level.links = 0,
                        b'+' | b'-' | b'*' | b'/' | b'%' | b'^' | b'|' | b'&' | b'.' | b'?' => {
                            level.links += 1;
                            if level.links > MAX_CHAIN && too_deep_at.is_none() {
                                too_deep_at = Some(start);
                            }
                        }
                        _ => {}
                    }
                }
                if bytes[start..i]
                    .iter()
                    .all(|c| matches!(c, b'!' | b'-' | b'*' | b'&'))
                {
                    prefix_chars = i - start;
                }
                lexemes.push(lexeme(bytes, start, i, true));
                // For clone detection punctuation counts character by character, as jscpd's
                // tokens do (`::` is two), so clones near `min-tokens` are measured alike.
                for k in start..i {
                    dup.push(k, k + 1, TokenClass::Syntax);
                }
                if dup.in_use == Some(usize::MAX) {
                    dup.in_use = None;
                }
            }
            _ => i += 1,
        }
        prefix_run = if prefix_chars > 0 {
            prefix_run + prefix_chars
        } else {
            0
        };
        after_else = false;
        let angles = levels.last().map_or(0, |l| l.angles);
        if too_deep_at.is_none() && depth + prefix_run + angles > MAX_NESTING {
            too_deep_at = Some(start);
        }
        mark(start, i, Class::Code);
    }
    let count = |c: Class| {
        class
            .iter()
            .skip(1)
            .take(total)
            .filter(|&&x| x == c)
            .count() as u32
    };
    let code = count(Class::Code);
    let comments = count(Class::Comment);
    let lines = LineCounts {
        lines: total as u32,
        sloc: code,
        comments,
        blank: total as u32 - code - comments,
        ..LineCounts::default()
    };
    Scan {
        lines,
        too_deep_at,
        lexemes,
        tokens: dup.tokens,
        suppressions: dup.suppressions,
    }
}

/// Collects clone-detection tokens, leaving out `// qgate: ignore-duplication-start` … `-end`
/// regions (a barrier stands where one was, so no clone spans it), and the suppressions.
struct DupSink<'a> {
    bytes: &'a [u8],
    /// Tokens come in source order: their lines are found walking forward.
    lines: LineCursor<'a>,
    normalize: Normalize,
    suppressed: bool,
    /// Inside a `use` declaration begun at this bracket depth (`usize::MAX`: at its `;`).
    in_use: Option<usize>,
    tokens: Vec<DupToken>,
    suppressions: Vec<Suppression>,
}

impl DupSink<'_> {
    /// A `use` declaration starts (before its keyword is pushed): its tokens are left out, with
    /// no barrier, so the code on either side still joins (identical files are one clone).
    fn begin_use(&mut self, depth: usize) {
        self.in_use = Some(depth);
    }

    fn push(&mut self, start: usize, end: usize, class: TokenClass) {
        if self.in_use.is_some() {
            return;
        }
        let end = end.min(self.bytes.len());
        if class == TokenClass::Literal
            && !self.suppressed
            && self.bytes[start..end].contains(&b'\n')
        {
            // A multi-line string counts piece by piece, as in Python (and as jscpd reads it).
            let text = std::str::from_utf8(&self.bytes[start..end]).unwrap_or_default();
            for (offset, piece) in duplication::pieces(text) {
                let key = duplication::token_key(piece.as_bytes(), class, self.normalize);
                self.tokens.push(DupToken {
                    key,
                    line: self.lines.line(start + offset),
                });
            }
            return;
        }
        if !self.suppressed {
            let key = duplication::token_key(
                &self.bytes[start..end.min(self.bytes.len())],
                class,
                self.normalize,
            );
            self.tokens.push(DupToken {
                key,
                line: self.lines.line(start),
            });
        }
    }

    /// A comment: a marker of a suppressed region, a doc comment (an attribute in Rust, so part
    /// of the code for clone detection, as a docstring is in Python), or nothing.
    fn comment(&mut self, text: &str, start: usize) {
        let doc = (text.starts_with("///") && !text.starts_with("////"))
            || text.starts_with("//!")
            || (text.starts_with("/**") && !text.starts_with("/***") && text != "/**/")
            || text.starts_with("/*!");
        if doc {
            self.push(start, start + text.len(), TokenClass::Literal);
        }
        match markers::parse(text, Language::Rust) {
            Some(Marker::Ignore(rules)) => self.suppressions.push(Suppression {
                line: self.lines.line(start),
                rules,
            }),
            Some(Marker::DuplicationStart) => {
                self.suppressed = true;
                self.tokens.push(DupToken {
                    key: BARRIER,
                    line: self.lines.line(start),
                });
            }
            Some(Marker::DuplicationEnd) => self.suppressed = false,
            None => {}
        }
    }
}

/// A lexeme for `bytes[start..end]`: its text is hashed, not kept.
fn lexeme(bytes: &[u8], start: usize, end: usize, operator: bool) -> Lexeme {
    let text = &bytes[start..end.min(bytes.len())];
    // A bracket counts as its pair: `(` stands for `()`.
    let mut hasher = FxHasher::default();
    operator.hash(&mut hasher);
    text.hash(&mut hasher);
    Lexeme {
        offset: start,
        operator,
        key: hasher.finish(),
    }
}

/// Multi-character operators are one token (maximal munch, as rustc's lexer glues them).
fn operator_len(rest: &[u8]) -> usize {
    const LONGEST_FIRST: [&[u8]; 24] = [
        b">>=", b"<<=", b"...", b"..=", b"::", b"->", b"=>", b"==", b"!=", b"<=", b">=", b"&&",
        b"||", b"+=", b"-=", b"*=", b"/=", b"%=", b"^=", b"&=", b"|=", b"<<", b">>", b"..",
    ];
    LONGEST_FIRST
        .iter()
        .find(|op| rest.starts_with(op))
        .map_or(1, |op| op.len())
}

/// Rust's whitespace beyond ASCII (the Reference's `Pattern_White_Space`): NEL, the
/// left-to-right and right-to-left marks, and the line and paragraph separators.
fn is_rust_whitespace(c: char) -> bool {
    matches!(
        c,
        '\u{85}' | '\u{200E}' | '\u{200F}' | '\u{2028}' | '\u{2029}'
    )
}

/// End of an identifier (or keyword) starting at `from`; `from` itself when the character
/// there cannot be part of one.
fn identifier_end(text: &str, from: usize) -> usize {
    text[from..]
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
        .map_or(text.len(), |(n, _)| from + n)
}

/// End of a number literal: digits, `_`, a suffix (`u8`, `f64`), a fraction (`1.5`, not the
/// range `1..2` nor the call `1.max(2)`) and an exponent (`1e-5`).
fn number_end(bytes: &[u8], from: usize) -> usize {
    let hex = bytes[from..].starts_with(b"0x")
        || bytes[from..].starts_with(b"0b")
        || bytes[from..].starts_with(b"0o");
    let mut i = from;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_alphanumeric() || c == b'_' {
            i += 1;
            if !hex
                && matches!(c, b'e' | b'E')
                && matches!(bytes.get(i), Some(b'+' | b'-'))
                && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
            {
                i += 1;
            }
        } else if c == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) && !hex {
            i += 1;
        } else {
            break;
        }
    }
    i
}

fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(bytes.len(), |p| from + p)
}

/// End of a (nestable) block comment starting at `from` (`/*`).
fn block_comment_end(bytes: &[u8], from: usize) -> usize {
    let mut depth = 0usize;
    let mut i = from;
    while i + 1 < bytes.len() {
        match (bytes[i], bytes[i + 1]) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

/// End of a string whose opening quote ends just before `from`, honouring escapes.
fn string_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// For `r"`, `r#"`, `br##"`, `cr"`: the number of `#` and the offset of the opening quote.
fn raw_string_start(bytes: &[u8], at: usize) -> Option<(usize, usize)> {
    let mut i = at;
    if matches!(bytes[i], b'b' | b'c') {
        i += 1;
    }
    if bytes.get(i) != Some(&b'r') {
        return None;
    }
    // Not the tail of an identifier such as `for` or `bar`.
    if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_') {
        return None;
    }
    i += 1;
    let hashes = bytes[i..].iter().take_while(|&&b| b == b'#').count();
    (bytes.get(i + hashes) == Some(&b'"')).then_some((hashes, i + hashes))
}

fn raw_string_end(bytes: &[u8], from: usize, hashes: usize) -> usize {
    let mut i = from;
    while i < bytes.len() {
        if bytes[i] == b'"'
            && bytes[i + 1..]
                .iter()
                .take(hashes)
                .filter(|&&b| b == b'#')
                .count()
                == hashes
        {
            return i + 1 + hashes;
        }
        i += 1;
    }
    bytes.len()
}

/// `'a'`, `'\n'`, `'\u{1F600}'` are characters; `'a` and `'static` are lifetimes or labels.
fn char_or_lifetime_end(bytes: &[u8], from: usize) -> usize {
    let rest = &bytes[from + 1..];
    if rest.first() == Some(&b'\\') {
        return rest
            .iter()
            .skip(1)
            .position(|&b| b == b'\'')
            .map_or(bytes.len(), |p| from + p + 3);
    }
    // One character (possibly multi-byte) then a closing quote: a char literal.
    let width = match rest.first() {
        Some(&b) if b < 0x80 => 1,
        Some(&b) if b >= 0xF0 => 4,
        Some(&b) if b >= 0xE0 => 3,
        Some(_) => 2,
        None => return bytes.len(),
    };
    if rest.get(width) == Some(&b'\'') {
        return from + 1 + width + 1;
    }
    from + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(src: &str) -> LineCounts {
        scan(src, &LineIndex::new(src)).lines
    }

    #[test]
    fn counts_code_comment_and_blank_lines() {
        let src = "//! Crate doc.\n\n/// Item doc.\nfn f() { // trailing\n    /* block\n       comment */\n    1\n}\n";
        assert_eq!(
            lines(src),
            LineCounts {
                lines: 8,
                sloc: 3,
                comments: 4,
                blank: 1,
                ..LineCounts::default()
            }
        );
    }

    #[test]
    fn comment_markers_inside_strings_are_code() {
        let src =
            "let s = \"// not a comment\";\nlet r = r#\"/* nor \"this\" */\"#;\nlet c = '\"';\n";
        assert_eq!(
            lines(src),
            LineCounts {
                lines: 3,
                sloc: 3,
                comments: 0,
                blank: 0,
                ..LineCounts::default()
            }
        );
    }

    #[test]
    fn lifetimes_are_not_char_literals() {
        let src = "fn f<'a>(x: &'a str) -> &'a str {\n    // c\n    x\n}\n";
        assert_eq!(
            lines(src),
            LineCounts {
                lines: 4,
                sloc: 3,
                comments: 1,
                blank: 0,
                ..LineCounts::default()
            }
        );
    }

    #[test]
    fn lexemes_for_halstead() {
        let src = "/// Doc.\nfn f<'a>(x: &'a str) -> u8 { x.len() as u8 + 1_000 + 1.5e-3 + b'a' as u8 } // c\n";
        let found: Vec<Lexeme> = scan(src, &LineIndex::new(src)).lexemes;
        let has = |text: &str, operator: bool| {
            let wanted = lexeme(text.as_bytes(), 0, text.len(), operator).key;
            found
                .iter()
                .any(|l| l.key == wanted && l.operator == operator)
        };
        for operand in [
            "f", "'a", "x", "str", "u8", "len", "1_000", "1.5e-3", "b'a'",
        ] {
            assert!(has(operand, false), "operand {operand}");
        }
        for operator in ["fn", "<", "(", ":", "&", "->", "{", ".", "as", "+"] {
            assert!(has(operator, true), "operator {operator}");
        }
        // Comments (the doc comment too) are not lexemes.
        assert!(!has("Doc", false) && !has("c", false));
        assert_eq!(found.len(), 28);
        let ranges = "for i in 0..10 {}";
        assert_eq!(scan(ranges, &LineIndex::new(ranges)).lexemes.len(), 7); // for i in 0 .. 10 {}
    }

    #[test]
    fn non_ascii_characters_outside_strings_are_stepped_over() {
        // Each of these once made the scan loop forever without advancing, growing its
        // lexeme list until the allocator aborted the whole run.
        for c in ['×', '→', '“', '\u{A0}', '\u{200B}', '€', '😀'] {
            let src = format!("fn f(a: u32) -> u32 {{ a {c} 2 }}\n");
            let scan = scan(&src, &LineIndex::new(&src));
            let offsets: Vec<usize> = scan.lexemes.iter().map(|l| l.offset).collect();
            let at = src.find(c).unwrap();
            // `fn f ( a : u32 -> u32 { a` `c` `2` (closing brackets are no lexemes): the
            // character is one operator token and `2` starts right after its last byte.
            assert_eq!(offsets.len(), 12, "{c:?}");
            assert_eq!(offsets[10..], [at, at + c.len_utf8() + 1], "{c:?}");
            assert!(scan.lexemes[10].operator, "{c:?}");
            assert_eq!(scan.lines.sloc, 1, "{c:?}");
        }
    }

    #[test]
    fn rust_whitespace_beyond_ascii_is_whitespace() {
        for c in ['\u{85}', '\u{200E}', '\u{200F}', '\u{2028}', '\u{2029}'] {
            let src = format!("fn f() {{{c}}}\n");
            let scan = scan(&src, &LineIndex::new(&src));
            // `fn f ( {`: the separator between the braces is no token.
            assert_eq!(scan.lexemes.len(), 4, "{c:?}");
        }
    }

    #[test]
    fn suppressions_come_from_comments_only() {
        let src = "loop { break; } // qgate: ignore[clippy::never_loop]\nlet s = \"// qgate: ignore[x]\";\n# qgate: ignore[y]\n/// qgate: ignore[a, b]\nfn f() {}\n";
        let got: Vec<(u32, Vec<String>)> = scan(src, &LineIndex::new(src))
            .suppressions
            .into_iter()
            .map(|s| (s.line, s.rules))
            .collect();
        assert_eq!(
            got,
            [
                (1, vec!["clippy::never_loop".to_owned()]),
                (4, vec!["a".to_owned(), "b".to_owned()])
            ]
        );
    }

    #[test]
    fn use_declarations_are_left_out_of_clone_tokens() {
        let src = "use std::{io, fmt};\npub(crate) use a::b;\nfn f() -> impl Sized + use<> { 1 }\n";
        let keys = |skip: bool| -> Vec<u32> {
            scan_with(src, &LineIndex::new(src), Normalize::None, skip)
                .tokens
                .iter()
                .map(|t| t.line)
                .collect()
        };
        let all = keys(false);
        let skipped = keys(true);
        // Line 1 is gone; line 2 keeps `pub ( crate )`; line 3 is whole (`use<>` is a capture
        // bound, not a declaration).
        assert_eq!(skipped.iter().filter(|&&l| l == 1).count(), 0);
        assert_eq!(skipped.iter().filter(|&&l| l == 2).count(), 4);
        let line3 = |v: &[u32]| v.iter().filter(|&&l| l == 3).count();
        assert_eq!(line3(&skipped), line3(&all));
        let tokens = scan_with(src, &LineIndex::new(src), Normalize::None, true).tokens;
        assert!(tokens.iter().all(|t| t.key != BARRIER));
    }

    #[test]
    fn nested_block_comments() {
        assert_eq!(lines("/* a /* b */ c */\nx\n").comments, 1);
    }

    #[test]
    fn deep_brackets_and_prefix_runs_are_flagged_with_their_offset() {
        let src = format!("fn f() {{ {} }}", "(".repeat(2000));
        let at = scan(&src, &LineIndex::new(&src)).too_deep_at.unwrap();
        assert_eq!(at, 9 + MAX_NESTING - 1);
        let src = format!("fn f() {{ {}x }}", "!".repeat(5000));
        assert!(scan(&src, &LineIndex::new(&src)).too_deep_at.is_some());
        let src = format!("fn f() {{ {} }}", vec!["1"; MAX_CHAIN + 2].join("+"));
        assert_eq!(
            scan(&src, &LineIndex::new(&src)).too_deep_at,
            Some(9 + 2 * MAX_CHAIN + 1)
        );
        // Separators end an expression: a long array or statement list is fine.
        let src = format!("fn f() {{ [{}]; }}", vec!["1+1"; MAX_CHAIN * 2].join(","));
        assert!(scan(&src, &LineIndex::new(&src)).too_deep_at.is_none());
        // Generic arguments nest (syn#1732), `else if` chains too.
        let src = format!(
            "type T = {}u8{};",
            "Box<".repeat(MAX_NESTING + 1),
            ">".repeat(MAX_NESTING + 1)
        );
        assert!(scan(&src, &LineIndex::new(&src)).too_deep_at.is_some());
        let src = format!(
            "type T = {}u8;",
            "Box<<T as Tr>::A>".to_owned() + &"<<".repeat(MAX_NESTING)
        );
        assert!(scan(&src, &LineIndex::new(&src)).too_deep_at.is_some());
        let src = format!(
            "fn f(x: u8) {{ {}{{}} }}",
            "if x == 0 {} else ".repeat(MAX_CHAIN + 2)
        );
        assert!(scan(&src, &LineIndex::new(&src)).too_deep_at.is_some());
        // Ordinary generics, comparisons and shifts, statement after statement, are fine.
        let src = "fn f(a: u8) -> Vec<Vec<u8>> { let b = a << 2; if a < b { vec![] } else if a > 1 { vec![] } else { vec![] } }\n".repeat(2000);
        assert!(scan(&src, &LineIndex::new(&src)).too_deep_at.is_none());
        // 5,001 one-line functions are 5,001 items, not one chain of `->` and `&` (they were
        // refused as an operator chain at the 5,001st).
        let src = (0..MAX_CHAIN + 1)
            .map(|i| format!("fn f{i}(a: &u32) -> u32 {{ if *a > {i} {{ *a }} else {{ 0 }} }}\n"))
            .collect::<String>();
        assert_eq!(scan(&src, &LineIndex::new(&src)).too_deep_at, None);
        let src = format!(
            "impl<T: ?Sized> A for T where T: {} {{}}\n",
            ["B"; 10].join(" + ")
        )
        .repeat(MAX_CHAIN);
        assert_eq!(scan(&src, &LineIndex::new(&src)).too_deep_at, None);
        let ok = "fn f() { ((((1)))) }";
        assert!(scan(ok, &LineIndex::new(ok)).too_deep_at.is_none());
    }
}
