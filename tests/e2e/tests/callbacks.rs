//! Callbacks 3.2.15-3.2.17 end to end: the sandbox posts real HTTP/1.1 requests to a tiny
//! receiver written here on a bare `TcpListener`; the receiver hands the raw headers and body
//! to `cmi_core::callbacks::parse_notification`, answers with the notification's own
//! acknowledgement (refusing the first delivery to force a retry), and the tests check the
//! typed events, the WSSE signature and that the sandbox logs every delivery as acknowledged.

mod support;

use cmi_core::api::esim::EsimState;
use cmi_core::api::orders::CreateOrderRequest;
use cmi_core::api::usage::QueryQuotaRequest;
use cmi_core::callbacks::{
    ActivationAck, EsimExecutionStatus, EsimNotificationPoint, Notification, NotificationKind, ParsedNotification,
    UsageAck, parse_notification,
};
use cmi_core::units::DataUnit;
use cmi_core::{Secret, wsse};
use cmi_sandbox::{DeliveryState, EsimAction, OTHER_APP_SECRET};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const ESIM_PATH: &str = "/gsma/rsp2/es2plus/handleDownloadProgressInfo";

/// One request the receiver got.
#[derive(Debug)]
struct Received {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    parsed: ParsedNotification,
    /// Whether the receiver refused it (answered with the failure acknowledgement).
    refused: bool,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A minimal HTTP/1.1 server: one request per connection, `Content-Length` or chunked bodies.
struct Receiver {
    base: String,
    log: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    /// Starts on a free port; the first `refuse` deliveries get the failure acknowledgement.
    async fn start(refuse: usize) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let log = Arc::new(Mutex::new(Vec::new()));
        let refuse = Arc::new(AtomicUsize::new(refuse));
        let shared = log.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (log, refuse) = (shared.clone(), refuse.clone());
                tokio::spawn(async move {
                    if let Err(e) = serve(stream, log, refuse).await {
                        eprintln!("receiver: {e}");
                    }
                });
            }
        });
        Self { base, log }
    }

    fn take<T>(&self, f: impl FnOnce(&[Received]) -> T) -> T {
        f(&self.log.lock().unwrap())
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

async fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<()> {
    let mut chunk = [0u8; 4096];
    let n = stream.read(&mut chunk).await?;
    if n == 0 {
        return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "peer closed mid-request"));
    }
    buf.extend_from_slice(&chunk[..n]);
    Ok(())
}

/// Decodes a chunked body from `buf` (reading more as needed).
async fn dechunk(stream: &mut TcpStream, mut buf: Vec<u8>) -> std::io::Result<Vec<u8>> {
    let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_owned());
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            match find(&buf, b"\r\n") {
                Some(i) => break i,
                None => fill(stream, &mut buf).await?,
            }
        };
        let size_text = std::str::from_utf8(&buf[..line_end]).map_err(|_| bad("chunk size"))?;
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|_| bad("chunk size"))?;
        buf.drain(..line_end + 2);
        if size == 0 {
            return Ok(body);
        }
        while buf.len() < size + 2 {
            fill(stream, &mut buf).await?;
        }
        body.extend_from_slice(&buf[..size]);
        buf.drain(..size + 2);
    }
}

async fn serve(mut stream: TcpStream, log: Arc<Mutex<Vec<Received>>>, refuse: Arc<AtomicUsize>) -> std::io::Result<()> {
    let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_owned());
    let mut buf = Vec::new();
    let head_end = loop {
        match find(&buf, b"\r\n\r\n") {
            Some(i) => break i,
            None => fill(&mut stream, &mut buf).await?,
        }
    };
    let head = std::str::from_utf8(&buf[..head_end]).map_err(|_| bad("head is not UTF-8"))?.to_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let (method, path, version) = (request_line.next(), request_line.next(), request_line.next());
    let (Some(method), Some(path), Some("HTTP/1.1")) = (method, path, version) else {
        return Err(bad("not an HTTP/1.1 request line"));
    };
    let headers: Vec<(String, String)> = lines
        .map(|l| {
            l.split_once(':').map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned())).ok_or_else(|| bad("header"))
        })
        .collect::<Result<_, _>>()?;
    let get = |name: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
    let rest = buf[head_end + 4..].to_vec();
    let body = if get("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        dechunk(&mut stream, rest).await?
    } else {
        let len: usize = get("content-length").ok_or_else(|| bad("no length"))?.parse().map_err(|_| bad("length"))?;
        let mut body = rest;
        while body.len() < len {
            fill(&mut stream, &mut body).await?;
        }
        body.truncate(len);
        body
    };

    let (status, answer, parsed, refused) = match parse_notification(&headers, &body) {
        Ok(p) => {
            let refused = refuse.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok();
            let answer = if refused { p.failure_ack_body("handler failed, try again") } else { p.ack_body() };
            (200, answer, Some(p), refused)
        }
        Err(e) => (400, format!(r#"{{"code":"1","description":"{}"}}"#, e.kind().as_str()).into_bytes(), None, true),
    };
    let reply = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        if status == 200 { "OK" } else { "Bad Request" },
        answer.len()
    );
    stream.write_all(reply.as_bytes()).await?;
    stream.write_all(&answer).await?;
    stream.shutdown().await?;
    if let Some(parsed) = parsed {
        log.lock().unwrap().push(Received {
            method: method.to_owned(),
            path: path.to_owned(),
            headers: headers.clone(),
            body,
            parsed,
            refused,
        });
    }
    Ok(())
}

