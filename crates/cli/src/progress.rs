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
