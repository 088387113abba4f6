//! Dates and times as typed values (sdk-rules 11).
//!
//! The API uses five textual forms (spec §1.4): 14-digit `YYYYMMDDHHMMSS` (UTC), 8-digit
//! `YYYYMMDD` dates, ISO `YYYY-MM-DDThh:mm:ssZ` (WSSE `Created`), `yyyy-MM-dd HH:mm:ss`
//! (eSIM times, zone unstated) and 10-digit epoch seconds (3.2.17). [`DateTime`] and [`Date`]
//! read all of them and hold a civil value; the zone of each model field is stated on the
//! field. The arithmetic is our own (no calendar crate), since it is small and must run on
//! wasm32 without a system clock.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Proleptic Gregorian date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A calendar date (`YYYYMMDD` on the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, four digits.
    pub year: i32,
    /// Month, 1-12.
    pub month: u8,
    /// Day of month, 1-31.
    pub day: u8,
}

impl Date {
    /// Builds a date, checking that it exists.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        ((1..=9999).contains(&year) && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Self { year, month, day })
    }

    /// Reads `YYYYMMDD` or `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        // Every accepted form is ASCII; checking first keeps the byte slicing below on
        // character boundaries (`"2\u{FFFD}\u{FFFD}2"` is 8 bytes and would panic).
        if !t.is_ascii() {
            return None;
        }
        let (y, m, d) = match t.len() {
            8 => (&t[0..4], &t[4..6], &t[6..8]),
            10 if t.as_bytes()[4] == b'-' && t.as_bytes()[7] == b'-' => (&t[0..4], &t[5..7], &t[8..10]),
            _ => return None,
        };
        Self::new(digits(y)? as i32, digits(m)? as u8, digits(d)? as u8)
    }

    /// The wire form `YYYYMMDD`.
    pub fn to_compact(&self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }

    /// Days since 1970-01-01.
    pub fn days_since_epoch(&self) -> i64 {
        days_from_civil(self.year as i64, self.month as u32, self.day as u32)
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Self {
        let (y, m, d) = civil_from_days(days);
        Self { year: y as i32, month: m as u8, day: d as u8 }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_compact())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = crate::lenient::string(d)?;
        Date::parse(&raw).ok_or_else(|| serde::de::Error::custom("expected a date YYYYMMDD"))
    }
}

/// A civil date and time to the second. Its zone is the one documented on the field holding
/// it (UTC for nearly all fields; see spec §1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    /// The date.
    pub date: Date,
    /// Hour, 0-23.
    pub hour: u8,
    /// Minute, 0-59.
    pub minute: u8,
    /// Second, 0-59.
    pub second: u8,
}

impl DateTime {
    /// Builds a value, checking ranges.
    pub fn new(year: i32, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Option<Self> {
        (hour < 24 && minute < 60 && second < 60)
            .then_some(())
            .and_then(|_| Date::new(year, month, day))
            .map(|date| Self { date, hour, minute, second })
    }

    /// The UTC time `secs` seconds after the Unix epoch.
    pub fn from_unix(secs: i64) -> Self {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        Self {
            date: Date::from_days_since_epoch(days),
            hour: (rem / 3600) as u8,
            minute: (rem % 3600 / 60) as u8,
            second: (rem % 60) as u8,
        }
    }

    /// Seconds since the Unix epoch, reading this value as UTC.
    pub fn unix_seconds(&self) -> i64 {
        self.date.days_since_epoch() * 86_400 + self.hour as i64 * 3600 + self.minute as i64 * 60 + self.second as i64
    }

    /// Reads every form the API uses: `YYYYMMDDHHMMSS`, `YYYY-MM-DD HH:mm:ss`,
    /// `YYYY-MM-DDTHH:mm:ssZ` (optionally with fractions), `YYYYMMDD` (midnight) and 10-digit
    /// epoch seconds.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        // As in `Date::parse`: every form is ASCII, and the slicing below assumes it.
        if !t.is_ascii() {
            return None;
        }
        let b = t.as_bytes();
        match b.len() {
            14 if b.iter().all(u8::is_ascii_digit) => Self::new(
                digits(&t[0..4])? as i32,
                digits(&t[4..6])? as u8,
                digits(&t[6..8])? as u8,
                digits(&t[8..10])? as u8,
                digits(&t[10..12])? as u8,
                digits(&t[12..14])? as u8,
            ),
            8 => Date::parse(t).map(|date| Self { date, hour: 0, minute: 0, second: 0 }),
            // Ten digits always fit an i64 (`digits` is u32 and would refuse counts after 2106).
            10 if b.iter().all(u8::is_ascii_digit) => Some(Self::from_unix(t.parse::<i64>().ok()?)),
            n if n >= 19
                && b[4] == b'-'
                && b[7] == b'-'
                && (b[10] == b' ' || b[10] == b'T')
                && b[13] == b':'
                && b[16] == b':' =>
            {
                let rest = &t[19..];
                let rest = rest.strip_prefix('.').map_or(rest, |r| r.trim_start_matches(|c: char| c.is_ascii_digit()));
                if !(rest.is_empty() || rest == "Z" || rest == "+00:00") {
                    return None;
                }
                Self::new(
                    digits(&t[0..4])? as i32,
                    digits(&t[5..7])? as u8,
                    digits(&t[8..10])? as u8,
                    digits(&t[11..13])? as u8,
                    digits(&t[14..16])? as u8,
                    digits(&t[17..19])? as u8,
                )
            }
            _ => None,
        }
    }

