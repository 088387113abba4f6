//! The core's [`Error`] as a Python exception: its fields go to one Python function,
//! `cmi_datacard.errors._from_native`, which picks the exception class. That function is the
//! single place kinds map to classes, for the sync, async and callback paths alike.

use cmi_core::{Error, TimeoutPhase};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

static FROM_NATIVE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The fields of `e` (never a secret: the core scrubs them before they reach an error).
fn fields<'py>(py: Python<'py>, e: &Error) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("kind", e.kind().as_str())?;
    d.set_item("message", e.to_string())?;
    d.set_item("category", e.category().as_str())?;
    d.set_item("retryable", e.retryable())?;
    d.set_item("field", e.field())?;
    if let Some(api) = e.api() {
        d.set_item("operation", api.operation)?;
        d.set_item("code", &api.code)?;
        d.set_item("description", &api.description)?;
        d.set_item("meaning", api.meaning)?;
    } else {
        d.set_item("description", e.description())?;
    }
    match e {
        Error::Transport { operation, .. } | Error::Decode { operation, .. } | Error::Refused { operation, .. } => {
            d.set_item("operation", *operation)?;
        }
        Error::HttpStatus { operation, status, retry_after_ms } => {
            d.set_item("operation", *operation)?;
            d.set_item("status", *status)?;
            d.set_item("retry_after_ms", *retry_after_ms)?;
        }
        Error::Timeout { operation, phase } => {
            d.set_item("operation", *operation)?;
            let phase = match phase {
                TimeoutPhase::Connect => "connect",
                TimeoutPhase::Attempt => "attempt",
                TimeoutPhase::Total => "total",
            };
            d.set_item("phase", phase)?;
        }
        _ => {}
    }
    Ok(d)
}

/// The Python exception instance for `e`.
pub fn exception<'py>(py: Python<'py>, e: &Error) -> PyResult<Bound<'py, PyAny>> {
    let from_native = FROM_NATIVE.import(py, "cmi_datacard.errors", "_from_native")?;
    from_native.call1((fields(py, e)?,))
}

/// `e` as a `PyErr` to raise.
pub fn to_pyerr(py: Python<'_>, e: &Error) -> PyErr {
    match exception(py, e) {
        Ok(exc) => PyErr::from_value(exc),
        Err(err) => err,
    }
}

/// What a panicked task becomes: a RuntimeError without the panic's message, which could
/// hold request data.
pub fn panic_error() -> PyErr {
    pyo3::exceptions::PyRuntimeError::new_err("cmi_datacard: internal error (a Rust task panicked)")
}
