//! Writing a file the safe way: the new text goes to a temporary file beside it, which then
//! replaces it in one step, so that a crash or a full disk never leaves half a file. A FIFO or a
//! device is written in place (replacing it would put a regular file where the reader waits); a
//! folder is refused. [`same_file`] tells whether two paths name one file, so that a command can
//! refuse to write over its own inputs.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Replaces (or creates) the file at `path` with `bytes`. A symbolic link is followed, so the file
/// it points to is the one replaced; an existing file keeps its permissions, and a read-only one
/// is refused rather than replaced. A FIFO, a terminal or another device is opened and written
/// as it is; a folder is refused.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace_parts(path, &[bytes])
}

/// [`replace`] with the bytes in parts, written one after the other (a byte-order mark before a
/// large text, without copying the text to join them).
pub fn replace_parts(path: &Path, parts: &[&[u8]]) -> io::Result<()> {
    replace_with(path, &mut |file| {
        parts.iter().try_for_each(|part| file.write_all(part))
    })
}

/// What writes a file's bytes, as they are made (see [`replace_with`]).
pub type Writing<'a> = dyn FnMut(&mut dyn Write) -> io::Result<()> + 'a;

/// [`replace`] with the bytes written by `write` as it makes them (a large text made in pieces
/// need not be held whole). `write` is called once; an error from it leaves the file as it was.
pub fn replace_with(path: &Path, write: &mut Writing<'_>) -> io::Result<()> {
    let mut write_all = |file: &mut std::fs::File| -> io::Result<()> {
        write(file)?;
        file.flush()
    };
    let meta = match std::fs::metadata(path) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    if let Some(meta) = &meta {
        if meta.is_dir() {
            return Err(io::Error::other("it is a folder"));
        }
        if !meta.is_file() {
            // A FIFO, a terminal, `/dev/null`, `/dev/stdout`: written in place.
            let mut file = std::fs::OpenOptions::new().write(true).open(path)?;
            return write_all(&mut file);
        }
    }
    let target: PathBuf = match std::fs::canonicalize(path) {
        Ok(real) => real,
        Err(e) if e.kind() == io::ErrorKind::NotFound => path.to_path_buf(),
        Err(e) => return Err(e),
    };
    let existing = meta.map(|m| m.permissions());
    if existing
        .as_ref()
        .is_some_and(std::fs::Permissions::readonly)
    {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            crate::tr!("the file is read-only", "这个文件是只读的"),
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
    let written = std::fs::File::create(&tmp)
        .and_then(|mut file| write_all(&mut file))
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

/// Whether `a` and `b` name the same existing file: the same path once links and `..` are
/// resolved, or the same file under two names (a hard link). `false` when either does not exist.
/// What makes two paths the same file, for comparing many at once: the device and inode where
/// there are such (hard links included), else the path with its links resolved.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FileKey {
    Inode(u64, u64),
    Path(std::path::PathBuf),
}

pub fn file_key(path: &Path) -> FileKey {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Ok(m) = std::fs::metadata(path) {
            return FileKey::Inode(m.dev(), m.ino());
        }
    }
    FileKey::Path(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
}

pub fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if ma.dev() == mb.dev() && ma.ino() == mb.ino() {
            return true;
        }
    }
    #[cfg(not(unix))]
    let _ = (&ma, &mb);
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(ca), Ok(cb)) => ca == cb,
        _ => false,
    }
}
