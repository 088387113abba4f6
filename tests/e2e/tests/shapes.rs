//! Response-shape variants: every documented alternative wire form decodes to exactly the
//! typed answer (or typed error) of the default form. Each check calls the same operation
//! twice on one sandbox, first plain, then with the variant switched on for every operation,
//! through a cold client so that the token answer is read in the variant too.

mod support;

use cmi_core::api::cards::{QuerySimInfoRequest, SimQuery};
use cmi_core::api::carriers::QueryCarriersRequest;
use cmi_core::api::catalogue::QueryDataBundlesRequest;
use cmi_core::api::channel::{QueryChannelAppsRequest, QueryCountryGroupsRequest};
use cmi_core::api::esim::QueryEsimCardInfoRequest;
use cmi_core::api::lifecycle::{EndPackageRequest, IccidPackage};
use cmi_core::api::orders::{CreateOrderRequest, UnsubscribeOrderRequest};
use cmi_core::api::refuel::QueryRefuelPackagesRequest;
use cmi_core::api::subscriptions::QuerySubscribedBundlesRequest;
use cmi_core::api::upcc::QueryUpccTemplatesRequest;
use cmi_core::api::usage::QueryQuotaRequest;
use cmi_core::api::{Language, YesNo};
use cmi_sandbox::ShapeVariant;
use support::*;

/// Calls `$call` (an expression using the client `$c`) plainly, then under `$variant` with a
/// fresh client, asserts both results are equal and returns the plain one.
macro_rules! same_under {
    ($sb:expr, $variant:expr, |$c:ident| $call:expr) => {{
        let $c = client(&$sb);
        let plain = $call.await;
        $sb.fault(Fault::shape($variant)).unwrap();
        let $c = client(&$sb);
        let shaped = $call.await;
        $sb.clear_faults();
        assert_eq!(shaped, plain, "{:?} changed the typed answer", $variant);
        plain
    }};
}

/// The child-order id of ICCID_EXPIRED's ended bundle: its quota no longer moves with time.
async fn expired_child(sb: &SandboxHandle) -> String {
    let c = client(sb);
    let subs = c
        .query_subscribed_bundles(&QuerySubscribedBundlesRequest::by_iccid(demo::ICCID_EXPIRED, Language::English))
        .await
        .unwrap();
    subs.user_data_bundles[0].subscription_key.clone().unwrap()
}

#[tokio::test]
async fn quota_top_level() {
    let sb = sandbox().await;
    let child = expired_child(&sb).await;
    let r = same_under!(sb, ShapeVariant::QuotaTopLevel, |c| c
        .query_quota(&QueryQuotaRequest::by_child_order_id(&child)))
    .unwrap();
    assert_eq!(r.quota_list.len(), 1);
    assert_eq!(r.total_mb(), Some(1024.0));
    assert!(r.history().count() >= 3, "three days of history");
    // No bundle in use: an empty list either way.
    let none = same_under!(sb, ShapeVariant::QuotaTopLevel, |c| c
        .query_quota(&QueryQuotaRequest::by_iccid(demo::ICCID_ESIM)))
    .unwrap();
    assert!(none.quota_list.is_empty());
}

#[tokio::test]
async fn esim_card_info() {
    let sb = sandbox().await;
    let r = same_under!(sb, ShapeVariant::EsimCardInfo, |c| c
        .query_esim_card_info(&QueryEsimCardInfoRequest::new(demo::ICCID_ESIM)))
    .unwrap();
    assert!(r.card_info.is_some() && r.extra.is_empty(), "{r:?}");
    let e = same_under!(sb, ShapeVariant::EsimCardInfo, |c| c
        .query_esim_card_info(&QueryEsimCardInfoRequest::new(demo::ICCID_PHYSICAL)))
    .unwrap_err();
    assert_eq!(e.code(), Some("1000090"));
    assert!(!e.description().is_empty(), "read from `msg`, then from `description`");
}

