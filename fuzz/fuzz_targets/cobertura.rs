#![no_main]
//! `cargo +nightly fuzz run cobertura` (see fuzz/README.md).

libfuzzer_sys::fuzz_target!(|data: &[u8]| qgate_fuzz::run_one("cobertura", data));
