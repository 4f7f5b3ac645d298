//! Pillar planning, the catalogue and the survey check (the
//! protocol-description's tests are in terminus-documents), on the bundled Natural Earth Kyrgyz–Tajik line and GEBCO DEM,
//! against GeographicLib (GeodSolve) and PROJ (cs2cs) fixtures.

use std::path::PathBuf;
use terminus_demarcation::catalogue::{self, CatalogueSettings, RowInput};
use terminus_demarcation::los::{line_of_sight, SightSettings};
use terminus_demarcation::plan::{self, Crossing, Numbering, PillarType, PlanSettings, Water};
use terminus_demarcation::sampler::DemSampler;
use terminus_demarcation::survey::{self, SurveyedPillar};
use terminus_geodesy::geodesic::Gnomonic;
use terminus_geodesy::measure::{DirectGeodesic, InverseGeodesic};
use terminus_geodesy::Ellipsoid;
use terminus_testdata::pairs::nearest_on_polyline;

use terminus_testdata::{alay_sector, bundled};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn alay_dem() -> terminus_terrain::Dem {
    terminus_terrain::read(&bundled("gebco2023_alay_pamir_KG_TJ_15s.tif"), None).unwrap()
}

fn dist(a: (f64, f64), b: (f64, f64)) -> f64 {
    let g = Ellipsoid::WGS84.geodesic();
    g.inverse(a.0, a.1, b.0, b.1)
}

#[test]
fn plan_across_the_alay_dem_meets_every_requirement() {
    let dem = alay_dem();
    let s = DemSampler::new(&dem).unwrap();
    let line = alay_sector();
    assert_eq!(line.len(), 62);
    // No minimum spacing: a pillar at every vertex (two of them are closer
    // than the default 50 m; merging is tested below).
    let set = PlanSettings {
        numbering: Numbering {
            prefix: "KT".into(),
            ..Numbering::default()
        },
        min_spacing: 0.0,
        ..PlanSettings::default()
    };
    let p = plan::plan(&line, Some(&s), &[], &[], &set).unwrap();
    // A main pillar at every turning point, exactly there, numbered in order.
    let mains: Vec<_> = p
        .pillars
        .iter()
        .filter(|q| q.kind == PillarType::Main)
        .collect();
    assert_eq!(mains.len(), line.len());
    for (k, (m, v)) in mains.iter().zip(&line).enumerate() {
        assert_eq!((m.lat, m.lon), *v);
        assert_eq!(m.number, format!("KT-{:03}", k + 1));
    }
    let gn = Gnomonic::new(Ellipsoid::WGS84);
    for w in p.pillars.windows(2) {
        let (a, b) = ((w[0].lat, w[0].lon), (w[1].lat, w[1].lon));
        // Spacing ≤ S, and every consecutive pair intervisible (checked
        // afresh at the pillars' own sight heights).
        assert!(
            dist(a, b) <= 500.0,
            "{} → {}: {}",
            w[0].number,
            w[1].number,
            dist(a, b)
        );
        assert!(
            line_of_sight(&s, a, b, &set.sight).unwrap().visible,
            "{} → {}",
            w[0].number,
            w[1].number
        );
        // Chainage increases.
        assert!(w[1].chainage_m > w[0].chainage_m);
    }
    // Every pillar on the line (to a micrometre).
    for q in &p.pillars {
        let n = nearest_on_polyline(&gn, &line, (q.lat, q.lon)).unwrap();
        assert!(
            n.distance < 1e-6,
            "{} is {} m off the line",
            q.number,
            n.distance
        );
    }
    // The sector's length is the sum of its geodesics.
    let len: f64 = line.windows(2).map(|w| dist(w[0], w[1])).sum();
    assert!((p.length_m - len).abs() < 1e-6);
    // Intermediates numbered after their main pillar.
    assert!(p.pillars.iter().any(|q| q.number == "KT-001/1"));
    // Heights from the DEM on every pillar.
    assert!(p.pillars.iter().all(|q| q.ground_m.is_some()));
}

