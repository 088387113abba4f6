//! The HTTP server: accepts loopback connections (HTTP/1.1, keep-alive), routes
//! `POST /aep/<path>` to the interfaces and `/_sandbox/...` to the admin API, and applies the
//! common rules in order: method (405), faults before processing, body size, WSSE (401),
//! JSON (400 + 1000007), token (1000005/1000008), the handler, faults after processing,
//! response shape.

use crate::auth::{Credentials, NonceCache, TokenError, Tokens, verify_headers};
use crate::callbacks::Callbacks;
use crate::clock::{SimClock, compact, http_date, real_now};
use crate::error::ApiError;
use crate::faults::{Action, FaultSet, Plan, ShapeVariant};
use crate::handlers::{self, Ctx};
use crate::ops::{self, DescKey, OPS, TokenRule, idx};
use crate::req::Req;
use crate::state::{ChannelId, Txn, World};
use crate::{admin, shapes};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, DATE, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{Map, Value, json};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// Largest accepted request body.
const MAX_BODY: usize = 1 << 20;

/// Settings fixed at start.
#[derive(Debug, Clone)]
pub struct Config {
    /// Token lifetime, seconds.
    pub token_ttl: i64,
    /// Accepted distance of `Created` from the WSSE clock, seconds.
    pub wsse_window: i64,
    /// Dataset seed.
    pub seed: u64,
    /// Demo channel credentials.
    pub demo_key: String,
    /// Demo channel secret.
    pub demo_secret: String,
    /// Other channel credentials.
    pub other_key: String,
    /// Other channel secret.
    pub other_secret: String,
    /// Demo channel deposit at start, cents.
    pub deposit_cents: i64,
}

impl Config {
    /// The start state of the world at business time `now`.
    pub fn build_world(&self, now: i64) -> World {
        let mut w = crate::dataset::build(
            now,
            self.seed,
            &self.demo_key,
            &self.demo_secret,
            &self.other_key,
            &self.other_secret,
        );
        w.channels[0].deposit = self.deposit_cents;
        w.channels[0].initial_deposit = self.deposit_cents;
        w
    }
}

/// Call counters.
#[derive(Debug, Default)]
pub struct Counters {
    /// Calls per operation (index of [`OPS`]).
    pub calls: [AtomicU64; 22],
    /// Tokens issued.
    pub token_issues: AtomicU64,
    /// Calls refused with `1000008` (token unknown, revoked or expired).
    pub token_rejections: AtomicU64,
    /// Calls refused with `9000004` by the QPS limit.
    pub qps_rejections: AtomicU64,
}

impl Counters {
    /// Zeroes every counter.
    pub fn reset(&self) {
        for c in &self.calls {
            c.store(0, Ordering::SeqCst);
        }
        self.token_issues.store(0, Ordering::SeqCst);
        self.token_rejections.store(0, Ordering::SeqCst);
        self.qps_rejections.store(0, Ordering::SeqCst);
    }
}

/// Token store and nonce cache.
#[derive(Debug)]
pub struct AuthState {
    /// Replay cache.
    pub nonces: NonceCache,
    /// Issued tokens.
    pub tokens: Tokens,
}

/// Everything the server and the handle share.
#[derive(Debug)]
pub struct Shared {
    /// Settings.
    pub cfg: Config,
    /// Business clock.
    pub clock: SimClock,
    /// App key -> channel credentials.
    pub creds: Credentials,
    /// Tokens and nonces.
    pub auth: Mutex<AuthState>,
    /// The simulated platform.
    pub world: Mutex<World>,
    /// Active faults.
    pub faults: Mutex<FaultSet>,
    /// Whether any fault is set (lets calls skip the fault lock).
    pub any_fault: std::sync::atomic::AtomicBool,
    /// Counters.
    pub counters: Counters,
    /// Fleet switches (revoke-on-reissue, QPS limit).
    pub policy: crate::qps::Policy,
    /// Calls of the last second per credential.
    pub qps: Mutex<crate::qps::QpsWindows>,
    /// Notification dispatcher.
    pub callbacks: Arc<Callbacks>,
    /// Shutdown signal.
    pub shutdown: watch::Sender<bool>,
}

