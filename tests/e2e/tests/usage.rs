//! Usage: 3.2.8 `query_quota` and 3.2.11 `query_usage_trajectories`, including growth over
//! simulated time and a move between countries.

mod support;

use cmi_core::api::Language;
use cmi_core::api::LimitType;
use cmi_core::api::TrajectoryLanguage;
use cmi_core::api::subscriptions::QuerySubscribedBundlesRequest;
use cmi_core::api::usage::{QueryQuotaRequest, QueryUsageTrajectoriesRequest};
use cmi_core::datetime::Date;
use std::time::Duration;
use support::*;

const DAY: Duration = Duration::from_secs(86_400);

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.05
}

#[tokio::test]
async fn quota_of_the_bundle_in_use_by_every_selector() {
    let sb = sandbox().await;
    let c = client(&sb);
    let r = c.query_quota(&QueryQuotaRequest::by_iccid(demo::ICCID_ACTIVE)).await.unwrap();
    assert_eq!(r.quota_list.len(), 1);
    let q = r.current().expect("a bundle is in use");
    assert_eq!(q.limit_type, Some(LimitType::PerCycle));
    assert_eq!(r.total_mb(), Some(5120.0));
    let (used, left) = (r.used_mb().unwrap(), r.remaining_mb().unwrap());
    assert!(used > 0.0, "two days of use");
    assert!(close(used + left, 5120.0), "{used} + {left}");
    assert!(q.used_total_mb().unwrap() >= used);
    assert_eq!(q.refueling_total.map(|v| v.as_megabytes()), Some(0.0));

    // Daily history: one row per UTC day in 454, which adds up to the use so far.
    let days: Vec<_> = r.history().collect();
    assert!(days.len() >= 2, "{days:?}");
    assert!(days.iter().all(|h| h.mcc == "454" && h.date.is_some() && h.app_name.is_none()));
    let total: f64 = days.iter().map(|h| h.consumption.unwrap().as_megabytes()).sum();
    assert!(close(total, q.used_total_mb().unwrap()), "{total} vs {q:?}");
    let first_day = days[0].date.unwrap();
    assert_eq!(r.used_on_mb(first_day), days[0].consumption.map(|v| v.as_megabytes()));
    assert_eq!(r.used_on_mb(Date::new(2020, 1, 1).unwrap()), None);

    // The same bundle by home IMSI, by child order and by the partner's order id.
    let imsi = sb.state().cards.into_iter().find(|x| x.iccid == demo::ICCID_ACTIVE).unwrap().imsi;
    let by_imsi = c.query_quota(&QueryQuotaRequest::by_h_imsi(imsi)).await.unwrap();
    assert_eq!(by_imsi.total_mb(), Some(5120.0));
    let subs = c
        .query_subscribed_bundles(&QuerySubscribedBundlesRequest::by_iccid(demo::ICCID_ACTIVE, Language::English))
        .await
        .unwrap();
    let key = subs.active(business_now(&sb))[0].subscription_key.clone().unwrap();
    let by_child = c.query_quota(&QueryQuotaRequest::by_child_order_id(&key)).await.unwrap();
    assert_eq!(by_child.total_mb(), Some(5120.0));
    assert!(close(by_child.used_mb().unwrap(), used));

    // A period narrows the history to those days.
    let one_day = c
        .query_quota(&QueryQuotaRequest::by_iccid(demo::ICCID_ACTIVE).with_period(first_day, first_day))
        .await
        .unwrap();
    assert_eq!(one_day.history().count(), 1);
    assert_eq!(one_day.history().next().unwrap().date, Some(first_day));

    // No bundle in use: an empty list, not an error.
    let none = c.query_quota(&QueryQuotaRequest::by_iccid(demo::ICCID_ESIM)).await.unwrap();
    assert!(none.quota_list.is_empty() && none.current().is_none() && none.remaining_mb().is_none());
}

#[tokio::test]
async fn quota_grows_with_simulated_time_and_daily_bundles_count_one_day() {
    let sb = sandbox().await;
    let c = client(&sb);
    let req = QueryQuotaRequest::by_iccid(demo::ICCID_ACTIVE);
    let before = c.query_quota(&req).await.unwrap();
    let report = sb.advance_clock(DAY);
    assert!(report.usage_reports >= 1);
    let after = c.query_quota(&req).await.unwrap();
    let (u0, u1) = (before.used_mb().unwrap(), after.used_mb().unwrap());
    assert!(u1 > u0 + 10.0, "{u0} -> {u1}");
    assert!(after.remaining_mb().unwrap() < before.remaining_mb().unwrap());
    assert!(after.history().count() > before.history().count());

    let daily = c.query_quota(&QueryQuotaRequest::by_iccid(demo::ICCID_ACTIVE_DAILY)).await.unwrap();
    let q = daily.current().expect("daily bundle in use");
    assert_eq!(q.limit_type, Some(LimitType::PerDay));
    assert_eq!(daily.total_mb(), Some(2048.0));
    // Today's use only: never more than a day's allowance.
    assert!(daily.used_mb().unwrap() <= 2048.0);
}