#[test]
fn without_a_dem_spacing_is_even_and_minimal() {
    let line = alay_sector();
    let set = PlanSettings {
        min_spacing: 0.0,
        ..PlanSettings::default()
    };
    let p = plan::plan(&line, None, &[], &[], &set).unwrap();
    assert!(!p.dem_used);
    // Each segment of length L holds ceil(L / 500) − 1 intermediates, evenly.
    let want: usize = line.len()
        + line
            .windows(2)
            .map(|w| ((dist(w[0], w[1]) / 500.0 - 1e-9).ceil() as usize).saturating_sub(1))
            .sum::<usize>();
    assert_eq!(p.pillars.len(), want);
    for w in p.pillars.windows(2) {
        assert!(dist((w[0].lat, w[0].lon), (w[1].lat, w[1].lon)) <= 500.0);
    }
}

#[test]
fn crossings_and_water_get_their_pillars() {
    // A straight line 3 km east along 40°N; a road crossing it at 45.01°E;
    // a river 40 m wide (40.0002°N to 39.9998°N... as a polygon) across it
    // at 45.02°E; a lake the line runs through for 770 m.
    let line = vec![(40.0, 45.0), (40.0, 45.035)];
    let road = Crossing {
        kind: "road".into(),
        name: Some("M16".into()),
        line: vec![(39.99, 45.01), (40.01, 45.01)],
    };
    let river = Water {
        name: Some("Aghstev".into()),
        rings: vec![vec![
            (39.99, 45.0198),
            (40.01, 45.0198),
            (40.01, 45.0202),
            (39.99, 45.0202),
            (39.99, 45.0198),
        ]],
    };
    let lake = Water {
        name: Some("lake".into()),
        rings: vec![vec![
            (39.995, 45.025),
            (40.004, 45.025),
            (40.004, 45.034),
            (39.995, 45.034),
            (39.995, 45.025),
        ]],
    };
    let set = PlanSettings::default();
    let p = plan::plan(&line, None, &[road], &[river.clone(), lake.clone()], &set).unwrap();
    // The road crossing: on both lines.
    let x = p
        .pillars
        .iter()
        .find(|q| q.kind == PillarType::Crossing)
        .expect("a crossing pillar");
    // (The geodesic along 40°N bulges poleward: 0.12 m, 1.1e-6°, here.)
    assert!(
        (x.lon - 45.01).abs() < 1e-9 && (x.lat - 40.0).abs() < 2e-6,
        "{x:?}"
    );
    assert!(x.note.as_deref().unwrap().contains("M16"));
    // No pillar stands in the water (bank pillars stand on its edge).
    for q in p.pillars.iter().filter(|q| q.kind != PillarType::Bank) {
        assert!(
            !river.contains(q.lat, q.lon) && !lake.contains(q.lat, q.lon),
            "{q:?} in water"
        );
    }
    // Banks where the line enters and leaves the river.
    let banks: Vec<_> = p
        .pillars
        .iter()
        .filter(|q| q.kind == PillarType::Bank && q.side == 0)
        .collect();
    assert!(banks.iter().any(|q| (q.lon - 45.0198).abs() < 1e-9));
    assert!(banks.iter().any(|q| (q.lon - 45.0202).abs() < 1e-9));
    // In the lake (770 m along the line): pairs on both shores, offsets
    // the geodesic distance to the shore.
    let pairs: Vec<_> = p
        .pillars
        .iter()
        .filter(|q| q.kind == PillarType::Bank && q.side != 0)
        .collect();
    assert!(
        pairs.len() >= 2 && pairs.len() % 2 == 0,
        "{} bank pillars",
        pairs.len()
    );
    for q in &pairs {
        let shore = if q.side > 0 { 40.004 } else { 39.995 };
        assert!((q.lat - shore).abs() < 1e-7, "{q:?}");
        // The offset is the pillar's geodesic distance from the line, on
        // the side it says (the cast is perpendicular to the line).
        let n =
            nearest_on_polyline(&Gnomonic::new(Ellipsoid::WGS84), &line, (q.lat, q.lon)).unwrap();
        assert!(
            (n.distance - q.offset_m).abs() < 1e-3,
            "{} vs {}",
            n.distance,
            q.offset_m
        );
        assert_eq!(n.side, q.side);
        assert!((n.along - q.chainage_m).abs() < 1e-3);
        assert!(q.number.ends_with('a') || q.number.ends_with('b'));
    }
    // Spacing still ≤ 500 m between consecutive pillars on the line.
    let on_line: Vec<_> = p.pillars.iter().filter(|q| q.side == 0).collect();
    for w in on_line.windows(2) {
        let wet = (w[0].lon - 45.025).abs() < 1e-6 || (w[1].lon - 45.034).abs() < 1e-6;
        if !wet {
            assert!(dist((w[0].lat, w[0].lon), (w[1].lat, w[1].lon)) <= 500.0);
        }
    }
}

