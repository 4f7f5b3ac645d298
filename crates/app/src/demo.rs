//! `terminus demo`: the whole product on the bundled Natural Earth sample of
//! the Armenia–Azerbaijan boundary. Each feature of Terminus adds its step
//! here, so the demo always shows everything the product does.

use crate::demarcate::Documents;
use crate::failure::Failure;
use crate::inspect::{dataset_facts, render_text};
use crate::provenance::Provenance;
use serde::Serialize;
use serde_json::json;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use terminus_formats::{read, write, Format, ReadOptions, WriteOptions};
use terminus_geodesy::Crs;
use terminus_model::{Boundary, Party, Section, Source, SourceKind, Status};
use terminus_vector::measure::measure_layer;
use terminus_vector::validate::{validate_dataset, Severity, ValidationOptions};
use terminus_vector::Geometry;
use terminus_vector::{Dataset, Layer};

/// The bundled sample (public domain, see data/README.md).
const SAMPLES: [(&str, &str); 4] = [
    (
        "naturalearth10m_ARM_AZE_shared.geojson",
        include_str!("../../../data/naturalearth10m_ARM_AZE_shared.geojson"),
    ),
    (
        "naturalearth10m_ARM.geojson",
        include_str!("../../../data/naturalearth10m_ARM.geojson"),
    ),
    (
        "naturalearth10m_AZE.geojson",
        include_str!("../../../data/naturalearth10m_AZE.geojson"),
    ),
    (
        "worldatlas10m_ARM_AZE_shared.geojson",
        include_str!("../../../data/worldatlas10m_ARM_AZE_shared.geojson"),
    ),
];

/// The bundled Natural Earth country polygons (name, GeoJSON text): the
/// web map's default base map (`crate::basemap`).
pub fn bundled_countries() -> [(&'static str, &'static str); 2] {
    [SAMPLES[1], SAMPLES[2]]
}

/// The GEBCO 2023 excerpt of the Alay–Pamir mountains and the Natural Earth
/// Kyrgyzstan–Tajikistan line (public domain, see data/README.md).
const DEM_SAMPLE: (&str, &[u8]) = (
    "gebco2023_alay_pamir_KG_TJ_15s.tif",
    include_bytes!("../../../data/gebco2023_alay_pamir_KG_TJ_15s.tif"),
);
const KG_TJ_LINE: (&str, &str) = (
    "naturalearth10m_KGZ_TJK_shared.geojson",
    include_str!("../../../data/naturalearth10m_KGZ_TJK_shared.geojson"),
);

/// Marks a folder as the demo's own, so a re-run may replace its files.
const MARKER: &str = ".terminus-demo";

fn io(path: &Path) -> impl Fn(std::io::Error) -> Failure + '_ {
    move |e| Failure::failed(format!("{}: {e}", path.display()))
}

fn prepare(out: &Path) -> Result<(), Failure> {
    if out.exists() {
        let ours = out.join(MARKER).exists();
        let empty = std::fs::read_dir(out).map_err(io(out))?.next().is_none();
        if !ours && !empty {
            return Err(Failure::failed(format!(
                "{} exists and was not made by `terminus demo`; not touching it",
                out.display()
            ))
            .hint("choose another folder with --out"));
        }
    }
    for sub in [
        "",
        "sample",
        "formats",
        "compare",
        "median",
        "terrain",
        "demarcation/alay",
        "demarcation/tavush_gazakh",
    ] {
        let d = out.join(sub);
        std::fs::create_dir_all(&d).map_err(io(&d))?;
    }
    let marker = out.join(MARKER);
    std::fs::write(&marker, "made by terminus demo\n").map_err(io(&marker))
}

/// Sections of the sample line, by the place each piece surrounds or runs by.
fn section_name(piece: &Layer, index: usize) -> (String, String) {
    let Some(b) = piece.features[index]
        .geometry
        .as_ref()
        .and_then(|g| g.bbox())
    else {
        return (format!("piece-{index}"), format!("Piece {index}"));
    };
    let c = b.centre();
    // Named places of the sample, centre (lon, lat) and what the piece is there.
    let places = [
        ("ART", "Artsvashen exclave", 45.51, 40.63),
        ("YAS", "Yukhari Askipara enclave", 45.00, 41.05),
        ("BAR", "Barkhudarly enclave", 45.20, 40.98),
        ("NAK", "Nakhchivan", 45.45, 39.30),
    ];
    let nearest = places
        .iter()
        .map(|(id, name, x, y)| ((c.x - x).hypot(c.y - y), id, name))
        .min_by(|a, b| a.0.total_cmp(&b.0));
    match nearest {
        Some((d, id, name)) if d < 0.3 && b.max_y - b.min_y < 1.0 => {
            (id.to_string(), name.to_string())
        }
        _ => (
            "MAIN".into(),
            "Armenia–Azerbaijan, main line (Tavush to Syunik)".into(),
        ),
    }
}

fn boundary_model(line: &Layer) -> Result<Boundary, Failure> {
    let mut ne = Source::new(
        "ne10m",
        "Natural Earth 10m admin-0 countries",
        SourceKind::Dataset,
    );
    ne.dataset = Some("Natural Earth".into());
    ne.version = Some("5.1.1".into());
    ne.crs = Some(Crs::WGS84);
    ne.licence = Some("public domain".into());
    ne.notes =
        Some("shared line built from both countries' vertices coinciding within 1e-7°".into());
    let mut claim = crate::shapes::claim_line(
        "ne10m-line",
        "Natural Earth 10m boundary",
        line,
        Status::Disputed,
    )?;
    claim.source = Some("ne10m".into());
    let mut sections: Vec<Section> = Vec::new();
    for i in 0..line.features.len() {
        let (id, name) = section_name(line, i);
        if sections.iter().all(|s| s.id != id) {
            sections.push(Section {
                id,
                name,
                status: Status::Disputed,
                claim_lines: vec!["ne10m-line".into()],
                turning_points: Vec::new(),
            });
        }
    }
    let b = Boundary {
        name: "Armenia–Azerbaijan".into(),
        parties: vec![Party::new("AM", "Armenia"), Party::new("AZ", "Azerbaijan")],
        sources: vec![ne],
        claim_lines: vec![claim],
        sections,
        pillars: Vec::new(),
    };
    if let Some(e) = b.check().first() {
        return Err(Failure::failed(format!(
            "the demo's boundary model is inconsistent: {e}"
        )));
    }
    Ok(b)
}

