//! WSSE and token rules over real loopback HTTP.

mod common;

use base64::Engine as _;
use cmi_core::wsse::{AUTHORIZATION, password_digest};
use cmi_sandbox::{DEMO_APP_KEY, OTHER_APP_KEY, OTHER_APP_SECRET, Sandbox, demo};
use common::{Client, sandbox, unix_now};
use serde_json::{Value, json};
use std::time::Duration;

const TOKEN_PATH: &str = "/aep/APP_getAccessToken_SBO/v1";

fn token_body() -> Vec<u8> {
    serde_json::to_vec(&json!({"id": DEMO_APP_KEY, "type": "106"})).unwrap()
}

fn x_wsse(user: &str, digest: &str, nonce: &str, created: &str) -> String {
    format!(r#"UsernameToken Username="{user}", PasswordDigest="{digest}", Nonce="{nonce}", Created="{created}""#)
}

#[tokio::test]
async fn wsse_failures_have_their_codes() {
    let sb = sandbox().await;
    let c = Client::new(&sb);
    let auth = ("Authorization", AUTHORIZATION.to_owned());
    let now = cmi_core::wsse::created(unix_now());
    let good = |nonce: &str, created: &str| {
        x_wsse(DEMO_APP_KEY, &password_digest(nonce, created, sb.app_secret()), nonce, created)
    };

    // Missing Authorization / malformed Authorization / missing X-WSSE / malformed X-WSSE.
    let cases: Vec<Vec<(&str, String)>> = vec![
        vec![("X-WSSE", good("A1", &now))],
        vec![("Authorization", "Basic abc".into()), ("X-WSSE", good("A2", &now))],
        vec![
            ("Authorization", r#"WSSE realm="XYZ", profile="UsernameToken", type="Appkey""#.into()),
            ("X-WSSE", good("A3", &now)),
        ],
        vec![auth.clone()],
        vec![auth.clone(), ("X-WSSE", "UsernameToken Username=\"x".into())],
        vec![
            auth.clone(),
            ("X-WSSE", format!(r#"UsernameToken Username="{DEMO_APP_KEY}", Nonce="n", Created="{now}""#)),
        ],
    ];
    for h in cases {
        let r = c.raw("POST", TOKEN_PATH, &h, token_body()).await;
        assert_eq!((r.status, r.code()), (401, "1000000".into()), "{h:?}: {}", r.json());
    }

    // Unknown app key.
    let h = vec![auth.clone(), ("X-WSSE", x_wsse("ffffffffffffffffffffffffffffffff", "ZGlnZXN0", "A4", &now))];
    let r = c.raw("POST", TOKEN_PATH, &h, token_body()).await;
    assert_eq!((r.status, r.code()), (401, "1000006".into()));

    // Wrong digest (another secret), and the hex-text digest variant.
    let wrong = password_digest("A5", &now, "not-the-secret");
    let h = vec![auth.clone(), ("X-WSSE", x_wsse(DEMO_APP_KEY, &wrong, "A5", &now))];
    let r = c.raw("POST", TOKEN_PATH, &h, token_body()).await;
    assert_eq!((r.status, r.code()), (401, "1000001".into()));
    let raw = base64::engine::general_purpose::STANDARD.decode(password_digest("A6", &now, sb.app_secret())).unwrap();
    let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    let hex_digest = base64::engine::general_purpose::STANDARD.encode(hex);
    let h = vec![auth.clone(), ("X-WSSE", x_wsse(DEMO_APP_KEY, &hex_digest, "A6", &now))];
    assert_eq!(c.raw("POST", TOKEN_PATH, &h, token_body()).await.code(), "1000001");

    // Created: not the exact form (fractions, offset, 12-hour style), or out of the window.
    let t = unix_now();
    let iso = cmi_core::wsse::created(t);
    for created in [
        format!("{}.123Z", &iso[..19]),
        format!("{}+00:00", &iso[..19]),
        iso.replace('T', " "),
        cmi_sandbox::clock::compact(t),
        cmi_core::wsse::created(t - 11 * 60),
        cmi_core::wsse::created(t + 11 * 60),
    ] {
        let nonce = format!("C{}", created.len());
        let h = vec![auth.clone(), ("X-WSSE", good(&nonce, &created))];
        let r = c.raw("POST", TOKEN_PATH, &h, token_body()).await;
        assert_eq!((r.status, r.code()), (401, "1000004".into()), "{created}");
        let date = r.headers.get("date").and_then(|d| d.to_str().ok()).unwrap_or_default().to_owned();
        assert!(date.ends_with(" GMT") && date.len() == 29, "{date}");
    }
    // Within the window is fine.
    let h = vec![auth.clone(), ("X-WSSE", good("C-ok", &cmi_core::wsse::created(t - 9 * 60)))];
    assert_eq!(c.raw("POST", TOKEN_PATH, &h, token_body()).await.code(), "0000000");

    // A nonce reused within the window.
    let h = vec![auth.clone(), ("X-WSSE", good("REPLAY", &now))];
    assert_eq!(c.raw("POST", TOKEN_PATH, &h, token_body()).await.code(), "0000000");
    let r = c.raw("POST", TOKEN_PATH, &h, token_body()).await;
    assert_eq!((r.status, r.code()), (401, "1000003".into()));
    sb.shutdown().await;
}

#[tokio::test]
async fn date_header_follows_the_sandbox_clock_skew() {
    let sb = sandbox().await;
    let c = Client::new(&sb);
    sb.fault(cmi_sandbox::Fault::clock_skew(3600)).unwrap();
    let r = c.post("APP_getAccessToken_SBO/v1", &json!({"id": DEMO_APP_KEY, "type": "106"})).await;
    assert_eq!(r.code(), "1000004");
    let date = r.headers["date"].to_str().unwrap().to_owned();
    let expected = cmi_sandbox::clock::http_date(unix_now() + 3600);
    // Same minute, one hour ahead of our clock.
    assert_eq!(&date[..22], &expected[..22], "{date} vs {expected}");
    // A client that corrects its clock by the skew passes.
    let h = c.wsse_at(unix_now() + 3600);
    let r = c.raw("POST", TOKEN_PATH, &h, token_body()).await;
    assert_eq!(r.code(), "0000000");
    sb.shutdown().await;
}

#[tokio::test]
async fn token_issue_and_checks() {
    let sb = Sandbox::builder().token_ttl(Duration::from_secs(2)).start().await.unwrap();
    let mut c = Client::new(&sb);
    let v = c.login().await;
    let token = v["accessToken"].as_str().unwrap().to_owned();
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3);
    let payload: Value =
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    assert_eq!(payload["role"], 106);
    assert!(payload["userid"].as_str().unwrap().len() == 32);
    let exp = v["expireTime"].as_str().unwrap();
    assert_eq!(exp.len(), 14);
    let exp_unix = cmi_core::datetime::DateTime::parse(exp).unwrap().unix_seconds();
    assert!((exp_unix - (unix_now() + 2)).abs() <= 1, "{exp}");

    // Numeric type works; other types and ids do not.
    let r = c.post("APP_getAccessToken_SBO/v1", &json!({"id": DEMO_APP_KEY, "type": 106})).await;
    assert_eq!(r.code(), "0000000");
    let r = c.post("APP_getAccessToken_SBO/v1", &json!({"id": DEMO_APP_KEY, "type": "104"})).await;
    assert_eq!(r.code(), "1000007");
    let r = c.post("APP_getAccessToken_SBO/v1", &json!({"type": "106"})).await;
    assert_eq!(
        (r.code(), r.json()["description"].clone()),
        ("1000005".into(), json!("Mandatory parameter id is empty"))
    );
    let r = c.post("APP_getAccessToken_SBO/v1", &json!({"id": OTHER_APP_KEY, "type": "106"})).await;
    assert_eq!(r.code(), "1000002");

    // The token works, a wrong one and a missing one do not.
    let body = json!({"language": "2"});
    assert_eq!(c.op("query_carriers", body.clone()).await["code"], "0000000");
    let r = c.post("SBO_queryUpccTemplate/v1", &json!({})).await;
    assert_eq!(
        (r.code(), r.json()["msg"].clone()),
        ("1000005".into(), json!("Mandatory parameter accessToken is empty"))
    );
    let r = c.post("SBO_queryUpccTemplate/v1", &json!({"accessToken": "eyJ.bad.token"})).await;
    assert_eq!(r.code(), "1000008");

    // Another channel's token is not ours.
    let mut other = Client::with(&sb.base_url(), OTHER_APP_KEY, OTHER_APP_SECRET);
    other.login().await;
    let r = c.post("SBO_queryUpccTemplate/v1", &json!({"accessToken": other.token})).await;
    assert_eq!(r.code(), "1000008");

    // After the TTL the token is refused with 1000008.
    tokio::time::sleep(Duration::from_millis(2300)).await;
    let r = c.post("SBO_queryUpccTemplate/v1", &json!({"accessToken": token})).await;
    assert_eq!(r.code(), "1000008");
    assert!(r.json()["msg"].as_str().unwrap().contains("expired"));
    sb.shutdown().await;
}

#[tokio::test]
async fn optional_token_interfaces_and_expire_all() {
    let sb = sandbox().await;
    let mut c = Client::new(&sb);
    // 3.2.7 and 3.2.10 accept a missing token but not a wrong one.
    let r = c.post("APP_queryCarrier_SBO/v1", &json!({"language": "2", "mcc": "454"})).await;
    assert_eq!(r.code(), "0000000");
    let r = c.post("APP_queryCarrier_SBO/v1", &json!({"language": "2", "accessToken": "nope"})).await;
    assert_eq!(r.code(), "1000008");
    let r = c.post("SBO_query_SIMInfo/v1", &json!([{"iccid": demo::ICCID_ESIM}])).await;
    assert_eq!(r.code(), "0000000");
    assert_eq!(r.json()["himsis"][0]["iccid"], demo::ICCID_ESIM);
    let r = c.post("SBO_query_SIMInfo/v1", &json!({"querySIMInfoVOList": [{"iccid": demo::ICCID_ESIM}]})).await;
    assert_eq!(r.code(), "0000000");
    let r = c
        .post("SBO_query_SIMInfo/v1", &json!({"querySIMInfoVOList": [{"iccid": demo::ICCID_ESIM}], "accessToken": "x"}))
        .await;
    assert_eq!(r.code(), "1000008");
    // 3.2.8 requires it.
    let r = c.post("APP_getSubscriberAllQuota_SBO/v1", &json!({"iccid": demo::ICCID_ACTIVE})).await;
    assert_eq!(r.code(), "1000005");

    // Expire all tokens now.
    c.login().await;
    assert_eq!(c.op("query_upcc_templates", json!({})).await["code"], "0000000");
    assert_eq!(c.admin_post("tokens/expire", json!({})).await.status, 200);
    assert_eq!(c.op("query_upcc_templates", json!({})).await["code"], "1000008");
    c.login().await;
    assert_eq!(c.op("query_upcc_templates", json!({})).await["code"], "0000000");
    sb.fault(cmi_sandbox::Fault::expire_tokens()).unwrap();
    assert_eq!(c.op("query_upcc_templates", json!({})).await["code"], "1000008");
    sb.shutdown().await;
}

#[tokio::test]
async fn http_level_errors() {
    let sb = sandbox().await;
    let c = Client::new(&sb);
    let h = c.wsse_at(unix_now());
    let r = c.raw("POST", "/aep/APP_noSuchThing_SBO/v1", &h, b"{}".to_vec()).await;
    assert_eq!(r.status, 404);
    let r = c.raw("POST", "/aep/app_createorder_sbo/v1", &h, b"{}".to_vec()).await;
    assert_eq!(r.status, 404, "paths are case-sensitive");
    let r = c.raw("POST", "/elsewhere", &h, b"{}".to_vec()).await;
    assert_eq!(r.status, 404);
    let r = c.raw("GET", "/aep/APP_getAccessToken_SBO/v1", &h, Vec::new()).await;
    assert_eq!(r.status, 405);
    assert_eq!(r.headers["allow"], "POST");
    let r = c.raw("POST", TOKEN_PATH, &c.wsse_at(unix_now()), b"not json".to_vec()).await;
    assert_eq!((r.status, r.code()), (400, "1000007".into()));
    assert_eq!(r.headers["content-type"], "application/json;charset=UTF-8");
    let r = c.raw("POST", TOKEN_PATH, &c.wsse_at(unix_now()), b"[1,2]".to_vec()).await;
    assert_eq!((r.status, r.code()), (400, "1000007".into()));
    sb.shutdown().await;
}

#[tokio::test]
async fn the_fleet_policy_revokes_older_tokens_and_limits_qps() {
    let sb = sandbox().await;
    let mut a = Client::new(&sb);
    let mut b = Client::new(&sb);
    assert_eq!(a.admin_get("policy").await, json!({"revoke_on_reissue": false, "qps_limit": null}));
    let r = a.admin_post("policy", json!({"revoke_on_reissue": true})).await;
    assert_eq!(r.json(), json!({"revoke_on_reissue": true, "qps_limit": null}));
    let body = json!({"iccid": demo::ICCID_ACTIVE});

    // b's new token revokes a's.
    assert_eq!(a.op("query_quota", body.clone()).await["code"], "0000000");
    b.login().await;
    assert_eq!(a.op("query_quota", body.clone()).await["code"], "1000008");
    assert_eq!(b.op("query_quota", body.clone()).await["code"], "0000000");

    // The limit counts accepted calls in the last second; the admin API does not count.
    assert_eq!(a.admin_post("policy", json!({"qps_limit": 2})).await.status, 200);
    let codes: Vec<Value> = codes_of_calls(&mut b, &body, 4).await;
    assert!(codes.iter().any(|c| c == "9000004"), "{codes:?}");
    let stats = b.admin_get("stats").await;
    assert_eq!(stats["token_rejections"], 1);
    assert!(stats["qps_rejections"].as_u64().unwrap() >= 1, "{stats}");
    assert!(stats["peak_qps"].as_u64().unwrap() >= 4, "{stats}");
    assert_eq!(a.admin_post("policy", json!({"qps_limit": -1})).await.status, 400);
    assert_eq!(sb.policy(), cmi_sandbox::PolicyView { revoke_on_reissue: true, qps_limit: Some(2) });
}

async fn codes_of_calls(c: &mut Client, body: &Value, n: usize) -> Vec<Value> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(c.op("query_quota", body.clone()).await["code"].clone());
    }
    out
}