#[test]
fn turning_points_closer_than_the_minimum_share_a_pillar() {
    // One geodesic east from 40°N 45°E with turning points (vertices) at
    // 0, 30, 45, 600, 620, 1200 and 1230 m, and a road crossing at 610 m.
    let g = Ellipsoid::WGS84.geodesic();
    let at = |s: f64| -> (f64, f64) { g.direct(40.0, 45.0, 90.0, s) };
    let chain = [0.0, 30.0, 45.0, 600.0, 620.0, 1200.0, 1230.0];
    let line: Vec<(f64, f64)> = chain.iter().map(|&s| at(s)).collect();
    let (r0, r1) = (
        g.direct(at(610.0).0, at(610.0).1, 0.0, 100.0),
        g.direct(at(610.0).0, at(610.0).1, 180.0, 100.0),
    );
    let road = Crossing {
        kind: "road".into(),
        name: None,
        line: vec![r0, r1],
    };
    let set = PlanSettings::default();
    assert_eq!(set.min_spacing, 50.0);
    let p = plan::plan(&line, None, &[road], &[], &set).unwrap();
    // Kept: the start, the crossing (which must stand) and the end; the
    // turning points at 30 and 45 m hang on the start, those at 600 and
    // 620 m on the crossing, the one at 1200 m on the end.
    let mains: Vec<f64> = p
        .pillars
        .iter()
        .filter(|q| q.kind == PillarType::Main)
        .map(|q| q.chainage_m)
        .collect();
    assert_eq!(mains.len(), 2);
    assert!(
        mains[0] == 0.0 && (mains[1] - 1230.0).abs() < 1e-6,
        "{mains:?}"
    );
    let merged: Vec<(usize, &str)> = p
        .merged
        .iter()
        .map(|m| (m.turning_point, m.pillar.as_str()))
        .collect();
    let crossing = &p
        .pillars
        .iter()
        .find(|q| q.kind == PillarType::Crossing)
        .unwrap()
        .number;
    assert_eq!(
        merged,
        [
            (2, "P-001"),
            (3, "P-001"),
            (4, crossing.as_str()),
            (5, crossing.as_str()),
            (6, "P-002")
        ]
    );
    for m in &p.merged {
        let q = p.pillars.iter().find(|q| q.number == m.pillar).unwrap();
        assert!((dist((q.lat, q.lon), (m.lat, m.lon)) - m.distance_m).abs() < 1e-9);
        assert!(m.distance_m < 50.0);
    }
    // Consecutive pillars at least 50 m apart, at most 500 m.
    for w in p.pillars.windows(2) {
        let d = dist((w[0].lat, w[0].lon), (w[1].lat, w[1].lon));
        assert!(
            (50.0..=500.0).contains(&d),
            "{} → {}: {d}",
            w[0].number,
            w[1].number
        );
    }
    // A minimum above half the maximum is refused.
    let bad = PlanSettings {
        min_spacing: 300.0,
        ..PlanSettings::default()
    };
    assert!(plan::plan(&line, None, &[], &[], &bad).is_err());
}