/// The geodesy step: the line in Pulkovo 1942 / Gauss–Krüger zone 8 through
/// the transformation EPSG picks there, how far the candidate
/// transformations disagree at Artsvashen, and the 1:100,000 sheets the line
/// crosses. Returns the summary JSON.
fn geodesy_step(line: &Layer, out: &Path) -> Result<GeodesyStep, Failure> {
    use terminus_geodesy::crs::transform::CrsTransform;
    use terminus_geodesy::geodesic::densify_by_spacing;
    use terminus_geodesy::nomenclature::{sheet_at, sheets_along, Scale};
    use terminus_geodesy::{datum, Ellipsoid};
    let fail = |e: &dyn std::fmt::Display| Failure::failed(e.to_string());
    // Artsvashen (DOMAIN.md): 40°38′46″N 45°30′56″E.
    let (alat, alon) = (
        40.0 + 38.0 / 60.0 + 46.0 / 3600.0,
        45.0 + 30.0 / 60.0 + 56.0 / 3600.0,
    );
    let mut txt = String::from("Pulkovo 1942 → WGS 84 transformations valid at Artsvashen (40°38′46″N 45°30′56″E), most accurate first:\n");
    let ops = datum::valid_at(terminus_geodesy::LatLon::new(alat, alon));
    let artsvashen = terminus_geodesy::LatLon::new(alat, alon);
    let base = ops.first().map(|t| t.forward(artsvashen));
    let mut ops_json = Vec::new();
    for t in &ops {
        let p = t.forward(artsvashen);
        let (la, lo) = (p.lat, p.lon);
        let d = base.map_or(0.0, |b| {
            terminus_geodesy::measure::path_length(&Ellipsoid::WGS84, [b, p])
        });
        let _ = writeln!(
            txt,
            "  EPSG:{:<6} {:>5} m  {:<28} {:.8} {:.8}  {:6.2} m from the first",
            t.code, t.accuracy_m, t.name, la, lo, d
        );
        ops_json.push(OperationAtArtsvashen {
            code: t.code,
            accuracy_m: t.accuracy_m,
            metres_from_default: d,
        });
    }
    // The line in GK zone 8 (northing first on paper, x = easting here).
    let first = line
        .features
        .iter()
        .filter_map(|f| f.geometry.as_ref())
        .flat_map(|g| g.coords())
        .next()
        .map(|c| terminus_geodesy::LatLon::new(c.y, c.x));
    let t = CrsTransform::new(&Crs::WGS84, &Crs::Epsg(28408), None, first).map_err(|e| fail(&e))?;
    let op = t.operation().map(|o| o.code).unwrap_or(0);
    let mut gk = line.clone();
    gk.crs = Crs::Epsg(28408);
    for f in &mut gk.features {
        if let Some(g) = f.geometry.as_mut() {
            // A vertex that cannot be moved fails the step rather than
            // staying in degrees in a layer labelled EPSG:28408.
            let mut bad = None;
            g.map_coords(&mut |c| match t.apply(c.to_xy()) {
                Ok(p) => (c.x, c.y) = (p.x, p.y),
                Err(e) => bad = Some(e),
            });
            if let Some(e) = bad {
                return Err(fail(&e));
            }
        }
    }
    let gk_path = out.join("formats").join("boundary_line_gk8.gpkg");
    write(
        &gk_path,
        Format::GeoPackage,
        &Dataset { layers: vec![gk] },
        &WriteOptions { overwrite: true },
    )
    .map_err(Failure::from)?;
    let _ = writeln!(txt, "\nThe boundary line in Pulkovo 1942 / Gauss-Kruger zone 8 (EPSG:28408), through EPSG:{op}: formats/boundary_line_gk8.gpkg");
    // Sheets along the line, in Pulkovo 1942.
    let to_sk42 =
        CrsTransform::new(&Crs::WGS84, &Crs::Epsg(4284), Some(op), None).map_err(|e| fail(&e))?;
    let g = Ellipsoid::KRASSOWSKY_1940.geodesic();
    let mut ids: Vec<String> = Vec::new();
    for f in &line.features {
        let Some(geom) = &f.geometry else { continue };
        for p in geom.paths() {
            let pts: Vec<terminus_geodesy::LatLon> = p
                .iter()
                .map(|c| to_sk42.apply(c.to_xy()).map(|q| q.latlon()))
                .collect::<Result<_, _>>()
                .map_err(|e| fail(&e))?;
            let mut dense = Vec::new();
            for w in pts.windows(2) {
                let seg = densify_by_spacing(&g, w[0], w[1], 100.0).map_err(|e| fail(&e))?;
                dense.pop();
                dense.extend(seg);
            }
            for s in sheets_along(&dense, Scale::M100000).map_err(|e| fail(&e))? {
                if !ids.contains(&s.id) {
                    ids.push(s.id);
                }
            }
        }
    }
    let art = sheet_at(terminus_geodesy::LatLon::new(alat, alon), Scale::M100000)
        .map_err(|e| fail(&e))?;
    let _ = writeln!(
        txt,
        "\n{} map sheets at 1:100,000 cover the line (Soviet nomenclature, bounds in Pulkovo 1942); Artsvashen lies on {}:\n  {}",
        ids.len(),
        art.id,
        ids.join(" ")
    );
    write_text(&out.join("geodesy.txt"), &txt)?;
    Ok(GeodesyStep {
        gk8_operation: format!("EPSG:{op}"),
        operations_at_artsvashen: ops_json,
        sheets_100k: ids,
        artsvashen_sheet: art.id,
    })
}

