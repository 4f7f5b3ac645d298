//! Line of sight and viewsheds: closed-form curvature over flat ground,
//! symmetry on the real GEBCO DEM, and the exact sweep against a brute-force
//! check of the same cell model.

use std::path::PathBuf;
use terminus_demarcation::los::{line_of_sight, SightSettings};
use terminus_demarcation::sampler::DemSampler;
use terminus_demarcation::viewshed::{viewshed, ViewshedMethod, ViewshedSettings, VISIBLE};
use terminus_geodesy::Crs;
use terminus_terrain::{Dem, Georef, SampleType};

fn bundled_alay() -> Dem {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/gebco2023_alay_pamir_KG_TJ_15s.tif");
    terminus_terrain::read(&p, None).unwrap()
}

/// A flat DEM at height 0, 1″ cells, around (40°N, 45°E).
fn flat(z: f32) -> Dem {
    let g = Georef {
        x0: 44.5,
        y0: 40.5,
        dx: 1.0 / 3600.0,
        dy: 1.0 / 3600.0,
        crs: Crs::WGS84,
        pixel_is_point: false,
    };
    let mut d = Dem::empty(3600, 3600, g, SampleType::F32, None);
    d.data.iter_mut().for_each(|v| *v = z);
    d
}

/// Euler's radius in azimuth α from M and N, computed here independently.
fn euler_radius(lat: f64, azi: f64) -> f64 {
    let a = 6_378_137.0;
    let f = 1.0 / 298.257_223_563;
    let e2 = f * (2.0 - f);
    let s = lat.to_radians().sin();
    let w = (1.0 - e2 * s * s).sqrt();
    let n = a / w;
    let m = a * (1.0 - e2) / (w * w * w);
    let (sa, ca) = azi.to_radians().sin_cos();
    1.0 / (ca * ca / m + sa * sa / n)
}

#[test]
fn flat_ground_drop_is_the_closed_form() {
    let dem = flat(100.0);
    let s = DemSampler::new(&dem).unwrap();
    // East–west line at 40°N, 20 km: midpoint drop D²(1 − k)/(8R).
    let (a, b) = ((40.0, 44.8), (40.0, 45.035));
    let set = SightSettings {
        height_from: 10.0,
        height_to: 10.0,
        ..SightSettings::default()
    };
    let los = line_of_sight(&s, a, b, &set).unwrap();
    let r = euler_radius(40.0, 90.0);
    let d = los.distance_m;
    let drop_mid = d * d * (1.0 - 0.13) / (8.0 * r);
    // The profile's smallest clearance is at the middle sample.
    let mid = los
        .profile
        .iter()
        .min_by(|x, y| x.clearance_m.total_cmp(&y.clearance_m))
        .unwrap();
    let t = mid.distance_m;
    let want = 10.0 - t * (d - t) * (1.0 - 0.13) / (2.0 * r);
    assert!(
        (mid.clearance_m - want).abs() < 2e-3,
        "{} vs {want}",
        mid.clearance_m
    );
    assert!((los.min_clearance_m - (10.0 - drop_mid)).abs() < 0.01);
    assert!(los.visible);
    // The two-observer horizon: D = 2 √(2Rh / (1 − k)). Just inside: seen;
    // just beyond: hidden, blocked near the middle.
    let h = 5.0;
    let horizon = 2.0 * (2.0 * r * h / (1.0 - 0.13)).sqrt(); // ≈ 17.1 km
    let set = SightSettings {
        height_from: h,
        height_to: h,
        ..SightSettings::default()
    };
    let geod = terminus_geodesy::Ellipsoid::WGS84.geodesic();
    use terminus_geodesy::measure::DirectGeodesic;
    for (factor, seen) in [(0.995, true), (1.005, false)] {
        let (lat2, lon2): (f64, f64) = geod.direct(40.0, 44.8, 90.0, horizon * factor);
        let los = line_of_sight(&s, (40.0, 44.8), (lat2, lon2), &set).unwrap();
        assert_eq!(los.visible, seen, "at {factor} of the horizon");
        if let Some(bl) = los.blocking {
            assert!((bl.distance_m / los.distance_m - 0.5).abs() < 0.1);
        }
    }
    // No curvature: everything over flat ground is seen.
    let set = SightSettings {
        height_from: 0.0,
        height_to: 0.0,
        curvature: false,
        ..SightSettings::default()
    };
    assert!(line_of_sight(&s, a, b, &set).unwrap().visible);
    // Refraction k = 1 straightens the ray to the earth's curve: seen too.
    let set = SightSettings {
        height_from: 0.0,
        height_to: 0.0,
        refraction: 1.0,
        ..SightSettings::default()
    };
    assert!(line_of_sight(&s, a, b, &set).unwrap().visible);
}

