//! The web workspace in real Chromium (issue 19): each member of the test
//! commission signs in with their own key file, in the page, and sees
//! exactly what the API lets them read — the same matrix, asserted
//! through the UI. Every request the page makes is recorded: none leaves
//! the service. Screenshots of each view are written to
//! `target/tmp/web-screenshots/`.
//!
//! Needs Node.js, `tools/web/node_modules` (`npm ci` there) and Debian's
//! `chromium`; `.ci/run` installs them. Without them the test says
//! SKIPPED, and fails under `CI=true`.

mod common;

#[path = "common/alay.rs"]
mod alay;

use common::{fixture, MEMBERS};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use terminus_server::Config;

/// One browser run at a time: the live and drafting steps time the other
/// party's page, which two Chromiums on two cores would slow down.
static BROWSER: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Why the browser test cannot run here, if it cannot.
fn missing() -> Option<String> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        return Some(format!(
            "no Chromium at {chromium} (apt-get install chromium)"
        ));
    }
    if std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_err()
    {
        return Some("no Node.js".into());
    }
    if !root()
        .join("tools/web/node_modules/playwright-core")
        .exists()
    {
        return Some("no playwright-core (cd tools/web && npm ci)".into());
    }
    None
}

/// Whether the browser test cannot run here (said so; never under CI).
fn skipped() -> bool {
    let Some(why) = missing() else {
        return false;
    };
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the browser test must run under CI: {why}"
    );
    eprintln!("SKIPPED: {why}");
    true
}

/// A member's key file as `terminus keys new` writes it, in `dir`.
fn key_file(dir: &Path, member: &str, key: &terminus_ledger::keys::MemberKey) -> PathBuf {
    let path = dir.join(format!("{member}.key"));
    let file = json!({"member": member, "algorithm": "Ed25519", "secret": key.secret_hex(), "public": key.public_hex()});
    std::fs::write(&path, file.to_string()).unwrap();
    path
}

/// `service` on a real socket of 127.0.0.1: its runtime (keep it) and
/// its address.
fn on_socket(
    service: &std::sync::Arc<terminus_server::Service>,
) -> (tokio::runtime::Runtime, String) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let service = service.clone();
    rt.spawn(async move { terminus_server::serve(service, listener).await });
    (rt, base)
}

