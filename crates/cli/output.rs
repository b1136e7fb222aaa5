//! Where a drawing goes: standard output, or a file that is replaced only once the new content
//! is completely written.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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
/// temporary file is removed (also on Ctrl-C or SIGTERM, see [`remove_temps_on_signals`]).
///
/// An existing file keeps its permissions; a new one gets the usual ones (`0o666` less the
/// umask). If `path` is a symbolic link, the file it points to is replaced and the link kept.
/// A file that could not be opened for writing (read-only, `0o444`) is refused, as a shell's
/// `>` would refuse it. Errors name `path`, never the temporary file.
///
/// A target that exists and is no regular file (`/dev/null`, a terminal, a named pipe) is
/// written straight to, as a shell's `>` would: renaming a file over it would replace the
/// device or pipe itself (as root, even `/dev/null`). There is nothing to keep whole there.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    prepare(path, bytes)?.commit(None)
}

/// Like [`write_atomic`], for a file read earlier as `read`: just before the rename, the file
/// is read again, and if it is no longer `read` (someone saved it meanwhile) nothing is
/// replaced and the error says so. The window left between that check and the rename is
/// a few system calls long, not the time it took to draw.
pub fn replace_unchanged(path: &Path, read: &[u8], bytes: &[u8]) -> anyhow::Result<()> {
    prepare(path, bytes)?.commit(Some(read))
}

/// A file written to its temporary copy, ready to be renamed over its target.
#[derive(Debug)]
pub struct Prepared {
    path: PathBuf,
    target: PathBuf,
    /// `None` for a special file, written already. Registered for the signal handler until
    /// renamed or dropped.
    temp: Option<(tempfile::TempPath, Registered)>,
}

/// Writes `bytes` to a temporary file beside `path`'s target, to be renamed over it by
/// [`Prepared::commit`]; dropping the result removes the temporary file instead. Writing every
/// file of a batch first and renaming them after means a full disk or a bad folder stops the
/// batch before any target changes.
pub fn prepare(path: &Path, bytes: &[u8]) -> anyhow::Result<Prepared> {
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
        write_in_place(&target, bytes)
            .with_context(|| format!("cannot write {}", path.display()))?;
        return Ok(Prepared { path: path.to_path_buf(), target, temp: None });
    }
    if existing.is_some() {
        // The shell's `>` opens the file for writing; whatever refuses that refuses this too.
        // Opening without truncating changes nothing.
        fs::OpenOptions::new().write(true).open(&target).map_err(|e| match e.kind() {
            io::ErrorKind::PermissionDenied => {
                anyhow!("cannot write {}: the file is read-only", path.display())
            }
            _ => anyhow!("cannot write {}: {}", path.display(), plain(&e)),
        })?;
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
    let temp = builder.tempfile_in(dir).map_err(|e| not_writable(path, dir, &e))?;
    // Registered before anything is written, so a signal from here on removes it.
    let (mut file, temp) = temp.into_parts();
    let registered = Registered::new(&temp);
    // Errors of the file itself (not of tempfile's wrapper) carry no path: the message names
    // the target the user asked for.
    let fail = |e: io::Error| anyhow!("cannot write {}: {}", path.display(), plain(&e));
    file.write_all(bytes).map_err(fail)?;
    if let Some(existing) = &existing {
        file.set_permissions(existing.permissions()).map_err(fail)?;
    }
    file.sync_all().map_err(fail)?;
    drop(file);
    pause_for_tests();
    Ok(Prepared { path: path.to_path_buf(), target, temp: Some((temp, registered)) })
}

impl Prepared {
    /// Renames the temporary file over the target; with `read`, only if the target still
    /// holds exactly those bytes.
    pub fn commit(self, read: Option<&[u8]>) -> anyhow::Result<()> {
        let Some((temp, _registered)) = self.temp else { return Ok(()) };
        if let Some(read) = read {
            let now = fs::read(&self.target)
                .map_err(|e| anyhow!("cannot read {} again: {}", self.path.display(), plain(&e)))?;
            if now != read {
                return Err(anyhow!(
                    "{} changed while archdraw was drawing it; nothing was written: run again",
                    self.path.display()
                ));
            }
        }
        let dir = match self.target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        // On failure the returned error owns the temporary file, and dropping it deletes it.
        temp.persist(&self.target).map_err(|e| not_writable(&self.path, &dir, &e.error))?;
        Ok(())
    }
}

/// An I/O error's own message, without any path tempfile may have added to it.
fn plain(error: &io::Error) -> io::Error {
    match error.raw_os_error() {
        Some(code) => io::Error::from_raw_os_error(code),
        None => io::Error::from(error.kind()),
    }
}

/// The temporary files being written, for the signal handler to remove.
static TEMPS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A temporary file's path in [`TEMPS`] while this lives.
#[derive(Debug)]
struct Registered(PathBuf);

