//! `callbacks`: see [`cmi_core_fuzz::callbacks`] for what it feeds and checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cmi_core_fuzz::callbacks(data));
