//! A commission's record and every way of changing it after the fact:
//! each is caught by `verify`, and the first failing event is named.

use serde_json::json;
use terminus_ledger::keys::MemberKey;
use terminus_ledger::record::{
    canonical_raw, section_terms, verify, Event, Member, Record, RecordError,
};

/// Change an event's body in place (as a forger editing the file would).
fn edit(e: &mut Event, f: impl FnOnce(&mut serde_json::Value)) {
    let mut v = e.body_value();
    f(&mut v);
    e.body = canonical_raw(&v);
}

struct People {
    arm: MemberKey,
    aze: MemberKey,
    aze_expert: MemberKey,
}

fn member(id: &str, party: &str, role: &str, key: &MemberKey) -> Member {
    Member::new(id, party, role, key)
}

/// Founding, a member added, a proposal, a counter-proposal, the
/// agreement signed by both heads, a tree head.
fn record() -> (Record, People) {
    let p = People {
        arm: MemberKey::generate(),
        aze: MemberKey::generate(),
        aze_expert: MemberKey::generate(),
    };
    let mut r = Record::found(
        "AM-AZ",
        &[
            member("arm-head", "ARM", "head", &p.arm),
            member("aze-head", "AZE", "head", &p.aze),
        ],
        ("arm-head", &p.arm),
        "2026-11-28T10:00:00Z",
    );
    r.append(
        "member",
        json!({"member": member("aze-expert", "AZE", "expert", &p.aze_expert)}),
        ("aze-head", &p.aze),
        "2026-11-28T10:01:00Z",
    );
    r.append(
        "proposal",
        json!({"section": "Tavush–Gazakh", "crs": "EPSG:4326", "line": [[45.1318, 41.07935], [45.17, 41.05]], "source": "Natural Earth 5.1.1"}),
        ("arm-head", &p.arm),
        "2026-11-28T10:02:00Z",
    );
    r.append(
        "counter_proposal",
        json!({"section": "Tavush–Gazakh", "crs": "EPSG:4326", "line": [[45.1318, 41.07935], [45.171234567, 41.051]], "source": "OpenStreetMap"}),
        ("aze-expert", &p.aze_expert),
        "2026-11-28T10:03:00Z",
    );
    let agreed = json!({"terms": section_terms(
        "Tavush–Gazakh",
        &terminus_model::Crs::WGS84,
        9,
        &[(45.1318, 41.07935), (45.17, 41.05)],
        "compromise median of the two proposals",
        "Protocol-description of the Tavush–Gazakh section …",
    )});
    r.append(
        "agreement",
        agreed.clone(),
        ("arm-head", &p.arm),
        "2026-11-28T10:04:00Z",
    );
    r.append(
        "agreement",
        agreed,
        ("aze-head", &p.aze),
        "2026-11-28T10:05:00Z",
    );
    r.sign_head(("arm-head", &p.arm));
    (r, p)
}

fn event_failure(r: &Record) -> (u64, String) {
    match verify(r) {
        Err(RecordError::Event { seq, why, .. }) => (seq, why),
        other => panic!("expected an event failure, got {other:?}"),
    }
}

#[test]
fn an_untouched_record_verifies() {
    let (r, _) = record();
    let v = verify(&r).unwrap();
    assert_eq!(v.events, 6);
    assert_eq!(v.members.len(), 3);
    // And again after a round trip through its JSON, pretty-printed.
    let text = serde_json::to_string_pretty(&r).unwrap();
    let back: Record = serde_json::from_str(&text).unwrap();
    assert_eq!(verify(&back).unwrap(), v);
}

/// Numbers a JSON reader may round differently (RFC 8785's
/// 333333333.33333329, the 17-digit extremes) survive a round trip through
/// a file: the body is kept as signed text, not re-read numbers.
#[test]
fn awkward_numbers_survive_the_file() {
    let (mut r, p) = record();
    r.append(
        "comment",
        json!({"x": [f64::from_bits(0x41b3de4355555555), 5e-324, 1.7976931348623157e308, 0.1, 1e21, 45.171_234_567_891_23]}),
        ("arm-head", &p.arm),
        "2026-11-28T12:00:00Z",
    );
    let text = serde_json::to_string(&r).unwrap();
    let back: Record = serde_json::from_str(&text).unwrap();
    assert!(verify(&back).is_ok());
}

#[test]
fn a_coordinate_changed_at_the_ninth_decimal_is_caught() {
    let (mut r, _) = record();
    edit(&mut r.events[3], |b| b["line"][1][0] = json!(45.171234568));
    let (seq, why) = event_failure(&r);
    assert_eq!(seq, 3);
    assert!(why.contains("signature"), "{why}");
}

