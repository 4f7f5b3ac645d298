//! The remaining workflows as library calls: convert (reprojected through a
//! named transformation, checked as it streams), cs2cs-style coordinate
//! lines against PROJ's published values, the catalogue of given pillars
//! with its description checked back, a survey, a viewshed.

use std::path::{Path, PathBuf};
use terminus_app::coordinate_lines::{transform_lines, TransformLinesRequest};
use terminus_app::demarcate::{self, Documents};
use terminus_app::InputOptions;
use terminus_geodesy::Crs;

fn bundled(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data")
        .join(name)
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// The bundled line to Gauss–Krüger zone 8 through EPSG:1808 and back to
/// WGS 84 through the same operation: every vertex within 1 µm of where it
/// was, and the transformation named in the outcome. A GK table without
/// its zone prefix is refused while streaming, with the cause.
#[test]
fn convert_reprojects_through_one_named_transformation_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let line = bundled("naturalearth10m_ARM_AZE_shared.geojson");
    let gk = dir.path().join("gk8.gpkg");
    let there = terminus_app::convert::convert(&terminus_app::convert::ConvertRequest {
        name_field: None,
        input: line.clone(),
        output: gk.clone(),
        format: None,
        layer: None,
        to_crs: Some(Crs::Epsg(28408)),
        overwrite: false,
        options: InputOptions {
            op: Some(1808),
            ..Default::default()
        },
    })
    .unwrap();
    assert_eq!(there.vertices, 267);
    assert!(
        there
            .datum_transformations
            .iter()
            .any(|t| t.contains("1808")),
        "{:?}",
        there.datum_transformations
    );
    let back = dir.path().join("back.geojson");
    terminus_app::convert::convert(&terminus_app::convert::ConvertRequest {
        name_field: None,
        input: gk,
        output: back.clone(),
        format: None,
        layer: None,
        to_crs: Some(Crs::WGS84),
        overwrite: false,
        options: InputOptions {
            op: Some(1808),
            ..Default::default()
        },
    })
    .unwrap();
    let a = terminus_formats::read(&line, &Default::default()).unwrap();
    let b = terminus_formats::read(&back, &Default::default()).unwrap();
    let g = terminus_geodesy::Ellipsoid::WGS84.geodesic();
    let mut worst: f64 = 0.0;
    for (fa, fb) in a.layers[0].features.iter().zip(&b.layers[0].features) {
        let (ga, gb) = (fa.geometry.as_ref().unwrap(), fb.geometry.as_ref().unwrap());
        for (p, q) in ga.coords().zip(gb.coords()) {
            let d: f64 =
                terminus_geodesy::measure::InverseGeodesic::inverse(&g, p.y, p.x, q.y, q.x);
            worst = worst.max(d);
        }
    }
    assert!(worst < 1e-6, "{worst} m");
    // Zone 8 coordinates without the prefix: refused, not written.
    let table = write(
        dir.path(),
        "gk.csv",
        "n,X,Y\n1,4549100,514500\n2,4548200,516900\n",
    );
    let out = dir.path().join("x.kml");
    let e = terminus_app::convert::convert(&terminus_app::convert::ConvertRequest {
        name_field: None,
        input: table,
        output: out.clone(),
        format: None,
        layer: None,
        to_crs: None,
        overwrite: false,
        options: InputOptions {
            crs: Some(Crs::Epsg(28408)),
            csv: terminus_formats::csv::CsvOptions {
                x_column: Some("Y".into()),
                y_column: Some("X".into()),
                ..Default::default()
            },
            ..Default::default()
        },
    })
    .err()
    .unwrap();
    assert!(e.message.contains("without its prefix"), "{}", e.message);
    assert!(!out.exists());
}

