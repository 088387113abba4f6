//! eSIM: 3.2.13 `query_esim_card_info`, the QR-code string, and the profile states the
//! simulated device actions leave behind.

mod support;

use cmi_core::api::esim::{EsimState, QueryEsimCardInfoRequest};
use cmi_sandbox::EsimAction;
use support::*;

const SMDP: &str = "smdp.sandbox.cmlink.example";

#[tokio::test]
async fn an_installed_profile_reads_back_with_its_lpa_string() {
    let sb = sandbox().await;
    let c = client(&sb);
    let r = c.query_esim_card_info(&QueryEsimCardInfoRequest::new(demo::ICCID_ESIM)).await.unwrap();
    let info = r.card_info.as_ref().expect("profile data");
    assert_eq!(info.smdp_address, SMDP);
    assert!(info.eid.starts_with("89049032") && info.eid.len() == 32, "{info:?}");
    let code = &info.activation_code;
    assert_eq!(code.len(), 19, "{code}");
    assert_eq!(code.matches('-').count(), 3);
    assert_eq!(info.state, Some(EsimState::Enabled));
    assert!(info.state.as_ref().unwrap().is_on_device());
    assert_eq!(info.install_count, Some(1));
    assert_eq!(info.install_device.as_deref(), Some("iPhone15,2"));
    let installed = info.install_time.expect("installTime").unix_seconds();
    assert!((sb.now() - 3 * 86_400 - installed).abs() <= 5, "installed three days before start");
    assert!(info.update_time.is_some());

    let lpa = r.lpa_string().unwrap();
    assert_eq!(lpa, format!("LPA:1${SMDP}${code}"));
    assert_eq!(info.lpa_string().unwrap(), info.download_url);
}

#[tokio::test]
async fn a_fresh_profile_through_install_disable_and_delete() {
    let sb = sandbox().await;
    let c = client(&sb);
    let card = demo::ICCID_STOCK[3];
    let req = QueryEsimCardInfoRequest::new(card);
    let fresh = c.query_esim_card_info(&req).await.unwrap().card_info.unwrap();
    assert_eq!(fresh.state, Some(EsimState::Released));
    assert!(fresh.eid.is_empty() && fresh.install_time.is_none(), "{fresh:?}");
    assert_eq!(fresh.install_count, Some(0));
    // The QR code works before the profile is installed: that is what it is for.
    assert!(fresh.lpa_string().unwrap().starts_with(&format!("LPA:1${SMDP}$")));

    let notes = sb.esim_action(card, EsimAction::Install).unwrap();
    assert_eq!(notes.len(), 3);
    let installed = c.query_esim_card_info(&req).await.unwrap().card_info.unwrap();
    assert_eq!(installed.state, Some(EsimState::Enabled));
    assert!(!installed.eid.is_empty());
    assert_eq!(installed.install_count, Some(1));
    assert_eq!(installed.activation_code, fresh.activation_code, "the profile keeps its code");

    sb.esim_action(card, EsimAction::Disable).unwrap();
    let disabled = c.query_esim_card_info(&req).await.unwrap().card_info.unwrap();
    assert_eq!(disabled.state, Some(EsimState::Disabled));
    assert!(disabled.state.unwrap().is_on_device());

    sb.esim_action(card, EsimAction::Delete).unwrap();
    let deleted = c.query_esim_card_info(&req).await.unwrap().card_info.unwrap();
    assert_eq!(deleted.state, Some(EsimState::Deleted));

    let demo_disabled = c.query_esim_card_info(&QueryEsimCardInfoRequest::new(demo::ICCID_ESIM_DISABLED)).await;
    assert_eq!(demo_disabled.unwrap().card_info.unwrap().state, Some(EsimState::Disabled));
}

#[tokio::test]
async fn esim_info_failures() {
    let sb = sandbox().await;
    let c = client(&sb);
    let e = assert_api(c.query_esim_card_info(&QueryEsimCardInfoRequest::new(demo::ICCID_PHYSICAL)).await, "1000090");
    assert_eq!(e.category(), Category::BusinessRule);
    assert_eq!(e.api().unwrap().meaning, Some("Primary card is not an eSIM"));
    assert!(!e.description().is_empty(), "the description is read from `msg` here");
    assert_api(c.query_esim_card_info(&QueryEsimCardInfoRequest::new("89852342024000099999")).await, "1000013");
    assert_api(c.query_esim_card_info(&QueryEsimCardInfoRequest::new(demo::ICCID_FOREIGN)).await, "1000073");

    let before = sb.stats();
    let short = QueryEsimCardInfoRequest::new("8985234202400000");
    assert_refused_locally(c.query_esim_card_info(&short).await, "iccid", &sb, &before);
    assert_refused_locally(c.query_esim_card_info(&QueryEsimCardInfoRequest::default()).await, "iccid", &sb, &before);
}
