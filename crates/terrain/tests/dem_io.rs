//! DEM input and output on the real GEBCO crops of ../shared/data/dem,
//! against what GDAL 3.6.2's gdalinfo/gdallocationinfo report for them, and
//! round trips through every format Terminus writes (GDAL reading ours when
//! it is installed).

use terminus_terrain::{ascii, geotiff, hgt, read, Dem, SampleType, TerrainError};
use terminus_testdata::shared_data as shared;

fn alay() -> Option<Dem> {
    Some(read(&shared("dem/gebco2023_alay_pamir_KG_TJ_15s.tif")?, None).unwrap())
}

/// `gdalinfo -stats`: origin (72, 40), 15″ cells, Int16, min 1379, max 7243,
/// mean 4056.1393154762; `gdallocationinfo -valonly … 123 45` → 4047 and
/// `-wgs84 … 72.87 39.38` → 4803.
#[test]
fn reads_gebco_as_gdal_does() {
    let Some(d) = alay() else { return };
    assert_eq!((d.width, d.height, d.sample), (600, 336, SampleType::I16));
    assert_eq!(d.georef.crs.id(), "EPSG:4326");
    assert!((d.georef.x0 - 72.0).abs() < 1e-12 && (d.georef.y0 - 40.0).abs() < 1e-12);
    assert!((d.georef.dx - 15.0 / 3600.0).abs() < 1e-15 && !d.georef.pixel_is_point);
    assert_eq!(d.range().unwrap(), (1379.0, 7243.0));
    let mean = d.data.iter().map(|&v| v as f64).sum::<f64>() / d.data.len() as f64;
    assert!((mean - 4056.1393154762).abs() < 1e-9, "{mean}");
    assert_eq!(d.get(123, 45), 4047.0);
    let (c, r) = d.georef.cell_at(72.87, 39.38, d.width, d.height).unwrap();
    assert_eq!(d.get(c, r), 4803.0);
    // A 15″ cell at 39.3°N on WGS 84: ~359 m east–west, ~463 m north–south.
    let (w, h, a) = d.cell_size_m(160);
    assert!(
        (w - 359.0).abs() < 2.0 && (h - 462.6).abs() < 1.0 && (a - w * h).abs() / a < 1e-3,
        "{w} {h} {a}"
    );
}

#[test]
fn geotiff_round_trip_keeps_everything() {
    let Some(d) = alay() else { return };
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("alay.tif");
    geotiff::write(&p, &d).unwrap();
    let back = read(&p, None).unwrap();
    assert_eq!(
        (back.width, back.height, back.sample),
        (d.width, d.height, d.sample)
    );
    assert_eq!(back.georef, d.georef);
    assert!(back.data.iter().zip(&d.data).all(|(a, b)| a == b));
    // Nodata survives, in float and integer types.
    let mut f = d.clone();
    f.sample = SampleType::F32;
    f.nodata = Some(-9999.0);
    f.data[7] = f32::NAN;
    f.data[8] = 1234.5;
    geotiff::write(&p, &f).unwrap();
    let back = read(&p, None).unwrap();
    assert!(back.data[7].is_nan() && back.data[8] == 1234.5 && back.nodata == Some(-9999.0));
    // GDAL reads what Terminus writes (when GDAL is installed).
    if let Ok(out) = std::process::Command::new("gdalinfo")
        .arg("-stats")
        .arg(&p)
        .output()
    {
        let t = String::from_utf8_lossy(&out.stdout);
        assert!(
            t.contains("Size is 600, 336")
                && t.contains("Type=Float32")
                && t.contains("COMPRESSION=DEFLATE"),
            "{t}"
        );
        assert!(
            t.contains("Origin = (72.000000000000000,40.000000000000000)")
                && t.contains("NoData Value=-9999"),
            "{t}"
        );
        assert!(t.contains("ID[\"EPSG\",4326]"), "{t}");
    } else {
        eprintln!("SKIPPED: gdalinfo not installed");
    }
}

#[test]
fn ascii_grid_round_trip() {
    let Some(d) = alay() else { return };
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("alay.asc");
    ascii::write(&p, &d).unwrap();
    let back = read(&p, None).unwrap();
    assert_eq!((back.width, back.height), (d.width, d.height));
    assert!(
        (back.georef.x0 - d.georef.x0).abs() < 1e-9 && (back.georef.y0 - d.georef.y0).abs() < 1e-9
    );
    assert_eq!(back.georef.crs.id(), "EPSG:4326");
    assert!(back.data.iter().zip(&d.data).all(|(a, b)| a == b));
}