#[tokio::test]
async fn quota_failures() {
    let sb = sandbox().await;
    let c = client(&sb);
    assert_api(c.query_quota(&QueryQuotaRequest::by_child_order_id("212400000000999")).await, "1000116");
    assert_api(c.query_quota(&QueryQuotaRequest::by_third_order_id("no-such-order")).await, "1000116");
    assert_api(c.query_quota(&QueryQuotaRequest::by_iccid("89852342024000099999")).await, "1000013");
    assert_api(c.query_quota(&QueryQuotaRequest::by_iccid(demo::ICCID_FOREIGN)).await, "1000073");

    let before = sb.stats();
    assert_refused_locally(c.query_quota(&QueryQuotaRequest::default()).await, "iccid", &sb, &before);
    let backwards = QueryQuotaRequest::by_iccid(demo::ICCID_ACTIVE)
        .with_period(Date::new(2025, 6, 9).unwrap(), Date::new(2025, 6, 1).unwrap());
    assert_refused_locally(c.query_quota(&backwards).await, "endTime", &sb, &before);
    let mut no_such_day = QueryQuotaRequest::by_iccid(demo::ICCID_ACTIVE);
    no_such_day.begin_date = Some("20250230".into());
    no_such_day.end_date = Some("20250301".into());
    assert_refused_locally(c.query_quota(&no_such_day).await, "beginTime", &sb, &before);
    assert_refused_locally(c.query_quota(&QueryQuotaRequest::by_h_imsi("12")).await, "himsi", &sb, &before);
}

#[tokio::test]
async fn trajectories_follow_the_card_between_countries() {
    let sb = sandbox().await;
    let c = client(&sb);
    let imsi = sb.state().cards.into_iter().find(|x| x.iccid == demo::ICCID_ACTIVE).unwrap().imsi;
    let req = QueryUsageTrajectoriesRequest::by_iccid(demo::ICCID_ACTIVE, demo::BUNDLE_HK_MO_5GB);
    let r = c.query_usage_trajectories(&req).await.unwrap();
    assert_eq!(r.trajectories_list.len(), 1, "{r:?}");
    let t = r.latest().unwrap();
    assert_eq!((t.mcc.as_str(), t.country.as_str()), ("454", "Hong Kong"));
    assert_eq!(t.h_imsi, imsi);
    assert!(t.vimsi.as_deref().is_some_and(|v| v.len() == 15), "{t:?}");
    assert!(t.begin_date.unwrap() <= t.end_date.unwrap());
    assert!(t.consumption.unwrap().as_megabytes() > 0.0);

    // The card travels to Macau (also covered) and uses data there for a day.
    sb.set_location(demo::ICCID_ACTIVE, "455").unwrap();
    sb.advance_clock(DAY);
    let r = c.query_usage_trajectories(&req).await.unwrap();
    let mccs: Vec<&str> = r.trajectories_list.iter().map(|t| t.mcc.as_str()).collect();
    assert_eq!(mccs, ["454", "455"]);
    assert_eq!(r.latest().unwrap().country, "Macau");

    // Country names in the requested language (0 = Chinese here, unlike 3.2.7).
    let mut zh = req.clone();
    zh.language = Some(TrajectoryLanguage::Chinese);
    let r = c.query_usage_trajectories(&zh).await.unwrap();
    assert_eq!(r.trajectories_list[0].country, "香港");
    let mut tw = req.clone();
    tw.language = Some(TrajectoryLanguage::TraditionalChinese);
    assert_eq!(c.query_usage_trajectories(&tw).await.unwrap().latest().unwrap().country, "澳門");

    // By IMSI, narrowed to the order; a bundle the card never used gives an empty list.
    let mut by_imsi = QueryUsageTrajectoriesRequest::by_imsi(&imsi, demo::BUNDLE_HK_MO_5GB);
    let order = sb.state().orders.into_iter().find(|o| o.iccid == demo::ICCID_ACTIVE).unwrap();
    by_imsi.order_id = Some(order.order_id.clone());
    assert_eq!(c.query_usage_trajectories(&by_imsi).await.unwrap().trajectories_list.len(), 2);
    by_imsi.order_id = Some("999999999999".into());
    assert!(c.query_usage_trajectories(&by_imsi).await.unwrap().trajectories_list.is_empty());
    let unused = QueryUsageTrajectoriesRequest::by_iccid(demo::ICCID_ACTIVE, demo::BUNDLE_ASIA);
    assert!(c.query_usage_trajectories(&unused).await.unwrap().latest().is_none());
}

#[tokio::test]
async fn trajectory_failures() {
    let sb = sandbox().await;
    let c = client(&sb);
    let req = |iccid: &str| QueryUsageTrajectoriesRequest::by_iccid(iccid, demo::BUNDLE_HK_MO_5GB);
    assert_api(c.query_usage_trajectories(&req(demo::ICCID_FOREIGN)).await, "1000073");
    assert_api(c.query_usage_trajectories(&req("89852342024000099999")).await, "1000013");

    let before = sb.stats();
    let mut nobody = req(demo::ICCID_ACTIVE);
    nobody.iccid = None;
    assert_refused_locally(c.query_usage_trajectories(&nobody).await, "imsi", &sb, &before);
    let no_bundle = QueryUsageTrajectoriesRequest::by_iccid(demo::ICCID_ACTIVE, "");
    assert_refused_locally(c.query_usage_trajectories(&no_bundle).await, "packageID", &sb, &before);
    let mut bad_lang = req(demo::ICCID_ACTIVE);
    bad_lang.language = Some(TrajectoryLanguage::from_wire("5"));
    assert_refused_locally(c.query_usage_trajectories(&bad_lang).await, "language", &sb, &before);
}
