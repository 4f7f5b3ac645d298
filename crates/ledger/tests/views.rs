//! The record's layers read lazily (the service's path: each body read
//! once, each line's text written once) are the layers read whole, byte
//! for byte, and a second reading of the same record reads no body again.

mod common;

use serde_json::json;
use terminus_ledger::record::{section_terms, verify};
use terminus_ledger::views::{self, BodyCache};

#[test]
fn lazy_layers_are_the_whole_layers_and_bodies_are_read_once() {
    let (mut r, arm, aze) = common::two_heads("2026-11-28T10:00:00Z");
    let line = [(45.1318, 41.07935), (45.17, 41.05), (45.2, 41.0)];
    r.append(
        "proposal",
        json!({"section": "Tavush–Gazakh", "line": line.iter().map(|p| [p.0, p.1]).collect::<Vec<_>>(), "source": {"text": "NE 5.1.1"}}),
        ("arm-head", &arm),
        "2026-11-28T10:01:00Z",
    );
    r.append(
        "proposal",
        json!({"section": "North", "line": [[45.0, 41.3], [45.05, 41.25]]}),
        ("aze-head", &aze),
        "2026-11-28T10:02:00Z",
    );
    let terms = section_terms(
        "Tavush–Gazakh",
        &terminus_model::Crs::WGS84,
        9,
        &line,
        "basis",
        "protocol",
    );
    for (who, key) in [("arm-head", &arm), ("aze-head", &aze)] {
        r.append(
            "agreement",
            json!({"terms": terms}),
            (who, key),
            "2026-11-28T11:00:00Z",
        );
    }
    let sha = verify(&r).unwrap().agreed["Tavush–Gazakh"]
        .terms_sha256
        .clone();
    r.append(
        "attachment",
        json!({"section": "Tavush–Gazakh", "what": "pillar_catalogue", "terms_sha256": sha, "replaces": null,
               "pillars": [{"number": "1", "lon": 45.1318, "lat": 41.07935}, {"number": "2", "lon": 45.17, "lat": 41.05}]}),
        ("aze-head", &aze),
        "2026-11-28T12:00:00Z",
    );
    let mut replay = terminus_ledger::record::Replay::new("AM-AZ");
    for e in &r.events {
        replay.apply(e).unwrap();
    }
    let whole = views::layers(&r.events, &replay);
    let cache = BodyCache::default();
    let lazy = views::layers_with(&r.events, &replay, &cache);
    let pairs = [
        (&lazy.sections, &whole.sections),
        (&lazy.proposals, &whole.proposals),
        (&lazy.agreed_line, &whole.agreed_line),
        (&lazy.pillars, &whole.pillars),
    ];
    let mut lines = 0;
    for (l, w) in pairs {
        assert_eq!(l.len(), w.len());
        for (a, b) in l.iter().zip(w) {
            assert_eq!(a.to_json(), serde_json::to_string(b).unwrap());
            assert_eq!(&a.to_value(), b);
            assert_eq!(a.bbox(), views::bbox(&b["geometry"]));
            lines += usize::from(a.line.is_some());
        }
    }
    // Two sections, two proposals and one agreed line carry lines.
    assert_eq!(lines, 5);
    assert_eq!(
        whole.proposals[0]["geometry"]["coordinates"][2],
        json!([45.2, 41.0])
    );
    assert_eq!(
        whole.agreed_line[0]["properties"]["terms_sha256"],
        json!(sha)
    );
    // Every event's body read once; reading the layers again reads none.
    let read = cache.len();
    assert_eq!(read, r.events.len());
    let again = views::layers_with(&r.events, &replay, &cache);
    assert_eq!(cache.len(), read);
    assert_eq!(again.values().proposals, whole.proposals);
}
