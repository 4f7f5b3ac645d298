//! Well-Known Binary (ISO 19125 / SQL-MM, with the ISO Z codes 1001–1007;
//! EWKB's Z flag and M dimensions are read, M values dropped).
//!
//! Written little-endian. A Z geometry whose positions lack some heights
//! stores NaN there, and NaN heights read back as absent: lossless.

use terminus_vector::{Coord, Geometry, GeometryType, Polygon};

/// Append the ISO WKB of `g` to `buf`.
pub fn encode(g: &Geometry, buf: &mut Vec<u8>) {
    let z = g.has_z();
    encode_inner(g, z, buf);
}

fn header(buf: &mut Vec<u8>, t: GeometryType, z: bool) {
    buf.push(1);
    let code = t.wkb_code() + if z { 1000 } else { 0 };
    buf.extend_from_slice(&code.to_le_bytes());
}

fn coord(buf: &mut Vec<u8>, c: &Coord, z: bool) {
    buf.extend_from_slice(&c.x.to_le_bytes());
    buf.extend_from_slice(&c.y.to_le_bytes());
    if z {
        buf.extend_from_slice(&c.z.unwrap_or(f64::NAN).to_le_bytes());
    }
}

fn points(buf: &mut Vec<u8>, p: &[Coord], z: bool) {
    buf.extend_from_slice(&(p.len() as u32).to_le_bytes());
    for c in p {
        coord(buf, c, z);
    }
}

fn polygon(buf: &mut Vec<u8>, p: &Polygon, z: bool) {
    buf.extend_from_slice(&(p.rings.len() as u32).to_le_bytes());
    for r in &p.rings {
        points(buf, r, z);
    }
}

fn encode_inner(g: &Geometry, z: bool, buf: &mut Vec<u8>) {
    header(buf, g.geometry_type(), z);
    match g {
        Geometry::Point(c) => coord(buf, c, z),
        Geometry::LineString(p) => points(buf, p, z),
        Geometry::Polygon(p) => polygon(buf, p, z),
        Geometry::MultiPoint(ps) => {
            buf.extend_from_slice(&(ps.len() as u32).to_le_bytes());
            for c in ps {
                header(buf, GeometryType::Point, z);
                coord(buf, c, z);
            }
        }
        Geometry::MultiLineString(ps) => {
            buf.extend_from_slice(&(ps.len() as u32).to_le_bytes());
            for p in ps {
                header(buf, GeometryType::LineString, z);
                points(buf, p, z);
            }
        }
        Geometry::MultiPolygon(ps) => {
            buf.extend_from_slice(&(ps.len() as u32).to_le_bytes());
            for p in ps {
                header(buf, GeometryType::Polygon, z);
                polygon(buf, p, z);
            }
        }
        Geometry::GeometryCollection(gs) => {
            buf.extend_from_slice(&(gs.len() as u32).to_le_bytes());
            for m in gs {
                encode_inner(m, z, buf);
            }
        }
    }
}

