//! The deterministic demo dataset: two channels, 20 cards, 13 bundles, add-ons, UPCC
//! templates, apps and 21 countries. Timestamps of history (orders, activations) are relative
//! to the business clock at build time; everything else is fixed. [`demo`] names the cards
//! and bundles that tests and demos rely on.

use crate::quota::{MB, usage};
use crate::state::*;
use cmi_core::Secret;
use cmi_core::datetime::DateTime;

/// Names of the demo dataset's cards, bundles and add-ons.
pub mod demo {
    /// eSIM, installed and enabled (has an EID), attached in Hong Kong (454), no orders: the
    /// card for happy paths.
    pub const ICCID_ESIM: &str = "89852342024000000013";
    /// eSIM attached in 454 with an active `BUNDLE_HK_MO_5GB` (activated 2 days before start).
    pub const ICCID_ACTIVE: &str = "89852342024000000021";
    /// eSIM attached in Japan (440) with an active per-day `BUNDLE_JP_DAILY` (activated 1 day
    /// before start).
    pub const ICCID_ACTIVE_DAILY: &str = "89852342024000000039";
    /// eSIM never attached, with a pending (not activated) `BUNDLE_CN_3GB` ordered the day
    /// before start.
    pub const ICCID_PENDING: &str = "89852342024000000047";
    /// eSIM attached in mainland China (460) whose real-name check for 460 is still awaiting:
    /// activation there fails with 1000060.
    pub const ICCID_REAL_NAME: &str = "89852342024000000054";
    /// eSIM attached in 454 whose `BUNDLE_HK_DAILY` expired a week before start.
    pub const ICCID_EXPIRED: &str = "89852342024000000062";
    /// Fresh eSIM cards (profile released, no EID, no orders); the first four are attached in
    /// 454, the others never attached.
    pub const ICCID_STOCK: [&str; 9] = [
        "89852342024000000070",
        "89852342024000000088",
        "89852342024000000096",
        "89852342024000000104",
        "89852342024000000112",
        "89852342024000000120",
        "89852342024000000138",
        "89852342024000000146",
        "89852342024000000153",
    ];
    /// eSIM, enabled, attached in the USA (310).
    pub const ICCID_USA: &str = "89852342024000000161";
    /// eSIM installed then disabled, attached in 454.
    pub const ICCID_ESIM_DISABLED: &str = "89852342024000000179";
    /// The one physical card (19-digit ICCID), attached in 454: 3.2.13 answers 1000090.
    pub const ICCID_PHYSICAL: &str = "8985234202310000181";
    /// A suspended card (status 1), attached in 454: orders and activation fail with 1000153.
    pub const ICCID_SUSPENDED: &str = "89852342024000000195";
    /// A card of the other channel ([`OTHER_APP_KEY`](crate::OTHER_APP_KEY)): 1000073.
    pub const ICCID_FOREIGN: &str = "89852342024000000203";

