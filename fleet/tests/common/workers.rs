//! Worker processes: this test binary run again with `CMI_FLEET_WORKER` set, filtered to its
//! `worker_entry` test. Each worker says `FLEET-READY`, waits for a line on stdin (so that
//! all start cold at once), runs its calls and prints `FLEET-RESULT {json}`.
#![allow(dead_code)]

use cmi_core::Config;
use cmi_fleet::{Fleet, FleetOptions};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdout, Command};

/// What a worker does.
pub fn spec(base_url: &str, redis: &str, prefix: &str, calls: u32, concurrency: u32, rate: Option<f64>) -> Value {
    json!({"base_url": base_url, "redis": redis, "prefix": prefix, "calls": calls, "concurrency": concurrency,
           "rate": rate, "workers": 8})
}

/// Runs as a worker if this process is one; `false` otherwise.
pub fn run_if_worker() -> bool {
    let Ok(text) = std::env::var("CMI_FLEET_WORKER") else { return false };
    let spec: Value = serde_json::from_str(&text).expect("worker spec");
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let result = rt.block_on(work(spec));
    println!("FLEET-RESULT {result}");
    true
}

async fn work(spec: Value) -> Value {
    let s = |k: &str| spec[k].as_str().unwrap_or_default().to_owned();
    let n = |k: &str| spec[k].as_u64().unwrap_or(1);
    let config = Config::new(s("base_url"), cmi_sandbox::DEMO_APP_KEY, cmi_sandbox::DEMO_APP_SECRET);
    let options = FleetOptions {
        key_prefix: s("prefix"),
        workers: n("workers") as u32,
        retry_after: Duration::from_millis(300),
        ..FleetOptions::default()
    };
    let fleet = Fleet::new(&s("redis"), options).expect("fleet");
    let client = fleet.client(config, spec["rate"].as_f64()).expect("client");
    println!("FLEET-READY");
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);

    let permits = Arc::new(tokio::sync::Semaphore::new(n("concurrency") as usize));
    let mut tasks = Vec::new();
    for _ in 0..n("calls") {
        let permit = permits.clone().acquire_owned().await.expect("semaphore");
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let r = client.call_json("query_quota", json!({"iccid": cmi_sandbox::demo::ICCID_ACTIVE})).await;
            drop(permit);
            r.err().map(|e| format!("{}: {e}", e.code().unwrap_or("-")))
        }));
    }
    let (mut ok, mut errors) = (0u64, Vec::new());
    for t in tasks {
        match t.await {
            Ok(None) => ok += 1,
            Ok(Some(e)) => errors.push(e),
            Err(e) => errors.push(format!("task: {e}")),
        }
    }
    json!({"ok": ok, "errors": errors, "token_requests": client.token_requests(), "healthy": fleet.is_healthy()})
}

/// Running workers.
pub struct Workers {
    children: Vec<(Child, BufReader<ChildStdout>)>,
}

async fn line_with(out: &mut BufReader<ChildStdout>, prefix: &str) -> String {
    let mut line = String::new();
    loop {
        line.clear();
        let n = out.read_line(&mut line).await.expect("worker stdout");
        assert!(n > 0, "worker ended before printing {prefix}");
        // The test harness may have printed `test worker_entry ... ` on the same line.
        if let Some(at) = line.find(prefix) {
            return line[at + prefix.len()..].trim().to_owned();
        }
    }
}

impl Workers {
    /// Starts `n` workers with `spec` and waits until each is ready.
    pub async fn spawn(n: usize, spec: &Value) -> Self {
        let exe = std::env::current_exe().expect("test binary");
        let mut children = Vec::new();
        for _ in 0..n {
            let mut child = Command::new(&exe)
                .args(["worker_entry", "--exact", "--nocapture", "--test-threads", "1"])
                .env("CMI_FLEET_WORKER", spec.to_string())
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .kill_on_drop(true)
                .spawn()
                .expect("spawn worker");
            let out = BufReader::new(child.stdout.take().expect("stdout"));
            children.push((child, out));
        }
        for (_, out) in &mut children {
            line_with(out, "FLEET-READY").await;
        }
        Self { children }
    }

    /// Lets every worker start.
    pub async fn go(&mut self) {
        for (child, _) in &mut self.children {
            let stdin = child.stdin.as_mut().expect("stdin");
            stdin.write_all(b"go\n").await.expect("go");
            stdin.flush().await.expect("flush");
        }
    }

    /// Each worker's result.
    pub async fn finish(mut self) -> Vec<Value> {
        let mut results = Vec::new();
        for (child, out) in &mut self.children {
            let text = line_with(out, "FLEET-RESULT").await;
            results.push(serde_json::from_str(&text).expect("result JSON"));
            let _ = child.wait().await;
        }
        results
    }
}

/// Sums a numeric field over results.
pub fn sum(results: &[Value], key: &str) -> u64 {
    results.iter().map(|r| r[key].as_u64().unwrap_or(0)).sum()
}

/// Every error of every worker.
pub fn errors(results: &[Value]) -> Vec<String> {
    results.iter().flat_map(|r| r["errors"].as_array().cloned().unwrap_or_default()).map(|e| e.to_string()).collect()
}
