//! An audit sink: every attempt the client makes, as one JSON line, with secrets redacted
//! by the SDK before the hook sees them. Runs against an embedded sandbox:
//!
//! ```sh
//! cargo run -p cmi-cli --example audit_sink            # lines on stdout
//! cargo run -p cmi-cli --example audit_sink -- audit.jsonl
//! ```
//!
//! In production point the sink at your log pipeline; the records carry the operation,
//! attempt, URL, redacted bodies, status, code and latency, never the token or secret.

use cmi_core::api::catalogue::QueryDataBundlesRequest;
use cmi_core::api::orders::CreateOrderRequest;
use cmi_core::{Client, Config};
use cmi_sandbox::{Sandbox, demo};
use serde_json::json;
use std::io::Write;
use std::sync::{Arc, Mutex};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sink: Box<dyn Write + Send> = match std::env::args().nth(1) {
        Some(path) => Box::new(std::fs::File::create(path)?),
        None => Box::new(std::io::stdout()),
    };
    let sink = Arc::new(Mutex::new(sink));
    let write = {
        let sink = sink.clone();
        move |line: serde_json::Value| {
            let mut out = sink.lock().unwrap_or_else(|p| p.into_inner());
            let _ = writeln!(out, "{line}");
        }
    };
    let (on_req, on_resp) = (write.clone(), write);

    let sandbox = Sandbox::builder().start().await?;
    let client = Client::builder(Config::new(sandbox.base_url(), sandbox.app_key(), sandbox.app_secret()))
        .on_request(move |r| {
            on_req(json!({"event": "request", "operation": r.operation, "attempt": r.attempt, "url": r.url, "body": r.body}))
        })
        .on_response(move |r| {
            on_resp(json!({
                "event": "response", "operation": r.operation, "attempt": r.attempt, "status": r.status,
                "code": r.code, "latency_ms": r.latency_ms, "error": r.error, "body": r.body,
            }))
        })
        .build()?;

    client.query_data_bundles(&QueryDataBundlesRequest::default()).await?;
    let order = CreateOrderRequest::bundle("AUDIT-1", demo::ICCID_STOCK[0], demo::BUNDLE_HK_DAILY, 1);
    let outcome = client.create_order_once(&order, "audit-checkout-1").await;
    eprintln!("order outcome: success={} order_id={:?}", outcome.is_success(), outcome.order_id());
    sandbox.shutdown().await;
    Ok(())
}
