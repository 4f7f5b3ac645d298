//! The record against the other delegation: every member of every party
//! trying every membership action against every other member. What the
//! record allows is decided by what it holds for the target, never by
//! what the event's body claims; a store accepts exactly what `verify`
//! accepts.

use serde_json::{json, Value};
use std::collections::BTreeMap;
use terminus_ledger::keys::MemberKey;
use terminus_ledger::record::{section_terms, verify, Member, Record};
use terminus_ledger::store::{RecordStore, SqliteStore};

const T: &str = "2026-11-28T10:00:00Z";

/// Two heads per delegation, an expert and an observer each, the mediator.
const PEOPLE: [(&str, &str, &str); 9] = [
    ("arm-head", "ARM", "head"),
    ("arm-head2", "ARM", "head"),
    ("arm-expert", "ARM", "expert"),
    ("arm-observer", "ARM", "observer"),
    ("aze-head", "AZE", "head"),
    ("aze-head2", "AZE", "head"),
    ("aze-expert", "AZE", "expert"),
    ("aze-observer", "AZE", "observer"),
    ("osce", "mediator", "mediator"),
];

struct Commission {
    record: Record,
    keys: BTreeMap<&'static str, MemberKey>,
}

impl Commission {
    fn new() -> Commission {
        let keys: BTreeMap<&str, MemberKey> = PEOPLE
            .iter()
            .map(|p| (p.0, MemberKey::generate()))
            .collect();
        let members: Vec<Member> = PEOPLE
            .iter()
            .map(|(id, party, role)| Member::new(id, party, role, &keys[id]))
            .collect();
        let record = Record::found("AM-AZ", &members, ("arm-head", &keys["arm-head"]), T);
        Commission { record, keys }
    }

    fn with(&self, kind: &str, body: Value, author: &str) -> Record {
        let mut r = self.record.clone();
        r.append(kind, body, (author, &self.keys[author]), T);
        r
    }
}

fn person(id: &str) -> (&'static str, &'static str, &'static str) {
    *PEOPLE.iter().find(|p| p.0 == id).expect("a person")
}

/// What a membership action by `actor` on `target` may do: `Effect`
/// (applied at once), `Pending` (accepted, waiting for the other party's
/// head: the mediator's members), or refused.
#[derive(Debug, PartialEq, Clone, Copy)]
enum Outcome {
    Effect,
    Pending,
    Refused,
}

fn expected(actor: &str, target_party: &str, honest: bool) -> Outcome {
    let (_, party, role) = person(actor);
    if !honest || role != "head" {
        Outcome::Refused
    } else if target_party == "mediator" {
        Outcome::Pending
    } else if party == target_party {
        Outcome::Effect
    } else {
        Outcome::Refused
    }
}

