//! A road between a user's CRS and WGS 84: one named EPSG transformation,
//! used both ways.
//!
//! Built once per input layer, a [`Road`] carries the forward
//! (user's CRS → WGS 84) and the back (WGS 84 → user's CRS) operations made
//! from the same EPSG transformation, so a result written in the user's CRS
//! (a catalogue's SK-42 and Gauss–Krüger columns) goes back through exactly
//! the operation that brought the data in: a coordinate the commission
//! supplied comes back as supplied (to the Helmert round trip, under a
//! micrometre). Mixing two transformations is impossible by construction:
//! a workflow that writes in the user's CRS takes the input's `Road`, not
//! an EPSG code of its own.

use crate::failure::Failure;
use serde::Serialize;
use terminus_geodesy::crs::transform::{CrsTransform, TransformError};
use terminus_geodesy::datum::Transformation;
use terminus_geodesy::{Crs, LatLon, Xy};
use terminus_vector::Layer;

/// Distance outside a transformation's area of use that is reported, metres.
/// EPSG extents are boxes drawn round the stations; a few kilometres past
/// the edge is the same ground.
pub const OUTSIDE_AREA_REPORTED_M: f64 = 10_000.0;

/// How the transformation was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "how")]
pub enum Choice {
    /// No datum step: the CRS is on WGS 84 (or a PROJ string's +towgs84).
    NotNeeded,
    /// The user named it (`--op`).
    Named,
    /// EPSG's most accurate one valid at this point (latitude, longitude on
    /// the source datum), chosen as PROJ chooses.
    MostAccurateAt {
        /// Latitude, degrees.
        lat: f64,
        /// Longitude, degrees.
        lon: f64,
    },
}

/// The transformation a road takes, as provenance records it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TransformationRecord {
    /// The user's CRS, e.g. `EPSG:28408`.
    pub from: String,
    /// Its name.
    pub from_name: String,
    /// Always `EPSG:4326`: the engines work on WGS 84.
    pub to: String,
    /// The EPSG datum transformation, e.g. `EPSG:1808`; `None` when none is needed.
    pub operation: Option<String>,
    /// Its EPSG name.
    pub operation_name: Option<String>,
    /// The accuracy EPSG states for it, metres.
    pub accuracy_m: Option<f64>,
    /// How it was chosen.
    pub chosen: Choice,
}

/// A user's CRS ⇄ WGS 84, through one named transformation.
#[derive(Debug, Clone)]
pub struct Road {
    crs: Crs,
    forward: CrsTransform,
    back: CrsTransform,
    choice: Choice,
}

fn transform_failure(crs: &Crs, e: TransformError) -> Failure {
    let f = Failure::usage(format!("cannot transform {} to WGS 84: {e}", crs.id()));
    match e {
        TransformError::NoneValidAt(..) | TransformError::UnknownOperation(_) => {
            f.hint("name the Pulkovo 1942 → WGS 84 transformation with --op EPSG:CODE; `terminus crs ops` lists them")
        }
        _ => f,
    }
}

impl Road {
    /// The road of data already on WGS 84.
    pub fn wgs84() -> Road {
        Road::new(&Crs::WGS84, None, None).expect("WGS 84 to itself always exists")
    }

    /// The road from `crs`, through `op` when named, else through EPSG's
    /// most accurate transformation valid at `at` (a position on the source
    /// datum).
    pub fn new(crs: &Crs, op: Option<u32>, at: Option<LatLon>) -> Result<Road, Failure> {
        let forward =
            CrsTransform::new(crs, &Crs::WGS84, op, at).map_err(|e| transform_failure(crs, e))?;
        // Back through the same EPSG code that came forward.
        let code = forward.operation().map(|o| o.code).or(op);
        let back =
            CrsTransform::new(&Crs::WGS84, crs, code, at).map_err(|e| transform_failure(crs, e))?;
        let choice = match (forward.operation(), op, at) {
            (None, _, _) => Choice::NotNeeded,
            (Some(_), Some(_), _) => Choice::Named,
            (Some(_), None, Some(at)) => Choice::MostAccurateAt {
                lat: at.lat,
                lon: at.lon,
            },
            (Some(_), None, None) => Choice::Named,
        };
        Ok(Road {
            crs: crs.clone(),
            forward,
            back,
            choice,
        })
    }

    /// The road for data whose first coordinate is `first` (x, y in `crs`):
    /// the transformation is chosen there unless `op` names one.
    pub fn at_data(crs: &Crs, op: Option<u32>, first: Option<Xy>) -> Result<Road, Failure> {
        let at = match (op, first) {
            (None, Some(p)) => CrsTransform::new(crs, crs, None, None)
                .ok()
                .map(|t| t.source_geographic(p)),
            _ => None,
        };
        Road::new(crs, op, at)
    }

    /// The user's CRS.
    pub fn crs(&self) -> &Crs {
        &self.crs
    }

    /// Whether the road moves nothing (data on WGS 84 geographic).
    pub fn is_identity(&self) -> bool {
        self.crs == Crs::WGS84 || self.crs.id() == "EPSG:4326"
    }