#[test]
fn every_byte_of_every_event_matters() {
    let (r, _) = record();
    let text = serde_json::to_string(&r).unwrap();
    let events_start = text.find("\"events\"").unwrap();
    let heads_start = text.find("\"heads\"").unwrap();
    let mut caught = 0;
    let mut tried = 0;
    // Every 7th character of the events: changed to another, still JSON.
    for i in (events_start + 10..heads_start - 2).step_by(7) {
        let c = text.as_bytes()[i];
        let swap = match c {
            b'0'..=b'8' => c + 1,
            b'9' => b'0',
            b'a'..=b'y' => c + 1,
            b'A'..=b'Y' => c + 1,
            _ => continue,
        };
        let mut bytes = text.clone().into_bytes();
        bytes[i] = swap;
        let Ok(changed) = serde_json::from_slice::<Record>(&bytes) else {
            caught += 1; // No longer a record at all.
            tried += 1;
            continue;
        };
        tried += 1;
        if verify(&changed).is_err() {
            caught += 1;
        }
    }
    assert!(tried > 100, "{tried}");
    assert_eq!(caught, tried, "a change went unnoticed");
}

#[test]
fn reordered_dropped_and_inserted_events_are_caught() {
    let (r, _) = record();
    let mut swapped = r.clone();
    swapped.events.swap(2, 3);
    let (seq, why) = event_failure(&swapped);
    assert_eq!(seq, 3);
    assert!(why.contains("position 2"), "{why}");
    let mut dropped = r.clone();
    dropped.events.remove(2);
    let (seq, why) = event_failure(&dropped);
    assert_eq!(seq, 3);
    assert!(why.contains("removed, inserted or moved"), "{why}");
    // Dropping the last events shows against the tree head.
    let mut cut = r.clone();
    cut.events.truncate(4);
    match verify(&cut) {
        Err(RecordError::Head { size, why, .. }) => {
            assert_eq!(size, 6);
            assert!(why.contains("dropped"), "{why}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_replayed_signature_is_caught() {
    let (mut r, _) = record();
    // Event 5 (the AZE head's agreement) carrying the signature the AZE
    // head gave to event 1.
    r.events[5].signature = r.events[1].signature.clone();
    let (seq, why) = event_failure(&r);
    assert_eq!(seq, 5);
    assert!(why.contains("signature"), "{why}");
}

#[test]
fn strangers_revoked_keys_and_experts_adding_members_are_refused() {
    let (r, p) = record();
    let stranger = MemberKey::generate();
    let mut x = r.clone();
    x.append(
        "comment",
        json!({"text": "hello"}),
        ("stranger", &stranger),
        "2026-11-28T11:00:00Z",
    );
    let (seq, why) = event_failure(&x);
    assert_eq!(seq, 6);
    assert!(why.contains("not a member"), "{why}");

    let mut x = r.clone();
    x.append(
        "revoke",
        json!({"member": member("aze-expert", "AZE", "expert", &p.aze_expert)}),
        ("aze-head", &p.aze),
        "2026-11-28T11:00:00Z",
    );
    x.append(
        "comment",
        json!({"text": "still here"}),
        ("aze-expert", &p.aze_expert),
        "2026-11-28T11:01:00Z",
    );
    let (seq, why) = event_failure(&x);
    assert_eq!(seq, 7);
    assert!(why.contains("revoked by event 6"), "{why}");

    let mut x = r.clone();
    let other = MemberKey::generate();
    x.append(
        "member",
        json!({"member": member("aze-2", "AZE", "expert", &other)}),
        ("aze-expert", &p.aze_expert),
        "2026-11-28T11:00:00Z",
    );
    let (seq, why) = event_failure(&x);
    assert_eq!(seq, 6);
    assert!(why.contains("only heads of delegation"), "{why}");

    // The ARM head cannot add members to the AZE delegation.
    let mut x = r.clone();
    x.append(
        "member",
        json!({"member": member("aze-3", "AZE", "head", &other)}),
        ("arm-head", &p.arm),
        "2026-11-28T11:00:00Z",
    );
    let (seq, _) = event_failure(&x);
    assert_eq!(seq, 6);
}

#[test]
fn a_rewritten_history_under_a_signed_head_is_caught() {
    let (mut r, p) = record();
    // The ARM head re-signs a changed proposal and everything after it:
    // every event verifies again, but the tree head does not.
    edit(&mut r.events[2], |b| b["source"] = json!("a different map"));
    let tail: Vec<_> = r.events.drain(2..).collect();
    for e in tail {
        let key = match e.author.as_str() {
            "arm-head" => &p.arm,
            "aze-head" => &p.aze,
            _ => &p.aze_expert,
        };
        r.append(&e.kind, e.body_value(), (&e.author, key), &e.time);
    }
    match verify(&r) {
        Err(RecordError::Head { size, why, .. }) => {
            assert_eq!(size, 6);
            assert!(why.contains("no longer hash"), "{why}");
        }
        other => panic!("{other:?}"),
    }
}
