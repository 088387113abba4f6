//! Every fault kind and response-shape variant, through the Rust API and the admin API.

mod common;

use cmi_sandbox::{Fault, ShapeVariant, demo};
use common::{Client, sandbox, unix_now};
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
async fn http_status_delay_drop_and_return_code() {
    let sb = sandbox().await;
    let mut c = Client::new(&sb);
    c.login().await;
    let q = json!({"iccid": demo::ICCID_ACTIVE});

    for status in [500u16, 502, 503] {
        sb.fault(Fault::http_status(status).on("query_quota").times(1)).unwrap();
        let r = c.op_resp("query_quota", q.clone()).await;
        assert_eq!(r.status, status);
        assert_eq!(r.json()["status"], status);
        assert_eq!(c.op_resp("query_quota", q.clone()).await.status, 200, "count spent");
    }
    sb.fault(Fault::too_many_requests(7).on("query_quota").times(1)).unwrap();
    let r = c.op_resp("query_quota", q.clone()).await;
    assert_eq!((r.status, r.headers["retry-after"].to_str().unwrap()), (429, "7"));

    sb.fault(Fault::delay(Duration::from_millis(400)).on("query_quota").times(1)).unwrap();
    let t = Instant::now();
    assert_eq!(c.op("query_quota", q.clone()).await["code"], "0000000");
    assert!(t.elapsed() >= Duration::from_millis(400));

    sb.fault(Fault::drop_connection().on("query_quota").times(1)).unwrap();
    let mut body = q.clone();
    body["accessToken"] = json!(c.token);
    let url = format!("{}/aep/APP_getSubscriberAllQuota_SBO/v1", c.base);
    let bytes = common::raw_tcp_post(&url, &c.wsse_at(unix_now()), &serde_json::to_vec(&body).unwrap()).await;
    assert!(bytes.is_empty(), "{}", String::from_utf8_lossy(&bytes));
    let bytes = common::raw_tcp_post(&url, &c.wsse_at(unix_now()), &serde_json::to_vec(&body).unwrap()).await;
    assert!(String::from_utf8_lossy(&bytes).starts_with("HTTP/1.1 200"));

    for code in ["1000154", "9000004"] {
        sb.fault(Fault::return_code(code).on("create_order").times(1)).unwrap();
        let r = c.op_resp("create_order", json!({})).await;
        assert_eq!((r.status, r.code()), (200, code.to_owned()));
        assert!(!r.json()["description"].as_str().unwrap().is_empty());
    }
    assert_eq!(sb.state().orders.len(), 4, "no order was created by the faulted calls");

    // "*" hits every operation; a fault without count stays until cleared.
    sb.fault(Fault::return_code("9999999")).unwrap();
    assert_eq!(c.op("query_upcc_templates", json!({})).await["code"], "9999999");
    assert_eq!(c.op("query_carriers", json!({"language": "2"})).await["code"], "9999999");
    sb.clear_faults();
    assert_eq!(c.op("query_upcc_templates", json!({})).await["code"], "0000000");
    sb.shutdown().await;
}

