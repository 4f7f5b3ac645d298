//! The SQLite record: what is acknowledged is kept, what is invalid is not
//! stored, rows cannot be changed through SQL, and a file changed behind
//! Terminus' back is refused on opening with the event named.

use rusqlite::Connection;
use serde_json::json;
use terminus_ledger::keys::MemberKey;
use terminus_ledger::record::{verify, Member, Record};
use terminus_ledger::store::{SqliteStore, StoreError};

fn sample() -> (Record, MemberKey, MemberKey) {
    let (arm, aze) = (MemberKey::generate(), MemberKey::generate());
    let m = |id: &str, party: &str, k: &MemberKey| Member::new(id, party, "head", k);
    let mut r = Record::found(
        "AM-AZ",
        &[m("arm-head", "ARM", &arm), m("aze-head", "AZE", &aze)],
        ("arm-head", &arm),
        "2026-11-28T10:00:00Z",
    );
    r.append(
        "proposal",
        json!({"section": "Tavush–Gazakh", "line": [[45.1318, 41.07935], [45.17, 41.05]]}),
        ("arm-head", &arm),
        "2026-11-28T10:01:00Z",
    );
    r.append(
        "agreement",
        json!({"terms": terminus_ledger::record::section_terms("Tavush–Gazakh", "EPSG:4326", 9, &[(45.1318, 41.07935)], "basis", "protocol")}),
        ("aze-head", &aze),
        "2026-11-28T10:02:00Z",
    );
    r.sign_head(("aze-head", &aze));
    (r, arm, aze)
}

fn stored(path: &std::path::Path) -> SqliteStore {
    stored_with_keys(path).0
}

fn stored_with_keys(path: &std::path::Path) -> (SqliteStore, MemberKey) {
    let (r, arm, _) = sample();
    let mut s = SqliteStore::open(path, "AM-AZ").unwrap();
    for e in &r.events {
        s.append(e).unwrap();
    }
    for h in &r.heads {
        s.add_head(h).unwrap();
    }
    (s, arm)
}

#[test]
fn kept_across_reopening_and_verifiable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("record.sqlite");
    drop(stored(&path));
    let s = SqliteStore::open(&path, "AM-AZ").unwrap();
    assert_eq!(s.len(), 3);
    let r = s.record().unwrap();
    assert_eq!(r.heads.len(), 1);
    assert_eq!(verify(&r).unwrap().events, 3);
    // Another commission's name on this file is refused.
    let e = SqliteStore::open(&path, "KG-TJ").err().unwrap();
    assert!(
        e.to_string()
            .contains("holds the record of commission \"AM-AZ\""),
        "{e}"
    );
}

#[test]
fn an_invalid_event_is_not_stored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("record.sqlite");
    let (mut s, arm) = stored_with_keys(&path);
    let (other, _, _) = sample();
    // Right shape, wrong chain: another record's event 1.
    let e = s.append(&other.events[1]).unwrap_err();
    assert!(matches!(e, StoreError::Record(_)), "{e}");
    // A stranger's comment.
    let mut r = s.record().unwrap();
    let stranger = MemberKey::generate();
    r.append(
        "comment",
        json!({"text": "x"}),
        ("stranger", &stranger),
        "2026-11-28T11:00:00Z",
    );
    let e = s.append(r.events.last().unwrap()).unwrap_err();
    assert!(e.to_string().contains("not a member"), "{e}");
    // A valid one is kept.
    let mut r = s.record().unwrap();
    r.append(
        "comment",
        json!({"text": "agreed"}),
        ("arm-head", &arm),
        "2026-11-28T11:00:00Z",
    );
    s.append(r.events.last().unwrap()).unwrap();
    drop(s);
    assert_eq!(SqliteStore::open(&path, "AM-AZ").unwrap().len(), 4);
}

#[test]
fn rows_cannot_be_changed_or_deleted_through_sql() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("record.sqlite");
    drop(stored(&path));
    let c = Connection::open(&path).unwrap();
    for sql in [
        "UPDATE terminus_events SET body = '{}' WHERE seq = 1",
        "DELETE FROM terminus_events WHERE seq = 2",
        "UPDATE terminus_tree_heads SET root = '00'",
        "DELETE FROM terminus_tree_heads",
        "UPDATE terminus_commission SET id = 'X'",
    ] {
        let e = c.execute(sql, []).unwrap_err();
        assert!(e.to_string().contains("never"), "{sql}: {e}");
    }
}

/// With the triggers dropped, every column of every table changed in turn:
/// opening the file refuses it, naming the event or tree head.
#[test]
fn a_file_changed_behind_terminus_back_is_refused() {
    let cases: [(&str, &str); 9] = [
        ("UPDATE terminus_events SET body = replace(body, '41.07935', '41.07936') WHERE seq = 1", "event 1"),
        ("UPDATE terminus_events SET signature = (SELECT signature FROM terminus_events WHERE seq = 0) WHERE seq = 1", "event 1"),
        ("UPDATE terminus_events SET author = 'aze-head' WHERE seq = 1", "event 1"),
        ("UPDATE terminus_events SET time = '2026-11-28T09:00:00Z' WHERE seq = 2", "event 2"),
        ("UPDATE terminus_events SET kind = 'comment' WHERE seq = 2", "event 2"),
        ("UPDATE terminus_events SET prev = '' WHERE seq = 2", "event 2"),
        ("DELETE FROM terminus_events WHERE seq = 1", "event 2"),
        ("UPDATE terminus_tree_heads SET root = (CASE WHEN substr(root, 1, 1) = '0' THEN '1' ELSE '0' END) || substr(root, 2)", "tree head"),
        ("DELETE FROM terminus_events WHERE seq = 2", "tree head"),
    ];
    for (sql, named) in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("record.sqlite");
        drop(stored(&path));
        let c = Connection::open(&path).unwrap();
        c.execute_batch(
            "DROP TRIGGER events_append_only_u; DROP TRIGGER events_append_only_d;
             DROP TRIGGER heads_append_only_u; DROP TRIGGER heads_append_only_d;",
        )
        .unwrap();
        c.execute(sql, []).unwrap();
        drop(c);
        let e = SqliteStore::open(&path, "AM-AZ")
            .err()
            .unwrap_or_else(|| panic!("{sql} went unnoticed"));
        assert!(e.to_string().contains(named), "{sql}: {e}");
    }
}
