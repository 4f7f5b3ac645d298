//! The `terminus` command as users meet it: exit codes, located error
//! messages on malformed input (never a panic), JSON output, refusals to
//! overwrite, and the demo.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn terminus(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_terminus"))
        .args(args)
        .output()
        .unwrap()
}

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/malformed")
        .join(name)
        .display()
        .to_string()
}

fn bundled(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data")
        .join(name)
        .display()
        .to_string()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Exit code and the text of a run, asserting it did not panic.
fn run(args: &[&str]) -> (i32, String) {
    let o = terminus(args);
    let t = text(&o);
    assert!(
        !t.contains("panicked") && !t.contains("RUST_BACKTRACE"),
        "panic on {args:?}:\n{t}"
    );
    (o.status.code().unwrap_or(-1), t)
}

#[test]
fn truncated_geojson_names_line_column_and_feature() {
    let (code, t) = run(&["info", &fixture("truncated.geojson")]);
    assert_eq!(code, 2);
    assert!(
        t.contains("truncated.geojson")
            && t.contains("line 1, column 5000")
            && t.contains("feature 1")
            && t.contains("truncated?"),
        "{t}"
    );
}

#[test]
fn kml_with_a_non_numeric_coordinate() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.geojson");
    let (code, t) = run(&[
        "convert",
        &fixture("bad_coordinate.kml"),
        &out.display().to_string(),
    ]);
    assert_eq!(code, 2);
    assert!(
        t.contains("line 8")
            && t.contains("placemark 1")
            && t.contains("\"4I.0511\" is not a number"),
        "{t}"
    );
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "a failed conversion left files behind"
    );
    // An output folder that does not exist is named as such.
    let (code, t) = run(&[
        "convert",
        &bundled("naturalearth10m_ARM.geojson"),
        "/nonexistent/out.geojson",
    ]);
    assert_eq!(code, 1);
    assert!(t.contains("/nonexistent") && t.contains("folder"), "{t}");
}

#[test]
fn shapefile_without_prj_asks_for_its_crs() {
    let (code, t) = run(&["info", &fixture("no_prj.shp")]);
    assert_eq!(code, 2);
    assert!(t.contains("no .prj") && t.contains("--crs"), "{t}");
    // Told the CRS, it reads.
    let (code, t) = run(&[
        "info",
        &fixture("no_prj.shp"),
        "--crs",
        "EPSG:4326",
        "--json",
    ]);
    assert_eq!(code, 0, "{t}");
    let v: serde_json::Value = serde_json::from_str(&t).unwrap();
    assert_eq!(v["layers"][0]["features"], 5);
    assert_eq!(v["layers"][0]["vertices"], 267);
}

#[test]
fn geopackage_with_an_unknown_srs_id() {
    let (code, t) = run(&["validate", &fixture("unknown_srs.gpkg")]);
    assert_eq!(code, 2);
    assert!(
        t.contains("srs_id 32767") && t.contains("countrycoder_ARM"),
        "{t}"
    );
}

#[test]
fn csv_with_a_bad_dms_value() {
    let (code, t) = run(&["info", &fixture("bad_dms.csv"), "--crs", "EPSG:4326"]);
    assert_eq!(code, 2);
    assert!(
        t.contains("line 3, column \"lat\"") && t.contains("seconds must be below 60"),
        "{t}"
    );
}

#[test]
fn polygon_with_swapped_lat_lon() {
    let (code, t) = run(&["validate", &fixture("swapped.geojson")]);
    assert_eq!(code, 1);
    assert!(
        t.contains("error[swapped-lat-lon]") && t.contains("feature 2"),
        "{t}"
    );
    assert!(
        !t.contains("feature 0 ") || !t.contains("feature 0 at"),
        "{t}"
    );
}

#[test]
fn self_intersecting_ring_is_located() {
    let (code, t) = run(&["validate", &fixture("self_intersecting.geojson"), "--json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&t).unwrap();
    let f = &v["files"][0]["findings"][0];
    assert_eq!(f["check"], "self-intersection");
    assert_eq!(f["location"]["feature"], 0);
    assert_eq!(f["location"]["feature_id"], "sector-7");
    assert_eq!(f["location"]["ring"], 0);
    assert_eq!(f["location"]["position"], serde_json::json!([45.05, 41.05]));
}

#[test]
fn unknown_crs_and_absurd_parameters_are_usage_errors() {
    let (code, t) = run(&["info", &fixture("unknown_crs.geojson")]);
    assert_eq!(code, 2);
    assert!(t.contains("EPSG:99999"), "{t}");
    let (code, t) = run(&[
        "validate",
        &bundled("naturalearth10m_ARM.geojson"),
        "--spike-angle",
        "200",
    ]);
    assert_eq!(code, 2);
    assert!(t.contains("--spike-angle"), "{t}");
    let (code, _) = run(&[
        "info",
        &bundled("naturalearth10m_ARM.geojson"),
        "--crs",
        "EPSG:0",
    ]);
    assert_eq!(code, 2);
    let (code, _) = run(&["frobnicate"]);
    assert_eq!(code, 2);
    let (code, t) = run(&["info", "/no/such/file.geojson"]);
    assert_eq!(code, 2);
    assert!(t.contains("/no/such/file.geojson"), "{t}");
}

#[test]
fn valid_file_validates_with_exit_zero() {
    let (code, t) = run(&[
        "validate",
        &bundled("naturalearth10m_ARM_AZE_shared.geojson"),
    ]);
    assert_eq!(code, 0, "{t}");
    assert!(t.contains("valid (0 error(s), 0 warning(s))"), "{t}");
}

#[test]
fn info_json_reports_geodesic_length() {
    let (code, t) = run(&[
        "info",
        &bundled("naturalearth10m_ARM_AZE_shared.geojson"),
        "--json",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&t).unwrap();
    let l = &v["layers"][0];
    assert_eq!(l["crs"], "EPSG:4326");
    assert_eq!(l["features"], 5);
    assert_eq!(l["vertices"], 267);
    // data/README.md and ../shared/data/README.md give 754 km.
    let km = l["geodesic_length_m"].as_f64().unwrap() / 1000.0;
    assert!((km - 754.0).abs() < 0.5, "{km}");
}

#[test]
fn convert_refuses_to_overwrite_and_leaves_nothing_on_failure() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("line.gpkg");
    let out_s = out.display().to_string();
    let src = bundled("naturalearth10m_ARM_AZE_shared.geojson");
    let (code, t) = run(&["convert", &src, &out_s, "--json"]);
    assert_eq!(code, 0, "{t}");
    let v: serde_json::Value = serde_json::from_str(&t).unwrap();
    assert_eq!(
        (v["features"].as_u64(), v["vertices"].as_u64()),
        (Some(5), Some(267))
    );
    let before = std::fs::read(&out).unwrap();
    let (code, t) = run(&["convert", &src, &out_s]);
    assert_eq!(code, 1);
    assert!(
        t.contains("already exists") && t.contains("--overwrite"),
        "{t}"
    );
    assert_eq!(
        std::fs::read(&out).unwrap(),
        before,
        "existing output was touched"
    );
    // A polygon into GPX fails cleanly and leaves no file.
    let gpx = dir.path().join("arm.gpx");
    let (code, t) = run(&[
        "convert",
        &bundled("naturalearth10m_ARM.geojson"),
        &gpx.display().to_string(),
    ]);
    assert_eq!(code, 1);
    assert!(t.contains("GPX holds points, routes and tracks"), "{t}");
    assert!(std::fs::read_dir(dir.path()).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .contains("arm.gpx")));
}

#[test]
fn csv_dms_and_grid_tables_convert() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("pillars.csv");
    std::fs::write(
        &csv,
        "number,B,L,H\nTG-001,41°03′51.123″N,45°24′37.800″E,612.4\nTG-002,N41d03'40.5\",E45d25'01.25\",598.0\n",
    )
    .unwrap();
    let out = dir.path().join("pillars.geojson");
    let (code, t) = run(&[
        "convert",
        &csv.display().to_string(),
        &out.display().to_string(),
        "--lat-column",
        "B",
        "--lon-column",
        "L",
        "--z-column",
        "H",
    ]);
    // A table of latitudes and longitudes does not say its datum.
    assert_eq!(code, 2, "{t}");
    assert!(
        t.contains("do not say their datum") && t.contains("EPSG:4284"),
        "{t}"
    );
    let (code, t) = run(&[
        "convert",
        &csv.display().to_string(),
        &out.display().to_string(),
        "--lat-column",
        "B",
        "--lon-column",
        "L",
        "--z-column",
        "H",
        "--crs",
        "EPSG:4326",
    ]);
    assert_eq!(code, 0, "{t}");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let c = &v["features"][0]["geometry"]["coordinates"];
    assert!((c[1].as_f64().unwrap() - (41.0 + 3.0 / 60.0 + 51.123 / 3600.0)).abs() < 1e-12);
    assert!((c[0].as_f64().unwrap() - (45.0 + 24.0 / 60.0 + 37.8 / 3600.0)).abs() < 1e-12);
    assert_eq!(c[2].as_f64(), Some(612.4));
    assert_eq!(v["features"][1]["properties"]["number"], "TG-002");
    // Grid coordinates need a CRS.
    let grid = dir.path().join("grid.csv");
    std::fs::write(&grid, "name,X,Y\nTP-1,4546123.45,8447391.21\n").unwrap();
    let (code, t) = run(&[
        "info",
        &grid.display().to_string(),
        "--y-column",
        "X",
        "--x-column",
        "Y",
    ]);
    assert_eq!(code, 2);
    assert!(t.contains("--crs"), "{t}");
    let (code, t) = run(&[
        "info",
        &grid.display().to_string(),
        "--y-column",
        "X",
        "--x-column",
        "Y",
        "--crs",
        "EPSG:28408",
        "--json",
    ]);
    assert_eq!(code, 0, "{t}");
    let v: serde_json::Value = serde_json::from_str(&t).unwrap();
    assert_eq!(v["layers"][0]["crs"], "EPSG:28408");
    assert_eq!(v["layers"][0]["bbox"][0], 8447391.21);
}

