#![no_main]
//! `cargo +nightly fuzz run rust_frontend` (see fuzz/README.md).

libfuzzer_sys::fuzz_target!(|data: &[u8]| qgate_fuzz::run_one("rust_frontend", data));
