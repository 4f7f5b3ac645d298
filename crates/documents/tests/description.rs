//! The protocol-description and the catalogue's files, on a catalogue of
//! the bundled Natural Earth Kyrgyz–Tajik line (the Alay sector, spacing
//! only): the description parses back to the catalogue within a
//! millimetre in both languages and both forms, a corrupted call is
//! caught, feature runs restart the chain; the CSV and the layer carry
//! every row as the catalogue holds it.

use terminus_demarcation::catalogue::{self, CatalogueSettings};
use terminus_demarcation::plan::{self, Numbering, PlanSettings};
use terminus_documents::catalogue::{csv, layer, CSV_HEADER};
use terminus_documents::description::{self as describe, DescriptionSettings, FeatureRun, Lang};

fn sector_catalogue() -> catalogue::Catalogue {
    let p = plan::plan(
        &terminus_testdata::alay_sector(),
        None,
        &[],
        &[],
        &PlanSettings {
            numbering: Numbering {
                prefix: "KT".into(),
                ..Numbering::default()
            },
            ..PlanSettings::default()
        },
    )
    .unwrap();
    catalogue::catalogue(
        &p,
        None,
        &CatalogueSettings {
            section: "Alay".into(),
            ..CatalogueSettings::default()
        },
    )
    .unwrap()
}

#[test]
fn description_parses_back_to_the_catalogue_within_a_millimetre() {
    let cat = sector_catalogue();
    assert!(cat.rows.len() > 100);
    for lang in [Lang::En, Lang::Ru] {
        let d = describe::describe(&cat, lang, &DescriptionSettings::default()).unwrap();
        assert_eq!(d.calls.len(), cat.rows.len() - 1);
        for text in [&d.markdown, &d.html] {
            let calls = describe::parse(text).unwrap();
            assert_eq!(calls.len(), cat.rows.len() - 1);
            let c = describe::closure(&calls, &cat).unwrap();
            assert!(c.max_m < 1e-3, "{lang:?}: largest misclosure {} m", c.max_m);
            assert!((c.traversed_m - cat.length_m).abs() < 0.5);
        }
        assert!(
            !d.sheets.is_empty() && d.sheets.iter().all(|s| s.starts_with("J-43")),
            "{:?}",
            d.sheets
        );
    }
    // A corrupted call is caught: change one distance by 1 cm.
    let d = describe::describe(&cat, Lang::En, &DescriptionSettings::default()).unwrap();
    let call = &d.calls[40];
    let printed = format!("{:.3}", call.distance_m.unwrap());
    let with_commas = {
        let (i, f) = printed.split_once('.').unwrap();
        let mut g = String::new();
        for (k, ch) in i.chars().enumerate() {
            if k > 0 && (i.len() - k) % 3 == 0 {
                g.push(',');
            }
            g.push(ch);
        }
        format!("{g}.{f}")
    };
    let bumped = format!("{:.3}", call.distance_m.unwrap() + 0.01);
    let needle = format!("for {with_commas} m to pillar No. {}.", call.to);
    assert!(d.markdown.contains(&needle), "{needle}");
    let bad = d.markdown.replace(
        &needle,
        &format!("for {bumped} m to pillar No. {}.", call.to),
    );
    let c = describe::closure(&describe::parse(&bad).unwrap(), &cat).unwrap();
    assert!(c.max_m > 0.009 && c.max_m < 0.011, "{}", c.max_m);
}

#[test]
fn feature_runs_are_described_and_restart_the_chain() {
    let cat = sector_catalogue();
    let from = cat.rows[10].number.clone();
    let to = cat.rows[20].number.clone();
    let run = FeatureRun {
        from: from.clone(),
        to: to.clone(),
        en: "the water-parting between the Kyzyl-Suu and the Muksu".into(),
        ru: "водоразделу рек Кызыл-Суу и Муксу".into(),
    };
    let d = describe::describe(
        &cat,
        Lang::En,
        &DescriptionSettings {
            sources: vec!["Natural Earth 1:10m".into()],
            feature_runs: vec![run.clone()],
        },
    )
    .unwrap();
    assert!(d
        .markdown
        .contains("runs along the water-parting between the Kyzyl-Suu and the Muksu for"));
    assert!(d.markdown.contains("Source: Natural Earth 1:10m."));
    assert_eq!(d.calls.len(), cat.rows.len() - 1 - 9);
    let c = describe::closure(&describe::parse(&d.markdown).unwrap(), &cat).unwrap();
    assert!(c.max_m < 1e-3);
    let ru = describe::describe(
        &cat,
        Lang::Ru,
        &DescriptionSettings {
            sources: vec![],
            feature_runs: vec![run],
        },
    )
    .unwrap();
    assert!(ru
        .markdown
        .contains("проходит по водоразделу рек Кызыл-Суу и Муксу на протяжении"));
    let c = describe::closure(&describe::parse(&ru.markdown).unwrap(), &cat).unwrap();
    assert!(c.max_m < 1e-3);
    // A run between unknown pillars is refused.
    let e = describe::describe(
        &cat,
        Lang::En,
        &DescriptionSettings {
            sources: vec![],
            feature_runs: vec![FeatureRun {
                from: "KT-999".into(),
                to: to.clone(),
                en: "x".into(),
                ru: "x".into(),
            }],
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("no such pillar"), "{e}");
}

/// The CSV: the header's columns on every row, each row's coordinates as
/// the catalogue holds them (to the printed 1e-10° and 1 mm), the
/// transformation named on every row; the layer: one point per pillar at
/// the catalogue's position, with the same number and transformation.
#[test]
fn the_catalogue_files_hold_every_row_as_computed() {
    let cat = sector_catalogue();
    let text = csv(&cat);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(CSV_HEADER));
    let columns: Vec<&str> = CSV_HEADER.split(',').collect();
    let col = |name: &str| columns.iter().position(|c| *c == name).unwrap();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), cat.rows.len());
    for (fields, r) in rows.iter().zip(&cat.rows) {
        assert_eq!(fields.len(), columns.len(), "{}", r.number);
        assert_eq!(fields[col("number")], r.number);
        let lat: f64 = fields[col("lat")].parse().unwrap();
        let lon: f64 = fields[col("lon")].parse().unwrap();
        assert!((lat - r.lat).abs() <= 0.5e-10 && (lon - r.lon).abs() <= 0.5e-10);
        let gk_x: f64 = fields[col("gk_x")].parse().unwrap();
        assert!((gk_x - r.gk_x).abs() <= 0.5e-3);
        assert_eq!(
            fields[col("transformation")],
            format!("EPSG:{}", cat.gk_transformation)
        );
    }
    let l = layer(&cat, "pillars");
    assert_eq!(l.crs, terminus_geodesy::Crs::WGS84);
    assert_eq!(l.features.len(), cat.rows.len());
    for (f, r) in l.features.iter().zip(&cat.rows) {
        let Some(terminus_vector::Geometry::Point(c)) = &f.geometry else {
            panic!("{}: not a point", r.number)
        };
        assert_eq!((c.y, c.x), (r.lat, r.lon));
        assert_eq!(
            f.properties.get("number"),
            Some(&terminus_vector::Value::String(r.number.clone()))
        );
    }
}