#[test]
fn layer_choice_in_multi_layer_files() {
    let dir = tempfile::tempdir().unwrap();
    let gpx = dir.path().join("walk.gpx");
    std::fs::write(
        &gpx,
        r#"<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><wpt lat="41.06" lon="45.41"><ele>600</ele><name>TG-001</name></wpt><trk><name>patrol</name><trkseg><trkpt lat="41.06" lon="45.41"/><trkpt lat="41.07" lon="45.42"/></trkseg></trk></gpx>"#,
    )
    .unwrap();
    let out = dir.path().join("w.geojson");
    let (code, t) = run(&[
        "convert",
        &gpx.display().to_string(),
        &out.display().to_string(),
    ]);
    assert_eq!(code, 1);
    assert!(
        t.contains("--layer") && t.contains("waypoints") && t.contains("tracks"),
        "{t}"
    );
    let (code, t) = run(&[
        "convert",
        &gpx.display().to_string(),
        &out.display().to_string(),
        "--layer",
        "waypoints",
    ]);
    assert_eq!(code, 0, "{t}");
    let (code, t) = run(&[
        "convert",
        &gpx.display().to_string(),
        &out.display().to_string(),
        "--layer",
        "nope",
        "--overwrite",
    ]);
    assert_eq!(code, 2);
    assert!(t.contains("no layer \"nope\""), "{t}");
}

#[test]
fn help_teaches_with_examples() {
    for cmd in [
        &["--help"][..],
        &["convert", "--help"],
        &["validate", "--help"],
        &["info", "--help"],
        &["demo", "--help"],
    ] {
        let (code, t) = run(cmd);
        assert_eq!(code, 0);
        assert!(
            t.contains("Example")
                || t.contains("terminus demo")
                || t.contains("Writes a results folder"),
            "{cmd:?}: {t}"
        );
    }
}

#[test]
fn demo_writes_its_results_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    let out_s = out.display().to_string();
    let (code, t) = run(&["demo", "--out", &out_s, "--json"]);
    assert_eq!(code, 0, "{t}");
    let v: serde_json::Value = serde_json::from_str(&t).unwrap();
    assert_eq!(v["boundary_line_vertices"], 267);
    assert_eq!(v["sections"].as_array().unwrap().len(), 5);
    assert_eq!(v["validation"]["errors"], 0);
    for f in [
        "info.txt",
        "validation.txt",
        "boundary.json",
        "README.md",
        "formats/boundary_line.gpkg",
        "formats/armenia.kmz",
        "formats/round_trip.txt",
    ] {
        assert!(Path::new(&out).join(f).exists(), "{f} missing");
    }
    let rows = v["formats"].as_array().unwrap();
    assert_eq!(rows.iter().filter(|r| r["result"] == "ok").count(), 15);
    // The geodesy step: Artsvashen on K-38-128 (DOMAIN.md), the line in GK zone 8
    // through the transformation EPSG picks there.
    assert_eq!(v["geodesy"]["artsvashen_sheet"], "K-38-128");
    assert_eq!(v["geodesy"]["gk8_operation"], "EPSG:15865");
    assert!(v["geodesy"]["sheets_100k"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s == "K-38-128"));
    assert!(Path::new(&out)
        .join("formats/boundary_line_gk8.gpkg")
        .exists());
    // The comparison of two Natural Earth editions: the same border, within
    // a couple of hundred metres everywhere, gains summing to the area.
    let cmp = &v["compare"];
    assert_eq!(cmp["a"], "NE 5.1.1");
    let share = cmp["agreed_share"].as_f64().unwrap();
    assert!((0.8..1.0).contains(&share), "{share}");
    let widest = cmp["max_width_m"].as_f64().unwrap();
    assert!((100.0..500.0).contains(&widest), "{widest}");
    let gains: f64 = cmp["gain_m2"]
        .as_object()
        .unwrap()
        .values()
        .map(|g| g.as_f64().unwrap())
        .sum();
    assert!((gains - cmp["discrepancy_area_m2"].as_f64().unwrap()).abs() < 1e-6);
    assert!(
        cmp["gain_m2"]["ARM"].as_f64().unwrap() > 0.0
            && cmp["gain_m2"]["AZE"].as_f64().unwrap() > 0.0
    );
    for f in [
        "compare/report.html",
        "compare/comparison.gpkg",
        "compare/maps/overview.png",
        "compare/summary.json",
    ] {
        assert!(Path::new(&out).join(f).exists(), "{f} missing");
    }
    // The commission's signed record of the sample section, and its
    // bundle, which verifies offline.
    let l = &v["ledger"];
    assert_eq!(
        (
            l["events"].as_u64(),
            l["tree_heads"].as_u64(),
            l["agreed_sections"].as_u64()
        ),
        (Some(7), Some(2), Some(1)),
        "{l}"
    );
    assert_eq!(
        l["pillars_attached"],
        v["demarcation"]["tavush_gazakh"]["pillars"]
    );
    let bundle = Path::new(&out).join("ledger/am-az-sample.gpkg");
    let (code, text) = run(&["ledger", "verify", &bundle.display().to_string(), "--json"]);
    assert_eq!(code, 0, "{text}");
    let verified: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        verified["agreed"]["Tavush–Gazakh (sample)"]["mediator"], true,
        "{text}"
    );
    // A second run replaces its own folder; a foreign folder is left alone.
    assert_eq!(run(&["demo", "--out", &out_s]).0, 0);
    let foreign = dir.path().join("mine");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
    let (code, t) = run(&["demo", "--out", &foreign.display().to_string()]);
    assert_eq!(code, 1);
    assert!(t.contains("not made by `terminus demo`"), "{t}");
}

fn with_stdin(args: &[&str], input: &str) -> (i32, String, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_terminus"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // A command that fails on its arguments may exit before reading: a
    // broken pipe here is not the test's concern.
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(!err.contains("panicked"), "{err}");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).to_string(),
        err,
    )
}

