//! Interoperability with GDAL, as users' other tools see Terminus' files:
//! `ogr2ogr`/`ogrinfo` read every GeoPackage, Shapefile and KML Terminus
//! writes with the same feature and vertex counts, and Terminus reads the
//! GeoPackages and Shapefiles `ogr2ogr` writes, vertex for vertex.
//!
//! `.ci/run` installs Debian's `gdal-bin`; elsewhere, without GDAL, these
//! tests say so and pass only outside CI.

mod common;

use common::*;
use std::path::Path;
use std::process::Command;
use terminus_formats::{read, write, Format, ReadOptions, WriteOptions};

fn gdal_available() -> bool {
    let ok = Command::new("ogr2ogr")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("ogr2ogr not found: .ci/run must install gdal-bin");
        }
        eprintln!("SKIPPED: GDAL's ogr2ogr is not installed (apt-get install gdal-bin)");
    }
    ok
}

fn count_positions(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Array(a) if a.first().is_some_and(|x| x.is_number()) => 1,
        serde_json::Value::Array(a) => a.iter().map(count_positions).sum(),
        _ => 0,
    }
}

/// Feature and vertex counts of `layer` in `file` as GDAL reads it.
fn gdal_counts(file: &Path, layer: &str, dir: &Path) -> (usize, usize) {
    let out = dir.join("gdal_view.geojson");
    let _ = std::fs::remove_file(&out);
    let status = Command::new("ogr2ogr")
        .args(["-f", "GeoJSON"])
        .arg(&out)
        .arg(file)
        .arg(layer)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "ogr2ogr could not read {}: {}",
        file.display(),
        String::from_utf8_lossy(&status.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let features = v["features"].as_array().unwrap();
    let vertices = features
        .iter()
        .map(|f| {
            count_positions(&f["geometry"]["coordinates"])
                + geometry_collection_positions(&f["geometry"])
        })
        .sum();
    (features.len(), vertices)
}

fn geometry_collection_positions(g: &serde_json::Value) -> usize {
    g["geometries"].as_array().map_or(0, |gs| {
        gs.iter().map(|m| count_positions(&m["coordinates"])).sum()
    })
}

#[test]
fn gdal_reads_what_terminus_writes() {
    if !gdal_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for src in all_shared_geojson() {
        let ds = read(&src, &ReadOptions::default()).unwrap();
        let layer = &ds.layers[0];
        let stem = src.file_stem().unwrap().to_str().unwrap();
        for format in [Format::GeoPackage, Format::Shapefile, Format::Kml] {
            let out = dir.path().join(format!("{stem}.{}", format.extension()));
            if write(&out, format, &ds, &WriteOptions { overwrite: true }).is_err() {
                // Refusals (mixed types into a shapefile) are tested in round_trip.rs.
                continue;
            }
            let gdal_layer = if format == Format::Shapefile {
                stem.to_string()
            } else {
                layer.name.clone()
            };
            let (n, v) = gdal_counts(&out, &gdal_layer, dir.path());
            assert_eq!(
                n,
                layer.features.len(),
                "{}: GDAL sees {n} features",
                out.display()
            );
            assert_eq!(
                v,
                layer.vertex_count(),
                "{}: GDAL sees {v} vertices",
                out.display()
            );
            checked += 1;
        }
    }
    eprintln!("GDAL read {checked} files written by Terminus with matching counts");
}

#[test]
fn terminus_reads_what_ogr2ogr_writes() {
    if !gdal_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for src in all_shared_geojson() {
        let original = read(&src, &ReadOptions::default()).unwrap();
        let stem = src.file_stem().unwrap().to_str().unwrap();
        let a = &original.layers[0];
        let mixed = a
            .geometry_types()
            .iter()
            .map(|t| t.single())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
            > 1;
        for (ext, driver) in [("gpkg", "GPKG"), ("shp", "ESRI Shapefile")] {
            if ext == "shp" && mixed {
                continue;
            }
            let out = dir.path().join(format!("{stem}.{ext}"));
            let st = Command::new("ogr2ogr")
                .args(["-f", driver])
                .arg(&out)
                .arg(&src)
                .output()
                .unwrap();
            assert!(
                st.status.success(),
                "ogr2ogr: {}",
                String::from_utf8_lossy(&st.stderr)
            );
            let back = read(&out, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
            let b = &back.layers[0];
            assert_eq!(b.crs, a.crs, "{}", out.display());
            assert_eq!(b.features.len(), a.features.len(), "{}", out.display());
            let leniency = if ext == "shp" {
                Leniency {
                    single_multi: true,
                    ring_direction: true,
                    ring_grouping: true,
                }
            } else {
                STRICT
            };
            for (i, (fa, fb)) in a.features.iter().zip(&b.features).enumerate() {
                let (ga, gb) = (fa.geometry.as_ref().unwrap(), fb.geometry.as_ref().unwrap());
                assert!(
                    same_geometry(ga, gb, leniency),
                    "{}: feature {i} differs",
                    out.display()
                );
                if ext == "gpkg" {
                    if let Some(m) = attribute_mismatch(fa, fb, &|k: &str| k.to_string()) {
                        panic!("{}: feature {i}: {m}", out.display());
                    }
                }
            }
        }
    }
}

/// A shapefile whose attributes GDAL wrote in Windows-1251 (as Russian- and
/// Armenian-language offices still receive them), announced by its `.cpg`.
#[test]
fn terminus_reads_a_windows_1251_shapefile() {
    if !gdal_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("posts.geojson");
    std::fs::write(
        &src,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Тавуш","note":"пограничный столб № 12"},"geometry":{"type":"Point","coordinates":[45.41,41.06]}}]}"#,
    )
    .unwrap();
    let shp = dir.path().join("posts.shp");
    let st = Command::new("ogr2ogr")
        .args(["-f", "ESRI Shapefile", "-lco", "ENCODING=CP1251"])
        .arg(&shp)
        .arg(&src)
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let cpg = std::fs::read_to_string(dir.path().join("posts.cpg")).unwrap();
    assert!(cpg.contains("1251"), "GDAL wrote .cpg {cpg:?}");
    let dbf = std::fs::read(dir.path().join("posts.dbf")).unwrap();
    assert!(
        !String::from_utf8_lossy(&dbf).contains("Тавуш"),
        "the DBF should not be UTF-8"
    );
    let ds = read(&shp, &ReadOptions::default()).unwrap();
    let f = &ds.layers[0].features[0];
    assert_eq!(
        f.properties["name"],
        terminus_vector::Value::String("Тавуш".into())
    );
    assert_eq!(
        f.properties["note"],
        terminus_vector::Value::String("пограничный столб № 12".into())
    );
}