#[test]
fn the_cross_party_membership_matrix() {
    let c = Commission::new();
    let mut cases = 0;
    let mut store_checked = 0;
    let dir = tempfile::tempdir().unwrap();
    for (actor, actor_party, _) in PEOPLE {
        for (target, target_party, target_role) in PEOPLE {
            let fresh = MemberKey::generate();
            // (action, body, honest: the body states what the record holds)
            let lie_party = if actor_party != target_party {
                actor_party
            } else if target_party == "ARM" {
                "AZE"
            } else {
                "ARM"
            };
            let actions: Vec<(&str, Value, bool)> = vec![
                ("revoke", json!({"member": {"id": target}}), true),
                (
                    "revoke",
                    json!({"member": {"id": target, "party": target_party, "role": target_role}}),
                    true,
                ),
                (
                    "revoke",
                    json!({"member": {"id": target, "party": lie_party, "role": target_role}}),
                    false,
                ),
                (
                    "rotate",
                    json!({"member": Member::new(target, target_party, target_role, &fresh)}),
                    true,
                ),
                (
                    "rotate",
                    json!({"member": Member::new(target, lie_party, target_role, &fresh)}),
                    false,
                ),
                // Hijack: the target's id, the actor's party, a key the actor holds.
                (
                    "member",
                    json!({"member": Member::new(target, actor_party, "expert", &fresh)}),
                    false,
                ),
                (
                    "member",
                    json!({"member": Member::new(target, target_party, target_role, &fresh)}),
                    false,
                ),
                // A new member of the target's party.
                (
                    "member",
                    json!({"member": Member::new(&format!("new-{target}"), target_party, if target_party == "mediator" { "mediator" } else { "expert" }, &fresh)}),
                    true,
                ),
            ];
            for (kind, body, honest) in actions {
                cases += 1;
                let r = c.with(kind, body.clone(), actor);
                let want = expected(actor, target_party, honest);
                let got = verify(&r);
                let what = format!("{actor} {kind} {body}");
                match want {
                    Outcome::Refused => {
                        let e = got.expect_err(&what);
                        assert!(e.to_string().starts_with("event 1 ("), "{what}: {e}");
                    }
                    Outcome::Pending | Outcome::Effect => {
                        let v = got.unwrap_or_else(|e| panic!("{what}: {e}"));
                        let id = body["member"]["id"].as_str().unwrap();
                        let before = verify(&c.record).unwrap().members;
                        let changed = v.members.get(id) != before.get(id);
                        assert_eq!(changed, want == Outcome::Effect, "{what}");
                        if want == Outcome::Effect {
                            match kind {
                                "revoke" => assert!(!v.members.contains_key(id), "{what}"),
                                "rotate" => assert_eq!(
                                    v.members[id].public_key,
                                    fresh.public_hex(),
                                    "{what}"
                                ),
                                _ => assert_eq!(v.members[id].party, target_party, "{what}"),
                            }
                        }
                    }
                }
                // One rule set: the store takes exactly what verify takes
                // (a sample of the matrix: every actor against the
                // mediator and the other party's head, every action).
                if target == "osce" || target == "aze-head" {
                    let path = dir.path().join(format!("{store_checked}.sqlite"));
                    let mut s = SqliteStore::open(&path, "AM-AZ").unwrap();
                    s.keep(&c.record).unwrap();
                    let stored = s.append(r.events.last().unwrap());
                    assert_eq!(stored.is_ok(), verify(&r).is_ok(), "{what}");
                    drop(s);
                    // And what it kept opens again.
                    SqliteStore::open(&path, "AM-AZ").unwrap();
                    store_checked += 1;
                }
            }
        }
    }
    assert_eq!(cases, 9 * 9 * 8);
    assert!(store_checked >= 140, "{store_checked}");
}

#[test]
fn the_mediator_changes_only_with_both_parties_heads() {
    let c = Commission::new();
    let revoke = json!({"member": {"id": "osce"}});
    let mut r = c.with("revoke", revoke.clone(), "arm-head");
    assert!(verify(&r).unwrap().members.contains_key("osce"));
    // The same party's second head does not complete it.
    r.append(
        "revoke",
        revoke.clone(),
        ("arm-head2", &c.keys["arm-head2"]),
        T,
    );
    assert!(verify(&r).unwrap().members.contains_key("osce"));
    // The other party's head does.
    r.append("revoke", revoke, ("aze-head", &c.keys["aze-head"]), T);
    let v = verify(&r).unwrap();
    assert!(!v.members.contains_key("osce"));

    // A new mediator: both heads must sign the same member (same key).
    let (k1, k2) = (MemberKey::generate(), MemberKey::generate());
    let mut r = c.with(
        "member",
        json!({"member": Member::new("un", "mediator", "mediator", &k1)}),
        "aze-head",
    );
    r.append(
        "member",
        json!({"member": Member::new("un", "mediator", "mediator", &k2)}),
        ("arm-head", &c.keys["arm-head"]),
        T,
    );
    assert!(!verify(&r).unwrap().members.contains_key("un"));
    r.append(
        "member",
        json!({"member": Member::new("un", "mediator", "mediator", &k1)}),
        ("arm-head", &c.keys["arm-head"]),
        T,
    );
    let v = verify(&r).unwrap();
    assert_eq!(v.members["un"].public_key, k1.public_hex());

    // The mediator itself adds nobody.
    let r = c.with(
        "member",
        json!({"member": Member::new("osce-2", "mediator", "mediator", &k2)}),
        "osce",
    );
    assert!(verify(&r).unwrap_err().to_string().contains("only heads"));
}

