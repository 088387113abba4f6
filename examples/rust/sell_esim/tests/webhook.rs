//! The callback receiver of `src/webhook.rs` fed requests signed the way CMI signs them.

use cmi_core::callbacks::Outcome;
use cmi_core::{Secret, clock::hex_upper, wsse};
use cmi_example_sell_esim::webhook::{on_request, receiver};
use cmi_sandbox::{DEMO_APP_KEY, DEMO_APP_SECRET};

fn signed(nonce: &str, secret: &str) -> Vec<(String, String)> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_secs();
    let h = wsse::sign(DEMO_APP_KEY, &Secret::new(secret), nonce, &wsse::created(now as i64));
    vec![("Authorization".to_owned(), h.authorization.to_owned()), ("X-WSSE".to_owned(), h.x_wsse.expose().to_owned())]
}

#[test]
fn signed_callbacks_are_handled_and_acknowledged() {
    let rx = receiver(DEMO_APP_KEY, Secret::new(DEMO_APP_SECRET)).expect("receiver");
    let mut seen = Vec::new();
    let usage = br#"{"iccid":"89852342024000000070","qtavalue":"1048576","timestamp":"20250610120000"}"#;
    let reply = on_request(&rx, None, &signed(&hex_upper(&[1; 16]), DEMO_APP_SECRET), usage, &mut seen);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, br#"{"code":"0","description":"Success"}"#);
    assert!(matches!(reply.outcome, Outcome::Handled));
    assert_eq!(seen.len(), 1);

    let activation = br#"{"iccid":"89852342024000000070","packageId":"D2401011200000000001","orderId":"212400000005","activeTime":"20250610120000","mcc":"454"}"#;
    let reply = on_request(&rx, None, &signed(&hex_upper(&[2; 16]), DEMO_APP_SECRET), activation, &mut seen);
    assert_eq!(reply.status, 200);
    assert_eq!(seen[1], "D2401011200000000001 active on 89852342024000000070");

    // The same nonce again is a replay; a wrong secret and no signature are refused.
    let replay = on_request(&rx, None, &signed(&hex_upper(&[2; 16]), DEMO_APP_SECRET), activation, &mut seen);
    let forged = on_request(&rx, None, &signed(&hex_upper(&[3; 16]), "not-the-secret"), usage, &mut seen);
    let unsigned = on_request(&rx, None, &[], usage, &mut seen);
    for reply in [replay, forged, unsigned] {
        assert_eq!(reply.status, 401, "{:?}", reply.outcome);
    }
    assert_eq!(seen.len(), 2, "refused requests never reach the handler");
}
