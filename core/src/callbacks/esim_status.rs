//! 3.2.17 eSIM status notification (GSMA ES2+ `HandleDownloadProgressInfo`): the SM-DP+
//! reports a profile's progress (eligibility check, download, install, enable, disable,
//! delete) to the partner.

use crate::api::common::Extra;
use crate::api::esim::EsimState;
use crate::datetime::DateTime;
use serde::{Deserialize, Serialize};

crate::wire_enum! {
    /// The step a notification reports (`notificationPointId`, spec §1.7).
    pub enum EsimNotificationPoint: str {
        /// `1`: eligibility and retry-limit check.
        EligibilityCheck = "1",
        /// `2`: (confirmation) failure.
        ConfirmationFailure = "2",
        /// `3`: bound profile package (BPP) download.
        BppDownload = "3",
        /// `4`: BPP installation.
        BppInstallation = "4",
        /// `5`: profile deleted.
        Deleted = "5",
        /// `101`: zh "installed", en "ENABLED": the profile is switched on.
        Enabled = "101",
        /// `102`: zh "closed", en "DISABLED": the profile is switched off.
        Disabled = "102",
    }
}

crate::wire_enum! {
    /// Outcome of a step (`notificationPointStatus.status`; also the status of our reply).
    pub enum EsimExecutionStatus: str {
        /// `Executed-Success`: done.
        ExecutedSuccess = "Executed-Success",
        /// `Executed-WithWarning`: done, with a warning (GSMA ES2+).
        ExecutedWithWarning = "Executed-WithWarning",
        /// `Failed`: not done (GSMA ES2+).
        Failed = "Failed",
        /// `Expired`: timed out (GSMA ES2+).
        Expired = "Expired",
    }
}

impl EsimExecutionStatus {
    /// Whether the step was carried out (with or without a warning).
    pub fn succeeded(&self) -> bool {
        matches!(self, Self::ExecutedSuccess | Self::ExecutedWithWarning)
    }
}

/// `EsimNotifyReqHeader`: the ES2+ request header.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct EsimNotifyHeader {
    /// `functionRequesterIdentifier`: the caller's ID (32 hex in the example).
    #[serde(rename = "functionRequesterIdentifier", default, deserialize_with = "crate::lenient::string")]
    pub function_requester_identifier: String,
    /// `functionCallIdentifier`: the call's ID (`handleDownloadProgressInfo` in the example).
    #[serde(rename = "functionCallIdentifier", default, deserialize_with = "crate::lenient::string")]
    pub function_call_identifier: String,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `EsimNotifyStatus`: the outcome of the reported step.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct NotificationPointStatus {
    /// `status`: e.g. `Executed-Success`.
    #[serde(
        rename = "status",
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<EsimExecutionStatus>,
    /// Fields the spec does not list (GSMA's `statusCodeData`, if sent, lands here).
    #[serde(flatten)]
    pub extra: Extra,
}

/// Body of 3.2.17 as CMI sends it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct EsimStatusNotification {
    /// `header`: the ES2+ header.
    #[serde(
        rename = "header",
        default,
        deserialize_with = "crate::lenient::opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub header: Option<EsimNotifyHeader>,
    /// `eid`: EID of the eUICC.
    #[serde(
        rename = "eid",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub eid: Option<String>,
    /// `iccid`: the profile's ICCID.
    #[serde(rename = "iccid", default, deserialize_with = "crate::lenient::string")]
    pub iccid: String,
    /// `profileType`: e.g. `CMI_gds_esim_02`.
    #[serde(rename = "profileType", default, deserialize_with = "crate::lenient::string")]
    pub profile_type: String,
    /// `timeStamp`: when the step ran; 10-digit epoch seconds on the wire, read as UTC and
    /// written back in that form.
    #[serde(
        rename = "timeStamp",
        default,
        deserialize_with = "crate::datetime::opt",
        serialize_with = "crate::datetime::ser_opt_epoch",
        skip_serializing_if = "Option::is_none"
    )]
    pub time_stamp: Option<DateTime>,
    /// `notificationPointId`: the step reported.
    #[serde(
        rename = "notificationPointId",
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub notification_point_id: Option<EsimNotificationPoint>,
    /// `notificationPointStatus`: its outcome.
    #[serde(
        rename = "notificationPointStatus",
        default,
        deserialize_with = "crate::lenient::opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub notification_point_status: Option<NotificationPointStatus>,
    /// `resultData`: the install result the eUICC returned.
    #[serde(
        rename = "resultData",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub result_data: Option<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

