//! `stages N [--seed S]`: renders the benchmark graph of N boxes through the library, one
//! stage at a time, and prints each stage's wall time and, on Linux, the process's peak
//! resident memory during that stage. For the sizes the CLI refuses (its default limits stop at
//! 20,000 boxes and 1 MiB of YAML), for peak memory under `/usr/bin/time -v`, and for
//! `perf record`.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::Instant;

use archdraw::render::{svg, text};
use archdraw::{Diagram, layout::LayoutOptions};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (n, seed) = match args.as_slice() {
        [n] => (n.parse().ok(), Some(1)),
        [n, flag, seed] if flag == "--seed" => (n.parse().ok(), seed.parse().ok()),
        _ => (None, None),
    };
    let (Some(n), Some(seed)) = (n, seed) else {
        eprintln!("usage: stages N [--seed S]");
        return ExitCode::from(2);
    };
    let limits = archdraw_bench::benchmark_limits();
    let yaml = archdraw_bench::layered(n, seed).to_yaml();

    let mut times = Vec::new();
    reset_peak_rss();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str| {
        times.push((name, clock.elapsed().as_secs_f64() * 1e3, peak_rss_mib()));
        reset_peak_rss();
        clock = Instant::now();
    };
    let spec = match archdraw::parse_with_limits(&yaml, &limits) {
        Ok(spec) => spec,
        Err(e) => return fail(&e),
    };
    lap("parse");
    let diagram = match Diagram::from_spec_with_limits(&spec, &limits) {
        Ok(diagram) => diagram,
        Err(e) => return fail(&e),
    };
    lap("resolve");
    let layout = archdraw::layout(&diagram, &LayoutOptions::default());
    lap("layout");
    black_box(text::render(&layout, text::Charset::Unicode));
    lap("text");
    black_box(svg::render(&layout, &svg::SvgOptions::default()));
    lap("svg");

    let total: f64 = times.iter().map(|(_, ms, _)| ms).sum();
    let stages: Vec<String> = times
        .iter()
        .map(|(name, ms, peak)| match peak {
            Some(mib) => format!("{name} {ms:.1} ms ≤{mib} MiB"),
            None => format!("{name} {ms:.1} ms"),
        })
        .collect();
    println!(
        "N={n} yaml={}B canvas={}x{} | {} | total {total:.1} ms",
        yaml.len(),
        layout.width,
        layout.height,
        stages.join(" | ")
    );
    ExitCode::SUCCESS
}

/// The process's peak resident set size since the last reset, in MiB (Linux's `VmHWM`).
fn peak_rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

/// Sets the peak back to the current resident size, so the next reading is one stage's peak
/// (on top of whatever earlier stages still hold). Best effort: elsewhere than Linux it fails
/// and readings are cumulative.
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn fail(error: &archdraw::Error) -> ExitCode {
    eprintln!("stages: {error}");
    ExitCode::from(2)
}
