//! Helpers of the fleet tests.
pub mod redis_server;
pub mod workers;
