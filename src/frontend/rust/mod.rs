//! Rust front end: `syn` → [`FileModel`].
//!
//! Qualified names: `f` for a free fn, `module::f` inside `mod module`, `Type::method` for an
//! inherent method, `<Type as Trait>::method` for a trait impl, `Trait::method` for a trait's
//! default method, and `outer::inner` for a fn nested in another fn's body. Generic arguments
//! are left out (`impl<T> Store<T>` gives `Store::get`). Trait methods without a body declare
//! rather than implement a function and are not listed.

use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{
    Attribute, Block, ImplItem, ImplItemFn, Item, ItemFn, ItemImpl, ItemMod, ItemTrait, Signature,
    TraitItemFn, Type, Visibility,
};

pub mod cognitive;
pub mod cyclomatic;
mod depth;
pub mod halstead;
pub mod lex;

use self::halstead::Lexeme;
use super::Analysis;
use crate::metrics::halstead::Halstead;
use crate::metrics::maintainability;
use crate::model::{
    DocCount, DocKind, FileModel, FunctionModel, Language, MissingDoc, Skip, SkipReason,
    SourceError, SourceErrorKind,
};
use crate::source::LineIndex;

pub fn analyze(text: &str, options: &super::Options) -> Analysis {
    let analysis = analyze_text(text, options);
    // proc-macro2 keeps every parsed file's line table for the thread's lifetime; no span of
    // this file is used after this point, so free it (memory stays flat over a whole corpus).
    proc_macro2::extra::invalidate_current_thread_spans();
    analysis
}

/// `text` with every `\r` that does not start a `\r\n` replaced by `\n`.
fn lone_cr_as_lf(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut start = 0;
    for (i, _) in text.match_indices('\r') {
        if bytes.get(i + 1) != Some(&b'\n') {
            out.push_str(&text[start..i]);
            out.push('\n');
            start = i + 1;
        }
    }
    out.push_str(&text[start..]);
    out
}

fn analyze_text(text: &str, options: &super::Options) -> Analysis {
    let index = LineIndex::new(text);
    let scan = lex::scan_with(text, &index, options.normalize, options.clone_skip_imports);
    if let Some(offset) = scan.too_deep_at {
        let (line, column) = index.position_in(text, offset);
        return Analysis::Skipped(Skip::new(
            SkipReason::TooDeeplyNested,
            format!(
                "nesting deeper than {} brackets, or an operator chain longer than {} links, at {line}:{column}",
                lex::MAX_NESTING,
                lex::MAX_CHAIN
            ),
        ));
    }
    let mut model = FileModel::new(Language::Rust, scan.lines);
    model.suppressions = scan.suppressions;
    // proc-macro2 numbers lines by `\n` only: a file with classic-Mac `\r` line endings would
    // put every function on line 1. A lone `\r` becomes `\n` (same length: offsets hold).
    let lf_only;
    let parsed_text = if text.contains('\r') {
        lf_only = lone_cr_as_lf(text);
        lf_only.as_str()
    } else {
        text
    };
    let file = match syn::parse_file(parsed_text) {
        Ok(file) => file,
        Err(e) => {
            let message = lex_error_message(text, &index, e.span()).unwrap_or(e.to_string());
            return syntax_error(model, e.span(), message);
        }
    };
    if let Some(span) = depth::first_too_deep(&file) {
        // Dropping a tree this deep recurses as deep as it is nested: leak it instead (bounded
        // by the file size limit) so the process cannot overflow its stack.
        std::mem::forget(file);
        let start = span.start();
        return Analysis::Skipped(Skip::new(
            SkipReason::TooDeeplyNested,
            format!(
                "syntax tree nested deeper than {} levels at {}:{}",
                depth::MAX_DEPTH,
                start.line,
                start.column + 1
            ),
        ));
    }
    let lexemes = &scan.lexemes;
    let mut collector = FunctionCollector {
        text,
        index: &index,
        scope: Vec::new(),
        lexemes,
        out: &mut model.functions,
    };
    collector.visit_file(&file);

    let mut docs = DocCount::default();
    count_public_docs(&file.items, &mut docs, &mut model.missing_docstrings);
    let halstead = halstead::count(lexemes, 0..usize::MAX);
    // Decision points of the whole file + 1, as radon's module total is for Python.
    let total_complexity = 1 + model
        .functions
        .iter()
        .map(|f| f.cyclomatic - 1)
        .sum::<u32>();
    let lines = model.lines;
    // Visual Studio's variant: doc comments are most of a well-documented crate, and radon's
    // comment term would punish them.
    model.maintainability = Some(maintainability::visual_studio(
        Halstead::from(halstead).volume,
        total_complexity,
        lines.sloc,
    ));
    model.halstead = Some(halstead);
    model.total_complexity = Some(total_complexity);
    let mut blocks = crate::model::BlockStats::default();
    for f in &model.functions {
        blocks.add(f.cyclomatic);
    }
    model.blocks = Some(blocks);
    model.docstrings = Some(docs);
    model.tokens = scan.tokens;
    Analysis::Model(model)
}

