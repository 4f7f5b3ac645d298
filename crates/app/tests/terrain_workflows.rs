//! The terrain workflows as library calls, on the bundled GEBCO 2023
//! excerpt of the Alay–Pamir mountains and the OSM Kyrgyz–Tajik line in
//! ../shared/data:
//! the corridor clip against the geodesy layer's nearest point, the
//! pipeline against RichDEM's accumulation, Strahler orders, the thalweg
//! winding with its valley, the divide along the Trans-Alay crest, the
//! median between two banks. (`terminus terrain …` only parses, calls these
//! and prints: crates/cli/tests/cli.rs checks that.)

use std::path::{Path, PathBuf};
use terminus_app::terrain::{self, DivideBy, DivideRequest, Drainage, PipelineRequest, Reach};
use terminus_app::{InputOptions, Provenance};
use terminus_terrain::flow::CellMetric;

fn shared(rel: &str) -> Option<PathBuf> {
    terminus_testdata::shared_data(rel)
}

/// The GEBCO excerpt bundled in data/ (the same bytes as
/// ../shared/data/dem/gebco2023_alay_pamir_KG_TJ_15s.tif).
fn dem() -> Option<PathBuf> {
    Some(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../data/gebco2023_alay_pamir_KG_TJ_15s.tif"),
    )
}

fn osm_line() -> Option<PathBuf> {
    shared("boundaries/kg_tj/geomaps_osm10m_KGZ_TJK_shared.geojson")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Every kept cell of a 10 km corridor is within 10 km of the line and
/// every dropped one beyond, by the geodesy layer's nearest point.
#[test]
fn the_corridor_keeps_exactly_the_cells_within_its_distance() {
    let (Some(dem), Some(line)) = (dem(), osm_line()) else {
        return;
    };
    let d = terrain::load_dem(&dem, None).unwrap();
    let c = terrain::corridor(&d, &dem, &line, 10_000.0, &InputOptions::default()).unwrap();
    assert!(c.kept > 10_000, "{}", c.kept);
    let ds = terminus_formats::read(&line, &Default::default()).unwrap();
    let pieces: Vec<Vec<terminus_geodesy::LatLon>> = ds.layers[0]
        .features
        .iter()
        .filter_map(|f| match &f.geometry {
            Some(terminus_vector::Geometry::LineString(l)) => {
                Some(l.iter().map(|p| p.to_xy().latlon()).collect())
            }
            _ => None,
        })
        .collect();
    let gn = terminus_geodesy::geodesic::Gnomonic::new(terminus_geodesy::Ellipsoid::WGS84);
    let g = &c.dem.georef;
    let mut checked = 0;
    for (i, v) in c.dem.data.iter().enumerate().step_by(389) {
        let (col, row) = (i % c.dem.width, i / c.dem.width);
        let (lon, lat) = g.center(col, row);
        let d = pieces
            .iter()
            .map(|p| {
                terminus_geodesy::geodesic::nearest_on_polyline(
                    &gn,
                    p,
                    terminus_geodesy::LatLon::new(lat, lon),
                )
                .unwrap()
                .distance
            })
            .fold(f64::INFINITY, f64::min);
        assert_eq!(!v.is_nan(), d <= 10_000.0, "cell {col},{row}: {d} m");
        checked += 1;
    }
    assert!(checked > 200);
}

/// Fill +ε, D8 with the drop metric, accumulation: the largest accumulation
/// is RichDEM's (37,083 cells; crates/terrain/tests/flow_reference.rs checks
/// every cell); the folder names the DEM by its hash and the settings.
#[test]
fn the_pipeline_matches_richdem_and_says_what_made_it() {
    let Some(dem) = dem() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pipe");
    let r = terrain::pipeline(
        &PipelineRequest {
            dem: dem.clone(),
            dem_crs: None,
            drainage: Drainage::Epsilon,
            metric: CellMetric::Drop,
            voids: terrain::VoidPolicy::Outlet,
            out: out.clone(),
            overwrite: false,
        },
        Provenance::new(vec!["test".into()]),
        &|_| {},
    )
    .unwrap();
    assert_eq!(r.largest_accumulation, 37_083);
    assert_eq!((r.width, r.height), (600, 336));
    for f in [
        "filled.tif",
        "flowdir.tif",
        "accumulation.tif",
        "basins.tif",
    ] {
        assert!(out.join(f).exists(), "{f}");
    }
    let prov: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("provenance.json")).unwrap())
            .unwrap();
    let hash = {
        use sha2::Digest as _;
        hex::encode(sha2::Sha256::digest(std::fs::read(&dem).unwrap()))
    };
    assert_eq!(prov["inputs"][0]["files"][0]["sha256"], hash, "{prov}");
    assert_eq!(prov["inputs"][0]["crs"], "EPSG:4326");
    assert_eq!(prov["tolerances"]["drainage"], "Epsilon");
    // The pour point at the largest accumulation drains exactly that many
    // cells.
    let filled = terminus_terrain::read(&out.join("filled.tif"), None).unwrap();
    let acc = terminus_terrain::read(&out.join("accumulation.tif"), None).unwrap();
    let imax = (0..acc.data.len())
        .max_by(|&a, &b| acc.data[a].total_cmp(&acc.data[b]))
        .unwrap();
    let (lon, lat) = acc.georef.center(imax % acc.width, imax / acc.width);
    let pp = write(
        dir.path(),
        "pour.geojson",
        &format!(r#"{{"type":"Point","coordinates":[{lon},{lat}]}}"#),
    );
    let points = terrain::pour_points(
        &filled,
        &out.join("filled.tif"),
        &pp,
        &InputOptions::default(),
    )
    .unwrap();
    assert_eq!(points, vec![(imax, 1)]);
    let far = write(
        dir.path(),
        "far.geojson",
        r#"{"type":"Point","coordinates":[10,10]}"#,
    );
    let e = terrain::pour_points(
        &filled,
        &out.join("filled.tif"),
        &far,
        &InputOptions::default(),
    )
    .unwrap_err();
    assert!(
        e.message.contains("pour point 1") && e.message.contains("outside the DEM"),
        "{}",
        e.message
    );
}