#[test]
fn geodesic_inverse_and_direct_print_as_geodsolve() {
    // Reference lines printed by GeographicLib 2.1.2:
    //   printf "40.1 45.5 41.2 46.7\n" | GeodSolve -i       → 39.33331533 40.11509182 158811.258
    //   printf "40.1 45.5 41.2 46.7\n" | GeodSolve -i -f    → … 1.42939028 158794.831 … 552401207047
    //   printf "40.1 45.5 30 100000\n" | GeodSolve          → 40.87838414 46.09317898 30.38516475
    let (code, out, _) = with_stdin(&["geodesic", "inverse"], "40.1 45.5 41.2 46.7\n");
    assert_eq!(
        (code, out.as_str()),
        (0, "39.33331533 40.11509182 158811.258\n")
    );
    let (_, out, _) = with_stdin(&["geodesic", "inverse", "--full"], "40.1 45.5 41.2 46.7\n");
    assert_eq!(
        out,
        "39.33331533 40.11509182 158811.258 1.42939028 158794.831 552401207047\n"
    );
    let (_, out, _) = with_stdin(&["geodesic", "direct"], "40.1 45.5 30 100000\n");
    assert_eq!(out, "40.87838414 46.09317898 30.38516475\n");
    let (code, out, _) = with_stdin(
        &["geodesic", "inverse"],
        "91 45.5 41.2 46.7\n40.1 45.5 41.2 46.7\n",
    );
    assert_eq!(code, 1);
    assert!(
        out.starts_with("ERROR: Latitude 91d not in [-90d, 90d]\n39.3333"),
        "{out}"
    );
    let (code, _, err) = with_stdin(&["geodesic", "inverse", "--ellipsoid", "banana"], "");
    assert_eq!(code, 2);
    assert!(err.contains("--ellipsoid"), "{err}");
}

#[test]
fn crs_transform_names_its_datum_transformation() {
    // cs2cs -d 12 EPSG:4284 EPSG:4326 <<< "40.1 45.5" → 40.099896724586 45.498778313715 (PROJ 9.1.1, EPSG:15865)
    let (code, out, err) = with_stdin(
        &[
            "crs",
            "transform",
            "--from",
            "EPSG:4284",
            "--to",
            "EPSG:4326",
            "-p",
            "4",
        ],
        "40.1 45.5 TP-1\n",
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "40.099896725 45.498778314 TP-1\n");
    assert!(err.contains("using EPSG:15865"), "{err}");
    // cct -d 12 EPSG:1808 <<< "40.1 45.5 0" → 40.099939254628 45.498805466647
    let (_, out, err) = with_stdin(
        &[
            "crs",
            "transform",
            "--from",
            "EPSG:4284",
            "--to",
            "EPSG:4326",
            "--op",
            "EPSG:1808",
            "-p",
            "4",
        ],
        "40.1 45.5\n",
    );
    assert_eq!(out, "40.099939255 45.498805467\n");
    assert!(err.contains("EPSG:1808"), "{err}");
    // Gauss–Krüger northing first; UTM easting first. cs2cs: 4440830.948515 8542635.386426 and 542617.619131 4438976.115992.
    let (_, out, _) = with_stdin(
        &[
            "crs",
            "transform",
            "--from",
            "EPSG:4284",
            "--to",
            "EPSG:28408",
            "-p",
            "3",
        ],
        "40.1 45.5\n",
    );
    assert_eq!(out, "4440830.949 8542635.386\n");
    let (_, out, _) = with_stdin(
        &[
            "crs",
            "transform",
            "--from",
            "EPSG:4326",
            "--to",
            "EPSG:32638",
            "-p",
            "3",
        ],
        "40.1 45.5\n",
    );
    assert_eq!(out, "542617.619 4438976.116\n");
    // Outside the area of use: a warning with the distance.
    let (code, _, err) = with_stdin(
        &[
            "crs",
            "transform",
            "--from",
            "EPSG:4284",
            "--to",
            "EPSG:4326",
            "--op",
            "EPSG:1809",
        ],
        "40.1 45.5\n",
    );
    assert_eq!(code, 0);
    assert!(
        err.contains("km outside the area of use of EPSG:1809"),
        "{err}"
    );
    let (code, _, err) = with_stdin(
        &[
            "crs",
            "transform",
            "--from",
            "EPSG:4284",
            "--to",
            "EPSG:99999",
        ],
        "40.1 45.5\n",
    );
    assert_eq!(code, 2);
    assert!(err.contains("EPSG:99999"), "{err}");
}

#[test]
fn crs_ops_lists_the_choices_and_their_spread() {
    let (code, t) = run(&[
        "crs",
        "ops",
        "EPSG:4284",
        "EPSG:4326",
        "--at",
        "40.1,45.5",
        "--json",
    ]);
    assert_eq!(code, 0, "{t}");
    let v: serde_json::Value = serde_json::from_str(&t).unwrap();
    let ops = v["operations"].as_array().unwrap();
    assert_eq!(ops[0]["code"], "EPSG:15865");
    let o1808 = ops.iter().find(|o| o["code"] == "EPSG:1808").unwrap();
    // DOMAIN.md: the two differ by about 5.3 m there.
    assert!((o1808["metres_from_default"].as_f64().unwrap() - 5.3).abs() < 0.1);
    let (code, _) = run(&[
        "crs",
        "ops",
        "EPSG:4284",
        "EPSG:4326",
        "--at",
        "45.5,140.1,",
    ]);
    assert_eq!(code, 2);
}

