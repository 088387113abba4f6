//! The usage model: how much data a subscription has used at a given time.
//!
//! Each card's user consumes data at a steady rate (`Card::rate`, bytes per day) while a
//! subscription is active. High-speed use stops at the quota (per cycle, or per UTC day for
//! per-day bundles) plus the add-ons bought so far; after that the card keeps using data at a
//! throttled 1/20 of its rate, counted only in `qtaconsumptionTotal`. Usage is a pure
//! function of time, so advancing the clock makes it grow and queries are repeatable.
//! 1 MB = 1,048,576 bytes.

use crate::clock::{day_index, day_start};
use crate::state::World;

/// Bytes in one MB.
pub const MB: u64 = 1_048_576;

/// Usage of one subscription.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Usage {
    /// High-speed allowance of the plan (per cycle, or per day), without add-ons.
    pub quota: u64,
    /// Add-on volume counted (the cycle's, or today's).
    pub refuel: u64,
    /// High-speed volume used (the cycle's, or today's).
    pub high: u64,
    /// High-speed plus throttled volume (the cycle's, or today's).
    pub total: u64,
    /// Everything used since activation.
    pub lifetime: u64,
    /// Per (UTC day, MCC) totals in time order.
    pub buckets: Vec<Bucket>,
}

impl Usage {
    /// Remaining high-speed volume.
    pub fn balance(&self) -> u64 {
        (self.quota + self.refuel).saturating_sub(self.high)
    }
}

/// Usage of one day in one country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    /// Days since the epoch (UTC).
    pub day: i64,
    /// Country.
    pub mcc: String,
    /// Bytes.
    pub bytes: u64,
}

/// MB with two decimals, as the API writes volumes.
pub fn mb(bytes: u64) -> String {
    format!("{:.2}", bytes as f64 / MB as f64)
}

/// Usage of subscription `sub` at time `t`.
pub fn usage(w: &World, sub: usize, t: i64) -> Usage {
    let s = &w.subs[sub];
    let b = &w.bundles[s.bundle];
    let card = &w.cards[s.card];
    let quota = b.volume_mb * MB;
    let mut out = Usage { quota, ..Usage::default() };
    let Some(start) = s.active_from else {
        return out;
    };
    let stop = t.min(s.effective_end().unwrap_or(i64::MAX));
    let daily = b.limit_type == 2;
    if stop <= start {
        out.refuel = refuel_at(s, start, daily);
        return out;
    }

    let mut points = vec![start, stop];
    let mut d = day_start(start) + 86_400;
    while d < stop {
        points.push(d);
        d += 86_400;
    }
    points.extend(s.refuels.iter().map(|r| r.at).filter(|&x| x > start && x < stop));
    points.extend(card.locations.iter().map(|l| l.0).filter(|&x| x > start && x < stop));
    points.sort_unstable();
    points.dedup();

    let rate = card.rate as u128;
    let (mut high, mut throttled) = (0u64, 0u64);
    let mut day = day_index(start);
    for w2 in points.windows(2) {
        let (x, y) = (w2[0], w2[1]);
        if daily && day_index(x) != day {
            day = day_index(x);
            high = 0;
            throttled = 0;
        }
        let cap_total = quota + refuel_at(s, x, daily);
        let dt = (y - x) as u128;
        let potential = (rate * dt / 86_400) as u64;
        let room = cap_total.saturating_sub(high);
        let seg = if potential <= room {
            high += potential;
            potential
        } else {
            let to_cap = if rate == 0 { dt } else { (room as u128 * 86_400).div_ceil(rate).min(dt) };
            let thr = (rate * (dt - to_cap) / (86_400 * 20)) as u64;
            high += room;
            throttled += thr;
            room + thr
        };
        out.lifetime += seg;
        let mcc = card.location_at(x).unwrap_or("").to_owned();
        match out.buckets.last_mut() {
            Some(last) if last.day == day_index(x) && last.mcc == mcc => last.bytes += seg,
            _ => out.buckets.push(Bucket { day: day_index(x), mcc, bytes: seg }),
        }
    }
    out.high = high;
    out.total = high + throttled;
    // Read the add-ons at `stop`, or in the last second of use once the bundle has ended.
    let probe = if s.effective_end().is_some_and(|e| stop >= e) { stop - 1 } else { stop };
    out.refuel = refuel_at(s, probe, daily);
    out
}

/// Add-on volume in force at `t`: every add-on bought so far on a per-cycle bundle; on a
/// per-day bundle, those bought so far whose days cover `t`'s day.
fn refuel_at(s: &crate::state::Subscription, t: i64, daily: bool) -> u64 {
    s.refuels
        .iter()
        .filter(|r| r.at <= t)
        .filter(|r| {
            !daily || (day_index(t) >= day_index(r.at) && day_index(t) < day_index(r.at) + r.days.max(1) as i64)
        })
        .map(|r| r.bytes)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mb_has_two_decimals() {
        assert_eq!(mb(0), "0.00");
        assert_eq!(mb(MB * 300), "300.00");
        assert_eq!(mb(MB + MB / 4), "1.25");
    }
}
