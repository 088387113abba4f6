//! Catalogue and reference data: 3.2.2 bundles, 3.2.7 carriers, 3.2.14 UPCC templates,
//! 3.2.24 channel apps, 3.2.25 country groups.

use super::{Ctx, Reply, dialects, lang_012, page};
use crate::clock::compact;
use crate::error::{ApiError, ApiResult};
use crate::req::Req;
use crate::state::{Addon, Bundle, EN, Lang, World, ZH_CN, ZH_HK};
use serde_json::{Map, Value, json};

/// The DataBundle object of 3.2.2 (names filtered to `lang` when given, prices to
/// `currencies` when non-empty).
pub fn data_bundle(w: &World, b: &Bundle, lang: Option<Lang>, zh_any: bool, currencies: &[String]) -> Value {
    let keep = |l: Lang| match (lang, zh_any) {
        (None, false) => true,
        (_, true) => l.language == "zh",
        (Some(x), false) => x == l,
    };
    let names: Vec<_> = b.names.iter().filter(|d| keep(d.lang)).cloned().collect();
    let descs: Vec<_> = b.descs.iter().filter(|d| keep(d.lang)).cloned().collect();
    let prices = |list: &[(&str, i64)]| {
        Value::Array(
            list.iter()
                .filter(|p| currencies.is_empty() || currencies.iter().any(|c| c == p.0))
                .map(|p| json!({"currencyCode": p.0, "price": p.1.to_string()}))
                .collect(),
        )
    };
    let mut pools = Map::new();
    for (id, nets) in &b.pools {
        pools.insert(id.clone(), nets.iter().map(|(mcc, mnc)| json!({"mcc": mcc, "mnc": mnc})).collect());
    }
    let mut ext = Map::new();
    if let Some(p) = b.priority {
        ext.insert("priority".into(), p.to_string().into());
    }
    ext.insert("isPromotionalPackage".into(), if b.promo { "1" } else { "0" }.into());
    if let Some(n) = b.purchases_count {
        ext.insert("purchasesCount".into(), n.to_string().into());
    }
    if let Some(d) = b.discount {
        ext.insert("discount".into(), d.to_string().into());
    }
    ext.insert("deductionModel".into(), b.deduction_model.into());
    ext.insert("cooperationMode".into(), b.cooperation_mode.into());
    let refuels: Vec<Value> = b
        .refuels
        .iter()
        .filter_map(|id| w.addon(id))
        .map(|i| &w.addons[i])
        .filter(|a| !a.deleted)
        .map(refueling_package)
        .collect();
    json!({
        "id": b.id,
        "name": dialects(&names, None),
        "desc": dialects(&descs, None),
        "cardPools": pools,
        "status": b.status,
        "activationMode": b.activation_mode.to_string(),
        "type": b.limit_type,
        "periodType": b.period_type,
        "period": b.period,
        "imgurl": b.imgurl,
        "priceInfo": prices(&b.prices),
        "refuelingPackage": refuels,
        "createTime": compact(b.created),
        "expireTime": compact(b.expire),
        "lastModifyTime": compact(b.modified),
        "originalPriceInfo": prices(&b.original_prices),
        "ext": ext,
    })
}

/// The RefuelingPackage object of 3.2.2.
pub fn refueling_package(a: &Addon) -> Value {
    json!({
        "refuelingID": a.id,
        "nameCN": a.name_cn,
        "nameTW": a.name_tw,
        "nameEN": a.name_en,
        "flowValue": a.flow_value,
        "flowUnit": a.flow_unit.to_string(),
        "hkd": a.hkd.to_string(),
        "usd": a.usd.to_string(),
        "cny": a.cny.to_string(),
        "createTime": compact(a.created),
        "isOrderingAllowed": if a.ordering_allowed { "1" } else { "2" },
    })
}

/// 3.2.2 `app_getDataBundle_SBO`: the bundles the channel can sell.
pub fn query_data_bundles(w: &mut World, ctx: &Ctx, req: Req<'_>) -> ApiResult<Reply> {
    let mode = req.req_str("cooperationMode")?;
    if mode != "1" && mode != "2" {
        return Err(ApiError::format("cooperationMode"));
    }
    let country = req.str("country")?;
    let (lang, zh_any) = match req.str("language")?.as_deref() {
        None => (None, false),
        Some("en") => (Some(EN), false),
        Some("zh") => match country.as_deref() {
            Some("CN") => (Some(ZH_CN), false),
            Some("HK" | "TW" | "MO") => (Some(ZH_HK), false),
            _ => (None, true),
        },
        Some(code @ ("0" | "1" | "2")) => (Some(lang_012(code, "language")?), false),
        Some(_) => return Err(ApiError::format("language")),
    };
    let status = match req.int("status")? {
        Some(s) => Some(s),
        None => req.int("stauts")?,
    };
    if status.is_some_and(|s| !(1..=3).contains(&s)) {
        return Err(ApiError::format("status"));
    }
    let id = req.str("dataBundleId")?;
    let name = req.str("dataBundleName")?.map(|n| n.to_lowercase());
    let group = req.str("Group_id")?;
    let mcc = req.str("mcc")?;
    let currencies: Vec<String> = req.str_list("currency")?.into_iter().map(|c| c.to_uppercase()).collect();
    let (offset, count) = page(ctx, req)?;

    let list: Vec<Value> = w
        .bundles
        .iter()
        .filter(|b| b.owner.is_none_or(|o| o == ctx.channel))
        .filter(|b| b.cooperation_mode == mode)
        .filter(|b| match status {
            Some(s) => b.status as i64 == s,
            None => b.status != 3,
        })
        .filter(|b| id.as_deref().is_none_or(|i| b.id == i))
        .filter(|b| name.as_deref().is_none_or(|n| b.names.iter().any(|d| d.value.to_lowercase().contains(n))))
        .filter(|b| group.as_deref().is_none_or(|g| b.group_id == g))
        .filter(|b| mcc.as_deref().is_none_or(|m| b.covers(m)))
        .skip(offset)
        .take(count)
        .map(|b| data_bundle(w, b, lang, zh_any, &currencies))
        .collect();
    Ok(Reply::with(json!({ "dataBundles": list })))
}

