//! When a section is agreed: the heads of both delegations signed the same
//! terms — geometry with its CRS at a stated precision, basis, and the
//! protocol-description's hash — byte for byte.

use serde_json::json;
use terminus_ledger::keys::MemberKey;
use terminus_ledger::record::{section_terms, verify, Member, Record};

struct Commission {
    r: Record,
    arm: MemberKey,
    aze: MemberKey,
    expert: MemberKey,
    mediator: MemberKey,
}

fn commission() -> Commission {
    let (arm, aze, expert, mediator) = (
        MemberKey::generate(),
        MemberKey::generate(),
        MemberKey::generate(),
        MemberKey::generate(),
    );
    let m = |id: &str, party: &str, role: &str, k: &MemberKey| Member::new(id, party, role, k);
    let r = Record::found(
        "AM-AZ",
        &[
            m("arm-head", "ARM", "head", &arm),
            m("aze-head", "AZE", "head", &aze),
            m("arm-expert", "ARM", "expert", &expert),
            m("osce", "mediator", "mediator", &mediator),
        ],
        ("arm-head", &arm),
        "2026-11-28T10:00:00Z",
    );
    Commission {
        r,
        arm,
        aze,
        expert,
        mediator,
    }
}

fn terms(last_lat: f64) -> serde_json::Value {
    serde_json::to_value(section_terms(
        "Tavush–Gazakh",
        &terminus_model::Crs::WGS84,
        9,
        &[(45.1318, 41.07935), (45.17, last_lat)],
        "compromise median",
        "Protocol-description …",
    ))
    .unwrap()
}

#[test]
fn both_heads_signing_the_same_terms_agree_the_section() {
    let mut c = commission();
    c.r.append(
        "agreement",
        json!({"terms": terms(41.05)}),
        ("arm-head", &c.arm),
        "2026-11-28T11:01:00Z",
    );
    assert!(verify(&c.r).unwrap().agreed.is_empty());
    c.r.append(
        "agreement",
        json!({"terms": terms(41.05)}),
        ("aze-head", &c.aze),
        "2026-11-28T11:02:00Z",
    );
    let v = verify(&c.r).unwrap();
    let a = &v.agreed["Tavush–Gazakh"];
    assert_eq!(a.parties, vec!["ARM".to_string(), "AZE".to_string()]);
    assert!(!a.mediator);
    assert_eq!(a.at, 2);
    c.r.append(
        "agreement",
        json!({"terms": terms(41.05)}),
        ("osce", &c.mediator),
        "2026-11-28T11:03:00Z",
    );
    assert!(verify(&c.r).unwrap().agreed["Tavush–Gazakh"].mediator);
}

#[test]
fn terms_differing_at_the_ninth_decimal_are_not_an_agreement() {
    let mut c = commission();
    c.r.append(
        "agreement",
        json!({"terms": terms(41.05)}),
        ("arm-head", &c.arm),
        "2026-11-28T11:01:00Z",
    );
    c.r.append(
        "agreement",
        json!({"terms": terms(41.050000001)}),
        ("aze-head", &c.aze),
        "2026-11-28T11:02:00Z",
    );
    assert!(verify(&c.r).unwrap().agreed.is_empty());
    // At 8 decimals those two lines are the same text.
    assert_eq!(
        section_terms(
            "s",
            &terminus_model::Crs::WGS84,
            8,
            &[(45.0, 41.05)],
            "b",
            "p"
        ),
        section_terms(
            "s",
            &terminus_model::Crs::WGS84,
            8,
            &[(45.0, 41.050000001)],
            "b",
            "p"
        )
    );
}

#[test]
fn one_head_and_the_mediator_or_an_expert_do_not_agree_a_section() {
    let mut c = commission();
    c.r.append(
        "agreement",
        json!({"terms": terms(41.05)}),
        ("arm-head", &c.arm),
        "2026-11-28T11:01:00Z",
    );
    c.r.append(
        "agreement",
        json!({"terms": terms(41.05)}),
        ("osce", &c.mediator),
        "2026-11-28T11:02:00Z",
    );
    assert!(verify(&c.r).unwrap().agreed.is_empty());
    let mut x = c.r.clone();
    x.append(
        "agreement",
        json!({"terms": terms(41.05)}),
        ("arm-expert", &c.expert),
        "2026-11-28T11:03:00Z",
    );
    let e = verify(&x).unwrap_err();
    assert!(e.to_string().contains("only heads of delegation"), "{e}");
}

#[test]
fn an_amendment_reopens_the_section() {
    let mut c = commission();
    c.r.append(
        "agreement",
        json!({"terms": terms(41.05)}),
        ("arm-head", &c.arm),
        "2026-11-28T11:01:00Z",
    );
    c.r.append(
        "agreement",
        json!({"terms": terms(41.05)}),
        ("aze-head", &c.aze),
        "2026-11-28T11:02:00Z",
    );
    c.r.append(
        "amendment",
        json!({"section": "Tavush–Gazakh", "why": "pillar 12 moved"}),
        ("aze-head", &c.aze),
        "2026-11-28T11:03:00Z",
    );
    assert!(verify(&c.r).unwrap().agreed.is_empty());
    c.r.append(
        "agreement",
        json!({"terms": terms(41.0501)}),
        ("aze-head", &c.aze),
        "2026-11-28T11:04:00Z",
    );
    c.r.append(
        "agreement",
        json!({"terms": terms(41.0501)}),
        ("arm-head", &c.arm),
        "2026-11-28T11:05:00Z",
    );
    let v = verify(&c.r).unwrap();
    assert_eq!(v.agreed["Tavush–Gazakh"].at, 5);
}