/// Waits until every delivery the sandbox logged is acknowledged.
async fn all_delivered(sb: &SandboxHandle, at_least: usize) {
    let ok = eventually(Duration::from_secs(10), || {
        let d = sb.deliveries();
        d.len() >= at_least && d.iter().all(|x| x.state == DeliveryState::Delivered)
    })
    .await;
    assert!(ok, "deliveries: {:#?}", sb.deliveries());
}

#[tokio::test]
async fn activation_usage_and_esim_status_round_trip() {
    let sb = sandbox().await;
    let rx = Receiver::start(1).await;
    sb.register_callback_url(&format!("{}/cmi/notify", rx.base)).unwrap();
    let c = client(&sb);
    let card = demo::ICCID_STOCK[0];

    // 3.2.15: an order, then the card's location update starts it.
    let order =
        c.create_order(&CreateOrderRequest::bundle("cb-1", card, demo::BUNDLE_HK_MO_5GB, 1)).await.unwrap().order_id;
    assert_eq!(sb.set_location(card, "454").unwrap(), 1);
    let activated_at = sb.now();
    // 3.2.16: six hours of use on every active bundle of the channel.
    let report = sb.advance_clock(Duration::from_secs(6 * 3600));
    assert!(report.usage_reports >= 3, "{report:?}");
    // 3.2.17: the user installs the profile: download, install, enable.
    assert_eq!(sb.esim_action(card, EsimAction::Install).unwrap().len(), 3);

    let expected = 1 + report.usage_reports + 3;
    all_delivered(&sb, expected).await;
    let deliveries = sb.deliveries();
    assert_eq!(deliveries.len(), expected);

    // The refused delivery was retried and acknowledged the second time.
    let retried: Vec<_> = deliveries.iter().filter(|d| d.attempts > 1).collect();
    assert_eq!(retried.len(), 1, "{deliveries:#?}");
    assert_eq!(retried[0].attempts, 2);
    rx.take(|got| {
        assert_eq!(got.len(), expected + 1, "one delivery came twice");
        let refused: Vec<_> = got.iter().filter(|r| r.refused).collect();
        assert_eq!(refused.len(), 1);
        let again: Vec<_> = got.iter().filter(|r| r.parsed.dedupe_key() == refused[0].parsed.dedupe_key()).collect();
        assert_eq!(again.len(), 2, "a redelivery has the same dedupe key");
        assert_eq!(again[0].body, again[1].body);
    });

    rx.take(|got| {
        // Every request is a JSON POST signed with the channel's own credentials.
        for r in got {
            assert_eq!(r.method, "POST");
            assert_eq!(r.header("content-type"), Some("application/json;charset=UTF-8"));
            assert!(r.header("user-agent").is_some_and(|u| u.starts_with("Apache-HttpClient/")));
            wsse::check_authorization(r.header("authorization").expect("Authorization")).unwrap();
            let token = wsse::parse_x_wsse(r.header("x-wsse").expect("X-WSSE")).unwrap();
            assert_eq!(token.username, DEMO_APP_KEY);
            assert!(token.digest_matches(&Secret::new(DEMO_APP_SECRET)));
            assert!(!token.digest_matches(&Secret::new(OTHER_APP_SECRET)));
            let created = token.created_unix().expect("Created in the documented form");
            let real_now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
            assert!((real_now as i64 - created).abs() < 60, "signed over real time");
        }
        let nonces: std::collections::HashSet<_> = got
            .iter()
            .map(|r| wsse::parse_x_wsse(r.header("x-wsse").unwrap()).unwrap().nonce.expose().to_owned())
            .collect();
        assert_eq!(nonces.len(), got.len(), "a fresh nonce per delivery");

        // 3.2.15
        let acts: Vec<_> = got.iter().filter(|r| r.parsed.kind() == NotificationKind::Activation).collect();
        assert!(!acts.is_empty());
        let Notification::Activation(a) = acts[0].parsed.notification() else { unreachable!() };
        assert_eq!(acts[0].path, "/cmi/notify");
        assert_eq!(a.iccid, card);
        assert_eq!(a.order_id, order);
        assert_eq!(a.data_bundle_id, demo::BUNDLE_HK_MO_5GB);
        assert_eq!(a.third_order_id.as_deref(), Some("cb-1"));
        assert_eq!(a.mcc.as_deref(), Some("454"));
        let (start, end) = (a.active_time.unwrap().unix_seconds(), a.end_time.unwrap().unix_seconds());
        assert!((start - activated_at).abs() <= 5);
        assert_eq!(end - start, 7 * 86_400);
        assert_eq!(acts[0].parsed.ack_body(), ActivationAck::success().to_vec());
        assert_eq!(acts[0].parsed.dedupe_key(), a.dedupe_key());
        assert!(a.dedupe_key().starts_with(&format!("activation:{order}:{card}:")));

        // 3.2.16, in bytes, for each card that used data; ours carries its order ids.
        let usage: Vec<_> = got
            .iter()
            .filter(|r| !r.refused)
            .filter_map(|r| match r.parsed.notification() {
                Notification::Usage(u) => Some(u),
                _ => None,
            })
            .collect();
        assert_eq!(usage.len(), report.usage_reports);
        let mine: Vec<_> = usage.iter().filter(|u| u.card() == Some(card)).collect();
        assert_eq!(mine.len(), 1);
        let u = mine[0];
        let volume = u.consumption.expect("qtavalue");
        assert_eq!(volume.unit, DataUnit::Bytes);
        assert!(volume.as_bytes() > 1_048_576.0, "six hours of use: {volume:?}");
        assert_eq!(volume.as_bytes().fract(), 0.0);
        assert_eq!(u.order_id.as_deref(), Some(order.as_str()));
        assert_eq!(u.child_order_id.as_deref(), Some(format!("{order}001").as_str()));
        assert!((u.timestamp.unwrap().unix_seconds() - (activated_at + 6 * 3600)).abs() <= 5, "at the advanced time");
        let raw = deliveries.iter().find(|d| d.kind == "usage" && d.body["iccid"] == card).unwrap();
        assert_eq!(raw.body["qtavalue"].as_str().unwrap().parse::<f64>().unwrap(), volume.as_bytes());
        let ack =
            got.iter().find(|r| matches!(r.parsed.notification(), Notification::Usage(x) if x.card() == Some(card)));
        assert_eq!(ack.unwrap().parsed.ack_body(), UsageAck::success().to_vec());

        // 3.2.17 under the ES2+ path: download, install, enable.
        let esim: Vec<_> = got
            .iter()
            .filter(|r| !r.refused)
            .filter_map(|r| match r.parsed.notification() {
                Notification::EsimStatus(n) => Some((r, n)),
                _ => None,
            })
            .collect();
        assert_eq!(esim.len(), 3);
        let mut points: Vec<_> = esim.iter().map(|(_, n)| n.notification_point_id.clone().unwrap()).collect();
        points.sort_by_key(|p| p.as_wire().parse::<u32>().unwrap());
        assert_eq!(
            points,
            [
                EsimNotificationPoint::BppDownload,
                EsimNotificationPoint::BppInstallation,
                EsimNotificationPoint::Enabled
            ]
        );
        for (r, n) in &esim {
            assert_eq!(r.path, format!("/cmi/notify{ESIM_PATH}"));
            assert_eq!(n.iccid, card);
            assert_eq!(n.status(), Some(&EsimExecutionStatus::ExecutedSuccess));
            assert!(n.succeeded());
            assert!(n.eid.as_deref().is_some_and(|e| e.len() == 32));
            assert_eq!(n.header.as_ref().unwrap().function_call_identifier, "handleDownloadProgressInfo");
            assert!(n.time_stamp.is_some());
            let ack: serde_json::Value = serde_json::from_slice(&r.parsed.ack_body()).unwrap();
            assert_eq!(ack["header"]["functionExecutionStatus"]["status"], "Executed-Success");
            assert_eq!(ack["iccid"], card);
        }
        let enabled = esim.iter().find(|(_, n)| n.notification_point_id == Some(EsimNotificationPoint::Enabled));
        assert_eq!(enabled.unwrap().1.profile_state(), Some(EsimState::Enabled));
    });

    // What the callbacks said agrees with what the API says.
    let quota = c.query_quota(&QueryQuotaRequest::by_iccid(card)).await.unwrap();
    let used_bytes = quota.current().unwrap().used_total_mb().unwrap() * 1_048_576.0;
    let notified = rx.take(|got| {
        got.iter()
            .filter(|r| !r.refused)
            .filter_map(|r| match r.parsed.notification() {
                Notification::Usage(u) if u.card() == Some(card) => u.consumption.map(|v| v.as_bytes()),
                _ => None,
            })
            .sum::<f64>()
    });
    assert!((used_bytes - notified).abs() <= 0.01 * 1_048_576.0, "{used_bytes} vs {notified}");
}

