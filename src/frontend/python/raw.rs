//! radon's raw metrics (`radon/raw.py analyze`), reproduced exactly as radon computes them
//! under Python 3.12+ (DEFINITIONS.md §3.6):
//!
//! - the source is split with Python's `str.splitlines()` (which also breaks at form feeds,
//!   `\v`, `\x1c`–`\x1e`, U+0085, U+2028, U+2029) and every line is stripped;
//! - lines are grouped into the shortest "chunks" that tokenize on their own (a multi-line
//!   string, an open bracket or a backslash continuation extends a chunk);
//! - a chunk that is one comment is a `single_comments` line; one string token on one line
//!   is a `single_comments` line, on several lines its non-empty lines are `multi`; any other
//!   chunk counts its non-empty lines as `sloc` — empty lines are `blank` everywhere;
//! - `comments` counts comment tokens; `lloc` counts logical lines per `;`-separated part of
//!   a chunk: 0 without code, 1 when the last `:` operator ends the part (or there is none),
//!   2 when code follows it (`if x: return`, but also `d = {1: 2}` or `f"{x:>4}"`, radon's
//!   quirks kept on purpose).

use super::depth::MAX_BRACKETS;

/// radon's `Module` tuple. `loc = sloc + blank + multi + single_comments`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RawMetrics {
    pub loc: u32,
    pub lloc: u32,
    pub sloc: u32,
    pub comments: u32,
    pub multi: u32,
    pub blank: u32,
    pub single_comments: u32,
}

/// What the raw pass found: the metrics, and whether brackets stay within the bound the
/// parser needs ([`MAX_BRACKETS`]), found by the same lexing.
#[derive(Debug)]
pub struct Raw {
    pub metrics: RawMetrics,
    pub brackets: Brackets,
}

/// Brackets (and f-string replacement fields) open at once, as the raw lexer saw them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Brackets {
    /// Never more than [`MAX_BRACKETS`].
    Within,
    /// More at this byte offset of the text (the bracket that opened one too many): the
    /// metrics are not complete.
    TooDeep(usize),
    /// The lexing stopped early (the text ends inside a string or bracket, or a line break
    /// Python's `splitlines` sees cut a string): what followed was not counted.
    Unknown,
}

pub fn analyze(text: &str) -> Raw {
    let lines: Vec<&str> = split_lines(text).map(strip).collect();
    let mut m = RawMetrics::default();
    let lexed = chunks(&lines);
    for chunk in &lexed.chunks {
        let chunk_tokens = &lexed.tokens[chunk.tokens.clone()];
        classify(chunk_tokens, &lines[chunk.first..=chunk.last], &mut m);
        m.lloc += logical_lines(chunk_tokens);
    }
    m.loc = m.sloc + m.blank + m.multi + m.single_comments;
    let brackets = match lexed.too_deep {
        Some((line, column)) => Brackets::TooDeep(offset_in(text, lines[line]) + column),
        None if lexed.incomplete => Brackets::Unknown,
        None => Brackets::Within,
    };
    Raw {
        metrics: m,
        brackets,
    }
}

/// Byte offset in `text` of `line`, a slice of it.
fn offset_in(text: &str, line: &str) -> usize {
    line.as_ptr() as usize - text.as_ptr() as usize
}

/// A run of lines that tokenizes on its own, with its tokens (a range of all the file's).
struct Chunk {
    tokens: std::ops::Range<usize>,
    first: usize,
    last: usize,
}

