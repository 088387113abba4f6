//! The simulated platform: channels, cards, the catalogue, orders and subscriptions, and the
//! transitions that time drives (activation, expiry). Everything lives in one [`World`]
//! behind a mutex; handlers borrow it for microseconds and never across an `.await`.

use crate::clock;
use cmi_core::Secret;
use serde_json::Value;
use std::collections::HashMap;

/// Index of a channel in [`World::channels`].
pub type ChannelId = usize;

/// A channel (partner) account.
#[derive(Debug, Clone)]
pub struct Channel {
    /// Display name.
    pub name: String,
    /// App key: WSSE `Username` and token `id`.
    pub app_key: String,
    /// App secret.
    pub secret: Secret,
    /// The `userid` carried in its tokens (32 hex).
    pub user_id: String,
    /// Contract currency.
    pub currency: &'static str,
    /// Deposit balance in cents of `currency`.
    pub deposit: i64,
    /// Deposit at start, for the state view.
    pub initial_deposit: i64,
    /// Cooperation mode of the contract (`1` consignment, `2` A2Z).
    pub cooperation_mode: &'static str,
}

/// A language tag of DialectInfo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lang {
    /// ISO-639.
    pub language: &'static str,
    /// ISO-3166.
    pub country: &'static str,
}

/// English (US).
pub const EN: Lang = Lang { language: "en", country: "US" };
/// Simplified Chinese.
pub const ZH_CN: Lang = Lang { language: "zh", country: "CN" };
/// Traditional Chinese (HK).
pub const ZH_HK: Lang = Lang { language: "zh", country: "HK" };

/// One text in one language.
#[derive(Debug, Clone)]
pub struct Dialect {
    /// Language.
    pub lang: Lang,
    /// Text.
    pub value: String,
}

/// eSIM profile data of a card.
#[derive(Debug, Clone)]
pub struct Esim {
    /// EID of the eUICC it is installed on; empty until installed.
    pub eid: String,
    /// SM-DP+ address.
    pub smdp: String,
    /// Activation code (matching ID).
    pub activation_code: String,
    /// `released`, `downloaded`, `installed`, `enabled`, `disabled`, `deleted`.
    pub state: String,
    /// Device that installed it.
    pub device: String,
    /// Number of installs.
    pub install_count: u32,
    /// Last install time.
    pub install_time: Option<i64>,
    /// Last change.
    pub update_time: i64,
    /// ES2+ profile type.
    pub profile_type: String,
}

/// A real-name rule of a card (3.2.10 `realRuleList`).
#[derive(Debug, Clone)]
pub struct RealRule {
    /// Rule code.
    pub rule_id: String,
    /// Rule name.
    pub name: String,
    /// Countries it covers.
    pub mccs: Vec<String>,
    /// Document type.
    pub certificates_type: String,
    /// Document expiry `YYYY-MM-DD`.
    pub certificates_time: String,
    /// 1 awaiting, 2 in progress, 3 passed, 4 failed, 5 document expired.
    pub auth_status: String,
}

/// A primary card.
#[derive(Debug, Clone)]
pub struct Card {
    /// ICCID.
    pub iccid: String,
    /// Home IMSI.
    pub imsi: String,
    /// MSISDN.
    pub msisdn: String,
    /// Owning channel.
    pub channel: ChannelId,
    /// eSIM data; `None` for a physical card.
    pub esim: Option<Esim>,
    /// 0 normal, 1 suspended, 3 deregistered.
    pub status: u8,
    /// Created.
    pub created: i64,
    /// Card expiry.
    pub expire: i64,
    /// Last change.
    pub modified: i64,
    /// `0` manual activation, `1` automatic.
    pub service_usage_mode: &'static str,
    /// HLR id.
    pub hlr: String,
    /// OTA id.
    pub ota: String,
    /// Real-name rules.
    pub real_rules: Vec<RealRule>,
    /// Location updates: (since, MCC), in time order. Empty = never attached.
    pub locations: Vec<(i64, String)>,
    /// Data the card's user consumes per day, bytes.
    pub rate: u64,
}

