//! # cmi-core
//!
//! The core of `cmi-datacard`, an SDK for the China Mobile International (CMI / CMLink)
//! Global Data Card Platform API V4.2. It owns every rule of the API: typed models of all 25
//! interfaces, WSSE signing, the token lifecycle, the return-code table, input validation and
//! a pluggable [`Transport`]. It depends on no async runtime and builds for
//! `wasm32-unknown-unknown`; the bindings (npm, PyPI, Kotlin/Swift) are thin layers on it.
//!
//! ```no_run
//! # async fn demo() -> Result<(), cmi_core::Error> {
//! use cmi_core::{Client, api::orders::CreateOrderRequest};
//! let client = Client::from_env()?;
//! let bundles = client
//!     .query_data_bundles(&cmi_core::api::catalogue::QueryDataBundlesRequest::default())
//!     .await?;
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

#[macro_use]
pub mod wire_enum;
pub mod lenient;

pub mod api;
pub mod callbacks;
pub mod client;
pub mod clock;
pub mod codes;
pub mod config;
pub mod datetime;
pub mod envelope;
pub mod error;
pub mod guard;
pub mod observe;
pub mod operation;
pub mod rate_limit;
#[cfg(feature = "reqwest")]
pub mod reqwest_transport;
pub mod retry;
pub mod secret;
pub mod token;
pub mod transport;
pub mod units;
pub mod validate;
pub mod wsse;

pub use client::{Client, ClientBuilder, OrderOutcome, VERSION};
pub use clock::{Clock, NonceSource, OsNonce, SystemClock};
pub use codes::Category;
pub use config::Config;
pub use error::{ApiError, Error, ErrorKind, Result, TimeoutPhase};
pub use operation::{Operation, OperationKind, TokenPolicy, WireOptions};
pub use secret::Secret;
pub use token::{CachedToken, MemoryTokenStore, TokenStore};
pub use transport::{HttpRequest, HttpResponse, Transport, TransportError};
