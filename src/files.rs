//! Writing a file the safe way: the new text goes to a temporary file beside it, which then
//! replaces it in one step, so that a crash or a full disk never leaves half a file.

use std::io;
use std::path::{Path, PathBuf};

/// Replaces (or creates) the file at `path` with `bytes`. A symbolic link is followed, so the file
/// it points to is the one replaced; an existing file keeps its permissions, and a read-only one
/// is refused rather than replaced.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target: PathBuf = match std::fs::canonicalize(path) {
        Ok(real) => real,
        Err(e) if e.kind() == io::ErrorKind::NotFound => path.to_path_buf(),
        Err(e) => return Err(e),
    };
    let existing = match std::fs::metadata(&target) {
        Ok(meta) => Some(meta.permissions()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    if existing
        .as_ref()
        .is_some_and(std::fs::Permissions::readonly)
    {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "the file is read-only",
        ));
    }
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target.file_name().map_or_else(
        || "output".to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let tmp = dir.join(format!(".{name}.tally-{}", std::process::id()));
    let written = std::fs::write(&tmp, bytes)
        .and_then(|()| match existing {
            Some(permissions) => std::fs::set_permissions(&tmp, permissions),
            None => Ok(()),
        })
        .and_then(|()| std::fs::rename(&tmp, &target));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}
