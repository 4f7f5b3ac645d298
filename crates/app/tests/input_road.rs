//! The input road as a library call: no CRS assumed, coordinates that
//! cannot be in their CRS refused with the cause, one named transformation
//! used both ways.

use std::path::{Path, PathBuf};
use terminus_app::input::{read, InputOptions};
use terminus_app::road::Choice;
use terminus_formats::csv::CsvOptions;
use terminus_geodesy::{Crs, EastNorth, LatLon};
use terminus_vector::Geometry;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn refused(path: &Path, options: &InputOptions) -> String {
    match read(path, options) {
        Ok(_) => panic!("{} was read", path.display()),
        Err(f) => {
            assert_eq!(f.exit_code(), 2, "{f}");
            format!("{f}")
        }
    }
}

/// Turning points of a section near Tavush–Gazakh as a commission would
/// supply them: Pulkovo 1942 / Gauss–Krüger zone 8 (EPSG:28408), X
/// northing and Y easting with the zone prefix, to the centimetre.
const GK8: [(f64, f64); 4] = [
    (4_540_190.23, 8_527_861.41),
    (4_541_402.87, 8_529_113.05),
    (4_542_018.60, 8_531_577.92),
    (4_543_950.11, 8_532_040.36),
];

#[test]
fn formats_that_do_not_define_a_crs_are_refused_without_one() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("latlon.csv", "name,lat,lon\nA,41.0,45.3\nB,41.1,45.4\n"),
        ("grid.csv", "name,x,y\nA,527861.4,4540190.2\n"),
        ("line.wkt", "LINESTRING (45.3 41.0, 45.4 41.1)\n"),
    ];
    for (name, text) in cases {
        let p = write(dir.path(), name, text);
        let m = refused(&p, &InputOptions::default());
        assert!(m.contains("--crs"), "{name}: {m}");
    }
    // A shapefile without its .prj.
    let shp = dir.path().join("line.shp");
    let ds = terminus_formats::read(
        &write(dir.path(), "src.geojson", r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[45.3,41.0],[45.4,41.1]]}}]}"#),
        &Default::default(),
    )
    .unwrap();
    terminus_formats::write(
        &shp,
        terminus_formats::Format::Shapefile,
        &ds,
        &Default::default(),
    )
    .unwrap();
    std::fs::remove_file(dir.path().join("line.prj")).unwrap();
    let m = refused(&shp, &InputOptions::default());
    assert!(m.contains("no .prj") && m.contains("--crs"), "{m}");
    // With --crs each is read, and GeoJSON needs none (RFC 7946).
    let named = InputOptions {
        crs: Some(Crs::WGS84),
        ..Default::default()
    };
    assert!(read(&dir.path().join("latlon.csv"), &named).is_ok());
    assert!(read(&shp, &named).is_ok());
    assert!(read(&dir.path().join("src.geojson"), &InputOptions::default()).is_ok());
}

fn gk_csv(dir: &Path, name: &str, rows: &[(f64, f64)]) -> PathBuf {
    // The Russian spreadsheet form: ';' separated, decimal commas.
    let text = terminus_testdata::gk_point_table(rows);
    write(dir, name, &text)
}

fn gk_options(op: Option<u32>) -> InputOptions {
    InputOptions {
        crs: Some(Crs::Epsg(28408)),
        op,
        csv: CsvOptions {
            x_column: Some("Y, м".into()),
            y_column: Some("X, м".into()),
            ..Default::default()
        },
        as_line: true,
        ..Default::default()
    }
}

#[test]
fn a_russian_point_table_is_one_line_and_comes_back_as_supplied() {
    let dir = tempfile::tempdir().unwrap();
    let p = gk_csv(dir.path(), "tp.csv", &GK8);
    for op in [1808, 15865] {
        let input = read(&p, &gk_options(Some(op))).unwrap();
        let road = input.road().unwrap().unwrap();
        assert_eq!(road.operation_code(), Some(op));
        assert_eq!(road.choice(), Choice::Named);
        let Some(Geometry::LineString(line)) = &input.dataset.layers[0].features[0].geometry else {
            panic!("not a line")
        };
        assert_eq!(line.len(), 4);
        for (c, &(x, y)) in line.iter().zip(&GK8) {
            assert!(
                (40.9..41.1).contains(&c.y) && (45.3..45.5).contains(&c.x),
                "{c:?}"
            );
            let EastNorth {
                easting: e,
                northing: n,
            } = road.from_wgs84(c.to_xy().latlon()).unwrap().grid();
            assert!(
                (e - y).abs() < 1e-3 && (n - x).abs() < 1e-3,
                "{op}: {e} {n} vs {y} {x}"
            );
        }
        assert_eq!(input.files.len(), 1);
        assert_eq!(input.files[0].sha256.len(), 64);
    }
    // Without --op: chosen at the data, and named.
    let input = read(&p, &gk_options(None)).unwrap();
    let road = input.road().unwrap().unwrap();
    assert!(matches!(road.choice(), Choice::MostAccurateAt { .. }));
    assert!(input.notes()[0].contains(&format!("EPSG:{}", road.operation_code().unwrap())));
}

