//! The channel's own bundles: 3.2.18 create, 3.2.19 update, 3.2.20 delete.
//!
//! A created bundle joins the channel's catalogue (3.2.2) with status 1, activation mode 2,
//! no price (orders of it cost 0; the spec gives it no price field), `periodUnit` 1-4 mapped
//! to `periodType` 0-3 (default 1 = 24 hours), and a high-speed volume equal to its largest
//! `packageConsumptions` tier (10240 MB without tiers).

use super::{Ctx, Reply};
use crate::clock::compact;
use crate::dataset::pools_for;
use crate::error::{ApiError, ApiResult};
use crate::req::{Req, digits};
use crate::state::{Bundle, Dialect, EN, World, ZH_CN, ZH_HK};
use serde_json::{Value, json};
use std::borrow::Cow;

/// Fields of 3.2.18/3.2.19 after validation; `None` = not given.
#[derive(Debug, Default)]
struct Spec {
    name: Option<String>,
    desc: Option<String>,
    keep_period: Option<u32>,
    effective_day: Option<u32>,
    flow_limit_type: Option<u8>,
    hotspot: Option<bool>,
    consumptions: Option<Vec<u64>>,
    mccs: Option<Vec<String>>,
    support_refuel: Option<bool>,
    refuels: Option<Vec<String>>,
    period_unit: Option<u8>,
}

fn one_of(v: Option<i64>, field: &str, allowed: &[i64]) -> ApiResult<Option<i64>> {
    match v {
        Some(x) if !allowed.contains(&x) => Err(ApiError::format(field)),
        v => Ok(v),
    }
}

fn count(v: Option<Cow<'_, str>>, field: &str) -> ApiResult<Option<u32>> {
    match v {
        None => Ok(None),
        Some(s) if digits(&s, 1..=6) => s.parse().map(Some).map_err(|_| ApiError::format(field)),
        Some(_) => Err(ApiError::format(field)),
    }
}

fn template_known(w: &World, id: &str, app: Option<&str>) -> bool {
    w.upcc.iter().any(|t| t.id == id)
        || w.apps.iter().filter(|a| app.is_none_or(|x| a.id == x)).any(|a| a.upcc.iter().any(|u| u.template_id == id))
}

fn no_permission(id: &str) -> ApiError {
    ApiError::with("1000168", format!("No permission for this speed-template ID: {id}"))
}

