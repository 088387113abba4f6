//! 3.2.18-3.2.20 Channel's own bundles.