impl Card {
    /// The MCC where the card was at `t` (its first location before any update).
    pub fn location_at(&self, t: i64) -> Option<&str> {
        let mut cur = self.locations.first().map(|l| l.1.as_str());
        for (since, mcc) in &self.locations {
            if *since <= t {
                cur = Some(mcc);
            } else {
                break;
            }
        }
        cur
    }

    /// Where the card is now.
    pub fn location(&self) -> Option<&str> {
        self.locations.last().map(|l| l.1.as_str())
    }

    /// Whether a passed real-name check is missing for `mcc`.
    pub fn real_name_blocks(&self, mcc: &str) -> bool {
        self.real_rules.iter().any(|r| r.mccs.iter().any(|m| m == mcc) && r.auth_status != "3")
    }
}

/// A sellable bundle (DataBundle).
#[derive(Debug, Clone)]
pub struct Bundle {
    /// Bundle id.
    pub id: String,
    /// Names.
    pub names: Vec<Dialect>,
    /// Descriptions.
    pub descs: Vec<Dialect>,
    /// Card pool id -> networks (MCC, MNC).
    pub pools: Vec<(String, Vec<(String, String)>)>,
    /// 1 normal, 2 off-sale, 3 cancelled.
    pub status: u8,
    /// 1 reserved date / first use, 2 location update, 3 usage threshold.
    pub activation_mode: u8,
    /// 1 per-cycle limit, 2 per-day limit.
    pub limit_type: u8,
    /// 0 24 h, 1 natural day, 2 natural month, 3 natural year.
    pub period_type: u8,
    /// Number of periods.
    pub period: u32,
    /// Cover image.
    pub imgurl: String,
    /// Prices in cents.
    pub prices: Vec<(&'static str, i64)>,
    /// List prices in cents.
    pub original_prices: Vec<(&'static str, i64)>,
    /// Linked add-on ids.
    pub refuels: Vec<String>,
    /// Created.
    pub created: i64,
    /// Sale expiry.
    pub expire: i64,
    /// Last change.
    pub modified: i64,
    /// `ext.isPromotionalPackage`.
    pub promo: bool,
    /// `ext.purchasesCount` (promotional only): copies one card may buy.
    pub purchases_count: Option<u32>,
    /// `ext.discount` in percent.
    pub discount: Option<u32>,
    /// `ext.deductionModel`: 1 standard, 2 binding.
    pub deduction_model: &'static str,
    /// `ext.cooperationMode`.
    pub cooperation_mode: &'static str,
    /// `ext.priority`.
    pub priority: Option<u32>,
    /// Bundle group (`Group_id` filter).
    pub group_id: String,
    /// High-speed volume in MB, per cycle or per day (`limit_type`).
    pub volume_mb: u64,
    /// Days an unactivated order stays valid.
    pub validity_days: u32,
    /// Hotspot (tethering) allowed.
    pub hotspot: bool,
    /// The channel that created it (3.2.18), if any.
    pub owner: Option<ChannelId>,
    /// The request fields of a channel-created bundle, as last written (3.2.18/3.2.19).
    pub own_spec: Option<Value>,
}

impl Bundle {
    /// Every MCC the bundle covers.
    pub fn mccs(&self) -> impl Iterator<Item = &str> {
        self.pools.iter().flat_map(|p| p.1.iter().map(|n| n.0.as_str()))
    }

    /// Whether it covers `mcc`.
    pub fn covers(&self, mcc: &str) -> bool {
        self.mccs().any(|m| m == mcc)
    }

    /// Price in `currency`, cents.
    pub fn price(&self, currency: &str) -> Option<i64> {
        self.prices.iter().find(|p| p.0 == currency).map(|p| p.1)
    }

    /// Whether add-ons can be bought on it.
    pub fn supports_refuel(&self) -> bool {
        !self.refuels.is_empty()
    }

    /// The name in `lang`, falling back to the first one.
    pub fn name_in(&self, lang: Lang) -> &str {
        self.names.iter().find(|d| d.lang == lang).or(self.names.first()).map(|d| d.value.as_str()).unwrap_or("")
    }
}

/// An add-on (RefuelingPackage / RefuelPack).
#[derive(Debug, Clone)]
pub struct Addon {
    /// Add-on id.
    pub id: String,
    /// Simplified-Chinese name.
    pub name_cn: String,
    /// Traditional-Chinese name.
    pub name_tw: String,
    /// English name.
    pub name_en: String,
    /// Volume in `flow_unit`.
    pub flow_value: u64,
    /// 1 MB, 2 GB.
    pub flow_unit: u8,
    /// Prices in cents.
    pub hkd: i64,
    /// USD cents.
    pub usd: i64,
    /// CNY cents.
    pub cny: i64,
    /// Created.
    pub created: i64,
    /// Orderable.
    pub ordering_allowed: bool,
    /// The channel that created it (3.2.21), if any.
    pub owner: Option<ChannelId>,
    /// Deleted by 3.2.23.
    pub deleted: bool,
}

impl Addon {
    /// Volume in MB.
    pub fn mb(&self) -> u64 {
        if self.flow_unit == 2 { self.flow_value * 1024 } else { self.flow_value }
    }

    /// Price in `currency`, cents.
    pub fn price(&self, currency: &str) -> Option<i64> {
        match currency {
            "USD" => Some(self.usd),
            "HKD" => Some(self.hkd),
            "CNY" => Some(self.cny),
            _ => None,
        }
    }
}

/// What an order bought.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderKind {
    /// Copies of a bundle.
    Bundle(usize),
    /// An add-on on a subscription.
    Addon {
        /// The add-on.
        addon: usize,
        /// The subscription it tops up.
        sub: usize,
    },
}

/// A platform (total) order.
#[derive(Debug, Clone)]
pub struct Order {
    /// `orderID`.
    pub id: String,
    /// Channel.
    pub channel: ChannelId,
    /// `thirdOrderId`.
    pub third_order_id: String,
    /// `transactionCode`, if any.
    pub txn: Option<String>,
    /// Card.
    pub card: usize,
    /// What it bought.
    pub kind: OrderKind,
    /// Copies (add-ons: days).
    pub quantity: u32,
    /// Unit price, cents.
    pub unit_price: i64,
    /// Total, cents.
    pub total: i64,
    /// Currency.
    pub currency: &'static str,
    /// Created.
    pub created: i64,
    /// Refunded by 3.2.12.
    pub refunded_at: Option<i64>,
    /// Child orders (subscriptions); empty for add-ons.
    pub children: Vec<usize>,
}

/// An add-on applied to a subscription.
#[derive(Debug, Clone, Copy)]
pub struct Refuel {
    /// Bought at.
    pub at: i64,
    /// Volume, bytes.
    pub bytes: u64,
    /// Days it covers on a per-day bundle (1 = the day of purchase).
    pub days: u32,
}

/// A child order: one copy of a bundle on a card (UserDataBundle).
#[derive(Debug, Clone)]
pub struct Subscription {
    /// `subscriptionKey` / `childOrderId`.
    pub key: String,
    /// Parent order.
    pub order: usize,
    /// Card.
    pub card: usize,
    /// Bundle.
    pub bundle: usize,
    /// Ordered at.
    pub created: i64,
    /// The order's validity: unactivated after this it expires.
    pub expire: i64,
    /// Designated activation date (00:00 UTC), activation mode 1.
    pub set_active: Option<i64>,
    /// Activated at.
    pub active_from: Option<i64>,
    /// Activated in.
    pub active_mcc: Option<String>,
    /// Natural end (exclusive), set on activation.
    pub end: Option<i64>,
    /// Ended early by 3.2.9.
    pub ended_early: Option<i64>,
    /// Refunded by 3.2.12.
    pub refunded: bool,
    /// Add-ons bought on it.
    pub refuels: Vec<Refuel>,
    /// Bytes already reported by 3.2.16.
    pub reported: u64,
}

/// UserDataBundle status: not activated.
pub const SUB_PENDING: u8 = 1;
/// UserDataBundle status: expired (or ended).
pub const SUB_EXPIRED: u8 = 2;
/// UserDataBundle status: activated.
pub const SUB_ACTIVE: u8 = 3;
/// UserDataBundle status: refunded.
pub const SUB_REFUNDED: u8 = 99;

impl Subscription {
    /// When use stops: natural end or early end, whichever first.
    pub fn effective_end(&self) -> Option<i64> {
        match (self.end, self.ended_early) {
            (Some(e), Some(x)) => Some(e.min(x)),
            (e, x) => e.or(x),
        }
    }

