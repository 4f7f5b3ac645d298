//! Where the tests and benchmarks find the real data: `../shared/data`
//! beside the checkout (its README lists the boundary lines, the DEM, the
//! places and the GeographicLib and EPSG test data).
//!
//! One rule for every crate's tests: on a developer's machine without the
//! data, a test that needs it says so on stderr and passes without
//! asserting anything; in CI (`CI=true`) the data must be there, and its
//! absence fails the test rather than skipping it unseen.
//!
//! ```
//! if let Some(path) = terminus_testdata::shared_data("geodesy/GeodTest-100.dat") {
//!     assert!(path.ends_with("shared/data/geodesy/GeodTest-100.dat"));
//! }
//! ```

use std::path::PathBuf;

/// `../shared/data/<rel>` beside the checkout, or `None` (with a note on
/// stderr) when it is absent.
///
/// # Panics
///
/// When the file is absent and `CI` is `true`: CI must run the real-data
/// tests.
pub fn shared_data(rel: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel);
    if path.exists() {
        Some(path)
    } else if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "{} is missing: CI must have ../shared/data beside the checkout",
            path.display()
        );
    } else {
        eprintln!(
            "SKIPPED: {} is absent (../shared/data not beside the checkout)",
            path.display()
        );
        None
    }
}

/// A table of Gauss–Krüger turning points as Russian spreadsheets export
/// it: `№;Точка;X, м;Y, м`, separated by `;`, decimal commas, X the
/// northing and Y the easting with the zone prefix, to the centimetre —
/// the form the input road must read (`--as-line`, `--x-column "Y, м"
/// --y-column "X, м"`).
pub fn gk_point_table(points: &[(f64, f64)]) -> String {
    let mut text = String::from("№;Точка;X, м;Y, м\n");
    for (i, (x, y)) in points.iter().enumerate() {
        text.push_str(&format!(
            "{};ТП-{};{};{}\n",
            i + 1,
            i + 1,
            format!("{x:.2}").replace('.', ","),
            format!("{y:.2}").replace('.', ",")
        ));
    }
    text
}

/// The engines hold lines as `(latitude, longitude)` pairs; geodesy's
/// public functions take typed positions. The brute-force checks in the
/// engines' tests (every traced vertex equidistant, every pillar on its
/// line) go through here, so the conversion is written once.
pub mod pairs {
    use terminus_geodesy::geodesic::{GeodesicError, Gnomonic, Nearest};
    use terminus_geodesy::LatLon;

    /// [`terminus_geodesy::geodesic::nearest_on_polyline`] on `(lat, lon)` pairs.
    pub fn nearest_on_polyline(
        g: &Gnomonic,
        line: &[(f64, f64)],
        p: (f64, f64),
    ) -> Result<Nearest, GeodesicError> {
        let line: Vec<LatLon> = line.iter().map(|&q| LatLon::from_pair(q)).collect();
        terminus_geodesy::geodesic::nearest_on_polyline(g, &line, LatLon::from_pair(p))
    }
}

/// `data/<name>` of the checkout: the public-domain excerpts bundled with
/// Terminus (data/README.md), which every test may use without skipping.
pub fn bundled(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data")
        .join(name)
}

/// The bundled Natural Earth Kyrgyz–Tajik line's first piece, (lat, lon).
pub fn ne_kg_tj_line() -> Vec<(f64, f64)> {
    let text = std::fs::read_to_string(bundled("naturalearth10m_KGZ_TJK_shared.geojson"))
        .unwrap_or_default();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    v["features"][0]["geometry"]["coordinates"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| Some((c.get(1)?.as_f64()?, c.get(0)?.as_f64()?)))
        .collect()
}

/// The part of that line on the bundled GEBCO Alay excerpt (62 turning
/// points, 171.5 km), (lat, lon): the demarcation tests' sector.
pub fn alay_sector() -> Vec<(f64, f64)> {
    ne_kg_tj_line()
        .into_iter()
        .take_while(|&(lat, lon)| (72.02..=74.48).contains(&lon) && (38.62..=39.98).contains(&lat))
        .collect()
}

/// Write `dir/name` as a GeoJSON MultiLineString of `parts` given as
/// (lat, lon) (a claim line, a bank, a shore for a test) and return its
/// path.
pub fn line_file(dir: &std::path::Path, name: &str, parts: &[Vec<(f64, f64)>]) -> PathBuf {
    let coords: Vec<String> = parts
        .iter()
        .map(|p| {
            let c: Vec<String> = p
                .iter()
                .map(|(lat, lon)| format!("[{lon},{lat}]"))
                .collect();
            format!("[{}]", c.join(","))
        })
        .collect();
    let path = dir.join(name);
    let text = format!(
        r#"{{"type":"MultiLineString","coordinates":[{}]}}"#,
        coords.join(",")
    );
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    path
}

/// The decimal figures of a report (numbers with a decimal point, a full
/// stop after a number taken as the sentence's), up to its provenance
/// section: what a translated report must carry unchanged, in order.
pub fn report_figures(report: &str) -> Vec<String> {
    let body = &report[..report.find("## Provenance").unwrap_or(report.len())];
    body.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map(|w| w.trim_end_matches('.'))
        .filter(|w| w.contains('.') && w.len() > 2)
        .map(str::to_string)
        .collect()
}
