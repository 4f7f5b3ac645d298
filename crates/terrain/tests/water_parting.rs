//! The Trans-Alay water-parting (Kyrgyz–Tajik border) between the
//! Kyzyl-Suu (north) and the Muksu (south) on the GEBCO Alay crop, where
//! both rivers leave the crop westwards (outlets of accumulation 37,083
//! and 29,612 cells at 39.49°N and 39.18°N on its west edge).

use terminus_terrain::divide::{distances_to, divide, water_parting, WaterPartingOptions};
use terminus_terrain::flow::CellMetric;
use terminus_testdata::shared_data as shared;

#[test]
fn trans_alay_crest_between_kyzyl_suu_and_muksu() {
    let Some(p) = shared("dem/gebco2023_alay_pamir_KG_TJ_15s.tif") else {
        return;
    };
    let dem = terminus_terrain::read(&p, None).unwrap();
    let id = |x: f64, y: f64| Some((y, x));
    let id2 = |lat: f64, lon: f64| Some((lon, lat));
    let o = WaterPartingOptions {
        a: &[(39.4896, 72.0021)],
        b: &[(39.1813, 72.0021)],
        seeds_a: &[],
        seeds_b: &[],
        snap_m: 1000.0,
        simplify_m: 0.0,
        metric: CellMetric::Ellipsoid,
        to_wgs84: &id,
        from_wgs84: &id2,
    };
    let wp = water_parting(&dem, &o).unwrap();
    eprintln!(
        "cells {:?}, {} lines, {:.1} km",
        wp.cells,
        wp.lines.len(),
        wp.length_m() / 1000.0
    );
    assert!(wp.cells.0 > 30_000 && wp.cells.1 > 25_000);
    let main = &wp.lines[0];
    // The crest's highest point is Pik Lenin's massif (7,134 m at 39.342°N
    // 72.878°E; GEBCO smooths it): within 3 km of the summit.
    let g = terminus_geodesy::Ellipsoid::WGS84.geodesic();
    use terminus_geodesy::measure::InverseGeodesic;
    let (h, (lat, lon)) = main.highest;
    let to_lenin: f64 = g.inverse(lat, lon, 39.3425, 72.8783);
    eprintln!(
        "highest {h} m at {lat:.4}, {lon:.4}: {to_lenin:.0} m from Pik Lenin; lowest pass {} m",
        main.lowest.0
    );
    assert!(h > 6900.0 && to_lenin < 3000.0);
    assert!((100_000.0..200_000.0).contains(&wp.length_m()));
    // Every cell edge between the two drainage areas is on the divide: count
    // the A–B neighbour pairs independently.
    let mut filled = dem.clone();
    terminus_terrain::fill(&mut filled, terminus_terrain::NodataAs::Outlet, true);
    let dir = terminus_terrain::flow::d8(&filled, CellMetric::Ellipsoid);
    let valid: Vec<bool> = filled.data.iter().map(|v| !v.is_nan()).collect();
    let acc = terminus_terrain::flow::accumulation(&dir, &valid, dem.width);
    let w = dem.width;
    let snap = |lat: f64, lon: f64| {
        let (c, r) = dem.georef.cell_at(lon, lat, w, dem.height).unwrap();
        let mut best = (0, 0);
        for rr in r.saturating_sub(3)..=(r + 3).min(dem.height - 1) {
            for cc in c.saturating_sub(3)..=(c + 3).min(w - 1) {
                if acc[rr * w + cc] > best.1 {
                    best = (rr * w + cc, acc[rr * w + cc]);
                }
            }
        }
        best.0
    };
    let labels = terminus_terrain::flow::basins(
        &dir,
        &valid,
        w,
        &[(snap(39.4896, 72.0021), 1), (snap(39.1813, 72.0021), 2)],
    );
    let mut pairs = 0;
    for r in 0..dem.height {
        for c in 0..w {
            let l = labels[r * w + c];
            let ab = |m: u32| (l == 1 && m == 2) || (l == 2 && m == 1);
            pairs += (c + 1 < w && ab(labels[r * w + c + 1])) as usize
                + (r + 1 < dem.height && ab(labels[(r + 1) * w + c])) as usize;
        }
    }
    let edges: usize = divide(&dem, &labels, 1, 2)
        .iter()
        .map(|l| l.len() - 1)
        .sum();
    assert_eq!(edges, pairs);
    // Measured against the border lines (reported, not tuned to).
    for src in ["naturalearth10m", "geomaps_osm10m", "dcw_gmt"] {
        let Some(lp) = shared(&format!("boundaries/kg_tj/{src}_KGZ_TJK_shared.geojson")) else {
            return;
        };
        let ds = terminus_vector_read(&lp);
        let lines: Vec<Vec<(f64, f64)>> = wp.lines.iter().map(|l| l.points.clone()).collect();
        let (n, median, p95, max) = distances_to(&lines, &ds, 50.0).unwrap();
        eprintln!("divide vs {src}: median {median:.0} m, 95th percentile {p95:.0} m, max {max:.0} m ({n} samples)");
        assert!(n > 2000 && median < 2000.0 && p95 < 5000.0);
    }
}

