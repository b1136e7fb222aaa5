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

/// Makes `dir` read-only, even for root (through the immutable attribute); false if that is
/// impossible here.
#[cfg(unix)]
pub fn make_read_only(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let writable = || {
        let probe = dir.join("probe");
        let ok = fs::write(&probe, "").is_ok();
        let _ = fs::remove_file(&probe);
        ok
    };
    fs::set_permissions(dir, fs::Permissions::from_mode(0o555)).unwrap();
    if writable() {
        let _ = Command::new("chattr").arg("+i").arg(dir).output();
    }
    !writable()
}

/// Undoes [`make_read_only`].
#[cfg(unix)]
pub fn make_writable(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = Command::new("chattr").arg("-i").arg(dir).output();
    fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).unwrap();
}
