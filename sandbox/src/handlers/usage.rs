//! Usage: 3.2.8 quota (UPCC) and 3.2.11 trajectories. Volumes are MB with two decimals.

use super::{Ctx, Reply, SelKind, pick_card};
use crate::clock::{date8, parse_date8};
use crate::error::{ApiError, ApiResult};
use crate::quota::{mb, usage};
use crate::req::Req;
use crate::state::{OrderKind, World};
use serde_json::{Value, json};

/// The QuotaRes object of subscription `s` at `now`, history limited to days in
/// `[from, to]` (00:00 UTC instants).
pub fn quota_res(w: &World, s: usize, now: i64, from: Option<i64>, to: Option<i64>) -> Value {
    let u = usage(w, s, now);
    let b = &w.bundles[w.subs[s].bundle];
    let history: Vec<Value> = u
        .buckets
        .iter()
        .filter(|k| from.is_none_or(|f| k.day * 86_400 >= f) && to.is_none_or(|t| k.day * 86_400 <= t))
        .map(|k| json!({"time": date8(k.day * 86_400), "qtaconsumption": mb(k.bytes), "mcc": k.mcc, "appName": null}))
        .collect();
    json!({
        "subscriberQuota": {
            "qtavalue": mb(u.quota),
            "qtabalance": mb(u.balance()),
            "qtaconsumption": mb(u.high),
            "type": b.limit_type.to_string(),
            "refuelingTotal": mb(u.refuel),
            "qtaconsumptionTotal": mb(u.total),
        },
        "historyQuota": history,
    })
}

/// 3.2.8 `APP_getSubscriberAllQuota_SBO`: quota of the bundle in use on a card (an empty
/// `quotaList` when none is), or of one child order (`childOrderId`, which wins) or of an
/// order's copies (`thirdOrderId`; unknown ids answer 1000116).
pub fn query_quota(w: &mut World, ctx: &Ctx, req: Req<'_>) -> ApiResult<Reply> {
    let date = |key: &str| -> ApiResult<Option<i64>> {
        match req.str(key)? {
            None => Ok(None),
            Some(s) => parse_date8(&s).map(Some).ok_or_else(|| ApiError::format(key)),
        }
    };
    let (from, to) = (date("beginTime")?, date("endTime")?);
    match (from, to) {
        (Some(_), None) => return Err(ApiError::missing("endTime")),
        (None, Some(_)) => return Err(ApiError::missing("beginTime")),
        _ => {}
    }
    let subs: Vec<usize> = if let Some(child) = req.str("childOrderId")? {
        let s = w
            .sub(&child)
            .filter(|&s| w.orders[w.subs[s].order].channel == ctx.channel)
            .ok_or_else(|| ApiError::code("1000116"))?;
        vec![s]
    } else if let Some(third) = req.str("thirdOrderId")? {
        let o = w.order_by_third(ctx.channel, &third).ok_or_else(|| ApiError::code("1000116"))?;
        match w.orders[o].kind {
            OrderKind::Bundle(_) => w.orders[o].children.clone(),
            OrderKind::Addon { sub, .. } => vec![sub],
        }
    } else {
        let card = pick_card(
            w,
            ctx,
            req,
            &[("iccid", SelKind::Iccid), ("himsi", SelKind::Imsi)],
            "ICCID and HIMSI must be fill-in either one",
        )?;
        w.active_sub(card, ctx.now).into_iter().collect()
    };
    let list: Vec<Value> = subs.into_iter().map(|s| quota_res(w, s, ctx.now, from, to)).collect();
    Ok(Reply::with(json!({ "quotaList": list })))
}

/// A V-IMSI allocated to a card in a country (deterministic).
fn vimsi(card: usize, mcc: &str) -> String {
    let m: u64 = mcc.parse().unwrap_or(0);
    format!("454039{:09}", (card as u64 * 7919 + m * 104_729) % 1_000_000_000)
}

/// 3.2.11 `SBO_query_usingTrajectories`: per country stay of a card while a bundle was in
/// use, in time order. `language`: 0 Chinese, 1 English (default), 2 traditional Chinese.
pub fn query_usage_trajectories(w: &mut World, ctx: &Ctx, req: Req<'_>) -> ApiResult<Reply> {
    let card = pick_card(
        w,
        ctx,
        req,
        &[("iccid", SelKind::Iccid), ("imsi", SelKind::Imsi)],
        "imsi and iccid must be fill-in either one",
    )?;
    let package = req.req_str("packageID")?;
    let name_idx = match req.str("language")?.as_deref() {
        None | Some("1") => 2,
        Some("0") => 0,
        Some("2") => 1,
        Some(_) => return Err(ApiError::format("language")),
    };
    let order = req.str("orderID")?;
    let key = req.str("subscriptionKey")?;
    let imsi = &w.cards[card].imsi;
    let mut list = Vec::new();
    for s in w.subs_of(card) {
        let sub = &w.subs[s];
        if w.bundles[sub.bundle].id != *package
            || sub.active_from.is_none()
            || order.as_deref().is_some_and(|o| w.orders[sub.order].id != o)
            || key.as_deref().is_some_and(|k| sub.key != k)
        {
            continue;
        }
        let u = usage(w, s, ctx.now);
        let mut segs: Vec<(String, i64, i64, u64)> = Vec::new();
        for b in &u.buckets {
            match segs.last_mut() {
                Some(last) if last.0 == b.mcc => {
                    last.2 = b.day;
                    last.3 += b.bytes;
                }
                _ => segs.push((b.mcc.clone(), b.day, b.day, b.bytes)),
            }
        }
        for (mcc, first, last, bytes) in segs {
            let country = w.countries.iter().find(|c| c.mcc == mcc).map(|c| c.names[name_idx]).unwrap_or("");
            list.push(json!({
                "hImsi": imsi,
                "vimsi": vimsi(card, &mcc),
                "mcc": mcc,
                "country": country,
                "beginTime": date8(first * 86_400),
                "useTime": date8(last * 86_400),
                "qtavalue": mb(bytes),
            }));
        }
    }
    Ok(Reply::with(json!({ "trajectoriesList": list })))
}
