//! The median workflow as library calls: the compromise of the bundled
//! claims checked against the comparison engine (the ground between the
//! claims is the ground between each claim and the compromise, added), a
//! strict line, a ratio line and a tri-point against their closed forms,
//! and the refusals. (`terminus median` parses, calls this and prints:
//! crates/cli/tests/median_cli.rs checks that.)

use std::path::PathBuf;
use terminus_app::compare::{self, CompareRequest};
use terminus_app::median::{self, MedianRequest};
use terminus_app::Provenance;

fn bundled(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data")
        .join(name)
}

fn provenance() -> Provenance {
    Provenance::new(vec!["test".into()])
}

use terminus_testdata::line_file;

fn request(sides: Vec<PathBuf>) -> MedianRequest {
    MedianRequest {
        sides,
        tolerance: 0.5,
        ratio: (1.0, 1.0),
        ..Default::default()
    }
}

/// The open lines of a bundled claim (its closed rings left out), as a
/// file in `dir`.
fn open_lines(dir: &std::path::Path, name: &str) -> PathBuf {
    let text = std::fs::read_to_string(bundled(name)).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut parts = Vec::new();
    for f in doc["features"].as_array().unwrap() {
        let g = &f["geometry"];
        let lines = match g["type"].as_str().unwrap() {
            "LineString" => vec![g["coordinates"].clone()],
            "MultiLineString" => g["coordinates"].as_array().unwrap().clone(),
            _ => continue,
        };
        for l in lines {
            let p: Vec<(f64, f64)> = l
                .as_array()
                .unwrap()
                .iter()
                .map(|c| (c[1].as_f64().unwrap(), c[0].as_f64().unwrap()))
                .collect();
            if p.first() != p.last() {
                parts.push(p);
            }
        }
    }
    line_file(dir, name, &parts)
}

#[test]
fn the_compromise_splits_what_lies_between_the_claims() {
    // The lines only: where the compromise is the equidistance line the
    // areas add up exactly (the rings' arc-length medians need not lie
    // between the claims' rings; they are checked below).
    let dir = tempfile::tempdir().unwrap();
    let (ne, wa) = (
        open_lines(dir.path(), "naturalearth10m_ARM_AZE_shared.geojson"),
        open_lines(dir.path(), "worldatlas10m_ARM_AZE_shared.geojson"),
    );
    let m = median::run(
        &MedianRequest {
            names: vec!["NE5".into(), "WA".into()],
            parties: vec![
                bundled("naturalearth10m_ARM.geojson"),
                bundled("naturalearth10m_AZE.geojson"),
            ],
            compromise: true,
            ..request(vec![ne.clone(), wa.clone()])
        },
        provenance(),
    )
    .unwrap();
    let s = &m.summary;
    assert_eq!(s.mode, "compromise");
    let c = s.compromise.as_ref().unwrap();
    assert!(c.regions > 100, "{}", c.regions);
    // The ground between the claims (the comparison engine, on its own) is
    // the ground between each claim and the compromise, added.
    let between = compare::run(
        &CompareRequest {
            lines: vec![ne, wa],
            tolerance: 0.5,
            bridge: 10_000.0,
            join: 5_000.0,
            ..Default::default()
        },
        provenance(),
    )
    .unwrap()
    .comparison
    .pairs[0]
        .area_between_m2;
    assert_eq!(c.gains.len(), 2);
    let halves: f64 = c.gains.iter().map(|g| g.area_between_m2).sum();
    assert!(
        (halves - between).abs() / between < 1e-9,
        "{halves} vs {between}"
    );
    // Each party's gains against a claim add up to the ground between them.
    for g in &c.gains {
        let total: f64 = g.gain_m2.values().sum();
        assert!((total - g.area_between_m2).abs() / g.area_between_m2 < 1e-6);
        assert!(
            g.gain_m2.contains_key("naturalearth10m_ARM"),
            "{:?}",
            g.gain_m2
        );
    }
    // Every vertex equidistant from both claims within the tolerance; the
    // pieces meeting at contacts are one line: far fewer than regions.
    let mut turning = 0;
    for l in &m.outcome.lines {
        for v in &l.line.vertices {
            assert!((v.base_a[0].distance - v.base_b[0].distance).abs() <= 0.5 + 1e-9);
        }
        turning += l.line.turning_points().count();
    }
    assert!(turning >= c.regions, "{turning}");
    // A whole line per section (Nakhchivan's, and the main one), every
    // region traced equidistant, both claims covered.
    assert_eq!(c.line_count, 2);
    assert!(c.fallbacks.is_empty(), "{:?}", c.fallbacks);
    for (claim, share) in &c.coverage {
        assert!((share - 1.0).abs() < 1e-6, "{claim}: {share}");
    }
    assert!(c.rings.is_empty());
}

