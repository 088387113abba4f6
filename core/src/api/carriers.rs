//! 3.2.7 Carriers.
