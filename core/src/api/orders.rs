//! 3.2.5 Create order, 3.2.12 Unsubscribe.