#[tokio::test]
async fn admin_api_faults_clock_state_stats_reset() {
    let sb = sandbox().await;
    let mut c = Client::new(&sb);
    let r = c
        .admin_post(
            "faults",
            json!([{"operation": "query_carriers", "kind": "http_status", "status": 503, "count": 2},
                   {"operation": "query_upcc_templates", "kind": "shape", "variant": "success_code_short"}]),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["ids"].as_array().unwrap().len(), 2);
    let bad = c.admin_post("faults", json!({"operation": "nope", "kind": "drop"})).await;
    assert_eq!(bad.status, 400);
    let listed = c.admin_get("faults").await;
    assert_eq!(listed[0]["count"], 2);
    assert_eq!(c.op_resp("query_carriers", json!({"language": "2"})).await.status, 503);
    assert_eq!(c.admin_get("faults").await[0]["count"], 1);
    assert_eq!(c.op("query_upcc_templates", json!({})).await["code"], "0");
    let r = c.raw("DELETE", "/_sandbox/faults", &[], Vec::new()).await;
    assert_eq!(r.status, 200);
    assert_eq!(c.admin_get("faults").await, json!([]));

    // Clock skew through JSON.
    c.admin_post("faults", json!({"kind": "clock_skew", "seconds": -1200})).await;
    assert_eq!(c.admin_get("clock").await["wsse_skew_seconds"], -1200);
    let r = c.post("APP_queryCarrier_SBO/v1", &json!({"language": "2"})).await;
    assert_eq!(r.code(), "1000004");
    c.admin_post("faults/clear", json!({})).await;

    // Clock advance, state, stats, reset.
    let before = c.admin_get("clock").await["now_unix"].as_i64().unwrap();
    let adv = c.admin_post("clock/advance", json!({"seconds": 86_400})).await.json();
    assert!(adv["usage_reports"].as_u64().unwrap() >= 1, "{adv}");
    assert!(c.admin_get("clock").await["now_unix"].as_i64().unwrap() >= before + 86_400);
    let state = c.admin_get("state").await;
    assert_eq!(state["deposit"], json!({"currency": "USD", "amount_cents": 100_000, "initial_cents": 100_000}));
    assert_eq!(state["cards"].as_array().unwrap().len(), 20);
    let phys = state["cards"].as_array().unwrap().iter().find(|c| c["iccid"] == demo::ICCID_PHYSICAL).unwrap();
    assert_eq!(phys["kind"], "physical");
    c.op("create_order", json!({"thirdOrderId": "s-1", "includeCard": 0, "is_Refuel": "1", "dataBundleId": demo::BUNDLE_HK_DAILY, "quantity": 1, "ICCID": demo::ICCID_ESIM})).await;
    let stats = c.admin_get("stats").await;
    assert_eq!(stats["token_issues"], 1);
    assert_eq!(stats["calls"]["create_order"], 1);
    let r = c.admin_post("cards/89852342024000000138/location", json!({"mcc": "454"})).await;
    assert_eq!(r.json()["activations"], 0);
    let r = c.admin_post("cards/89852342024000000013/location", json!({"mcc": "454"})).await;
    assert_eq!(r.json()["activations"], 1, "the new HK order starts on the location update");
    assert_eq!(c.admin_post("deposit", json!({"amount_cents": 42})).await.json()["amount_cents"], 42);
    assert_eq!(c.admin_post("reset", json!({})).await.status, 200);
    let state = c.admin_get("state").await;
    assert_eq!(state["deposit"]["amount_cents"], 100_000);
    assert_eq!(state["orders"].as_array().unwrap().len(), 4);
    assert_eq!(c.admin_get("stats").await["total_calls"], 0);
    assert_eq!(c.admin_get("nope").await["error"].as_str().map(|s| s.starts_with("no admin route")), Some(true));
    sb.shutdown().await;
}

#[tokio::test]
async fn phase_after_keeps_the_state_change() {
    let sb = sandbox().await;
    let mut c = Client::new(&sb);
    sb.fault(Fault::http_status(502).on("create_order").times(1).after()).unwrap();
    let body = json!({"thirdOrderId": "a-1", "includeCard": 0, "is_Refuel": "1", "dataBundleId": demo::BUNDLE_HK_DAILY,
                      "quantity": 1, "ICCID": demo::ICCID_ESIM, "transactionCode": "after-1"});
    assert_eq!(c.op_resp("create_order", body.clone()).await.status, 502);
    assert_eq!(sb.state().deposit.amount_cents, 100_000 - 500);
    assert_eq!(c.op("create_order", body).await["code"], "1000162");
    sb.shutdown().await;
}

