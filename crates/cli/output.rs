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
///
/// A target that exists and is no regular file (`/dev/null`, a terminal, a named pipe) is
/// written straight to, as a shell's `>` would: renaming a file over it would replace the
/// device or pipe itself (as root, even `/dev/null`). There is nothing to keep whole there.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let target = follow_symlink(path)?;
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let existing = fs::metadata(&target).ok();
    if existing.as_ref().is_some_and(fs::Metadata::is_dir) {
        return Err(anyhow!("cannot write {}: it is a folder", path.display()));
    }
    if existing.as_ref().is_some_and(|m| !m.is_file()) {
        return write_in_place(&target, bytes)
            .with_context(|| format!("cannot write {}", path.display()));
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

/// Writes `bytes` into an existing special file (device, named pipe): no temporary file, no
/// truncation (neither has a length), no rename.
fn write_in_place(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = fs::OpenOptions::new().write(true).open(target)?;
    file.write_all(bytes)?;
    file.flush()
}

/// Links followed at most, as the kernel's own limit (`ELOOP`) on Linux.
const MAX_LINKS: usize = 40;

/// The file a symbolic link points to, through any chain of links (so the link survives),
/// even when that file does not exist yet; `path` itself if it is no link.
fn follow_symlink(path: &Path) -> anyhow::Result<PathBuf> {
    let mut at = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        let Ok(next) = fs::read_link(&at) else { return Ok(at) };
        // A relative link is relative to the folder holding it.
        at = match at.parent() {
            Some(dir) if next.is_relative() => dir.join(next),
            _ => next,
        };
    }
    Err(anyhow!("cannot write {}: too many levels of symbolic links", path.display()))
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

    #[cfg(unix)]
    #[test]
    fn follows_chains_and_dangling_links() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let (path, first, second) =
            (dir.path().join("out.txt"), dir.path().join("a"), dir.path().join("b"));
        symlink("b", &first).unwrap();
        symlink(&path, &second).unwrap();
        // `out.txt` does not exist yet: it is created, and both links still lead to it.
        write_atomic(&first, b"new").unwrap();
        for link in [&first, &second] {
            assert!(fs::symlink_metadata(link).unwrap().file_type().is_symlink());
        }
        assert_eq!(fs::read_to_string(&first).unwrap(), "new");
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_written_to_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let null = Path::new("/dev/null");
        if !fs::metadata(null).is_ok_and(|m| m.file_type().is_char_device()) {
            return cannot_test_here("there is no /dev/null character device");
        }
        write_atomic(null, b"x").unwrap();
        assert!(fs::metadata(null).unwrap().file_type().is_char_device());
    }

    #[cfg(unix)]
    #[test]
    fn a_loop_of_links_is_an_error_and_stays() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        symlink("b", &a).unwrap();
        symlink("a", &b).unwrap();
        let error = write_atomic(&a, b"x").unwrap_err().to_string();
        assert!(error.ends_with("too many levels of symbolic links"), "{error}");
        assert!(fs::symlink_metadata(&a).unwrap().file_type().is_symlink());
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

    /// A test that cannot do its job here: skipped with a notice, but a failure under `CI=true`,
    /// where CI is expected to provide what it needs.
    fn cannot_test_here(why: &str) {
        assert!(std::env::var_os("CI").is_none(), "under CI this test must run, but {why}");
        eprintln!("skipped: {why}");
    }

    #[cfg(unix)]
    fn set_mode(dir: &Path, mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(mode)).unwrap();
    }

    /// Set when a test runs again in a child that permission bits stop.
    const OBEYING: &str = "ARCHDRAW_TEST_OBEYING_PERMISSIONS";

    /// For a process that writes anywhere (root): runs the test `name` of this binary again in a
    /// child without the capabilities that let root ignore permission bits, and fails unless
    /// that child passes it.
    #[cfg(unix)]
    fn rerun_obeying_permissions(name: &str) {
        assert!(std::env::var_os(OBEYING).is_none(), "the folder is writable even so");
        let exe = std::env::current_exe().unwrap();
        // Test names are module paths without the crate's name.
        let module = module_path!().split_once("::").map_or("", |(_, rest)| rest);
        let test = format!("{module}::{name}");
        let child = std::process::Command::new("setpriv")
            .args(["--bounding-set=-dac_override,-dac_read_search"])
            .arg(exe)
            .args(["--exact", &test, "--test-threads", "1"])
            .env(OBEYING, "1")
            .output();
        match child {
            Ok(out) => {
                let stdout = String::from_utf8_lossy(&out.stdout);
                assert!(
                    out.status.success() && stdout.contains("1 passed"),
                    "{test}, run without the permission bypass:\n{stdout}{}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            Err(e) => cannot_test_here(&format!("setpriv cannot run ({e})")),
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_folder_is_a_clear_error_and_the_old_file_stays() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.svg");
        fs::write(&path, "old").unwrap();
        set_mode(dir.path(), 0o555);
        if fs::write(dir.path().join("probe"), "").is_ok() {
            // Root writes anywhere: the same test, in a child that a folder's mode stops.
            set_mode(dir.path(), 0o755);
            return rerun_obeying_permissions(
                "a_read_only_folder_is_a_clear_error_and_the_old_file_stays",
            );
        }
        let result = write_atomic(&path, b"new");
        set_mode(dir.path(), 0o755);
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