/// Splits the stripped lines into chunks in one pass: a chunk ends at a line break outside any
/// bracket, string or continuation — exactly where radon's "tokenize, else add a line" loop
/// would stop. Whatever is open at the end of the file is the last chunk (radon raises there;
/// ruff has already reported the syntax error).
fn chunks(lines: &[&str]) -> Lexed {
    let mut lexed = Lexed::default();
    if lines.is_empty() {
        return lexed;
    }
    let text = lines.join("\n");
    let mut lexer = Lexer {
        src: text.as_bytes(),
        text: &text,
        pos: 0,
        tokens: Vec::new(),
        incomplete: false,
        chunks: Vec::new(),
        chunk_first: 0,
        chunk_tokens: 0,
        line: 0,
        line_pos: 0,
        open: 0,
        too_deep: None,
    };
    lexer.lex(Stop::Eof, &mut 0);
    if lexer.chunk_first < lines.len() {
        lexer.chunks.push(Chunk {
            tokens: lexer.chunk_tokens..lexer.tokens.len(),
            first: lexer.chunk_first,
            last: lines.len() - 1,
        });
    }
    if let Some(pos) = lexer.too_deep {
        lexer.pos = pos;
        let line = lexer.current_line();
        let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
        lexed.too_deep = Some((line, pos - line_start));
    }
    lexed.incomplete = lexer.incomplete;
    lexed.chunks = lexer.chunks;
    lexed.tokens = lexer.tokens;
    lexed
}

/// The chunks and tokens of the stripped lines, and where brackets first opened too deep
/// (line index and byte column in its stripped line).
#[derive(Default)]
struct Lexed {
    chunks: Vec<Chunk>,
    tokens: Vec<Token>,
    incomplete: bool,
    too_deep: Option<(usize, usize)>,
}

fn classify(tokens: &[Token], chunk: &[&str], m: &mut RawMetrics) {
    m.comments += tokens.iter().filter(|t| **t == Token::Comment).count() as u32;
    let empty = chunk.iter().filter(|l| l.is_empty()).count() as u32;
    let non_empty = chunk.len() as u32 - empty;
    match tokens {
        [Token::Comment] => m.single_comments += 1,
        [Token::String { multiline: false }] => m.single_comments += 1,
        [Token::String { multiline: true }] => {
            m.multi += non_empty;
            m.blank += empty;
        }
        _ => {
            m.sloc += non_empty;
            m.blank += empty;
        }
    }
}

/// radon's `_logical`: logical lines in one chunk.
fn logical_lines(tokens: &[Token]) -> u32 {
    let last = tokens.iter().filter(|t| **t == Token::Semicolon).count();
    tokens
        .split(|t| *t == Token::Semicolon)
        .enumerate()
        .map(|(i, part)| {
            // radon drops comments; only the last part still ends with ENDMARKER, which it
            // assumes is always there.
            let mut code = 0usize;
            let mut last_colon = None;
            for t in part.iter().filter(|t| **t != Token::Comment) {
                if *t == Token::Colon {
                    last_colon = Some(code);
                }
                code += 1;
            }
            let len = code + usize::from(i == last);
            match last_colon {
                Some(pos) => 2 - u32::from(pos + 2 == len),
                None => u32::from(code > 0),
            }
        })
        .sum()
}

/// What radon looks at in tokenize's output. Newlines, indentation and the end marker are left
/// out: radon ignores them everywhere it matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    Comment,
    /// A STRING token (not an f-string, which Python 3.12+ tokenizes as several tokens).
    String {
        multiline: bool,
    },
    /// The `:` operator (not `:=`).
    Colon,
    Semicolon,
    Other,
}

struct Lexer<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    /// Tokens of the chunks read so far and of the one being read.
    tokens: Vec<Token>,
    /// The text ended inside something open: stop.
    incomplete: bool,
    chunks: Vec<Chunk>,
    chunk_first: usize,
    /// Where the tokens of the chunk being read begin.
    chunk_tokens: usize,
    /// Line index of `line_pos`, advanced lazily (one pass over the text in all).
    line: usize,
    line_pos: usize,
    /// Brackets and f-string fields open at once, however nested.
    open: usize,
    /// Where one opened past [`MAX_BRACKETS`]: lexing stopped there.
    too_deep: Option<usize>,
}

/// Where an f-string replacement field's expression stops lexing.
#[derive(Clone, Copy, PartialEq)]
enum Stop {
    /// Top level: the end of the text.
    Eof,
    /// Inside `{…}` of an f-string: the matching `}` (or a top-level `:`/`!`).
    Field,
}