/// Write `ds` in every format and read it back; one line per format.
fn formats_round(
    ds: &Dataset,
    stem: &str,
    dir: &Path,
    report: &mut String,
    rows: &mut Vec<FormatRound>,
) {
    let want = ds.layers[0].vertex_count();
    for format in Format::ALL {
        let path = dir.join(format!("{stem}.{}", format.extension()));
        let outcome = write(&path, format, ds, &WriteOptions { overwrite: true })
            .and_then(|()| read(&path, &ReadOptions::default()))
            .map(|back| back.layers.iter().map(|l| l.vertex_count()).sum::<usize>());
        let (status, detail) = match outcome {
            Ok(n) if n == want => ("ok", format!("{n} vertices back")),
            Ok(n) => ("MISMATCH", format!("{n} vertices back, {want} written")),
            Err(e) => (
                "refused",
                e.to_string().replace(&dir.display().to_string(), "formats"),
            ),
        };
        let _ = writeln!(
            report,
            "{:<28} {:<15} {:<9} {detail}",
            path.file_name().and_then(|n| n.to_str()).unwrap_or(""),
            format.name(),
            status
        );
        rows.push(FormatRound {
            file: path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_string(),
            format: format.name(),
            result: status,
            detail,
        });
    }
}

/// Run `terminus demo`.
/// Run everything on the bundled sample into `out`; the JSON summary.
pub fn run(out: &Path, mut provenance: Provenance) -> Result<DemoSummary, Failure> {
    prepare(out)?;
    // 1. The sample.
    let mut datasets = Vec::new();
    for (name, text) in SAMPLES {
        let p = out.join("sample").join(name);
        std::fs::write(&p, text).map_err(io(&p))?;
        let ds = read(&p, &ReadOptions::default()).map_err(Failure::from)?;
        // What made this folder: the bundled samples, hashed as written
        // (the reports below carry it too).
        provenance.file(
            format!("sample {name}"),
            &p,
            "GeoJSON",
            Some("EPSG:4326".into()),
        )?;
        datasets.push((p, ds));
    }
    // 2. Info.
    let infos: Vec<crate::inspect::DatasetFacts> = datasets
        .iter()
        .map(|(p, ds)| dataset_facts(p, ds))
        .collect();
    let info_txt: String = infos.iter().map(render_text).collect::<Vec<_>>().join("\n");
    write_text(&out.join("info.txt"), &info_txt)?;
    write_text(
        &out.join("info.json"),
        &serde_json::to_string_pretty(&infos).unwrap_or_default(),
    )?;
    // 3. Validation.
    let mut validation_txt = String::new();
    let mut validation_json = Vec::new();
    let mut errors = 0;
    let mut warnings = 0;
    for (p, ds) in &datasets {
        let findings = validate_dataset(ds, &ValidationOptions::default());
        let e = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        errors += e;
        warnings += findings.len() - e;
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        for f in &findings {
            let _ = writeln!(validation_txt, "{name}: {f}");
        }
        let _ = writeln!(
            validation_txt,
            "{name}: {} ({e} error(s), {} warning(s))",
            if e == 0 { "valid" } else { "INVALID" },
            findings.len() - e
        );
        validation_json.push(json!({"file": name, "errors": e, "warnings": findings.len() - e, "findings": findings}));
    }
    write_text(&out.join("validation.txt"), &validation_txt)?;
    write_text(
        &out.join("validation.json"),
        &serde_json::to_string_pretty(&validation_json).unwrap_or_default(),
    )?;
    // 4. Every format.
    let mut formats_txt = format!("{:<28} {:<15} {:<9} detail\n", "file", "format", "result");
    let mut format_rows = Vec::new();
    formats_round(
        &datasets[0].1,
        "boundary_line",
        &out.join("formats"),
        &mut formats_txt,
        &mut format_rows,
    );
    formats_round(
        &datasets[1].1,
        "armenia",
        &out.join("formats"),
        &mut formats_txt,
        &mut format_rows,
    );
    write_text(&out.join("formats").join("round_trip.txt"), &formats_txt)?;
    // 5. Geodesy: the line on Soviet maps.
    let line = &datasets[0].1.layers[0];
    let geodesy = geodesy_step(line, out)?;
    // 6. The boundary model.
    let boundary = boundary_model(line)?;
    write_text(
        &out.join("boundary.json"),
        &serde_json::to_string_pretty(&boundary).unwrap_or_default(),
    )?;
    // 7. Compare two editions of the line.
    let cmp = compare_step(&datasets, out, &provenance)?;
    // 8. The compromise median of the two editions, and who gains.
    let median = median_step(&datasets, out, &provenance)?;
    // 9. Terrain: the Trans-Alay water-parting against the border.
    let terrain = terrain_step(out)?;
    // 10. Demarcation: pillars, catalogue, descriptions, a simulated survey.
    let demarcation = demarcation_step(&datasets[0].1, out)?;
    // 11. The commission's record: the Tavush–Gazakh line agreed, signed,
    // its pillars attached, exchanged as a bundle and verified.
    let ledger = ledger_step(&datasets[0].1, out)?;
    write_text(&out.join("README.md"), README)?;

    let length_km = measure_layer(line).map(|m| m.length_m).unwrap_or(f64::NAN) / 1000.0;
    let area = |ds: &Dataset| -> f64 {
        measure_layer(&ds.layers[0])
            .map(|m| m.area_m2)
            .unwrap_or(f64::NAN)
            / 1e6
    };
    let summary = DemoSummary {
        results: out.display().to_string(),
        boundary_line_km: length_km,
        boundary_line_vertices: line.vertex_count(),
        sections: boundary.sections.iter().map(|s| s.name.clone()).collect(),
        armenia_km2: area(&datasets[1].1),
        azerbaijan_km2: area(&datasets[2].1),
        validation: Counts { errors, warnings },
        formats: format_rows,
        geodesy,
        compare: cmp,
        median,
        terrain,
        demarcation,
        ledger,
    };
    provenance.write(out)?;
    Ok(summary)
}

