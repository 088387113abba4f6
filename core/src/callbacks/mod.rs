//! Callbacks 3.2.15-3.2.17: the notifications CMI posts to URLs the partner hosts.
//!
//! [`parse_notification`] reads a raw body into a typed [`Notification`], and the result gives
//! the exact acknowledgement each type needs and a stable key to drop redeliveries
//! (sdk-rules 19, 20). Send the acknowledgement only after your handler succeeded; when it
//! fails, answer with [`ParsedNotification::failure_ack_body`].
//!
//! A [`CallbackReceiver`] wraps this around your handler: it runs the optional checks of
//! sdk-rules 21 chosen in [`VerifyOptions`] (WSSE against the channel's credentials, a shared
//! secret in a header, an IP allow-list, a replay window with a nonce cache), and
//! [`CallbackReceiver::handle`] returns the [`Reply`] to send: the success acknowledgement
//! only once the handler succeeded, and optionally without running it again for a redelivery
//! of a handled event.
//!
//! ```
//! use cmi_core::callbacks::{parse_notification, Notification};
//! let body = br#"{"iccid":"89852342022006915895","imsi":"454120381956774",
//!                 "qtavalue":"101804370","timestamp":"20240109175959"}"#;
//! let parsed = parse_notification(&[], body)?;
//! assert!(matches!(parsed.notification(), Notification::Usage(_)));
//! assert_eq!(parsed.dedupe_key(), "usage:89852342022006915895:20240109175959:101804370");
//! assert_eq!(parsed.ack_body(), br#"{"code":"0","description":"Success"}"#.to_vec());
//! # Ok::<(), cmi_core::Error>(())
//! ```

pub mod activation;
mod dedupe;
pub mod esim_status;
mod ip;
mod replay;
mod reply;
pub mod usage;
mod verify;

pub use activation::{ActivationAck, ActivationNotification};
pub use esim_status::{
    EsimAckHeader, EsimExecutionStatus, EsimNotificationPoint, EsimNotifyHeader, EsimStatusAck, EsimStatusNotification,
    FunctionExecutionStatus, NotificationPointStatus, StatusCodeData,
};
pub use reply::{JSON_CONTENT_TYPE, Outcome, Reply, TEXT_CONTENT_TYPE};
pub use usage::{UsageAck, UsageNotification};
pub use verify::{CallbackReceiver, DEFAULT_NONCE_CACHE_CAPACITY, DEFAULT_REPLAY_WINDOW, VerifyOptions};

use crate::error::{Error, Result};
use serde::Serialize;
use serde_json::Value;

/// Largest body [`parse_notification`] accepts. Real notifications are a few hundred bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The operation name carried by decode errors of this module.
const OPERATION: &str = "parse_notification";

/// Serializes an acknowledgement. These types hold only strings and enums, whose
/// serialization cannot fail, so the fallback is never taken.
fn to_json<T: Serialize>(v: &T) -> Vec<u8> {
    serde_json::to_vec(v).unwrap_or_default()
}

/// Which callback a body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotificationKind {
    /// 3.2.15.
    Activation,
    /// 3.2.16.
    Usage,
    /// 3.2.17.
    EsimStatus,
    /// Not recognised.
    Unknown,
}

impl NotificationKind {
    /// Lower-case name: `activation`, `usage`, `esim_status`, `unknown`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Activation => "activation",
            Self::Usage => "usage",
            Self::EsimStatus => "esim_status",
            Self::Unknown => "unknown",
        }
    }
}

/// A notification from CMI, typed.
#[derive(Debug, Clone, PartialEq)]
pub enum Notification {
    /// 3.2.15: a bundle was activated.
    Activation(ActivationNotification),
    /// 3.2.16: a card used data.
    Usage(UsageNotification),
    /// 3.2.17: an eSIM profile changed state.
    EsimStatus(EsimStatusNotification),
    /// A body matching none of them, kept as received.
    Unknown {
        /// The body as parsed JSON.
        body: Value,
    },
}

