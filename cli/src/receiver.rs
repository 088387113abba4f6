//! A minimal webhook receiver for the demo: accepts the platform's callbacks on loopback,
//! parses them with the SDK and acknowledges each with the body its type needs.

use cmi_core::callbacks::{ParsedNotification, parse_notification};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Requests larger than this are refused (the SDK's own limit is lower still).
const MAX_REQUEST: usize = 1 << 20;

/// What the receiver has seen.
#[derive(Default, Clone)]
pub struct Inbox(Arc<Mutex<Vec<ParsedNotification>>>);

impl Inbox {
    pub fn take(&self) -> Vec<ParsedNotification> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
    fn push(&self, n: ParsedNotification) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push(n);
    }
}

/// Starts the receiver on a free loopback port; returns its base URL and inbox.
pub async fn start() -> std::io::Result<(String, Inbox)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let inbox = Inbox::default();
    let served = inbox.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve(stream, served.clone()));
        }
    });
    Ok((url, inbox))
}

async fn serve(mut stream: TcpStream, inbox: Inbox) {
    let mut buf = Vec::new();
    loop {
        let Some(head_end) = read_head(&mut stream, &mut buf).await else { return };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
        let headers: Vec<(String, String)> = head
            .split("\r\n")
            .skip(1)
            .filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned())))
            .collect();
        let len = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse::<usize>().ok())
            .unwrap_or(0);
        if len > MAX_REQUEST {
            let _ = reply(&mut stream, 413, b"{}").await;
            return;
        }
        buf.drain(..head_end + 4);
        while buf.len() < len {
            let mut chunk = [0u8; 8192];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let body: Vec<u8> = buf.drain(..len).collect();
        let (status, answer) = match parse_notification(&headers, &body) {
            Ok(n) => {
                let ack = n.ack_body();
                inbox.push(n);
                (200, ack)
            }
            Err(_) => (400, br#"{"code":"1","description":"unreadable notification"}"#.to_vec()),
        };
        if reply(&mut stream, status, &answer).await.is_err() {
            return;
        }
    }
}

async fn read_head(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<usize> {
    loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            return Some(i);
        }
        if buf.len() > MAX_REQUEST {
            return None;
        }
        let mut chunk = [0u8; 8192];
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

async fn reply(stream: &mut TcpStream, status: u16, body: &[u8]) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Length: {}\r\n\r\n",
        if status == 200 { "OK" } else { "Error" },
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await
}