#[test]
fn members_see_in_the_page_what_the_api_lets_them_read() {
    let _one = BROWSER.lock().unwrap_or_else(|p| p.into_inner());
    if skipped() {
        return;
    }
    let f = fixture(Config::default());
    // Key files as `terminus keys new` writes them.
    let keys_dir = f.dir.path().join("keys");
    std::fs::create_dir_all(&keys_dir).unwrap();
    let mut keys = serde_json::Map::new();
    for member in ["arm-head", "aze-head", "arm-observer", "osce", "aze-expert"] {
        let path = key_file(&keys_dir, member, &f.keys[member]);
        keys.insert(member.into(), json!(path));
    }
    // Key files that must sign no one in.
    let bad = [
        ("garbage.key", "not a key".to_string()),
        ("stranger.key", {
            let k = terminus_ledger::keys::MemberKey::generate();
            json!({"member": "stranger", "algorithm": "Ed25519", "secret": k.secret_hex(), "public": k.public_hex()}).to_string()
        }),
        (
            "mismatched.key",
            json!({"member": "arm-head", "algorithm": "Ed25519",
            "secret": f.keys["arm-head"].secret_hex(), "public": f.keys["aze-head"].public_hex()})
            .to_string(),
        ),
    ];
    let bad_paths: Vec<PathBuf> = bad
        .iter()
        .map(|(name, text)| {
            let p = keys_dir.join(name);
            std::fs::write(&p, text).unwrap();
            p
        })
        .collect();
    // The service on a real socket.
    let (rt, base) = on_socket(&f.service);

    // What `terminus compare` says of the two bundled claim lines with
    // the parties' territories (the application layer's workflow, with
    // the CLI's defaults): the page must show the same.
    let data = root().join("data");
    let reference = terminus_app::compare::run(
        &terminus_app::compare::CompareRequest {
            lines: vec![
                data.join("naturalearth10m_ARM_AZE_shared.geojson"),
                data.join("worldatlas10m_ARM_AZE_shared.geojson"),
            ],
            parties: vec![
                data.join("naturalearth10m_ARM.geojson"),
                data.join("naturalearth10m_AZE.geojson"),
            ],
            party_names: vec!["ARM".into(), "AZE".into()],
            tolerance: 100.0,
            bridge: 10_000.0,
            join: 10_000.0,
            ..Default::default()
        },
        terminus_app::Provenance::new(vec!["reference".into()]),
    )
    .unwrap();
    let ref_pair = &reference.comparison.pairs[0];
    let ref_polygons = terminus_app::compare::layers(&reference.comparison)
        .iter()
        .find(|l| l.name == "discrepancies")
        .map(|l| l.features.len())
        .unwrap();
    let biggest = ref_pair
        .discrepancies
        .iter()
        .filter(|d| d.beyond_tolerance)
        .max_by(|x, y| x.area_m2.total_cmp(&y.area_m2))
        .unwrap();
    let hover = [biggest.inside_at.1, biggest.inside_at.0];

    // Live: ARM's head comments in the record while AZE's head has the
    // record open.
    let comment = f.next_event(
        "comment",
        json!({"section": "North", "text": "see our counter-proposal"}),
        "arm-head",
        "arm-head",
    );
    let live = json!({"member": "aze-head", "event": comment, "token": f.token("arm-head")});

    let protocol_path = f.dir.path().join("protocol-north.md");
    let protocol_text = "# Protocol-description of section North\n\nThe line runs from the first turning point to the third.\n";
    std::fs::write(&protocol_path, protocol_text).unwrap();

    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("web-screenshots");
    let config = json!({"base": base, "keys": keys, "screenshots": shots, "pillar": [46.1, 39.1], "bad": bad_paths, "live": live, "verify": {"member": "osce"},
        "agreement": {"basis": "the line drawn in the browser test", "protocol": protocol_path},
        "draft": {"member": "arm-head", "other": "aze-head", "section": "North", "source": "drawn in the browser test",
                  "points": [[45.02, 41.0], [45.06, 41.08], [45.12, 41.12]], "snap": [45.1, 41.1]},
        "compare": {"member": "arm-head", "hover": hover,
            "lines": [data.join("naturalearth10m_ARM_AZE_shared.geojson"), data.join("worldatlas10m_ARM_AZE_shared.geojson")],
            "territories": {"ARM": data.join("naturalearth10m_ARM.geojson"), "AZE": data.join("naturalearth10m_AZE.geojson")}}});
    // The compromise the service's workflow gives for the same two files
    // and territories (the application layer's; tests/workflows.rs holds
    // it to `terminus median`).
    let read = |p: PathBuf| -> Value {
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    };
    let (s, body) = rt.block_on(f.call(
        Some("arm-head"),
        "POST",
        "/api/workflows/median",
        Some(
            json!({"claims": [
                {"name": "naturalearth10m_ARM_AZE_shared", "geojson": read(data.join("naturalearth10m_ARM_AZE_shared.geojson"))},
                {"name": "worldatlas10m_ARM_AZE_shared", "geojson": read(data.join("worldatlas10m_ARM_AZE_shared.geojson"))}],
             "parties": [{"name": "ARM", "geojson": read(data.join("naturalearth10m_ARM.geojson"))},
                         {"name": "AZE", "geojson": read(data.join("naturalearth10m_AZE.geojson"))}],
             "mode": "compromise"})
            .to_string(),
        ),
    ));
    assert!(s.is_success(), "{body}");
    let median: Value = serde_json::from_str(&body).unwrap();

    // A tree head signed by AZE's head over the record as it stands, so
    // that the page checks inclusion against a signed root.
    let (size, tree_root) = {
        let store = f.service.store.lock().unwrap();
        (store.replay().len(), store.replay().root())
    };
    let head = terminus_ledger::record::TreeHead::sign(
        "AM-AZ",
        size,
        &tree_root,
        ("aze-head", &f.keys["aze-head"]),
    );
    let (s, b) = rt.block_on(f.call(
        Some("aze-head"),
        "POST",
        "/api/tree-heads",
        Some(serde_json::to_string(&head).unwrap()),
    ));
    assert!(s.is_success(), "{b}");

    // What the API lets each member read, before the page is driven.
    let mut before = std::collections::HashMap::new();
    for member in keys.keys() {
        let mut uris = vec![
            "/api/sections".to_string(),
            "/api/events".to_string(),
            "/api/drafts".to_string(),
        ];
        for c in ["sections", "proposals", "agreed_line", "pillars"] {
            uris.push(format!("/collections/{c}/items?limit=10000"));
            uris.push(format!("/collections/{c}"));
        }
        for uri in uris {
            let (status, body) = rt.block_on(f.call(Some(member), "GET", &uri, None));
            let answer = status
                .is_success()
                .then(|| serde_json::from_str::<Value>(&body).unwrap());
            before.insert((member.clone(), uri), answer);
        }
    }
    let out = drive(&config, f.dir.path());
    eprintln!("{}", serde_json::to_string_pretty(&out["visits"]).unwrap());

    // No request left the service, and the page raised no error.
    assert!(!out["requests"].as_array().unwrap().is_empty());
    assert_eq!(out["offsite"], json!([]), "requests off the service");
    assert_eq!(out["errors"], json!([]), "errors in the page");

    let visits = out["visits"].as_array().unwrap();
    // Anonymous: the description only.
    let anon = &visits[0];
    assert_eq!(anon["member"], Value::Null);
    assert_eq!(anon["tabs"], json!(["about"]));
    assert!(anon["sign_in_shown"].as_bool().unwrap());
    assert!(anon["about"].as_str().unwrap().contains("signed record"));
    assert_eq!(
        anon["map"],
        json!({"sections": 0, "proposals": 0, "agreed_line": 0, "pillars": 0})
    );

    // Each bad key file: refused with its reason, nobody signed in.
    let refusals = anon["refusals"].as_array().unwrap();
    assert_eq!(refusals.len(), 3);
    for (r, why) in refusals.iter().zip([
        "This is not a Terminus key file: not JSON",
        "The service refused the sign-in: ",
        "The key file's secret and public halves do not belong together.",
    ]) {
        assert!(
            r["status"].as_str().unwrap().starts_with(why),
            "{r} does not say {why}"
        );
        assert_eq!(r["member"], json!(""), "{r}");
    }
    assert!(refusals[1]["status"].as_str().unwrap().contains("stranger"));

    // Each member: what the API let them read (before the live append),
    // read with their token.
    for v in &visits[1..] {
        let member = v["member"].as_str().unwrap();
        let (_, party, role) = MEMBERS.iter().find(|m| m.0 == member).unwrap();
        assert!(!v["sign_in_shown"].as_bool().unwrap(), "{member}");
        assert!(
            v["who"].as_str().unwrap().starts_with(member),
            "{member}: {}",
            v["who"]
        );
        let get =
            |uri: &str| -> Option<Value> { before[&(member.to_string(), uri.to_string())].clone() };
        // Sections: the same list, with the same status.
        let api_sections: Vec<Value> = get("/api/sections").unwrap()["sections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| json!({"section": s["section"], "status": s["status"]}))
            .collect();
        assert_eq!(v["sections"], json!(api_sections), "{member}");
        // The record: shown exactly when the API serves it, every event.
        match get("/api/events") {
            Some(e) => {
                let seqs: Vec<Value> = e["events"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| e["seq"].clone())
                    .collect();
                assert_eq!(v["record"], json!(seqs), "{member}");
            }
            None => {
                assert!(v.get("record").is_none(), "{member} sees the record");
                assert!(!v["tabs"].as_array().unwrap().contains(&json!("record")));
            }
        }
        // Drafts: the party's own, exactly when the API serves them.
        match get("/api/drafts") {
            Some(d) => {
                let sources: Vec<Value> = d["drafts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| d["body"]["source"].clone())
                    .collect();
                assert_eq!(v["drafts"], json!(sources), "{member}");
            }
            None => assert!(v.get("drafts").is_none(), "{member} sees drafts"),
        }
        // The sections layer starts unticked (its lines are the other
        // layers'); ticked, it shows what the API serves.
        if v["layers"].as_array().unwrap().contains(&json!("sections")) {
            assert_eq!(v["sections_shown_at_first"], false, "{member}");
        }
        // The map: each collection's features as the API serves them.
        for c in ["sections", "proposals", "agreed_line", "pillars"] {
            let n = get(&format!("/collections/{c}/items?limit=10000"))
                .map(|items| items["features"].as_array().unwrap().len())
                .unwrap_or(0);
            assert_eq!(v["map"][c], json!(n), "{member}: {c}");
            let listed = v["layers"].as_array().unwrap().contains(&json!(c));
            assert_eq!(
                listed,
                n > 0 || get(&format!("/collections/{c}")).is_some(),
                "{member}: {c}"
            );
        }
        // The claim lines listed one by one are the proposals the API
        // serves this member; the first unticked leaves the map alone.
        if let Some(items) = get("/collections/proposals/items?limit=10000") {
            let ids: Vec<Value> = items["features"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["id"].clone())
                .collect();
            let c = &v["claims"];
            assert_eq!(c["listed"], json!(ids), "{member}: {c}");
            let before: Vec<Value> = serde_json::from_value(c["before"].clone()).unwrap();
            let mut expected = before.clone();
            expected.retain(|x| x != &ids[0]);
            assert!(before.contains(&ids[0]), "{member}: {c}");
            assert_eq!(c["after"], json!(expected), "{member}: {c}");
            assert_eq!(c["again"], c["before"], "{member}: {c}");
        }
        // Spelled out for the fixture, so the matrix cannot be vacuous.
        let secret_arm = v["drafts"]
            .as_array()
            .is_some_and(|d| d.contains(&json!("secret-ARM-draft")));
        let secret_aze = v["drafts"]
            .as_array()
            .is_some_and(|d| d.contains(&json!("secret-AZE-draft")));
        assert_eq!(
            secret_arm,
            *party == "ARM" && *role != "observer",
            "{member}"
        );
        assert_eq!(
            secret_aze,
            *party == "AZE" && *role != "observer",
            "{member}"
        );
        if *role == "observer" {
            // (Observers may run a workflow on lines they bring.)
            assert_eq!(
                v["tabs"],
                json!(["sections", "layers", "compare", "compromise"]),
                "{member}"
            );
            assert_eq!(
                v["sections"],
                json!([{"section": "South", "status": "agreed"}])
            );
            assert_eq!(v["map"]["proposals"], json!(0));
        } else {
            assert_eq!(v["sections"].as_array().unwrap().len(), 2, "{member}");
        }
        // The pillar clicked at 46.1°E 39.1°N: its catalogue row.
        assert_eq!(v["popup_title"], json!("Pillar 2"), "{member}");
        assert_eq!(v["popup"]["number"], json!("2"), "{member}");
        assert_eq!(v["popup"]["section"], json!("South"), "{member}");
        // The comparison made in the page is `terminus compare`'s.
        if member == "arm-head" {
            let c = &v["compare"][0];
            // Named by their files' stems, as `terminus compare` names them.
            assert_eq!(c["a"], "naturalearth10m_ARM_AZE_shared");
            assert_eq!(c["b"], "worldatlas10m_ARM_AZE_shared");
            assert_eq!(c["count"], json!(ref_pair.discrepancy_count));
            assert_eq!(c["shown"], json!(ref_pair.discrepancy_count.to_string()));
            let da = c["area_m2"].as_f64().unwrap() - ref_pair.discrepancy_area_m2;
            assert!(da.abs() <= 1.0, "area differs by {da} m²");
            assert_eq!(v["compare_polygons"], json!(ref_polygons));
            let gains = v["compare_gains"].to_string();
            assert!(
                gains.contains("ARM gains") && gains.contains("AZE gains"),
                "{gains}"
            );
            let hovered = v["compare_hover"].as_str().unwrap();
            assert!(
                hovered.contains("km²") || hovered.contains("ha"),
                "{hovered}"
            );
            assert!(
                hovered.contains("gives it to ARM") || hovered.contains("gives it to AZE"),
                "{hovered}"
            );
            // The compromise in the page is the workflow's.
            let cm = &v["compromise"];
            let m = &median["summary"];
            assert_eq!(
                cm["lines"],
                json!(median["layers"]["median"]["features"]
                    .as_array()
                    .unwrap()
                    .len())
            );
            assert_eq!(
                cm["points"],
                json!(median["layers"]["turning_points"]["features"]
                    .as_array()
                    .unwrap()
                    .len())
            );
            // Each turning point's base points and tie lines, drawn.
            for (k, layer) in [("bases", "base_points"), ("ties", "tie_lines")] {
                let n = median["layers"][layer]["features"]
                    .as_array()
                    .unwrap()
                    .len();
                assert!(n >= 2, "{layer}: {n}");
                assert_eq!(cm[k], json!(n), "{layer}");
            }
            let shown_m: f64 = cm["rows"]["length"]
                .as_str()
                .unwrap()
                .trim_end_matches(" m")
                .replace(',', "")
                .parse()
                .unwrap();
            assert!(
                (shown_m - m["length_m"].as_f64().unwrap()).abs() <= 0.005,
                "{shown_m} vs {}",
                m["length_m"]
            );
            for claim in [
                "naturalearth10m_ARM_AZE_shared",
                "worldatlas10m_ARM_AZE_shared",
            ] {
                assert_eq!(
                    cm["rows"][format!("coverage-{claim}")],
                    json!("100.00 %"),
                    "{cm}"
                );
            }
            for (g, want) in cm["gains"]
                .as_array()
                .unwrap()
                .iter()
                .zip(m["compromise"]["gains"].as_array().unwrap())
            {
                assert_eq!(g["claim"], want["claim"]);
                let d = g["area_m2"].as_f64().unwrap() - want["area_between_m2"].as_f64().unwrap();
                assert!(d.abs() <= 1.0, "{g} vs {want}");
            }
            eprintln!("compromise in the page: {}", v["compromise"]["rows"]);
            eprintln!(
                "compare in the page: {} discrepancies, {:.1} m² (terminus compare: {}, {:.1} m²), {} polygons drawn, {} ms",
                c["count"], c["area_m2"], ref_pair.discrepancy_count, ref_pair.discrepancy_area_m2, v["compare_polygons"], v["compare_ms"]
            );
        }
        // The mediator verified the record in the page: every event's
        // signature, chain and inclusion in the signed tree; the altered
        // log fails, naming the event whose bytes changed (and the next,
        // whose prev no longer matches).
        if member == "osce" {
            let ok = &v["verified"];
            assert_eq!(ok["problems"], json!(0), "{ok}");
            assert!(
                ok["marks"].as_array().unwrap().iter().all(|m| m == "true"),
                "{ok}"
            );
            assert!(
                ok["text"].as_str().unwrap().contains("1 signed tree head"),
                "{ok}"
            );
            let bad = &v["tampered"];
            assert!(bad["problems"].as_u64().unwrap() >= 2, "{bad}");
            assert!(
                bad["text"]
                    .as_str()
                    .unwrap()
                    .contains("#1: the signature does not verify"),
                "{bad}"
            );
            assert!(
                bad["text"]
                    .as_str()
                    .unwrap()
                    .contains("#2: its prev is not the leaf hash"),
                "{bad}"
            );
            assert_eq!(bad["marks"][1], "false");
            assert_eq!(bad["marks"][0], "true");
            assert!(
                bad["status"].as_str().unwrap().contains("does NOT verify"),
                "{bad}"
            );
            eprintln!(
                "in-page verification: {}; altered log: {}",
                ok["text"], bad["text"]
            );
            // The printed map carries title, who printed it, legend and
            // provenance (the record's size and root), and nothing of the
            // panel.
            let print = &v["print"];
            assert_eq!(print["sheet"], json!(true), "{print}");
            assert_eq!(print["panel"], json!(false), "{print}");
            let text = print["text"].as_str().unwrap();
            for want in [
                "Terminus — commission AM-AZ".to_string(),
                "Printed by osce".to_string(),
                "Lines of ARM".to_string(),
                format!("the record of {size} events, Merkle root {tree_root}"),
            ] {
                assert!(text.contains(&want), "{want} not in {text}");
            }
        }
        // Russian throughout.
        assert_eq!(v["ru_first_tab"], json!("Участки"), "{member}");
    }
    // The other party's page showed the append within a second.
    let (listed, ms) = (
        out["live"]["listed"].as_u64().unwrap(),
        out["live"]["ms"].as_u64().unwrap(),
    );
    eprintln!("aze-head's page listed arm-head's comment {listed} ms after it was posted (the test saw it at {ms} ms)");
    assert!(listed < 1000, "{listed} ms");
    // A head drew a line and saved it as a draft: signed in the page, kept
    // for ARM only; AZE's page never showed it.
    let d = &out["draft"];
    eprintln!("drafting: {d}");
    // The other party clicked "difference from the previous proposal" on
    // the new one: the two compared by the service as `POST
    // /api/workflows/compare` compares them, drawn.
    let diff = &out["diff"];
    eprintln!("proposal difference: {diff}");
    assert_eq!(diff["tab"], "compare", "{diff}");
    let (seq, previous) = (
        diff["seq"].as_u64().unwrap(),
        diff["previous"].as_u64().unwrap(),
    );
    assert!(previous < seq);
    let (s, b) = rt.block_on(f.call(
        Some("aze-head"),
        "POST",
        "/api/workflows/compare",
        Some(json!({"lines": [{"name": "a", "event": previous}, {"name": "b", "event": seq}], "parties": [], "tolerance_m": 100}).to_string()),
    ));
    assert_eq!(s.as_u16(), 200, "{b}");
    let api: Value = serde_json::from_str(&b).unwrap();
    let pair = &api["summary"]["pairs"][0];
    let count = pair["discrepancy_count"].as_u64().unwrap();
    assert!(count > 0, "{api}");
    assert_eq!(diff["pairs"][0]["count"], json!(count), "{diff} vs {pair}");
    assert_eq!(diff["polygons"], json!(count));
    let area = pair["discrepancy_area_m2"].as_f64().unwrap();
    assert!(
        (diff["pairs"][0]["area_m2"].as_f64().unwrap() - area).abs() < 1.0,
        "{diff} vs {pair}"
    );
    // The snapped click took the proposal's vertex exactly.
    assert_eq!(out["snapped"], json!([45.1, 41.1]));
    let store_drafts = |party: &str| {
        let mut store = common::reopen(&f.path);
        store.drafts(party).unwrap()
    };
    let drawn = store_drafts("ARM")
        .into_iter()
        .find(|x| x.body["source"]["text"] == "drawn in the browser test")
        .expect("the draft is kept for ARM");
    assert_eq!(drawn.author, "arm-head");
    assert!(!store_drafts("AZE")
        .iter()
        .any(|x| x.body["source"]["text"] == "drawn in the browser test"));
    drawn_where_clicked(
        &drawn.body["line"],
        &[[45.02, 41.0], [45.06, 41.08], [45.12, 41.12]],
    );
    // Signed into the record as a counter-proposal (North is known): the
    // other party's page listed it within a second; the record verifies
    // as `terminus ledger verify` verifies it.
    saved_unseen_signed_and_heard(d, "drawn in the browser test");
    let verified = terminus_app::ledger::verify_file(&f.path).expect("the record verifies");
    let record = terminus_app::ledger::read_any(&f.path).unwrap();
    let last = &record.events[comment.seq as usize + 1];
    assert_eq!(last.kind, "counter_proposal");
    assert_eq!(last.author, "arm-head");
    assert_eq!(last.body_value()["line"], drawn.body["line"]);
    assert_eq!(last.body_value()["section"], "North");
    assert!(verified.agreed.contains_key("South"));
    // The comment, the proposal, both heads' agreements: nothing else.
    assert_eq!(f.events(), comment.seq + 4);
    // North is agreed, by both parties, on terms over the drawn line
    // written with 9 decimals and the protocol's SHA-256.
    let north = &verified.agreed["North"];
    assert_eq!(north.parties, vec!["ARM".to_string(), "AZE".to_string()]);
    let agreement = record
        .events
        .iter()
        .rev()
        .find(|e| e.kind == "agreement")
        .unwrap();
    let terms = agreement.body_value()["terms"].clone();
    let want = terminus_ledger::record::section_terms(
        "North",
        &terminus_model::Crs::WGS84,
        9,
        &drawn.body["line"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
            .collect::<Vec<_>>(),
        "the line drawn in the browser test",
        protocol_text,
    );
    assert_eq!(terms, serde_json::to_value(&want).unwrap());
    assert!(north
        .terms_sha256
        .starts_with(out["agreement"]["terms"].as_str().unwrap()));
    // The hash shown before signing is the hash of the terms signed.
    assert_eq!(out["agreement"]["preview"], json!(north.terms_sha256));
    eprintln!("agreed in the page: North, terms {}", north.terms_sha256);
    assert_eq!(record.events[comment.seq as usize].kind, "comment");
    eprintln!("screenshots: {}", shots.display());
}

/// A draft's vertices are where the head clicked (to within a pixel,
/// well under 0.001° at the zooms the tests draw at).
fn drawn_where_clicked(line: &Value, clicked: &[[f64; 2]]) {
    let line = line.as_array().unwrap();
    assert_eq!(line.len(), clicked.len(), "{line:?}");
    for (v, c) in line.iter().zip(clicked) {
        for k in 0..2 {
            assert!((v[k].as_f64().unwrap() - c[k]).abs() < 1e-3, "{v} vs {c:?}");
        }
    }
}

/// The drafting flow's outcome (`workspace.mjs`'s `drafting`): saved as
/// a draft the other party's page never listed, signed into the record,
/// and listed by the other party's page within a second of the click —
/// `listed` by the page's clock; `ms`, when the test's polling saw it,
/// adds its own delay.
fn saved_unseen_signed_and_heard(d: &Value, source: &str) {
    assert!(
        d["saved"].as_str().unwrap().starts_with("Draft saved"),
        "{d}"
    );
    assert_eq!(
        d["otherDraftsBefore"], d["otherDraftsAfter"],
        "the other party saw the draft"
    );
    assert!(!d["otherDraftsAfter"].to_string().contains(source));
    assert!(
        d["signed"]
            .as_str()
            .unwrap()
            .starts_with("Signed into the record as event #"),
        "{d}"
    );
    let (listed, ms) = (d["listed"].as_u64().unwrap(), d["ms"].as_u64().unwrap());
    eprintln!("the other head's page listed the signed proposal {listed} ms after the click (the test saw it at {ms} ms)");
    assert!(listed < 1000, "{listed} ms");
    assert_eq!(
        d["otherEventsAfter"],
        json!(d["otherEventsBefore"].as_u64().unwrap() + 1)
    );
}

/// Run the browser script with `config`; what it printed.
fn drive(config: &Value, dir: &Path) -> Value {
    let config_path = dir.join("browser-config.json");
    std::fs::write(&config_path, config.to_string()).unwrap();
    let run = std::process::Command::new("node")
        .arg(root().join("tools/web/tests/workspace.mjs"))
        .arg(&config_path)
        .current_dir(root().join("tools/web"))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "the browser script failed:\n{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&run.stdout).unwrap()
}

/// On a commission with a DEM: the relief is drawn from the service's
/// tiles, and a pillar clicked shows its catalogue row — the catalogue
/// CSV's, column for column — and its line of sight to the next pillar,
/// drawn from the DEM, with the verdict the plan wrote in `visible_next`.
#[test]
fn a_pillar_shows_its_catalogue_row_and_its_profile() {
    let _one = BROWSER.lock().unwrap_or_else(|p| p.into_inner());
    if skipped() {
        return;
    }
    let a = alay::alay();
    let key_path = key_file(a.dir.path(), "kgz-head", &a.keys[0].1);
    let (_rt, base) = on_socket(&a.service);
    // (The runtime also serves the test's own requests below.)
    // The catalogue as the CLI wrote it.
    let text = std::fs::read_to_string(&a.catalogue_csv).unwrap();
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let numbers: Vec<&str> = [0, 1, rows.len() / 2, rows.len() - 2]
        .iter()
        .map(|&i| rows[i][0])
        .collect();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("web-screenshots");
    let out = drive(
        &json!({"base": base, "keys": {"kgz-head": key_path}, "screenshots": shots,
                "pillars": {"member": "kgz-head", "numbers": numbers,
                            "waterParting": alay::LINE.iter().map(|p| [p.0, p.1]).collect::<Vec<_>>()}}),
        a.dir.path(),
    );
    assert_eq!(out["offsite"], json!([]), "requests off the service");
    assert_eq!(out["errors"], json!([]), "errors in the page");
    // Relief tiles were asked for and served.
    let relief = out["relief"].as_array().unwrap();
    assert!(!relief.is_empty());
    assert!(relief.iter().all(|s| s == 200), "{relief:?}");
    // The base map: contours and streams drawn from the DEM's tiles, the
    // places named in the page's language — Russian where the data has
    // it, the name where not.
    let b = &out["basemap"];
    eprintln!("base map: {b}");
    assert!(
        b["statuses"].as_array().unwrap().iter().all(|s| s == 200),
        "{b}"
    );
    // The draft made to follow the water-parting: the page's line is the
    // longest piece the service traces along the line as drawn.
    let w = &out["water_parting"];
    let (s, body) = _rt.block_on(async {
        use tower::ServiceExt;
        let key = &a.keys[0].1;
        let t = terminus_ledger::token::issue(key, "KG-TJ", "kgz-head", common::now() + 3600);
        let req = axum::http::Request::builder()
            .method("POST")
            .uri("/api/workflows/water-parting")
            .header("host", "test.invalid")
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {t}"))
            .body(axum::body::Body::from(
                json!({"line": {"name": "drawn", "geojson": {"type": "LineString", "coordinates": w["drawn"]}}, "corridor_m": 2000}).to_string(),
            ))
            .unwrap();
        let res = terminus_server::router(a.service.clone()).oneshot(req).await.unwrap();
        let status = res.status().as_u16();
        use http_body_util::BodyExt;
        let b = res.into_body().collect().await.unwrap().to_bytes();
        (status, serde_json::from_slice::<Value>(&b).unwrap())
    });
    assert_eq!(s, 200, "{body}");
    let mut pieces: Vec<Value> = Vec::new();
    for f in body["divide"]["features"].as_array().unwrap() {
        match f["geometry"]["type"].as_str() {
            Some("LineString") => pieces.push(f["geometry"]["coordinates"].clone()),
            Some("MultiLineString") => pieces.extend(
                f["geometry"]["coordinates"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .cloned(),
            ),
            _ => {}
        }
    }
    pieces.sort_by_key(|p| std::cmp::Reverse(p.as_array().unwrap().len()));
    assert_eq!(
        w["traced"], pieces[0],
        "the page's line is not the service's water-parting"
    );
    assert!(
        (w["length"].as_f64().unwrap() - body["summary"]["length_m"].as_f64().unwrap()).abs()
            < 1e-6
    );
    assert!(
        w["source"]
            .as_str()
            .unwrap()
            .contains(&body["dem"]["sha256"].as_str().unwrap()[..12]),
        "{w}"
    );
    eprintln!(
        "water-parting in the page: {} vertices drawn → {} traced, {:.0} m",
        w["drawn"].as_array().unwrap().len(),
        w["traced"].as_array().unwrap().len(),
        w["length"].as_f64().unwrap()
    );
    // A click 5 px off a stream vertex took the vertex (the stream as the
    // tile draws it).
    let snap = &out["stream_snap"];
    assert_eq!(snap["drawn"], snap["stream_vertex"], "{snap}");
    assert!(snap["drawn"].is_array(), "{snap}");
    for layer in ["contours", "streams", "places"] {
        assert!(
            b["drawn"][layer].as_u64().unwrap() > 0,
            "{layer} not drawn: {b}"
        );
    }
    let labels = |k: &str| -> Vec<String> { serde_json::from_value(b[k].clone()).unwrap() };
    assert!(
        labels("labels_en").contains(&"Sary-Tash".to_string()),
        "{b}"
    );
    assert!(labels("labels_ru").contains(&"Сары-Таш".to_string()), "{b}");
    assert!(
        labels("labels_ru").contains(&"Kashka-Suu".to_string()),
        "{b}"
    );
    assert!(
        !labels("labels_ru").contains(&"Sary-Tash".to_string()),
        "{b}"
    );
    pillar_rows_are_the_catalogues(&out, &head, &rows, true);
    eprintln!("screenshots: {}", shots.display());
}

/// Each pillar clicked in the page showed its catalogue row — every
/// column of the CSV's, the same text or the same number (the CSV writes
/// fixed decimals, the record keeps the value) — and, with a DEM, its
/// line of sight to the next: the plan's verdict and distance.
fn pillar_rows_are_the_catalogues(out: &Value, head: &[&str], rows: &[Vec<&str>], profiles: bool) {
    assert!(!out["pillars"].as_array().unwrap().is_empty());
    for p in out["pillars"].as_array().unwrap() {
        let number = p["number"].as_str().unwrap();
        let row = rows.iter().find(|r| r[0] == number).unwrap();
        assert_eq!(p["title"], json!(format!("Pillar {number}")));
        // Every column of the CSV row, in the popup: the same text, or the
        // same number (the CSV writes fixed decimals, the record keeps the
        // value).
        let mut columns = 0;
        for (h, v) in head.iter().zip(row) {
            if v.is_empty() {
                continue;
            }
            let shown = p["row"][*h]
                .as_str()
                .unwrap_or_else(|| panic!("{number}: column {h} is not shown: {}", p["row"]));
            match (v.parse::<f64>(), shown.parse::<f64>()) {
                (Ok(a), Ok(b)) => assert!(
                    (a - b).abs() <= 1e-9 * a.abs().max(1.0),
                    "{number} {h}: {v} vs {shown}"
                ),
                _ => assert_eq!(shown, *v, "{number} {h}"),
            }
            columns += 1;
        }
        assert!(columns >= 20, "{number}: {columns} columns");
        if !profiles {
            continue;
        }
        // The profile to the next pillar: the plan's verdict and distance.
        let col = |name: &str| row[head.iter().position(|h| *h == name).unwrap()];
        let profile = &p["profile"];
        assert_eq!(profile["visible"], json!(col("visible_next")), "{number}");
        let d = profile["distance"].as_f64().unwrap();
        let listed: f64 = col("distance_next_m").parse().unwrap();
        assert!((d - listed).abs() < 0.006, "{number}: {d} vs {listed}");
        assert!(
            profile["ground"].as_u64().unwrap() >= 4,
            "{number}: {}",
            profile["ground"]
        ); // the ground: two base corners and every sample
        eprintln!("{number}: {}", profile["caption"]);
    }
}

/// The acceptance run on `terminus demo`'s own commission, as a user who
/// has just run the demo would meet it: its store served, each of its
/// five members signed in with the key file the demo wrote — each head
/// sees their party's draft and not the other's, observers the agreed
/// section only, anonymous visitors the description only, the map each
/// collection as the API serves that member; the record verified in the
/// page (and a log altered by the service caught); the comparison of the
/// demo's two claim lines the same as the demo's own `compare/`; each
/// pillar clicked showing the demo catalogue's row; the main flows by
/// keyboard.
#[test]
fn the_demos_own_commission_in_the_page() {
    let _one = BROWSER.lock().unwrap_or_else(|p| p.into_inner());
    if skipped() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo");
    terminus_app::demo::run(
        &demo,
        terminus_app::provenance::Provenance::new(vec!["test".into()]),
    )
    .unwrap();
    let store = terminus_ledger::store::SqliteStore::open(
        &demo.join("ledger/am-az-sample.sqlite"),
        "AM-AZ-sample",
    )
    .unwrap();
    let service = std::sync::Arc::new(
        terminus_server::Service::new(Box::new(store), Config::default()).unwrap(),
    );
    let (_rt, base) = on_socket(&service);
    let members = [
        "arm-head",
        "aze-head",
        "mediator",
        "arm-observer",
        "aze-observer",
    ];
    let keys: serde_json::Map<String, Value> = members
        .iter()
        .map(|m| {
            (
                m.to_string(),
                json!(demo.join(format!("ledger/keys/{m}.key"))),
            )
        })
        .collect();
    // What the API serves each member (read with a token their own key
    // file makes), to hold the page to.
    let api = |member: &str, uri: &str| -> Option<Value> {
        use http_body_util::BodyExt;
        use tower::ServiceExt;
        let file: Value = serde_json::from_str(
            &std::fs::read_to_string(demo.join(format!("ledger/keys/{member}.key"))).unwrap(),
        )
        .unwrap();
        let key =
            terminus_ledger::keys::MemberKey::from_secret_hex(file["secret"].as_str().unwrap())
                .unwrap();
        let t = terminus_ledger::token::issue(&key, "AM-AZ-sample", member, common::now() + 3600);
        let req = axum::http::Request::builder()
            .uri(uri)
            .header("host", "test.invalid")
            .header("authorization", format!("Bearer {t}"))
            .body(axum::body::Body::empty())
            .unwrap();
        _rt.block_on(async {
            let res = terminus_server::router(service.clone())
                .oneshot(req)
                .await
                .unwrap();
            let ok = res.status().is_success();
            let b = res.into_body().collect().await.unwrap().to_bytes();
            ok.then(|| serde_json::from_slice(&b).unwrap())
        })
    };
    let sample = |f: &str| demo.join("sample").join(f);
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("web-screenshots/demo");
    let out = drive(
        &json!({"base": base, "keys": keys, "screenshots": shots, "verify": {"member": "mediator"},
                "compare": {"member": "arm-head",
                    "lines": [sample("naturalearth10m_ARM_AZE_shared.geojson"), sample("worldatlas10m_ARM_AZE_shared.geojson")],
                    "territories": {"ARM": sample("naturalearth10m_ARM.geojson"), "AZE": sample("naturalearth10m_AZE.geojson")}}}),
        dir.path(),
    );
    assert_eq!(out["offsite"], json!([]), "requests off the service");
    assert_eq!(out["errors"], json!([]), "errors in the page");
    let agreed = "Tavush–Gazakh (sample)";
    let open = "Tavush–Gazakh south (sample)";
    let mut seen_members = Vec::new();
    for v in out["visits"].as_array().unwrap() {
        let who = v["member"].as_str().unwrap_or("anonymous");
        if who == "anonymous" {
            // The description only: no section, no record.
            assert_eq!(v["tabs"], json!(["about"]), "{v}");
            continue;
        }
        seen_members.push(who.to_string());
        // The sections the API serves this member, with their status.
        let sections: Vec<Value> = api(who, "/api/sections").unwrap()["sections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| json!({"section": s["section"], "status": s["status"]}))
            .collect();
        assert_eq!(v["sections"], json!(sections), "{who}");
        let names: Vec<&str> = sections
            .iter()
            .map(|s| s["section"].as_str().unwrap())
            .collect();
        if who.ends_with("observer") {
            // Observers: the agreed section only, no record, no drafts.
            assert_eq!(names, [agreed], "{who}");
            assert!(
                v.get("record").is_none() && v.get("drafts").is_none(),
                "{who}: {v}"
            );
        } else {
            assert_eq!(names, [agreed, open], "{who}");
            // All seven events of the demo's record, in order.
            assert_eq!(v["record"], json!([0, 1, 2, 3, 4, 5, 6]), "{who}");
        }
        // Drafts: each head sees their party's own, never the other's.
        let own = match who {
            "arm-head" => Some(json!(["ARM draft (sample)"])),
            "aze-head" => Some(json!(["AZE draft (sample)"])),
            "mediator" => Some(json!([])),
            _ => None,
        };
        match own {
            Some(d) => assert_eq!(v["drafts"], d, "{who}"),
            None => assert!(v.get("drafts").is_none(), "{who}"),
        }
        // The map: each collection as the API serves this member.
        for c in ["sections", "proposals", "agreed_line", "pillars"] {
            let n = api(who, &format!("/collections/{c}/items?limit=10000"))
                .map(|items| items["features"].as_array().unwrap().len())
                .unwrap_or(0);
            assert_eq!(v["map"][c], json!(n), "{who}: {c}");
        }
        assert_eq!(v["map"]["agreed_line"], 1, "{who}: {}", v["map"]);
        assert_eq!(v["map"]["pillars"], 28, "{who}: {}", v["map"]);
        if who == "mediator" {
            assert_eq!(v["verified"]["problems"], 0, "{}", v["verified"]);
            assert!(
                v["tampered"]["problems"].as_u64().unwrap() > 0,
                "{}",
                v["tampered"]
            );
        }
        if who == "arm-head" {
            // Its proposals: the two of the record and ARM's draft.
            assert_eq!(v["map"]["proposals"], 3, "{}", v["map"]);
            // The demo's own comparison of the same files.
            let summary: Value = serde_json::from_str(
                &std::fs::read_to_string(demo.join("compare/summary.json")).unwrap(),
            )
            .unwrap();
            let pair = &summary["pairs"][0];
            let c = &v["compare"][0];
            assert_eq!(c["count"], pair["discrepancy_count"], "{c} vs {pair}");
            let (a, b) = (
                c["area_m2"].as_f64().unwrap(),
                pair["discrepancy_area_m2"].as_f64().unwrap(),
            );
            assert!((a - b).abs() < 1.0, "{a} vs {b} m²");
            eprintln!("demo compare in the page: {} discrepancies, {a:.1} m² (the demo's compare/: {b:.1} m²)", c["count"]);
        }
    }
    assert_eq!(seen_members, members);
    // Pillars clicked one by one: the demo catalogue's rows.
    let csv =
        std::fs::read_to_string(demo.join("demarcation/tavush_gazakh/catalogue.csv")).unwrap();
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let numbers: Vec<&str> = [0, 1, rows.len() / 2, rows.len() - 1]
        .iter()
        .map(|&i| rows[i][0])
        .collect();
    let out = drive(
        &json!({"base": base, "keys": {"aze-head": keys["aze-head"]}, "screenshots": shots,
                "pillars": {"member": "aze-head", "numbers": numbers, "profiles": false}}),
        dir.path(),
    );
    assert_eq!(out["offsite"], json!([]), "requests off the service");
    assert_eq!(out["errors"], json!([]), "errors in the page");
    pillar_rows_are_the_catalogues(&out, &head, &rows, false);
    // The main flows by keyboard alone.
    let out = drive(
        &json!({"base": base, "screenshots": shots,
                "keyboard": {"member": "arm-head", "key": keys["arm-head"], "section": "Drawn by keyboard"}}),
        dir.path(),
    );
    assert_eq!(out["offsite"], json!([]), "requests off the service");
    assert_eq!(out["errors"], json!([]), "errors in the page");
    let k = &out["keyboard"];
    eprintln!("by keyboard: {k}");
    assert_eq!(k["signed_in"], "arm-head", "{k}");
    assert_eq!(k["verified_problems"], 0, "{k}");
    assert_eq!(
        k["pillar"]["title"],
        json!(format!(
            "Pillar {}",
            k["pillar"]["number"].as_str().unwrap()
        )),
        "{k}"
    );
    assert_eq!(k["pillar"]["focus_in_popup"], true, "{k}");
    assert_eq!(k["pillar"]["closed"], true, "{k}");
    assert_eq!(k["pillar"]["focus_back"], k["pillar"]["number"], "{k}");
    // Two vertices, the second where the arrow keys moved the map to.
    let sketch = k["sketch"].as_array().unwrap();
    assert_eq!(sketch.len(), 2, "{k}");
    assert!(
        sketch[1][0].as_f64().unwrap() > sketch[0][0].as_f64().unwrap(),
        "{k}"
    );
    assert!(
        sketch[1][1].as_f64().unwrap() < sketch[0][1].as_f64().unwrap(),
        "{k}"
    );
    assert!(
        k["saved"].as_str().unwrap().starts_with("Draft saved"),
        "{k}"
    );
    assert_eq!(k["drafts"], 2, "{k}");
    // Kept in the store, signed by arm-head, as drawn.
    let mut store = terminus_ledger::store::SqliteStore::open(
        &demo.join("ledger/am-az-sample.sqlite"),
        "AM-AZ-sample",
    )
    .unwrap();
    let kept = terminus_ledger::store::RecordStore::drafts(&mut store, "ARM").unwrap();
    // The demo's own ARM draft, and the one drawn by keyboard.
    assert_eq!(kept.len(), 2);
    let drawn = kept
        .iter()
        .find(|d| d.body["section"] == "Drawn by keyboard")
        .expect("the keyboard's draft");
    assert_eq!(drawn.author, "arm-head");
    assert_eq!(drawn.body["line"], k["sketch"]);
    // ARM's head answers AZE's proposal on the open stretch: draws a line
    // beside it (0.002° east), saves it as a draft that AZE's page never
    // shows, and signs it into the record; AZE's page lists it within a
    // second, and the record verifies as `terminus ledger verify` does.
    let ledger_file = demo.join("ledger/am-az-sample.sqlite");
    let before = terminus_app::ledger::read_any(&ledger_file).unwrap();
    let proposed = before
        .events
        .iter()
        .find(|e| e.kind == "proposal" && e.body_value()["section"] == open)
        .expect("AZE's proposal on the open stretch");
    let theirs = proposed.body_value()["line"].as_array().unwrap().clone();
    let at = |i: usize| -> [f64; 2] {
        [
            theirs[i][0].as_f64().unwrap() + 0.002,
            theirs[i][1].as_f64().unwrap(),
        ]
    };
    let clicked = [at(0), at(theirs.len() / 2), at(theirs.len() - 1)];
    let source = "answered in the demo's browser test";
    let out = drive(
        &json!({"base": base, "keys": {"arm-head": keys["arm-head"], "aze-head": keys["aze-head"]}, "screenshots": shots,
                "draft": {"member": "arm-head", "other": "aze-head", "section": open, "source": source, "points": clicked}}),
        dir.path(),
    );
    assert_eq!(out["offsite"], json!([]), "requests off the service");
    assert_eq!(out["errors"], json!([]), "errors in the page");
    let d = &out["draft"];
    eprintln!("demo drafting: {d}");
    saved_unseen_signed_and_heard(d, source);
    let kept = terminus_ledger::store::RecordStore::drafts(&mut store, "ARM").unwrap();
    let answer = kept
        .iter()
        .find(|x| x.body["source"]["text"] == source)
        .expect("the draft is kept for ARM");
    drawn_where_clicked(&answer.body["line"], &clicked);
    let verified = terminus_app::ledger::verify_file(&ledger_file).expect("the record verifies");
    let after = terminus_app::ledger::read_any(&ledger_file).unwrap();
    assert_eq!(after.events.len(), before.events.len() + 1);
    let last = after.events.last().unwrap();
    assert_eq!(last.kind, "counter_proposal");
    assert_eq!(last.author, "arm-head");
    assert_eq!(last.body_value()["section"], open);
    assert_eq!(last.body_value()["line"], answer.body["line"]);
    assert!(verified.agreed.contains_key(agreed));
    eprintln!("screenshots: {}", shots.display());
}