    /// Hong Kong 1 GB/day, 3 natural days, activation mode 2, USD 5.00. Add-ons 500 MB, 1 GB.
    pub const BUNDLE_HK_DAILY: &str = "D2401011200000000001";
    /// Hong Kong & Macau 5 GB, 7 × 24 h, mode 2, USD 12.00. Add-ons 1 GB, 3 GB.
    pub const BUNDLE_HK_MO_5GB: &str = "D2401011200000000002";
    /// China mainland 3 GB, 7 × 24 h, mode 1 (3.2.3 or `setActiveTime`), USD 9.00.
    pub const BUNDLE_CN_3GB: &str = "D2401011200000000003";
    /// Greater China (460, 454, 455, 466) 10 GB, 15 natural days, mode 2, USD 25.00. Add-on 3 GB.
    pub const BUNDLE_GREATER_CHINA: &str = "D2401011200000000004";
    /// Japan 2 GB/day, 5 natural days, mode 2, USD 15.00. Add-ons 500 MB, 1 GB.
    pub const BUNDLE_JP_DAILY: &str = "D2401011200000000005";
    /// South Korea 1 GB/day, 5 natural days, mode 1, USD 13.00.
    pub const BUNDLE_KR_DAILY: &str = "D2401011200000000006";
    /// Asia 8 countries 10 GB, 30 × 24 h, mode 2, USD 35.00. Add-ons 3 GB, 1 GB (not orderable).
    pub const BUNDLE_ASIA: &str = "D2401011200000000007";
    /// Europe 5 countries 20 GB, 30 × 24 h, mode 3, USD 45.00.
    pub const BUNDLE_EUROPE: &str = "D2401011200000000008";
    /// USA & Canada 10 GB, 1 natural month, mode 1, USD 30.00. Add-on 1 GB.
    pub const BUNDLE_NORTH_AMERICA: &str = "D2401011200000000009";
    /// Global 500 MB/day, 1 natural year, mode 2, USD 99.00.
    pub const BUNDLE_GLOBAL: &str = "D2401011200000000010";
    /// Thailand 6 GB, 8 × 24 h, status 2 (off-sale): orders fail with 1000151.
    pub const BUNDLE_TH_OFF_SALE: &str = "D2401011200000000011";
    /// Singapore & Malaysia 3 GB, 7 natural days, promotional (one per card), USD 3.00
    /// (list price 6.00).
    pub const BUNDLE_PROMO: &str = "D2401011200000000012";
    /// Australia 5 GB, 10 × 24 h, cooperation mode 2 (A2Z): listed only for
    /// `cooperationMode` 2; the demo channel (mode 1) gets 1000105 ordering it.
    pub const BUNDLE_AU_A2Z: &str = "D2401011200000000013";

    /// Catalogue add-on 500 MB, USD 3.00.
    pub const ADDON_500MB: &str = "R2401011200000000001";
    /// Catalogue add-on 1 GB, USD 5.00.
    pub const ADDON_1GB: &str = "R2401011200000000002";
    /// Catalogue add-on 3 GB, USD 12.00.
    pub const ADDON_3GB: &str = "R2401011200000000003";
    /// Catalogue add-on 1 GB that is not orderable (1000097).
    pub const ADDON_CLOSED: &str = "R2401011200000000004";
}

/// Demo channel deposit at start: USD 1,000.00.
pub const DEMO_DEPOSIT_CENTS: i64 = 100_000;

fn ts(s: &str) -> i64 {
    DateTime::parse(s).map(|d| d.unix_seconds()).unwrap_or(0)
}

fn d3(en: &str, cn: &str, hk: &str) -> Vec<Dialect> {
    vec![
        Dialect { lang: EN, value: en.to_owned() },
        Dialect { lang: ZH_CN, value: cn.to_owned() },
        Dialect { lang: ZH_HK, value: hk.to_owned() },
    ]
}

/// Luhn check digit of a digit string.
pub fn luhn(s: &str) -> char {
    let sum: u32 = s
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = (b - b'0') as u32;
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    char::from(b'0' + ((10 - sum % 10) % 10) as u8)
}

