//! Money-moving calls: 3.2.5 create order (bundles and add-ons) and 3.2.12 unsubscribe.

use super::{Ctx, Reply, SelKind, find_card};
use crate::clock::{day_index, parse_date8};
use crate::error::{ApiError, ApiResult};
use crate::quota::MB;
use crate::req::Req;
use crate::state::{Order, OrderKind, Refuel, SUB_ACTIVE, SUB_PENDING, SUB_REFUNDED, Subscription, Txn, World};
use cmi_core::datetime::DateTime;
use serde_json::json;

/// Days of use left on an active subscription, counting today (the X of `1000095`).
pub fn remaining_days(end: i64, now: i64) -> i64 {
    (day_index(end - 1) - day_index(now) + 1).max(0)
}

/// 3.2.5 `APP_createOrder_SBO`: buys `quantity` copies of a bundle (`is_Refuel` = 1) or an
/// add-on for the card's active bundle (`is_Refuel` = 0) and charges the deposit.
///
/// Order of checks: fields (1000005/1000007; `includeCard` 1 -> 1000081), the
/// `transactionCode` (in flight -> 1000154, used -> 1000162), the card (1000013, 1000073,
/// 1000153), then the bundle rules (1000132, 1000151, 1000105, 1000117, 1000152, 1000087) or
/// the add-on rules (1000094, 1000031, 1000096, 1000158, 1000097, 1000095), then money
/// (1000102, 1000103).
pub fn create_order(w: &mut World, ctx: &Ctx, req: Req<'_>) -> ApiResult<Reply> {
    let third = req.req_str("thirdOrderId")?;
    if third.len() > 200 {
        return Err(ApiError::format("thirdOrderId"));
    }
    match req.req_int("includeCard")? {
        0 => {}
        1 => return Err(ApiError::code("1000081")),
        _ => return Err(ApiError::format("includeCard")),
    }
    let is_refuel = req.req_str("is_Refuel")?;
    if is_refuel != "0" && is_refuel != "1" {
        return Err(ApiError::format("is_Refuel"));
    }
    let quantity = req.req_int("quantity")?;
    if !(1..=1000).contains(&quantity) {
        return Err(ApiError::format("quantity"));
    }
    let quantity = quantity as u32;
    let iccid = req.req_str("ICCID")?;
    if req.str("sendLang")?.is_some_and(|l| !matches!(l.as_ref(), "1" | "2" | "3")) {
        return Err(ApiError::format("sendLang"));
    }
    let set_active = match req.str("setActiveTime")? {
        None => None,
        Some(s) => Some(parse_date8(&s).ok_or_else(|| ApiError::format("setActiveTime"))?),
    };
    let txn = req.str("transactionCode")?.map(|t| t.into_owned());
    if txn.as_ref().is_some_and(|t| t.len() > 32) {
        return Err(ApiError::format("transactionCode"));
    }
    if let Some(t) = &txn {
        match w.txns.get(&(ctx.channel, t.clone())) {
            Some(Txn::InFlight) => return Err(ApiError::code("1000154")),
            Some(Txn::Done) => return Err(ApiError::code("1000162")),
            None => {}
        }
    }
    let card = find_card(w, ctx, SelKind::Iccid, &iccid, "ICCID")?;
    if w.cards[card].status != 0 {
        return Err(ApiError::code("1000153"));
    }
    let currency = w.channels[ctx.channel].currency;
    let now = ctx.now;

    let (kind, unit_price) = if is_refuel == "1" {
        let bundle_id = req.req_str("dataBundleId")?;
        let b = w
            .bundle(&bundle_id)
            .filter(|&b| w.bundles[b].owner.is_none_or(|o| o == ctx.channel))
            .ok_or_else(|| ApiError::code("1000132"))?;
        let bundle = &w.bundles[b];
        if bundle.status != 1 {
            return Err(ApiError::code("1000151"));
        }
        if bundle.cooperation_mode != w.channels[ctx.channel].cooperation_mode {
            return Err(ApiError::code("1000105"));
        }
        if w.subs_of(card).any(|s| w.subs[s].bundle == b && w.subs[s].status(now) == SUB_ACTIVE) {
            return Err(ApiError::code("1000117"));
        }
        if let Some(limit) = bundle.purchases_count {
            let held = w.subs_of(card).filter(|&s| w.subs[s].bundle == b && !w.subs[s].refunded).count() as u32;
            if held + quantity > limit {
                return Err(ApiError::code("1000152"));
            }
        }
        if let Some(d) = set_active {
            if d < crate::clock::day_start(now) || d > now + bundle.validity_days as i64 * 86_400 {
                return Err(ApiError::code("1000087"));
            }
        }
        let price = match bundle.price(currency) {
            Some(p) => p,
            None if bundle.owner.is_some() => 0,
            None => return Err(ApiError::code("1000102")),
        };
        (OrderKind::Bundle(b), price)
    } else {
        let refuel_id = req.req_str("refuelingId")?;
        let active = w.active_sub(card, now).ok_or_else(|| ApiError::code("1000094"))?;
        let b = &w.bundles[w.subs[active].bundle];
        if req.str("dataBundleId")?.is_some_and(|id| id != b.id) {
            return Err(ApiError::code("1000031"));
        }
        if !b.supports_refuel() {
            return Err(ApiError::code("1000096"));
        }
        if !b.refuels.iter().any(|r| *r == refuel_id) {
            return Err(ApiError::code("1000158"));
        }
        let ai = w.addon(&refuel_id).ok_or_else(|| ApiError::code("1000096"))?;
        let a = &w.addons[ai];
        if a.deleted || !a.ordering_allowed {
            return Err(ApiError::code("1000097"));
        }
        let x = if b.limit_type == 2 {
            remaining_days(w.subs[active].effective_end().unwrap_or(now), now).max(1) as u32
        } else {
            1
        };
        if quantity != 1 && quantity != x {
            return Err(ApiError::with("1000095", format!("Purchase quantity may only be 1 or {x}")));
        }
        let price = a.price(currency).ok_or_else(|| ApiError::code("1000102"))?;
        (OrderKind::Addon { addon: ai, sub: active }, price)
    };

    let total = unit_price * quantity as i64;
    if w.channels[ctx.channel].deposit < total {
        return Err(ApiError::code("1000103"));
    }
    w.channels[ctx.channel].deposit -= total;
    let seq = w.next_seq();
    let id = format!("2124{seq:08}");
    let order = w.push_order(Order {
        id: id.clone(),
        channel: ctx.channel,
        third_order_id: third.into_owned(),
        txn: txn.clone(),
        card,
        kind,
        quantity,
        unit_price,
        total,
        currency,
        created: now,
        refunded_at: None,
        children: Vec::new(),
    });
    match kind {
        OrderKind::Bundle(b) => {
            let validity = w.bundles[b].validity_days as i64 * 86_400;
            for i in 0..quantity {
                let sub = w.push_sub(Subscription {
                    key: format!("{id}{:03}", i + 1),
                    order,
                    card,
                    bundle: b,
                    created: now,
                    expire: now + validity,
                    set_active,
                    active_from: None,
                    active_mcc: None,
                    end: None,
                    ended_early: None,
                    refunded: false,
                    refuels: Vec::new(),
                    reported: 0,
                });
                w.orders[order].children.push(sub);
            }
        }
        OrderKind::Addon { addon, sub } => {
            let bytes = w.addons[addon].mb() * MB;
            let daily = w.bundles[w.subs[sub].bundle].limit_type == 2;
            w.subs[sub].refuels.push(Refuel { at: now, bytes, days: if daily { quantity } else { 1 } });
        }
    }
    let mut reply = Reply::with(json!({
        "orderID": id,
        "totalAmount": total,
        "quantity": quantity,
        "price": unit_price.to_string(),
        "currency": currency,
    }));
    if let Some(t) = txn {
        w.txns.insert((ctx.channel, t.clone()), Txn::InFlight);
        reply.txn = Some((ctx.channel, t));
    }
    Ok(reply)
}

