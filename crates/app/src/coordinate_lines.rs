//! Coordinates transformed line by line, as PROJ's `cs2cs` reads and
//! writes them, with every point checked against the area of use of the
//! datum transformation: what `terminus crs transform` runs.

use terminus_geodesy::crs::transform::CrsTransform;

/// What one chunk of input lines produced.
#[derive(Default)]
pub struct Chunk {
    /// The output lines.
    pub out: String,
    /// Errors and warnings, by input line.
    pub messages: Vec<String>,
    /// Lines that could not be transformed.
    pub bad: usize,
    /// Lines outside the transformation's area of use.
    pub outside: usize,
}

/// Transforms coordinate lines as cs2cs does: two numbers, the rest of the
/// line kept; each point checked against the transformation's area of use.
pub struct LineJob<'a> {
    /// The transformation.
    pub t: &'a CrsTransform,
    /// The input gives latitude (or northing) first.
    pub swap_in: bool,
    /// Write latitude (or northing) first.
    pub swap_out: bool,
    /// Decimals written.
    pub decimals: usize,
}

impl LineJob<'_> {
    /// The first two numbers of a line, in (x, y) order; `None` for a line
    /// without two tokens (kept as it is).
    pub fn parse(&self, text: &str) -> Option<Result<(f64, f64), String>> {
        let mut it = text.split_whitespace();
        let (s1, s2) = (it.next()?, it.next()?);
        Some(match (s1.parse::<f64>(), s2.parse::<f64>()) {
            (Ok(v1), Ok(v2)) => Ok(if self.swap_in { (v2, v1) } else { (v1, v2) }),
            _ => Err(format!("{s1:?} {s2:?} are not two numbers")),
        })
    }

    /// Transform `lines`, the first being line `first_line` of the input.
    pub fn run(&self, lines: &[&str], first_line: usize) -> Chunk {
        use std::fmt::Write as _;
        let mut c = Chunk::default();
        let d = self.decimals;
        for (k, text) in lines.iter().enumerate() {
            let n = first_line + k;
            let rest = || {
                text.split_whitespace()
                    .skip(2)
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            match self.parse(text) {
                None => {
                    c.out.push_str(text);
                    c.out.push('\n');
                }
                Some(Err(m)) => {
                    c.messages.push(format!("line {n}: {m}"));
                    c.bad += 1;
                    let _ = writeln!(c.out, "* * {}", rest());
                }
                Some(Ok((x, y))) => {
                    if let Some(o) = self.t.operation() {
                        let at = self.t.source_geographic(x, y);
                        let (lat, lon) = (at.lat, at.lon);
                        let dist = o.area.distance_outside_m(lat, lon);
                        if dist > 0.0 {
                            c.outside += 1;
                            c.messages.push(format!(
                                "warning: line {n}: {lat:.6}, {lon:.6} lies {:.1} km outside the area of use of EPSG:{} ({})",
                                dist / 1000.0,
                                o.code,
                                o.area.name
                            ));
                        }
                    }
                    match self.t.apply(x, y) {
                        Ok((ox, oy)) => {
                            let (o1, o2) = if self.swap_out { (oy, ox) } else { (ox, oy) };
                            let _ = write!(c.out, "{o1:.d$} {o2:.d$}");
                            for r in text.split_whitespace().skip(2) {
                                c.out.push(' ');
                                c.out.push_str(r);
                            }
                            c.out.push('\n');
                        }
                        Err(e) => {
                            c.messages.push(format!("line {n}: {e}"));
                            c.bad += 1;
                            let _ = writeln!(c.out, "* * {}", rest());
                        }
                    }
                }
            }
        }
        c
    }
}