impl Notification {
    /// Which callback this is.
    pub fn kind(&self) -> NotificationKind {
        match self {
            Self::Activation(_) => NotificationKind::Activation,
            Self::Usage(_) => NotificationKind::Usage,
            Self::EsimStatus(_) => NotificationKind::EsimStatus,
            Self::Unknown { .. } => NotificationKind::Unknown,
        }
    }

    /// The typed event re-encoded with wire names and normalised values (the raw body for
    /// `Unknown`).
    pub fn to_value(&self) -> Value {
        let v = match self {
            Self::Activation(n) => serde_json::to_value(n),
            Self::Usage(n) => serde_json::to_value(n),
            Self::EsimStatus(n) => serde_json::to_value(n),
            Self::Unknown { body } => return body.clone(),
        };
        v.unwrap_or(Value::Null)
    }

    /// The exact success acknowledgement body. For `Unknown` it is the 3.2.15 form, which
    /// carries the text under both `msg` and `description`.
    pub fn ack_body(&self) -> Vec<u8> {
        match self {
            Self::Activation(_) | Self::Unknown { .. } => ActivationAck::success().to_vec(),
            Self::Usage(_) => UsageAck::success().to_vec(),
            Self::EsimStatus(n) => EsimStatusAck::success(n.iccid.trim()).to_vec(),
        }
    }

    /// The acknowledgement body telling CMI the handler failed (non-zero code or `Failed`),
    /// carrying `message`. Keep secrets and internals out of `message`: CMI receives it.
    pub fn failure_ack_body(&self, message: &str) -> Vec<u8> {
        match self {
            Self::Activation(_) | Self::Unknown { .. } => ActivationAck::failure(message).to_vec(),
            Self::Usage(_) => UsageAck::failure(message).to_vec(),
            Self::EsimStatus(n) => EsimStatusAck::failure(n.iccid.trim(), message).to_vec(),
        }
    }

    /// A key that is the same for every delivery of one event:
    /// `activation:<orderId>:<iccid>:<activeTime>`, `usage:<iccid or imsi>:<timestamp>:<bytes>`,
    /// `esim:<iccid>:<notificationPointId>:<timeStamp>`, or `unknown:<SHA-256 of the body's
    /// canonical JSON>`.
    pub fn dedupe_key(&self) -> String {
        match self {
            Self::Activation(n) => n.dedupe_key(),
            Self::Usage(n) => n.dedupe_key(),
            Self::EsimStatus(n) => n.dedupe_key(),
            Self::Unknown { body } => {
                use sha2::{Digest, Sha256};
                // serde_json's map is ordered, so equal bodies give equal text whatever the
                // key order on the wire.
                let digest = Sha256::digest(body.to_string().as_bytes());
                let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
                format!("unknown:{hex}")
            }
        }
    }
}

/// The result of [`parse_notification`]: the typed event, its acknowledgement and its dedupe
/// key.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ParsedNotification {
    /// The typed event.
    pub notification: Notification,
}

impl ParsedNotification {
    /// The typed event.
    pub fn notification(&self) -> &Notification {
        &self.notification
    }

    /// The typed event, by value.
    pub fn into_notification(self) -> Notification {
        self.notification
    }

    /// Which callback this is.
    pub fn kind(&self) -> NotificationKind {
        self.notification.kind()
    }

    /// The exact success acknowledgement; see [`Notification::ack_body`].
    pub fn ack_body(&self) -> Vec<u8> {
        self.notification.ack_body()
    }

    /// The acknowledgement for a failed handler; see [`Notification::failure_ack_body`].
    pub fn failure_ack_body(&self, message: &str) -> Vec<u8> {
        self.notification.failure_ack_body(message)
    }

    /// A stable key per event; see [`Notification::dedupe_key`].
    pub fn dedupe_key(&self) -> String {
        self.notification.dedupe_key()
    }
}

