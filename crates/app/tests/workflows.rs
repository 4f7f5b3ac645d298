//! The workflows as library calls, as `terminus serve` and the web
//! workspace will call them: no process spawned, the outcome checked.

use std::path::{Path, PathBuf};
use terminus_app::compare::{self, CompareRequest};
use terminus_app::demarcate::{self, Documents, PlanRequest};
use terminus_app::median::{self, MedianRequest};
use terminus_app::words::Lang;
use terminus_app::{InputOptions, Provenance};
use terminus_demarcation::plan::Numbering;
use terminus_geodesy::Crs;

fn bundled(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data")
        .join(name)
}

fn provenance() -> Provenance {
    Provenance::new(vec!["test".into()])
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Natural Earth 5.1.1 against World Atlas: the comparison's figures are
/// properties of the two files (symmetric lengths, areas that add up), and
/// the folder's provenance names both files by their hashes.
#[test]
fn compare_two_editions_as_a_library_call() {
    let dir = tempfile::tempdir().unwrap();
    let (ne, wa) = (
        bundled("naturalearth10m_ARM_AZE_shared.geojson"),
        bundled("worldatlas10m_ARM_AZE_shared.geojson"),
    );
    let req = CompareRequest {
        lines: vec![ne.clone(), wa.clone()],
        names: vec!["NE".into(), "WA".into()],
        tolerance: 100.0,
        bridge: 10_000.0,
        join: 10_000.0,
        ..Default::default()
    };
    let o = compare::run(&req, provenance()).unwrap();
    let c = &o.comparison;
    assert_eq!(c.lines.len(), 2);
    let p = &c.pairs[0];
    assert!(
        p.agreed_share > 0.0 && p.agreed_share < 1.0,
        "{}",
        p.agreed_share
    );
    // The discrepancies beyond tolerance and the slivers within it make up
    // the area between the lines.
    let sum: f64 = p.discrepancies.iter().map(|d| d.area_m2).sum();
    assert!(
        (sum - (p.discrepancy_area_m2
            + p.within_tolerance_area_m2
            + p.one_source_area_m2
            + p.same_side_area_m2))
            .abs()
            < 1e-6 * sum.max(1.0),
        "{sum} vs {} + {} + {} + {}",
        p.discrepancy_area_m2,
        p.within_tolerance_area_m2,
        p.one_source_area_m2,
        p.same_side_area_m2
    );
    compare::write(dir.path(), &o, 0, false).unwrap();
    let prov = json(&dir.path().join("provenance.json"));
    let hash = |p: &Path| terminus_app::input::hash_file(p).unwrap().sha256;
    assert_eq!(prov["inputs"][0]["files"][0]["sha256"], hash(&ne));
    assert_eq!(prov["inputs"][1]["files"][0]["sha256"], hash(&wa));
    assert_eq!(prov["tolerances"]["tolerance_m"], 100.0);
    // The reports carry the same in words: each input with its SHA-256.
    let md = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(md.contains("## Provenance") && html.contains("<h2>Provenance</h2>"));
    for f in [&ne, &wa] {
        assert!(md.contains(&format!("`{}`", hash(f))), "{md}");
        assert!(html.contains(&format!("<code>{}</code>", hash(f))));
    }
    // Written again into the same folder without overwrite: refused.
    assert!(compare::refuse_overwrite(dir.path()).is_err());
}

/// NE against OSM on the Kyrgyz–Tajik border with the OSM territories: NE
/// draws the Vorukh exclave's ring (~119 km², 39.83°N 70.61°E), OSM's
/// shared-line file does not. It is reported as drawn by NE only and is in
/// neither party's gain (before: 119 km² of one party's "gains").
#[test]
fn an_exclave_one_line_draws_is_not_a_gain() {
    let shared = |rel: &str| terminus_testdata::shared_data(&format!("boundaries/kg_tj/{rel}"));
    let (Some(ne), Some(osm), Some(kg), Some(tj)) = (
        shared("naturalearth10m_KGZ_TJK_shared.geojson"),
        shared("geomaps_osm10m_KGZ_TJK_shared.geojson"),
        shared("geomaps_osm10m_KGZ.geojson"),
        shared("geomaps_osm10m_TJK.geojson"),
    ) else {
        return;
    };
    let req = CompareRequest {
        lines: vec![ne, osm],
        names: vec!["NE".into(), "OSM".into()],
        parties: vec![kg, tj],
        party_names: vec!["KG".into(), "TJ".into()],
        tolerance: 100.0,
        bridge: 10_000.0,
        join: 10_000.0,
        ..Default::default()
    };
    let o = compare::run(&req, provenance()).unwrap();
    let p = &o.comparison.pairs[0];
    let vorukh = p
        .discrepancies
        .iter()
        .find(|d| (d.inside_at.0 - 39.83).abs() < 0.05 && (d.inside_at.1 - 70.61).abs() < 0.05)
        .expect("Vorukh's ring");
    assert!(
        (118e6..121e6).contains(&vorukh.area_m2),
        "{}",
        vorukh.area_m2
    );
    assert_eq!(vorukh.drawn_by_one.as_deref(), Some("NE"));
    assert_eq!(vorukh.kind, "NE only");
    assert!(!vorukh.beyond_tolerance);
    // The gains are the discrepancies' areas, and nothing drawn by one
    // line alone.
    let gains: f64 = p.gain_m2.values().sum();
    assert!((gains - p.discrepancy_area_m2).abs() < 1e-6 * gains);
    let by_one: f64 = p
        .discrepancies
        .iter()
        .filter(|d| d.drawn_by_one.is_some() && !d.same_side)
        .map(|d| d.area_m2)
        .sum();
    assert!((by_one - p.one_source_area_m2).abs() < 1e-6);
    assert!(by_one >= vorukh.area_m2);
    // The report gives it its own row.
    let dir = tempfile::tempdir().unwrap();
    compare::write(dir.path(), &o, 0, false).unwrap();
    let md = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(md.contains("Drawn by one line only"), "{md}");
    assert!(
        md.contains("| NE only | TJ | KG | 39.8250°N 70.6147°E |"),
        "{md}"
    );
}

/// With Natural Earth's territories, Vorukh is both TJ's exclave and a
/// hole in KG: one row, both names (it was listed twice).
#[test]
fn an_enclave_is_listed_once_with_both_names() {
    let shared = |rel: &str| terminus_testdata::shared_data(&format!("boundaries/kg_tj/{rel}"));
    let (Some(ne), Some(osm), Some(kg), Some(tj)) = (
        shared("naturalearth10m_KGZ_TJK_shared.geojson"),
        shared("geomaps_osm10m_KGZ_TJK_shared.geojson"),
        shared("naturalearth10m_KGZ.geojson"),
        shared("naturalearth10m_TJK.geojson"),
    ) else {
        return;
    };
    let o = compare::run(
        &CompareRequest {
            lines: vec![ne, osm],
            names: vec!["NE".into(), "OSM".into()],
            parties: vec![kg, tj],
            party_names: vec!["KG".into(), "TJ".into()],
            tolerance: 100.0,
            bridge: 10_000.0,
            join: 10_000.0,
            ..Default::default()
        },
        provenance(),
    )
    .unwrap();
    let t = o.comparison.territory.as_ref().unwrap();
    let near_vorukh: Vec<_> = t
        .enclaves_and_exclaves
        .iter()
        .filter(|p| (p.at.0 - 39.83).abs() < 0.1 && (p.at.1 - 70.62).abs() < 0.1)
        .collect();
    assert_eq!(near_vorukh.len(), 1, "{near_vorukh:?}");
    assert_eq!(near_vorukh[0].note, "exclave of TJ, enclave in KG");
    assert!((118e6..121e6).contains(&near_vorukh[0].area_m2));
}

/// The compromise median of the two editions: every traced vertex is
/// equidistant from both claims (the engine's contract), and the gains
/// are reported for both claims.
#[test]
fn compromise_median_as_a_library_call() {
    let req = MedianRequest {
        sides: vec![
            bundled("naturalearth10m_ARM_AZE_shared.geojson"),
            bundled("worldatlas10m_ARM_AZE_shared.geojson"),
        ],
        names: vec!["NE".into(), "WA".into()],
        tolerance: 0.5,
        ratio: (1.0, 1.0),
        compromise: true,
        ..Default::default()
    };
    let m = median::run(&req, provenance()).unwrap();
    assert_eq!(m.summary.mode, "compromise");
    assert!(!m.outcome.lines.is_empty());
    // The compromise's lines (its rings, arc-length medians of the two
    // claims' enclaves, have no base points: checked in median_workflows).
    let lines: Vec<_> = m
        .outcome
        .lines
        .iter()
        .filter(|l| !l.made.is_empty())
        .collect();
    assert_eq!(lines.len(), 2);
    for l in lines {
        for v in &l.line.vertices {
            let (a, b) = (v.base_a[0].distance, v.base_b[0].distance);
            assert!((a - b).abs() <= 0.5 + 1e-9, "{}: {a} vs {b}", l.name);
        }
    }
    assert_eq!(m.summary.compromise.as_ref().unwrap().gains.len(), 2);
    // Written, with its provenance: both claims by their hashes, the tolerance.
    let dir = tempfile::tempdir().unwrap();
    median::write(dir.path(), &m, false).unwrap();
    let prov = json(&dir.path().join("provenance.json"));
    for (k, p) in req.sides.iter().enumerate() {
        assert_eq!(
            prov["inputs"][k]["files"][0]["sha256"],
            terminus_app::input::hash_file(p).unwrap().sha256
        );
    }
    assert_eq!(prov["tolerances"]["tolerance_m"], 0.5);
    let report = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(report.contains("## Provenance"), "{report}");
    for p in &req.sides {
        let h = terminus_app::input::hash_file(p).unwrap().sha256;
        assert!(report.contains(&h), "{h} not in the report");
    }
    assert!(report.contains("tolerance_m = 0.5"), "{report}");
}

/// `validate` names the likely cause of coordinates that cannot be in the
/// declared CRS: a Gauss–Krüger zone prefix missing or wrong, X and Y
/// exchanged, Web-Mercator metres labelled EPSG:4326, latitude and
/// longitude exchanged for a whole file.
#[test]
fn validate_names_the_cause_of_a_wrong_crs() {
    let dir = tempfile::tempdir().unwrap();
    let gk = [(4_540_190.23, 8_527_861.41), (4_541_402.87, 8_529_113.05)];
    let table = |name: &str, pts: &[(f64, f64)]| -> PathBuf {
        let p = dir.path().join(name);
        std::fs::write(&p, terminus_testdata::gk_point_table(pts)).unwrap();
        p
    };
    let gk_input = InputOptions {
        crs: Some(Crs::Epsg(28408)),
        csv: terminus_formats::csv::CsvOptions {
            x_column: Some("Y, м".into()),
            y_column: Some("X, м".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let geojson = |name: &str, coords: &str| -> PathBuf {
        let p = dir.path().join(name);
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{}},"geometry":{{"type":"LineString","coordinates":{coords}}}}}]}}"#
        );
        std::fs::write(&p, text).unwrap();
        p
    };
    let m = terminus_geodesy::projection::web_mercator::forward(terminus_geodesy::LatLon::new(
        41.0, 45.3,
    ));
    let (mx, my) = (m.easting, m.northing);
    let default = InputOptions::default();
    let cases: Vec<(PathBuf, &InputOptions, &str)> = vec![
        (
            table("no_prefix.csv", &gk.map(|(x, y)| (x, y - 8e6))),
            &gk_input,
            "without its prefix",
        ),
        (
            table("zone7.csv", &gk.map(|(x, y)| (x, y - 1e6))),
            &gk_input,
            "zone 7",
        ),
        (
            table("swapped.csv", &gk.map(|(x, y)| (y, x))),
            &gk_input,
            "exchanged",
        ),
        (
            geojson(
                "mercator.geojson",
                &format!("[[{mx},{my}],[{},{my}]]", mx + 50.0),
            ),
            &default,
            "EPSG:3857",
        ),
        (
            geojson(
                "latfirst.geojson",
                "[[40.1,100.2],[40.2,100.3],[40.3,100.1]]",
            ),
            &default,
            "exchanged for the whole layer",
        ),
    ];
    for (path, input, cause) in cases {
        let r = terminus_app::validate::validate_files(
            std::slice::from_ref(&path),
            input,
            &Default::default(),
        );
        let findings = r[0].1.as_ref().unwrap();
        let f = findings
            .iter()
            .find(|f| f.check == terminus_vector::validate::Check::CrsMismatch)
            .unwrap_or_else(|| panic!("{}: {findings:?}", path.display()));
        assert_eq!(f.severity, terminus_vector::validate::Severity::Error);
        assert!(
            f.message.contains(cause),
            "{}: {}",
            path.display(),
            f.message
        );
    }
}