/// Turning points under a metre apart (a compromise's sub-metre
/// connector) are one station: the second is listed as merged into the
/// first's pillar, never dropped unsaid.
#[test]
fn a_turning_point_under_a_metre_from_the_last_is_merged_not_lost() {
    let g = Ellipsoid::WGS84.geodesic();
    let at = |s: f64| -> (f64, f64) { g.direct(40.0, 45.0, 90.0, s) };
    let line: Vec<(f64, f64)> = [0.0, 400.0, 400.45, 900.0].iter().map(|&s| at(s)).collect();
    let p = plan::plan(&line, None, &[], &[], &PlanSettings::default()).unwrap();
    let mains: Vec<&str> = p
        .pillars
        .iter()
        .filter(|q| q.kind == PillarType::Main)
        .map(|q| q.number.as_str())
        .collect();
    assert_eq!(mains.len(), 3, "{mains:?}");
    let merged: Vec<(usize, &str)> = p
        .merged
        .iter()
        .map(|m| (m.turning_point, m.pillar.as_str()))
        .collect();
    assert_eq!(merged, [(3, mains[1])]);
    assert!(
        (p.merged[0].distance_m - 0.45).abs() < 1e-6,
        "{}",
        p.merged[0].distance_m
    );
}

#[test]
fn catalogue_matches_geodsolve_and_proj() {
    // Azimuths and distances: GeodSolve -i at nanometres on the 292
    // vertices of the NE line taken as pillars.
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/demarcation/geodsolve_ne_kg_tj.txt"))
            .unwrap();
    // The pillars are the fixture's own points (as GeodSolve read them).
    let fixture: Vec<Vec<f64>> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split_whitespace().map(|x| x.parse().unwrap()).collect())
        .collect();
    let mut line: Vec<(f64, f64)> = fixture.iter().map(|v| (v[0], v[1])).collect();
    line.push((fixture[fixture.len() - 1][2], fixture[fixture.len() - 1][3]));
    let op = catalogue::choose_transformation(None, terminus_geodesy::LatLon::from_pair(line[100]))
        .unwrap();
    assert_eq!(op.code, 15865);
    let rows = catalogue::rows_for(
        line.iter().enumerate().map(|(i, &(lat, lon))| RowInput {
            number: format!("NE-{i:03}"),
            kind: PillarType::Main,
            lat,
            lon,
            chainage: 0.0,
            offset: 0.0,
            side: 0,
            slope: None,
            note: None,
        }),
        None,
        op,
    )
    .unwrap();
    let mut n = 0;
    for (k, l) in text.lines().filter(|l| !l.starts_with('#')).enumerate() {
        let v: Vec<f64> = l.split_whitespace().map(|x| x.parse().unwrap()).collect();
        assert_eq!((rows[k].lat, rows[k].lon), (v[0], v[1]));
        let az = v[4].rem_euclid(360.0);
        let got = rows[k].azimuth_next_deg.unwrap();
        assert!((got - az).abs() < 1e-9, "row {k}: azimuth {got} vs {az}");
        assert!(
            (rows[k].distance_next_m.unwrap() - v[6]).abs() < 1e-9,
            "row {k}"
        );
        n += 1;
    }
    assert_eq!(n, 291);
    assert!(rows.last().unwrap().distance_next_m.is_none());
    // DMS forms.
    assert_eq!(catalogue::format_angle(297.17344808, 1), "297°10′24.4″");

    // Grid coordinates against PROJ 9.1 (cs2cs fixtures of the CRS layer):
    // UTM straight from WGS 84; Gauss–Krüger from the Pulkovo 1942 point
    // whose WGS 84 position (through EPSG:15865) is the pillar.
    let proj =
        std::fs::read_to_string(root().join("tests/fixtures/proj/cs2cs_reference.txt")).unwrap();
    let rows_of = |src: &str, dst_prefix: &str| -> Vec<Vec<String>> {
        proj.lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| l.split_whitespace().map(String::from).collect::<Vec<_>>())
            .filter(|r| r[0] == src && r[1].starts_with(dst_prefix))
            .collect()
    };
    let mut checked_utm = 0;
    for r in rows_of("EPSG:4326", "EPSG:326") {
        let (lat, lon): (f64, f64) = (r[3].parse().unwrap(), r[4].parse().unwrap());
        let zone: u32 = r[1][8..].parse().unwrap();
        if ((lon + 180.0) / 6.0).floor() as u32 + 1 != zone {
            continue; // points PROJ projected into a neighbouring zone
        }
        let row = &catalogue::rows_for(one(lat, lon), None, op).unwrap()[0];
        let (e, nn): (f64, f64) = (r[5].parse().unwrap(), r[6].parse().unwrap());
        assert_eq!(row.utm_zone, format!("{zone}N"));
        assert!(
            (row.utm_e - e).abs() < 1e-6 && (row.utm_n - nn).abs() < 1e-6,
            "{r:?}: {} {}",
            row.utm_e,
            row.utm_n
        );
        checked_utm += 1;
    }
    assert!(checked_utm > 500, "{checked_utm}");
    let to_wgs: std::collections::HashMap<(String, String), (f64, f64)> =
        rows_of("EPSG:4284", "EPSG:4326")
            .into_iter()
            .filter(|r| r[2] == "EPSG:15865")
            .map(|r| {
                (
                    (r[3].clone(), r[4].clone()),
                    (r[5].parse().unwrap(), r[6].parse().unwrap()),
                )
            })
            .collect();
    let mut checked_gk = 0;
    for r in rows_of("EPSG:4284", "EPSG:284") {
        let Some(&(lat, lon)) = to_wgs.get(&(r[3].clone(), r[4].clone())) else {
            continue;
        };
        let zone: u32 = r[1][8..].parse().unwrap();
        let plon: f64 = r[4].parse().unwrap();
        if (plon / 6.0).floor() as u32 + 1 != zone || (lon / 6.0).floor() != (plon / 6.0).floor() {
            continue;
        }
        let row = &catalogue::rows_for(one(lat, lon), None, op).unwrap()[0];
        // cs2cs prints GK as northing, easting for these CRSs.
        let (x, y): (f64, f64) = (r[5].parse().unwrap(), r[6].parse().unwrap());
        assert_eq!(row.gk_zone, zone);
        assert!(
            (row.gk_x - x).abs() < 1e-3 && (row.gk_y - y).abs() < 1e-3,
            "{r:?}: x {} y {}",
            row.gk_x,
            row.gk_y
        );
        checked_gk += 1;
    }
    assert!(checked_gk > 500, "{checked_gk}");
}

