//! Exit codes and error reports on stderr (operations.md: non-zero with the API's code and
//! description on stderr).

use cmi_core::{Error, ErrorKind};
use std::process::ExitCode;

/// The platform answered with a non-success code (including authentication codes).
pub const API: u8 = 1;
/// Bad input or settings, refused before any network call.
pub const USAGE: u8 = 2;
/// No usable answer: connection, timeout or HTTP status.
pub const TRANSPORT: u8 = 3;
/// The answer could not be read.
pub const DECODE: u8 = 4;
/// A local policy refused the call, or something inside `cmi` failed.
pub const INTERNAL: u8 = 5;

/// Shown at the end of `cmi --help`.
pub const HELP: &str = "\
Configuration: --base-url/--app-key/--app-secret or CMI_BASE_URL, CMI_APP_KEY, CMI_APP_SECRET
(and CMI_TIMEOUT_MS, CMI_MAX_RETRIES). Fleet mode: --redis URL or CMI_REDIS_URL shares the
token and the --rate-limit budget (CMI_RATE_LIMIT) with other workers. To try it locally, run `cmi sandbox` in another shell
and export the three CMI_* lines it prints first.

Exit codes: 0 success; 1 the platform answered with an error code (code and description on
stderr); 2 bad input or settings (refused before sending); 3 connection, timeout or HTTP
status; 4 unreadable answer; 5 refused by policy or internal failure.";

/// The exit code for an error.
pub fn code(e: &Error) -> u8 {
    match e.kind() {
        ErrorKind::Api | ErrorKind::Auth => API,
        ErrorKind::Validation | ErrorKind::Config => USAGE,
        ErrorKind::Transport | ErrorKind::Timeout | ErrorKind::HttpStatus => TRANSPORT,
        ErrorKind::Decode => DECODE,
        _ => INTERNAL,
    }
}

/// Prints the error on stderr and returns its exit code.
pub fn report(e: &Error) -> ExitCode {
    match e.api() {
        Some(api) => eprintln!(
            "cmi: {} failed with code {} ({}): {}",
            api.operation,
            api.code,
            api.category,
            if api.description.is_empty() { api.meaning.unwrap_or("no description") } else { &api.description }
        ),
        None => eprintln!("cmi: {e}"),
    }
    ExitCode::from(code(e))
}

/// An error as one JSON object (for bulk output).
pub fn json(e: &Error) -> serde_json::Value {
    serde_json::json!({
        "kind": e.kind().as_str(),
        "code": e.code(),
        "category": e.category().as_str(),
        "retryable": e.retryable(),
        "field": e.field(),
        "message": e.to_string(),
    })
}
