//! Catalogue: 3.2.2 `query_data_bundles` and 3.2.7 `query_carriers`, typed answers and their
//! documented failures.

mod support;

use cmi_core::api::carriers::QueryCarriersRequest;
use cmi_core::api::catalogue::{
    ActivationMode, BundleStatus, FlowUnit, PeriodType, QueryDataBundlesRequest, RefuelingPackage,
};
use cmi_core::api::{CooperationMode, DeductionModel, Language, LimitType};
use cmi_core::units::Money;
use support::*;

fn catalogue_for(mcc: &str) -> QueryDataBundlesRequest {
    QueryDataBundlesRequest {
        mcc: Some(mcc.into()),
        currency: vec!["USD".into()],
        language: Some("en".into()),
        ..QueryDataBundlesRequest::default()
    }
}

#[tokio::test]
async fn bundles_decode_with_prices_coverage_periods_and_add_ons() {
    let sb = sandbox().await;
    let c = client(&sb);
    let r = c.query_data_bundles(&catalogue_for("454")).await.unwrap();

    assert!(r.data_bundles.len() >= 4, "{:?}", r.data_bundles.iter().map(|b| &b.id).collect::<Vec<_>>());
    assert!(r.data_bundles.iter().all(|b| b.covers_mcc("454")), "the mcc filter holds");
    assert!(r.find(demo::BUNDLE_CN_3GB).is_none(), "CN 3GB does not cover 454");

    let b = r.find(demo::BUNDLE_HK_MO_5GB).expect("HK & Macau 5GB is sold in 454");
    assert_eq!(b.name_in("en"), Some("Hong Kong & Macau 5GB 7 days"));
    assert_eq!(b.price_in("usd"), Some(Money::new(1200, "USD")));
    assert_eq!(b.price_in("HKD"), None, "the currency filter holds");
    assert_eq!(b.mccs().into_iter().collect::<Vec<_>>(), ["454", "455"]);
    assert_eq!(b.status, Some(BundleStatus::Normal));
    assert_eq!(b.activation_mode, Some(ActivationMode::LocationUpdate));
    assert_eq!(b.limit_type, Some(LimitType::PerCycle));
    assert_eq!((b.period_type.clone(), b.period), (Some(PeriodType::Hours24), Some(7)));
    assert_eq!(b.is_promotional(), Some(false));
    assert_eq!(b.cooperation_mode(), Some(CooperationMode::Consignment));
    assert_eq!(b.deduction_model(), Some(DeductionModel::Standard));
    assert!(b.create_time.is_some() && b.expire_time.is_some());

    // The add-ons offered with it, with typed volumes and prices.
    let one_gb: &RefuelingPackage = b.refueling_package(demo::ADDON_1GB).expect("1 GB add-on");
    assert_eq!(one_gb.volume().map(|v| v.as_megabytes()), Some(1024.0));
    assert_eq!(one_gb.flow_unit, Some(FlowUnit::Gigabytes));
    assert_eq!(one_gb.price_in("USD"), Some(Money::new(500, "USD")));
    assert!(one_gb.is_orderable());
    assert!(b.refueling_package(demo::ADDON_3GB).is_some());

    // Daily bundles say so.
    let daily = r.find(demo::BUNDLE_HK_DAILY).expect("HK daily");
    assert_eq!(daily.limit_type, Some(LimitType::PerDay));
    assert_eq!((daily.period_type.clone(), daily.period), (Some(PeriodType::NaturalDay), Some(3)));
}

#[tokio::test]
async fn promotional_off_sale_and_a2z_bundles() {
    let sb = sandbox().await;
    let c = client(&sb);
    let all = c.query_data_bundles(&QueryDataBundlesRequest::default()).await.unwrap();

    let promo = all.find(demo::BUNDLE_PROMO).expect("promo listed");
    assert_eq!(promo.is_promotional(), Some(true));
    assert_eq!(promo.purchases_count(), Some(1));
    assert_eq!(promo.discount_percent(), Some(50.0));
    assert_eq!(promo.price_in("USD"), Some(Money::new(300, "USD")));
    assert_eq!(promo.original_price_in("USD"), Some(Money::new(600, "USD")));

    // Off-sale bundles are listed (status 2) but not on sale.
    let off = all.find(demo::BUNDLE_TH_OFF_SALE).expect("off-sale bundle listed");
    assert_eq!(off.status, Some(BundleStatus::OffSale));
    assert!(all.on_sale().all(|b| b.id != demo::BUNDLE_TH_OFF_SALE));
    assert!(all.on_sale().any(|b| b.id == demo::BUNDLE_GLOBAL));
    let normal_only = QueryDataBundlesRequest { status: Some(BundleStatus::Normal), ..Default::default() };
    let normal = c.query_data_bundles(&normal_only).await.unwrap();
    assert!(normal.find(demo::BUNDLE_TH_OFF_SALE).is_none());
    assert_eq!(normal.data_bundles.len() + 1, all.data_bundles.len());

    // Cooperation mode decides what the channel sees.
    assert!(all.find(demo::BUNDLE_AU_A2Z).is_none());
    let a2z = c.query_data_bundles(&QueryDataBundlesRequest::new(CooperationMode::A2z)).await.unwrap();
    assert_eq!(a2z.data_bundles.iter().map(|b| b.id.as_str()).collect::<Vec<_>>(), [demo::BUNDLE_AU_A2Z]);
    assert_eq!(a2z.data_bundles[0].cooperation_mode(), Some(CooperationMode::A2z));
}

