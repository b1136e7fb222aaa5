//! `stages N [--seed S]`: renders the benchmark graph of N boxes through the library, one
//! stage at a time, and prints each stage's wall time and, on Linux, its CPU time and the
//! process's peak resident memory during it. For the sizes the CLI refuses (its default limits
//! stop at 20,000 boxes and 1 MiB of YAML), and for `perf record`.
//!
//! The per-stage peaks come from resetting Linux's high-water mark between stages, which also
//! resets what `/usr/bin/time -v` reports for this process: use the printed peak instead.

use std::fmt::Write as _;
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
    let mut cpu = cpu_ms();
    let mut lap = |name: &'static str| {
        let now = cpu_ms();
        let stage_cpu = now.zip(cpu).map(|(now, before)| now - before);
        times.push((name, clock.elapsed().as_secs_f64() * 1e3, stage_cpu, peak_rss_mib()));
        reset_peak_rss();
        (clock, cpu) = (Instant::now(), cpu_ms());
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

    let total: f64 = times.iter().map(|t| t.1).sum();
    let total_cpu: Option<f64> = times.iter().map(|t| t.2).sum();
    let peak = times.iter().filter_map(|t| t.3).max();
    let stages: Vec<String> = times
        .iter()
        .map(|(name, ms, cpu, peak)| {
            let mut stage = format!("{name} {ms:.1} ms");
            if let Some(cpu) = cpu {
                let _ = write!(stage, " (cpu {cpu:.1})");
            }
            if let Some(mib) = peak {
                let _ = write!(stage, " ≤{mib} MiB");
            }
            stage
        })
        .collect();
    let mut summary = format!("total {total:.1} ms");
    if let Some(cpu) = total_cpu {
        let _ = write!(summary, " (cpu {cpu:.1})");
    }
    if let Some(peak) = peak {
        let _ = write!(summary, " peak {peak} MiB");
    }
    println!(
        "N={n} yaml={}B canvas={}x{} | {} | {summary}",
        yaml.len(),
        layout.width,
        layout.height,
        stages.join(" | ")
    );
    ExitCode::SUCCESS
}

/// CPU time this process has used so far, in milliseconds. Wall time on a busy machine
/// includes waiting for a core; this does not.
fn cpu_ms() -> Option<f64> {
    cpu_time::ProcessTime::try_now().ok().map(|t| t.as_duration().as_secs_f64() * 1e3)
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
