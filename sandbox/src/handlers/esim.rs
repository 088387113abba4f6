//! eSIM: 3.2.13 profile info, and the simulated device actions behind 3.2.17.

use super::{Ctx, Reply, SelKind, find_card};
use crate::clock::dashed;
use crate::error::{ApiError, ApiResult};
use crate::req::Req;
use crate::state::{Event, World};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// 3.2.13 `SBO_queryEsimCardInfo`: profile data for the QR code and install state, under
/// `data` (default; the `esim_card_info` shape variant renames it `cardInfo`). A physical
/// card answers 1000090.
pub fn query_esim_card_info(w: &mut World, ctx: &Ctx, req: Req<'_>) -> ApiResult<Reply> {
    let iccid = req.req_str("iccid")?;
    let card = find_card(w, ctx, SelKind::Iccid, &iccid, "iccid")?;
    let e = w.cards[card].esim.as_ref().ok_or_else(|| ApiError::code("1000090"))?;
    let data = json!({
        "eid": e.eid,
        "activationCode": e.activation_code,
        "smdpAddress": e.smdp,
        "installDevice": e.device,
        "installCount": e.install_count,
        "installTime": e.install_time.map(dashed).unwrap_or_default(),
        "updateTime": dashed(e.update_time),
        "state": e.state,
        "downloadUrl": format!("LPA:1${}${}", e.smdp, e.activation_code),
    });
    Ok(Reply::with(json!({ "data": data })))
}

/// A simulated action of the end user's device on an eSIM profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EsimAction {
    /// Download, install and enable: notifications 3, 4 and 101; state `enabled`.
    Install,
    /// Enable: 101; state `enabled`.
    Enable,
    /// Disable: 102; state `disabled`.
    Disable,
    /// Delete: 5; state `deleted`.
    Delete,
    /// A failed download: 2 with status `Failed`; state unchanged.
    Fail,
}

impl EsimAction {
    /// Reads `install`, `enable`, `disable`, `delete`, `fail`.
    pub fn parse(s: &str) -> Option<Self> {
        serde_json::from_value(Value::String(s.to_owned())).ok()
    }
}

/// Identifier of the simulated SM-DP+ in 3.2.17 headers.
pub const SMDP_REQUESTER_ID: &str = "24a3b946405843d2a1bc69780e7ba717";

/// Applies a device action to the eSIM `iccid` at business time `now` and queues the 3.2.17
/// notifications it causes. `eid`/`device` default to generated values on install.
pub fn esim_action(
    w: &mut World,
    iccid: &str,
    action: EsimAction,
    eid: Option<&str>,
    device: Option<&str>,
    now: i64,
) -> Result<Vec<Value>, String> {
    let card = w.card_by_iccid(iccid).ok_or_else(|| format!("no card {iccid}"))?;
    let channel = w.cards[card].channel;
    let n = card as u64 + 1;
    let c = &mut w.cards[card];
    let e = c.esim.as_mut().ok_or_else(|| format!("{iccid} is a physical card"))?;
    let installed = !e.eid.is_empty() && e.state != "deleted" && e.state != "released";
    let (points, status): (&[&str], &str) = match action {
        EsimAction::Install => {
            if installed {
                return Err(format!("{iccid} is already installed ({})", e.state));
            }
            e.eid = eid.map(str::to_owned).unwrap_or_else(|| format!("89049032{:024}", 7_000_000_000_000_000 + n));
            e.device = device.unwrap_or("iPhone15,2").to_owned();
            e.install_count += 1;
            e.install_time = Some(now);
            e.state = "enabled".into();
            (&["3", "4", "101"], "Executed-Success")
        }
        EsimAction::Enable | EsimAction::Disable | EsimAction::Delete => {
            if !installed {
                return Err(format!("{iccid} is not installed ({})", e.state));
            }
            let (state, point) = match action {
                EsimAction::Enable => ("enabled", "101"),
                EsimAction::Disable => ("disabled", "102"),
                _ => ("deleted", "5"),
            };
            e.state = state.into();
            (
                if point == "101" {
                    &["101"]
                } else if point == "102" {
                    &["102"]
                } else {
                    &["5"]
                },
                "Executed-Success",
            )
        }
        EsimAction::Fail => (&["2"], "Failed"),
    };
    e.update_time = now;
    let (eid, profile) = (e.eid.clone(), e.profile_type.clone());
    c.modified = now;
    let iccid = c.iccid.clone();
    let bodies: Vec<Value> = points
        .iter()
        .map(|p| {
            json!({
                "header": {"functionRequesterIdentifier": SMDP_REQUESTER_ID, "functionCallIdentifier": "handleDownloadProgressInfo"},
                "eid": eid,
                "iccid": iccid,
                "profileType": profile,
                "timeStamp": now.to_string(),
                "notificationPointId": p,
                "notificationPointStatus": {"status": status},
            })
        })
        .collect();
    w.outbox.push(Event::Esim { channel, bodies: bodies.clone() });
    Ok(bodies)
}