impl EsimStatusNotification {
    /// The step's outcome, when sent.
    pub fn status(&self) -> Option<&EsimExecutionStatus> {
        self.notification_point_status.as_ref().and_then(|s| s.status.as_ref())
    }

    /// Whether the reported step was carried out.
    pub fn succeeded(&self) -> bool {
        self.status().is_some_and(EsimExecutionStatus::succeeded)
    }

    /// The profile state this notification establishes, in the vocabulary of 3.2.13: a
    /// successful download, installation, enable, disable or delete; `None` for other steps
    /// or an unsuccessful one.
    pub fn profile_state(&self) -> Option<EsimState> {
        if !self.succeeded() {
            return None;
        }
        match self.notification_point_id.as_ref()? {
            EsimNotificationPoint::BppDownload => Some(EsimState::Downloaded),
            EsimNotificationPoint::BppInstallation => Some(EsimState::Installed),
            EsimNotificationPoint::Enabled => Some(EsimState::Enabled),
            EsimNotificationPoint::Disabled => Some(EsimState::Disabled),
            EsimNotificationPoint::Deleted => Some(EsimState::Deleted),
            _ => None,
        }
    }

    /// `esim:<iccid>:<notificationPointId>:<timeStamp>`: the same for every delivery of one
    /// step (time in epoch seconds).
    pub fn dedupe_key(&self) -> String {
        let point = self.notification_point_id.as_ref().map(|p| p.as_wire().to_owned()).unwrap_or_default();
        let ts = self.time_stamp.map(|t| t.unix_seconds().to_string()).unwrap_or_default();
        format!("esim:{}:{point}:{ts}", self.iccid.trim())
    }
}

/// `StatusCodeData` of the reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, cmi_derive::Model)]
pub struct StatusCodeData {
    /// `subjectCode`: `0` on success.
    #[serde(rename = "subjectCode")]
    pub subject_code: String,
    /// `reasonCode`: `0` on success.
    #[serde(rename = "reasonCode")]
    pub reason_code: String,
    /// `message`: `success` on success.
    #[serde(rename = "message")]
    pub message: String,
}

/// `FunctionExecutionStatus` of the reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, cmi_derive::Model)]
pub struct FunctionExecutionStatus {
    /// `status`: `Executed-Success` or `Failed`.
    #[serde(rename = "status")]
    pub status: EsimExecutionStatus,
    /// `statusCodeData`: codes and text.
    #[serde(rename = "statusCodeData")]
    pub status_code_data: StatusCodeData,
}

/// `EsimNotifyResHeader`: the header of the reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, cmi_derive::Model)]
pub struct EsimAckHeader {
    /// `functionExecutionStatus`: the outcome.
    #[serde(rename = "functionExecutionStatus")]
    pub function_execution_status: FunctionExecutionStatus,
    /// `iccid`: echo of the notification's ICCID (zh spec: inside the header).
    #[serde(rename = "iccid")]
    pub iccid: String,
}

/// The reply to 3.2.17. The zh spec puts the ICCID echo inside `header`, the en transcription
/// at the top level; it is sent in both places:
/// `{"header":{"functionExecutionStatus":{"status":"Executed-Success","statusCodeData":
/// {"subjectCode":"0","reasonCode":"0","message":"success"}},"iccid":"<iccid>"},"iccid":"<iccid>"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, cmi_derive::Model)]
pub struct EsimStatusAck {
    /// `header`: outcome and ICCID echo.
    #[serde(rename = "header")]
    pub header: EsimAckHeader,
    /// `iccid`: the ICCID echo again (en spelling).
    #[serde(rename = "iccid")]
    pub iccid: String,
}

impl EsimStatusAck {
    fn with(iccid: &str, status: EsimExecutionStatus, code: &str, message: &str) -> Self {
        Self {
            header: EsimAckHeader {
                function_execution_status: FunctionExecutionStatus {
                    status,
                    status_code_data: StatusCodeData {
                        subject_code: code.into(),
                        reason_code: code.into(),
                        message: message.into(),
                    },
                },
                iccid: iccid.into(),
            },
            iccid: iccid.into(),
        }
    }

    /// The success reply for the profile `iccid`.
    pub fn success(iccid: &str) -> Self {
        Self::with(iccid, EsimExecutionStatus::ExecutedSuccess, "0", "success")
    }

    /// A failure reply (`Failed`, subject and reason code `1`) carrying `message`. CMI documents
    /// no failure codes; these mirror the success form with non-zero codes.
    pub fn failure(iccid: &str, message: &str) -> Self {
        Self::with(iccid, EsimExecutionStatus::Failed, "1", message)
    }

    /// The reply body.
    pub fn to_vec(&self) -> Vec<u8> {
        super::to_json(self)
    }
}
