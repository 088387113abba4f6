//! Local policy that refuses calls before they are sent: read-only mode, an operation
//! allow-list, an ICCID allow-list, spend ceilings per call and per day, and a dry-run mode
//! for writes. A client running unattended with real money behind it should have one.
//! Every refusal is an [`Error::Refused`] naming the rule.

use crate::error::{Error, Result};
use crate::operation::OperationKind;
use crate::units::Money;
use std::collections::BTreeSet;
use std::fmt;
use std::sync::{Arc, Mutex};

/// Which cards a request targets, for the ICCID allow-list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardTargets<'a> {
    /// The request is not about particular cards (catalogue, templates...).
    None,
    /// The request names these ICCIDs.
    Iccids(Vec<&'a str>),
    /// The request names a card some other way (IMSI, MSISDN, an order id) that an ICCID
    /// allow-list cannot check; refused when an allow-list is set.
    Unverifiable,
}

impl<'a> CardTargets<'a> {
    /// The targets of a request naming one card by ICCID or by `others` (IMSI, MSISDN, an
    /// order id); blank values count as absent.
    pub fn one(iccid: Option<&'a str>, others: &[Option<&str>]) -> Self {
        Self::many([(iccid, others.iter().any(|o| present(*o)))])
    }

    /// The targets of a list of cards, each an (ICCID, named-otherwise) pair.
    pub fn many(items: impl IntoIterator<Item = (Option<&'a str>, bool)>) -> Self {
        let mut iccids = Vec::new();
        for (iccid, other) in items {
            match iccid.filter(|i| present(Some(i))) {
                Some(i) => iccids.push(i),
                None if other => return Self::Unverifiable,
                None => {}
            }
        }
        if iccids.is_empty() { Self::None } else { Self::Iccids(iccids) }
    }
}

fn present(v: Option<&str>) -> bool {
    v.is_some_and(|v| !v.trim().is_empty())
}

/// What a spending request buys, so its cost can be checked before sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpendItem {
    /// The bundle bought, or the parent bundle of an add-on.
    pub data_bundle_id: Option<String>,
    /// The add-on bought.
    pub refueling_id: Option<String>,
    /// Copies.
    pub quantity: i64,
}

/// Spend ceilings in one currency (amounts in cents).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpendLimit {
    /// The currency prices are looked up and compared in (`USD`).
    pub currency: String,
    /// The most one order may cost.
    pub per_call_cents: Option<i64>,
    /// The most all orders of one UTC day may cost together (this client only).
    pub per_day_cents: Option<i64>,
}

/// The ICCID allow-list callback.
pub type IccidFilter = Arc<dyn Fn(&str) -> bool + Send + Sync>;

/// A client's guard. Build with [`Guard::new`] and the `with_*` methods.
#[derive(Clone, Default)]
pub struct Guard {
    read_only: bool,
    dry_run: bool,
    allowed: Option<BTreeSet<String>>,
    iccid_filter: Option<IccidFilter>,
    spend: Option<SpendLimit>,
    /// (UTC day number, cents spent that day).
    spent: Arc<Mutex<(i64, i64)>>,
}

impl fmt::Debug for Guard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Guard")
            .field("read_only", &self.read_only)
            .field("dry_run", &self.dry_run)
            .field("allowed", &self.allowed)
            .field("iccid_filter", &self.iccid_filter.as_ref().map(|_| "<callback>"))
            .field("spend", &self.spend)
            .finish()
    }
}

impl Guard {
    /// A guard that allows everything.
    pub fn new() -> Self {
        Self::default()
    }

    /// Refuses every command and order: only queries (and the token call) go out.
    pub fn read_only(mut self, on: bool) -> Self {
        self.read_only = on;
        self
    }

    /// Validates and logs writes but does not send them; they fail with
    /// [`Error::Refused`] ("dry run"). Queries are sent as usual.
    pub fn dry_run(mut self, on: bool) -> Self {
        self.dry_run = on;
        self
    }

    /// Only these operations (canonical names) may be called; the token call is always
    /// allowed.
    pub fn allow_operations<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.allowed = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// Only cards for which `allowed(iccid)` is true may be touched.
    pub fn allow_iccids(mut self, allowed: impl Fn(&str) -> bool + Send + Sync + 'static) -> Self {
        self.iccid_filter = Some(Arc::new(allowed));
        self
    }

    /// Caps what orders may cost.
    pub fn spend_limit(mut self, limit: SpendLimit) -> Self {
        self.spend = Some(limit);
        self
    }

    /// The spend ceilings, if any.
    pub fn spend(&self) -> Option<&SpendLimit> {
        self.spend.as_ref()
    }

    /// Whether writes are only logged.
    pub fn is_dry_run(&self) -> bool {
        self.dry_run
    }

