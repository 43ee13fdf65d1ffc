//! Python cognitive complexity as complexipy 8.3 scores it (the SonarSource specification,
//! DEFINITIONS.md §3.8, with complexipy's reading of it):
//!
//! | construct | increment |
//! |---|---|
//! | `if`, `for`, `while`, `match` | +1 + nesting; their bodies nest one level deeper |
//! | `elif`, `else` of an `if` | +1 (no nesting increment) |
//! | `except` clause | +1 + nesting; its body nests deeper |
//! | loop `else`, `try … else`, `finally`, `with` | +0, no extra nesting |
//! | boolean operators | +1 per sequence of like operators (a nested operation of the other kind, or one under a `not`, starts a new one) |
//! | conditional expression | +1 + nesting; its branches nest deeper |
//! | comprehension | +1 + nesting per `for`, +1 per `if` filter |
//! | `lambda` | its body nests deeper |
//! | nested `def` | its body nests one level deeper (directly in a function body) |
//! | direct recursion | +1 when the body calls the function by its own name |
//!
//! Expressions are inspected only where complexipy looks: the value of assignments, `return`,
//! `raise`, `assert`, expression statements, the test of `if`/`elif`/`while`, a `for` loop's
//! iterable and `with` items; inside them only through calls' positional arguments, collections,
//! comparisons, boolean and unary operations, conditional expressions, lambdas and
//! comprehensions. `match` guards are not counted. A function whose body is exactly an inner
//! `def` and a `return` (a decorator) is scored by the inner function's body.

use ruff_python_ast::visitor::{Visitor, walk_body, walk_expr, walk_stmt};
use ruff_python_ast::{BoolOp, Comprehension, Expr, Stmt, StmtFunctionDef};

/// Cognitive complexity of one function, scored on its own (nesting starts at 0).
pub fn function(def: &StmtFunctionDef) -> u32 {
    let mut score = function_body(def, 0);
    if calls_itself(def) {
        score += 1;
    }
    score
}

/// Body of a `def` at `nesting`; a decorator (`def` + `return`) is scored by its inner function.
fn function_body(def: &StmtFunctionDef, nesting: u32) -> u32 {
    if let Some(inner) = decorator_inner(def) {
        return function_body(inner, nesting);
    }
    def.body
        .iter()
        .map(|s| {
            let nest = if matches!(s, Stmt::FunctionDef(_)) {
                nesting + 1
            } else {
                nesting
            };
            statement(s, nest)
        })
        .sum()
}

fn decorator_inner(def: &StmtFunctionDef) -> Option<&StmtFunctionDef> {
    match def.body.as_slice() {
        [Stmt::FunctionDef(inner), Stmt::Return(_)] => Some(inner),
        _ => None,
    }
}

fn suite(body: &[Stmt], nesting: u32) -> u32 {
    body.iter().map(|s| statement(s, nesting)).sum()
}

