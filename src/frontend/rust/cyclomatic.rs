//! Rust cyclomatic complexity, as DEFINITIONS.md Part 1 defines it:
//!
//! 1 + `if` / `else if` / `if let` (+1 each) + `while` / `while let` / `for` / `loop` (+1 each)
//! + `match` (+1 per arm beyond the first, +1 per arm guard) + `&&` / `||` (+1 each) + `?` (+1 each).
//!
//! Closures count toward the enclosing function; items nested in the body (fns, impls, mods) are
//! separate. Macro bodies are opaque token streams to syn and are not analysed.

use syn::visit::{self, Visit};
use syn::{BinOp, Block, Expr, Item};

/// Cyclomatic complexity of a function with this body.
pub fn of_block(block: &Block) -> u32 {
    let mut visitor = Counter { increments: 0 };
    visitor.visit_block(block);
    1 + visitor.increments
}

struct Counter {
    increments: u32,
}

impl<'ast> Visit<'ast> for Counter {
    fn visit_expr(&mut self, expr: &'ast Expr) {
        self.increments += match expr {
            Expr::If(_) | Expr::While(_) | Expr::ForLoop(_) | Expr::Loop(_) | Expr::Try(_) => 1,
            Expr::Match(m) => {
                let guards = m.arms.iter().filter(|arm| arm.guard.is_some()).count();
                (m.arms.len().saturating_sub(1) + guards) as u32
            }
            Expr::Binary(b) => u32::from(matches!(b.op, BinOp::And(_) | BinOp::Or(_))),
            _ => 0,
        };
        visit::visit_expr(self, expr);
    }

    /// Nested items are functions (or hold functions) of their own.
    fn visit_item(&mut self, _: &'ast Item) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cc(src: &str) -> u32 {
        let file = syn::parse_file(src).expect("test source parses");
        let Some(Item::Fn(f)) = file.items.first() else {
            panic!("not a fn")
        };
        of_block(&f.block)
    }

    #[test]
    fn straight_line_code_is_one() {
        assert_eq!(cc("fn f() -> i32 { 1 }"), 1);
    }

    #[test]
    fn if_and_else_if_add_one_each_else_adds_nothing() {
        assert_eq!(
            cc("fn f(a: bool, b: bool) { if a {} else if b {} else {} }"),
            3
        );
    }

    #[test]
    fn if_let_adds_one() {
        assert_eq!(
            cc("fn f(a: Option<u8>) { if let Some(x) = a { let _ = x; } }"),
            2
        );
    }

    #[test]
    fn loops_add_one_each() {
        assert_eq!(cc("fn f(v: Vec<u8>) { for x in v {} }"), 2);
        assert_eq!(cc("fn f(mut a: u8) { while a > 0 { a -= 1; } }"), 2);
        assert_eq!(
            cc("fn f(mut a: Option<u8>) { while let Some(_) = a { a = None; } }"),
            2
        );
        assert_eq!(cc("fn f() { loop { break; } }"), 2);
    }

    #[test]
    fn match_adds_arms_beyond_the_first_and_each_guard() {
        assert_eq!(
            cc("fn f(x: u8) -> u8 { match x { 0 => 1, 1 => 2, _ => 3 } }"),
            3
        );
        assert_eq!(
            cc("fn f(x: u8) -> u8 { match x { n if n > 5 => 1, _ => 3 } }"),
            3
        );
        assert_eq!(cc("fn f(x: u8) -> u8 { match x { _ => 3 } }"), 1);
    }

    #[test]
    fn logical_operators_add_one_each() {
        assert_eq!(
            cc("fn f(a: bool, b: bool, c: bool) -> bool { a && b || c }"),
            3
        );
        assert_eq!(cc("fn f(a: u8) -> u8 { a & 1 | 2 }"), 1);
    }

    #[test]
    fn question_mark_adds_one() {
        assert_eq!(
            cc("fn f(a: Option<u8>) -> Option<u8> { let b = a?; Some(b) }"),
            2
        );
    }

    #[test]
    fn closures_count_toward_the_enclosing_fn() {
        assert_eq!(
            cc("fn f(v: &[i32]) -> usize { v.iter().filter(|x| **x > 0 || **x < -5).count() }"),
            2
        );
    }

    #[test]
    fn nested_fns_are_separate() {
        assert_eq!(cc("fn f() { fn g(a: bool) { if a {} } g(true) }"), 1);
    }

    #[test]
    fn macro_bodies_are_not_analysed() {
        assert_eq!(
            cc("fn f(a: bool) { println!(\"{}\", if a { 1 } else { 2 }); }"),
            1
        );
    }
}
