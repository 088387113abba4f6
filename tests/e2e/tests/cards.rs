//! Cards: 3.2.3 `activate_data_bundle`, 3.2.4 `query_himsi_state`, 3.2.9 `end_package` and
//! 3.2.10 `query_sim_info`.

mod support;

use cmi_core::api::Language;
use cmi_core::api::cards::{
    AuthStatus, CardStatus, CertificateType, QueryHimsiStateRequest, QuerySimInfoRequest, ServiceUsageMode, SimQuery,
};
use cmi_core::api::lifecycle::{ActivateDataBundleRequest, EndPackageRequest, IccidPackage};
use cmi_core::api::orders::CreateOrderRequest;
use cmi_core::api::subscriptions::{QuerySubscribedBundlesRequest, SubscriptionStatus};
use cmi_core::api::usage::QueryQuotaRequest;
use cmi_core::datetime::Date;
use support::*;

/// (IMSI, MSISDN) of a demo card, from the sandbox's state view.
fn ids_of(sb: &SandboxHandle, iccid: &str) -> (String, String) {
    let card = sb.state().cards.into_iter().find(|c| c.iccid == iccid).expect("demo card");
    (card.imsi, card.msisdn)
}

fn status_of(sb: &SandboxHandle, order_id: &str) -> Vec<u8> {
    let order = sb.state().orders.into_iter().find(|o| o.order_id == order_id).expect("order");
    order.subscriptions.iter().map(|s| s.status).collect()
}

#[tokio::test]
async fn activating_a_pending_bundle_starts_it_in_that_country() {
    let sb = sandbox().await;
    let c = client(&sb);
    // ICCID_PENDING holds a mode-1 CN 3GB that waits for 3.2.3; the card never attached.
    assert_api(c.query_himsi_state(&QueryHimsiStateRequest::by_iccid(demo::ICCID_PENDING)).await, "1000057");

    let req = ActivateDataBundleRequest::for_iccid(demo::ICCID_PENDING, demo::BUNDLE_CN_3GB, "460");
    let answer = c.activate_data_bundle(&req).await.unwrap();
    assert!(answer.ext.is_empty() && answer.extra.is_empty(), "{answer:?}");

    let subs = c
        .query_subscribed_bundles(&QuerySubscribedBundlesRequest::by_iccid(demo::ICCID_PENDING, Language::English))
        .await
        .unwrap();
    let now = business_now(&sb);
    let active = subs.active(now);
    assert_eq!(active.len(), 1);
    assert_eq!(active[0].data_bundle_id, demo::BUNDLE_CN_3GB);
    let started = active[0].active_time.expect("activeTime").unix_seconds();
    assert!((now.unix_seconds() - started).abs() <= 5);
    assert_eq!(active[0].end_time.unwrap().unix_seconds() - started, 7 * 86_400);

    // The card is now located where it was activated.
    let state = c.query_himsi_state(&QueryHimsiStateRequest::by_iccid(demo::ICCID_PENDING)).await.unwrap();
    assert_eq!(state.mobile_country_code.as_deref(), Some("460"));

    // Activating what is already active is a success, not an error.
    c.activate_data_bundle(&req).await.unwrap();
    let quota = c.query_quota(&QueryQuotaRequest::by_iccid(demo::ICCID_PENDING)).await.unwrap();
    assert_eq!(quota.total_mb(), Some(3072.0));
}

