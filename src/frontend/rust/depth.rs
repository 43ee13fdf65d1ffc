//! Bounds the nesting of a parsed tree before anything else recurses over it.

use proc_macro2::Span;
use syn::visit::{self, Visit};
use syn::{Expr, Item, Pat, Signature, Stmt, Type};

/// Deeper trees are refused (a 1,000,000-term `1+1+…` nests a million levels deep).
pub const MAX_DEPTH: usize = 5_000;

pub fn first_too_deep(file: &syn::File) -> Option<Span> {
    let mut probe = Probe {
        depth: 0,
        exceeded: None,
        last_fn: Span::call_site(),
    };
    probe.visit_file(file);
    probe.exceeded
}

struct Probe {
    depth: usize,
    exceeded: Option<Span>,
    /// Name of the innermost fn entered: where to point when no token is cheaper to find.
    last_fn: Span,
}

impl Probe {
    fn nest(&mut self, at: impl FnOnce() -> Option<Span>, walk: impl FnOnce(&mut Self)) {
        if self.exceeded.is_some() {
            return;
        }
        if self.depth >= MAX_DEPTH {
            self.exceeded = Some(at().unwrap_or(self.last_fn));
            return;
        }
        self.depth += 1;
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || walk(self));
        self.depth -= 1;
    }
}

/// Span of an expression's first token, found without recursion (`Spanned::span` would
/// walk the whole, deep, subtree) for the shapes that chain: operators, calls, fields.
fn first_token(mut e: &Expr) -> Option<Span> {
    loop {
        e = match e {
            Expr::Binary(b) => &b.left,
            Expr::MethodCall(m) => &m.receiver,
            Expr::Field(f) => &f.base,
            Expr::Index(i) => &i.expr,
            Expr::Call(c) => &c.func,
            Expr::Try(t) => &t.expr,
            Expr::Cast(c) => &c.expr,
            Expr::Await(a) => &a.base,
            Expr::Paren(p) => return Some(p.paren_token.span.open()),
            Expr::Unary(u) => return Some(syn::spanned::Spanned::span(&u.op)),
            Expr::Lit(l) => return Some(l.lit.span()),
            Expr::Path(p) => return p.path.segments.first().map(|s| s.ident.span()),
            _ => return None,
        };
    }
}

impl<'ast> Visit<'ast> for Probe {
    fn visit_expr(&mut self, e: &'ast Expr) {
        self.nest(|| first_token(e), |p| visit::visit_expr(p, e));
    }
    fn visit_item(&mut self, i: &'ast Item) {
        self.nest(|| None, |p| visit::visit_item(p, i));
    }
    fn visit_pat(&mut self, pat: &'ast Pat) {
        self.nest(|| None, |p| visit::visit_pat(p, pat));
    }
    fn visit_stmt(&mut self, s: &'ast Stmt) {
        self.nest(|| None, |p| visit::visit_stmt(p, s));
    }
    fn visit_type(&mut self, t: &'ast Type) {
        self.nest(|| None, |p| visit::visit_type(p, t));
    }
    fn visit_signature(&mut self, sig: &'ast Signature) {
        self.last_fn = sig.ident.span();
        visit::visit_signature(self, sig);
    }
}
