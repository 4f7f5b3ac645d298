//! One function per fuzz target: the bytes a hostile file or request
//! could hold, handed to a reader or parser of Terminus, which must end in
//! a result or an error — never a panic, an abort, a hang or an
//! allocation sized by the input's claims.
//!
//! libFuzzer drives them (the `fuzz/` package: one binary, the target
//! named by `TERMINUS_FUZZ_TARGET`; `tools/fuzz/run.sh`), and
//! `tests/replay.rs` runs every committed input of `fuzz/corpus/` and
//! `fuzz/regressions/` through them in `cargo test`, so a crash once
//! found stays fixed.
//!
//! Readers that take a path get the bytes as a file in a scratch folder
//! (on `/dev/shm` where there is one).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The targets, by name.
pub const TARGETS: [&str; 17] = [
    "geojson",
    "kml",
    "kmz",
    "gpx",
    "csv",
    "shapefile",
    "geopackage",
    "wkt",
    "wkb",
    "geotiff",
    "hgt",
    "ascii_grid",
    "protocol_description",
    "event",
    "bundle",
    "token",
    "canonical",
];

/// Run target `name` on `data`. Unknown names panic (a mistake in the
/// harness, not in Terminus).
pub fn run(name: &str, data: &[u8]) {
    match name {
        "geojson" => read_file("geojson", data, None),
        "kml" => read_file("kml", data, None),
        "kmz" => read_file("kmz", data, None),
        "gpx" => read_file("gpx", data, None),
        "csv" => read_file("csv", data, Some(terminus_geodesy::Crs::WGS84)),
        "shapefile" => shapefile(data),
        "geopackage" => read_file("gpkg", data, None),
        "wkt" => {
            if let Ok(t) = std::str::from_utf8(data) {
                let _ = terminus_formats::wkt::parse(t);
            }
            read_file("wkt", data, Some(terminus_geodesy::Crs::WGS84));
        }
        "wkb" => {
            let _ = terminus_formats::wkb::decode(data);
            let _ = terminus_formats::gpkg::decode_blob(data);
        }
        "geotiff" => dem("dem.tif", data),
        "hgt" => dem("N40E072.hgt", data),
        "ascii_grid" => dem("dem.asc", data),
        "protocol_description" => {
            if let Ok(t) = std::str::from_utf8(data) {
                let _ = terminus_documents::description::parse(t);
                let _ = terminus_documents::description::parse_azimuth(t);
            }
        }
        "event" => event(data),
        "bundle" => bundle(data),
        "token" => token(data),
        "canonical" => canonical(data),
        other => panic!("no fuzz target {other:?}; the targets are {TARGETS:?}"),
    }
}

/// A scratch folder of this process's own.
fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = if Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let d = base.join(format!("terminus-fuzz-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&d);
        d
    })
}

fn put(name: &str, data: &[u8]) -> PathBuf {
    let p = scratch().join(name);
    // Stale SQLite journals from a previous input must not meet this one.
    for suffix in ["-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
    }
    std::fs::write(&p, data).expect("the scratch folder is writable");
    p
}

fn read_file(ext: &str, data: &[u8], crs: Option<terminus_geodesy::Crs>) {
    let p = put(&format!("input.{ext}"), data);
    let opts = terminus_formats::ReadOptions {
        crs,
        ..Default::default()
    };
    let _ = terminus_formats::read(&p, &opts);
}

/// The first two bytes (little-endian) say how much of the rest is the
/// `.shp`; the remainder is the `.dbf`.
fn shapefile(data: &[u8]) {
    if data.len() < 2 {
        return;
    }
    let rest = &data[2..];
    let n = (u16::from_le_bytes([data[0], data[1]]) as usize).min(rest.len());
    let _ = std::fs::remove_file(scratch().join("input.shx"));
    put("input.dbf", &rest[n..]);
    read_file("shp", &rest[..n], Some(terminus_geodesy::Crs::WGS84));
}

fn dem(name: &str, data: &[u8]) {
    let p = put(name, data);
    let _ = terminus_terrain::read(&p, Some(&terminus_geodesy::Crs::WGS84));
}