/// The two Natural Earth editions compared, Armenia and Azerbaijan as the
/// parties; results in `compare/`, the pair's summary returned.
fn compare_step(
    datasets: &[(PathBuf, Dataset)],
    out: &Path,
    provenance: &Provenance,
) -> Result<terminus_compare::Comparison, Failure> {
    use crate::compare::write_results;
    use crate::shapes::{line_pieces, polygons};
    use terminus_compare::{ClaimLine, Inputs, Options, Territory};
    let inputs = Inputs {
        lines: vec![
            ClaimLine {
                name: "NE 5.1.1".into(),
                pieces: line_pieces(&datasets[0].0, &datasets[0].1)?,
            },
            ClaimLine {
                name: "NE 4.1.0".into(),
                pieces: line_pieces(&datasets[3].0, &datasets[3].1)?,
            },
        ],
        territories: vec![
            Territory {
                party: "ARM".into(),
                polygons: polygons(&datasets[1].0, &datasets[1].1)?,
            },
            Territory {
                party: "AZE".into(),
                polygons: polygons(&datasets[2].0, &datasets[2].1)?,
            },
        ],
        ..Inputs::default()
    };
    let c = terminus_compare::compare(&inputs, &Options::default())
        .map_err(|e| Failure::failed(e.to_string()))?;
    write_results(
        &out.join("compare"),
        &c,
        5,
        Some(provenance),
        true,
        crate::words::Lang::En,
        None,
    )?;
    Ok(c)
}

/// The compromise median of the two Natural Earth editions, Armenia and
/// Azerbaijan as the parties; results in `median/`.
fn median_step(
    datasets: &[(PathBuf, Dataset)],
    out: &Path,
    provenance: &Provenance,
) -> Result<crate::median::MedianSummary, Failure> {
    use crate::shapes::{line_pieces, polygons};
    use terminus_compare::Territory;
    crate::median::demo_compromise(
        &out.join("median"),
        [
            ("NE 5.1.1", line_pieces(&datasets[0].0, &datasets[0].1)?),
            ("NE 4.1.0", line_pieces(&datasets[3].0, &datasets[3].1)?),
        ],
        vec![
            Territory {
                party: "ARM".into(),
                polygons: polygons(&datasets[1].0, &datasets[1].1)?,
            },
            Territory {
                party: "AZE".into(),
                polygons: polygons(&datasets[2].0, &datasets[2].1)?,
            },
        ],
        provenance,
    )
}

/// The water-parting between the Kyzyl-Suu (north) and the Muksu (south)
/// on the bundled GEBCO excerpt — both leave it westwards, at 39.49°N and
/// 39.18°N — measured against the Natural Earth border line.
fn terrain_step(out: &Path) -> Result<crate::terrain::DivideSummary, Failure> {
    use terminus_terrain::divide::{water_parting, WaterPartingOptions};
    let dem_path = out.join("sample").join(DEM_SAMPLE.0);
    std::fs::write(&dem_path, DEM_SAMPLE.1).map_err(io(&dem_path))?;
    let line_path = out.join("sample").join(KG_TJ_LINE.0);
    std::fs::write(&line_path, KG_TJ_LINE.1).map_err(io(&line_path))?;
    let mut dem =
        terminus_terrain::read(&dem_path, None).map_err(|e| Failure::failed(e.to_string()))?;
    // The voids the divide would meet, as `terrain divide` checks them.
    let voids = crate::terrain::handle_voids(
        &mut dem,
        &dem_path,
        crate::terrain::VoidPolicy::Refuse,
        None,
        "water-parting",
    )?;
    let id = |x: f64, y: f64| Some((y, x));
    let id2 = |lat: f64, lon: f64| Some((lon, lat));
    let wp = water_parting(
        &dem,
        &WaterPartingOptions {
            a: &[(39.4896, 72.0021)],
            b: &[(39.1813, 72.0021)],
            seeds_a: &[],
            seeds_b: &[],
            snap_m: 1000.0,
            simplify_m: 0.0,
            metric: terminus_terrain::flow::CellMetric::Ellipsoid,
            to_wgs84: &id,
            from_wgs84: &id2,
        },
    )
    .map_err(|e| Failure::failed(e.to_string()))?;
    let compare = [line_path];
    let (mut summary, fc) = crate::terrain::divide_outputs(&Default::default(), &wp, &compare)?;
    summary.voids = voids;
    // The divide, its report and its map over the DEM's relief.
    let divide = crate::terrain::divide_with_map(
        &dem,
        &wp,
        summary,
        fc,
        &crate::terrain::Beside {
            compare: &compare,
            input: &Default::default(),
            lang: crate::words::Lang::En,
            places: None,
        },
        None,
    )?;
    std::fs::create_dir_all(out.join("terrain")).map_err(io(&out.join("terrain")))?;
    crate::terrain::write_divide(&out.join("terrain").join("divide.geojson"), &divide, true)?;
    let summary = divide.summary;
    write_text(
        &out.join("terrain").join("divide.json"),
        &serde_json::to_string_pretty(&summary).unwrap_or_default(),
    )?;
    Ok(summary)
}

/// Pillars for two sectors: the Natural Earth Kyrgyz–Tajik line where it
/// crosses the bundled GEBCO excerpt (sight and slopes from the DEM), and
/// the first 13 km of the Armenia–Azerbaijan line from the Georgian
/// tripoint southwards, Tavush–Gazakh (no DEM bundled there: spacing only).
/// Each gets its catalogue in every format and its descriptions; the Alay
/// one also a simulated survey check.
/// Piece 1 of the AM–AZ sample line from the vertex where it has run
/// `from_m` (the first at or beyond it) to the first at or beyond `to_m`,
/// (lat, lon): the stretch after the Tavush–Gazakh sample section.
fn line_stretch(am_az: &Dataset, from_m: f64, to_m: f64) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    if let Some(Some(Geometry::LineString(cs))) =
        am_az.layers[0].features.get(1).map(|f| f.geometry.as_ref())
    {
        let g = terminus_geodesy::Ellipsoid::WGS84.geodesic();
        let mut len = 0.0;
        let mut last: Option<(f64, f64)> = None;
        for c in cs {
            if let Some((la, lo)) = last {
                let d: f64 =
                    terminus_geodesy::measure::InverseGeodesic::inverse(&g, la, lo, c.y, c.x);
                len += d;
            }
            last = Some((c.y, c.x));
            if len >= from_m {
                out.push((c.y, c.x));
            }
            if len >= to_m {
                break;
            }
        }
    }
    out
}