fn one(lat: f64, lon: f64) -> Vec<RowInput> {
    vec![RowInput {
        number: "X".into(),
        kind: PillarType::Main,
        lat,
        lon,
        chainage: 0.0,
        offset: 0.0,
        side: 0,
        slope: None,
        note: None,
    }]
}

fn sector_catalogue() -> (catalogue::Catalogue, plan::Plan) {
    let p = plan::plan(
        &alay_sector(),
        None,
        &[],
        &[],
        &PlanSettings {
            numbering: Numbering {
                prefix: "KT".into(),
                ..Numbering::default()
            },
            ..PlanSettings::default()
        },
    )
    .unwrap();
    let c = catalogue::catalogue(
        &p,
        None,
        &CatalogueSettings {
            section: "Alay".into(),
            ..CatalogueSettings::default()
        },
    )
    .unwrap();
    (c, p)
}

#[test]
fn survey_check_flags_deviations_sides_and_bad_files() {
    let (cat, p) = sector_catalogue();
    let g = Ellipsoid::WGS84.geodesic();
    // Surveyed: most within 2 cm; one 8 cm off along the line; one 7 cm off
    // across it (to the left).
    let mut surveyed: Vec<SurveyedPillar> = Vec::new();
    for (i, r) in cat.rows.iter().enumerate().take(30) {
        let (azi, d) = match i {
            5 => (r.azimuth_next_deg.unwrap(), 0.08),
            9 => (r.azimuth_next_deg.unwrap() - 90.0, 0.07),
            _ => (37.0 * i as f64, 0.02),
        };
        let (lat, lon): (f64, f64) = g.direct(r.lat, r.lon, azi, d);
        surveyed.push(SurveyedPillar {
            number: r.number.clone(),
            lat,
            lon,
            record: i + 1,
        });
    }
    let rep = survey::check(&cat, &p.line, &surveyed, 0.05).unwrap();
    assert_eq!(rep.pillars.len(), 30);
    assert_eq!(rep.beyond_tolerance, 2);
    assert!((rep.max_deviation_m - 0.08).abs() < 1e-9);
    let nine = rep
        .pillars
        .iter()
        .find(|c| c.number == cat.rows[9].number)
        .unwrap();
    assert!(
        nine.off_line && nine.side == 1 && (nine.offset_from_line_m - 0.07).abs() < 1e-6,
        "{nine:?}"
    );
    let five = rep
        .pillars
        .iter()
        .find(|c| c.number == cat.rows[5].number)
        .unwrap();
    assert!(five.beyond_tolerance && !five.off_line && five.offset_from_line_m < 1e-6);
    // Every pillar not surveyed is listed; a turning point without a pillar
    // (this sector has one, within 50 m of its pillar) is not waited for.
    let unmarked: Vec<&str> = cat
        .rows
        .iter()
        .filter(|r| r.kind == PillarType::Unmarked)
        .map(|r| r.number.as_str())
        .collect();
    assert_eq!(unmarked.len(), 1);
    assert_eq!(rep.not_surveyed.len(), cat.rows.len() - 30 - 1);
    assert!(!rep.not_surveyed.iter().any(|n| n == unmarked[0]));
    // Unknown numbers and duplicates: every offender named.
    let mut bad = surveyed.clone();
    bad.push(SurveyedPillar {
        number: "KT-777".into(),
        lat: 39.4,
        lon: 73.0,
        record: 31,
    });
    bad.push(SurveyedPillar {
        number: cat.rows[3].number.clone(),
        lat: 39.4,
        lon: 73.0,
        record: 32,
    });
    let e = survey::check(&cat, &p.line, &bad, 0.05)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("KT-777 (record 31)")
            && e.contains(&format!("{} (records 4 and 32)", cat.rows[3].number)),
        "{e}"
    );
}

