//! 3.2.24 Channel apps, 3.2.25 Country groups.
