//! Replays every input that once made a fuzz target fail (`tests/vectors/fuzz/<target>/`)
//! through that target's own checks: `fuzz/src/lib.rs` is included here, so `cargo test` runs
//! exactly the assertions that found the crash. Only these few inputs run here, to keep the
//! default test run fast; the seed corpora run under `scripts/fuzz` (see `fuzz/README.md`).
mod common;

#[path = "../../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod fuzz_checks;

use std::panic::{AssertUnwindSafe, catch_unwind};

/// Runs `check` on every file of `tests/vectors/fuzz/<target>/` and names the ones that fail.
fn replay(target: &str, check: fn(&[u8])) {
    let dir = common::vectors_dir().join("fuzz").join(target);
    let mut files: Vec<_> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries.map(|e| e.expect("directory entry").path()).collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
        Err(e) => panic!("{}: {e}", dir.display()),
    };
    files.sort();
    let failed: Vec<String> = files
        .iter()
        .filter(|path| {
            let data = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            catch_unwind(AssertUnwindSafe(|| check(&data))).is_err()
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(failed.is_empty(), "{target}: these inputs fail again: {failed:#?}");
}

#[test]
fn every_regression_folder_names_a_target() {
    let dir = common::vectors_dir().join("fuzz");
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("directory entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        if path.is_dir() {
            assert!(
                ["decode_responses", "callbacks", "wsse_header", "datetime"].contains(&name.as_str()),
                "tests/vectors/fuzz/{name} is not a fuzz target"
            );
        }
    }
}

#[test]
fn fuzz_operation_list_is_the_registry() {
    fuzz_checks::check_operation_list();
}

#[test]
fn decode_responses() {
    replay("decode_responses", fuzz_checks::decode_responses);
}

#[test]
fn callbacks() {
    replay("callbacks", fuzz_checks::callbacks);
}

#[test]
fn wsse_header() {
    replay("wsse_header", fuzz_checks::wsse_header);
}

#[test]
fn datetime() {
    replay("datetime", fuzz_checks::datetime);
}