/// Streams of 300 cells or more: every segment flows into one of at least
/// its own Strahler order, or leaves the DEM; every length is positive.
#[test]
fn streams_have_strahler_orders() {
    let Some(dem) = dem() else { return };
    let s = terrain::streams(
        &dem,
        CellMetric::Ellipsoid,
        Some(300),
        None,
        Default::default(),
    )
    .unwrap();
    let fs = s.geojson["features"].as_array().unwrap();
    assert!(fs.len() > 100, "{}", fs.len());
    assert_eq!(fs.len(), s.segments);
    let first: std::collections::HashMap<String, i64> = fs
        .iter()
        .map(|f| {
            (
                f["geometry"]["coordinates"][0].to_string(),
                f["properties"]["order"].as_i64().unwrap(),
            )
        })
        .collect();
    for f in fs {
        let c = f["geometry"]["coordinates"].as_array().unwrap();
        if let Some(&o) = first.get(&c.last().unwrap().to_string()) {
            assert!(o >= f["properties"]["order"].as_i64().unwrap());
        }
        assert!(f["properties"]["length_m"].as_f64().unwrap() > 0.0);
    }
    let e = terrain::streams(&dem, CellMetric::Ellipsoid, None, None, Default::default())
        .err()
        .unwrap();
    assert!(e.message.contains("--threshold") && e.message.contains("--min-area"));
}

