#![no_main]
//! `cargo +nightly fuzz run coverage_json` (see fuzz/README.md).

libfuzzer_sys::fuzz_target!(|data: &[u8]| qgate_fuzz::run_one("coverage_json", data));