/// Validates every field present; `create` makes the 3.2.18 mandatory ones mandatory.
fn read_spec(w: &World, req: Req<'_>, create: bool) -> ApiResult<Spec> {
    let mut s = Spec::default();
    let need = |v: Option<Cow<'_, str>>, field: &str| -> ApiResult<Option<String>> {
        match v {
            None if create => Err(ApiError::missing(field)),
            v => Ok(v.map(|c| c.into_owned())),
        }
    };
    s.name = need(req.str("name")?, "name")?;
    if s.name.as_ref().is_some_and(|n| n.chars().count() > 256) {
        return Err(ApiError::format("name"));
    }
    // `desc` is M, but the spec's own example sends it empty: present-and-empty is accepted.
    s.desc = match req.raw("desc") {
        None if create => return Err(ApiError::missing("desc")),
        None => None,
        Some(Value::String(d)) => Some(d.clone()),
        Some(_) => return Err(ApiError::format("desc")),
    };
    s.keep_period = count(need(req.str("keepPeriod")?, "keepPeriod")?.map(Cow::Owned), "keepPeriod")?;
    if s.keep_period == Some(0) {
        return Err(ApiError::format("keepPeriod"));
    }
    s.effective_day = count(req.str("effectiveDay")?, "effectiveDay")?;
    let int = |field: &str, allowed: &[i64]| -> ApiResult<Option<i64>> {
        let v = if create { Some(req.req_int(field)?) } else { req.int(field)? };
        one_of(v, field, allowed)
    };
    if create {
        s.flow_limit_type = int("flowLimitType", &[1, 2])?.map(|v| v as u8);
        int("controlLogic", &[1, 2])?;
        s.hotspot = int("isSupportedHotspots", &[1, 2])?.map(|v| v == 1);
    }
    if need(req.str("isSupportDirect")?, "isSupportDirect")?.is_some_and(|d| d != "1" && d != "2") {
        return Err(ApiError::format("isSupportDirect"));
    }
    if let Some(items) = req.raw("packageConsumptions").map(|_| req.list("packageConsumptions")) {
        let mut tiers = Vec::new();
        for item in items {
            let r = Req::at(item);
            let mb = r.req_int("consumption")?;
            if mb <= 0 {
                return Err(ApiError::format("consumption"));
            }
            let t = r.req_str("upccTemplateId")?;
            if !template_known(w, &t, None) {
                return Err(no_permission(&t));
            }
            tiers.push(mb as u64);
        }
        s.consumptions = Some(tiers);
    }
    if let Some(t) = need(req.str("noLimitTemplateId")?, "noLimitTemplateId")? {
        if !template_known(w, &t, None) {
            return Err(no_permission(&t));
        }
    }
    if req.raw("mccList").is_some() || create {
        let mccs = req.str_list("mccList")?;
        if mccs.is_empty() {
            return Err(ApiError::missing("mccList"));
        }
        if let Some(bad) = mccs.iter().find(|m| !w.countries.iter().any(|c| c.mcc == m.as_ref())) {
            return Err(ApiError::with("1000007", format!("Parameter mccList has a wrong format: unknown MCC {bad}")));
        }
        s.mccs = Some(mccs.into_iter().map(Cow::into_owned).collect());
    }
    s.support_refuel = one_of(
        if create { Some(req.req_int("supportRefuel")?) } else { req.int("supportRefuel")? },
        "supportRefuel",
        &[1, 2],
    )?
    .map(|v| v == 1);
    if req.raw("refuelList").is_some() {
        let ids = req.str_list("refuelList")?;
        for id in &ids {
            if w.addon(id).is_none_or(|a| w.addons[a].deleted) {
                return Err(ApiError::with("1000097", format!("Add-on not orderable or not approved: {id}")));
            }
        }
        s.refuels = Some(ids.into_iter().map(Cow::into_owned).collect());
    }
    for info in req.list("directAppInfos") {
        let r = Req::at(info);
        if !matches!(r.req_str("directType")?.as_ref(), "1" | "2") {
            return Err(ApiError::format("directType"));
        }
        if r.str("isUsePackage")?.is_some_and(|v| v != "1" && v != "2") {
            return Err(ApiError::format("isUsePackage"));
        }
        let details = r.list("appDetailInfos");
        if details.is_empty() {
            return Err(ApiError::missing("appDetailInfos"));
        }
        for d in details {
            let d = Req::at(d);
            let app = d.req_str("appId")?;
            if !w.apps.iter().any(|a| a.id == app) {
                return Err(ApiError::with(
                    "1000007",
                    format!("Parameter appId has a wrong format: unknown app {app}"),
                ));
            }
            if let Some(t) = d.str("noLimitTemplateId")? {
                if !template_known(w, &t, Some(&app)) {
                    return Err(no_permission(&t));
                }
            }
            for c in d.list("appConsumption") {
                let c = Req::at(c);
                c.req_int("consumption")?;
                let t = c.req_str("upccTemplateId")?;
                if !template_known(w, &t, Some(&app)) {
                    return Err(no_permission(&t));
                }
            }
        }
    }
    s.period_unit = match req.str("periodUnit")?.as_deref() {
        None => None,
        Some(u @ ("1" | "2" | "3" | "4")) => u.parse().ok(),
        Some(_) => return Err(ApiError::format("periodUnit")),
    };
    Ok(s)
}

fn same_text(text: &str) -> Vec<Dialect> {
    [EN, ZH_CN, ZH_HK].into_iter().map(|lang| Dialect { lang, value: text.to_owned() }).collect()
}

fn spec_without_token(req: Req<'_>) -> Value {
    let mut v = req.0.clone();
    if let Some(m) = v.as_object_mut() {
        m.remove("accessToken");
    }
    v
}