fn countries() -> Vec<Country> {
    const ASIA: [&str; 3] = ["亚洲", "亞洲", "Asia"];
    const EUROPE: [&str; 3] = ["欧洲", "歐洲", "Europe"];
    const NA: [&str; 3] = ["北美洲", "北美洲", "North America"];
    const OCEANIA: [&str; 3] = ["大洋洲", "大洋洲", "Oceania"];
    let std = || vec![(Some(500), false), (Some(1024), false)];
    let c = |mcc, names, continent, hot, carriers: Vec<(&'static str, &'static str, &'static str)>| Country {
        mcc,
        names,
        continent,
        hot,
        carriers,
        tiers: std(),
    };
    let mut v = vec![
        c("454", ["香港", "香港", "Hong Kong"], ASIA, true, vec![("CMHK", "12", "cmlink"), ("CSL", "00", "cmlink")]),
        c("455", ["澳门", "澳門", "Macau"], ASIA, false, vec![("CTM", "01", "cmlink")]),
        c(
            "460",
            ["中国内地", "中國內地", "China Mainland"],
            ASIA,
            true,
            vec![("China Mobile", "00", "cmnet"), ("China Unicom", "01", "3gnet")],
        ),
        c("466", ["台湾", "台灣", "Taiwan"], ASIA, false, vec![("Chunghwa Telecom", "92", "cmlink")]),
        c(
            "440",
            ["日本", "日本", "Japan"],
            ASIA,
            true,
            vec![("NTT Docomo", "10", "cmlink"), ("SoftBank", "20", "cmlink")],
        ),
        c(
            "450",
            ["韩国", "韓國", "South Korea"],
            ASIA,
            true,
            vec![("SK Telecom", "05", "cmlink"), ("KT", "08", "cmlink")],
        ),
        c("520", ["泰国", "泰國", "Thailand"], ASIA, true, vec![("AIS", "03", "cmlink"), ("DTAC", "05", "cmlink")]),
        c("525", ["新加坡", "新加坡", "Singapore"], ASIA, false, vec![("Singtel", "01", "cmlink")]),
        c("502", ["马来西亚", "馬來西亞", "Malaysia"], ASIA, false, vec![("Maxis", "12", "cmlink")]),
        c("452", ["越南", "越南", "Vietnam"], ASIA, false, vec![("Viettel", "04", "cmlink")]),
        c("402", ["不丹", "不丹", "Bhutan"], ASIA, false, vec![("B-Mobile", "11", "cmlink")]),
        c(
            "310",
            ["美国", "美國", "United States"],
            NA,
            true,
            vec![("T-Mobile", "260", "cmlink"), ("AT&T", "410", "cmlink")],
        ),
        c("302", ["加拿大", "加拿大", "Canada"], NA, false, vec![("Rogers", "720", "cmlink")]),
        c("342", ["巴巴多斯", "巴巴多斯", "Barbados"], NA, false, vec![("Digicel", "750", "cmlink")]),
        c(
            "234",
            ["英国", "英國", "United Kingdom"],
            EUROPE,
            true,
            vec![("Vodafone UK", "15", "cmlink"), ("EE", "30", "cmlink")],
        ),
        c("208", ["法国", "法國", "France"], EUROPE, false, vec![("Orange", "01", "cmlink")]),
        c("262", ["德国", "德國", "Germany"], EUROPE, false, vec![("Telekom", "01", "cmlink")]),
        c("222", ["意大利", "意大利", "Italy"], EUROPE, false, vec![("TIM", "01", "cmlink")]),
        c("214", ["西班牙", "西班牙", "Spain"], EUROPE, false, vec![("Movistar", "07", "cmlink")]),
        c("206", ["比利时", "比利時", "Belgium"], EUROPE, false, vec![("Proximus", "01", "cmlink")]),
        c("505", ["澳大利亚", "澳洲", "Australia"], OCEANIA, true, vec![("Telstra", "01", "cmlink")]),
    ];
    for c in &mut v {
        match c.mcc {
            "342" => c.tiers = vec![(None, false)],
            "452" => c.tiers = vec![(Some(1024), true)],
            "402" => c.tiers = vec![(Some(500), false)],
            _ => {}
        }
    }
    v
}

/// Card pool of a country (pools never overlap).
fn pool_of(mcc: &str) -> &'static str {
    match mcc {
        "454" | "455" => "100001",
        "460" => "100002",
        "466" => "100003",
        "440" | "450" => "100004",
        "520" | "525" | "502" | "452" | "402" => "100005",
        "234" | "208" | "262" | "222" | "214" | "206" => "100006",
        "310" | "302" | "342" => "100007",
        _ => "100008",
    }
}