/// The plan's report and map in Russian (`--lang ru`): the same figures,
/// the same pillar numbers, the headings and the legend in Russian, and
/// no English heading left behind.
#[test]
fn the_plan_report_speaks_russian_when_asked() {
    let gk8 = [
        (4_540_190.23, 8_527_861.41),
        (4_541_402.87, 8_529_113.05),
        (4_542_018.60, 8_531_577.92),
    ];
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("tp.csv");
    std::fs::write(&csv, terminus_testdata::gk_point_table(&gk8)).unwrap();
    let mut reports = Vec::new();
    for lang in [Lang::En, Lang::Ru] {
        let req = PlanRequest {
            line: csv.clone(),
            dem: None,
            dem_crs: None,
            max_spacing: 500.0,
            min_spacing: None,
            piece: None,
            clip: None,
            clip_to: None,
            voids: Default::default(),
            max_slope: 30.0,
            move_tolerance: 50.0,
            numbering: Numbering {
                prefix: "TG".into(),
                digits: 3,
                start: 1,
            },
            crossings: Vec::new(),
            water: Vec::new(),
            documents: Documents::default(),
            input: InputOptions {
                crs: Some(Crs::Epsg(28408)),
                op: Some(1808),
                csv: terminus_formats::csv::CsvOptions {
                    x_column: Some("Y, м".into()),
                    y_column: Some("X, м".into()),
                    ..Default::default()
                },
                as_line: true,
                ..Default::default()
            },
            lang,
            places: None,
            places_within: None,
            name_field: None,
            between: None,
        };
        let d = demarcate::plan(&req, provenance()).unwrap();
        let out = dir.path().join(format!("{lang:?}"));
        demarcate::write(&out, &d, &req.documents, false).unwrap();
        let report = std::fs::read_to_string(out.join("report.md")).unwrap();
        let svg = std::fs::read_to_string(out.join("maps/plan.svg")).unwrap();
        reports.push((d, report, svg));
    }
    let (en, en_report, en_svg) = &reports[0];
    let (ru, ru_report, ru_svg) = &reports[1];
    assert!(en_report.contains("# Pillar plan") && en_svg.contains("main pillar"));
    assert!(
        ru_report.contains("# План установки пограничных знаков")
            && ru_report.contains("Отчёт на русском языке"),
        "{ru_report}"
    );
    assert!(
        ru_svg.contains("основной знак (поворотная точка)"),
        "{ru_svg}"
    );
    for english in ["# Pillar plan", "Length of line", "main pillar", "## Map"] {
        assert!(
            !ru_report.contains(english),
            "{english} left in:\n{ru_report}"
        );
    }
    // The same plan: the same pillars, each main pillar labelled on both
    // maps, and every figure of the English report in the Russian one.
    assert_eq!(en.catalogue.rows.len(), ru.catalogue.rows.len());
    assert!(en.catalogue.rows.len() > gk8.len());
    let label = |n: &str| format!(">{n}</text>");
    for r in &ru.catalogue.rows {
        let main = r.kind == terminus_demarcation::plan::PillarType::Main;
        assert_eq!(ru_svg.contains(&label(&r.number)), main, "{}", r.number);
        assert_eq!(en_svg.contains(&label(&r.number)), main, "{}", r.number);
    }
    assert_eq!(
        terminus_testdata::report_figures(en_report),
        terminus_testdata::report_figures(ru_report)
    );
}

