//! Kotlin (Android) and Swift (iOS) bindings of cmi-datacard, through uniffi.
//!
//! The surface (operations.md, camelCase): `CmiClient` with one `suspend` / `async throws`
//! method per operation, records and enums for every model, `CmiError` (Kotlin
//! `CmiException`), the foreign-implementable [`HttpTransport`], and eSIM helpers. Callback
//! parsing (`parseNotification`) is a server concern and is left out. See README.md.

mod client;
mod error;
mod esim;
mod models;
mod transport;

pub use client::{ClientOptions, CmiClient};
pub use error::{CmiError, ErrorCategory};
pub use esim::{ActiveBundle, CardSummary, EsimActivation, lpa_string, validate_eid, validate_iccid};
pub use models::*;
pub use transport::{HttpHeader, HttpRequest, HttpResponse, HttpTransport, TransportError};

uniffi::setup_scaffolding!();
