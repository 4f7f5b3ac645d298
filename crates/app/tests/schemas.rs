//! The documented `--json` summaries are the ones the code writes: each
//! `<!-- schema: module::Type -->` block in docs/ is compared, field by
//! field and recursively (objects by their keys, lists by their first
//! element), with the serialised outcome of a real run of the workflow.
//! A field the code writes and the documentation does not name fails, and
//! so does a documented field the code no longer writes.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use terminus_app::InputOptions;
use terminus_geodesy::{Crs, LatLon};

fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

/// The JSON block after `<!-- schema: NAME -->` in `doc`.
fn documented(doc: &str, name: &str) -> Value {
    let path = repo(doc);
    let text = std::fs::read_to_string(&path).unwrap();
    let marker = format!("<!-- schema: {name} -->");
    let at = text
        .find(&marker)
        .unwrap_or_else(|| panic!("{doc} has no {marker}"));
    let rest = &text[at + marker.len()..];
    let open = rest
        .find("```json")
        .expect("a ```json block after the marker")
        + 7;
    let close = open + rest[open..].find("```").expect("the block's end");
    serde_json::from_str(&rest[open..close])
        .unwrap_or_else(|e| panic!("{doc}, {name}: the example is not JSON: {e}"))
}

/// Where the keys of `doc` and `real` differ, recursively. `optional`
/// names paths the code may leave out (fields skipped when empty).
fn differences(doc: &Value, real: &Value, path: &str, optional: &[&str], out: &mut Vec<String>) {
    match (doc, real) {
        (Value::Object(d), Value::Object(r)) => {
            let dk: BTreeSet<&String> = d.keys().collect();
            let rk: BTreeSet<&String> = r.keys().collect();
            for k in rk.difference(&dk) {
                out.push(format!("{path}.{k}: written but not documented"));
            }
            for k in dk.difference(&rk) {
                let p = format!("{path}.{k}");
                if !optional.contains(&p.as_str()) {
                    out.push(format!("{p}: documented but not written"));
                }
            }
            for k in dk.intersection(&rk) {
                differences(&d[*k], &r[*k], &format!("{path}.{k}"), optional, out);
            }
        }
        (Value::Array(d), Value::Array(r)) => {
            if let (Some(d0), Some(r0)) = (d.first(), r.first()) {
                differences(d0, r0, &format!("{path}[0]"), optional, out);
            }
        }
        _ => {}
    }
}

fn check(doc: &str, name: &str, real: &impl serde::Serialize, optional: &[&str]) {
    let real = serde_json::to_value(real).unwrap();
    let mut out = Vec::new();
    differences(&documented(doc, name), &real, "", optional, &mut out);
    assert!(out.is_empty(), "{doc}, {name}:\n  {}", out.join("\n  "));
}

fn dem() -> PathBuf {
    repo("data/gebco2023_alay_pamir_KG_TJ_15s.tif")
}

/// The demo, and the summaries it is made of: the comparison, the
/// compromise median and the divide.
#[test]
fn the_demo_and_its_parts_are_documented() {
    let dir = tempfile::tempdir().unwrap();
    let s = terminus_app::demo::run(
        &dir.path().join("demo"),
        terminus_app::Provenance::new(vec!["test".into()]),
    )
    .unwrap();
    check("docs/demo.md", "demo::DemoSummary", &s, &[]);
    check(
        "docs/compare.md",
        "compare::CompareSummary",
        &terminus_app::compare::summary(&s.compare),
        &[],
    );
    check("docs/terrain.md", "terrain::DivideSummary", &s.terrain, &[]);
}

