//! 3.2.21-3.2.23 Channel add-ons.
