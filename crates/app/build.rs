//! Records the commit Terminus is built from, for provenance.json: the
//! result folders say exactly which code made them.

use std::process::Command;

fn main() {
    let commit = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let dirty = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .is_some_and(|o| !o.stdout.is_empty());
    let text = match (commit.is_empty(), dirty) {
        (true, _) => String::new(),
        (false, true) => format!("{commit}+modified"),
        (false, false) => commit,
    };
    println!("cargo:rustc-env=TERMINUS_COMMIT={text}");
    // Rebuild when the checked-out commit moves.
    for p in ["../../.git/HEAD", "../../.git/index"] {
        if std::path::Path::new(p).exists() {
            println!("cargo:rerun-if-changed={p}");
        }
    }
}
