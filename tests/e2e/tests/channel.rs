//! What the channel is linked to: 3.2.14 `query_upcc_templates`, 3.2.24 `query_channel_apps`
//! and 3.2.25 `query_country_groups`.

mod support;

use cmi_core::api::YesNo;
use cmi_core::api::channel::{QueryChannelAppsRequest, QueryCountryGroupsRequest, RateUnit};
use cmi_core::api::upcc::QueryUpccTemplatesRequest;
use support::*;

#[tokio::test]
async fn upcc_templates_with_hotspot_filter() {
    let sb = sandbox().await;
    let c = client(&sb);
    let all = c.query_upcc_templates(&QueryUpccTemplatesRequest::new()).await.unwrap();
    assert_eq!(all.upcc_template.len(), 5);
    let t = all.find("P23061314267445").expect("the spec's template id");
    assert_eq!(t.template_name, "high-speed-100M");
    assert_eq!(t.template_description, "100 Mbps high speed");
    assert_eq!(t.support_hotspot, Some(YesNo::Yes));
    assert_eq!(all.hotspot_capable().count(), 3);

    let mut no_hotspot = QueryUpccTemplatesRequest::new();
    no_hotspot.support_hotspot = Some(YesNo::No);
    let r = c.query_upcc_templates(&no_hotspot).await.unwrap();
    assert_eq!(r.upcc_template.len(), 2);
    assert!(r.upcc_template.iter().all(|t| t.support_hotspot == Some(YesNo::No)));

    let mut one = QueryUpccTemplatesRequest::new();
    one.upcc_template_id = Some("P23061314290112".into());
    let r = c.query_upcc_templates(&one).await.unwrap();
    assert_eq!(r.upcc_template.iter().map(|t| t.template_name.as_str()).collect::<Vec<_>>(), ["throttle-128k"]);
    let mut none = QueryUpccTemplatesRequest::new();
    none.template_name = Some("no such template".into());
    assert!(c.query_upcc_templates(&none).await.unwrap().upcc_template.is_empty(), "an empty list is normal");

    let before = sb.stats();
    let mut bad = QueryUpccTemplatesRequest::new();
    bad.support_hotspot = Some(YesNo::from_wire("3"));
    assert_refused_locally(c.query_upcc_templates(&bad).await, "supportHotspot", &sb, &before);
}

#[tokio::test]
async fn directional_apps_and_their_speed_templates() {
    let sb = sandbox().await;
    let c = client(&sb);
    let all = c.query_channel_apps(&QueryChannelAppsRequest::new()).await.unwrap();
    let names: Vec<&str> = all.apps.iter().map(|a| a.app_name.as_str()).collect();
    assert_eq!(names, ["youtube", "tiktok", "iqiyi"]);

    let yt = all.find_by_name(" YouTube ").expect("case-insensitive lookup");
    assert_eq!(yt.app_id, "1760202564336353280");
    assert_eq!(yt.app_upcc_info.len(), 2);
    let block = yt.template("P24022111193893").expect("block template");
    assert_eq!((block.rate, block.unit.clone()), (Some(0), Some(RateUnit::MegabitsPerSecond)));
    assert_eq!(block.template_description, "g_default_youtube_block\n", "kept exactly as sent");

    let tiktok = c.query_channel_apps(&QueryChannelAppsRequest::by_name("tik")).await.unwrap();
    assert_eq!(tiktok.apps.len(), 1);
    let slow = tiktok.apps[0].template("P24022111211572").expect("512k template");
    assert_eq!((slow.rate, slow.unit.clone()), (Some(512), Some(RateUnit::KilobitsPerSecond)));

    let before = sb.stats();
    let long = QueryChannelAppsRequest::by_name("a-very-long-name");
    assert_refused_locally(c.query_channel_apps(&long).await, "appName", &sb, &before);
}

#[tokio::test]
async fn country_groups_and_their_usage_tiers() {
    let sb = sandbox().await;
    let c = client(&sb);
    let with = c.query_country_groups(&QueryCountryGroupsRequest::new(YesNo::Yes)).await.unwrap();
    assert_eq!(with.countries.len(), 21);
    let hk = with.find("454").expect("Hong Kong");
    assert_eq!(hk.country_name, "Hong Kong");
    assert_eq!(hk.tiers_mb(), [500, 1024]);
    assert!(hk.consumption.iter().all(|t| !t.hotspot_only()));
    let vn = with.find("452").expect("Vietnam");
    assert!(vn.consumption[0].hotspot_only());
    assert!(with.find("342").expect("Barbados").tiers_mb().is_empty(), "a tier-less country");
    let mccs = with.mcc_list();
    assert_eq!(mccs.len(), 21);
    assert!(mccs.iter().all(|m| m.len() == 3));

    // Without hotspots, countries only hotspot-capable bundles may use drop out.
    let without = c.query_country_groups(&QueryCountryGroupsRequest::new(YesNo::No)).await.unwrap();
    assert_eq!(without.countries.len(), 20);
    assert!(without.find("452").is_none());

    let before = sb.stats();
    let unset = QueryCountryGroupsRequest::default();
    assert_refused_locally(c.query_country_groups(&unset).await, "isSupportedHotspots", &sb, &before);
    let bad = QueryCountryGroupsRequest::new(YesNo::from_wire("0"));
    assert_refused_locally(c.query_country_groups(&bad).await, "isSupportedHotspots", &sb, &before);
}
