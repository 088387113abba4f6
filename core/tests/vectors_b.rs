//! Shared vectors of 3.2.7, 3.2.8, 3.2.11, 3.2.13, 3.2.14 and 3.2.18-3.2.25.
mod common;

use cmi_core::api::{carriers, channel, esim, own_packages, refuel, upcc, usage};

#[test]
fn query_carriers() {
    common::check::<carriers::QueryCarriersRequest>();
}

#[test]
fn query_quota() {
    common::check::<usage::QueryQuotaRequest>();
}

#[test]
fn query_usage_trajectories() {
    common::check::<usage::QueryUsageTrajectoriesRequest>();
}

#[test]
fn query_esim_card_info() {
    common::check::<esim::QueryEsimCardInfoRequest>();
}

#[test]
fn query_upcc_templates() {
    common::check::<upcc::QueryUpccTemplatesRequest>();
}

#[test]
fn add_package() {
    common::check::<own_packages::AddPackageRequest>();
}

#[test]
fn update_package() {
    common::check::<own_packages::UpdatePackageRequest>();
}

#[test]
fn delete_package() {
    common::check::<own_packages::DeletePackageRequest>();
}

#[test]
fn add_refuel_package() {
    common::check::<refuel::AddRefuelPackageRequest>();
}

#[test]
fn query_refuel_packages() {
    common::check::<refuel::QueryRefuelPackagesRequest>();
}

#[test]
fn delete_refuel_package() {
    common::check::<refuel::DeleteRefuelPackageRequest>();
}

#[test]
fn query_channel_apps() {
    common::check::<channel::QueryChannelAppsRequest>();
}

#[test]
fn query_country_groups() {
    common::check::<channel::QueryCountryGroupsRequest>();
}