    /// The default wire form `YYYYMMDDHHMMSS`.
    pub fn to_compact(&self) -> String {
        self.joined("", "", "", "")
    }

    /// `YYYY-MM-DDThh:mm:ssZ`, the WSSE `Created` form (24-hour clock, no fractions).
    pub fn to_iso_utc(&self) -> String {
        self.joined("-", "T", ":", "Z")
    }

    /// `yyyy-MM-dd HH:mm:ss`, the eSIM form of 3.2.13.
    pub fn to_dashed(&self) -> String {
        self.joined("-", " ", ":", "")
    }

    /// The fields as `{:04}` and `{:02}` pad them, `date_sep` inside the date, `mid` between
    /// date and time, `time_sep` inside the time, `end` last. Written digit by digit: the WSSE
    /// `Created` is made on every attempt, and in the WebAssembly module `format!` costs about
    /// as much as the signature itself.
    fn joined(&self, date_sep: &str, mid: &str, time_sep: &str, end: &str) -> String {
        let Ok(year) = u32::try_from(self.date.year) else {
            let (d, s) = (&self.date, date_sep);
            return format!(
                "{:04}{s}{:02}{s}{:02}{mid}{:02}{time_sep}{:02}{time_sep}{:02}{end}",
                d.year, d.month, d.day, self.hour, self.minute, self.second
            );
        };
        let mut out = String::with_capacity(24);
        push_padded(&mut out, year, 4);
        for (sep, n) in [(date_sep, self.date.month), (date_sep, self.date.day), (mid, self.hour)] {
            out.push_str(sep);
            push_padded(&mut out, n.into(), 2);
        }
        for n in [self.minute, self.second] {
            out.push_str(time_sep);
            push_padded(&mut out, n.into(), 2);
        }
        out.push_str(end);
        out
    }
}

/// `n` in decimal, with leading zeros up to `width` digits (as `{:0width$}`).
fn push_padded(out: &mut String, n: u32, width: u32) {
    let digits = n.checked_ilog10().unwrap_or(0) + 1;
    for _ in digits..width {
        out.push('0');
    }
    for p in (0..digits).rev() {
        out.push(char::from(b'0' + (n / 10u32.pow(p) % 10) as u8));
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso_utc())
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_compact())
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = crate::lenient::string(d)?;
        DateTime::parse(&raw).ok_or_else(|| serde::de::Error::custom("expected a date-time"))
    }
}

/// `deserialize_with` for `Option<DateTime>`: unreadable or empty values become `None`
/// rather than failing the whole response (sdk-rules 10).
pub fn opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime>, D::Error> {
    Ok(crate::lenient::opt_string(d)?.as_deref().and_then(DateTime::parse))
}

/// `deserialize_with` for `Option<Date>`, lenient like [`opt`].
pub fn opt_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
    Ok(crate::lenient::opt_string(d)?.as_deref().and_then(Date::parse))
}

