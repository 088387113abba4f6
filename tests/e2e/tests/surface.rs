//! The bindings' entry point, `Client::call_surface`, and the surface conversion of
//! `cmi_core::reflect` over real loopback HTTP: field names in each binding's case, typed
//! values in answers, wire names accepted, unknown fields refused before sending.

mod support;

use cmi_core::reflect::{Case, from_surface, notification_to_surface, schema, to_surface};
use serde_json::{Value, json};
use support::*;

#[tokio::test]
async fn a_camel_case_order_is_bought_and_answered_in_camel_case() {
    let sb = sandbox().await;
    let c = client(&sb);
    let body = json!({
        "thirdOrderId": "surface-1",
        "purchaseKind": "Bundle",
        "dataBundleId": demo::BUNDLE_HK_MO_5GB,
        "quantity": 1,
        "iccid": demo::ICCID_STOCK[0],
        "transactionCode": "surface-1",
    });
    let answer = c.call_surface("createOrder", body, Case::Camel).await.unwrap();
    assert!(answer["orderId"].as_str().is_some_and(|id| !id.is_empty()), "{answer}");
    assert!(answer["totalAmount"].is_i64(), "cents as a number: {answer}");
    assert!(answer.get("order_id").is_none() && answer.get("orderID").is_none(), "{answer}");

    // The same order in snake case through the subscriptions query, with a typed enum.
    let subs = c
        .call_surface(
            "query_subscribed_bundles",
            json!({"iccid": demo::ICCID_STOCK[0], "language": "English"}),
            Case::Snake,
        )
        .await
        .unwrap();
    let list = subs.as_object().unwrap().values().find_map(Value::as_array).expect("a list of bundles");
    assert!(!list.is_empty(), "{subs}");
    assert!(list[0].as_object().unwrap().keys().all(|k| !k.chars().any(|ch| ch.is_ascii_uppercase())), "{subs}");
}

#[tokio::test]
async fn volumes_come_back_with_their_unit() {
    let sb = sandbox().await;
    let c = client(&sb);
    let answer = c.call_surface("query_quota", json!({"iccid": demo::ICCID_ACTIVE}), Case::Camel).await.unwrap();
    let quota = &answer["quotaList"][0]["subscriberQuota"];
    assert_eq!(quota["allowance"], json!({"value": 5120.0, "unit": "Megabytes"}), "{answer}");
    assert!(quota["consumption"]["value"].as_f64().unwrap() > 0.0, "{answer}");
    assert_eq!(quota["limitType"], "PerCycle", "{answer}");
}

#[tokio::test]
async fn an_unknown_field_is_refused_before_any_call() {
    let sb = sandbox().await;
    let c = client(&sb);
    let before = sb.stats().total_calls;
    let err = c
        .call_surface("query_quota", json!({"iccid": demo::ICCID_ACTIVE, "icid": "x"}), Case::Camel)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(err.field(), Some("icid"));
    assert!(err.to_string().contains("iccid"), "lists the fields: {err}");
    assert_eq!(sb.stats().total_calls, before, "nothing was sent");

    // The core's own validation still runs on surface input.
    let err = c.call_surface("queryQuota", json!({"iccid": "12ab"}), Case::Camel).await.unwrap_err();
    assert_eq!((err.kind(), err.field()), (ErrorKind::Validation, Some("iccid")));
}

#[test]
fn volumes_and_enums_convert_both_ways() {
    let wire = json!({"qtavalue": "300.00", "qtabalance": "12.5", "type": "1", "somethingNew": 7});
    let surface = to_surface("SubscriberQuota", wire, Case::Snake);
    assert_eq!(surface["allowance"], json!({"value": 300.0, "unit": "Megabytes"}));
    assert_eq!(surface["balance"], json!({"value": 12.5, "unit": "Megabytes"}));
    assert_eq!(surface["extra"], json!({"somethingNew": 7}));
    // 1 GB in a field carried in MB is sent as 1024 MB; a bare number is taken in the wire unit.
    let back = from_surface(
        "SubscriberQuota",
        json!({"allowance": {"value": 1, "unit": "Gigabytes"}, "balance": 3}),
        Case::Snake,
    )
    .unwrap();
    assert_eq!(back, json!({"qtavalue": 1024.0, "qtabalance": 3}));
    let err =
        from_surface("SubscriberQuota", json!({"allowance": {"value": 1, "unit": "TB"}}), Case::Snake).unwrap_err();
    assert_eq!(err.field(), Some("qtavalue"));
    // Undocumented enum codes pass through as received.
    let order = to_surface("CreateOrderRequest", json!({"is_Refuel": "7"}), Case::Camel);
    assert_eq!(order["purchaseKind"], "7");
}

