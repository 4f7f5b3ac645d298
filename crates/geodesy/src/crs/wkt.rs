//! OGC WKT 1 output for registry CRSs (the GDAL flavour, with AUTHORITY nodes,
//! as GeoPackage's `gpkg_spatial_ref_sys.definition` and `.prj` files carry).

use super::registry::{lookup, CrsDefinition};
use super::{AxisOrder, CrsKind};

fn geogcs(def: &CrsDefinition) -> String {
    let base = if def.base_geographic == def.code {
        def.clone()
    } else {
        lookup(def.base_geographic).unwrap_or_else(|| def.clone())
    };
    let e = base.ellipsoid;
    format!(
        "GEOGCS[\"{}\",DATUM[\"{}\",SPHEROID[\"{}\",{},{},AUTHORITY[\"EPSG\",\"{}\"]],AUTHORITY[\"EPSG\",\"{}\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AUTHORITY[\"EPSG\",\"{}\"]]",
        base.name,
        base.datum,
        e.name,
        e.a,
        e.inv_f,
        e.epsg.unwrap_or(0),
        base.datum_code,
        base.code
    )
}

pub(super) fn ogc_wkt1(def: &CrsDefinition) -> String {
    let (axis_x, axis_y) = match def.axis_order {
        AxisOrder::NorthEast => ("AXIS[\"X\",NORTH]", "AXIS[\"Y\",EAST]"),
        _ => ("AXIS[\"Easting\",EAST]", "AXIS[\"Northing\",NORTH]"),
    };
    match def.kind {
        CrsKind::Geographic => geogcs(def),
        CrsKind::TransverseMercator {
            lat0,
            lon0,
            k0,
            false_easting,
            false_northing,
        } => format!(
            "PROJCS[\"{}\",{},PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"latitude_of_origin\",{}],PARAMETER[\"central_meridian\",{}],PARAMETER[\"scale_factor\",{}],PARAMETER[\"false_easting\",{}],PARAMETER[\"false_northing\",{}],UNIT[\"metre\",1,AUTHORITY[\"EPSG\",\"9001\"]],{},{},AUTHORITY[\"EPSG\",\"{}\"]]",
            def.name, geogcs(def), lat0, lon0, k0, false_easting, false_northing, axis_x, axis_y, def.code
        ),
        CrsKind::WebMercator => format!(
            "PROJCS[\"{}\",{},PROJECTION[\"Mercator_1SP\"],PARAMETER[\"central_meridian\",0],PARAMETER[\"scale_factor\",1],PARAMETER[\"false_easting\",0],PARAMETER[\"false_northing\",0],UNIT[\"metre\",1,AUTHORITY[\"EPSG\",\"9001\"]],{},{},EXTENSION[\"PROJ4\",\"+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs\"],AUTHORITY[\"EPSG\",\"{}\"]]",
            def.name, geogcs(def), axis_x, axis_y, def.code
        ),
    }
}
