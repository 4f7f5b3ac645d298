//! Write the fuzz corpus's seeds: one small valid input per target (and a
//! few variants), made by Terminus' own writers, into `fuzz/corpus/`.
//!
//!     cargo run -p terminus-fuzz --example seeds
//!
//! libFuzzer grows the corpus from these; `tools/fuzz/run.sh` keeps what
//! it finds small (`-merge=1`) and the replay test runs all of it.

use std::path::{Path, PathBuf};
use terminus_formats::{Format, WriteOptions};
use terminus_geodesy::Crs;
use terminus_vector::{Coord, Dataset, Feature, Geometry, Layer, Value};

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus");
    let tmp = std::env::temp_dir().join(format!("terminus-seeds-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let seed = |target: &str, name: &str, bytes: &[u8]| {
        let d = root.join(target);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join(name), bytes).unwrap();
    };
    let mut layer = Layer::new("line", Crs::WGS84);
    let mut f = Feature::new(Geometry::LineString(vec![
        Coord::xy(45.1318, 41.07935),
        Coord::xy(45.17, 41.05),
        Coord::xyz(45.2, 41.0, 1520.5),
    ]));
    f.properties
        .insert("name".into(), Value::String("Tavush–Gazakh".into()));
    f.properties.insert("n".into(), Value::Int(3));
    layer.features.push(f);
    let mut p = Feature::new(Geometry::Point(Coord::xy(45.1318, 41.07935)));
    p.properties
        .insert("name".into(), Value::String("pillar 1".into()));
    p.properties.insert("n".into(), Value::Int(1));
    layer.features.push(p);
    let mut points = Layer::new("points", Crs::WGS84);
    points.features = layer.features[1..].to_vec();
    let ds = |l: &Layer| Dataset {
        layers: vec![l.clone()],
    };
    let write = |ext: &str, format: Format, d: &Dataset| -> Vec<u8> {
        let p = tmp.join(format!("seed.{ext}"));
        let _ = std::fs::remove_file(&p);
        terminus_formats::write(&p, format, d, &WriteOptions { overwrite: true }).unwrap();
        std::fs::read(&p).unwrap()
    };
    seed(
        "geojson",
        "line.geojson",
        &write("geojson", Format::GeoJson, &ds(&layer)),
    );
    seed("kml", "line.kml", &write("kml", Format::Kml, &ds(&layer)));
    seed("kmz", "line.kmz", &write("kmz", Format::Kmz, &ds(&layer)));
    seed(
        "gpx",
        "points.gpx",
        &write("gpx", Format::Gpx, &ds(&points)),
    );
    seed(
        "csv",
        "points.csv",
        &write("csv", Format::Csv, &ds(&points)),
    );
    seed(
        "csv",
        "dms.csv",
        "name,lat,lon\n1,\"41°04'45.66\"\"N\",\"45°07'54.48\"\"E\"\n".as_bytes(),
    );
    seed("wkt", "line.wkt", &write("wkt", Format::Wkt, &ds(&layer)));
    seed(
        "geopackage",
        "line.gpkg",
        &write("gpkg", Format::GeoPackage, &ds(&layer)),
    );
    let shp = write("shp", Format::Shapefile, &ds(&points));
    let dbf = std::fs::read(tmp.join("seed.dbf")).unwrap();
    let mut both = (shp.len() as u16).to_le_bytes().to_vec();
    both.extend_from_slice(&shp);
    both.extend_from_slice(&dbf);
    seed("shapefile", "points.shp+dbf", &both);
    let mut wkb = Vec::new();
    terminus_formats::wkb::encode(layer.features[0].geometry.as_ref().unwrap(), &mut wkb);
    seed("wkb", "line.wkb", &wkb);
    let mut blob = Vec::new();
    terminus_formats::gpkg::encode_blob(
        layer.features[0].geometry.as_ref().unwrap(),
        4326,
        &mut blob,
    );
    seed("wkb", "line.gpb", &blob);

    // DEMs: a 3 × 2 grid as an ASCII grid and a GeoTIFF.
    let asc = tmp.join("dem.asc");
    std::fs::write(
        &asc,
        "ncols 3\nnrows 2\nxllcorner 72\nyllcorner 40\ncellsize 0.01\nNODATA_value -9999\n1 2 3\n4 -9999 6\n",
    )
    .unwrap();
    seed("ascii_grid", "dem.asc", &std::fs::read(&asc).unwrap());
    let dem = terminus_terrain::read(&asc, Some(&Crs::WGS84)).unwrap();
    let tif = tmp.join("dem.tif");
    terminus_terrain::geotiff::write(&tif, &dem).unwrap();
    seed("geotiff", "dem.tif", &std::fs::read(&tif).unwrap());
    seed("hgt", "short.hgt", &[0x0f, 0xa0, 0x80, 0x00]);

    seed(
        "protocol_description",
        "runs.md",
        "From pillar No. 1 (45°07′54.48″E) to pillar No. 2 the line runs straight at an azimuth of 123°45′06.7″ for 1 234.56 m to pillar No. 2.\nОт пограничного знака № 2 до пограничного знака № 3 по азимуту 12°00′00.0″ на протяжении 10,5 м до пограничного знака № 3.\n".as_bytes(),
    );

    // The record: events, a whole record, a tree head, a token.
    let r = terminus_fuzz::founded().clone();
    let (arm, aze) = (terminus_fuzz::member_key(1), terminus_fuzz::member_key(2));
    let next = {
        let mut x = r.clone();
        x.append(
            "comment",
            serde_json::json!({"section": "North", "text": "agreed?"}),
            ("aze-head", &aze),
            "2026-11-28T10:02:00Z",
        );
        x.events.last().unwrap().clone()
    };
    seed(
        "event",
        "comment.json",
        serde_json::to_string(&next).unwrap().as_bytes(),
    );
    seed(
        "event",
        "record.json",
        serde_json::to_string(&r).unwrap().as_bytes(),
    );
    seed(
        "event",
        "head.json",
        serde_json::to_string(&r.heads[0]).unwrap().as_bytes(),
    );
    let store = tmp.join("bundle.sqlite");
    {
        let mut s = terminus_ledger::store::SqliteStore::open(&store, "AM-AZ").unwrap();
        terminus_ledger::store::RecordStore::keep(&mut s, &r).unwrap();
        s.seal().unwrap();
        s.into_single_file().unwrap();
    }
    seed("bundle", "record.sqlite", &std::fs::read(&store).unwrap());
    seed(
        "token",
        "arm-head.txt",
        terminus_ledger::token::issue(&arm, "AM-AZ", "arm-head", 1_900_000_000).as_bytes(),
    );
    seed("canonical", "terms.json", r.events[1].body.get().as_bytes());
    seed(
        "canonical",
        "numbers.json",
        br#"{"a":[1e+21,1e-7,0,-5e-324,9007199254740992],"b":"\u001f\"\\"}"#,
    );
    let _ = std::fs::remove_dir_all(&tmp);
    println!("seeds written to {}", Path::new(&root).display());
}
