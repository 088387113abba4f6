//! Faults on demand. A [`Fault`] targets one operation by canonical name (or `"*"` for
//! all) and applies to the next `count` matching calls (forever when `count` is absent).
//!
//! JSON form (admin API `POST /_sandbox/faults`), one object per fault:
//!
//! ```json
//! {"operation": "create_order", "kind": "http_status", "status": 503, "count": 2}
//! {"operation": "*", "kind": "http_status", "status": 429, "retry_after": 2}
//! {"operation": "query_quota", "kind": "delay", "ms": 1500}
//! {"operation": "create_order", "kind": "drop", "phase": "after"}
//! {"operation": "create_order", "kind": "return_code", "code": "1000154"}
//! {"kind": "expire_tokens"}
//! {"kind": "clock_skew", "seconds": 900}
//! {"operation": "query_quota", "kind": "shape", "variant": "quota_top_level"}
//! ```
//!
//! `phase` is `before` (default: the call is not processed) or `after` (the call is processed
//! and its state change kept, then the fault replaces or delays the answer).

use crate::ops;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// When a fault strikes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Before the call is processed: nothing changes.
    #[default]
    Before,
    /// After the call was processed: the state change stays, the answer is lost or late.
    After,
}

/// A response-shape variant (documented alternatives of the wire format, spec §1.3, §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShapeVariant {
    /// 3.2.8: `subscriberQuota`/`historyQuota` at the top level instead of in `quotaList`.
    QuotaTopLevel,
    /// 3.2.13: `cardInfo` with `description` instead of `data` with `msg`.
    EsimCardInfo,
    /// 3.2.25: `cardPoolMccDTOS` with `isOnlySupportedHotspots` instead of `data` with
    /// `is_only_supported_hotspots`.
    CardPoolMccDtos,
    /// The description under `description`.
    DescriptionKey,
    /// The description under `msg`.
    MsgKey,
    /// The description under the typo `decsription`.
    DecsriptionKey,
    /// Success code `"0"` instead of `"0000000"`.
    SuccessCodeShort,
    /// Every number in the payload sent as a string.
    NumbersAsStrings,
    /// Every one-element list of objects sent as the lone object.
    LoneObject,
    /// 3.2.2 / 3.2.6 read `beginIndex` as a 0-based page number (offset = beginIndex × count)
    /// instead of a row offset.
    BeginIndexPages,
}

/// What a fault does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer with this HTTP status (500, 502, 503, 429 ...) and a gateway-style JSON body;
    /// `retry_after` adds a `Retry-After` header (seconds).
    HttpStatus {
        /// HTTP status.
        status: u16,
        /// `Retry-After` seconds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<u32>,
    },
    /// Wait before answering.
    Delay {
        /// Milliseconds.
        ms: u64,
    },
    /// Close the connection without an answer.
    Drop,
    /// Answer HTTP 200 with this return code (e.g. `1000154`, `9000004`).
    ReturnCode {
        /// The code.
        code: String,
        /// Its text; the code table's meaning when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
    },
    /// Expire every access token issued so far, now (not stored as a fault).
    ExpireTokens,
    /// Shift the sandbox's WSSE clock (and its `Date` header) by this many seconds.
    ClockSkew {
        /// Seconds (negative = behind).
        seconds: i64,
    },
    /// Change the shape of answers.
    Shape {
        /// Which variant.
        variant: ShapeVariant,
    },
}

/// A fault with its target and budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fault {
    /// Canonical operation name, or `"*"` for every operation.
    #[serde(default = "star")]
    pub operation: String,
    /// What it does.
    #[serde(flatten)]
    pub kind: FaultKind,
    /// Number of matching calls it applies to; forever when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// Before or after processing (for `http_status`, `delay`, `drop`, `return_code`).
    #[serde(default)]
    pub phase: Phase,
    /// Applies to each matching call with this probability (0 to 1) instead of always;
    /// drawn from a seeded generator, so a run is repeatable. For soak tests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
}

fn star() -> String {
    "*".into()
}