/// An SRTM tile made from the GEBCO crop's values: position from the name,
/// samples on grid points, voids.
#[test]
fn srtm_hgt_tiles() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("N39E072.hgt");
    let mut bytes = Vec::with_capacity(1201 * 1201 * 2);
    for i in 0..1201 * 1201 {
        let v: i16 = if i == 5 { hgt::VOID } else { (i % 5000) as i16 };
        bytes.extend_from_slice(&v.to_be_bytes());
    }
    std::fs::write(&p, &bytes).unwrap();
    let d = read(&p, None).unwrap();
    assert_eq!((d.width, d.height), (1201, 1201));
    assert!(d.get(5, 0).is_nan() && d.get(6, 0) == 6.0);
    // The north-west sample sits exactly on 40°N 72°E.
    let (x, y) = d.georef.center(0, 0);
    assert!((x - 72.0).abs() < 1e-12 && (y - 40.0).abs() < 1e-12);
    let (x, y) = d.georef.center(1200, 1200);
    assert!((x - 73.0).abs() < 1e-12 && (y - 39.0).abs() < 1e-12);
    assert_eq!(hgt::corner("S01W072.hgt"), Some((-1, -72)));
    std::fs::write(dir.path().join("N39E072x.hgt"), &bytes[..100]).unwrap();
    let e = read(&dir.path().join("N39E072x.hgt"), None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("not an SRTM tile name"), "{e}");
    let short = dir.path().join("N38E072.hgt");
    std::fs::write(&short, &bytes[..1000]).unwrap();
    let e = read(&short, None).unwrap_err().to_string();
    assert!(e.contains("1000 bytes") && e.contains("1201²"), "{e}");
}

#[test]
fn bad_dems_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    // Not a TIFF.
    let p = dir.path().join("x.tif");
    std::fs::write(&p, b"hello").unwrap();
    let e = read(&p, None).unwrap_err().to_string();
    assert!(e.contains("x.tif") && e.contains("not a TIFF"), "{e}");
    // An ASCII grid with no CRS.
    let a = dir.path().join("g.asc");
    std::fs::write(
        &a,
        "ncols 2\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2\n",
    )
    .unwrap();
    assert!(matches!(read(&a, None), Err(TerrainError::NoCrs(_))));
    let crs = terminus_geodesy::Crs::parse("EPSG:32643").unwrap();
    let g = read(&a, Some(&crs)).unwrap();
    assert_eq!(g.data, vec![1.0, 2.0]);
    // Wrong count of values.
    std::fs::write(
        &a,
        "ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2 3\n",
    )
    .unwrap();
    let e = read(&a, Some(&crs)).unwrap_err().to_string();
    assert!(e.contains("3 values for 2 × 2 cells"), "{e}");
    // All nodata.
    std::fs::write(
        &a,
        "ncols 2\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 1\nNODATA_value -9999\n-9999 -9999\n",
    )
    .unwrap();
    let d = read(&a, Some(&crs)).unwrap();
    assert!(matches!(d.range(), Err(TerrainError::AllNodata)));
    // Unknown extension.
    let e = read(&dir.path().join("dem.xyz"), None)
        .unwrap_err()
        .to_string();
    assert!(e.contains(".tif/.tiff") && e.contains(".hgt"), "{e}");
}

/// The GeoTIFF variants users bring, made from the GEBCO crop by GDAL's
/// gdal_translate (when installed): LZW and PackBits, DEFLATE with the
/// horizontal and floating-point predictors, tiled, int32/float32/float64,
/// pixel-is-point — each read back to the same heights and grid.
#[test]
fn geotiff_variants_written_by_gdal() {
    let Some(src) = shared("dem/gebco2023_alay_pamir_KG_TJ_15s.tif") else {
        return;
    };
    if std::process::Command::new("gdal_translate")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("SKIPPED: gdal_translate not installed");
        return;
    }
    let original = read(&src, None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let variants: [(&str, &[&str]); 8] = [
        ("lzw", &["-co", "COMPRESS=LZW"]),
        ("packbits", &["-co", "COMPRESS=PACKBITS"]),
        (
            "deflate_pred2",
            &["-co", "COMPRESS=DEFLATE", "-co", "PREDICTOR=2"],
        ),
        (
            "tiled",
            &[
                "-co",
                "TILED=YES",
                "-co",
                "BLOCKXSIZE=128",
                "-co",
                "BLOCKYSIZE=128",
            ],
        ),
        ("int32", &["-ot", "Int32"]),
        (
            "float32_pred3",
            &[
                "-ot",
                "Float32",
                "-co",
                "COMPRESS=DEFLATE",
                "-co",
                "PREDICTOR=3",
            ],
        ),
        ("float64", &["-ot", "Float64", "-co", "COMPRESS=LZW"]),
        ("point", &["-mo", "AREA_OR_POINT=Point"]),
    ];
    for (name, args) in variants {
        let out = dir.path().join(format!("{name}.tif"));
        let st = std::process::Command::new("gdal_translate")
            .arg("-q")
            .args(args)
            .arg(&src)
            .arg(&out)
            .status()
            .unwrap();
        assert!(st.success(), "gdal_translate {name}");
        let d = read(&out, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            (d.width, d.height),
            (original.width, original.height),
            "{name}"
        );
        assert!(
            d.data.iter().zip(&original.data).all(|(a, b)| a == b),
            "{name}: heights differ"
        );
        // The same cells in the same place, whichever raster convention the file states.
        let (x, y) = d.georef.center(123, 45);
        let (x0, y0) = original.georef.center(123, 45);
        assert!(
            (x - x0).abs() < 1e-9 && (y - y0).abs() < 1e-9,
            "{name}: grid moved ({x}, {y})"
        );
        if name == "point" {
            assert!(d.georef.pixel_is_point);
        }
    }
}

