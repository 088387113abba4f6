//! Criterion benchmarks of the CPU-bound parts of a call: WSSE signing, request encoding,
//! answer decoding and the token cache.
//!
//! Run with `cargo bench -p cmi-core --bench core` (about a minute and a half). The run is kept
//! short on purpose (20 samples, 2 s of measurement per function); pass criterion's own flags
//! after `--` for longer runs, e.g. `-- --measurement-time 10 typical_call`.
//!
//! Groups:
//! - `wsse`: `created`, `password_digest` alone and `sign` (one header set).
//! - `encode`: every operation's request, taken from `requests[0].input` of
//!   `tests/vectors/operations/<op>.json`, encoded with a token and the default wire options.
//! - `decode`: a 500-bundle catalogue, a 90-day quota history and a small `create_order` answer.
//! - `token_cache`: a hit in [`MemoryTokenStore`], its ready future polled once.
//! - `typical_call`: sign + encode a `create_order` request + decode its answer; budget 10 µs.

use cmi_core::api::orders::CreateOrderRequest;
use cmi_core::api::{
    auth, cards, carriers, catalogue, channel, esim, lifecycle, orders, own_packages, refuel, subscriptions, upcc,
    usage,
};
use cmi_core::{CachedToken, MemoryTokenStore, Operation, Secret, TokenStore, WireOptions, envelope, wsse};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};
use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

const APP_KEY: &str = "b6a1c0f2e9d84f7aa3c5d1e2f3a4b5c6";
const SECRET: &str = "0123456789abcdef0123456789abcdef";
const NONCE: &str = "66C92B11FF8A425FB8D4CCFE0ED9ED1F";
const NOW: i64 = 1_709_800_000;
const TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjaGFubmVsIn0.c2lnbmF0dXJl";

/// `requests[0].input` of `tests/vectors/operations/<name>.json`.
fn first_input(name: &str) -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/operations");
    let file = format!("{path}/{name}.json");
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
    v["requests"][0]["input"].clone()
}

/// Polls a future that is ready at once (the memory store's are) without an executor.
fn ready<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    match f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("the future was not ready"),
    }
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

fn bench_wsse(c: &mut Criterion) {
    let secret = Secret::new(SECRET);
    let created = wsse::created(NOW);
    let mut g = c.benchmark_group("wsse");
    g.bench_function("created", |b| b.iter(|| wsse::created(black_box(NOW))));
    g.bench_function("password_digest", |b| {
        b.iter(|| wsse::password_digest(black_box(NONCE), black_box(&created), black_box(SECRET)))
    });
    g.bench_function("sign", |b| {
        b.iter(|| wsse::sign(black_box(APP_KEY), black_box(&secret), black_box(NONCE), black_box(&created)))
    });
    g.finish();
}

/// One `encode` benchmark per request type, named after the operation.
macro_rules! bench_encode {
    ($g:expr, $($ty:ty),+ $(,)?) => {{
        let options = WireOptions::default();
        let mut seen = 0usize;
        $(
            let req: $ty = serde_json::from_value(first_input(<$ty as Operation>::NAME))
                .unwrap_or_else(|e| panic!("{}: requests[0].input: {e}", <$ty as Operation>::NAME));
            req.encode(Some(TOKEN), &options).expect(<$ty as Operation>::NAME);
            $g.bench_function(<$ty as Operation>::NAME, |b| {
                b.iter(|| black_box(&req).encode(Some(black_box(TOKEN)), &options))
            });
            seen += 1;
        )+
        seen
    }};
}

