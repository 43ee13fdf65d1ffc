//! Bounds the nesting of a parsed tree before anything else recurses over it.

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