#[test]
fn terrain_summaries_are_documented() {
    let d = terminus_app::terrain::load_dem(&dem(), None).unwrap();
    let described = terminus_app::terrain::describe_dem(&dem(), &d).unwrap();
    check(
        "docs/terrain.md",
        "terrain::DemDescription",
        &described,
        &[],
    );
    let line = repo("data/naturalearth10m_KGZ_TJK_shared.geojson");
    let t = terminus_app::terrain::thalweg(&terminus_app::terrain::ThalwegRequest {
        voids: Default::default(),
        dem: dem(),
        dem_crs: None,
        reach: terminus_app::terrain::Reach::Between((39.62, 73.30), (39.49, 72.05)),
        corridor: 5000.0,
        compare: vec![line],
        input: InputOptions::default(),
    })
    .unwrap();
    check(
        "docs/terrain.md",
        "terrain::ThalwegSummary",
        &t.summary,
        &[],
    );
    // Two banks 100 m apart: a median from a hand-checked geometry.
    let dir = tempfile::tempdir().unwrap();
    let bank = |name: &str, lat: f64| -> PathBuf {
        let p = dir.path().join(name);
        std::fs::write(
            &p,
            format!(r#"{{"type":"LineString","coordinates":[[72.0,{lat}],[72.02,{lat}]]}}"#),
        )
        .unwrap();
        p
    };
    let (l, r) = (bank("left.geojson", 39.5), bank("right.geojson", 39.501));
    let m = terminus_app::terrain::bank_median(&l, &r, 50.0, &InputOptions::default()).unwrap();
    check(
        "docs/terrain.md",
        "terrain::BankMedianSummary",
        &m.summary,
        &[],
    );
}

/// Voids filled: the summary the record holds.
#[test]
fn void_fill_is_documented() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = terminus_app::terrain::load_dem(&dem(), None).unwrap();
    for r in 151..163 {
        for c in 204..221 {
            d.data[r * d.width + c] = f32::NAN;
        }
    }
    let holed = dir.path().join("holed.tif");
    terminus_terrain::geotiff::write(&holed, &d).unwrap();
    let s = terminus_app::terrain::fill_voids(&terminus_app::terrain::FillVoidsRequest {
        dem: holed,
        dem_crs: None,
        out: dir.path().join("filled.tif"),
        overwrite: false,
    })
    .unwrap();
    check("docs/terrain.md", "terrain::VoidFillSummary", &s, &[]);
}

#[test]
fn sight_is_documented() {
    let d = terminus_app::terrain::load_dem(&dem(), None).unwrap();
    let settings = terminus_demarcation::los::SightSettings::default();
    let s = terminus_app::sight::sight(&d, (39.40, 72.50), (39.45, 72.55), &settings).unwrap();
    assert!(!s.visible, "the documented example is a blocked sight");
    check(
        "docs/demarcation.md",
        "sight::SightSummary",
        &terminus_app::sight::summary(&s, &settings),
        &[],
    );
}

/// A viewshed, a protocol-description checked, a key made.
#[test]
fn viewshed_description_check_and_key_are_documented() {
    let dir = tempfile::tempdir().unwrap();
    let d = terminus_app::terrain::load_dem(&dem(), None).unwrap();
    let settings = terminus_demarcation::viewshed::ViewshedSettings {
        radius_m: Some(20_000.0),
        ..Default::default()
    };
    let v = terminus_app::sight::view(&d, (39.40, 72.80), &settings).unwrap();
    let out = dir.path().join("seen.tif");
    check(
        "docs/demarcation.md",
        "sight::ViewshedSummary",
        &terminus_app::sight::viewshed_summary(&v, "exact", [0.0, 0.0, 0.0], &out),
        &[],
    );
    // The bundled sector's catalogue and description, as the demo writes them.
    let cat = terminus_demarcation::catalogue::catalogue(
        &terminus_demarcation::plan::plan(
            &terminus_testdata::alay_sector(),
            None,
            &[],
            &[],
            &Default::default(),
        )
        .unwrap(),
        None,
        &Default::default(),
    )
    .unwrap();
    let text = terminus_documents::description::describe(
        &cat,
        terminus_documents::description::Lang::En,
        &Default::default(),
    )
    .unwrap();
    let path = dir.path().join("d.md");
    std::fs::write(&path, &text.markdown).unwrap();
    let (calls, closure) = terminus_app::demarcate::check_description(&path, &cat).unwrap();
    check(
        "docs/demarcation.md",
        "demarcate::DescriptionCheck",
        &terminus_app::demarcate::DescriptionCheck::new(calls, &closure, 0.001),
        &[],
    );
    check(
        "docs/ledger.md",
        "ledger::NewKey",
        &terminus_app::ledger::NewKey {
            member: "arm-head".into(),
            algorithm: "Ed25519".into(),
            public_key: terminus_ledger::keys::MemberKey::generate().public_hex(),
            file: "arm.key".into(),
        },
        &[],
    );
}