fn apply(w: &World, b: &mut Bundle, s: Spec) {
    if let Some(n) = s.name {
        b.names = same_text(&n);
    }
    if let Some(d) = s.desc {
        b.descs = same_text(&d);
    }
    if let Some(p) = s.keep_period {
        b.period = p;
    }
    if let Some(d) = s.effective_day {
        b.validity_days = d.max(1);
    }
    if let Some(t) = s.flow_limit_type {
        b.limit_type = t;
    }
    if let Some(h) = s.hotspot {
        b.hotspot = h;
    }
    if let Some(tiers) = s.consumptions {
        b.volume_mb = tiers.into_iter().max().unwrap_or(10_240);
    }
    if let Some(m) = s.mccs {
        let refs: Vec<&str> = m.iter().map(String::as_str).collect();
        b.pools = pools_for(&w.countries, &refs);
    }
    if let Some(r) = s.refuels {
        b.refuels = r;
    }
    if s.support_refuel == Some(false) {
        b.refuels.clear();
    }
    if let Some(u) = s.period_unit {
        b.period_type = u - 1;
    }
}

/// 3.2.18 `SBO_add_package`: creates a bundle; `data` is its id.
pub fn add_package(w: &mut World, ctx: &Ctx, req: Req<'_>) -> ApiResult<Reply> {
    let spec = read_spec(w, req, true)?;
    let seq = w.next_seq();
    let stamp = compact(ctx.now);
    let id = format!("D{}{:07}", &stamp[2..], seq % 10_000_000);
    let mut b = Bundle {
        id: id.clone(),
        names: Vec::new(),
        descs: Vec::new(),
        pools: Vec::new(),
        status: 1,
        activation_mode: 2,
        limit_type: 1,
        period_type: 0,
        period: 1,
        imgurl: String::new(),
        prices: Vec::new(),
        original_prices: Vec::new(),
        refuels: Vec::new(),
        created: ctx.now,
        expire: ctx.now + 10 * 365 * 86_400,
        modified: ctx.now,
        promo: false,
        purchases_count: None,
        discount: None,
        deduction_model: "1",
        cooperation_mode: w.channels[ctx.channel].cooperation_mode,
        priority: None,
        group_id: "G9000".into(),
        volume_mb: 10_240,
        validity_days: 180,
        hotspot: true,
        owner: Some(ctx.channel),
        own_spec: Some(spec_without_token(req)),
    };
    apply(w, &mut b, spec);
    w.push_bundle(b);
    Ok(Reply::with(json!({ "data": id })))
}

fn own_bundle(w: &World, ctx: &Ctx, id: &str) -> ApiResult<usize> {
    w.bundle(id)
        .filter(|&b| w.bundles[b].owner == Some(ctx.channel) && w.bundles[b].status != 3)
        .ok_or_else(|| ApiError::code("1000132"))
}

/// 3.2.19 `SBO_update_package`: changes the fields given (partial update, as the spec's
/// example does); `effectiveDay` is mandatory.
pub fn update_package(w: &mut World, ctx: &Ctx, req: Req<'_>) -> ApiResult<Reply> {
    let id = req.req_str("id")?;
    req.req_str("effectiveDay")?;
    let b = own_bundle(w, ctx, &id)?;
    let spec = read_spec(w, req, false)?;
    let mut bundle = w.bundles[b].clone();
    apply(w, &mut bundle, spec);
    bundle.modified = ctx.now;
    if let (Some(Value::Object(old)), Value::Object(new)) = (bundle.own_spec.as_mut(), spec_without_token(req)) {
        old.extend(new);
    }
    w.bundles[b] = bundle;
    Ok(Reply::empty())
}

/// 3.2.20 `SBO_del_package`: cancels (status 3) one of the channel's bundles; copies already
/// bought keep working.
pub fn delete_package(w: &mut World, ctx: &Ctx, req: Req<'_>) -> ApiResult<Reply> {
    let id = req.req_str("id")?;
    let b = own_bundle(w, ctx, &id)?;
    w.bundles[b].status = 3;
    w.bundles[b].modified = ctx.now;
    Ok(Reply::empty())
}
