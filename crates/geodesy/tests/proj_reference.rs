//! Projections and datum transformations against PROJ 9.1.1 (`cs2cs`,
//! `cct`): 27,915 reference vectors over the Caucasus and Central Asia made
//! by tests/fixtures/proj/make_fixtures.py — WGS 84 → UTM 37N–44N, Pulkovo
//! 1942 → Gauss–Krüger 6° zones 7–14 with and without the zone prefix and 3°
//! zones 13–27, and every Pulkovo 1942 → WGS 84 transformation. Tolerance 1 mm.

use std::collections::BTreeMap;
use terminus_geodesy::crs::transform::CrsTransform;
use terminus_geodesy::{AxisOrder, Crs, Xy};

fn to_xy(crs: &Crs, a: f64, b: f64) -> Xy {
    match crs.definition().unwrap().axis_order {
        AxisOrder::LatLon | AxisOrder::NorthEast => Xy::new(b, a),
        AxisOrder::EastNorth => Xy::new(a, b),
    }
}

/// Ground distance in metres between two points of `crs` (degrees are
/// scaled by the radius of curvature; good to far below a millimetre here).
fn metres(crs: &Crs, p: Xy, q: Xy) -> f64 {
    if crs.is_geographic() {
        let k = 6_378_137.0_f64.to_radians();
        ((p.x - q.x) * k * p.y.to_radians().cos()).hypot((p.y - q.y) * k)
    } else {
        (p.x - q.x).hypot(p.y - q.y)
    }
}

#[test]
fn agrees_with_proj_to_a_millimetre() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/proj/cs2cs_reference.txt"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let mut worst: BTreeMap<(String, String, String), (f64, usize)> = BTreeMap::new();
    let mut cache: BTreeMap<(String, String, String), CrsTransform> = BTreeMap::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split_whitespace().collect();
        let (src, dst, op) = (Crs::parse(f[0]).unwrap(), Crs::parse(f[1]).unwrap(), f[2]);
        let n: Vec<f64> = f[3..7].iter().map(|x| x.parse().unwrap()).collect();
        let key = (f[0].to_string(), f[1].to_string(), op.to_string());
        let t = cache.entry(key.clone()).or_insert_with(|| {
            let code = op.strip_prefix("EPSG:").map(|c| c.parse().unwrap());
            CrsTransform::new(&src, &dst, code, None).unwrap()
        });
        let got = t.apply(to_xy(&src, n[0], n[1])).unwrap();
        let want = to_xy(&dst, n[2], n[3]);
        let e = metres(&dst, got, want);
        let w = worst.entry(key).or_insert((0.0, 0));
        w.0 = w.0.max(e);
        w.1 += 1;
    }
    let mut failed = Vec::new();
    for ((s, d, op), (e, count)) in &worst {
        eprintln!("{s} → {d} {op}: {count} points, worst {:.3e} m", e);
        if *e > 1e-3 {
            failed.push(format!("{s} → {d} {op}: {e} m"));
        }
    }
    assert!(worst.len() >= 48, "{} CRS pairs", worst.len());
    assert!(failed.is_empty(), "{failed:#?}");
}