impl Lexer<'_> {
    /// A bracket or f-string field opens at the current position: false, and lexing stops,
    /// when that is more than [`MAX_BRACKETS`] open at once (the parser would take gigabytes,
    /// and this lexer's own recursion into fields is bounded so too).
    fn opens(&mut self) -> bool {
        self.open += 1;
        if self.open > MAX_BRACKETS {
            self.too_deep = Some(self.pos);
            self.incomplete = true;
            return false;
        }
        true
    }

    fn peek(&self, ahead: usize) -> Option<u8> {
        self.src.get(self.pos + ahead).copied()
    }

    /// Line index (0-based) of the current position.
    fn current_line(&mut self) -> usize {
        let end = self.pos.min(self.src.len());
        self.line += self.src[self.line_pos..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.line_pos = end;
        self.line
    }

    /// Lexes code until `stop`. Returns at an f-string field's `}`, `:` or `!` (not consumed).
    fn lex(&mut self, stop: Stop, depth: &mut usize) {
        let base = *depth;
        while let Some(b) = self.peek(0) {
            match b {
                b' ' | b'\t' | b'\x0c' | b'\r' => self.pos += 1,
                b'\n' if stop == Stop::Eof && *depth == 0 => {
                    // The end of a chunk.
                    let line = self.current_line();
                    self.chunks.push(Chunk {
                        tokens: self.chunk_tokens..self.tokens.len(),
                        first: self.chunk_first,
                        last: line,
                    });
                    self.chunk_first = line + 1;
                    self.chunk_tokens = self.tokens.len();
                    self.pos += 1;
                }
                b'\n' => self.pos += 1,
                b'\\' => {
                    // Line continuation: the text must go on.
                    self.pos += 1;
                    match self.peek(0) {
                        Some(b'\n') => self.pos += 1,
                        Some(b'\r') => {
                            self.pos += 1;
                            if self.peek(0) == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        None => {
                            self.incomplete = true;
                            return;
                        }
                        Some(_) => self.tokens.push(Token::Other),
                    }
                }
                // A comment, also inside a field of a triple-quoted f-string (Python 3.12+).
                b'#' => {
                    let rest = &self.src[self.pos..];
                    self.pos += memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len());
                    self.tokens.push(Token::Comment);
                }
                b'(' | b'[' | b'{' => {
                    if !self.opens() {
                        return;
                    }
                    *depth += 1;
                    self.pos += 1;
                    self.tokens.push(Token::Other);
                }
                b')' | b']' | b'}' => {
                    if stop == Stop::Field && *depth == base && b == b'}' {
                        return;
                    }
                    if *depth > 0 {
                        self.open -= 1;
                    }
                    *depth = depth.saturating_sub(1);
                    self.pos += 1;
                    self.tokens.push(Token::Other);
                }
                b':' => {
                    if self.peek(1) == Some(b'=') && !(stop == Stop::Field && *depth == base) {
                        self.pos += 2;
                        self.tokens.push(Token::Other);
                    } else if stop == Stop::Field && *depth == base {
                        return;
                    } else {
                        self.pos += 1;
                        self.tokens.push(Token::Colon);
                    }
                }
                b'!' if stop == Stop::Field && *depth == base && self.peek(1) != Some(b'=') => {
                    return;
                }
                b';' => {
                    self.pos += 1;
                    self.tokens.push(Token::Semicolon);
                }
                b'\'' | b'"' => self.string(),
                _ if b.is_ascii_alphabetic() || b == b'_' || b >= 0x80 => {
                    let start = self.pos;
                    let rest = &self.src[start..];
                    self.pos += rest
                        .iter()
                        .position(|&c| !(c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80))
                        .unwrap_or(rest.len());
                    let word = &self.text[start..self.pos];
                    if matches!(self.peek(0), Some(b'\'' | b'"'))
                        && word.len() <= 2
                        && word.bytes().all(|c| b"rRbBuUfFtT".contains(&c))
                    {
                        let formatted = word.bytes().any(|c| b"fFtT".contains(&c));
                        let raw = word.bytes().any(|c| c == b'r' || c == b'R');
                        if formatted {
                            self.fstring(raw);
                        } else {
                            self.string();
                        }
                    } else {
                        self.tokens.push(Token::Other);
                    }
                }
                _ if b.is_ascii_digit()
                    || (b == b'.' && self.peek(1).is_some_and(|c| c.is_ascii_digit())) =>
                {
                    while self
                        .peek(0)
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.')
                    {
                        // An exponent sign belongs to the number: 1e-5.
                        let e = self.peek(0).is_some_and(|c| c == b'e' || c == b'E');
                        self.pos += 1;
                        if e && matches!(self.peek(0), Some(b'+' | b'-')) {
                            self.pos += 1;
                        }
                    }
                    self.tokens.push(Token::Other);
                }
                _ => {
                    // Operators and anything else: one token per character is enough here.
                    let width = self.text[self.pos..]
                        .chars()
                        .next()
                        .map_or(1, char::len_utf8);
                    self.pos += width;
                    self.tokens.push(Token::Other);
                }
            }
            if self.incomplete {
                return;
            }
        }
    }

    /// Position just after the opening quote(s); returns whether the string is triple-quoted.
    fn open_quote(&mut self) -> (u8, bool) {
        let q = self.src[self.pos];
        let triple = self.peek(1) == Some(q) && self.peek(2) == Some(q);
        self.pos += if triple { 3 } else { 1 };
        (q, triple)
    }

    /// A plain (non-f) string starting at the quote. Even in a raw string a backslash keeps the
    /// next character (a quote) in the string.
    fn string(&mut self) {
        let start = self.pos;
        let (q, triple) = self.open_quote();
        loop {
            // Straight to the next byte that can end the string: a quote, a backslash, or (in
            // a one-line string) a line break, which in the joined lines is always `\n`.
            // (A backslash at the very end leaves the position past it.)
            let rest = self.src.get(self.pos..).unwrap_or_default();
            let next = if triple {
                memchr::memchr2(q, b'\\', rest)
            } else {
                memchr::memchr3(q, b'\\', b'\n', rest)
            };
            self.pos += next.unwrap_or(rest.len());
            match self.peek(0) {
                None => {
                    self.incomplete = true;
                    return;
                }
                Some(b'\\') => self.pos += 2,
                Some(c) if c == q => {
                    if self.closes(q, triple) {
                        break;
                    }
                }
                Some(b'\n' | b'\r') if !triple => {
                    // An unterminated single-quoted string: Python's tokenizer raises.
                    self.incomplete = true;
                    return;
                }
                Some(_) => self.pos += 1,
            }
        }
        let multiline = self.src[start..self.pos.min(self.src.len())].contains(&b'\n');
        self.tokens.push(Token::String { multiline });
    }

    /// An f-string (or t-string): literal parts, and `{…}` fields whose expressions are real
    /// tokens in Python 3.12+ (a format spec starts with a `:` operator token).
    fn fstring(&mut self, raw: bool) {
        let (q, triple) = self.open_quote();
        self.tokens.push(Token::Other); // FSTRING_START
        loop {
            match self.peek(0) {
                None => {
                    self.incomplete = true;
                    return;
                }
                Some(b'\\') => self.fstring_escape(raw),
                Some(b'{') if self.peek(1) == Some(b'{') => self.pos += 2,
                Some(b'}') if self.peek(1) == Some(b'}') => self.pos += 2,
                Some(b'{') => {
                    if !self.opens() {
                        return;
                    }
                    self.pos += 1;
                    self.tokens.push(Token::Other);
                    self.field();
                    if self.incomplete {
                        return;
                    }
                    self.open -= 1;
                }
                Some(c) if c == q => {
                    if self.closes(q, triple) {
                        break;
                    }
                }
                Some(b'\n' | b'\r') if !triple => {
                    self.incomplete = true;
                    return;
                }
                Some(_) => self.pos += 1,
            }
        }
        self.tokens.push(Token::Other); // FSTRING_END
    }

    /// At a quote `q` inside a string: consumes it, and the two more of a triple quote when they
    /// are there; whether that ended the string.
    fn closes(&mut self, q: u8, triple: bool) -> bool {
        if !triple {
            self.pos += 1;
            return true;
        }
        if self.peek(1) == Some(q) && self.peek(2) == Some(q) {
            self.pos += 3;
            return true;
        }
        self.pos += 1;
        false
    }

    /// A backslash in an f-string's literal part. `\{` leaves the brace to open a field (Python
    /// warns about the escape but tokenizes it so); `\N{NAME}` is one escape; a backslash
    /// before a quote keeps the quote in the string, in raw f-strings too.
    fn fstring_escape(&mut self, raw: bool) {
        match self.peek(1) {
            Some(b'{' | b'}') => self.pos += 1,
            Some(b'N') if !raw && self.peek(2) == Some(b'{') => {
                while self.peek(0).is_some_and(|c| c != b'}' && c != b'\n') {
                    self.pos += 1;
                }
                self.pos += 1;
            }
            _ => self.pos += 2,
        }
    }

    /// After `{`: the expression, then `!conversion`, then `:format spec` (which may hold
    /// nested fields), then `}`.
    fn field(&mut self) {
        let mut depth = 0;
        self.lex(Stop::Field, &mut depth);
        if self.incomplete {
            return;
        }
        if self.peek(0) == Some(b'!') {
            self.pos += 1;
            self.tokens.push(Token::Other);
            while self.peek(0).is_some_and(|c| c.is_ascii_alphanumeric()) {
                self.pos += 1;
            }
            self.tokens.push(Token::Other);
            while self.peek(0).is_some_and(|c| c.is_ascii_whitespace()) {
                self.pos += 1;
            }
        }
        if self.peek(0) == Some(b':') {
            self.pos += 1;
            self.tokens.push(Token::Colon);
            // The format spec is literal text with nested `{…}` fields.
            loop {
                match self.peek(0) {
                    None => {
                        self.incomplete = true;
                        return;
                    }
                    Some(b'{') => {
                        if !self.opens() {
                            return;
                        }
                        self.pos += 1;
                        self.tokens.push(Token::Other);
                        self.field();
                        if self.incomplete {
                            return;
                        }
                        self.open -= 1;
                    }
                    Some(b'}') => break,
                    Some(_) => self.pos += 1,
                }
            }
        }
        if self.peek(0) == Some(b'}') {
            self.pos += 1;
            self.tokens.push(Token::Other);
        } else {
            self.incomplete = true;
        }
    }
}