#[tokio::test]
async fn esim_status_to_its_own_url_and_failed_steps() {
    let sb = sandbox().await;
    let (main, esim) = (Receiver::start(0).await, Receiver::start(0).await);
    sb.register_callback_urls(&format!("{}/cmi", main.base), &format!("{}/es2{ESIM_PATH}", esim.base)).unwrap();
    let card = demo::ICCID_STOCK[4];
    sb.esim_action(card, EsimAction::Fail).unwrap();
    sb.esim_action(card, EsimAction::Install).unwrap();
    sb.esim_action(card, EsimAction::Disable).unwrap();
    sb.esim_action(card, EsimAction::Delete).unwrap();
    all_delivered(&sb, 6).await;

    assert!(main.take(|g| g.is_empty()), "eSIM status goes to its own URL");
    esim.take(|got| {
        assert_eq!(got.len(), 6);
        assert!(got.iter().all(|r| r.path == format!("/es2{ESIM_PATH}")), "the path is not doubled");
        let by_point = |p: EsimNotificationPoint| {
            got.iter()
                .filter_map(|r| match r.parsed.notification() {
                    Notification::EsimStatus(n) if n.notification_point_id == Some(p.clone()) => Some(n.clone()),
                    _ => None,
                })
                .next()
                .unwrap_or_else(|| panic!("no notification for {p:?}"))
        };
        let failed = by_point(EsimNotificationPoint::ConfirmationFailure);
        assert_eq!(failed.status(), Some(&EsimExecutionStatus::Failed));
        assert!(!failed.succeeded() && failed.profile_state().is_none());
        assert_eq!(by_point(EsimNotificationPoint::Disabled).profile_state(), Some(EsimState::Disabled));
        assert_eq!(by_point(EsimNotificationPoint::Deleted).profile_state(), Some(EsimState::Deleted));
        // Acknowledged even when the step failed: the notification itself was received.
        let keys: std::collections::HashSet<_> = got.iter().map(|r| r.parsed.dedupe_key()).collect();
        assert_eq!(keys.len(), 6, "six distinct events");
    });
}

