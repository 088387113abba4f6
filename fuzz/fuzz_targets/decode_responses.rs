//! `decode_responses`: see [`cmi_core_fuzz::decode_responses`] for what it feeds and checks.
#![no_main]

libfuzzer_sys::fuzz_target!(
    init: cmi_core_fuzz::check_operation_list(),
    |data: &[u8]| cmi_core_fuzz::decode_responses(data)
);
