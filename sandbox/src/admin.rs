//! The admin API under `/_sandbox/` (JSON, no authentication: loopback only) and the
//! operations it shares with [`SandboxHandle`](crate::SandboxHandle).
//!
//! | Method and path | Body | Answer |
//! |---|---|---|
//! | `GET /_sandbox/health` | | `{"ok": true}` |
//! | `POST /_sandbox/reset` | | `{"ok": true}`: dataset, clock, faults, tokens, nonces, counters and delivery log back to start (callback registrations kept) |
//! | `GET /_sandbox/state` | | [`StateSnapshot`] |
//! | `GET /_sandbox/stats` | | [`Stats`] |
//! | `GET /_sandbox/clock` | | `{"now", "now_unix", "offset_seconds", "wsse_now", "wsse_skew_seconds"}` |
//! | `POST /_sandbox/clock/advance` | `{"seconds": N}` | [`AdvanceReport`] |
//! | `GET /_sandbox/faults` | | `[{"id", ...fault}]` |
//! | `POST /_sandbox/faults` | a [`Fault`] or a list of them | `{"ids": [..]}` |
//! | `DELETE /_sandbox/faults` or `POST /_sandbox/faults/clear` | | `{"ok": true}` |
//! | `POST /_sandbox/tokens/expire` | | `{"ok": true}` |
//! | `GET /_sandbox/callbacks` | | `{"<app key>": {"url", "esim_url"}}` |
//! | `POST /_sandbox/callbacks` | `{"url", "esim_url"?, "app_key"?}` (demo channel by default) | `{"ok": true}` |
//! | `DELETE /_sandbox/callbacks` | `{"app_key"?}` | `{"ok": true}` |
//! | `GET /_sandbox/callbacks/deliveries` | | `[Delivery]` |
//! | `POST /_sandbox/cards/{iccid}/location` | `{"mcc": "454"}` | `{"activations": n}` |
//! | `POST /_sandbox/esim/{iccid}/{install,enable,disable,delete,fail}` | `{"eid"?, "device"?}` | `{"notifications": [..]}` |
//! | `POST /_sandbox/deposit` | `{"amount_cents": n, "app_key"?}` | `{"currency", "amount_cents", "initial_cents"}` |
//! | `GET /_sandbox/policy` | | [`PolicyView`](crate::PolicyView) `{"revoke_on_reissue", "qps_limit"}` |
//! | `POST /_sandbox/policy` | `{"revoke_on_reissue"?: bool, "qps_limit"?: n \| null}` (absent = unchanged; 0 or null = no limit) | the policy now |

use crate::callbacks::Registration;
use crate::clock::{compact, real_now};
use crate::faults::{Fault, FaultKind};
use crate::handlers::esim::{EsimAction, esim_action};
use crate::ops::OPS;
use crate::quota::{mb, usage};
use crate::server::{Shared, json_response, lock};
use crate::state::{Event, OrderKind, World};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::{Method, Request, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

/// Calls counted since start or the last reset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// All calls to `/aep/...` interfaces (admin calls excluded).
    pub total_calls: u64,
    /// Calls per canonical operation name (every operation listed, zeros included).
    pub calls: BTreeMap<String, u64>,
    /// Successful 3.2.1 token issues.
    pub token_issues: u64,
    /// Calls refused with `1000008` (unknown, revoked or expired token).
    #[serde(default)]
    pub token_rejections: u64,
    /// Calls refused with `9000004` by the QPS limit.
    #[serde(default)]
    pub qps_rejections: u64,
    /// Most calls of one credential that arrived within any 1000 ms (refused ones too).
    #[serde(default)]
    pub peak_qps: u64,
}

impl Stats {
    /// Calls of one operation.
    pub fn calls_of(&self, operation: &str) -> u64 {
        self.calls.get(operation).copied().unwrap_or(0)
    }
}

/// A channel's deposit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepositView {
    /// Currency.
    pub currency: String,
    /// Balance in cents.
    pub amount_cents: i64,
    /// Balance at start.
    pub initial_cents: i64,
}

