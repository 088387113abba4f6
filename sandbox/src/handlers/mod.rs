//! Business handlers of the 21 token-carrying interfaces, one module per API area. A handler
//! is a plain function over the locked [`World`]: it validates the request (naming fields in
//! errors), applies the spec's rules and returns the payload fields that sit beside `code`.

pub mod cards;
pub mod catalogue;
pub mod esim;
pub mod orders;
pub mod own_packages;
pub mod refuel;
pub mod subscriptions;
pub mod usage;

use crate::error::{ApiError, ApiResult};
use crate::ops;
use crate::req::{Req, check_iccid, check_imsi};
use crate::state::{ChannelId, Dialect, EN, Lang, World, ZH_CN, ZH_HK};
use serde_json::{Map, Value, json};

/// Who calls, and when.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    /// The caller's channel (from the WSSE app key).
    pub channel: ChannelId,
    /// Business time.
    pub now: i64,
    /// `beginIndex` is a page number (shape variant `begin_index_pages`).
    pub pages: bool,
}

/// A handler's answer: the payload fields, and a `transactionCode` to mark done once the
/// answer has left.
#[derive(Debug, Default)]
pub struct Reply {
    /// Fields beside `code` and the description.
    pub payload: Map<String, Value>,
    /// (channel, transactionCode) of a created order.
    pub txn: Option<(ChannelId, String)>,
}

impl Reply {
    /// A reply with these fields.
    pub fn with(payload: Value) -> Self {
        match payload {
            Value::Object(payload) => Self { payload, txn: None },
            _ => Self::default(),
        }
    }

    /// A reply with no payload (commands whose answer is only code and description).
    pub fn empty() -> Self {
        Self::default()
    }
}

/// A handler.
pub type Handler = fn(&mut World, &Ctx, Req<'_>) -> ApiResult<Reply>;

/// The handler of operation `op` (an index of [`ops::OPS`]); 3.2.1 is served by the server.
pub fn handler(op: usize) -> Handler {
    match ops::OPS[op].name {
        "query_data_bundles" => catalogue::query_data_bundles,
        "activate_data_bundle" => cards::activate_data_bundle,
        "query_himsi_state" => cards::query_himsi_state,
        "create_order" => orders::create_order,
        "query_subscribed_bundles" => subscriptions::query_subscribed_bundles,
        "query_carriers" => catalogue::query_carriers,
        "query_quota" => usage::query_quota,
        "end_package" => cards::end_package,
        "query_sim_info" => cards::query_sim_info,
        "query_usage_trajectories" => usage::query_usage_trajectories,
        "unsubscribe_order" => orders::unsubscribe_order,
        "query_esim_card_info" => esim::query_esim_card_info,
        "query_upcc_templates" => catalogue::query_upcc_templates,
        "add_package" => own_packages::add_package,
        "update_package" => own_packages::update_package,
        "delete_package" => own_packages::delete_package,
        "add_refuel_package" => refuel::add_refuel_package,
        "query_refuel_packages" => refuel::query_refuel_packages,
        "delete_refuel_package" => refuel::delete_refuel_package,
        "query_channel_apps" => catalogue::query_channel_apps,
        "query_country_groups" => catalogue::query_country_groups,
        _ => |_, _, _| Err(ApiError::code("9999999")),
    }
}

/// A kind of card selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelKind {
    /// ICCID.
    Iccid,
    /// Home IMSI.
    Imsi,
    /// MSISDN.
    Msisdn,
}

/// Finds a card of the caller's channel by one selector value; `field` names it in errors.
pub fn find_card(w: &World, ctx: &Ctx, kind: SelKind, value: &str, field: &str) -> ApiResult<usize> {
    let card = match kind {
        SelKind::Iccid => {
            check_iccid(value, field)?;
            w.card_by_iccid(value).ok_or_else(|| ApiError::code("1000013"))?
        }
        SelKind::Imsi => {
            check_imsi(value, field)?;
            w.card_by_imsi(value).ok_or_else(|| ApiError::code("1000012"))?
        }
        SelKind::Msisdn => w.card_by_msisdn(value).ok_or_else(|| ApiError::code("1000014"))?,
    };
    if w.cards[card].channel != ctx.channel {
        return Err(match kind {
            SelKind::Iccid => ApiError::not_ours(value),
            _ => ApiError::code("1000076"),
        });
    }
    Ok(card)
}

/// Finds the card named by the first non-empty of `selectors` (checked in the order given);
/// none given answers `1000005` with `missing`.
pub fn pick_card(
    w: &World,
    ctx: &Ctx,
    req: Req<'_>,
    selectors: &[(&str, SelKind)],
    missing: &'static str,
) -> ApiResult<usize> {
    for (field, kind) in selectors {
        if let Some(v) = req.str(field)? {
            return find_card(w, ctx, *kind, &v, field);
        }
    }
    Err(ApiError::with("1000005", missing))
}

/// DialectInfo list, optionally only one language.
pub fn dialects(list: &[Dialect], only: Option<Lang>) -> Value {
    Value::Array(
        list.iter()
            .filter(|d| only.is_none_or(|l| l == d.lang))
            .map(|d| json!({"langInfo": {"language": d.lang.language, "country": d.lang.country}, "value": d.value}))
            .collect(),
    )
}

/// The 0/1/2 language code of 3.2.6 and 3.2.7 (0 simplified Chinese, 1 traditional Chinese,
/// 2 English).
pub fn lang_012(code: &str, field: &str) -> ApiResult<Lang> {
    match code {
        "0" => Ok(ZH_CN),
        "1" => Ok(ZH_HK),
        "2" => Ok(EN),
        _ => Err(ApiError::format(field)),
    }
}

/// Offset and size of a page from `beginIndex`/`count` (defaults 0 and 50).
pub fn page(ctx: &Ctx, req: Req<'_>) -> ApiResult<(usize, usize)> {
    let begin = req.int("beginIndex")?.unwrap_or(0);
    let count = req.int("count")?.unwrap_or(50);
    if begin < 0 {
        return Err(ApiError::format("beginIndex"));
    }
    if count < 0 {
        return Err(ApiError::format("count"));
    }
    let count = if count == 0 { 50 } else { count as usize };
    let offset = if ctx.pages { (begin as usize).saturating_mul(count) } else { begin as usize };
    Ok((offset, count))
}
