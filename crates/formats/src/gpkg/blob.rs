//! GeoPackage binary geometry: `GP`, version, flags, srs_id, envelope, WKB
//! (GeoPackage 1.3 §2.1.3).

use crate::wkb;
use terminus_vector::Geometry;

/// Encode a geometry as a GeoPackage blob with an XY envelope (none for
/// points, whose envelope is the point itself, as GDAL writes them).
pub fn encode_blob(g: &Geometry, srs_id: i32, buf: &mut Vec<u8>) {
    buf.clear();
    let empty = g.is_empty();
    let bbox = if matches!(g, Geometry::Point(_)) || empty {
        None
    } else {
        g.bbox()
    };
    // flags: bit 0 little-endian, bits 1-3 envelope (1 = xy), bit 4 empty.
    let mut flags = 1u8;
    if bbox.is_some() {
        flags |= 1 << 1;
    }
    if empty {
        flags |= 1 << 4;
    }
    buf.extend_from_slice(b"GP");
    buf.push(0);
    buf.push(flags);
    buf.extend_from_slice(&srs_id.to_le_bytes());
    if let Some(b) = bbox {
        for v in [b.min_x, b.max_x, b.min_y, b.max_y] {
            buf.extend_from_slice(&v.to_le_bytes());
        }
    }
    wkb::encode(g, buf);
}

/// Decode a GeoPackage blob: `(srs_id, geometry)`; `None` for an empty one.
pub fn decode_blob(b: &[u8]) -> Result<(i32, Option<Geometry>), String> {
    if b.len() < 8 || &b[0..2] != b"GP" {
        return Err("not a GeoPackage geometry blob (no \"GP\" magic)".into());
    }
    let flags = b[3];
    if flags & (1 << 5) != 0 {
        return Err("extended GeoPackage geometry types are not supported".into());
    }
    let le = flags & 1 == 1;
    let raw = [b[4], b[5], b[6], b[7]];
    let srs_id = if le {
        i32::from_le_bytes(raw)
    } else {
        i32::from_be_bytes(raw)
    };
    let env_len = match (flags >> 1) & 0b111 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        e => return Err(format!("invalid envelope indicator {e}")),
    };
    let start = 8 + env_len;
    let body = b.get(start..).ok_or("blob shorter than its envelope")?;
    Ok((srs_id, wkb::decode(body)?))
}
