//! Python docstring coverage exactly as interrogate 1.7 counts it (`interrogate/visit.py`,
//! `coverage.py`), with its options:
//!
//! - objects are the module, every class and every function or method, nested ones included,
//!   wherever they are defined (inside `if`, `try`, …); an object is covered when its first
//!   statement is a string literal that is not blank (`ast.get_docstring`);
//! - an ignored class or function (private, semi-private, magic, `__init__`, a property, a
//!   setter, an `@overload`, a name matching an ignore regex) is not visited at all, so what
//!   it contains is not counted either;
//! - `ignore-nested-functions` drops functions defined directly in a (non-async) function;
//!   `ignore-nested-classes` drops classes defined in a class or (non-async) function, and their
//!   direct members — interrogate's quirks, kept;
//! - `whitelist-regex` keeps only classes and functions whose name matches (and, as
//!   interrogate's command line does, leaves the module's docstring out);
//! - `ignore-module` leaves the module's own docstring out, and a file with nothing else out
//!   altogether; `ignore-init-module` leaves `__init__.py` files out;
//! - the `google` style counts a class and its `__init__` as covered when either has one.

use ruff_python_ast::{Decorator, Expr, Stmt, StmtClassDef, StmtFunctionDef};
use ruff_text_size::Ranged;

use crate::model::{DocCount, DocKind, MissingDoc};
use crate::source::LineIndex;

/// interrogate's options (`[docstrings]` in qgate.toml, under the same names).
#[derive(Clone, Debug, Default)]
pub struct DocOptions {
    pub ignore_init_method: bool,
    pub ignore_init_module: bool,
    pub ignore_magic: bool,
    pub ignore_module: bool,
    pub ignore_nested_classes: bool,
    pub ignore_nested_functions: bool,
    pub ignore_private: bool,
    pub ignore_semiprivate: bool,
    pub ignore_property_decorators: bool,
    pub ignore_setters: bool,
    pub ignore_overloaded_functions: bool,
    /// Names (of classes and functions) matching one of these, from their start, are ignored.
    pub ignore_regex: Vec<regex::Regex>,
    /// When given, only names matching one of these count (and the module does not).
    pub whitelist_regex: Vec<regex::Regex>,
    /// `google`: a class and its `__init__` share their coverage.
    pub google_style: bool,
}

/// A file's documented objects and the undocumented ones by name; `None` when interrogate
/// would leave the file out.
#[derive(Clone, Debug, PartialEq)]
pub struct DocResult {
    pub count: DocCount,
    pub missing: Vec<MissingDoc>,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Module,
    Class,
    Function,
    AsyncFunction,
}

struct Node {
    kind: Kind,
    name: String,
    line: u32,
    covered: bool,
    nested_func: bool,
    nested_cls: bool,
    parent: Option<usize>,
}