#[test]
fn sheets_and_sheet_commands() {
    let (code, t) = run(&["sheet", "--at", "40.646111,45.515556", "--scale", "100000"]);
    assert_eq!((code, t.trim()), (0, "K-38-128"), "Artsvashen (DOMAIN.md)");
    let o = terminus(&["sheet", "K-38-128", "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (v["south"].as_f64(), v["west"].as_f64(), v["east"].as_f64()),
        (Some(40.0 + 1.0 / 3.0), Some(45.5), Some(46.0))
    );
    assert_eq!(v["wgs84"]["op"], "EPSG:15865");
    let (code, t) = run(&["sheet", "K-38-145"]);
    assert_eq!(code, 2);
    assert!(t.contains("1–144"), "{t}");
    // Every sheet that dense sampling of the line finds is listed, and the
    // listing adds only sheets the line truly enters between samples.
    let o = terminus(&[
        "sheets",
        "--along",
        &bundled("naturalearth10m_ARM_AZE_shared.geojson"),
        "--scale",
        "100000",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("EPSG:15865"));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let listed: std::collections::BTreeSet<String> = v["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    assert!(listed.contains("K-38-128"));
    use terminus_geodesy::crs::transform::CrsTransform;
    use terminus_geodesy::nomenclature::{sheet_at, Scale};
    use terminus_geodesy::Crs;
    let t = CrsTransform::new(&Crs::WGS84, &Crs::Epsg(4284), Some(15865), None).unwrap();
    let g = terminus_geodesy::Ellipsoid::KRASSOWSKY_1940.geodesic();
    let ds = terminus_formats::read(
        Path::new(&bundled("naturalearth10m_ARM_AZE_shared.geojson")),
        &Default::default(),
    )
    .unwrap();
    let mut sampled = std::collections::BTreeSet::new();
    for f in &ds.layers[0].features {
        let pts: Vec<terminus_geodesy::LatLon> = f
            .geometry
            .as_ref()
            .unwrap()
            .coords()
            .map(|c| t.apply(c.to_xy()).unwrap().latlon())
            .collect();
        for w in pts.windows(2) {
            for p in terminus_geodesy::geodesic::densify_by_spacing(&g, w[0], w[1], 20.0).unwrap() {
                sampled.insert(sheet_at(p, Scale::M100000).unwrap().id);
            }
        }
    }
    assert!(
        sampled.is_subset(&listed),
        "missing: {:?}",
        sampled.difference(&listed).collect::<Vec<_>>()
    );
    assert!(
        listed.len() <= sampled.len() + 2,
        "listed {listed:?} vs sampled {sampled:?}"
    );
}

#[test]
fn geodesic_area_densify_intersect_nearest() {
    // Planimeter (GeographicLib 2.1.2) on the 1°×1° cell: "4 443770.917248 12308778361.5".
    let (code, out, _) = with_stdin(&["geodesic", "area"], "0 0\n0 1\n1 1\n1 0\n");
    assert_eq!((code, out.as_str()), (0, "4 443770.917248 12308778361.5\n"));
    let (_, out, _) = with_stdin(
        &["geodesic", "densify", "--spacing", "50000"],
        "40.1 45.5 41.2 46.7\n",
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.first(), Some(&"40.10000000 45.50000000"));
    assert_eq!(lines.len(), 6, "{out}"); // 158.8 km in 4 steps, then a blank line
    let (_, out, _) = with_stdin(&["geodesic", "intersect"], "0 0 0 1 -1 0.5 1 0.5\n");
    assert!(
        out.starts_with("0.00000000 0.50000000 55659.745 110574.389 1"),
        "{out}"
    );
    let (_, out, _) = with_stdin(&["geodesic", "nearest"], "0.01 0.5 0 0 0 1\n");
    assert_eq!(out, "0.00000000 0.50000000 1105.743 55659.745 1\n");
    let (code, _, err) = with_stdin(&["geodesic", "densify"], "40 45 41 46\n");
    assert_eq!(code, 2);
    assert!(err.contains("--spacing"), "{err}");
}

#[test]
fn convert_reprojects_with_a_named_transformation() {
    let dir = tempfile::tempdir().unwrap();
    let gk = dir.path().join("line_gk8.gpkg");
    let o = terminus(&[
        "convert",
        &bundled("naturalearth10m_ARM_AZE_shared.geojson"),
        &gk.display().to_string(),
        "--to-crs",
        "EPSG:28408",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["datum_transformations"][0]
            .as_str()
            .map(|s| s.starts_with("EPSG:15865")),
        Some(true)
    );
    // A grid layer cannot go to KML as it is …
    let kml = dir.path().join("line.kml");
    let (code, t) = run(&[
        "convert",
        &gk.display().to_string(),
        &kml.display().to_string(),
    ]);
    assert_eq!(code, 1);
    assert!(t.contains("--to-crs EPSG:4326"), "{t}");
    // … but back to WGS 84 through the same transformation it round-trips to a millimetre.
    let back = dir.path().join("back.geojson");
    let (code, t) = run(&[
        "convert",
        &gk.display().to_string(),
        &back.display().to_string(),
        "--to-crs",
        "EPSG:4326",
        "--op",
        "EPSG:15865",
    ]);
    assert_eq!(code, 0, "{t}");
    let a = terminus_formats::read(
        Path::new(&bundled("naturalearth10m_ARM_AZE_shared.geojson")),
        &Default::default(),
    )
    .unwrap();
    let b = terminus_formats::read(&back, &Default::default()).unwrap();
    let g = terminus_geodesy::Ellipsoid::WGS84;
    let worst = a.layers[0]
        .features
        .iter()
        .zip(&b.layers[0].features)
        .flat_map(|(fa, fb)| {
            fa.geometry
                .as_ref()
                .unwrap()
                .coords()
                .zip(fb.geometry.as_ref().unwrap().coords())
                .map(|(p, q)| {
                    terminus_geodesy::measure::path_length(
                        &g,
                        [
                            terminus_geodesy::LatLon::new(p.y, p.x),
                            terminus_geodesy::LatLon::new(q.y, q.x),
                        ],
                    )
                })
                .collect::<Vec<_>>()
        })
        .fold(0.0f64, f64::max);
    assert!(worst < 1e-3, "round trip moved a vertex {worst} m");
}

#[test]
fn crs_transform_takes_proj_strings_with_towgs84() {
    // cs2cs -d 12 +proj=tmerc … +ellps=krass +towgs84=23.92,-141.27,-80.9,0,0.35,0.82,-0.12 +to +proj=longlat +datum=WGS84
    //   <<< "8542635.386 4440830.949" → 45.498808456536 40.099885727000 (PROJ 9.1.1)
    let from = "+proj=tmerc +lat_0=0 +lon_0=45 +k=1 +x_0=8500000 +y_0=0 +ellps=krass +towgs84=23.92,-141.27,-80.9,0,0.35,0.82,-0.12 +units=m +no_defs";
    let (code, out, err) = with_stdin(
        &[
            "crs",
            "transform",
            "--from",
            from,
            "--to",
            "EPSG:4326",
            "--xy",
            "-p",
            "7",
        ],
        "8542635.386 4440830.949\n",
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "45.498808456536 40.099885727000\n");
    let (code, _, err) = with_stdin(
        &[
            "crs",
            "transform",
            "--from",
            "+proj=longlat +ellps=krass",
            "--to",
            "EPSG:4326",
        ],
        "45 40\n",
    );
    assert_eq!(code, 1);
    assert!(err.contains("does not say its datum"), "{err}");
}

#[test]
fn compare_writes_layers_report_maps_and_the_documented_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cmp");
    let (code, t) = run(&[
        "compare",
        &bundled("naturalearth10m_ARM_AZE_shared.geojson"),
        &bundled("worldatlas10m_ARM_AZE_shared.geojson"),
        "--names",
        "NE5,NE4",
        "--parties",
        &format!(
            "{},{}",
            bundled("naturalearth10m_ARM.geojson"),
            bundled("naturalearth10m_AZE.geojson")
        ),
        "--party-names",
        "ARM,AZE",
        "--tolerance",
        "100m",
        "--detail-maps",
        "2",
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, 0, "{t}");
    let v: serde_json::Value = serde_json::from_str(&t[t.find('{').unwrap()..]).unwrap();
    let lines = v["lines"].as_array().unwrap();
    assert_eq!(lines[0]["name"], "NE5");
    // The bundled line's geodesic length (GeodSolve agrees to 1e-9 m, see the formats tests).
    assert!((lines[0]["length_m"].as_f64().unwrap() - 753_905.352635).abs() < 1e-3);
    let p = &v["pairs"][0];
    for key in [
        "a",
        "b",
        "agreed_length_m",
        "agreed_share",
        "discrepancy_count",
        "discrepancy_area_m2",
        "max_width_m",
        "gain_m2",
    ] {
        assert!(!p[key].is_null(), "{key} missing in {p}");
    }
    let share = p["agreed_share"].as_f64().unwrap();
    assert!((0.5..1.0).contains(&share), "{share}");
    let gains: f64 = p["gain_m2"]
        .as_object()
        .unwrap()
        .values()
        .map(|g| g.as_f64().unwrap())
        .sum();
    assert!((gains - p["discrepancy_area_m2"].as_f64().unwrap()).abs() < 1e-6);
    assert!(v["overlaps"].is_array());
    for f in [
        "summary.json",
        "report.md",
        "report.html",
        "comparison.gpkg",
        "agreement.geojson",
        "discrepancies.geojson",
        "affected_places.geojson",
        "closures.geojson",
        "territories.geojson",
        "maps/overview.svg",
        "maps/overview.png",
        "maps/NE5_vs_NE4_01.svg",
        "maps/NE5_vs_NE4_02.png",
    ] {
        assert!(out.join(f).exists(), "{f} not written");
    }
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        md.contains("The ten largest discrepancies") && md.contains("| NE5 | NE4 |"),
        "{md}"
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("<svg") && html.contains("<table>") && !html.contains("http://")
            || html.contains("xmlns")
    );
    // QGIS-readable: the GeoPackage opens with its five layers.
    let (code, t) = run(&[
        "info",
        out.join("comparison.gpkg").to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, 0, "{t}");
    assert!(
        t.contains("discrepancies") && t.contains("agreement"),
        "{t}"
    );
    // A second run into the same folder refuses to overwrite.
    let (code, t) = run(&[
        "compare",
        &bundled("naturalearth10m_ARM_AZE_shared.geojson"),
        &bundled("worldatlas10m_ARM_AZE_shared.geojson"),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{t}");
    assert!(t.contains("exists") && t.contains("--overwrite"), "{t}");
}

#[test]
fn compare_transforms_a_gauss_kruger_line_and_says_how() {
    let dir = tempfile::tempdir().unwrap();
    let gk = dir.path().join("ne_gk8.gpkg");
    let (code, t) = run(&[
        "convert",
        &bundled("naturalearth10m_ARM_AZE_shared.geojson"),
        gk.to_str().unwrap(),
        "--to-crs",
        "EPSG:28408",
        "--op",
        "EPSG:15865",
    ]);
    assert_eq!(code, 0, "{t}");
    let (code, t) = run(&[
        "compare",
        gk.to_str().unwrap(),
        &bundled("naturalearth10m_ARM_AZE_shared.geojson"),
        "--names",
        "GK,WGS",
        "--op",
        "EPSG:15865",
        "--json",
    ]);
    assert_eq!(code, 0, "{t}");
    let v: serde_json::Value = serde_json::from_str(&t[t.find('{').unwrap()..]).unwrap();
    let warnings = v["warnings"].to_string();
    assert!(
        warnings.contains("EPSG:28408") && warnings.contains("EPSG:15865"),
        "{warnings}"
    );
    // There and back through the same Helmert (the reverse is the exact
    // inverse of the forward): the same line, under a square metre between
    // the two over 754 km (66.7 m² when the reverse was PROJ's).
    let p = &v["pairs"][0];
    assert!(p["agreed_share"].as_f64().unwrap() > 0.999_999, "{p}");
    assert!(p["area_between_m2"].as_f64().unwrap() < 1.0, "{p}");
    // Known: the coincident lines leave a 23 mm² sliver face whose width is
    // measured to the whole other line (6.2 km); the compare engine's
    // handling of coincident lines is issue 18's. Its area is what counts here.
    assert!(p["discrepancy_area_m2"].as_f64().unwrap() < 1e-3, "{p}");
}

#[test]
fn compare_refuses_bad_claim_lines_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let bow = dir.path().join("bow.geojson");
    std::fs::write(
        &bow,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[45.0,40.0],[45.1,40.1],[45.1,40.0],[45.0,40.1]]}}]}"#,
    )
    .unwrap();
    let far = dir.path().join("far.geojson");
    std::fs::write(
        &far,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[60.0,50.0],[60.1,50.1]]}}]}"#,
    )
    .unwrap();
    let ne = bundled("naturalearth10m_ARM_AZE_shared.geojson");
    let (code, t) = run(&["compare", bow.to_str().unwrap(), &ne, "--json"]);
    assert_eq!(code, 1, "{t}");
    assert!(
        t.contains("\"bow\" crosses itself") && t.contains("segment 0") && t.contains("segment 2"),
        "{t}"
    );
    let (code, t) = run(&["compare", far.to_str().unwrap(), &ne, "--json"]);
    assert_eq!(code, 1, "{t}");
    assert!(
        t.contains("do not come within") && t.contains("nearest approach"),
        "{t}"
    );
    let (code, t) = run(&[
        "compare",
        &bundled("naturalearth10m_ARM.geojson"),
        &ne,
        "--json",
    ]);
    assert_eq!(code, 2, "{t}");
    assert!(
        t.contains("must be a LineString or MultiLineString, not a polygon")
            && t.contains("--parties"),
        "{t}"
    );
    let (code, t) = run(&["compare", &ne, &ne, "--tolerance", "ten", "--json"]);
    assert_eq!(code, 2, "{t}");
    assert!(t.contains("not a distance"), "{t}");
    let (code, t) = run(&["compare", &ne, &ne, "--json"]);
    assert_eq!(code, 2, "{t}");
    assert!(t.contains("both called"), "{t}");
}