#[tokio::test]
async fn card_pool_mcc_dtos() {
    let sb = sandbox().await;
    let r = same_under!(sb, ShapeVariant::CardPoolMccDtos, |c| c
        .query_country_groups(&QueryCountryGroupsRequest::new(YesNo::Yes)))
    .unwrap();
    assert_eq!(r.countries.len(), 21);
    assert!(r.find("452").unwrap().consumption[0].hotspot_only(), "the camelCase flag is read too");
    assert!(r.extra.is_empty());
}

#[tokio::test]
async fn description_under_each_key() {
    for variant in [ShapeVariant::DescriptionKey, ShapeVariant::MsgKey, ShapeVariant::DecsriptionKey] {
        let sb = sandbox().await;
        // Success answers of an interface that uses `description` and of one that uses `msg`.
        same_under!(sb, variant, |c| c.query_upcc_templates(&QueryUpccTemplatesRequest::new())).unwrap();
        same_under!(sb, variant, |c| c.query_country_groups(&QueryCountryGroupsRequest::new(YesNo::No))).unwrap();
        // Errors keep the platform's text whatever key carries it.
        let off_sale = CreateOrderRequest::bundle("s", demo::ICCID_ESIM, demo::BUNDLE_TH_OFF_SALE, 1);
        let e = same_under!(sb, variant, |c| c.create_order(&off_sale)).unwrap_err();
        assert_eq!(e.code(), Some("1000151"));
        assert!(!e.description().is_empty());
        let e = same_under!(sb, variant, |c| c
            .unsubscribe_order(&UnsubscribeOrderRequest::by_order_id("999999999999")))
        .unwrap_err();
        assert_eq!(e.code(), Some("1000039"));
        assert!(!e.description().is_empty());
        let e = same_under!(sb, variant, |c| c
            .query_esim_card_info(&QueryEsimCardInfoRequest::new(demo::ICCID_PHYSICAL)))
        .unwrap_err();
        assert!(!e.description().is_empty(), "{variant:?}");
    }
}

#[tokio::test]
async fn success_code_short() {
    let sb = sandbox().await;
    same_under!(sb, ShapeVariant::SuccessCodeShort, |c| c.query_upcc_templates(&QueryUpccTemplatesRequest::new()))
        .unwrap();
    let r = same_under!(sb, ShapeVariant::SuccessCodeShort, |c| c
        .query_data_bundles(&QueryDataBundlesRequest::default()))
    .unwrap();
    assert!(r.data_bundles.len() > 10);
    same_under!(sb, ShapeVariant::SuccessCodeShort, |c| c
        .unsubscribe_order(&UnsubscribeOrderRequest::by_order_id("999999999999")))
    .unwrap_err();
}

#[tokio::test]
async fn numbers_as_strings() {
    let v = ShapeVariant::NumbersAsStrings;
    let sb = sandbox().await;
    let bundles = same_under!(sb, v, |c| c.query_data_bundles(&QueryDataBundlesRequest::default())).unwrap();
    assert!(bundles.data_bundles.iter().all(|b| b.status.is_some() && b.period.is_some()));
    let subs = same_under!(sb, v, |c| c
        .query_subscribed_bundles(&QuerySubscribedBundlesRequest::by_iccid(demo::ICCID_EXPIRED, Language::English)))
    .unwrap();
    assert!(subs.user_data_bundles[0].status.is_some());
    let packs = same_under!(sb, v, |c| c.query_refuel_packages(&QueryRefuelPackagesRequest::new())).unwrap();
    assert_eq!(packs.count, Some(5));
    let apps = same_under!(sb, v, |c| c.query_channel_apps(&QueryChannelAppsRequest::new())).unwrap();
    assert!(apps.apps.iter().flat_map(|a| &a.app_upcc_info).all(|t| t.rate.is_some()));
    let groups = same_under!(sb, v, |c| c.query_country_groups(&QueryCountryGroupsRequest::new(YesNo::Yes))).unwrap();
    assert_eq!(groups.find("454").unwrap().tiers_mb(), [500, 1024]);
    let sims = same_under!(sb, v, |c| c
        .query_sim_info(&QuerySimInfoRequest::new(vec![SimQuery::by_iccid(demo::ICCID_SUSPENDED)])))
    .unwrap();
    assert!(sims.himsis[0].status.is_some());
    let esim =
        same_under!(sb, v, |c| c.query_esim_card_info(&QueryEsimCardInfoRequest::new(demo::ICCID_ESIM))).unwrap();
    assert_eq!(esim.card_info.unwrap().install_count, Some(1));

    // Two orders cannot be equal (new order ids), but every number reads the same.
    let buy = |third: &str| CreateOrderRequest::bundle(third, demo::ICCID_ESIM, demo::BUNDLE_HK_DAILY, 2);
    let plain = client(&sb).create_order(&buy("n1")).await.unwrap();
    sb.fault(Fault::shape(v)).unwrap();
    let shaped = client(&sb).create_order(&buy("n2")).await.unwrap();
    sb.clear_faults();
    assert_eq!(
        (shaped.total(), shaped.unit_price(), shaped.quantity),
        (plain.total(), plain.unit_price(), plain.quantity)
    );
}

