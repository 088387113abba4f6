//! `cmi demo`: a whole sale against an embedded sandbox, narrated. Everything goes through
//! the SDK's client over real loopback HTTP; the sandbox's admin hooks only stand in for the
//! world (a phone installing the eSIM, days passing, the card roaming).

use crate::receiver;
use clap::{ArgMatches, Command};
use cmi_core::api::catalogue::QueryDataBundlesRequest;
use cmi_core::api::common::Language;
use cmi_core::api::esim::QueryEsimCardInfoRequest;
use cmi_core::api::lifecycle::{EndPackageRequest, IccidPackage};
use cmi_core::api::orders::{CreateOrderRequest, UnsubscribeOrderRequest, transaction_code_for};
use cmi_core::api::subscriptions::QuerySubscribedBundlesRequest;
use cmi_core::api::usage::QueryQuotaRequest;
use cmi_core::callbacks::Notification;
use cmi_core::units::Money;
use cmi_core::{Client, Config};
use cmi_sandbox::{EsimAction, Sandbox, SandboxHandle, demo};
use std::process::ExitCode;
use std::time::{Duration, Instant};

pub fn command() -> Command {
    Command::new("demo").about("Walk a whole sale against an embedded sandbox: catalogue, order, eSIM, usage, refund")
}

pub async fn run(_m: &ArgMatches) -> ExitCode {
    match story().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\ndemo stopped: {e}");
            ExitCode::from(crate::exit::INTERNAL)
        }
    }
}

type Step = Result<(), Box<dyn std::error::Error>>;

fn say(step: &str, text: impl AsRef<str>) {
    println!("\n{step} {}", text.as_ref());
}

fn note(text: impl AsRef<str>) {
    println!("   {}", text.as_ref());
}

