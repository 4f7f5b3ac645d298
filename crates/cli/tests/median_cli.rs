//! `terminus median` as users meet it: the files it writes, the documented
//! JSON, the compromise's gains checked against the comparison engine, and
//! clear refusals.

use std::path::PathBuf;
use std::process::Command;

fn run(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_terminus"))
        .args(args)
        .output()
        .unwrap();
    let (out, err) = (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    );
    assert!(!err.contains("panicked"), "panic on {args:?}:\n{err}");
    (o.status.code().unwrap_or(-1), out, err)
}

fn bundled(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data")
        .join(name)
        .display()
        .to_string()
}

fn line_file(dir: &std::path::Path, name: &str, parts: &[Vec<(f64, f64)>]) -> String {
    let coords: Vec<String> = parts
        .iter()
        .map(|p| {
            let c: Vec<String> = p
                .iter()
                .map(|(lat, lon)| format!("[{lon},{lat}]"))
                .collect();
            format!("[{}]", c.join(","))
        })
        .collect();
    let text = format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{}},"geometry":{{"type":"MultiLineString","coordinates":[{}]}}}}]}}"#,
        coords.join(",")
    );
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn compromise_of_the_bundled_claims_splits_what_lies_between_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m");
    let (code, json, err) = run(&[
        "median",
        &bundled("naturalearth10m_ARM_AZE_shared.geojson"),
        &bundled("worldatlas10m_ARM_AZE_shared.geojson"),
        "--compromise",
        "--names",
        "NE5,NE4",
        "--parties",
        &format!(
            "{},{}",
            bundled("naturalearth10m_ARM.geojson"),
            bundled("naturalearth10m_AZE.geojson")
        ),
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    for f in [
        "median.geojson",
        "turning_points.geojson",
        "turning_points.csv",
        "median.gpkg",
        "report.md",
        "summary.json",
    ] {
        assert!(out.join(f).exists(), "{f}");
    }
    let s: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(s["mode"], "compromise");
    let regions = s["compromise"]["regions"].as_u64().unwrap();
    assert!(regions > 100, "{regions}");
    // The compromise lies between the claims: the ground between the two
    // claims is the ground between each claim and the compromise, added
    // (the comparison engine measures both, independently of the median).
    let (code, cmp, err) = run(&[
        "compare",
        &bundled("naturalearth10m_ARM_AZE_shared.geojson"),
        &bundled("worldatlas10m_ARM_AZE_shared.geojson"),
        "--tolerance",
        "0.5m",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let c: serde_json::Value = serde_json::from_str(&cmp).unwrap();
    let between = c["pairs"][0]["area_between_m2"].as_f64().unwrap();
    let gains = s["compromise"]["gains"].as_array().unwrap();
    assert_eq!(gains.len(), 2);
    let halves: f64 = gains
        .iter()
        .map(|g| g["area_between_m2"].as_f64().unwrap())
        .sum();
    assert!(
        (halves - between).abs() / between < 1e-9,
        "{halves} vs {between}"
    );
    // And each party's gains against a claim are areas of that claim's
    // side of the compromise: they add up to the ground between them.
    for g in gains {
        let total: f64 = g["gain_m2"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_f64().unwrap())
            .sum();
        let area = g["area_between_m2"].as_f64().unwrap();
        assert!((total - area).abs() / area < 1e-6, "{total} vs {area}");
        assert!(g["gain_m2"]
            .as_object()
            .unwrap()
            .contains_key("naturalearth10m_ARM"));
    }
    // Every turning point row: equal distances on both sides.
    let csv = std::fs::read_to_string(out.join("turning_points.csv")).unwrap();
    let mut rows = 0;
    for line in csv.lines().skip(1) {
        let cols: Vec<&str> = line.split(',').collect();
        let (da, db): (f64, f64) = (cols[5].parse().unwrap(), cols[6].parse().unwrap());
        assert!((da - db).abs() <= 1e-4, "{line}");
        rows += 1;
    }
    assert!(rows as u64 >= regions);
    // Pieces meeting at contacts or along common stretches are one line:
    // far fewer lines than regions.
    let pieces = s["lines"].as_array().unwrap().len() as u64;
    assert!(
        pieces * 5 < regions,
        "{pieces} pieces for {regions} regions"
    );
}

#[test]
fn strict_line_tri_point_and_simplified_line_from_files() {
    let dir = tempfile::tempdir().unwrap();
    // Two meridians 0.2° apart: the median is the meridian halfway.
    let a = line_file(
        dir.path(),
        "west.geojson",
        &[vec![(40.0, 10.0), (40.5, 10.0), (41.0, 10.0)]],
    );
    let b = line_file(
        dir.path(),
        "east.geojson",
        &[vec![(40.0, 10.2), (40.3, 10.2), (41.0, 10.2)]],
    );
    let out = dir.path().join("river");
    let (code, json, err) = run(&["median", &a, &b, "--out", out.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{err}");
    let s: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(s["mode"], "strict");
    let len = s["lines"][0]["length_m"].as_f64().unwrap();
    // ~1° of meridian at 40.5°N: 111.05 km.
    assert!((len - 111_050.0).abs() < 200.0, "{len}");
    let gj: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("median.geojson")).unwrap())
            .unwrap();
    for c in gj["features"][0]["geometry"]["coordinates"]
        .as_array()
        .unwrap()
    {
        assert!((c[0].as_f64().unwrap() - 10.1).abs() < 1e-9, "{c}");
    }
    // A ratio line, and a refusal to overwrite.
    let (code, _, err) = run(&["median", &a, &b, "--out", out.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("exists"), "{err}");
    let (code, json, err) = run(&["median", &a, &b, "--ratio", "3:1", "--json"]);
    assert_eq!(code, 0, "{err}");
    let s: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(s["ratio"], serde_json::json!([3.0, 1.0]));
    // Simplified: the strict line rests on segments here (straight banks),
    // so too few vertices control it: said plainly.
    let (code, _, err) = run(&["median", &a, &b, "--simplified", "--json"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("too few"), "{err}");
    // Three shores: a tri-point.
    let c = line_file(
        dir.path(),
        "north.geojson",
        &[vec![(40.95, 10.03), (40.95, 10.17)]],
    );
    let (code, json, err) = run(&[
        "median",
        &a,
        &b,
        "--third",
        &c,
        "--out",
        dir.path().join("lake").to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let s: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(s["mode"], "tri-point");
    assert_eq!(s["lines"].as_array().unwrap().len(), 3);
    let t = &s["tri_point"];
    let d = t["distance_m"].as_f64().unwrap();
    for b in t["base"].as_array().unwrap() {
        assert!((b["distance"].as_f64().unwrap() - d).abs() < 1e-6, "{t}");
    }
    assert!((t["lon"].as_f64().unwrap() - 10.1).abs() < 1e-9, "{t}");
    assert!(dir.path().join("lake/tri_point.geojson").exists());
}

#[test]
fn bad_input_is_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let a = line_file(dir.path(), "a.geojson", &[vec![(40.0, 10.0), (41.0, 10.2)]]);
    let b = line_file(dir.path(), "b.geojson", &[vec![(40.0, 10.2), (41.0, 10.0)]]);
    // Crossing sides: where, and what to do.
    let (code, _, err) = run(&["median", &a, &b, "--json"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("touch or cross near 40.5") && err.contains("--compromise"),
        "{err}"
    );
    let (code, _, err) = run(&["median", &a, &b, "--ratio", "2:0", "--json"]);
    assert_eq!(code, 2);
    assert!(err.contains("positive"), "{err}");
    let (code, _, err) = run(&["median", &a, &b, "--tolerance", "0m", "--json"]);
    assert_eq!(code, 2);
    assert!(err.contains("tolerance"), "{err}");
    let empty = dir.path().join("empty.geojson");
    std::fs::write(&empty, r#"{"type":"FeatureCollection","features":[]}"#).unwrap();
    let (code, _, err) = run(&["median", &a, empty.to_str().unwrap(), "--json"]);
    assert_eq!(code, 2);
    assert!(err.contains("empty side"), "{err}");
    let (code, _, err) = run(&["median", &a, &b]);
    assert_eq!(code, 2);
    assert!(err.contains("--out"), "{err}");
}