    /// UserDataBundle `status` at `t`.
    pub fn status(&self, t: i64) -> u8 {
        if self.refunded {
            return SUB_REFUNDED;
        }
        match self.active_from {
            Some(_) if self.effective_end().is_some_and(|e| t >= e) => SUB_EXPIRED,
            Some(_) => SUB_ACTIVE,
            None if t >= self.expire || self.ended_early.is_some() => SUB_EXPIRED,
            None => SUB_PENDING,
        }
    }
}

/// A UPCC (speed) template.
#[derive(Debug, Clone)]
pub struct UpccTemplate {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub desc: String,
    /// `1` hotspot allowed, `2` not.
    pub hotspot: &'static str,
}

/// An app's speed template (AppUpccInfo).
#[derive(Debug, Clone)]
pub struct AppUpcc {
    /// Template id.
    pub template_id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub desc: String,
    /// Speed.
    pub rate: u32,
    /// `1` kb/s, `2` mb/s.
    pub unit: &'static str,
}

/// A directional app linked to the channel.
#[derive(Debug, Clone)]
pub struct ChannelApp {
    /// App id (19 digits).
    pub id: String,
    /// Name.
    pub name: String,
    /// Templates.
    pub upcc: Vec<AppUpcc>,
}

/// A country with its operators (3.2.7) and usage tiers (3.2.25).
#[derive(Debug, Clone)]
pub struct Country {
    /// MCC.
    pub mcc: &'static str,
    /// Names: simplified Chinese, traditional Chinese, English.
    pub names: [&'static str; 3],
    /// Continent names, same order.
    pub continent: [&'static str; 3],
    /// Popular country.
    pub hot: bool,
    /// Operators: (name, MNC, APN).
    pub carriers: Vec<(&'static str, &'static str, &'static str)>,
    /// Usage tiers: (MB or none, only hotspot-capable bundles).
    pub tiers: Vec<(Option<u64>, bool)>,
}

/// A notification the platform owes a partner.
#[derive(Debug, Clone)]
pub enum Event {
    /// 3.2.15.
    Activation {
        /// Channel to notify.
        channel: ChannelId,
        /// Body.
        body: Value,
    },
    /// 3.2.16.
    Usage {
        /// Channel to notify.
        channel: ChannelId,
        /// Body.
        body: Value,
    },
    /// 3.2.17, one or more notifications delivered in order.
    Esim {
        /// Channel to notify.
        channel: ChannelId,
        /// Bodies.
        bodies: Vec<Value>,
    },
}

/// State of a `transactionCode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Txn {
    /// The order is committed but its answer has not left yet.
    InFlight,
    /// Done.
    Done,
}

/// The whole simulated platform.
#[derive(Debug, Default)]
pub struct World {
    /// Channels.
    pub channels: Vec<Channel>,
    /// Cards.
    pub cards: Vec<Card>,
    /// Catalogue and channel-created bundles.
    pub bundles: Vec<Bundle>,
    /// Add-ons.
    pub addons: Vec<Addon>,
    /// Orders.
    pub orders: Vec<Order>,
    /// Child orders.
    pub subs: Vec<Subscription>,
    /// UPCC templates.
    pub upcc: Vec<UpccTemplate>,
    /// Directional apps.
    pub apps: Vec<ChannelApp>,
    /// Countries.
    pub countries: Vec<Country>,
    /// Id counter.
    pub seq: u64,
    /// Seed of generated values.
    pub seed: u64,
    /// Transaction codes per channel.
    pub txns: HashMap<(ChannelId, String), Txn>,
    /// Notifications not yet handed to the dispatcher.
    pub outbox: Vec<Event>,
    idx_iccid: HashMap<String, usize>,
    idx_imsi: HashMap<String, usize>,
    idx_msisdn: HashMap<String, usize>,
    idx_bundle: HashMap<String, usize>,
    idx_addon: HashMap<String, usize>,
    idx_order: HashMap<String, usize>,
    idx_third: HashMap<(ChannelId, String), usize>,
    idx_sub: HashMap<String, usize>,
    idx_app_key: HashMap<String, ChannelId>,
}

impl World {
    /// Rebuilds every index after the dataset was filled in.
    pub fn reindex(&mut self) {
        self.idx_iccid = self.cards.iter().enumerate().map(|(i, c)| (c.iccid.clone(), i)).collect();
        self.idx_imsi = self.cards.iter().enumerate().map(|(i, c)| (c.imsi.clone(), i)).collect();
        self.idx_msisdn = self.cards.iter().enumerate().map(|(i, c)| (c.msisdn.clone(), i)).collect();
        self.idx_bundle = self.bundles.iter().enumerate().map(|(i, b)| (b.id.clone(), i)).collect();
        self.idx_addon = self.addons.iter().enumerate().map(|(i, a)| (a.id.clone(), i)).collect();
        self.idx_order = self.orders.iter().enumerate().map(|(i, o)| (o.id.clone(), i)).collect();
        self.idx_third =
            self.orders.iter().enumerate().map(|(i, o)| ((o.channel, o.third_order_id.clone()), i)).collect();
        self.idx_sub = self.subs.iter().enumerate().map(|(i, s)| (s.key.clone(), i)).collect();
        self.idx_app_key = self.channels.iter().enumerate().map(|(i, c)| (c.app_key.clone(), i)).collect();
    }

    /// Channel by app key.
    pub fn channel_by_key(&self, app_key: &str) -> Option<ChannelId> {
        self.idx_app_key.get(app_key).copied()
    }
    /// Card by ICCID.
    pub fn card_by_iccid(&self, iccid: &str) -> Option<usize> {
        self.idx_iccid.get(iccid).copied()
    }
    /// Card by IMSI.
    pub fn card_by_imsi(&self, imsi: &str) -> Option<usize> {
        self.idx_imsi.get(imsi).copied()
    }
    /// Card by MSISDN.
    pub fn card_by_msisdn(&self, msisdn: &str) -> Option<usize> {
        self.idx_msisdn.get(msisdn).copied()
    }
    /// Bundle by id.
    pub fn bundle(&self, id: &str) -> Option<usize> {
        self.idx_bundle.get(id).copied()
    }
    /// Add-on by id (deleted ones included).
    pub fn addon(&self, id: &str) -> Option<usize> {
        self.idx_addon.get(id).copied()
    }
    /// Order by `orderID`.
    pub fn order(&self, id: &str) -> Option<usize> {
        self.idx_order.get(id).copied()
    }
    /// Order by the channel's `thirdOrderId`.
    pub fn order_by_third(&self, channel: ChannelId, third: &str) -> Option<usize> {
        self.idx_third.get(&(channel, third.to_owned())).copied()
    }
    /// Subscription by `subscriptionKey`.
    pub fn sub(&self, key: &str) -> Option<usize> {
        self.idx_sub.get(key).copied()
    }

    /// A fresh number for generated ids.
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// Adds a bundle.
    pub fn push_bundle(&mut self, b: Bundle) -> usize {
        self.idx_bundle.insert(b.id.clone(), self.bundles.len());
        self.bundles.push(b);
        self.bundles.len() - 1
    }

    /// Adds an add-on.
    pub fn push_addon(&mut self, a: Addon) -> usize {
        self.idx_addon.insert(a.id.clone(), self.addons.len());
        self.addons.push(a);
        self.addons.len() - 1
    }

    /// Adds an order.
    pub fn push_order(&mut self, o: Order) -> usize {
        self.idx_order.insert(o.id.clone(), self.orders.len());
        self.idx_third.insert((o.channel, o.third_order_id.clone()), self.orders.len());
        self.orders.push(o);
        self.orders.len() - 1
    }

    /// Adds a subscription.
    pub fn push_sub(&mut self, s: Subscription) -> usize {
        self.idx_sub.insert(s.key.clone(), self.subs.len());
        self.subs.push(s);
        self.subs.len() - 1
    }

    /// The subscription in use on a card at `t`.
    pub fn active_sub(&self, card: usize, t: i64) -> Option<usize> {
        self.subs.iter().position(|s| s.card == card && s.status(t) == SUB_ACTIVE)
    }

    /// Subscriptions of a card, oldest first.
    pub fn subs_of(&self, card: usize) -> impl Iterator<Item = usize> + '_ {
        self.subs.iter().enumerate().filter(move |(_, s)| s.card == card).map(|(i, _)| i)
    }

    /// Activates a subscription at `at` in `mcc` and queues the 3.2.15 notification.
    pub fn activate(&mut self, sub: usize, at: i64, mcc: &str) {
        let b = &self.bundles[self.subs[sub].bundle];
        let (pt, p) = (b.period_type, b.period);
        let end = clock::period_end(at, pt, p);
        let s = &mut self.subs[sub];
        s.active_from = Some(at);
        s.active_mcc = Some(mcc.to_owned());
        s.end = Some(end);
        let card = &mut self.cards[s.card];
        if card.locations.is_empty() {
            card.locations.push((at, mcc.to_owned()));
        }
        let order = &self.orders[s.order];
        let body = serde_json::json!({
            "iccid": card.iccid,
            "packageId": self.bundles[s.bundle].id,
            "mcc": mcc,
            "thirdOrderId": order.third_order_id,
            "activeTime": clock::compact(at),
            "endTime": clock::compact(clock::shown_end(end, pt)),
            "orderId": order.id,
        });
        self.outbox.push(Event::Activation { channel: order.channel, body });
    }

    /// Whether `sub` could start on its own at `t` (its card is usable, it is pending, and its
    /// activation rule is met), and in which country. Mode 1 needs a designated date that has
    /// come (it starts in the card's country if covered, else the bundle's first); modes 2
    /// and 3 need a location the bundle covers (a location update or usage there).
    fn auto_start(&self, sub: usize, t: i64) -> Option<String> {
        let s = &self.subs[sub];
        let card = &self.cards[s.card];
        let b = &self.bundles[s.bundle];
        if s.status(t) != SUB_PENDING || card.status != 0 {
            return None;
        }
        let here = card.location_at(t).filter(|m| b.covers(m));
        let mcc = match b.activation_mode {
            // The reserved date starts billing wherever the card is.
            1 if s.set_active.is_some_and(|d| d <= t) => here.or_else(|| b.mccs().next())?,
            1 => return None,
            _ => here?,
        };
        (!card.real_name_blocks(mcc)).then(|| mcc.to_owned())
    }

    /// Starts, at `t`, the oldest pending subscription of each idle card that may start on
    /// its own. Returns how many started.
    pub fn run_activations(&mut self, t: i64, only_card: Option<usize>) -> usize {
        let mut started = 0;
        for card in 0..self.cards.len() {
            if only_card.is_some_and(|c| c != card) || self.active_sub(card, t).is_some() {
                continue;
            }
            let next = self.subs_of(card).find_map(|s| self.auto_start(s, t).map(|m| (s, m)));
            if let Some((s, mcc)) = next {
                self.activate(s, t, &mcc);
                started += 1;
            }
        }
        started
    }

    /// Moves the world from `t0` to `t1`: every attached card does a location update at
    /// `t0`, then activations and ends happen in time order. Returns the activations.
    pub fn advance(&mut self, t0: i64, t1: i64) -> usize {
        let mut cursor = t0;
        let mut started = 0;
        loop {
            started += self.run_activations(cursor, None);
            // The next moment something can change: an end, or a designated date.
            let next = self
                .subs
                .iter()
                .filter_map(|s| {
                    let end = s.effective_end().filter(|e| *e > cursor);
                    let date = s.set_active.filter(|d| *d > cursor && s.active_from.is_none());
                    match (end, date) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    }
                })
                .min();
            match next {
                Some(n) if n <= t1 => cursor = n,
                _ => break,
            }
        }
        started
    }
}
