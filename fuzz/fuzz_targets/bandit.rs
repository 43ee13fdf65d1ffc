#![no_main]
//! `cargo +nightly fuzz run bandit` (see fuzz/README.md).

libfuzzer_sys::fuzz_target!(|data: &[u8]| qgate_fuzz::run_one("bandit", data));
