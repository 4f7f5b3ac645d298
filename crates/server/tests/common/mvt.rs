//! A Mapbox Vector Tile 2.1 reader for the tests, written from the
//! specification (not from the encoder): layers, features, their
//! properties and geometry in tile units.

use serde_json::Value;
use std::collections::BTreeMap;

pub struct Feature {
    pub id: u64,
    pub properties: BTreeMap<String, Value>,
    /// Runs of (x, y) tile units: a line's parts, or points.
    pub runs: Vec<Vec<[i64; 2]>>,
}

pub struct Layer {
    pub name: String,
    pub extent: u64,
    pub features: Vec<Feature>,
}

fn varint(b: &[u8], i: &mut usize) -> u64 {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let byte = b[*i];
        *i += 1;
        v |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return v;
        }
        shift += 7;
    }
}

/// The fields of a message: (field number, wire type, varint value or
/// the bytes of a length-delimited field).
fn fields(b: &[u8]) -> Vec<(u64, u64, u64, &[u8])> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let k = varint(b, &mut i);
        let (field, wire) = (k >> 3, k & 7);
        match wire {
            0 => {
                let v = varint(b, &mut i);
                out.push((field, wire, v, &b[0..0]));
            }
            1 => {
                out.push((field, wire, 0, &b[i..i + 8]));
                i += 8;
            }
            2 => {
                let n = varint(b, &mut i) as usize;
                out.push((field, wire, 0, &b[i..i + n]));
                i += n;
            }
            5 => {
                out.push((field, wire, 0, &b[i..i + 4]));
                i += 4;
            }
            w => panic!("wire type {w}"),
        }
    }
    out
}

fn packed(b: &[u8]) -> Vec<u64> {
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() {
        out.push(varint(b, &mut i));
    }
    out
}

fn value(b: &[u8]) -> Value {
    let (field, _, v, bytes) = fields(b)[0];
    match field {
        1 => Value::from(String::from_utf8(bytes.to_vec()).unwrap()),
        2 => Value::from(f32::from_le_bytes(bytes.try_into().unwrap())),
        3 => Value::from(f64::from_le_bytes(bytes.try_into().unwrap())),
        4 => Value::from(v as i64),
        5 => Value::from(v),
        6 => Value::from(((v >> 1) as i64) ^ -((v & 1) as i64)),
        7 => Value::from(v != 0),
        f => panic!("value field {f}"),
    }
}

pub fn decode(tile: &[u8]) -> Vec<Layer> {
    let unzig = |v: u64| ((v >> 1) as i64) ^ -((v & 1) as i64);
    let mut layers = Vec::new();
    for (f, _, _, lb) in fields(tile) {
        assert_eq!(f, 3, "a tile holds layers only");
        let lf = fields(lb);
        let name = lf
            .iter()
            .find(|x| x.0 == 1)
            .map(|x| String::from_utf8(x.3.to_vec()).unwrap())
            .unwrap();
        let extent = lf.iter().find(|x| x.0 == 5).map(|x| x.2).unwrap_or(4096);
        let keys: Vec<String> = lf
            .iter()
            .filter(|x| x.0 == 3)
            .map(|x| String::from_utf8(x.3.to_vec()).unwrap())
            .collect();
        let values: Vec<Value> = lf.iter().filter(|x| x.0 == 4).map(|x| value(x.3)).collect();
        let mut features = Vec::new();
        for (_, _, _, fb) in lf.iter().filter(|x| x.0 == 2) {
            let ff = fields(fb);
            let id = ff.iter().find(|x| x.0 == 1).map(|x| x.2).unwrap_or(0);
            let tags = ff
                .iter()
                .find(|x| x.0 == 2)
                .map(|x| packed(x.3))
                .unwrap_or_default();
            let geom = ff
                .iter()
                .find(|x| x.0 == 4)
                .map(|x| packed(x.3))
                .unwrap_or_default();
            let properties = tags
                .chunks(2)
                .map(|kv| (keys[kv[0] as usize].clone(), values[kv[1] as usize].clone()))
                .collect();
            let mut runs: Vec<Vec<[i64; 2]>> = Vec::new();
            let (mut x, mut y) = (0i64, 0i64);
            let mut i = 0;
            while i < geom.len() {
                let (cmd, count) = (geom[i] & 7, geom[i] >> 3);
                i += 1;
                match cmd {
                    1 | 2 => {
                        for k in 0..count {
                            x += unzig(geom[i]);
                            y += unzig(geom[i + 1]);
                            i += 2;
                            if cmd == 1 && k == 0 {
                                runs.push(Vec::new());
                            }
                            runs.last_mut().unwrap().push([x, y]);
                        }
                    }
                    7 => {}
                    c => panic!("command {c}"),
                }
            }
            features.push(Feature {
                id,
                properties,
                runs,
            });
        }
        layers.push(Layer {
            name,
            extent,
            features,
        });
    }
    layers
}