#[test]
fn a_delegation_cannot_make_itself_a_mediator_or_share_a_key() {
    let c = Commission::new();
    let k = MemberKey::generate();
    let r = c.with(
        "member",
        json!({"member": Member::new("arm-judge", "ARM", "mediator", &k)}),
        "arm-head",
    );
    let e = verify(&r).unwrap_err().to_string();
    assert!(
        e.contains("role mediator is held in party \"mediator\" only"),
        "{e}"
    );
    // A key the ARM head holds cannot be a second member's.
    let r = c.with(
        "member",
        json!({"member": {"id": "arm-2", "party": "ARM", "role": "expert", "public_key": c.keys["arm-head"].public_hex()}}),
        "arm-head",
    );
    let e = verify(&r).unwrap_err().to_string();
    assert!(e.contains("a key belongs to one member"), "{e}");
    // Not a point of the curve; upper-case hex.
    for key in [
        format!("01{}", "00".repeat(31)),
        k.public_hex().to_uppercase(),
    ] {
        let r = c.with(
            "member",
            json!({"member": {"id": "arm-3", "party": "ARM", "role": "expert", "public_key": key}}),
            "arm-head",
        );
        assert!(verify(&r).unwrap_err().to_string().contains("public key"));
    }
    // A revoked id is never given again, not even by its own party.
    let mut r = c.with(
        "revoke",
        json!({"member": {"id": "arm-expert"}}),
        "arm-head",
    );
    r.append(
        "member",
        json!({"member": Member::new("arm-expert", "ARM", "expert", &k)}),
        ("arm-head", &c.keys["arm-head"]),
        T,
    );
    let e = verify(&r).unwrap_err().to_string();
    assert!(e.contains("never re-used"), "{e}");
}

/// The attack: ARM's head re-registers "aze-head" with a key ARM
/// holds. Refused; and a key rotation — the one way a key changes — keeps
/// every tree head signed with the old key valid, so the store still
/// opens, and the old key no longer signs.
#[test]
fn hijack_refused_and_rotation_keeps_old_signatures_valid() {
    let c = Commission::new();
    let r = c.with(
        "member",
        json!({"member": {"id": "aze-head", "party": "ARM", "role": "head", "public_key": c.keys["arm-expert"].public_hex()}}),
        "arm-head",
    );
    assert!(verify(&r).is_err());

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite");
    let mut r = c.record.clone();
    r.sign_head(("aze-head", &c.keys["aze-head"]));
    let new = MemberKey::generate();
    r.append(
        "rotate",
        json!({"member": Member::new("aze-head", "AZE", "head", &new)}),
        ("aze-head2", &c.keys["aze-head2"]),
        T,
    );
    r.append("comment", json!({"text": "new key"}), ("aze-head", &new), T);
    r.sign_head(("aze-head", &new));
    {
        let mut s = SqliteStore::open(&path, "AM-AZ").unwrap();
        s.keep(&r).unwrap();
    }
    let s = SqliteStore::open(&path, "AM-AZ").unwrap();
    assert_eq!(s.replay().keys_of("aze-head").len(), 2);
    verify(&r).unwrap();
    let mut old = r.clone();
    old.append(
        "comment",
        json!({"text": "old key"}),
        ("aze-head", &c.keys["aze-head"]),
        T,
    );
    assert!(verify(&old).unwrap_err().to_string().contains("signature"));
}