/// Decode WKB. `Ok(None)` for an empty point (NaN coordinates).
pub fn decode(bytes: &[u8]) -> Result<Option<Geometry>, String> {
    let mut r = Reader { b: bytes, pos: 0 };
    let g = r.geometry(0)?;
    if r.pos != bytes.len() {
        return Err(format!(
            "{} bytes left over after the geometry",
            bytes.len() - r.pos
        ));
    }
    Ok(match g {
        Geometry::Point(c) if c.x.is_nan() && c.y.is_nan() => None,
        g => Some(g),
    })
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let s = self
            .b
            .get(self.pos..self.pos + N)
            .ok_or_else(|| format!("WKB ends early at byte {} of {}", self.pos, self.b.len()))?;
        self.pos += N;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }
    fn u32(&mut self, le: bool) -> Result<u32, String> {
        let a = self.take::<4>()?;
        Ok(if le {
            u32::from_le_bytes(a)
        } else {
            u32::from_be_bytes(a)
        })
    }
    fn f64(&mut self, le: bool) -> Result<f64, String> {
        let a = self.take::<8>()?;
        Ok(if le {
            f64::from_le_bytes(a)
        } else {
            f64::from_be_bytes(a)
        })
    }
    fn count(&mut self, le: bool, min_bytes_each: usize) -> Result<usize, String> {
        let n = self.u32(le)? as usize;
        // A count larger than the bytes left is corrupt: refuse before allocating.
        if n.saturating_mul(min_bytes_each) > self.b.len() - self.pos {
            return Err(format!(
                "count {n} at byte {} exceeds the data",
                self.pos - 4
            ));
        }
        Ok(n)
    }
    fn coord(&mut self, le: bool, dims: Dims) -> Result<Coord, String> {
        let x = self.f64(le)?;
        let y = self.f64(le)?;
        let z = if dims.z { Some(self.f64(le)?) } else { None };
        if dims.m {
            self.f64(le)?;
        }
        Ok(Coord {
            x,
            y,
            z: z.filter(|z| !z.is_nan()),
        })
    }
    fn path(&mut self, le: bool, dims: Dims) -> Result<Vec<Coord>, String> {
        let n = self.count(le, 16)?;
        (0..n).map(|_| self.coord(le, dims)).collect()
    }
    fn polygon(&mut self, le: bool, dims: Dims) -> Result<Polygon, String> {
        let n = self.count(le, 4)?;
        Ok(Polygon::new(
            (0..n)
                .map(|_| self.path(le, dims))
                .collect::<Result<_, _>>()?,
        ))
    }
    fn head(&mut self) -> Result<(bool, u32, Dims), String> {
        let order = self.take::<1>()?[0];
        let le = match order {
            0 => false,
            1 => true,
            b => {
                return Err(format!(
                    "byte order {b} at byte {} is neither 0 nor 1",
                    self.pos - 1
                ))
            }
        };
        let raw = self.u32(le)?;
        let ewkb_z = raw & 0x8000_0000 != 0;
        let ewkb_m = raw & 0x4000_0000 != 0;
        let raw = raw & 0x0FFF_FFFF;
        let (base, iso) = (raw % 1000, raw / 1000);
        let dims = Dims {
            z: ewkb_z || iso == 1 || iso == 3,
            m: ewkb_m || iso == 2 || iso == 3,
        };
        if !(1..=7).contains(&base) || iso > 3 {
            return Err(format!("unsupported WKB geometry type {raw}"));
        }
        Ok((le, base, dims))
    }
    fn geometry(&mut self, depth: usize) -> Result<Geometry, String> {
        if depth > 32 {
            return Err("geometry collections nested too deep".into());
        }
        let (le, t, dims) = self.head()?;
        Ok(match t {
            1 => Geometry::Point(self.coord(le, dims)?),
            2 => Geometry::LineString(self.path(le, dims)?),
            3 => Geometry::Polygon(self.polygon(le, dims)?),
            4..=7 => {
                let n = self.count(le, 5)?;
                let members: Vec<Geometry> = (0..n)
                    .map(|_| self.geometry(depth + 1))
                    .collect::<Result<_, _>>()?;
                let wrong =
                    |want: &str| format!("a {want} member of a multi-geometry has another type");
                match t {
                    4 => Geometry::MultiPoint(
                        members
                            .into_iter()
                            .map(|m| {
                                if let Geometry::Point(c) = m {
                                    Ok(c)
                                } else {
                                    Err(wrong("point"))
                                }
                            })
                            .collect::<Result<_, _>>()?,
                    ),
                    5 => Geometry::MultiLineString(
                        members
                            .into_iter()
                            .map(|m| {
                                if let Geometry::LineString(p) = m {
                                    Ok(p)
                                } else {
                                    Err(wrong("line"))
                                }
                            })
                            .collect::<Result<_, _>>()?,
                    ),
                    6 => Geometry::MultiPolygon(
                        members
                            .into_iter()
                            .map(|m| {
                                if let Geometry::Polygon(p) = m {
                                    Ok(p)
                                } else {
                                    Err(wrong("polygon"))
                                }
                            })
                            .collect::<Result<_, _>>()?,
                    ),
                    _ => Geometry::GeometryCollection(members),
                }
            }
            _ => unreachable!("checked in head"),
        })
    }
}

#[derive(Clone, Copy)]
struct Dims {
    z: bool,
    m: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_all_types() {
        let ring = vec![
            Coord::xyz(0.0, 0.0, 1.0),
            Coord::xyz(1.0, 0.0, 2.0),
            Coord::xy(1.0, 1.0),
            Coord::xyz(0.0, 0.0, 1.0),
        ];
        let gs = vec![
            Geometry::Point(Coord::xy(45.5, 40.1)),
            Geometry::LineString(vec![Coord::xy(1.0, 2.0), Coord::xy(3.0, 4.0)]),
            Geometry::Polygon(Polygon::new(vec![ring.clone()])),
            Geometry::MultiPoint(vec![Coord::xy(1.0, 2.0)]),
            Geometry::MultiLineString(vec![vec![Coord::xy(1.0, 2.0), Coord::xy(3.0, 4.0)], vec![]]),
            Geometry::MultiPolygon(vec![Polygon::new(vec![ring.clone(), ring])]),
            Geometry::GeometryCollection(vec![Geometry::Point(Coord::xy(1.0, 2.0))]),
        ];
        for g in gs {
            let mut b = Vec::new();
            encode(&g, &mut b);
            assert_eq!(decode(&b).unwrap().unwrap(), g);
        }
    }

    #[test]
    fn big_endian_and_corruption() {
        // POINT(1 2) big-endian.
        let mut b = vec![0u8, 0, 0, 0, 1];
        b.extend_from_slice(&1f64.to_be_bytes());
        b.extend_from_slice(&2f64.to_be_bytes());
        assert_eq!(
            decode(&b).unwrap(),
            Some(Geometry::Point(Coord::xy(1.0, 2.0)))
        );
        assert!(decode(&b[..10]).unwrap_err().contains("ends early"));
        // A LineString claiming 2^31 points in 9 bytes.
        let bad = [1u8, 2, 0, 0, 0, 0, 0, 0, 0x80];
        assert!(decode(&bad).unwrap_err().contains("exceeds"));
    }
}
