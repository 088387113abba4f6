//! The channel's own bundles: 3.2.18 `add_package`, 3.2.19 `update_package`, 3.2.20
//! `delete_package`, seen through the catalogue (3.2.2) and orders (3.2.5).

mod support;

use cmi_core::api::catalogue::{BundleStatus, PeriodType, QueryDataBundlesRequest};
use cmi_core::api::orders::CreateOrderRequest;
use cmi_core::api::own_packages::{
    AddPackageRequest, AppDetailInfo, ControlLogic, DeletePackageRequest, DirectAppInfo, DirectType, FlowLimit,
    PackageConsumption, PeriodUnit, UpdatePackageRequest,
};
use cmi_core::api::{LimitType, YesNo};
use cmi_core::units::Money;
use support::*;

/// The spec's own 3.2.18 example, built with the typed API.
fn spec_example() -> AddPackageRequest {
    let mccs = vec!["342".to_owned(), "402".into(), "206".into()];
    let mut req =
        AddPackageRequest::new("haoran_1", 10, FlowLimit::PerDay, ControlLogic::Throttle, "P23061314255918", mccs)
            .with_hotspots()
            .with_refuels(vec!["R2402291445123241410".into(), "R2402231520074242650".into()])
            .with_direct_apps(vec![
                DirectAppInfo {
                    direct_type: DirectType::ZeroRated,
                    is_use_package: Some(YesNo::No),
                    app_detail_infos: vec![AppDetailInfo {
                        app_id: "1760202763620319232".into(),
                        no_limit_template_id: Some("P24022111211572".into()),
                        app_consumption: vec![
                            PackageConsumption::new(10240, "P24022110231944"),
                            PackageConsumption::new(102400, "P24022110247073"),
                        ],
                    }],
                },
                DirectAppInfo::new(
                    DirectType::Throttled,
                    vec![AppDetailInfo {
                        no_limit_template_id: Some("P24022111224160".into()),
                        ..AppDetailInfo::new("1760202953232220160")
                    }],
                ),
            ]);
    req.effective_day = Some("180".into());
    req.package_consumptions =
        vec![PackageConsumption::new(100, "P23061314267445"), PackageConsumption::new(300, "P23061314278118")];
    req
}

fn only(id: &str) -> QueryDataBundlesRequest {
    QueryDataBundlesRequest { data_bundle_id: Some(id.into()), ..Default::default() }
}

#[tokio::test]
async fn the_spec_example_creates_a_bundle_the_channel_can_sell() {
    let sb = sandbox().await;
    let c = client(&sb);
    let created = c.add_package(&spec_example()).await.unwrap();
    let id = created.data_bundle_id.clone();
    assert!(id.starts_with('D') && id.len() == 20, "{id}");

    let cat = c.query_data_bundles(&only(&id)).await.unwrap();
    let b = cat.find(&id).expect("the new bundle is in the channel's catalogue");
    assert_eq!(b.name_in("en"), Some("haoran_1"));
    assert_eq!(b.description_in("en"), Some(""));
    assert_eq!(b.status, Some(BundleStatus::Normal));
    assert_eq!(b.limit_type, Some(LimitType::PerDay));
    assert_eq!((b.period_type.clone(), b.period), (Some(PeriodType::Hours24), Some(10)));
    assert_eq!(b.mccs().into_iter().collect::<Vec<_>>(), ["206", "342", "402"]);
    let refuels: Vec<&str> = b.refueling_packages.iter().map(|r| r.refueling_id.as_str()).collect();
    assert_eq!(refuels, ["R2402291445123241410", "R2402231520074242650"]);
    assert!(b.price_info.is_empty(), "own bundles carry no price");

    // It sells, for nothing.
    let o = c.create_order(&CreateOrderRequest::bundle("own-1", demo::ICCID_ESIM, &id, 1)).await.unwrap();
    assert_eq!(o.total(), Some(Money::new(0, "USD")));
    assert_eq!(sb.state().deposit.amount_cents, 100_000);
}

