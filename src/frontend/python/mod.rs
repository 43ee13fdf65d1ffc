//! Python front end: `ruff_python_parser` → [`FileModel`].
//!
//! Line counts come from the text (they are computed for files with syntax errors too);
//! functions and every other metric only from a tree that parsed without errors. Each metric's
//! counting rules walk the tree in their own file beside this one.

pub mod cognitive;
pub mod cyclomatic;
mod depth;
pub mod docstrings;
pub mod halstead;
pub mod raw;
mod tokens;
pub mod typehints;

use ruff_python_ast::{PySourceType, Stmt, StmtFunctionDef};
use ruff_python_parser::parse_unchecked_source;
use ruff_text_size::Ranged;

use super::{Analysis, Options};
use crate::metrics::halstead::Halstead;
use crate::metrics::maintainability;
use crate::model::{
    FileModel, FunctionModel, Language, LineCounts, Skip, SkipReason, SourceError, SourceErrorKind,
};
use crate::source::LineIndex;

/// Syntax errors recorded per file; the rest are usually consequences of the first.
const MAX_ERRORS: usize = 10;

pub fn analyze(text: &str, file_name: &str, options: &Options) -> Analysis {
    let index = LineIndex::new(text);
    // The raw pass bounds the brackets before the parser allocates anything (issue 17: a
    // million `(` took 4 GB); where it stopped early, a byte scan of the whole text does.
    let raw = raw::analyze(text);
    let too_deep = match raw.brackets {
        raw::Brackets::Within => None,
        raw::Brackets::TooDeep(offset) => Some(offset),
        raw::Brackets::Unknown => depth::first_bracket_too_deep(text),
    };
    if let Some(offset) = too_deep {
        let (line, column) = index.position_in(text, offset);
        return Analysis::Skipped(Skip::new(
            SkipReason::TooDeeplyNested,
            format!(
                "more than {} brackets open at once at {line}:{column}; CPython refuses 200",
                depth::MAX_BRACKETS
            ),
        ));
    }
    let raw = raw.metrics;
    let parsed = parse_unchecked_source(text, PySourceType::Python);
    let lines = LineCounts {
        lines: raw.loc,
        sloc: raw.sloc,
        comments: raw.comments,
        blank: raw.blank,
        lloc: Some(raw.lloc),
        multi: Some(raw.multi),
        single_comments: Some(raw.single_comments),
    };

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

    // Suppressions count in every file; clone tokens only in one that parses.
    let skip = if errors.is_empty() {
        clone_exclusions(&parsed.syntax().body, options)
    } else {
        Vec::new()
    };
    let scanned = tokens::scan(
        text,
        &index,
        parsed.tokens(),
        errors.is_empty().then_some(options.normalize),
        &skip,
    );
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
    let mut model = FileModel::new(Language::Python, lines);
    model.suppressions = scanned.suppressions;
    if !errors.is_empty() {
        model.errors = errors;
        return Analysis::Model(model);
    }

    let mut collector = FunctionCollector {
        text,
        index: &index,
        options,
        scope: Vec::new(),
        out: &mut model.functions,
    };
    collector.body(&module.body);

    let docs = docstrings::count(&module.body, file_name, &index, &options.docstrings);
    let halstead = halstead::module(&module.body);
    let total_complexity = cyclomatic::radon_module_total(&module.body);
    model.blocks = Some(cyclomatic::radon_blocks(&module.body));
    // radon counts lines of stand-alone multi-line strings as comments (`mi -m`, its default).
    model.maintainability = Some(maintainability::of_file(
        Halstead::from(halstead).volume,
        total_complexity,
        raw.lloc,
        raw.comments + raw.multi,
        raw.sloc,
    ));
    model.halstead = Some(halstead);
    model.total_complexity = Some(total_complexity);
    if let Some(docs) = docs {
        model.docstrings = Some(docs.count);
        model.missing_docstrings = docs.missing;
    }
    model.tokens = scanned.tokens;
    Analysis::Model(model)
}