fn terminus_vector_read(p: &std::path::Path) -> Vec<Vec<(f64, f64)>> {
    let text = std::fs::read_to_string(p).unwrap();
    // A minimal GeoJSON reading of LineStrings (the terrain crate does not
    // depend on the formats crate).
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["geometry"]["type"] == "LineString")
        .map(|f| {
            f["geometry"]["coordinates"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| (c[1].as_f64().unwrap(), c[0].as_f64().unwrap()))
                .collect()
        })
        .collect()
}

/// The Kyzyl-Suu's thalweg over 80 km of the Alay valley (from 39.665°N
/// 72.835°E down to where it leaves the crop at 39.490°N 72.002°E): it
/// keeps to the river as D8 drainage independently finds it (every cell
/// within two cells of one draining ≥ 5,000 cells), and never rises above
/// its start.
#[test]
fn kyzyl_suu_thalweg_follows_the_river() {
    let Some(p) = shared("dem/gebco2023_alay_pamir_KG_TJ_15s.tif") else {
        return;
    };
    let dem = terminus_terrain::read(&p, None).unwrap();
    let w = dem.width;
    let id = |x: f64, y: f64| Some((y, x));
    let guide = vec![vec![(39.6646, 72.8354), (39.4896, 72.0021)]];
    let mask = terminus_terrain::window::corridor_mask(&dem, &guide, 5000.0, &id).unwrap();
    let cell = |lat: f64, lon: f64| {
        let (c, r) = dem.georef.cell_at(lon, lat, w, dem.height).unwrap();
        r * w + c
    };
    let t = terminus_terrain::thalweg::thalweg(
        &dem,
        cell(39.6646, 72.8354),
        cell(39.4896, 72.0021),
        &mask,
    )
    .unwrap();
    assert!(t.cells.len() > 150);
    assert!(t.heights.iter().all(|&z| z <= t.heights[0]));
    let mut filled = dem.clone();
    terminus_terrain::fill(&mut filled, terminus_terrain::NodataAs::Outlet, true);
    let dir = terminus_terrain::flow::d8(&filled, CellMetric::Drop);
    let valid = vec![true; dir.len()];
    let acc = terminus_terrain::flow::accumulation(&dir, &valid, w);
    for &i in &t.cells {
        let (c, r) = (i % w, i / w);
        let near = (r.saturating_sub(2)..=(r + 2).min(dem.height - 1))
            .flat_map(|rr| (c.saturating_sub(2)..=(c + 2).min(w - 1)).map(move |cc| (rr, cc)))
            .any(|(rr, cc)| acc[rr * w + cc] >= 5000);
        assert!(near, "thalweg cell {c},{r} is away from the river");
    }
    // The corridor confines the search: an end outside it is refused.
    let e =
        terminus_terrain::thalweg::thalweg(&dem, cell(39.6646, 72.8354), cell(39.1, 72.1), &mask)
            .unwrap_err();
    assert!(e.to_string().contains("outside the search corridor"), "{e}");
}

