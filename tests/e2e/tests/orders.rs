//! Orders: 3.2.5 `create_order` (bundles and add-ons), 3.2.6 `query_subscribed_bundles` and
//! 3.2.12 `unsubscribe_order`, with the money they move checked in the sandbox's state.

mod support;

use cmi_core::api::SendLanguage;
use cmi_core::api::orders::{CreateOrderRequest, PurchaseKind, UnsubscribeOrderRequest};
use cmi_core::api::subscriptions::{QuerySubscribedBundlesRequest, SubscriptionFilter, SubscriptionStatus};
use cmi_core::api::usage::QueryQuotaRequest;
use cmi_core::api::{Language, LimitType};
use cmi_core::datetime::Date;
use cmi_core::units::Money;
use support::*;

const START_DEPOSIT: i64 = 100_000;

fn subs_of(iccid: &str) -> QuerySubscribedBundlesRequest {
    QuerySubscribedBundlesRequest::by_iccid(iccid, Language::English)
}

#[tokio::test]
async fn a_bundle_order_charges_the_deposit_and_lists_a_pending_subscription() {
    let sb = sandbox().await;
    let c = client(&sb);
    let req = CreateOrderRequest::bundle("shop-1001", demo::ICCID_ESIM, demo::BUNDLE_HK_MO_5GB, 1)
        .with_transaction_code("tx-1001")
        .with_send_lang(SendLanguage::English);
    let o = c.create_order(&req).await.unwrap();

    assert_eq!(o.order_id.len(), 12, "{o:?}");
    assert!(o.order_id.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(o.total(), Some(Money::new(1200, "USD")));
    assert_eq!(o.unit_price(), Some(Money::new(1200, "USD")));
    assert_eq!(o.quantity, Some(1));

    let state = sb.state();
    assert_eq!(state.deposit.amount_cents, START_DEPOSIT - 1200);
    let view = state.orders.iter().find(|x| x.order_id == o.order_id).expect("order in the sandbox");
    assert_eq!(view.third_order_id, "shop-1001");
    assert_eq!(view.transaction_code.as_deref(), Some("tx-1001"));
    assert_eq!((view.kind.as_str(), view.status.as_str()), ("bundle", "completed"));
    assert_eq!(view.data_bundle_id, demo::BUNDLE_HK_MO_5GB);

    let subs = c.query_subscribed_bundles(&subs_of(demo::ICCID_ESIM)).await.unwrap();
    let mine = subs.find_by_order(&o.order_id);
    assert_eq!(mine.len(), 1);
    let s = mine[0];
    assert_eq!(s.data_bundle_id, demo::BUNDLE_HK_MO_5GB);
    assert_eq!(s.status, Some(SubscriptionStatus::NotActivated));
    assert_eq!(s.name_in("en"), Some("Hong Kong & Macau 5GB 7 days"));
    assert_eq!(s.price_money(), Some(Money::new(1200, "USD")));
    assert_eq!(s.package_type, Some(LimitType::PerCycle));
    assert!(s.supports_add_ons());
    assert!(s.active_time.is_none() && s.remain_flow.is_none() && s.remain_time.is_none());
    let key = s.subscription_key.clone().expect("subscriptionKey");
    assert!(key.starts_with(&o.order_id));
    assert_eq!(subs.find_by_subscription_key(&key).map(|b| b.data_bundle_id.as_str()), Some(demo::BUNDLE_HK_MO_5GB));
    let (created, expires) = (s.create_time.unwrap().unix_seconds(), s.expire_time.unwrap().unix_seconds());
    assert!((sb.now() - created).abs() <= 5, "created at business time");
    assert_eq!(expires - created, 180 * 86_400, "ordered copies stay valid 180 days");
    assert!(subs.active(business_now(&sb)).is_empty(), "nothing in use yet");

    // Status filters use the request's own codes.
    let unused = subs_of(demo::ICCID_ESIM).with_status(SubscriptionFilter::Unused);
    assert_eq!(c.query_subscribed_bundles(&unused).await.unwrap().user_data_bundles.len(), 1);
    let in_use = subs_of(demo::ICCID_ESIM).with_status(SubscriptionFilter::InUse);
    assert!(c.query_subscribed_bundles(&in_use).await.unwrap().user_data_bundles.is_empty());
}

#[tokio::test]
async fn several_copies_make_several_subscriptions_and_the_home_imsi_finds_them() {
    let sb = sandbox().await;
    let c = client(&sb);
    let o = c
        .create_order(&CreateOrderRequest::bundle("shop-2", demo::ICCID_STOCK[0], demo::BUNDLE_HK_DAILY, 2))
        .await
        .unwrap();
    assert_eq!((o.total(), o.quantity), (Some(Money::new(1000, "USD")), Some(2)));
    assert_eq!(sb.state().deposit.amount_cents, START_DEPOSIT - 1000);

    let imsi = sb.state().cards.iter().find(|x| x.iccid == demo::ICCID_STOCK[0]).unwrap().imsi.clone();
    let subs =
        c.query_subscribed_bundles(&QuerySubscribedBundlesRequest::by_h_imsi(imsi, Language::English)).await.unwrap();
    let keys: Vec<_> = subs.find_by_order(&o.order_id).iter().map(|s| s.subscription_key.clone().unwrap()).collect();
    assert_eq!(keys, [format!("{}001", o.order_id), format!("{}002", o.order_id)]);
    // Paging over the copies.
    let page = c.query_subscribed_bundles(&subs_of(demo::ICCID_STOCK[0]).with_page(1, 1)).await.unwrap();
    assert_eq!(page.user_data_bundles.len(), 1);
    assert_eq!(page.user_data_bundles[0].subscription_key.as_deref(), Some(keys[1].as_str()));
}

#[tokio::test]
async fn a_repeated_transaction_code_is_refused_and_charges_nothing() {
    let sb = sandbox().await;
    let c = client(&sb);
    let req =
        CreateOrderRequest::bundle("shop-3", demo::ICCID_ESIM, demo::BUNDLE_GLOBAL, 1).with_transaction_code("tx-dup");
    let first = c.create_order(&req).await.unwrap();
    assert_eq!(first.total(), Some(Money::new(9900, "USD")));
    let e = assert_api(c.create_order(&req).await, "1000162");
    assert!(!e.retryable(), "already created: never retried");
    assert_eq!(sb.stats().calls_of("create_order"), 2);
    let state = sb.state();
    assert_eq!(state.deposit.amount_cents, START_DEPOSIT - 9900);
    assert_eq!(state.orders.iter().filter(|o| o.transaction_code.as_deref() == Some("tx-dup")).count(), 1);
}

#[tokio::test]
async fn an_exhausted_deposit_refuses_the_order() {
    let sb = sandbox().await;
    let c = client(&sb);
    let orders_before = sb.state().orders.len();
    sb.set_deposit(1000);
    let e = assert_api(
        c.create_order(&CreateOrderRequest::bundle("shop-4", demo::ICCID_ESIM, demo::BUNDLE_GLOBAL, 1)).await,
        "1000103",
    );
    assert_eq!(e.category(), Category::Deposit);
    assert!(!e.retryable());
    let state = sb.state();
    assert_eq!(state.deposit.amount_cents, 1000, "nothing charged");
    assert_eq!(state.orders.len(), orders_before, "no order created");
    // What the deposit still covers is sold.
    let ok = c.create_order(&CreateOrderRequest::bundle("shop-5", demo::ICCID_ESIM, demo::BUNDLE_HK_DAILY, 2)).await;
    assert_eq!(ok.unwrap().total(), Some(Money::new(1000, "USD")));
    assert_eq!(sb.state().deposit.amount_cents, 0);
}

#[tokio::test]
async fn business_rules_of_bundle_orders() {
    let sb = sandbox().await;
    let c = client(&sb);
    let order = |iccid: &str, bundle: &str| CreateOrderRequest::bundle("shop-rules", iccid, bundle, 1);

    assert_api(c.create_order(&order(demo::ICCID_ESIM, demo::BUNDLE_TH_OFF_SALE)).await, "1000151");
    assert_api(c.create_order(&order(demo::ICCID_ESIM, demo::BUNDLE_AU_A2Z)).await, "1000105");
    assert_api(c.create_order(&order(demo::ICCID_ESIM, "D2401011200000099999")).await, "1000132");
    let e = assert_api(c.create_order(&order("89852342024000099999", demo::BUNDLE_HK_DAILY)).await, "1000013");
    assert_eq!(e.category(), Category::Validation);
    let e = assert_api(c.create_order(&order(demo::ICCID_FOREIGN, demo::BUNDLE_HK_DAILY)).await, "1000073");
    assert_eq!(e.category(), Category::BusinessRule);
    assert_api(c.create_order(&order(demo::ICCID_SUSPENDED, demo::BUNDLE_HK_DAILY)).await, "1000153");
    assert_api(c.create_order(&order(demo::ICCID_ACTIVE, demo::BUNDLE_HK_MO_5GB)).await, "1000117");
    // Promotional bundles: one per card.
    c.create_order(&order(demo::ICCID_ESIM, demo::BUNDLE_PROMO)).await.unwrap();
    assert_api(c.create_order(&order(demo::ICCID_ESIM, demo::BUNDLE_PROMO)).await, "1000152");
    // A designated activation date in the past.
    let past = order(demo::ICCID_ESIM, demo::BUNDLE_CN_3GB).with_set_active_time(Date::new(2025, 6, 1).unwrap());
    let e = assert_api(c.create_order(&past).await, "1000087");
    assert_eq!(e.category(), Category::Validation);

    assert_eq!(sb.state().deposit.amount_cents, START_DEPOSIT - 300, "only the promo was charged");
    assert_eq!(sb.stats().calls_of("create_order"), 10);
}

#[tokio::test]
async fn malformed_orders_never_leave_the_client() {
    let sb = sandbox().await;
    let c = client(&sb);
    let before = sb.stats();
    let good = || CreateOrderRequest::bundle("shop-v", demo::ICCID_ESIM, demo::BUNDLE_HK_DAILY, 1);

    let mut addon_id_on_bundle = good();
    addon_id_on_bundle.refueling_id = Some(demo::ADDON_1GB.into());
    assert_refused_locally(c.create_order(&addon_id_on_bundle).await, "refuelingId", &sb, &before);
    let mut no_bundle = good();
    no_bundle.data_bundle_id = None;
    assert_refused_locally(c.create_order(&no_bundle).await, "dataBundleId", &sb, &before);
    let addon_without_id = CreateOrderRequest::new("shop-v", demo::ICCID_ACTIVE, PurchaseKind::AddOn, 1);
    assert_refused_locally(c.create_order(&addon_without_id).await, "refuelingId", &sb, &before);
    let short_iccid = CreateOrderRequest::bundle("shop-v", "8985234202400", demo::BUNDLE_HK_DAILY, 1);
    assert_refused_locally(c.create_order(&short_iccid).await, "ICCID", &sb, &before);
    let mut zero = good();
    zero.quantity = 0;
    assert_refused_locally(c.create_order(&zero).await, "quantity", &sb, &before);
    assert_refused_locally(c.create_order(&good().with_transaction_code("a b")).await, "transactionCode", &sb, &before);
    let long = "x".repeat(33);
    assert_refused_locally(c.create_order(&good().with_transaction_code(long)).await, "transactionCode", &sb, &before);
    assert_refused_locally(c.create_order(&good().with_transaction_code(" ")).await, "transactionCode", &sb, &before);
    let mut no_third = good();
    no_third.third_order_id = String::new();
    assert_refused_locally(c.create_order(&no_third).await, "thirdOrderId", &sb, &before);
    let mut with_card = good();
    with_card.include_card = 1;
    assert_refused_locally(c.create_order(&with_card).await, "includeCard", &sb, &before);
    assert_eq!(sb.state().deposit.amount_cents, START_DEPOSIT);
}

#[tokio::test]
async fn an_add_on_order_tops_up_the_bundle_in_use() {
    let sb = sandbox().await;
    let c = client(&sb);
    let quota = QueryQuotaRequest::by_iccid(demo::ICCID_ACTIVE);
    let before = c.query_quota(&quota).await.unwrap();
    assert_eq!(before.total_mb(), Some(5120.0));

    let req = CreateOrderRequest::add_on("addon-1", demo::ICCID_ACTIVE, demo::ADDON_1GB, 1)
        .with_data_bundle_id(demo::BUNDLE_HK_MO_5GB);
    let o = c.create_order(&req).await.unwrap();
    assert_eq!(o.total(), Some(Money::new(500, "USD")));
    assert_eq!(sb.state().deposit.amount_cents, START_DEPOSIT - 500);
    let view = sb.state().orders.into_iter().find(|x| x.order_id == o.order_id).unwrap();
    assert_eq!((view.kind.as_str(), view.refueling_id.as_deref()), ("addon", Some(demo::ADDON_1GB)));

    let after = c.query_quota(&quota).await.unwrap();
    assert_eq!(after.total_mb(), Some(5120.0 + 1024.0));
    assert_eq!(after.current().and_then(|q| q.refueling_total).map(|v| v.as_megabytes()), Some(1024.0));

    // Add-on rules.
    let addon = |iccid: &str, id: &str| CreateOrderRequest::add_on("addon-x", iccid, id, 1);
    assert_api(c.create_order(&addon(demo::ICCID_ESIM, demo::ADDON_1GB)).await, "1000094");
    assert_api(c.create_order(&addon(demo::ICCID_ACTIVE, demo::ADDON_500MB)).await, "1000158");
    let wrong_parent = addon(demo::ICCID_ACTIVE, demo::ADDON_1GB).with_data_bundle_id(demo::BUNDLE_ASIA);
    assert_api(c.create_order(&wrong_parent).await, "1000031");
    let mut three = addon(demo::ICCID_ACTIVE, demo::ADDON_1GB);
    three.quantity = 3;
    let e = assert_api(c.create_order(&three).await, "1000095");
    assert!(e.description().contains("1 or 1"), "{e}");
    // Only the first add-on was charged.
    assert_eq!(sb.state().deposit.amount_cents, START_DEPOSIT - 500);
}

#[tokio::test]
async fn unsubscribing_a_pending_order_refunds_it() {
    let sb = sandbox().await;
    let c = client(&sb);
    let o =
        c.create_order(&CreateOrderRequest::bundle("shop-u1", demo::ICCID_ESIM, demo::BUNDLE_ASIA, 2)).await.unwrap();
    assert_eq!(sb.state().deposit.amount_cents, START_DEPOSIT - 7000);

    c.unsubscribe_order(&UnsubscribeOrderRequest::by_order_id(&o.order_id)).await.unwrap();
    let state = sb.state();
    assert_eq!(state.deposit.amount_cents, START_DEPOSIT, "refunded in full");
    let view = state.orders.iter().find(|x| x.order_id == o.order_id).unwrap();
    assert_eq!(view.status, "refunded");
    assert!(view.subscriptions.iter().all(|s| s.status == 99));
    let subs = c.query_subscribed_bundles(&subs_of(demo::ICCID_ESIM)).await.unwrap();
    assert!(subs.find_by_order(&o.order_id).iter().all(|s| s.status == Some(SubscriptionStatus::Refunded)));

    // Again: refunded already.
    assert_api(c.unsubscribe_order(&UnsubscribeOrderRequest::by_order_id(&o.order_id)).await, "1000041");

    // By the partner's own order id.
    c.create_order(&CreateOrderRequest::bundle("shop-u2", demo::ICCID_ESIM, demo::BUNDLE_HK_DAILY, 1)).await.unwrap();
    assert_eq!(sb.state().deposit.amount_cents, START_DEPOSIT - 500);
    c.unsubscribe_order(&UnsubscribeOrderRequest::by_third_order_id("shop-u2")).await.unwrap();
    assert_eq!(sb.state().deposit.amount_cents, START_DEPOSIT);
}

#[tokio::test]
async fn activated_add_on_and_unknown_orders_cannot_be_unsubscribed() {
    let sb = sandbox().await;
    let c = client(&sb);
    // A mode-2 bundle starts at the card's next location update.
    let card = demo::ICCID_STOCK[1];
    let o = c.create_order(&CreateOrderRequest::bundle("shop-a", card, demo::BUNDLE_HK_MO_5GB, 1)).await.unwrap();
    assert_eq!(sb.set_location(card, "454").unwrap(), 1);
    let e = assert_api(c.unsubscribe_order(&UnsubscribeOrderRequest::by_order_id(&o.order_id)).await, "1000044");
    assert_eq!(e.category(), Category::BusinessRule);

    let addon = CreateOrderRequest::add_on("shop-addon", card, demo::ADDON_3GB, 1);
    let a = c.create_order(&addon).await.unwrap();
    assert_api(c.unsubscribe_order(&UnsubscribeOrderRequest::by_order_id(&a.order_id)).await, "1000040");
    assert_api(c.unsubscribe_order(&UnsubscribeOrderRequest::by_order_id("999999999999")).await, "1000039");
    assert_api(c.unsubscribe_order(&UnsubscribeOrderRequest::by_third_order_id("nobody")).await, "1000039");
    assert_eq!(sb.state().deposit.amount_cents, START_DEPOSIT - 1200 - 1200, "nothing refunded");

    let before = sb.stats();
    assert_refused_locally(c.unsubscribe_order(&UnsubscribeOrderRequest::default()).await, "orderId", &sb, &before);
    let long = UnsubscribeOrderRequest::by_order_id("1".repeat(33));
    assert_refused_locally(c.unsubscribe_order(&long).await, "orderId", &sb, &before);
}

#[tokio::test]
async fn subscribed_bundle_queries_fail_for_unknown_and_foreign_cards() {
    let sb = sandbox().await;
    let c = client(&sb);
    assert_api(c.query_subscribed_bundles(&subs_of("89852342024000099999")).await, "1000013");
    assert_api(c.query_subscribed_bundles(&subs_of(demo::ICCID_FOREIGN)).await, "1000073");
    let by_imsi = QuerySubscribedBundlesRequest::by_h_imsi("454120389999999", Language::English);
    assert_api(c.query_subscribed_bundles(&by_imsi).await, "1000012");

    let before = sb.stats();
    let nobody = QuerySubscribedBundlesRequest::new(Language::English);
    assert_refused_locally(c.query_subscribed_bundles(&nobody).await, "iccid", &sb, &before);
    let bad_status = subs_of(demo::ICCID_ESIM).with_status(SubscriptionFilter::from_wire("9"));
    assert_refused_locally(c.query_subscribed_bundles(&bad_status).await, "status", &sb, &before);
    let bad_lang = QuerySubscribedBundlesRequest::by_iccid(demo::ICCID_ESIM, Language::from_wire("en"));
    assert_refused_locally(c.query_subscribed_bundles(&bad_lang).await, "language", &sb, &before);
    let bad_imsi = QuerySubscribedBundlesRequest::by_h_imsi("12345", Language::English);
    assert_refused_locally(c.query_subscribed_bundles(&bad_imsi).await, "hImsi", &sb, &before);
}

#[tokio::test]
async fn the_expired_and_active_demo_subscriptions_read_back_typed() {
    let sb = sandbox().await;
    let c = client(&sb);
    let now = business_now(&sb);
    let active = c.query_subscribed_bundles(&subs_of(demo::ICCID_ACTIVE_DAILY)).await.unwrap();
    let in_use = active.active(now);
    assert_eq!(in_use.len(), 1);
    let s = in_use[0];
    assert_eq!(s.data_bundle_id, demo::BUNDLE_JP_DAILY);
    assert_eq!(s.package_type, Some(LimitType::PerDay));
    assert!(s.remainder_days.is_some_and(|d| (1..=5).contains(&d)), "{s:?}");
    assert!(s.remain_flow.is_some_and(|v| v.as_megabytes() > 0.0 && v.as_megabytes() <= 2048.0), "{s:?}");
    assert!(s.remain_time.as_deref().is_some_and(|t| t.contains("hours")));
    assert!(s.active_time.unwrap() < now && s.end_time.unwrap() > now);

    let expired = c.query_subscribed_bundles(&subs_of(demo::ICCID_EXPIRED)).await.unwrap();
    assert!(expired.active(now).is_empty());
    assert_eq!(expired.user_data_bundles[0].status, Some(SubscriptionStatus::Expired));
    let filter = subs_of(demo::ICCID_EXPIRED).with_status(SubscriptionFilter::Expired);
    assert_eq!(c.query_subscribed_bundles(&filter).await.unwrap().user_data_bundles.len(), 1);

    // The country filter keeps bundles that cover it.
    let macau = QuerySubscribedBundlesRequest { mcc: Some("455".into()), ..subs_of(demo::ICCID_ACTIVE) };
    assert_eq!(c.query_subscribed_bundles(&macau).await.unwrap().user_data_bundles.len(), 1);
    let japan = QuerySubscribedBundlesRequest { mcc: Some("440".into()), ..subs_of(demo::ICCID_ACTIVE) };
    assert!(c.query_subscribed_bundles(&japan).await.unwrap().user_data_bundles.is_empty());
}