/// `terminus terrain …`: each subcommand parses its arguments, calls its
/// workflow (whose figures crates/app/tests/terrain_workflows.rs checks as
/// library calls) and prints; bad arguments exit 2 with the reason, an
/// operation that cannot be done exits 1.
#[test]
fn terrain_commands_parse_print_and_exit() {
    let dem = bundled("gebco2023_alay_pamir_KG_TJ_15s.tif");
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).display().to_string();
    let (code, t) = run(&["terrain", "info", &dem, "--json"]);
    assert_eq!(code, 0, "{t}");
    let v: serde_json::Value = serde_json::from_str(&t).unwrap();
    assert_eq!(
        (v["width"].as_u64(), v["max"].as_f64()),
        (Some(600), Some(7243.0))
    );
    let (code, t) = run(&["terrain", "info", &dem]);
    assert_eq!(code, 0, "{t}");
    assert!(
        t.contains("600 × 336 cells") && t.contains("1379 – 7243 m"),
        "{t}"
    );
    // Plain fill keeps the sample type; --epsilon on int16 writes Float32.
    let (code, t) = run(&["terrain", "fill", &dem, &path("filled.tif")]);
    assert_eq!(code, 0, "{t}");
    assert!(t.contains("6306 cells raised"), "{t}");
    let (_, t) = run(&["terrain", "info", &path("filled.tif"), "--json"]);
    assert!(t.contains("\"sample_type\": \"I16\""), "{t}");
    let (code, t) = run(&[
        "terrain",
        "fill",
        &dem,
        &path("filled.tif"),
        "--epsilon",
        "--overwrite",
    ]);
    assert_eq!(code, 0, "{t}");
    assert!(t.contains("Float32"), "{t}");
    let (code, t) = run(&["terrain", "fill", &dem, &path("filled.tif")]);
    assert_eq!(code, 2, "{t}");
    assert!(t.contains("exists"), "{t}");
    let (code, t) = run(&["terrain", "info", &bundled("naturalearth10m_ARM.geojson")]);
    assert_eq!(code, 2, "{t}");
    assert!(t.contains("unknown DEM format"), "{t}");
    let (code, t) = run(&[
        "terrain",
        "clip",
        &dem,
        &path("x.tif"),
        "--box",
        "10,10,11,11",
    ]);
    assert_eq!(code, 1, "{t}");
    assert!(t.contains("does not overlap the DEM"), "{t}");
    let (code, t) = run(&[
        "terrain",
        "clip",
        &dem,
        &path("corridor.tif"),
        "--along",
        &bundled("naturalearth10m_KGZ_TJK_shared.geojson"),
        "--distance",
        "10km",
    ]);
    assert_eq!(code, 0, "{t}");
    assert!(t.contains("within 10000 m of the line"), "{t}");
    // The pipeline prints RichDEM's largest accumulation; basins of a pour
    // point print how many cells drain through it.
    let (code, t) = run(&[
        "terrain",
        "pipeline",
        &dem,
        "--out",
        &path("pipe"),
        "--metric",
        "drop",
        "--drainage",
        "epsilon",
    ]);
    assert_eq!(code, 0, "{t}");
    assert!(t.contains("largest accumulation 37083 cells"), "{t}");
    let (code, t) = run(&["terrain", "breach", &dem, &path("br.tif")]);
    assert_eq!(code, 0, "{t}");
    assert!(t.contains("pits") && t.contains("breached"), "{t}");
    std::fs::write(
        path("far.geojson"),
        r#"{"type":"Point","coordinates":[10,10]}"#,
    )
    .unwrap();
    let (code, t) = run(&[
        "terrain",
        "basins",
        &path("pipe/filled.tif"),
        &path("c.tif"),
        "--pour-points",
        &path("far.geojson"),
    ]);
    assert_eq!(code, 2, "{t}");
    assert!(
        t.contains("pour point 1") && t.contains("outside the DEM"),
        "{t}"
    );
    let (code, t) = run(&[
        "terrain",
        "streams",
        &dem,
        &path("s.geojson"),
        "--threshold",
        "300",
    ]);
    assert_eq!(code, 0, "{t}");
    assert!(t.contains("stream segments (threshold 300 cells)"), "{t}");
    let (code, t) = run(&["terrain", "streams", &dem, &path("x.geojson")]);
    assert_eq!(code, 2, "{t}");
    assert!(t.contains("--threshold") && t.contains("--min-area"), "{t}");
    let (code, t) = run(&[
        "terrain",
        "thalweg",
        &dem,
        "--from",
        "39.6646,72.8354",
        "--to",
        "39.4896,72.0021",
        "--corridor",
        "5km",
        "--out",
        &path("thalweg.geojson"),
    ]);
    assert_eq!(code, 0, "{t}");
    assert!(t.starts_with("thalweg ") && t.contains("km over"), "{t}");
    let (code, t) = run(&[
        "terrain",
        "thalweg",
        &dem,
        "--from",
        "north",
        "--to",
        "39.4896,72.0021",
        "--out",
        &path("y.geojson"),
    ]);
    assert_eq!(code, 2, "{t}");
    assert!(t.contains("expected LAT,LON"), "{t}");
    let line = bundled("naturalearth10m_KGZ_TJK_shared.geojson");
    let (code, t) = run(&[
        "terrain",
        "divide",
        &dem,
        "--along",
        &line,
        "--corridor",
        "10km",
        "--out",
        &path("divide.geojson"),
        "--compare",
        &line,
    ]);
    assert_eq!(code, 0, "{t}");
    assert!(
        t.contains("divide 1 line(s)") && t.contains("vs ") && t.contains("departs by up to"),
        "{t}"
    );
    // A hole in the DEM on the corridor: refused with the way out named;
    // --voids fill traces it and says what it filled.
    let mut holed = terminus_terrain::read(std::path::Path::new(&dem), None).unwrap();
    let (c, r) = holed
        .georef
        .cell_at(72.88, 39.35, holed.width, holed.height)
        .unwrap();
    for rr in r - 3..=r + 3 {
        for cc in c - 3..=c + 3 {
            holed.data[rr * holed.width + cc] = f32::NAN;
        }
    }
    let holed_path = path("holed.tif");
    terminus_terrain::geotiff::write(std::path::Path::new(&holed_path), &holed).unwrap();
    let divide_over = |voids: &str, out: &str| {
        run(&[
            "terrain",
            "divide",
            &holed_path,
            "--along",
            &line,
            "--corridor",
            "10km",
            "--voids",
            voids,
            "--out",
            out,
        ])
    };
    let (code, t) = divide_over("refuse", &path("d3.geojson"));
    assert_eq!(code, 2, "{t}");
    assert!(
        t.contains("1 void(s), 49 cells") && t.contains("--voids fill"),
        "{t}"
    );
    let (code, t) = divide_over("fill", &path("d4.geojson"));
    assert_eq!(code, 0, "{t}");
    assert!(
        t.contains("voids: 1 void(s) met") && t.contains("filled first"),
        "{t}"
    );
    let (code, t) = divide_over("drain", &path("d5.geojson"));
    assert_eq!(code, 2, "{t}");
    assert!(t.contains("refuse, fill or outlet"), "{t}");
    let (code, t) = run(&["terrain", "divide", &dem, "--out", &path("d2.geojson")]);
    assert_eq!(code, 2, "{t}");
    assert!(
        t.contains("required arguments were not provided") && t.contains("--a"),
        "{t}"
    );
    std::fs::write(
        path("l.geojson"),
        r#"{"type":"LineString","coordinates":[[72.0,39.500],[72.1,39.500]]}"#,
    )
    .unwrap();
    std::fs::write(
        path("r.geojson"),
        r#"{"type":"LineString","coordinates":[[72.0,39.498],[72.1,39.498]]}"#,
    )
    .unwrap();
    let (code, t) = run(&[
        "terrain",
        "median",
        "--left",
        &path("l.geojson"),
        "--right",
        &path("r.geojson"),
        "--out",
        &path("m.geojson"),
        "--json",
    ]);
    assert_eq!(code, 0, "{t}");
    let v: serde_json::Value = serde_json::from_str(&t).unwrap();
    assert!(v["max_inequality_m"].as_f64().unwrap() < 1e-3, "{v}");
    assert!(std::path::Path::new(&path("m.geojson")).exists());
}

