//! Reads the HTTP `Date` header (IMF-fixdate, RFC 9110 §5.6.7) to measure clock skew
//! (sdk-rules 4). Obsolete formats are not needed: every server we talk to sends IMF-fixdate.

use crate::datetime::DateTime;

/// Unix seconds of `Sun, 06 Nov 1994 08:49:37 GMT`, or `None`.
pub fn parse(value: &str) -> Option<i64> {
    let v = value.trim();
    let (_, rest) = v.split_once(", ")?;
    let mut it = rest.split(' ');
    let day: u8 = it.next()?.parse().ok()?;
    let month = match it.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: i32 = it.next()?.parse().ok()?;
    let mut hms = it.next()?.split(':');
    let h: u8 = hms.next()?.parse().ok()?;
    let m: u8 = hms.next()?.parse().ok()?;
    let s: u8 = hms.next()?.parse().ok()?;
    if it.next()? != "GMT" {
        return None;
    }
    DateTime::new(year, month, day, h, m, s).map(|t| t.unix_seconds())
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_imf_fixdate() {
        assert_eq!(super::parse("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777));
        assert_eq!(super::parse("Sunday, 06-Nov-94 08:49:37 GMT"), None);
        assert_eq!(super::parse("garbage"), None);
    }
}
