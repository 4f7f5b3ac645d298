//! Phase timings of the comparison engine, for benchmarks.

/// Phase timings on stderr when TERMINUS_PROFILE is set (for benchmarks).
pub(crate) fn phase(what: &str, since: &mut std::time::Instant) {
    if std::env::var_os("TERMINUS_PROFILE").is_some() {
        eprintln!("{what}: {:.3} s", since.elapsed().as_secs_f64());
    }
    *since = std::time::Instant::now();
}