#[test]
fn the_compromise_carries_the_enclaves() {
    // Both claims draw Artsvashen, Yukhari Askipara and Barkhudarly: three
    // rings, each the arc-length median of the two drawings, marked.
    let m = median::run(
        &MedianRequest {
            compromise: true,
            ..request(vec![
                bundled("naturalearth10m_ARM_AZE_shared.geojson"),
                bundled("worldatlas10m_ARM_AZE_shared.geojson"),
            ])
        },
        provenance(),
    )
    .unwrap();
    let c = m.summary.compromise.as_ref().unwrap();
    assert_eq!(c.rings.len(), 3);
    assert_eq!(c.line_count, 2);
    // Artsvashen (40.60°N 45.51°E): ~35 km² in both drawings.
    let artsvashen = c
        .rings
        .iter()
        .find(|r| (r.at.0 - 40.60).abs() < 0.05 && (r.at.1 - 45.51).abs() < 0.05)
        .expect("Artsvashen's ring");
    assert!(
        (34e6..36e6).contains(&artsvashen.area_m2),
        "{}",
        artsvashen.area_m2
    );
    assert_eq!(artsvashen.drawn_by.len(), 2);
    assert_eq!(artsvashen.construction, "median by arc length (fallback)");
    // A ring one claim draws alone is carried as drawn, and says so.
    let dir = tempfile::tempdir().unwrap();
    let lines_only = open_lines(dir.path(), "worldatlas10m_ARM_AZE_shared.geojson");
    let one = median::run(
        &MedianRequest {
            compromise: true,
            names: vec!["NE".into(), "WA".into()],
            ..request(vec![
                bundled("naturalearth10m_ARM_AZE_shared.geojson"),
                lines_only,
            ])
        },
        provenance(),
    )
    .unwrap();
    let c = one.summary.compromise.as_ref().unwrap();
    assert_eq!(c.rings.len(), 3);
    for r in &c.rings {
        assert_eq!(r.drawn_by, ["NE"]);
        assert_eq!(r.construction, "one claim only");
        assert!(r.name.ends_with("(NE only)"), "{}", r.name);
    }
}

#[test]
fn strict_ratio_and_tri_point_lines_have_their_closed_forms() {
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
    let m = median::run(&request(vec![a.clone(), b.clone()]), provenance()).unwrap();
    assert_eq!(m.summary.mode, "strict");
    // ~1° of meridian at 40.5°N: 111.05 km.
    assert!((m.summary.lines[0].length_m - 111_050.0).abs() < 200.0);
    for v in &m.outcome.lines[0].line.vertices {
        assert!((v.lon - 10.1).abs() < 1e-9, "{}", v.lon);
    }
    // 3:1 — three times as far from the west meridian as from the east.
    let r = median::run(
        &MedianRequest {
            ratio: (3.0, 1.0),
            ..request(vec![a.clone(), b.clone()])
        },
        provenance(),
    )
    .unwrap();
    assert_eq!(r.summary.ratio, [3.0, 1.0]);
    for v in &r.outcome.lines[0].line.vertices {
        let (da, db) = (v.base_a[0].distance, v.base_b[0].distance);
        assert!((da - 3.0 * db).abs() < 1e-3, "{da} {db}");
    }
    // Straight banks: too few vertices control a simplified line, said so.
    let e = median::run(
        &MedianRequest {
            simplified: true,
            ..request(vec![a.clone(), b.clone()])
        },
        provenance(),
    )
    .err()
    .unwrap();
    assert!(e.message.contains("too few"), "{}", e.message);
    // Three shores: a tri-point equidistant from all three.
    let c = line_file(
        dir.path(),
        "north.geojson",
        &[vec![(40.95, 10.03), (40.95, 10.17)]],
    );
    let t = median::run(&request(vec![a, b, c]), provenance()).unwrap();
    assert_eq!(t.summary.mode, "tri-point");
    assert_eq!(t.summary.lines.len(), 3);
    let tp = t.summary.tri_point.as_ref().unwrap();
    for base in &tp.base {
        assert!((base.distance - tp.distance_m).abs() < 1e-6);
    }
    assert!((tp.lon - 10.1).abs() < 1e-9);
}

