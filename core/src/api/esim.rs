//! 3.2.13 eSIM card info.
