//! `terminus keys` and `terminus ledger verify` as users meet them.

use std::process::Command;
use terminus_ledger::keys::MemberKey;
use terminus_ledger::record::{Member, Record};

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn run(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_terminus"))
        .args(args)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        err,
    )
}

/// The AM-AZ commission founded at `time` by ARM's head with the heads of
/// both parties as members; the record and the two heads' keys.
fn two_heads(time: &str) -> (Record, MemberKey, MemberKey) {
    let (arm, aze) = (MemberKey::generate(), MemberKey::generate());
    let m = |id: &str, party: &str, k: &MemberKey| Member::new(id, party, "head", k);
    let r = Record::found(
        "AM-AZ",
        &[m("arm-head", "ARM", &arm), m("aze-head", "AZE", &aze)],
        ("arm-head", &arm),
        time,
    );
    (r, arm, aze)
}

#[test]
fn a_key_is_made_once_kept_private_and_its_public_half_shown() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("arm-head.key");
    let f = file.to_str().unwrap();
    let (code, out, err) = run(&["keys", "new", "--member", "arm-head", "--out", f, "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let public = v["public_key"].as_str().unwrap().to_string();
    assert_eq!(public.len(), 64);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }
    let (code, out, _) = run(&["keys", "public", f]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), public);
    let (code, _, err) = run(&["keys", "new", "--member", "arm-head", "--out", f]);
    assert_eq!(code, 2);
    assert!(
        err.contains("exists") && err.contains("never replaced"),
        "{err}"
    );
}