/// SK-42 turning points (Gauss–Krüger zone 8, a Russian point table)
/// planned and catalogued: the catalogue's GK columns are the supplied
/// coordinates to ≤ 1 mm, through the transformation named, for each of
/// two transformations that put WGS 84 metres apart.
#[test]
fn demarcation_returns_supplied_turning_points() {
    let gk8 = [
        (4_540_190.23, 8_527_861.41),
        (4_541_402.87, 8_529_113.05),
        (4_542_018.60, 8_531_577.92),
    ];
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("tp.csv");
    let text = terminus_testdata::gk_point_table(&gk8);
    std::fs::write(&csv, text).unwrap();
    let mut positions = Vec::new();
    for op in [1808, 15865] {
        let req = PlanRequest {
            line: csv.clone(),
            dem: None,
            dem_crs: None,
            max_spacing: 5000.0,
            min_spacing: None,
            piece: None,
            clip: None,
            clip_to: None,
            voids: Default::default(),
            max_slope: 30.0,
            move_tolerance: 50.0,
            numbering: Numbering {
                prefix: "TG".into(),
                digits: 3,
                start: 1,
            },
            crossings: Vec::new(),
            water: Vec::new(),
            documents: Documents::default(),
            input: InputOptions {
                crs: Some(Crs::Epsg(28408)),
                op: Some(op),
                csv: terminus_formats::csv::CsvOptions {
                    x_column: Some("Y, м".into()),
                    y_column: Some("X, м".into()),
                    ..Default::default()
                },
                as_line: true,
                ..Default::default()
            },
            lang: Default::default(),
            places: None,
            places_within: None,
            name_field: None,
            between: None,
        };
        let d = demarcate::plan(&req, provenance()).unwrap();
        assert_eq!(d.catalogue.gk_transformation, op);
        let mains: Vec<_> = d
            .catalogue
            .rows
            .iter()
            .filter(|r| r.kind == terminus_demarcation::plan::PillarType::Main)
            .collect();
        assert_eq!(mains.len(), gk8.len());
        for (r, &(x, y)) in mains.iter().zip(&gk8) {
            assert!(
                (r.gk_x - x).abs() <= 1e-3 && (r.gk_y - y).abs() <= 1e-3,
                "EPSG:{op}: {} {} vs {x} {y}",
                r.gk_x,
                r.gk_y
            );
        }
        positions.push((mains[0].lat, mains[0].lon));
        let written =
            demarcate::write(&dir.path().join(op.to_string()), &d, &req.documents, false).unwrap();
        assert!(written.iter().any(|p| p.ends_with("catalogue.csv")));
        let prov = json(&dir.path().join(op.to_string()).join("provenance.json"));
        assert_eq!(
            prov["inputs"][0]["layers"][0]["transformation"]["operation"],
            format!("EPSG:{op}")
        );
    }
    // The same supplied point, through two transformations, is metres
    // apart on WGS 84: which is why the catalogue must name its one.
    let g = terminus_geodesy::Ellipsoid::WGS84.geodesic();
    let s: f64 = terminus_geodesy::measure::InverseGeodesic::inverse(
        &g,
        positions[0].0,
        positions[0].1,
        positions[1].0,
        positions[1].1,
    );
    assert!(s > 1.0, "{s}");
}