/// Agreements are counted by the party the record holds for the signer.
#[test]
fn only_the_two_parties_heads_agree() {
    let c = Commission::new();
    let terms = json!({"terms": section_terms("North", &terminus_model::Crs::WGS84, 9, &[(45.0, 41.0), (45.1, 41.1)], "b", "p")});
    let mut r = c.with(
        "proposal",
        json!({"section": "North", "crs": "EPSG:4326", "line": [[45.0, 41.0], [45.1, 41.1]]}),
        "arm-expert",
    );
    r.append(
        "agreement",
        terms.clone(),
        ("arm-head", &c.keys["arm-head"]),
        T,
    );
    r.append(
        "agreement",
        terms.clone(),
        ("arm-head2", &c.keys["arm-head2"]),
        T,
    );
    assert!(verify(&r).unwrap().agreed.is_empty());
    r.append("agreement", terms.clone(), ("osce", &c.keys["osce"]), T);
    assert!(verify(&r).unwrap().agreed.is_empty());
    let mut x = r.clone();
    x.append(
        "agreement",
        terms.clone(),
        ("aze-expert", &c.keys["aze-expert"]),
        T,
    );
    assert!(verify(&x).is_err());
    r.append("agreement", terms, ("aze-head2", &c.keys["aze-head2"]), T);
    let v = verify(&r).unwrap();
    assert_eq!(v.agreed["North"].parties, ["ARM", "AZE"]);
    assert!(v.agreed["North"].mediator);
}

/// Every member tries every writing action: who may is decided by the
/// role the record holds for them (observers write nothing; only heads
/// and the mediator sign agreements; any other member proposes,
/// comments, amends and attaches).
#[test]
fn every_role_tries_every_writing_action() {
    let c = Commission::new();
    let line = json!([[45.0, 41.0], [45.1, 41.1]]);
    let terms = section_terms(
        "North",
        &terminus_model::Crs::WGS84,
        9,
        &[(45.0, 41.0), (45.1, 41.1)],
        "b",
        "p",
    );
    // North proposed and agreed by both heads, so that attachments apply.
    let mut base = c.with(
        "proposal",
        json!({"section": "North", "crs": "EPSG:4326", "line": line}),
        "arm-head",
    );
    base.append(
        "agreement",
        json!({"terms": terms}),
        ("arm-head", &c.keys["arm-head"]),
        T,
    );
    base.append(
        "agreement",
        json!({"terms": terms}),
        ("aze-head", &c.keys["aze-head"]),
        T,
    );
    let sha = verify(&base).unwrap().agreed["North"].terms_sha256.clone();
    let actions: Vec<(&str, Value)> = vec![
        (
            "proposal",
            json!({"section": "South", "crs": "EPSG:4326", "line": line}),
        ),
        (
            "counter_proposal",
            json!({"section": "North", "crs": "EPSG:4326", "line": line}),
        ),
        ("comment", json!({"section": "North", "text": "x"})),
        ("amendment", json!({"section": "North", "why": "x"})),
        ("agreement", json!({"terms": terms})),
        (
            "attachment",
            json!({"section": "North", "what": "protocol_description", "terms_sha256": sha, "replaces": null, "documents": []}),
        ),
    ];
    let mut checked = 0;
    for (actor, _, role) in PEOPLE {
        for (kind, body) in &actions {
            let mut r = base.clone();
            r.append(kind, body.clone(), (actor, &c.keys[actor]), T);
            let allowed = match (role, *kind) {
                ("observer", _) => false,
                (_, "agreement") => role == "head" || role == "mediator",
                _ => true,
            };
            assert_eq!(
                verify(&r).is_ok(),
                allowed,
                "{actor} ({role}) {kind}: {:?}",
                verify(&r).err()
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 9 * 6);
}