/// Tavush–Gazakh: piece 1 of the AM–AZ sample line from the Georgian
/// tripoint, its first ~12.7 km, (lat, lon).
fn tavush_gazakh_line(am_az: &Dataset) -> Vec<(f64, f64)> {
    let mut tg: Vec<(f64, f64)> = Vec::new();
    if let Some(Some(Geometry::LineString(cs))) =
        am_az.layers[0].features.get(1).map(|f| f.geometry.as_ref())
    {
        let g = terminus_geodesy::Ellipsoid::WGS84.geodesic();
        let mut len = 0.0;
        for c in cs {
            if let Some(&(la, lo)) = tg.last() {
                let d: f64 =
                    terminus_geodesy::measure::InverseGeodesic::inverse(&g, la, lo, c.y, c.x);
                len += d;
            }
            tg.push((c.y, c.x));
            if len >= 12_700.0 {
                break;
            }
        }
    }
    tg
}

fn demarcation_step(am_az: &Dataset, out: &Path) -> Result<DemarcationStep, Failure> {
    use terminus_demarcation::{catalogue, plan, sampler::DemSampler, survey};
    use terminus_documents::description as describe;
    let failed = |e: terminus_demarcation::DemarcationError| Failure::failed(e.to_string());
    let doc_failed = |e: terminus_documents::DocumentError| Failure::failed(e.to_string());
    let dem_path = out.join("sample").join(DEM_SAMPLE.0);
    let dem =
        terminus_terrain::read(&dem_path, None).map_err(|e| Failure::failed(e.to_string()))?;
    let sampler = DemSampler::new(&dem).map_err(failed)?;
    // The Kyrgyz–Tajik line's run of vertices on the excerpt.
    let kg: serde_json::Value = serde_json::from_str(KG_TJ_LINE.1).unwrap_or_default();
    let alay: Vec<(f64, f64)> = kg["features"][0]["geometry"]["coordinates"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| Some((c[1].as_f64()?, c[0].as_f64()?)))
                .take_while(|&(lat, lon)| {
                    (72.02..=74.48).contains(&lon) && (38.62..=39.98).contains(&lat)
                })
                .collect()
        })
        .unwrap_or_default();
    let tg = tavush_gazakh_line(am_az);
    let mut sectors = std::collections::BTreeMap::new();
    let mut survey_summary = None;
    let doc = Documents::default();
    for (key, line, prefix, section, use_dem, source) in [
        (
            "alay",
            &alay,
            "KT",
            "Kyrgyzstan–Tajikistan, Alay sector (sample)",
            true,
            "Natural Earth 10m 5.1.1 Kyrgyzstan–Tajikistan line (public domain), a sample, not a delimited line",
        ),
        (
            "tavush_gazakh",
            &tg,
            "TG",
            "Armenia–Azerbaijan, Tavush–Gazakh (sample)",
            false,
            "Natural Earth 10m 5.1.1 Armenia–Azerbaijan line from the Georgian tripoint (public domain), a sample, not the 2024 line",
        ),
    ] {
        let settings = plan::PlanSettings {
            numbering: plan::Numbering {
                prefix: prefix.into(),
                ..plan::Numbering::default()
            },
            ..plan::PlanSettings::default()
        };
        let dem_used = if use_dem { Some(&sampler) } else { None };
        let p = plan::plan(line, dem_used, &[], &[], &settings).map_err(failed)?;
        let cs = catalogue::CatalogueSettings {
            section: section.into(),
            dem_name: use_dem.then(|| DEM_SAMPLE.0.to_string()),
            dem_accuracy: use_dem.then(|| {
                "GEBCO 2023, 15″ grid (~0.46 × 0.36 km cells): heights are cell values smoothed over the cell, good to tens of metres in these mountains, not survey heights".to_string()
            }),
            sight: settings.sight,
            ..catalogue::CatalogueSettings::default()
        };
        let cat = catalogue::catalogue(&p, dem_used, &cs).map_err(failed)?;
        let dir = out.join("demarcation").join(key);
        let doc = Documents {
            section: section.into(),
            sources: vec![source.into()],
            ..doc.clone()
        };
        crate::demarcate::write_documents(&dir, &cat, &doc, true)?;
        write_text(&dir.join("plan.json"), &serde_json::to_string_pretty(&p).unwrap_or_default())?;
        // The plan's report and map (over the DEM's relief where used).
        let mut planned = crate::demarcate::Demarcation {
            plan: Some(p.clone()),
            voids: None,
            catalogue: cat.clone(),
            notes: Vec::new(),
            plan_s: None,
            max_slope_deg: settings.max_slope_deg,
            map: None,
            lang: crate::words::Lang::En,
            places: Vec::new(),
            places_within_m: None,
            provenance: crate::Provenance::new(vec!["terminus".into(), "demo".into()]),
        };
        planned.map = crate::demarcate::plan_map(&planned, dem_used);
        crate::demarcate::write_plan_report(&dir, &planned, true)?;
        // The English description parsed back against the catalogue.
        let d = describe::describe(&cat, describe::Lang::En, &describe::DescriptionSettings::default()).map_err(doc_failed)?;
        let calls = describe::parse(&d.markdown).map_err(doc_failed)?;
        let closure = describe::closure(&calls, &cat).map_err(doc_failed)?;
        let not_seen = cat.rows.iter().filter(|r| r.visible_next == Some(false)).count();
        sectors.insert(
            key.to_string(),
            Sector {
                section: section.to_string(),
                pillars: cat.rows.iter().filter(|r| r.kind.marked()).count(),
                main: p.pillars.iter().filter(|q| q.kind == plan::PillarType::Main).count(),
                length_m: p.length_m,
                checked: if use_dem {
                    format!("{not_seen} pairs not intervisible on the DEM")
                } else {
                    "no DEM: spacing only".into()
                },
                closure_mm: closure.max_m * 1000.0,
                warnings: p.warnings.len(),
            },
        );
        if key == "alay" {
            // A simulated GNSS survey: every pillar within 2 cm of its plan,
            // except pillar 5 (8 cm along the line) and pillar 9 (7 cm across it).
            let g = terminus_geodesy::Ellipsoid::WGS84.geodesic();
            let mut csv = String::from("number,lat,lon\n");
            let mut surveyed = Vec::new();
            for (i, r) in cat.rows.iter().enumerate().take(40) {
                let az = r.azimuth_next_deg.unwrap_or(0.0);
                let (azi, dist) = match i {
                    5 => (az, 0.08),
                    9 => (az - 90.0, 0.07),
                    _ => (37.0 * i as f64, 0.02),
                };
                let (lat, lon): (f64, f64) =
                    terminus_geodesy::measure::DirectGeodesic::direct(&g, r.lat, r.lon, azi, dist);
                let _ = writeln!(csv, "{},{lat:.10},{lon:.10}", r.number);
                surveyed.push(survey::SurveyedPillar { number: r.number.clone(), lat, lon, record: i + 1 });
            }
            write_text(&dir.join("survey_simulated.csv"), &csv)?;
            let rep = survey::check(&cat, &p.line, &surveyed, 0.05).map_err(failed)?;
            write_text(&dir.join("survey.json"), &serde_json::to_string_pretty(&rep).unwrap_or_default())?;
            survey_summary = Some(SurveyStep {
                checked: rep.pillars.len(),
                beyond_tolerance: rep.beyond_tolerance,
                off_line: rep.off_line,
                wrong_side: rep.wrong_side,
            });
        }
    }
    Ok(DemarcationStep {
        sectors,
        survey: survey_summary,
    })
}

