//! The service on a real socket against clients that hold connections
//! (slowloris): headers that never finish are cut off after the header
//! timeout, connections over the per-address cap are closed at once, and
//! a well-behaved client is served once they are gone.

mod common;

use common::*;
use std::time::{Duration, Instant};
use terminus_server::Config;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Whether the server closes `s` within `within` (reads to EOF or error).
async fn closed_within(s: &mut tokio::net::TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 512];
    loop {
        match tokio::time::timeout(within, s.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue, // a 408 or similar before closing
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_headers_are_cut_off_and_connections_capped_per_address() {
    // The fixture's record, served on a socket by a service of its own.
    let f = fixture(Config::default());
    let store = terminus_ledger::store::SqliteStore::open(&f.path, "AM-AZ").unwrap();
    let served = terminus_server::Service::new(
        Box::new(store),
        Config {
            header_timeout_s: 1,
            max_connections_per_address: 4,
            ..Config::default()
        },
    )
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(terminus_server::serve(served, listener));

    let t = Instant::now();
    let mut held = Vec::new();
    for _ in 0..6 {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        // Headers begun, never finished.
        s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            .await
            .unwrap();
        held.push(s);
    }
    // The fifth and sixth are over the cap: closed at once.
    for s in held.iter_mut().skip(4) {
        assert!(closed_within(s, Duration::from_millis(500)).await);
    }
    // The first four are cut off by the header timeout (1 s), not held.
    for s in held.iter_mut().take(4) {
        assert!(closed_within(s, Duration::from_secs(5)).await);
    }
    assert!(
        t.elapsed() >= Duration::from_millis(900),
        "{:?}",
        t.elapsed()
    );
    // Then a whole request is served.
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /conformance HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut reply = String::new();
    s.read_to_string(&mut reply).await.unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
}