#[tokio::test]
async fn a_receiver_that_keeps_failing_exhausts_the_retries() {
    let sb = builder().callback_retry(3, Duration::from_millis(20)).start().await.unwrap();
    let rx = Receiver::start(usize::MAX).await;
    sb.register_callback_url(&format!("{}/n", rx.base)).unwrap();
    sb.set_location(demo::ICCID_STOCK[0], "454").unwrap(); // no bundle: nothing to notify
    let c = client(&sb);
    c.create_order(&CreateOrderRequest::bundle("cb-f", demo::ICCID_STOCK[0], demo::BUNDLE_HK_MO_5GB, 1)).await.unwrap();
    sb.set_location(demo::ICCID_STOCK[0], "454").unwrap();
    let done = eventually(Duration::from_secs(5), || {
        sb.deliveries().iter().any(|d| d.kind == "activation" && d.state == DeliveryState::Failed)
    })
    .await;
    assert!(done, "{:#?}", sb.deliveries());
    let d = sb.deliveries().into_iter().find(|d| d.kind == "activation").unwrap();
    assert_eq!((d.attempts, d.last_status), (3, Some(200)));
    assert!(d.last_error.unwrap().contains("not acknowledged"));
    assert_eq!(rx.take(|g| g.len()), 3);
    assert!(rx.take(|g| g.iter().all(|r| r.refused)));
}