    /// The EPSG datum transformation taken, if any.
    pub fn operation(&self) -> Option<&'static Transformation> {
        self.forward.operation()
    }

    /// Its EPSG code.
    pub fn operation_code(&self) -> Option<u32> {
        self.operation().map(|o| o.code)
    }

    /// How it was chosen.
    pub fn choice(&self) -> Choice {
        self.choice
    }

    /// A coordinate in the user's CRS → its position on WGS 84.
    pub fn to_wgs84(&self, p: Xy) -> Result<LatLon, TransformError> {
        self.forward.apply(p).map(Xy::latlon)
    }

    /// A position on WGS 84 → the user's CRS, through the same
    /// transformation.
    pub fn from_wgs84(&self, p: LatLon) -> Result<Xy, TransformError> {
        self.back.apply(Xy::from_latlon(p))
    }

    /// What provenance records of this road.
    pub fn record(&self) -> TransformationRecord {
        let op = self.operation();
        TransformationRecord {
            from: self.crs.id(),
            from_name: self.crs.name(),
            to: "EPSG:4326".into(),
            operation: op.map(|o| format!("EPSG:{}", o.code)),
            operation_name: op.map(|o| o.name.to_string()),
            accuracy_m: op.map(|o| o.accuracy_m),
            chosen: self.choice,
        }
    }

    /// One line for people: "EPSG:28408 → EPSG:4326 through EPSG:1808 (…, 3 m), named with --op".
    pub fn describe(&self) -> String {
        let r = self.record();
        match (&r.operation, &r.operation_name, r.accuracy_m) {
            (Some(code), Some(name), Some(acc)) => format!(
                "{} → EPSG:4326 through {code} ({name}, {acc} m), {}",
                r.from,
                match r.chosen {
                    Choice::Named => "named with --op".to_string(),
                    Choice::MostAccurateAt { lat, lon } =>
                        format!("EPSG's most accurate valid at {lat:.4}°N {lon:.4}°E"),
                    Choice::NotNeeded => String::new(),
                }
            ),
            _ if self.is_identity() => "WGS 84 as read".into(),
            _ => format!("{} → EPSG:4326 (no datum step)", r.from),
        }
    }

    /// A warning when `layer` (already on WGS 84) lies more than
    /// [`OUTSIDE_AREA_REPORTED_M`] outside the transformation's area of use.
    pub fn outside_area_warning(&self, path: &std::path::Path, layer: &Layer) -> Option<String> {
        let op = self.operation()?;
        let mut worst: Option<(f64, f64, f64)> = None;
        for c in layer
            .features
            .iter()
            .filter_map(|f| f.geometry.as_ref())
            .flat_map(|g| g.coords())
        {
            if op.area.contains(c.to_xy().latlon()) {
                continue;
            }
            let d = op.area.distance_outside_m(c.to_xy().latlon());
            if worst.is_none_or(|w| d > w.0) {
                worst = Some((d, c.y, c.x));
            }
        }
        let (d, lat, lon) = worst?;
        (d > OUTSIDE_AREA_REPORTED_M).then(|| {
            format!(
                "{}: layer \"{}\" reaches {:.1} km outside the area of use of EPSG:{} ({}: {}) at {lat:.5}°N {lon:.5}°E: its stated accuracy of {} m does not hold there",
                path.display(),
                layer.name,
                d / 1000.0,
                op.code,
                op.name,
                op.area.name,
                op.accuracy_m
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Gauss–Krüger zone 8 point goes to WGS 84 and back through the same
    /// transformation to well under a millimetre, for each of two EPSG
    /// transformations that differ by metres from each other.
    #[test]
    fn both_ways_through_one_transformation() {
        let (x, y) = (8_542_635.386, 4_440_830.949);
        let mut there = Vec::new();
        for op in [1808, 15865] {
            let r = Road::new(&Crs::Epsg(28408), Some(op), None).unwrap();
            assert_eq!(r.operation_code(), Some(op));
            assert_eq!(r.choice(), Choice::Named);
            let p = r.to_wgs84(Xy::new(x, y)).unwrap();
            let b = r.from_wgs84(p).unwrap();
            assert!(
                (b.x - x).abs() < 1e-6 && (b.y - y).abs() < 1e-6,
                "{op}: {b:?}"
            );
            there.push(p);
        }
        // The two transformations put the point metres apart: mixing them
        // is what the road makes impossible.
        let d = terminus_geodesy::measure::path_length(
            &terminus_geodesy::Ellipsoid::WGS84,
            [there[0], there[1]],
        );
        assert!(d > 1.0, "{d}");
    }

    #[test]
    fn chosen_at_the_data_and_named() {
        let r = Road::at_data(
            &Crs::Epsg(28408),
            None,
            Some(Xy::new(8_542_635.386, 4_440_830.949)),
        )
        .unwrap();
        assert!(matches!(r.choice(), Choice::MostAccurateAt { .. }));
        let code = r.operation_code().unwrap();
        assert!(
            r.describe().contains(&format!("EPSG:{code}")),
            "{}",
            r.describe()
        );
        assert!(Road::wgs84().is_identity());
        assert_eq!(Road::wgs84().record().operation, None);
    }
}
