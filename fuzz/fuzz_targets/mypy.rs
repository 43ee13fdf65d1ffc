#![no_main]
//! `cargo +nightly fuzz run mypy` (see fuzz/README.md).

libfuzzer_sys::fuzz_target!(|data: &[u8]| qgate_fuzz::run_one("mypy", data));
