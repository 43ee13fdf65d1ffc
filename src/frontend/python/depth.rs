//! Bounds the nesting of a parsed tree before anything else recurses over it.

use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

/// Deeper trees are refused. CPython rejects far shallower code ("too many nested
/// parentheses" at 200, "too complex" in its parser), so no real program is lost.
pub const MAX_DEPTH: usize = 5_000;

/// Brackets open at once beyond which a file is not parsed: CPython's tokenizer stops at 200
/// ("too many nested parentheses"); ruff's parser would take gigabytes for a million.
pub const MAX_BRACKETS: usize = 1_000;

/// Offset of the first bracket that opens deeper than [`MAX_BRACKETS`], outside comments and
/// string literals, found by a byte scan: for a text the raw lexer (which bounds brackets as it
/// lexes) stopped in early. It takes an f-string for a plain string.
pub fn first_bracket_too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    // Brackets open at once are at most all the opening brackets, in literals too: most files
    // have fewer than the limit, and counting them is a vectorised loop, not the scan below.
    let openers = bytes
        .iter()
        .filter(|&&b| matches!(b, b'(' | b'[' | b'{'))
        .count();
    if openers <= MAX_BRACKETS {
        return None;
    }
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            quote @ (b'\'' | b'"') => {
                let triple = bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote);
                i += if triple { 3 } else { 1 };
                while i < bytes.len() {
                    if bytes[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if bytes[i] == quote
                        && (!triple
                            || (bytes.get(i + 1) == Some(&quote)
                                && bytes.get(i + 2) == Some(&quote)))
                    {
                        i += if triple { 2 } else { 0 };
                        break;
                    }
                    // An unterminated one-line string ends at the line's end.
                    if !triple && bytes[i] == b'\n' {
                        break;
                    }
                    i += 1;
                }
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_BRACKETS {
                    return Some(i);
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Offset of the first node nested deeper than [`MAX_DEPTH`], if any.
pub fn first_too_deep(body: &[Stmt]) -> Option<usize> {
    let mut probe = Probe {
        depth: 0,
        exceeded: None,
    };
    probe.visit_body(body);
    probe.exceeded
}

struct Probe {
    depth: usize,
    exceeded: Option<usize>,
}

impl Probe {
    fn nest(&mut self, offset: usize, walk: impl FnOnce(&mut Self)) {
        if self.exceeded.is_some() {
            return;
        }
        if self.depth >= MAX_DEPTH {
            self.exceeded = Some(offset);
            return;
        }
        self.depth += 1;
        // The probe itself must survive what it measures, whatever the thread's stack. Looking
        // at the stack every 8 levels is enough: 8 levels of this walk take far less than
        // the 64 KiB kept free, and asking at every node cost more than the walk.
        if self.depth.is_multiple_of(8) {
            stacker::maybe_grow(64 * 1024, 1024 * 1024, || walk(self));
        } else {
            walk(self);
        }
        self.depth -= 1;
    }
}

impl<'a> Visitor<'a> for Probe {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.nest(stmt.start().to_usize(), |p| walk_stmt(p, stmt));
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        self.nest(expr.start().to_usize(), |p| walk_expr(p, expr));
    }
}

#[cfg(test)]
mod bracket_tests {
    use super::*;

    #[test]
    fn p2_brackets_are_counted_outside_strings_and_comments() {
        let deep = format!("x = {}{}\n", "(".repeat(1_001), ")".repeat(1_001));
        assert_eq!(first_bracket_too_deep(&deep), Some(4 + 1_000));
        let fine = format!("x = {}{}\n", "[".repeat(1_000), "]".repeat(1_000));
        assert_eq!(first_bracket_too_deep(&fine), None);
        let quoted = format!(
            "s = '{0}'\nt = \"\"\"{0}\"\"\"\n# {0}\nu = '\\'{0}'\n",
            "(".repeat(2_000)
        );
        assert_eq!(first_bracket_too_deep(&quoted), None);
        // More opening brackets than the limit in all, none deep: the full scan says so.
        let shallow = "f(a[1], {2: (3)})\n".repeat(400);
        assert_eq!(first_bracket_too_deep(&shallow), None);
        let then_deep = format!("{shallow}{deep}");
        assert_eq!(
            first_bracket_too_deep(&then_deep),
            Some(shallow.len() + 4 + 1_000)
        );
    }
}

#[cfg(test)]
mod probe_tests {
    use super::*;
    use ruff_python_ast::PySourceType;
    use ruff_python_parser::parse_unchecked_source;

    /// The probe walks a tree nested just within the limit on a thread with a 256 KiB stack
    /// (the tree is built, and then leaked, on one with room: parsing and dropping recurse).
    #[test]
    fn the_probe_survives_a_small_stack() {
        let within = format!("x = {}y\n", "not ".repeat(MAX_DEPTH - 10));
        let beyond = format!("x = {}y\n", "not ".repeat(MAX_DEPTH + 10));
        for (text, expected) in [(within, None), (beyond, Some(4 + (MAX_DEPTH - 1) * 4))] {
            let module = std::thread::Builder::new()
                .stack_size(256 << 20)
                .spawn(move || parse_unchecked_source(&text, PySourceType::Python).into_syntax())
                .unwrap()
                .join()
                .unwrap();
            let found = std::thread::Builder::new()
                .stack_size(256 << 10)
                .spawn(move || {
                    let found = first_too_deep(&module.body);
                    std::mem::forget(module);
                    found
                })
                .unwrap()
                .join()
                .unwrap();
            assert_eq!(found, expected);
        }
    }
}
