//! The channel's own add-ons: 3.2.21 create, 3.2.22 query (paged), 3.2.23 delete.

use super::{Ctx, Reply};
use crate::clock::compact;
use crate::error::{ApiError, ApiResult};
use crate::req::{Req, digits};
use crate::state::{Addon, World};
use serde_json::{Value, json};

/// 3.2.21 `SBO_add_packageRefuel`: creates an add-on of `flowValue` MB, named
/// `"<n>MB add-on"`; `data` is `{id, name}`.
pub fn add_refuel_package(w: &mut World, ctx: &Ctx, req: Req<'_>) -> ApiResult<Reply> {
    let flow = req.req_str("flowValue")?;
    let value: u64 = if digits(&flow, 1..=7) { flow.parse().unwrap_or(0) } else { 0 };
    if value == 0 {
        return Err(ApiError::format("flowValue"));
    }
    let seq = w.next_seq();
    let stamp = compact(ctx.now);
    let id = format!("R{}{:07}", &stamp[2..], seq % 10_000_000);
    let name = format!("{value}MB add-on");
    w.push_addon(Addon {
        id: id.clone(),
        name_cn: format!("{value}MB加油包"),
        name_tw: format!("{value}MB加油包"),
        name_en: name.clone(),
        flow_value: value,
        flow_unit: 1,
        hkd: 0,
        usd: 0,
        cny: 0,
        created: ctx.now,
        ordering_allowed: true,
        owner: Some(ctx.channel),
        deleted: false,
    });
    Ok(Reply::with(json!({"data": {"id": id, "name": name}})))
}

/// 3.2.22 `SBO_query_packageRefuel`: the channel's add-ons, page `pageNo` (from 1, default
/// 1) of `pageSize` (default 10); `count` is the total number.
pub fn query_refuel_packages(w: &mut World, ctx: &Ctx, req: Req<'_>) -> ApiResult<Reply> {
    let page_no = req.int("pageNo")?.unwrap_or(1);
    let page_size = req.int("pageSize")?.unwrap_or(10);
    if page_no < 1 {
        return Err(ApiError::format("pageNo"));
    }
    if !(1..=1000).contains(&page_size) {
        return Err(ApiError::format("pageSize"));
    }
    let mine: Vec<&Addon> = w.addons.iter().filter(|a| a.owner == Some(ctx.channel) && !a.deleted).collect();
    let data: Vec<Value> = mine
        .iter()
        .skip((page_no - 1).saturating_mul(page_size) as usize)
        .take(page_size as usize)
        .map(|a| json!({"id": a.id, "name": a.name_en, "flowValue": a.mb(), "flowUnit": "1"}))
        .collect();
    Ok(Reply::with(json!({"data": data, "count": mine.len()})))
}

/// 3.2.23 `SBO_del_packageRefuel`: deletes one of the channel's add-ons (1000096 when it
/// has none by that id).
pub fn delete_refuel_package(w: &mut World, ctx: &Ctx, req: Req<'_>) -> ApiResult<Reply> {
    let id = req.req_str("refuelId")?;
    let a = w
        .addon(&id)
        .filter(|&a| w.addons[a].owner == Some(ctx.channel) && !w.addons[a].deleted)
        .ok_or_else(|| ApiError::with("1000096", format!("Add-on {id} does not exist")))?;
    w.addons[a].deleted = true;
    Ok(Reply::empty())
}