/// Tiles cut from one grid and joined again give back the grid.
#[test]
fn mosaic_rejoins_tiles() {
    let Some(d) = alay() else { return };
    let g = &d.georef;
    let mid_x = g.x0 + 250.0 * g.dx;
    let mid_y = g.y0 - 150.0 * g.dy;
    let east = g.x0 + d.width as f64 * g.dx;
    let south = g.y0 - d.height as f64 * g.dy;
    let parts = [
        terminus_terrain::window::clip_box(&d, g.x0, mid_y, mid_x, g.y0).unwrap(),
        terminus_terrain::window::clip_box(&d, mid_x, mid_y, east, g.y0).unwrap(),
        terminus_terrain::window::clip_box(&d, g.x0, south, east, mid_y).unwrap(),
    ];
    let m = terminus_terrain::window::mosaic(&parts).unwrap();
    assert_eq!((m.width, m.height), (d.width, d.height));
    assert!((m.georef.x0 - g.x0).abs() < 1e-12 && (m.georef.y0 - g.y0).abs() < 1e-12);
    assert!(m.data.iter().zip(&d.data).all(|(a, b)| a == b));
    // Tiles on another grid are refused.
    let mut off = parts[0].clone();
    off.georef.x0 += g.dx / 3.0;
    let e = terminus_terrain::window::mosaic(&[parts[1].clone(), off])
        .unwrap_err()
        .to_string();
    assert!(e.contains("not aligned"), "{e}");
}

/// Crafted headers that would have the reader allocate gigabytes (an
/// ASCII grid declaring 10¹⁸ cells or more cells than its bytes; a
/// GeoTIFF claiming 2³² − 1 tie points) are refused with a clear error
/// before anything is allocated.
#[test]
fn crafted_headers_are_refused_before_allocating() {
    let dir = tempfile::tempdir().unwrap();
    let crs = terminus_geodesy::Crs::parse("EPSG:4326").unwrap();
    let a = dir.path().join("g.asc");
    for (header, says) in [
        (
            "ncols 1000000000\nnrows 1000000000\n",
            "more than the 1073741824",
        ),
        ("ncols 1000\nnrows 1000\n", "the file has only"),
    ] {
        std::fs::write(
            &a,
            format!("{header}xllcorner 0\nyllcorner 0\ncellsize 1\n1 2 3\n"),
        )
        .unwrap();
        let e = read(&a, Some(&crs)).unwrap_err().to_string();
        assert!(e.contains(says), "{e}");
    }
    // A valid small GeoTIFF, then its ModelTiepoint count set to 2³² − 1.
    std::fs::write(
        &a,
        "ncols 3\nnrows 2\nxllcorner 72\nyllcorner 40\ncellsize 0.01\n1 2 3\n4 5 6\n",
    )
    .unwrap();
    let d = read(&a, Some(&crs)).unwrap();
    let t = dir.path().join("t.tif");
    geotiff::write(&t, &d).unwrap();
    assert_eq!(read(&t, None).unwrap().data, d.data);
    let mut bytes = std::fs::read(&t).unwrap();
    assert_eq!(&bytes[..2], b"II", "the writer writes little-endian TIFF");
    // Classic TIFF: the IFD's 12-byte entries (tag, type, count, value).
    let ifd = u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize;
    let n = u16::from_le_bytes(bytes[ifd..ifd + 2].try_into().unwrap()) as usize;
    let entry = (0..n)
        .map(|i| ifd + 2 + 12 * i)
        .find(|&e| u16::from_le_bytes(bytes[e..e + 2].try_into().unwrap()) == 33922)
        .expect("a ModelTiepoint entry");
    bytes[entry + 4..entry + 8].copy_from_slice(&u32::MAX.to_le_bytes());
    std::fs::write(&t, &bytes).unwrap();
    let e = read(&t, None).unwrap_err().to_string();
    assert!(
        e.contains("t.tif") && e.contains("ModelTiepointTag") && e.contains("limit"),
        "{e}"
    );
}