impl Fault {
    /// A fault of `kind` on every operation, forever, before processing.
    pub fn new(kind: FaultKind) -> Self {
        Self { operation: star(), kind, count: None, phase: Phase::Before, probability: None }
    }
    /// HTTP `status` with a gateway body.
    pub fn http_status(status: u16) -> Self {
        Self::new(FaultKind::HttpStatus { status, retry_after: None })
    }
    /// HTTP 429 with `Retry-After: seconds`.
    pub fn too_many_requests(retry_after_seconds: u32) -> Self {
        Self::new(FaultKind::HttpStatus { status: 429, retry_after: Some(retry_after_seconds) })
    }
    /// A delay before the answer.
    pub fn delay(d: Duration) -> Self {
        Self::new(FaultKind::Delay { ms: d.as_millis() as u64 })
    }
    /// Close the connection without an answer.
    pub fn drop_connection() -> Self {
        Self::new(FaultKind::Drop)
    }
    /// Answer HTTP 200 with a return code.
    pub fn return_code(code: &str) -> Self {
        Self::new(FaultKind::ReturnCode { code: code.to_owned(), description: None })
    }
    /// Expire all tokens now.
    pub fn expire_tokens() -> Self {
        Self::new(FaultKind::ExpireTokens)
    }
    /// Skew the WSSE clock.
    pub fn clock_skew(seconds: i64) -> Self {
        Self::new(FaultKind::ClockSkew { seconds })
    }
    /// A response-shape variant.
    pub fn shape(variant: ShapeVariant) -> Self {
        Self::new(FaultKind::Shape { variant })
    }
    /// Only for one operation (canonical name, e.g. `"create_order"`).
    pub fn on(mut self, operation: &str) -> Self {
        self.operation = operation.to_owned();
        self
    }
    /// Only for the next `n` matching calls.
    pub fn times(mut self, n: u32) -> Self {
        self.count = Some(n);
        self
    }
    /// After processing: the state change stays.
    pub fn after(mut self) -> Self {
        self.phase = Phase::After;
        self
    }
    /// Only for a random share `p` (0 to 1) of the matching calls.
    pub fn sometimes(mut self, p: f64) -> Self {
        self.probability = Some(p);
        self
    }

    /// Checks the operation name and values.
    pub fn validate(&self) -> Result<(), String> {
        if self.operation != "*" && ops::by_name(&self.operation).is_none() {
            return Err(format!("unknown operation {:?}", self.operation));
        }
        match &self.kind {
            FaultKind::HttpStatus { status, .. } if !(100..=599).contains(status) => {
                Err(format!("bad HTTP status {status}"))
            }
            FaultKind::ReturnCode { code, .. } if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) => {
                Err(format!("bad return code {code:?}"))
            }
            _ if self.probability.is_some_and(|p| !(0.0..=1.0).contains(&p)) => {
                Err("probability must be between 0 and 1".into())
            }
            _ => Ok(()),
        }
    }
}

/// An action that replaces the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// HTTP status (+ Retry-After).
    Status(u16, Option<u32>),
    /// Close the connection.
    Drop,
    /// A return code with HTTP 200.
    Code(String, Option<String>),
}

/// Everything the faults decided for one call.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Delay before processing.
    pub delay_before: u64,
    /// Replacement before processing.
    pub before: Option<Action>,
    /// Delay after processing.
    pub delay_after: u64,
    /// Replacement after processing.
    pub after: Option<Action>,
    /// WSSE clock skew, seconds.
    pub skew: i64,
    /// Shape variants.
    pub shapes: Vec<ShapeVariant>,
}

impl Plan {
    /// Whether a shape variant is on.
    pub fn has(&self, v: ShapeVariant) -> bool {
        self.shapes.contains(&v)
    }
}

/// A stored fault with its id.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StoredFault {
    /// Id (for listing).
    pub id: u64,
    /// The fault, `count` showing what remains.
    #[serde(flatten)]
    pub fault: Fault,
}

/// The active faults.
#[derive(Debug, Default)]
pub struct FaultSet {
    faults: Vec<StoredFault>,
    next_id: u64,
    /// xorshift64* state for probabilistic faults (fixed seed: repeatable runs).
    rng: u64,
}