impl Registered {
    fn new(path: &Path) -> Self {
        temps().push(path.to_path_buf());
        Self(path.to_path_buf())
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        let mut temps = temps();
        if let Some(at) = temps.iter().position(|p| *p == self.0) {
            temps.swap_remove(at);
        }
    }
}

fn temps() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    // A panic while holding the lock leaves the list as it was: still usable.
    TEMPS.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// On SIGINT, SIGTERM or SIGHUP, a thread removes every temporary file being written, then
/// ends the process the way the signal would have (status 130 for Ctrl-C in a shell). The
/// handler itself only wakes the thread (signal-hook), so no file work happens inside a
/// signal handler.
pub fn remove_temps_on_signals() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                for temp in temps().drain(..) {
                    let _ = fs::remove_file(temp);
                }
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        });
    }
}

/// Debug builds only: with `ARCHDRAW_TEST_PAUSE_MS` set, waits that long once a temporary file
/// is written, so a test can signal the process while the file exists.
fn pause_for_tests() {
    if cfg!(debug_assertions)
        && let Some(ms) = std::env::var("ARCHDRAW_TEST_PAUSE_MS").ok().and_then(|v| v.parse().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
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
fn not_writable(path: &Path, dir: &Path, error: &io::Error) -> anyhow::Error {
    let (path, dir) = (path.display(), dir.display());
    match error.kind() {
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
            anyhow!("cannot write {path}: the folder {dir} is not writable")
        }
        io::ErrorKind::NotFound => anyhow!("cannot write {path}: the folder {dir} does not exist"),
        _ => anyhow!("cannot write {path}: {}", plain(error)),
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

    /// Makes `file` read-only for this process, even as root (the immutable attribute).
    /// Returns false where that is impossible.
    #[cfg(unix)]
    fn make_file_read_only(file: &Path) -> bool {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(file, fs::Permissions::from_mode(0o444)).unwrap();
        let writable = || fs::OpenOptions::new().write(true).open(file).is_ok();
        if writable() {
            let _ = std::process::Command::new("chattr").arg("+i").arg(file).output();
        }
        !writable()
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_file_is_refused_like_the_shell_refuses_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        fs::write(&path, "old").unwrap();
        let read_only = make_file_read_only(&path);
        let result = write_atomic(&path, b"new");
        let _ = std::process::Command::new("chattr").arg("-i").arg(&path).output();
        if !read_only {
            eprintln!("skipped: cannot make a file read-only here");
            return;
        }
        let error = result.unwrap_err().to_string();
        assert_eq!(error, format!("cannot write {}: the file is read-only", path.display()));
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_left_as_it_is_now() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("doc.md");
        fs::write(&path, "as read").unwrap();
        // Saved by someone else after archdraw read it.
        fs::write(&path, "as saved").unwrap();
        let error = replace_unchanged(&path, b"as read", b"drawn").unwrap_err().to_string();
        assert!(
            error
                .ends_with("changed while archdraw was drawing it; nothing was written: run again"),
            "{error}"
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), "as saved");
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
        replace_unchanged(&path, b"as saved", b"drawn").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "drawn");
    }

    #[test]
    fn a_prepared_file_changes_nothing_until_committed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        fs::write(&path, "old").unwrap();
        let prepared = prepare(&path, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(leftovers(dir.path()).len(), 1);
        let mine = || temps().iter().filter(|p| p.starts_with(dir.path())).count();
        assert_eq!(mine(), 1, "registered for the signal handler");
        drop(prepared);
        assert_eq!(
            (fs::read_to_string(&path).unwrap().as_str(), leftovers(dir.path()).len()),
            ("old", 0)
        );
        prepare(&path, b"new").unwrap().commit(None).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(mine(), 0);
    }

    /// A full disk: a 64 KiB tmpfs (root only; skipped elsewhere). The error names the file
    /// asked for, not the temporary one, and the old file stays.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_full_disk_names_the_target_and_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
            .arg(dir.path())
            .output()
            .is_ok_and(|o| o.status.success());
        if !mounted {
            eprintln!("skipped: cannot mount a small tmpfs here");
            return;
        }
        let path = dir.path().join("out.txt");
        fs::write(&path, "old").unwrap();
        let result = write_atomic(&path, &vec![b'x'; 1 << 20]);
        let left = leftovers(dir.path());
        let old = fs::read_to_string(&path).unwrap();
        let _ = std::process::Command::new("umount").arg(dir.path()).output();
        let error = format!("{:#}", result.unwrap_err());
        assert!(
            error.starts_with(&format!("cannot write {}: No space left", path.display())),
            "{error}"
        );
        assert!(!error.contains(".archdraw-"), "{error}");
        assert_eq!((old.as_str(), left), ("old", Vec::<String>::new()));
    }

    #[test]
    fn broken_pipes_are_recognised_through_context() {
        let error = anyhow::Error::from(io::Error::from(io::ErrorKind::BrokenPipe))
            .context("writing the drawing");
        assert!(is_broken_pipe(&error));
        assert!(!is_broken_pipe(&anyhow!("something else")));
    }
}