fn syntax_error(mut model: FileModel, span: proc_macro2::Span, message: String) -> Analysis {
    let start = span.start();
    model.errors.push(SourceError {
        kind: SourceErrorKind::SyntaxError,
        line: start.line.max(1) as u32,
        column: start.column as u32 + 1,
        message,
    });
    Analysis::Model(model)
}

/// syn reports a character no Rust token starts with only as "cannot parse string into token
/// stream"; name the character instead, so the user can find an invisible one (an NBSP-like
/// space, U+200B) or a pasted `×`.
fn lex_error_message(text: &str, index: &LineIndex, span: proc_macro2::Span) -> Option<String> {
    let start = span.start();
    let line_start = index.line_start(start.line.max(1) as u32);
    let c = text.get(line_start..)?.chars().nth(start.column)?;
    if c.is_ascii() || c.is_alphanumeric() || c == '\u{FEFF}' {
        return None;
    }
    // An invisible character is named by its code point alone.
    let invisible = c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}');
    let shown = if invisible {
        format!("U+{:04X}", c as u32)
    } else {
        format!("`{c}` (U+{:04X})", c as u32)
    };
    Some(format!(
        "unexpected character {shown} outside a string or comment — Rust allows it only there"
    ))
}

/// Whether the attributes hold documentation (`///`, `/** */` or `#[doc = "…"]`).
fn has_doc(attrs: &[Attribute]) -> bool {
    attrs
        .iter()
        .any(|a| a.path().is_ident("doc") && matches!(a.meta, syn::Meta::NameValue(_)))
}

/// Public items (fns, structs, enums, traits, modules, and `pub fn`s of impl blocks) with and
/// without documentation, in this file's items and inline modules.
fn count_public_docs(items: &[Item], docs: &mut DocCount, missing: &mut Vec<MissingDoc>) {
    for item in items {
        let (vis, attrs, ident, kind) = match item {
            Item::Fn(i) => (&i.vis, &i.attrs, &i.sig.ident, DocKind::Function),
            Item::Struct(i) => (&i.vis, &i.attrs, &i.ident, DocKind::Item),
            Item::Enum(i) => (&i.vis, &i.attrs, &i.ident, DocKind::Item),
            Item::Trait(i) => (&i.vis, &i.attrs, &i.ident, DocKind::Item),
            Item::Mod(i) => {
                if let Some((_, inner)) = &i.content {
                    count_public_docs(inner, docs, missing);
                }
                (&i.vis, &i.attrs, &i.ident, DocKind::Item)
            }
            Item::Impl(i) => {
                for item in &i.items {
                    if let ImplItem::Fn(f) = item
                        && matches!(f.vis, Visibility::Public(_))
                    {
                        let documented = has_doc(&f.attrs);
                        note(docs, missing, documented, DocKind::Function, &f.sig.ident);
                    }
                }
                continue;
            }
            _ => continue,
        };
        if matches!(vis, Visibility::Public(_)) {
            note(docs, missing, has_doc(attrs), kind, ident);
        }
    }
}