#[test]
fn bad_plans_are_refused_clearly() {
    let dem = alay_dem();
    let s = DemSampler::new(&dem).unwrap();
    // A line leaving the DEM: where it leaves is named.
    let e = plan::plan(
        &[(39.5, 73.0), (41.0, 73.0)],
        Some(&s),
        &[],
        &[],
        &PlanSettings::default(),
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("outside the DEM") && e.to_string().contains("the line at"),
        "{e}"
    );
    let e = plan::plan(&[(39.5, 73.0)], None, &[], &[], &PlanSettings::default()).unwrap_err();
    assert!(e.to_string().contains("at least two"), "{e}");
    let e = plan::plan(
        &[(39.5, 73.0), (39.6, 73.0)],
        None,
        &[],
        &[],
        &PlanSettings {
            max_spacing: 0.0,
            ..PlanSettings::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("spacing"), "{e}");
    let e = plan::plan(
        &[(39.5, 73.0), (95.0, 73.0)],
        None,
        &[],
        &[],
        &PlanSettings::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("turning point 2"), "{e}");
    // A DEM without a usable CRS.
    let mut d2 = dem.clone();
    d2.georef.crs = terminus_geodesy::Crs::Custom("LOCAL_CS[\"nowhere\"]".into());
    assert!(DemSampler::new(&d2).is_err());
    let _ = SightSettings::default();
}
