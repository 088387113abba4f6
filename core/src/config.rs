//! Client settings, from code or from the `CMI_*` environment variables (operations.md).

use crate::error::{Error, Result};
use crate::operation::WireOptions;
use crate::secret::Secret;
use std::fmt;

/// Everything a client needs to know. `Debug` never prints the secret.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// `https://host:port`; the client appends `/aep/<interface>`.
    pub base_url: String,
    /// The app key (WSSE Username and token `id`).
    pub app_key: String,
    /// The app secret (WSSE digest secret).
    pub app_secret: Secret,
    /// Deadline for establishing a connection.
    pub connect_timeout_ms: u64,
    /// Deadline of one HTTP attempt.
    pub attempt_timeout_ms: u64,
    /// Deadline of a whole call, retries and token refresh included.
    pub total_timeout_ms: u64,
    /// How many times a retryable failure of a query is retried.
    pub max_retries: u32,
    /// Permit plain `http://` to hosts other than loopback. Off by default: the platform is
    /// HTTPS-only and plain HTTP would expose the token (sdk-rules 17).
    pub allow_insecure_http: bool,
    /// Refresh a token this long before its `expireTime`.
    pub token_margin_ms: i64,
    /// Send `accessToken` on 3.2.7 and 3.2.10 too, whose tables omit it (spec §1.2.2).
    pub token_on_optional: bool,
    /// Choices between documented wire variants.
    pub wire: WireOptions,
    /// Extra trusted CA certificates, PEM (native transport only).
    pub extra_ca_pem: Option<String>,
    /// HTTP(S) proxy URL (native transport only).
    pub proxy: Option<String>,
    /// Names the binding in the `User-Agent` (`rust`, `python`, `node`, `kotlin`, `swift`).
    pub binding: String,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("base_url", &self.base_url)
            .field("app_key", &self.app_key)
            .field("app_secret", &self.app_secret)
            .field("connect_timeout_ms", &self.connect_timeout_ms)
            .field("attempt_timeout_ms", &self.attempt_timeout_ms)
            .field("total_timeout_ms", &self.total_timeout_ms)
            .field("max_retries", &self.max_retries)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("token_margin_ms", &self.token_margin_ms)
            .field("token_on_optional", &self.token_on_optional)
            .field("wire", &self.wire)
            .field("extra_ca_pem", &self.extra_ca_pem.as_ref().map(|_| "<pem>"))
            .field("proxy", &self.proxy)
            .field("binding", &self.binding)
            .finish()
    }
}

impl Config {
    /// Settings with the defaults: 10 s connect, 30 s per attempt, 60 s in total, 2 retries.
    pub fn new(base_url: impl Into<String>, app_key: impl Into<String>, app_secret: impl Into<Secret>) -> Self {
        Self {
            base_url: base_url.into().trim().trim_end_matches('/').to_owned(),
            app_key: app_key.into().trim().to_owned(),
            app_secret: app_secret.into(),
            connect_timeout_ms: 10_000,
            attempt_timeout_ms: 30_000,
            total_timeout_ms: 60_000,
            max_retries: 2,
            allow_insecure_http: false,
            token_margin_ms: 60_000,
            token_on_optional: true,
            wire: WireOptions::default(),
            extra_ca_pem: None,
            proxy: None,
            binding: "rust".to_owned(),
        }
    }

