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
