//! Every committed fuzz input — the corpus libFuzzer grew and each crash
//! it found (`fuzz/regressions/`) — run through its target: none may
//! panic, abort or hang. A crash fixed once stays fixed.

use std::path::PathBuf;
use std::time::{Duration, Instant};

#[test]
fn every_committed_input_ends_without_a_panic() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut ran = 0;
    let mut slowest = (Duration::ZERO, String::new());
    for target in terminus_fuzz::TARGETS {
        let mut inputs = 0;
        for dir in ["corpus", "regressions"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
                continue;
            };
            let mut files: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
            files.sort();
            for f in files {
                let data = std::fs::read(&f).unwrap();
                let t = Instant::now();
                terminus_fuzz::run(target, &data);
                if t.elapsed() > slowest.0 {
                    slowest = (t.elapsed(), f.display().to_string());
                }
                inputs += 1;
            }
        }
        assert!(inputs > 0, "no committed input for fuzz target {target}");
        ran += inputs;
    }
    eprintln!(
        "{ran} inputs replayed; slowest {:?} ({})",
        slowest.0, slowest.1
    );
    assert!(slowest.0 < Duration::from_secs(10), "{slowest:?}");
}