/// Counts the docstrings of the module `body` in the file named `file_name`.
pub fn count(
    body: &[Stmt],
    file_name: &str,
    index: &LineIndex,
    options: &DocOptions,
) -> Option<DocResult> {
    if options.ignore_init_module && file_name == "__init__.py" {
        return None;
    }
    // interrogate's command line sets `ignore_module` with a whitelist.
    let ignore_module = options.ignore_module || !options.whitelist_regex.is_empty();
    let mut visitor = Visitor {
        index,
        options,
        nodes: vec![Node {
            kind: Kind::Module,
            name: file_name.to_owned(),
            line: 1,
            covered: has_docstring(body),
            nested_func: false,
            nested_cls: false,
            parent: None,
        }],
        stack: vec![0],
    };
    visitor.body(body);
    let nodes = visitor.nodes;
    // `_filter_nodes`: a module with nothing else, ignored; then the include regexes.
    if nodes.len() == 1 && ignore_module {
        return None;
    }
    let mut kept: Vec<usize> = (0..nodes.len()).collect();
    if !options.whitelist_regex.is_empty() {
        let matching: Vec<usize> = (1..nodes.len())
            .filter(|&i| {
                options
                    .whitelist_regex
                    .iter()
                    .any(|r| matches_start(r, &nodes[i].name))
            })
            .collect();
        kept = if matching.is_empty() {
            Vec::new()
        } else {
            std::iter::once(0).chain(matching).collect()
        };
    }
    if kept.is_empty() {
        return None;
    }
    if options.ignore_nested_functions {
        kept.retain(|&i| !nodes[i].nested_func);
    }
    if options.ignore_nested_classes {
        kept.retain(|&i| {
            !nodes[i].nested_cls && !nodes[i].parent.is_some_and(|p| nodes[p].nested_cls)
        });
    }
    let mut covered: Vec<bool> = nodes.iter().map(|n| n.covered).collect();
    if options.google_style {
        for &i in &kept {
            let node = &nodes[i];
            if node.kind == Kind::Function
                && node.name == "__init__"
                && let Some(parent) = node.parent
            {
                if !covered[i] && covered[parent] {
                    covered[i] = true;
                } else if covered[i] && !covered[parent] {
                    covered[parent] = true;
                }
            }
        }
    }
    let mut result = DocResult {
        count: DocCount::default(),
        missing: Vec::new(),
    };
    for &i in &kept {
        let node = &nodes[i];
        if node.kind == Kind::Module && ignore_module {
            continue;
        }
        result.count.add(covered[i]);
        if !covered[i] {
            result.missing.push(MissingDoc {
                kind: match node.kind {
                    Kind::Module => DocKind::Module,
                    Kind::Class => DocKind::Class,
                    Kind::Function | Kind::AsyncFunction => DocKind::Function,
                },
                name: qualified(&nodes, i),
                line: node.line,
            });
        }
    }
    Some(result)
}

/// `Outer.method`, without the module.
fn qualified(nodes: &[Node], mut i: usize) -> String {
    if nodes[i].kind == Kind::Module {
        return nodes[i].name.clone();
    }
    let mut parts = vec![nodes[i].name.as_str()];
    while let Some(p) = nodes[i].parent.filter(|&p| nodes[p].kind != Kind::Module) {
        parts.push(nodes[p].name.as_str());
        i = p;
    }
    parts.reverse();
    parts.join(".")
}

/// Python's `re.match`: a match that starts at the beginning (it need not reach the end).
fn matches_start(regex: &regex::Regex, name: &str) -> bool {
    // The leftmost match starts at 0 whenever any match does.
    regex.find(name).is_some_and(|m| m.start() == 0)
}

struct Visitor<'a> {
    index: &'a LineIndex,
    options: &'a DocOptions,
    nodes: Vec<Node>,
    /// Indexes of the enclosing nodes, innermost last.
    stack: Vec<usize>,
}

