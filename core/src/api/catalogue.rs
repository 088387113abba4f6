//! 3.2.2 Query data bundles.
