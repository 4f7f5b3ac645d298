//! libFuzzer's entry: the bytes go to the target named by
//! `TERMINUS_FUZZ_TARGET` (one of `terminus_fuzz::TARGETS`).
#![no_main]

use std::sync::OnceLock;

fn target() -> &'static str {
    static T: OnceLock<String> = OnceLock::new();
    T.get_or_init(|| {
        let t = std::env::var("TERMINUS_FUZZ_TARGET").unwrap_or_default();
        assert!(
            terminus_fuzz::TARGETS.contains(&t.as_str()),
            "set TERMINUS_FUZZ_TARGET to one of {:?}",
            terminus_fuzz::TARGETS
        );
        t
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    terminus_fuzz::run(target(), data);
});
