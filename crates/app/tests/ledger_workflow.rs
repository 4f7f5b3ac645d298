//! The record's workflow as library calls (as `terminus sign` and the
//! service run it): a proposal read from a Gauss–Krüger table through the
//! input road, both heads agreeing the terms, a pillar catalogue attached;
//! every body the model's signed type, every rule the record's.

use std::path::{Path, PathBuf};
use terminus_app::ledger::{self, SignRequest, Signed};
use terminus_app::InputOptions;
use terminus_geodesy::Crs;
use terminus_ledger::keys::MemberKey;
use terminus_ledger::record::{Member, Record};
use terminus_model::bodies::{Agreement, Attachment, Proposal};

struct Commission {
    dir: tempfile::TempDir,
}

impl Commission {
    /// Two heads, keys in files, the record founded in an SQLite store.
    fn found() -> Commission {
        let dir = tempfile::tempdir().unwrap();
        let keys = [MemberKey::generate(), MemberKey::generate()];
        let members = [
            Member::new("arm-head", "ARM", "head", &keys[0]),
            Member::new("aze-head", "AZE", "head", &keys[1]),
        ];
        for (m, k) in ["arm-head", "aze-head"].iter().zip(&keys) {
            ledger::write_key_file(&dir.path().join(format!("{m}.key")), m, k).unwrap();
        }
        let r = Record::found(
            "AM-AZ",
            &members,
            ("arm-head", &keys[0]),
            "2026-12-07T10:00:00Z",
        );
        let mut store =
            ledger::open_store(&dir.path().join("record.sqlite"), "AM-AZ", true).unwrap();
        store.keep(&r).unwrap();
        Commission { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn sign(&self, who: &str, kind: &str, f: impl FnOnce(&mut SignRequest)) -> Signed {
        let mut req = SignRequest {
            kind: kind.into(),
            key: self.path(&format!("{who}.key")),
            store: self.path("record.sqlite"),
            commission: "AM-AZ".into(),
            draft_kind: "proposal".into(),
            decimals: 9,
            ..Default::default()
        };
        f(&mut req);
        ledger::sign(&req).unwrap()
    }

    /// Section `name` proposed by ARM's head and agreed by both heads (a
    /// two-point line, a one-line protocol).
    fn agree_a_section(&self, name: &str) {
        let line = write(
            self.dir.path(),
            "line.geojson",
            r#"{"type":"LineString","coordinates":[[45.1318,41.07935],[45.17,41.05]]}"#,
        );
        let protocol = write(self.dir.path(), "protocol.md", "P\n");
        self.sign("arm-head", "proposal", |r| {
            r.section = Some(name.into());
            r.line = Some(line.clone());
            r.source = "s".into();
        });
        for who in ["arm-head", "aze-head"] {
            self.sign(who, "agreement", |r| {
                r.section = Some(name.into());
                r.line = Some(line.clone());
                r.basis = "b".into();
                r.protocol = Some(protocol.clone());
            });
        }
    }

    fn record(&self) -> Record {
        let mut store = ledger::open_store(&self.path("record.sqlite"), "AM-AZ", false).unwrap();
        store.record().unwrap()
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn a_section_proposed_agreed_and_its_pillars_attached() {
    let c = Commission::found();
    // Turning points as a GK zone 8 table (EPSG:28408, X northing, Y the
    // prefixed easting), through EPSG:1808 named.
    let table = write(
        c.dir.path(),
        "tg.csv",
        "n,X,Y\n1,4549100.000,8514500.000\n2,4548200.000,8516900.000\n3,4546800.000,8518100.000\n",
    );
    let input = InputOptions {
        crs: Some(Crs::Epsg(28408)),
        op: Some(1808),
        as_line: true,
        csv: terminus_formats::csv::CsvOptions {
            x_column: Some("Y".into()),
            y_column: Some("X".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    c.sign("arm-head", "proposal", |r| {
        r.section = Some("Tavush–Gazakh".into());
        r.line = Some(table.clone());
        r.source = "USSR General Staff 1:50,000".into();
        r.series = Some("USSR General Staff".into());
        r.edition = Some(1976);
        r.scale = Some(50_000);
        r.sheet = Some("K-38-128-А".into());
        r.input = input.clone();
    });
    let protocol = write(c.dir.path(), "protocol.md", "Protocol-description …\n");
    for who in ["arm-head", "aze-head"] {
        c.sign(who, "agreement", |r| {
            r.section = Some("Tavush–Gazakh".into());
            r.line = Some(table.clone());
            r.basis = "General Staff 1:50,000, 1976".into();
            r.protocol = Some(protocol.clone());
            r.input = input.clone();
        });
    }
    // Pillars with numbers written as numbers, in WGS 84.
    let pillars = write(
        c.dir.path(),
        "pillars.csv",
        "number,lat,lon,height_m\n1,41.07935,45.1318,512.25\n2,41.05,45.17,498.5\n",
    );
    c.sign("aze-head", "attachment", |r| {
        r.section = Some("Tavush–Gazakh".into());
        r.catalogue = Some(pillars.clone());
        r.document = vec![protocol.clone()];
        r.input = InputOptions {
            crs: Some(Crs::WGS84),
            ..Default::default()
        };
    });

    let record = c.record();
    let verified = terminus_ledger::record::verify(&record).unwrap();
    assert!(verified.agreed.contains_key("Tavush–Gazakh"));
    let bodies: Vec<(&str, serde_json::Value)> = record
        .events
        .iter()
        .map(|e| (e.kind.as_str(), e.body_value()))
        .collect();
    // The proposal: the model's type, the source as stated, the line on
    // WGS 84 through the transformation named, which the source records.
    let p: Proposal = serde_json::from_value(bodies[1].1.clone()).unwrap();
    assert_eq!(p.crs, Crs::WGS84);
    assert_eq!(p.line.len(), 3);
    assert_eq!(p.source.scale, Some(50_000));
    assert_eq!(p.source.file.as_deref(), Some("tg.csv"));
    assert!(
        p.source
            .transformation
            .iter()
            .any(|t| t.contains("EPSG:1808")),
        "{:?}",
        p.source.transformation
    );
    // Back to GK through the same operation: the supplied coordinates.
    let road = terminus_app::road::Road::new(&Crs::Epsg(28408), Some(1808), None).unwrap();
    let back = road
        .from_wgs84(terminus_geodesy::LatLon::new(p.line[0][1], p.line[0][0]))
        .unwrap();
    assert!((back.x - 8514500.0).abs() < 1e-3 && (back.y - 4549100.0).abs() < 1e-3);
    // The agreement: both heads signed the same typed terms.
    let a1: Agreement = serde_json::from_value(bodies[2].1.clone()).unwrap();
    let a2: Agreement = serde_json::from_value(bodies[3].1.clone()).unwrap();
    assert_eq!(a1, a2);
    assert_eq!(a1.terms.line[0][0].split('.').nth(1).map(str::len), Some(9));
    // The attachment: numbers as text, positions the points', columns kept,
    // chained to the agreed terms.
    let at: Attachment = serde_json::from_value(bodies[4].1.clone()).unwrap();
    assert_eq!(at.what, "pillar_catalogue");
    assert_eq!(
        at.terms_sha256,
        verified.agreed["Tavush–Gazakh"].terms_sha256
    );
    assert_eq!(at.pillars[0].number, "1");
    assert_eq!((at.pillars[1].lat, at.pillars[1].lon), (41.05, 45.17));
    assert_eq!(at.pillars[0].columns["height_m"], 512.25);
    assert_eq!(at.documents[0].text, "Protocol-description …\n");
    // The record's layers show both pillars, read back through the type.
    let store = ledger::open_store(&c.path("record.sqlite"), "AM-AZ", false).unwrap();
    let layers = terminus_ledger::views::layers(&record.events, store.replay());
    assert_eq!(layers.pillars.len(), 2);
    assert_eq!(layers.pillars[0]["properties"]["number"], "1");
    assert_eq!(layers.pillars[1]["geometry"]["coordinates"][1], 41.05);
}

#[test]
fn a_catalogue_without_numbers_is_refused_with_its_place() {
    let c = Commission::found();
    c.agree_a_section("S");
    let pillars = write(
        c.dir.path(),
        "pillars.geojson",
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"a"},"geometry":{"type":"Point","coordinates":[45.1318,41.07935]}}]}"#,
    );
    let req = SignRequest {
        kind: "attachment".into(),
        key: c.path("aze-head.key"),
        store: c.path("record.sqlite"),
        commission: "AM-AZ".into(),
        section: Some("S".into()),
        catalogue: Some(pillars),
        ..Default::default()
    };
    let e = ledger::sign(&req).unwrap_err();
    assert!(
        e.message.contains("feature 0: a pillar has no `number`"),
        "{}",
        e.message
    );
    // Nothing was kept.
    assert_eq!(c.record().events.len(), 4);
}

/// The record as a bundle (GeoPackage) for the other delegation: it
/// verifies beside its layers; the other delegation imports it whole; a
/// bundle whose agreed line was edited in its layer is refused, naming
/// the layer, and nothing of it is merged.
#[test]
fn a_bundle_goes_to_the_other_delegation_and_an_edited_one_is_refused() {
    let c = Commission::found();
    c.agree_a_section("S");
    let bundle = c.path("am-az.gpkg");
    let (events, _heads, agreed) =
        ledger::export_bundle(&c.path("record.sqlite"), "AM-AZ", &bundle).unwrap();
    assert_eq!((events, agreed), (4, 1));
    let v = ledger::verify_file(&bundle).unwrap();
    assert!(v.agreed.contains_key("S"));
    // The other delegation's store takes it whole.
    let theirs = c.path("theirs.sqlite");
    match ledger::import(&bundle, &theirs, "AM-AZ", None).unwrap() {
        ledger::Imported::Merged(said) => assert!(said.contains('4'), "{said}"),
        ledger::Imported::Refused(why) => panic!("{why}"),
    }
    // The agreed section renamed in the bundle's layer (not in the log):
    // refused, and the layer named.
    let edited = c.path("edited.gpkg");
    std::fs::copy(&bundle, &edited).unwrap();
    {
        let db = rusqlite::Connection::open(&edited).unwrap();
        let tables: Vec<String> = db
            .prepare("SELECT table_name FROM gpkg_contents WHERE data_type = 'features'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(tables.iter().any(|t| t == "agreed_sections"), "{tables:?}");
        // Drop the GeoPackage's R-tree triggers for the edit, as a hand
        // editing the file in SQLite might.
        let triggers: Vec<String> = db
            .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'agreed_sections'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for t in triggers {
            db.execute_batch(&format!("DROP TRIGGER \"{t}\"")).unwrap();
        }
        let n = db
            .execute(
                "UPDATE agreed_sections SET section = section || ' (edited)'",
                [],
            )
            .unwrap();
        assert_eq!(n, 1);
    }
    let (what, _, why) = ledger::verify_file(&edited).unwrap_err();
    assert_eq!(what, "layer", "{why}");
    assert!(
        why.contains("agreed_sections") && why.contains("the record says \"S\""),
        "{why}"
    );
    let before = ledger::open_store(&theirs, "AM-AZ", false)
        .unwrap()
        .record()
        .unwrap()
        .events
        .len();
    match ledger::import(&edited, &theirs, "AM-AZ", None).unwrap() {
        ledger::Imported::Refused(why) => assert!(why.contains("NOT merged"), "{why}"),
        ledger::Imported::Merged(said) => panic!("an edited bundle was merged: {said}"),
    }
    let after = ledger::open_store(&theirs, "AM-AZ", false)
        .unwrap()
        .record()
        .unwrap()
        .events
        .len();
    assert_eq!(before, after);
}
