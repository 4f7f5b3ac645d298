//! The web workspace's benchmark helpers (bench/web.sh drives them):
//!
//! - `fixture DIR A.geojson B.geojson`: a commission (AM-AZ, both heads)
//!   whose section "Border" ARM proposes with line A and AZE
//!   counter-proposes with line B (the 1,000,000-vertex lines of
//!   bench/compare-1m.sh), with the heads' key files;
//! - `tiles DIR`: the vector tiles of the proposals along both lines at
//!   zooms 5 to 14, asked of the service in process (no network), each
//!   timed: the first (which projects and indexes the lines) apart, then
//!   per zoom the median, 95th percentile and largest, and the tiles'
//!   sizes.

use serde_json::json;
use std::path::Path;
use std::time::Instant;
use terminus_ledger::keys::MemberKey;
use terminus_ledger::record::{Member, Record};
use terminus_ledger::store::{RecordStore, SqliteStore};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match (args.get(1).map(String::as_str), args.len()) {
        (Some("fixture"), 5) => fixture(Path::new(&args[2]), &args[3], &args[4]),
        (Some("tiles"), 3) => tiles(Path::new(&args[2])),
        _ => eprintln!("usage: web_bench fixture DIR A.geojson B.geojson | tiles DIR"),
    }
}

/// Every part of the line file, each a list of [lon, lat].
fn parts(path: &str) -> Vec<Vec<[f64; 2]>> {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("the line file"))
            .expect("GeoJSON");
    let geoms: Vec<serde_json::Value> = if v["type"] == "FeatureCollection" {
        v["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["geometry"].clone())
            .collect()
    } else if v["type"] == "Feature" {
        vec![v["geometry"].clone()]
    } else {
        vec![v]
    };
    let pts = |c: &serde_json::Value| -> Vec<[f64; 2]> {
        c.as_array()
            .unwrap()
            .iter()
            .map(|p| [p[0].as_f64().unwrap(), p[1].as_f64().unwrap()])
            .collect()
    };
    let mut out = Vec::new();
    for g in geoms {
        match g["type"].as_str() {
            Some("LineString") => out.push(pts(&g["coordinates"])),
            Some("MultiLineString") => {
                out.extend(g["coordinates"].as_array().unwrap().iter().map(pts))
            }
            other => panic!("{path}: lines, not {other:?}"),
        }
    }
    out
}

fn fixture(dir: &Path, a: &str, b: &str) {
    std::fs::create_dir_all(dir.join("keys")).unwrap();
    let (arm, aze) = (MemberKey::generate(), MemberKey::generate());
    for (id, k) in [("arm-head", &arm), ("aze-head", &aze)] {
        let file = json!({"member": id, "algorithm": "Ed25519", "secret": k.secret_hex(), "public": k.public_hex()});
        std::fs::write(dir.join("keys").join(format!("{id}.key")), file.to_string()).unwrap();
    }
    let mut r = Record::found(
        "AM-AZ",
        &[
            Member::new("arm-head", "ARM", "head", &arm),
            Member::new("aze-head", "AZE", "head", &aze),
        ],
        ("arm-head", &arm),
        "2026-12-01T09:00:00Z",
    );
    // Each piece of each line its own section (a proposal is one line):
    // ARM proposes A's pieces, AZE B's.
    let (pa, pb) = (parts(a), parts(b));
    let count = |p: &[Vec<[f64; 2]>]| p.iter().map(Vec::len).sum::<usize>();
    eprintln!(
        "lines: {} vertices in {} pieces and {} in {}",
        count(&pa),
        pa.len(),
        count(&pb),
        pb.len()
    );
    for (who, key, kind, pieces, text) in [
        (
            "arm-head",
            &arm,
            "proposal",
            &pa,
            "OSM densified every metre (bench)",
        ),
        (
            "aze-head",
            &aze,
            "proposal",
            &pb,
            "DCW densified every metre (bench)",
        ),
    ] {
        for (i, line) in pieces.iter().enumerate() {
            let section = format!(
                "{} piece {}",
                if who == "arm-head" { "A" } else { "B" },
                i + 1
            );
            r.append(
                kind,
                json!({"section": section, "crs": "EPSG:4326", "line": line, "source": {"text": text, "transformation": []}}),
                (who, key),
                "2026-12-01T10:00:00Z",
            );
        }
    }
    // The lines, for `tiles` to walk along.
    std::fs::write(
        dir.join("lines.json"),
        json!({"a": pa, "b": pb}).to_string(),
    )
    .unwrap();
    let path = dir.join("bench.sqlite");
    let _ = std::fs::remove_file(&path);
    let mut store = SqliteStore::open(&path, "AM-AZ").unwrap();
    store.keep(&r).unwrap();
    println!("{}", path.display());
}