/// `cardPools` for a set of countries, with every operator of each.
pub fn pools_for(countries: &[Country], mccs: &[&str]) -> Vec<(String, Vec<(String, String)>)> {
    let mut pools: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for mcc in mccs {
        let Some(c) = countries.iter().find(|c| c.mcc == *mcc) else { continue };
        let pool = pool_of(mcc);
        let nets = c.carriers.iter().map(|k| (c.mcc.to_owned(), k.1.to_owned()));
        match pools.iter_mut().find(|p| p.0 == pool) {
            Some(p) => p.1.extend(nets),
            None => pools.push((pool.to_owned(), nets.collect())),
        }
    }
    pools
}

struct B {
    id: &'static str,
    en: &'static str,
    cn: &'static str,
    hk: &'static str,
    mccs: &'static [&'static str],
    limit: u8,
    ptype: u8,
    period: u32,
    mode: u8,
    mb: u64,
    usd: i64,
    refuels: &'static [&'static str],
}

fn bundles(countries: &[Country]) -> Vec<Bundle> {
    use demo::*;
    let list = [
        B {
            id: BUNDLE_HK_DAILY,
            en: "Hong Kong 1GB/day 3 days",
            cn: "香港每日1GB 3天",
            hk: "香港每日1GB 3天",
            mccs: &["454"],
            limit: 2,
            ptype: 1,
            period: 3,
            mode: 2,
            mb: 1024,
            usd: 500,
            refuels: &[ADDON_500MB, ADDON_1GB],
        },
        B {
            id: BUNDLE_HK_MO_5GB,
            en: "Hong Kong & Macau 5GB 7 days",
            cn: "港澳5GB 7天",
            hk: "港澳5GB 7天",
            mccs: &["454", "455"],
            limit: 1,
            ptype: 0,
            period: 7,
            mode: 2,
            mb: 5120,
            usd: 1200,
            refuels: &[ADDON_1GB, ADDON_3GB],
        },
        B {
            id: BUNDLE_CN_3GB,
            en: "China Mainland 3GB 7 days",
            cn: "中国内地3GB 7天",
            hk: "中國內地3GB 7天",
            mccs: &["460"],
            limit: 1,
            ptype: 0,
            period: 7,
            mode: 1,
            mb: 3072,
            usd: 900,
            refuels: &[],
        },
        B {
            id: BUNDLE_GREATER_CHINA,
            en: "Greater China 10GB 15 days",
            cn: "大中华10GB 15天",
            hk: "大中華10GB 15天",
            mccs: &["460", "454", "455", "466"],
            limit: 1,
            ptype: 1,
            period: 15,
            mode: 2,
            mb: 10240,
            usd: 2500,
            refuels: &[ADDON_3GB],
        },
        B {
            id: BUNDLE_JP_DAILY,
            en: "Japan 2GB/day 5 days",
            cn: "日本每日2GB 5天",
            hk: "日本每日2GB 5天",
            mccs: &["440"],
            limit: 2,
            ptype: 1,
            period: 5,
            mode: 2,
            mb: 2048,
            usd: 1500,
            refuels: &[ADDON_500MB, ADDON_1GB],
        },
        B {
            id: BUNDLE_KR_DAILY,
            en: "South Korea 1GB/day 5 days",
            cn: "韩国每日1GB 5天",
            hk: "韓國每日1GB 5天",
            mccs: &["450"],
            limit: 2,
            ptype: 1,
            period: 5,
            mode: 1,
            mb: 1024,
            usd: 1300,
            refuels: &[],
        },
        B {
            id: BUNDLE_ASIA,
            en: "Asia 8 countries 10GB 30 days",
            cn: "亚洲8国10GB 30天",
            hk: "亞洲8國10GB 30天",
            mccs: &["454", "455", "466", "440", "450", "520", "525", "502"],
            limit: 1,
            ptype: 0,
            period: 30,
            mode: 2,
            mb: 10240,
            usd: 3500,
            refuels: &[ADDON_3GB, ADDON_CLOSED],
        },
        B {
            id: BUNDLE_EUROPE,
            en: "Europe 5 countries 20GB 30 days",
            cn: "欧洲5国20GB 30天",
            hk: "歐洲5國20GB 30天",
            mccs: &["234", "208", "262", "222", "214"],
            limit: 1,
            ptype: 0,
            period: 30,
            mode: 3,
            mb: 20480,
            usd: 4500,
            refuels: &[],
        },
        B {
            id: BUNDLE_NORTH_AMERICA,
            en: "USA & Canada 10GB 1 month",
            cn: "美加10GB 1个月",
            hk: "美加10GB 1個月",
            mccs: &["310", "302"],
            limit: 1,
            ptype: 2,
            period: 1,
            mode: 1,
            mb: 10240,
            usd: 3000,
            refuels: &[ADDON_1GB],
        },
        B {
            id: BUNDLE_GLOBAL,
            en: "Global 500MB/day 1 year",
            cn: "全球每日500MB 1年",
            hk: "全球每日500MB 1年",
            mccs: &[
                "454", "455", "460", "466", "440", "450", "520", "525", "502", "310", "302", "234", "208", "262",
                "222", "214", "505",
            ],
            limit: 2,
            ptype: 3,
            period: 1,
            mode: 2,
            mb: 500,
            usd: 9900,
            refuels: &[],
        },
        B {
            id: BUNDLE_TH_OFF_SALE,
            en: "Thailand 6GB 8 days",
            cn: "泰国6GB 8天",
            hk: "泰國6GB 8天",
            mccs: &["520"],
            limit: 1,
            ptype: 0,
            period: 8,
            mode: 2,
            mb: 6144,
            usd: 800,
            refuels: &[],
        },
        B {
            id: BUNDLE_PROMO,
            en: "Singapore & Malaysia 3GB 7 days (promotion)",
            cn: "新马3GB 7天（优惠）",
            hk: "新馬3GB 7天（優惠）",
            mccs: &["525", "502"],
            limit: 1,
            ptype: 1,
            period: 7,
            mode: 2,
            mb: 3072,
            usd: 300,
            refuels: &[],
        },
        B {
            id: BUNDLE_AU_A2Z,
            en: "Australia 5GB 10 days",
            cn: "澳大利亚5GB 10天",
            hk: "澳洲5GB 10天",
            mccs: &["505"],
            limit: 1,
            ptype: 0,
            period: 10,
            mode: 2,
            mb: 5120,
            usd: 1400,
            refuels: &[],
        },
    ];
    list.iter()
        .enumerate()
        .map(|(i, b)| {
            let per = if b.limit == 2 { "per day" } else { "in total" };
            let per_cn = if b.limit == 2 { "每日" } else { "共" };
            let prices = vec![("USD", b.usd), ("HKD", b.usd * 78 / 10), ("CNY", b.usd * 72 / 10)];
            let promo = b.id == BUNDLE_PROMO;
            Bundle {
                id: b.id.to_owned(),
                names: d3(b.en, b.cn, b.hk),
                descs: d3(
                    &format!("{} MB high-speed data {per}; then 128 kbps. Covers {}.", b.mb, b.mccs.join(", ")),
                    &format!("高速流量{per_cn}{}MB，用完后限速128kbps。覆盖MCC：{}。", b.mb, b.mccs.join("、")),
                    &format!("高速數據{per_cn}{}MB，用完後限速128kbps。覆蓋MCC：{}。", b.mb, b.mccs.join("、")),
                ),
                pools: pools_for(countries, b.mccs),
                status: if b.id == BUNDLE_TH_OFF_SALE { 2 } else { 1 },
                activation_mode: b.mode,
                limit_type: b.limit,
                period_type: b.ptype,
                period: b.period,
                imgurl: format!("https://img.sandbox.cmlink.example/bundles/{}.png", b.id),
                original_prices: if promo { prices.iter().map(|p| (p.0, p.1 * 2)).collect() } else { prices.clone() },
                prices,
                refuels: b.refuels.iter().map(|s| (*s).to_owned()).collect(),
                created: ts("20240101120000") + i as i64 * 3600,
                expire: ts("20301231235959"),
                modified: ts("20240301080000") + i as i64 * 60,
                promo,
                purchases_count: promo.then_some(1),
                discount: promo.then_some(50),
                deduction_model: "1",
                cooperation_mode: if b.id == BUNDLE_AU_A2Z { "2" } else { "1" },
                priority: Some(i as u32 + 1),
                group_id: match b.mccs.first().copied() {
                    Some("234" | "310" | "505") => "G0002".to_owned(),
                    _ => "G0001".to_owned(),
                },
                volume_mb: b.mb,
                validity_days: 180,
                hotspot: true,
                owner: None,
                own_spec: None,
            }
        })
        .collect()
}

