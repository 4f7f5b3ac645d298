//! Progress bars on standard error, only when it is a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Arc;
use terminus_formats::ByteProgress;

/// A byte-count bar for reading `total` bytes; hidden when stderr is not a
/// terminal or the file is small (under 8 MiB reads in well under a second).
pub fn bytes(total: u64, what: &str) -> (ProgressBar, Option<ByteProgress>) {
    let visible = std::io::stderr().is_terminal() && total >= 8 << 20;
    let bar = if visible {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {bytes}/{total_bytes} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    let b = bar.clone();
    let cb: ByteProgress = Arc::new(move |n| b.set_position(n));
    (bar, Some(cb))
}

/// A ticking spinner for work that may pass a second (`big`), on a terminal only.
pub fn spinner(what: &str, big: bool) -> ProgressBar {
    if !(big && std::io::stderr().is_terminal()) {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message(what.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// Whether a dataset is large enough for its processing to take a second.
pub fn is_big(ds: &terminus_vector::Dataset) -> bool {
    ds.layers.iter().map(|l| l.vertex_count()).sum::<usize>() > 500_000
}
