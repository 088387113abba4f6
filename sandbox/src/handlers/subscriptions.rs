//! 3.2.6: the bundles bought for a card (UserDataBundle).

use super::orders::remaining_days;
use super::{Ctx, Reply, SelKind, dialects, lang_012, page, pick_card};
use crate::clock::{compact, shown_end};
use crate::error::{ApiError, ApiResult};
use crate::quota::{mb, usage};
use crate::req::Req;
use crate::state::{Lang, SUB_ACTIVE, SUB_EXPIRED, SUB_PENDING, World, ZH_CN, ZH_HK};
use serde_json::{Map, Value, json};

/// `remainTime` text: "x hours y minutes z seconds" in the request's language.
pub fn remain_time(seconds: i64, lang: Lang) -> String {
    let s = seconds.max(0);
    let (h, m, sec) = (s / 3600, s % 3600 / 60, s % 60);
    if lang == ZH_CN {
        format!("{h} 小时 {m} 分 {sec} 秒")
    } else if lang == ZH_HK {
        format!("{h} 小時 {m} 分 {sec} 秒")
    } else {
        format!("{h} hours {m} minutes {sec} seconds")
    }
}

/// The UserDataBundle object of subscription `s` at `now`.
pub fn user_data_bundle(w: &World, s: usize, now: i64, lang: Lang) -> Value {
    let sub = &w.subs[s];
    let b = &w.bundles[sub.bundle];
    let order = &w.orders[sub.order];
    let status = sub.status(now);
    let mut m = Map::new();
    m.insert("bundleDesc".into(), dialects(&b.descs, Some(lang)));
    m.insert("name".into(), dialects(&b.names, Some(lang)));
    m.insert("dataBundleId".into(), b.id.clone().into());
    m.insert("status".into(), status.into());
    m.insert("orderID".into(), order.id.clone().into());
    m.insert("subscriptionKey".into(), sub.key.clone().into());
    m.insert(
        "price".into(),
        json!({"currencyCode": order.currency, "price": order.unit_price.to_string(), "unit": "cents"}),
    );
    m.insert("orderChannel".into(), "API".into());
    m.insert("createTime".into(), compact(sub.created).into());
    m.insert("expireTime".into(), compact(sub.expire).into());
    if let (Some(from), Some(end)) = (sub.active_from, sub.effective_end()) {
        m.insert("activeTime".into(), compact(from).into());
        m.insert("endTime".into(), compact(shown_end(end, b.period_type)).into());
    }
    if let Some(d) = sub.set_active {
        m.insert("setActiveTime".into(), compact(d).into());
    }
    m.insert("isSupportFuelpack".into(), if b.supports_refuel() { "1" } else { "2" }.into());
    m.insert("packageType".into(), b.limit_type.to_string().into());
    m.insert("deductionModel".into(), b.deduction_model.into());
    if status == SUB_ACTIVE {
        let end = sub.effective_end().unwrap_or(now);
        if b.limit_type == 2 {
            m.insert("remainderDays".into(), remaining_days(end, now).into());
        }
        m.insert("remainFlow".into(), mb(usage(w, s, now).balance()).into());
        m.insert("remainTime".into(), remain_time(end - now, lang).into());
    }
    Value::Object(m)
}

/// 3.2.6 `APP_getSubedUserDataBundle_SBO`: a card's subscriptions, oldest first, filtered by
/// `status` (1 in use, 2 used, 3 unused, 4 expired) and `mcc`, paged by `beginIndex`/`count`.
pub fn query_subscribed_bundles(w: &mut World, ctx: &Ctx, req: Req<'_>) -> ApiResult<Reply> {
    let card = pick_card(
        w,
        ctx,
        req,
        &[("iccid", SelKind::Iccid), ("hImsi", SelKind::Imsi)],
        "hImsi and iccid must be fill-in either one",
    )?;
    let lang = lang_012(&req.req_str("language")?, "language")?;
    let filter = req.str("status")?;
    if filter.as_deref().is_some_and(|f| !matches!(f, "1" | "2" | "3" | "4")) {
        return Err(ApiError::format("status"));
    }
    let mcc = req.str("mcc")?;
    let (offset, count) = page(ctx, req)?;
    let now = ctx.now;
    let list: Vec<Value> = w
        .subs_of(card)
        .filter(|&s| {
            let sub = &w.subs[s];
            match filter.as_deref() {
                Some("1") => sub.status(now) == SUB_ACTIVE,
                Some("2") => sub.status(now) == SUB_EXPIRED && sub.active_from.is_some(),
                Some("3") => sub.status(now) == SUB_PENDING,
                Some("4") => sub.status(now) == SUB_EXPIRED,
                _ => true,
            }
        })
        .filter(|&s| mcc.as_deref().is_none_or(|m| w.bundles[w.subs[s].bundle].covers(m)))
        .skip(offset)
        .take(count)
        .map(|s| user_data_bundle(w, s, now, lang))
        .collect();
    Ok(Reply::with(json!({ "userDataBundles": list })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::EN;

    #[test]
    fn remain_time_text() {
        assert_eq!(remain_time(3 * 3600 + 4 * 60 + 5, EN), "3 hours 4 minutes 5 seconds");
        assert_eq!(remain_time(61, ZH_CN), "0 小时 1 分 1 秒");
    }
}