impl Visitor<'_> {
    fn body(&mut self, body: &[Stmt]) {
        for stmt in body {
            self.stmt(stmt);
        }
    }

    fn stmt(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::FunctionDef(def) => self.function(def),
            Stmt::ClassDef(class) => self.class(class),
            other => {
                for suite in super::nested_suites(other) {
                    self.body(suite);
                }
            }
        }
    }

    fn class(&mut self, class: &StmtClassDef) {
        if self.ignored_name(class.name.as_str()) {
            return;
        }
        let line = self.index.line(class.start().to_usize());
        self.enter(
            Kind::Class,
            class.name.as_str(),
            line,
            has_docstring(&class.body),
        );
        self.body(&class.body);
        self.stack.pop();
    }

    fn function(&mut self, def: &StmtFunctionDef) {
        if self.function_ignored(def) {
            return;
        }
        let kind = if def.is_async {
            Kind::AsyncFunction
        } else {
            Kind::Function
        };
        // Python's `lineno` of a decorated def is the `def` line (3.8+).
        let line = self.index.line(def.name.start().to_usize());
        self.enter(kind, def.name.as_str(), line, has_docstring(&def.body));
        self.body(&def.body);
        self.stack.pop();
    }

    fn enter(&mut self, kind: Kind, name: &str, line: u32, covered: bool) {
        let parent = self.stack.last().copied();
        let parent_kind = parent.map(|p| self.nodes[p].kind);
        self.nodes.push(Node {
            kind,
            name: name.to_owned(),
            line,
            covered,
            nested_func: kind == Kind::Function && parent_kind == Some(Kind::Function),
            nested_cls: kind == Kind::Class
                && matches!(parent_kind, Some(Kind::Class | Kind::Function)),
            parent,
        });
        self.stack.push(self.nodes.len() - 1);
    }

    /// `_is_ignored_common`: private, semi-private, or an ignore regex.
    fn ignored_name(&self, name: &str) -> bool {
        let o = self.options;
        let dunder_end = name.ends_with("__");
        let private = !dunder_end && name.starts_with("__");
        let semiprivate = !dunder_end && !name.starts_with("__") && name.starts_with('_');
        (o.ignore_private && private)
            || (o.ignore_semiprivate && semiprivate)
            || o.ignore_regex.iter().any(|r| matches_start(r, name))
    }

    /// `_is_func_ignored`.
    fn function_ignored(&self, def: &StmtFunctionDef) -> bool {
        let o = self.options;
        let name = def.name.as_str();
        let magic = name.starts_with("__") && name.ends_with("__") && name != "__init__";
        let decorators = &def.decorator_list;
        (o.ignore_init_method && name == "__init__")
            || (o.ignore_magic && magic)
            || (o.ignore_property_decorators && has_property_decorator(decorators))
            || (o.ignore_setters && decorated_with_attr(decorators, &["setter"]))
            || (o.ignore_overloaded_functions && has_overload(decorators))
            || self.ignored_name(name)
    }
}

/// `@property`, `@x.setter`, `@x.deleter` (`_has_property_decorators`).
fn has_property_decorator(decorators: &[Decorator]) -> bool {
    decorators
        .iter()
        .any(|d| matches!(&d.expression, Expr::Name(n) if n.id.as_str() == "property"))
        || decorated_with_attr(decorators, &["setter", "deleter"])
}

/// A decorator `<anything>.<attr>` — interrogate looks at the node's `attr` only, so a call
/// such as `@x.setter()` does not count.
fn decorated_with_attr(decorators: &[Decorator], attrs: &[&str]) -> bool {
    decorators
        .iter()
        .any(|d| matches!(&d.expression, Expr::Attribute(a) if attrs.contains(&a.attr.as_str())))
}

/// `@overload` or `@typing.overload`.
fn has_overload(decorators: &[Decorator]) -> bool {
    decorators.iter().any(|d| match &d.expression {
        Expr::Name(n) => n.id.as_str() == "overload",
        Expr::Attribute(a) => {
            a.attr.as_str() == "overload"
                && matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == "typing")
        }
        _ => false,
    })
}