fn write_text(path: &Path, text: &str) -> Result<(), Failure> {
    std::fs::write(path, text).map_err(io(path))
}

const README: &str = "# Terminus demo results

Made by `terminus demo` from the bundled Natural Earth 10m sample of the
Armenia–Azerbaijan boundary (public domain; see data/README.md in the
Terminus source).

| file | what |
|---|---|
| `sample/` | the bundled GeoJSON files: the shared boundary line, Armenia, Azerbaijan (Natural Earth 5.1.1), and the same line from Natural Earth 4.1.0 |
| `info.txt`, `info.json` | `terminus info` of each: layers, features, geometry types, vertices, extent, CRS, geodesic length, perimeter and area on the WGS 84 ellipsoid |
| `validation.txt`, `validation.json` | `terminus validate` of each: every finding with its layer, feature, part, ring and vertex |
| `formats/` | the boundary line and Armenia's polygon written in GeoJSON, GeoPackage, Shapefile, KML, KMZ, GPX, CSV and WKT; `round_trip.txt` says which came back vertex-exact and why a format refused (GPX holds no polygons) |
| `geodesy.txt` | the Pulkovo 1942 → WGS 84 transformations valid at Artsvashen and how far apart they put it; the 1:100,000 Soviet map sheets the line crosses; `formats/boundary_line_gk8.gpkg`, the line in Gauss–Krüger zone 8 through the named transformation |
| `boundary.json` | the sample in Terminus' boundary model: parties, the Natural Earth source, the claim line and its sections |
| `terrain/` | the water-parting between the Kyzyl-Suu and the Muksu along the Trans-Alay range, from the bundled GEBCO 2023 excerpt (`sample/gebco2023_alay_pamir_KG_TJ_15s.tif`): `divide.geojson` (the line, with its highest point and lowest pass) and `divide.json` (its length and its distances from the Natural Earth Kyrgyzstan–Tajikistan line) |
| `demarcation/alay/` | pillars planned along the Natural Earth Kyrgyz–Tajik line where it crosses the GEBCO excerpt: main pillars at its turning points, intermediates ≤ 500 m apart and each in sight of the next on the DEM; `catalogue.csv` (and `.geojson`, `.gpkg`, `.kml` for Google Earth, `.gpx` for GNSS receivers), `description_en/ru.md/.html` (the protocol-description, which parses back to the catalogue within a millimetre), `plan.json` (with every warning), and a check of a *simulated* GNSS survey (`survey_simulated.csv` → `survey.json`) |
| `demarcation/tavush_gazakh/` | the same for the first 12.7 km of the Armenia–Azerbaijan sample line from the Georgian tripoint (Tavush–Gazakh); no DEM is bundled there, so spacing only, as the catalogue says |
| `ledger/` | the commission's signed record of the Tavush–Gazakh sample section: ARM's head proposes the line, both heads and the mediator sign the same terms (the line at 9 decimals, the basis, the protocol-description's SHA-256), AZE's head attaches the pillar catalogue and description, AZE's head proposes the next stretch (Tavush–Gazakh south, under negotiation), both heads sign the log's tree head; each party keeps a draft of its own on the new stretch in the store (its party's alone); `am-az-sample.sqlite` (the store: `terminus serve --store … --commission AM-AZ-sample` serves it), `am-az-sample.gpkg` (the bundle for the other delegation, which `terminus ledger verify` checks offline; its layers open in QGIS; no drafts in it), `keys/` (the five members' demo keys: both heads, the mediator, an observer of each party — never use them for anything real), `verify.json` |
| `median/` | `terminus median --compromise` of the 5.1.1 and 4.1.0 lines: the line equidistant from both, region by region between them (`median.geojson`), its turning points with their base points on both lines (`turning_points.csv`, `.geojson`), `median.gpkg` (with base points and tie lines), `report.md` and `summary.json` with the area Armenia and Azerbaijan gain with the compromise against each edition |
| `compare/` | `terminus compare` of the 5.1.1 line against the 4.1.0 one, Armenia and Azerbaijan as parties: `report.html` (open it in a browser) and `report.md`, `summary.json`, the layers (`agreement`, `discrepancies`, `closures`, `territories`) as GeoJSON and in `comparison.gpkg`, and `maps/` (SVG and PNG: an overview and the five largest discrepancies) |

Open the `.gpkg`, `.shp` and `.kml` files in QGIS or Google Earth.
";

/// The commission's record of the Tavush–Gazakh sample section: three
/// members with their own keys (demo keys, written beside the record), a
/// proposal, both heads signing the same terms with the protocol-
/// description's hash, the mediator countersigning, the pillar catalogue
/// attached, a signed tree head; the bundle exported and verified.
fn ledger_step(am_az: &Dataset, out: &Path) -> Result<LedgerStep, Failure> {
    use terminus_ledger::keys::MemberKey;
    use terminus_ledger::record::{section_terms, Member, Record, TreeHead};
    let dir = out.join("ledger");
    // A record is never rewritten: a new run starts a new one (the folder
    // is the demo's own, checked by `prepare`).
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(io(&dir))?;
    }
    std::fs::create_dir_all(dir.join("keys")).map_err(io(&dir))?;
    let section = "Tavush–Gazakh (sample)";
    let commission = "AM-AZ-sample";
    let time = terminus_ledger::record::now_rfc3339();
    let people = [
        ("arm-head", "ARM", "head"),
        ("aze-head", "AZE", "head"),
        ("mediator", "mediator", "mediator"),
        ("arm-observer", "ARM", "observer"),
        ("aze-observer", "AZE", "observer"),
    ];
    let keys: Vec<MemberKey> = people.iter().map(|_| MemberKey::generate()).collect();
    for ((id, _, _), k) in people.iter().zip(&keys) {
        crate::ledger::write_key_file(&dir.join("keys").join(format!("{id}.key")), id, k)?;
    }
    let members: Vec<Member> = people
        .iter()
        .zip(&keys)
        .map(|((id, party, role), k)| Member::new(id, party, role, k))
        .collect();
    let (arm, aze, mediator) = (
        ("arm-head", &keys[0]),
        ("aze-head", &keys[1]),
        ("mediator", &keys[2]),
    );
    let line: Vec<(f64, f64)> = tavush_gazakh_line(am_az)
        .iter()
        .map(|&(lat, lon)| (lon, lat))
        .collect();
    let pillars_dir = out.join("demarcation").join("tavush_gazakh");
    let read_text = |name: &str| {
        let p = pillars_dir.join(name);
        std::fs::read_to_string(&p).map_err(|e| Failure::failed(format!("{}: {e}", p.display())))
    };
    let protocol = read_text("description_en.md")?;
    use crate::ledger::to_body;
    use terminus_model::bodies::{
        Agreement, AttachedDocument, Attachment, Proposal, ProposalSource,
    };
    let mut r = Record::found(commission, &members, arm, &time);
    let mut source = ProposalSource::new("Natural Earth 10m 5.1.1 (public domain), a sample");
    source.map_series = Some("Natural Earth".into());
    source.scale = Some(10_000_000);
    source.file = Some(SAMPLES[0].0.into());
    r.append(
        "proposal",
        to_body(&Proposal {
            section: section.into(),
            crs: Crs::WGS84,
            line: line.iter().map(|p| [p.0, p.1]).collect(),
            source,
        }),
        arm,
        &time,
    );
    let terms = section_terms(
        section,
        &Crs::WGS84,
        9,
        &line,
        "Natural Earth 5.1.1 line from the Georgian tripoint (sample)",
        &protocol,
    );
    for who in [aze, arm, mediator] {
        r.append(
            "agreement",
            to_body(&Agreement {
                terms: terms.clone(),
            }),
            who,
            &time,
        );
    }
    let agreed = terminus_ledger::record::verify(&r)
        .map_err(|e| Failure::failed(e.to_string()))?
        .agreed;
    let terms_sha256 = agreed
        .get(section)
        .map(|a| a.terms_sha256.clone())
        .unwrap_or_default();
    // The pillars as `terminus sign attachment --catalogue` reads them.
    let catalogue_path = pillars_dir.join("catalogue.geojson");
    let catalogue = read(&catalogue_path, &ReadOptions::default()).map_err(Failure::from)?;
    let pillars = crate::ledger::attached_pillars(&catalogue_path, &catalogue)?;
    let n_pillars = pillars.len();
    r.append(
        "attachment",
        to_body(&Attachment {
            section: section.into(),
            what: "pillar_catalogue".into(),
            terms_sha256: terms_sha256.clone(),
            replaces: None,
            crs: Crs::WGS84,
            pillars,
            documents: vec![AttachedDocument {
                name: Some("description_en.md".into()),
                sha256: terms.protocol_sha256.clone(),
                text: protocol,
            }],
            notes: Vec::new(),
        }),
        aze,
        &time,
    );
    // The next stretch of the line, under negotiation: AZE's head
    // proposes it; each party keeps a draft of its own answer (what the
    // other party, and the observers, never see).
    let next_section = "Tavush–Gazakh south (sample)";
    let next: Vec<(f64, f64)> = line_stretch(am_az, 12_700.0, 20_000.0)
        .iter()
        .map(|&(lat, lon)| (lon, lat))
        .collect();
    let mut source = ProposalSource::new("Natural Earth 10m 5.1.1 (public domain), a sample");
    source.file = Some(SAMPLES[0].0.into());
    r.append(
        "proposal",
        to_body(&Proposal {
            section: next_section.into(),
            crs: Crs::WGS84,
            line: next.iter().map(|p| [p.0, p.1]).collect(),
            source,
        }),
        aze,
        &time,
    );
    let root = terminus_ledger::record::verify(&r)
        .map_err(|e| Failure::failed(e.to_string()))?
        .root;
    for who in [arm, aze] {
        r.heads.push(TreeHead::sign(
            commission,
            r.events.len() as u64,
            &root,
            who,
        ));
    }
    let store_path = dir.join("am-az-sample.sqlite");
    let mut store = terminus_ledger::store::SqliteStore::open(&store_path, commission)
        .map_err(|e| Failure::failed(format!("{}: {e}", store_path.display())))?;
    terminus_ledger::store::RecordStore::keep(&mut store, &r)
        .map_err(|e| Failure::failed(e.to_string()))?;
    // Each party's draft counter-proposal on the section under
    // negotiation: the line moved 300 m east (ARM) or west (AZE), as a
    // sample, kept for the party alone.
    for (party, who, shift) in [("ARM", arm, 0.0035), ("AZE", aze, -0.0035)] {
        let d = terminus_ledger::draft::Draft::sign(
            commission,
            party,
            who,
            &time,
            serde_json::json!({
                "section": next_section,
                "kind": "counter_proposal",
                "line": next.iter().map(|p| [p.0 + shift, p.1]).collect::<Vec<_>>(),
                "source": {"text": format!("{party} draft (sample)"), "transformation": []},
            }),
        );
        terminus_ledger::store::RecordStore::add_draft(&mut store, &d)
            .map_err(|e| Failure::failed(e.to_string()))?;
    }
    drop(store);
    let bundle = dir.join("am-az-sample.gpkg");
    let (events, heads, n_agreed) = crate::ledger::export_bundle(&store_path, commission, &bundle)?;
    let verified = crate::ledger::verify_file(&bundle).map_err(|(_, _, why)| {
        Failure::failed(format!("the demo's own bundle does not verify: {why}"))
    })?;
    let summary = LedgerStep {
        commission: commission.to_string(),
        section: section.to_string(),
        events,
        tree_heads: heads,
        agreed_sections: n_agreed,
        terms_sha256: terms_sha256.to_string(),
        pillars_attached: n_pillars,
        root: verified.root,
        store: store_path.display().to_string(),
        bundle: bundle.display().to_string(),
        verified: true,
    };
    write_text(
        &dir.join("verify.json"),
        &serde_json::to_string_pretty(&summary).unwrap_or_default(),
    )?;
    Ok(summary)
}

