//! A guard over the whole surface: the client's registry and the sandbox agree on the 22
//! outbound operations, and one sandbox sees every one of them answered successfully through
//! the typed methods (the other files test each in depth).

mod support;

use cmi_core::api::cards::{QueryHimsiStateRequest, QuerySimInfoRequest, SimQuery};
use cmi_core::api::carriers::QueryCarriersRequest;
use cmi_core::api::catalogue::QueryDataBundlesRequest;
use cmi_core::api::channel::{QueryChannelAppsRequest, QueryCountryGroupsRequest};
use cmi_core::api::esim::QueryEsimCardInfoRequest;
use cmi_core::api::lifecycle::{ActivateDataBundleRequest, EndPackageRequest, IccidPackage};
use cmi_core::api::orders::{CreateOrderRequest, UnsubscribeOrderRequest};
use cmi_core::api::own_packages::{
    AddPackageRequest, ControlLogic, DeletePackageRequest, FlowLimit, UpdatePackageRequest,
};
use cmi_core::api::refuel::{AddRefuelPackageRequest, DeleteRefuelPackageRequest, QueryRefuelPackagesRequest};
use cmi_core::api::subscriptions::QuerySubscribedBundlesRequest;
use cmi_core::api::upcc::QueryUpccTemplatesRequest;
use cmi_core::api::usage::{QueryQuotaRequest, QueryUsageTrajectoriesRequest};
use cmi_core::api::{GetAccessTokenRequest, Language, YesNo};
use cmi_core::client::operations::OPERATIONS;
use support::*;

#[tokio::test]
async fn the_registry_and_the_sandbox_name_the_same_22_operations() {
    let sb = sandbox().await;
    let mine: Vec<&str> = OPERATIONS.iter().map(|o| o.name).collect();
    let theirs: Vec<String> = sb.stats().calls.keys().cloned().collect();
    assert_eq!(mine.len(), 22);
    let mut sorted = mine.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, theirs);
}

#[tokio::test]
async fn every_operation_succeeds_once_through_its_typed_method() {
    let sb = sandbox().await;
    let c = client(&sb);

    assert!(c.get_access_token(&GetAccessTokenRequest::new(DEMO_APP_KEY)).await.unwrap().access_token.is_some());
    assert!(!c.query_data_bundles(&QueryDataBundlesRequest::default()).await.unwrap().data_bundles.is_empty());
    let act = ActivateDataBundleRequest::for_iccid(demo::ICCID_PENDING, demo::BUNDLE_CN_3GB, "460");
    c.activate_data_bundle(&act).await.unwrap();
    let state = c.query_himsi_state(&QueryHimsiStateRequest::by_iccid(demo::ICCID_ESIM)).await.unwrap();
    assert_eq!(state.mobile_country_code.as_deref(), Some("454"));
    let order =
        c.create_order(&CreateOrderRequest::bundle("all-1", demo::ICCID_ESIM, demo::BUNDLE_ASIA, 1)).await.unwrap();
    let subs =
        c.query_subscribed_bundles(&QuerySubscribedBundlesRequest::by_iccid(demo::ICCID_ESIM, Language::English)).await;
    assert_eq!(subs.unwrap().find_by_order(&order.order_id).len(), 1);
    assert!(!c.query_carriers(&QueryCarriersRequest::new(Language::English)).await.unwrap().state_list.is_empty());
    assert!(c.query_quota(&QueryQuotaRequest::by_iccid(demo::ICCID_ACTIVE)).await.unwrap().current().is_some());
    let sims = c.query_sim_info(&QuerySimInfoRequest::new(vec![SimQuery::by_iccid(demo::ICCID_ESIM)])).await;
    assert_eq!(sims.unwrap().himsis.len(), 1);
    let traj = QueryUsageTrajectoriesRequest::by_iccid(demo::ICCID_ACTIVE, demo::BUNDLE_HK_MO_5GB);
    assert!(c.query_usage_trajectories(&traj).await.unwrap().latest().is_some());
    let end = EndPackageRequest::new(vec![IccidPackage::by_iccid(demo::ICCID_ACTIVE, demo::BUNDLE_HK_MO_5GB)]);
    assert!(c.end_package(&end).await.unwrap().all_released());
    c.unsubscribe_order(&UnsubscribeOrderRequest::by_order_id(&order.order_id)).await.unwrap();
    let esim = c.query_esim_card_info(&QueryEsimCardInfoRequest::new(demo::ICCID_ESIM)).await.unwrap();
    assert!(esim.lpa_string().is_ok());
    assert_eq!(c.query_upcc_templates(&QueryUpccTemplatesRequest::new()).await.unwrap().upcc_template.len(), 5);
    let add = AddPackageRequest::new(
        "all",
        3,
        FlowLimit::PerCycle,
        ControlLogic::Throttle,
        "P23061314255918",
        vec!["454".into()],
    );
    let id = c.add_package(&add).await.unwrap().data_bundle_id;
    c.update_package(&UpdatePackageRequest::new(&id, 30)).await.unwrap();
    c.delete_package(&DeletePackageRequest::new(&id)).await.unwrap();
    let refuel = c.add_refuel_package(&AddRefuelPackageRequest::new(100)).await.unwrap().refuel_pack.unwrap();
    let listed = c.query_refuel_packages(&QueryRefuelPackagesRequest::page(1, 50)).await.unwrap();
    assert!(listed.find(&refuel.refueling_id).is_some());
    c.delete_refuel_package(&DeleteRefuelPackageRequest::new(&refuel.refueling_id)).await.unwrap();
    assert_eq!(c.query_channel_apps(&QueryChannelAppsRequest::new()).await.unwrap().apps.len(), 3);
    assert!(!c.query_country_groups(&QueryCountryGroupsRequest::new(YesNo::Yes)).await.unwrap().countries.is_empty());

    let stats = sb.stats();
    let missing: Vec<_> = stats.calls.iter().filter(|(_, n)| **n == 0).map(|(k, _)| k.as_str()).collect();
    assert!(missing.is_empty(), "never called: {missing:?}");
    assert_eq!(stats.calls_of("get_access_token"), 2, "the diagnostic call and the client's own");
    assert_eq!(stats.total_calls, 23);
    assert_eq!(sb.state().deposit.amount_cents, 100_000, "the one order was refunded");
}

