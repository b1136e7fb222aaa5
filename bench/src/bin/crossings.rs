//! `crossings [FILE]`: prints the number of edge crossings in archdraw `-f json` output or in
//! Graphviz `-Tjson` output (told apart by their keys), read from FILE or standard input.
//! How each is counted: `archdraw_bench::crossings`.

use std::io::Read;
use std::process::ExitCode;

fn main() -> ExitCode {
    let path = std::env::args().nth(1).filter(|p| p != "-");
    let mut json = String::new();
    let read = match &path {
        Some(path) => std::fs::read_to_string(path).map(|text| json = text),
        None => std::io::stdin().read_to_string(&mut json).map(drop),
    };
    if let Err(e) = read {
        eprintln!("crossings: cannot read {}: {e}", path.as_deref().unwrap_or("standard input"));
        return ExitCode::from(2);
    }
    match archdraw_bench::crossings::count_json(&json) {
        Ok((_, count)) => {
            println!("{count}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("crossings: {message}");
            ExitCode::from(2)
        }
    }
}