#[tokio::test]
async fn activation_by_msisdn_and_by_home_imsi() {
    let sb = sandbox().await;
    let c = client(&sb);
    let (card_a, card_b) = (demo::ICCID_STOCK[2], demo::ICCID_STOCK[5]);
    let a = c.create_order(&CreateOrderRequest::bundle("kr-a", card_a, demo::BUNDLE_KR_DAILY, 1)).await.unwrap();
    let b = c.create_order(&CreateOrderRequest::bundle("kr-b", card_b, demo::BUNDLE_KR_DAILY, 1)).await.unwrap();
    assert_eq!(status_of(&sb, &a.order_id), [1]);

    let (_, msisdn) = ids_of(&sb, card_a);
    c.activate_data_bundle(&ActivateDataBundleRequest::new(demo::BUNDLE_KR_DAILY, "450").with_msisdn(msisdn))
        .await
        .unwrap();
    assert_eq!(status_of(&sb, &a.order_id), [3]);

    let (imsi, _) = ids_of(&sb, card_b);
    c.activate_data_bundle(&ActivateDataBundleRequest::new(demo::BUNDLE_KR_DAILY, "450").with_h_imsi(imsi))
        .await
        .unwrap();
    assert_eq!(status_of(&sb, &b.order_id), [3]);
}

#[tokio::test]
async fn activation_failures() {
    let sb = sandbox().await;
    let c = client(&sb);
    let activate = |iccid: &str, bundle: &str, mcc: &str| ActivateDataBundleRequest::for_iccid(iccid, bundle, mcc);

    // A country the bundle does not cover.
    let e =
        assert_api(c.activate_data_bundle(&activate(demo::ICCID_PENDING, demo::BUNDLE_CN_3GB, "454")).await, "1000058");
    assert!(e.description().contains("454"), "{e}");
    // Real-name registration still awaiting in 460.
    c.create_order(&CreateOrderRequest::bundle("rn", demo::ICCID_REAL_NAME, demo::BUNDLE_CN_3GB, 1)).await.unwrap();
    assert_api(c.activate_data_bundle(&activate(demo::ICCID_REAL_NAME, demo::BUNDLE_CN_3GB, "460")).await, "1000060");
    // Nothing pending to activate.
    assert_api(c.activate_data_bundle(&activate(demo::ICCID_ESIM, demo::BUNDLE_CN_3GB, "460")).await, "1000010");
    // Another bundle is in use on the card.
    c.create_order(&CreateOrderRequest::bundle("gc", demo::ICCID_ACTIVE, demo::BUNDLE_GREATER_CHINA, 1)).await.unwrap();
    let e = assert_api(
        c.activate_data_bundle(&activate(demo::ICCID_ACTIVE, demo::BUNDLE_GREATER_CHINA, "454")).await,
        "1000059",
    );
    assert!(e.description().contains(demo::BUNDLE_HK_MO_5GB), "{e}");
    // Suspended, unknown and foreign cards.
    assert_api(c.activate_data_bundle(&activate(demo::ICCID_SUSPENDED, demo::BUNDLE_HK_DAILY, "454")).await, "1000153");
    assert_api(
        c.activate_data_bundle(&activate("89852342024000099999", demo::BUNDLE_HK_DAILY, "454")).await,
        "1000013",
    );
    assert_api(c.activate_data_bundle(&activate(demo::ICCID_FOREIGN, demo::BUNDLE_HK_DAILY, "454")).await, "1000073");

    // Refused before sending.
    let before = sb.stats();
    let nobody = ActivateDataBundleRequest::new(demo::BUNDLE_CN_3GB, "460");
    assert_refused_locally(c.activate_data_bundle(&nobody).await, "iccid", &sb, &before);
    assert_refused_locally(
        c.activate_data_bundle(&activate(demo::ICCID_PENDING, demo::BUNDLE_CN_3GB, "4600")).await,
        "mcc",
        &sb,
        &before,
    );
    assert_refused_locally(
        c.activate_data_bundle(&activate(demo::ICCID_PENDING, "", "460")).await,
        "dataBundleId",
        &sb,
        &before,
    );
    let bad_msisdn = ActivateDataBundleRequest::new(demo::BUNDLE_CN_3GB, "460").with_msisdn("852-6400");
    assert_refused_locally(c.activate_data_bundle(&bad_msisdn).await, "msisdn", &sb, &before);
}