/// cs2cs's form: WGS 84 to UTM 38N (EPSG:32638) in EPSG axis order. On
/// the central meridian (45°E) the easting is 500 km and the northing the
/// meridian arc times k0 = 0.9996 (the arc from GeographicLib's geodesic,
/// an independent route); a line that does not parse is said by number.
#[test]
fn coordinate_lines_as_cs2cs() {
    let req = TransformLinesRequest {
        from: Crs::WGS84,
        to: Crs::Epsg(32638),
        op: None,
        xy: false,
        precision: 3,
    };
    let t = transform_lines(&req, "40.5 45.0\nnorth east\n").unwrap();
    let out: String = t.chunks.iter().map(|c| c.out.as_str()).collect();
    let first: Vec<f64> = out
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .take(2)
        .map(|x| x.parse().unwrap())
        .collect();
    // On the central meridian: easting 500 km exactly; northing the
    // meridian arc to 40.5° (Karney's series, GeographicLib) × 0.9996.
    let arc = {
        use terminus_geodesy::measure::InverseGeodesic;
        let g = terminus_geodesy::Ellipsoid::WGS84.geodesic();
        let s: f64 = g.inverse(0.0, 45.0, 40.5, 45.0);
        s
    };
    assert!((first[0] - 500_000.0).abs() < 1e-3, "{out}");
    assert!(
        (first[1] - arc * 0.9996).abs() < 1e-3,
        "{out} vs {}",
        arc * 0.9996
    );
    assert_eq!(t.bad(), 1);
    let messages: Vec<&String> = t.chunks.iter().flat_map(|c| &c.messages).collect();
    assert!(
        messages.iter().any(|m| m.contains("line 2")),
        "{messages:?}"
    );
}

/// A catalogue of given pillars (a Tavush–Gazakh stretch, WGS 84), its
/// protocol-description written and parsed back within a millimetre, a
/// tampered call caught; a survey that moved pillar 2 by 8 cm is named.
#[test]
fn a_catalogue_of_given_pillars_its_description_and_a_survey() {
    let dir = tempfile::tempdir().unwrap();
    let pillars = write(
        dir.path(),
        "pillars.csv",
        "number,lat,lon\nTG-001,41.07935,45.1318\nTG-002,41.0712,45.1455\nTG-003,41.0621,45.1589\nTG-004,41.05,45.17\n",
    );
    let input = InputOptions {
        crs: Some(Crs::WGS84),
        ..Default::default()
    };
    let docs = Documents {
        section: "Tavush–Gazakh".into(),
        ..Documents::default()
    };
    let cat = demarcate::read_catalogue(&pillars, &docs, &input).unwrap();
    assert_eq!(cat.rows.len(), 4);
    let d = demarcate::description(&cat, &docs, terminus_documents::description::Lang::Ru).unwrap();
    let desc = write(dir.path(), "description_ru.md", &d.markdown);
    let (calls, closure) = demarcate::check_description(&desc, &cat).unwrap();
    assert_eq!(calls, 3);
    assert!(closure.max_m < 1e-3, "{}", closure.max_m);
    // One azimuth changed by a second of arc: caught, far beyond 1 mm.
    let az = d.calls[1].azimuth_deg.unwrap();
    let printed = terminus_demarcation::catalogue::format_angle(az, 2).replace('.', ",");
    let bumped =
        terminus_demarcation::catalogue::format_angle(az + 1.0 / 3600.0, 2).replace('.', ",");
    assert!(d.markdown.contains(&printed), "{printed}");
    let bad = write(
        dir.path(),
        "bad.md",
        &d.markdown.replacen(&printed, &bumped, 1),
    );
    let (_, closure) = demarcate::check_description(&bad, &cat).unwrap();
    assert!(closure.max_m > 0.003, "{}", closure.max_m);
    // A survey: pillar 2 moved 8 cm north, the others as planned.
    let g = terminus_geodesy::Ellipsoid::WGS84.geodesic();
    let (lat2, lon2): (f64, f64) =
        terminus_geodesy::measure::DirectGeodesic::direct(&g, 41.0712, 45.1455, 0.0, 0.08);
    let survey = write(
        dir.path(),
        "survey.csv",
        &format!("number,lat,lon\nTG-001,41.07935,45.1318\nTG-002,{lat2:.10},{lon2:.10}\nTG-003,41.0621,45.1589\n"),
    );
    let line = write(
        dir.path(),
        "line.geojson",
        r#"{"type":"LineString","coordinates":[[45.1318,41.07935],[45.1455,41.0712],[45.1589,41.0621],[45.17,41.05]]}"#,
    );
    let report = demarcate::survey_check(&survey, &pillars, &line, 0.05, &input).unwrap();
    assert_eq!(report.beyond_tolerance, 1);
    let moved = report.pillars.iter().find(|p| p.beyond_tolerance).unwrap();
    assert_eq!(moved.number, "TG-002");
}

