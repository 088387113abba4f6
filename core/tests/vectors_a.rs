//! Shared vectors of 3.2.2, 3.2.3, 3.2.4, 3.2.5, 3.2.6, 3.2.9, 3.2.10 and 3.2.12.
mod common;

use cmi_core::api::{cards, catalogue, lifecycle, orders, subscriptions};

#[test]
fn query_data_bundles() {
    common::check::<catalogue::QueryDataBundlesRequest>();
}

#[test]
fn activate_data_bundle() {
    common::check::<lifecycle::ActivateDataBundleRequest>();
}

#[test]
fn query_himsi_state() {
    common::check::<cards::QueryHimsiStateRequest>();
}

#[test]
fn create_order() {
    common::check::<orders::CreateOrderRequest>();
}

#[test]
fn query_subscribed_bundles() {
    common::check::<subscriptions::QuerySubscribedBundlesRequest>();
}

#[test]
fn end_package() {
    common::check::<lifecycle::EndPackageRequest>();
}

#[test]
fn query_sim_info() {
    common::check::<cards::QuerySimInfoRequest>();
}

#[test]
fn unsubscribe_order() {
    common::check::<orders::UnsubscribeOrderRequest>();
}