#[tokio::test]
async fn home_imsi_state_by_iccid_and_imsi() {
    let sb = sandbox().await;
    let c = client(&sb);
    let (imsi, msisdn) = ids_of(&sb, demo::ICCID_ESIM);
    let by_iccid = c.query_himsi_state(&QueryHimsiStateRequest::by_iccid(demo::ICCID_ESIM)).await.unwrap();
    assert_eq!(by_iccid.imsi, imsi);
    assert_eq!(by_iccid.msisdn.as_deref(), Some(msisdn.as_str()));
    assert_eq!(by_iccid.mobile_country_code.as_deref(), Some("454"));
    let by_imsi = c.query_himsi_state(&QueryHimsiStateRequest::by_imsi(&imsi)).await.unwrap();
    assert_eq!(by_imsi, by_iccid);
    // A location update moves it.
    sb.set_location(demo::ICCID_ESIM, "440").unwrap();
    let moved = c.query_himsi_state(&QueryHimsiStateRequest::by_imsi(&imsi)).await.unwrap();
    assert_eq!(moved.mobile_country_code.as_deref(), Some("440"));

    assert_api(c.query_himsi_state(&QueryHimsiStateRequest::by_iccid(demo::ICCID_STOCK[4])).await, "1000057");
    assert_api(c.query_himsi_state(&QueryHimsiStateRequest::by_imsi("454120389999999")).await, "1000012");
    assert_api(
        c.query_himsi_state(&QueryHimsiStateRequest::by_imsi(ids_of(&sb, demo::ICCID_FOREIGN).0)).await,
        "1000076",
    );
    let before = sb.stats();
    assert_refused_locally(c.query_himsi_state(&QueryHimsiStateRequest::default()).await, "imsi", &sb, &before);
    assert_refused_locally(c.query_himsi_state(&QueryHimsiStateRequest::by_imsi("45412")).await, "imsi", &sb, &before);
}

#[tokio::test]
async fn ending_a_bundle_early_and_the_failures_it_lists() {
    let sb = sandbox().await;
    let c = client(&sb);
    let (daily_imsi, _) = ids_of(&sb, demo::ICCID_ACTIVE_DAILY);
    let ok = EndPackageRequest::new(vec![IccidPackage::by_iccid(demo::ICCID_ACTIVE, demo::BUNDLE_HK_MO_5GB)])
        .with(IccidPackage::by_imsi(daily_imsi, demo::BUNDLE_JP_DAILY));
    let r = c.end_package(&ok).await.unwrap();
    assert!(r.all_released(), "{r:?}");

    let subs = c
        .query_subscribed_bundles(&QuerySubscribedBundlesRequest::by_iccid(demo::ICCID_ACTIVE, Language::English))
        .await
        .unwrap();
    assert!(subs.active(business_now(&sb)).is_empty());
    assert!(subs.user_data_bundles.iter().all(|s| s.status == Some(SubscriptionStatus::Expired)));
    assert!(c.query_quota(&QueryQuotaRequest::by_iccid(demo::ICCID_ACTIVE)).await.unwrap().current().is_none());

    // Per-item failures come back in errorList; the call itself succeeds.
    let mixed = EndPackageRequest::new(vec![
        IccidPackage::by_iccid(demo::ICCID_ESIM, demo::BUNDLE_HK_DAILY),
        IccidPackage::by_iccid("89852342024000099999", demo::BUNDLE_HK_DAILY),
        IccidPackage::by_iccid(demo::ICCID_ACTIVE, demo::BUNDLE_HK_MO_5GB),
    ]);
    let r = c.end_package(&mixed).await.unwrap();
    assert!(!r.all_released());
    assert_eq!(r.failures().count(), 3, "{r:?}");
    assert!(r.failure_for(demo::ICCID_ESIM).is_some_and(|why| why.contains("not in use")), "{r:?}");
    assert!(r.failure_for("89852342024000099999").is_some_and(|why| why.contains("ICCID")), "{r:?}");

    let before = sb.stats();
    assert_refused_locally(c.end_package(&EndPackageRequest::default()).await, "iccidPackageList", &sb, &before);
    let no_bundle = EndPackageRequest::new(vec![IccidPackage::by_iccid(demo::ICCID_ACTIVE, "")]);
    assert_refused_locally(c.end_package(&no_bundle).await, "iccidPackageList[0].packageid", &sb, &before);
}

