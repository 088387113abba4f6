//! Answering a callback: acknowledge only after the handler succeeded (sdk-rules 20).

use super::dedupe::{Claim, ClaimGuard};
use super::{CallbackReceiver, ParsedNotification};
use crate::error::{Error, ErrorKind};
use std::convert::Infallible;
use std::future::Future;
use std::net::IpAddr;

/// `Content-Type` of acknowledgements, as CMI itself sends JSON.
pub const JSON_CONTENT_TYPE: &str = "application/json;charset=UTF-8";

/// `Content-Type` of the short refusal bodies.
pub const TEXT_CONTENT_TYPE: &str = "text/plain; charset=utf-8";

/// The text of a failure acknowledgement. CMI receives it, so it says nothing about the cause.
const NOT_PROCESSED: &str = "not processed";

/// The HTTP answer to send for one callback request, and what happened.
///
/// Write `status`, a `Content-Type: content_type` header and `body` as they are; log
/// `outcome`. Built by [`CallbackReceiver::handle`], or by [`Reply::ack`],
/// [`Reply::handler_failed`] and [`Reply::rejected`] when the handler runs elsewhere.
///
/// ```
/// use cmi_core::callbacks::{Outcome, Reply, parse_notification};
/// let event = parse_notification(&[], br#"{"iccid":"1","qtavalue":"1","timestamp":"20240109175959"}"#)?;
/// let reply = Reply::handler_failed(&event, "database down");
/// assert_eq!(reply.status, 500);
/// assert_eq!(reply.body, br#"{"code":"1","description":"not processed"}"#);
/// assert!(matches!(reply.outcome, Outcome::HandlerFailed("database down")));
/// # Ok::<(), cmi_core::Error>(())
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct Reply<E = Infallible> {
    /// HTTP status: 200 acknowledged, 500 handler failed, 503 being handled by another
    /// request, 401/403/413/400 rejected.
    pub status: u16,
    /// `Content-Type` of `body`: [`JSON_CONTENT_TYPE`] or [`TEXT_CONTENT_TYPE`].
    pub content_type: &'static str,
    /// The body: the exact acknowledgement of the notification's type, or a short refusal.
    pub body: Vec<u8>,
    /// What happened, for the receiver's own logs; never sent.
    pub outcome: Outcome<E>,
}

/// What a [`Reply`] answers.
#[derive(Debug)]
#[non_exhaustive]
pub enum Outcome<E> {
    /// The handler ran and succeeded: success acknowledgement.
    Handled,
    /// The event was already handled (same [`dedupe_key`](ParsedNotification::dedupe_key));
    /// the handler did not run: success acknowledgement.
    Duplicate,
    /// Another request is handling the same event right now; the handler did not run: failure
    /// acknowledgement with 503, asking CMI to deliver it again later.
    InProgress,
    /// The handler failed with this error: failure acknowledgement with 500, asking CMI to
    /// deliver it again (CMI's retry policy is not documented; the sandbox retries both a
    /// non-200 status and a non-zero code).
    HandlerFailed(E),
    /// Verification or reading failed; the handler did not run. The error names the check.
    Rejected(Error),
}

impl<E> Reply<E> {
    fn json(status: u16, body: Vec<u8>, outcome: Outcome<E>) -> Self {
        Self { status, content_type: JSON_CONTENT_TYPE, body, outcome }
    }

    /// 200 with the success acknowledgement of `event`'s type ([`Outcome::Handled`]).
    pub fn ack(event: &ParsedNotification) -> Self {
        Self::json(200, event.ack_body(), Outcome::Handled)
    }

    /// 500 with the failure acknowledgement of `event`'s type ([`Outcome::HandlerFailed`]).
    /// `error` stays in the outcome: the body says only "not processed".
    pub fn handler_failed(event: &ParsedNotification, error: E) -> Self {
        Self::json(500, event.failure_ack_body(NOT_PROCESSED), Outcome::HandlerFailed(error))
    }