/// A viewshed in the Trans-Alay: the cells it writes as seen are the ones
/// it counts, and the observer's own cell is among them.
#[test]
fn a_viewshed_counts_what_it_writes() {
    let dir = tempfile::tempdir().unwrap();
    let dem = terminus_app::terrain::load_dem(&bundled("gebco2023_alay_pamir_KG_TJ_15s.tif"), None)
        .unwrap();
    let settings = terminus_demarcation::viewshed::ViewshedSettings {
        radius_m: Some(20_000.0),
        ..Default::default()
    };
    let v = terminus_app::sight::view(&dem, (39.40, 72.80), &settings).unwrap();
    let out = dir.path().join("seen.tif");
    terminus_app::sight::write_viewshed(&out, &v).unwrap();
    let d = terminus_terrain::read(&out, None).unwrap();
    let seen = d.data.iter().filter(|&&x| x == 255.0).count();
    assert!(seen > 10);
    assert_eq!(seen, v.visible_cells);
    assert_eq!(
        v.cells[v.observer_cell.1 * v.width + v.observer_cell.0],
        255
    );
}

/// `convert --name-field`: the label KML and GPX show comes from the
/// attribute asked for (a pillar's number instead of its old name); a
/// layer with no such attribute is refused, naming it, and nothing is
/// written.
#[test]
fn convert_labels_features_with_the_field_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let pillars = write(
        dir.path(),
        "pillars.geojson",
        r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"name":"first","number":"TG-001","h":1210.5},"geometry":{"type":"Point","coordinates":[45.1,41.0]}},
          {"type":"Feature","properties":{"name":"second","number":"TG-002","h":null},"geometry":{"type":"Point","coordinates":[45.2,41.1]}}]}"#,
    );
    let req = |out: &str, field: &str| terminus_app::convert::ConvertRequest {
        name_field: Some(field.into()),
        input: pillars.clone(),
        output: dir.path().join(out),
        format: None,
        layer: None,
        to_crs: None,
        overwrite: false,
        options: InputOptions::default(),
    };
    for out in ["p.gpx", "p.kml"] {
        terminus_app::convert::convert(&req(out, "number")).unwrap();
        let ds = terminus_formats::read(&dir.path().join(out), &Default::default()).unwrap();
        let names: Vec<String> = ds.layers[0]
            .features
            .iter()
            .map(|f| f.properties["name"].to_text().unwrap())
            .collect();
        assert_eq!(names, ["TG-001", "TG-002"], "{out}");
    }
    // A number as a label; a null leaves that feature's name as it was.
    terminus_app::convert::convert(&req("h.kml", "h")).unwrap();
    let text = std::fs::read_to_string(dir.path().join("h.kml")).unwrap();
    assert!(text.contains("<name>1210.5</name>") && text.contains("<name>second</name>"));
    let e = terminus_app::convert::convert(&req("x.kml", "nummer"))
        .err()
        .unwrap();
    assert!(
        e.message.contains("--name-field nummer") && e.message.contains("has that attribute"),
        "{}",
        e.message
    );
    assert!(!dir.path().join("x.kml").exists());
}
