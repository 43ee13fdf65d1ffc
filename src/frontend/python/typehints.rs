//! Python type-hint coverage (DEFINITIONS.md Part 1).
//!
//! Per function, the annotatable slots are its parameters — without the first parameter of a
//! method (`self`/`cls`; a `@staticmethod` has none to drop), with `*args` and `**kwargs` — and
//! its return, except for `__init__`, whose return is always `None`. Lambdas have no slots.

use ruff_python_ast::{Expr, StmtFunctionDef};

use crate::model::TypeHints;

/// Type hints of `def`; `is_method` when it is defined directly in a class body.
pub fn of(def: &StmtFunctionDef, is_method: bool) -> TypeHints {
    let p = &def.parameters;
    let skip_first = is_method && !is_staticmethod(def);
    let positional = p
        .posonlyargs
        .iter()
        .chain(&p.args)
        .skip(usize::from(skip_first))
        .map(|a| &a.parameter);
    let keyword = p.kwonlyargs.iter().map(|a| &a.parameter);
    let star = p.vararg.iter().chain(&p.kwarg).map(|b| b.as_ref());
    let mut hints = TypeHints::default();
    for param in positional.chain(keyword).chain(star) {
        hints.params += 1;
        hints.annotated_params += u32::from(param.annotation.is_some());
    }
    if def.name.as_str() != "__init__" {
        hints.returns_annotated = Some(def.returns.is_some());
    }
    hints
}

fn is_staticmethod(def: &StmtFunctionDef) -> bool {
    def.decorator_list.iter().any(|d| match &d.expression {
        Expr::Name(n) => n.id.as_str() == "staticmethod",
        Expr::Attribute(a) => a.attr.as_str() == "staticmethod",
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_ast::Stmt;
    use ruff_python_parser::parse_module;

    fn hints(src: &str, is_method: bool) -> TypeHints {
        let module = parse_module(src).unwrap().into_syntax();
        let Some(Stmt::FunctionDef(def)) = module.body.first() else {
            panic!()
        };
        of(def, is_method)
    }

    #[test]
    fn counts_parameters_and_return() {
        let h = hints(
            "def f(a: int, b, *args: str, c=1, **kw) -> int: ...\n",
            false,
        );
        assert_eq!(
            h,
            TypeHints {
                params: 5,
                annotated_params: 2,
                returns_annotated: Some(true)
            }
        );
        assert_eq!((h.slots(), h.annotated(), h.complete()), (6, 3, false));
    }

    #[test]
    fn methods_drop_self_but_static_methods_do_not() {
        assert_eq!(hints("def m(self, x: int) -> None: ...\n", true).params, 1);
        assert_eq!(
            hints("@staticmethod\ndef m(x: int) -> None: ...\n", true).params,
            1
        );
        assert_eq!(hints("def m(self, /, x) -> None: ...\n", true).params, 1);
    }

    #[test]
    fn init_has_no_return_slot() {
        let h = hints("def __init__(self) -> None: ...\n", true);
        assert_eq!((h.slots(), h.complete()), (0, true));
    }
}