/// Counts one public item, and names it when it has no documentation.
fn note(
    docs: &mut DocCount,
    missing: &mut Vec<MissingDoc>,
    documented: bool,
    kind: DocKind,
    ident: &syn::Ident,
) {
    docs.add(documented);
    if !documented {
        missing.push(MissingDoc {
            kind,
            name: ident.to_string(),
            line: ident.span().start().line as u32,
        });
    }
}

struct FunctionCollector<'a> {
    text: &'a str,
    index: &'a LineIndex,
    scope: Vec<String>,
    lexemes: &'a [Lexeme],
    out: &'a mut Vec<FunctionModel>,
}

impl FunctionCollector<'_> {
    fn function(
        &mut self,
        attrs: &[Attribute],
        sig: &Signature,
        block: &Block,
        visit_body: impl FnOnce(&mut Self),
    ) {
        let name = sig.ident.to_string();
        let mut qualified_name = self.scope.join("::");
        if !qualified_name.is_empty() {
            qualified_name.push_str("::");
        }
        qualified_name.push_str(&name);
        // From the signature (`fn`, or `const`/`async`/`unsafe`/`extern` before it) to the
        // closing brace, as byte offsets of the lexer's lexemes.
        let start = sig.span().start();
        let end = block.brace_token.span.close().end();
        let range = self.offset(start)..self.offset(end);
        self.out.push(FunctionModel {
            name: name.clone(),
            qualified_name,
            line: sig.fn_token.span.start().line as u32,
            end_line: block.brace_token.span.close().end().line as u32,
            cyclomatic: cyclomatic::of_block(block),
            cognitive: Some(cognitive::of_block(block)),
            halstead: Some(halstead::count(self.lexemes, range)),
            type_hints: None,
            has_docstring: Some(has_doc(attrs)),
        });
        self.scope.push(name);
        visit_body(self);
        self.scope.pop();
    }

    /// Byte offset of a proc-macro2 position (1-based line, column in characters).
    fn offset(&self, at: proc_macro2::LineColumn) -> usize {
        let line_start = self.index.line_start(at.line as u32);
        let line = self.text.get(line_start..).unwrap_or_default();
        line_start
            + line
                .char_indices()
                .nth(at.column)
                .map_or(line.len(), |(n, _)| n)
    }

    fn scoped(&mut self, name: String, visit_inside: impl FnOnce(&mut Self)) {
        self.scope.push(name);
        visit_inside(self);
        self.scope.pop();
    }
}

impl<'ast> Visit<'ast> for FunctionCollector<'_> {
    fn visit_item_fn(&mut self, f: &'ast ItemFn) {
        self.function(&f.attrs, &f.sig, &f.block, |c| c.visit_block(&f.block));
    }

    fn visit_impl_item_fn(&mut self, f: &'ast ImplItemFn) {
        self.function(&f.attrs, &f.sig, &f.block, |c| c.visit_block(&f.block));
    }

    fn visit_trait_item_fn(&mut self, f: &'ast TraitItemFn) {
        if let Some(block) = &f.default {
            self.function(&f.attrs, &f.sig, block, |c| c.visit_block(block));
        }
    }

    fn visit_item_impl(&mut self, i: &'ast ItemImpl) {
        let ty = type_name(&i.self_ty);
        let name = match &i.trait_ {
            Some((_, path, _)) => {
                let tr = path
                    .segments
                    .last()
                    .map_or_else(|| "_".to_owned(), |s| s.ident.to_string());
                format!("<{ty} as {tr}>")
            }
            None => ty,
        };
        self.scoped(name, |c| visit::visit_item_impl(c, i));
    }

    fn visit_item_trait(&mut self, t: &'ast ItemTrait) {
        self.scoped(t.ident.to_string(), |c| visit::visit_item_trait(c, t));
    }

    fn visit_item_mod(&mut self, m: &'ast ItemMod) {
        self.scoped(m.ident.to_string(), |c| visit::visit_item_mod(c, m));
    }
}

