//! One road from a file to a result, end to end: SK-42 turning points
//! through demarcation come back as supplied; terrain and sheets take any
//! CRS; a file that does not say its CRS is refused by every command.

use sha2::Digest as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use terminus_geodesy::Crs;
use terminus_vector::{Coord, Dataset, Feature, Geometry, Layer};

fn run(args: &[&str]) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_terminus"))
        .args(args)
        .output()
        .unwrap();
    let t = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!t.contains("panicked"), "panic on {args:?}:\n{t}");
    (o.status.code().unwrap_or(-1), t)
}

fn bundled(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data")
        .join(name)
        .display()
        .to_string()
}

/// Turning points near Tavush–Gazakh as a commission supplies them:
/// Pulkovo 1942 / Gauss–Krüger zone 8 (EPSG:28408), (X northing, Y easting
/// with the zone prefix), to the centimetre.
const GK8: [(f64, f64); 4] = [
    (4_540_190.23, 8_527_861.41),
    (4_541_402.87, 8_529_113.05),
    (4_542_018.60, 8_531_577.92),
    (4_543_950.11, 8_532_040.36),
];

/// The catalogue's rows as header → value maps.
fn catalogue(dir: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let text = std::fs::read_to_string(dir.join("catalogue.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    lines
        .map(|l| {
            header
                .iter()
                .cloned()
                .zip(l.split(',').map(String::from))
                .collect()
        })
        .collect()
}

fn num(row: &std::collections::HashMap<String, String>, k: &str) -> f64 {
    row[k]
        .parse()
        .unwrap_or_else(|_| panic!("{k}: {:?}", row[k]))
}

/// Plan pillars on `input` with `--op EPSG:op` and the extra arguments;
/// return the folder.
fn plan(dir: &Path, input: &Path, tag: &str, op: u32, extra: &[&str]) -> PathBuf {
    let out = dir.join(format!("plan_{tag}_{op}"));
    let op_arg = format!("EPSG:{op}");
    let mut args = vec![
        "demarcate",
        "plan",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--prefix",
        "TG",
        "--max-spacing",
        "5km",
        "--op",
        &op_arg,
    ];
    args.extend_from_slice(extra);
    let (code, t) = run(&args);
    assert_eq!(code, 0, "{t}");
    out
}

/// Every supplied turning point is a main pillar whose GK columns are the
/// supplied X, Y to ≤ 1 mm; the catalogue, plan.json and provenance.json
/// name the one transformation; provenance hashes the input.
fn check_gk(out: &Path, input: &Path, op: u32) {
    let rows = catalogue(out);
    let main: Vec<_> = rows.iter().filter(|r| r["type"] == "main").collect();
    assert_eq!(main.len(), GK8.len(), "{main:?}");
    for (r, &(x, y)) in main.iter().zip(&GK8) {
        assert_eq!(r["gk_zone"], "8");
        let (dx, dy) = (num(r, "gk_x") - x, num(r, "gk_y") - y);
        assert!(dx.abs() <= 1e-3 && dy.abs() <= 1e-3, "EPSG:{op}: {dx} {dy}");
        assert_eq!(r["transformation"], format!("EPSG:{op}"));
    }
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("plan.json")).unwrap()).unwrap();
    assert_eq!(plan["transformation"]["operation"], format!("EPSG:{op}"));
    let prov: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("provenance.json")).unwrap())
            .unwrap();
    let hash = hex::encode(sha2::Sha256::digest(std::fs::read(input).unwrap()));
    assert_eq!(prov["inputs"][0]["files"][0]["sha256"], hash);
    assert_eq!(
        prov["inputs"][0]["layers"][0]["transformation"]["operation"],
        format!("EPSG:{op}")
    );
    assert!(prov["command"].to_string().contains("demarcate"), "{prov}");
    let desc = std::fs::read_to_string(out.join("description_en.md")).unwrap();
    assert!(
        desc.contains(&format!("EPSG:{op}")),
        "the description names the transformation"
    );
}

