//! The workflows over HTTP: the same figures as the application layer
//! called directly, who may run them, and every bad request answered with
//! its reason (never a 500).

mod common;

use axum::http::StatusCode;
use common::{fixture, Fixture};
use serde_json::{json, Value};
use std::path::PathBuf;
use terminus_server::Config;

fn bundled(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data")
        .join(name)
}

fn geojson(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(bundled(name)).unwrap()).unwrap()
}

fn generous() -> Config {
    Config {
        rate_per_s: 1e6,
        burst: 1e6,
        ..Config::default()
    }
}

/// One test at a time: the service runs one workflow per core and answers
/// 503 beyond that (tests/workflow_busy.rs), which tests running side by
/// side must not meet.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn close(a: &Value, b: &Value, at: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            if (x - y).abs() > 1e-12 * x.abs().max(y.abs()).max(1.0) {
                out.push(format!("{at}: {x} vs {y}"));
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                close(p, q, &format!("{at}[{i}]"), out);
            }
        }
        (Value::Object(x), Value::Object(y)) if x.len() == y.len() => {
            for (k, p) in x {
                match y.get(k) {
                    Some(q) => close(p, q, &format!("{at}.{k}"), out),
                    None => out.push(format!("{at}.{k}: missing")),
                }
            }
        }
        _ if a == b => {}
        _ => out.push(format!("{at}: {a} vs {b}")),
    }
}

async fn post(f: &Fixture, who: Option<&str>, path: &str, body: Value) -> (StatusCode, Value) {
    let (status, text) = f.call(who, "POST", path, Some(body.to_string())).await;
    let v = serde_json::from_str(&text).unwrap_or_else(|_| json!({"text": text}));
    (status, v)
}

/// Natural Earth 5.1.1 against World Atlas, Armenia and Azerbaijan as the
/// parties: the service's summary is the application layer's, figure for
/// figure; the layers are GeoJSON; the provenance names the request's
/// inputs, not the service's files.
#[tokio::test]
async fn compare_gives_the_application_layers_figures() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let f = fixture(generous());
    let body = json!({
        "lines": [
            {"name": "NE", "geojson": geojson("naturalearth10m_ARM_AZE_shared.geojson")},
            {"name": "WA", "geojson": geojson("worldatlas10m_ARM_AZE_shared.geojson")},
        ],
        "parties": [
            {"name": "ARM", "geojson": geojson("naturalearth10m_ARM.geojson")},
            {"name": "AZE", "geojson": geojson("naturalearth10m_AZE.geojson")},
        ],
        "tolerance_m": 100.0,
    });
    let (status, v) = post(&f, Some("arm-expert"), "/api/workflows/compare", body).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let direct = terminus_app::compare::run(
        &terminus_app::compare::CompareRequest {
            lines: vec![
                bundled("naturalearth10m_ARM_AZE_shared.geojson"),
                bundled("worldatlas10m_ARM_AZE_shared.geojson"),
            ],
            names: vec!["NE".into(), "WA".into()],
            parties: vec![
                bundled("naturalearth10m_ARM.geojson"),
                bundled("naturalearth10m_AZE.geojson"),
            ],
            party_names: vec!["ARM".into(), "AZE".into()],
            tolerance: 100.0,
            bridge: 10_000.0,
            join: 10_000.0, // the service's default, as the CLI's
            ..Default::default()
        },
        terminus_app::Provenance::new(vec!["test".into()]),
    )
    .unwrap();
    let expected =
        serde_json::to_value(terminus_app::compare::summary(&direct.comparison)).unwrap();
    // The same figures: equal, or for sums of many areas within 1e-12 of
    // each other (serde_json reads the request's floats to within an ulp
    // of the file's, its default parsing; see the note in STACK.md).
    for key in [
        "tolerance_m",
        "lines",
        "pairs",
        "overlaps",
        "gaps",
        "territory",
    ] {
        let mut diffs = Vec::new();
        close(&v["summary"][key], &expected[key], key, &mut diffs);
        assert!(diffs.is_empty(), "{}", diffs.join("\n"));
    }
    let gains = &v["summary"]["pairs"][0]["gain_m2"];
    assert!(gains["ARM"].as_f64().unwrap() > 0.0 && gains["AZE"].as_f64().unwrap() > 0.0);
    let d = &v["layers"]["discrepancies"];
    assert_eq!(d["type"], "FeatureCollection");
    assert_eq!(
        d["features"].as_array().unwrap().len(),
        direct.comparison.pairs[0].discrepancies.len()
    );
    assert_eq!(d["features"][0]["geometry"]["type"], "Polygon");
    let prov = v["provenance"].to_string();
    assert!(prov.contains("request:line-1.geojson"), "{prov}");
    assert!(!prov.contains("/tmp"), "{prov}");
    assert_eq!(v["provenance"]["inputs"].as_array().unwrap().len(), 4);
}

