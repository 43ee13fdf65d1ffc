//! Rust cognitive complexity: the SonarSource specification (DEFINITIONS.md §3.8) adapted to
//! Rust's constructs. docs/metrics.md has an example for every rule.
//!
//! | construct | increment | nesting |
//! |---|---|---|
//! | `if`, `if let` | +1 + nesting | its blocks nest one level deeper |
//! | `else if` | +1 | its block nests like the `if`'s |
//! | `else` | +1 | its block nests like the `if`'s |
//! | `match` | +1 + nesting (once, whatever the arms) | arms nest one level deeper |
//! | `for`, `while`, `while let`, `loop` | +1 + nesting | the body nests one level deeper |
//! | a sequence of like `&&` / `\|\|` | +1 per sequence (`a && b \|\| c` = +2; `!` starts a new one) | — |
//! | labelled `break 'a` / `continue 'a` | +1 | — |
//! | closure | +0 | its body nests one level deeper |
//! | fn (or impl method) nested in the body | +0 | its body nests one level deeper |
//!
//! `?`, `let … else`, `async` and `unsafe` blocks add nothing; macro invocations are opaque.

use syn::visit::{self, Visit};
use syn::{BinOp, Block, Expr, ExprIf, ImplItem, Item};

/// Cognitive complexity of a function with this body, scored on its own.
pub fn of_block(block: &Block) -> u32 {
    let mut v = Scorer {
        score: 0,
        nesting: 0,
    };
    v.visit_block(block);
    v.score
}

struct Scorer {
    score: u32,
    nesting: u32,
}

impl Scorer {
    fn nested(&mut self, walk: impl FnOnce(&mut Self)) {
        self.nesting += 1;
        walk(self);
        self.nesting -= 1;
    }

    /// An `if` and its `else if` / `else` chain.
    fn if_chain(&mut self, e: &ExprIf, else_if: bool) {
        self.score += if else_if { 1 } else { 1 + self.nesting };
        self.visit_expr(&e.cond);
        self.nested(|v| v.visit_block(&e.then_branch));
        match e.else_branch.as_ref().map(|(_, b)| b.as_ref()) {
            Some(Expr::If(next)) => self.if_chain(next, true),
            Some(other) => {
                self.score += 1;
                self.nested(|v| v.visit_expr(other));
            }
            None => {}
        }
    }

    /// A maximal chain of `&&`/`||` (through parentheses): +1, and +1 at every change of
    /// operator; the operands are visited as ordinary expressions.
    fn logical_chain(&mut self, e: &Expr) {
        let mut operators = Vec::new();
        let mut operands = Vec::new();
        flatten(e, &mut operators, &mut operands);
        self.score += 1 + operators.windows(2).filter(|w| w[0] != w[1]).count() as u32;
        for operand in operands {
            self.visit_expr(operand);
        }
    }
}

fn is_logical(e: &Expr) -> bool {
    matches!(e, Expr::Binary(b) if matches!(b.op, BinOp::And(_) | BinOp::Or(_)))
}

/// In-order operators and the operands that are not themselves part of the chain.
fn flatten<'a>(e: &'a Expr, operators: &mut Vec<bool>, operands: &mut Vec<&'a Expr>) {
    match e {
        Expr::Binary(b) if is_logical(e) => {
            flatten(&b.left, operators, operands);
            operators.push(matches!(b.op, BinOp::And(_)));
            flatten(&b.right, operators, operands);
        }
        Expr::Paren(p) if is_logical(&p.expr) => flatten(&p.expr, operators, operands),
        other => operands.push(other),
    }
}

impl<'ast> Visit<'ast> for Scorer {
    fn visit_expr(&mut self, e: &'ast Expr) {
        match e {
            Expr::If(i) => self.if_chain(i, false),
            Expr::Match(m) => {
                self.score += 1 + self.nesting;
                self.visit_expr(&m.expr);
                self.nested(|v| {
                    for arm in &m.arms {
                        v.visit_arm(arm);
                    }
                });
            }
            Expr::ForLoop(f) => {
                self.score += 1 + self.nesting;
                self.visit_expr(&f.expr);
                self.nested(|v| v.visit_block(&f.body));
            }
            Expr::While(w) => {
                self.score += 1 + self.nesting;
                self.visit_expr(&w.cond);
                self.nested(|v| v.visit_block(&w.body));
            }
            Expr::Loop(l) => {
                self.score += 1 + self.nesting;
                self.nested(|v| v.visit_block(&l.body));
            }
            Expr::Closure(c) => self.nested(|v| v.visit_expr(&c.body)),
            Expr::Binary(_) if is_logical(e) => self.logical_chain(e),
            Expr::Break(b) => {
                self.score += u32::from(b.label.is_some());
                visit::visit_expr(self, e);
            }
            Expr::Continue(c) => self.score += u32::from(c.label.is_some()),
            _ => visit::visit_expr(self, e),
        }
    }