/// Locks a mutex, recovering from a poisoned lock (a panicking handler must not take the
/// sandbox down).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Shared {
    /// The WSSE clock with the standing skew (admin views).
    pub fn wsse_now(&self) -> i64 {
        real_now() + lock(&self.faults).standing_skew()
    }

    /// Hands queued notifications to the dispatcher.
    pub fn flush_events(&self, world: &mut World) {
        let events = std::mem::take(&mut world.outbox);
        if !events.is_empty() {
            self.callbacks.dispatch(events);
        }
    }

    fn plan(&self, op: &str) -> Plan {
        if !self.any_fault.load(Ordering::Relaxed) {
            return Plan::default();
        }
        let mut f = lock(&self.faults);
        let plan = f.plan(op);
        self.any_fault.store(!f.is_empty(), Ordering::Relaxed);
        plan
    }
}

/// Closing the connection without an answer (the `drop` fault).
#[derive(Debug)]
pub struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}

impl std::error::Error for DropConnection {}

/// A response or a dropped connection.
pub type Answer = Result<Response<Full<Bytes>>, DropConnection>;

/// Serves connections until shutdown.
pub async fn run(listener: TcpListener, shared: Arc<Shared>) {
    let mut stop = shared.shutdown.subscribe();
    loop {
        let accepted = tokio::select! {
            r = listener.accept() => r,
            _ = stop.changed() => break,
        };
        let stream = match accepted {
            Ok((s, _)) => s,
            Err(e) => {
                tracing::warn!("accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        let mut stop = stop.clone();
        tokio::spawn(async move {
            let svc = hyper::service::service_fn(move |req| {
                let shared = shared.clone();
                async move { route(shared, req).await }
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .keep_alive(true)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), svc);
            tokio::select! {
                _ = conn => {}
                _ = stop.changed() => {}
            }
        });
    }
}

async fn route(shared: Arc<Shared>, req: Request<Incoming>) -> Answer {
    let path = req.uri().path();
    if path == "/_sandbox" || path.starts_with("/_sandbox/") {
        return Ok(admin::handle(shared, req).await);
    }
    let op = path.strip_prefix("/aep/").and_then(ops::by_path);
    match op {
        Some(op) => api(shared, op, req).await,
        None => {
            let p = path.to_owned();
            Ok(gateway(404, None, real_now(), &p))
        }
    }
}

/// A gateway-style error body (Spring Boot's shape), for statuses that carry no API code.
pub fn gateway(status: u16, retry_after: Option<u32>, now: i64, path: &str) -> Response<Full<Bytes>> {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = json!({
        "timestamp": cmi_core::wsse::created(now),
        "status": code.as_u16(),
        "error": code.canonical_reason().unwrap_or("Error"),
        "path": path,
    });
    let mut r = json_response(code.as_u16(), &body, now);
    if let Some(s) = retry_after {
        if let Ok(v) = HeaderValue::from_str(&s.to_string()) {
            r.headers_mut().insert("Retry-After", v);
        }
    }
    if status == 405 {
        r.headers_mut().insert("Allow", HeaderValue::from_static("POST"));
    }
    // A redirect fault looks like a moved gateway: somewhere else on this server, which has
    // nothing there (a client that followed it would get a 404 for a GET).
    if (300..400).contains(&status) {
        if let Ok(v) = HeaderValue::from_str(&format!("/moved{path}")) {
            r.headers_mut().insert("Location", v);
        }
    }
    r
}

/// A JSON response with the sandbox's `Date`.
pub fn json_response(status: u16, body: &Value, date: i64) -> Response<Full<Bytes>> {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut r = Response::new(Full::new(Bytes::from(bytes)));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json;charset=UTF-8"));
    if let Ok(v) = HeaderValue::from_str(&http_date(date)) {
        r.headers_mut().insert(DATE, v);
    }
    r
}

/// The description key of operation `op` under `plan`.
fn desc_key(op: usize, plan: &Plan) -> &'static str {
    if plan.has(ShapeVariant::DecsriptionKey) {
        DescKey::Decsription.key()
    } else if plan.has(ShapeVariant::MsgKey) {
        DescKey::Msg.key()
    } else if plan.has(ShapeVariant::DescriptionKey)
        || (op == idx::QUERY_ESIM_CARD_INFO && plan.has(ShapeVariant::EsimCardInfo))
    {
        DescKey::Description.key()
    } else {
        OPS[op].desc.key()
    }
}

fn error_response(op: usize, plan: &Plan, e: &ApiError, date: i64) -> Response<Full<Bytes>> {
    let mut m = Map::new();
    m.insert("code".into(), e.code.into());
    m.insert(desc_key(op, plan).into(), Value::String(e.description.to_string()));
    json_response(e.http, &Value::Object(m), date)
}

fn success_response(op: usize, plan: &Plan, mut payload: Map<String, Value>, date: i64) -> Response<Full<Bytes>> {
    if !plan.shapes.is_empty() {
        shapes::apply(op, plan, &mut payload);
    }
    let code = if plan.has(ShapeVariant::SuccessCodeShort) { "0" } else { "0000000" };
    payload.insert("code".into(), code.into());
    payload.insert(desc_key(op, plan).into(), "Success".into());
    json_response(200, &Value::Object(payload), date)
}

fn action_response(op: usize, plan: &Plan, action: &Action, date: i64, path: &str) -> Answer {
    match action {
        Action::Drop => Err(DropConnection),
        Action::Status(s, retry) => Ok(gateway(*s, *retry, date, path)),
        Action::Code(code, text) => {
            let meaning = cmi_core::codes::lookup(code).map(|c| c.meaning).unwrap_or("Error");
            let mut m = Map::new();
            m.insert("code".into(), code.clone().into());
            m.insert(desc_key(op, plan).into(), text.clone().unwrap_or_else(|| meaning.to_owned()).into());
            Ok(json_response(200, &Value::Object(m), date))
        }
    }
}

/// Marks a `transactionCode` done when the answer has left or the call was abandoned.
struct TxnGuard {
    shared: Arc<Shared>,
    key: Option<(ChannelId, String)>,
}

impl Drop for TxnGuard {
    fn drop(&mut self) {
        if let Some(k) = self.key.take() {
            lock(&self.shared.world).txns.insert(k, Txn::Done);
        }
    }
}

async fn api(shared: Arc<Shared>, op: usize, req: Request<Incoming>) -> Answer {
    let path = req.uri().path().to_owned();
    if req.method() != Method::POST {
        return Ok(gateway(405, None, real_now(), &path));
    }
    shared.counters.calls[op].fetch_add(1, Ordering::Relaxed);
    let plan = shared.plan(OPS[op].name);
    let now_wsse = real_now() + plan.skew;
    if plan.delay_before > 0 {
        tokio::time::sleep(Duration::from_millis(plan.delay_before)).await;
    }
    if let Some(a) = &plan.before {
        return action_response(op, &plan, a, now_wsse, &path);
    }

    let (parts, body) = req.into_parts();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return Ok(error_response(op, &plan, &ApiError::format("body").http(400), now_wsse)),
    };
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let window = shared.cfg.wsse_window;
    let (cred, username, nonce) =
        match verify_headers(&shared.creds, header("authorization"), header("x-wsse"), now_wsse, window) {
            Ok(v) => v,
            Err(e) => return Ok(error_response(op, &plan, &e, now_wsse)),
        };
    let channel = cred.channel;
    if !lock(&shared.qps).arrive(channel, std::time::Instant::now(), shared.policy.qps_limit()) {
        shared.counters.qps_rejections.fetch_add(1, Ordering::Relaxed);
        return Ok(error_response(op, &plan, &ApiError::code("9000004"), now_wsse));
    }
    if !lock(&shared.auth).nonces.check_and_insert(&username, &nonce, now_wsse, 2 * window) {
        let e = ApiError::with("1000003", "Nonce check failed: the nonce was already used").http(401);
        return Ok(error_response(op, &plan, &e, now_wsse));
    }
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v @ Value::Object(_)) => v,
        Ok(v @ Value::Array(_)) if op == idx::QUERY_SIM_INFO => v,
        _ => return Ok(error_response(op, &plan, &ApiError::format("body").http(400), now_wsse)),
    };
    let r = Req(&value);

    if op == idx::GET_ACCESS_TOKEN {
        let result = issue_token(&shared, r, &username, now_wsse);
        return Ok(match result {
            Ok(p) => success_response(op, &plan, p, now_wsse),
            Err(e) => error_response(op, &plan, &e, now_wsse),
        });
    }
    if let Err(e) = check_token(&shared, OPS[op].token, r, channel, now_wsse) {
        if e.code == "1000008" {
            shared.counters.token_rejections.fetch_add(1, Ordering::Relaxed);
        }
        return Ok(error_response(op, &plan, &e, now_wsse));
    }

    let ctx = Ctx { channel, now: shared.clock.now(), pages: plan.has(ShapeVariant::BeginIndexPages) };
    let result = {
        let mut w = lock(&shared.world);
        let r = handlers::handler(op)(&mut w, &ctx, r);
        shared.flush_events(&mut w);
        r
    };
    let (payload, guard) = match result {
        Ok(reply) => (Ok(reply.payload), TxnGuard { shared: shared.clone(), key: reply.txn }),
        Err(e) => (Err(e), TxnGuard { shared: shared.clone(), key: None }),
    };
    if plan.delay_after > 0 {
        tokio::time::sleep(Duration::from_millis(plan.delay_after)).await;
    }
    if let Some(a) = &plan.after {
        drop(guard);
        return action_response(op, &plan, a, now_wsse, &path);
    }
    drop(guard);
    Ok(match payload {
        Ok(p) => success_response(op, &plan, p, now_wsse),
        Err(e) => error_response(op, &plan, &e, now_wsse),
    })
}