/// A batch command whose reader has gone away (`terminus sheet … --json |
/// head` after head exited) ends quietly as `cat` does — by SIGPIPE, with
/// nothing on stderr — instead of panicking in `println!` on EPIPE.
#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_a_command_quietly() {
    use std::io::Read as _;
    use std::os::unix::process::ExitStatusExt as _;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_terminus"))
        .args(["sheet", "K-38-128", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Hang up before the command has written anything.
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(status.signal(), Some(13), "{status:?}: {err}");
}

/// The Alay sector of the NE Kyrgyz–Tajik line as its own GeoJSON file.
fn alay_sector_file(dir: &Path) -> String {
    let text = std::fs::read_to_string(bundled("naturalearth10m_KGZ_TJK_shared.geojson")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let coords: Vec<serde_json::Value> = v["features"][0]["geometry"]["coordinates"]
        .as_array()
        .unwrap()
        .iter()
        .take_while(|c| {
            let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
            (72.02..=74.48).contains(&lon) && (38.62..=39.98).contains(&lat)
        })
        .cloned()
        .collect();
    let fc = serde_json::json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": coords}}]});
    let p = dir.join("alay_sector.geojson");
    std::fs::write(&p, fc.to_string()).unwrap();
    p.display().to_string()
}

#[test]
fn los_prints_the_issue_json() {
    let dem = bundled("gebco2023_alay_pamir_KG_TJ_15s.tif");
    let (code, out) = run(&[
        "los",
        &dem,
        "--from",
        "39.40,72.80",
        "--to",
        "39.45,72.95",
        "--json",
    ]);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for k in ["visible", "distance_m", "min_clearance_m", "blocking"] {
        assert!(v.get(k).is_some(), "{k} missing: {out}");
    }
    // Symmetric through the CLI too.
    let (_, back) = run(&[
        "los",
        &dem,
        "--from",
        "39.45,72.95",
        "--to",
        "39.40,72.80",
        "--json",
    ]);
    let w: serde_json::Value = serde_json::from_str(&back).unwrap();
    assert_eq!(v["visible"], w["visible"]);
    assert_eq!(v["distance_m"], w["distance_m"]);
    assert_eq!(v["min_clearance_m"], w["min_clearance_m"]);
    // Swapped coordinates and a point off the DEM: clear messages, exit 2.
    let (code, out) = run(&["los", &dem, "--from", "72.80,39.40", "--to", "39.45,72.95"]);
    assert_eq!(code, 2);
    assert!(
        out.contains("outside the DEM") && out.contains("did you give LON,LAT"),
        "{out}"
    );
    let (code, out) = run(&["los", &dem, "--from", "45.0,72.80", "--to", "39.45,72.95"]);
    assert_eq!(code, 2);
    assert!(out.contains("outside the DEM"), "{out}");
}

#[test]
fn viewshed_writes_a_geotiff_gdal_reads() {
    let dir = tempfile::tempdir().unwrap();
    let dem = bundled("gebco2023_alay_pamir_KG_TJ_15s.tif");
    let out = dir.path().join("seen.tif");
    let o = out.display().to_string();
    let (code, text) = run(&[
        "viewshed",
        &dem,
        "--at",
        "39.40,72.80",
        "--radius",
        "20km",
        "--out",
        &o,
        "--json",
    ]);
    assert_eq!(code, 0, "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(v["visible_cells"].as_u64().unwrap() > 10);
    let d = terminus_terrain::read(&out, None).unwrap();
    let visible = d.data.iter().filter(|&&x| x == 255.0).count() as u64;
    assert_eq!(visible, v["visible_cells"].as_u64().unwrap());
    // Refuses to overwrite.
    let (code, text) = run(&["viewshed", &dem, "--at", "39.40,72.80", "--out", &o]);
    assert_eq!(code, 2, "{text}");
}

#[test]
fn demarcate_plan_writes_every_format_and_the_description_checks() {
    let dir = tempfile::tempdir().unwrap();
    let line = alay_sector_file(dir.path());
    let out = dir.path().join("pillars");
    let o = out.display().to_string();
    let dem = bundled("gebco2023_alay_pamir_KG_TJ_15s.tif");
    let (code, text) = run(&[
        "demarcate",
        "plan",
        &line,
        "--dem",
        &dem,
        "--prefix",
        "KT",
        "--section",
        "Alay",
        "--out",
        &o,
        "--json",
    ]);
    assert_eq!(code, 0, "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    // 62 turning points: two are closer than the default minimum spacing
    // (50 m, a tenth of 500 m), so one shares the other's pillar.
    assert_eq!(v["main"], 61);
    assert_eq!(v["merged_turning_points"], 1);
    assert_eq!(v["min_spacing_m"], 50.0);
    assert!(v["smallest_spacing_m"].as_f64().unwrap() >= 50.0);
    assert_eq!(v["pairs_not_intervisible"], 0);
    assert!(v["largest_spacing_m"].as_f64().unwrap() <= 500.0);
    for f in [
        "catalogue.csv",
        "catalogue.geojson",
        "catalogue.gpkg",
        "catalogue.kml",
        "catalogue.gpx",
        "description_en.md",
        "description_en.html",
        "description_ru.md",
        "description_ru.html",
        "plan.json",
        "report.md",
        "maps/plan.png",
        "maps/plan.svg",
    ] {
        assert!(out.join(f).exists(), "{f}");
    }
    // The report: the figures, every warning of --json (a pillar on steep
    // ground among them, by number), the merged turning point, the map
    // over the DEM's relief.
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        report.contains("| main (turning points) | 61 |"),
        "{report:.600}"
    );
    let warnings: Vec<&str> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    let steep: Vec<&str> = warnings
        .iter()
        .filter_map(|w| w.split("steeper than 30°: ").nth(1))
        .collect();
    assert_eq!(steep.len(), 1, "{warnings:?}");
    for w in warnings.iter().filter(|w| !w.contains("steeper than 30°")) {
        assert!(report.contains(&format!("- {w}")), "{w}");
    }
    // Every pillar named steep is a row of the report's table.
    for n in steep[0].split(", ").map(|n| n.split(' ').next().unwrap()) {
        assert!(report.contains(&format!("| {n} |")), "{n}");
    }
    assert!(report.contains("## Turning points without a pillar (1)"));
    assert!(report.contains("](maps/plan.png)") && report.contains("relief"));
    let svg = std::fs::read_to_string(out.join("maps/plan.svg")).unwrap();
    assert!(svg.contains("data:image/png;base64,") && svg.contains("KT-001"));
    // The field files carry the line: KML styled by type and labelled by
    // number, with the line through every row; GPX waypoints and a route
    // through the same rows (read back through Terminus' own readers).
    let rows = std::fs::read_to_string(out.join("catalogue.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    let kml = std::fs::read_to_string(out.join("catalogue.kml")).unwrap();
    assert!(kml.contains("<Style id=\"main\">") && kml.contains("<Style id=\"unmarked\">"));
    assert!(
        kml.contains("<name>KT-001</name>\n  <styleUrl>#main</styleUrl>"),
        "{kml:.2000}"
    );
    assert_eq!(kml.matches("<styleUrl>#unmarked</styleUrl>").count(), 1);
    for (file, layer) in [("catalogue.kml", "line"), ("catalogue.gpx", "routes")] {
        let ds = terminus_formats::read(&out.join(file), &Default::default()).unwrap();
        let line = ds.layers.iter().find(|l| l.name == layer).unwrap();
        let Some(terminus_vector::Geometry::LineString(l)) = &line.features[0].geometry else {
            panic!("{file}: no line");
        };
        assert_eq!(l.len(), rows, "{file}");
        let points = ds.layers.iter().find(|l| l.name != layer).unwrap();
        assert_eq!(points.features.len(), rows, "{file}");
    }
    let csv = std::fs::read_to_string(out.join("catalogue.csv")).unwrap();
    assert!(csv.starts_with("number,type,lat,lon,lat_dms,lon_dms,utm_zone,utm_e,utm_n,gk_zone,gk_x,gk_y,height_m,azimuth_next_deg,azimuth_next_dms,distance_next_m,visible_next,sheet_50k"));
    // The written descriptions parse back to the catalogue within 1 mm.
    let cat = out.join("catalogue.csv").display().to_string();
    for lang in ["en", "ru"] {
        let desc = out
            .join(format!("description_{lang}.md"))
            .display()
            .to_string();
        let (code, text) = run(&["describe", &cat, "--check", &desc, "--json"]);
        assert_eq!(code, 0, "{text}");
        let c: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(c["max_misclosure_m"].as_f64().unwrap() < 1e-3, "{text}");
    }
    // A tampered description fails the check (exit 1).
    let md = std::fs::read_to_string(out.join("description_en.md")).unwrap();
    // The first run's distance (400 m) becomes 500 m.
    let bad = md.replacen("for 4", "for 5", 1);
    assert_ne!(bad, md);
    let badp = dir.path().join("bad.md");
    std::fs::write(&badp, bad).unwrap();
    let (code, text) = run(&["describe", &cat, "--check", &badp.display().to_string()]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("BEYOND tolerance"), "{text}");
    // describe to HTML.
    let html = dir.path().join("d.html");
    let (code, text) = run(&[
        "describe",
        &cat,
        "--lang",
        "ru",
        "--section",
        "Алай",
        "--out",
        &html.display().to_string(),
    ]);
    assert_eq!(code, 0, "{text}");
    assert!(std::fs::read_to_string(&html)
        .unwrap()
        .contains("пограничного знака № KT-001"));
    // Existing outputs are not replaced without --overwrite.
    let (code, text) = run(&["demarcate", "plan", &line, "--out", &o]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("exists"), "{text}");
}

#[test]
fn demarcate_refuses_a_line_leaving_the_dem_and_survey_checks_name_offenders() {
    let dir = tempfile::tempdir().unwrap();
    let dem = bundled("gebco2023_alay_pamir_KG_TJ_15s.tif");
    let line = dir.path().join("long.geojson");
    std::fs::write(&line, r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[73.0,39.5],[73.0,41.0]]}}]}"#).unwrap();
    let out = dir.path().join("p").display().to_string();
    let (code, text) = run(&[
        "demarcate",
        "plan",
        &line.display().to_string(),
        "--dem",
        &dem,
        "--out",
        &out,
    ]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("outside the DEM") && text.contains("the line at"),
        "{text}"
    );
    // Plan without a DEM, then check a survey with an unknown and a duplicate number.
    let (code, text) = run(&[
        "demarcate",
        "plan",
        &line.display().to_string(),
        "--prefix",
        "X",
        "--out",
        &out,
    ]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("no DEM: spacing only"), "{text}");
    // The same plan's report in Russian; a language Terminus has no table
    // for is refused by name.
    let ru = dir.path().join("ru").display().to_string();
    let args = |lang: &'static str| {
        let line = line.display().to_string();
        move |out: &str| {
            run(&[
                "demarcate",
                "plan",
                &line,
                "--prefix",
                "X",
                "--lang",
                lang,
                "--out",
                out,
            ])
        }
    };
    let (code, text) = args("ru")(&ru);
    assert_eq!(code, 0, "{text}");
    let report = std::fs::read_to_string(format!("{ru}/report.md")).unwrap();
    assert!(
        report.contains("# План установки пограничных знаков") && report.contains("км |"),
        "{report}"
    );
    let (code, text) = args("hy")(&format!("{ru}2"));
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("no report language \"hy\""), "{text}");
    let cat = format!("{out}/catalogue.csv");
    let survey = dir.path().join("rtk.csv");
    std::fs::write(
        &survey,
        "number,lat,lon\nX-001,39.5,73.0\nX-001/1,39.5045,73.0\nX-999,39.6,73.0\nX-001,39.5,73.0\n",
    )
    .unwrap();
    let (code, text) = run(&[
        "survey",
        "check",
        &survey.display().to_string(),
        "--catalogue",
        &cat,
        "--line",
        &line.display().to_string(),
        "--crs",
        "EPSG:4326",
    ]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("X-999 (record 3)") && text.contains("X-001 (records 1 and 4)"),
        "{text}"
    );
    // A clean survey: 2 pillars, one 6 cm off across the line.
    std::fs::write(
        &survey,
        "number,lat,lon\nX-001,39.5,73.0\nX-001/1,39.5045,73.0000007\n",
    )
    .unwrap();
    let (code, text) = run(&[
        "survey",
        "check",
        &survey.display().to_string(),
        "--catalogue",
        &cat,
        "--line",
        &line.display().to_string(),
        "--crs",
        "EPSG:4326",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("{text}"));
    assert_eq!(v["pillars"].as_array().unwrap().len(), 2);
    assert_eq!(code, 1, "{text}");
    assert_eq!(v["off_line"], 1);
}

