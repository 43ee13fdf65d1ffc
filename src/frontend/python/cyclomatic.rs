//! Python cyclomatic complexity exactly as radon 6.0.1's `ComplexityVisitor` computes it (its
//! code, not its docs; see DEFINITIONS.md §3.1):
//!
//! | construct | increment |
//! |---|---|
//! | `if`, `elif`, ternary | +1 each (`else` adds nothing) |
//! | `for`, `async for`, `while` | +1, and +1 more when the loop has an `else` |
//! | `try` | +1 per `except` handler, +1 for `try … else`; `try … except*` adds nothing |
//! | `assert` | +1, and nothing inside it is visited |
//! | comprehension | +1 per `for` clause, +1 per `if` filter |
//! | `and` / `or` | +(operands − 1) per boolean operation |
//! | `match` | +number of cases, −1 when any case is a bare capture or `_` (floored at 0) |
//! | `with`, `finally`, `lambda` | nothing (a lambda's decisions count toward the enclosing function) |
//!
//! Nested `def`s and classes are separate blocks: nothing in them counts toward the enclosing
//! function. Decorators and parameter defaults of a function are not visited.

use ruff_python_ast::visitor::{Visitor, walk_comprehension, walk_expr, walk_stmt};
use ruff_python_ast::{
    Comprehension, ExceptHandler, Expr, Pattern, Stmt, StmtClassDef, StmtFunctionDef,
};

/// Which rules count decision points in Python (`[metrics] python-cyclomatic`).
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    serde::Deserialize,
    serde::Serialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Dialect {
    /// radon 6.0.1, exactly.
    #[default]
    Radon,
    /// mccabe as ruff's C901 implements it: statements only, nested functions added in.
    Mccabe,
}

/// Cyclomatic complexity of a function with this body, in `dialect`.
pub fn function(body: &[Stmt], dialect: Dialect) -> u32 {
    match dialect {
        Dialect::Radon => radon_function(body),
        Dialect::Mccabe => 1 + mccabe(body),
    }
}

/// Cyclomatic complexity of a function with this body: 1 + the increments in it.
pub fn radon_function(body: &[Stmt]) -> u32 {
    1 + Radon::scan(body).increments
}

/// radon's `total_complexity` of a module, the `G` of its maintainability index: 1 + the
/// module-level increments + for each function reached without entering another block its
/// complexity − 1 + for each class its body's increments and its methods' complexities.
/// Functions nested in functions and classes nested in classes or functions are left out, as
/// radon leaves them out.
pub fn radon_module_total(body: &[Stmt]) -> u32 {
    let module = Radon::scan(body);
    let functions: u32 = module
        .functions
        .iter()
        .map(|f| radon_function(&f.body) - 1)
        .sum();
    let classes: u32 = module.classes.iter().map(|c| radon_class_real(c) - 1).sum();
    1 + module.increments + functions + classes
}

/// radon's blocks of a module, as `radon cc` lists them (and `-a`, xenon average them): each
/// function reached without entering another block, each class so reached — whose block
/// value is `int(real_complexity / methods) + (methods > 1)`, or its real complexity when it
/// has no method — and that class's methods. Closures and inner classes are left out (radon
/// shows them only with `--show-closures`).
pub fn radon_blocks(body: &[Stmt]) -> crate::model::BlockStats {
    let module = Radon::scan(body);
    let mut blocks = crate::model::BlockStats::default();
    for f in &module.functions {
        blocks.add(radon_function(&f.body));
    }
    for class in &module.classes {
        let methods: Vec<u32> = Radon::scan(&class.body)
            .functions
            .iter()
            .map(|f| radon_function(&f.body))
            .collect();
        let real = radon_class_real(class);
        let n = methods.len() as u32;
        blocks.add(
            real.checked_div(n)
                .map_or(real, |mean| mean + u32::from(n > 1)),
        );
        for m in methods {
            blocks.add(m);
        }
    }
    blocks
}

