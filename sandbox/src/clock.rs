//! The sandbox's two clocks and the time arithmetic of bundles.
//!
//! * The **business clock** (`now`) is real time plus an offset that the admin API moves
//!   forward (`advance`). Orders, activations, usage and expiry follow it.
//! * The **WSSE clock** is real time plus the `clock_skew` fault (0 by default). `Created`
//!   is checked against it, access tokens expire by it, and every response's HTTP `Date`
//!   header shows it, so a client can measure its own skew. Advancing the business clock
//!   therefore never breaks authentication.

use cmi_core::datetime::{Date, DateTime};
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Real time, Unix seconds.
pub fn real_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// The business clock.
#[derive(Debug, Default)]
pub struct SimClock {
    offset: AtomicI64,
    initial: AtomicI64,
}

impl SimClock {
    /// A clock `offset` seconds ahead of real time.
    pub fn new(offset: i64) -> Self {
        Self { offset: AtomicI64::new(offset), initial: AtomicI64::new(offset) }
    }

    /// Business time, Unix seconds.
    pub fn now(&self) -> i64 {
        real_now() + self.offset.load(Ordering::SeqCst)
    }

    /// Seconds the business clock is ahead of real time.
    pub fn offset(&self) -> i64 {
        self.offset.load(Ordering::SeqCst)
    }

    /// Moves the clock forward; returns (before, after).
    pub fn advance(&self, seconds: i64) -> (i64, i64) {
        let real = real_now();
        let before = self.offset.fetch_add(seconds, Ordering::SeqCst);
        (real + before, real + before + seconds)
    }

    /// Back to the offset the sandbox started with.
    pub fn reset(&self) {
        self.offset.store(self.initial.load(Ordering::SeqCst), Ordering::SeqCst);
    }
}

/// `YYYYMMDDHHMMSS`, UTC.
pub fn compact(t: i64) -> String {
    DateTime::from_unix(t).to_compact()
}

/// `YYYYMMDD`, UTC.
pub fn date8(t: i64) -> String {
    DateTime::from_unix(t).date.to_compact()
}

/// `yyyy-MM-dd HH:mm:ss`, UTC.
pub fn dashed(t: i64) -> String {
    DateTime::from_unix(t).to_dashed()
}

/// Days since the epoch of the UTC day holding `t`.
pub fn day_index(t: i64) -> i64 {
    t.div_euclid(86_400)
}

/// 00:00:00 UTC of the day holding `t`.
pub fn day_start(t: i64) -> i64 {
    day_index(t) * 86_400
}

/// Reads `YYYYMMDD` as 00:00:00 UTC of that day.
pub fn parse_date8(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.len() != 8 {
        return None;
    }
    Date::parse(s).map(|d| d.days_since_epoch() * 86_400)
}

/// The exclusive end of a bundle activated at `at` (spec §1.7 `periodType`): 0 = `period`
/// × 24 hours, 1 = natural (UTC) days counting the activation day, 2 = natural months,
/// 3 = natural years.
pub fn period_end(at: i64, period_type: u8, period: u32) -> i64 {
    let p = period.max(1) as i64;
    match period_type {
        0 => at + p * 86_400,
        1 => day_start(at) + p * 86_400,
        2 | 3 => {
            let d = DateTime::from_unix(at).date;
            let months = if period_type == 2 { p } else { p * 12 };
            let start_month = if period_type == 2 { d.month as i64 - 1 } else { 0 };
            let total = d.year as i64 * 12 + start_month + months;
            let (y, m) = (total.div_euclid(12), total.rem_euclid(12) + 1);
            Date::new(y as i32, m as u8, 1).map(|d| d.days_since_epoch() * 86_400).unwrap_or(at + p * 30 * 86_400)
        }
        _ => at + p * 86_400,
    }
}

/// The end instant as the wire shows it: natural periods end at 23:59:59 of their last day,
/// 24-hour periods at the exact instant.
pub fn shown_end(end: i64, period_type: u8) -> i64 {
    if period_type == 0 { end } else { end - 1 }
}

/// An RFC 7231 `Date` header value (`Sun, 06 Nov 1994 08:49:37 GMT`).
pub fn http_date(t: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let dt = DateTime::from_unix(t);
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        DAYS[day_index(t).rem_euclid(7) as usize],
        dt.date.day,
        MONTHS[(dt.date.month as usize).saturating_sub(1).min(11)],
        dt.date.year,
        dt.hour,
        dt.minute,
        dt.second
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_date_matches_rfc_example() {
        assert_eq!(http_date(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
    }

    #[test]
    fn periods() {
        let at = DateTime::parse("20240130101010").unwrap().unix_seconds();
        assert_eq!(compact(period_end(at, 0, 3)), "20240202101010");
        assert_eq!(compact(period_end(at, 1, 3)), "20240202000000");
        assert_eq!(compact(shown_end(period_end(at, 1, 3), 1)), "20240201235959");
        assert_eq!(compact(period_end(at, 2, 1)), "20240201000000");
        assert_eq!(compact(period_end(at, 2, 12)), "20250101000000");
        assert_eq!(compact(period_end(at, 3, 1)), "20250101000000");
        assert_eq!(parse_date8("20240130"), Some(day_start(at)));
        assert_eq!(parse_date8("2024013"), None);
    }
}