/// An add-on named `"<label> add-on"` / `"<label>加油包"`.
fn addon(id: &str, label: &str, value: u64, unit: u8, usd: i64, allowed: bool, owner: Option<ChannelId>) -> Addon {
    Addon {
        id: id.to_owned(),
        name_cn: format!("{label}加油包"),
        name_tw: format!("{label}加油包"),
        name_en: format!("{label} add-on"),
        flow_value: value,
        flow_unit: unit,
        hkd: usd * 78 / 10,
        usd,
        cny: usd * 72 / 10,
        created: ts("20240101120000"),
        ordering_allowed: allowed,
        owner,
        deleted: false,
    }
}

fn upcc() -> Vec<UpccTemplate> {
    let t = |id: &str, name: &str, desc: &str, hotspot| UpccTemplate {
        id: id.to_owned(),
        name: name.to_owned(),
        desc: desc.to_owned(),
        hotspot,
    };
    vec![
        t("P23061314255918", "unlimited-1M", "1 Mbps without an upper limit", "1"),
        t("P23061314267445", "high-speed-100M", "100 Mbps high speed", "1"),
        t("P23061314278118", "high-speed-20M", "20 Mbps", "1"),
        t("P23061314289001", "no-hotspot-10M", "10 Mbps, tethering blocked", "2"),
        t("P23061314290112", "throttle-128k", "128 kbps after the quota", "2"),
    ]
}

