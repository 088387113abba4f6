//! Parses arbitrary text as a date-time and a date, and checks the round trips.
//!
//! Input: the bytes as text (invalid UTF-8 replaced). `DateTime::parse` and `Date::parse`
//! must never panic; whatever they accept must be a real calendar value whose every output
//! form (`to_compact`, `to_iso_utc`, `to_dashed`, `Display`) parses back to itself, and whose
//! epoch count converts back to it. The first eight bytes, read as a number of seconds in
//! years 1-9999, also drive `from_unix` / `unix_seconds` in both directions.
#![no_main]

use cmi_core::datetime::{Date, DateTime};
use libfuzzer_sys::fuzz_target;

/// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z as Unix seconds.
const FIRST: i64 = -62_135_596_800;
const LAST: i64 = 253_402_300_799;

fn check_date(d: Date) {
    assert_eq!(Date::new(d.year, d.month, d.day), Some(d), "{d:?} is not a real date");
    assert_eq!(Date::parse(&d.to_compact()), Some(d), "{d:?} via to_compact {:?}", d.to_compact());
    assert_eq!(Date::parse(&d.to_string()), Some(d), "{d:?} via Display {:?}", d.to_string());
    assert_eq!(Date::from_days_since_epoch(d.days_since_epoch()), d, "{d:?} via days since epoch");
}

fn check_date_time(t: DateTime) {
    assert_eq!(
        DateTime::new(t.date.year, t.date.month, t.date.day, t.hour, t.minute, t.second),
        Some(t),
        "{t:?} is not a real time"
    );
    check_date(t.date);
    for form in [t.to_compact(), t.to_iso_utc(), t.to_dashed(), t.to_string()] {
        assert_eq!(DateTime::parse(&form), Some(t), "{t:?} via {form:?}");
    }
    assert_eq!(DateTime::from_unix(t.unix_seconds()), t, "{t:?} via Unix seconds");
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Some(t) = DateTime::parse(&text) {
        check_date_time(t);
    }
    if let Some(d) = Date::parse(&text) {
        check_date(d);
        // A date alone reads as that day's midnight.
        if text.trim().len() == 8 {
            assert_eq!(DateTime::parse(&text).map(|t| t.date), Some(d));
        }
    }
    if let Some(head) = data.first_chunk::<8>() {
        let secs = FIRST + (i64::from_le_bytes(*head).rem_euclid(LAST - FIRST + 1));
        let t = DateTime::from_unix(secs);
        assert_eq!(t.unix_seconds(), secs, "from_unix({secs}) = {t:?}");
        check_date_time(t);
    }
});