#[test]
fn files_inspected_and_validated_are_documented() {
    let line = repo("data/naturalearth10m_ARM_AZE_shared.geojson");
    let ds = terminus_formats::read(&line, &Default::default()).unwrap();
    check(
        "docs/formats.md",
        "inspect::DatasetFacts",
        &terminus_app::inspect::dataset_facts(&line, &ds),
        &[],
    );
    // A GK zone 8 table without its zone prefix, and a file that is not a
    // vector file: one finding with its location, one unreadable.
    let dir = tempfile::tempdir().unwrap();
    let gk = dir.path().join("gk.csv");
    std::fs::write(&gk, "name,x,y\nA,4499000,500100\nB,4499100,500200\n").unwrap();
    let input = InputOptions {
        crs: Some(Crs::Epsg(28408)),
        csv: terminus_formats::csv::CsvOptions {
            x_column: Some("y".into()),
            y_column: Some("x".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let reports = terminus_app::validate::validate_files(
        &[gk, repo("Cargo.toml")],
        &input,
        &Default::default(),
    );
    let summary = terminus_app::validate::summary(&reports);
    assert_eq!(summary.files.len(), 2);
    assert!(summary.files[1].unreadable.is_some());
    let mut real = serde_json::to_value(&summary).unwrap();
    // The documented example lists the readable file first, the unreadable
    // second: compare each with its own.
    let doc = documented("docs/validation.md", "validate::ValidationSummary");
    let mut out = Vec::new();
    for i in 0..2 {
        differences(
            &doc["files"][i],
            &real["files"][i],
            &format!(".files[{i}]"),
            &[],
            &mut out,
        );
    }
    real["files"] = Value::Array(vec![]);
    differences(&doc, &real, "", &[], &mut out);
    assert!(
        out.is_empty(),
        "docs/validation.md:\n  {}",
        out.join("\n  ")
    );
}

#[test]
fn crs_and_sheets_are_documented() {
    let at = LatLon::new(40.646, 45.515);
    let ops =
        terminus_app::coordinate_lines::operations_at(&Crs::Epsg(4284), &Crs::WGS84, at).unwrap();
    let summary = terminus_app::coordinate_lines::OperationsSummary {
        at: [at.lat, at.lon],
        operations: ops,
    };
    check(
        "docs/crs.md",
        "coordinate_lines::OperationsSummary",
        &summary,
        &[],
    );
    check(
        "docs/crs.md",
        "coordinate_lines::CrsDescription",
        &terminus_app::coordinate_lines::describe_crs(&Crs::Epsg(28408)),
        &[],
    );
    let sheet = terminus_app::sheets::sheet(
        &terminus_app::sheets::SheetQuery::Id("K-38-128".into()),
        None,
    )
    .unwrap();
    check("docs/sheets.md", "sheets::SheetSummary", &sheet, &[]);
    let scale = terminus_app::sheets::scale(100_000).unwrap();
    let along = terminus_app::sheets::sheets(
        Path::new(&repo("data/naturalearth10m_ARM_AZE_shared.geojson")),
        scale,
        &InputOptions::default(),
    )
    .unwrap();
    check(
        "docs/sheets.md",
        "sheets::SheetsSummary",
        &along.summary(scale),
        &[],
    );
}
