//! The JSON example in docs/boundary-model.md parses, checks clean, and
//! survives a round trip through the model unchanged.

use terminus_geodesy::Crs;
use terminus_model::{Boundary, ModelError, PillarKind, Status};

fn example() -> String {
    let doc = include_str!("../../../docs/boundary-model.md");
    let start = doc.find("```json").expect("json block") + "```json".len();
    let end = start + doc[start..].find("```").expect("end of json block");
    doc[start..end].to_string()
}

#[test]
fn documented_example_parses_and_is_consistent() {
    let b: Boundary = serde_json::from_str(&example()).unwrap();
    assert_eq!(b.parties.len(), 2);
    assert!(b.check().is_empty(), "{:?}", b.check());
    assert_eq!(b.sections[0].status, Status::Demarcated);
    assert_eq!(b.pillars[0].kind, PillarKind::Main);
    assert_eq!(b.pillars[0].surveys[0].position.crs, Crs::Epsg(32638));
    assert_eq!(b.sources[0].crs, Some(Crs::Epsg(4284)));
    assert_eq!(b.claim_lines[0].geometry.vertex_count(), 3);
}

#[test]
fn round_trip_is_lossless() {
    let b: Boundary = serde_json::from_str(&example()).unwrap();
    let text = serde_json::to_string_pretty(&b).unwrap();
    let again: Boundary = serde_json::from_str(&text).unwrap();
    assert_eq!(b, again);
    let original: serde_json::Value = serde_json::from_str(&example()).unwrap();
    let written: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        original, written,
        "the written JSON differs from the documented form"
    );
}

#[test]
fn broken_references_and_unknown_crs_are_reported() {
    let mut b: Boundary = serde_json::from_str(&example()).unwrap();
    b.claim_lines[0].party = Some("GE".into());
    b.pillars.push(b.pillars[0].clone());
    b.sections[0].turning_points.clear();
    let e = b.check();
    assert!(e.contains(&ModelError::Dangling {
        from: "claim line \"am-2024\"".into(),
        kind: "party",
        id: "GE".into()
    }));
    assert!(e.contains(&ModelError::DuplicateId {
        kind: "pillars",
        id: "TG-001".into()
    }));
    assert!(e.contains(&ModelError::AgreedWithoutLine(
        "TG".into(),
        Status::Demarcated
    )));
    let bad = example().replace("EPSG:32638", "EPSG:99999");
    let err = serde_json::from_str::<Boundary>(&bad)
        .unwrap_err()
        .to_string();
    assert!(err.contains("EPSG:99999"), "{err}");
}