/// Which callback a JSON body is, by its keys (as public receivers do): `notificationPointId` or
/// `header` → eSIM status; `activeTime` or `packageId` → activation; `qtavalue` → usage.
fn kind_of(body: &Value) -> NotificationKind {
    let Some(map) = body.as_object() else { return NotificationKind::Unknown };
    if map.contains_key("notificationPointId") || map.contains_key("header") {
        NotificationKind::EsimStatus
    } else if map.contains_key("activeTime") || map.contains_key("packageId") {
        NotificationKind::Activation
    } else if map.contains_key("qtavalue") {
        NotificationKind::Usage
    } else {
        NotificationKind::Unknown
    }
}

/// Reads a notification body from CMI (3.2.15, 3.2.16 or 3.2.17).
///
/// `headers` (name, value pairs as received) are not verified here: a [`CallbackReceiver`]
/// verifies them (WSSE, shared secret, IP allow-list, replay) before reading the body.
///
/// Errors: a body over [`MAX_BODY_BYTES`] is refused with [`Error::Validation`] on field
/// `(body)`; a body that is not JSON, or whose recognised type cannot be read, gives
/// [`Error::Decode`]. Valid JSON of no known type is not an error: it comes back as
/// [`Notification::Unknown`] with the body.
pub fn parse_notification(headers: &[(String, String)], body: &[u8]) -> Result<ParsedNotification> {
    let _ = headers;
    parse_body(body, MAX_BODY_BYTES)
}

