//! Sell one eSIM data bundle end to end with `cmi-core`: catalogue, an exactly-once order,
//! the eSIM's activation code and LPA string, a QR code PNG, activation and usage.
//!
//! The regions between `snippet-start` and `snippet-end` comments are quoted by
//! `docs/quickstart-rust.md`; `cargo test -p cmi-docs-check` fails when the two differ.

pub mod admin;
pub mod qr;
pub mod webhook;

use cmi_core::api::catalogue::{ActivationMode, DataBundle, QueryDataBundlesRequest};
use cmi_core::api::esim::{QueryEsimCardInfoRequest, QueryEsimCardInfoResponse};
use cmi_core::api::lifecycle::ActivateDataBundleRequest;
use cmi_core::api::orders::CreateOrderRequest;
use cmi_core::api::usage::QueryQuotaRequest;
use cmi_core::{Client, Error, ErrorKind, OrderOutcome};
use std::fmt;
use std::path::PathBuf;

/// What to sell, to whom, and where the QR code goes.
#[derive(Debug, Clone)]
pub struct Options {
    /// The eSIM's ICCID.
    pub iccid: String,
    /// The country (MCC) the traveller goes to.
    pub mcc: String,
    /// The currency prices are shown and compared in.
    pub currency: String,
    /// Your checkout id: the idempotency key of the order.
    pub checkout: String,
    /// Where the QR code PNG is written.
    pub qr_path: PathBuf,
    /// Simulated days of use before usage is read (sandbox only).
    pub days: u64,
}

/// The short report the example prints: one `label: value` line per step.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Report {
    /// The lines, in order.
    pub lines: Vec<(&'static str, String)>,
}

impl Report {
    fn add(&mut self, label: &'static str, value: impl Into<String>) {
        self.lines.push((label, value.into()));
    }

    /// The value of the first line with this label.
    pub fn get(&self, label: &str) -> Option<&str> {
        self.lines.iter().find(|(l, _)| *l == label).map(|(_, v)| v.as_str())
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (label, value) in &self.lines {
            writeln!(f, "{:<17}{value}", format!("{label}:"))?;
        }
        Ok(())
    }
}

/// A failed step: which one, and the SDK's error.
#[derive(Debug)]
pub struct Failure {
    /// The step (`order`, `usage`, ...).
    pub step: &'static str,
    /// What went wrong, already explained for a person.
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: {}", self.step, self.message)
    }
}

impl std::error::Error for Failure {}

fn fail(step: &'static str) -> impl Fn(Error) -> Failure {
    move |e| Failure { step, message: explain(&e) }
}

/// A client configured from `CMI_BASE_URL`, `CMI_APP_KEY` and `CMI_APP_SECRET`.
pub fn connect_from_env() -> Result<Client, Error> {
    // snippet-start: connect
    let client = Client::from_env()?; // CMI_BASE_URL, CMI_APP_KEY, CMI_APP_SECRET
    // snippet-end: connect
    Ok(client)
}

/// The cheapest bundle on sale in `mcc` that starts when the card arrives there.
pub async fn cheapest_bundle(client: &Client, mcc: &str, currency: &str) -> Result<(usize, DataBundle), Error> {
    // snippet-start: catalogue
    let request = QueryDataBundlesRequest {
        mcc: Some(mcc.to_owned()),
        currency: vec![currency.to_owned()],
        ..QueryDataBundlesRequest::default()
    };
    let catalogue = client.query_data_bundles(&request).await?;
    let mut offers: Vec<&DataBundle> = catalogue
        .on_sale()
        .filter(|b| b.covers_mcc(mcc) && b.activation_mode == Some(ActivationMode::LocationUpdate))
        .collect();
    offers.sort_by_key(|b| b.price_in(currency).map_or(i64::MAX, |m| m.cents));
    // snippet-end: catalogue
    let count = offers.len();
    let best = offers.first().map(|b| (*b).clone());
    best.map(|b| (count, b)).ok_or_else(|| Error::validation("mcc", format!("no bundle on sale covers {mcc}")))
}

/// The eSIM profile of `iccid` and its LPA activation string (what the QR code holds).
pub async fn activation_string(client: &Client, iccid: &str) -> Result<(QueryEsimCardInfoResponse, String), Error> {
    // snippet-start: esim
    let esim = client.query_esim_card_info(&QueryEsimCardInfoRequest::new(iccid)).await?;
    let lpa = esim.lpa_string()?; // LPA:1$<SM-DP+ address>$<activation code>
    // snippet-end: esim
    Ok((esim, lpa))
}

