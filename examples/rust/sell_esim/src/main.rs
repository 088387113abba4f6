//! `sell_esim`: sells one eSIM data bundle end to end and prints a short report.
//!
//! Against the platform or a running sandbox, set `CMI_BASE_URL`, `CMI_APP_KEY` and
//! `CMI_APP_SECRET` (`cmi sandbox` prints them). With none set it starts a simulator itself.
//! Flags: `--iccid`, `--mcc`, `--currency`, `--checkout`, `--days`, `--qr PATH` (or
//! `SELL_ESIM_QR`; default next to the binary, under the target directory).

use cmi_core::{Client, Config};
use cmi_example_sell_esim::admin::SandboxAdmin;
use cmi_example_sell_esim::{Options, connect_from_env, explain, sell};
use cmi_sandbox::{Sandbox, SandboxHandle, demo};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str =
    "usage: sell_esim [--iccid ICCID] [--mcc MCC] [--currency CUR] [--checkout KEY] [--days N] [--qr PATH]";

fn options(args: &[String]) -> Result<Options, String> {
    let default_qr = std::env::var_os("SELL_ESIM_QR").map(PathBuf::from).unwrap_or_else(|| {
        let dir = std::env::current_exe().ok().and_then(|p| p.parent().map(PathBuf::from)).unwrap_or_default();
        dir.join("sell_esim-qr.png")
    });
    let mut o = Options {
        iccid: demo::ICCID_STOCK[0].to_owned(),
        mcc: "454".to_owned(),
        currency: "USD".to_owned(),
        checkout: String::new(),
        qr_path: default_qr,
        days: 1,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().cloned().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"));
        match flag.as_str() {
            "--iccid" => o.iccid = value()?,
            "--mcc" => o.mcc = value()?,
            "--currency" => o.currency = value()?,
            "--checkout" => o.checkout = value()?,
            "--qr" => o.qr_path = PathBuf::from(value()?),
            "--days" => o.days = value()?.parse().map_err(|_| format!("--days takes a whole number\n{USAGE}"))?,
            _ => return Err(format!("unknown argument {flag}\n{USAGE}")),
        }
    }
    if o.checkout.is_empty() {
        o.checkout = format!("sell-esim-{}", o.iccid);
    }
    Ok(o)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opts = match options(&args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    // No settings: run against a simulator of our own, so the example works from a fresh clone.
    let mut own: Option<SandboxHandle> = None;
    let client = if std::env::var_os("CMI_BASE_URL").is_none() {
        match Sandbox::builder().start().await {
            Ok(sb) => {
                let client = Client::new(Config::new(sb.base_url(), sb.app_key(), sb.app_secret()));
                own = Some(sb);
                client
            }
            Err(e) => {
                eprintln!("cannot start the sandbox: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        connect_from_env()
    };
    let client = match client {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{}", explain(&e));
            return ExitCode::from(2);
        }
    };
    let base_url = client.config().base_url.clone();
    // The platform is HTTPS-only; a plain-http URL is a sandbox, whose admin API moves time.
    let admin = match SandboxAdmin::new(&base_url) {
        Ok(a) if base_url.starts_with("http://") && a.is_sandbox().await => Some(a),
        _ => None,
    };
    let kind = if own.is_some() {
        "in-process sandbox"
    } else if admin.is_some() {
        "sandbox"
    } else {
        "platform"
    };
    println!("sell_esim: card {} to MCC {} against the {kind} at {base_url}", opts.iccid, opts.mcc);
    let result = sell(&client, admin.as_ref(), &opts).await;
    if let Some(sb) = own {
        sb.shutdown().await;
    }
    match result {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("sell_esim: {e}");
            ExitCode::FAILURE
        }
    }
}
