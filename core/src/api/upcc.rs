//! 3.2.14 UPCC templates.
