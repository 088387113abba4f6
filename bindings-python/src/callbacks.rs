//! Callbacks (3.2.15-3.2.17): the core parses the body and owns the acknowledgements; this
//! exposes the result to Python, where `cmi_datacard.parse_notification` wraps it.

use crate::convert::to_py;
use crate::errors::to_pyerr;
use cmi_core::callbacks::ParsedNotification;
use cmi_core::reflect::{Case, notification_to_surface};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

/// A parsed notification.
#[pyclass(frozen, module = "cmi_datacard._native")]
pub struct NativeNotification {
    parsed: ParsedNotification,
}

#[pymethods]
impl NativeNotification {
    /// `activation`, `usage`, `esim_status` or `unknown`.
    #[getter]
    fn kind(&self) -> &'static str {
        self.parsed.kind().as_str()
    }

    /// The same for every delivery of one event.
    #[getter]
    fn dedupe_key(&self) -> String {
        self.parsed.dedupe_key()
    }

    /// The event in snake_case (the body itself when unknown).
    fn event_surface<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let surface = notification_to_surface(&self.parsed, Case::Snake);
        to_py(py, surface.get("event").unwrap_or(&serde_json::Value::Null))
    }

    /// The exact acknowledgement to answer with once the handler succeeded.
    fn ack_body<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.parsed.ack_body())
    }

    /// The acknowledgement telling CMI the handler failed, carrying `message`.
    fn failure_ack_body<'py>(&self, py: Python<'py>, message: &str) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.parsed.failure_ack_body(message))
    }
}

/// Parses a callback body; `headers` are (name, value) pairs as received.
#[pyfunction]
pub fn parse_notification(py: Python<'_>, headers: Vec<(String, String)>, body: &[u8]) -> PyResult<NativeNotification> {
    cmi_core::callbacks::parse_notification(&headers, body)
        .map(|parsed| NativeNotification { parsed })
        .map_err(|e| to_pyerr(py, &e))
}