#[test]
fn bad_sides_are_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let a = line_file(dir.path(), "a.geojson", &[vec![(40.0, 10.0), (41.0, 10.2)]]);
    let b = line_file(dir.path(), "b.geojson", &[vec![(40.0, 10.2), (41.0, 10.0)]]);
    // Crossing sides: where, and what to do.
    let e = median::run(&request(vec![a.clone(), b.clone()]), provenance())
        .err()
        .unwrap();
    assert!(
        e.message.contains("touch or cross near 40.5"),
        "{}",
        e.message
    );
    assert!(e.hint.as_deref().unwrap_or("").contains("--compromise"));
    assert!(median::parse_ratio("2:0").unwrap_err().contains("positive"));
    let e = median::run(
        &MedianRequest {
            tolerance: 0.0,
            ..request(vec![a.clone(), b.clone()])
        },
        provenance(),
    )
    .err()
    .unwrap();
    assert!(e.message.contains("tolerance"), "{}", e.message);
    let e = median::run(
        &MedianRequest {
            parties: vec![a.clone(), b.clone()],
            party_names: vec!["ARM".into()],
            compromise: true,
            ..request(vec![a.clone(), b.clone()])
        },
        provenance(),
    )
    .err()
    .unwrap();
    assert!(
        e.message.contains("1 party names for 2 territories"),
        "{}",
        e.message
    );
    let empty = dir.path().join("empty.geojson");
    std::fs::write(&empty, r#"{"type":"FeatureCollection","features":[]}"#).unwrap();
    let e = median::run(&request(vec![a, empty]), provenance())
        .err()
        .unwrap();
    assert!(e.message.contains("empty side"), "{}", e.message);
}

/// The geodesic distance from `p` to the polyline `line`, by brute force
/// over every segment (those whose box, widened by `reach` degrees, misses
/// `p` cannot come within metres of it and are passed over).
fn distance_to(line: &[(f64, f64)], p: (f64, f64), reach: f64) -> f64 {
    use terminus_geodesy::geodesic::{nearest_on_segment, Gnomonic};
    use terminus_geodesy::{Ellipsoid, LatLon};
    let g = Gnomonic::new(Ellipsoid::WGS84);
    let ll = |q: (f64, f64)| LatLon::new(q.0, q.1);
    line.windows(2)
        .filter(|w| {
            p.0 >= w[0].0.min(w[1].0) - reach
                && p.0 <= w[0].0.max(w[1].0) + reach
                && p.1 >= w[0].1.min(w[1].1) - reach
                && p.1 <= w[0].1.max(w[1].1) + reach
        })
        .map(|w| {
            nearest_on_segment(&g, ll(w[0]), ll(w[1]), ll(p))
                .unwrap()
                .distance
        })
        .fold(f64::INFINITY, f64::min)
}

/// Points along a polyline: its vertices and three more on every segment
/// (geodesic direct problem).
fn along(line: &[(f64, f64)]) -> Vec<(f64, f64)> {
    use terminus_geodesy::measure::{DirectGeodesic, InverseGeodesic};
    let geod = terminus_geodesy::Ellipsoid::WGS84.geodesic();
    let mut out = vec![line[0]];
    for w in line.windows(2) {
        let (s, azi, _, _): (f64, f64, f64, f64) = geod.inverse(w[0].0, w[0].1, w[1].0, w[1].1);
        for k in 1..4 {
            let (lat, lon): (f64, f64) = geod.direct(w[0].0, w[0].1, azi, s * k as f64 / 4.0);
            out.push((lat, lon));
        }
        out.push(w[1]);
    }
    out
}

