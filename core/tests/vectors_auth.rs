//! Shared vectors of 3.2.1.
mod common;

#[test]
fn get_access_token() {
    common::check::<cmi_core::api::GetAccessTokenRequest>();
}
