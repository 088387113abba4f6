//! Runs the `sell_esim` binary against a sandbox over loopback HTTP, checks its report and
//! the platform's state, and reads the QR code back from the PNG.

use cmi_core::{Client, Config, ErrorKind};
use cmi_example_sell_esim::explain;
use cmi_sandbox::{Sandbox, SandboxHandle, demo};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_sell_esim");

/// A fresh file path for this test's QR code, outside the repository.
fn qr_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("cmi-sell-esim-{}-{name}.png", std::process::id()))
}

/// Runs the binary off the async runtime (the sandbox keeps serving meanwhile).
async fn run(env: Vec<(&'static str, String)>, args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        let mut cmd = Command::new(BIN);
        cmd.args(args).env_remove("CMI_BASE_URL").env_remove("CMI_APP_KEY").env_remove("CMI_APP_SECRET");
        cmd.envs(env).output().expect("sell_esim runs")
    })
    .await
    .expect("join")
}

fn sandbox_env(sb: &SandboxHandle) -> Vec<(&'static str, String)> {
    vec![
        ("CMI_BASE_URL", sb.base_url()),
        ("CMI_APP_KEY", sb.app_key().to_owned()),
        ("CMI_APP_SECRET", sb.app_secret().to_owned()),
    ]
}

/// The report's `label: value` lines, after checking the run succeeded.
fn report(out: &Output) -> HashMap<String, String> {
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(!stdout.contains(demo_secret()), "the report printed the secret");
    stdout
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned())))
        .collect()
}

fn demo_secret() -> &'static str {
    cmi_sandbox::DEMO_APP_SECRET
}

/// Decodes the QR code in a greyscale PNG.
fn read_qr(path: &Path) -> String {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).expect("png exists")));
    let mut reader = decoder.read_info().expect("png header");
    let mut pixels = vec![0; reader.output_buffer_size().expect("size")];
    let frame = reader.next_frame(&mut pixels).expect("png frame");
    assert_eq!(frame.color_type, png::ColorType::Grayscale);
    let (w, h) = (frame.width as usize, frame.height as usize);
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    grids[0].decode().expect("the QR code decodes").1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sells_once_and_the_qr_code_reads_back_as_the_lpa_string() {
    let sb = Sandbox::builder().start().await.expect("sandbox");
    let qr = qr_path("env");
    let args = vec!["--qr".to_owned(), qr.display().to_string(), "--checkout".to_owned(), "checkout-42".to_owned()];
    let lines = report(&run(sandbox_env(&sb), args.clone()).await);

    assert!(lines["catalogue"].contains("cheapest D2401011200000000001 (5.00 USD)"), "{lines:?}");
    assert!(lines["order"].starts_with("created "), "{lines:?}");
    assert!(lines["repeat"].starts_with("already created"), "{lines:?}");
    let lpa = &lines["lpa"];
    assert_eq!(lpa, &format!("LPA:1$smdp.sandbox.cmlink.example${}", lines["activation code"]));
    assert_eq!(read_qr(&qr), *lpa, "the PNG holds the LPA string");
    assert!(lines["activation"].contains("active in MCC 454"), "{lines:?}");
    assert!(lines["usage"].starts_with("after 1 simulated day(s): "), "{lines:?}");
    assert!(!lines["usage"].contains('?'), "used, total and remaining are known: {lines:?}");

    // Exactly once on the platform: one order, charged once.
    let state = sb.state();
    let orders: Vec<_> = state.orders.iter().filter(|o| o.iccid == demo::ICCID_STOCK[0]).collect();
    assert_eq!(orders.len(), 1);
    assert_eq!(state.deposit.amount_cents, state.deposit.initial_cents - 500);

    // Running the whole example again with the same checkout charges nothing more.
    let again = report(&run(sandbox_env(&sb), args).await);
    assert!(again["order"].starts_with("already created"), "{again:?}");
    assert_eq!(sb.state().orders.len(), state.orders.len());
    assert_eq!(sb.state().deposit.amount_cents, state.deposit.amount_cents);
    std::fs::remove_file(&qr).ok();
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_from_a_fresh_clone_without_settings() {
    let qr = qr_path("own");
    let lines = report(&run(Vec::new(), vec!["--qr".to_owned(), qr.display().to_string()]).await);
    assert_eq!(read_qr(&qr), lines["lpa"]);
    std::fs::remove_file(&qr).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_are_explained_with_their_code_and_category() {
    let sb = Sandbox::builder().start().await.expect("sandbox");
    let client = Client::new(Config::new(sb.base_url(), sb.app_key(), sb.app_secret())).expect("client");
    let unknown = cmi_core::api::usage::QueryQuotaRequest::by_iccid("89852342024999999999");
    let e = client.query_quota(&unknown).await.expect_err("unknown card");
    assert_eq!(e.kind(), ErrorKind::Api);
    assert!(explain(&e).starts_with("platform code 1000013 (validation), will not succeed as is"), "{}", explain(&e));
    let bad = cmi_core::api::usage::QueryQuotaRequest::by_iccid("12");
    let e = client.query_quota(&bad).await.expect_err("bad ICCID");
    assert!(explain(&e).starts_with("fix field iccid"), "{}", explain(&e));
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quick_starts_first_call_lists_the_catalogue() {
    let sb = Sandbox::builder().start().await.expect("sandbox");
    let env = sandbox_env(&sb);
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_first_call")).envs(env).output().expect("first_call runs")
    })
    .await
    .expect("join");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.starts_with("D2401011200000000001  ") && stdout.contains(" USD\n"), "{stdout}");
    assert!(stdout.trim_end().ends_with("bundles on sale"), "{stdout}");
    // Without settings it stops with a configuration error naming the variable.
    let out = Command::new(env!("CARGO_BIN_EXE_first_call")).env_remove("CMI_BASE_URL").output().expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("CMI_BASE_URL is not set"));
    sb.shutdown().await;
}