#[test]
fn symmetric_over_ten_thousand_pairs_on_gebco() {
    let dem = bundled_alay();
    let s = DemSampler::new(&dem).unwrap();
    // Deterministic pseudo-random pairs inside the crop (xorshift).
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x >> 11) as f64 / (1u64 << 53) as f64
    };
    let g = &dem.georef;
    let (west, north) = (g.x0, g.y0);
    let (east, south) = (
        west + dem.width as f64 * g.dx,
        north - dem.height as f64 * g.dy,
    );
    let (mut seen, mut hidden) = (0, 0);
    for k in 0..10_000 {
        let a = (
            south + 0.02 + next() * (north - south - 0.04),
            west + 0.02 + next() * (east - west - 0.04),
        );
        let b = (
            (a.0 + (next() - 0.5) * 0.3).clamp(south + 0.01, north - 0.01),
            (a.1 + (next() - 0.5) * 0.3).clamp(west + 0.01, east - 0.01),
        );
        let h1 = [0.0, 1.5, 2.0, 10.0][k % 4];
        let h2 = [2.0, 0.0, 30.0, 1.5][(k / 4) % 4];
        let ab = line_of_sight(
            &s,
            a,
            b,
            &SightSettings {
                height_from: h1,
                height_to: h2,
                ..Default::default()
            },
        )
        .unwrap();
        let ba = line_of_sight(
            &s,
            b,
            a,
            &SightSettings {
                height_from: h2,
                height_to: h1,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(ab.visible, ba.visible, "pair {k}: {a:?} {b:?}");
        assert_eq!(
            ab.min_clearance_m.to_bits(),
            ba.min_clearance_m.to_bits(),
            "pair {k}"
        );
        assert_eq!(ab.distance_m.to_bits(), ba.distance_m.to_bits());
        // The profile read backwards is the same profile.
        let n = ab.profile.len();
        for (p, q) in ab.profile.iter().zip(ba.profile.iter().rev()) {
            assert_eq!(p.clearance_m.to_bits(), q.clearance_m.to_bits());
        }
        assert_eq!(n, ba.profile.len());
        // The first blocking point from each end bounds the blocked stretch.
        match (ab.blocking, ba.blocking) {
            (Some(x), Some(y)) => assert!(x.distance_m <= ab.distance_m - y.distance_m + 1e-6),
            (None, None) => {}
            _ => panic!("pair {k}: blocked one way only"),
        }
        if ab.visible {
            seen += 1
        } else {
            hidden += 1
        }
    }
    // Both outcomes occur (the test would mean little otherwise).
    assert!(seen > 1000 && hidden > 1000, "{seen} seen, {hidden} hidden");
}

#[test]
fn bad_input_is_refused_clearly() {
    let dem = bundled_alay();
    let s = DemSampler::new(&dem).unwrap();
    let e = line_of_sight(&s, (39.3, 72.3), (45.0, 72.3), &SightSettings::default()).unwrap_err();
    assert!(e.to_string().contains("outside the DEM"), "{e}");
    let e = line_of_sight(
        &s,
        (39.3, 72.3),
        (39.4, 72.4),
        &SightSettings {
            refraction: 7.0,
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("refraction"), "{e}");
    let e = line_of_sight(
        &s,
        (f64::NAN, 72.3),
        (39.4, 72.4),
        &SightSettings::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("invalid position"), "{e}");
    // A void on the path is named, not stepped over.
    let mut holed = dem.clone();
    let (c, r) = holed
        .georef
        .cell_at(72.35, 39.35, holed.width, holed.height)
        .unwrap();
    let w = holed.width;
    holed.data[r * w + c] = f32::NAN;
    let s = DemSampler::new(&holed).unwrap();
    let e = line_of_sight(&s, (39.35, 72.3), (39.35, 72.4), &SightSettings::default()).unwrap_err();
    assert!(e.to_string().contains("void"), "{e}");
}

/// The same cell model as the sweep, decided target by target: a cell
/// blocks when the ray to the target's centre crosses its square (corner
/// angles) nearer than the target, and its centre rises above the line.
fn brute_force(
    dem: &Dem,
    obs: (usize, usize),
    eye: f64,
    target: f64,
    metres: (f64, f64),
) -> Vec<bool> {
    let (w, h) = (dem.width, dem.height);
    let (ew, ns) = metres;
    let pos = |c: usize, r: usize| {
        (
            (c as f64 - obs.0 as f64) * ew,
            (obs.1 as f64 - r as f64) * ns,
        )
    };
    let mut out = vec![false; w * h];
    for r in 0..h {
        for c in 0..w {
            if (c, r) == obs {
                out[r * w + c] = true;
                continue;
            }
            let (e, n) = pos(c, r);
            let d = (e * e + n * n).sqrt();
            let th = n.atan2(e);
            let need = (dem.get(c, r) as f64 + target - eye) / d;
            let mut ok = true;
            'cells: for r2 in 0..h {
                for c2 in 0..w {
                    if (c2, r2) == obs || (c2, r2) == (c, r) {
                        continue;
                    }
                    let (e2, n2) = pos(c2, r2);
                    let d2 = (e2 * e2 + n2 * n2).sqrt();
                    if d2 >= d {
                        continue;
                    }
                    // Does the ray at angle th cross the cell's square?
                    let mut lo = f64::INFINITY;
                    let mut hi = f64::NEG_INFINITY;
                    let mut angs = Vec::new();
                    for (de, dn) in [(-0.5, -0.5), (0.5, -0.5), (-0.5, 0.5), (0.5, 0.5)] {
                        angs.push((n2 + dn * ns).atan2(e2 + de * ew));
                    }
                    // Unwrap around th.
                    for a in &mut angs {
                        let mut x = *a - th;
                        while x > std::f64::consts::PI {
                            x -= 2.0 * std::f64::consts::PI;
                        }
                        while x < -std::f64::consts::PI {
                            x += 2.0 * std::f64::consts::PI;
                        }
                        lo = lo.min(x);
                        hi = hi.max(x);
                    }
                    // A square not holding the observer spans less than π:
                    // a wider spread is the cell behind the observer, its
                    // corners unwrapped to either side of ±π.
                    if hi - lo < std::f64::consts::PI
                        && lo <= 0.0
                        && hi >= 0.0
                        && (dem.get(c2, r2) as f64 - eye) / d2 > need
                    {
                        ok = false;
                        break 'cells;
                    }
                }
            }
            out[r * w + c] = ok;
        }
    }
    out
}

#[test]
fn exact_sweep_agrees_with_brute_force_on_real_terrain() {
    // A 41 × 37 crop of the Alay DEM, projected units so the model is
    // plain: cells as squares (and as 300 × 500 m rectangles) in a local
    // grid, no curvature. Observers inside, on every edge and in corners,
    // so the sweep's sectors meet the grid's edges in every direction.
    let dem = bundled_alay();
    let (c0, r0) = (300, 200);
    let (w, h) = (41, 37);
    for (dx, dy) in [(400.0, 400.0), (300.0, 500.0)] {
        let g = Georef {
            x0: 500_000.0,
            y0: 4_400_000.0,
            dx,
            dy,
            crs: Crs::Epsg(32643),
            pixel_is_point: false,
        };
        let mut crop = Dem::empty(w, h, g.clone(), SampleType::F32, None);
        for r in 0..h {
            for c in 0..w {
                crop.data[r * w + c] = dem.get(c0 + c, r0 + r);
            }
        }
        let t = terminus_geodesy::crs::transform::CrsTransform::new(
            &Crs::Epsg(32643),
            &Crs::WGS84,
            None,
            None,
        )
        .unwrap();
        for obs_cell in [
            (17usize, 21usize),
            (0, 0),
            (40, 36),
            (0, 20),
            (40, 5),
            (20, 0),
            (9, 36),
        ] {
            let (ox, oy) = g.center(obs_cell.0, obs_cell.1);
            let terminus_geodesy::LatLon { lat, lon } =
                t.apply(terminus_geodesy::Xy::new(ox, oy)).unwrap().latlon();
            let set = ViewshedSettings {
                observer_height: 60.0,
                target_height: 1.0,
                curvature: false,
                method: ViewshedMethod::Exact,
                ..Default::default()
            };
            let v = viewshed(&crop, (lat, lon), &set).unwrap();
            assert_eq!(v.observer_cell, obs_cell);
            let eye = crop.get(obs_cell.0, obs_cell.1) as f64 + 60.0;
            let want = brute_force(&crop, obs_cell, eye, 1.0, (dx, dy));
            let mut differ = 0;
            for (i, (&got, &wanted)) in v.cells.iter().zip(want.iter()).enumerate() {
                if (got == VISIBLE) != wanted {
                    if differ < 10 {
                        eprintln!("cell ({}, {}): sweep {got} brute {wanted}", i % w, i / w);
                    }
                    differ += 1;
                }
            }
            let seen = want.iter().filter(|&&x| x).count();
            eprintln!("{dx} × {dy} m, observer {obs_cell:?}: {seen} visible");
            assert!(
                seen > 20 && seen < w * h - 20,
                "{seen} of {} visible from {obs_cell:?}",
                w * h
            );
            assert_eq!(
                differ, 0,
                "{differ} cells differ from the brute-force model ({dx} × {dy} m cells, observer {obs_cell:?})"
            );
        }
    }
}

/// Hillshade: flat ground is lit at sin 45°; a slope rising to the east
/// (facing west, towards the 315° light) is brighter and one rising to the
/// north (facing south) darker, as Lambert's law gives in closed form for
/// a slope of 1 in 10 along one axis.
#[test]
fn hillshade_follows_lamberts_law_from_the_north_west() {
    let flat_ground = flat(100.0);
    let s = DemSampler::new(&flat_ground).unwrap();
    let lit = s.hillshade(40.0, 45.0).unwrap();
    assert!((lit - 45f64.to_radians().sin()).abs() < 1e-12, "{lit}");
    // z rising 0.1 m per metre eastward, then northward (rows run south).
    let ramp = |east: bool| {
        let mut d = flat(0.0);
        let (ew, ns) = DemSampler::new(&d)
            .unwrap()
            .cell_metres(40.5 - 1800.0 / 3600.0);
        let w = d.width;
        for r in 0..d.height {
            for c in 0..w {
                d.data[r * w + c] = if east {
                    (0.1 * ew * c as f64) as f32
                } else {
                    (0.1 * ns * (d.height - r) as f64) as f32
                };
            }
        }
        d
    };
    // Normal (−0.1, 0, 1)/√1.01 and light (−½, ½, √½): (0.05 + √½)/√1.01.
    let want_east = (0.05 + 0.5f64.sqrt()) / 1.01f64.sqrt();
    // Normal (0, −0.1, 1)/√1.01: (−0.05 + √½)/√1.01.
    let want_north = (-0.05 + 0.5f64.sqrt()) / 1.01f64.sqrt();
    for (east, want) in [(true, want_east), (false, want_north)] {
        let d = ramp(east);
        let got = DemSampler::new(&d).unwrap().hillshade(40.0, 45.0).unwrap();
        // (f32 heights and the cell size's change with latitude: 1e-4.)
        assert!((got - want).abs() < 1e-4, "east {east}: {got} vs {want}");
    }
}

/// The smooth hillshade blends the four cells around a point: at a cell
/// centre it is that cell's hillshade; between two cells of a ramp that
/// bends it lies between their values, in proportion; on uniform slopes
/// it is the same everywhere.
#[test]
fn smooth_hillshade_blends_the_four_cells_around() {
    let flat_ground = flat(100.0);
    let s = DemSampler::new(&flat_ground).unwrap();
    let g = &flat_ground.georef;
    // Uniform: the same value anywhere inside.
    for (lat, lon) in [(40.0, 45.0), (40.0123, 45.0456), (39.9, 45.1)] {
        let v = s.hillshade_smooth(lat, lon).unwrap();
        assert!((v - 45f64.to_radians().sin()).abs() < 1e-12, "{v}");
    }
    // A valley: heights |c − 20| × 10 m, so the cells west of column 20
    // face east and those east of it face west (lit differently).
    let mut d = flat(0.0);
    let w = d.width;
    for r in 0..d.height {
        for c in 0..w {
            d.data[r * w + c] = ((c as f64 - 20.0).abs() * 10.0) as f32;
        }
    }
    let s = DemSampler::new(&d).unwrap();
    let centre = |c: f64, r: f64| (g.y0 - (r + 0.5) * g.dy, g.x0 + (c + 0.5) * g.dx);
    for c in [5.0, 30.0] {
        let (lat, lon) = centre(c, 10.0);
        // (To rounding: the centre's fraction is not exactly 0.)
        let (a, b) = (
            s.hillshade_smooth(lat, lon).unwrap(),
            s.hillshade(lat, lon).unwrap(),
        );
        assert!((a - b).abs() < 1e-12, "{a} vs {b}");
    }
    let (lat, lon) = centre(18.0, 10.0);
    let west = s.hillshade(lat, lon).unwrap();
    let (lat, lon) = centre(22.0, 10.0);
    let east = s.hillshade(lat, lon).unwrap();
    assert!((west - east).abs() > 0.05, "{west} {east}");
    // A quarter of the way from cell 18 towards 19 (same facing): as 18.
    // Halfway between 23 and 24 (both east of the valley): as either.
    let (lat, lon) = centre(23.5, 10.0);
    assert!((s.hillshade_smooth(lat, lon).unwrap() - east).abs() < 1e-9);
    // Between column 20 (the valley floor, Horn's gradient 0 there:
    // flat-lit) and 21 (east-side slope): the blend, by the distance.
    let (lat, lon) = centre(20.0, 10.0);
    let floor = s.hillshade(lat, lon).unwrap();
    let (lat, lon) = centre(21.0, 10.0);
    let side = s.hillshade(lat, lon).unwrap();
    let (lat, lon) = centre(20.25, 10.0);
    let blend = s.hillshade_smooth(lat, lon).unwrap();
    assert!(
        (blend - (0.75 * floor + 0.25 * side)).abs() < 1e-9,
        "{blend} vs {floor} {side}"
    );
}
