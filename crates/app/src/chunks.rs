//! Independent input lines worked on every core and given back in input
//! order: how the GeodSolve- and cs2cs-style line commands use two cores
//! without reordering their output.

/// `work(part, first)` on consecutive chunks of `lines` (one per core, at
/// most 16), `first` being the 0-based index of the chunk's first line;
/// the results in input order. A chunk whose thread panicked gives
/// `on_panic()` instead, so a bug shows as a failed chunk, not a lost one.
pub fn in_order<'a, T: Send>(
    lines: &[&'a str],
    work: impl Fn(&[&'a str], usize) -> T + Sync,
    on_panic: impl Fn() -> T,
) -> Vec<T> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(16);
    let size = lines.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = lines
            .chunks(size)
            .enumerate()
            .map(|(i, part)| {
                let work = &work;
                s.spawn(move || work(part, i * size))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| on_panic()))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    /// Every line once, in order, whatever the chunking.
    #[test]
    fn order_and_offsets_are_kept() {
        let text: Vec<String> = (0..1001).map(|i| i.to_string()).collect();
        let lines: Vec<&str> = text.iter().map(String::as_str).collect();
        let parts = super::in_order(
            &lines,
            |part, first| {
                part.iter()
                    .enumerate()
                    .map(|(k, l)| (first + k, l.parse::<usize>().unwrap()))
                    .collect::<Vec<_>>()
            },
            Vec::new,
        );
        let all: Vec<(usize, usize)> = parts.into_iter().flatten().collect();
        assert_eq!(all.len(), 1001);
        assert!(all
            .iter()
            .enumerate()
            .all(|(i, &(at, v))| at == i && v == i));
    }
}
