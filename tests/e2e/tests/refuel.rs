//! The channel's own add-ons (refuel packs): 3.2.21 `add_refuel_package`, 3.2.22
//! `query_refuel_packages` (paged) and 3.2.23 `delete_refuel_package`.

mod support;

use cmi_core::api::refuel::{
    AddRefuelPackageRequest, DeleteRefuelPackageRequest, FlowUnit, QueryRefuelPackagesRequest,
};
use support::*;

const DEMO_ADD_ONS: [(&str, f64); 5] = [
    ("R2402221627575904176", 500.0),
    ("R2402291445123241410", 1024.0),
    ("R2402231520074242650", 2048.0),
    ("R2402221642190475846", 10240.0),
    ("R2403071521207715011", 40960.0),
];

#[tokio::test]
async fn the_demo_add_ons_page_by_page() {
    let sb = sandbox().await;
    let c = client(&sb);
    let all = c.query_refuel_packages(&QueryRefuelPackagesRequest::new()).await.unwrap();
    assert_eq!(all.count, Some(5));
    assert_eq!(all.refuel_packs.len(), 5);
    for (id, mb) in DEMO_ADD_ONS {
        let p = all.find(id).unwrap_or_else(|| panic!("{id} listed"));
        assert_eq!(p.flow_unit, Some(FlowUnit::Megabytes));
        assert_eq!(p.volume().map(|v| v.as_megabytes()), Some(mb), "{p:?}");
        assert!(p.name.contains("MB"), "{p:?}");
    }

    let ids = |r: &cmi_core::api::refuel::QueryRefuelPackagesResponse| {
        r.refuel_packs.iter().map(|p| p.refueling_id.clone()).collect::<Vec<_>>()
    };
    let p1 = c.query_refuel_packages(&QueryRefuelPackagesRequest::page(1, 2)).await.unwrap();
    let p3 = c.query_refuel_packages(&QueryRefuelPackagesRequest::page(3, 2)).await.unwrap();
    let p4 = c.query_refuel_packages(&QueryRefuelPackagesRequest::page(4, 2)).await.unwrap();
    assert_eq!(ids(&p1), ids(&all)[..2]);
    assert_eq!(ids(&p3), ids(&all)[4..]);
    assert!(p4.refuel_packs.is_empty());
    assert!([&p1, &p3, &p4].iter().all(|p| p.count == Some(5)), "count is the total");
}

#[tokio::test]
async fn create_then_delete_an_add_on() {
    let sb = sandbox().await;
    let c = client(&sb);
    let created = c.add_refuel_package(&AddRefuelPackageRequest::new(3072)).await.unwrap();
    let pack = created.refuel_pack.expect("data");
    assert!(pack.refueling_id.starts_with('R') && pack.refueling_id.len() == 20, "{pack:?}");
    assert_eq!(pack.name, "3072MB add-on");

    let listed = c.query_refuel_packages(&QueryRefuelPackagesRequest::page(1, 100)).await.unwrap();
    assert_eq!(listed.count, Some(6));
    let p = listed.find(&pack.refueling_id).expect("listed");
    assert_eq!(p.volume().map(|v| v.as_megabytes()), Some(3072.0));

    c.delete_refuel_package(&DeleteRefuelPackageRequest::new(&pack.refueling_id)).await.unwrap();
    let after = c.query_refuel_packages(&QueryRefuelPackagesRequest::page(1, 100)).await.unwrap();
    assert_eq!(after.count, Some(5));
    assert!(after.find(&pack.refueling_id).is_none());
    let e = assert_api(c.delete_refuel_package(&DeleteRefuelPackageRequest::new(&pack.refueling_id)).await, "1000096");
    assert!(e.description().contains(&pack.refueling_id), "{e}");
}

#[tokio::test]
async fn add_on_failures() {
    let sb = sandbox().await;
    let c = client(&sb);
    // Catalogue add-ons are CMI's, not the channel's.
    assert_api(c.delete_refuel_package(&DeleteRefuelPackageRequest::new(demo::ADDON_1GB)).await, "1000096");
    assert_api(c.delete_refuel_package(&DeleteRefuelPackageRequest::new("R0000000000000000000")).await, "1000096");
    // A size the platform does not accept (more than 7 digits of MB).
    let e = assert_api(c.add_refuel_package(&AddRefuelPackageRequest::new(12_345_678)).await, "1000007");
    assert_eq!(e.category(), Category::Validation);
    assert!(e.description().contains("flowValue"), "{e}");

    let before = sb.stats();
    assert_refused_locally(c.add_refuel_package(&AddRefuelPackageRequest::new(0)).await, "flowValue", &sb, &before);
    let fraction = AddRefuelPackageRequest { flow_value: "1.5".into() };
    assert_refused_locally(c.add_refuel_package(&fraction).await, "flowValue", &sb, &before);
    let page0 = QueryRefuelPackagesRequest::page(0, 10);
    assert_refused_locally(c.query_refuel_packages(&page0).await, "pageNo", &sb, &before);
    let mut size = QueryRefuelPackagesRequest::new();
    size.page_size = Some("ten".into());
    assert_refused_locally(c.query_refuel_packages(&size).await, "pageSize", &sb, &before);
    assert_refused_locally(
        c.delete_refuel_package(&DeleteRefuelPackageRequest::default()).await,
        "refuelId",
        &sb,
        &before,
    );
}
