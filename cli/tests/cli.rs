//! The `cmi` binary end to end: the demo, `cmi sandbox` serving real calls, output formats,
//! exit codes and bulk runs.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};

const CMI: &str = env!("CARGO_BIN_EXE_cmi");

struct Sandbox {
    child: Child,
    env: Vec<(String, String)>,
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `cmi sandbox --port 0` and reads its three shell-ready lines.
fn sandbox() -> Sandbox {
    sandbox_with(&[])
}

fn sandbox_with(flags: &[&str]) -> Sandbox {
    let mut child =
        Command::new(CMI).args(["sandbox", "--port", "0"]).args(flags).stdout(Stdio::piped()).spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut env = Vec::new();
    for expected in ["CMI_BASE_URL", "CMI_APP_KEY", "CMI_APP_SECRET"] {
        let line = lines.next().unwrap().unwrap();
        let (k, v) = line.split_once('=').unwrap();
        assert_eq!(k, expected);
        env.push((k.to_owned(), v.to_owned()));
    }
    assert!(env[0].1.starts_with("http://127.0.0.1:"));
    Sandbox { child, env }
}

fn cmi(sb: &Sandbox, args: &[&str]) -> Output {
    Command::new(CMI).args(args).envs(sb.env.iter().map(|(k, v)| (k, v))).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn demo_walks_a_whole_sale() {
    let out = Command::new(CMI).arg("demo").output().unwrap();
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    for expected in ["1000162", "LPA:1$", "3.2.15 activation", "3.2.17 eSIM status", "used", "cancelled", "Summary"] {
        assert!(stdout.contains(expected), "missing {expected:?} in\n{stdout}");
    }
    assert!(!stdout.contains("demo-secret"), "the demo printed the secret");
}

#[test]
fn operations_are_listed() {
    let out = Command::new(CMI).args(["operations", "--json"]).output().unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 22);
}

#[test]
fn calls_print_json_or_tables_and_exit_with_documented_codes() {
    let sb = sandbox();
    let out = cmi(&sb, &["query-data-bundles", "--body", r#"{"cooperationMode":"1"}"#]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(answer["dataBundles"].as_array().unwrap().len() >= 10);

    let out = cmi(&sb, &["query-data-bundles", "--table", "--body", r#"{"cooperationMode":"1"}"#]);
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("dataBundles ("), "{}", text(&out.stdout));

    // Refused before sending: exit 2, the field named.
    let out = cmi(&sb, &["query-himsi-state", "--body", r#"{"iccid":"12"}"#]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("iccid"), "{}", text(&out.stderr));

    // The platform's error: exit 1 with code and description on stderr.
    let out = cmi(&sb, &["query-himsi-state", "--body", r#"{"iccid":"89852342024999999999"}"#]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let err = text(&out.stderr);
    assert!(err.contains("code 10000"), "{err}");

    // No settings: exit 2 naming the variable.
    let out = Command::new(CMI).args(["query-carriers"]).env_clear().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("CMI_BASE_URL"));
}

#[test]
fn bulk_continues_past_failures() {
    let sb = sandbox();
    let dir = std::env::temp_dir().join(format!("cmi-bulk-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("in.jsonl");
    let output = dir.join("out.jsonl");
    std::fs::write(
        &input,
        "{\"iccid\":\"89852342024000000013\"}\n{\"iccid\":\"89852342024000000021\"}\nnot json\n{\"iccid\":\"89852342024999999999\"}\n",
    )
    .unwrap();
    let out = cmi(
        &sb,
        &[
            "bulk",
            "query-himsi-state",
            "--input",
            input.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
            "--concurrency",
            "3",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("4 calls: 2 ok, 2 failed"), "{}", text(&out.stderr));
    let results: Vec<serde_json::Value> =
        std::fs::read_to_string(&output).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(results.len(), 4);
    assert_eq!(results.iter().filter(|r| r["ok"] == true).count(), 2);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--redis` with nothing listening: fleet mode falls back to local state and the call works
/// (the Redis side itself is tested in fleet/tests with a real redis-server).
#[test]
fn redis_flag_degrades_to_local_state_when_redis_is_away() {
    let sb = sandbox_with(&["--revoke-on-reissue", "--qps-limit", "50"]);
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("redis://127.0.0.1:{port}/0");
    let out = Command::new(CMI)
        .args(["query-himsi-state", "--body", r#"{"iccid":"89852342024000000021"}"#, "--rate-limit", "20"])
        .envs(sb.env.iter().map(|(k, v)| (k, v)))
        .env("CMI_REDIS_URL", &url)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = cmi(&sb, &["query-himsi-state", "--body", "{}", "--redis", "http://not-redis"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("Redis URL"), "{}", text(&out.stderr));
}
