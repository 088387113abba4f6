//! `cmi_datacard._native`: the pyo3 extension under the `cmi_datacard` Python package.
//!
//! It holds no API rule: calls go to `cmi_core::Client` by operation name with plain JSON-like
//! values, errors carry the core's fields to one Python mapping function, and callbacks are
//! parsed by the core. The typed Python surface lives in `python/cmi_datacard/`.

mod callbacks;
mod client;
mod convert;
mod errors;
mod runtime;
mod schema;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("VERSION", cmi_core::VERSION)?;
    m.add_class::<client::NativeClient>()?;
    m.add_class::<client::TaskHandle>()?;
    m.add_class::<callbacks::NativeNotification>()?;
    m.add_function(wrap_pyfunction!(callbacks::parse_notification, m)?)?;
    m.add_function(wrap_pyfunction!(runtime::shutdown, m)?)?;
    m.add_function(wrap_pyfunction!(schema::schema, m)?)?;
    m.add_function(wrap_pyfunction!(schema::to_wire, m)?)?;
    m.add_function(wrap_pyfunction!(schema::to_surface, m)?)?;
    runtime::start();
    // Stop handing results to asyncio before the interpreter finalizes.
    let shutdown = m.getattr("shutdown")?;
    m.py().import("atexit")?.call_method1("register", (shutdown,))?;
    Ok(())
}