/// The statement lists inside a compound statement other than a `def` or `class`: the
/// branches of `if`, loops (with their `else`), `with`, `try` (handlers, `else`, `finally`) and
/// `match` cases — where a `def` or `class` can hide.
pub fn nested_suites(stmt: &Stmt) -> Vec<&[Stmt]> {
    match stmt {
        Stmt::If(s) => std::iter::once(&s.body[..])
            .chain(s.elif_else_clauses.iter().map(|c| &c.body[..]))
            .collect(),
        Stmt::For(s) => vec![&s.body, &s.orelse],
        Stmt::While(s) => vec![&s.body, &s.orelse],
        Stmt::With(s) => vec![&s.body],
        Stmt::Try(s) => std::iter::once(&s.body[..])
            .chain(s.handlers.iter().map(|h| {
                let ruff_python_ast::ExceptHandler::ExceptHandler(h) = h;
                &h.body[..]
            }))
            .chain([&s.orelse[..], &s.finalbody[..]])
            .collect(),
        Stmt::Match(s) => s.cases.iter().map(|c| &c.body[..]).collect(),
        _ => Vec::new(),
    }
}

/// Byte ranges left out of clone detection, sorted: import statements and `@overload` stubs
/// (decorators included) — typed code repeats both by design.
fn clone_exclusions(body: &[Stmt], options: &Options) -> Vec<std::ops::Range<usize>> {
    fn walk(body: &[Stmt], options: &Options, out: &mut Vec<std::ops::Range<usize>>) {
        for stmt in body {
            let range = stmt.range();
            match stmt {
                Stmt::Import(_) | Stmt::ImportFrom(_) if options.clone_skip_imports => {
                    out.push(range.start().to_usize()..range.end().to_usize());
                }
                Stmt::FunctionDef(def) if options.clone_skip_overloads && is_overload(def) => {
                    let start = def
                        .decorator_list
                        .first()
                        .map_or(range.start(), |d| d.range().start());
                    out.push(start.to_usize()..range.end().to_usize());
                }
                Stmt::FunctionDef(def) => walk(&def.body, options, out),
                Stmt::ClassDef(c) => walk(&c.body, options, out),
                other => {
                    for suite in nested_suites(other) {
                        walk(suite, options, out);
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    if options.clone_skip_imports || options.clone_skip_overloads {
        walk(body, options, &mut out);
        out.sort_by_key(|r| r.start);
    }
    out
}

/// `@overload` or `@typing.overload` (or any `@….overload`).
fn is_overload(def: &StmtFunctionDef) -> bool {
    def.decorator_list.iter().any(|d| match &d.expression {
        ruff_python_ast::Expr::Name(n) => n.id.as_str() == "overload",
        ruff_python_ast::Expr::Attribute(a) => a.attr.as_str() == "overload",
        _ => false,
    })
}

/// What encloses a statement: methods are functions directly in a class.
#[derive(Clone, Copy, PartialEq)]
enum ScopeKind {
    Class,
    Function,
}

/// Walks statements to find every `def` (methods and nested ones too) and measure it.
struct FunctionCollector<'a> {
    text: &'a str,
    index: &'a LineIndex,
    options: &'a Options,
    scope: Vec<(&'a str, ScopeKind)>,
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
                let function = self.measure(def);
                self.out.push(function);
                self.scope.push((def.name.as_str(), ScopeKind::Function));
                self.body(&def.body);
                self.scope.pop();
            }
            Stmt::ClassDef(class) => {
                self.scope.push((class.name.as_str(), ScopeKind::Class));
                self.body(&class.body);
                self.scope.pop();
            }
            other => {
                for suite in nested_suites(other) {
                    self.body(suite);
                }
            }
        }
    }

    fn measure(&self, def: &'a StmtFunctionDef) -> FunctionModel {
        let name = def.name.as_str();
        let mut qualified_name: String = self.scope.iter().map(|(n, _)| format!("{n}.")).collect();
        qualified_name.push_str(name);
        let is_method = self
            .scope
            .last()
            .is_some_and(|(_, kind)| *kind == ScopeKind::Class);
        FunctionModel {
            name: name.to_owned(),
            qualified_name,
            line: self.index.line(def.name.start().to_usize()),
            end_line: self.end_line(def.end().to_usize()),
            cyclomatic: cyclomatic::function(&def.body, self.options.python_cyclomatic),
            cognitive: Some(cognitive::function(def)),
            halstead: Some(halstead::function(name, &def.body)),
            type_hints: Some(typehints::of(def, is_method)),
            has_docstring: Some(docstrings::has_docstring(&def.body)),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn model(src: &str) -> FileModel {
        match analyze(src, "m.py", &Options::default()) {
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
        assert_eq!(
            (m.halstead, m.maintainability, m.docstrings),
            (None, None, None)
        );
    }

    #[test]
    fn line_classes_are_radon_raw_metrics() {
        let src = "\"\"\"Doc\nstring.\"\"\"\n\n# comment\nx = 1  # trailing\n\ny = '''a\nb'''\n";
        let want = LineCounts {
            lines: 8,
            sloc: 3,
            comments: 2,
            blank: 2,
            lloc: Some(3),
            multi: Some(2),
            single_comments: Some(1),
        };
        assert_eq!(model(src).lines, want);
    }

    #[test]
    fn file_metrics_docstrings_and_type_hints() {
        let src = "\"\"\"Mod.\"\"\"\nclass A:\n    def m(self, x: int) -> int:\n        \"\"\"Doc.\"\"\"\n        return x + 1 if x else 0\n";
        let m = model(src);
        assert_eq!(
            m.docstrings,
            Some(crate::model::DocCount {
                documented: 2,
                total: 3
            })
        );
        let f = &m.functions[0];
        assert_eq!(
            (f.cyclomatic, f.cognitive, f.has_docstring),
            (2, Some(1), Some(true))
        );
        assert_eq!(
            f.type_hints.map(|h| (h.slots(), h.annotated())),
            Some((2, 2))
        );
        assert_eq!(m.total_complexity, Some(3));
        assert!(m.maintainability.is_some_and(|mi| mi > 0.0 && mi <= 100.0));
    }

    #[test]
    fn mccabe_dialect_is_selectable() {
        let src = "def f(a, b):\n    return a and b\n";
        let options = Options {
            python_cyclomatic: cyclomatic::Dialect::Mccabe,
            ..Options::default()
        };
        let Analysis::Model(m) = analyze(src, "m.py", &options) else {
            panic!()
        };
        assert_eq!(m.functions[0].cyclomatic, 1);
        assert_eq!(model(src).functions[0].cyclomatic, 2);
    }

    #[test]
    fn multi_line_strings_are_cut_like_code() {
        let got: Vec<&str> =
            crate::metrics::duplication::pieces("\"\"\"Use `x[1]` -- or y_2.\n\"\"\"")
                .map(|(_, w)| w)
                .collect();
        assert_eq!(
            got,
            [
                "\"", "\"", "\"", "Use", "`", "x", "[", "1", "]", "`", "-", "-", "or", "y_2", ".",
                "\"", "\"", "\""
            ]
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
    fn brackets_past_where_the_raw_lexer_stopped_are_counted_by_a_byte_scan() {
        // The form feed ends the raw lexer in the string; the byte scan finds the bracket.
        let src = format!("s = 'a\x0cb'\nx = {}1\n", "(".repeat(1_001));
        match analyze(&src, "m.py", &Options::default()) {
            Analysis::Skipped(s) => assert_eq!(
                s.message,
                "more than 1000 brackets open at once at 2:1005; CPython refuses 200"
            ),
            Analysis::Model(_) => panic!("expected a skip"),
        }
    }

    #[test]
    fn absurd_nesting_is_skipped_not_overflowed() {
        let src = format!("x = {}1\n", "-".repeat(200_000));
        match analyze(&src, "m.py", &Options::default()) {
            Analysis::Skipped(s) => assert_eq!(s.reason, SkipReason::TooDeeplyNested),
            Analysis::Model(_) => panic!("expected a skip"),
        }
    }
}
