#![no_main]
//! `cargo +nightly fuzz run pylint` (see fuzz/README.md).

libfuzzer_sys::fuzz_target!(|data: &[u8]| qgate_fuzz::run_one("pylint", data));
