//! Input checks shared by every request (sdk-rules 12). Each returns an error naming the
//! wire field, so a caller can point at the exact input.

use crate::datetime::Date;
use crate::error::{Error, Result};

/// A required text field must be present and not blank.
pub fn required(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::validation(field, "is required"));
    }
    Ok(())
}

/// A text field may not exceed `max` characters.
pub fn max_len(field: &str, value: &str, max: usize) -> Result<()> {
    let n = value.chars().count();
    if n > max {
        return Err(Error::validation(field, format!("is {n} characters long; at most {max} allowed")));
    }
    Ok(())
}

fn all_digits(v: &str) -> bool {
    !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit())
}

/// ICCID: 18 to 20 digits (spec §1.9). A trailing Luhn check digit is not enforced: CMI's
/// 19-digit ICCIDs do not all carry one.
pub fn iccid(field: &str, value: &str) -> Result<()> {
    let v = value.trim();
    if !all_digits(v) || !(18..=20).contains(&v.len()) {
        return Err(Error::validation(field, "must be an ICCID of 18 to 20 digits"));
    }
    Ok(())
}

/// IMSI: 6 to 15 digits.
pub fn imsi(field: &str, value: &str) -> Result<()> {
    let v = value.trim();
    if !all_digits(v) || !(6..=15).contains(&v.len()) {
        return Err(Error::validation(field, "must be an IMSI of 6 to 15 digits"));
    }
    Ok(())
}

/// MSISDN: up to 20 digits, an optional leading `+`.
pub fn msisdn(field: &str, value: &str) -> Result<()> {
    let v = value.trim();
    let d = v.strip_prefix('+').unwrap_or(v);
    if !all_digits(d) || d.len() > 20 {
        return Err(Error::validation(field, "must be an MSISDN of at most 20 digits"));
    }
    Ok(())
}

/// EID: 32 digits.
pub fn eid(field: &str, value: &str) -> Result<()> {
    let v = value.trim();
    if !all_digits(v) || v.len() != 32 {
        return Err(Error::validation(field, "must be an EID of 32 digits"));
    }
    Ok(())
}

/// MCC: 3 digits. Only used on input: answers are never checked this strictly (spec §2.25).
pub fn mcc(field: &str, value: &str) -> Result<()> {
    let v = value.trim();
    if !all_digits(v) || v.len() != 3 {
        return Err(Error::validation(field, "must be an MCC of 3 digits"));
    }
    Ok(())
}

/// A date field in `YYYYMMDD`.
pub fn date(field: &str, value: &str) -> Result<Date> {
    Date::parse(value).ok_or_else(|| Error::validation(field, "must be a date YYYYMMDD"))
}

/// Exactly one-of rule: at least one of the named optional fields must be set. `fields`
/// pairs wire names with values; blank counts as absent.
pub fn one_of(fields: &[(&str, Option<&str>)]) -> Result<()> {
    if fields.iter().any(|(_, v)| v.is_some_and(|v| !v.trim().is_empty())) {
        return Ok(());
    }
    let names: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
    Err(Error::validation(names.join("|"), format!("one of {} is required", names.join(", "))))
}

/// Checks an optional value with `check` when present and not blank.
pub fn optional(field: &str, value: Option<&str>, check: fn(&str, &str) -> Result<()>) -> Result<()> {
    match value {
        Some(v) if !v.trim().is_empty() => check(field, v),
        _ => Ok(()),
    }
}

/// A count or quantity must be positive.
pub fn positive(field: &str, value: i64) -> Result<()> {
    if value <= 0 {
        return Err(Error::validation(field, "must be greater than 0"));
    }
    Ok(())
}

/// The text of an optional field, trimmed, with blank meaning absent.
pub fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Validation: checks that a text field holds a positive integer (digits only, not all zeros).
pub fn positive_integer(field: &str, value: &str) -> Result<()> {
    let v = value.trim();
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) || v.bytes().all(|b| b == b'0') {
        return Err(Error::validation(field, "must be a positive whole number"));
    }
    Ok(())
}

/// Checks the paging pair shared by 3.2.2 and 3.2.6: a start index is never negative and a
/// page size is at least 1.
pub fn paging(begin_index: Option<i64>, count: Option<i64>) -> Result<()> {
    if begin_index.is_some_and(|b| b < 0) {
        return Err(Error::validation("beginIndex", "must not be negative"));
    }
    if let Some(c) = count {
        positive("count", c)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert!(iccid("iccid", "8985234200000000001").is_ok());
        assert_eq!(iccid("ICCID", "12345").unwrap_err().field(), Some("ICCID"));
        assert!(iccid("iccid", "89852342000000000a1").is_err());
        assert!(imsi("imsi", "454120381956774").is_ok());
        assert!(imsi("imsi", "4541203819567741").is_err());
        assert!(one_of(&[("hImsi", None), ("iccid", Some(" "))]).is_err());
        assert!(one_of(&[("hImsi", None), ("iccid", Some("1"))]).is_ok());
        assert!(date("setActiveTime", "20240230").is_err());
    }
}