#[tokio::test]
async fn bundles_page_by_row_offset() {
    let sb = sandbox().await;
    let c = client(&sb);
    let all = c.query_data_bundles(&QueryDataBundlesRequest::default()).await.unwrap();
    let ids = |r: &cmi_core::api::catalogue::QueryDataBundlesResponse| {
        r.data_bundles.iter().map(|b| b.id.clone()).collect::<Vec<_>>()
    };
    let p1 = c.query_data_bundles(&QueryDataBundlesRequest::default().with_page(0, 5)).await.unwrap();
    let p2 = c.query_data_bundles(&QueryDataBundlesRequest::default().with_page(5, 5)).await.unwrap();
    assert_eq!(ids(&p1), ids(&all)[..5]);
    assert_eq!(ids(&p2), ids(&all)[5..10]);
    // Past the end is an empty page, not an error.
    let empty = c.query_data_bundles(&QueryDataBundlesRequest::default().with_page(500, 5)).await.unwrap();
    assert!(empty.data_bundles.is_empty());
}

#[tokio::test]
async fn bundle_queries_are_validated_before_sending_and_refused_by_the_platform() {
    let sb = sandbox().await;
    let c = client(&sb);
    let before = sb.stats();

    let bad_mcc = QueryDataBundlesRequest { mcc: Some("45".into()), ..Default::default() };
    assert_refused_locally(c.query_data_bundles(&bad_mcc).await, "mcc", &sb, &before);
    let bad_page = QueryDataBundlesRequest::default().with_page(-1, 10);
    assert_refused_locally(c.query_data_bundles(&bad_page).await, "beginIndex", &sb, &before);
    let long_id = QueryDataBundlesRequest { data_bundle_id: Some("D".repeat(21)), ..Default::default() };
    assert_refused_locally(c.query_data_bundles(&long_id).await, "dataBundleId", &sb, &before);

    // A language the platform does not know: 1000007 naming the field.
    let klingon = QueryDataBundlesRequest { language: Some("tlh".into()), ..Default::default() };
    let e = assert_api(c.query_data_bundles(&klingon).await, "1000007");
    assert_eq!(e.category(), Category::Validation);
    assert!(!e.retryable());
    assert!(e.description().contains("language"), "{e}");
    assert_eq!(sb.stats().calls_of("query_data_bundles"), 1);
}

#[tokio::test]
async fn carriers_with_apn_per_country_and_language() {
    let sb = sandbox().await;
    let c = client(&sb);
    let hk = c.query_carriers(&QueryCarriersRequest::new(Language::English).with_mcc("454")).await.unwrap();
    let names: Vec<&str> = hk.state_list.iter().map(|x| x.carrier.as_str()).collect();
    assert_eq!(names, ["CMHK", "CSL"]);
    for x in &hk.state_list {
        assert_eq!((x.mcc.as_str(), x.country.as_str(), x.continent.as_str()), ("454", "Hong Kong", "Asia"));
        assert_eq!(x.apn, "cmlink");
        assert_eq!(x.is_hot, "1");
        assert!(x.image_url.as_deref().is_some_and(|u| u.ends_with("454.png")));
    }

    let all = c.query_carriers(&QueryCarriersRequest::new(Language::SimplifiedChinese)).await.unwrap();
    assert!(all.state_list.len() > 20);
    let cn: Vec<_> = all.by_mcc("460").collect();
    assert_eq!(cn.len(), 2);
    assert_eq!(cn[0].country, "中国内地");
    assert!(cn.iter().any(|x| x.apn == "3gnet"));
    let mut tw = QueryCarriersRequest::new(Language::TraditionalChinese);
    tw.continent = Some("Europe".into());
    let europe = c.query_carriers(&tw).await.unwrap();
    assert!(!europe.state_list.is_empty() && europe.state_list.iter().all(|x| x.continent == "歐洲"));
}

#[tokio::test]
async fn carriers_need_no_token_and_refuse_a_missing_language_locally() {
    let sb = sandbox().await;
    // 3.2.7's table omits accessToken: with token_on_optional off no token is fetched at all.
    let c = client_with(&sb, |cfg| cfg.token_on_optional = false);
    let r = c.query_carriers(&QueryCarriersRequest::new(Language::English).with_mcc("440")).await.unwrap();
    assert_eq!(r.state_list.len(), 2);
    assert_eq!(sb.stats().token_issues, 0);
    assert_eq!(c.token_requests(), 0);

    let before = sb.stats();
    assert_refused_locally(c.query_carriers(&QueryCarriersRequest::default()).await, "language", &sb, &before);
    let bad = QueryCarriersRequest::new(Language::English).with_mcc("4a4");
    assert_refused_locally(c.query_carriers(&bad).await, "mcc", &sb, &before);
    let unknown = QueryCarriersRequest::new(Language::from_wire("7"));
    assert_refused_locally(c.query_carriers(&unknown).await, "language", &sb, &before);
}
