//! `pipeline N FORMAT [--seed S]`: the benchmark graph of N boxes through the whole library
//! pipeline (parse, resolve, layout, render) in one FORMAT (`text`, `ascii`, `svg`, `json`),
//! written to standard output. One process per format, so `/usr/bin/time -v` measures each
//! format's time and peak memory alone; the CLI's default limits stop at 20,000 boxes, and
//! this uses the benchmark limits.

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (n, format, seed) = match args.as_slice() {
        [n, f] => (n.parse().ok(), f.as_str(), Some(1)),
        [n, f, flag, seed] if flag == "--seed" => (n.parse().ok(), f.as_str(), seed.parse().ok()),
        _ => (None, "", None),
    };
    let format = match format {
        "text" => Some(archdraw::Format::Text),
        "ascii" => Some(archdraw::Format::Ascii),
        "svg" => Some(archdraw::Format::Svg),
        "json" => Some(archdraw::Format::Json),
        _ => None,
    };
    let (Some(n), Some(format), Some(seed)) = (n, format, seed) else {
        eprintln!("usage: pipeline N text|ascii|svg|json [--seed S]");
        return ExitCode::from(2);
    };
    let yaml = archdraw_bench::layered(n, seed).to_yaml();
    let options = archdraw::Options {
        format,
        limits: archdraw_bench::benchmark_limits(),
        ..archdraw::Options::default()
    };
    match archdraw::render(&yaml, &options) {
        Ok(drawing) => {
            let mut out = std::io::stdout().lock();
            if out.write_all(drawing.as_bytes()).and_then(|()| out.flush()).is_err() {
                return ExitCode::from(2);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("pipeline: {e}");
            ExitCode::from(2)
        }
    }
}