/// 3.2.7 `APP_queryCarrier_SBO`: countries and operators with their APN.
pub fn query_carriers(w: &mut World, _ctx: &Ctx, req: Req<'_>) -> ApiResult<Reply> {
    let lang = req.req_str("language")?;
    let li = match lang.as_ref() {
        "0" => 0,
        "1" => 1,
        "2" => 2,
        _ => return Err(ApiError::format("language")),
    };
    let mcc = req.str("mcc")?;
    let continent = req.str("continent")?;
    let mut list = Vec::new();
    for c in &w.countries {
        if mcc.as_deref().is_some_and(|m| m != c.mcc) {
            continue;
        }
        if continent.as_deref().is_some_and(|k| !c.continent.iter().any(|n| n.eq_ignore_ascii_case(k))) {
            continue;
        }
        for (name, _mnc, apn) in &c.carriers {
            list.push(json!({
                "country": c.names[li],
                "continent": c.continent[li],
                "carrier": name,
                "isHot": if c.hot { "1" } else { "2" },
                "imageUrl": format!("https://img.sandbox.cmlink.example/flags/{}.png", c.mcc),
                "APN": apn,
                "mcc": c.mcc,
            }));
        }
    }
    Ok(Reply::with(json!({ "stateList": list })))
}

/// 3.2.14 `SBO_queryUpccTemplate`: the channel's UPCC templates.
pub fn query_upcc_templates(w: &mut World, _ctx: &Ctx, req: Req<'_>) -> ApiResult<Reply> {
    let id = req.str("templateId")?;
    let name = req.str("templateName")?;
    let desc = req.str("templateDesc")?;
    let hotspot = req.str("supportHotspot")?;
    if hotspot.as_deref().is_some_and(|h| h != "1" && h != "2") {
        return Err(ApiError::format("supportHotspot"));
    }
    let list: Vec<Value> = w
        .upcc
        .iter()
        .filter(|t| id.as_deref().is_none_or(|i| t.id == i))
        .filter(|t| name.as_deref().is_none_or(|n| t.name.contains(n)))
        .filter(|t| desc.as_deref().is_none_or(|d| t.desc.contains(d)))
        .filter(|t| hotspot.as_deref().is_none_or(|h| t.hotspot == h))
        .map(|t| {
            json!({"templateId": t.id, "templateName": t.name, "templateDesc": t.desc, "supportHotspot": t.hotspot})
        })
        .collect();
    Ok(Reply::with(json!({ "upccTemplate": list })))
}

/// 3.2.24 `SBO_channel_app`: directional apps and their speed templates.
pub fn query_channel_apps(w: &mut World, _ctx: &Ctx, req: Req<'_>) -> ApiResult<Reply> {
    let name = req.str("appName")?.map(|n| n.to_lowercase());
    let list: Vec<Value> = w
        .apps
        .iter()
        .filter(|a| name.as_deref().is_none_or(|n| a.name.to_lowercase().contains(n)))
        .map(|a| {
            let upcc: Vec<Value> = a
                .upcc
                .iter()
                .map(|u| {
                    json!({"upccTemplateId": u.template_id, "templateName": u.name, "templateDesc": u.desc, "rate": u.rate, "unit": u.unit})
                })
                .collect();
            json!({"id": a.id, "appName": a.name, "appUpccInfo": upcc})
        })
        .collect();
    Ok(Reply::with(json!({ "data": list })))
}

/// 3.2.25 `APP_getCountryGroupInfo_SBO`: countries of the channel's card pools and their
/// usage tiers. `isSupportedHotspots` = 2 leaves out tiers only hotspot-capable bundles may use.
pub fn query_country_groups(w: &mut World, _ctx: &Ctx, req: Req<'_>) -> ApiResult<Reply> {
    let hotspot = req.req_str("isSupportedHotspots")?;
    if hotspot != "1" && hotspot != "2" {
        return Err(ApiError::format("isSupportedHotspots"));
    }
    let list: Vec<Value> = w
        .countries
        .iter()
        .filter_map(|c| {
            let tiers: Vec<Value> = c
                .tiers
                .iter()
                .filter(|t| hotspot == "1" || !t.1)
                .map(|t| json!({"consumption": t.0, "is_only_supported_hotspots": if t.1 { "1" } else { "2" }}))
                .collect();
            (!tiers.is_empty()).then(|| json!({"mcc": c.mcc, "countryName": c.names[2], "consumption": tiers}))
        })
        .collect();
    Ok(Reply::with(json!({ "data": list })))
}
