//! Python front end: `ruff_python_parser` → [`FileModel`].
//!
//! Line counts come from the token stream (they are computed for files with syntax errors too);
//! functions and their metrics only from a tree that parsed without errors.

use ruff_python_ast::token::{Token, TokenKind};
use ruff_python_ast::{PySourceType, Stmt};
use ruff_python_parser::parse_unchecked_source;
use ruff_text_size::Ranged;

use super::Analysis;
use crate::metrics::cyclomatic_python;
use crate::model::{FileModel, FunctionModel, Language, LineCounts, SourceError, SourceErrorKind};
use crate::source::{LineIndex, Skip, SkipReason};

/// Syntax errors recorded per file; the rest are usually consequences of the first.
const MAX_ERRORS: usize = 10;

pub fn analyze(text: &str) -> Analysis {
    let index = LineIndex::new(text);
    let parsed = parse_unchecked_source(text, PySourceType::Python);
    let lines = count_lines(&index, parsed.tokens());

    let mut errors: Vec<SourceError> = parsed
        .errors()
        .iter()
        .map(|e| {
            let (line, column) = index.position_in(text, e.location.start().to_usize());
            SourceError {
                kind: SourceErrorKind::SyntaxError,
                line,
                column,
                message: e.error.to_string(),
            }
        })
        .collect();
    // The parser reports some errors out of order; readers expect them top to bottom.
    errors.sort_by_key(|e| (e.line, e.column));
    errors.truncate(MAX_ERRORS);

    let module = parsed.into_syntax();
    if let Some(offset) = depth::first_too_deep(&module.body) {
        // Dropping a tree this deep recurses as deep as it is nested: leak it instead (bounded
        // by the file size limit) so the process cannot overflow its stack.
        std::mem::forget(module);
        let (line, column) = index.position_in(text, offset);
        return Analysis::Skipped(Skip::new(
            SkipReason::TooDeeplyNested,
            format!(
                "syntax tree nested deeper than {} levels at {line}:{column}; CPython refuses such code too",
                depth::MAX_DEPTH
            ),
        ));
    }
    let mut functions = Vec::new();
    if errors.is_empty() {
        let mut collector = FunctionCollector {
            text,
            index: &index,
            scope: Vec::new(),
            out: &mut functions,
        };
        collector.body(&module.body);
    }
    Analysis::Model(FileModel {
        language: Language::Python,
        lines,
        functions,
        errors,
    })
}

/// Walks statements to find every `def` (methods and nested ones too) and measure it.
struct FunctionCollector<'a> {
    text: &'a str,
    index: &'a LineIndex,
    scope: Vec<&'a str>,
    out: &'a mut Vec<FunctionModel>,
}

impl<'a> FunctionCollector<'a> {
    fn body(&mut self, body: &'a [Stmt]) {
        for stmt in body {
            self.stmt(stmt);
        }
    }

    fn stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(def) => {
                let name = def.name.as_str();
                let qualified_name = if self.scope.is_empty() {
                    name.to_owned()
                } else {
                    format!("{}.{name}", self.scope.join("."))
                };
                let cyclomatic = cyclomatic_python::radon_function(&def.body);
                self.out.push(FunctionModel {
                    name: name.to_owned(),
                    qualified_name,
                    line: self.index.line(def.name.start().to_usize()),
                    end_line: self.end_line(def.end().to_usize()),
                    cyclomatic,
                });
                self.scope.push(name);
                self.body(&def.body);
                self.scope.pop();
            }
            Stmt::ClassDef(class) => {
                self.scope.push(class.name.as_str());
                self.body(&class.body);
                self.scope.pop();
            }
            Stmt::If(s) => {
                self.body(&s.body);
                for clause in &s.elif_else_clauses {
                    self.body(&clause.body);
                }
            }
            Stmt::For(s) => {
                self.body(&s.body);
                self.body(&s.orelse);
            }
            Stmt::While(s) => {
                self.body(&s.body);
                self.body(&s.orelse);
            }
            Stmt::With(s) => self.body(&s.body),
            Stmt::Try(s) => {
                self.body(&s.body);
                for handler in &s.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(h) = handler;
                    self.body(&h.body);
                }
                self.body(&s.orelse);
                self.body(&s.finalbody);
            }
            Stmt::Match(s) => {
                for case in &s.cases {
                    self.body(&case.body);
                }
            }
            _ => {}
        }
    }

    /// Line of the last character of a node whose range ends at `end` (exclusive).
    fn end_line(&self, end: usize) -> u32 {
        let last = self.text[..end]
            .trim_end_matches(['\n', '\r'])
            .len()
            .saturating_sub(1);
        self.index.line(last)
    }
}