#[test]
fn a_record_verifies_and_a_changed_one_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (mut r, arm, aze) = two_heads("2026-11-28T10:00:00Z");
    r.append(
        "proposal",
        serde_json::json!({"section": "Tavush–Gazakh", "line": [[45.1318, 41.07935], [45.17, 41.05]]}),
        ("arm-head", &arm),
        "2026-11-28T10:01:00Z",
    );
    r.append(
        "agreement",
        serde_json::json!({"terms": terminus_ledger::record::section_terms("Tavush–Gazakh", &terminus_model::Crs::WGS84, 9, &[(45.1318, 41.07935)], "basis", "protocol")}),
        ("aze-head", &aze),
        "2026-11-28T10:02:00Z",
    );
    r.sign_head(("aze-head", &aze));
    let path = dir.path().join("record.json");
    std::fs::write(&path, serde_json::to_string_pretty(&r).unwrap()).unwrap();
    let p = path.to_str().unwrap();
    let (code, out, err) = run(&["ledger", "verify", p, "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["valid"], true);
    assert_eq!(v["events"], 3);
    // One head's signature is not an agreement.
    assert_eq!(v["agreed"], serde_json::json!({}));
    // One coordinate changed in the file.
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replacen("41.07935", "41.07936", 1);
    std::fs::write(&path, text).unwrap();
    let (code, _, err) = run(&["ledger", "verify", p]);
    assert_eq!(code, 1);
    assert!(
        err.contains("NOT valid") && err.contains("event 1 (proposal by arm-head)"),
        "{err}"
    );
    std::fs::write(&path, "{\"commission\": ").unwrap();
    let (code, _, err) = run(&["ledger", "verify", p]);
    assert_eq!(code, 2);
    assert!(err.contains("not a commission record (line 1"), "{err}");
}

/// Export a store as a GeoPackage bundle, verify it, import it elsewhere;
/// a second history for the same commission is refused as a fork.
#[test]
fn bundles_go_between_delegations_and_forks_are_refused() {
    use terminus_ledger::store::{RecordStore, SqliteStore};
    let dir = tempfile::tempdir().unwrap();
    let (mut r, arm, aze) = two_heads("2026-11-28T11:00:00Z");
    let base = r.clone();
    r.append(
        "proposal",
        serde_json::json!({"section": "S1", "line": [[45.1318, 41.07935], [45.17, 41.05]]}),
        ("arm-head", &arm),
        "2026-11-28T11:01:00Z",
    );
    let terms = terminus_ledger::record::section_terms(
        "S1",
        &terminus_model::Crs::WGS84,
        9,
        &[(45.1318, 41.07935), (45.17, 41.05)],
        "proposal of ARM",
        "protocol",
    );
    r.append(
        "agreement",
        serde_json::json!({"terms": terms}),
        ("arm-head", &arm),
        "2026-11-28T11:02:00Z",
    );
    r.append(
        "agreement",
        serde_json::json!({"terms": terms}),
        ("aze-head", &aze),
        "2026-11-28T11:03:00Z",
    );
    r.sign_head(("aze-head", &aze));
    let store = dir.path().join("arm.sqlite");
    let mut s = SqliteStore::open(&store, "AM-AZ").unwrap();
    s.keep(&r).unwrap();
    drop(s);
    let bundle = dir.path().join("bundle.gpkg");
    let (b, st) = (bundle.to_str().unwrap(), store.to_str().unwrap());
    let (code, out, err) = run(&[
        "ledger",
        "export",
        "--store",
        st,
        "--commission",
        "AM-AZ",
        "--out",
        b,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("4 events") && out.contains("1 agreed sections"),
        "{out}"
    );
    // The bundle is a GeoPackage with the layers…
    let (code, out, err) = run(&["info", b, "--json"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("proposals") && out.contains("agreed_sections"),
        "{out}"
    );
    // GDAL opens it as a GeoPackage (CI installs gdal-bin; skipped
    // elsewhere, and said so).
    match Command::new("ogrinfo")
        .args(["-ro", "-so", "-al", b])
        .output()
    {
        Ok(o) => {
            let text = String::from_utf8_lossy(&o.stdout);
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            assert!(
                text.contains("Layer name: proposals")
                    && text.contains("Layer name: agreed_sections"),
                "{text}"
            );
            assert!(text.contains("Feature Count: 1"), "{text}");
        }
        Err(_) => eprintln!("ogrinfo not installed: GDAL's reading of the bundle not checked"),
    }
    // …and the whole signed log.
    let (code, out, err) = run(&["ledger", "verify", b, "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["events"], 4);
    assert_eq!(
        v["agreed"]["S1"]["parties"],
        serde_json::json!(["ARM", "AZE"])
    );
    // The other delegation imports it into its own store.
    let theirs = dir.path().join("aze.sqlite");
    let t = theirs.to_str().unwrap();
    let (code, out, err) = run(&["ledger", "import", b, "--store", t, "--commission", "AM-AZ"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("4 new events"), "{out}");
    let (code, out, _) = run(&["ledger", "import", b, "--store", t, "--commission", "AM-AZ"]);
    assert_eq!(code, 0);
    assert!(out.contains("nothing new"), "{out}");
    // A store with another history for the same commission: a fork.
    let forked = dir.path().join("fork.sqlite");
    let mut f = base.clone();
    f.append(
        "comment",
        serde_json::json!({"text": "another history"}),
        ("aze-head", &aze),
        "2026-11-28T11:01:00Z",
    );
    let mut s = SqliteStore::open(&forked, "AM-AZ").unwrap();
    for e in &f.events {
        s.append(e).unwrap();
    }
    drop(s);
    let (code, _, err) = run(&[
        "ledger",
        "import",
        b,
        "--store",
        forked.to_str().unwrap(),
        "--commission",
        "AM-AZ",
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("fork at event 1") && err.contains("NOT merged"),
        "{err}"
    );
}

/// The workflow of the issue on the bundled sample, by the command line
/// only: ARM proposes the Natural Earth 5.1.1 line for a section, AZE
/// counter-proposes the 4.1.0 one, both take the compromise median, both
/// heads sign it (each in their own store, exchanging bundles), and the
/// final record verifies with the section agreed by both.
#[test]
fn two_delegations_agree_a_compromise_by_bundles() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).display().to_string();
    let data = |name: &str| {
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../data")
            .join(name)
    };
    // The longest piece of each edition, one line each.
    for (src, out) in [
        ("naturalearth10m_ARM_AZE_shared.geojson", "ne5.geojson"),
        ("worldatlas10m_ARM_AZE_shared.geojson", "ne4.geojson"),
    ] {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(data(src)).unwrap()).unwrap();
        let g = &v["features"][0]["geometry"];
        let coords = if g["type"] == "LineString" {
            g["coordinates"].clone()
        } else {
            g["coordinates"][0].clone()
        };
        let fc = serde_json::json!({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": coords}}]});
        std::fs::write(p(out), fc.to_string()).unwrap();
    }
    let mut public = Vec::new();
    for who in ["arm-head", "aze-head"] {
        let (code, out, err) = run(&[
            "keys",
            "new",
            "--member",
            who,
            "--out",
            &p(&format!("{who}.key")),
            "--json",
        ]);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        public.push(v["public_key"].as_str().unwrap().to_string());
    }
    let members = serde_json::json!({"members": [
        {"id": "arm-head", "party": "ARM", "role": "head", "public_key": public[0]},
        {"id": "aze-head", "party": "AZE", "role": "head", "public_key": public[1]},
    ]});
    std::fs::write(p("members.json"), members.to_string()).unwrap();
    let sign = |args: &[&str]| {
        let (code, out, err) = run(args);
        assert_eq!(code, 0, "{args:?}: {err}");
        out
    };
    let c = ["--commission", "AM-AZ"];
    let arm = |extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        v.extend([
            "--key".into(),
            p("arm-head.key"),
            "--store".into(),
            p("arm.sqlite"),
        ]);
        v.extend(c.iter().map(|s| s.to_string()));
        v
    };
    let aze = |extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        v.extend([
            "--key".into(),
            p("aze-head.key"),
            "--store".into(),
            p("aze.sqlite"),
        ]);
        v.extend(c.iter().map(|s| s.to_string()));
        v
    };
    {
        let v = arm(&["sign", "commission", "--body", &p("members.json")]);
        sign(&strs(&v));
    }
    {
        let v = arm(&[
            "sign",
            "proposal",
            "--section",
            "North",
            "--line",
            &p("ne5.geojson"),
            "--source",
            "Natural Earth 5.1.1",
            "--series",
            "Natural Earth",
            "--edition",
            "2023",
            "--scale",
            "10000000",
        ]);
        sign(&strs(&v));
    }
    sign(&[
        "ledger",
        "export",
        "--store",
        &p("arm.sqlite"),
        "--commission",
        "AM-AZ",
        "--out",
        &p("b1.gpkg"),
    ]);
    sign(&[
        "ledger",
        "import",
        &p("b1.gpkg"),
        "--store",
        &p("aze.sqlite"),
        "--commission",
        "AM-AZ",
    ]);
    {
        let v = aze(&[
            "sign",
            "counter_proposal",
            "--section",
            "North",
            "--line",
            &p("ne4.geojson"),
            "--source",
            "Natural Earth 4.1.0",
        ]);
        sign(&strs(&v));
    }
    // The compromise both take.
    sign(&[
        "median",
        &p("ne5.geojson"),
        &p("ne4.geojson"),
        "--compromise",
        "--out",
        &p("mid"),
    ]);
    std::fs::write(
        p("protocol.md"),
        "Protocol-description of the North section …",
    )
    .unwrap();
    let agree = [
        "sign",
        "agreement",
        "--section",
        "North",
        "--line",
        &p("mid/median.geojson"),
        "--basis",
        "compromise median of the two proposals",
        "--protocol",
        &p("protocol.md"),
    ];
    {
        let v = aze(&agree);
        sign(&strs(&v));
    }
    sign(&[
        "ledger",
        "export",
        "--store",
        &p("aze.sqlite"),
        "--commission",
        "AM-AZ",
        "--out",
        &p("b2.gpkg"),
    ]);
    sign(&[
        "ledger",
        "import",
        &p("b2.gpkg"),
        "--store",
        &p("arm.sqlite"),
        "--commission",
        "AM-AZ",
    ]);
    {
        let v = arm(&agree);
        sign(&strs(&v));
    }
    sign(&[
        "ledger",
        "export",
        "--store",
        &p("arm.sqlite"),
        "--commission",
        "AM-AZ",
        "--out",
        &p("b3.gpkg"),
    ]);
    let out = sign(&[
        "ledger",
        "import",
        &p("b3.gpkg"),
        "--store",
        &p("aze.sqlite"),
        "--commission",
        "AM-AZ",
    ]);
    assert!(out.contains("1 new events"), "{out}");
    let out = sign(&["ledger", "verify", &p("aze.sqlite"), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["events"], 5);
    assert_eq!(
        v["agreed"]["North"]["parties"],
        serde_json::json!(["ARM", "AZE"])
    );
    // A head signing a different line does not agree it.
    let v = arm(&[
        "sign",
        "agreement",
        "--section",
        "North",
        "--line",
        &p("ne5.geojson"),
        "--basis",
        "x",
        "--protocol",
        &p("protocol.md"),
    ]);
    let (code, _, err) = run(&strs(&v));
    assert_eq!(code, 0, "{err}");
    let out = sign(&["ledger", "verify", &p("arm.sqlite"), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["agreed"]["North"]["at"], 4,
        "the agreement stands as made at event 4"
    );
    // The pillar catalogue and protocol-description of the agreed line,
    // from the demarcation engine, attached as the section's first version.
    let median: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p("mid/median.geojson")).unwrap()).unwrap();
    let line = median["features"][0]["geometry"]["coordinates"]
        .as_array()
        .unwrap()
        .clone();
    let step = (line.len() / 4).max(1);
    let points: Vec<serde_json::Value> = line
        .iter()
        .step_by(step)
        .enumerate()
        .map(|(i, c)| serde_json::json!({"type": "Feature", "properties": {"number": format!("{}", i + 1)}, "geometry": {"type": "Point", "coordinates": c}}))
        .collect();
    let n_pillars = points.len();
    std::fs::write(
        p("points.geojson"),
        serde_json::json!({"type": "FeatureCollection", "features": points}).to_string(),
    )
    .unwrap();
    sign(&[
        "demarcate",
        "catalogue",
        &p("points.geojson"),
        "--out",
        &p("pillars"),
    ]);
    let attach = [
        "sign",
        "attachment",
        "--section",
        "North",
        "--catalogue",
        &p("pillars/catalogue.geojson"),
        "--document",
        &p("pillars/description_en.md"),
    ];
    {
        let v = aze(&attach);
        sign(&strs(&v));
    }
    // A second version replaces the first (the chain is checked on verify).
    {
        let v = aze(&attach);
        sign(&strs(&v));
    }
    sign(&[
        "ledger",
        "export",
        "--store",
        &p("aze.sqlite"),
        "--commission",
        "AM-AZ",
        "--out",
        &p("b4.gpkg"),
    ]);
    let out = sign(&["ledger", "verify", &p("b4.gpkg"), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["valid"], true);
    assert_eq!(v["events"], 7);
    // ARM's store went on with a different agreement at event 5: the
    // bundle forks from it and is refused, naming the place.
    let (code, _, err) = run(&[
        "ledger",
        "import",
        &p("b4.gpkg"),
        "--store",
        &p("arm.sqlite"),
        "--commission",
        "AM-AZ",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("fork at event 5"), "{err}");
    // Imported and verified elsewhere (the registry's copy).
    let out = sign(&[
        "ledger",
        "import",
        &p("b4.gpkg"),
        "--store",
        &p("registry.sqlite"),
        "--commission",
        "AM-AZ",
    ]);
    assert!(out.contains("7 new events"), "{out}");
    let record =
        terminus_ledger::store::load_record(std::path::Path::new(&p("registry.sqlite"))).unwrap();
    terminus_ledger::record::verify(&record).unwrap();
    let last = record.events.last().unwrap().body_value();
    assert_eq!(last["replaces"], 5, "the second version replaces the first");
    assert_eq!(last["pillars"].as_array().unwrap().len(), n_pillars);
    assert!(last["documents"][0]["text"].as_str().unwrap().contains("1"));
    // The bundle's layers, as GDAL reads them.
    if let Ok(o) = Command::new("ogrinfo")
        .args(["-ro", "-so", "-al", &p("b4.gpkg")])
        .output()
    {
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(o.status.success(), "{text}");
        for (layer, count) in [
            ("pillars", n_pillars),
            ("agreed_sections", 1),
            ("proposals", 2),
            ("sections", 1),
        ] {
            let at = text
                .find(&format!("Layer name: {layer}\n"))
                .unwrap_or_else(|| panic!("{layer}: {text}"));
            let rest = &text[at..];
            let fc = rest.find("Feature Count: ").unwrap();
            let n: usize = rest[fc + 15..]
                .lines()
                .next()
                .unwrap()
                .trim()
                .parse()
                .unwrap();
            assert_eq!(n, count, "{layer}");
        }
    } else {
        eprintln!("ogrinfo (Debian gdal-bin) is not installed: the bundle's layers were not read with GDAL");
    }
    // A field survey of the pillars, attached as its own chain, and a
    // tree head AZE's head signs over the whole log.
    {
        let v = aze(&[
            "sign",
            "attachment",
            "--what",
            "survey",
            "--section",
            "North",
            "--catalogue",
            &p("points.geojson"),
            "--document",
            &p("protocol.md"),
        ]);
        sign(&strs(&v));
        let v = aze(&["sign", "tree-head"]);
        sign(&strs(&v));
    }
    let out = sign(&["ledger", "verify", &p("aze.sqlite"), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (v["events"].as_u64(), v["tree_heads"].as_u64()),
        (Some(8), Some(1)),
        "{v}"
    );
    let record =
        terminus_ledger::store::load_record(std::path::Path::new(&p("aze.sqlite"))).unwrap();
    let survey = record.events[7].body_value();
    assert_eq!(
        (survey["what"].as_str(), survey["replaces"].as_u64()),
        (Some("survey"), None)
    );
    // The proposal carries its source: series, edition, scale, file.
    let source = &record.events[1].body_value()["source"];
    assert_eq!(source["map_series"], "Natural Earth");
    assert_eq!(source["edition_year"], 2023);
    assert_eq!(source["file"], "ne5.geojson");
}

/// One byte changed in each part of an exported bundle — every table of
/// the log, every layer's geometry and attributes, the layers' CRS — and a
/// draft slipped in: `ledger verify` catches each and names the part.
#[test]
fn a_byte_changed_in_any_part_of_a_bundle_is_caught_and_named() {
    use terminus_ledger::store::{RecordStore, SqliteStore};
    let dir = tempfile::tempdir().unwrap();
    let (mut r, arm, aze) = two_heads("2026-11-28T11:00:00Z");
    let line = [(45.1318, 41.07935), (45.17, 41.05)];
    r.append(
        "proposal",
        serde_json::json!({"section": "S1", "line": [[45.1318, 41.07935], [45.17, 41.05]], "source": "NE"}),
        ("arm-head", &arm),
        "2026-11-28T11:01:00Z",
    );
    let terms = terminus_ledger::record::section_terms(
        "S1",
        &terminus_model::Crs::WGS84,
        9,
        &line,
        "basis",
        "protocol",
    );
    for (who, k) in [("arm-head", &arm), ("aze-head", &aze)] {
        r.append(
            "agreement",
            serde_json::json!({"terms": terms}),
            (who, k),
            "2026-11-28T11:02:00Z",
        );
    }
    let sha = terminus_ledger::record::verify(&r).unwrap().agreed["S1"]
        .terms_sha256
        .clone();
    r.append(
        "attachment",
        serde_json::json!({"section": "S1", "what": "pillar_catalogue", "terms_sha256": sha, "replaces": null,
            "pillars": [{"number": "1", "lon": 45.1318, "lat": 41.07935}, {"number": "2", "lon": 45.17, "lat": 41.05}]}),
        ("aze-head", &aze),
        "2026-11-28T11:03:00Z",
    );
    r.sign_head(("aze-head", &aze));
    let store = dir.path().join("s.sqlite");
    let mut s = SqliteStore::open(&store, "AM-AZ").unwrap();
    s.keep(&r).unwrap();
    drop(s);
    let bundle = dir.path().join("b.gpkg");
    let (code, _, err) = run(&[
        "ledger",
        "export",
        "--store",
        store.to_str().unwrap(),
        "--commission",
        "AM-AZ",
        "--out",
        bundle.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let verify = |path: &std::path::Path| -> serde_json::Value {
        let (_, out, err) = run(&["ledger", "verify", path.to_str().unwrap(), "--json"]);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"))
    };
    assert_eq!(verify(&bundle)["valid"], true);
    let drop_triggers = "PRAGMA foreign_keys = OFF; DROP TRIGGER events_append_only_u; DROP TRIGGER events_append_only_d;
        DROP TRIGGER heads_append_only_u; DROP TRIGGER heads_append_only_d;
        DROP TRIGGER commission_fixed_u; DROP TRIGGER drafts_append_only_u;";
    // (what is changed, SQL, what verify must name)
    let sql_cases: Vec<(&str, String, &str)> = vec![
        ("event body, 9th decimal", "UPDATE terminus_events SET body = replace(body, '41.07935', '41.07936') WHERE seq = 1".into(), "event 1"),
        ("event signature", "UPDATE terminus_events SET signature = substr(signature, 1, 10) || (CASE WHEN substr(signature, 11, 1) = 'a' THEN 'b' ELSE 'a' END) || substr(signature, 12) WHERE seq = 2".into(), "event 2"),
        ("event author", "UPDATE terminus_events SET author = 'arm-head' WHERE seq = 3".into(), "event 3"),
        ("event time", "UPDATE terminus_events SET time = 't9' WHERE seq = 4".into(), "event 4"),
        ("event order", "UPDATE terminus_events SET seq = seq + 100 WHERE seq IN (2, 3); UPDATE terminus_events SET seq = 3 WHERE seq = 102; UPDATE terminus_events SET seq = 2 WHERE seq = 103".into(), "event 2"),
        ("event dropped", "DELETE FROM terminus_events WHERE seq = 4".into(), "tree head"),
        ("tree head root", "UPDATE terminus_tree_heads SET root = (CASE WHEN substr(root, 1, 1) = '0' THEN '1' ELSE '0' END) || substr(root, 2)".into(), "tree head"),
        ("commission", "UPDATE terminus_commission SET id = 'AM-AZ2'".into(), "commission"),
        ("proposal attribute", "UPDATE proposals SET section = 'S2'".into(), "layer proposals"),
        ("pillar number", "UPDATE pillars SET number = '7' WHERE number = '2'".into(), "layer pillars"),
        ("section status", "UPDATE sections SET status = 'under negotiation'".into(), "layer sections"),
        ("agreed basis", "UPDATE agreed_sections SET basis = 'other'".into(), "layer agreed_sections"),
        ("layer CRS", "UPDATE gpkg_geometry_columns SET srs_id = 3857 WHERE table_name = 'pillars'; UPDATE gpkg_contents SET srs_id = 3857 WHERE table_name = 'pillars'".into(), "\"pillars\""),
        ("the tail cut, tree heads and all", "DELETE FROM terminus_events WHERE seq = 4; DELETE FROM terminus_tree_heads".into(), "sealed with 5 events"),
        ("the seal removed", "DELETE FROM terminus_meta WHERE key LIKE 'bundle_%'".into(), "no seal"),
        ("the EPSG:4326 definition", "UPDATE gpkg_spatial_ref_sys SET definition = replace(definition, '298.257223563', '298.3') WHERE srs_id = 4326".into(), "gpkg_spatial_ref_sys"),
        ("a layer's extent", "UPDATE gpkg_contents SET min_x = min_x - 1 WHERE table_name = 'pillars'".into(), "table gpkg_contents"),
        ("a pillar moved in the R-tree (hidden from QGIS's map)", "UPDATE rtree_pillars_geom SET minx = minx + 1, maxx = maxx + 1 WHERE id = 1".into(), "table rtree_pillars_geom, row 1: minx"),
        ("a layer added for QGIS", "CREATE TABLE extra (fid INTEGER PRIMARY KEY); INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES ('extra', 'attributes', 'extra')".into(), "added"),
        ("a draft slipped in", "INSERT INTO terminus_drafts (party, author, time, body, signature) VALUES ('ARM', 'arm-head', 't', '{}', '00')".into(), "draft"),
    ];
    let mut caught = 0;
    for (what, sql, named) in &sql_cases {
        let copy = dir.path().join(format!("c{caught}.gpkg"));
        std::fs::copy(&bundle, &copy).unwrap();
        let c = rusqlite::Connection::open(&copy).unwrap();
        c.execute_batch(drop_triggers).unwrap();
        let rtree = drop_rtree_triggers(&c);
        c.execute_batch(sql)
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        restore_triggers(&c, &rtree);
        drop(c);
        let v = verify(&copy);
        assert_eq!(v["valid"], false, "{what}: {v}");
        let reason = v["reason"].as_str().unwrap_or_default();
        assert!(reason.contains(named), "{what}: {v}");
        caught += 1;
    }
    // One byte of every layer's geometry: the last byte of the first
    // feature's blob (the lowest byte of its last coordinate).
    for layer in ["sections", "proposals", "agreed_sections", "pillars"] {
        let copy = dir.path().join(format!("g-{layer}.gpkg"));
        std::fs::copy(&bundle, &copy).unwrap();
        let c = rusqlite::Connection::open(&copy).unwrap();
        let rtree = drop_rtree_triggers(&c);
        let column: String = c
            .query_row(
                "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?1",
                [layer],
                |r| r.get(0),
            )
            .unwrap();
        let (fid, mut blob): (i64, Vec<u8>) = c
            .query_row(
                &format!("SELECT rowid, \"{column}\" FROM \"{layer}\" ORDER BY rowid LIMIT 1"),
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let n = blob.len();
        blob[n - 8] ^= 0x01;
        c.execute(
            &format!("UPDATE \"{layer}\" SET \"{column}\" = ?1 WHERE rowid = ?2"),
            rusqlite::params![blob, fid],
        )
        .unwrap();
        restore_triggers(&c, &rtree);
        drop(c);
        let v = verify(&copy);
        assert_eq!(v["valid"], false, "{layer}: {v}");
        assert!(
            v["reason"]
                .as_str()
                .unwrap()
                .contains(&format!("layer {layer}: feature 0: its geometry differs")),
            "{v}"
        );
        caught += 1;
    }
    // The srs_id and the envelope inside a geometry blob: the geometry
    // reads the same, GIS software places or indexes it differently.
    for (at, part) in [(4usize, "its srs_id"), (9, "its envelope")] {
        let copy = dir.path().join(format!("blob-{at}.gpkg"));
        std::fs::copy(&bundle, &copy).unwrap();
        let c = rusqlite::Connection::open(&copy).unwrap();
        let rtree = drop_rtree_triggers(&c);
        let mut blob: Vec<u8> = c
            .query_row(
                "SELECT geom FROM proposals ORDER BY rowid LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        blob[at] ^= 0x40;
        c.execute(
            "UPDATE proposals SET geom = ?1 WHERE rowid = (SELECT min(rowid) FROM proposals)",
            [blob],
        )
        .unwrap();
        restore_triggers(&c, &rtree);
        drop(c);
        let v = verify(&copy);
        assert_eq!(v["valid"], false, "{part}: {v}");
        let reason = v["reason"].as_str().unwrap_or_default();
        assert!(
            reason.contains(part) || reason.contains("srs"),
            "{part}: {v}"
        );
        caught += 1;
    }
    assert_eq!(caught, sql_cases.len() + 6);
}

/// GeoPackage's spatial-index triggers call ST_ functions plain SQLite
/// lacks; someone editing the file with plain SQLite drops them first
/// (and puts them back after: [`restore_triggers`]). Their SQL.
fn drop_rtree_triggers(c: &rusqlite::Connection) -> Vec<String> {
    let triggers: Vec<(String, String)> = c
        .prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rtree_%'",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (n, _) in &triggers {
        c.execute_batch(&format!("DROP TRIGGER \"{n}\"")).unwrap();
    }
    triggers.into_iter().map(|(_, sql)| sql).collect()
}

/// Put dropped triggers back, as a careful forger would.
fn restore_triggers(c: &rusqlite::Connection, sql: &[String]) {
    for t in sql {
        c.execute_batch(t).unwrap();
    }
}

/// `kill -9` at random moments of `ledger export`: there is never a
/// bundle under the final name that is not whole — either none, or one
/// that verifies — and the next export succeeds.
#[test]
fn an_interrupted_export_leaves_no_partial_bundle() {
    use terminus_ledger::store::{RecordStore, SqliteStore};
    let dir = tempfile::tempdir().unwrap();
    let (mut r, arm, _) = two_heads("2026-11-28T11:00:00Z");
    for i in 0..1500 {
        r.append(
            "comment",
            serde_json::json!({"text": format!("comment {i}")}),
            ("arm-head", &arm),
            "2026-11-28T11:01:00Z",
        );
    }
    r.sign_head(("arm-head", &arm));
    let store = dir.path().join("s.sqlite");
    let mut s = SqliteStore::open(&store, "AM-AZ").unwrap();
    s.keep(&r).unwrap();
    drop(s);
    let export = |out: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_terminus"))
            .args([
                "ledger",
                "export",
                "--store",
                store.to_str().unwrap(),
                "--commission",
                "AM-AZ",
                "--out",
                out.to_str().unwrap(),
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    // How long a whole export takes here.
    let t = std::time::Instant::now();
    let full = dir.path().join("full.gpkg");
    assert!(export(&full).wait().unwrap().success());
    let whole = t.elapsed();
    let runs: u64 = std::env::var("TERMINUS_CRASH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6);
    let mut seen = (0, 0);
    for k in 0..runs {
        let out = dir.path().join(format!("b{k}.gpkg"));
        let mut child = export(&out);
        // Spread over the export's length (a fixed sequence, so a failure
        // can be repeated).
        // From the start to past the end, so that some finish.
        let at = whole.mul_f64(((k * 7919) % 130) as f64 / 100.0);
        std::thread::sleep(at);
        let _ = child.kill();
        let _ = child.wait();
        if out.exists() {
            let (code, o, e) = run(&["ledger", "verify", out.to_str().unwrap(), "--json"]);
            assert_eq!(
                code, 0,
                "killed after {at:?}: a bundle under its final name does not verify: {o}{e}"
            );
            seen.1 += 1;
        } else {
            seen.0 += 1;
            // The next export over the leftovers succeeds.
            let (code, o, e) = run(&[
                "ledger",
                "export",
                "--store",
                store.to_str().unwrap(),
                "--commission",
                "AM-AZ",
                "--out",
                out.to_str().unwrap(),
            ]);
            let left: Vec<_> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            assert_eq!(code, 0, "after a kill at {at:?}: {o}{e}; {left:?}");
            let (code, o, e) = run(&["ledger", "verify", out.to_str().unwrap()]);
            assert_eq!(code, 0, "{o}{e}");
        }
    }
    eprintln!(
        "interrupted exports: {} left no bundle, {} had finished",
        seen.0, seen.1
    );
}

/// A record rolled back — its tail deleted with the tree heads that
/// covered it — is a valid shorter record on its own; a member's witness
/// (the longest log their tool verified) refuses it, and a rewritten
/// history of the same length.
#[test]
fn a_rolled_back_record_is_refused_against_the_witness() {
    use terminus_ledger::store::{RecordStore, SqliteStore};
    let dir = tempfile::tempdir().unwrap();
    let (mut r, arm, aze) = two_heads("2026-11-28T11:00:00Z");
    for i in 0..5 {
        r.append(
            "comment",
            serde_json::json!({"text": format!("c{i}")}),
            ("aze-head", &aze),
            "2026-11-28T11:01:00Z",
        );
    }
    r.sign_head(("arm-head", &arm));
    r.append(
        "comment",
        serde_json::json!({"text": "after the head"}),
        ("arm-head", &arm),
        "2026-11-28T11:02:00Z",
    );
    let store = dir.path().join("s.sqlite");
    let mut s = SqliteStore::open(&store, "AM-AZ").unwrap();
    s.keep(&r).unwrap();
    drop(s);
    let witness = dir.path().join("arm.witness");
    let (st, w) = (store.to_str().unwrap(), witness.to_str().unwrap());
    let (code, out, err) = run(&["ledger", "verify", st, "--witness", w]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("1 events after the last signed tree head (at 6)"),
        "{out}"
    );
    let (code, out, _) = run(&["ledger", "verify", st, "--witness", w, "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (
            v["unprotected_events"].as_u64(),
            v["witness"]["size"].as_u64()
        ),
        (Some(1), Some(7))
    );

    // Roll back: the last three events and every tree head removed.
    let cut = dir.path().join("cut.sqlite");
    std::fs::copy(&store, &cut).unwrap();
    let c = rusqlite::Connection::open(&cut).unwrap();
    c.execute_batch("DROP TRIGGER events_append_only_d; DROP TRIGGER heads_append_only_d; DELETE FROM terminus_events WHERE seq >= 4; DELETE FROM terminus_tree_heads;").unwrap();
    drop(c);
    let cut = cut.to_str().unwrap();
    // Alone, it is a valid record of 4 events: the log cannot tell.
    let (code, out, _) = run(&["ledger", "verify", cut]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("no witness given"), "{out}");
    let (code, out, err) = run(&["ledger", "verify", cut, "--witness", w, "--json"]);
    assert_eq!(code, 1, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["failed"], "witness");
    assert!(
        v["reason"]
            .as_str()
            .unwrap()
            .contains("rolled back — 3 events are missing"),
        "{v}"
    );
    // The witness did not move.
    let (_, out, _) = run(&["ledger", "verify", st, "--witness", w]);
    assert!(out.contains("extends your witness (7 events)"), "{out}");

    // A rewritten history of the same length: another 7th event.
    let mut other = r.clone();
    other.events.pop();
    other.append(
        "comment",
        serde_json::json!({"text": "another"}),
        ("arm-head", &arm),
        "2026-11-28T11:02:00Z",
    );
    let f = dir.path().join("other.json");
    std::fs::write(&f, serde_json::to_string(&other).unwrap()).unwrap();
    let (code, _, err) = run(&["ledger", "verify", f.to_str().unwrap(), "--witness", w]);
    assert_eq!(code, 1);
    assert!(err.contains("rewritten"), "{err}");
}
