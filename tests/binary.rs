//! Running the `archdraw` binary from the tests, and folders it cannot write to.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

/// The binary, run from the repository root with `args`.
pub fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_archdraw"));
    command.current_dir(env!("CARGO_MANIFEST_DIR")).args(args);
    command
}

pub fn run(args: &[&str]) -> Output {
    command(args).output().expect("the archdraw binary runs")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("output is UTF-8")
}

/// A test that cannot do its job on this machine: skipped with a notice, except under
/// `CI=true`, where CI is expected to provide what it needs, so not doing the job is a failure.
pub fn cannot_test_here(why: &str) {
    assert!(std::env::var_os("CI").is_none(), "under CI this test must run, but {why}");
    eprintln!("skipped: {why}");
}

/// Sets `dir` to r-x for everyone, or back to rwx for its owner.
#[cfg(unix)]
pub fn set_read_only(dir: &Path, read_only: bool) {
    use std::os::unix::fs::PermissionsExt;
    let mode = if read_only { 0o555 } else { 0o755 };
    fs::set_permissions(dir, fs::Permissions::from_mode(mode)).expect("the folder's mode is set");
}

/// The capabilities that let root ignore permission bits. Root without them obeys a folder's
/// mode as its owner would (and still reads what it owns).
#[cfg(unix)]
const PERMISSION_BYPASS: &str = "--bounding-set=-dac_override,-dac_read_search";

/// `archdraw ARGS` as a command a read-only folder stops: as is for an ordinary user; for
/// root (who writes anywhere) through `setpriv` without the capabilities that bypass
/// permission bits. `None` where that cannot be arranged: no `setpriv`, or not allowed to
/// drop capabilities (a test then calls [`cannot_test_here`]).
#[cfg(unix)]
pub fn command_obeying_permissions(args: &[&str]) -> Option<Command> {
    if !writes_anywhere() {
        return Some(command(args));
    }
    let works = Command::new("setpriv").args([PERMISSION_BYPASS, "true"]).output();
    if !works.is_ok_and(|o| o.status.success()) {
        return None;
    }
    let mut command = Command::new("setpriv");
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([PERMISSION_BYPASS, env!("CARGO_BIN_EXE_archdraw")])
        .args(args);
    Some(command)
}

/// Whether this process writes into a folder whose mode forbids it (root does).
#[cfg(unix)]
fn writes_anywhere() -> bool {
    let dir = tempfile::tempdir().expect("a scratch folder");
    set_read_only(dir.path(), true);
    let wrote = fs::write(dir.path().join("probe"), "").is_ok();
    set_read_only(dir.path(), false);
    wrote
}