/// Waits until the sandbox has delivered what the receiver should have seen.
async fn settle(sandbox: &SandboxHandle) {
    for _ in 0..100 {
        if sandbox.deliveries().iter().all(|d| d.state != cmi_sandbox::DeliveryState::Pending) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn describe(n: &Notification) -> String {
    match n {
        Notification::Activation(a) => format!(
            "3.2.15 activation: card {} bundle {} active from {} to {}",
            a.iccid,
            a.data_bundle_id,
            a.active_time.map(|t| t.to_string()).unwrap_or_default(),
            a.end_time.map(|t| t.to_string()).unwrap_or_default()
        ),
        Notification::Usage(u) => format!(
            "3.2.16 usage: card {} used {}",
            u.iccid.as_deref().unwrap_or("?"),
            u.consumption.map(|v| format!("{:.1} MB", v.as_megabytes())).unwrap_or_default()
        ),
        Notification::EsimStatus(e) => format!(
            "3.2.17 eSIM status: card {} point {} {}",
            e.iccid,
            e.notification_point_id.as_ref().map(|p| format!("{p:?}")).unwrap_or_default(),
            e.notification_point_status
                .as_ref()
                .and_then(|s| s.status.as_ref())
                .map(|s| s.to_string())
                .unwrap_or_default()
        ),
        other => format!("{:?} notification", other.kind()),
    }
}

/// Whether a notification concerns the card `iccid`.
fn about(n: &Notification, iccid: &str) -> bool {
    match n {
        Notification::Activation(a) => a.iccid == iccid,
        Notification::Usage(u) => u.iccid.as_deref() == Some(iccid),
        Notification::EsimStatus(e) => e.iccid == iccid,
        _ => false,
    }
}

async fn story() -> Step {
    let started = Instant::now();
    println!("cmi demo: a reseller sells an eSIM data bundle, end to end, against the embedded sandbox.");

    let sandbox = Sandbox::builder().callback_retry(4, Duration::from_millis(50)).start().await?;
    let (hook_url, inbox) = receiver::start().await?;
    sandbox.register_callback_url(&format!("{hook_url}/cmi/callbacks"))?;
    note(format!("sandbox at {} (demo credentials), webhook receiver at {hook_url}", sandbox.base_url()));

    let mut config = Config::new(sandbox.base_url(), sandbox.app_key(), sandbox.app_secret());
    config.binding = "cli-demo".into();
    let client = Client::new(config)?;
    let deposit_before = sandbox.state().deposit;

    say("1.", "Authenticate: WSSE-signed token request (the token itself is never printed)");
    let _ = client.access_token().await?;
    note(format!("token cached; {} token request so far", client.token_requests()));

    say("2.", "Catalogue: which bundles can we sell for Hong Kong (MCC 454)?");
    let catalogue = client.query_data_bundles(&QueryDataBundlesRequest::default()).await?;
    let mut offers: Vec<_> = catalogue.on_sale().filter(|b| b.covers_mcc("454")).collect();
    offers.sort_by_key(|b| b.price_in("USD").map(|m| m.cents).unwrap_or(i64::MAX));
    note(format!("{} bundles on sale, {} cover Hong Kong:", catalogue.data_bundles.len(), offers.len()));
    for b in offers.iter().take(4) {
        note(format!(
            "  {}  {:<32} {}",
            b.id,
            b.name_in("en").unwrap_or("?"),
            b.price_in("USD").map(|m| m.to_string()).unwrap_or_default()
        ));
    }
    let bundle = offers
        .iter()
        .find(|b| b.id == demo::BUNDLE_HK_MO_5GB)
        .or(offers.first())
        .ok_or("no bundle covers Hong Kong")?;

    let iccid = demo::ICCID_STOCK[0];
    let checkout = "portal-checkout-1001";
    say("3.", format!("Order {} for eSIM {iccid}, keyed by checkout id `{checkout}`", bundle.id));
    let order = CreateOrderRequest::bundle("PORTAL-1001", iccid, bundle.id.clone(), 1).with_idempotency_key(checkout);
    note(format!("transactionCode {} = SHA-256 of the idempotency key", transaction_code_for(checkout)));
    let placed = client.create_order(&order).await?;
    note(format!(
        "order {} placed: {} x {} = {}",
        placed.order_id,
        placed.quantity.unwrap_or(1),
        placed.unit_price().map(|m| m.to_string()).unwrap_or_default(),
        placed.total().map(|m| m.to_string()).unwrap_or_default()
    ));
    match client.create_order(&order).await {
        Err(e) if e.code() == Some("1000162") => {
            note("sending the same checkout again: code 1000162, already created: no second charge")
        }
        Err(e) => return Err(e.into()),
        Ok(_) => return Err("the platform accepted a duplicate transactionCode".into()),
    }

    say("4.", "eSIM: fetch the activation code for the QR");
    let esim = client.query_esim_card_info(&QueryEsimCardInfoRequest::new(iccid)).await?;
    note(format!("LPA string: {}", esim.lpa_string()?));
    sandbox.esim_action(iccid, EsimAction::Install)?;
    settle(&sandbox).await;
    for n in inbox.take() {
        note(format!("webhook <- {}", describe(n.notification())));
    }

    say("5.", "The traveller lands in Hong Kong; the bundle activates on the first location update");
    sandbox.set_location(iccid, "454")?;
    sandbox.advance_clock(Duration::from_secs(3600));
    settle(&sandbox).await;
    // The sandbox's other demo cards report usage too; this story follows one card.
    for n in inbox.take().iter().filter(|n| about(n.notification(), iccid)) {
        note(format!("webhook <- {}", describe(n.notification())));
    }
    let subs =
        client.query_subscribed_bundles(&QuerySubscribedBundlesRequest::by_iccid(iccid, Language::English)).await?;
    for b in &subs.user_data_bundles {
        note(format!(
            "{} {}: {}",
            b.data_bundle_id,
            b.name_in("en").unwrap_or("?"),
            b.status.as_ref().map(|s| format!("{s:?}")).unwrap_or_else(|| "?".into())
        ));
    }

    say("6.", "Two days of browsing later: usage");
    sandbox.advance_clock(Duration::from_secs(2 * 86_400));
    settle(&sandbox).await;
    let quota = client.query_quota(&QueryQuotaRequest::by_iccid(iccid)).await?;
    note(format!(
        "used {:.1} MB of {:.1} MB, {:.1} MB left",
        quota.used_mb().unwrap_or(0.0),
        quota.total_mb().unwrap_or(0.0),
        quota.remaining_mb().unwrap_or(0.0)
    ));
    let usage: Vec<_> = inbox.take().into_iter().filter(|n| about(n.notification(), iccid)).collect();
    note(format!("webhook <- {} usage notifications for this card (3.2.16 reports bytes)", usage.len()));

    say("7.", "The traveller flies home: release the bundle early");
    let ended =
        client.end_package(&EndPackageRequest::new(vec![IccidPackage::by_iccid(iccid, bundle.id.clone())])).await?;
    note(if ended.error_list.is_empty() { "released".to_owned() } else { format!("failures: {:?}", ended.error_list) });

    say("8.", "Another customer changes their mind before activating: cancel and refund");
    let second = demo::ICCID_STOCK[1];
    let refund_order = CreateOrderRequest::bundle("PORTAL-1002", second, bundle.id.clone(), 1)
        .with_idempotency_key("portal-checkout-1002");
    let placed2 = client.create_order(&refund_order).await?;
    let before_refund = sandbox.state().deposit.amount_cents;
    client.unsubscribe_order(&UnsubscribeOrderRequest::by_order_id(placed2.order_id.clone())).await?;
    let after_refund = sandbox.state().deposit;
    note(format!(
        "order {} cancelled; deposit {} -> {}",
        placed2.order_id,
        Money::new(before_refund, after_refund.currency.clone()),
        Money::new(after_refund.amount_cents, after_refund.currency.clone())
    ));

    say("=", "Summary");
    note(format!(
        "deposit {} -> {} (one bundle sold)",
        Money::new(deposit_before.amount_cents, deposit_before.currency.clone()),
        Money::new(after_refund.amount_cents, after_refund.currency.clone())
    ));
    let stats = sandbox.stats();
    note(format!(
        "{} API calls, {} token request(s), {} callbacks delivered, in {:.2} s",
        stats.total_calls,
        stats.token_issues,
        sandbox.deliveries().len(),
        started.elapsed().as_secs_f64()
    ));
    sandbox.shutdown().await;
    Ok(())
}
