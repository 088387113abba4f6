//! A whole sale over loopback: order -> subscription -> activation -> usage -> callbacks,
//! plus the money rules (idempotency, deposit, refunds).

mod common;

use cmi_core::wsse::parse_x_wsse;
use cmi_core::{Secret, datetime::DateTime};
use cmi_sandbox::{DEMO_APP_KEY, DEMO_APP_SECRET, DeliveryState, EsimAction, Fault, demo};
use common::{Client, Receiver, sandbox};
use serde_json::{Value, json};
use std::time::Duration;

fn order(iccid: &str, bundle: &str, third: &str, txn: Option<&str>) -> Value {
    let mut v = json!({
        "thirdOrderId": third, "includeCard": 0, "is_Refuel": "1", "dataBundleId": bundle,
        "quantity": 1, "ICCID": iccid, "sendLang": "2",
    });
    if let Some(t) = txn {
        v["transactionCode"] = json!(t);
    }
    v
}

fn mb(v: &Value) -> f64 {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}")).parse().unwrap()
}

#[tokio::test]
async fn happy_path_order_activation_usage_and_callbacks() {
    let sb = sandbox().await;
    let rx = Receiver::start(1).await; // refuses the first delivery
    sb.register_callback_url(&rx.url).unwrap();
    let mut c = Client::new(&sb);
    let card = demo::ICCID_ESIM;

    // Catalogue.
    let cat = c.op("query_data_bundles", json!({"cooperationMode": "1", "mcc": "454", "currency": ["USD"]})).await;
    assert_eq!(cat["code"], "0000000");
    let b = cat["dataBundles"].as_array().unwrap().iter().find(|b| b["id"] == demo::BUNDLE_HK_MO_5GB).unwrap();
    assert_eq!(b["priceInfo"], json!([{"currencyCode": "USD", "price": "1200"}]));
    assert_eq!(b["activationMode"], "2");
    assert!(b["cardPools"].as_object().unwrap().values().next().unwrap().as_array().unwrap()[0]["mcc"].is_string());

    // Order.
    let o = c.op("create_order", order(card, demo::BUNDLE_HK_MO_5GB, "shop-1", Some("tx-happy-1"))).await;
    assert_eq!(o["code"], "0000000", "{o}");
    assert_eq!(
        (o["totalAmount"].clone(), o["price"].clone(), o["currency"].clone()),
        (json!(1200), json!("1200"), json!("USD"))
    );
    let order_id = o["orderID"].as_str().unwrap().to_owned();
    assert_eq!(sb.state().deposit.amount_cents, 100_000 - 1200);

    // Same transactionCode again: already created, nothing charged.
    let again = c.op("create_order", order(card, demo::BUNDLE_HK_MO_5GB, "shop-1", Some("tx-happy-1"))).await;
    assert_eq!(again["code"], "1000162");
    assert_eq!(sb.state().deposit.amount_cents, 100_000 - 1200);

    // Subscription, not activated yet.
    let subs = c.op("query_subscribed_bundles", json!({"iccid": card, "language": "2"})).await;
    let s = &subs["userDataBundles"][0];
    assert_eq!((s["status"].clone(), s["orderID"].clone()), (json!(1), json!(order_id)));
    assert_eq!(
        s["name"],
        json!([{"langInfo": {"language": "en", "country": "US"}, "value": "Hong Kong & Macau 5GB 7 days"}])
    );
    let key = s["subscriptionKey"].as_str().unwrap().to_owned();
    let q = c.op("query_quota", json!({"iccid": card})).await;
    assert_eq!(q["quotaList"], json!([]), "no bundle in use yet");

    // The clock moves: the card's location update activates the mode-2 bundle.
    let report = sb.advance_clock(Duration::from_secs(6 * 3600));
    assert_eq!(report.activations, 1);
    let subs = c.op("query_subscribed_bundles", json!({"iccid": card, "language": "2", "status": "1"})).await;
    let s = &subs["userDataBundles"][0];
    assert_eq!(s["status"], 3);
    assert!(s["remainTime"].as_str().unwrap().contains("hours"));
    let active = DateTime::parse(s["activeTime"].as_str().unwrap()).unwrap().unix_seconds();
    let end = DateTime::parse(s["endTime"].as_str().unwrap()).unwrap().unix_seconds();
    assert_eq!(end - active, 7 * 86_400);

    // Usage grows with simulated time.
    let q1 = c.op("query_quota", json!({"iccid": card})).await;
    let sq1 = q1["quotaList"][0]["subscriberQuota"].clone();
    assert_eq!(sq1["qtavalue"], "5120.00");
    assert_eq!(sq1["type"], "1");
    sb.advance_clock(Duration::from_secs(86_400));
    let q2 = c.op("query_quota", json!({"childOrderId": key})).await;
    let sq2 = q2["quotaList"][0]["subscriberQuota"].clone();
    assert!(mb(&sq2["qtaconsumption"]) > mb(&sq1["qtaconsumption"]), "{sq1} -> {sq2}");
    assert!((mb(&sq2["qtabalance"]) + mb(&sq2["qtaconsumption"]) - 5120.0).abs() < 0.02);
    let hist = q2["quotaList"][0]["historyQuota"].as_array().unwrap();
    assert!(!hist.is_empty() && hist.iter().all(|h| h["mcc"] == "454" && h["time"].as_str().unwrap().len() == 8));
    let by_third = c.op("query_quota", json!({"thirdOrderId": "shop-1"})).await;
    assert_eq!(by_third["quotaList"][0]["subscriberQuota"], sq2);

    // Trajectories.
    let t = c
        .op("query_usage_trajectories", json!({"iccid": card, "packageID": demo::BUNDLE_HK_MO_5GB, "language": "1"}))
        .await;
    assert_eq!(t["trajectoriesList"][0]["mcc"], "454");
    assert_eq!(t["trajectoriesList"][0]["country"], "Hong Kong");

    // Callbacks: 3.2.15 once (after one refused attempt), 3.2.16 with bytes.
    let got = rx
        .wait_for(|r| {
            r.iter().any(|x| x.body.get("activeTime").is_some())
                && r.iter().filter(|x| x.body.get("qtavalue").is_some() && x.body["iccid"] == card).count() >= 2
        })
        .await;
    let act = got.iter().find(|x| x.body.get("activeTime").is_some()).unwrap();
    assert_eq!(act.body["packageId"], demo::BUNDLE_HK_MO_5GB);
    assert_eq!(act.body["orderId"], order_id.as_str());
    assert_eq!(act.body["thirdOrderId"], "shop-1");
    assert_eq!(act.body["mcc"], "454");
    assert_eq!(act.headers["content-type"], "application/json;charset=UTF-8");
    assert_eq!(act.headers["accept"], "application/json, application/*+json");
    let tok = parse_x_wsse(act.headers["x-wsse"].to_str().unwrap()).unwrap();
    assert_eq!(tok.username, DEMO_APP_KEY);
    assert!(tok.digest_matches(&Secret::new(DEMO_APP_SECRET)));
    cmi_core::wsse::check_authorization(act.headers["authorization"].to_str().unwrap()).unwrap();
    let usage: Vec<_> = got.iter().filter(|x| x.body.get("qtavalue").is_some() && x.body["iccid"] == card).collect();
    let bytes: u64 = usage.iter().map(|u| u.body["qtavalue"].as_str().unwrap().parse::<u64>().unwrap()).sum();
    assert!(bytes > 1_048_576, "{bytes}");
    assert_eq!(usage[0].body["childOrderId"], key.as_str());
    assert_eq!(usage[0].body["timestamp"].as_str().unwrap().len(), 14);

    // The receiver records a callback before it answers, and the sandbox marks the delivery
    // only when that answer arrives: wait (up to 10 s) for the mark, then check it.
    let waited = std::time::Instant::now();
    let (log, first) = loop {
        let log = sb.deliveries();
        let first = log.iter().find(|d| d.kind == "activation" && d.body["iccid"] == card).unwrap().clone();
        if first.state != DeliveryState::Pending || waited.elapsed() > Duration::from_secs(10) {
            break (log, first);
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    assert_eq!(first.state, DeliveryState::Delivered);
    assert!(first.attempts >= 2, "{first:?}");
    let admin_log = c.admin_get("callbacks/deliveries").await;
    assert!(admin_log.as_array().unwrap().len() == log.len());

    // Stats: one token for the whole flow.
    let stats = sb.stats();
    assert_eq!(stats.token_issues, 1);
    assert_eq!(stats.calls_of("create_order"), 2);
    sb.shutdown().await;
}

#[tokio::test]
async fn esim_status_notifications_reach_the_es2plus_path() {
    let sb = sandbox().await;
    let rx = Receiver::start(0).await;
    sb.register_callback_url(&rx.url).unwrap();
    let mut c = Client::new(&sb);
    let card = demo::ICCID_STOCK[0];
    let before = c.op("query_esim_card_info", json!({"iccid": card})).await;
    assert_eq!(before["data"]["state"], "released");
    assert_eq!(before["data"]["eid"], "");
    assert!(before["data"]["downloadUrl"].as_str().unwrap().starts_with("LPA:1$smdp.sandbox.cmlink.example$"));
    assert_eq!(before["msg"], "Success");

    sb.esim_action(card, EsimAction::Install).unwrap();
    let got = rx.wait_for(|r| r.len() >= 3).await;
    let points: Vec<&str> = got.iter().map(|r| r.body["notificationPointId"].as_str().unwrap()).collect();
    assert_eq!(points, ["3", "4", "101"]);
    for r in &got {
        assert_eq!(r.path, "/cmi/notify/gsma/rsp2/es2plus/handleDownloadProgressInfo");
        assert_eq!(r.body["iccid"], card);
        assert_eq!(r.body["eid"].as_str().unwrap().len(), 32);
        assert_eq!(r.body["notificationPointStatus"]["status"], "Executed-Success");
        assert_eq!(r.body["header"]["functionCallIdentifier"], "handleDownloadProgressInfo");
        assert_eq!(r.body["timeStamp"].as_str().unwrap().len(), 10);
    }
    let after = c.op("query_esim_card_info", json!({"iccid": card})).await;
    assert_eq!(after["data"]["state"], "enabled");
    assert_eq!(after["data"]["installCount"], 1);

    // Through the admin API, to a separate eSIM base URL.
    let rx2 = Receiver::start(0).await;
    let base = rx2.url.trim_end_matches("/cmi/notify").to_owned();
    let r = c.admin_post("callbacks", json!({"url": rx.url, "esim_url": base})).await;
    assert_eq!(r.status, 200);
    let r = c.admin_post(&format!("esim/{card}/disable"), json!({})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let got = rx2.wait_for(|r| !r.is_empty()).await;
    assert_eq!(got[0].path, "/gsma/rsp2/es2plus/handleDownloadProgressInfo");
    assert_eq!(got[0].body["notificationPointId"], "102");
    assert_eq!(c.admin_post("esim/8985234202310000181/install", json!({})).await.status, 400, "physical card");
    sb.shutdown().await;
}

#[tokio::test]
async fn idempotency_in_flight_and_deposit() {
    let sb = sandbox().await;
    let mut c = Client::new(&sb);
    c.login().await;
    // A slow answer keeps the transactionCode in flight: a concurrent repeat gets 1000154.
    sb.fault(Fault::delay(Duration::from_millis(1500)).on("create_order").times(1).after()).unwrap();
    let body = order(demo::ICCID_STOCK[1], demo::BUNDLE_HK_DAILY, "slow-1", Some("tx-slow-1"));
    let mut c2 = Client::new(&sb);
    c2.token = c.token.clone();
    let slow = tokio::spawn({
        let body = body.clone();
        async move { c2.op("create_order", body).await }
    });
    // Wait until the first one is committed and its answer is held back.
    for _ in 0..100 {
        if sb.state().orders.iter().any(|o| o.third_order_id == "slow-1") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let concurrent = c.op("create_order", body.clone()).await;
    assert_eq!(concurrent["code"], "1000154");
    assert_eq!(slow.await.unwrap()["code"], "0000000");
    assert_eq!(c.op("create_order", body).await["code"], "1000162");

    // A lost answer (dropped after processing): the order exists, the retry says 1000162.
    sb.fault(Fault::drop_connection().on("create_order").times(1).after()).unwrap();
    let body = order(demo::ICCID_STOCK[2], demo::BUNDLE_HK_DAILY, "lost-1", Some("tx-lost-1"));
    let p = cmi_sandbox::ops::OPS[cmi_sandbox::ops::by_name("create_order").unwrap()].path;
    let mut b2 = body.clone();
    b2["accessToken"] = json!(c.token);
    let h = c.wsse_at(common::unix_now());
    let uri = format!("{}/aep/{p}", c.base);
    let lost = common::raw_tcp_post(&uri, &h, &serde_json::to_vec(&b2).unwrap()).await;
    assert!(lost.is_empty(), "connection closed without an answer");
    assert_eq!(c.op("create_order", body).await["code"], "1000162");
    assert!(sb.state().orders.iter().any(|o| o.third_order_id == "lost-1"));

    // Deposit exhaustion.
    let before = sb.state().deposit.amount_cents;
    let mut big = order(demo::ICCID_STOCK[3], demo::BUNDLE_GLOBAL, "big-1", None);
    big["quantity"] = json!(20);
    assert_eq!(c.op("create_order", big.clone()).await["code"], "1000103");
    assert_eq!(sb.state().deposit.amount_cents, before);
    sb.set_deposit(1000);
    let r = c.op("create_order", order(demo::ICCID_STOCK[3], demo::BUNDLE_HK_MO_5GB, "big-2", None)).await;
    assert_eq!(r["code"], "1000103");
    let r = c.op("create_order", order(demo::ICCID_STOCK[3], demo::BUNDLE_HK_DAILY, "ok-3", None)).await;
    assert_eq!(r["code"], "0000000");
    assert_eq!(sb.state().deposit.amount_cents, 500);
    sb.shutdown().await;
}

#[tokio::test]
async fn business_rules() {
    let sb = sandbox().await;
    let mut c = Client::new(&sb);
    let code = |v: Value| v["code"].as_str().unwrap().to_owned();

    // Cards: unknown, foreign, suspended, bad format.
    assert_eq!(
        code(c.op("create_order", order("89852342024099999990", demo::BUNDLE_HK_DAILY, "r1", None)).await),
        "1000013"
    );
    let foreign = c.op("create_order", order(demo::ICCID_FOREIGN, demo::BUNDLE_HK_DAILY, "r2", None)).await;
    assert_eq!(code(foreign.clone()), "1000073");
    assert!(foreign["description"].as_str().unwrap().contains(demo::ICCID_FOREIGN));
    assert_eq!(
        code(c.op("create_order", order(demo::ICCID_SUSPENDED, demo::BUNDLE_HK_DAILY, "r3", None)).await),
        "1000153"
    );
    assert_eq!(code(c.op("create_order", order("12ab", demo::BUNDLE_HK_DAILY, "r4", None)).await), "1000007");
    let mut no_iccid = order(demo::ICCID_ESIM, demo::BUNDLE_HK_DAILY, "r5", None);
    no_iccid.as_object_mut().unwrap().remove("ICCID");
    let r = c.op("create_order", no_iccid).await;
    assert_eq!(
        (code(r.clone()), r["description"].clone()),
        ("1000005".into(), json!("Mandatory parameter ICCID is empty"))
    );

    // Bundles: off-sale, A2Z, already in use, promotional limit.
    assert_eq!(
        code(c.op("create_order", order(demo::ICCID_ESIM, demo::BUNDLE_TH_OFF_SALE, "r6", None)).await),
        "1000151"
    );
    assert_eq!(code(c.op("create_order", order(demo::ICCID_ESIM, demo::BUNDLE_AU_A2Z, "r7", None)).await), "1000105");
    assert_eq!(
        code(c.op("create_order", order(demo::ICCID_ACTIVE, demo::BUNDLE_HK_MO_5GB, "r8", None)).await),
        "1000117"
    );
    assert_eq!(code(c.op("create_order", order(demo::ICCID_ESIM, demo::BUNDLE_PROMO, "r9", None)).await), "0000000");
    assert_eq!(code(c.op("create_order", order(demo::ICCID_ESIM, demo::BUNDLE_PROMO, "r10", None)).await), "1000152");

    // Activation: wrong country, real-name, nothing to activate, manual mode.
    let act = |iccid: &str, bundle: &str, mcc: &str| json!({"iccid": iccid, "dataBundleId": bundle, "mcc": mcc});
    assert_eq!(
        code(c.op("activate_data_bundle", act(demo::ICCID_PENDING, demo::BUNDLE_CN_3GB, "454")).await),
        "1000058"
    );
    assert_eq!(
        code(c.op("activate_data_bundle", act(demo::ICCID_PENDING, demo::BUNDLE_KR_DAILY, "450")).await),
        "1000010"
    );
    let r = c.op("activate_data_bundle", json!({"dataBundleId": demo::BUNDLE_CN_3GB, "mcc": "460"})).await;
    assert_eq!(code(r), "1000005");
    assert_eq!(
        code(c.op("activate_data_bundle", act(demo::ICCID_PENDING, demo::BUNDLE_CN_3GB, "460")).await),
        "0000000"
    );
    let s = c.op("query_himsi_state", json!({"iccid": demo::ICCID_PENDING})).await;
    assert_eq!(s["mobileCountryCode"], "460");
    assert_eq!(
        code(c.op("create_order", order(demo::ICCID_REAL_NAME, demo::BUNDLE_CN_3GB, "r11", None)).await),
        "0000000"
    );
    assert_eq!(
        code(c.op("activate_data_bundle", act(demo::ICCID_REAL_NAME, demo::BUNDLE_CN_3GB, "460")).await),
        "1000060"
    );
    let by_msisdn = json!({"msisdn": "85264000007", "dataBundleId": demo::BUNDLE_CN_3GB, "mcc": "460"});
    assert_eq!(code(c.op("activate_data_bundle", by_msisdn).await), "1000010");

    // Add-ons.
    let addon = |iccid: &str, refuel: &str, q: u32| {
        json!({"thirdOrderId": format!("a-{refuel}-{q}"), "includeCard": 0, "is_Refuel": "0", "refuelingId": refuel,
               "quantity": q, "ICCID": iccid})
    };
    assert_eq!(code(c.op("create_order", addon(demo::ICCID_STOCK[4], demo::ADDON_1GB, 1)).await), "1000094");
    let mut wrong_parent = addon(demo::ICCID_ACTIVE, demo::ADDON_1GB, 1);
    wrong_parent["dataBundleId"] = json!(demo::BUNDLE_HK_DAILY);
    assert_eq!(code(c.op("create_order", wrong_parent).await), "1000031");
    assert_eq!(code(c.op("create_order", addon(demo::ICCID_ACTIVE, demo::ADDON_500MB, 1)).await), "1000158");
    assert_eq!(code(c.op("create_order", addon(demo::ICCID_ACTIVE, demo::ADDON_1GB, 2)).await), "1000095");
    let before = c.op("query_quota", json!({"iccid": demo::ICCID_ACTIVE})).await;
    assert_eq!(code(c.op("create_order", addon(demo::ICCID_ACTIVE, demo::ADDON_1GB, 1)).await), "0000000");
    let after = c.op("query_quota", json!({"iccid": demo::ICCID_ACTIVE})).await;
    assert_eq!(before["quotaList"][0]["subscriberQuota"]["refuelingTotal"], "0.00");
    assert_eq!(after["quotaList"][0]["subscriberQuota"]["refuelingTotal"], "1024.00");
    // Per-day bundle: 1 or the remaining days.
    let subs = c
        .op("query_subscribed_bundles", json!({"iccid": demo::ICCID_ACTIVE_DAILY, "language": "2", "status": "1"}))
        .await;
    let x = subs["userDataBundles"][0]["remainderDays"].as_u64().unwrap() as u32;
    assert!(x >= 2);
    assert_eq!(code(c.op("create_order", addon(demo::ICCID_ACTIVE_DAILY, demo::ADDON_500MB, x + 1)).await), "1000095");
    let r = c.op("create_order", addon(demo::ICCID_ACTIVE_DAILY, demo::ADDON_500MB, x)).await;
    assert_eq!((code(r.clone()), r["totalAmount"].clone()), ("0000000".into(), json!(300 * x)));

    // eSIM info on a physical card, on a foreign card.
    assert_eq!(code(c.op("query_esim_card_info", json!({"iccid": demo::ICCID_PHYSICAL})).await), "1000090");
    assert_eq!(code(c.op("query_esim_card_info", json!({"iccid": demo::ICCID_FOREIGN})).await), "1000073");

    // Early release.
    let end = c
        .op(
            "end_package",
            json!({"iccidPackageList": [
        {"iccid": demo::ICCID_ACTIVE, "packageid": demo::BUNDLE_HK_MO_5GB},
        {"iccid": demo::ICCID_ESIM, "packageid": demo::BUNDLE_HK_MO_5GB},
        {"imsi": "454120380099999", "packageid": demo::BUNDLE_HK_MO_5GB}]}),
        )
        .await;
    assert_eq!(code(end.clone()), "0000000");
    let errs = end["errorList"].as_array().unwrap();
    assert_eq!(errs.len(), 2, "{end}");
    assert_eq!(errs[0]["parameterName"], demo::ICCID_ESIM);
    let q = c.op("query_quota", json!({"iccid": demo::ICCID_ACTIVE})).await;
    assert_eq!(q["quotaList"], json!([]));
    sb.shutdown().await;
}

#[tokio::test]
async fn unsubscribe_rules_and_refund() {
    let sb = sandbox().await;
    let mut c = Client::new(&sb);
    let code = |v: Value| v["code"].as_str().unwrap().to_owned();
    let o = c.op("create_order", order(demo::ICCID_STOCK[5], demo::BUNDLE_CN_3GB, "u-1", None)).await;
    let id = o["orderID"].as_str().unwrap().to_owned();
    assert_eq!(sb.state().deposit.amount_cents, 100_000 - 900);
    let r = c.op("unsubscribe_order", json!({"orderId": id})).await;
    assert_eq!((code(r.clone()), r["msg"].clone()), ("0000000".into(), json!("Success")));
    assert_eq!(sb.state().deposit.amount_cents, 100_000);
    let subs = c.op("query_subscribed_bundles", json!({"iccid": demo::ICCID_STOCK[5], "language": "0"})).await;
    assert_eq!(subs["userDataBundles"][0]["status"], 99);
    assert_eq!(subs["userDataBundles"][0]["name"][0]["langInfo"]["country"], "CN");
    assert_eq!(code(c.op("unsubscribe_order", json!({"orderId": id})).await), "1000041");
    assert_eq!(code(c.op("unsubscribe_order", json!({})).await), "1000201");
    assert_eq!(code(c.op("unsubscribe_order", json!({"orderId": "999"})).await), "1000039");
    // An activated order cannot be cancelled.
    c.op("create_order", order(demo::ICCID_STOCK[0], demo::BUNDLE_HK_DAILY, "u-2", None)).await;
    sb.advance_clock(Duration::from_secs(60));
    assert_eq!(code(c.op("unsubscribe_order", json!({"thirdOrderId": "u-2"})).await), "1000044");
    // Two copies, one activated: partly activated.
    let mut two = order(demo::ICCID_STOCK[6], demo::BUNDLE_CN_3GB, "u-3", None);
    two["quantity"] = json!(2);
    assert_eq!(code(c.op("create_order", two).await), "0000000");
    let act = json!({"iccid": demo::ICCID_STOCK[6], "dataBundleId": demo::BUNDLE_CN_3GB, "mcc": "460"});
    assert_eq!(code(c.op("activate_data_bundle", act).await), "0000000");
    assert_eq!(code(c.op("unsubscribe_order", json!({"thirdOrderId": "u-3"})).await), "1000043");
    // Last month's order.
    c.op("create_order", order(demo::ICCID_STOCK[7], demo::BUNDLE_CN_3GB, "u-4", None)).await;
    sb.advance_clock(Duration::from_secs(40 * 86_400));
    assert_eq!(code(c.op("unsubscribe_order", json!({"thirdOrderId": "u-4"})).await), "1000035");
    sb.shutdown().await;
}

#[tokio::test]
async fn mode_one_designated_date_and_expiry() {
    let sb = sandbox().await;
    let mut c = Client::new(&sb);
    let card = demo::ICCID_STOCK[8];
    let tomorrow = cmi_sandbox::clock::date8(sb.now() + 86_400);
    let mut o = order(card, demo::BUNDLE_KR_DAILY, "d-1", None);
    o["setActiveTime"] = json!(tomorrow);
    assert_eq!(c.op("create_order", o.clone()).await["code"], "0000000");
    o["setActiveTime"] = json!("20200101");
    assert_eq!(c.op("create_order", o.clone()).await["code"], "1000087");
    o["setActiveTime"] = json!("2020-01-01");
    assert_eq!(c.op("create_order", o).await["code"], "1000007");
    sb.advance_clock(Duration::from_secs(3600));
    let subs = c.op("query_subscribed_bundles", json!({"iccid": card, "language": "2"})).await;
    assert_eq!(subs["userDataBundles"][0]["status"], 1);
    assert_eq!(subs["userDataBundles"][0]["setActiveTime"].as_str().unwrap()[..8], tomorrow);
    sb.advance_clock(Duration::from_secs(86_400));
    let subs = c.op("query_subscribed_bundles", json!({"iccid": card, "language": "2"})).await;
    let s = &subs["userDataBundles"][0];
    assert_eq!(s["status"], 3);
    assert_eq!(s["activeTime"].as_str().unwrap()[..8], tomorrow);
    assert_eq!(s["endTime"].as_str().unwrap()[8..], *"235959");
    let q = c.op("query_quota", json!({"iccid": card})).await;
    assert_eq!(q["quotaList"][0]["subscriberQuota"]["type"], "2");
    assert_eq!(q["quotaList"][0]["subscriberQuota"]["qtavalue"], "1024.00");
    // Past its 5 days the bundle has expired.
    sb.advance_clock(Duration::from_secs(6 * 86_400));
    let subs = c.op("query_subscribed_bundles", json!({"iccid": card, "language": "2", "status": "2"})).await;
    assert_eq!(subs["userDataBundles"][0]["status"], 2);
    let daily = c.op("query_quota", json!({"thirdOrderId": "d-1"})).await;
    let hist = daily["quotaList"][0]["historyQuota"].as_array().unwrap();
    assert_eq!(hist.len(), 5, "{daily}");
    assert!(hist.iter().all(|h| mb(&h["qtaconsumption"]) <= 1024.0 * 1.06));
    sb.shutdown().await;
}
