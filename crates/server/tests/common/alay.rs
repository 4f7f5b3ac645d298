#![allow(dead_code)]

//! A second commission for the terrain tests: Kyrgyzstan–Tajikistan,
//! one agreed section ("Alay") along 11 km of the Natural Earth line
//! inside the bundled GEBCO excerpt, its pillars planned by the
//! application layer's `demarcate plan` on that DEM (catalogue written as
//! the CLI writes it) and attached by `attached_pillars`, as `terminus
//! sign attachment --catalogue` attaches them.

use serde_json::json;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use terminus_ledger::keys::MemberKey;
use terminus_ledger::record::{section_terms, Member, Record};
use terminus_ledger::store::{RecordStore, SqliteStore};
use terminus_server::{Config, Service};

pub struct Alay {
    pub dir: tempfile::TempDir,
    pub store: PathBuf,
    pub dem: PathBuf,
    pub catalogue_csv: PathBuf,
    pub keys: Vec<(String, MemberKey)>,
    pub service: Arc<Service>,
}

pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data")
        .join(name)
}

/// KT-001 → KT-003 of the demo's Alay plan: three turning points.
pub const LINE: [(f64, f64); 3] = [
    (73.6326420490, 39.4483425900),
    (73.6043233640, 39.4596080530),
    (73.5122359620, 39.4674111940),
];

pub fn alay() -> Alay {
    use terminus_app::demarcate::{self, Documents, PlanRequest};
    let dir = tempfile::tempdir().unwrap();
    let line_path = dir.path().join("alay.geojson");
    let line_json = json!({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "Alay"},
        "geometry": {"type": "LineString", "coordinates": LINE.iter().map(|p| [p.0, p.1]).collect::<Vec<_>>()}}]});
    std::fs::write(&line_path, line_json.to_string()).unwrap();
    let dem = data("gebco2023_alay_pamir_KG_TJ_15s.tif");
    let docs = Documents {
        section: "Alay".into(),
        ..Default::default()
    };
    let req = PlanRequest {
        line: line_path,
        dem: Some(dem.clone()),
        dem_crs: None,
        max_spacing: 500.0,
        min_spacing: None,
        piece: None,
        clip: None,
        clip_to: None,
        voids: Default::default(),
        max_slope: 30.0,
        move_tolerance: 50.0,
        numbering: terminus_demarcation::plan::Numbering {
            prefix: "KT".into(),
            digits: 3,
            start: 1,
        },
        crossings: vec![],
        water: vec![],
        documents: docs.clone(),
        input: Default::default(),
        lang: Default::default(),
        places: None,
        places_within: None,
        name_field: None,
        between: None,
    };
    let plan = demarcate::plan(&req, terminus_app::Provenance::new(vec!["test".into()])).unwrap();
    let out = dir.path().join("pillars");
    demarcate::write(&out, &plan, &docs, false).unwrap();

    let keys: Vec<(String, MemberKey)> = ["kgz-head", "tjk-head"]
        .iter()
        .map(|m| (m.to_string(), MemberKey::generate()))
        .collect();
    let members = vec![
        Member::new("kgz-head", "KGZ", "head", &keys[0].1),
        Member::new("tjk-head", "TJK", "head", &keys[1].1),
    ];
    let k = |i: usize| (keys[i].0.as_str(), &keys[i].1);
    let mut r = Record::found("KG-TJ", &members, k(0), "2026-12-01T09:00:00Z");
    let terms = section_terms(
        "Alay",
        &terminus_model::Crs::WGS84,
        9,
        &LINE,
        "Natural Earth 5.1.1 (test)",
        "Protocol (test)",
    );
    for i in [0, 1] {
        r.append(
            "agreement",
            json!({"terms": terms}),
            k(i),
            "2026-12-01T10:00:00Z",
        );
    }
    let terms_sha = terminus_ledger::record::verify(&r).unwrap().agreed["Alay"]
        .terms_sha256
        .clone();
    let cat_path = out.join("catalogue.geojson");
    let cat = terminus_formats::read(&cat_path, &Default::default()).unwrap();
    let pillars = terminus_app::ledger::attached_pillars(&cat_path, &cat).unwrap();
    r.append(
        "attachment",
        json!({"section": "Alay", "what": "pillar_catalogue", "terms_sha256": terms_sha, "replaces": null,
               "crs": "EPSG:4326", "pillars": pillars}),
        k(1),
        "2026-12-01T11:00:00Z",
    );
    let store_path = dir.path().join("kg-tj.sqlite");
    let mut store = SqliteStore::open(&store_path, "KG-TJ").unwrap();
    store.keep(&r).unwrap();
    let served = terminus_app::terrain::relief::serve_dem(&dem).unwrap();
    // Places of the Alay valley for the base map (positions rounded, for
    // labels only), Russian names on all but one.
    let places_path = dir.path().join("alay-places.geojson");
    let place = |name: &str, ru: Option<&str>, lon: f64, lat: f64, population: u32| {
        let mut p = json!({"name": name, "population": population});
        if let Some(ru) = ru {
            p["name_ru"] = json!(ru);
        }
        json!({"type": "Feature", "properties": p, "geometry": {"type": "Point", "coordinates": [lon, lat]}})
    };
    let places = json!({"type": "FeatureCollection", "features": [
        place("Sary-Tash", Some("Сары-Таш"), 73.25, 39.73, 1500),
        place("Sary-Mogol", Some("Сары-Могол"), 72.88, 39.67, 4000),
        place("Daroot-Korgon", Some("Дароот-Коргон"), 72.21, 39.55, 6000),
        place("Karakul", Some("Каракуль"), 73.56, 39.01, 800),
        place("Kashka-Suu", None, 73.45, 39.58, 300),
    ]});
    std::fs::write(&places_path, places.to_string()).unwrap();
    let mut basemap = terminus_app::basemap::Basemap::bundled();
    basemap
        .add_places(&places_path, &Default::default())
        .unwrap();
    let service = Arc::new(
        Service::new(Box::new(store), Config::default())
            .unwrap()
            .with_dems(vec![served])
            .with_basemap(basemap),
    );
    Alay {
        store: store_path,
        dem,
        catalogue_csv: out.join("catalogue.csv"),
        keys,
        service,
        dir,
    }
}
