//! Typed requests and answers of the 22 outbound interfaces, one module per API area.
//!
//! Field names are the Rust `snake_case` of the concept; each field carries its exact wire
//! name (`#[serde(rename)]`), every documented typo as an alias, and a lenient decoder.
//! Requests never hold `accessToken`: the client adds it.

pub mod common;

pub mod auth;
pub mod cards;
pub mod carriers;
pub mod catalogue;
pub mod channel;
pub mod esim;
pub mod lifecycle;
pub mod orders;
pub mod own_packages;
pub mod refuel;
pub mod subscriptions;
pub mod upcc;
pub mod usage;

pub use auth::*;
pub use common::*;