/// Python's `str.splitlines()`: no empty line after a final break.
fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    // Most files have no break but `\n` and `\r` (nor a byte any other starts with): those are
    // found by a vectorised search.
    let bytes = text.as_bytes();
    let only_newlines = memchr::memchr3(0x0b, 0x0c, 0x1c, bytes).is_none()
        && memchr::memchr3(0x1d, 0x1e, 0xc2, bytes).is_none()
        && memchr::memchr(0xe2, bytes).is_none();
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let found = if only_newlines {
            memchr::memchr2(b'\n', b'\r', rest.as_bytes()).map(|i| (i, 1))
        } else {
            next_line_break(rest)
        };
        let Some((i, width)) = found else {
            let line = rest;
            rest = "";
            return Some(line);
        };
        let line = &rest[..i];
        let mut next = i + width;
        if rest.as_bytes()[i] == b'\r' && rest.as_bytes().get(next) == Some(&b'\n') {
            next += 1;
        }
        rest = &rest[next..];
        Some(line)
    })
}

/// Offset and byte width of the first line break. Scans bytes: every break is an ASCII control
/// byte or starts with 0xC2 (U+0085) or 0xE2 (U+2028, U+2029), so only those need decoding.
fn next_line_break(text: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(k) = bytes[from..].iter().position(|&b| MAY_BREAK[b as usize]) {
        let i = from + k;
        if !matches!(bytes[i], 0xC2 | 0xE2) {
            return Some((i, 1));
        }
        // A leading byte: `i` is a character boundary.
        if let Some(c) = text[i..].chars().next()
            && is_line_break(c)
        {
            return Some((i, c.len_utf8()));
        }
        from = i + 1;
    }
    None
}

