//! The fleet switches: revoke-on-reissue (a new token revokes the older ones of its
//! credential; the real platform's behaviour is unknown, spec open questions) and a
//! per-credential QPS limit answering `9000004`. Both can be changed while serving
//! (`POST /_sandbox/policy`), so fleet tests run against the strictest platform we can imagine.
//!
//! The limit is a sliding window: a call is refused when the credential already had `limit`
//! accepted calls within the last 1000 ms. Every arrival is also counted in a second window
//! to report the busiest second seen ([`Stats::peak_qps`](crate::Stats::peak_qps)).

use crate::state::ChannelId;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(1);

/// The switches, as the admin API shows them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyView {
    /// Whether issuing a token revokes the credential's older tokens.
    pub revoke_on_reissue: bool,
    /// Accepted calls per credential per second; `None` = unlimited.
    pub qps_limit: Option<u32>,
}

/// The live switches.
#[derive(Debug, Default)]
pub struct Policy {
    revoke_on_reissue: AtomicBool,
    /// 0 = unlimited.
    qps_limit: AtomicU32,
}

impl Policy {
    /// Switches from a view.
    pub fn new(view: PolicyView) -> Self {
        let p = Self::default();
        p.set(view);
        p
    }
    /// Replaces the switches.
    pub fn set(&self, view: PolicyView) {
        self.revoke_on_reissue.store(view.revoke_on_reissue, Ordering::Relaxed);
        self.qps_limit.store(view.qps_limit.unwrap_or(0), Ordering::Relaxed);
    }
    /// The switches now.
    pub fn view(&self) -> PolicyView {
        let limit = self.qps_limit.load(Ordering::Relaxed);
        PolicyView {
            revoke_on_reissue: self.revoke_on_reissue.load(Ordering::Relaxed),
            qps_limit: (limit > 0).then_some(limit),
        }
    }
    /// Whether a new token revokes the older ones.
    pub fn revoke_on_reissue(&self) -> bool {
        self.revoke_on_reissue.load(Ordering::Relaxed)
    }
    /// The limit, 0 = none.
    pub fn qps_limit(&self) -> u32 {
        self.qps_limit.load(Ordering::Relaxed)
    }
}

/// Per-credential windows of the last second.
#[derive(Debug, Default)]
pub struct QpsWindows {
    arrivals: HashMap<ChannelId, VecDeque<Instant>>,
    accepted: HashMap<ChannelId, VecDeque<Instant>>,
    peak: u64,
}

fn trim(q: &mut VecDeque<Instant>, now: Instant) {
    while q.front().is_some_and(|&t| now.duration_since(t) >= WINDOW) {
        q.pop_front();
    }
}

impl QpsWindows {
    /// Records a call of `channel` at `now`; `false` if it is over `limit` (0 = no limit).
    pub fn arrive(&mut self, channel: ChannelId, now: Instant, limit: u32) -> bool {
        let a = self.arrivals.entry(channel).or_default();
        trim(a, now);
        a.push_back(now);
        self.peak = self.peak.max(a.len() as u64);
        let q = self.accepted.entry(channel).or_default();
        trim(q, now);
        if limit > 0 && q.len() >= limit as usize {
            return false;
        }
        q.push_back(now);
        true
    }
    /// Most calls of one credential seen within any 1000 ms.
    pub fn peak(&self) -> u64 {
        self.peak
    }
    /// Forgets everything.
    pub fn clear(&mut self) {
        *self = Self::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_over_the_limit_within_a_second_and_tracks_the_peak() {
        let mut w = QpsWindows::default();
        let t0 = Instant::now();
        let ok: Vec<bool> = (0..5).map(|_| w.arrive(0, t0, 3)).collect();
        assert_eq!(ok, [true, true, true, false, false]);
        assert!(w.arrive(1, t0, 3), "another credential has its own budget");
        assert!(w.arrive(0, t0 + Duration::from_millis(1000), 3));
        assert_eq!(w.peak(), 5);
        let p = Policy::new(PolicyView { revoke_on_reissue: true, qps_limit: Some(7) });
        assert_eq!(p.view(), PolicyView { revoke_on_reissue: true, qps_limit: Some(7) });
        p.set(PolicyView::default());
        assert_eq!((p.revoke_on_reissue(), p.qps_limit()), (false, 0));
    }
}