fn bench_encode(c: &mut Criterion) {
    let mut g = c.benchmark_group("encode");
    let n = bench_encode!(
        g,
        auth::GetAccessTokenRequest,
        catalogue::QueryDataBundlesRequest,
        lifecycle::ActivateDataBundleRequest,
        cards::QueryHimsiStateRequest,
        orders::CreateOrderRequest,
        subscriptions::QuerySubscribedBundlesRequest,
        lifecycle::EndPackageRequest,
        usage::QueryQuotaRequest,
        cards::QuerySimInfoRequest,
        orders::UnsubscribeOrderRequest,
        refuel::AddRefuelPackageRequest,
        refuel::QueryRefuelPackagesRequest,
        refuel::DeleteRefuelPackageRequest,
        carriers::QueryCarriersRequest,
        channel::QueryChannelAppsRequest,
        channel::QueryCountryGroupsRequest,
        esim::QueryEsimCardInfoRequest,
        upcc::QueryUpccTemplatesRequest,
        usage::QueryUsageTrajectoriesRequest,
        own_packages::AddPackageRequest,
        own_packages::UpdatePackageRequest,
        own_packages::DeletePackageRequest,
    );
    assert_eq!(n, 22, "every operation's request is benchmarked");
    g.finish();
}

fn lang(language: &str, country: &str, value: &str) -> Value {
    json!({"langInfo": {"language": language, "country": country}, "value": value})
}

/// One realistic catalogue entry: names and descriptions in three languages, 5 card pools of
/// 4 networks, 3 prices, 2 add-ons, ext keys.
fn data_bundle(i: usize) -> Value {
    let pools: serde_json::Map<String, Value> = (0..5)
        .map(|p| {
            let nets: Vec<Value> =
                (0..4).map(|n| json!({"mcc": format!("{}", 454 + p), "mnc": format!("{:02}", n * 3)})).collect();
            (format!("P{:03}", p + 1), Value::Array(nets))
        })
        .collect();
    let addon = |k: usize| {
        json!({
            "refuelingID": format!("R24030715212077{:05}", i * 2 + k),
            "nameCN": format!("加油包{}GB", k + 1),
            "nameTW": format!("加油包{}GB", k + 1),
            "nameEN": format!("Add-on {} GB", k + 1),
            "flowValue": k + 1,
            "flowUnit": "2",
            "hkd": "3900",
            "usd": "500",
            "cny": "3500",
            "createTime": "20240307072120",
            "isOrderingAllowed": "1"
        })
    };
    json!({
        "id": format!("D24030715353881{:05}", i),
        "name": [
            lang("en", "US", &format!("Asia {} days", i % 30 + 1)),
            lang("zh", "CN", &format!("亚洲{}天", i % 30 + 1)),
            lang("zh", "TW", &format!("亞洲{}天", i % 30 + 1)),
        ],
        "desc": [
            lang("en", "US", "3 GB per day at full speed, then 512 kbps"),
            lang("zh", "CN", "每天3GB高速流量，之后限速512kbps"),
            lang("zh", "TW", "每天3GB高速流量，之後限速512kbps"),
        ],
        "cardPools": pools,
        "status": 1,
        "activationMode": "2",
        "type": 2,
        "periodType": 1,
        "period": i % 30 + 1,
        "imgurl": "https://img.example/bundles/asia.png",
        "priceInfo": [
            {"currencyCode": "USD", "price": "500", "unit": "cents"},
            {"currencyCode": "HKD", "price": "3900", "unit": "cents"},
            {"currencyCode": "CNY", "price": "3500", "unit": "cents"}
        ],
        "refuelingPackage": [addon(0), addon(1)],
        "createTime": "20240307073538",
        "expireTime": "20341231235959",
        "lastModifyTime": "20240308010203",
        "originalPriceInfo": [{"currencyCode": "USD", "price": "800"}],
        "ext": {"isPromotionalPackage": "0", "deductionModel": "1", "cooperationMode": "1", "purchasesCount": "2"}
    })
}

fn catalogue_answer(bundles: usize) -> Vec<u8> {
    let list: Vec<Value> = (0..bundles).map(data_bundle).collect();
    serde_json::to_vec(&json!({"code": "0000000", "description": "Success", "dataBundles": list})).unwrap()
}