/// A 7 × 7 hole in the DEM: the stream network and the drainage pipeline
/// say they met it (its size and where), treat it as an outlet by
/// default (as RichDEM), fill it when told, and refuse when told to.
#[test]
fn streams_and_the_pipeline_report_the_voids_they_meet() {
    let Some(dem) = dem() else { return };
    let dir = tempfile::tempdir().unwrap();
    // The hole goes on the middle of the longest segment of the
    // network's largest order, a valley floor.
    let whole = terrain::streams(
        &dem,
        CellMetric::Ellipsoid,
        Some(300),
        None,
        Default::default(),
    )
    .unwrap();
    assert!(whole.voids.voids.is_empty());
    let trunk = whole.geojson["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["order"] == whole.max_order)
        .max_by_key(|f| f["properties"]["cells"].as_u64().unwrap())
        .unwrap();
    let c = trunk["geometry"]["coordinates"].as_array().unwrap();
    let mid = &c[c.len() / 2];
    let (lon0, lat0) = (mid[0].as_f64().unwrap(), mid[1].as_f64().unwrap());
    let mut d = terminus_terrain::read(&dem, None).unwrap();
    let (col, row) = d.georef.cell_at(lon0, lat0, d.width, d.height).unwrap();
    for r in row - 3..=row + 3 {
        for k in col - 3..=col + 3 {
            d.data[r * d.width + k] = f32::NAN;
        }
    }
    let holed = dir.path().join("holed.tif");
    terrain::save(&holed, &d, false).unwrap();
    let streams = |voids| terrain::streams(&holed, CellMetric::Ellipsoid, Some(300), None, voids);
    let outlet = streams(terrain::VoidPolicy::Outlet).unwrap();
    assert_eq!(outlet.voids.voids.len(), 1);
    assert_eq!(outlet.voids.cells, 49);
    let [lat, lon] = outlet.voids.voids[0].centre.unwrap();
    assert!(
        (lat - lat0).abs() < 1e-6 && (lon - lon0).abs() < 1e-6,
        "{lat} {lon} vs {lat0} {lon0}"
    );
    assert!(
        outlet.voids.done.contains("used as outlets"),
        "{}",
        outlet.voids.done
    );
    let filled = streams(terrain::VoidPolicy::Fill).unwrap();
    assert!(
        filled.voids.done.contains("filled first"),
        "{}",
        filled.voids.done
    );
    // As an outlet, the trunk stream ends at the hole; filled, it runs
    // across and no stream ends there.
    let ends_in_hole = |s: &terrain::Streams| {
        s.geojson["features"].as_array().unwrap().iter().any(|f| {
            let c = f["geometry"]["coordinates"].as_array().unwrap();
            let last = c.last().unwrap();
            let (lo, la) = (last[0].as_f64().unwrap(), last[1].as_f64().unwrap());
            d.georef
                .cell_at(lo, la, d.width, d.height)
                .is_some_and(|(c, r)| c.abs_diff(col) <= 4 && r.abs_diff(row) <= 4)
        })
    };
    assert!(!ends_in_hole(&filled));
    assert!(ends_in_hole(&outlet));
    let refused = streams(terrain::VoidPolicy::Refuse).err().unwrap();
    assert!(
        refused.message.contains("1 void(s), 49 cells"),
        "{}",
        refused.message
    );
    // The pipeline: the same void in its outcome and its provenance.
    let out = dir.path().join("pipe");
    let r = terrain::pipeline(
        &PipelineRequest {
            dem: holed.clone(),
            dem_crs: None,
            drainage: Drainage::Epsilon,
            metric: CellMetric::Drop,
            voids: terrain::VoidPolicy::Outlet,
            out: out.clone(),
            overwrite: false,
        },
        Provenance::new(vec!["test".into()]),
        &|_| {},
    )
    .unwrap();
    assert_eq!((r.voids.voids.len(), r.voids.cells), (1, 49));
    let prov = std::fs::read_to_string(out.join("provenance.json")).unwrap();
    assert!(prov.contains("used as outlets"), "{prov}");
}

/// The Kyzyl-Suu from 39.66°N 72.84°E down to 39.49°N 72.00°E: longer
/// than the 75 km between its ends (it winds with the valley), downhill;
/// a start off the DEM is refused by name.
#[test]
fn the_thalweg_winds_with_its_valley() {
    let Some(dem) = dem() else { return };
    let req = |from: (f64, f64)| terrain::ThalwegRequest {
        voids: Default::default(),
        dem: dem.clone(),
        dem_crs: None,
        reach: Reach::Between(from, (39.4896, 72.0021)),
        corridor: 5000.0,
        compare: Vec::new(),
        input: InputOptions::default(),
    };
    let t = terrain::thalweg(&req((39.6646, 72.8354))).unwrap();
    assert!(
        (75_000.0..120_000.0).contains(&t.summary.length_m),
        "{}",
        t.summary.length_m
    );
    assert!(t.summary.start_m > t.summary.end_m);
    let e = terrain::thalweg(&req((10.0, 10.0))).err().unwrap();
    assert!(
        e.message.contains("start") && e.message.contains("outside the DEM"),
        "{}",
        e.message
    );
}

/// Within 10 km of the OSM border the water-parting stays in the corridor
/// and, over most of it, near the border; where it departs is named.
#[test]
fn the_divide_along_the_border() {
    let (Some(dem), Some(line)) = (dem(), osm_line()) else {
        return;
    };
    let d = terrain::divide(&DivideRequest {
        dem: dem.clone(),
        by: DivideBy::Along {
            line: line.clone(),
            corridor: 10_000.0,
        },
        snap: 1000.0,
        simplify: 0.0,
        compare: vec![line],
        metric: CellMetric::Ellipsoid,
        voids: terrain::VoidPolicy::Refuse,
        input: InputOptions::default(),
        lang: Default::default(),
        places: None,
        places_within: None,
        name_field: None,
    })
    .unwrap();
    assert!(d.summary.length_m > 100_000.0);
    let c = &d.summary.compared[0];
    assert!(c.max_m <= 10_500.0 && c.median_m < 3000.0, "{c:?}");
    assert!(!c.departures.is_empty());
    // The crest lies inside the corridor: nowhere along its edge.
    assert_eq!(d.summary.corridor_edge_share, Some(0.0));
    assert!(d.summary.warnings.is_empty(), "{:?}", d.summary.warnings);
    // Places near the divide (--places): one on a vertex of it, one 1.5 km
    // due north of another vertex, one 40 km south: the first two are
    // listed, at 0 m and at the brute-force distance to every segment,
    // in the report's table and on the map; the third is not.
    let coords = d.geojson["features"][0]["geometry"]["coordinates"]
        .as_array()
        .unwrap()
        .clone();
    let at = |k: usize| {
        let c = &coords[k];
        (c[1].as_f64().unwrap(), c[0].as_f64().unwrap())
    };
    let geod = terminus_geodesy::Ellipsoid::WGS84.geodesic();
    let north: (f64, f64) = {
        use terminus_geodesy::measure::DirectGeodesic;
        let (lat, lon) = at(coords.len() / 2);
        geod.direct(lat, lon, 0.0, 1500.0)
    };
    let on = at(coords.len() / 4);
    let dir = tempfile::tempdir().unwrap();
    let places = write(
        dir.path(),
        "places.geojson",
        &format!(
            r#"{{"type":"FeatureCollection","features":[
{{"type":"Feature","properties":{{"name":"On"}},"geometry":{{"type":"Point","coordinates":[{},{}]}}}},
{{"type":"Feature","properties":{{"name":"North"}},"geometry":{{"type":"Point","coordinates":[{},{}]}}}},
{{"type":"Feature","properties":{{"name":"Far"}},"geometry":{{"type":"Point","coordinates":[{},{}]}}}}]}}"#,
            on.1,
            on.0,
            north.1,
            north.0,
            on.1,
            on.0 - 0.36
        ),
    );
    let line = osm_line().unwrap();
    let with = terrain::divide(&DivideRequest {
        dem,
        by: DivideBy::Along {
            line: line.clone(),
            corridor: 10_000.0,
        },
        snap: 1000.0,
        simplify: 0.0,
        compare: vec![line],
        metric: CellMetric::Ellipsoid,
        voids: terrain::VoidPolicy::Refuse,
        input: InputOptions::default(),
        lang: Default::default(),
        places: Some(places),
        places_within: Some(3000.0),
        name_field: None,
    })
    .unwrap();
    let names: Vec<&str> = with.places.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    let find = |n: &str| with.places.iter().find(|p| p.name == n).unwrap();
    assert!(find("On").distance_m < 1e-6, "{}", find("On").distance_m);
    let brute = {
        use terminus_geodesy::geodesic::{nearest_on_segment, Gnomonic};
        use terminus_geodesy::LatLon;
        let g = Gnomonic::new(terminus_geodesy::Ellipsoid::WGS84);
        (0..coords.len() - 1)
            .map(|k| {
                let (a, b) = (at(k), at(k + 1));
                nearest_on_segment(
                    &g,
                    LatLon::new(a.0, a.1),
                    LatLon::new(b.0, b.1),
                    LatLon::new(north.0, north.1),
                )
                .unwrap()
                .distance
            })
            .fold(f64::INFINITY, f64::min)
    };
    assert!((find("North").distance_m - brute).abs() < 1e-6);
    assert!(brute <= 1500.0 + 1e-6);
    // The same places in the summary `--json` prints.
    assert_eq!(with.summary.places, with.places);
    assert_eq!(with.summary.places_within_m, Some(3000.0));
    let json = serde_json::to_value(&with.summary).unwrap();
    assert_eq!(json["places"].as_array().unwrap().len(), with.places.len());
    let out = dir.path().join("divide.geojson");
    terrain::write_divide(&out, &with, false).unwrap();
    let report = std::fs::read_to_string(dir.path().join("divide.report.md")).unwrap();
    assert!(
        report.contains("## Places within 3.0 km of the line") && report.contains("| North |"),
        "{report}"
    );
    let svg = std::fs::read_to_string(dir.path().join("divide.map.svg")).unwrap();
    assert!(svg.contains(">North</text>") && svg.contains(">On</text>"));
}