#[tokio::test]
async fn lone_object() {
    let v = ShapeVariant::LoneObject;
    let sb = sandbox().await;
    let subs = same_under!(sb, v, |c| c
        .query_subscribed_bundles(&QuerySubscribedBundlesRequest::by_iccid(demo::ICCID_EXPIRED, Language::English)))
    .unwrap();
    assert_eq!(subs.user_data_bundles.len(), 1);
    assert_eq!(subs.user_data_bundles[0].name.len(), 1);
    let apps = same_under!(sb, v, |c| c.query_channel_apps(&QueryChannelAppsRequest::by_name("iqiyi"))).unwrap();
    assert_eq!((apps.apps.len(), apps.apps[0].app_upcc_info.len()), (1, 1));
    let sims = same_under!(sb, v, |c| c
        .query_sim_info(&QuerySimInfoRequest::new(vec![SimQuery::by_iccid(demo::ICCID_ESIM)])))
    .unwrap();
    assert_eq!(sims.himsis.len(), 1);
    let macau = same_under!(sb, v, |c| c.query_carriers(&QueryCarriersRequest::new(Language::English).with_mcc("455")))
        .unwrap();
    assert_eq!(macau.state_list.len(), 1);
    let one = QueryDataBundlesRequest {
        data_bundle_id: Some(demo::BUNDLE_HK_DAILY.into()),
        currency: vec!["USD".into()],
        ..Default::default()
    };
    let cat = same_under!(sb, v, |c| c.query_data_bundles(&one)).unwrap();
    assert_eq!((cat.data_bundles.len(), cat.data_bundles[0].price_info.len()), (1, 1));
    let child = expired_child(&sb).await;
    let quota = same_under!(sb, v, |c| c.query_quota(&QueryQuotaRequest::by_child_order_id(&child))).unwrap();
    assert_eq!(quota.quota_list.len(), 1);
    let end = EndPackageRequest::new(vec![IccidPackage::by_iccid(demo::ICCID_ESIM, demo::BUNDLE_HK_DAILY)]);
    let ended = same_under!(sb, v, |c| c.end_package(&end)).unwrap();
    assert_eq!(ended.failures().count(), 1);
}

#[tokio::test]
async fn begin_index_pages_changes_what_a_page_is() {
    // Not a decoding variant: the platform reading `beginIndex` as a page number. The typed
    // request is sent unchanged; the page that comes back differs.
    let sb = sandbox().await;
    let c = client(&sb);
    let all = c.query_data_bundles(&QueryDataBundlesRequest::default()).await.unwrap();
    let ids = |r: &cmi_core::api::catalogue::QueryDataBundlesResponse| {
        r.data_bundles.iter().map(|b| b.id.clone()).collect::<Vec<_>>()
    };
    let page = QueryDataBundlesRequest::default().with_page(1, 3);
    assert_eq!(ids(&c.query_data_bundles(&page).await.unwrap()), ids(&all)[1..4]);
    sb.fault(Fault::shape(ShapeVariant::BeginIndexPages)).unwrap();
    assert_eq!(ids(&c.query_data_bundles(&page).await.unwrap()), ids(&all)[3..6]);
}