#[test]
fn order_column_orders_the_points() {
    let dir = tempfile::tempdir().unwrap();
    let text = "n;X;Y\n3;4542018,60;8531577,92\n1;4540190,23;8527861,41\n2;4541402,87;8529113,05\n";
    let p = write(dir.path(), "tp.csv", text);
    let mut o = gk_options(Some(1808));
    o.csv.x_column = Some("Y".into());
    o.csv.y_column = Some("X".into());
    o.order_column = Some("n".into());
    let input = read(&p, &o).unwrap();
    let Some(Geometry::LineString(line)) = &input.dataset.layers[0].features[0].geometry else {
        panic!()
    };
    let road = input.road().unwrap().unwrap();
    let back: Vec<EastNorth> = line
        .iter()
        .map(|c| road.from_wgs84(c.to_xy().latlon()).unwrap().grid())
        .collect();
    assert!(
        (back[0].easting - 8_527_861.41).abs() < 1e-3
            && (back[2].easting - 8_531_577.92).abs() < 1e-3
    );
}

#[test]
fn gauss_kruger_mistakes_are_refused_with_their_cause() {
    let dir = tempfile::tempdir().unwrap();
    let no_prefix: Vec<_> = GK8.iter().map(|&(x, y)| (x, y - 8e6)).collect();
    let wrong_zone: Vec<_> = GK8.iter().map(|&(x, y)| (x, y - 1e6)).collect();
    let swapped: Vec<_> = GK8.iter().map(|&(x, y)| (y, x)).collect();
    for (rows, cause) in [
        (no_prefix, "without its prefix"),
        (wrong_zone, "zone 7"),
        (swapped, "exchanged"),
    ] {
        let p = gk_csv(dir.path(), "bad.csv", &rows);
        let m = refused(&p, &gk_options(Some(1808)));
        assert!(
            m.contains(cause) && m.contains("feature 0, vertex 0"),
            "{cause}: {m}"
        );
    }
}

#[test]
fn metres_labelled_as_degrees_and_latitude_first_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let EastNorth {
        easting: x,
        northing: y,
    } = terminus_geodesy::projection::web_mercator::forward(LatLon::new(41.0, 45.3));
    let mercator = format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{}},"geometry":{{"type":"LineString","coordinates":[[{x},{y}],[{},{}]]}}}}]}}"#,
        x + 100.0,
        y + 100.0
    );
    let m = refused(
        &write(dir.path(), "m.geojson", &mercator),
        &InputOptions::default(),
    );
    assert!(m.contains("EPSG:3857"), "{m}");
    // A line at 100°E given latitude first: every "latitude" is beyond 90°.
    let swapped = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[40.1,100.2],[40.2,100.3],[40.3,100.1]]}}]}"#;
    let m = refused(
        &write(dir.path(), "s.geojson", swapped),
        &InputOptions::default(),
    );
    assert!(m.contains("exchanged for the whole layer"), "{m}");
}

#[test]
fn sk42_degrees_in_dms_with_russian_suffixes() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        "точка;B;L\n1;41°00′10,5″ с.ш.;45°20′01,25″ в.д.\n2;41°01′00,0″ с.ш.;45°21′30,0″ в.д.\n";
    let p = write(dir.path(), "dms.csv", text);
    let o = InputOptions {
        crs: Some(Crs::Epsg(4284)),
        op: Some(15865),
        csv: CsvOptions {
            lat_column: Some("B".into()),
            lon_column: Some("L".into()),
            ..Default::default()
        },
        as_line: true,
        ..Default::default()
    };
    let input = read(&p, &o).unwrap();
    let road = input.road().unwrap().unwrap();
    let Some(Geometry::LineString(line)) = &input.dataset.layers[0].features[0].geometry else {
        panic!()
    };
    let LatLon { lat, lon } = road.from_wgs84(line[0].to_xy().latlon()).unwrap().latlon();
    assert!((lat - (41.0 + 10.5 / 3600.0)).abs() < 1e-11, "{lat}");
    assert!(
        (lon - (45.0 + 20.0 / 60.0 + 1.25 / 3600.0)).abs() < 1e-11,
        "{lon}"
    );
    // And the WGS 84 position is metres away from the SK-42 numbers.
    assert!((line[0].y - lat).abs() > 1e-5 || (line[0].x - lon).abs() > 1e-5);
}