fn tiles(dir: &Path) {
    use axum::body::Body;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let store = SqliteStore::open(&dir.join("bench.sqlite"), "AM-AZ").unwrap();
    let key_file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("keys/arm-head.key")).unwrap())
            .unwrap();
    let key = MemberKey::from_secret_hex(key_file["secret"].as_str().unwrap()).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let token = terminus_ledger::token::issue(&key, "AM-AZ", "arm-head", now + 3600);
    let service = std::sync::Arc::new(
        terminus_server::Service::new(
            Box::new(store),
            terminus_server::Config {
                rate_per_s: 1e9,
                burst: 1e9,
                ..Default::default()
            },
        )
        .unwrap(),
    );
    // The record's views alone (each event's body read, its line as GeoJSON).
    let t = Instant::now();
    {
        let live = service.read_live();
        let _ = terminus_ledger::views::layers(&live.events, &live.replay);
    }
    println!(
        "views of the record: {:.1} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    // The record's collections derived (the GeoJSON of every item), apart.
    let t = Instant::now();
    let _ = service.collections();
    println!(
        "collections derived from the record: {:.1} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let app = terminus_server::router(service.clone());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let get = |uri: String| -> (f64, usize) {
        rt.block_on(async {
            let req = axum::http::Request::builder()
                .uri(&uri)
                .header("host", "bench.invalid")
                .header("authorization", format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap();
            let t = Instant::now();
            let res = app.clone().oneshot(req).await.unwrap();
            assert_eq!(res.status(), 200, "{uri}");
            let n = res.into_body().collect().await.unwrap().to_bytes().len();
            (t.elapsed().as_secs_f64() * 1000.0, n)
        })
    };
    // The tiles along the lines: every tile a vertex of either falls in.
    let lines: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("lines.json")).unwrap()).unwrap();
    let vertices: Vec<[f64; 2]> = ["a", "b"]
        .iter()
        .flat_map(|k| lines[*k].as_array().unwrap().iter())
        .flat_map(|part| part.as_array().unwrap().iter())
        .step_by(50)
        .map(|p| [p[0].as_f64().unwrap(), p[1].as_f64().unwrap()])
        .collect();
    let (first_ms, _) = get("/api/tiles/proposals/6/41/23.mvt".into());
    println!("first tile (projects and indexes both lines): {first_ms:.1} ms");
    // A new version of the record (a comment appended through the API):
    // its collections and its first tile again — the lines that did not
    // change are neither read nor projected again.
    let next = {
        let live = service.read_live();
        (live.events.len() as u64, live.replay.prev().to_string())
    };
    let mut e = terminus_ledger::record::Event {
        seq: next.0,
        commission: "AM-AZ".into(),
        kind: "comment".into(),
        author: "arm-head".into(),
        time: "2026-12-08T00:00:00Z".into(),
        prev: next.1,
        body: terminus_ledger::record::canonical_raw(
            &json!({"section": "A piece 1", "text": "a comment"}),
        ),
        signature: String::new(),
    };
    e.signature = key.sign(&e.signed_bytes());
    let status = rt.block_on(async {
        let req = axum::http::Request::builder()
            .method("POST")
            .uri("/api/events")
            .header("host", "bench.invalid")
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {token}"))
            .body(Body::from(serde_json::to_string(&e).unwrap()))
            .unwrap();
        let res = app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let b = http_body_util::BodyExt::collect(res.into_body())
            .await
            .unwrap()
            .to_bytes();
        (status, String::from_utf8_lossy(&b).into_owned())
    });
    assert_eq!(status.0, 201, "{}", status.1);
    let t = Instant::now();
    {
        let live = service.read_live();
        let _ = terminus_ledger::views::layers_with(&live.events, &live.replay, &service.bodies);
    }
    println!(
        "after a comment: views again (bodies read before): {:.1} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let t = Instant::now();
    let _ = service.collections();
    println!(
        "after a comment: collections derived again: {:.1} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let (again_ms, _) = get("/api/tiles/proposals/6/41/23.mvt".into());
    println!("after a comment: first tile: {again_ms:.1} ms");
    println!("zoom\ttiles\tmedian_ms\tp95_ms\tmax_ms\tmedian_bytes\tmax_bytes");
    for z in 5..=14u32 {
        let k = f64::from(1u32 << z);
        let mut all: Vec<(u32, u32)> = vertices
            .iter()
            .map(|v| {
                let p = terminus_cartography::tiles::mercator(v[0], v[1]);
                ((p[0] * k) as u32, (p[1] * k) as u32)
            })
            .collect();
        all.sort();
        all.dedup();
        // At most 300 tiles a zoom, evenly picked.
        let step = all.len().div_ceil(300).max(1);
        let picked: Vec<(u32, u32)> = all.into_iter().step_by(step).collect();
        let mut ms = Vec::new();
        let mut sizes = Vec::new();
        for (x, y) in &picked {
            let (t, b) = get(format!("/api/tiles/proposals/{z}/{x}/{y}.mvt"));
            ms.push(t);
            sizes.push(b);
        }
        ms.sort_by(f64::total_cmp);
        sizes.sort();
        let q = |v: &[f64], p: f64| v[((v.len() as f64 - 1.0) * p).round() as usize];
        println!(
            "{z}\t{}\t{:.2}\t{:.2}\t{:.2}\t{}\t{}",
            picked.len(),
            q(&ms, 0.5),
            q(&ms, 0.95),
            ms[ms.len() - 1],
            sizes[sizes.len() / 2],
            sizes[sizes.len() - 1]
        );
    }
}
