//! `terminus serve` as real clients meet it: GDAL's OGC API – Features
//! driver reads the layers, and a server killed with SIGKILL in the middle
//! of a stream of writes loses none it acknowledged.

use serde_json::json;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use terminus_ledger::keys::MemberKey;
use terminus_ledger::record::{section_terms, Event, Member, Record};
use terminus_ledger::store::SqliteStore;

struct Commission {
    arm: MemberKey,
    aze: MemberKey,
    record: Record,
}

/// A commission whose "North" section is agreed on `line`.
fn commission(line: &[(f64, f64)]) -> Commission {
    let (arm, aze) = (MemberKey::generate(), MemberKey::generate());
    let mut record = Record::found(
        "AM-AZ",
        &[
            Member::new("arm-head", "ARM", "head", &arm),
            Member::new("aze-head", "AZE", "head", &aze),
        ],
        ("arm-head", &arm),
        "2026-11-28T10:00:00Z",
    );
    let terms = section_terms(
        "North",
        &terminus_model::Crs::WGS84,
        9,
        line,
        "compromise median",
        "Protocol …",
    );
    record.append(
        "agreement",
        json!({ "terms": terms }),
        ("arm-head", &arm),
        "2026-11-28T12:00:00Z",
    );
    record.append(
        "agreement",
        json!({ "terms": terms }),
        ("aze-head", &aze),
        "2026-11-28T12:00:00Z",
    );
    Commission { arm, aze, record }
}

fn store(dir: &std::path::Path, r: &Record) -> std::path::PathBuf {
    let path = dir.join("am-az.sqlite");
    let mut s = SqliteStore::open(&path, "AM-AZ").unwrap();
    terminus_ledger::store::RecordStore::keep(&mut s, r).unwrap();
    path
}