/// radon's `Class.real_complexity`: 1 + class-body increments + the complexity of each method.
fn radon_class_real(class: &StmtClassDef) -> u32 {
    let body = Radon::scan(&class.body);
    1 + body.increments
        + body
            .functions
            .iter()
            .map(|f| radon_function(&f.body))
            .sum::<u32>()
}

/// Counts increments of one block and collects the functions and classes met in it, which
/// are blocks of their own.
struct Radon<'a> {
    increments: u32,
    functions: Vec<&'a StmtFunctionDef>,
    classes: Vec<&'a StmtClassDef>,
}

impl<'a> Radon<'a> {
    fn scan(body: &'a [Stmt]) -> Self {
        let mut visitor = Self {
            increments: 0,
            functions: Vec::new(),
            classes: Vec::new(),
        };
        visitor.visit_body(body);
        visitor
    }
}

impl<'a> Visitor<'a> for Radon<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.increments += match stmt {
            Stmt::FunctionDef(def) => return self.functions.push(def),
            Stmt::ClassDef(class) => return self.classes.push(class),
            Stmt::Assert(_) => return self.increments += 1,
            Stmt::If(s) => {
                1 + s
                    .elif_else_clauses
                    .iter()
                    .filter(|c| c.test.is_some())
                    .count() as u32
            }
            Stmt::For(s) => 1 + u32::from(!s.orelse.is_empty()),
            Stmt::While(s) => 1 + u32::from(!s.orelse.is_empty()),
            // radon matches the node names `Try`/`TryExcept`; Python 3.11's `TryStar` is neither.
            Stmt::Try(s) if !s.is_star => s.handlers.len() as u32 + u32::from(!s.orelse.is_empty()),
            Stmt::Match(s) => {
                let irrefutable = s.cases.iter().any(
                    |case| matches!(&case.pattern, Pattern::MatchAs(p) if p.pattern.is_none()),
                );
                (s.cases.len() as u32).saturating_sub(u32::from(irrefutable))
            }
            _ => 0,
        };
        walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        self.increments += match expr {
            Expr::BoolOp(op) => op.values.len().saturating_sub(1) as u32,
            Expr::If(_) => 1,
            _ => 0,
        };
        walk_expr(self, expr);
    }

    fn visit_comprehension(&mut self, comprehension: &'a Comprehension) {
        self.increments += 1 + comprehension.ifs.len() as u32;
        walk_comprehension(self, comprehension);
    }
}

