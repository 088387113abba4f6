//! The 22 outbound interfaces the sandbox serves: wire path, canonical name, token rule and
//! which key carries the description (operations.md, spec §2).

/// Whether a call must carry `accessToken` in its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRule {
    /// 3.2.1: no token.
    None,
    /// The token is mandatory.
    Required,
    /// The spec's table omits it (3.2.7, 3.2.10): a missing token is accepted, a wrong one is not.
    Optional,
}

/// The key that carries the text of `code` in an interface's answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DescKey {
    /// `description` (most interfaces).
    Description,
    /// `msg` (3.2.12, 3.2.13, 3.2.14, 3.2.25).
    Msg,
    /// `decsription`, the typo of many of the spec's examples (only as a fault variant).
    Decsription,
}

impl DescKey {
    /// The JSON key.
    pub fn key(self) -> &'static str {
        match self {
            Self::Description => "description",
            Self::Msg => "msg",
            Self::Decsription => "decsription",
        }
    }
}

/// One interface.
#[derive(Debug, Clone, Copy)]
pub struct OpInfo {
    /// Canonical snake_case name (`create_order`).
    pub name: &'static str,
    /// Path after `/aep/`.
    pub path: &'static str,
    /// Spec section.
    pub section: &'static str,
    /// Token rule.
    pub token: TokenRule,
    /// Default description key.
    pub desc: DescKey,
}

const fn op(name: &'static str, path: &'static str, section: &'static str, token: TokenRule, desc: DescKey) -> OpInfo {
    OpInfo { name, path, section, token, desc }
}

use DescKey::{Description as D, Msg as M};
use TokenRule::{None as N, Optional as O, Required as R};

/// Every served interface, in spec order. Indexes are stable and used by the statistics.
pub const OPS: [OpInfo; 22] = [
    op("get_access_token", "APP_getAccessToken_SBO/v1", "3.2.1", N, D),
    op("query_data_bundles", "app_getDataBundle_SBO/v1", "3.2.2", R, D),
    op("activate_data_bundle", "APP_activeDataBundle_SBO/v1", "3.2.3", R, D),
    op("query_himsi_state", "APP_HIMSI_TERMSTATE_SBO/v1", "3.2.4", R, D),
    op("create_order", "APP_createOrder_SBO/v1", "3.2.5", R, D),
    op("query_subscribed_bundles", "APP_getSubedUserDataBundle_SBO/v1", "3.2.6", R, D),
    op("query_carriers", "APP_queryCarrier_SBO/v1", "3.2.7", O, D),
    op("query_quota", "APP_getSubscriberAllQuota_SBO/v1", "3.2.8", R, D),
    op("end_package", "SBO_package_end/v1", "3.2.9", R, D),
    op("query_sim_info", "SBO_query_SIMInfo/v1", "3.2.10", O, D),
    op("query_usage_trajectories", "SBO_query_usingTrajectories/v1", "3.2.11", R, D),
    op("unsubscribe_order", "SBO_channel_unsubscribe/v1", "3.2.12", R, M),
    op("query_esim_card_info", "SBO_queryEsimCardInfo/v1", "3.2.13", R, M),
    op("query_upcc_templates", "SBO_queryUpccTemplate/v1", "3.2.14", R, M),
    op("add_package", "SBO_add_package/v1", "3.2.18", R, D),
    op("update_package", "SBO_update_package/v1", "3.2.19", R, D),
    op("delete_package", "SBO_del_package/v1", "3.2.20", R, D),
    op("add_refuel_package", "SBO_add_packageRefuel/v1", "3.2.21", R, D),
    op("query_refuel_packages", "SBO_query_packageRefuel/v1", "3.2.22", R, D),
    op("delete_refuel_package", "SBO_del_packageRefuel/v1", "3.2.23", R, D),
    op("query_channel_apps", "SBO_channel_app/v1", "3.2.24", R, D),
    op("query_country_groups", "APP_getCountryGroupInfo_SBO/v1", "3.2.25", R, M),
];

/// Index of the interface at `/aep/<path>` (exact, case-sensitive).
pub fn by_path(path: &str) -> Option<usize> {
    OPS.iter().position(|o| o.path == path)
}

/// Index of the interface with a canonical name.
pub fn by_name(name: &str) -> Option<usize> {
    OPS.iter().position(|o| o.name == name)
}

/// Index constants used by handlers and shape variants.
pub mod idx {
    /// 3.2.1
    pub const GET_ACCESS_TOKEN: usize = 0;
    /// 3.2.2
    pub const QUERY_DATA_BUNDLES: usize = 1;
    /// 3.2.5
    pub const CREATE_ORDER: usize = 4;
    /// 3.2.6
    pub const QUERY_SUBSCRIBED_BUNDLES: usize = 5;
    /// 3.2.8
    pub const QUERY_QUOTA: usize = 7;
    /// 3.2.10
    pub const QUERY_SIM_INFO: usize = 9;
    /// 3.2.13
    pub const QUERY_ESIM_CARD_INFO: usize = 12;
    /// 3.2.25
    pub const QUERY_COUNTRY_GROUPS: usize = 21;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_match_names() {
        assert_eq!(OPS[idx::GET_ACCESS_TOKEN].name, "get_access_token");
        assert_eq!(OPS[idx::QUERY_DATA_BUNDLES].name, "query_data_bundles");
        assert_eq!(OPS[idx::CREATE_ORDER].name, "create_order");
        assert_eq!(OPS[idx::QUERY_SUBSCRIBED_BUNDLES].name, "query_subscribed_bundles");
        assert_eq!(OPS[idx::QUERY_QUOTA].name, "query_quota");
        assert_eq!(OPS[idx::QUERY_SIM_INFO].name, "query_sim_info");
        assert_eq!(OPS[idx::QUERY_ESIM_CARD_INFO].name, "query_esim_card_info");
        assert_eq!(OPS[idx::QUERY_COUNTRY_GROUPS].name, "query_country_groups");
        assert_eq!(by_path("APP_createOrder_SBO/v1"), Some(idx::CREATE_ORDER));
        assert_eq!(by_path("app_createorder_sbo/v1"), None);
        assert_eq!(by_name("query_quota"), Some(idx::QUERY_QUOTA));
    }
}