    /// Reads `CMI_BASE_URL`, `CMI_APP_KEY`, `CMI_APP_SECRET` and the optional
    /// `CMI_TIMEOUT_MS` (per attempt) and `CMI_MAX_RETRIES`.
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Like [`Config::from_env`], reading variables through `lookup` (for tests and for
    /// bindings whose environment is not the process's).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let need = |k: &str| {
            lookup(k).filter(|v| !v.trim().is_empty()).ok_or_else(|| Error::config(format!("{k} is not set")))
        };
        let mut c = Self::new(need("CMI_BASE_URL")?, need("CMI_APP_KEY")?, Secret::new(need("CMI_APP_SECRET")?));
        if let Some(v) = lookup("CMI_TIMEOUT_MS").filter(|v| !v.trim().is_empty()) {
            c.attempt_timeout_ms =
                v.trim().parse().map_err(|_| Error::config("CMI_TIMEOUT_MS must be a whole number of milliseconds"))?;
            c.total_timeout_ms = c.total_timeout_ms.max(c.attempt_timeout_ms);
        }
        if let Some(v) = lookup("CMI_MAX_RETRIES").filter(|v| !v.trim().is_empty()) {
            c.max_retries = v.trim().parse().map_err(|_| Error::config("CMI_MAX_RETRIES must be a whole number"))?;
        }
        Ok(c)
    }

    /// Checks the settings; the client does this on construction.
    pub fn validate(&self) -> Result<()> {
        if self.app_key.is_empty() {
            return Err(Error::config("app key is empty"));
        }
        if self.app_secret.is_empty() {
            return Err(Error::config("app secret is empty"));
        }
        let url = parse_base_url(&self.base_url)?;
        if url.scheme == "http" && !self.allow_insecure_http && !is_loopback(url.host) {
            return Err(Error::config(format!(
                "plain http:// to {} would expose the access token; use https:// or set allow_insecure_http",
                url.host
            )));
        }
        if self.attempt_timeout_ms == 0 || self.total_timeout_ms == 0 || self.connect_timeout_ms == 0 {
            return Err(Error::config("timeouts must be greater than 0"));
        }
        Ok(())
    }
}

/// The parts of a base URL the client cares about.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct BaseUrl<'a> {
    pub scheme: &'a str,
    pub host: &'a str,
}

/// Parses `scheme://host[:port][/path]` without a URL library (whose IDNA tables would
/// dominate the wasm size).
pub(crate) fn parse_base_url(url: &str) -> Result<BaseUrl<'_>> {
    let bad = |why: &str| Error::config(format!("base URL `{url}` {why}"));
    let (scheme, rest) = url.split_once("://").ok_or_else(|| bad("has no scheme"))?;
    if scheme != "http" && scheme != "https" {
        return Err(bad("must start with https://"));
    }
    if rest.contains(['?', '#', ' ', '@']) {
        return Err(bad("may not contain a query, fragment, space or user info"));
    }
    let authority = rest.split('/').next().unwrap_or_default();
    let host = if let Some(v6) = authority.strip_prefix('[') {
        let end = v6.find(']').ok_or_else(|| bad("has an unterminated IPv6 address"))?;
        &authority[..end + 2]
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    if host.is_empty() {
        return Err(bad("has no host"));
    }
    if let Some(port) = authority[host.len()..].strip_prefix(':') {
        port.parse::<u16>().map_err(|_| bad("has a bad port"))?;
    }
    Ok(BaseUrl { scheme, host })
}

/// Loopback hosts: `localhost`, 127.0.0.0/8 and `[::1]`.
pub(crate) fn is_loopback(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") || host == "[::1]" {
        return true;
    }
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4 && parts[0] == "127" && parts.iter().all(|p| p.parse::<u8>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(url: &str) -> Config {
        Config::new(url, "key", "secret")
    }

    #[test]
    fn http_only_for_loopback() {
        assert!(cfg("https://gdschannel.cmlink.com:39043").validate().is_ok());
        assert!(cfg("http://127.0.0.1:8080/").validate().is_ok());
        assert!(cfg("http://127.9.3.1").validate().is_ok());
        assert!(cfg("http://localhost:1").validate().is_ok());
        assert!(cfg("http://[::1]:9").validate().is_ok());
        assert!(cfg("http://10.0.0.1").validate().is_err());
        assert!(cfg("http://127.0.0.1.evil.com").validate().is_err());
        let mut c = cfg("http://10.0.0.1");
        c.allow_insecure_http = true;
        assert!(c.validate().is_ok());
        assert!(cfg("ftp://x").validate().is_err());
        assert!(cfg("https://h:99999").validate().is_err());
        assert!(cfg("https://u:p@h").validate().is_err());
    }

    #[test]
    fn from_env_and_debug_hide_secret() {
        let c = Config::from_lookup(|k| match k {
            "CMI_BASE_URL" => Some("https://h/".into()),
            "CMI_APP_KEY" => Some("k".into()),
            "CMI_APP_SECRET" => Some("topsecret".into()),
            "CMI_TIMEOUT_MS" => Some("5000".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(c.base_url, "https://h");
        assert_eq!(c.attempt_timeout_ms, 5000);
        assert!(!format!("{c:?}").contains("topsecret"));
        let e = Config::from_lookup(|_| None).unwrap_err();
        assert!(e.to_string().contains("CMI_BASE_URL"));
    }
}