/// A card as the state view shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardView {
    /// ICCID.
    pub iccid: String,
    /// IMSI.
    pub imsi: String,
    /// MSISDN.
    pub msisdn: String,
    /// Owning channel's app key.
    pub channel: String,
    /// `esim` or `physical`.
    pub kind: String,
    /// 0 normal, 1 suspended, 3 deregistered.
    pub status: u8,
    /// Current MCC, if attached.
    pub location: Option<String>,
    /// eSIM state.
    pub esim_state: Option<String>,
    /// EID, if installed.
    pub eid: Option<String>,
    /// Usage rate, MB per day.
    pub usage_mb_per_day: u64,
}

/// A child order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionView {
    /// `subscriptionKey`.
    pub subscription_key: String,
    /// UserDataBundle status (1 not activated, 2 expired, 3 activated, 99 refunded).
    pub status: u8,
    /// Activation time (14 digits, UTC).
    pub active_time: Option<String>,
    /// End time (14 digits, UTC).
    pub end_time: Option<String>,
    /// Volume used so far, MB.
    pub used_mb: String,
}

/// An order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    /// `orderID`.
    pub order_id: String,
    /// `thirdOrderId`.
    pub third_order_id: String,
    /// `transactionCode`.
    pub transaction_code: Option<String>,
    /// Channel app key.
    pub channel: String,
    /// Card.
    pub iccid: String,
    /// `bundle` or `addon`.
    pub kind: String,
    /// Bundle id (the add-on's target bundle for add-ons).
    pub data_bundle_id: String,
    /// Add-on id.
    pub refueling_id: Option<String>,
    /// Copies.
    pub quantity: u32,
    /// Unit price, cents.
    pub unit_price_cents: i64,
    /// Total, cents.
    pub total_cents: i64,
    /// Currency.
    pub currency: String,
    /// `completed` or `refunded`.
    pub status: String,
    /// Created (14 digits, UTC).
    pub create_time: String,
    /// Child orders (bundle orders).
    pub subscriptions: Vec<SubscriptionView>,
}

/// The state view (`GET /_sandbox/state`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateSnapshot {
    /// Business time, 14 digits UTC.
    pub now: String,
    /// Business time, Unix seconds.
    pub now_unix: i64,
    /// Business clock offset from real time, seconds.
    pub clock_offset_seconds: i64,
    /// The demo channel's deposit.
    pub deposit: DepositView,
    /// Every channel's deposit by app key.
    pub deposits: BTreeMap<String, DepositView>,
    /// Cards.
    pub cards: Vec<CardView>,
    /// Orders, oldest first.
    pub orders: Vec<OrderView>,
}

/// What a clock advance did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvanceReport {
    /// Business time after the advance, 14 digits UTC.
    pub now: String,
    /// Subscriptions activated.
    pub activations: usize,
    /// 3.2.16 notifications queued.
    pub usage_reports: usize,
}

fn deposit_view(w: &World, ch: usize) -> DepositView {
    let c = &w.channels[ch];
    DepositView { currency: c.currency.to_owned(), amount_cents: c.deposit, initial_cents: c.initial_deposit }
}