/// The name a reader uses for an impl's self type: the last path segment, without generics.
fn type_name(ty: &Type) -> String {
    match ty {
        Type::Path(p) => p
            .path
            .segments
            .last()
            .map_or_else(|| "_".to_owned(), |s| s.ident.to_string()),
        Type::Reference(r) => format!("&{}", type_name(&r.elem)),
        Type::Slice(s) => format!("[{}]", type_name(&s.elem)),
        Type::Array(a) => format!("[{}; _]", type_name(&a.elem)),
        Type::Tuple(t) if t.elems.is_empty() => "()".to_owned(),
        Type::Paren(p) => type_name(&p.elem),
        _ => "_".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(src: &str) -> FileModel {
        match analyze(src, &super::super::Options::default()) {
            Analysis::Model(m) => m,
            Analysis::Skipped(s) => panic!("skipped: {s:?}"),
        }
    }

    #[test]
    fn p9_lone_cr_line_endings_number_lines_as_lf_does() {
        let lf = "fn a() -> u32 {\n    1\n}\n\nfn b(x: u32) -> u32 {\n    if x > 1 { 2 } else { 3 }\n}\n";
        let spans = |m: FileModel| -> Vec<(String, u32, u32)> {
            m.functions
                .into_iter()
                .map(|f| (f.name, f.line, f.end_line))
                .collect()
        };
        let want = vec![("a".to_owned(), 1, 3), ("b".to_owned(), 5, 7)];
        assert_eq!(spans(model(lf)), want);
        assert_eq!(spans(model(&lf.replace('\n', "\r"))), want);
        assert_eq!(spans(model(&lf.replace('\n', "\r\n"))), want);
        assert_eq!(lone_cr_as_lf("a\rb\r\nc\r"), "a\nb\r\nc\n");
    }

    #[test]
    fn inventory_and_qualified_names() {
        let src = "\
fn free() {}
mod m { pub fn inner() {} }
struct S<T>(T);
impl<T> S<T> {
    #[inline]
    pub const fn new() {}
}
trait Tr { fn req(&self); fn def(&self) { fn nested() {} } }
impl Tr for S<u8> { fn req(&self) {} }
";
        let got: Vec<_> = model(src)
            .functions
            .iter()
            .map(|f| (f.qualified_name.clone(), f.line))
            .collect();
        let want = [
            ("free", 1),
            ("m::inner", 2),
            ("S::new", 6),
            ("Tr::def", 8),
            ("Tr::def::nested", 8),
            ("<S as Tr>::req", 9),
        ];
        assert_eq!(got, want.map(|(n, l)| (n.to_owned(), l)));
    }

    #[test]
    fn metrics_per_function_and_file() {
        let src = "/// Doc.\npub fn f(a: bool) -> u8 {\n    if a { 1 } else { 2 }\n}\n\npub struct S;\nfn private() {}\n";
        let m = model(src);
        let f = &m.functions[0];
        assert_eq!(
            (f.cyclomatic, f.cognitive, f.has_docstring),
            (2, Some(2), Some(true))
        );
        assert_eq!(m.functions[1].has_docstring, Some(false));
        // Public items: f (documented) and S (not); private fns do not count.
        assert_eq!(
            m.docstrings,
            Some(DocCount {
                documented: 1,
                total: 2
            })
        );
        let h = f.halstead.unwrap();
        // fn ( ) : -> { } if { } else { }: operators fn, (), :, ->, {}, if, else; operands f, a, bool, u8, a, 1, 2
        assert_eq!((h.operators, h.operands), (9, 7));
        assert_eq!(m.total_complexity, Some(2));
        assert!(m.maintainability.is_some_and(|mi| mi > 0.0 && mi <= 100.0));
    }

    #[test]
    fn shebang_is_not_a_syntax_error() {
        let m = model("#!/usr/bin/env run-cargo-script\nfn main() {}\n");
        assert!(m.errors.is_empty());
        assert_eq!(m.functions[0].line, 2);
        assert!(model("#![allow(unused)]\nfn main() {}\n").errors.is_empty());
    }

    #[test]
    fn every_kind_of_fn_is_inventoried() {
        let src = "async fn a() {}\nunsafe fn b() {}\nextern \"C\" fn c() {}\nconst fn d() {}\npub(crate) async unsafe fn e() {}\nextern \"C\" { fn declared(); }\nmacro_rules! m { () => { fn hidden() {} } }\n";
        let names: Vec<String> = model(src).functions.into_iter().map(|f| f.name).collect();
        assert_eq!(names, ["a", "b", "c", "d", "e"]);
    }

    #[test]
    fn end_line_is_the_closing_brace() {
        let f = &model("fn f() {\n    1;\n}\n").functions[0];
        assert_eq!((f.line, f.end_line), (1, 3));
    }

    #[test]
    fn syntax_error_has_line_and_column_and_no_functions() {
        let m = model("fn ok() {}\nfn {{crate_name}}() {}\n");
        assert!(m.functions.is_empty());
        assert_eq!((m.errors[0].line, m.errors[0].column), (2, 4));
        assert_eq!(m.lines.lines, 2);
    }

    #[test]
    fn a_stray_non_ascii_character_is_a_syntax_error_naming_it() {
        let m = model("fn ok() {}\nfn f(a: u32) -> u32 { a × 2 }\n");
        assert_eq!((m.errors[0].line, m.errors[0].column), (2, 25));
        assert_eq!(
            m.errors[0].message,
            "unexpected character `×` (U+00D7) outside a string or comment — Rust allows it only there"
        );
        let m = model("fn f() { let x\u{200B} = 1; }\n");
        assert_eq!(
            m.errors[0].message,
            "unexpected character U+200B outside a string or comment — Rust allows it only there"
        );
        // The same characters inside strings and comments are fine.
        let m = model("// a × b → c\nfn f() -> &'static str { \"“×”\u{A0}\" }\n");
        assert!(m.errors.is_empty());
        assert_eq!(m.functions.len(), 1);
    }

    #[test]
    fn documenting_a_file_does_not_lower_its_maintainability() {
        // byteorder's io.rs documents every fn at length (far above 230 % comments), where
        // radon's comment term would have driven the index to 0.
        let code: String = (0..30)
            .map(|i| {
                format!(
                    "pub fn read_{i}(x: u32) -> u32 {{ if x > {i} {{ x - {i} }} else {{ x }} }}\n"
                )
            })
            .collect();
        let documented: String = code
            .lines()
            .map(|l| {
                format!(
                    "{}{l}\n",
                    "/// Reads a value, see the examples.\n".repeat(10)
                )
            })
            .collect();
        let (plain, doc) = (model(&code), model(&documented));
        assert!(doc.lines.comments > 3 * doc.lines.sloc);
        assert_eq!(plain.maintainability, doc.maintainability);
        assert!(
            doc.maintainability.is_some_and(|mi| mi > 20.0),
            "{:?}",
            doc.maintainability
        );
    }

    #[test]
    fn hostile_nesting_is_skipped() {
        for src in [
            format!(
                "fn f() -> i32 {{ {}1{} }}",
                "(".repeat(100_000),
                ")".repeat(100_000)
            ),
            format!("fn h() -> u64 {{ {} }}", vec!["1"; 100_000].join("+")),
        ] {
            match analyze(&src, &super::super::Options::default()) {
                Analysis::Skipped(s) => assert_eq!(s.reason, SkipReason::TooDeeplyNested),
                Analysis::Model(_) => panic!("expected a skip"),
            }
        }
    }
}