/// A line from the record (ARM's proposal for North, event 1) against a
/// line sent: heads and experts may; observers may send lines but not take
/// the negotiation's; nobody anonymous.
#[tokio::test]
async fn who_may_run_a_workflow_and_on_which_lines() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let f = fixture(generous());
    let sent =
        json!({"type": "LineString", "coordinates": [[45.0, 41.0], [45.05, 41.06], [45.1, 41.1]]});
    let with_event =
        json!({"lines": [{"name": "ARM proposal", "event": 1}, {"name": "sent", "geojson": sent}]});
    let both_sent = json!({"lines": [
        {"name": "a", "geojson": sent},
        {"name": "b", "geojson": {"type": "LineString", "coordinates": [[45.0, 41.0], [45.06, 41.05], [45.1, 41.1]]}},
    ]});
    let (s, v) = post(
        &f,
        Some("aze-expert"),
        "/api/workflows/compare",
        with_event.clone(),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["summary"]["lines"][0]["name"], "ARM proposal");
    assert_eq!(v["summary"]["lines"][0]["vertices"], 2);
    let (s, v) = post(
        &f,
        Some("aze-observer"),
        "/api/workflows/compare",
        with_event.clone(),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    let (s, v) = post(
        &f,
        Some("aze-observer"),
        "/api/workflows/compare",
        both_sent.clone(),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, _) = post(&f, None, "/api/workflows/compare", both_sent).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

/// Every malformed request is refused with a reason that names what is
/// wrong; none is a server error.
#[tokio::test]
async fn bad_requests_are_refused_with_their_reason() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let f = fixture(generous());
    let line = json!({"type": "LineString", "coordinates": [[45.0, 41.0], [45.1, 41.1]]});
    let cases: Vec<(Value, StatusCode, &str)> = vec![
        (
            json!({"lines": [{"name": "a", "geojson": line}]}),
            StatusCode::BAD_REQUEST,
            "two to 8 lines",
        ),
        (
            json!({"lines": [{"name": "a", "geojson": line, "event": 1}, {"name": "b", "geojson": line}]}),
            StatusCode::BAD_REQUEST,
            "not both or neither",
        ),
        (
            json!({"lines": [{"name": "a"}, {"name": "b", "geojson": line}]}),
            StatusCode::BAD_REQUEST,
            "not both or neither",
        ),
        (
            json!({"lines": [{"name": "a", "geojson": line}, {"name": "a", "geojson": line}]}),
            StatusCode::BAD_REQUEST,
            "names must differ",
        ),
        (
            json!({"lines": [{"name": "a", "event": 999}, {"name": "b", "geojson": line}]}),
            StatusCode::NOT_FOUND,
            "no event 999",
        ),
        (
            json!({"lines": [{"name": "a", "event": 0}, {"name": "b", "geojson": line}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "holds no line",
        ),
        (
            json!({"lines": [{"name": "a", "geojson": {"type": "Nonsense"}}, {"name": "b", "geojson": line}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "the input was refused",
        ),
        (
            json!({"lines": [{"name": "a", "geojson": {"type": "Point", "coordinates": [45.0, 41.0]}}, {"name": "b", "geojson": line}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "LineString",
        ),
        (
            json!({"lines": [{"name": "a", "geojson": {"type": "LineString", "coordinates": [[4500000.0, 41.0], [45.1, 41.1]]}}, {"name": "b", "geojson": line}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "the input was refused",
        ),
        (
            json!({"lines": [{"name": "a", "geojson": line}, {"name": "b", "geojson": line}], "tolerance_m": -1}),
            StatusCode::BAD_REQUEST,
            "tolerance_m",
        ),
        (
            json!({"lines": [{"name": "a", "geojson": line}, {"name": "b", "geojson": line}], "colour": "red"}),
            StatusCode::BAD_REQUEST,
            "unknown field",
        ),
        (
            json!({"lines": [{"name": "a", "geojson": line}, {"name": "b", "geojson": line}], "parties": [{"name": "X", "geojson": line}]}),
            StatusCode::BAD_REQUEST,
            "two parties",
        ),
    ];
    for (body, want, says) in cases {
        let (s, v) = post(&f, Some("arm-head"), "/api/workflows/compare", body.clone()).await;
        assert_eq!(s, want, "{body} → {v}");
        let reason = v["reason"].as_str().unwrap_or_default();
        assert!(reason.contains(says), "{body} → {reason}");
        assert!(!reason.contains("/tmp"), "a service path in {reason}");
    }
    let (s, v) = post(&f, Some("arm-head"), "/api/workflows/median", json!({"claims": [{"name": "a", "geojson": line}, {"name": "b", "geojson": line}], "mode": "widest"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(v["reason"]
        .as_str()
        .unwrap()
        .contains("compromise or strict"));
    let (s, v) = post(
        &f,
        Some("arm-head"),
        "/api/workflows/median",
        json!({"claims": [{"name": "a", "geojson": line}]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (s, v) = post(&f, Some("arm-head"), "/api/workflows/median", json!({"claims": [{"name": "a", "geojson": line}, {"name": "b", "geojson": line}], "ratio": [1, 0]})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
}

/// The compromise of two crossing claim lines with the parties named: the
/// application layer's summary, every vertex of the line equidistant from
/// both claims within the tolerance, gains named by party.
#[tokio::test]
async fn median_gives_the_compromise_with_gains_by_party() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let f = fixture(generous());
    let body = json!({
        "claims": [
            {"name": "NE 5.1.1", "geojson": geojson("naturalearth10m_ARM_AZE_shared.geojson")},
            {"name": "World Atlas", "geojson": geojson("worldatlas10m_ARM_AZE_shared.geojson")},
        ],
        "parties": [
            {"name": "ARM", "geojson": geojson("naturalearth10m_ARM.geojson")},
            {"name": "AZE", "geojson": geojson("naturalearth10m_AZE.geojson")},
        ],
    });
    let (s, v) = post(&f, Some("osce"), "/api/workflows/median", body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let summary = &v["summary"];
    assert_eq!(summary["mode"], "compromise");
    assert_eq!(summary["sides"][0]["name"], "NE 5.1.1");
    let gains = summary["compromise"]["gains"].as_array().unwrap();
    assert_eq!(gains.len(), 2);
    for g in gains {
        let by = g["gain_m2"].as_object().unwrap();
        assert!(by.contains_key("ARM") && by.contains_key("AZE"), "{g}");
    }
    // The line's pieces, and every turning point with its distance to
    // both claims equal within the tolerance.
    let pieces = v["layers"]["median"]["features"].as_array().unwrap();
    assert_eq!(pieces.len(), summary["lines"].as_array().unwrap().len());
    let turning = v["layers"]["turning_points"]["features"]
        .as_array()
        .unwrap();
    assert!(turning.len() > 100, "{}", turning.len());
    for t in turning {
        let p = &t["properties"];
        let (a, b) = (
            p["distance_a_m"].as_f64().unwrap(),
            p["distance_b_m"].as_f64().unwrap(),
        );
        assert!((a - b).abs() < 1e-6, "{p}");
    }
    assert_eq!(v["provenance"]["inputs"].as_array().unwrap().len(), 4);
}

/// A draft checked before it is signed: a bow-tie ring found and placed,
/// files named as sent; a file that is not GeoJSON said so without the
/// service's own paths.
#[tokio::test]
async fn validate_names_each_finding_and_file_as_sent() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let f = fixture(generous());
    let body = json!({"files": [
        {"name": "ARM draft", "geojson": {"type": "Polygon", "coordinates": [[[45.0, 40.0], [45.1, 40.1], [45.1, 40.0], [45.0, 40.1], [45.0, 40.0]]]}},
        {"name": "broken", "geojson": {"type": "LineString", "coordinates": "north"}},
    ]});
    let (s, v) = post(&f, Some("arm-expert"), "/api/workflows/validate", body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let files = v["summary"]["files"].as_array().unwrap();
    assert_eq!(files[0]["file"], "ARM draft");
    assert_eq!(files[0]["valid"], false);
    assert!(
        files[0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["check"] == "self-intersection"),
        "{v}"
    );
    assert_eq!(files[1]["file"], "broken");
    let why = files[1]["unreadable"].as_str().unwrap();
    assert!(!why.contains("/tmp") && why.contains("request:"), "{why}");
    let (s, v) = post(
        &f,
        Some("arm-expert"),
        "/api/workflows/validate",
        json!({"files": []}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
}

/// The sheets a line crosses, as the application layer gives them for the
/// same line (what `terminus sheets` prints): the same nomenclature in the
/// same order, the transformation named; a scale without sheets and an operation that is not an EPSG
/// code are refused.
#[tokio::test]
async fn sheets_along_a_sent_line_are_the_cli_sheets() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let f = fixture(generous());
    let line = geojson("naturalearth10m_ARM_AZE_shared.geojson");
    let (s, v) = post(
        &f,
        Some("aze-observer"),
        "/api/workflows/sheets",
        json!({"line": {"name": "NE", "geojson": line}, "scale": 100000, "op": "EPSG:1808"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let scale = terminus_app::sheets::scale(100_000).unwrap();
    let direct = terminus_app::sheets::sheets(
        &bundled("naturalearth10m_ARM_AZE_shared.geojson"),
        scale,
        &terminus_app::InputOptions {
            op: Some(1808),
            ..Default::default()
        },
    )
    .unwrap()
    .summary(scale);
    assert_eq!(v["summary"]["op"], "EPSG:1808");
    assert_eq!(
        v["summary"]["sheets"],
        serde_json::to_value(&direct.sheets).unwrap()
    );
    assert!(v["summary"]["sheets"].as_array().unwrap().len() > 10);
    let sent = json!({"name": "a", "geojson": {"type": "LineString", "coordinates": [[45.0, 40.0], [45.1, 40.1]]}});
    let (s, v) = post(
        &f,
        Some("arm-head"),
        "/api/workflows/sheets",
        json!({"line": sent, "scale": 400}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(
        v["reason"].as_str().unwrap().contains("one of 1000000"),
        "{v}"
    );
    let (s, v) = post(
        &f,
        Some("arm-head"),
        "/api/workflows/sheets",
        json!({"line": sent, "op": "Helmert"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
}
