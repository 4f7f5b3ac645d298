//! Map projections: transverse Mercator (Krüger series, Karney 2011) for UTM
//! and Gauss–Krüger grids, and Web Mercator for display.

pub mod tm;
pub mod web_mercator;

pub use tm::TransverseMercator;
