//! Python Halstead counting exactly as radon's `HalsteadVisitor` (DEFINITIONS.md §3.5):
//!
//! - only five node kinds count: a binary operation (1 operator, 2 operands), a unary operation
//!   (1, 1), a boolean operation (1, one per value), an augmented assignment (1, 2) and a
//!   comparison (one operator per comparison, comparators + 1 operands);
//! - operators are distinct by Python's node class (`Add`, `USub`, `Eq`, …);
//! - an operand is its name for a name, its attribute name for `x.attr`, its value for a
//!   constant (with Python's equality: `1 == 1.0 == True`), and otherwise the node itself (so
//!   every call or subscript operand is distinct); operands are distinct per function name
//!   (the "context": the same name in two functions counts twice in a file's total);
//! - a function's decorators, parameters and annotations are not visited; its body is, with the
//!   function's name as context.

use rustc_hash::FxHashSet;
use std::borrow::Cow;

use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
use ruff_python_ast::{BoolOp, CmpOp, Expr, Number, Operator, Stmt, UnaryOp};

use crate::model::HalsteadCounts;

/// Counts over a module body (context: none).
pub fn module(body: &[Stmt]) -> HalsteadCounts {
    count(body, None)
}

/// Counts over a function body, as radon's per-function report does.
pub fn function(name: &str, body: &[Stmt]) -> HalsteadCounts {
    count(body, Some(name))
}

fn count<'a>(body: &'a [Stmt], context: Option<&'a str>) -> HalsteadCounts {
    let mut v = Counter {
        context,
        operators: 0,
        operands: 0,
        operators_seen: FxHashSet::default(),
        operands_seen: FxHashSet::default(),
    };
    v.visit_body(body);
    HalsteadCounts {
        distinct_operators: v.operators_seen.len() as u32,
        distinct_operands: v.operands_seen.len() as u32,
        operators: v.operators,
        operands: v.operands,
    }
}

/// An operand's identity, with Python's equality.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Operand<'a> {
    /// A name, an attribute name or a `str` constant: all compare as strings.
    Str(Cow<'a, str>),
    Bytes(Vec<u8>),
    /// An integral number (`True`, `1`, `1.0` and `(1+0j)` are all equal in Python).
    Int(i128),
    BigInt(String),
    Float(u64),
    Complex(u64, u64),
    None,
    Ellipsis,
    /// Any other expression: distinct by identity.
    Node(usize),
}

struct Counter<'a> {
    context: Option<&'a str>,
    operators: u32,
    operands: u32,
    operators_seen: FxHashSet<&'static str>,
    operands_seen: FxHashSet<(Option<&'a str>, Operand<'a>)>,
}

impl<'a> Counter<'a> {
    fn operator(&mut self, name: &'static str) {
        self.operators += 1;
        self.operators_seen.insert(name);
    }

    fn operand(&mut self, expr: &'a Expr) {
        self.operands += 1;
        self.operands_seen.insert((self.context, operand(expr)));
    }
}

impl<'a> Visitor<'a> for Counter<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(def) => {
                let outer = self.context.replace(def.name.as_str());
                self.visit_body(&def.body);
                self.context = outer;
                return;
            }
            Stmt::AugAssign(a) => {
                self.operator(operator_name(a.op));
                self.operand(&a.target);
                self.operand(&a.value);
            }
            _ => {}
        }
        walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::BinOp(b) => {
                self.operator(operator_name(b.op));
                self.operand(&b.left);
                self.operand(&b.right);
            }
            Expr::UnaryOp(u) => {
                self.operator(unary_name(u.op));
                self.operand(&u.operand);
            }
            Expr::BoolOp(b) => {
                self.operator(match b.op {
                    BoolOp::And => "And",
                    BoolOp::Or => "Or",
                });
                for value in &b.values {
                    self.operand(value);
                }
            }
            Expr::Compare(c) => {
                for op in &c.ops {
                    self.operator(compare_name(*op));
                }
                for comparator in &c.comparators {
                    self.operand(comparator);
                }
                self.operand(&c.left);
            }
            _ => {}
        }
        walk_expr(self, expr);
    }
}