    /// The reply to a request [`CallbackReceiver::verify_and_parse`] rejected, with a
    /// short body and no detail: 401 `unauthorized` for [`Error::Auth`] (WSSE), 403
    /// `forbidden` for [`Error::Refused`] (allow-list, shared secret), 413 `payload too large`
    /// for an oversized body, 400 `bad request` otherwise.
    pub fn rejected(error: Error) -> Self {
        let (status, text) = match error.kind() {
            ErrorKind::Auth => (401, "unauthorized"),
            ErrorKind::Refused => (403, "forbidden"),
            ErrorKind::Validation if error.field() == Some("(body)") => (413, "payload too large"),
            _ => (400, "bad request"),
        };
        Self {
            status,
            content_type: TEXT_CONTENT_TYPE,
            body: text.as_bytes().to_vec(),
            outcome: Outcome::Rejected(error),
        }
    }
}

impl CallbackReceiver {
    /// Verifies and reads a request, runs `handler` on the event, and returns the reply to
    /// send: the success acknowledgement only if `handler` returned `Ok`, the failure
    /// acknowledgement (HTTP 500) if it returned `Err`, and a short 401/403/413/400 refusal
    /// if verification failed (see [`Reply`] and [`Outcome`]).
    ///
    /// With [`VerifyOptions::dedupe`](super::VerifyOptions::dedupe), a redelivery of an event
    /// whose handler already succeeded is acknowledged without running `handler` again; a
    /// delivery arriving while the same event is being handled gets a 503 failure
    /// acknowledgement. A failed (or panicking) handler leaves the event unrecorded, so the
    /// next delivery runs it again.
    ///
    /// ```
    /// use cmi_core::callbacks::{CallbackReceiver, Outcome, VerifyOptions};
    /// let receiver = CallbackReceiver::new(VerifyOptions::new().dedupe(1_000))?;
    /// let body = br#"{"iccid":"89852342022006915895","qtavalue":"1","timestamp":"20240109175959"}"#;
    ///
    /// let failed = receiver.handle(None, &[], body, |_| Err("database down"));
    /// assert_eq!(failed.status, 500);
    /// assert!(matches!(failed.outcome, Outcome::HandlerFailed("database down")));
    ///
    /// let retried = receiver.handle(None, &[], body, |_| Ok::<(), &str>(()));
    /// assert_eq!(retried.status, 200);
    /// assert_eq!(retried.body, br#"{"code":"0","description":"Success"}"#);
    ///
    /// let redelivered = receiver.handle(None, &[], body, |_| -> Result<(), &str> { unreachable!() });
    /// assert!(matches!(redelivered.outcome, Outcome::Duplicate));
    /// # Ok::<(), cmi_core::Error>(())
    /// ```
    pub fn handle<E>(
        &self,
        peer: Option<IpAddr>,
        headers: &[(String, String)],
        body: &[u8],
        handler: impl FnOnce(&ParsedNotification) -> Result<(), E>,
    ) -> Reply<E> {
        match self.start(peer, headers, body) {
            Start::Answer(reply) => reply,
            Start::Run(event, claim) => {
                let result = handler(&event);
                finish(&event, claim, result)
            }
        }
    }

    /// [`handle`](Self::handle) with an async handler, on whatever runtime the caller uses.
    /// The handler gets the event by value. If the returned future is dropped before it
    /// finishes (the client went away), the event is left unrecorded, as for a failure.
    ///
    /// ```
    /// use cmi_core::callbacks::{CallbackReceiver, VerifyOptions};
    /// # let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    /// # rt.block_on(async {
    /// let receiver = CallbackReceiver::new(VerifyOptions::new())?;
    /// let body = br#"{"iccid":"89852342022006915895","qtavalue":"1","timestamp":"20240109175959"}"#;
    /// let reply = receiver
    ///     .handle_async(None, &[], body, |event| async move {
    ///         // e.g. write `event` to a database
    ///         Ok::<(), std::io::Error>(())
    ///     })
    ///     .await;
    /// assert_eq!(reply.status, 200);
    /// # Ok::<(), cmi_core::Error>(())
    /// # }).unwrap();
    /// ```
    pub async fn handle_async<E, F, Fut>(
        &self,
        peer: Option<IpAddr>,
        headers: &[(String, String)],
        body: &[u8],
        handler: F,
    ) -> Reply<E>
    where
        F: FnOnce(ParsedNotification) -> Fut,
        Fut: Future<Output = Result<(), E>>,
    {
        match self.start(peer, headers, body) {
            Start::Answer(reply) => reply,
            Start::Run(event, claim) => {
                let result = handler(event.clone()).await;
                finish(&event, claim, result)
            }
        }
    }

