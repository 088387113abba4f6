//! Card operations: 3.2.3 activate, 3.2.4 H-IMSI state, 3.2.9 early release, 3.2.10 SIM info.

use super::{Ctx, Reply, SelKind, find_card, pick_card};
use crate::clock::compact;
use crate::error::{ApiError, ApiResult};
use crate::req::Req;
use crate::state::{Card, SUB_ACTIVE, SUB_PENDING, World};
use serde_json::{Value, json};

/// 3.2.3 `APP_activeDataBundle_SBO`: activates an ordered (pending) bundle on a card in a
/// country. Rules: the card is normal (`1000153`), the bundle is known (`1000132`) and covers
/// `mcc` (`1000058`), real-name is done for `mcc` (`1000060`), the card has a pending copy
/// (`1000010`; an already active copy answers success), and no other bundle is in use
/// (`1000059`). The card is then located in `mcc` and a 3.2.15 notification is queued.
pub fn activate_data_bundle(w: &mut World, ctx: &Ctx, req: Req<'_>) -> ApiResult<Reply> {
    let card = pick_card(
        w,
        ctx,
        req,
        &[("iccid", SelKind::Iccid), ("hImsi", SelKind::Imsi), ("msisdn", SelKind::Msisdn)],
        "hImsi, msisdn and iccid must be fill-in either one",
    )?;
    let bundle_id = req.req_str("dataBundleId")?;
    let mcc = req.req_str("mcc")?;
    if w.cards[card].status != 0 {
        return Err(ApiError::code("1000153"));
    }
    let bundle = w.bundle(&bundle_id).ok_or_else(|| ApiError::code("1000132"))?;
    if !w.bundles[bundle].covers(&mcc) {
        return Err(ApiError::with("1000058", format!("Package does not support this country: {mcc}")));
    }
    if w.cards[card].real_name_blocks(&mcc) {
        return Err(ApiError::code("1000060"));
    }
    let now = ctx.now;
    let mine: Vec<usize> = w.subs_of(card).filter(|&s| w.subs[s].bundle == bundle).collect();
    let Some(&pending) = mine.iter().find(|&&s| w.subs[s].status(now) == SUB_PENDING) else {
        if mine.iter().any(|&s| w.subs[s].status(now) == SUB_ACTIVE) {
            return Ok(Reply::empty());
        }
        return Err(ApiError::code("1000010"));
    };
    if let Some(active) = w.active_sub(card, now) {
        let other = &w.bundles[w.subs[active].bundle].id;
        return Err(ApiError::with("1000059", format!("Activation failed: package {other} is in use on this card")));
    }
    let c = &mut w.cards[card];
    if c.location() != Some(&*mcc) {
        c.locations.push((now, mcc.to_string()));
    }
    w.activate(pending, now, &mcc);
    Ok(Reply::empty())
}

/// 3.2.4 `APP_HIMSI_TERMSTATE_SBO`: where a card is. A card that never attached answers
/// `1000057` (location query failed).
pub fn query_himsi_state(w: &mut World, ctx: &Ctx, req: Req<'_>) -> ApiResult<Reply> {
    let card = pick_card(
        w,
        ctx,
        req,
        &[("iccid", SelKind::Iccid), ("imsi", SelKind::Imsi)],
        "imsi and iccid must be fill-in either one",
    )?;
    let c = &w.cards[card];
    let mcc = c.location().ok_or_else(|| ApiError::code("1000057"))?;
    Ok(Reply::with(json!({"imsi": c.imsi, "msisdn": c.msisdn, "mobileCountryCode": mcc})))
}

