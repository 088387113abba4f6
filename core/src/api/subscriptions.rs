//! 3.2.6 Subscribed bundles.
