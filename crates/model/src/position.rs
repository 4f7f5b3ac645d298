//! A position always carries its CRS.

use serde::{Deserialize, Serialize};
use terminus_geodesy::Crs;

/// A point with its CRS and, where known, its horizontal accuracy.
///
/// ```
/// use terminus_model::Position;
/// use terminus_geodesy::Crs;
/// let p = Position::new(Crs::WGS84, 45.5102, 40.6375).with_accuracy(0.02);
/// let json = serde_json::to_value(&p).unwrap();
/// assert_eq!(json["crs"], "EPSG:4326");
/// assert_eq!(json["x"], 45.5102);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Position {
    /// The CRS of `x` and `y`.
    pub crs: Crs,
    /// Easting or longitude (degrees).
    pub x: f64,
    /// Northing or latitude (degrees).
    pub y: f64,
    /// Horizontal accuracy, metres (1σ, or as the source states it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accuracy_m: Option<f64>,
}

impl Position {
    /// A position in `crs`.
    pub fn new(crs: Crs, x: f64, y: f64) -> Position {
        Position {
            crs,
            x,
            y,
            accuracy_m: None,
        }
    }
    /// With a horizontal accuracy in metres.
    pub fn with_accuracy(mut self, metres: f64) -> Position {
        self.accuracy_m = Some(metres);
        self
    }
}

/// What a height is measured from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum HeightReference {
    /// Above the ellipsoid of the position's CRS (what GNSS gives).
    Ellipsoidal,
    /// Above a vertical datum, e.g. "Baltic 1977" or "EGM2008".
    Orthometric {
        /// The vertical datum's name.
        datum: String,
    },
    /// Read from a DEM, e.g. "GEBCO 2023", with its stated accuracy.
    Dem {
        /// The DEM's name and version.
        dem: String,
    },
}

/// A height with what it is measured from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Height {
    /// Metres.
    pub metres: f64,
    /// Reference surface.
    pub reference: HeightReference,
    /// Vertical accuracy, metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accuracy_m: Option<f64>,
}
