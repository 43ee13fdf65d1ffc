//! The floor for Rust analysis speed: read every `.rs` file under a directory and parse it with
//! `syn::parse_file`, in parallel, on the same kind of thread pool `qgate check` uses, and
//! nothing else. `scripts/bench.sh` times it next to `qgate check`.
//!
//! cargo run --release --example syn_parse_only -- DIR

use rayon::prelude::*;

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: syn_parse_only DIR");
        std::process::exit(2);
    };
    let files: Vec<std::path::PathBuf> = ignore::WalkBuilder::new(&dir)
        .hidden(false)
        .require_git(false)
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(ignore::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(qgate::engine::STACK_SIZE)
        .build()
        .expect("thread pool");
    let parsed: usize = pool.install(|| {
        files
            .par_iter()
            .filter(|p| {
                let text = std::fs::read_to_string(p).unwrap_or_default();
                syn::parse_file(&text).is_ok()
            })
            .count()
    });
    println!("{parsed} of {} files parsed", files.len());
}
