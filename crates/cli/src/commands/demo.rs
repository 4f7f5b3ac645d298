//! `terminus demo`: the whole product on the bundled Natural Earth sample of
//! the Armenia–Azerbaijan boundary. Each feature of Terminus adds its step
//! here, so the demo always shows everything the product does.

use super::info::{dataset_json, render_text};
use super::print_json;
use crate::failure::Failure;
use serde_json::json;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use terminus_formats::{read, write, Format, ReadOptions, WriteOptions};
use terminus_geodesy::Crs;
use terminus_model::{Boundary, ClaimLine, Party, Section, Source, SourceKind, Status};
use terminus_vector::measure::GeodesicMeasure;
use terminus_vector::validate::{validate_dataset, Severity, ValidationOptions};
use terminus_vector::{Dataset, Layer};

/// The bundled sample (public domain, see data/README.md).
const SAMPLES: [(&str, &str); 3] = [
    (
        "naturalearth10m_ARM_AZE_shared.geojson",
        include_str!("../../../../data/naturalearth10m_ARM_AZE_shared.geojson"),
    ),
    (
        "naturalearth10m_ARM.geojson",
        include_str!("../../../../data/naturalearth10m_ARM.geojson"),
    ),
    (
        "naturalearth10m_AZE.geojson",
        include_str!("../../../../data/naturalearth10m_AZE.geojson"),
    ),
];

/// Marks a folder as the demo's own, so a re-run may replace its files.
const MARKER: &str = ".terminus-demo";

/// Arguments of `terminus demo`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Writes a results folder (default ./terminus-demo) with:
  sample/      the bundled Natural Earth files (public domain)
  info.txt     layers, counts, extent, CRS, geodesic length and area (also info.json)
  validation.txt  every finding of `terminus validate` (also validation.json)
  formats/     the boundary line and Armenia's polygon in every format, and a
               round-trip check of each (formats/round_trip.txt)
  boundary.json   the sample as the boundary model: parties, source, claim line, sections
  README.md    what each file is

A folder that exists and was not made by the demo is left alone.")]
pub struct Args {
    /// Results folder.
    #[arg(long, default_value = "terminus-demo")]
    pub out: PathBuf,
    /// Print a JSON summary.
    #[arg(long)]
    pub json: bool,
}

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
    for sub in ["", "sample", "formats"] {
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
    let mut claim = ClaimLine::from_layer(
        "ne10m-line",
        "Natural Earth 10m boundary",
        line,
        Status::Disputed,
    )
    .map_err(|e| Failure::failed(e.to_string()))?;
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

/// Write `ds` in every format and read it back; one line per format.
fn formats_round(
    ds: &Dataset,
    stem: &str,
    dir: &Path,
    report: &mut String,
    rows: &mut Vec<serde_json::Value>,
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
        rows.push(json!({"file": path.file_name().and_then(|n| n.to_str()), "format": format.name(), "result": status, "detail": detail}));
    }
}

/// Run `terminus demo`.
pub fn run(args: Args) -> Result<u8, Failure> {
    let out = &args.out;
    prepare(out)?;
    // 1. The sample.
    let mut datasets = Vec::new();
    for (name, text) in SAMPLES {
        let p = out.join("sample").join(name);
        std::fs::write(&p, text).map_err(io(&p))?;
        let ds = read(&p, &ReadOptions::default()).map_err(Failure::from)?;
        datasets.push((p, ds));
    }
    // 2. Info.
    let infos: Vec<serde_json::Value> =
        datasets.iter().map(|(p, ds)| dataset_json(p, ds)).collect();
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
    // 5. The boundary model.
    let line = &datasets[0].1.layers[0];
    let boundary = boundary_model(line)?;
    write_text(
        &out.join("boundary.json"),
        &serde_json::to_string_pretty(&boundary).unwrap_or_default(),
    )?;
    write_text(&out.join("README.md"), README)?;

    let length_km = line
        .features
        .iter()
        .filter_map(|f| f.geometry.as_ref()?.geodesic_length(&line.crs).ok())
        .sum::<f64>()
        / 1000.0;
    let area = |ds: &Dataset| -> f64 {
        let l = &ds.layers[0];
        l.features
            .iter()
            .filter_map(|f| f.geometry.as_ref()?.geodesic_area(&l.crs).ok())
            .sum::<f64>()
            / 1e6
    };
    let summary = json!({
        "results": out.display().to_string(),
        "boundary_line_km": length_km,
        "boundary_line_vertices": line.vertex_count(),
        "sections": boundary.sections.iter().map(|s| &s.name).collect::<Vec<_>>(),
        "armenia_km2": area(&datasets[1].1),
        "azerbaijan_km2": area(&datasets[2].1),
        "validation": {"errors": errors, "warnings": warnings},
        "formats": format_rows,
    });
    if args.json {
        print_json(&summary);
    } else {
        println!(
            "Terminus demo: the Armenia–Azerbaijan boundary, Natural Earth 10m (public domain)\n"
        );
        println!(
            "  boundary line     {length_km:.3} km geodesic (WGS 84), {} vertices, {} sections:",
            line.vertex_count(),
            boundary.sections.len()
        );
        for s in &boundary.sections {
            println!("                      {}", s.name);
        }
        println!(
            "  Armenia           {:.1} km² geodesic",
            area(&datasets[1].1)
        );
        println!(
            "  Azerbaijan        {:.1} km² geodesic",
            area(&datasets[2].1)
        );
        println!("  validation        {errors} error(s), {warnings} warning(s)  → validation.txt");
        let ok = format_rows.iter().filter(|r| r["result"] == "ok").count();
        let refused = format_rows
            .iter()
            .filter(|r| r["result"] == "refused")
            .count();
        println!(
            "  formats           {ok} of {} written and read back vertex-exact, {refused} refused as the format cannot hold them  → formats/round_trip.txt",
            format_rows.len()
        );
        println!("  boundary model    parties, source, claim line, sections  → boundary.json");
        println!("\nResults: {}", out.display());
    }
    Ok(0)
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
| `sample/` | the three bundled GeoJSON files: the shared boundary line, Armenia, Azerbaijan |
| `info.txt`, `info.json` | `terminus info` of each: layers, features, geometry types, vertices, extent, CRS, geodesic length, perimeter and area on the WGS 84 ellipsoid |
| `validation.txt`, `validation.json` | `terminus validate` of each: every finding with its layer, feature, part, ring and vertex |
| `formats/` | the boundary line and Armenia's polygon written in GeoJSON, GeoPackage, Shapefile, KML, KMZ, GPX, CSV and WKT; `round_trip.txt` says which came back vertex-exact and why a format refused (GPX holds no polygons) |
| `boundary.json` | the sample in Terminus' boundary model: parties, the Natural Earth source, the claim line and its sections |

Open the `.gpkg`, `.shp` and `.kml` files in QGIS or Google Earth.
";
