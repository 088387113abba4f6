//! Receiving CMI's callbacks (3.2.15 activation, 3.2.16 usage, 3.2.17 eSIM status): verify,
//! parse, run your handler, and acknowledge only when it succeeded. Plug [`on_request`] into
//! whatever HTTP server you run; it needs the peer address, the headers and the raw body.

use cmi_core::callbacks::{CallbackReceiver, Notification, Reply, VerifyOptions};
use cmi_core::{Secret, SystemClock};
use std::net::IpAddr;

/// A receiver that accepts only requests signed with your channel's credentials.
pub fn receiver(app_key: &str, app_secret: Secret) -> Result<CallbackReceiver, cmi_core::Error> {
    // snippet-start: receiver
    let options = VerifyOptions::new()
        .wsse(app_key, app_secret) // CMI signs callbacks with your own app key and secret
        .replay_protection(SystemClock) // Created within 10 minutes, each nonce once
        .dedupe(10_000); // a redelivered event that was handled is acknowledged, not re-run
    let receiver = CallbackReceiver::new(options)?;
    // snippet-end: receiver
    Ok(receiver)
}

/// Handles one callback request; `seen` stands in for your database.
pub fn on_request(
    receiver: &CallbackReceiver,
    peer: Option<IpAddr>,
    headers: &[(String, String)],
    body: &[u8],
    seen: &mut Vec<String>,
) -> Reply<String> {
    // snippet-start: handle
    let reply = receiver.handle(peer, headers, body, |event| {
        match event.notification() {
            Notification::Activation(a) => seen.push(format!("{} active on {}", a.data_bundle_id, a.iccid)),
            Notification::Usage(u) => seen.push(format!("{:?} used {:?}", u.iccid, u.consumption)),
            Notification::EsimStatus(e) => seen.push(format!("{} is {:?}", e.iccid, e.profile_state())),
            // Err: the failure acknowledgement goes back and CMI delivers the event again.
            _ => return Err(format!("unexpected callback {}", event.dedupe_key())),
        }
        Ok(())
    });
    // Answer with reply.status, a Content-Type of reply.content_type, and reply.body.
    // snippet-end: handle
    reply
}