#[test]
fn the_turning_points_stay_within_their_deviation() {
    // NE vs World Atlas (Armenia–Azerbaijan) with NE's territories: each
    // line and ring of the compromise reduced to its turning points.
    for deviation in [1.0, 25.0] {
        let m = median::run(
            &MedianRequest {
                compromise: true,
                simplified: true,
                max_deviation: Some(deviation),
                names: vec!["NE".into(), "WA".into()],
                parties: vec![
                    bundled("naturalearth10m_ARM.geojson"),
                    bundled("naturalearth10m_AZE.geojson"),
                ],
                party_names: vec!["AM".into(), "AZ".into()],
                ..request(vec![
                    bundled("naturalearth10m_ARM_AZE_shared.geojson"),
                    bundled("worldatlas10m_ARM_AZE_shared.geojson"),
                ])
            },
            provenance(),
        )
        .unwrap();
        let o = &m.outcome;
        let sim = m
            .summary
            .compromise
            .as_ref()
            .unwrap()
            .simplification
            .as_ref()
            .unwrap();
        assert_eq!(sim.lines.len(), 5, "2 lines and 3 rings");
        assert_eq!(o.turning.len(), 5);
        let mut left_out = 0;
        for (name, t) in &o.turning {
            let computed = o.lines.iter().find(|l| &l.name == name).unwrap();
            let simple = o
                .lines
                .iter()
                .find(|l| l.name == format!("{name} simplified"))
                .unwrap();
            let (c, s) = (computed.line.coords(), simple.line.coords());
            // Every vertex accounted for: kept, or left out with its chord.
            assert_eq!(t.kept.len() + t.discarded.len(), c.len(), "{name}");
            assert_eq!(
                t.kept.iter().map(|&i| c[i]).collect::<Vec<_>>(),
                s,
                "{name}: the turning points are vertices of the computed line"
            );
            for d in &t.discarded {
                assert!(d.deviation_m <= deviation, "{name}: {d:?}");
                assert!(d.between.0 < d.vertex && d.vertex < d.between.1);
            }
            left_out += t.discarded.len();
            // Both ways, by brute force on every segment: the computed line
            // (vertices and points between) within the deviation of the
            // turning-point line, and the turning-point line within it of
            // the computed one. 1 µm over: the geodesic, not the plane.
            for p in along(&c) {
                let d = distance_to(&s, p, 0.01);
                assert!(d <= deviation + 1e-6, "{name}: {p:?} is {d} m off");
            }
            for p in along(&s) {
                let d = distance_to(&c, p, 0.01);
                assert!(d <= deviation + 1e-6, "{name}: {p:?} is {d} m off");
            }
        }
        assert!(left_out > 0, "some vertices are left out at {deviation} m");
        // The moved area is split by party, all of it.
        let moved = &sim.moved[0];
        let by_party: f64 = moved.gain_m2.values().sum();
        assert!(
            (by_party - moved.area_between_m2).abs() <= 1e-9 * moved.area_between_m2,
            "{by_party} vs {}",
            moved.area_between_m2
        );
        assert!(moved.gain_m2.contains_key("AM") && moved.gain_m2.contains_key("AZ"));
        eprintln!(
            "at {deviation} m: {} vertices left out; moved {:.1} m² ({:?})",
            left_out, moved.area_between_m2, moved.gain_m2
        );
    }
}

