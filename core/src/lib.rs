//! # cmi-core
//!
//! The core of `cmi-datacard`, an SDK for the China Mobile International (CMI / CMLink)
//! Global Data Card Platform API V4.2. It owns every rule of the API: typed models of all 25
//! interfaces, WSSE signing, the token lifecycle, the return-code table, input validation and
//! a pluggable [`Transport`]. It depends on no async runtime and builds for
//! `wasm32-unknown-unknown`; the bindings (npm, PyPI, Kotlin/Swift) are thin layers on it.
//!
//! ```no_run
//! use cmi_core::api::orders::CreateOrderRequest;
//! use cmi_core::{Client, OrderOutcome};
//!
//! async fn sell() -> Result<(), cmi_core::Error> {
//!     let client = Client::from_env()?; // CMI_BASE_URL, CMI_APP_KEY, CMI_APP_SECRET
//!     let order = CreateOrderRequest::bundle("shop-1001", "89852342024000000070", "D2401011200000000002", 1);
//!     match client.create_order_once(&order, "checkout-1001").await {
//!         OrderOutcome::Created(o) => println!("order {} for {:?}", o.order_id, o.total()),
//!         OrderOutcome::AlreadyCreated { order_id, .. } => println!("already bought: {order_id:?}"),
//!         OrderOutcome::Failed(e) => eprintln!("refused: {e}"),
//!         OrderOutcome::Unknown { check, .. } => eprintln!("unclear: {check}"),
//!     }
//!     Ok(())
//! }
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
#[cfg(feature = "reflect")]
pub mod reflect;
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
pub use token::{CachedToken, MemoryTokenStore, Refresh, TokenStore};
pub use transport::{HttpRequest, HttpResponse, Transport, TransportError};
