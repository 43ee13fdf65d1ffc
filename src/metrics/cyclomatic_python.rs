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
use ruff_python_ast::{Comprehension, Expr, Pattern, Stmt};

/// Cyclomatic complexity of a function with this body: 1 + the increments in it.
pub fn radon_function(body: &[Stmt]) -> u32 {
    let mut visitor = Radon { increments: 0 };
    visitor.visit_body(body);
    1 + visitor.increments
}

struct Radon {
    increments: u32,
}

impl<'a> Visitor<'a> for Radon {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.increments += match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => return,
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

#[cfg(test)]
mod tests {
    use super::*;
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

    #[test]
    fn decisions_inside_f_strings_count() {
        assert_eq!(
            cc("def f(xs):\n    return f\"{', '.join(str(x) for x in xs)}\"\n"),
            2
        );
    }
}