fn apps() -> Vec<ChannelApp> {
    let u = |id: &str, name: &str, desc: &str, rate, unit| AppUpcc {
        template_id: id.to_owned(),
        name: name.to_owned(),
        desc: desc.to_owned(),
        rate,
        unit,
    };
    vec![
        ChannelApp {
            id: "1760202564336353280".into(),
            name: "youtube".into(),
            upcc: vec![
                u("P24022110215681", "youtube-10M", "g_default_youtube_10m\n", 10, "2"),
                u("P24022111193893", "youtube-0kb", "g_default_youtube_block\n", 0, "2"),
            ],
        },
        ChannelApp {
            id: "1760202763620319232".into(),
            name: "tiktok".into(),
            upcc: vec![
                u("P24022110231944", "tiktok-5M", "g_default_tiktok_5m\n", 5, "2"),
                u("P24022110247073", "tiktok-2M", "g_default_tiktok_2m\n", 2, "2"),
                u("P24022111211572", "tiktok-512k", "g_default_tiktok_512k\n", 512, "1"),
            ],
        },
        ChannelApp {
            id: "1760202953232220160".into(),
            name: "iqiyi".into(),
            upcc: vec![u("P24022111224160", "iqiyi-2M", "g_default_iqiyi_2m\n", 2, "2")],
        },
    ]
}

