//! Events appended to an SQLite store per second: each signed by its
//! author, checked (signature, chain, membership) and committed durably
//! (WAL, synchronous FULL) one at a time. Usage: append_rate [EVENTS]
use serde_json::json;
use std::time::Instant;
use terminus_ledger::keys::MemberKey;
use terminus_ledger::record::{canonical_raw, Event, Member, Record};
use terminus_ledger::store::SqliteStore;

fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let dir = std::env::temp_dir().join(format!("terminus-append-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("record.sqlite");
    let key = MemberKey::generate();
    let founder = Member::new("arm-head", "ARM", "head", &key);
    let r = Record::found(
        "AM-AZ",
        &[founder],
        ("arm-head", &key),
        "2026-11-28T11:00:00Z",
    );
    let mut s = SqliteStore::open(&path, "AM-AZ").unwrap();
    s.append(&r.events[0]).unwrap();
    let t = Instant::now();
    for i in 1..=n {
        let mut e = Event {
            seq: s.len(),
            commission: "AM-AZ".into(),
            kind: "comment".into(),
            author: "arm-head".into(),
            time: format!("t{i}"),
            prev: s.prev().to_string(),
            body: canonical_raw(
                &json!({"text": "survey note", "i": i, "line": [[45.1318, 41.07935], [45.17, 41.05]]}),
            ),
            signature: String::new(),
        };
        e.signature = key.sign(&e.signed_bytes());
        s.append(&e).unwrap();
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{n} events in {secs:.2} s: {:.0} events/s (sign, verify, durable commit each)",
        n as f64 / secs
    );
    drop(s);
    let t = Instant::now();
    let s = SqliteStore::open(&path, "AM-AZ").unwrap();
    println!(
        "reopen and replay {} events: {:.3} s",
        s.len(),
        t.elapsed().as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
