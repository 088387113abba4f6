//! The core's reflection, for the Python layer: the schema the build generates the typed
//! classes from, and the surface-to-wire conversion behind `Model.to_dict()`.

use crate::convert::{to_py, to_value};
use crate::errors::to_pyerr;
use cmi_core::reflect::{self, Case};
use pyo3::prelude::*;

/// The whole schema (operations, notifications, models, enums, error kinds) as plain data.
#[pyfunction]
pub fn schema(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    to_py(py, &reflect::schema())
}

/// A snake_case value of model `type_name` in the platform's wire names and forms.
#[pyfunction]
pub fn to_wire<'py>(py: Python<'py>, type_name: &str, surface: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let wire = reflect::from_surface(type_name, to_value(surface)?, Case::Snake).map_err(|e| to_pyerr(py, &e))?;
    to_py(py, &wire)
}

/// Wire JSON of model `type_name` in snake_case (what answers carry); for tests and tools.
#[pyfunction]
pub fn to_surface<'py>(py: Python<'py>, type_name: &str, wire: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    to_py(py, &reflect::to_surface(type_name, to_value(wire)?, Case::Snake))
}
