//! Writing result files: never over what a user saved unless told, never a
//! half-written file.

use crate::failure::Failure;
use std::path::Path;

/// Write `text` to `path` through a temporary file renamed into place;
/// an existing file is an error unless `overwrite`.
pub fn write_text(path: &Path, text: &str, overwrite: bool) -> Result<(), Failure> {
    if path.exists() && !overwrite {
        return Err(Failure::usage(format!("{} exists", path.display()))
            .hint("add --overwrite to replace it"));
    }
    let tmp = path.with_extension(format!(
        "{}.partial",
        path.extension().and_then(|e| e.to_str()).unwrap_or("")
    ));
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Failure::failed(format!("{}: {e}", path.display()))
        })
}

/// Refuse before any work if a results folder `dir` already holds any of
/// `outputs` (nothing a user saved is replaced without `--overwrite`).
pub fn refuse_existing(dir: &Path, outputs: &[&str]) -> Result<(), Failure> {
    for f in outputs {
        let p = dir.join(f);
        if p.exists() {
            return Err(Failure::usage(format!("{} exists", p.display())).hint(
                "add --overwrite to replace the results in that folder, or choose another --out",
            ));
        }
    }
    Ok(())
}

/// Create the results folder `dir` (and its parents).
pub fn results_folder(dir: &Path) -> Result<(), Failure> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::failed(format!("{}: cannot create the folder: {e}", dir.display())))
}