fn month_of(t: i64) -> (i32, u8) {
    let d = DateTime::from_unix(t).date;
    (d.year, d.month)
}

/// 3.2.12 `SBO_channel_unsubscribe`: cancels a whole bundle order and refunds the deposit.
/// Only orders of this channel (1000039), bundle orders (1000040), not yet refunded
/// (1000041), of the current UTC month (1000035), none of whose copies was activated
/// (some: 1000043, all: 1000044).
pub fn unsubscribe_order(w: &mut World, ctx: &Ctx, req: Req<'_>) -> ApiResult<Reply> {
    let order = match (req.str("orderId")?, req.str("thirdOrderId")?) {
        (Some(id), _) => w.order(&id),
        (None, Some(third)) => w.order_by_third(ctx.channel, &third),
        (None, None) => return Err(ApiError::code("1000201")),
    };
    let o = order.filter(|&o| w.orders[o].channel == ctx.channel).ok_or_else(|| ApiError::code("1000039"))?;
    let ord = &w.orders[o];
    if !matches!(ord.kind, OrderKind::Bundle(_)) {
        return Err(ApiError::code("1000040"));
    }
    if ord.refunded_at.is_some() {
        return Err(ApiError::code("1000041"));
    }
    if month_of(ord.created) != month_of(ctx.now) {
        return Err(ApiError::code("1000035"));
    }
    let pending = ord.children.iter().filter(|&&s| w.subs[s].status(ctx.now) == SUB_PENDING).count();
    if pending != ord.children.len() {
        return Err(ApiError::code(if pending > 0 { "1000043" } else { "1000044" }));
    }
    let (channel, total) = (ord.channel, ord.total);
    for s in w.orders[o].children.clone() {
        w.subs[s].refunded = true;
    }
    w.orders[o].refunded_at = Some(ctx.now);
    w.channels[channel].deposit += total;
    debug_assert!(w.orders[o].children.iter().all(|&s| w.subs[s].status(ctx.now) == SUB_REFUNDED));
    Ok(Reply::empty())
}