/// What `terminus demo --json` prints: each step's figures (docs/demo.md).
#[derive(Debug, Clone, Serialize)]
pub struct DemoSummary {
    /// The results folder.
    pub results: String,
    /// The bundled boundary line's geodesic length on WGS 84, km.
    pub boundary_line_km: f64,
    /// Its vertices.
    pub boundary_line_vertices: usize,
    /// The sections of the boundary model.
    pub sections: Vec<String>,
    /// Armenia's geodesic area, km².
    pub armenia_km2: f64,
    /// Azerbaijan's geodesic area, km².
    pub azerbaijan_km2: f64,
    /// Findings of the sample's validation.
    pub validation: Counts,
    /// Each format written and read back.
    pub formats: Vec<FormatRound>,
    /// The line on Soviet maps.
    pub geodesy: GeodesyStep,
    /// The two editions compared: the pair's figures and largest
    /// discrepancies, as `terminus compare --json` gives a pair.
    #[serde(serialize_with = "first_pair")]
    pub compare: terminus_compare::Comparison,
    /// The compromise median of the two editions.
    pub median: crate::median::MedianSummary,
    /// The Trans-Alay water-parting against the border line.
    pub terrain: crate::terrain::DivideSummary,
    /// Pillars, catalogues, descriptions and the survey check.
    pub demarcation: DemarcationStep,
    /// The commission's signed record.
    pub ledger: LedgerStep,
}