#[test]
fn sk42_turning_points_come_back_as_supplied_through_demarcation() {
    let dir = tempfile::tempdir().unwrap();
    // (1) A GeoPackage line in GK zone 8 (x = easting Y, y = northing X).
    let gpkg = dir.path().join("tp_gk8.gpkg");
    let mut layer = Layer::new("turning_points", Crs::Epsg(28408));
    layer.features.push(Feature::new(Geometry::LineString(
        GK8.iter().map(|&(x, y)| Coord::xy(y, x)).collect(),
    )));
    terminus_formats::write(
        &gpkg,
        terminus_formats::Format::GeoPackage,
        &Dataset {
            layers: vec![layer],
        },
        &Default::default(),
    )
    .unwrap();
    // (2) The Russian spreadsheet: ';', decimal commas, one point per row.
    let csv = dir.path().join("tp_gk8.csv");
    let text = terminus_testdata::gk_point_table(&GK8);
    std::fs::write(&csv, text).unwrap();
    let csv_args = [
        "--crs",
        "EPSG:28408",
        "--x-column",
        "Y, м",
        "--y-column",
        "X, м",
        "--as-line",
    ];
    for op in [1808, 15865] {
        let out = plan(dir.path(), &gpkg, "gpkg", op, &[]);
        check_gk(&out, &gpkg, op);
        let out = plan(dir.path(), &csv, "csv", op, &csv_args);
        check_gk(&out, &csv, op);
    }
    // --gk-op is the old name of --op.
    let out = dir.path().join("plan_alias");
    let (code, t) = run(&[
        "demarcate",
        "plan",
        gpkg.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--gk-op",
        "EPSG:1808",
        "--max-spacing",
        "5km",
    ]);
    assert_eq!(code, 0, "{t}");
    check_gk(&out, &gpkg, 1808);

    // (3) SK-42 geographic in DMS (the GK points unprojected on Krassowsky,
    // no datum step), to 1e-5″ (0.3 mm).
    let unproject = terminus_geodesy::crs::transform::CrsTransform::new(
        &Crs::Epsg(28408),
        &Crs::Epsg(4284),
        None,
        None,
    )
    .unwrap();
    let dms = |v: f64, pos: char| {
        let d = v.trunc();
        let m = ((v - d) * 60.0).trunc();
        let s = ((v - d) * 60.0 - m) * 60.0;
        format!("{d}°{m:02}′{s:08.5}″{pos}")
    };
    let mut text = String::from("point,B,L\n");
    let mut supplied = Vec::new();
    for (i, &(x, y)) in GK8.iter().enumerate() {
        // GK X is the northing, Y the easting.
        let terminus_geodesy::LatLon { lat, lon } = unproject
            .apply(terminus_geodesy::Xy::new(y, x))
            .unwrap()
            .latlon();
        let b = dms(lat, 'N');
        let l = dms(lon, 'E');
        let parse = |t: &str, axis| terminus_geodesy::angle::parse_angle(t, axis).unwrap();
        supplied.push((
            parse(&b, terminus_geodesy::angle::Axis::Latitude),
            parse(&l, terminus_geodesy::angle::Axis::Longitude),
        ));
        text.push_str(&format!("TP-{},{b},{l}\n", i + 1));
    }
    let sk = dir.path().join("tp_sk42.csv");
    std::fs::write(&sk, text).unwrap();
    for op in [1808, 15865] {
        let out = plan(
            dir.path(),
            &sk,
            "sk42",
            op,
            &[
                "--crs",
                "EPSG:4284",
                "--lat-column",
                "B",
                "--lon-column",
                "L",
                "--as-line",
            ],
        );
        let rows = catalogue(&out);
        let main: Vec<_> = rows.iter().filter(|r| r["type"] == "main").collect();
        assert_eq!(main.len(), supplied.len());
        for (r, &(lat, lon)) in main.iter().zip(&supplied) {
            // 1e-8° is 1.1 mm of latitude.
            let (dl, dn) = (num(r, "sk42_lat") - lat, num(r, "sk42_lon") - lon);
            assert!(dl.abs() < 1e-8 && dn.abs() < 1e-8, "EPSG:{op}: {dl} {dn}");
        }
    }
}