/// `serialize_with` for `Option<DateTime>` fields whose wire form is `yyyy-MM-dd HH:mm:ss`.
pub fn ser_opt_dashed<S: Serializer>(v: &Option<DateTime>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.serialize_str(&v.to_dashed()),
        None => s.serialize_none(),
    }
}

/// `serialize_with` for `Option<DateTime>` fields whose wire form is 10-digit epoch seconds as
/// a string. The count is zero-padded to 10 digits, the form [`DateTime::parse`] reads (a
/// 9-digit count, before 2001-09-09, would not read back); a time with no 10-digit count
/// (before 1970) is written as `YYYYMMDDHHMMSS`, which reads back as well.
pub fn ser_opt_epoch<S: Serializer>(v: &Option<DateTime>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => match v.unix_seconds() {
            secs @ 0..=9_999_999_999 => s.collect_str(&format_args!("{secs:010}")),
            _ => s.serialize_str(&v.to_compact()),
        },
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_forms_pad_as_format_does() {
        for (y, mo, d, h, mi, s) in
            [(2024, 1, 1, 0, 0, 0), (5, 12, 31, 23, 59, 59), (10000, 1, 2, 3, 4, 5), (-44, 3, 15, 12, 0, 0)]
        {
            let t = DateTime { date: Date { year: y, month: mo, day: d }, hour: h, minute: mi, second: s };
            assert_eq!(t.to_iso_utc(), format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"));
            assert_eq!(t.to_dashed(), format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}"));
            assert_eq!(t.to_compact(), format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}"));
        }
    }

    #[test]
    fn round_trips_every_form() {
        let t = DateTime::parse("20240307072457").unwrap();
        assert_eq!(t.to_compact(), "20240307072457");
        assert_eq!(t.to_iso_utc(), "2024-03-07T07:24:57Z");
        assert_eq!(DateTime::parse("2024-03-07 07:24:57"), Some(t));
        assert_eq!(DateTime::parse("2024-03-07T07:24:57Z"), Some(t));
        assert_eq!(DateTime::parse("2024-03-07T07:24:57.123Z"), Some(t));
        assert_eq!(DateTime::from_unix(t.unix_seconds()), t);
        assert_eq!(DateTime::parse("1709712641").unwrap().to_compact(), "20240306081041");
        assert_eq!(DateTime::parse("20240230000000"), None);
        assert_eq!(DateTime::parse("2024-03-07 07:24:57+08:00"), None);
        assert_eq!(Date::parse("2024-02-29").unwrap().to_compact(), "20240229");
        assert_eq!(Date::parse("20230229"), None);
    }

    #[test]
    fn non_ascii_text_is_refused_not_sliced() {
        // Found by fuzz/datetime: multi-byte characters put the fixed slice offsets inside a
        // character, which panicked instead of refusing the text.
        assert_eq!(Date::parse("2\u{FFFD}\u{FFFD}2"), None);
        assert_eq!(DateTime::parse("2\u{FFFD}\u{FFFD}2"), None);
        assert_eq!(Date::parse("202é0101"), None);
        assert_eq!(DateTime::parse("2024-01-01 00:00:0é"), None);
        assert_eq!(DateTime::parse("2024-01-01T00:00:00Zé"), None);
        assert_eq!(DateTime::parse("２０２４０１０１"), None);
    }

    #[test]
    fn every_ten_digit_epoch_count_reads() {
        // Found by fuzz/datetime: counts above u32::MAX (after 2106-02-07T06:28:15Z) were read
        // as u32 and refused, so such a time written as epoch seconds did not read back.
        assert_eq!(DateTime::parse("4294967295").unwrap().to_compact(), "21060207062815");
        assert_eq!(DateTime::parse("4294967296").unwrap().to_compact(), "21060207062816");
        assert_eq!(DateTime::parse("7330953600").unwrap().to_compact(), "22020424000000");
        assert_eq!(DateTime::parse("9999999999").unwrap().to_compact(), "22861120174639");
    }

    #[test]
    fn epoch_arithmetic_matches_known_points() {
        assert_eq!(DateTime::from_unix(0).to_compact(), "19700101000000");
        assert_eq!(DateTime::from_unix(951_782_400).to_compact(), "20000229000000");
        assert_eq!(DateTime::from_unix(-1).to_compact(), "19691231235959");
        assert_eq!(DateTime::from_unix(4_102_444_799).to_compact(), "20991231235959");
    }
}
