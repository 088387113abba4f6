//! `NativeClient`: the core's client, callable from Python threads (GIL released while
//! waiting) and from asyncio (futures resolved by the hand-back thread). The Python classes
//! `Client` and `AsyncClient` wrap it with typed methods.

use crate::convert::{to_py, to_value};
use crate::errors::{panic_error, to_pyerr};
use crate::runtime::{Handback, Outcome, hand_back, runtime};
use cmi_core::reflect::Case;
use cmi_core::{Client, Config};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;
use tokio::task::AbortHandle;

/// The core client. Cheap to share: every Python thread and task may use one instance, and
/// they all share its token (one token request however many callers start at once).
#[pyclass(frozen, module = "cmi_datacard._native")]
pub struct NativeClient {
    client: Client,
}

/// A running async call; `abort()` stops it (used when the asyncio future is cancelled).
#[pyclass(frozen, module = "cmi_datacard._native")]
pub struct TaskHandle {
    abort: AbortHandle,
}

#[pymethods]
impl TaskHandle {
    /// Stops the call if it is still running.
    fn abort(&self) {
        self.abort.abort();
    }
}

fn apply_options(config: &mut Config, timeout: Option<f64>, max_retries: Option<u32>, allow_insecure_http: bool) {
    if let Some(t) = timeout {
        // `timeout` is per attempt, like CMI_TIMEOUT_MS; the total deadline grows to fit it.
        config.attempt_timeout_ms = (t * 1000.0).round().max(0.0) as u64;
        config.total_timeout_ms = config.total_timeout_ms.max(config.attempt_timeout_ms);
    }
    if let Some(n) = max_retries {
        config.max_retries = n;
    }
    config.allow_insecure_http |= allow_insecure_http;
    config.binding = "python".to_owned();
}

impl NativeClient {
    fn build(py: Python<'_>, config: Config) -> PyResult<Self> {
        // The transport starts inside the runtime's context (reqwest's connection pool).
        let _guard = runtime().enter();
        let client = Client::new(config).map_err(|e| to_pyerr(py, &e))?;
        Ok(Self { client })
    }
}

#[pymethods]
impl NativeClient {
    #[new]
    #[pyo3(signature = (base_url, app_key, app_secret, timeout=None, max_retries=None, allow_insecure_http=false))]
    fn new(
        py: Python<'_>,
        base_url: &str,
        app_key: &str,
        app_secret: &str,
        timeout: Option<f64>,
        max_retries: Option<u32>,
        allow_insecure_http: bool,
    ) -> PyResult<Self> {
        let mut config = Config::new(base_url, app_key, app_secret);
        apply_options(&mut config, timeout, max_retries, allow_insecure_http);
        Self::build(py, config)
    }

    /// A client from the `CMI_*` variables in `env` (the caller passes `os.environ`).
    #[staticmethod]
    #[pyo3(signature = (env, timeout=None, max_retries=None))]
    fn from_env(
        py: Python<'_>,
        env: &Bound<'_, PyDict>,
        timeout: Option<f64>,
        max_retries: Option<u32>,
    ) -> PyResult<Self> {
        let lookup = |k: &str| env.get_item(k).ok().flatten().and_then(|v| v.extract::<String>().ok());
        let mut config = Config::from_lookup(lookup).map_err(|e| to_pyerr(py, &e))?;
        apply_options(&mut config, timeout, max_retries, false);
        Self::build(py, config)
    }

    /// Sends `operation` with `body` and waits, the GIL released; returns the answer. With
    /// `wire`, body and answer use the platform's wire names and forms.
    #[pyo3(signature = (operation, body, wire=false))]
    fn call<'py>(
        &self,
        py: Python<'py>,
        operation: &str,
        body: &Bound<'py, PyAny>,
        wire: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let body = to_value(body)?;
        let client = self.client.clone();
        let operation = operation.to_owned();
        // Run as a task on the runtime and wait for its one answer: the network work stays on
        // the runtime's workers, which is faster than driving it on this thread.
        let task = runtime().spawn(async move { dispatch(&client, &operation, body, wire).await });
        match py.detach(|| runtime().block_on(task)) {
            Ok(Ok(value)) => to_py(py, &value),
            Ok(Err(e)) => Err(to_pyerr(py, &e)),
            Err(_) => Err(panic_error()),
        }
    }

    /// Starts `operation`; `resolve(future, value, failed)` is later scheduled on
    /// `event_loop` with the answer or the exception.
    #[pyo3(signature = (operation, body, event_loop, future, resolve, wire=false))]
    fn start(
        &self,
        operation: &str,
        body: &Bound<'_, PyAny>,
        event_loop: Py<PyAny>,
        future: Py<PyAny>,
        resolve: Py<PyAny>,
        wire: bool,
    ) -> PyResult<TaskHandle> {
        let body = to_value(body)?;
        let client = self.client.clone();
        let operation = operation.to_owned();
        let rt = runtime();
        let work = rt.spawn(async move { dispatch(&client, &operation, body, wire).await });
        let abort = work.abort_handle();
        rt.spawn(async move {
            let outcome = match work.await {
                Ok(Ok(v)) => Outcome::Ok(v),
                Ok(Err(e)) => Outcome::Err(e),
                Err(e) if e.is_panic() => Outcome::Panicked,
                // Aborted: the Python future was cancelled and nobody waits for an answer.
                Err(_) => return,
            };
            hand_back(Handback { event_loop, future, resolve, outcome });
        });
        Ok(TaskHandle { abort })
    }

    /// How many token requests this client has sent.
    fn token_requests(&self) -> u64 {
        self.client.token_requests()
    }

    /// The platform clock's measured offset from ours, in milliseconds.
    fn clock_skew_ms(&self) -> i64 {
        self.client.clock_skew_ms()
    }

    /// Base URL, app key and timeouts, for `repr` (never the secret).
    fn describe(&self) -> (String, String, u64, u32) {
        let c = self.client.config();
        (c.base_url.clone(), c.app_key.clone(), c.attempt_timeout_ms, c.max_retries)
    }
}

/// The one entry point every call goes through: by operation name, with a snake_case body
/// answered in snake_case, or (`wire`) wire JSON both ways.
async fn dispatch(client: &Client, operation: &str, body: Value, wire: bool) -> cmi_core::Result<Value> {
    if wire { client.call_json(operation, body).await } else { client.call_surface(operation, body, Case::Snake).await }
}
