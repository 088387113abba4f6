//! 3.2.3 Activate a bundle, 3.2.9 Early release.