#[test]
fn sheets_along_a_utm_line_are_the_sheets_of_the_wgs84_line() {
    let dir = tempfile::tempdir().unwrap();
    let wgs = bundled("naturalearth10m_ARM_AZE_shared.geojson");
    let utm = dir.path().join("line_utm38.gpkg");
    let (code, t) = run(&[
        "convert",
        &wgs,
        utm.to_str().unwrap(),
        "--to-crs",
        "EPSG:32638",
    ]);
    assert_eq!(code, 0, "{t}");
    let sheets = |p: &str| -> Vec<String> {
        let (code, t) = run(&[
            "sheets",
            "--along",
            p,
            "--scale",
            "100000",
            "--op",
            "EPSG:15865",
            "--json",
        ]);
        assert_eq!(code, 0, "{t}");
        let v: serde_json::Value = serde_json::Deserializer::from_str(&t[t.find('{').unwrap()..])
            .into_iter()
            .next()
            .unwrap()
            .unwrap();
        v["sheets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect()
    };
    let a = sheets(&wgs);
    assert!(a.len() > 10, "{a:?}");
    assert_eq!(a, sheets(utm.to_str().unwrap()));
}

#[test]
fn terrain_clip_takes_a_line_in_any_crs_and_names_the_transformation() {
    let dir = tempfile::tempdir().unwrap();
    let line = dir.path().join("alay.geojson");
    std::fs::write(
        &line,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[72.6,39.45],[72.9,39.5],[73.2,39.6]]}}]}"#,
    )
    .unwrap();
    let dem = bundled("gebco2023_alay_pamir_KG_TJ_15s.tif");
    let clip = |p: &Path, tag: &str, op: Option<&str>| -> (serde_json::Value, String) {
        let out = dir.path().join(format!("clip_{tag}.tif"));
        let mut args = vec![
            "terrain",
            "clip",
            &dem,
            out.to_str().unwrap(),
            "--along",
            p.to_str().unwrap(),
            "--distance",
            "5km",
        ];
        if let Some(op) = op {
            args.extend(["--op", op]);
        }
        let (code, t) = run(&args);
        assert_eq!(code, 0, "{t}");
        let (code, i) = run(&["terrain", "info", out.to_str().unwrap(), "--json"]);
        assert_eq!(code, 0, "{i}");
        (serde_json::from_str(&i).unwrap(), t)
    };
    let (base, _) = clip(&line, "wgs", None);
    for (crs, op) in [("EPSG:32643", None), ("EPSG:28413", Some("EPSG:1267"))] {
        let moved = dir.path().join(format!("alay_{}.gpkg", &crs[5..]));
        let mut args = vec![
            "convert",
            line.to_str().unwrap(),
            moved.to_str().unwrap(),
            "--to-crs",
            crs,
        ];
        if let Some(op) = op {
            args.extend(["--op", op]);
        }
        let (code, t) = run(&args);
        assert_eq!(code, 0, "{t}");
        let (v, t) = clip(&moved, &crs[5..], op);
        assert_eq!(
            (v["width"].clone(), v["height"].clone()),
            (base["width"].clone(), base["height"].clone()),
            "{crs}"
        );
        assert!(t.contains(&format!("transformed from {crs}")), "{t}");
        if op.is_some() {
            assert!(t.contains("EPSG:1267"), "{t}");
        }
    }
}

#[test]
fn every_command_that_reads_vectors_refuses_a_file_without_a_crs() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("line.csv");
    std::fs::write(&csv, "n,lat,lon\n1,41.0,45.3\n2,41.1,45.4\n3,41.2,45.45\n").unwrap();
    let wkt = dir.path().join("line.wkt");
    std::fs::write(&wkt, "LINESTRING (45.3 41.0, 45.4 41.1)\n").unwrap();
    let out = dir.path().join("out");
    let o = out.to_str().unwrap();
    let dem = bundled("gebco2023_alay_pamir_KG_TJ_15s.tif");
    let ne = bundled("naturalearth10m_ARM_AZE_shared.geojson");
    let wa = bundled("worldatlas10m_ARM_AZE_shared.geojson");
    for file in [&csv, &wkt] {
        let f = file.to_str().unwrap();
        let cases: Vec<Vec<&str>> = vec![
            vec!["info", f],
            vec!["convert", f, "x.geojson"],
            vec!["compare", f, &ne, "--out", o],
            vec!["median", f, &wa, "--out", o],
            vec!["sheets", "--along", f],
            vec!["demarcate", "plan", f, "--out", o],
            vec![
                "terrain",
                "clip",
                &dem,
                "c.tif",
                "--along",
                f,
                "--distance",
                "1km",
            ],
            vec!["validate", f],
        ];
        for args in cases {
            let (code, t) = run(&args);
            assert_eq!(code, 2, "{args:?}: {t}");
            assert!(t.contains("--crs"), "{args:?}: {t}");
        }
    }
}