fn statement(stmt: &Stmt, nesting: u32) -> u32 {
    match stmt {
        Stmt::FunctionDef(def) => function_body(def, nesting),
        Stmt::ClassDef(class) => class
            .body
            .iter()
            .filter_map(|s| match s {
                Stmt::FunctionDef(def) => Some(function_body(def, nesting)),
                _ => None,
            })
            .sum(),
        Stmt::Assign(a) => expression(&a.value, nesting),
        Stmt::AnnAssign(a) => a.value.as_deref().map_or(0, |v| expression(v, nesting)),
        Stmt::AugAssign(a) => expression(&a.value, nesting),
        Stmt::Return(r) => r.value.as_deref().map_or(0, |v| expression(v, nesting)),
        Stmt::Raise(r) => {
            r.exc.as_deref().map_or(0, |e| expression(e, nesting))
                + r.cause.as_deref().map_or(0, |e| expression(e, nesting))
        }
        Stmt::Assert(a) => {
            expression(&a.test, nesting) + a.msg.as_deref().map_or(0, |m| expression(m, nesting))
        }
        Stmt::Expr(e) => expression(&e.value, nesting),
        Stmt::For(f) => {
            1 + nesting
                + expression(&f.iter, nesting)
                + suite(&f.body, nesting + 1)
                + suite(&f.orelse, nesting)
        }
        Stmt::While(w) => {
            1 + nesting
                + expression(&w.test, nesting)
                + suite(&w.body, nesting + 1)
                + suite(&w.orelse, nesting)
        }
        Stmt::If(i) => {
            let mut score =
                1 + nesting + expression(&i.test, nesting) + suite(&i.body, nesting + 1);
            for clause in &i.elif_else_clauses {
                score += 1 + clause.test.as_ref().map_or(0, |t| expression(t, nesting));
                score += suite(&clause.body, nesting + 1);
            }
            score
        }
        Stmt::Try(t) => {
            let handlers: u32 = t
                .handlers
                .iter()
                .map(|h| {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(h) = h;
                    1 + nesting + suite(&h.body, nesting + 1)
                })
                .sum();
            suite(&t.body, nesting)
                + handlers
                + suite(&t.orelse, nesting)
                + suite(&t.finalbody, nesting)
        }
        Stmt::Match(m) => {
            1 + nesting
                + m.cases
                    .iter()
                    .map(|c| suite(&c.body, nesting + 1))
                    .sum::<u32>()
        }
        Stmt::With(w) => {
            w.items
                .iter()
                .map(|item| expression(&item.context_expr, nesting))
                .sum::<u32>()
                + suite(&w.body, nesting)
        }
        _ => 0,
    }
}

/// complexipy's `count_bool_ops`: what an expression adds where it is inspected.
fn expression(expr: &Expr, nesting: u32) -> u32 {
    match expr {
        Expr::BoolOp(b) => operator_sequences(b, None),
        Expr::UnaryOp(u) => nested_operator_sequences(&u.operand, None),
        Expr::Compare(c) => {
            expression(&c.left, nesting)
                + c.comparators
                    .iter()
                    .map(|e| expression(e, nesting))
                    .sum::<u32>()
        }
        Expr::If(i) => {
            1 + nesting
                + expression(&i.test, nesting)
                + expression(&i.body, nesting + 1)
                + expression(&i.orelse, nesting + 1)
        }
        Expr::Lambda(l) => expression(&l.body, nesting + 1),
        Expr::ListComp(c) => comprehension(&[&c.elt], &c.generators, nesting),
        Expr::SetComp(c) => comprehension(&[&c.elt], &c.generators, nesting),
        Expr::Generator(c) => comprehension(&[&c.elt], &c.generators, nesting),
        Expr::DictComp(c) => match c.key.as_deref() {
            Some(key) => comprehension(&[key, &c.value], &c.generators, nesting),
            None => comprehension(&[&c.value], &c.generators, nesting),
        },
        Expr::Call(c) => c
            .arguments
            .args
            .iter()
            .map(|a| expression(a, nesting))
            .sum(),
        Expr::Tuple(t) => t.elts.iter().map(|e| expression(e, nesting)).sum(),
        Expr::List(l) => l.elts.iter().map(|e| expression(e, nesting)).sum(),
        Expr::Set(s) => s.elts.iter().map(|e| expression(e, nesting)).sum(),
        Expr::Dict(d) => d
            .items
            .iter()
            .map(|item| expression(&item.value, nesting))
            .sum(),
        _ => 0,
    }
}

fn comprehension(elements: &[&Expr], generators: &[Comprehension], nesting: u32) -> u32 {
    let generators: u32 = generators
        .iter()
        .map(|g| {
            1 + nesting
                + expression(&g.iter, nesting)
                + g.ifs
                    .iter()
                    .map(|f| 1 + expression(f, nesting + 1))
                    .sum::<u32>()
        })
        .sum();
    generators
        + elements
            .iter()
            .map(|e| expression(e, nesting + 1))
            .sum::<u32>()
}