/// The key of fuzz member `b` (1: arm-head, 2: aze-head, 3: osce): a
/// fixed secret, so that seeds and targets share one commission.
pub fn member_key(b: u8) -> terminus_ledger::keys::MemberKey {
    terminus_ledger::keys::MemberKey::from_secret_hex(&format!("{b:02x}").repeat(32))
        .expect("32 bytes of hex")
}

/// A small valid record, its members' keys fixed ([`member_key`]), for
/// events to be checked against (and the seeds made from).
pub fn founded() -> &'static terminus_ledger::record::Record {
    use terminus_ledger::record::{Member, Record};
    static R: OnceLock<Record> = OnceLock::new();
    R.get_or_init(|| {
        let (arm, aze, med) = (member_key(1), member_key(2), member_key(3));
        let mut r = Record::found(
            "AM-AZ",
            &[
                Member::new("arm-head", "ARM", "head", &arm),
                Member::new("aze-head", "AZE", "head", &aze),
                Member::new("osce", "mediator", "mediator", &med),
            ],
            ("arm-head", &arm),
            "2026-11-28T10:00:00Z",
        );
        r.append(
            "proposal",
            serde_json::json!({"section": "North", "crs": "EPSG:4326", "line": [[45.0, 41.0], [45.1, 41.1]]}),
            ("arm-head", &arm),
            "2026-11-28T10:01:00Z",
        );
        r.sign_head(("aze-head", &aze));
        r
    })
}

/// An event as a request would carry it, checked as the next of the
/// record; and the bytes as a whole record, verified.
fn event(data: &[u8]) {
    let r = founded();
    if let Ok(e) = serde_json::from_slice::<terminus_ledger::record::Event>(data) {
        let mut replay = terminus_ledger::record::Replay::new(&r.commission);
        for x in &r.events {
            let _ = replay.apply(x);
        }
        let _ = replay.apply(&e);
        let _ = e.leaf();
    }
    if let Ok(record) = serde_json::from_slice::<terminus_ledger::record::Record>(data) {
        let _ = terminus_ledger::record::verify(&record);
        let mut ours = r.clone();
        let _ = terminus_ledger::record::merge(&mut ours, &record);
    }
    if let Ok(h) = serde_json::from_slice::<terminus_ledger::record::TreeHead>(data) {
        let _ = terminus_ledger::record::verify(&terminus_ledger::record::Record {
            heads: vec![h],
            ..r.clone()
        });
    }
}

/// A bundle or store file: its record, seal and drafts read and checked.
fn bundle(data: &[u8]) {
    let p = put("bundle.gpkg", data);
    if let Ok(record) = terminus_ledger::store::load_record(&p) {
        let _ = terminus_ledger::record::verify(&record);
    }
    let _ = terminus_ledger::store::load_seal(&p);
    let _ = terminus_ledger::store::load_drafts(&p);
}

fn token(data: &[u8]) {
    if let Ok(t) = std::str::from_utf8(data) {
        let _ = terminus_ledger::token::claims(t);
        let members = founded().events[0].body_value();
        let key = members["members"][0]["public_key"]
            .as_str()
            .unwrap_or_default();
        let _ = terminus_ledger::token::check(t, key);
    }
}

/// The canonical-JSON check, with an oracle: text it accepts that holds
/// no fractional, exponent or long number (where serde_json's reading may
/// round differently) is what `canonical` writes for serde_json's value.
fn canonical(data: &[u8]) {
    let Ok(t) = std::str::from_utf8(data) else {
        return;
    };
    // serde_json reads long integers (beyond 2^53, e.g. 111200000000008000000)
    // without correct rounding: those are left to the check alone.
    let long_digits = t
        .split(|c: char| !c.is_ascii_digit())
        .any(|run| run.len() > 15);
    if terminus_ledger::canonical::check(t).is_ok() && !t.contains(['.', 'e', 'E']) && !long_digits
    {
        let v: serde_json::Value = serde_json::from_str(t).expect("text check() accepts is JSON");
        assert_eq!(
            terminus_ledger::canonical::canonical(&v),
            t.as_bytes(),
            "check() accepted text that is not canonical"
        );
    }
}
