//! `wsse_header`: see [`cmi_core_fuzz::wsse_header`] for what it feeds and checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cmi_core_fuzz::wsse_header(data));
