//! The Rust quick start's first call, whole (docs/quickstart-rust.md quotes this file).
// snippet-start: first-call
use cmi_core::Client;
use cmi_core::api::catalogue::QueryDataBundlesRequest;

#[tokio::main]
async fn main() -> Result<(), cmi_core::Error> {
    let client = Client::from_env()?; // CMI_BASE_URL, CMI_APP_KEY, CMI_APP_SECRET
    let catalogue = client.query_data_bundles(&QueryDataBundlesRequest::default()).await?;
    for bundle in catalogue.on_sale().take(3) {
        let price = bundle.price_in("USD").map(|m| m.to_string()).unwrap_or_default();
        println!("{}  {}  {price}", bundle.id, bundle.name_in("en").unwrap_or("?"));
    }
    println!("{} bundles on sale", catalogue.on_sale().count());
    Ok(())
}
// snippet-end: first-call
