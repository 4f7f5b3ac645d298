//! `terminus median` as users meet it: its arguments, the files it writes,
//! what it prints, its exit codes. The figures (the compromise against the
//! comparison engine, closed forms of strict, ratio and tri-point lines)
//! are checked as library calls in crates/app/tests/median_workflows.rs.

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

/// A line file of (lat, lon) parts, as a path for the command line.
fn line_file(dir: &std::path::Path, name: &str, parts: &[Vec<(f64, f64)>]) -> String {
    terminus_testdata::line_file(dir, name, parts)
        .display()
        .to_string()
}

#[test]
fn the_compromise_writes_its_folder_and_prints_its_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m");
    let args = [
        "median",
        &bundled("naturalearth10m_ARM_AZE_shared.geojson"),
        &bundled("worldatlas10m_ARM_AZE_shared.geojson"),
        "--compromise",
        "--names",
        "NE5,WA",
        "--parties",
        &format!(
            "{},{}",
            bundled("naturalearth10m_ARM.geojson"),
            bundled("naturalearth10m_AZE.geojson")
        ),
        "--out",
        out.to_str().unwrap(),
    ]
    .map(String::from);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, text, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    for f in [
        "median.geojson",
        "turning_points.geojson",
        "turning_points.csv",
        "median.gpkg",
        "report.md",
        "summary.json",
        "provenance.json",
        "maps/overview.svg",
        "maps/overview.png",
    ] {
        assert!(out.join(f).exists(), "{f}");
    }
    // The map: a PNG, shown in the report; its SVG names both claims, both
    // territories and the runs of the compromise by how they were made.
    let png = std::fs::read(out.join("maps/overview.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(report.contains("](maps/overview.png)"), "{report:.300}");
    let svg = std::fs::read_to_string(out.join("maps/overview.svg")).unwrap();
    for s in [
        "NE5",
        "WA",
        "territory of naturalearth10m_ARM",
        "territory of naturalearth10m_AZE",
        "equidistant",
        "enclave or exclave ring",
    ] {
        assert!(svg.contains(s), "{s}");
    }
    assert!(
        text.contains("2 line(s), 3 ring(s); coverage NE5 100.00 %, WA 100.00 %"),
        "{text}"
    );
    assert!(text.contains("against NE5: naturalearth10m_ARM"), "{text}");
    // --json prints what summary.json holds.
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let mut json_args = args.clone();
    let other = dir.path().join("m2");
    let i = json_args.iter().position(|a| *a == "--out").unwrap();
    let other = other.display().to_string();
    json_args[i + 1] = &other;
    json_args.extend([
        "--party-names",
        "ARM,AZE",
        "--json",
        "--max-deviation",
        "2m",
    ]);
    let (code, json, err) = run(&json_args);
    assert_eq!(code, 0, "{err}");
    let printed: serde_json::Value = serde_json::from_str(&json).unwrap();
    // --max-deviation: the turning-point lines, every vertex accounted for.
    let sim = &printed["compromise"]["simplification"];
    assert_eq!(sim["max_deviation_m"], 2.0);
    assert_eq!(sim["lines"].as_array().unwrap().len(), 5);
    let csv = std::fs::read_to_string(dir.path().join("m2/simplification.csv")).unwrap();
    let rows = csv.lines().count() - 1;
    let vertices: u64 = sim["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["vertices"].as_u64().unwrap())
        .sum();
    assert_eq!(rows as u64, vertices);
    assert!(csv.contains(",discarded,,TP"), "{csv:.300}");
    assert!(summary["compromise"]["simplification"].is_null());
    let by = printed["compromise"]["gains"][0]["gain_m2"]
        .as_object()
        .unwrap();
    assert!(by.contains_key("ARM") && by.contains_key("AZE"), "{by:?}");
    assert_eq!(
        printed["compromise"]["regions"],
        summary["compromise"]["regions"]
    );
    // The computed lines as before, then their turning-point lines.
    let lines = printed["lines"].as_array().unwrap();
    assert_eq!(lines[..5], summary["lines"].as_array().unwrap()[..]);
    assert!(lines[5..]
        .iter()
        .all(|l| l["name"].as_str().unwrap().ends_with(" simplified")));
    // An existing folder's results are not replaced.
    let (code, _, err) = run(&args);
    assert_eq!(code, 2);
    assert!(err.contains("exists"), "{err}");
}

#[test]
fn arguments_and_refusals_exit_with_their_codes() {
    let dir = tempfile::tempdir().unwrap();
    let a = line_file(dir.path(), "a.geojson", &[vec![(40.0, 10.0), (41.0, 10.2)]]);
    let b = line_file(dir.path(), "b.geojson", &[vec![(40.0, 10.2), (41.0, 10.0)]]);
    // Crossing sides cannot have a strict median: exit 1, where, and the hint.
    let (code, _, err) = run(&["median", &a, &b, "--json"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("touch or cross near 40.5")
            && err.contains("hint: ")
            && err.contains("--compromise"),
        "{err}"
    );
    let (code, _, err) = run(&["median", &a, &b, "--ratio", "2:0", "--json"]);
    assert_eq!(code, 2);
    assert!(err.contains("positive"), "{err}");
    let (code, _, err) = run(&["median", &a, &b, "--tolerance", "0m", "--json"]);
    assert_eq!(code, 2);
    assert!(err.contains("tolerance"), "{err}");
    // Without --json a result folder is needed.
    let (code, _, err) = run(&["median", &a, &b]);
    assert_eq!(code, 2);
    assert!(err.contains("--out"), "{err}");
    let (code, _, err) = run(&["median", &a, &b, "--third", &a, "--compromise", "--json"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot be used with"), "{err}");
    // A tri-point prints as JSON with its three lines.
    let w = line_file(dir.path(), "w.geojson", &[vec![(40.0, 10.0), (41.0, 10.0)]]);
    let e = line_file(dir.path(), "e.geojson", &[vec![(40.0, 10.2), (41.0, 10.2)]]);
    let n = line_file(
        dir.path(),
        "n.geojson",
        &[vec![(40.95, 10.03), (40.95, 10.17)]],
    );
    let (code, json, err) = run(&["median", &w, &e, "--third", &n, "--json"]);
    assert_eq!(code, 0, "{err}");
    let s: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(s["mode"], "tri-point");
    assert_eq!(s["lines"].as_array().unwrap().len(), 3);
}
