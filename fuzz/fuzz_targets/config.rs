#![no_main]
//! `cargo +nightly fuzz run config` (see fuzz/README.md).

libfuzzer_sys::fuzz_target!(|data: &[u8]| qgate_fuzz::run_one("config", data));
