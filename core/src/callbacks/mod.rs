//! Callbacks 3.2.15-3.2.17.