/// The same border moved 0.09° (~10 km) north, in a 5 km corridor: the
/// crest lies outside it, the divide runs along the corridor's edge over a
/// share of its length, and the summary says so (it was exit 0, silent).
#[test]
fn a_divide_along_the_corridor_edge_is_warned_of() {
    let (Some(dem), Some(line)) = (dem(), osm_line()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&line).unwrap()).unwrap();
    fn north(v: &mut serde_json::Value) {
        match v.as_array_mut() {
            Some(a) if a.first().is_some_and(|x| x.is_number()) => {
                a[1] = (a[1].as_f64().unwrap() + 0.09).into();
            }
            Some(a) => a.iter_mut().for_each(north),
            None => {}
        }
    }
    for f in doc["features"].as_array_mut().unwrap() {
        north(&mut f["geometry"]["coordinates"]);
    }
    let moved = write(dir.path(), "moved.geojson", &doc.to_string());
    let d = terrain::divide_with_provenance(
        &DivideRequest {
            dem: dem.clone(),
            by: DivideBy::Along {
                line: moved.clone(),
                corridor: 5_000.0,
            },
            snap: 1000.0,
            simplify: 0.0,
            compare: vec![moved],
            metric: CellMetric::Ellipsoid,
            voids: terrain::VoidPolicy::Refuse,
            input: InputOptions::default(),
            lang: Default::default(),
            places: None,
            places_within: None,
            name_field: None,
        },
        terminus_app::provenance::Provenance::new(vec![
            "terminus".into(),
            "terrain".into(),
            "divide".into(),
        ]),
    )
    .unwrap();
    let share = d.summary.corridor_edge_share.unwrap();
    assert!(share > 0.1, "{share}");
    let w = d.summary.warnings.join("\n");
    assert!(
        w.contains(&format!("{:.1} % of the divide's length", 100.0 * share))
            && w.contains("corridor's edge"),
        "{w}"
    );
    assert!(d.summary.compared[0].median_m > 2000.0);
    // The report beside the GeoJSON carries the warning; the map is drawn
    // over the DEM's relief.
    let out = dir.path().join("edge.geojson");
    let written = terrain::write_divide(&out, &d, false).unwrap();
    assert_eq!(written.len(), 5, "{written:?}");
    // Its provenance beside it: the DEM by its hash and CRS, the line
    // (corridor and compared) through its road, the settings, and the
    // corridor-edge warning.
    let prov: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("edge.provenance.json")).unwrap(),
    )
    .unwrap();
    let hash = |p: &std::path::Path| {
        use sha2::Digest as _;
        hex::encode(sha2::Sha256::digest(std::fs::read(p).unwrap()))
    };
    assert_eq!(prov["inputs"][0]["role"], "DEM");
    assert_eq!(
        prov["inputs"][0]["files"][0]["sha256"],
        hash(&dem),
        "{prov}"
    );
    assert_eq!(prov["inputs"][0]["crs"], "EPSG:4326");
    let moved_hash = hash(&dir.path().join("moved.geojson"));
    for (k, role) in [(1, "corridor's line"), (2, "compared line")] {
        assert_eq!(prov["inputs"][k]["role"], role);
        assert_eq!(prov["inputs"][k]["files"][0]["sha256"], moved_hash);
        assert!(
            prov["inputs"][k]["layers"][0]["transformation"].is_object(),
            "{prov}"
        );
    }
    assert_eq!(prov["tolerances"]["corridor_m"], 5000.0);
    assert_eq!(prov["warnings"][0], d.summary.warnings[0].as_str());
    let report = std::fs::read_to_string(dir.path().join("edge.report.md")).unwrap();
    assert!(
        report.contains(&format!("- {}", d.summary.warnings[0])),
        "{report}"
    );
    assert!(
        report.contains("## Warnings (1)") && report.contains("median 3"),
        "{report}"
    );
    // Along the corridor's edge the divide never meets the moved line:
    // no polygon between them, and the report says so instead of an
    // empty table.
    assert!(d.summary.compared[0].departures.is_empty());
    assert!(
        report.contains("No polygon lies between the divide and this line"),
        "{report}"
    );
    let svg = std::fs::read_to_string(dir.path().join("edge.map.svg")).unwrap();
    assert!(svg.contains("data:image/png;base64,") && svg.contains("water-parting traced"));
    let png = std::fs::read(dir.path().join("edge.map.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    // Nothing written is replaced without leave.
    assert!(terrain::write_divide(&out, &d, false).is_err());
}

/// Drainage areas as a seed polygon (the Alay valley floor) and a stream
/// line as drawn (the Muksu): the divide runs along the Trans-Alay crest,
/// over 6,900 m, within a kilometre of the OSM border in median.
#[test]
fn the_divide_between_a_valley_and_a_river() {
    let (Some(dem), Some(line)) = (dem(), osm_line()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "valley.geojson",
        r#"{"type":"Polygon","coordinates":[[[72.3,39.5],[72.8,39.55],[72.8,39.65],[72.3,39.6],[72.3,39.5]]]}"#,
    );
    let b = write(
        dir.path(),
        "muksu.geojson",
        r#"{"type":"LineString","coordinates":[[72.2,39.18],[72.5,39.15],[72.8,39.12]]}"#,
    );
    let d = terrain::divide(&DivideRequest {
        dem,
        by: DivideBy::Sides {
            a,
            b,
            a_name: None,
            b_name: None,
        },
        snap: 1000.0,
        simplify: 0.0,
        compare: vec![line],
        metric: CellMetric::Ellipsoid,
        voids: terrain::VoidPolicy::Refuse,
        input: InputOptions::default(),
        lang: Default::default(),
        places: None,
        places_within: None,
        name_field: None,
    })
    .unwrap();
    let s = &d.summary;
    assert!(s.cells_a > 10_000 && s.cells_b > 10_000);
    assert!(s.highest_m.unwrap() > 6900.0);
    assert!(s.compared[0].median_m < 1000.0, "{:?}", s.compared[0]);
}

/// The valley–Muksu divide over a DEM with three holes cut on its crest
/// (the issue's case: three voids shortened a water-parting from 125 km
/// to 90 km and dropped its highest point, with exit 0). By default the
/// divide is refused, each void named; --voids outlet warns and drains
/// into them; --voids fill traces it over the filled DEM, close to the
/// divide on the whole DEM.
#[test]
fn a_divide_over_voids_is_refused_unless_told_how() {
    let (Some(dem), Some(line)) = (dem(), osm_line()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "valley.geojson",
        r#"{"type":"Polygon","coordinates":[[[72.3,39.5],[72.8,39.55],[72.8,39.65],[72.3,39.6],[72.3,39.5]]]}"#,
    );
    let b = write(
        dir.path(),
        "muksu.geojson",
        r#"{"type":"LineString","coordinates":[[72.2,39.18],[72.5,39.15],[72.8,39.12]]}"#,
    );
    let run = |dem: PathBuf, voids: terrain::VoidPolicy| {
        terrain::divide(&DivideRequest {
            dem,
            by: DivideBy::Sides {
                a: a.clone(),
                b: b.clone(),
                a_name: None,
                b_name: None,
            },
            snap: 1000.0,
            simplify: 0.0,
            compare: vec![line.clone()],
            metric: CellMetric::Ellipsoid,
            voids,
            input: InputOptions::default(),
            lang: Default::default(),
            places: None,
            places_within: None,
            name_field: None,
        })
    };
    let whole = run(dem.clone(), terrain::VoidPolicy::Refuse).unwrap();
    assert!(whole.summary.voids.voids.is_empty());
    assert_eq!(whole.summary.voids.done, "no voids met");
    // Three holes of 9 × 9 cells centred on the divide at a quarter, half
    // and three quarters of its vertices.
    let mut d = terminus_terrain::read(&dem, None).unwrap();
    let coords = whole.geojson["features"][0]["geometry"]["coordinates"]
        .as_array()
        .unwrap()
        .clone();
    for f in [0.25, 0.5, 0.75] {
        let c = &coords[(coords.len() as f64 * f) as usize];
        let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        let (col, row) = d.georef.cell_at(lon, lat, d.width, d.height).unwrap();
        for r in row - 4..=row + 4 {
            for k in col - 4..=col + 4 {
                d.data[r * d.width + k] = f32::NAN;
            }
        }
    }
    let holed = dir.path().join("holed.tif");
    terrain::save(&holed, &d, false).unwrap();
    let refused = run(holed.clone(), terrain::VoidPolicy::Refuse)
        .err()
        .unwrap();
    assert!(
        refused.message.contains("3 void(s), 243 cells"),
        "{}",
        refused.message
    );
    let text = format!("{refused}");
    assert!(text.contains("--voids fill"), "{text}");
    let outlet = run(holed.clone(), terrain::VoidPolicy::Outlet)
        .unwrap()
        .summary;
    assert_eq!(outlet.voids.voids.len(), 3);
    assert!(
        outlet
            .warnings
            .iter()
            .any(|w| w.contains("used as outlets")),
        "{:?}",
        outlet.warnings
    );
    let filled = run(holed, terrain::VoidPolicy::Fill).unwrap().summary;
    assert!(
        filled.voids.done.contains("filled"),
        "{}",
        filled.voids.done
    );
    assert!(filled.warnings.is_empty(), "{:?}", filled.warnings);
    let (l0, l1, lo) = (whole.summary.length_m, filled.length_m, outlet.length_m);
    eprintln!(
        "divide: whole DEM {:.3} km, highest {:?}; holes filled {:.3} km, highest {:?}; holes as outlets {:.3} km, highest {:?}",
        l0 / 1e3,
        whole.summary.highest_m,
        l1 / 1e3,
        filled.highest_m,
        lo / 1e3,
        outlet.highest_m
    );
    assert!((l1 - l0).abs() < 0.05 * l0, "{l1} vs {l0}");
    // Drained into, the holes cut the divide short (what the default
    // refusal guards against).
    assert!((lo - l0).abs() > 3.0 * (l1 - l0).abs(), "{lo} vs {l0}");
}

/// Two banks along parallels 0.002° apart (~222 m): the median runs along
/// the parallel half-way, equidistant to a millimetre at every point.
#[test]
fn the_median_between_two_banks() {
    let dir = tempfile::tempdir().unwrap();
    let l = write(
        dir.path(),
        "left.geojson",
        r#"{"type":"LineString","coordinates":[[72.0,39.500],[72.05,39.500],[72.1,39.500]]}"#,
    );
    let r = write(
        dir.path(),
        "right.geojson",
        r#"{"type":"LineString","coordinates":[[72.0,39.498],[72.05,39.498],[72.1,39.498]]}"#,
    );
    let m = terrain::bank_median(&l, &r, 100.0, &InputOptions::default()).unwrap();
    assert!(m.summary.max_inequality_m < 1e-3, "{:?}", m.summary);
    for c in m.geojson["features"][0]["geometry"]["coordinates"]
        .as_array()
        .unwrap()
    {
        let lat = c[1].as_f64().unwrap();
        assert!((lat - 39.499).abs() < 1e-5, "{lat}");
    }
}

/// A plane in UTM with a hole, written as a GeoTIFF, filled through the
/// workflow and read back: the plane to 1 mm, the record beside it.
#[test]
fn fill_voids_gives_a_plane_back_and_records_what_it_filled() {
    use terminus_terrain::{Dem, Georef, SampleType};
    let dir = tempfile::tempdir().unwrap();
    let (w, h) = (80, 60);
    let georef = Georef {
        crs: terminus_geodesy::Crs::Epsg(32643),
        x0: 600_000.0,
        y0: 4_380_000.0,
        dx: 30.0,
        dy: 30.0,
        pixel_is_point: false,
    };
    let mut d = Dem::empty(w, h, georef, SampleType::F32, Some(-9999.0));
    let z = |c: usize, r: usize| 2500.0 + 0.8 * c as f64 - 1.3 * r as f64;
    for r in 0..h {
        for c in 0..w {
            let hole = (20..45).contains(&c) && (15..40).contains(&r);
            d.data[r * w + c] = if hole { f32::NAN } else { z(c, r) as f32 };
        }
    }
    let input = dir.path().join("holed.tif");
    terminus_terrain::geotiff::write(&input, &d).unwrap();
    let out = dir.path().join("filled.tif");
    let req = terrain::FillVoidsRequest {
        dem: input.clone(),
        dem_crs: None,
        out: out.clone(),
        overwrite: false,
    };
    let s = terrain::fill_voids(&req).unwrap();
    assert_eq!((s.cells_filled, s.voids.len()), (25 * 25, 1));
    let back = terminus_terrain::read(&out, None).unwrap();
    for r in 0..h {
        for c in 0..w {
            let v = back.get(c, r) as f64;
            assert!((v - z(c, r)).abs() < 1e-3, "{c},{r}: {v} vs {}", z(c, r));
        }
    }
    // The record is the summary; a second run does not replace it.
    let record: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("filled.tif.voids.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(record, serde_json::to_value(&s).unwrap());
    let e = terrain::fill_voids(&req).unwrap_err();
    assert!(e.message.contains("exists"), "{}", e.message);
}

/// Two holes in the GEBCO excerpt, one over the Trans-Alay crest: every
/// other cell is the DEM's own, every filled height within its void's edge
/// heights, and the summit inside the hole is not invented back (the
/// filled crest stays below the edge's highest height).
#[test]
fn fill_voids_on_the_gebco_crest() {
    let Some(path) = dem() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut d = terrain::load_dem(&path, None).unwrap();
    let original = d.clone();
    for r in 151..163 {
        for c in 204..221 {
            d.data[r * d.width + c] = f32::NAN;
        }
    }
    let holed = dir.path().join("holed.tif");
    terminus_terrain::geotiff::write(&holed, &d).unwrap();
    let s = terrain::fill_voids(&terrain::FillVoidsRequest {
        dem: holed,
        dem_crs: None,
        out: dir.path().join("filled.tif"),
        overwrite: false,
    })
    .unwrap();
    assert_eq!(s.voids.len(), 1);
    let v = &s.voids[0];
    assert_eq!(v.cells, 12 * 17);
    let [lat, lon] = v.centre.unwrap();
    assert!(
        (lat - 39.3458).abs() < 0.01 && (lon - 72.885).abs() < 0.01,
        "{lat} {lon}"
    );
    let back = terminus_terrain::read(&dir.path().join("filled.tif"), None).unwrap();
    let highest_cut = (151..163)
        .flat_map(|r| (204..221).map(move |c| (c, r)))
        .map(|(c, r)| original.get(c, r))
        .fold(f32::MIN, f32::max);
    for i in 0..back.data.len() {
        let (c, r) = (i % back.width, i / back.width);
        if (151..163).contains(&r) && (204..221).contains(&c) {
            let z = back.data[i] as f64;
            assert!(z >= v.edge_range_m[0] - 1e-3 && z <= v.edge_range_m[1] + 1e-3);
        } else {
            assert_eq!(back.data[i], original.data[i]);
        }
    }
    assert!(
        v.highest_m < highest_cut as f64,
        "{} vs {highest_cut}",
        v.highest_m
    );
}

/// A hole in the DEM on the valley floor: the thalweg is refused, the void
/// named, unless --voids fill; and outlet is not a thalweg's policy.
#[test]
fn a_thalweg_over_a_void_is_refused_unless_filled() {
    let Some(dem) = dem() else { return };
    let dir = tempfile::tempdir().unwrap();
    let req = |dem: PathBuf, voids: terrain::VoidPolicy| terrain::ThalwegRequest {
        voids,
        dem,
        dem_crs: None,
        reach: Reach::Between((39.6646, 72.8354), (39.4896, 72.0021)),
        corridor: 5000.0,
        compare: Vec::new(),
        input: InputOptions::default(),
    };
    let whole = terrain::thalweg(&req(dem.clone(), terrain::VoidPolicy::Refuse)).unwrap();
    assert_eq!(whole.summary.voids.done, "no voids met");
    // A 5 × 5 hole on the path's middle vertex.
    let coords = whole.geojson["features"][0]["geometry"]["coordinates"]
        .as_array()
        .unwrap()
        .clone();
    let mid = &coords[coords.len() / 2];
    let mut d = terminus_terrain::read(&dem, None).unwrap();
    let (c, r) = d
        .georef
        .cell_at(
            mid[0].as_f64().unwrap(),
            mid[1].as_f64().unwrap(),
            d.width,
            d.height,
        )
        .unwrap();
    for rr in r - 2..=r + 2 {
        for cc in c - 2..=c + 2 {
            d.data[rr * d.width + cc] = f32::NAN;
        }
    }
    let holed = dir.path().join("holed.tif");
    terrain::save(&holed, &d, false).unwrap();
    let e = terrain::thalweg(&req(holed.clone(), terrain::VoidPolicy::Refuse))
        .err()
        .unwrap();
    assert!(
        e.message.contains("1 void(s), 25 cells") && e.message.contains("thalweg"),
        "{}",
        e.message
    );
    let filled = terrain::thalweg(&req(holed.clone(), terrain::VoidPolicy::Fill)).unwrap();
    assert_eq!(filled.summary.voids.cells, 25);
    let (l0, l1) = (whole.summary.length_m, filled.summary.length_m);
    assert!((l1 - l0).abs() < 0.05 * l0, "{l1} vs {l0}");
    assert!(terrain::thalweg(&req(holed, terrain::VoidPolicy::Outlet)).is_err());
}