    /// Checks a call that does not depend on prices.
    pub fn check(&self, operation: &'static str, kind: OperationKind, cards: &CardTargets<'_>) -> Result<()> {
        let refuse = |reason: String| Err(Error::Refused { operation, reason });
        if kind == OperationKind::Auth {
            return Ok(());
        }
        if self.read_only && matches!(kind, OperationKind::Command | OperationKind::Spend) {
            return refuse("the client is read-only".into());
        }
        if let Some(allowed) = &self.allowed {
            if !allowed.contains(operation) {
                return refuse(format!("`{operation}` is not in the allowed operations"));
            }
        }
        if let Some(filter) = &self.iccid_filter {
            match cards {
                CardTargets::None => {}
                CardTargets::Iccids(list) => {
                    if let Some(bad) = list.iter().find(|i| !filter(i.trim())) {
                        return refuse(format!("card {bad} is not in the ICCID allow-list"));
                    }
                }
                CardTargets::Unverifiable => {
                    return refuse(
                        "the card is named without an ICCID, so the ICCID allow-list cannot check it".into(),
                    );
                }
            }
        }
        Ok(())
    }

    /// Checks and books the cost of an order at UTC day `day`. Returns the amount booked, to
    /// be released with [`Guard::release`] if the order definitely failed.
    pub fn book_spend(&self, operation: &'static str, cost: &Money, day: i64) -> Result<i64> {
        let Some(limit) = &self.spend else { return Ok(0) };
        let refuse = |reason: String| Err(Error::Refused { operation, reason });
        if cost.currency != limit.currency {
            return refuse(format!("price is in {}, the spend limit in {}", cost.currency, limit.currency));
        }
        if let Some(max) = limit.per_call_cents {
            if cost.cents > max {
                return refuse(format!(
                    "order costs {cost}, more than the per-call limit {}",
                    Money::new(max, &limit.currency)
                ));
            }
        }
        let mut spent = self.spent.lock().unwrap_or_else(|p| p.into_inner());
        if spent.0 != day {
            *spent = (day, 0);
        }
        if let Some(max) = limit.per_day_cents {
            if spent.1 + cost.cents > max {
                return refuse(format!(
                    "order costs {cost}; with {} already spent today it would pass the daily limit {}",
                    Money::new(spent.1, &limit.currency),
                    Money::new(max, &limit.currency)
                ));
            }
        }
        spent.1 += cost.cents;
        Ok(cost.cents)
    }

    /// Gives back a booking of an order that was definitely not placed.
    pub fn release(&self, cents: i64, day: i64) {
        let mut spent = self.spent.lock().unwrap_or_else(|p| p.into_inner());
        if spent.0 == day {
            spent.1 = (spent.1 - cents).max(0);
        }
    }

    /// What this client has booked on UTC day `day`, in cents.
    pub fn spent_on(&self, day: i64) -> i64 {
        let spent = self.spent.lock().unwrap_or_else(|p| p.into_inner());
        if spent.0 == day { spent.1 } else { 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_name_the_rule() {
        let g = Guard::new().read_only(true);
        let e = g.check("create_order", OperationKind::Spend, &CardTargets::None).unwrap_err();
        assert!(e.to_string().contains("read-only"));
        assert!(g.check("query_quota", OperationKind::Query, &CardTargets::None).is_ok());

        let g = Guard::new().allow_operations(["query_quota"]);
        assert!(g.check("query_sim_info", OperationKind::Query, &CardTargets::None).is_err());
        assert!(g.check("get_access_token", OperationKind::Auth, &CardTargets::None).is_ok());

        let g = Guard::new().allow_iccids(|i| i.starts_with("8985"));
        assert!(g.check("query_quota", OperationKind::Query, &CardTargets::Iccids(vec!["8985000"])).is_ok());
        assert!(g.check("query_quota", OperationKind::Query, &CardTargets::Iccids(vec!["8985000", "1"])).is_err());
        assert!(g.check("query_quota", OperationKind::Query, &CardTargets::Unverifiable).is_err());
    }

    #[test]
    fn spend_ceilings() {
        let g = Guard::new().spend_limit(SpendLimit {
            currency: "USD".into(),
            per_call_cents: Some(2_000),
            per_day_cents: Some(3_000),
        });
        assert!(g.book_spend("create_order", &Money::new(2_500, "USD"), 1).is_err());
        assert!(g.book_spend("create_order", &Money::new(100, "HKD"), 1).is_err());
        assert_eq!(g.book_spend("create_order", &Money::new(1_500, "USD"), 1).unwrap(), 1_500);
        assert!(g.book_spend("create_order", &Money::new(1_500, "USD"), 1).is_ok());
        assert!(g.book_spend("create_order", &Money::new(1, "USD"), 1).is_err());
        g.release(1_500, 1);
        assert_eq!(g.spent_on(1), 1_500);
        // A new day starts from zero.
        assert!(g.book_spend("create_order", &Money::new(2_000, "USD"), 2).is_ok());
    }
}