/// One line about an order's outcome, or the failure.
fn order_line(outcome: &OrderOutcome, key: &str) -> Result<String, Failure> {
    // snippet-start: order-outcome
    match outcome {
        OrderOutcome::Created(order) => {
            Ok(format!("created {} for {}", order.order_id, order.total().map(|m| m.to_string()).unwrap_or_default()))
        }
        OrderOutcome::AlreadyCreated { order_id, .. } => {
            Ok(format!("already created by an earlier attempt ({})", order_id.as_deref().unwrap_or("id not found")))
        }
        OrderOutcome::Failed(e) => Err(Failure { step: "order", message: explain(e) }),
        OrderOutcome::Unknown { check, .. } => {
            Err(Failure { step: "order", message: format!("outcome unknown; retry with key {key} or {check}") })
        }
    }
    // snippet-end: order-outcome
}

/// The whole sale. `admin` moves the sandbox's clock; `None` against the real platform.
pub async fn sell(client: &Client, admin: Option<&admin::SandboxAdmin>, opts: &Options) -> Result<Report, Failure> {
    let mut report = Report::default();
    let (iccid, mcc) = (opts.iccid.as_str(), opts.mcc.as_str());

    let (count, bundle) = cheapest_bundle(client, mcc, &opts.currency).await.map_err(fail("catalogue"))?;
    let price = bundle.price_in(&opts.currency).map(|m| m.to_string()).unwrap_or_default();
    report.add("catalogue", format!("{count} bundles on sale for MCC {mcc}, cheapest {} ({price})", bundle.id));

    // snippet-start: order
    let order = CreateOrderRequest::bundle(&opts.checkout, iccid, &bundle.id, 1);
    let outcome = client.create_order_once(&order, &opts.checkout).await;
    // snippet-end: order
    report.add("order", order_line(&outcome, &opts.checkout)?);
    // The same checkout again, as after a lost answer: the platform recognises it, no second charge.
    let again = client.create_order_once(&order, &opts.checkout).await;
    report.add("repeat", order_line(&again, &opts.checkout)?);

    let (esim, lpa) = activation_string(client, iccid).await.map_err(fail("esim"))?;
    let info = esim.card_info.as_ref();
    report.add("activation code", info.map(|i| i.activation_code.clone()).unwrap_or_default());
    report.add("sm-dp+", info.map(|i| i.smdp_address.clone()).unwrap_or_default());
    report.add("lpa", lpa.clone());
    let size = qr::write_png(&lpa, &opts.qr_path).map_err(|e| Failure { step: "qr code", message: e.to_string() })?;
    report.add("qr code", format!("{} ({size}x{size} px)", opts.qr_path.display()));

    let activate = ActivateDataBundleRequest::for_iccid(iccid, &bundle.id, mcc);
    client.activate_data_bundle(&activate).await.map_err(fail("activation"))?;
    report.add("activation", format!("{} active in MCC {mcc}", bundle.id));

    let waited = match admin {
        Some(admin) => {
            admin.advance_days(opts.days).await.map_err(|e| Failure { step: "time travel", message: e })?;
            format!("after {} simulated day(s)", opts.days)
        }
        None => "now".to_owned(),
    };
    let quota = client.query_quota(&QueryQuotaRequest::by_iccid(iccid)).await.map_err(fail("usage"))?;
    let mb = |v: Option<f64>| v.map_or_else(|| "?".to_owned(), |v| format!("{v:.1} MB"));
    report.add(
        "usage",
        format!(
            "{waited}: {} used of {}, {} left",
            mb(quota.used_mb()),
            mb(quota.total_mb()),
            mb(quota.remaining_mb())
        ),
    );
    Ok(report)
}

/// Explains an SDK error for a person: what kind of failure, and whether trying again helps.
pub fn explain(e: &Error) -> String {
    // snippet-start: errors
    match e.kind() {
        ErrorKind::Validation => format!("fix field {}: {e}", e.field().unwrap_or("?")),
        ErrorKind::Config => format!("check CMI_BASE_URL, CMI_APP_KEY, CMI_APP_SECRET: {e}"),
        ErrorKind::Api | ErrorKind::Auth => {
            let code = e.code().unwrap_or("?");
            let again = if e.retryable() { "may succeed later" } else { "will not succeed as is" };
            format!("platform code {code} ({}), {again}: {e}", e.category())
        }
        _ => format!("no usable answer (retryable: {}): {e}", e.retryable()),
    }
    // snippet-end: errors
}