fn quota_answer(days: usize) -> Vec<u8> {
    let history: Vec<Value> = (0..days)
        .map(|d| {
            // 90 consecutive days from 2024-01-01 (31 + 29 + 31 days).
            let (month, day) = match d {
                0..=30 => (1, d + 1),
                31..=59 => (2, d - 30),
                _ => (3, d - 59),
            };
            let mut row = json!({
                "time": format!("2024{month:02}{day:02}"),
                "qtaconsumption": format!("{}.{:02}", 100 + d * 7 % 900, d * 13 % 100),
                "mcc": if d % 3 == 0 { "460" } else { "454" }
            });
            if d % 4 == 0 {
                row["appName"] = json!("youtube");
            }
            row
        })
        .collect();
    serde_json::to_vec(&json!({
        "code": "0000000",
        "description": "Success",
        "quotaList": [{
            "subscriberQuota": {
                "qtavalue": "30720.00", "qtabalance": "2048.50", "qtaconsumption": "28671.50", "type": "1",
                "refuelingTotal": "1024.00", "qtaconsumptionTotal": "29695.50",
                "directionalAppFlow": [{
                    "directionalAppTotalFlow": "1024.00", "directionalAppUsedFlow": "121.89",
                    "directionalAppName": ["youtube", "netflix"]
                }]
            },
            "historyQuota": history
        }]
    }))
    .unwrap()
}

const ORDER_ANSWER: &[u8] = br#"{"code":"0000000","description":"Success","orderID":"212454265645","totalAmount":500,"quantity":1,"price":"500","currency":"USD"}"#;

fn bench_decode(c: &mut Criterion) {
    let catalogue = catalogue_answer(500);
    let parsed = envelope::decode::<catalogue::QueryDataBundlesRequest>(&catalogue, &[]).unwrap();
    assert_eq!(parsed.data_bundles.len(), 500);
    let quota = quota_answer(90);
    let parsed = envelope::decode::<usage::QueryQuotaRequest>(&quota, &[]).unwrap();
    assert_eq!(parsed.quota_list[0].history_quota.len(), 90);
    envelope::decode::<orders::CreateOrderRequest>(ORDER_ANSWER, &[]).unwrap();

    let mut g = c.benchmark_group("decode");
    g.throughput(Throughput::Bytes(catalogue.len() as u64));
    g.bench_function(BenchmarkId::new("query_data_bundles", "500_bundles"), |b| {
        b.iter(|| envelope::decode::<catalogue::QueryDataBundlesRequest>(black_box(&catalogue), &[]))
    });
    g.throughput(Throughput::Bytes(quota.len() as u64));
    g.bench_function(BenchmarkId::new("query_quota", "90_days"), |b| {
        b.iter(|| envelope::decode::<usage::QueryQuotaRequest>(black_box(&quota), &[]))
    });
    g.throughput(Throughput::Bytes(ORDER_ANSWER.len() as u64));
    g.bench_function("create_order", |b| {
        b.iter(|| envelope::decode::<orders::CreateOrderRequest>(black_box(ORDER_ANSWER), &[]))
    });
    g.finish();
}

fn bench_token_cache(c: &mut Criterion) {
    let store = MemoryTokenStore::new();
    let key = cmi_core::token::store_key("https://api.example.invalid", APP_KEY);
    ready(store.put(&key, CachedToken { token: Secret::new(TOKEN), expires_at_ms: i64::MAX }));
    assert!(ready(store.get(&key)).is_some());

    let mut g = c.benchmark_group("token_cache");
    g.bench_function("memory_get_hit", |b| b.iter(|| ready(store.get(black_box(&key)))));
    g.finish();
}

fn bench_typical_call(c: &mut Criterion) {
    let secret = Secret::new(SECRET);
    let options = WireOptions::default();
    let req = CreateOrderRequest::bundle("100234", "8985234200000000001", "D2205171902194598628", 1);
    req.validate().unwrap();

    let mut g = c.benchmark_group("typical_call");
    g.bench_function("create_order", |b| {
        b.iter(|| {
            let created = wsse::created(black_box(NOW));
            let headers = wsse::sign(APP_KEY, &secret, black_box(NONCE), &created);
            let body = black_box(&req).encode(Some(TOKEN), &options).unwrap();
            let answer = envelope::decode::<CreateOrderRequest>(black_box(ORDER_ANSWER), &[TOKEN]).unwrap();
            (headers, body, answer)
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench_wsse, bench_encode, bench_decode, bench_token_cache, bench_typical_call
}
criterion_main!(benches);
