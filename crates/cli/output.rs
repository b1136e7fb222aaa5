//! Where a drawing goes: standard output, or a file that is replaced only once the new content
//! is completely written.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};

/// Writes `bytes` to standard output and flushes.
pub fn write_stdout(bytes: &[u8]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()
}

/// Replaces `path` with `bytes` atomically: the bytes go to a temporary file in the same
/// folder, which is flushed to disk and then renamed over `path`. Readers see the old file or
/// the new one, never a half-written one; on any failure the old file is untouched and the
/// temporary file is removed.
///
/// An existing file keeps its permissions; a new one gets the usual ones (`0o666` less the
/// umask). If `path` is a symbolic link, the file it points to is replaced and the link kept.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let target = follow_symlink(path);
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let existing = fs::metadata(&target).ok();
    if existing.as_ref().is_some_and(fs::Metadata::is_dir) {
        return Err(anyhow!("cannot write {}: it is a folder", path.display()));
    }

    let mut builder = tempfile::Builder::new();
    builder.prefix(".archdraw-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // tempfile defaults to 0o600; ask for what a plain create would give (the kernel
        // applies the umask).
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(dir).map_err(|e| not_writable(path, dir, e))?;
    temp.write_all(bytes).with_context(|| format!("cannot write {}", path.display()))?;
    if let Some(existing) = &existing {
        temp.as_file()
            .set_permissions(existing.permissions())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    temp.as_file().sync_all().with_context(|| format!("cannot write {}", path.display()))?;
    // On failure the returned error owns the temporary file, and dropping it deletes it.
    temp.persist(&target).map_err(|e| not_writable(path, dir, e.error))?;
    Ok(())
}

/// The file a symbolic link points to (so the link survives), or `path` itself.
fn follow_symlink(path: &Path) -> PathBuf {
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link && let Ok(target) = fs::canonicalize(path) {
        return target;
    }
    path.to_path_buf()
}

/// An error naming the file, and the folder when the folder is what refuses.
///
/// Worded from the error's kind: tempfile's messages name its temporary file, which the user
/// never asked for and which has a random name.
fn not_writable(path: &Path, dir: &Path, error: io::Error) -> anyhow::Error {
    let (path, dir) = (path.display(), dir.display());
    match error.kind() {
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
            anyhow!("cannot write {path}: the folder {dir} is not writable")
        }
        io::ErrorKind::NotFound => anyhow!("cannot write {path}: the folder {dir} does not exist"),
        kind => anyhow!("cannot write {path}: {kind}"),
    }
}

/// Whether `error` comes from writing to a pipe whose reader has gone (`archdraw … | head`),
/// which is not a failure of ours.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".archdraw-"))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_the_file_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        fs::write(&path, "old").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        write_atomic(&dir.path().join("fresh.txt"), b"x").unwrap();
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    }

    #[cfg(unix)]
    #[test]
    fn keeps_permissions_and_symlinks() {
        use std::os::unix::fs::{PermissionsExt, symlink};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.txt");
        symlink(&path, &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
        // A new file is not left with tempfile's private 0o600.
        let fresh = dir.path().join("fresh.txt");
        write_atomic(&fresh, b"x").unwrap();
        assert_ne!(fs::metadata(&fresh).unwrap().permissions().mode() & 0o777, 0o600);
    }

    #[test]
    fn a_folder_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let error = write_atomic(dir.path(), b"x").unwrap_err().to_string();
        assert!(error.ends_with("it is a folder"), "{error}");
    }

    #[test]
    fn a_missing_folder_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no/such/out.svg");
        let error = format!("{:#}", write_atomic(&path, b"x").unwrap_err());
        let dir = path.parent().unwrap().display();
        assert_eq!(
            error,
            format!("cannot write {}: the folder {dir} does not exist", path.display())
        );
    }

    /// Makes `dir` read-only for this process, even as root (which ignores permission bits but
    /// not the immutable attribute). Returns false where that is impossible.
    #[cfg(unix)]
    fn make_read_only(dir: &Path) -> bool {
        use std::os::unix::fs::PermissionsExt;
        let writable = || {
            let probe = dir.join("probe");
            let ok = fs::write(&probe, "").is_ok();
            let _ = fs::remove_file(&probe);
            ok
        };
        fs::set_permissions(dir, fs::Permissions::from_mode(0o555)).unwrap();
        if writable() {
            let _ = std::process::Command::new("chattr").arg("+i").arg(dir).output();
        }
        !writable()
    }

    #[cfg(unix)]
    fn make_writable(dir: &Path) {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::process::Command::new("chattr").arg("-i").arg(dir).output();
        fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_folder_is_a_clear_error_and_the_old_file_stays() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.svg");
        fs::write(&path, "old").unwrap();
        if !make_read_only(dir.path()) {
            make_writable(dir.path());
            eprintln!("skipped: cannot make a folder read-only here");
            return;
        }
        let result = write_atomic(&path, b"new");
        make_writable(dir.path());
        let error = result.unwrap_err().to_string();
        let expected = format!(
            "cannot write {}: the folder {} is not writable",
            path.display(),
            dir.path().display()
        );
        assert_eq!(error, expected);
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    }

    #[test]
    fn broken_pipes_are_recognised_through_context() {
        let error = anyhow::Error::from(io::Error::from(io::ErrorKind::BrokenPipe))
            .context("writing the drawing");
        assert!(is_broken_pipe(&error));
        assert!(!is_broken_pipe(&anyhow!("something else")));
    }
}
