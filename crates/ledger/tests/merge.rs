//! Exchanging copies of the record between delegations that work
//! air-gapped: extensions merge, forks are refused and located.

mod common;

use serde_json::json;
use terminus_ledger::keys::MemberKey;
use terminus_ledger::record::{merge, verify, Merge, MergeError, Record};

fn base() -> (Record, MemberKey, MemberKey) {
    let (mut r, arm, aze) = common::two_heads("2026-11-28T11:00:00Z");
    r.append(
        "comment",
        json!({"text": "first meeting"}),
        ("aze-head", &aze),
        "2026-11-28T11:01:00Z",
    );
    r.sign_head(("aze-head", &aze));
    (r, arm, aze)
}

#[test]
fn an_extension_merges_and_a_shorter_copy_brings_nothing() {
    let (mut ours, arm, _) = base();
    let mut theirs = ours.clone();
    theirs.append(
        "proposal",
        json!({"section": "S1", "line": [[45.0, 41.0], [45.1, 41.1]]}),
        ("arm-head", &arm),
        "2026-11-28T11:02:00Z",
    );
    theirs.sign_head(("arm-head", &arm));
    assert_eq!(
        merge(&mut ours, &theirs).unwrap(),
        Merge::Extended { new: 1 }
    );
    assert_eq!(ours.events.len(), 3);
    assert_eq!(ours.heads.len(), 2);
    assert!(verify(&ours).is_ok());
    let mut shorter = theirs.clone();
    shorter.events.truncate(2);
    shorter.heads.retain(|h| h.size <= 2);
    assert_eq!(merge(&mut ours, &shorter).unwrap(), Merge::NothingNew);
    assert_eq!(ours.events.len(), 3);
}

#[test]
fn a_fork_is_refused_and_located() {
    let (ours0, arm, aze) = base();
    let mut ours = ours0.clone();
    ours.append(
        "proposal",
        json!({"section": "S1", "line": [[45.0, 41.0], [45.1, 41.1]]}),
        ("arm-head", &arm),
        "2026-11-28T11:02:00Z",
    );
    let mut theirs = ours0.clone();
    theirs.append(
        "proposal",
        json!({"section": "S1", "line": [[45.0, 41.0], [45.2, 41.1]]}),
        ("aze-head", &aze),
        "2026-11-28T11:02:00Z",
    );
    let before = ours.clone();
    let e = merge(&mut ours, &theirs).unwrap_err();
    assert!(matches!(e, MergeError::Fork(ref f) if f.seq == 2), "{e}");
    let text = e.to_string();
    assert!(
        text.contains("fork at event 2")
            && text.contains("proposal by arm-head")
            && text.contains("theirs is proposal by aze-head"),
        "{text}"
    );
    // Nothing merged.
    assert_eq!(ours.events.len(), before.events.len());
    assert_eq!(ours.events[2].leaf(), before.events[2].leaf());
}

#[test]
fn an_invalid_or_foreign_copy_is_refused() {
    let (mut ours, _, aze) = base();
    let mut bad = ours.clone();
    bad.append(
        "comment",
        json!({"text": "x"}),
        ("aze-head", &aze),
        "2026-11-28T11:02:00Z",
    );
    bad.events[2].signature = bad.events[1].signature.clone();
    let e = merge(&mut ours, &bad).unwrap_err();
    assert!(
        e.to_string().contains("does not verify") && e.to_string().contains("event 2"),
        "{e}"
    );
    let mut other = bad.clone();
    other.commission = "KG-TJ".into();
    let e = merge(&mut ours, &other).unwrap_err();
    assert!(matches!(e, MergeError::OtherCommission { .. }), "{e}");
    assert_eq!(ours.events.len(), 2);
}
