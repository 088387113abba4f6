//! Global flags and the client built from them (flags win over `CMI_*` variables).

use clap::{Arg, ArgAction, ArgMatches};
use cmi_core::{Client, Config, Error};

/// The flags every operation accepts.
pub fn global_args() -> Vec<Arg> {
    vec![
        Arg::new("base_url")
            .long("base-url")
            .env("CMI_BASE_URL")
            .global(true)
            .help("Platform base URL, e.g. https://host:port"),
        Arg::new("app_key").long("app-key").env("CMI_APP_KEY").global(true).help("App key (WSSE Username)"),
        Arg::new("app_secret")
            .long("app-secret")
            .env("CMI_APP_SECRET")
            .hide_env_values(true)
            .global(true)
            .help("App secret; prefer the CMI_APP_SECRET variable (flags end up in shell history)"),
        Arg::new("timeout_ms")
            .long("timeout-ms")
            .env("CMI_TIMEOUT_MS")
            .global(true)
            .value_parser(clap::value_parser!(u64))
            .help("Per-attempt timeout in milliseconds"),
        Arg::new("max_retries")
            .long("max-retries")
            .env("CMI_MAX_RETRIES")
            .global(true)
            .value_parser(clap::value_parser!(u32))
            .help("Retries of failed queries"),
        Arg::new("allow_insecure_http")
            .long("allow-insecure-http")
            .action(ArgAction::SetTrue)
            .global(true)
            .help("Permit http:// to a non-loopback host"),
        Arg::new("redis")
            .long("redis")
            .env("CMI_REDIS_URL")
            .hide_env_values(true)
            .global(true)
            .value_name("URL")
            .help("Fleet mode: share the token and the rate budget with other workers through Redis (redis://host:port/db, rediss:// for TLS); falls back to local state while Redis is away"),
        Arg::new("rate_limit")
            .long("rate-limit")
            .env("CMI_RATE_LIMIT")
            .global(true)
            .value_name("CALLS_PER_S")
            .value_parser(clap::value_parser!(f64))
            .help("At most this many calls per second (fleet-wide with --redis)"),
        Arg::new("table")
            .long("table")
            .action(ArgAction::SetTrue)
            .global(true)
            .help("Print a readable table instead of JSON"),
    ]
}

fn text(m: &ArgMatches, id: &str) -> Option<String> {
    m.get_one::<String>(id).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// The configuration from flags and environment.
pub fn config(m: &ArgMatches) -> Result<Config, Error> {
    // clap has already merged each flag with its CMI_* variable; the core reads them with the
    // same rules as `Config::from_env`, so the two cannot drift.
    let mut c = Config::from_lookup(|var| match var {
        "CMI_BASE_URL" => text(m, "base_url"),
        "CMI_APP_KEY" => text(m, "app_key"),
        "CMI_APP_SECRET" => text(m, "app_secret"),
        "CMI_TIMEOUT_MS" => m.get_one::<u64>("timeout_ms").map(u64::to_string),
        "CMI_MAX_RETRIES" => m.get_one::<u32>("max_retries").map(u32::to_string),
        _ => None,
    })?;
    c.binding = "cli".into();
    c.allow_insecure_http = m.get_flag("allow_insecure_http");
    Ok(c)
}

/// A client from flags and environment: in fleet mode with `--redis`.
pub fn client(m: &ArgMatches) -> Result<Client, Error> {
    let config = config(m)?;
    let rate = m.get_one::<f64>("rate_limit").copied().filter(|r| r.is_finite() && *r > 0.0);
    match text(m, "redis") {
        Some(url) => cmi_fleet::Fleet::new(&url, cmi_fleet::FleetOptions::default())?.client(config, rate),
        None => {
            let builder = Client::builder(config);
            match rate {
                Some(r) => builder.rate_limit(r, 1),
                None => builder,
            }
            .build()
        }
    }
}

/// Reads `--body`: inline JSON, or `@path` for a file.
pub fn read_body(arg: &str) -> Result<serde_json::Value, Error> {
    let text = match arg.strip_prefix('@') {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| Error::validation("--body", format!("cannot read {path}: {e}")))?,
        None => arg.to_owned(),
    };
    serde_json::from_str(&text).map_err(|e| Error::validation("--body", format!("not JSON: {e}")))
}