/// 3.2.9 `SBO_package_end`: ends the in-use copy of a bundle on each listed card now. Items
/// that fail are listed in `errorList` (`parameterName` = the ICCID or IMSI given,
/// `parameterValue` = the reason); the call itself succeeds.
pub fn end_package(w: &mut World, ctx: &Ctx, req: Req<'_>) -> ApiResult<Reply> {
    let items = req.list("iccidPackageList");
    if items.is_empty() {
        return Err(ApiError::missing("iccidPackageList"));
    }
    let mut parsed = Vec::with_capacity(items.len());
    for item in items {
        let r = Req::at(item);
        if !item.is_object() {
            return Err(ApiError::format("iccidPackageList"));
        }
        let package = r.req_str("packageid")?;
        let sel = match (r.str("iccid")?, r.str("imsi")?) {
            (Some(i), _) => (SelKind::Iccid, i, "iccid"),
            (None, Some(i)) => (SelKind::Imsi, i, "imsi"),
            (None, None) => return Err(ApiError::with("1000005", "iccid and imsi must be fill-in either one")),
        };
        parsed.push((sel, package));
    }
    let mut errors = Vec::new();
    for ((kind, value, field), package) in parsed {
        let fail = |why: String| json!({"parameterName": value.as_ref(), "parameterValue": why});
        let card = match find_card(w, ctx, kind, &value, field) {
            Ok(c) => c,
            Err(e) => {
                errors.push(fail(e.description.into_owned()));
                continue;
            }
        };
        let active = w
            .subs_of(card)
            .find(|&s| w.subs[s].status(ctx.now) == SUB_ACTIVE && w.bundles[w.subs[s].bundle].id == *package);
        match active {
            Some(s) => w.subs[s].ended_early = Some(ctx.now),
            None => errors.push(fail(format!("Package {package} is not in use on this card"))),
        }
    }
    Ok(Reply::with(json!({ "errorList": errors })))
}

/// The HImsi object of 3.2.10.
pub fn himsi(c: &Card) -> Value {
    let rules: Vec<Value> = c
        .real_rules
        .iter()
        .map(|r| {
            json!({
                "ruleID": r.rule_id, "name": r.name, "mcc": r.mccs,
                "certificatesType": r.certificates_type, "certificatesTime": r.certificates_time,
                "authStatus": r.auth_status,
            })
        })
        .collect();
    json!({
        "hImsi": c.imsi,
        "msisdn": c.msisdn,
        "iccid": c.iccid,
        "status": c.status,
        "cardHlrId": c.hlr,
        "cardOtaId": c.ota,
        "createTime": compact(c.created),
        "expireTime": compact(c.expire),
        "lastModifyTime": compact(c.modified),
        "serviceUsageMode": c.service_usage_mode,
        "realRuleList": rules,
    })
}

/// 3.2.10 `SBO_query_SIMInfo`: state of one or many cards. The body is the zh object
/// `{"querySIMInfoVOList": [...]}` (with or without `accessToken`) or the en bare array.
/// Unknown cards and cards of other channels are left out of `himsis`.
pub fn query_sim_info(w: &mut World, ctx: &Ctx, req: Req<'_>) -> ApiResult<Reply> {
    let items: Vec<&Value> = match req.0 {
        Value::Array(a) => a.iter().collect(),
        _ => req.list("querySIMInfoVOList"),
    };
    if items.is_empty() {
        return Err(ApiError::missing("querySIMInfoVOList"));
    }
    let mut out = Vec::new();
    for item in items {
        if !item.is_object() {
            return Err(ApiError::format("querySIMInfoVOList"));
        }
        let r = Req::at(item);
        let found = match (r.str("iccid")?, r.str("imsi")?) {
            (Some(i), _) => find_card(w, ctx, SelKind::Iccid, &i, "iccid"),
            (None, Some(i)) => find_card(w, ctx, SelKind::Imsi, &i, "imsi"),
            (None, None) => return Err(ApiError::with("1000005", "imsi and iccid must be fill-in either one")),
        };
        match found {
            Ok(card) => out.push(himsi(&w.cards[card])),
            Err(e) if e.code == "1000007" => return Err(e),
            Err(_) => {}
        }
    }
    Ok(Reply::with(json!({ "himsis": out })))
}