/// The demo as a library call writes its folder with provenance, and its
/// figures are the documented ones (the boundary line and both
/// territories measured on the ellipsoid).
#[test]
fn the_demo_as_a_library_call() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let s = terminus_app::demo::run(&out, provenance()).unwrap();
    assert!(out.join("provenance.json").is_file());
    assert!(out.join("compare/summary.json").is_file());
    let km = s.boundary_line_km;
    // The bundled Natural Earth 5.1.1 line, geodesic length on WGS 84.
    let line = terminus_formats::read(
        &bundled("naturalearth10m_ARM_AZE_shared.geojson"),
        &Default::default(),
    )
    .unwrap();
    let m = terminus_vector::measure::measure_layer(&line.layers[0]).unwrap();
    assert!((km - m.length_m / 1000.0).abs() < 1e-9, "{km}");
    assert_eq!(s.validation.errors, 0);
    // Its reports say what made them: the bundled samples by their hashes.
    let sample =
        terminus_app::input::hash_file(&out.join("sample/naturalearth10m_ARM_AZE_shared.geojson"))
            .unwrap()
            .sha256;
    for report in [
        "compare/report.md",
        "compare/report.html",
        "median/report.md",
    ] {
        let text = std::fs::read_to_string(out.join(report)).unwrap();
        assert!(
            text.contains("Provenance") && text.contains(&sample),
            "{report}"
        );
    }
}