    /// Functions nested in the body count toward it, one level deeper.
    fn visit_item(&mut self, item: &'ast Item) {
        match item {
            Item::Fn(f) => self.nested(|v| v.visit_block(&f.block)),
            Item::Impl(i) => {
                for item in &i.items {
                    if let ImplItem::Fn(f) = item {
                        self.nested(|v| v.visit_block(&f.block));
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cog(src: &str) -> u32 {
        let file = syn::parse_file(src).expect("test source parses");
        let Some(Item::Fn(f)) = file.items.first() else {
            panic!("not a fn")
        };
        of_block(&f.block)
    }

    #[test]
    fn straight_line_code_is_zero() {
        assert_eq!(cog("fn f(a: u8) -> u8 { a + 1 }"), 0);
    }

    #[test]
    fn if_adds_one_plus_nesting() {
        assert_eq!(cog("fn f(a: bool) { if a {} }"), 1);
        assert_eq!(cog("fn f(a: bool) { if a { if a {} } }"), 1 + 2);
    }

    #[test]
    fn if_let_counts_like_if() {
        assert_eq!(
            cog("fn f(a: Option<u8>) { if let Some(x) = a { let _ = x; } }"),
            1
        );
    }

    #[test]
    fn else_if_and_else_add_one_without_nesting() {
        assert_eq!(
            cog("fn f(a: bool, b: bool) { if a {} else if b {} else {} }"),
            3
        );
        assert_eq!(
            cog("fn f(a: bool, b: bool) { for _ in 0..1 { if a {} else if b {} else {} } }"),
            1 + 2 + 1 + 1
        );
    }

    #[test]
    fn blocks_of_else_branches_nest() {
        assert_eq!(cog("fn f(a: bool) { if a {} else { if a {} } }"), 1 + 1 + 2);
    }

    #[test]
    fn match_counts_once_and_nests_its_arms() {
        assert_eq!(
            cog("fn f(x: u8) -> u8 { match x { 0 => 1, 1 => 2, _ => 3 } }"),
            1
        );
        assert_eq!(
            cog("fn f(x: u8, a: bool) { match x { 0 => if a {}, _ => {} } }"),
            1 + 2
        );
    }

    #[test]
    fn loops_add_one_plus_nesting() {
        assert_eq!(cog("fn f() { for _ in 0..3 {} }"), 1);
        assert_eq!(cog("fn f(mut a: u8) { while a > 0 { a -= 1; } }"), 1);
        assert_eq!(
            cog("fn f(mut a: Option<u8>) { while let Some(_) = a { a = None; } }"),
            1
        );
        assert_eq!(cog("fn f() { loop { for _ in 0..3 { break; } } }"), 1 + 2);
    }

    #[test]
    fn sequences_of_logical_operators() {
        assert_eq!(
            cog("fn f(a: bool, b: bool, c: bool) -> bool { a && b && c }"),
            1
        );
        assert_eq!(
            cog("fn f(a: bool, b: bool, c: bool) -> bool { a && b || c }"),
            2
        );
        assert_eq!(
            cog("fn f(a: bool, b: bool, c: bool) -> bool { a && (b || c) }"),
            2
        );
        assert_eq!(
            cog("fn f(a: bool, b: bool, c: bool, d: bool) -> bool { a || b && c || d }"),
            3
        );
        // A negation starts a new sequence.
        assert_eq!(
            cog("fn f(a: bool, b: bool, c: bool) -> bool { a && !(b && c) }"),
            2
        );
        // Bitwise operators are not logical.
        assert_eq!(cog("fn f(a: u8, b: u8) -> u8 { a & b | 1 }"), 0);
    }

    #[test]
    fn conditions_count_their_operators() {
        assert_eq!(cog("fn f(a: bool, b: bool) { if a && b {} }"), 2);
    }

    #[test]
    fn labelled_break_and_continue_add_one() {
        assert_eq!(
            cog("fn f() { 'outer: for _ in 0..3 { for _ in 0..3 { break 'outer; } } }"),
            1 + 2 + 1
        );
        assert_eq!(cog("fn f() { 'outer: loop { continue 'outer; } }"), 1 + 1);
        assert_eq!(cog("fn f() { loop { break; } }"), 1);
    }

    #[test]
    fn closures_nest_their_body() {
        assert_eq!(
            cog(
                "fn f(v: &[i32]) -> usize { v.iter().filter(|x| if **x > 0 { true } else { false }).count() }"
            ),
            2 + 1
        );
    }

    #[test]
    fn nested_fns_nest_their_body() {
        assert_eq!(cog("fn f() { fn g(a: bool) { if a {} } }"), 2);
    }

    #[test]
    fn question_mark_and_let_else_add_nothing() {
        assert_eq!(
            cog(
                "fn f(a: Option<u8>) -> Option<u8> { let Some(b) = a else { return None }; Some(a? + b) }"
            ),
            0
        );
    }

    #[test]
    fn macros_are_opaque() {
        assert_eq!(
            cog("fn f(a: bool) { println!(\"{}\", if a { 1 } else { 2 }); }"),
            0
        );
    }
}