/// Crafted files that aborted the process (stack overflow, exit 134) or
/// took gigabytes end in a clear error, exit 2: 21,000 nested WKT
/// collections, 17,000 nested KML folders, a KMZ inflating past its cap.
#[test]
fn crafted_files_end_in_an_error_not_an_abort() {
    let dir = tempfile::tempdir().unwrap();
    let wkt = dir.path().join("deep.wkt");
    std::fs::write(
        &wkt,
        format!(
            "{}POINT (1 2){}\n",
            "GEOMETRYCOLLECTION (".repeat(21_000),
            ")".repeat(21_000)
        ),
    )
    .unwrap();
    let kml = dir.path().join("deep.kml");
    std::fs::write(
        &kml,
        format!(
            "<?xml version=\"1.0\"?><kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document>{}<Placemark><Point><coordinates>45,40</coordinates></Point></Placemark>{}</Document></kml>",
            "<Folder>".repeat(17_000),
            "</Folder>".repeat(17_000)
        ),
    )
    .unwrap();
    let kmz = dir.path().join("bomb.kmz");
    {
        use std::io::Write;
        let mut z = zip::ZipWriter::new(std::fs::File::create(&kmz).unwrap());
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        z.start_file("doc.kml", opts).unwrap();
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..520 {
            z.write_all(&chunk).unwrap();
        }
        z.finish().unwrap();
    }
    assert!(std::fs::metadata(&kmz).unwrap().len() < 4 << 20);
    for (file, says) in [
        (&wkt, "nested deeper than 32"),
        (&kml, "nested deeper than 256"),
        (&kmz, "inflates to more than 512 MiB"),
    ] {
        let (code, t) = run(&["info", file.to_str().unwrap()]);
        assert_eq!(code, 2, "{t}");
        assert!(t.contains(says), "{t}");
    }
}