#[tokio::test]
async fn the_by_name_json_entry_point_takes_the_same_typed_path() {
    let sb = sandbox().await;
    let c = client(&sb);
    let cat = c.call_json("query-data-bundles", serde_json::json!({"cooperationMode": "1", "mcc": "455"})).await;
    let cat = cat.unwrap();
    let ids: Vec<&str> = cat["dataBundles"].as_array().unwrap().iter().map(|b| b["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&demo::BUNDLE_HK_MO_5GB) && !ids.contains(&demo::BUNDLE_HK_DAILY), "{ids:?}");
    let body = serde_json::json!({
        "thirdOrderId": "json-1", "is_Refuel": "1", "dataBundleId": demo::BUNDLE_HK_DAILY,
        "quantity": 1, "ICCID": demo::ICCID_ESIM, "transactionCode": "json-tx-1",
    });
    let o = c.call_json("createOrder", body.clone()).await.unwrap();
    assert_eq!((o["totalAmount"].as_i64(), o["currency"].as_str()), (Some(500), Some("USD")));
    assert_eq!(c.call_json("create_order", body).await.unwrap_err().code(), Some("1000162"));

    let before = sb.stats();
    let no_card = serde_json::json!({"thirdOrderId": "json-2", "is_Refuel": "1", "dataBundleId": "D1", "quantity": 1});
    assert_refused_locally(c.call_json("create-order", no_card).await, "ICCID", &sb, &before);
    assert_refused_locally(c.call_json("buy_everything", serde_json::json!({})).await, "operation", &sb, &before);
}

#[tokio::test]
async fn a_client_configured_from_the_sandbox_env_lines() {
    let sb = sandbox().await;
    let env: Vec<(String, String)> =
        sb.env_lines().lines().filter_map(|l| l.split_once('=').map(|(k, v)| (k.to_owned(), v.to_owned()))).collect();
    let config = Config::from_lookup(|k| env.iter().find(|(name, _)| name == k).map(|(_, v)| v.clone())).unwrap();
    assert!(!format!("{config:?}").contains(DEMO_APP_SECRET));
    let c = Client::new(config).unwrap();
    assert_eq!(c.query_upcc_templates(&QueryUpccTemplatesRequest::new()).await.unwrap().upcc_template.len(), 5);
}