fn first_pair<S: serde::Serializer>(
    c: &terminus_compare::Comparison,
    s: S,
) -> Result<S::Ok, S::Error> {
    crate::compare::summary(c).pairs.first().serialize(s)
}

/// Findings by severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
}

/// One file written in one format and read back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormatRound {
    /// The file written.
    pub file: String,
    /// Its format.
    pub format: &'static str,
    /// "ok", "MISMATCH" or "refused".
    pub result: &'static str,
    /// Vertices back, or why the format refused.
    pub detail: String,
}

/// The line on Soviet maps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GeodesyStep {
    /// The transformation the GK zone 8 copy went through.
    pub gk8_operation: String,
    /// Pulkovo 1942 → WGS 84 transformations valid at Artsvashen.
    pub operations_at_artsvashen: Vec<OperationAtArtsvashen>,
    /// The 1:100,000 sheets the line crosses.
    pub sheets_100k: Vec<String>,
    /// The sheet Artsvashen lies on.
    pub artsvashen_sheet: String,
}

/// One transformation valid at Artsvashen and how far it moves the place
/// from the first (most accurate) one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OperationAtArtsvashen {
    /// EPSG code.
    pub code: u32,
    /// EPSG's stated accuracy, metres.
    pub accuracy_m: f64,
    /// Geodesic distance from the first transformation's result, metres.
    pub metres_from_default: f64,
}

/// The demarcation step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemarcationStep {
    /// Each sector by key (`alay`, `tavush_gazakh`).
    #[serde(flatten)]
    pub sectors: std::collections::BTreeMap<String, Sector>,
    /// The simulated survey check of the Alay pillars.
    pub survey: Option<SurveyStep>,
}

/// Pillars planned for one sector.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sector {
    /// The section's name.
    pub section: String,
    /// Pillars.
    pub pillars: usize,
    /// Main pillars.
    pub main: usize,
    /// The line's geodesic length, metres.
    pub length_m: f64,
    /// What was checked: intervisibility on the DEM, or spacing only.
    pub checked: String,
    /// The protocol-description parsed back against the catalogue: largest
    /// distance, mm.
    pub closure_mm: f64,
    /// Warnings of the plan.
    pub warnings: usize,
}

/// The simulated survey check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurveyStep {
    /// Pillars checked.
    pub checked: usize,
    /// Beyond the 5 cm tolerance.
    pub beyond_tolerance: usize,
    /// Off the line by more than the tolerance.
    pub off_line: usize,
    /// On the wrong side of the line.
    pub wrong_side: usize,
}

/// The commission's record made by the demo.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LedgerStep {
    /// The commission's id.
    pub commission: String,
    /// The section agreed.
    pub section: String,
    /// Events in the record.
    pub events: usize,
    /// Signed tree heads.
    pub tree_heads: usize,
    /// Sections agreed.
    pub agreed_sections: usize,
    /// The SHA-256 of the agreed terms.
    pub terms_sha256: String,
    /// Pillars attached to the agreement.
    pub pillars_attached: usize,
    /// The verified log's root.
    pub root: String,
    /// The store.
    pub store: String,
    /// The bundle exported.
    pub bundle: String,
    /// Whether the bundle verified.
    pub verified: bool,
}