/// Whether `body` starts with a docstring that is not just whitespace (`ast.get_docstring`).
pub fn has_docstring(body: &[Stmt]) -> bool {
    match body.first() {
        Some(Stmt::Expr(e)) => match e.value.as_ref() {
            Expr::StringLiteral(s) => !s.value.to_str().trim().is_empty(),
            _ => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_parser::parse_module;

    fn body(src: &str) -> Vec<Stmt> {
        parse_module(src)
            .unwrap()
            .into_syntax()
            .body
            .into_iter()
            .collect()
    }

    fn counted(src: &str, name: &str, options: &DocOptions) -> Option<(u32, u32, Vec<String>)> {
        let r = count(&body(src), name, &LineIndex::new(src), options)?;
        Some((
            r.count.documented,
            r.count.total,
            r.missing.into_iter().map(|m| m.name).collect(),
        ))
    }

    #[test]
    fn docstrings_are_leading_non_blank_string_literals() {
        assert!(has_docstring(&body("\"\"\"Doc.\"\"\"\nx = 1\n")));
        assert!(has_docstring(&body("'a' 'b'\n")));
        assert!(!has_docstring(&body("\"   \"\n")));
        assert!(!has_docstring(&body("f\"doc\"\n")));
        assert!(!has_docstring(&body("b\"doc\"\n")));
        assert!(!has_docstring(&body("x = 1\n\"\"\"late\"\"\"\n")));
        assert!(!has_docstring(&[]));
    }

    const SAMPLE: &str = "\
class A:
    'doc'
    def __init__(self):
        pass
    def __repr__(self):
        'doc'
    def _semi(self):
        pass
    def __private(self):
        pass
    @property
    def p(self):
        pass
    @p.setter
    def p(self, v):
        pass
    class Inner:
        def m(self):
            pass
if True:
    def f():
        def g():
            pass
    async def h():
        def k():
            pass
@overload
def o(x): ...
";

    #[test]
    fn defaults_count_every_object() {
        let got = counted(SAMPLE, "m.py", &DocOptions::default()).unwrap();
        assert_eq!((got.0, got.1), (2, 15));
        assert_eq!(
            got.2,
            [
                "m.py",
                "A.__init__",
                "A._semi",
                "A.__private",
                "A.p",
                "A.p",
                "A.Inner",
                "A.Inner.m",
                "f",
                "f.g",
                "h",
                "h.k",
                "o"
            ]
        );
    }

    #[test]
    fn each_option_leaves_out_what_interrogate_does() {
        // Every pair here is what `interrogate -vv` 1.7.0 prints for SAMPLE with that option.
        let with = |set: fn(&mut DocOptions)| {
            let mut o = DocOptions::default();
            set(&mut o);
            let (documented, total, _) = counted(SAMPLE, "m.py", &o).unwrap();
            (documented, total)
        };
        assert_eq!(with(|o| o.ignore_init_method = true), (2, 14));
        assert_eq!(with(|o| o.ignore_magic = true), (1, 14));
        assert_eq!(with(|o| o.ignore_semiprivate = true), (2, 14));
        assert_eq!(with(|o| o.ignore_private = true), (2, 14));
        assert_eq!(with(|o| o.ignore_property_decorators = true), (2, 13));
        assert_eq!(with(|o| o.ignore_setters = true), (2, 14));
        assert_eq!(with(|o| o.ignore_overloaded_functions = true), (2, 14));
        assert_eq!(with(|o| o.ignore_module = true), (2, 14));
        // `g` is nested in `f`; `k` is in an async def, which interrogate does not count as
        // a function for nesting.
        assert_eq!(with(|o| o.ignore_nested_functions = true), (2, 14));
        // `Inner` and its direct member `m`.
        assert_eq!(with(|o| o.ignore_nested_classes = true), (2, 13));
        // `A` has a docstring, so its `__init__` counts as documented.
        assert_eq!(with(|o| o.google_style = true), (3, 15));
        assert_eq!(
            with(|o| o.ignore_regex = vec![regex::Regex::new("^_").unwrap()]),
            (1, 11)
        );
        assert_eq!(
            with(|o| o.whitelist_regex = vec![regex::Regex::new("[fgh]").unwrap()]),
            (0, 3)
        );
    }

    #[test]
    fn modules_alone_and_init_modules() {
        let mut o = DocOptions {
            ignore_module: true,
            ..DocOptions::default()
        };
        assert_eq!(counted("x = 1\n", "m.py", &o), None);
        o.ignore_module = false;
        o.ignore_init_module = true;
        assert_eq!(counted("def f(): pass\n", "__init__.py", &o), None);
        assert_eq!(
            counted("def f(): pass\n", "__init__.py", &DocOptions::default()),
            Some((0, 2, vec!["__init__.py".to_owned(), "f".to_owned()]))
        );
    }
}
