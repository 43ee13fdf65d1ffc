#![no_main]
//! `cargo +nightly fuzz run python_frontend` (see fuzz/README.md).

libfuzzer_sys::fuzz_target!(|data: &[u8]| qgate_fuzz::run_one("python_frontend", data));
