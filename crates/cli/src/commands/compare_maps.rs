//! Maps of a comparison, written as SVG and PNG.

use crate::failure::Failure;
use std::path::Path;
use terminus_app::output::write_text;
use terminus_compare::report::MapRef;
use terminus_compare::Comparison;

/// Draw the overview and the `per_pair` largest discrepancies of each pair into `dir/maps`.
pub fn write(
    dir: &Path,
    c: &Comparison,
    per_pair: usize,
    overwrite: bool,
) -> Result<Vec<MapRef>, Failure> {
    let maps_dir = dir.join("maps");
    std::fs::create_dir_all(&maps_dir)?;
    let mut refs = Vec::new();
    for m in terminus_compare::maps::maps(c, per_pair) {
        let svg = m.map.to_svg();
        write_text(&maps_dir.join(format!("{}.svg", m.stem)), &svg, overwrite)?;
        let png = m.map.to_png().map_err(|e| Failure::failed(e.to_string()))?;
        let path = maps_dir.join(format!("{}.png", m.stem));
        if path.exists() && !overwrite {
            return Err(Failure::usage(format!("{} exists", path.display()))
                .hint("add --overwrite to replace it"));
        }
        std::fs::write(&path, png)?;
        refs.push(MapRef {
            caption: m.caption,
            svg: format!("maps/{}.svg", m.stem),
            svg_text: svg,
        });
    }
    Ok(refs)
}
