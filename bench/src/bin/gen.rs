//! `gen N [--seed S] [--format yaml|dot]`: writes the benchmark graph of N boxes to standard
//! output, as an archdraw spec (default) or as Graphviz DOT. See `archdraw_bench::layered`.

use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage: gen N [--seed S] [--format yaml|dot]";

/// The seed the benchmarks and `compare.sh` use unless told otherwise.
const DEFAULT_SEED: u64 = 1;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("gen: {message}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let (mut n, mut seed, mut dot) = (None, DEFAULT_SEED, false);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seed" => seed = number(args.next(), "--seed")?,
            "--format" => {
                dot = match args.next().map(String::as_str) {
                    Some("yaml") => false,
                    Some("dot") => true,
                    other => return Err(format!("--format takes yaml or dot, not {other:?}")),
                };
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            _ if n.is_none() => n = Some(number(Some(arg), "N")?),
            _ => return Err(format!("unexpected argument {arg:?}")),
        }
    }
    let graph = archdraw_bench::layered(n.ok_or("N is missing")?, seed);
    let text = if dot { graph.to_dot() } else { graph.to_yaml() };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes()).and_then(|()| out.flush()).map_err(|e| e.to_string())
}

fn number<T: std::str::FromStr>(arg: Option<&String>, what: &str) -> Result<T, String> {
    let arg = arg.ok_or_else(|| format!("{what} needs a value"))?;
    arg.parse().map_err(|_| format!("{what}: {arg:?} is not a whole number"))
}
