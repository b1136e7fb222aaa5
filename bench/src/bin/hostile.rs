//! `hostile DIR`: writes the generated hostile specs (`archdraw_bench::hostile`) into DIR, one
//! file each, for `bench/hostile.sh` to time.

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: hostile DIR");
        return ExitCode::from(2);
    };
    let dir = std::path::PathBuf::from(dir);
    for (name, yaml) in archdraw_bench::hostile::cases() {
        if let Err(e) = std::fs::write(dir.join(name), yaml) {
            eprintln!("hostile: cannot write {name} in {}: {e}", dir.display());
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