/// `--places`: every GeoNames place within 5 km of the NE–WA compromise
/// of Armenia–Azerbaijan is listed, none farther; each distance and side
/// equal to the nearest of every segment of every line solved by brute
/// force (geodesic, to 1e-6 m), in order along the line; the report's
/// table and the map carry them.
#[test]
fn places_near_the_compromise_are_listed_with_exact_distances() {
    use terminus_geodesy::geodesic::{nearest_on_segment, Gnomonic};
    use terminus_geodesy::{Ellipsoid, LatLon};
    let places = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/places/geonames_cities1000_AM_AZ_region.geojson");
    if !places.exists() {
        eprintln!("SKIPPED: {} absent (../shared/data)", places.display());
        return;
    }
    let within = 5000.0;
    let m = median::run(
        &MedianRequest {
            names: vec!["NE".into(), "WA".into()],
            compromise: true,
            places: Some(places.clone()),
            places_within: Some(within),
            ..request(vec![
                bundled("naturalearth10m_ARM_AZE_shared.geojson"),
                bundled("worldatlas10m_ARM_AZE_shared.geojson"),
            ])
        },
        provenance(),
    )
    .unwrap();
    let near = &m.summary.places;
    assert_eq!(m.summary.places_within_m, Some(within));
    assert!(near.len() >= 10, "{}", near.len());
    let g = Gnomonic::new(Ellipsoid::WGS84);
    let lines: Vec<(String, Vec<LatLon>)> = m
        .outcome
        .lines
        .iter()
        .filter(|l| !l.name.ends_with(" simplified"))
        .map(|l| {
            (
                l.name.clone(),
                l.line
                    .vertices
                    .iter()
                    .map(|v| LatLon::new(v.lat, v.lon))
                    .collect(),
            )
        })
        .collect();
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&places).unwrap()).unwrap();
    let mut listed = 0;
    for f in doc["features"].as_array().unwrap() {
        let c = &f["geometry"]["coordinates"];
        let p = LatLon::new(c[1].as_f64().unwrap(), c[0].as_f64().unwrap());
        let mut best: Option<(f64, i8, &str)> = None;
        for (name, pts) in &lines {
            for w in pts.windows(2) {
                let n = nearest_on_segment(&g, w[0], w[1], p).unwrap();
                if best.is_none_or(|b| n.distance < b.0) {
                    best = Some((n.distance, n.side, name));
                }
            }
        }
        let (d, side, line) = best.unwrap();
        let found = near
            .iter()
            .find(|x| x.lat == p.lat && x.lon == p.lon && x.line == line);
        if d <= within {
            let x = found.unwrap_or_else(|| panic!("{p:?} at {d} m not listed"));
            assert!((x.distance_m - d).abs() < 1e-6, "{} vs {d}", x.distance_m);
            let s = match side {
                1 => "left",
                -1 => "right",
                _ => "on",
            };
            assert_eq!(x.side, s, "{}", x.name);
            listed += 1;
        } else {
            assert!(found.is_none(), "{p:?} at {d} m listed");
        }
    }
    assert_eq!(listed, near.len());
    for w in near.windows(2) {
        assert!(w[0].line < w[1].line || (w[0].line == w[1].line && w[0].along_m <= w[1].along_m));
    }
    // The report's table and the map.
    let dir = tempfile::tempdir().unwrap();
    median::write(dir.path(), &m, false).unwrap();
    let report = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(
        report.contains("## Places within 5.0 km of the line"),
        "{report}"
    );
    for (k, x) in near.iter().enumerate() {
        assert!(
            report.contains(&format!(
                "| P{} | {} | {:.0} |",
                k + 1,
                x.name,
                x.distance_m
            )),
            "{}",
            x.name
        );
    }
    let svg = std::fs::read_to_string(dir.path().join("maps/overview.svg")).unwrap();
    assert!(svg.contains("place within 5.0 km of the line"));
}