/// Breaching on the GEBCO Alay crop changes fewer cells and far less
/// volume than filling, and leaves every cell draining (each interior cell
/// has a strictly lower neighbour).
#[test]
fn breaching_changes_less_than_filling() {
    let Some(p) = shared("dem/gebco2023_alay_pamir_KG_TJ_15s.tif") else {
        return;
    };
    let dem = terminus_terrain::read(&p, None).unwrap();
    let mut b = dem.clone();
    let rep = terminus_terrain::breach::breach(&mut b, 100, 100.0);
    let mut f = dem.clone();
    terminus_terrain::fill(&mut f, terminus_terrain::NodataAs::Outlet, false);
    let changed =
        |x: &terminus_terrain::Dem| x.data.iter().zip(&dem.data).filter(|(a, o)| a != o).count();
    let volume = |x: &terminus_terrain::Dem| {
        x.data
            .iter()
            .zip(&dem.data)
            .map(|(a, o)| (a - o).abs() as f64)
            .sum::<f64>()
    };
    eprintln!(
        "breach: {rep:?}; {} cells changed, Σ|Δz| {:.0} m; fill: {} cells, Σ|Δz| {:.0} m",
        changed(&b),
        volume(&b),
        changed(&f),
        volume(&f)
    );
    assert!(rep.breached > rep.pits / 2);
    assert!(changed(&b) < changed(&f) && volume(&b) < volume(&f) / 2.0);
    let w = dem.width;
    for r in 1..dem.height - 1 {
        for c in 1..w - 1 {
            let z = b.get(c, r);
            let lower = terminus_terrain::fill::N8
                .iter()
                .any(|&(dc, dr)| b.get((c as isize + dc) as usize, (r as isize + dr) as usize) < z);
            assert!(lower, "no way down from {c},{r}");
        }
    }
}

/// The two sides of a 10 km corridor around the OSM Kyrgyz–Tajik line
/// define the drainage areas: the divide found between them runs in the
/// corridor, mostly near the line where the border follows the crest.
#[test]
fn divide_between_the_sides_of_a_corridor() {
    let Some(p) = shared("dem/gebco2023_alay_pamir_KG_TJ_15s.tif") else {
        return;
    };
    let Some(lp) = shared("boundaries/kg_tj/geomaps_osm10m_KGZ_TJK_shared.geojson") else {
        return;
    };
    let dem = terminus_terrain::read(&p, None).unwrap();
    let line = terminus_vector_read(&lp);
    let id = |x: f64, y: f64| Some((y, x));
    let id2 = |lat: f64, lon: f64| Some((lon, lat));
    let wp =
        terminus_terrain::divide::water_parting_in_corridor(&dem, &line, 10_000.0, 0.0, &id, &id2)
            .unwrap();
    let lines: Vec<Vec<(f64, f64)>> = wp.lines.iter().map(|l| l.points.clone()).collect();
    let (n, median, p95, max) = distances_to(&lines, &line, 50.0).unwrap();
    eprintln!(
        "corridor divide: {} lines, {:.1} km, cells {:?}; from the OSM line median {median:.0} m, p95 {p95:.0} m, max {max:.0} m ({n} samples)",
        wp.lines.len(),
        wp.length_m() / 1000.0,
        wp.cells
    );
    assert!(wp.cells.0 > 1000 && wp.cells.1 > 1000);
    assert!(max <= 10_500.0, "the divide leaves the corridor: {max} m");
    assert!(median < 3000.0);
}