impl FaultSet {
    /// A uniform draw in [0, 1).
    fn draw(&mut self) -> f64 {
        if self.rng == 0 {
            self.rng = 0x9E37_79B9_7F4A_7C15;
        }
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        (self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

impl FaultSet {
    /// Adds a fault; returns its id.
    pub fn add(&mut self, fault: Fault) -> u64 {
        self.next_id += 1;
        self.faults.push(StoredFault { id: self.next_id, fault });
        self.next_id
    }

    /// Removes all faults.
    pub fn clear(&mut self) {
        self.faults.clear();
    }

    /// The active faults.
    pub fn list(&self) -> Vec<StoredFault> {
        self.faults.clone()
    }

    /// Whether no fault is set (fast path).
    pub fn is_empty(&self) -> bool {
        self.faults.is_empty()
    }

    /// Decides the faults of one call to `op` and spends their budgets. Delays and shapes
    /// all apply; of the replacing actions only the first one per phase applies (and is
    /// spent); the last matching clock skew wins.
    pub fn plan(&mut self, op: &str) -> Plan {
        let mut plan = Plan::default();
        let draws: Vec<f64> = (0..self.faults.len()).map(|_| self.draw()).collect();
        for (sf, draw) in self.faults.iter_mut().zip(draws) {
            let f = &mut sf.fault;
            if f.operation != "*" && f.operation != op {
                continue;
            }
            if f.probability.is_some_and(|p| draw >= p) {
                continue;
            }
            let used = match &f.kind {
                FaultKind::Delay { ms } => {
                    match f.phase {
                        Phase::Before => plan.delay_before += ms,
                        Phase::After => plan.delay_after += ms,
                    }
                    true
                }
                FaultKind::ClockSkew { seconds } => {
                    plan.skew = *seconds;
                    true
                }
                FaultKind::Shape { variant } => {
                    plan.shapes.push(*variant);
                    true
                }
                FaultKind::ExpireTokens => false,
                kind => {
                    let slot = match f.phase {
                        Phase::Before => &mut plan.before,
                        Phase::After => &mut plan.after,
                    };
                    if slot.is_some() {
                        false
                    } else {
                        *slot = Some(match kind {
                            FaultKind::HttpStatus { status, retry_after } => Action::Status(*status, *retry_after),
                            FaultKind::Drop => Action::Drop,
                            FaultKind::ReturnCode { code, description } => {
                                Action::Code(code.clone(), description.clone())
                            }
                            _ => Action::Drop,
                        });
                        true
                    }
                }
            };
            if let (true, Some(c)) = (used, f.count.as_mut()) {
                *c = c.saturating_sub(1);
            }
        }
        self.faults.retain(|f| f.fault.count != Some(0));
        plan
    }

    /// The persistent WSSE skew for calls outside any operation (admin views).
    pub fn standing_skew(&self) -> i64 {
        self.faults
            .iter()
            .filter(|f| f.fault.operation == "*" && f.fault.count.is_none())
            .filter_map(|f| match f.fault.kind {
                FaultKind::ClockSkew { seconds } => Some(seconds),
                _ => None,
            })
            .next_back()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_forms_round_trip() {
        let f: Fault =
            serde_json::from_str(r#"{"operation":"create_order","kind":"http_status","status":503,"count":2}"#)
                .unwrap();
        assert_eq!(f, Fault::http_status(503).on("create_order").times(2));
        let f: Fault = serde_json::from_str(r#"{"kind":"shape","variant":"quota_top_level"}"#).unwrap();
        assert_eq!(f, Fault::shape(ShapeVariant::QuotaTopLevel));
        let f: Fault = serde_json::from_str(r#"{"kind":"drop","phase":"after","operation":"create_order"}"#).unwrap();
        assert_eq!(f, Fault::drop_connection().on("create_order").after());
        assert!(Fault::http_status(503).on("nope").validate().is_err());
    }

    #[test]
    fn budgets_are_spent() {
        let mut s = FaultSet::default();
        s.add(Fault::http_status(503).on("query_quota").times(1));
        s.add(Fault::return_code("9000004").times(2));
        s.add(Fault::delay(Duration::from_millis(5)));
        let p = s.plan("query_quota");
        assert_eq!(p.before, Some(Action::Status(503, None)));
        assert_eq!(p.delay_before, 5);
        let p = s.plan("query_quota");
        assert_eq!(p.before, Some(Action::Code("9000004".into(), None)));
        let p = s.plan("create_order");
        assert_eq!(p.before, Some(Action::Code("9000004".into(), None)));
        let p = s.plan("create_order");
        assert_eq!(p.before, None);
        assert_eq!(s.list().len(), 1);
    }
}