/// complexipy 8.3's boolean-operator count: each sequence of like operators adds 1. A boolean
/// operation starts a new sequence unless the operation directly around it has the same
/// operator; a `not` between them breaks the sequence (`a and not (b and c)` is two).
fn operator_sequences(op: &ruff_python_ast::ExprBoolOp, enclosing: Option<BoolOp>) -> u32 {
    u32::from(enclosing != Some(op.op))
        + op.values
            .iter()
            .map(|v| nested_operator_sequences(v, Some(op.op)))
            .sum::<u32>()
}

fn nested_operator_sequences(expr: &Expr, enclosing: Option<BoolOp>) -> u32 {
    // Iterative through `not`s: a machine-made `not not … x` must not grow the stack.
    let mut expr = expr;
    let mut enclosing = enclosing;
    loop {
        match expr {
            Expr::BoolOp(op) => {
                return stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
                    operator_sequences(op, enclosing)
                });
            }
            Expr::UnaryOp(u) => {
                expr = &u.operand;
                enclosing = None;
            }
            _ => return 0,
        }
    }
}

/// Whether the body calls the function by its own name (outside nested defs, classes and
/// lambdas).
fn calls_itself(def: &StmtFunctionDef) -> bool {
    struct Finder<'a> {
        name: &'a str,
        found: bool,
    }
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if !self.found && !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                walk_stmt(self, stmt);
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if self.found || matches!(expr, Expr::Lambda(_)) {
                return;
            }
            if let Expr::Call(c) = expr
                && let Expr::Name(n) = c.func.as_ref()
                && n.id.as_str() == self.name
            {
                self.found = true;
                return;
            }
            walk_expr(self, expr);
        }
    }
    let mut finder = Finder {
        name: def.name.as_str(),
        found: false,
    };
    walk_body(&mut finder, &def.body);
    finder.found
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_parser::parse_module;

    /// Score of the first statement, a `def` (or a class's first method).
    fn cog(src: &str) -> u32 {
        let module = parse_module(src).expect("test source parses").into_syntax();
        match module.body.first() {
            Some(Stmt::FunctionDef(def)) => function(def),
            Some(Stmt::ClassDef(c)) => match c.body.first() {
                Some(Stmt::FunctionDef(def)) => function(def),
                _ => panic!("no method"),
            },
            _ => panic!("not a def"),
        }
    }

    #[test]
    fn boolean_operators_count_one_per_sequence_as_complexipy_8_3() {
        // complexipy 8.3.0 on each: the `if` adds 1, then one per sequence of like operators.
        let cases = [
            ("(a and (b or c)) or (d and e)", 5),
            ("a and (b or c)", 3),
            ("(a and b) or (d and e)", 4),
            ("(a and (b or c)) or d", 4),
            ("a or (b and (c or d))", 4),
            ("a and b and c", 2),
            ("a and not (b and c)", 3),
        ];
        for (test, want) in cases {
            let src = format!("def f(a, b, c, d, e):\n    if {test}:\n        return 1\n");
            assert_eq!(cog(&src), want, "{test}");
        }
        // Outside an `if`, the assignment's value is inspected alone.
        assert_eq!(
            cog("def f(a, b, c, d, e):\n    x = (a and (b or c)) or (d and e)\n"),
            4
        );
    }

    #[test]
    fn straight_line_code_is_zero() {
        assert_eq!(cog("def f(a):\n    return a\n"), 0);
    }

    #[test]
    fn if_elif_else_and_nesting() {
        assert_eq!(
            cog(
                "def f(a, b):\n    if a:\n        if b:\n            pass\n    elif b:\n        pass\n    else:\n        pass\n"
            ),
            5
        );
    }

    #[test]
    fn loops_nest_and_their_else_is_free() {
        assert_eq!(
            cog(
                "def f(xs):\n    for x in xs:\n        while x:\n            pass\n    else:\n        pass\n"
            ),
            3
        );
    }

    #[test]
    fn except_clauses_count_with_nesting_try_else_finally_do_not() {
        let src = "def f(xs):\n    for x in xs:\n        try:\n            pass\n        except A:\n            pass\n        except B:\n            pass\n        else:\n            pass\n        finally:\n            pass\n";
        assert_eq!(cog(src), 1 + 2 + 2);
    }

    #[test]
    fn match_counts_once_and_ignores_guards() {
        let src = "def f(x):\n    match x:\n        case 1 if x and x:\n            pass\n        case _:\n            if x:\n                pass\n";
        assert_eq!(cog(src), 1 + 2);
    }

    #[test]
    fn with_adds_nothing_and_does_not_nest() {
        assert_eq!(
            cog("def f(a):\n    with a:\n        if a:\n            pass\n"),
            1
        );
    }

    #[test]
    fn boolean_sequences_and_mixed_operators() {
        assert_eq!(cog("def f(a, b, c):\n    return a and b and c\n"), 1);
        assert_eq!(cog("def f(a, b, c):\n    return a and (b or c)\n"), 2);
        assert_eq!(cog("def f(a, b, c):\n    return not (a and b)\n"), 1);
        assert_eq!(
            cog("def f(a, b):\n    if a and (b or not b):\n        pass\n"),
            3
        );
        // A `not` beside a nested operation of the other kind adds nothing more (complexipy 8.3).
        assert_eq!(
            cog("def f(a, b, c):\n    if not a or (b and c):\n        pass\n"),
            3
        );
        assert_eq!(
            cog("def f(a, b, c):\n    if (b and c) or not a:\n        pass\n"),
            3
        );
        assert_eq!(
            cog("def f(a, b, c):\n    if a or not (b and c):\n        pass\n"),
            3
        );
        assert_eq!(
            cog("def f(a, b, c):\n    if not (a or b) and c:\n        pass\n"),
            3
        );
        assert_eq!(
            cog("def f(a, b, c):\n    if not (not a or b):\n        pass\n"),
            2
        );
        assert_eq!(
            cog("def f(a, b):\n    if (a or b) and not (a and b):\n        pass\n"),
            4
        );
    }

    #[test]
    fn conditional_expressions_nest() {
        assert_eq!(
            cog("def f(a):\n    return 1 if a else (2 if a else 3)\n"),
            1 + 2
        );
    }

    #[test]
    fn comprehensions_count_generators_and_filters() {
        assert_eq!(
            cog("def f(xs):\n    return [x for x in xs if x if x > 1]\n"),
            3
        );
    }

    #[test]
    fn lambdas_nest_their_body() {
        assert_eq!(cog("def f(a):\n    g = lambda z: z if z else 0\n"), 2);
    }

    #[test]
    fn nested_defs_nest_but_a_decorator_shape_does_not() {
        assert_eq!(
            cog("def f(a):\n    def g(x):\n        if x:\n            pass\n    g(a)\n"),
            2
        );
        assert_eq!(
            cog(
                "def deco(fn):\n    def wrapper(*a):\n        if a:\n            return fn(*a)\n    return wrapper\n"
            ),
            1
        );
    }

    #[test]
    fn direct_recursion_adds_one() {
        assert_eq!(cog("def rec(n):\n    return rec(n - 1)\n"), 1);
        assert_eq!(cog("def rec(n):\n    return (lambda: rec(n))()\n"), 0);
    }

    #[test]
    fn expressions_are_inspected_only_where_complexipy_looks() {
        // Keyword arguments, subscripts and f-strings are not looked into.
        assert_eq!(cog("def f(a):\n    g(key=1 if a else 2)\n"), 0);
        assert_eq!(cog("def f(a):\n    g(1 if a else 2)\n"), 1);
        assert_eq!(cog("def f(a):\n    del a[1 if a else 2]\n"), 0);
    }

    #[test]
    fn methods_are_scored_like_functions() {
        assert_eq!(
            cog(
                "class A:\n    def m(self, x):\n        if x and (x or not x):\n            pass\n        elif x:\n            pass\n        else:\n            pass\n"
            ),
            5
        );
    }
}