    /// Verification and the dedupe lookup: run the handler, or answer at once.
    fn start<E>(&self, peer: Option<IpAddr>, headers: &[(String, String)], body: &[u8]) -> Start<'_, E> {
        let event = match self.verify_and_parse(peer, headers, body) {
            Ok(event) => event,
            Err(e) => return Start::Answer(Reply::rejected(e)),
        };
        let Some(dedupe) = &self.dedupe else { return Start::Run(event, None) };
        match dedupe.claim(&event.dedupe_key()) {
            Claim::Fresh(guard) => Start::Run(event, Some(guard)),
            Claim::Handled => Start::Answer(Reply::json(200, event.ack_body(), Outcome::Duplicate)),
            Claim::InFlight => {
                Start::Answer(Reply::json(503, event.failure_ack_body(NOT_PROCESSED), Outcome::InProgress))
            }
        }
    }
}

/// What [`CallbackReceiver::start`] decided.
enum Start<'a, E> {
    /// Run the handler on the event; complete the claim (when deduping) if it succeeds.
    Run(ParsedNotification, Option<ClaimGuard<'a>>),
    /// Send this reply without running the handler.
    Answer(Reply<E>),
}

/// The reply once the handler returned; records the event as handled only on success.
fn finish<E>(event: &ParsedNotification, claim: Option<ClaimGuard<'_>>, result: Result<(), E>) -> Reply<E> {
    match result {
        Ok(()) => {
            if let Some(claim) = claim {
                claim.complete();
            }
            Reply::ack(event)
        }
        Err(e) => Reply::handler_failed(event, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::callbacks::VerifyOptions;
    use crate::clock::ManualClock;
    use crate::secret::Secret;
    use crate::wsse;
    use std::cell::Cell;
    use std::sync::Arc;
    use std::task::{Context, Waker};

    const USAGE: &[u8] = br#"{"iccid":"89852342022006915895","qtavalue":"101804370","timestamp":"20240109175959"}"#;
    const ACTIVATION: &[u8] = br#"{"iccid":"89852342022006915895","packageId":"P1","activeTime":"20220708082647","endTime":"20220711082647","orderId":"212454265645"}"#;
    const ESIM: &[u8] = br#"{"header":{"functionRequesterIdentifier":"x","functionCallIdentifier":"handleDownloadProgressInfo"},"iccid":"89852342022019785558","profileType":"p","timeStamp":"1709712641","notificationPointId":"102","notificationPointStatus":{"status":"Executed-Success"}}"#;

    fn plain() -> CallbackReceiver {
        CallbackReceiver::new(VerifyOptions::new()).unwrap()
    }

    fn deduping() -> CallbackReceiver {
        CallbackReceiver::new(VerifyOptions::new().dedupe(100)).unwrap()
    }

    fn ok(_: &ParsedNotification) -> Result<(), &'static str> {
        Ok(())
    }

    #[test]
    fn success_ack_only_after_the_handler_succeeded() {
        let r = plain();
        for (body, ack) in [
            (USAGE, &br#"{"code":"0","description":"Success"}"#[..]),
            (ACTIVATION, br#"{"code":"0","msg":"Success","description":"Success"}"#),
            (ESIM, br#"{"header":{"functionExecutionStatus":{"status":"Executed-Success","statusCodeData":{"subjectCode":"0","reasonCode":"0","message":"success"}},"iccid":"89852342022019785558"},"iccid":"89852342022019785558"}"#),
        ] {
            let ran = Cell::new(false);
            let reply = r.handle(None, &[], body, |_| {
                ran.set(true);
                Ok::<(), ()>(())
            });
            assert!(ran.get());
            assert_eq!((reply.status, reply.content_type), (200, JSON_CONTENT_TYPE));
            assert_eq!(reply.body, ack);
            assert!(matches!(reply.outcome, Outcome::Handled));
        }
    }

    #[test]
    fn handler_failure_gets_the_failure_ack() {
        let r = plain();
        for (body, code_path) in
            [(USAGE, "/code"), (ACTIVATION, "/code"), (ESIM, "/header/functionExecutionStatus/status")]
        {
            let reply = r.handle(None, &[], body, |_| Err("db down: password=hunter2"));
            assert_eq!((reply.status, reply.content_type), (500, JSON_CONTENT_TYPE));
            let v: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
            let status = v.pointer(code_path).and_then(|s| s.as_str()).unwrap();
            assert!(status == "1" || status == "Failed", "{v}");
            assert!(!String::from_utf8_lossy(&reply.body).contains("hunter2"), "the handler's error stays local");
            assert!(matches!(reply.outcome, Outcome::HandlerFailed("db down: password=hunter2")));
        }
    }

    #[test]
    fn refusals_get_short_bodies_and_skip_the_handler() {
        let secret = Secret::new("app-secret");
        let r = CallbackReceiver::new(
            VerifyOptions::new()
                .allow_ips(["10.0.0.0/8"])
                .wsse("key", secret.clone())
                .replay_protection(Arc::new(ManualClock::new(1_704_067_200_000)))
                .max_body_bytes(200),
        )
        .unwrap();
        let s = wsse::sign("key", &secret, "N1", "2024-01-01T00:00:00Z");
        let good = [
            ("Authorization".to_owned(), s.authorization.to_owned()),
            ("X-WSSE".to_owned(), s.x_wsse.expose().to_owned()),
        ];
        let inside = Some("10.0.0.1".parse().unwrap());
        let outside = Some("192.0.2.1".parse().unwrap());
        let big = [b' '; 201];
        for (peer, headers, body, status, text) in [
            (outside, &good[..], USAGE, 403, "forbidden"),
            (inside, &good[..1], USAGE, 401, "unauthorized"),
            (inside, &good[..], &big[..], 413, "payload too large"),
            (inside, &good[..], b"{", 401, "unauthorized"), // N1 was used by the 413 request
        ] {
            let reply = r.handle(peer, headers, body, |_| -> Result<(), ()> { panic!("handler must not run") });
            assert_eq!((reply.status, reply.content_type), (status, TEXT_CONTENT_TYPE));
            assert_eq!(reply.body, text.as_bytes());
            assert!(matches!(reply.outcome, Outcome::Rejected(_)));
        }
        let s = wsse::sign("key", &secret, "N2", "2024-01-01T00:00:00Z");
        let fresh = vec![good[0].clone(), ("X-WSSE".to_owned(), s.x_wsse.expose().to_owned())];
        let reply = r.handle(inside, &fresh, b"{", ok);
        assert_eq!((reply.status, reply.body.as_slice()), (400, &b"bad request"[..]));
        let Outcome::Rejected(e) = reply.outcome else { panic!("rejected") };
        assert_eq!(e.kind(), ErrorKind::Decode);
    }

    #[test]
    fn a_redelivery_of_a_handled_event_is_acked_without_the_handler() {
        let r = deduping();
        let runs = Cell::new(0);
        let count = |_: &ParsedNotification| {
            runs.set(runs.get() + 1);
            Ok::<(), ()>(())
        };
        assert!(matches!(r.handle(None, &[], USAGE, count).outcome, Outcome::Handled));
        // Same event, other key order and spacing: same dedupe key.
        let again = br#"{ "timestamp":"20240109175959", "qtavalue":"101804370", "iccid":"89852342022006915895" }"#;
        let reply = r.handle(None, &[], again, count);
        assert!(matches!(reply.outcome, Outcome::Duplicate));
        assert_eq!((reply.status, reply.body.as_slice()), (200, &br#"{"code":"0","description":"Success"}"#[..]));
        assert_eq!(runs.get(), 1);
        assert!(matches!(r.handle(None, &[], ACTIVATION, count).outcome, Outcome::Handled));
        assert_eq!(runs.get(), 2);
    }

    #[test]
    fn without_dedupe_every_delivery_runs_the_handler() {
        let r = plain();
        let runs = Cell::new(0);
        for _ in 0..2 {
            r.handle(None, &[], USAGE, |_| {
                runs.set(runs.get() + 1);
                Ok::<(), ()>(())
            });
        }
        assert_eq!(runs.get(), 2);
    }

    #[test]
    fn a_failed_handler_is_run_again_on_redelivery() {
        let r = deduping();
        assert_eq!(r.handle(None, &[], USAGE, |_| Err(())).status, 500);
        assert!(matches!(r.handle(None, &[], USAGE, ok).outcome, Outcome::Handled));
        assert!(matches!(r.handle(None, &[], USAGE, ok).outcome, Outcome::Duplicate));
    }

    #[test]
    fn a_delivery_during_handling_gets_a_retryable_failure() {
        let r = deduping();
        let reply = r.handle(None, &[], USAGE, |_| {
            let inner = r.handle(None, &[], USAGE, |_| -> Result<(), &str> { panic!("must not run twice") });
            assert_eq!(inner.status, 503);
            assert!(matches!(inner.outcome, Outcome::InProgress));
            assert_eq!(inner.body, br#"{"code":"1","description":"not processed"}"#);
            Ok::<(), &str>(())
        });
        assert!(matches!(reply.outcome, Outcome::Handled));
    }

    #[test]
    fn a_panicking_handler_leaves_the_event_unhandled() {
        let r = deduping();
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            r.handle(None, &[], USAGE, |_| -> Result<(), ()> { panic!("handler bug") })
        }));
        assert!(panicked.is_err());
        assert!(matches!(r.handle(None, &[], USAGE, ok).outcome, Outcome::Handled));
    }

    #[tokio::test]
    async fn async_handler_acks_after_success() {
        let r = deduping();
        let reply = r.handle_async(None, &[], USAGE, |_| async { Err::<(), _>("later") }).await;
        assert_eq!(reply.status, 500);
        let reply = r
            .handle_async(None, &[], USAGE, |event| async move {
                assert_eq!(event.kind(), crate::callbacks::NotificationKind::Usage);
                Ok::<(), &str>(())
            })
            .await;
        assert!(matches!(reply.outcome, Outcome::Handled));
        let reply = r.handle_async(None, &[], USAGE, |_| async { unreachable!() as Result<(), &str> }).await;
        assert!(matches!(reply.outcome, Outcome::Duplicate));
    }

    #[test]
    fn a_dropped_async_handler_leaves_the_event_unhandled() {
        let r = deduping();
        {
            let fut = r.handle_async(None, &[], USAGE, |_| std::future::pending::<Result<(), ()>>());
            let mut fut = std::pin::pin!(fut);
            assert!(fut.as_mut().poll(&mut Context::from_waker(Waker::noop())).is_pending());
            let inner = r.handle(None, &[], USAGE, ok);
            assert!(matches!(inner.outcome, Outcome::InProgress));
        } // dropped: the client went away
        assert!(matches!(r.handle(None, &[], USAGE, ok).outcome, Outcome::Handled));
    }

    #[test]
    fn async_handling_is_send_when_the_handler_is() {
        fn send<T: Send>(_: T) {}
        let r = deduping();
        send(r.handle_async(None, &[], USAGE, |_| async { Ok::<(), String>(()) }));
    }
}