/// The commission's road on the real Alay section: the compromise of NE
/// and OSM (Kyrgyzstan–Tajikistan, OSM territories), reduced to turning
/// points within 1 m, the line chosen by name from median.geojson and
/// clipped to the bundled DEM's box, pillars planned at the turning points
/// with the minimum spacing. Before: every densified vertex a main pillar
/// (1,247 here), the closest 1.56 m apart.
#[test]
fn the_alay_compromise_is_planned_at_its_turning_points() {
    let shared = |rel: &str| terminus_testdata::shared_data(&format!("boundaries/kg_tj/{rel}"));
    let (Some(ne), Some(osm), Some(kg), Some(tj)) = (
        shared("naturalearth10m_KGZ_TJK_shared.geojson"),
        shared("geomaps_osm10m_KGZ_TJK_shared.geojson"),
        shared("geomaps_osm10m_KGZ.geojson"),
        shared("geomaps_osm10m_TJK.geojson"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let m = median::run(
        &MedianRequest {
            sides: vec![ne, osm],
            names: vec!["NE".into(), "OSM".into()],
            parties: vec![kg, tj],
            party_names: vec!["KG".into(), "TJ".into()],
            tolerance: 0.5,
            ratio: (1.0, 1.0),
            compromise: true,
            simplified: true,
            ..Default::default()
        },
        provenance(),
    )
    .unwrap();
    median::write(&dir.path().join("mid"), &m, false).unwrap();
    let (max_spacing, min_spacing) = (500.0, 50.0);
    let plan_with = |piece: &str, clip_to: Option<PathBuf>| {
        demarcate::plan(
            &PlanRequest {
                line: dir.path().join("mid/median.geojson"),
                piece: Some(piece.into()),
                clip: clip_to.is_none().then_some([38.62, 72.02, 39.98, 74.48]),
                clip_to,
                voids: Default::default(),
                dem: Some(bundled("gebco2023_alay_pamir_KG_TJ_15s.tif")),
                dem_crs: None,
                max_spacing,
                min_spacing: Some(min_spacing),
                max_slope: 30.0,
                move_tolerance: 50.0,
                numbering: Numbering {
                    prefix: "AL".into(),
                    digits: 4,
                    start: 1,
                },
                crossings: Vec::new(),
                water: Vec::new(),
                documents: Documents::default(),
                input: InputOptions::default(),
                lang: Default::default(),
                places: None,
                places_within: None,
                name_field: None,
                between: None,
            },
            provenance(),
        )
        .unwrap()
    };
    let plan_of = |piece: &str| plan_with(piece, None);
    let d = plan_of("NE|OSM line 1 simplified");
    let plan = d.plan.as_ref().unwrap();
    // The same box as a polygon file (its east and west edges meridians,
    // which are geodesics, where the line crosses): --clip-to gives the
    // same line, vertex for vertex to 1e-9°.
    let square = dir.path().join("alay-area.geojson");
    std::fs::write(
        &square,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[72.02,38.62],[74.48,38.62],[74.48,39.98],[72.02,39.98],[72.02,38.62]]]}}]}"#,
    )
    .unwrap();
    let by_polygon = plan_with("NE|OSM line 1 simplified", Some(square));
    let clipped = &by_polygon.plan.as_ref().unwrap().line;
    assert_eq!(clipped.len(), plan.line.len());
    for (p, q) in clipped.iter().zip(&plan.line) {
        assert!(
            (p.0 - q.0).abs() < 1e-9 && (p.1 - q.1).abs() < 1e-9,
            "{p:?} {q:?}"
        );
    }
    // The clipped line: ~175 km of the Alay section, its vertices the
    // turning points; each has a main pillar or is merged into one.
    let turning_points = plan.line.len();
    assert!((170e3..180e3).contains(&plan.length_m), "{}", plan.length_m);
    let main = plan
        .pillars
        .iter()
        .filter(|p| p.kind == terminus_demarcation::plan::PillarType::Main)
        .count();
    assert_eq!(main + plan.merged.len(), turning_points);
    let expected = plan.length_m / max_spacing + turning_points as f64;
    let count = plan.pillars.len() as f64;
    assert!(
        (count - expected).abs() <= 0.2 * expected,
        "{count} pillars, expected {expected:.0} ± 20 %"
    );
    // No two consecutive pillars closer than the minimum (geodesic,
    // measured here, not read from the catalogue).
    let geod = terminus_geodesy::Ellipsoid::WGS84.geodesic();
    use terminus_geodesy::measure::InverseGeodesic;
    let closest = plan
        .pillars
        .windows(2)
        .map(|w| -> f64 { geod.inverse(w[0].lat, w[0].lon, w[1].lat, w[1].lon) })
        .fold(f64::INFINITY, f64::min);
    assert!(closest >= min_spacing - 1e-6, "closest pair {closest} m");
    // Every merged turning point is described from a pillar within the
    // minimum spacing, by the distance measured here.
    for t in &plan.merged {
        let p = plan.pillars.iter().find(|p| p.number == t.pillar).unwrap();
        let d: f64 = geod.inverse(p.lat, p.lon, t.lat, t.lon);
        assert!(
            (d - t.distance_m).abs() < 1e-6 && d < min_spacing + 1e-6,
            "{t:?}"
        );
    }
    // The densified compromise, as before: a main pillar at nearly every
    // vertex.
    let dense = plan_of("NE|OSM line 1");
    let dense_main = dense
        .plan
        .as_ref()
        .unwrap()
        .pillars
        .iter()
        .filter(|p| p.kind == terminus_demarcation::plan::PillarType::Main)
        .count();
    eprintln!(
        "Alay: {:.3} km, {turning_points} turning points, {} pillars ({main} main, {} merged); closest {closest:.2} m; densified line: {dense_main} main pillars",
        plan.length_m / 1000.0,
        plan.pillars.len(),
        plan.merged.len()
    );
    assert!(dense_main > main);
}