/// mccabe's decision points as ruff's C901 counts them: `if`/`elif`, loops, `except`,
/// `try … else`, `match` cases (less one for a final irrefutable, unguarded case), and nested
/// functions (+1 each, with their own decision points). Expressions add nothing.
fn mccabe(body: &[Stmt]) -> u32 {
    body.iter()
        .map(|stmt| match stmt {
            Stmt::If(s) => {
                1 + mccabe(&s.body)
                    + s.elif_else_clauses
                        .iter()
                        .map(|c| u32::from(c.test.is_some()) + mccabe(&c.body))
                        .sum::<u32>()
            }
            Stmt::For(s) => 1 + mccabe(&s.body) + mccabe(&s.orelse),
            Stmt::While(s) => 1 + mccabe(&s.body) + mccabe(&s.orelse),
            Stmt::With(s) => mccabe(&s.body),
            Stmt::Match(s) => {
                let cases: u32 = s.cases.iter().map(|c| 1 + mccabe(&c.body)).sum();
                let irrefutable_last = s
                    .cases
                    .last()
                    .is_some_and(|c| c.guard.is_none() && c.pattern.is_irrefutable());
                cases - u32::from(irrefutable_last)
            }
            Stmt::Try(s) => {
                let handlers: u32 = s
                    .handlers
                    .iter()
                    .map(|h| {
                        let ExceptHandler::ExceptHandler(h) = h;
                        1 + mccabe(&h.body)
                    })
                    .sum();
                mccabe(&s.body)
                    + u32::from(!s.orelse.is_empty())
                    + mccabe(&s.orelse)
                    + mccabe(&s.finalbody)
                    + handlers
            }
            Stmt::FunctionDef(def) => 1 + mccabe(&def.body),
            Stmt::ClassDef(class) => mccabe(&class.body),
            _ => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radon_blocks_are_what_radon_cc_lists() {
        // `radon cc -s -a` on this module: A 3, f 2, A.m2 2, Empty 2, g 1, A.m1 1 — 6 blocks,
        // average 1.83; the inner class, its method and the closure are not blocks.
        let src = "def f(a):\n    if a:\n        pass\n\nclass A:\n    def m1(self):\n        pass\n    def m2(self, x):\n        return x or 1\n    class Inner:\n        def z(self):\n            pass\n\nclass Empty:\n    x = 1 if y else 2\n\nif True:\n    def g():\n        def closure():\n            pass\n";
        let body = ruff_python_parser::parse_module(src)
            .unwrap()
            .into_syntax()
            .body;
        assert_eq!(
            radon_blocks(&body),
            crate::model::BlockStats {
                count: 6,
                total: 11,
                max: 3
            }
        );
    }
    use ruff_python_parser::parse_module;

    /// Complexity of the first statement, which must be a `def`.
    fn cc(src: &str) -> u32 {
        let module = parse_module(src).expect("test source parses").into_syntax();
        let Some(Stmt::FunctionDef(def)) = module.body.first() else {
            panic!("not a def")
        };
        radon_function(&def.body)
    }

    #[test]
    fn straight_line_code_is_one() {
        assert_eq!(cc("def f():\n    return 1\n"), 1);
    }

    #[test]
    fn if_elif_each_add_one_else_adds_nothing() {
        assert_eq!(
            cc(
                "def f(a, b):\n    if a:\n        pass\n    elif b:\n        pass\n    else:\n        pass\n"
            ),
            3
        );
    }

    #[test]
    fn ternary_adds_one() {
        assert_eq!(cc("def f(a):\n    return 1 if a else 2\n"), 2);
    }

    #[test]
    fn loops_add_one_and_their_else_one_more() {
        assert_eq!(cc("def f(a):\n    for x in a:\n        pass\n"), 2);
        assert_eq!(
            cc("def f(a):\n    for x in a:\n        pass\n    else:\n        pass\n"),
            3
        );
        assert_eq!(
            cc("async def f(a):\n    async for x in a:\n        pass\n"),
            2
        );
        assert_eq!(
            cc("def f(a):\n    while a:\n        pass\n    else:\n        pass\n"),
            3
        );
    }

    #[test]
    fn try_counts_handlers_and_else_not_finally() {
        let src = "def f():\n    try:\n        pass\n    except A:\n        pass\n    except B:\n        pass\n    else:\n        pass\n    finally:\n        pass\n";
        assert_eq!(cc(src), 4);
    }

    #[test]
    fn try_star_counts_nothing_as_in_radon() {
        assert_eq!(
            cc("def f():\n    try:\n        pass\n    except* A:\n        pass\n"),
            1
        );
    }

    #[test]
    fn with_adds_nothing() {
        assert_eq!(cc("def f():\n    with a:\n        pass\n"), 1);
    }

    #[test]
    fn assert_adds_one_without_looking_inside() {
        assert_eq!(cc("def f(a, b):\n    assert a and b if a else b\n"), 2);
    }

    #[test]
    fn comprehensions_count_each_for_and_if() {
        assert_eq!(
            cc("def f(a):\n    return [x for x in a if x if x > 1 for y in x]\n"),
            5
        );
        assert_eq!(cc("def f(a):\n    return {k: v for k, v in a}\n"), 2);
    }

    #[test]
    fn boolean_operators_count_operands_minus_one() {
        assert_eq!(cc("def f(a, b, c):\n    return a and b and c\n"), 3);
        assert_eq!(cc("def f(a, b, c):\n    return a and b or c\n"), 3);
    }

    #[test]
    fn match_counts_cases_minus_one_when_an_irrefutable_case_exists() {
        let three = "def f(x):\n    match x:\n        case 1:\n            pass\n        case 2:\n            pass\n        case _:\n            pass\n";
        assert_eq!(cc(three), 3);
        let capture = "def f(x):\n    match x:\n        case 1:\n            pass\n        case y:\n            pass\n";
        assert_eq!(cc(capture), 2);
        let no_default = "def f(x):\n    match x:\n        case 1:\n            pass\n        case 2:\n            pass\n";
        assert_eq!(cc(no_default), 3);
        let only_default = "def f(x):\n    match x:\n        case _:\n            pass\n";
        assert_eq!(cc(only_default), 1);
    }

    #[test]
    fn match_guards_are_not_counted_but_their_operators_are() {
        let src = "def f(x):\n    match x:\n        case 1 if a or b:\n            pass\n";
        assert_eq!(cc(src), 3);
    }

    #[test]
    fn lambdas_count_toward_the_enclosing_function() {
        assert_eq!(cc("def f():\n    g = lambda x: x if x else 0\n"), 2);
    }

    #[test]
    fn nested_defs_and_classes_are_separate() {
        assert_eq!(
            cc(
                "def f():\n    def g(a):\n        if a:\n            pass\n    class C:\n        x = 1 if y else 2\n"
            ),
            1
        );
    }

    fn module_total(src: &str) -> u32 {
        radon_module_total(&parse_module(src).unwrap().into_syntax().body)
    }

    fn mccabe_cc(src: &str) -> u32 {
        let module = parse_module(src).expect("test source parses").into_syntax();
        let Some(Stmt::FunctionDef(def)) = module.body.first() else {
            panic!("not a def")
        };
        function(&def.body, Dialect::Mccabe)
    }

    #[test]
    fn module_total_adds_functions_and_classes_as_radon_does() {
        // module: 1 + if (1); f: 2 → +1; class: 1 + x ternary (1) + m (2) → +3; nested g ignored.
        let src = "if a:\n    pass\ndef f(a):\n    def g():\n        if b: pass\n    return a or b\nclass C:\n    x = 1 if a else 2\n    def m(self):\n        if a: pass\n";
        assert_eq!(module_total(src), 2 + 1 + 3);
        assert_eq!(module_total(""), 1);
    }

    #[test]
    fn mccabe_counts_statements_only() {
        assert_eq!(
            mccabe_cc(
                "def f(a, b):\n    if a and b:\n        return [x for x in a if x]\n    return 1 if a else 2\n"
            ),
            2
        );
        assert_eq!(
            mccabe_cc("def f(a):\n    for x in a:\n        pass\n    else:\n        pass\n"),
            2
        );
        assert_eq!(
            mccabe_cc(
                "def f():\n    try:\n        pass\n    except A:\n        pass\n    else:\n        pass\n"
            ),
            3
        );
        assert_eq!(
            mccabe_cc("def f():\n    assert a\n    with b:\n        pass\n"),
            1
        );
    }

    #[test]
    fn mccabe_adds_nested_functions_to_the_parent() {
        assert_eq!(
            mccabe_cc(
                "def f():\n    def a():\n        def b():\n            pass\n        b()\n    a()\n"
            ),
            3
        );
    }

    #[test]
    fn mccabe_match_discounts_only_a_final_unguarded_irrefutable_case() {
        let src = "def f(x):\n    match x:\n        case 1:\n            pass\n        case 5 | _:\n            pass\n";
        assert_eq!(mccabe_cc(src), 2);
        let guarded = "def f(x):\n    match x:\n        case 1:\n            pass\n        case _ if x:\n            pass\n";
        assert_eq!(mccabe_cc(guarded), 3);
    }

    #[test]
    fn decisions_inside_f_strings_count() {
        assert_eq!(
            cc("def f(xs):\n    return f\"{', '.join(str(x) for x in xs)}\"\n"),
            2
        );
    }
}