/// Classifies every physical line as code, blank, comment-only or part of a docstring-like
/// string statement, the way radon's `raw` module does.
fn count_lines(index: &LineIndex, tokens: &[Token]) -> LineCounts {
    #[derive(Clone, Copy, PartialEq)]
    enum Class {
        Blank,
        Comment,
        Docstring,
        Code,
    }
    let total = index.line_count() as usize;
    let mut class = vec![Class::Blank; total + 1];
    let mut comments = 0;
    let mark = |class: &mut Vec<Class>, start: usize, end: usize, c: Class| {
        let first = index.line(start) as usize;
        let last = index.line(end.saturating_sub(1).max(start)) as usize;
        for slot in class.iter_mut().take(last.min(total) + 1).skip(first) {
            if c as u8 > *slot as u8 {
                *slot = c;
            }
        }
    };

    let mut statement_start = true;
    let mut i = 0;
    while i < tokens.len() {
        let token = &tokens[i];
        let (start, end) = (token.start().to_usize(), token.end().to_usize());
        match token.kind() {
            TokenKind::Comment => {
                comments += 1;
                mark(&mut class, start, end, Class::Comment);
            }
            TokenKind::Newline | TokenKind::Indent | TokenKind::Dedent => statement_start = true,
            TokenKind::NonLogicalNewline | TokenKind::EndOfFile => {}
            TokenKind::String if statement_start => {
                // A string statement on its own (docstring-like) is not code, when nothing but
                // more strings follows it before the end of the statement.
                let mut j = i;
                while tokens.get(j).is_some_and(|t| t.kind() == TokenKind::String) {
                    j += 1;
                }
                let ends_statement = tokens.get(j).is_none_or(|t| {
                    matches!(
                        t.kind(),
                        TokenKind::Newline | TokenKind::EndOfFile | TokenKind::Comment
                    )
                });
                let kind = if ends_statement {
                    Class::Docstring
                } else {
                    Class::Code
                };
                mark(&mut class, start, tokens[j - 1].end().to_usize(), kind);
                i = j;
                statement_start = false;
                continue;
            }
            _ => {
                mark(&mut class, start, end, Class::Code);
                statement_start = false;
            }
        }
        i += 1;
    }
    let count = |c: Class| class.iter().skip(1).filter(|&&x| x == c).count() as u32;
    LineCounts {
        lines: total as u32,
        sloc: count(Class::Code),
        comments,
        blank: count(Class::Blank),
    }
}

/// Bounds the nesting of a parsed tree before anything else recurses over it.
mod depth {
    use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
    use ruff_python_ast::{Expr, Stmt};
    use ruff_text_size::Ranged;

    /// Deeper trees are refused. CPython rejects far shallower code ("too many nested
    /// parentheses" at 200, "too complex" in its parser), so no real program is lost.
    pub const MAX_DEPTH: usize = 5_000;

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
            // The probe itself must survive what it measures, whatever the thread's stack.
            stacker::maybe_grow(64 * 1024, 1024 * 1024, || walk(self));
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(src: &str) -> FileModel {
        match analyze(src) {
            Analysis::Model(m) => m,
            Analysis::Skipped(s) => panic!("skipped: {s:?}"),
        }
    }

    #[test]
    fn finds_every_def_with_qualified_names_and_def_lines() {
        let m = model(
            "@decorator\ndef top():\n    def inner():\n        pass\n\nclass A:\n    @property\n    async def m(self):\n        return 1\n",
        );
        let got: Vec<_> = m
            .functions
            .iter()
            .map(|f| (f.qualified_name.as_str(), f.line, f.end_line))
            .collect();
        assert_eq!(got, [("top", 2, 4), ("top.inner", 3, 4), ("A.m", 8, 9)]);
    }

    #[test]
    fn syntax_error_is_recorded_and_no_functions_are_guessed() {
        let m = model("def ok():\n    pass\n\ndef f(:\n    pass\n");
        assert!(m.functions.is_empty());
        assert_eq!(m.errors[0].kind, SourceErrorKind::SyntaxError);
        assert_eq!((m.errors[0].line, m.errors[0].column), (4, 7));
        assert_eq!(m.lines.lines, 5);
    }

    #[test]
    fn line_classes() {
        let src = "\"\"\"Doc\nstring.\"\"\"\n\n# comment\nx = 1  # trailing\n\ny = '''a\nb'''\n";
        let m = model(src);
        assert_eq!(
            m.lines,
            LineCounts {
                lines: 8,
                sloc: 3,
                comments: 2,
                blank: 2
            }
        );
    }

    #[test]
    fn python_3_12_to_3_14_syntax_parses() {
        let m = model(
            "type Point[T] = tuple[T, T]\ndef f[T](x: T) -> T:\n    return f\"{\", \".join(x)}\"\ndef g(name):\n    return t\"hi {name}\"\n",
        );
        assert!(m.errors.is_empty(), "{:?}", m.errors);
        assert_eq!(m.functions.len(), 2);
    }

    #[test]
    fn absurd_nesting_is_skipped_not_overflowed() {
        let src = format!("x = {}1\n", "-".repeat(200_000));
        match analyze(&src) {
            Analysis::Skipped(s) => assert_eq!(s.reason, SkipReason::TooDeeplyNested),
            Analysis::Model(_) => panic!("expected a skip"),
        }
    }
}
