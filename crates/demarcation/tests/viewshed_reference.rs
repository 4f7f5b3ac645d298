//! Viewsheds against gdal_viewshed (GDAL 3.6) and r.viewshed (GRASS 8.2)
//! on the bundled GEBCO Alay crop relabelled as a 400 m projected grid
//! (fixtures and their commands: tools/reference/viewshed_reference.sh).

use std::io::Read;
use std::path::PathBuf;
use terminus_demarcation::viewshed::{viewshed, ViewshedMethod, ViewshedSettings, VISIBLE};
use terminus_geodesy::crs::transform::CrsTransform;
use terminus_geodesy::Crs;
use terminus_terrain::{Dem, Georef};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn relabelled() -> Dem {
    let mut d = terminus_terrain::read(
        &root().join("data/gebco2023_alay_pamir_KG_TJ_15s.tif"),
        None,
    )
    .unwrap();
    d.georef = Georef {
        x0: 300_000.0,
        y0: 4_400_000.0,
        dx: 400.0,
        dy: 400.0,
        crs: Crs::Epsg(32643),
        pixel_is_point: false,
    };
    d
}

fn fixture(name: &str) -> Vec<u8> {
    let f = std::fs::File::open(root().join("tests/fixtures/demarcation").join(name)).unwrap();
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(f)
        .read_to_end(&mut out)
        .unwrap();
    out
}

const OBSERVERS: [(usize, usize, f64); 4] = [
    (200, 100, 0.0),
    (350, 250, 1.5),
    (450, 60, 0.0),
    (4, 253, 0.0),
];

fn run(dem: &Dem, k: usize, method: ViewshedMethod) -> Vec<bool> {
    let (c, r, t) = OBSERVERS[k];
    let (x, y) = dem.georef.center(c, r);
    let to = CrsTransform::new(&Crs::Epsg(32643), &Crs::WGS84, None, None).unwrap();
    let terminus_geodesy::LatLon { lat, lon } =
        to.apply(terminus_geodesy::Xy::new(x, y)).unwrap().latlon();
    let v = viewshed(
        dem,
        (lat, lon),
        &ViewshedSettings {
            observer_height: 2.0,
            target_height: t,
            refraction: 0.13,
            curvature: true,
            radius_m: None,
            method,
        },
    )
    .unwrap();
    assert_eq!(v.observer_cell, (c, r));
    v.cells.iter().map(|&b| b == VISIBLE).collect()
}

/// (cells differing, visible in reference, visible here, share of all cells agreeing).
fn compare(a: &[bool], b: &[u8]) -> (usize, usize, usize, f64) {
    let differ = a.iter().zip(b).filter(|(x, y)| **x != (**y > 0)).count();
    let ref_vis = b.iter().filter(|&&y| y > 0).count();
    let ours = a.iter().filter(|&&x| x).count();
    (differ, ref_vis, ours, 1.0 - differ as f64 / a.len() as f64)
}

#[test]
fn gdal36_mode_is_gdal_viewshed_cell_for_cell() {
    let dem = relabelled();
    for k in 0..OBSERVERS.len() {
        let g = fixture(&format!("viewshed_gdal_{k}.u8.gz"));
        let (differ, gv, ov, _) = compare(&run(&dem, k, ViewshedMethod::Gdal36), &g);
        assert_eq!(differ, 0, "observer {k}: {gv} vs {ov} visible");
        assert!(gv > 1000, "observer {k}: only {gv} visible");
    }
}

#[test]
fn reference_planes_agree_with_gdal_viewshed() {
    // Terminus' own Wang (2000) sweep differs from GDAL 3.6 in two rules:
    // the cells next to the observer see past the observer's eye (GDAL
    // ≤ 3.8 extrapolates them from its ground, which hides the slopes
    // below a summit), and the curvature radius is the normal section's in
    // the cell's direction, not the semi-major axis.
    let dem = relabelled();
    for k in 0..OBSERVERS.len() {
        let g = fixture(&format!("viewshed_gdal_{k}.u8.gz"));
        let ours = run(&dem, k, ViewshedMethod::ReferencePlanes);
        let (differ, gv, ov, agree) = compare(&ours, &g);
        eprintln!(
            "observer {k}: gdal {gv} visible, ours {ov}; {differ} differ ({:.3} % agree)",
            agree * 100.0
        );
        // Below a summit (observer 3) GDAL 3.6's rule hides whole slopes:
        // 97.3 % agree there; elsewhere ≥ 99.6 %.
        assert!(
            agree >= if k == 3 { 0.97 } else { 0.99 },
            "observer {k}: {agree}"
        );
        // Ours never hides a cell GDAL sees on these grids: the rules only
        // ever open the view.
        assert!(
            ours.iter().zip(&g).all(|(o, g)| *o || *g == 0),
            "observer {k}"
        );
    }
}

#[test]
fn exact_sweep_agrees_with_grass_r_viewshed() {
    use terminus_demarcation::los::{line_of_sight, SightSettings};
    use terminus_demarcation::sampler::DemSampler;
    let dem = relabelled();
    let sampler = DemSampler::new(&dem).unwrap();
    let to = CrsTransform::new(&Crs::Epsg(32643), &Crs::WGS84, None, None).unwrap();
    let at = |c: usize, r: usize| {
        let (x, y) = dem.georef.center(c, r);
        to.apply(terminus_geodesy::Xy::new(x, y))
            .unwrap()
            .latlon()
            .tuple()
    };
    for (k, &(oc, or, t)) in OBSERVERS.iter().enumerate() {
        let r = fixture(&format!("viewshed_grass_{k}.u8.gz"));
        let ours = run(&dem, k, ViewshedMethod::Exact);
        let (differ, rv, ov, agree) = compare(&ours, &r);
        // Arbiter: r.viewshed's documented model since GRASS 7 is a smooth
        // surface (heights bilinear between cell centres), ours the flat
        // cells of van Kreveld's sweep. Terminus' line of sight samples the
        // bilinear surface along the geodesic: on the cells where the two
        // sweeps differ it should side with r.viewshed.
        let settings = SightSettings {
            height_from: 2.0,
            height_to: t,
            refraction: 0.13,
            curvature: true,
            step: None,
        };
        let differing: Vec<usize> = (0..ours.len()).filter(|&i| ours[i] != (r[i] > 0)).collect();
        let sample: Vec<usize> = differing
            .iter()
            .step_by(differing.len().div_ceil(200).max(1))
            .copied()
            .collect();
        let sides_with_grass = sample
            .iter()
            .filter(|&&i| {
                let (c, row) = (i % dem.width, i / dem.width);
                let s = line_of_sight(&sampler, at(oc, or), at(c, row), &settings).unwrap();
                s.visible == (r[i] > 0)
            })
            .count();
        let share = sides_with_grass as f64 / sample.len().max(1) as f64;
        eprintln!(
            "observer {k}: r.viewshed {rv} visible, ours {ov}; {differ} differ ({:.3} % agree); \
             bilinear line of sight sides with r.viewshed on {sides_with_grass} of {} differing cells sampled",
            agree * 100.0,
            sample.len()
        );
        // Measured 98.1–99.6 % of all cells: r.viewshed sees more cells
        // than the flat-cell model of van Kreveld's sweep; the bilinear
        // line of sight sides with r.viewshed on 83–93 % of the differing
        // cells (the rest graze the surface: sampled every half cell along
        // the geodesic here, at r.viewshed's cell crossings there).
        assert!(agree >= 0.98, "observer {k}: {agree}");
        assert!(share >= 0.8, "observer {k}: {share}");
    }
}
