//! Geodesic length and area of the bundled Natural Earth sample against
//! GeographicLib's own command-line tools, run independently on the same
//! vertices (GeographicLib 2.1.2, Debian `geographiclib-tools`):
//!
//! * `Planimeter -p 10`, each ring given as `lat lon` lines; the polygon's
//!   area is |exterior| − Σ|holes|, summed over its parts.
//! * `GeodSolve -i -p 10`, each segment of each line.

use std::path::PathBuf;
use terminus_formats::{read, ReadOptions};
use terminus_vector::measure::GeodesicMeasure;

fn layer(name: &str) -> terminus_vector::Layer {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data")
        .join(name);
    read(&p, &ReadOptions::default()).unwrap().layers.remove(0)
}

fn totals(l: &terminus_vector::Layer) -> (f64, f64, f64) {
    let mut t = (0.0, 0.0, 0.0);
    for g in l.features.iter().filter_map(|f| f.geometry.as_ref()) {
        t.0 += g.geodesic_length(&l.crs).unwrap();
        t.1 += g.geodesic_perimeter(&l.crs).unwrap();
        t.2 += g.geodesic_area(&l.crs).unwrap();
    }
    t
}

#[test]
fn armenia_and_azerbaijan_areas_match_planimeter() {
    let (_, per, area) = totals(&layer("naturalearth10m_ARM.geojson"));
    assert!((area - 29_588_310_318.547_8).abs() < 0.01, "{area}");
    assert!((per - 1_207_708.667_834).abs() < 1e-5, "{per}");
    let (_, per, area) = totals(&layer("naturalearth10m_AZE.geojson"));
    assert!((area - 86_249_805_364.783_0).abs() < 0.01, "{area}");
    assert!((per - 2_652_440.323_658).abs() < 1e-5, "{per}");
}

#[test]
fn boundary_line_length_matches_geodsolve() {
    let (len, _, _) = totals(&layer("naturalearth10m_ARM_AZE_shared.geojson"));
    assert!((len - 753_905.352_635_003).abs() < 1e-6, "{len}");
}

/// The same line stored in UTM 38N and in Pulkovo 1942 / GK zone 8 measures
/// the same on the ellipsoid (vertices unprojected, then geodesics).
#[test]
fn projected_layers_measure_on_their_ellipsoid() {
    use terminus_geodesy::crs::transform::CrsTransform;
    use terminus_geodesy::Crs;
    let l = layer("naturalearth10m_ARM_AZE_shared.geojson");
    let (wgs_len, _, _) = totals(&l);
    let mut utm = l.clone();
    let t = CrsTransform::new(&Crs::WGS84, &Crs::Epsg(32638), None, None).unwrap();
    for f in &mut utm.features {
        f.geometry.as_mut().unwrap().map_coords(&mut |c| {
            let terminus_geodesy::Xy { x, y } = t.apply(c.to_xy()).unwrap();
            c.x = x;
            c.y = y;
        });
    }
    utm.crs = Crs::Epsg(32638);
    let (utm_len, _, _) = totals(&utm);
    assert!((utm_len - wgs_len).abs() < 1e-5, "{utm_len} vs {wgs_len}");
    // Armenia in Pulkovo 1942 lat/lon and in GK zone 8 (both on Krassowsky,
    // through EPSG:15865): the projection must not change the measure.
    let arm = layer("naturalearth10m_ARM.geojson");
    let moved = |to: u32| {
        let mut l = arm.clone();
        let t = CrsTransform::new(&Crs::WGS84, &Crs::Epsg(to), Some(15865), None).unwrap();
        for f in &mut l.features {
            f.geometry.as_mut().unwrap().map_coords(&mut |c| {
                let terminus_geodesy::Xy { x, y } = t.apply(c.to_xy()).unwrap();
                c.x = x;
                c.y = y;
            });
        }
        l.crs = Crs::Epsg(to);
        totals(&l)
    };
    let (_, per_geo, area_geo) = moved(4284);
    let (_, per_gk, area_gk) = moved(28408);
    assert!((area_gk - area_geo).abs() < 1e-3, "{area_gk} vs {area_geo}");
    assert!((per_gk - per_geo).abs() < 1e-6, "{per_gk} vs {per_geo}");
}

/// A layer in a PROJ-string CRS (UTM 38N spelt out, no datum needed to
/// measure) measures as the same layer in WGS 84.
#[test]
fn proj_string_layers_measure_too() {
    use terminus_geodesy::crs::transform::CrsTransform;
    use terminus_geodesy::Crs;
    let l = layer("naturalearth10m_ARM_AZE_shared.geojson");
    let (wgs_len, _, _) = totals(&l);
    let mut p = l.clone();
    let t = CrsTransform::new(&Crs::WGS84, &Crs::Epsg(32638), None, None).unwrap();
    for f in &mut p.features {
        f.geometry.as_mut().unwrap().map_coords(&mut |c| {
            let terminus_geodesy::Xy { x, y } = t.apply(c.to_xy()).unwrap();
            c.x = x;
            c.y = y;
        });
    }
    p.crs = Crs::Custom(
        "+proj=tmerc +lat_0=0 +lon_0=45 +k=0.9996 +x_0=500000 +y_0=0 +ellps=WGS84 +units=m".into(),
    );
    let (len, _, _) = totals(&p);
    assert!((len - wgs_len).abs() < 1e-5, "{len} vs {wgs_len}");
}