/// `kill -9` at spread moments of `terminus convert` to a GeoPackage and
/// to a Shapefile: never a file under the output's name that is not the
/// whole result — either none, or one that reads back with every feature.
#[test]
fn an_interrupted_convert_leaves_no_partial_output() {
    let dir = tempfile::tempdir().unwrap();
    // 40 lines of 5,000 vertices.
    let input = dir.path().join("lines.geojson");
    let mut text = String::from("{\"type\":\"FeatureCollection\",\"features\":[");
    for l in 0..40 {
        if l > 0 {
            text.push(',');
        }
        text.push_str(&format!("{{\"type\":\"Feature\",\"properties\":{{\"n\":{l}}},\"geometry\":{{\"type\":\"LineString\",\"coordinates\":["));
        for v in 0..5_000 {
            if v > 0 {
                text.push(',');
            }
            text.push_str(&format!(
                "[{},{}]",
                45.0 + v as f64 * 1e-4,
                40.0 + l as f64 * 1e-3
            ));
        }
        text.push_str("]}}");
    }
    text.push_str("]}");
    std::fs::write(&input, text).unwrap();
    let runs: u64 = std::env::var("TERMINUS_CRASH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6);
    for ext in ["gpkg", "shp"] {
        let spawn = |out: &Path| {
            Command::new(env!("CARGO_BIN_EXE_terminus"))
                .args(["convert", input.to_str().unwrap(), out.to_str().unwrap()])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        };
        let t = std::time::Instant::now();
        let full = dir.path().join(format!("full.{ext}"));
        assert!(spawn(&full).wait().unwrap().success());
        let whole = t.elapsed();
        let whole_result = |out: &Path| {
            let (code, t) = run(&["info", out.to_str().unwrap(), "--json"]);
            let v: serde_json::Value = serde_json::from_str(&t).unwrap_or_default();
            (code, v["layers"][0]["features"].as_u64(), t)
        };
        assert_eq!(whole_result(&full).1, Some(40), "{}", whole_result(&full).2);
        let mut finished = 0;
        for k in 0..runs {
            let out = dir.path().join(format!("o{k}.{ext}"));
            let mut child = spawn(&out);
            // From the start to past the end, so that some finish.
            let at = whole.mul_f64(((k * 7919) % 130) as f64 / 100.0);
            std::thread::sleep(at);
            let _ = child.kill();
            let _ = child.wait();
            if out.exists() {
                finished += 1;
                let (code, n, t) = whole_result(&out);
                assert_eq!((code, n), (0, Some(40)), "{ext} killed after {at:?}: {t}");
            }
        }
        eprintln!("{ext}: {runs} interrupted converts, {finished} had finished");
    }
}

/// `demarcate plan --piece/--clip` on the whole NE Kyrgyz–Tajik line: the
/// Alay part chosen by a box (the same 62 turning points as the sector the
/// test above cuts by hand, plus the two cut points), and the refusals
/// that say what the file holds.
#[test]
fn demarcate_plan_chooses_and_clips_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let whole = bundled("naturalearth10m_KGZ_TJK_shared.geojson");
    let o = dir.path().join("p").display().to_string();
    let (code, text) = run(&[
        "demarcate",
        "plan",
        &whole,
        "--piece",
        "1",
        "--clip",
        "38.62,72.02,39.98,74.48",
        "--min-spacing",
        "0m",
        "--out",
        &o,
        "--json",
    ]);
    assert_eq!(code, 0, "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let main = v["main"].as_u64().unwrap();
    assert!((62..=64).contains(&main), "{main} main pillars");
    let (code, text) = run(&["demarcate", "plan", &whole, "--piece", "9", "--out", &o]);
    assert_eq!(code, 2);
    assert!(text.contains("--piece 9: the file has"), "{text}");
    let (code, text) = run(&[
        "demarcate",
        "plan",
        &whole,
        "--piece",
        "nowhere",
        "--out",
        &o,
    ]);
    assert_eq!(code, 2);
    assert!(text.contains("no line is called \"nowhere\""), "{text}");
    let (code, text) = run(&[
        "demarcate",
        "plan",
        &whole,
        "--piece",
        "1",
        "--clip",
        "10,10,11,11",
        "--out",
        &o,
    ]);
    assert_eq!(code, 2);
    assert!(text.contains("no part of the line lies inside"), "{text}");
    // Two pieces and no --piece: the hint names it.
    let (code, text) = run(&["demarcate", "plan", &whole, "--out", &o]);
    assert_eq!(code, 2);
    assert!(text.contains("--piece N"), "{text}");
    let (code, text) = run(&[
        "demarcate",
        "plan",
        &whole,
        "--clip",
        "10,10,11",
        "--out",
        &o,
    ]);
    assert_eq!(code, 2);
    assert!(text.contains("S,W,N,E"), "{text}");
}

/// A hole in the DEM under the line: `demarcate plan` and `los` refuse,
/// naming it, unless --voids fill (before: the plan's sight checks read a
/// void as "not visible" and went on).
#[test]
fn pillars_and_sight_over_a_void_are_refused_unless_filled() {
    let dir = tempfile::tempdir().unwrap();
    let line = alay_sector_file(dir.path());
    let dem_path = bundled("gebco2023_alay_pamir_KG_TJ_15s.tif");
    let mut dem = terminus_terrain::read(Path::new(&dem_path), None).unwrap();
    // A 5 × 5-cell hole on the sector's 10th vertex.
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&line).unwrap()).unwrap();
    let at = &v["features"][0]["geometry"]["coordinates"][10];
    let (lon, lat) = (at[0].as_f64().unwrap(), at[1].as_f64().unwrap());
    let (c, r) = dem.georef.cell_at(lon, lat, dem.width, dem.height).unwrap();
    for rr in r - 2..=r + 2 {
        for cc in c - 2..=c + 2 {
            dem.data[rr * dem.width + cc] = f32::NAN;
        }
    }
    let holed = dir.path().join("holed.tif");
    terminus_terrain::geotiff::write(&holed, &dem).unwrap();
    let holed = holed.display().to_string();
    let out = |n: &str| dir.path().join(n).display().to_string();
    let (code, t) = run(&[
        "demarcate",
        "plan",
        &line,
        "--dem",
        &holed,
        "--out",
        &out("p1"),
    ]);
    assert_eq!(code, 2, "{t}");
    assert!(
        t.contains("1 void(s), 25 cells")
            && t.contains("line of pillars")
            && t.contains("--voids fill"),
        "{t}"
    );
    let (code, t) = run(&[
        "demarcate",
        "plan",
        &line,
        "--dem",
        &holed,
        "--voids",
        "fill",
        "--out",
        &out("p2"),
        "--json",
    ]);
    assert_eq!(code, 0, "{t}");
    let s: serde_json::Value = serde_json::from_str(&t).unwrap();
    assert_eq!(s["voids"]["voids"].as_array().unwrap().len(), 1);
    assert_eq!(s["voids"]["cells"], 25);
    assert_eq!(s["voids"]["policy"], "fill");
    // A sight line across the hole, and one clear of it.
    let across = [
        &format!("{},{}", lat - 0.02, lon),
        &format!("{},{}", lat + 0.02, lon),
    ];
    let (code, t) = run(&["los", &holed, "--from", across[0], "--to", across[1]]);
    assert_eq!(code, 2, "{t}");
    assert!(t.contains("line of sight") && t.contains("25 cells"), "{t}");
    let (code, t) = run(&[
        "los", &holed, "--from", across[0], "--to", across[1], "--voids", "fill", "--json",
    ]);
    assert_eq!(code, 0, "{t}");
    let s: serde_json::Value = serde_json::from_str(&t).unwrap();
    assert_eq!(s["voids"]["cells"], 25);
    let (code, t) = run(&[
        "los", &holed, "--from", across[0], "--to", across[1], "--voids", "outlet",
    ]);
    assert_eq!(code, 2, "{t}");
    assert!(t.contains("--voids refuse|fill"), "{t}");
}
