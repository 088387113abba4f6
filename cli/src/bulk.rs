//! `cmi bulk <operation> --input file.jsonl --concurrency N`: one call per input line, a
//! progress bar on stderr, one JSON result per line on stdout (or `--output`), a summary at
//! the end; individual failures are recorded and the run goes on.

use crate::{exit, settings};
use clap::{Arg, ArgMatches, Command};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{Value, json};
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

pub fn command() -> Command {
    Command::new("bulk")
        .about("Run one operation for every line of a JSON Lines file, concurrently")
        .arg(Arg::new("operation").required(true).help("Operation name, e.g. query-subscribed-bundles"))
        .arg(Arg::new("input").long("input").required(true).value_name("FILE.jsonl").help("One request body per line"))
        .arg(Arg::new("output").long("output").value_name("FILE.jsonl").help("Write results here instead of stdout"))
        .arg(
            Arg::new("concurrency")
                .long("concurrency")
                .default_value("8")
                .value_parser(clap::value_parser!(u16).range(1..=256))
                .help("Calls in flight at once"),
        )
}

pub async fn run(global: &ArgMatches, m: &ArgMatches) -> ExitCode {
    let op = m.get_one::<String>("operation").cloned().unwrap_or_default();
    if cmi_core::client::operations::canonical_name(&op).is_none() {
        eprintln!("cmi: unknown operation `{op}` (see `cmi operations`)");
        return ExitCode::from(exit::USAGE);
    }
    let client = match settings::client(global) {
        Ok(c) => c,
        Err(e) => return exit::report(&e),
    };
    let path = m.get_one::<String>("input").cloned().unwrap_or_default();
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cmi: cannot read {path}: {e}");
            return ExitCode::from(exit::USAGE);
        }
    };
    let mut out: Box<dyn Write + Send> = match m.get_one::<String>("output") {
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => Box::new(std::io::BufWriter::new(f)),
            Err(e) => {
                eprintln!("cmi: cannot write {p}: {e}");
                return ExitCode::from(exit::USAGE);
            }
        },
        None => Box::new(std::io::stdout()),
    };
    let lines: Vec<(usize, String)> =
        text.lines().enumerate().map(|(i, l)| (i + 1, l.trim().to_owned())).filter(|(_, l)| !l.is_empty()).collect();
    let concurrency = *m.get_one::<u16>("concurrency").unwrap_or(&8) as usize;
    let bar = ProgressBar::new(lines.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {bar:30} {pos}/{len} {per_sec} eta {eta} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = Instant::now();
    let gate = Arc::new(Semaphore::new(concurrency));
    let mut tasks = JoinSet::new();
    for (line, body) in lines {
        let (client, op, gate) = (client.clone(), op.clone(), gate.clone());
        tasks.spawn(async move {
            let _permit = gate.acquire_owned().await;
            let result = match serde_json::from_str::<Value>(&body) {
                Ok(b) => client.call_json(&op, b).await,
                Err(e) => Err(cmi_core::Error::validation("(line)", format!("not JSON: {e}"))),
            };
            (line, result)
        });
    }
    let (mut ok, mut failed) = (0usize, 0usize);
    while let Some(joined) = tasks.join_next().await {
        let record = match joined {
            Ok((line, Ok(answer))) => {
                ok += 1;
                json!({"line": line, "ok": true, "response": answer})
            }
            Ok((line, Err(e))) => {
                failed += 1;
                json!({"line": line, "ok": false, "error": exit::json(&e)})
            }
            Err(e) => {
                failed += 1;
                json!({"ok": false, "error": {"kind": "internal", "message": e.to_string()}})
            }
        };
        if writeln!(out, "{record}").is_err() {
            eprintln!("cmi: cannot write results");
            return ExitCode::from(exit::INTERNAL);
        }
        bar.inc(1);
        bar.set_message(format!("{failed} failed"));
    }
    let _ = out.flush();
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "{} calls: {ok} ok, {failed} failed in {secs:.2} s ({:.0} calls/s)",
        ok + failed,
        (ok + failed) as f64 / secs.max(1e-9)
    );
    if failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(exit::API) }
}
