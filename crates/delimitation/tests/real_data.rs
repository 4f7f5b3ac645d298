//! Compromise medians of real claim lines (../shared/data): every vertex
//! equidistant from both lines, checked with the geodesy layer's
//! brute-force nearest point over every segment.

use terminus_compare::ClaimLine;
use terminus_delimitation::{compromise_median, MedianOptions};
use terminus_geodesy::geodesic::{nearest_on_segment, Gnomonic};
use terminus_geodesy::Ellipsoid;
use terminus_testdata::shared_data as shared;
use terminus_vector::Geometry;

fn line(region: &str, src: &str) -> Option<ClaimLine> {
    let suffix = if region == "am_az" {
        "ARM_AZE_shared"
    } else {
        "KGZ_TJK_shared"
    };
    let p = shared(&format!("boundaries/{region}/{src}_{suffix}.geojson"))?;
    let ds = terminus_formats::read(&p, &Default::default()).unwrap();
    let mut pieces = Vec::new();
    for f in ds.layers.iter().flat_map(|l| &l.features) {
        match &f.geometry {
            Some(Geometry::LineString(l)) => pieces.push(l.iter().map(|c| (c.y, c.x)).collect()),
            Some(Geometry::MultiLineString(ls)) => {
                pieces.extend(ls.iter().map(|l| l.iter().map(|c| (c.y, c.x)).collect()))
            }
            _ => {}
        }
    }
    Some(ClaimLine {
        name: src.into(),
        pieces,
    })
}

/// Distance to the nearest of all pieces, brute force: every segment by
/// the geodesy layer's foot of the perpendicular (which once failed to
/// converge for a point of this data: it must not now).
fn dist(g: &Gnomonic, l: &ClaimLine, p: (f64, f64)) -> f64 {
    let mut best = f64::INFINITY;
    for piece in &l.pieces {
        for w in piece.windows(2) {
            let n = nearest_on_segment(
                g,
                terminus_geodesy::LatLon::from_pair(w[0]),
                terminus_geodesy::LatLon::from_pair(w[1]),
                terminus_geodesy::LatLon::from_pair(p),
            )
            .unwrap_or_else(|e| panic!("{p:?} on {:?}–{:?}: {e}", w[0], w[1]));
            best = best.min(n.distance);
        }
    }
    best
}

fn check(region: &str, a: &str, b: &str) {
    let (Some(la), Some(lb)) = (line(region, a), line(region, b)) else {
        return;
    };
    let t = std::time::Instant::now();
    let m = compromise_median(&la, &lb, &MedianOptions::default()).unwrap();
    let took = t.elapsed().as_secs_f64();
    let g = Gnomonic::new(Ellipsoid::WGS84);
    let mut worst: f64 = 0.0;
    let mut n = 0;
    // Pieces traced between their region's bounding stretches alone are
    // equidistant from those, not from the whole claims: checked by their
    // own base points (same distance both sides) only.
    for (k, piece) in m.pieces.iter().enumerate() {
        if m.local.contains(&k) {
            for v in &piece.vertices {
                assert!((v.base_a[0].distance - v.base_b[0].distance).abs() < 1e-6);
            }
            continue;
        }
        for v in &piece.vertices {
            let (da, db) = (dist(&g, &la, (v.lat, v.lon)), dist(&g, &lb, (v.lat, v.lon)));
            worst = worst.max((da - db).abs());
            n += 1;
        }
    }
    eprintln!(
        "{region} {a}–{b}: {} regions, {} pieces ({} local), {n} vertices ({} traced), {:.1} km, {} skipped, worst |dA − dB| {worst:.2e} m, {:.1} s",
        m.regions,
        m.pieces.len(),
        m.local.len(),
        m.pieces.iter().map(|p| p.traced_points).sum::<usize>(),
        m.length_m() / 1000.0,
        m.skipped.len(),
        took
    );
    for s in &m.skipped {
        eprintln!(
            "  skipped {:?} {:.0} m²: {}",
            s.inside_at, s.area_m2, s.reason
        );
    }
    assert!(worst <= 1e-3, "{worst}");
    assert!(m.regions > 10);
}

#[test]
fn natural_earth_and_osm_armenia_azerbaijan() {
    check("am_az", "naturalearth10m", "geomaps_osm10m");
}

#[test]
fn osm_and_dcw_kyrgyzstan_tajikistan() {
    check("kg_tj", "geomaps_osm10m", "dcw_gmt");
}
