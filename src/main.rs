use std::process::ExitCode;

use clap::Parser;
use qgate::cli::{Cli, ExitStatus, error, install_signal_handlers, run};

#[global_allocator]
static ALLOCATOR: qgate::allocator::Adaptive = qgate::allocator::Adaptive;

fn main() -> ExitCode {
    // A panic outside per-file isolation is a qgate bug: say so, and exit 2, never 0 or 101.
    std::panic::set_hook(Box::new(|info| {
        let thread = std::thread::current();
        let name = thread.name().unwrap_or("main");
        if name.starts_with("qgate-analysis") {
            // Contained per file and reported in the run's `skipped` list.
            return;
        }
        error(format_args!(
            "internal error in qgate {}: {info} — please report it with RUST_BACKTRACE=1",
            env!("CARGO_PKG_VERSION")
        ));
    }));
    qgate::engine::adapt_to_address_space_limit();
    let cli = Cli::parse();
    install_signal_handlers();
    match std::panic::catch_unwind(|| run(cli)) {
        Ok(status) => status.into(),
        Err(_) => ExitStatus::Error.into(),
    }
}
