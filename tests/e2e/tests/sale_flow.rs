//! A whole sale through the typed client: catalogue -> order -> subscription -> eSIM QR code
//! -> activation on the card's location update -> usage growing with simulated time, and a
//! second, never-activated order unsubscribed for a refund. Money is checked in the
//! sandbox's state at every step.

mod support;

use cmi_core::api::Language;
use cmi_core::api::catalogue::{ActivationMode, QueryDataBundlesRequest};
use cmi_core::api::esim::QueryEsimCardInfoRequest;
use cmi_core::api::orders::{CreateOrderRequest, UnsubscribeOrderRequest};
use cmi_core::api::subscriptions::{QuerySubscribedBundlesRequest, SubscriptionStatus};
use cmi_core::api::usage::QueryQuotaRequest;
use cmi_core::units::Money;
use std::time::Duration;
use support::*;

#[tokio::test]
async fn catalogue_to_usage_and_a_refund() {
    let sb = sandbox().await;
    let c = client(&sb);
    let card = demo::ICCID_STOCK[0]; // a fresh eSIM, attached in Hong Kong
    let start = sb.state().deposit.amount_cents;
    assert_eq!(start, 100_000);

    // 1. What can be sold in Hong Kong, in USD: the 5 GB bundle that starts on arrival.
    let cat_req =
        QueryDataBundlesRequest { mcc: Some("454".into()), currency: vec!["USD".into()], ..Default::default() };
    let catalogue = c.query_data_bundles(&cat_req).await.unwrap();
    let bundle = catalogue
        .on_sale()
        .filter(|b| b.covers_mcc("454") && b.activation_mode == Some(ActivationMode::LocationUpdate))
        .find(|b| b.id == demo::BUNDLE_HK_MO_5GB)
        .expect("HK & Macau 5GB on sale");
    let price = bundle.price_in("USD").unwrap();
    assert_eq!(price, Money::new(1200, "USD"));

    // 2. Buy it, with an idempotency key.
    let order = c
        .create_order(&CreateOrderRequest::bundle("sale-1", card, &bundle.id, 1).with_transaction_code("sale-1-tx"))
        .await
        .unwrap();
    assert_eq!(order.total(), Some(price.clone()));
    assert_eq!(sb.state().deposit.amount_cents, start - 1200);

    // 3. The card now holds it, waiting for activation.
    let subs_req = QuerySubscribedBundlesRequest::by_iccid(card, Language::English);
    let subs = c.query_subscribed_bundles(&subs_req).await.unwrap();
    let bought = subs.find_by_order(&order.order_id);
    assert_eq!(bought.len(), 1);
    assert_eq!(bought[0].status, Some(SubscriptionStatus::NotActivated));
    let child = bought[0].subscription_key.clone().unwrap();

    // 4. The QR code for the customer.
    let esim = c.query_esim_card_info(&QueryEsimCardInfoRequest::new(card)).await.unwrap();
    let lpa = esim.lpa_string().unwrap();
    assert!(lpa.starts_with("LPA:1$smdp.sandbox.cmlink.example$"), "{lpa}");
    assert_eq!(lpa, esim.card_info.as_ref().unwrap().download_url);

    // 5. Time passes: the card's location update in 454 starts the bundle.
    let report = sb.advance_clock(Duration::from_secs(3600));
    assert!(report.activations >= 1, "{report:?}");
    let subs = c.query_subscribed_bundles(&subs_req).await.unwrap();
    let now = business_now(&sb);
    let active = subs.active(now);
    assert_eq!(active.len(), 1);
    assert_eq!(active[0].order_id.as_deref(), Some(order.order_id.as_str()));
    assert!(active[0].remain_flow.is_some());
    let quota_req = QueryQuotaRequest::by_child_order_id(&child);
    let q1 = c.query_quota(&quota_req).await.unwrap();
    assert_eq!(q1.total_mb(), Some(5120.0));
    let used1 = q1.used_mb().unwrap();
    assert!(used1 > 0.0, "an hour of use");

    // 6. A day later more is used and less is left.
    sb.advance_clock(Duration::from_secs(86_400));
    let q2 = c.query_quota(&quota_req).await.unwrap();
    let (used2, left2) = (q2.used_mb().unwrap(), q2.remaining_mb().unwrap());
    assert!(used2 > used1 + 100.0, "{used1} -> {used2}");
    assert!((used2 + left2 - 5120.0).abs() < 0.05);
    let by_card = c.query_quota(&QueryQuotaRequest::by_iccid(card)).await.unwrap().used_mb().unwrap();
    assert!((by_card - used2).abs() < 0.05, "the card's bundle in use is that order: {by_card} vs {used2}");

    // 7. A second order the customer changes their mind about: CN 3GB waits for 3.2.3, so it
    //    is still pending and can be unsubscribed for a full refund.
    let second = c.create_order(&CreateOrderRequest::bundle("sale-2", card, demo::BUNDLE_CN_3GB, 1)).await.unwrap();
    assert_eq!(sb.state().deposit.amount_cents, start - 1200 - 900);
    c.unsubscribe_order(&UnsubscribeOrderRequest::by_order_id(&second.order_id)).await.unwrap();
    let state = sb.state();
    assert_eq!(state.deposit.amount_cents, start - 1200, "the second order is refunded");
    let refunded = state.orders.iter().find(|o| o.order_id == second.order_id).unwrap();
    assert_eq!(refunded.status, "refunded");
    let subs = c.query_subscribed_bundles(&subs_req).await.unwrap();
    assert_eq!(subs.find_by_order(&second.order_id)[0].status, Some(SubscriptionStatus::Refunded));

    // The activated first order cannot be refunded.
    assert_api(c.unsubscribe_order(&UnsubscribeOrderRequest::by_order_id(&order.order_id)).await, "1000044");
    assert_eq!(sb.state().deposit.amount_cents, start - 1200);
}
