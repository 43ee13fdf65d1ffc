#![no_main]
//! `cargo +nightly fuzz run clippy` (see fuzz/README.md).

libfuzzer_sys::fuzz_target!(|data: &[u8]| qgate_fuzz::run_one("clippy", data));