/// `--tolerance 100m,500m,1km`: the agreement at each further tolerance is
/// what a comparison run at that tolerance finds (agreed lengths, the
/// discrepancies and their area), and it grows with the tolerance.
#[test]
fn agreement_at_several_tolerances_in_one_run() {
    let run = |tolerance: f64, more: Vec<f64>| {
        compare::run(
            &CompareRequest {
                lines: vec![
                    bundled("naturalearth10m_ARM_AZE_shared.geojson"),
                    bundled("worldatlas10m_ARM_AZE_shared.geojson"),
                ],
                names: vec!["NE".into(), "WA".into()],
                tolerance,
                more_tolerances: more,
                bridge: 10_000.0,
                join: 10_000.0,
                ..Default::default()
            },
            provenance(),
        )
        .unwrap()
        .comparison
        .pairs
        .remove(0)
    };
    let all = run(100.0, vec![500.0, 1000.0]);
    assert_eq!(all.agreement_at.len(), 3);
    assert_eq!(all.agreement_at[0].discrepancy_count, all.discrepancy_count);
    assert_eq!(all.agreement_at[0].agreed_share, all.agreed_share);
    for w in all.agreement_at.windows(2) {
        assert!(w[1].agreed_share >= w[0].agreed_share);
        assert!(w[1].discrepancy_count <= w[0].discrepancy_count);
    }
    for (k, t) in [(1, 500.0), (2, 1000.0)] {
        let alone = run(t, Vec::new());
        let at = &all.agreement_at[k];
        assert_eq!(at.tolerance_m, t);
        let close = |x: f64, y: f64| (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0);
        assert!(close(at.agreed_length_a_m, alone.agreed_length_a_m), "{t}");
        assert!(close(at.agreed_length_b_m, alone.agreed_length_b_m), "{t}");
        assert_eq!(at.discrepancy_count, alone.discrepancy_count, "{t}");
        assert!(
            close(at.discrepancy_area_m2, alone.discrepancy_area_m2),
            "{t}"
        );
    }
}