/// The compromise's report and map in Russian (`--lang ru`): the same
/// outcome, every figure of the English report in the Russian one, the
/// headings, legend and notes in Russian, no English heading left.
#[test]
fn the_median_report_speaks_russian_when_asked() {
    let run = |lang: terminus_app::words::Lang| {
        let m = median::run(
            &MedianRequest {
                names: vec!["NE".into(), "WA".into()],
                parties: vec![
                    bundled("naturalearth10m_ARM.geojson"),
                    bundled("naturalearth10m_AZE.geojson"),
                ],
                compromise: true,
                lang,
                ..request(vec![
                    bundled("naturalearth10m_ARM_AZE_shared.geojson"),
                    bundled("worldatlas10m_ARM_AZE_shared.geojson"),
                ])
            },
            provenance(),
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        median::write(dir.path(), &m, false).unwrap();
        let read = |f: &str| std::fs::read_to_string(dir.path().join(f)).unwrap();
        (m, read("report.md"), read("maps/overview.svg"))
    };
    let (en, en_report, en_svg) = run(terminus_app::words::Lang::En);
    let (ru, ru_report, ru_svg) = run(terminus_app::words::Lang::Ru);
    assert_eq!(
        serde_json::to_value(&en.summary).unwrap(),
        serde_json::to_value(&ru.summary).unwrap()
    );
    assert!(en_report.contains("# Median line (compromise)"));
    assert!(en_svg.contains("The compromise between the claims"));
    assert!(
        ru_report.contains("# Срединная линия (компромиссная)")
            && ru_report.contains("## Компромисс")
            && ru_report.contains("Анклавы и эксклавы")
            && ru_report.contains("| притязание | расхождений |"),
        "{ru_report}"
    );
    assert!(
        ru_svg.contains("Компромисс между притязаниями") && ru_svg.contains("территория"),
        "{ru_svg}"
    );
    // Everything before the provenance (which stays in English) is
    // Russian: no English heading or table header left.
    let body = &ru_report[..ru_report.find("## Provenance").unwrap_or(ru_report.len())];
    for english in [
        "## Sides",
        "## Lines",
        "## Compromise",
        "Coverage",
        "Enclaves",
        "| claim",
        "## Map",
        "## Turning points",
        "km —",
    ] {
        assert!(!body.contains(english), "{english} left in:\n{body}");
    }
    // The same figures, in the same order.
    assert_eq!(
        terminus_testdata::report_figures(&en_report),
        terminus_testdata::report_figures(&ru_report)
    );
}

/// `median --dem`: the map drawn over the DEM's relief (embedded in the
/// SVG, noted under the map), the DEM named in the provenance by its
/// hash; a map the DEM does not reach says so; no DEM, no relief.
#[test]
fn the_median_map_is_drawn_over_the_dem_relief() {
    let dir = tempfile::tempdir().unwrap();
    let dem = bundled("gebco2023_alay_pamir_KG_TJ_15s.tif");
    // Two claims crossing along 39.3°N, 72.5°E–73.5°E (inside the DEM),
    // and the same 30° further west (outside it).
    let pair = |lon0: f64, tag: &str| {
        let a: Vec<(f64, f64)> = (0..=10).map(|k| (39.3, lon0 + 0.1 * k as f64)).collect();
        let b: Vec<(f64, f64)> = (0..=10)
            .map(|k| {
                (
                    39.3 + if k % 2 == 1 { 0.02 } else { -0.01 },
                    lon0 + 0.1 * k as f64,
                )
            })
            .collect();
        vec![
            line_file(dir.path(), &format!("a{tag}.geojson"), &[a]),
            line_file(dir.path(), &format!("b{tag}.geojson"), &[b]),
        ]
    };
    let run = |sides: Vec<PathBuf>, dem: Option<PathBuf>, out: &str| {
        let m = median::run(
            &MedianRequest {
                compromise: true,
                dem,
                ..request(sides)
            },
            provenance(),
        )
        .unwrap();
        let out = dir.path().join(out);
        median::write(&out, &m, false).unwrap();
        (
            std::fs::read_to_string(out.join("maps/overview.svg")).unwrap(),
            out,
        )
    };
    let (svg, out) = run(pair(72.5, "in"), Some(dem.clone()), "in");
    assert!(svg.contains("data:image/png;base64,"));
    assert!(svg.contains("Relief: hillshade of the DEM"));
    let prov: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("provenance.json")).unwrap())
            .unwrap();
    let hash = terminus_app::input::hash_file(&dem).unwrap().sha256;
    assert!(
        prov["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["role"] == "DEM (map's relief)" && i["files"][0]["sha256"] == hash.as_str()),
        "{prov}"
    );
    let (svg, _) = run(pair(42.5, "out"), Some(dem.clone()), "out");
    assert!(
        !svg.contains("data:image/png;base64,")
            && svg.contains("No relief: the DEM given does not reach this map."),
        "{svg}"
    );
    let (svg, _) = run(pair(72.5, "plain"), None, "plain");
    assert!(!svg.contains("data:image/png;base64,") && !svg.contains("Relief:"));
    // A DEM that is not one is refused before anything is written.
    let bad = dir.path().join("not_a_dem.tif");
    std::fs::write(&bad, b"not a tiff").unwrap();
    assert!(median::run(
        &MedianRequest {
            compromise: true,
            dem: Some(bad),
            ..request(pair(72.5, "bad"))
        },
        provenance(),
    )
    .is_err());
}
