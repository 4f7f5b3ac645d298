//! `terminus keys` and `terminus ledger verify` as users meet them.

use std::process::Command;
use terminus_ledger::keys::MemberKey;
use terminus_ledger::record::{Member, Record};

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
    let (arm, aze) = (MemberKey::generate(), MemberKey::generate());
    let m = |id: &str, party: &str, k: &MemberKey| Member {
        id: id.into(),
        party: party.into(),
        role: "head".into(),
        public_key: k.public_hex(),
    };
    let mut r = Record::found(
        "AM-AZ",
        &[m("arm-head", "ARM", &arm), m("aze-head", "AZE", &aze)],
        ("arm-head", &arm),
        "2026-11-28T10:00:00Z",
    );
    r.append(
        "proposal",
        serde_json::json!({"section": "Tavush–Gazakh", "line": [[45.1318, 41.07935], [45.17, 41.05]]}),
        ("arm-head", &arm),
        "2026-11-28T10:01:00Z",
    );
    r.append(
        "agreement",
        serde_json::json!({"terms": terminus_ledger::record::section_terms("Tavush–Gazakh", "EPSG:4326", 9, &[(45.1318, 41.07935)], "basis", "protocol")}),
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
