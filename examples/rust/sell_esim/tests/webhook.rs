//! The callback receiver of `src/webhook.rs`: fed requests signed the way CMI signs them, and
//! behind a loopback HTTP server, the sandbox's own deliveries.

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

mod over_http {
    //! The same receiver behind a minimal HTTP/1.1 server on loopback, fed by the sandbox's
    //! real, signed deliveries of all three callbacks.

    use super::*;
    use cmi_core::api::orders::CreateOrderRequest;
    use cmi_core::callbacks::CallbackReceiver;
    use cmi_core::{Client, Config};
    use cmi_sandbox::{DeliveryState, EsimAction, Sandbox, demo};
    use std::sync::{Arc, Mutex};
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};

    type Seen = Arc<Mutex<Vec<String>>>;

    /// Serves one keep-alive connection: each request goes through `on_request`.
    async fn serve(mut stream: TcpStream, rx: Arc<CallbackReceiver>, seen: Seen) {
        let peer = stream.peer_addr().ok().map(|a| a.ip());
        let mut buf = Vec::new();
        loop {
            let head_end = loop {
                if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    break i;
                }
                let mut chunk = [0u8; 4096];
                match stream.read(&mut chunk).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            };
            let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
            let headers: Vec<(String, String)> = head
                .split("\r\n")
                .skip(1)
                .filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned())))
                .collect();
            let len = cmi_core::transport::find_header(&headers, "content-length")
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0);
            buf.drain(..head_end + 4);
            while buf.len() < len {
                let mut chunk = [0u8; 4096];
                match stream.read(&mut chunk).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            }
            let body: Vec<u8> = buf.drain(..len).collect();
            let reply = {
                let mut seen = seen.lock().expect("lock");
                on_request(&rx, peer, &headers, &body, &mut seen)
            };
            let answer = format!(
                "HTTP/1.1 {} X\r\nContent-Type: {}\r\nContent-Length: {}\r\n\r\n",
                reply.status,
                reply.content_type,
                reply.body.len()
            );
            if stream.write_all(answer.as_bytes()).await.is_err() || stream.write_all(&reply.body).await.is_err() {
                return;
            }
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_sandboxs_callbacks_are_verified_handled_and_acknowledged() {
        let sb = Sandbox::builder().callback_retry(3, Duration::from_millis(50)).start().await.expect("sandbox");
        let rx = Arc::new(receiver(DEMO_APP_KEY, Secret::new(DEMO_APP_SECRET)).expect("receiver"));
        let seen: Seen = Arc::default();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}/cmi/callbacks", listener.local_addr().expect("addr"));
        let (rx2, seen2) = (rx.clone(), seen.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, rx2.clone(), seen2.clone()));
            }
        });
        sb.register_callback_url(&url).expect("register");

        // A sale that makes the platform call back: eSIM installed, bundle activated, data used.
        let card = demo::ICCID_STOCK[0];
        let client = Client::new(Config::new(sb.base_url(), sb.app_key(), sb.app_secret())).expect("client");
        let order = CreateOrderRequest::bundle("hook-1", card, demo::BUNDLE_HK_MO_5GB, 1);
        assert!(client.create_order_once(&order, "hook-1").await.is_success());
        sb.esim_action(card, EsimAction::Install).expect("install");
        sb.advance_clock(Duration::from_secs(3600));

        let settled = async {
            while sb.deliveries().iter().any(|d| d.state == DeliveryState::Pending) {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        };
        tokio::time::timeout(Duration::from_secs(10), settled).await.expect("deliveries settle");
        let deliveries = sb.deliveries();
        for kind in ["activation", "usage", "esim_status"] {
            assert!(deliveries.iter().any(|d| d.kind == kind), "no {kind} delivery: {deliveries:?}");
        }
        assert!(deliveries.iter().all(|d| d.state == DeliveryState::Delivered), "{deliveries:?}");
        let seen = seen.lock().expect("lock").clone();
        assert!(seen.contains(&format!("{} active on {card}", demo::BUNDLE_HK_MO_5GB)), "{seen:?}");
        assert!(seen.iter().any(|s| s.starts_with(&format!("{card} is "))), "{seen:?}");
        sb.shutdown().await;
    }
}
