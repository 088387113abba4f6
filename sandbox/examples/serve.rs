//! Serves the sandbox until Ctrl-C, like `cmi sandbox [--port N]`:
//! `cargo run -p cmi-sandbox --example serve -- --port 8080`.

#[tokio::main]
async fn main() -> Result<(), cmi_sandbox::Error> {
    let args: Vec<String> = std::env::args().collect();
    let port = args
        .iter()
        .position(|a| a == "--port")
        .and_then(|i| args.get(i + 1))
        .map(|p| p.parse::<u16>().map_err(|e| cmi_sandbox::Error::Invalid(format!("--port: {e}"))))
        .transpose()?
        .unwrap_or(0);
    cmi_sandbox::serve_forever(cmi_sandbox::Sandbox::builder().port(port)).await
}
