//! Every one of the 22 wire paths answers success for a valid request, with the spec's
//! description key.

mod common;

use cmi_sandbox::{DEMO_APP_KEY, demo};
use common::{Client, sandbox};
use serde_json::{Value, json};

#[tokio::test]
async fn every_path_answers_success() {
    let sb = sandbox().await;
    let mut c = Client::new(&sb);
    let v = c.post("APP_getAccessToken_SBO/v1", &json!({"id": DEMO_APP_KEY, "type": "106"})).await.json();
    assert_eq!((v["code"].clone(), v["description"].clone()), (json!("0000000"), json!("Success")));
    let token = v["accessToken"].as_str().unwrap().to_owned();
    c.token = Some(token.clone());

    let call = async |path: &str, mut body: Value, desc_key: &str| -> Value {
        body["accessToken"] = json!(token);
        let r = c.post(path, &body).await;
        assert_eq!(r.status, 200, "{path}");
        let v = r.json();
        assert_eq!(v["code"], "0000000", "{path}: {v}");
        assert_eq!(v[desc_key], "Success", "{path}: {v}");
        v
    };

    let v = call("app_getDataBundle_SBO/v1", json!({"cooperationMode": "1"}), "description").await;
    assert_eq!(v["dataBundles"].as_array().unwrap().len(), 12);
    call(
        "APP_activeDataBundle_SBO/v1",
        json!({"iccid": demo::ICCID_PENDING, "dataBundleId": demo::BUNDLE_CN_3GB, "mcc": "460"}),
        "description",
    )
    .await;
    let v = call("APP_HIMSI_TERMSTATE_SBO/v1", json!({"iccid": demo::ICCID_ESIM}), "description").await;
    assert_eq!(v["mobileCountryCode"], "454");
    let order = json!({"thirdOrderId": "p-1", "includeCard": 0, "is_Refuel": "1", "dataBundleId": demo::BUNDLE_HK_DAILY,
                       "quantity": "1", "ICCID": demo::ICCID_STOCK[4], "sendLang": "2", "transactionCode": "p-tx-1"});
    let v = call("APP_createOrder_SBO/v1", order, "description").await;
    let order_id = v["orderID"].as_str().unwrap().to_owned();
    let v =
        call("APP_getSubedUserDataBundle_SBO/v1", json!({"iccid": demo::ICCID_ACTIVE, "language": 2}), "description")
            .await;
    assert_eq!(v["userDataBundles"][0]["status"], 3);
    let v = call("APP_queryCarrier_SBO/v1", json!({"language": "0", "mcc": "454"}), "description").await;
    assert_eq!(v["stateList"][0]["country"], "香港");
    let v = call("APP_getSubscriberAllQuota_SBO/v1", json!({"iccid": demo::ICCID_ACTIVE}), "description").await;
    assert!(v["quotaList"][0]["subscriberQuota"]["qtaconsumption"].is_string());
    let v = call(
        "SBO_package_end/v1",
        json!({"iccidPackageList": [{"iccid": demo::ICCID_ACTIVE_DAILY, "packageid": demo::BUNDLE_JP_DAILY}]}),
        "description",
    )
    .await;
    assert_eq!(v["errorList"], json!([]));
    let v = call(
        "SBO_query_SIMInfo/v1",
        json!({"querySIMInfoVOList": [{"iccid": demo::ICCID_SUSPENDED}, {"imsi": "454120380000001"}]}),
        "description",
    )
    .await;
    assert_eq!(v["himsis"][0]["status"], 1);
    assert_eq!(v["himsis"][1]["iccid"], demo::ICCID_ESIM);
    let v = call(
        "SBO_query_usingTrajectories/v1",
        json!({"iccid": demo::ICCID_ACTIVE, "packageID": demo::BUNDLE_HK_MO_5GB, "language": "1"}),
        "description",
    )
    .await;
    assert_eq!(v["trajectoriesList"][0]["hImsi"], "454120380000002");
    call("SBO_channel_unsubscribe/v1", json!({"orderId": order_id}), "msg").await;
    let v = call("SBO_queryEsimCardInfo/v1", json!({"iccid": demo::ICCID_ESIM}), "msg").await;
    assert_eq!(v["data"]["eid"].as_str().unwrap().len(), 32);
    let v = call("SBO_queryUpccTemplate/v1", json!({"supportHotspot": "1"}), "msg").await;
    assert_eq!(v["upccTemplate"].as_array().unwrap().len(), 3);

    // The spec's own 3.2.18 example.
    let example = json!({"name": "haoran_1", "desc": "", "keepPeriod": "10", "effectiveDay": "180",
        "flowLimitType": 2, "controlLogic": 1, "isSupportedHotspots": 1,
        "packageConsumptions": [{"consumption": 100, "upccTemplateId": "P23061314267445"}, {"consumption": 300, "upccTemplateId": "P23061314278118"}],
        "noLimitTemplateId": "P23061314255918", "mccList": ["342", "402", "206"],
        "supportRefuel": 1, "refuelList": ["R2402291445123241410", "R2402231520074242650"], "isSupportDirect": "1",
        "directAppInfos": [
            {"appDetailInfos": [{"appConsumption": [{"consumption": 10240, "upccTemplateId": "P24022110231944"}, {"consumption": 102400, "upccTemplateId": "P24022110247073"}], "appId": "1760202763620319232", "noLimitTemplateId": "P24022111211572"}], "directType": "2", "isUsePackage": "2"},
            {"appDetailInfos": [{"appConsumption": [], "appId": "1760202953232220160", "noLimitTemplateId": "P24022111224160"}], "directType": "1"}]});
    let v = call("SBO_add_package/v1", example, "description").await;
    let id = v["data"].as_str().unwrap().to_owned();
    assert!(id.starts_with('D') && id.len() == 20, "{id}");
    call("SBO_update_package/v1", json!({"id": id, "keepPeriod": "14", "effectiveDay": "100"}), "description").await;
    let v = call("app_getDataBundle_SBO/v1", json!({"cooperationMode": "1", "dataBundleId": id}), "description").await;
    assert_eq!(v["dataBundles"][0]["period"], 14);
    assert_eq!(v["dataBundles"][0]["type"], 2);
    call("SBO_del_package/v1", json!({"id": id}), "description").await;
    let v = call("app_getDataBundle_SBO/v1", json!({"cooperationMode": "1", "dataBundleId": id}), "description").await;
    assert_eq!(v["dataBundles"], json!([]));
    let v = call("SBO_add_packageRefuel/v1", json!({"flowValue": "40960"}), "description").await;
    assert_eq!(v["data"]["name"], "40960MB add-on");
    let v = call("SBO_query_packageRefuel/v1", json!({"pageNo": "2", "pageSize": "4"}), "description").await;
    assert_eq!(v["count"], 6);
    assert_eq!(v["data"].as_array().unwrap().len(), 2);
    assert_eq!(v["data"][0]["flowUnit"], "1");
    call("SBO_del_packageRefuel/v1", json!({"refuelId": "R2402221642190475846"}), "description").await;
    let v = call("SBO_channel_app/v1", json!({"appName": "YouTube"}), "description").await;
    assert_eq!(v["data"][0]["id"], "1760202564336353280");
    assert_eq!(v["data"][0]["appUpccInfo"][0]["rate"], 10);
    let v = call("APP_getCountryGroupInfo_SBO/v1", json!({"isSupportedHotspots": "2"}), "msg").await;
    let list = v["data"].as_array().unwrap();
    assert!(list.iter().any(|c| c["mcc"] == "342" && c["consumption"][0]["consumption"].is_null()));
    assert!(!list.iter().any(|c| c["mcc"] == "452"), "hotspot-only country left out");
    assert_eq!(list[0]["consumption"][0]["is_only_supported_hotspots"], "2");

    assert!(
        sb.env_lines()
            .starts_with(&format!("CMI_BASE_URL={}\nCMI_APP_KEY={DEMO_APP_KEY}\nCMI_APP_SECRET=", sb.base_url()))
    );
    let stats = sb.stats();
    assert_eq!(stats.calls.values().filter(|&&n| n > 0).count(), 22, "{stats:?}");
    assert_eq!(stats.token_issues, 1);
    sb.shutdown().await;
}