#[tokio::test]
async fn shape_variants() {
    let sb = sandbox().await;
    let mut c = Client::new(&sb);
    let q = json!({"iccid": demo::ICCID_ACTIVE});

    // 3.2.8: quotaList by default, top level on demand.
    let d = c.op("query_quota", q.clone()).await;
    assert!(d["quotaList"][0]["subscriberQuota"].is_object());
    sb.fault(Fault::shape(ShapeVariant::QuotaTopLevel).on("query_quota").times(1)).unwrap();
    let v = c.op("query_quota", q.clone()).await;
    assert!(v.get("quotaList").is_none());
    assert_eq!(v["subscriberQuota"], d["quotaList"][0]["subscriberQuota"]);
    assert!(v["historyQuota"].is_array());

    // 3.2.13: data + msg by default, cardInfo + description on demand.
    let e = json!({"iccid": demo::ICCID_ESIM});
    let d = c.op("query_esim_card_info", e.clone()).await;
    assert!(d["data"].is_object() && d["msg"] == "Success");
    sb.fault(Fault::shape(ShapeVariant::EsimCardInfo).on("query_esim_card_info").times(1)).unwrap();
    let v = c.op("query_esim_card_info", e.clone()).await;
    assert_eq!(v["cardInfo"], d["data"]);
    assert_eq!(v["description"], "Success");
    assert!(v.get("data").is_none() && v.get("msg").is_none());

    // 3.2.25: data + is_only_supported_hotspots by default, cardPoolMccDTOS + isOnlySupportedHotspots.
    let g = json!({"isSupportedHotspots": "1"});
    let d = c.op("query_country_groups", g.clone()).await;
    assert!(d["data"][0]["consumption"][0].get("is_only_supported_hotspots").is_some());
    sb.fault(Fault::shape(ShapeVariant::CardPoolMccDtos).on("query_country_groups").times(1)).unwrap();
    let v = c.op("query_country_groups", g).await;
    assert!(v.get("data").is_none());
    assert_eq!(v["cardPoolMccDTOS"][0]["consumption"][0]["isOnlySupportedHotspots"], "2");
    assert_eq!(v["msg"], "Success");

    // Description keys, success code.
    for (variant, key) in [
        (ShapeVariant::DescriptionKey, "description"),
        (ShapeVariant::MsgKey, "msg"),
        (ShapeVariant::DecsriptionKey, "decsription"),
    ] {
        sb.fault(Fault::shape(variant).on("query_upcc_templates").times(1)).unwrap();
        let v = c.op("query_upcc_templates", json!({})).await;
        assert_eq!(v[key], "Success", "{variant:?}: {v}");
        let others = ["description", "msg", "decsription"].into_iter().filter(|k| *k != key);
        assert!(others.into_iter().all(|k| v.get(k).is_none()), "{v}");
    }
    sb.fault(Fault::shape(ShapeVariant::DecsriptionKey).times(1)).unwrap();
    let v = c.op("create_order", json!({"thirdOrderId": "x"})).await;
    assert_eq!(v["code"], "1000005");
    assert!(v["decsription"].as_str().unwrap().contains("includeCard"), "errors use the variant key too: {v}");
    sb.fault(Fault::shape(ShapeVariant::SuccessCodeShort).on("query_quota").times(1)).unwrap();
    assert_eq!(c.op("query_quota", q.clone()).await["code"], "0");

    // Numbers as strings; lone objects.
    sb.fault(Fault::shape(ShapeVariant::NumbersAsStrings).on("create_order").times(1)).unwrap();
    let o = c
        .op(
            "create_order",
            json!({"thirdOrderId": "n-1", "includeCard": 0, "is_Refuel": "1",
              "dataBundleId": demo::BUNDLE_HK_DAILY, "quantity": 2, "ICCID": demo::ICCID_STOCK[0]}),
        )
        .await;
    assert_eq!((o["totalAmount"].clone(), o["quantity"].clone()), (json!("1000"), json!("2")));
    sb.fault(Fault::shape(ShapeVariant::LoneObject).on("query_upcc_templates").times(1)).unwrap();
    let v = c.op("query_upcc_templates", json!({"templateId": "P23061314267445"})).await;
    assert_eq!(v["upccTemplate"]["templateId"], "P23061314267445");
    let v = c.op("query_upcc_templates", json!({"templateId": "P23061314267445"})).await;
    assert!(v["upccTemplate"].is_array());

    // beginIndex as a row offset (default) or a page number.
    let page = |b: u32| json!({"cooperationMode": "1", "beginIndex": b, "count": 2});
    let ids = |v: &serde_json::Value| -> Vec<String> {
        v["dataBundles"].as_array().unwrap().iter().map(|b| b["id"].as_str().unwrap().to_owned()).collect()
    };
    let rows = ids(&c.op("query_data_bundles", page(1)).await);
    sb.fault(Fault::shape(ShapeVariant::BeginIndexPages).on("query_data_bundles").times(1)).unwrap();
    let pages = ids(&c.op("query_data_bundles", page(1)).await);
    assert_eq!(rows, [demo::BUNDLE_HK_MO_5GB, demo::BUNDLE_CN_3GB]);
    assert_eq!(pages, [demo::BUNDLE_CN_3GB, demo::BUNDLE_GREATER_CHINA]);

    // Exactly one token for all of the above.
    assert_eq!(sb.stats().token_issues, 1);
    sb.shutdown().await;
}
