//! Pricing an order for the guard's spend ceilings: the unit price comes from the catalogue
//! (3.2.2), looked up once per bundle or add-on and cached for the client's lifetime.

use super::Client;
use crate::api::catalogue::QueryDataBundlesRequest;
use crate::error::{Error, Result};
use crate::guard::SpendItem;
use crate::units::Money;

impl Client {
    /// The cost of `item` in `currency`, or a refusal when it cannot be priced: a spend
    /// ceiling that cannot be checked must not let the order through.
    pub(super) async fn order_cost(
        &self,
        operation: &'static str,
        item: &SpendItem,
        currency: &str,
        deadline: i64,
    ) -> Result<Money> {
        let refuse = |reason: String| Error::Refused { operation, reason };
        let (id, add_on) = match (&item.refueling_id, &item.data_bundle_id) {
            (Some(r), _) if !r.trim().is_empty() => (r.trim(), true),
            (_, Some(b)) if !b.trim().is_empty() => (b.trim(), false),
            _ => return Err(refuse("the order names no bundle or add-on, so the spend limit cannot price it".into())),
        };
        let cached = self.inner.prices.lock().unwrap_or_else(|p| p.into_inner()).get(id).cloned();
        let unit = match cached {
            Some(unit) => unit,
            None => {
                let bundle_id =
                    item.data_bundle_id.as_deref().map(str::trim).filter(|b| !b.is_empty()).ok_or_else(|| {
                        refuse("an add-on order needs its parent dataBundleId for the spend limit to price it".into())
                    })?;
                let lookup =
                    QueryDataBundlesRequest { data_bundle_id: Some(bundle_id.to_owned()), ..Default::default() };
                let catalogue = self.call_until(&lookup, deadline).await?;
                let bundle = catalogue.find(bundle_id).ok_or_else(|| {
                    refuse(format!("bundle {bundle_id} is not in the catalogue, so it cannot be priced"))
                })?;
                let price = if add_on {
                    bundle.refueling_package(id).and_then(|r| r.price_in(currency))
                } else {
                    bundle.price_in(currency)
                };
                let unit = price.ok_or_else(|| refuse(format!("{id} has no price in {currency}")))?;
                self.inner.prices.lock().unwrap_or_else(|p| p.into_inner()).insert(id.to_owned(), unit.clone());
                unit
            }
        };
        let cents =
            unit.cents.checked_mul(item.quantity.max(1)).ok_or_else(|| refuse("the order's cost overflows".into()))?;
        Ok(Money::new(cents, unit.currency))
    }
}
