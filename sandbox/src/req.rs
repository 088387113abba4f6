//! Reading request fields leniently, the way the platform does (spec §1.3): numbers may come
//! as strings and strings as numbers; an optional string may be absent or empty; a mandatory
//! one must be present and non-blank (`1000005`); a value of the wrong JSON kind is a format
//! error (`1000007`). Every error names the field.

use crate::error::{ApiError, ApiResult};
use serde_json::Value;
use std::borrow::Cow;

/// A request body (an object, or for 3.2.10 possibly an array).
#[derive(Debug, Clone, Copy)]
pub struct Req<'a>(pub &'a Value);

impl<'a> Req<'a> {
    /// The value of `key`, `None` when absent or `null`.
    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        match self.0.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => Some(v),
        }
    }

    /// An optional text field: absent, `null` and blank are all `None`.
    pub fn str(&self, key: &str) -> ApiResult<Option<Cow<'a, str>>> {
        text(self.raw(key), key)
    }

    /// A mandatory text field.
    pub fn req_str(&self, key: &str) -> ApiResult<Cow<'a, str>> {
        self.str(key)?.ok_or_else(|| ApiError::missing(key))
    }

    /// An optional integer: a JSON integer or a string of digits. Present-but-empty is a
    /// format error (spec §1.3, "O number").
    pub fn int(&self, key: &str) -> ApiResult<Option<i64>> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| ApiError::format(key)),
            Some(Value::String(s)) => s.trim().parse::<i64>().map(Some).map_err(|_| ApiError::format(key)),
            Some(_) => Err(ApiError::format(key)),
        }
    }

    /// A mandatory integer.
    pub fn req_int(&self, key: &str) -> ApiResult<i64> {
        match self.raw(key) {
            None => Err(ApiError::missing(key)),
            Some(Value::String(s)) if s.trim().is_empty() => Err(ApiError::missing(key)),
            Some(_) => self.int(key).and_then(|v| v.ok_or_else(|| ApiError::missing(key))),
        }
    }

    /// An optional list; a lone value where a list is meant counts as a one-element list.
    pub fn list(&self, key: &str) -> Vec<&'a Value> {
        match self.raw(key) {
            None => Vec::new(),
            Some(Value::Array(a)) => a.iter().collect(),
            Some(v) => vec![v],
        }
    }

    /// An optional list of texts (a bare text counts as a one-element list).
    pub fn str_list(&self, key: &str) -> ApiResult<Vec<Cow<'a, str>>> {
        let mut out = Vec::new();
        for v in self.list(key) {
            if let Some(t) = text(Some(v), key)? {
                out.push(t);
            }
        }
        Ok(out)
    }

    /// A nested object or list item.
    pub fn at(v: &'a Value) -> Self {
        Req(v)
    }
}

fn text<'a>(v: Option<&'a Value>, key: &str) -> ApiResult<Option<Cow<'a, str>>> {
    match v {
        None => Ok(None),
        Some(Value::String(s)) => {
            let t = s.trim();
            Ok((!t.is_empty()).then_some(Cow::Borrowed(t)))
        }
        Some(Value::Number(n)) => Ok(Some(Cow::Owned(n.to_string()))),
        Some(_) => Err(ApiError::format(key)),
    }
}

/// Whether `s` is all ASCII digits with a length in `range`.
pub fn digits(s: &str, range: std::ops::RangeInclusive<usize>) -> bool {
    range.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// Checks an ICCID's shape (18-20 digits).
pub fn check_iccid(s: &str, field: &str) -> ApiResult<()> {
    if digits(s, 18..=20) { Ok(()) } else { Err(ApiError::format(field)) }
}

/// Checks an IMSI's shape (6-15 digits).
pub fn check_imsi(s: &str, field: &str) -> ApiResult<()> {
    if digits(s, 6..=15) { Ok(()) } else { Err(ApiError::format(field)) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lenient_reads() {
        let v = json!({"a": " x ", "b": 5, "c": "", "d": {"x": 1}, "e": "12", "f": [1, "2"], "g": "USD", "h": null});
        let r = Req(&v);
        assert_eq!(r.str("a").unwrap().as_deref(), Some("x"));
        assert_eq!(r.str("b").unwrap().as_deref(), Some("5"));
        assert_eq!(r.str("c").unwrap(), None);
        assert_eq!(r.str("h").unwrap(), None);
        assert_eq!(r.str("d").unwrap_err().code, "1000007");
        assert_eq!(r.req_str("c").unwrap_err().description, "Mandatory parameter c is empty");
        assert_eq!(r.int("e").unwrap(), Some(12));
        assert_eq!(r.int("c").unwrap_err().code, "1000007");
        assert_eq!(r.req_int("c").unwrap_err().code, "1000005");
        assert_eq!(r.req_int("zz").unwrap_err().code, "1000005");
        assert_eq!(r.str_list("f").unwrap(), vec!["1", "2"]);
        assert_eq!(r.str_list("g").unwrap(), vec!["USD"]);
        assert!(check_iccid("89852342024000000017", "iccid").is_ok());
        assert!(check_iccid("8985x", "iccid").is_err());
    }
}