/// Builds the state view.
pub fn snapshot(shared: &Shared) -> StateSnapshot {
    let now = shared.clock.now();
    let w = lock(&shared.world);
    let key = |ch: usize| w.channels[ch].app_key.clone();
    let cards = w
        .cards
        .iter()
        .map(|c| CardView {
            iccid: c.iccid.clone(),
            imsi: c.imsi.clone(),
            msisdn: c.msisdn.clone(),
            channel: key(c.channel),
            kind: if c.esim.is_some() { "esim" } else { "physical" }.into(),
            status: c.status,
            location: c.location().map(str::to_owned),
            esim_state: c.esim.as_ref().map(|e| e.state.clone()),
            eid: c.esim.as_ref().map(|e| e.eid.clone()).filter(|e| !e.is_empty()),
            usage_mb_per_day: c.rate / crate::quota::MB,
        })
        .collect();
    let orders = w
        .orders
        .iter()
        .map(|o| {
            let (bundle, refuel) = match o.kind {
                OrderKind::Bundle(b) => (w.bundles[b].id.clone(), None),
                OrderKind::Addon { addon, sub } => {
                    (w.bundles[w.subs[sub].bundle].id.clone(), Some(w.addons[addon].id.clone()))
                }
            };
            OrderView {
                order_id: o.id.clone(),
                third_order_id: o.third_order_id.clone(),
                transaction_code: o.txn.clone(),
                channel: key(o.channel),
                iccid: w.cards[o.card].iccid.clone(),
                kind: if refuel.is_some() { "addon" } else { "bundle" }.into(),
                data_bundle_id: bundle,
                refueling_id: refuel,
                quantity: o.quantity,
                unit_price_cents: o.unit_price,
                total_cents: o.total,
                currency: o.currency.to_owned(),
                status: if o.refunded_at.is_some() { "refunded" } else { "completed" }.into(),
                create_time: compact(o.created),
                subscriptions: o
                    .children
                    .iter()
                    .map(|&s| {
                        let sub = &w.subs[s];
                        let b = &w.bundles[sub.bundle];
                        SubscriptionView {
                            subscription_key: sub.key.clone(),
                            status: sub.status(now),
                            active_time: sub.active_from.map(compact),
                            end_time: sub.effective_end().map(|e| compact(crate::clock::shown_end(e, b.period_type))),
                            used_mb: mb(usage(&w, s, now).lifetime),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    StateSnapshot {
        now: compact(now),
        now_unix: now,
        clock_offset_seconds: shared.clock.offset(),
        deposit: deposit_view(&w, 0),
        deposits: (0..w.channels.len()).map(|c| (key(c), deposit_view(&w, c))).collect(),
        cards,
        orders,
    }
}

/// Current counters.
pub fn stats(shared: &Shared) -> Stats {
    let calls: BTreeMap<String, u64> =
        OPS.iter().zip(&shared.counters.calls).map(|(o, c)| (o.name.to_owned(), c.load(Ordering::Relaxed))).collect();
    Stats {
        total_calls: calls.values().sum(),
        calls,
        token_issues: shared.counters.token_issues.load(Ordering::Relaxed),
        token_rejections: shared.counters.token_rejections.load(Ordering::Relaxed),
        qps_rejections: shared.counters.qps_rejections.load(Ordering::Relaxed),
        peak_qps: lock(&shared.qps).peak(),
    }
}

/// Longest single advance: 100 years.
pub const MAX_ADVANCE_SECONDS: i64 = 100 * 366 * 86_400;

/// Advances the business clock by `seconds` (0 to [`MAX_ADVANCE_SECONDS`]): activations and
/// usage notifications.
pub fn advance(shared: &Shared, seconds: i64) -> AdvanceReport {
    let (t0, t1) = shared.clock.advance(seconds.clamp(0, MAX_ADVANCE_SECONDS));
    let mut w = lock(&shared.world);
    let activations = w.advance(t0, t1);
    let mut reports = 0;
    for s in 0..w.subs.len() {
        if w.subs[s].active_from.is_none() || w.subs[s].refunded {
            continue;
        }
        let used = usage(&w, s, t1).lifetime;
        let delta = used.saturating_sub(w.subs[s].reported);
        if delta == 0 {
            continue;
        }
        w.subs[s].reported = used;
        let sub = &w.subs[s];
        let card = &w.cards[sub.card];
        let order = &w.orders[sub.order];
        let body = json!({
            "iccid": card.iccid,
            "imsi": card.imsi,
            "qtavalue": delta.to_string(),
            "timestamp": compact(t1),
            "orderId": order.id,
            "childOrderId": sub.key,
        });
        let channel = order.channel;
        w.outbox.push(Event::Usage { channel, body });
        reports += 1;
    }
    shared.flush_events(&mut w);
    AdvanceReport { now: compact(t1), activations, usage_reports: reports }
}

/// Back to the start state; callback registrations are kept.
pub fn reset(shared: &Shared) {
    shared.clock.reset();
    let world = shared.cfg.build_world(shared.clock.now());
    *lock(&shared.world) = world;
    lock(&shared.faults).clear();
    shared.any_fault.store(false, Ordering::Relaxed);
    {
        let mut a = lock(&shared.auth);
        a.tokens.clear();
        a.nonces.clear();
    }
    shared.counters.reset();
    lock(&shared.qps).clear();
    shared.callbacks.clear_log();
}

/// Adds a fault (or runs `expire_tokens` at once); returns its id (0 for `expire_tokens`).
pub fn add_fault(shared: &Shared, fault: Fault) -> Result<u64, String> {
    fault.validate()?;
    if fault.kind == FaultKind::ExpireTokens {
        expire_tokens(shared);
        return Ok(0);
    }
    let id = lock(&shared.faults).add(fault);
    shared.any_fault.store(true, Ordering::Relaxed);
    Ok(id)
}

/// Expires every token issued so far.
pub fn expire_tokens(shared: &Shared) {
    let now = shared.wsse_now();
    lock(&shared.auth).tokens.expire_all(now);
}

/// Channel of an app key (the demo channel when `None`).
pub fn channel_of(shared: &Shared, app_key: Option<&str>) -> Result<usize, String> {
    match app_key {
        None => Ok(0),
        Some(k) => shared.creds.get(k).map(|c| c.channel).ok_or_else(|| format!("unknown app key {k:?}")),
    }
}

/// A location update of a card to `mcc`; pending bundles that may start there start now.
pub fn set_location(shared: &Shared, iccid: &str, mcc: &str) -> Result<usize, String> {
    if mcc.is_empty() || !mcc.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("bad MCC {mcc:?}"));
    }
    let now = shared.clock.now();
    let mut w = lock(&shared.world);
    let card = w.card_by_iccid(iccid).ok_or_else(|| format!("no card {iccid}"))?;
    w.cards[card].locations.push((now, mcc.to_owned()));
    let n = w.run_activations(now, Some(card));
    shared.flush_events(&mut w);
    Ok(n)
}

/// A simulated eSIM device action (3.2.17 notifications).
pub fn esim(
    shared: &Shared,
    iccid: &str,
    action: EsimAction,
    eid: Option<&str>,
    device: Option<&str>,
) -> Result<Vec<Value>, String> {
    let now = shared.clock.now();
    let mut w = lock(&shared.world);
    let out = esim_action(&mut w, iccid, action, eid, device, now)?;
    shared.flush_events(&mut w);
    Ok(out)
}

/// Sets a channel's deposit.
pub fn set_deposit(shared: &Shared, channel: usize, cents: i64) -> DepositView {
    let mut w = lock(&shared.world);
    w.channels[channel].deposit = cents;
    deposit_view(&w, channel)
}

fn ok() -> Value {
    json!({"ok": true})
}

fn bad(status: u16, msg: impl Into<String>) -> Response<Full<Bytes>> {
    json_response(status, &json!({"error": msg.into()}), real_now())
}

fn reply(v: Value) -> Response<Full<Bytes>> {
    json_response(200, &v, real_now())
}

fn to_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// Serves one admin request.
pub async fn handle(shared: Arc<Shared>, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let method = req.method().clone();
    let path = req.uri().path().trim_end_matches('/').to_owned();
    let body = match Limited::new(req.into_body(), 1 << 20).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return bad(400, "body too large or unreadable"),
    };
    let body: Value = if body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => return bad(400, format!("body is not JSON: {e}")),
        }
    };
    let segs: Vec<&str> = path.trim_start_matches("/_sandbox").split('/').filter(|s| !s.is_empty()).collect();
    let s = |k: &str| body.get(k).and_then(Value::as_str);
    match (&method, segs.as_slice()) {
        (&Method::GET, ["health"]) => reply(ok()),
        (&Method::POST, ["reset"]) => {
            reset(&shared);
            reply(ok())
        }
        (&Method::GET, ["state"]) => reply(to_value(&snapshot(&shared))),
        (&Method::GET, ["stats"]) => reply(to_value(&stats(&shared))),
        (&Method::GET, ["clock"]) => {
            let now = shared.clock.now();
            let skew = lock(&shared.faults).standing_skew();
            reply(json!({
                "now": compact(now), "now_unix": now, "offset_seconds": shared.clock.offset(),
                "wsse_now": compact(real_now() + skew), "wsse_skew_seconds": skew,
            }))
        }
        (&Method::POST, ["clock", "advance"]) => match body.get("seconds").and_then(Value::as_i64) {
            Some(n) if n >= 0 => reply(to_value(&advance(&shared, n))),
            _ => bad(400, "expected {\"seconds\": N} with N >= 0"),
        },
        (&Method::GET, ["faults"]) => reply(to_value(&lock(&shared.faults).list())),
        (&Method::POST, ["faults"]) => {
            let list: Result<Vec<Fault>, _> = match &body {
                Value::Array(_) => serde_json::from_value(body.clone()),
                _ => serde_json::from_value(body.clone()).map(|f| vec![f]),
            };
            let list = match list {
                Ok(l) => l,
                Err(e) => return bad(400, format!("bad fault: {e}")),
            };
            let mut ids = Vec::new();
            for f in list {
                match add_fault(&shared, f) {
                    Ok(id) => ids.push(id),
                    Err(e) => return bad(400, e),
                }
            }
            reply(json!({ "ids": ids }))
        }
        (&Method::DELETE, ["faults"]) | (&Method::POST, ["faults", "clear"]) => {
            lock(&shared.faults).clear();
            shared.any_fault.store(false, Ordering::Relaxed);
            reply(ok())
        }
        (&Method::POST, ["tokens", "expire"]) => {
            expire_tokens(&shared);
            reply(ok())
        }
        (&Method::GET, ["callbacks"]) => {
            let mut out = serde_json::Map::new();
            for (key, c) in &shared.creds {
                if let Some(r) = shared.callbacks.registration(c.channel) {
                    out.insert(key.clone(), to_value(&r));
                }
            }
            reply(Value::Object(out))
        }
        (&Method::POST, ["callbacks"]) => {
            let Some(url) = s("url") else { return bad(400, "expected {\"url\": \"http://...\"}") };
            let ch = match channel_of(&shared, s("app_key")) {
                Ok(c) => c,
                Err(e) => return bad(400, e),
            };
            let reg = Registration { url: url.to_owned(), esim_url: s("esim_url").map(str::to_owned) };
            match shared.callbacks.register(ch, reg) {
                Ok(()) => reply(ok()),
                Err(e) => bad(400, e),
            }
        }
        (&Method::DELETE, ["callbacks"]) => match channel_of(&shared, s("app_key")) {
            Ok(ch) => {
                shared.callbacks.unregister(ch);
                reply(ok())
            }
            Err(e) => bad(400, e),
        },
        (&Method::GET, ["callbacks", "deliveries"]) => reply(to_value(&shared.callbacks.deliveries())),
        (&Method::POST, ["cards", iccid, "location"]) => {
            let Some(mcc) = s("mcc") else { return bad(400, "expected {\"mcc\": \"454\"}") };
            match set_location(&shared, iccid, mcc) {
                Ok(n) => reply(json!({ "activations": n })),
                Err(e) => bad(400, e),
            }
        }
        (&Method::POST, ["esim", iccid, action]) => {
            let Some(a) = EsimAction::parse(action) else {
                return bad(400, "action must be install, enable, disable, delete or fail");
            };
            match esim(&shared, iccid, a, s("eid"), s("device")) {
                Ok(n) => reply(json!({ "notifications": n })),
                Err(e) => bad(400, e),
            }
        }
        (&Method::POST, ["deposit"]) => {
            let Some(cents) = body.get("amount_cents").and_then(Value::as_i64) else {
                return bad(400, "expected {\"amount_cents\": N}");
            };
            match channel_of(&shared, s("app_key")) {
                Ok(ch) => reply(to_value(&set_deposit(&shared, ch, cents))),
                Err(e) => bad(400, e),
            }
        }
        (&Method::GET, ["policy"]) => reply(to_value(&shared.policy.view())),
        (&Method::POST, ["policy"]) => {
            let mut p = shared.policy.view();
            match body.get("revoke_on_reissue") {
                None => {}
                Some(Value::Bool(b)) => p.revoke_on_reissue = *b,
                Some(_) => return bad(400, "revoke_on_reissue must be true or false"),
            }
            match body.get("qps_limit") {
                None => {}
                Some(Value::Null) => p.qps_limit = None,
                Some(v) => match v.as_u64().and_then(|n| u32::try_from(n).ok()) {
                    Some(n) => p.qps_limit = (n > 0).then_some(n),
                    None => return bad(400, "qps_limit must be a whole number >= 0 or null"),
                },
            }
            shared.policy.set(p);
            reply(to_value(&p))
        }
        _ => bad(404, format!("no admin route {method} {path}")),
    }
}