/// The comparison's report (Markdown and HTML) and maps in Russian: the
/// same comparison, every figure of the English report in the Russian
/// one, units in Russian, no English heading or table header left.
#[test]
fn the_comparison_report_speaks_russian_when_asked() {
    let run = |lang: Lang| {
        let req = CompareRequest {
            lines: vec![
                bundled("naturalearth10m_ARM_AZE_shared.geojson"),
                bundled("worldatlas10m_ARM_AZE_shared.geojson"),
            ],
            names: vec!["NE".into(), "WA".into()],
            parties: vec![
                bundled("naturalearth10m_ARM.geojson"),
                bundled("naturalearth10m_AZE.geojson"),
            ],
            tolerance: 100.0,
            more_tolerances: vec![500.0],
            bridge: 10_000.0,
            join: 10_000.0,
            lang,
            ..Default::default()
        };
        let o = compare::run(&req, provenance()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        compare::write(dir.path(), &o, 2, false).unwrap();
        let read = |f: &str| std::fs::read_to_string(dir.path().join(f)).unwrap();
        (
            o,
            read("report.md"),
            read("report.html"),
            read("maps/overview.svg"),
        )
    };
    let (en, en_md, _, en_svg) = run(Lang::En);
    let (ru, ru_md, ru_html, ru_svg) = run(Lang::Ru);
    assert_eq!(
        serde_json::to_value(compare::summary(&en.comparison)).unwrap(),
        serde_json::to_value(compare::summary(&ru.comparison)).unwrap()
    );
    assert!(en_md.contains("# Claim-line comparison") && en_svg.contains("Claim lines compared"));
    assert!(
        ru_md.contains("# Сравнение линий притязаний")
            && ru_md.contains("## Сводка")
            && ru_md.contains("Десять наибольших расхождений")
            && ru_md.contains("Совпадение при каждом допуске")
            && ru_md.contains(" км"),
        "{ru_md}"
    );
    assert!(
        ru_html.contains(r#"<html lang="ru">"#)
            && ru_html.contains("<title>Сравнение линий притязаний</title>")
    );
    assert!(ru_svg.contains("Сравнение линий притязаний"), "{ru_svg}");
    // The overview numbers the ten largest discrepancies as the report's
    // table does.
    assert!(ru_svg.contains("десять наибольших расхождений"));
    let top: Vec<usize> = en.comparison.pairs[0]
        .discrepancies
        .iter()
        .filter(|d| d.beyond_tolerance)
        .take(10)
        .map(|d| d.id)
        .collect();
    assert_eq!(top.len(), 10);
    for id in top {
        assert!(
            en_svg.contains(&format!(">{id}</text>")),
            "#{id} not on the overview"
        );
        assert!(
            en_md.contains(&format!("\n| {id} | ")),
            "#{id} not in the table"
        );
    }
    // (The engine's notes are quoted in English, as the report says.)
    assert!(ru_md.contains("на английском языке"));
    let body = &ru_md[..ru_md
        .find("## Примечания")
        .or(ru_md.find("## Provenance"))
        .unwrap_or(ru_md.len())];
    for english in [
        "## Lines",
        "## Summary",
        " vs ",
        "polygons lie",
        "The ten largest",
        "| line |",
        "| section |",
        "Territories:",
        "Overlaps",
        "## Maps",
        " km²",
        " km ",
    ] {
        assert!(!body.contains(english), "{english} left in:\n{body}");
    }
    assert_eq!(
        terminus_testdata::report_figures(&en_md),
        terminus_testdata::report_figures(&ru_md)
    );
}

/// `demarcate plan --places`: the GeoNames places within 3 km of the
/// Armenia–Azerbaijan line (Natural Earth, its longest piece) are in the
/// report's table and on the map, each distance the nearest of every
/// segment of the planned line solved by brute force (to 1e-6 m).
#[test]
fn the_plan_lists_the_places_near_its_line() {
    use terminus_geodesy::geodesic::{nearest_on_segment, Gnomonic};
    use terminus_geodesy::{Ellipsoid, LatLon};
    let places = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/places/geonames_cities1000_AM_AZ_region.geojson");
    if !places.exists() {
        eprintln!("SKIPPED: {} absent (../shared/data)", places.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let req = PlanRequest {
        line: bundled("naturalearth10m_ARM_AZE_shared.geojson"),
        dem: None,
        dem_crs: None,
        max_spacing: 5000.0,
        min_spacing: None,
        piece: Some("1".into()),
        clip: None,
        clip_to: None,
        voids: Default::default(),
        max_slope: 30.0,
        move_tolerance: 50.0,
        numbering: Numbering {
            prefix: "AA".into(),
            digits: 3,
            start: 1,
        },
        crossings: Vec::new(),
        water: Vec::new(),
        documents: Documents::default(),
        input: InputOptions::default(),
        lang: Lang::En,
        places: Some(places.clone()),
        places_within: Some(3000.0),
        name_field: None,
        between: None,
    };
    let d = demarcate::plan(&req, provenance()).unwrap();
    assert_eq!(d.places_within_m, Some(3000.0));
    assert!(!d.places.is_empty());
    let line: Vec<LatLon> = d
        .plan
        .as_ref()
        .unwrap()
        .line
        .iter()
        .map(|&(lat, lon)| LatLon::new(lat, lon))
        .collect();
    let g = Gnomonic::new(Ellipsoid::WGS84);
    for p in &d.places {
        let exact = line
            .windows(2)
            .map(|w| {
                nearest_on_segment(&g, w[0], w[1], LatLon::new(p.lat, p.lon))
                    .unwrap()
                    .distance
            })
            .fold(f64::INFINITY, f64::min);
        assert!(
            (p.distance_m - exact).abs() < 1e-6,
            "{}: {} vs {exact}",
            p.name,
            p.distance_m
        );
        assert!(p.distance_m <= 3000.0);
    }
    let written = demarcate::write(dir.path(), &d, &req.documents, false).unwrap();
    // The same places in the summary `--json` prints.
    let summary = demarcate::summary(&d, &written);
    assert_eq!(summary.places, d.places);
    assert_eq!(summary.places_within_m, Some(3000.0));
    let report = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(
        report.contains("## Places within 3.0 km of the line"),
        "{report}"
    );
    assert!(
        report.contains(&format!("| P1 | {} |", d.places[0].name)),
        "{report}"
    );
    let svg = std::fs::read_to_string(dir.path().join("maps/plan.svg")).unwrap();
    assert!(svg.contains("place within 3.0 km of the line"));
}

/// `demarcate plan --from-point --to-point`: the line cut between two
/// points' feet. Given two of its own vertices (in the reverse order),
/// the plan's line is the stretch between them in the line's direction,
/// its length the sum of its geodesic segments; a point off the line is
/// cut at its foot and its distance is in the notes; a name not in the
/// places, or a name without a places file, is refused by name.
#[test]
fn the_plan_takes_the_stretch_between_two_points() {
    use terminus_geodesy::measure::InverseGeodesic;
    let line_file = bundled("naturalearth10m_ARM_AZE_shared.geojson");
    let req = |between: [String; 2], places: Option<PathBuf>| PlanRequest {
        line: line_file.clone(),
        dem: None,
        dem_crs: None,
        max_spacing: 2000.0,
        min_spacing: None,
        piece: Some("1".into()),
        clip: None,
        clip_to: None,
        voids: Default::default(),
        max_slope: 30.0,
        move_tolerance: 50.0,
        numbering: Numbering {
            prefix: "B".into(),
            digits: 3,
            start: 1,
        },
        crossings: Vec::new(),
        water: Vec::new(),
        documents: Documents::default(),
        input: InputOptions::default(),
        lang: Lang::En,
        places,
        places_within: None,
        name_field: None,
        between: Some(between),
    };
    // The whole piece, for its vertices.
    let whole = demarcate::plan(
        &PlanRequest {
            between: None,
            ..req([String::new(), String::new()], None)
        },
        provenance(),
    )
    .unwrap();
    let v = whole.plan.as_ref().unwrap().line.clone();
    assert!(v.len() > 40);
    let (i, j) = (10, 30);
    let spec = |p: (f64, f64)| format!("{:.12},{:.12}", p.0, p.1);
    let cut = demarcate::plan(&req([spec(v[j]), spec(v[i])], None), provenance()).unwrap();
    let got = &cut.plan.as_ref().unwrap().line;
    let g = terminus_geodesy::Ellipsoid::WGS84.geodesic();
    let len = |l: &[(f64, f64)]| -> f64 {
        l.windows(2)
            .map(|w| -> f64 { g.inverse(w[0].0, w[0].1, w[1].0, w[1].1) })
            .sum()
    };
    let near = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9;
    assert!(
        near(got[0], v[i]) && near(got[got.len() - 1], v[j]),
        "{:?} {:?}",
        got[0],
        got[got.len() - 1]
    );
    assert!(
        (len(got) - len(&v[i..=j])).abs() < 1e-6,
        "{} vs {}",
        len(got),
        len(&v[i..=j])
    );
    assert!((cut.catalogue.length_m - len(&v[i..=j])).abs() < 1e-3);
    // A point 300 m off the line: cut at its foot, its distance noted.
    let off = {
        use terminus_geodesy::measure::DirectGeodesic;
        let (_, az, _, _): (f64, f64, f64, f64) = g.inverse(v[i].0, v[i].1, v[i + 1].0, v[i + 1].1);
        let mid: (f64, f64) = g.direct(v[i].0, v[i].1, az, 1.0);
        let p: (f64, f64) = g.direct(mid.0, mid.1, az + 90.0, 300.0);
        p
    };
    let cut = demarcate::plan(&req([spec(off), spec(v[j])], None), provenance()).unwrap();
    assert!(
        cut.notes
            .iter()
            .any(|n| n.contains("(300.0 m from the line)")),
        "{:?}",
        cut.notes
    );
    // Names: refused without a places file, and when not in it.
    let e = demarcate::plan(&req(["Tegh".into(), spec(v[j])], None), provenance())
        .err()
        .unwrap();
    assert!(e.message.contains("--places"), "{}", e.message);
    let places = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/places/geonames_cities1000_AM_AZ_region.geojson");
    if places.exists() {
        let e = demarcate::plan(
            &req(["Atlantis".into(), spec(v[j])], Some(places.clone())),
            provenance(),
        )
        .err()
        .unwrap();
        assert!(e.message.contains("no place of that name"), "{}", e.message);
    }
}

/// `compare --dem`: the maps drawn over the DEM's relief (embedded in the
/// SVG, noted under the map), the DEM named in the provenance by its
/// hash; a DEM that cannot be read is refused before anything is written.
#[test]
fn the_comparison_maps_are_drawn_over_the_dem_relief() {
    let osm = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/boundaries/kg_tj/geomaps_osm10m_KGZ_TJK_shared.geojson");
    if !osm.exists() {
        eprintln!("SKIPPED: {} absent (../shared/data)", osm.display());
        return;
    }
    let dem = bundled("gebco2023_alay_pamir_KG_TJ_15s.tif");
    let req = |dem: PathBuf| CompareRequest {
        lines: vec![
            bundled("naturalearth10m_KGZ_TJK_shared.geojson"),
            osm.clone(),
        ],
        names: vec!["NE".into(), "OSM".into()],
        tolerance: 500.0,
        bridge: 10_000.0,
        join: 10_000.0,
        dem: Some(dem),
        ..Default::default()
    };
    let o = compare::run(&req(dem.clone()), provenance()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    compare::write(dir.path(), &o, 1, false).unwrap();
    let overview = std::fs::read_to_string(dir.path().join("maps/overview.svg")).unwrap();
    assert!(overview.contains("data:image/png;base64,"));
    assert!(overview.contains("Relief: hillshade of the DEM"));
    let detail = std::fs::read_dir(dir.path().join("maps"))
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| {
            let n = e.file_name().to_string_lossy().to_string();
            n.starts_with("NE_vs_OSM_") && n.ends_with(".svg")
        })
        .unwrap();
    // The largest discrepancy lies west of the DEM (69.3°E; the DEM
    // begins at 72°E): its map says so instead of promising a relief.
    let detail = std::fs::read_to_string(detail.path()).unwrap();
    assert!(
        !detail.contains("data:image/png;base64,")
            && detail.contains("No relief: the DEM given does not reach this map."),
        "{detail}"
    );
    let prov = json(&dir.path().join("provenance.json"));
    let dem_hash = terminus_app::input::hash_file(&dem).unwrap().sha256;
    assert!(
        prov["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["files"][0]["sha256"] == dem_hash.as_str()),
        "{prov}"
    );
    // Without the DEM the maps carry no relief.
    let plain = compare::run(
        &CompareRequest {
            dem: None,
            ..req(dem.clone())
        },
        provenance(),
    )
    .unwrap();
    let dir2 = tempfile::tempdir().unwrap();
    compare::write(dir2.path(), &plain, 0, false).unwrap();
    let flat = std::fs::read_to_string(dir2.path().join("maps/overview.svg")).unwrap();
    assert!(!flat.contains("data:image/png;base64,") && !flat.contains("Relief:"));
    // A DEM that is not one is refused by the run, before any file.
    let bad = dir2.path().join("not_a_dem.tif");
    std::fs::write(&bad, b"not a tiff").unwrap();
    assert!(compare::run(&req(bad), provenance()).is_err());
}