#[test]
fn every_type_the_schema_names_is_in_it() {
    let s = schema();
    let models = s["models"].as_object().unwrap();
    let enums = s["enums"].as_object().unwrap();
    fn check(t: &Value, models: &serde_json::Map<String, Value>, enums: &serde_json::Map<String, Value>) {
        match t["kind"].as_str().unwrap() {
            "optional" | "list" | "map" => check(&t["of"], models, enums),
            "model" => assert!(models.contains_key(t["name"].as_str().unwrap()), "{t}"),
            "enum" => assert!(enums.contains_key(t["name"].as_str().unwrap()), "{t}"),
            k => assert!(["string", "int", "float", "bool", "json", "datetime", "date", "volume"].contains(&k), "{t}"),
        }
    }
    assert_eq!(s["operations"].as_array().unwrap().len(), 22);
    for op in s["operations"].as_array().unwrap() {
        assert!(models.contains_key(op["request"].as_str().unwrap()), "{op}");
        assert!(models.contains_key(op["response"].as_str().unwrap()), "{op}");
    }
    for (name, m) in models {
        for f in m["fields"].as_array().unwrap() {
            check(&f["type"], models, enums);
            assert!(!f["wire"].as_str().unwrap().is_empty(), "{name}");
        }
    }
    for (name, e) in enums {
        assert!(!e["variants"].as_array().unwrap().is_empty(), "{name}");
        assert!(!e["doc"].as_str().unwrap().starts_with("r\""), "{name}: {e}");
    }
}

#[test]
fn a_notification_surfaces_with_kind_key_event_and_ack() {
    let body = br#"{"iccid": "89852342022006915895", "qtavalue": "101804370", "timestamp": "20240109175959"}"#;
    let parsed = cmi_core::callbacks::parse_notification(&[], body).unwrap();
    let camel = notification_to_surface(&parsed, Case::Camel);
    assert_eq!(camel["kind"], "usage");
    assert_eq!(camel["dedupeKey"], "usage:89852342022006915895:20240109175959:101804370");
    assert_eq!(camel["event"]["consumption"], json!({"value": 101804370.0, "unit": "Bytes"}));
    assert_eq!(camel["ack"], json!({"code": "0", "description": "Success"}));
    let snake = notification_to_surface(&parsed, Case::Snake);
    assert!(snake.get("dedupe_key").is_some(), "{snake}");
}

#[test]
fn a_notification_event_as_text_parses_to_the_surface_event() {
    let bodies: [&[u8]; 4] = [
        br#"{"iccid": "89852342022006915895", "qtavalue": "101804370", "timestamp": "20240109175959"}"#,
        br#"{"himsi": "454120382035427", "iccid": "89852342022006915895", "mcc": "454", "activeTime": "20240109175959", "packageId": "P1"}"#,
        br#"{"iccid": "89852342022006915895", "state": "3", "time": "20240109175959", "unlisted": [1, "two"]}"#,
        br#"{"something": "else", "n": 1}"#,
    ];
    for body in bodies {
        let parsed = cmi_core::callbacks::parse_notification(&[], body).unwrap();
        for case in [Case::Camel, Case::Snake] {
            let text = cmi_core::reflect::notification_event_text(&parsed, case);
            let event: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(event, notification_to_surface(&parsed, case)["event"], "{}", String::from_utf8_lossy(body));
        }
    }
}

#[tokio::test]
async fn the_text_answer_is_the_tree_answer() {
    // `call_surface_text` (the npm package's path) writes the typed answer straight to text;
    // `call_surface` builds the surface tree. Same answers, for every read with demo data.
    let sb = sandbox().await;
    let c = client(&sb);
    let reads = [
        ("queryDataBundles", json!({"cooperationMode": "Consignment"})),
        ("querySubscribedBundles", json!({"iccid": demo::ICCID_ACTIVE, "language": "English"})),
        ("queryQuota", json!({"iccid": demo::ICCID_ACTIVE})),
        ("querySimInfo", json!({"items": [{"iccid": demo::ICCID_ACTIVE}, {"iccid": demo::ICCID_ESIM}]})),
        ("queryEsimCardInfo", json!({"iccid": demo::ICCID_ESIM})),
        ("queryHimsiState", json!({"iccid": demo::ICCID_ACTIVE})),
        ("queryUsageTrajectories", json!({"iccid": demo::ICCID_ACTIVE, "dataBundleId": demo::BUNDLE_HK_MO_5GB})),
        ("queryUpccTemplates", json!({})),
        ("queryCarriers", json!({"language": "English"})),
        ("queryChannelApps", json!({})),
        ("queryCountryGroups", json!({"isSupportedHotspots": "Yes"})),
        ("queryRefuelPackages", json!({})),
    ];
    let mut answered = 0;
    for (op, body) in reads {
        for case in [Case::Camel, Case::Snake] {
            let tree = c.call_surface(op, body.clone(), case).await;
            let text = c.call_surface_text(op, &body.to_string(), case).await;
            match (tree, text) {
                (Ok(tree), Ok(text)) => {
                    let parsed: Value = serde_json::from_str(&text).unwrap();
                    assert_eq!(parsed, tree, "{op}");
                    answered += 1;
                }
                (Err(a), Err(b)) => assert_eq!((a.kind(), a.code()), (b.kind(), b.code()), "{op}: {a}"),
                (a, b) => panic!("{op}: tree {a:?}, text {b:?}"),
            }
        }
    }
    assert_eq!(answered, 24, "every read answered");
}