#[tokio::test]
async fn update_then_delete_an_own_bundle() {
    let sb = sandbox().await;
    let c = client(&sb);
    let mut minimal = AddPackageRequest::new(
        "trip",
        7,
        FlowLimit::PerCycle,
        ControlLogic::Release,
        "P23061314290112",
        vec!["454".into()],
    );
    minimal.period_unit = Some(PeriodUnit::NaturalDay);
    let id = c.add_package(&minimal).await.unwrap().data_bundle_id;
    let before = c.query_data_bundles(&only(&id)).await.unwrap();
    let b = before.find(&id).unwrap();
    assert_eq!((b.period_type.clone(), b.period), (Some(PeriodType::NaturalDay), Some(7)));
    assert!(b.refueling_packages.is_empty());

    let mut change = UpdatePackageRequest::new(&id, 30);
    change.name = Some("trip-plus".into());
    change.keep_period = Some("14".into());
    change.mcc_list = Some(vec!["454".into(), "455".into()]);
    change.support_refuel = Some(cmi_core::api::YesNoInt::Yes);
    change.refuel_list = Some(vec!["R2402221627575904176".into()]);
    c.update_package(&change).await.unwrap();
    let after = c.query_data_bundles(&only(&id)).await.unwrap();
    let b = after.find(&id).unwrap();
    assert_eq!(b.name_in("en"), Some("trip-plus"));
    assert_eq!(b.period, Some(14));
    assert!(b.covers_mcc("455") && b.covers_mcc("454"));
    assert_eq!(b.refueling_packages.len(), 1);
    assert_eq!(b.limit_type, Some(LimitType::PerCycle), "not changeable, kept");

    // A copy bought before deletion keeps working; the bundle itself leaves the catalogue.
    let o = c.create_order(&CreateOrderRequest::bundle("own-2", demo::ICCID_STOCK[0], &id, 1)).await.unwrap();
    c.delete_package(&DeletePackageRequest::new(&id)).await.unwrap();
    assert!(c.query_data_bundles(&only(&id)).await.unwrap().data_bundles.is_empty());
    let all = c.query_data_bundles(&QueryDataBundlesRequest::default()).await.unwrap();
    assert!(all.find(&id).is_none());
    let view = sb.state().orders.into_iter().find(|x| x.order_id == o.order_id).unwrap();
    assert_eq!(view.subscriptions[0].status, 1, "still pending, not cancelled");
    assert_api(c.create_order(&CreateOrderRequest::bundle("own-3", demo::ICCID_ESIM, &id, 1)).await, "1000151");

    // Gone for updates and deletes.
    assert_api(c.update_package(&UpdatePackageRequest::new(&id, 30)).await, "1000132");
    assert_api(c.delete_package(&DeletePackageRequest::new(&id)).await, "1000132");
}

#[tokio::test]
async fn own_bundle_failures() {
    let sb = sandbox().await;
    let c = client(&sb);
    let base = || {
        AddPackageRequest::new(
            "x",
            1,
            FlowLimit::PerCycle,
            ControlLogic::Throttle,
            "P23061314255918",
            vec!["454".into()],
        )
    };

    let e = assert_api(
        c.add_package(&AddPackageRequest { no_limit_template_id: "P00000000000000".into(), ..base() }).await,
        "1000168",
    );
    assert!(e.description().contains("P00000000000000"), "{e}");
    let e = assert_api(c.add_package(&AddPackageRequest { mcc_list: vec!["999".into()], ..base() }).await, "1000007");
    assert!(e.description().contains("999"), "{e}");
    assert_api(c.add_package(&base().with_refuels(vec!["R0000000000000000000".into()])).await, "1000097");
    let unknown_app =
        base().with_direct_apps(vec![DirectAppInfo::new(DirectType::Throttled, vec![AppDetailInfo::new("1")])]);
    assert_api(c.add_package(&unknown_app).await, "1000007");
    // Catalogue bundles are not the channel's to change.
    assert_api(c.update_package(&UpdatePackageRequest::new(demo::BUNDLE_HK_DAILY, 30)).await, "1000132");
    assert_api(c.delete_package(&DeletePackageRequest::new(demo::BUNDLE_HK_DAILY)).await, "1000132");
    assert_api(c.delete_package(&DeletePackageRequest::new("D0000000000000000000")).await, "1000132");

    let before = sb.stats();
    assert_refused_locally(c.add_package(&AddPackageRequest::default()).await, "name", &sb, &before);
    assert_refused_locally(
        c.add_package(&AddPackageRequest { mcc_list: vec![], ..base() }).await,
        "mccList",
        &sb,
        &before,
    );
    let zero = AddPackageRequest { keep_period: "0".into(), ..base() };
    assert_refused_locally(c.add_package(&zero).await, "keepPeriod", &sb, &before);
    let bad_mcc = AddPackageRequest { mcc_list: vec!["454".into(), "45".into()], ..base() };
    assert_refused_locally(c.add_package(&bad_mcc).await, "mccList[1]", &sb, &before);
    let empty_rule = base().with_direct_apps(vec![DirectAppInfo::new(DirectType::ZeroRated, vec![])]);
    assert_refused_locally(c.add_package(&empty_rule).await, "directAppInfos[0].appDetailInfos", &sb, &before);
    let bad_tier = AddPackageRequest { package_consumptions: vec![PackageConsumption::new(0, "P1")], ..base() };
    assert_refused_locally(c.add_package(&bad_tier).await, "packageConsumptions[0].consumption", &sb, &before);
    let mut no_days = UpdatePackageRequest::new("D2403071535388188171", 1);
    no_days.effective_day = String::new();
    assert_refused_locally(c.update_package(&no_days).await, "effectiveDay", &sb, &before);
    assert_refused_locally(c.update_package(&UpdatePackageRequest::new("", 1)).await, "id", &sb, &before);
    assert_refused_locally(c.delete_package(&DeletePackageRequest::new(" ")).await, "id", &sb, &before);
}