fn operand(expr: &Expr) -> Operand<'_> {
    match expr {
        Expr::Name(n) => Operand::Str(Cow::Borrowed(n.id.as_str())),
        Expr::Attribute(a) => Operand::Str(Cow::Borrowed(a.attr.as_str())),
        Expr::StringLiteral(s) => Operand::Str(Cow::Borrowed(s.value.to_str())),
        Expr::BytesLiteral(b) => Operand::Bytes(b.value.bytes().collect()),
        Expr::BooleanLiteral(b) => Operand::Int(i128::from(b.value)),
        Expr::NoneLiteral(_) => Operand::None,
        Expr::EllipsisLiteral(_) => Operand::Ellipsis,
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => i.as_i64().map_or_else(
                || Operand::BigInt(i.to_string()),
                |v| Operand::Int(i128::from(v)),
            ),
            Number::Float(f) => float(*f),
            Number::Complex { real, imag } if *imag == 0.0 => float(*real),
            Number::Complex { real, imag } => Operand::Complex(real.to_bits(), imag.to_bits()),
        },
        other => Operand::Node(std::ptr::from_ref(other) as usize),
    }
}

fn float(f: f64) -> Operand<'static> {
    if f.fract() == 0.0 && f.abs() < 1e30 {
        Operand::Int(f as i128)
    } else {
        Operand::Float(f.to_bits())
    }
}

/// Python's `ast` class names: `Sub` and `USub` are different operators.
fn operator_name(op: Operator) -> &'static str {
    match op {
        Operator::Add => "Add",
        Operator::Sub => "Sub",
        Operator::Mult => "Mult",
        Operator::MatMult => "MatMult",
        Operator::Div => "Div",
        Operator::Mod => "Mod",
        Operator::Pow => "Pow",
        Operator::LShift => "LShift",
        Operator::RShift => "RShift",
        Operator::BitOr => "BitOr",
        Operator::BitXor => "BitXor",
        Operator::BitAnd => "BitAnd",
        Operator::FloorDiv => "FloorDiv",
    }
}

fn unary_name(op: UnaryOp) -> &'static str {
    match op {
        UnaryOp::Invert => "Invert",
        UnaryOp::Not => "Not",
        UnaryOp::UAdd => "UAdd",
        UnaryOp::USub => "USub",
    }
}

fn compare_name(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "Eq",
        CmpOp::NotEq => "NotEq",
        CmpOp::Lt => "Lt",
        CmpOp::LtE => "LtE",
        CmpOp::Gt => "Gt",
        CmpOp::GtE => "GtE",
        CmpOp::Is => "Is",
        CmpOp::IsNot => "IsNot",
        CmpOp::In => "In",
        CmpOp::NotIn => "NotIn",
    }
}

#[cfg(test)]
mod tests {
    use ruff_python_parser::parse_module;

    fn counts(src: &str) -> (u32, u32, u32, u32) {
        let module = parse_module(src).unwrap().into_syntax();
        let c = super::module(&module.body);
        (
            c.distinct_operators,
            c.distinct_operands,
            c.operators,
            c.operands,
        )
    }

    #[test]
    fn nested_operations_are_distinct_operands() {
        // a + b * c: Add(a, <BinOp>), Mult(b, c)
        assert_eq!(counts("x = a + b * c\n"), (2, 4, 2, 4));
    }

    #[test]
    fn python_equality_merges_constants() {
        assert_eq!(
            counts("x = a + 1\ny = a + 1.0\nz = a + True\n"),
            (1, 2, 3, 6)
        );
        assert_eq!(counts("x = a + 'a'\n"), (1, 1, 1, 2));
    }

    #[test]
    fn unary_and_binary_minus_are_different_operators() {
        assert_eq!(counts("x = -a - b\n"), (2, 3, 2, 3));
    }

    #[test]
    fn comparisons_bool_ops_and_aug_assign() {
        assert_eq!(counts("x = a < b <= c\n"), (2, 3, 2, 3));
        assert_eq!(counts("x = a and b and c\n"), (1, 3, 1, 3));
        assert_eq!(counts("x += 1\n"), (1, 2, 1, 2));
    }

    #[test]
    fn operands_are_distinct_per_function_context() {
        assert_eq!(
            counts("def f():\n    return a + 1\ndef g():\n    return a + 1\n"),
            (1, 4, 2, 4)
        );
    }

    #[test]
    fn defaults_and_decorators_of_a_def_are_not_counted() {
        assert_eq!(
            counts("@d(1 + 2)\ndef f(x=a + b):\n    pass\n"),
            (0, 0, 0, 0)
        );
    }

    #[test]
    fn calls_are_not_operators_but_their_arguments_are_visited() {
        assert_eq!(counts("f(a + b)\n"), (1, 2, 1, 2));
    }
}
