//! The service's benchmark helpers (bench/serve.sh drives them):
//!
//! - `fixture DIR`: a store with an agreed section carrying a
//!   1,000-pillar catalogue (the 1,000-feature collection wrk reads), the
//!   members' keys, and a token for `wrk`;
//! - `append ADDR DIR N`: N events signed one after another and appended
//!   over one keep-alive HTTP connection, each acknowledged (201) before
//!   the next: signature check, log update and durable commit per event.
//!   Prints events per second and latency percentiles.

use serde_json::json;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Instant;
use terminus_ledger::keys::MemberKey;
use terminus_ledger::record::{section_terms, Member, Record};
use terminus_ledger::store::SqliteStore;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match (args.get(1).map(String::as_str), args.len()) {
        (Some("fixture"), 3) => fixture(std::path::Path::new(&args[2])),
        (Some("append"), 5) => match args[4].parse() {
            Ok(n) if n > 0 => append(&args[2], std::path::Path::new(&args[3]), n),
            _ => eprintln!("N: a positive whole number"),
        },
        _ => eprintln!("usage: serve_bench fixture DIR | append ADDR DIR N"),
    }
}

fn fixture(dir: &std::path::Path) {
    std::fs::create_dir_all(dir).unwrap();
    let (arm, aze) = (MemberKey::generate(), MemberKey::generate());
    let mut r = Record::found(
        "AM-AZ",
        &[
            Member::new("arm-head", "ARM", "head", &arm),
            Member::new("aze-head", "AZE", "head", &aze),
        ],
        ("arm-head", &arm),
        "2026-11-28T10:00:00Z",
    );
    // A line of 1,000 pillars about 400 m apart.
    let pillars: Vec<(f64, f64)> = (0..1000)
        .map(|i| {
            let t = i as f64;
            (45.0 + t * 0.005, 41.0 + (t * 0.01).sin() * 0.01)
        })
        .collect();
    let terms = section_terms(
        "North",
        &terminus_model::Crs::WGS84,
        9,
        &pillars,
        "bench",
        "Protocol",
    );
    r.append(
        "agreement",
        json!({"terms": terms}),
        ("arm-head", &arm),
        "2026-11-28T12:00:00Z",
    );
    r.append(
        "agreement",
        json!({"terms": terms}),
        ("aze-head", &aze),
        "2026-11-28T12:00:00Z",
    );
    let sha = terminus_ledger::record::verify(&r).unwrap().agreed["North"]
        .terms_sha256
        .clone();
    let list: Vec<_> = pillars
        .iter()
        .enumerate()
        .map(|(i, p)| json!({"number": format!("{}", i + 1), "lon": p.0, "lat": p.1, "type": "main"}))
        .collect();
    r.append(
        "attachment",
        json!({"section": "North", "what": "pillar_catalogue", "terms_sha256": sha, "replaces": null, "pillars": list}),
        ("aze-head", &aze),
        "2026-11-28T12:00:00Z",
    );
    let path = dir.join("bench.sqlite");
    let _ = std::fs::remove_file(&path);
    let mut s = SqliteStore::open(&path, "AM-AZ").unwrap();
    terminus_ledger::store::RecordStore::keep(&mut s, &r).unwrap();
    std::fs::write(dir.join("arm-head.secret"), arm.secret_hex()).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    std::fs::write(
        dir.join("token"),
        terminus_ledger::token::issue(&aze, "AM-AZ", "aze-head", now + 86_400),
    )
    .unwrap();
    println!("{}", path.display());
}

fn append(addr: &str, dir: &std::path::Path, n: usize) {
    let secret = std::fs::read_to_string(dir.join("arm-head.secret")).unwrap();
    let arm = MemberKey::from_secret_hex(secret.trim()).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let token = terminus_ledger::token::issue(&arm, "AM-AZ", "arm-head", now + 3600);
    // The record as the server holds it (read-only: the server owns it).
    let mut record = terminus_ledger::store::load_record(&dir.join("bench.sqlite")).unwrap();
    let stream = TcpStream::connect(addr).unwrap();
    stream.set_nodelay(true).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    let mut lat = Vec::with_capacity(n);
    let start = Instant::now();
    for i in 0..n {
        let t0 = Instant::now();
        record.append(
            "comment",
            json!({"section": "North", "text": format!("bench note {i}")}),
            ("arm-head", &arm),
            "2026-11-28T12:00:00Z",
        );
        let body = serde_json::to_string(record.events.last().unwrap()).unwrap();
        write!(
            writer,
            "POST /api/events HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        let mut len = 0;
        loop {
            let mut h = String::new();
            reader.read_line(&mut h).unwrap();
            if h == "\r\n" || h.is_empty() {
                break;
            }
            if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
                len = v.trim().parse().unwrap();
            }
        }
        let mut b = vec![0; len];
        reader.read_exact(&mut b).unwrap();
        assert!(
            status.contains(" 201 "),
            "{status}{}",
            String::from_utf8_lossy(&b)
        );
        lat.push(t0.elapsed().as_secs_f64() * 1e3);
    }
    let secs = start.elapsed().as_secs_f64();
    lat.sort_by(f64::total_cmp);
    let p = |q: f64| lat[((lat.len() - 1) as f64 * q) as usize];
    println!(
        "appended {n} events in {secs:.2} s: {:.0} events/s; latency ms p50 {:.2}, p99 {:.2}, max {:.2}",
        n as f64 / secs,
        p(0.5),
        p(0.99),
        lat[lat.len() - 1]
    );
}