/// The bytes a line break can start with (one table lookup a byte, not a chain of compares).
static MAY_BREAK: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = matches!(
            b as u8,
            b'\n' | b'\r' | 0x0b | 0x0c | 0x1c..=0x1e | 0xC2 | 0xE2
        );
        b += 1;
    }
    table
};

fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\x0b'
            | '\x0c'
            | '\x1c'
            | '\x1d'
            | '\x1e'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// Python's `str.strip()`: whitespace as `str.isspace()` defines it.
fn strip(line: &str) -> &str {
    let is_space = |c: char| c.is_whitespace() || ('\x1c'..='\x1f').contains(&c);
    // ASCII spaces are stripped byte by byte; at a non-ASCII end, by characters.
    let ascii_space = |b: &u8| matches!(b, b'\t'..=b'\r' | b'\x1c'..=b'\x1f' | b' ');
    let bytes = line.as_bytes();
    let start = bytes
        .iter()
        .position(|b| !ascii_space(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !ascii_space(b))
        .map_or(start, |i| i + 1);
    let line = &line[start..end];
    if line.as_bytes().first().is_some_and(|b| !b.is_ascii())
        || line.as_bytes().last().is_some_and(|b| !b.is_ascii())
    {
        return line.trim_matches(is_space);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(src: &str) -> RawMetrics {
        let raw = analyze(src);
        assert_eq!(raw.brackets, Brackets::Within, "{src:?}");
        raw.metrics
    }

    #[test]
    fn brackets_and_f_string_fields_open_at_once_are_bounded() {
        let deep = |prefix: &str, opener: &str| {
            let text = format!("{prefix}{}1\n", opener.repeat(1_001));
            analyze(&text).brackets
        };
        // The 1,001st bracket; found in the stripped line, reported in the text.
        assert_eq!(deep("x = ", "("), Brackets::TooDeep(4 + 1_000));
        assert_eq!(deep("if x:\n    y = ", "["), Brackets::TooDeep(14 + 1_000));
        // A field is open as a bracket is: its `{` and then 999 parentheses make 1,000.
        assert_eq!(deep("x = f\"{", "("), Brackets::TooDeep(7 + 999));
        // Each nested f-string opens one field: the 1,001st `{` is the last of 1,001.
        assert_eq!(deep("x = ", "f\"{"), Brackets::TooDeep(4 + 3 * 1_000 + 2));
        let within = format!("x = {}1{}\n", "(".repeat(1_000), ")".repeat(1_000));
        assert_eq!(analyze(&within).brackets, Brackets::Within);
        // Closed brackets do not add up, in fields either.
        let many = "f(a[1], {2: (3)}, f\"{g(x)}\")\n".repeat(2_000);
        assert_eq!(analyze(&many).brackets, Brackets::Within);
        assert_eq!(analyze(&many).metrics.sloc, 2_000);
        // A form feed cuts the string for `splitlines`: the lexer stops and cannot tell.
        assert_eq!(analyze("s = 'a\x0cb'\n(\n").brackets, Brackets::Unknown);
    }

    #[test]
    fn module_docstring_comment_blank_and_code() {
        let m = raw("\"\"\"Doc.\"\"\"\n\n# comment\nx = 1  # trailing\n");
        assert_eq!(
            m,
            RawMetrics {
                loc: 4,
                lloc: 2,
                sloc: 1,
                comments: 2,
                multi: 0,
                blank: 1,
                single_comments: 2
            }
        );
    }

    #[test]
    fn multi_line_docstring_counts_its_non_empty_lines_as_multi() {
        let m = raw("def f():\n    \"\"\"Doc\n\n    more.\n    \"\"\"\n    return 1\n");
        assert_eq!((m.multi, m.blank, m.sloc, m.lloc), (3, 1, 2, 3));
    }

    #[test]
    fn multi_line_string_in_code_counts_as_code() {
        let m = raw("x = \"\"\"a\n\nb\"\"\"\n");
        assert_eq!((m.sloc, m.blank, m.multi, m.lloc), (2, 1, 0, 1));
    }

    #[test]
    fn logical_lines_follow_radon_including_its_quirks() {
        assert_eq!(raw("if x:\n    pass\n").lloc, 2);
        assert_eq!(raw("if x: return 0\n").lloc, 2);
        assert_eq!(raw("if x:  # c\n    pass\n").lloc, 2);
        assert_eq!(raw("a = 1; b = 2\n").lloc, 2);
        assert_eq!(raw("d = {1: 2}\n").lloc, 2);
        assert_eq!(raw("x: int = 1\n").lloc, 2);
        assert_eq!(raw("y = (x := 1)\n").lloc, 1);
        assert_eq!(raw("print(f\"{x:>10}\")\n").lloc, 2);
        assert_eq!(raw("print(f\"{x!r}\")\n").lloc, 1);
        assert_eq!(raw("class A: pass; x = 1\n").lloc, 2);
        assert_eq!(raw("# only a comment\n").lloc, 0);
    }

    #[test]
    fn brackets_and_continuations_make_one_chunk() {
        let m = raw("x = [\n    1,\n\n    2,\n]\ny = 1 + \\\n    2\n");
        assert_eq!((m.sloc, m.blank, m.lloc), (6, 1, 2));
    }

    #[test]
    fn splitlines_breaks_at_form_feeds_like_python() {
        let m = raw("x = 1\n\x0c\ny = 2\n");
        assert_eq!((m.loc, m.blank, m.sloc), (4, 2, 2));
        let lines: Vec<&str> = split_lines("a\r\nb\rc\u{2028}d\u{85}é\u{2029}").collect();
        assert_eq!(lines, ["a", "b", "c", "d", "é"]);
        assert_eq!(split_lines("x\n\n").collect::<Vec<_>>(), ["x", ""]);
        // Only `\n` and `\r`: the vectorised search, with the same lines.
        let lines: Vec<&str> = split_lines("a\r\nb\rc\n\nd").collect();
        assert_eq!(lines, ["a", "b", "c", "", "d"]);
        // A character that starts like U+2028 (— is E2 80 94) is no break.
        let lines: Vec<&str> = split_lines("a—b\nc\u{a0}d").collect();
        assert_eq!(lines, ["a—b", "c\u{a0}d"]);
    }

    #[test]
    fn a_text_ending_inside_a_string_or_after_a_backslash_is_incomplete_not_a_panic() {
        for text in [
            "s = 'a\\",
            "s = '''a\\",
            "s = 'a",
            "s = \"\"\"a\n",
            "s = 'a\nb = 1\n",
        ] {
            assert_eq!(analyze(text).brackets, Brackets::Unknown, "{text:?}");
        }
        // Escaped quotes and a one-line string's end, found by the search for them.
        let m = raw("s = 'it\\'s'  # c\nt = '''a\n\\'''b'''\n");
        assert_eq!((m.sloc, m.comments, m.lloc), (3, 1, 2));
    }

    #[test]
    fn strip_takes_what_python_calls_space_from_both_ends() {
        assert_eq!(strip(" \t\x0b\x0c\x1c\x1fx = 1 \r"), "x = 1");
        assert_eq!(strip("\u{a0} \u{3000}x\u{2028} \u{85}"), "x");
        assert_eq!(strip(" é "), "é");
        assert_eq!(strip("x\u{a0}y"), "x\u{a0}y");
        assert_eq!(strip(" \u{a0} "), "");
        assert_eq!(strip(""), "");
        assert_eq!(strip("\x01x\x7f"), "\x01x\x7f");
    }

    #[test]
    fn implicit_concatenation_and_f_strings_are_code_not_docstrings() {
        assert_eq!(raw("\"a\" \"b\"\n").sloc, 1);
        assert_eq!(raw("f\"a\"\n").sloc, 1);
        assert_eq!(raw("b'x'\n").single_comments, 1);
    }

    #[test]
    fn f_string_escapes_and_comments_in_fields() {
        assert_eq!(raw("f\"\\{foo}\\{bar:\\}\"\n").lloc, 2);
        assert_eq!(raw("f\"\\N{DASH} {x}\"\n").lloc, 1);
        assert_eq!(raw("rf\"\\{x}\"\n").lloc, 1);
        assert_eq!(raw("f\"{  foo =  !s  }\"\nx = 1\n").lloc, 2);
        let m = raw("x = f\"\"\"{\n    a  # comment\n}\"\"\"\ny = 1\n");
        assert_eq!((m.comments, m.sloc, m.lloc), (1, 4, 2));
    }

    #[test]
    fn nested_f_string_quotes_pep_701() {
        let m = raw("s = f\"{\", \".join(x)}\"\nt = 1\n");
        assert_eq!((m.sloc, m.lloc), (2, 2));
    }
}