#[tokio::test]
async fn sim_info_for_many_cards() {
    let sb = sandbox().await;
    let c = client(&sb);
    let (suspended_imsi, _) = ids_of(&sb, demo::ICCID_SUSPENDED);
    let req = QuerySimInfoRequest::new(vec![SimQuery::by_iccid(demo::ICCID_ESIM)])
        .with(SimQuery::by_imsi(&suspended_imsi))
        .with(SimQuery::by_iccid(demo::ICCID_REAL_NAME))
        .with(SimQuery::by_iccid(demo::ICCID_FOREIGN))
        .with(SimQuery::by_iccid("89852342024000099999"));
    let r = c.query_sim_info(&req).await.unwrap();
    assert_eq!(r.himsis.len(), 3, "unknown and foreign cards are left out");
    assert!(r.find_by_iccid(demo::ICCID_FOREIGN).is_none());

    let esim = r.find_by_iccid(demo::ICCID_ESIM).expect("own card");
    assert!(esim.is_normal());
    assert_eq!(esim.service_usage_mode, Some(ServiceUsageMode::Automatic));
    assert!(!esim.needs_manual_activation());
    assert!(esim.create_time.is_some() && esim.expire_time.is_some() && esim.last_modify_time.is_some());
    assert_eq!(esim.expire_time.unwrap().date, Date::new(2030, 12, 31).unwrap());

    let suspended = r.find_by_imsi(&suspended_imsi).expect("suspended card");
    assert_eq!(suspended.status, Some(CardStatus::Suspended));
    assert_eq!(suspended.iccid.as_deref(), Some(demo::ICCID_SUSPENDED));

    let rn = r.find_by_iccid(demo::ICCID_REAL_NAME).unwrap();
    let rule = rn.real_rule_for("460").expect("real-name rule for 460");
    assert_eq!(rule.auth_status, Some(AuthStatus::Awaiting));
    assert!(!rule.is_passed());
    assert_eq!(rule.certificates_type, Some(CertificateType::Passport));
    assert_eq!(rule.certificates_time, Date::new(2030, 6, 30));
    assert!(rn.real_rule_for("454").is_none());
}

#[tokio::test]
async fn sim_info_in_the_bare_array_form_needs_no_token() {
    let sb = sandbox().await;
    let c = client_with(&sb, |cfg| cfg.wire.sim_info_bare_array = true);
    let r = c.query_sim_info(&QuerySimInfoRequest::new(vec![SimQuery::by_iccid(demo::ICCID_USA)])).await.unwrap();
    assert_eq!(r.himsis.len(), 1);
    assert_eq!(r.himsis[0].iccid.as_deref(), Some(demo::ICCID_USA));
    assert_eq!(sb.stats().token_issues, 0, "the bare array has nowhere to put a token");

    let before = sb.stats();
    assert_refused_locally(c.query_sim_info(&QuerySimInfoRequest::default()).await, "querySIMInfoVOList", &sb, &before);
    let neither = QuerySimInfoRequest::new(vec![SimQuery::by_iccid(demo::ICCID_USA), SimQuery::default()]);
    assert_refused_locally(c.query_sim_info(&neither).await, "querySIMInfoVOList[1]", &sb, &before);
    let bad = QuerySimInfoRequest::new(vec![SimQuery::by_iccid("8985")]);
    assert_refused_locally(c.query_sim_info(&bad).await, "querySIMInfoVOList[0].iccid", &sb, &before);
}
