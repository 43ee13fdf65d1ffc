//! Python docstring coverage as interrogate 1.7 counts it with its defaults: the module, every
//! class and every function or method — nested ones included — is one object; it is covered when
//! its first statement is a string literal that is not blank.

use ruff_python_ast::{Expr, Stmt};

use crate::model::DocCount;

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

/// Classes anywhere in `body` (functions are counted where they are inventoried), with whether
/// each has a docstring.
pub fn count_classes(body: &[Stmt], count: &mut DocCount) {
    for stmt in body {
        match stmt {
            Stmt::ClassDef(c) => {
                count.add(has_docstring(&c.body));
                count_classes(&c.body, count);
            }
            Stmt::FunctionDef(f) => count_classes(&f.body, count),
            Stmt::If(s) => {
                count_classes(&s.body, count);
                for clause in &s.elif_else_clauses {
                    count_classes(&clause.body, count);
                }
            }
            Stmt::For(s) => {
                count_classes(&s.body, count);
                count_classes(&s.orelse, count);
            }
            Stmt::While(s) => {
                count_classes(&s.body, count);
                count_classes(&s.orelse, count);
            }
            Stmt::With(s) => count_classes(&s.body, count),
            Stmt::Try(s) => {
                count_classes(&s.body, count);
                for handler in &s.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(h) = handler;
                    count_classes(&h.body, count);
                }
                count_classes(&s.orelse, count);
                count_classes(&s.finalbody, count);
            }
            Stmt::Match(s) => {
                for case in &s.cases {
                    count_classes(&case.body, count);
                }
            }
            _ => {}
        }
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

    #[test]
    fn classes_are_found_at_any_depth() {
        let mut count = DocCount::default();
        count_classes(
            &body(
                "class A:\n    'doc'\n    class B:\n        pass\ndef f():\n    class C:\n        'doc'\n",
            ),
            &mut count,
        );
        assert_eq!(
            count,
            DocCount {
                documented: 2,
                total: 3
            }
        );
        assert_eq!(DocCount::default().percent(), None);
    }
}