/// 3.2.1: `{"id": appKey, "type": "106"}` (type as string or number). `id` must be a known
/// app key (1000006) and the WSSE Username (1000002).
fn issue_token(shared: &Shared, r: Req<'_>, username: &str, now: i64) -> Result<Map<String, Value>, ApiError> {
    let id = r.req_str("id")?;
    let kind = r.req_str("type")?;
    if kind != "106" {
        return Err(ApiError::format("type"));
    }
    let cred = shared.creds.get(id.as_ref()).ok_or_else(|| ApiError::code("1000006"))?;
    if id != username {
        return Err(ApiError::with("1000002", "UserName check failed: id differs from the X-WSSE Username"));
    }
    let (token, expires) = {
        let mut auth = lock(&shared.auth);
        if shared.policy.revoke_on_reissue() {
            auth.tokens.revoke_channel(cred.channel);
        }
        auth.tokens.issue(cred.channel, &cred.user_id, now, shared.cfg.token_ttl)
    };
    shared.counters.token_issues.fetch_add(1, Ordering::Relaxed);
    let mut m = Map::new();
    m.insert("accessToken".into(), token.into());
    m.insert("expireTime".into(), compact(expires).into());
    Ok(m)
}

fn check_token(shared: &Shared, rule: TokenRule, r: Req<'_>, channel: ChannelId, now: i64) -> Result<(), ApiError> {
    let token = match r.0.get("accessToken") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => return Err(ApiError::with("1000008", "accessToken check failed: not a string")),
    };
    let Some(token) = token else {
        return match rule {
            TokenRule::Required => Err(ApiError::missing("accessToken")),
            _ => Ok(()),
        };
    };
    match lock(&shared.auth).tokens.check(token, channel, now) {
        Ok(()) => Ok(()),
        Err(TokenError::Expired) => Err(ApiError::with("1000008", "accessToken check failed: the token has expired")),
        Err(TokenError::Invalid) => Err(ApiError::with("1000008", "accessToken check failed: unknown token")),
    }
}