/// Start `terminus serve` on a free port; the child and its address.
fn serve(store: &std::path::Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_terminus"))
        .args([
            "serve",
            "--store",
            store.to_str().unwrap(),
            "--commission",
            "AM-AZ",
            "--listen",
            "127.0.0.1:0",
            "--rate-limit",
            "100000",
            "--burst",
            "100000",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let at = line.find("http://").unwrap_or_else(|| panic!("{line}"));
    let addr = line[at + 7..].split('/').next().unwrap().to_string();
    (child, addr)
}

/// One HTTP/1.1 request; status and body (None if the connection failed).
fn http(addr: &str, method: &str, path: &str, token: &str, body: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(addr).ok()?;
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    let status = out.split(' ').nth(1)?.parse().ok()?;
    let body = out.split_once("\r\n\r\n").map(|x| x.1.to_string())?;
    Some((status, body))
}

fn token(key: &MemberKey, member: &str) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    terminus_ledger::token::issue(key, "AM-AZ", member, now + 3600)
}

/// The bundled Natural Earth 5.1.1 Armenia–Azerbaijan line's first part.
fn bundled_line() -> Vec<(f64, f64)> {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/naturalearth10m_ARM_AZE_shared.geojson");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let g = &v["features"][0]["geometry"];
    let c = if g["type"] == "LineString" {
        &g["coordinates"]
    } else {
        &g["coordinates"][0]
    };
    c.as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
        .collect()
}

#[test]
fn gdal_reads_the_agreed_line_over_ogc_api_features() {
    if Command::new("ogrinfo").arg("--version").output().is_err() {
        eprintln!(
            "ogrinfo (Debian gdal-bin) is not installed: GDAL's OGC API driver was not tried"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let line = bundled_line();
    let c = commission(&line);
    let path = store(dir.path(), &c.record);
    let (mut child, addr) = serve(&path);
    let header = format!("Authorization: Bearer {}", token(&c.aze, "aze-head"));
    let out = Command::new("ogrinfo")
        .args(["-ro", "-so", &format!("OAPIF:http://{addr}/")])
        .env("GDAL_HTTP_HEADERS", &header)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for layer in ["sections", "proposals", "agreed_line", "pillars"] {
        assert!(
            text.contains(&format!(": {layer}")),
            "{layer} not listed: {text}"
        );
    }
    let geojson = dir.path().join("agreed.geojson");
    let out = Command::new("ogr2ogr")
        .args([
            "-f",
            "GeoJSON",
            "-lco",
            "COORDINATE_PRECISION=9",
            geojson.to_str().unwrap(),
            &format!("OAPIF:http://{addr}/"),
            "agreed_line",
        ])
        .env("GDAL_HTTP_HEADERS", &header)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&geojson).unwrap()).unwrap();
    let features = v["features"].as_array().unwrap();
    assert_eq!(features.len(), 1);
    let got = features[0]["geometry"]["coordinates"].as_array().unwrap();
    assert_eq!(got.len(), line.len());
    // The terms hold 9 decimals; GDAL hands back the same to 1e-9°.
    let worst = got
        .iter()
        .zip(&line)
        .map(|(g, l)| {
            (g[0].as_f64().unwrap() - l.0)
                .abs()
                .max((g[1].as_f64().unwrap() - l.1).abs())
        })
        .fold(0.0, f64::max);
    assert!(worst <= 1.0e-9 + 1e-12, "worst {worst}°");
    assert_eq!(features[0]["properties"]["section"], "North");
    // Without a token GDAL is refused, with the reason.
    let out = Command::new("ogrinfo")
        .args([
            "-ro",
            "-so",
            &format!("OAPIF:http://{addr}/"),
            "agreed_line",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn a_server_killed_mid_stream_keeps_every_write_it_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let c = commission(&[(45.0, 41.0), (45.1, 41.1)]);
    let path = store(dir.path(), &c.record);
    let (mut child, addr) = serve(&path);
    let t = token(&c.arm, "arm-head");
    // The writer signs comment after comment, each linked to the one
    // before, and notes which the server acknowledged (201).
    let mut record = c.record.clone();
    let acked = std::sync::Arc::new(std::sync::Mutex::new(Vec::<Event>::new()));
    let writer = {
        let acked = acked.clone();
        let addr = addr.clone();
        let key = MemberKey::from_secret_hex(&c.arm.secret_hex()).unwrap();
        std::thread::spawn(move || {
            for i in 0..100_000 {
                record.append(
                    "comment",
                    json!({"section": "North", "text": format!("note {i}")}),
                    ("arm-head", &key),
                    "2026-11-28T12:00:00Z",
                );
                let e = record.events.last().unwrap().clone();
                match http(
                    &addr,
                    "POST",
                    "/api/events",
                    &t,
                    &serde_json::to_string(&e).unwrap(),
                ) {
                    Some((201, _)) => acked.lock().unwrap().push(e),
                    Some((status, body)) => panic!("{status}: {body}"),
                    None => return i,
                }
            }
            100_000
        })
    };
    // Let some writes through, then kill the server (SIGKILL).
    let start = std::time::Instant::now();
    while acked.lock().unwrap().len() < 200 && start.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let sent = writer.join().unwrap();
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 200,
        "only {} writes acknowledged",
        acked.len()
    );
    assert!(sent < 100_000, "the writer never saw the server die");
    // Restart: the store opens (it replays and verifies everything), and
    // every acknowledged event is there, byte for byte.
    let (mut child, addr) = serve(&path);
    let t = token(&c.aze, "aze-head");
    let (status, body) = http(&addr, "GET", "/api/events?limit=10000", &t, "").unwrap();
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let events: Vec<Event> = serde_json::from_value(v["events"].clone()).unwrap();
    for e in &acked {
        let kept = events
            .get(e.seq as usize)
            .unwrap_or_else(|| panic!("acknowledged event {} lost", e.seq));
        assert_eq!(kept.leaf(), e.leaf(), "event {} changed", e.seq);
    }
    // At most the one write in flight at the kill may be kept unacknowledged.
    assert!(events.len() <= 3 + acked.len() + 1);
    child.kill().unwrap();
    child.wait().unwrap();
    let record = terminus_ledger::store::load_record(&path).unwrap();
    terminus_ledger::record::verify(&record).unwrap();
    eprintln!(
        "{} writes acknowledged before SIGKILL, {} events kept",
        acked.len(),
        record.events.len()
    );
}

#[test]
fn a_commission_kept_in_postgresql_is_signed_into_and_served() {
    let Ok(base) = std::env::var("TERMINUS_TEST_POSTGRES") else {
        eprintln!("TERMINUS_TEST_POSTGRES is not set: the PostgreSQL store was not served (.ci/run sets it)");
        return;
    };
    let schema = format!("cli{}", std::process::id());
    let mut admin = postgres::Client::connect(&base, postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!(
            "BEGIN; SELECT pg_advisory_xact_lock(7250001); CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public; COMMIT;
             DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema};"
        ))
        .unwrap();
    let store = format!("{base} options='-c search_path={schema},public'");
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n).display().to_string();
    founding_member(dir.path());
    std::fs::write(
        p("line.geojson"),
        json!({"type": "LineString", "coordinates": [[45.0, 41.0], [45.1, 41.1], [45.2, 41.15]]})
            .to_string(),
    )
    .unwrap();
    let common = [
        "--key",
        &p("arm.key"),
        "--store",
        &store,
        "--commission",
        "AM-AZ",
    ];
    let (members, line) = (p("members.json"), p("line.geojson"));
    let mut a = vec!["sign", "commission", "--body", &members];
    a.extend(common);
    run(&a);
    let mut a = vec!["sign", "proposal", "--section", "North", "--line", &line];
    a.extend(common);
    run(&a);
    let out = run(&[
        "keys",
        "token",
        "--key",
        &p("arm.key"),
        "--commission",
        "AM-AZ",
    ]);
    let t = out.trim().to_string();
    let (mut child, addr) = serve(std::path::Path::new(&store));
    let (status, body) = http(&addr, "GET", "/collections/proposals/items", &t, "").unwrap();
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["numberMatched"], 1);
    assert_eq!(
        v["features"][0]["geometry"]["coordinates"][2],
        json!([45.2, 41.15])
    );
    // A second service on the same database: each takes the other's
    // appends in (within a second for reads; at once for a write).
    let (mut second, addr2) = serve(std::path::Path::new(&store));
    let key = p("arm.key");
    let local = p("local.sqlite");
    let post_comment = |at: &str, text: &str| {
        let (_, body) = http(at, "GET", "/api/tree-head", &t, "").unwrap();
        let head: serde_json::Value = serde_json::from_str(&body).unwrap();
        let (seq, prev) = (
            head["next"]["seq"].to_string(),
            head["next"]["prev"].as_str().unwrap().to_string(),
        );
        let body = p("comment.json");
        std::fs::write(&body, json!({"section": "North", "text": text}).to_string()).unwrap();
        let e = run(&[
            "sign",
            "comment",
            "--body",
            &body,
            "--key",
            &key,
            "--store",
            &local,
            "--commission",
            "AM-AZ",
            "--print",
            "--seq",
            &seq,
            "--prev",
            &prev,
        ]);
        http(at, "POST", "/api/events", &t, e.trim()).unwrap()
    };
    let (status, body) = post_comment(&addr, "via the first service");
    assert_eq!(status, 201, "{body}");
    // The second service's watcher took it in: its log (which does not
    // refresh by itself) shows it.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let (_, body) = http(&addr2, "GET", "/api/events", &t, "").unwrap();
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["size"], 3, "{v}");
    let (status, body) = post_comment(&addr2, "via the second service");
    assert_eq!(status, 201, "{body}");
    // Writes through either, one after the other without waiting: each
    // service takes the other's event in before checking its own.
    let (status, body) = post_comment(&addr2, "again via the second");
    assert_eq!(status, 201, "{body}");
    let (status, body) = post_comment(&addr, "and via the first at once");
    assert_eq!(status, 201, "{body}");
    second.kill().unwrap();
    second.wait().unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    let n: i64 = admin
        .query_one(
            &format!("SELECT count(*) FROM {schema}.terminus_events"),
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(n, 6);
    // The line is PostGIS geometry in the database.
    let n: i32 = admin
        .query_one(
            &format!("SELECT ST_NPoints(geom) FROM {schema}.terminus_events WHERE seq = 1"),
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(n, 3);
    admin
        .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
        .unwrap();
}

#[test]
fn a_member_signs_on_their_machine_and_posts_to_the_service() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n).display().to_string();
    founding_member(dir.path());
    std::fs::write(
        p("line.geojson"),
        json!({"type": "LineString", "coordinates": [[45.0, 41.0], [45.1, 41.1]]}).to_string(),
    )
    .unwrap();
    // The member's local copy founds the commission; the service keeps
    // its own copy (a bundle moved it there).
    let (local, served) = (p("local.sqlite"), p("served.sqlite"));
    let members = p("members.json");
    run(&[
        "sign",
        "commission",
        "--body",
        &members,
        "--key",
        &p("arm.key"),
        "--store",
        &local,
        "--commission",
        "AM-AZ",
    ]);
    std::fs::copy(&local, &served).unwrap();
    let (mut child, addr) = serve(std::path::Path::new(&served));
    let t = run(&[
        "keys",
        "token",
        "--key",
        &p("arm.key"),
        "--commission",
        "AM-AZ",
    ])
    .trim()
    .to_string();
    let (status, body) = http(&addr, "GET", "/api/tree-head", &t, "").unwrap();
    assert_eq!(status, 200, "{body}");
    let head: serde_json::Value = serde_json::from_str(&body).unwrap();
    let (seq, prev) = (
        head["next"]["seq"].to_string(),
        head["next"]["prev"].as_str().unwrap().to_string(),
    );
    let line = p("line.geojson");
    let event = run(&[
        "sign",
        "proposal",
        "--section",
        "North",
        "--line",
        &line,
        "--key",
        &p("arm.key"),
        "--store",
        &local,
        "--commission",
        "AM-AZ",
        "--print",
        "--seq",
        &seq,
        "--prev",
        &prev,
    ]);
    let (status, body) = http(&addr, "POST", "/api/events", &t, event.trim()).unwrap();
    assert_eq!(status, 201, "{body}");
    let draft = run(&[
        "sign",
        "draft",
        "--section",
        "North",
        "--line",
        &line,
        "--draft-kind",
        "counter_proposal",
        "--key",
        &p("arm.key"),
        "--store",
        &local,
        "--commission",
        "AM-AZ",
        "--print",
    ]);
    let (status, body) = http(&addr, "POST", "/api/drafts", &t, draft.trim()).unwrap();
    assert_eq!(status, 201, "{body}");
    let (status, body) = http(&addr, "GET", "/collections/proposals/items", &t, "").unwrap();
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let statuses: Vec<&str> = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["shared", "draft"]);
    child.kill().unwrap();
    child.wait().unwrap();
    // The local store is untouched by --print.
    let record = terminus_ledger::store::load_record(std::path::Path::new(&local)).unwrap();
    assert_eq!(record.events.len(), 1);
}

/// `terminus` with `args`, which must succeed; its standard output.
fn run(args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_terminus"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// ARM's head makes a key (arm.key) and the founding member list
/// (members.json) in `dir`, as a commission starts.
fn founding_member(dir: &std::path::Path) {
    let key = dir.join("arm.key").display().to_string();
    let out = run(&[
        "keys", "new", "--member", "arm-head", "--out", &key, "--json",
    ]);
    let public: serde_json::Value = serde_json::from_str(&out).unwrap();
    std::fs::write(
        dir.join("members.json"),
        json!({"members": [{"id": "arm-head", "party": "ARM", "role": "head", "public_key": public["public_key"]}]}).to_string(),
    )
    .unwrap();
}