/// Builds the demo world at business time `now`.
pub fn build(now: i64, seed: u64, demo_key: &str, demo_secret: &str, other_key: &str, other_secret: &str) -> World {
    use demo::*;
    let mut w = World::default();
    w.seed = seed;
    w.seq = (seed % 1000) * 100_000;
    w.channels = vec![
        Channel {
            name: "Demo Travel eSIM Ltd.".into(),
            app_key: demo_key.to_owned(),
            secret: Secret::new(demo_secret),
            user_id: "5f8d0d55b54a4a8ba6fb2ba0c7c1d2e3".into(),
            currency: "USD",
            deposit: DEMO_DEPOSIT_CENTS,
            initial_deposit: DEMO_DEPOSIT_CENTS,
            cooperation_mode: "1",
        },
        Channel {
            name: "Other Channel Co.".into(),
            app_key: other_key.to_owned(),
            secret: Secret::new(other_secret),
            user_id: "9a1b2c3d4e5f60718293a4b5c6d7e8f9".into(),
            currency: "USD",
            deposit: 50_000,
            initial_deposit: 50_000,
            cooperation_mode: "1",
        },
    ];
    w.countries = countries();
    w.bundles = bundles(&w.countries);
    w.addons = vec![
        addon(ADDON_500MB, "500MB", 500, 1, 300, true, None),
        addon(ADDON_1GB, "1GB", 1, 2, 500, true, None),
        addon(ADDON_3GB, "3GB", 3, 2, 1200, true, None),
        addon(ADDON_CLOSED, "1GB", 1, 2, 450, false, None),
        addon("R2402221627575904176", "500MB", 500, 1, 0, true, Some(0)),
        addon("R2402291445123241410", "1024MB", 1024, 1, 0, true, Some(0)),
        addon("R2402231520074242650", "2048MB", 2048, 1, 0, true, Some(0)),
        addon("R2402221642190475846", "10240MB", 10240, 1, 0, true, Some(0)),
        addon("R2403071521207715011", "40960MB", 40960, 1, 0, true, Some(0)),
    ];
    w.upcc = upcc();
    w.apps = apps();

    let card_created = ts("20240115000000");
    for n in 1..=20u64 {
        let iccid = match n {
            18 => {
                let base = format!("898523420231{n:06}");
                format!("{base}{}", luhn(&base))
            }
            _ => {
                let base = format!("898523420240{n:07}");
                format!("{base}{}", luhn(&base))
            }
        };
        let esim = (n != 18).then(|| {
            let h = (n * 2_654_435_761 + seed * 40_503) % 0xFFFF_FFFF;
            let installed = matches!(n, 1 | 2 | 3 | 16 | 17 | 20);
            Esim {
                eid: if installed { format!("89049032{:024}", 5_223_001_347_834_500 + n) } else { String::new() },
                smdp: "smdp.sandbox.cmlink.example".into(),
                activation_code: format!(
                    "{:04X}-{:04X}-{:04X}-{:04X}",
                    h >> 16 & 0xFFFF,
                    h & 0xFFFF,
                    n * 4099 % 65_536,
                    (h ^ n) % 65_536
                ),
                state: match n {
                    17 => "disabled".into(),
                    _ if installed => "enabled".into(),
                    _ => "released".into(),
                },
                device: if installed { "iPhone15,2".into() } else { String::new() },
                install_count: installed as u32,
                install_time: installed.then_some(now - 3 * 86_400),
                update_time: if installed { now - 3 * 86_400 } else { card_created },
                profile_type: "CMI_gds_esim_02".into(),
            }
        });
        let location = match n {
            1 | 2 | 6 | 7 | 8 | 9 | 10 | 17 | 18 | 19 | 20 => Some("454"),
            3 => Some("440"),
            5 => Some("460"),
            16 => Some("310"),
            _ => None,
        };
        let real_rules = if n == 5 {
            vec![RealRule {
                rule_id: "RN460".into(),
                name: "China mainland real-name registration".into(),
                mccs: vec!["460".into()],
                certificates_type: "1".into(),
                certificates_time: "2030-06-30".into(),
                auth_status: "1".into(),
            }]
        } else {
            Vec::new()
        };
        w.cards.push(Card {
            iccid,
            imsi: format!("4541203800{n:05}"),
            msisdn: format!("8526400{n:04}"),
            channel: if n == 20 { 1 } else { 0 },
            esim,
            status: if n == 19 { 1 } else { 0 },
            created: card_created,
            expire: ts("20301231235959"),
            modified: card_created,
            service_usage_mode: "1",
            hlr: "HLR-HK-01".into(),
            ota: "OTA-HK-01".into(),
            real_rules,
            locations: location.map(|m| vec![(card_created, m.to_owned())]).unwrap_or_default(),
            rate: (200 + ((n * 37 + seed) % 13) * 50) * MB,
        });
    }
    w.reindex();

    // History: orders placed before start. They did not charge the deposit shown at start.
    let history = [
        (ICCID_ACTIVE, BUNDLE_HK_MO_5GB, 3, Some(2)),
        (ICCID_ACTIVE_DAILY, BUNDLE_JP_DAILY, 2, Some(1)),
        (ICCID_PENDING, BUNDLE_CN_3GB, 1, None),
        (ICCID_EXPIRED, BUNDLE_HK_DAILY, 12, Some(10)),
    ];
    for (i, (iccid, bundle, ordered_days_ago, active_days_ago)) in history.into_iter().enumerate() {
        let (Some(card), Some(b)) = (w.card_by_iccid(iccid), w.bundle(bundle)) else { continue };
        let created = now - ordered_days_ago * 86_400;
        let price = w.bundles[b].price("USD").unwrap_or(0);
        let seq = w.next_seq();
        let id = format!("2124{seq:08}");
        let order = w.push_order(Order {
            id: id.clone(),
            channel: 0,
            third_order_id: format!("demo-history-{}", i + 1),
            txn: None,
            card,
            kind: OrderKind::Bundle(b),
            quantity: 1,
            unit_price: price,
            total: price,
            currency: "USD",
            created,
            refunded_at: None,
            children: Vec::new(),
        });
        let sub = w.push_sub(Subscription {
            key: format!("{id}001"),
            order,
            card,
            bundle: b,
            created,
            expire: created + 180 * 86_400,
            set_active: None,
            active_from: None,
            active_mcc: None,
            end: None,
            ended_early: None,
            refunded: false,
            refuels: Vec::new(),
            reported: 0,
        });
        w.orders[order].children.push(sub);
        if let Some(days) = active_days_ago {
            let at = now - days * 86_400;
            let mcc = w.cards[card].location().unwrap_or("454").to_owned();
            w.activate(sub, at, &mcc);
            w.subs[sub].reported = usage(&w, sub, now).lifetime;
        }
    }
    w.outbox.clear();
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_cards_exist_with_their_roles() {
        let w = build(ts("20250610120000"), 0, "k", "s", "o", "p");
        assert_eq!(w.cards.len(), 20);
        for c in &w.cards {
            let (body, check) = c.iccid.split_at(c.iccid.len() - 1);
            assert_eq!(luhn(body).to_string(), check, "{}", c.iccid);
            assert!(c.iccid.starts_with("8985234") && (19..=20).contains(&c.iccid.len()));
            assert_eq!(c.imsi.len(), 15);
        }
        let card = |i: &str| &w.cards[w.card_by_iccid(i).unwrap()];
        assert!(card(demo::ICCID_PHYSICAL).esim.is_none());
        assert_eq!(card(demo::ICCID_SUSPENDED).status, 1);
        assert_eq!(card(demo::ICCID_FOREIGN).channel, 1);
        assert_eq!(card(demo::ICCID_ESIM).esim.as_ref().unwrap().eid.len(), 32);
        for s in demo::ICCID_STOCK {
            assert!(card(s).esim.as_ref().unwrap().eid.is_empty());
        }
        let now = ts("20250610120000");
        let active = w.card_by_iccid(demo::ICCID_ACTIVE).unwrap();
        assert!(w.active_sub(active, now).is_some());
        let exp = w.card_by_iccid(demo::ICCID_EXPIRED).unwrap();
        assert!(w.active_sub(exp, now).is_none());
        assert_eq!(w.bundles.len(), 13);
        assert!(w.outbox.is_empty());
    }
}