/// [`parse_notification`] with the body limit `max_bytes`: the one place bodies are sized and
/// read, shared with [`CallbackReceiver::verify_and_parse`].
fn parse_body(body: &[u8], max_bytes: usize) -> Result<ParsedNotification> {
    if body.len() > max_bytes {
        return Err(Error::validation("(body)", format!("is {} bytes; at most {max_bytes} are accepted", body.len())));
    }
    let value: Value = serde_json::from_slice(body).map_err(|e| Error::Decode {
        operation: OPERATION,
        message: format!("not JSON ({e}); {} bytes", body.len()),
    })?;
    let typed = |kind: &str, e: serde_json::Error| Error::Decode {
        operation: OPERATION,
        message: format!("cannot read the {kind} notification: {e}"),
    };
    let notification = match kind_of(&value) {
        NotificationKind::Activation => {
            Notification::Activation(serde_json::from_value(value).map_err(|e| typed("activation", e))?)
        }
        NotificationKind::Usage => Notification::Usage(serde_json::from_value(value).map_err(|e| typed("usage", e))?),
        NotificationKind::EsimStatus => {
            Notification::EsimStatus(serde_json::from_value(value).map_err(|e| typed("eSIM status", e))?)
        }
        NotificationKind::Unknown => Notification::Unknown { body: value },
    };
    Ok(ParsedNotification { notification })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn acks_are_byte_exact() {
        assert_eq!(ActivationAck::success().to_vec(), br#"{"code":"0","msg":"Success","description":"Success"}"#);
        assert_eq!(UsageAck::success().to_vec(), br#"{"code":"0","description":"Success"}"#);
        assert_eq!(
            EsimStatusAck::success("89852342022019785558").to_vec(),
            br#"{"header":{"functionExecutionStatus":{"status":"Executed-Success","statusCodeData":{"subjectCode":"0","reasonCode":"0","message":"success"}},"iccid":"89852342022019785558"},"iccid":"89852342022019785558"}"#
        );
        assert_eq!(UsageAck::failure("db down").to_vec(), br#"{"code":"1","description":"db down"}"#);
    }

    #[test]
    fn refuses_oversized_and_non_json_bodies() {
        let big = vec![b' '; MAX_BODY_BYTES + 1];
        let e = parse_notification(&[], &big).unwrap_err();
        assert_eq!((e.kind(), e.field()), (ErrorKind::Validation, Some("(body)")));
        assert_eq!(parse_notification(&[], b"code=0").unwrap_err().kind(), ErrorKind::Decode);
        assert_eq!(parse_notification(&[], b"").unwrap_err().kind(), ErrorKind::Decode);
        let e = parse_notification(&[], br#"{"header":42}"#).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
    }

    #[test]
    fn unknown_bodies_are_kept_with_a_stable_key() {
        let a = parse_notification(&[], br#"{"b":1,"a":[true]}"#).unwrap();
        let b = parse_notification(&[], br#"{ "a":[true], "b":1 }"#).unwrap();
        assert_eq!(a.kind(), NotificationKind::Unknown);
        assert_eq!(a.dedupe_key(), b.dedupe_key());
        assert!(a.dedupe_key().starts_with("unknown:"));
        assert_eq!(a.notification().to_value(), serde_json::json!({"a":[true],"b":1}));
        assert_eq!(parse_notification(&[], b"[1,2]").unwrap().kind(), NotificationKind::Unknown);
    }

    #[test]
    fn esim_times_before_2001_read_back_after_re_encoding() {
        // Found by fuzz/callbacks: `timeStamp` was re-encoded as the bare count ("854856400",
        // 9 digits), which the parser does not read as a time, so a stored event read back
        // without its time and with another dedupe key.
        for (wire, again) in [
            ("0854856400", "0854856400"),
            ("19970202040640", "0854856400"),
            ("19700101000000", "0000000000"),
            ("19691231235959", "19691231235959"),
        ] {
            let body = format!(r#"{{"header":{{}},"timeStamp":"{wire}"}}"#);
            let parsed = parse_notification(&[], body.as_bytes()).unwrap();
            let value = parsed.notification().to_value();
            assert_eq!(value["timeStamp"], again, "{wire}");
            let back = parse_notification(&[], &serde_json::to_vec(&value).unwrap()).unwrap();
            assert_eq!(back, parsed, "{wire}");
            assert_eq!(back.dedupe_key(), parsed.dedupe_key(), "{wire}");
        }
    }

    #[test]
    fn unknown_bodies_with_inexact_numbers_keep_their_key_when_re_encoded() {
        // Found by fuzz/callbacks: a number with more digits than an f64 holds is read as the
        // nearest f64 and re-encoded as its shortest text; serde_json's default float parser
        // is not correctly rounded, so that text could read back as a neighbouring f64 and the
        // stored event got another dedupe key.
        for body in [
            r#"{"a":89852342022006915265647}"#,
            r#"{"a":98523420220065265647}"#,
            r#"{"a":8.985234202200691526564e22,"b":[1.00000000000000011102230246251565404236316680908203125]}"#,
        ] {
            let parsed = parse_notification(&[], body.as_bytes()).unwrap();
            let again =
                parse_notification(&[], &serde_json::to_vec(&parsed.notification().to_value()).unwrap()).unwrap();
            assert_eq!(again, parsed, "{body}");
            assert_eq!(again.dedupe_key(), parsed.dedupe_key(), "{body}");
        }
    }

    #[test]
    fn esim_state_follows_successful_steps_only() {
        let p = parse_notification(
            &[],
            br#"{"iccid":"1","notificationPointId":"101","notificationPointStatus":{"status":"Executed-Success"}}"#,
        )
        .unwrap();
        let Notification::EsimStatus(n) = p.notification() else { panic!("not eSIM") };
        assert_eq!(n.profile_state(), Some(crate::api::esim::EsimState::Enabled));
        let p = parse_notification(
            &[],
            br#"{"iccid":"1","notificationPointId":4,"notificationPointStatus":{"status":"Failed"}}"#,
        )
        .unwrap();
        let Notification::EsimStatus(n) = p.notification() else { panic!("not eSIM") };
        assert_eq!(n.profile_state(), None);
    }
}
