//! `cargo bench -p archdraw-bench`: parse + layout + text + SVG of the generated layered graphs
//! (`archdraw_bench::layered`, seed 1) at N = 10, 100, 1,000 and 10,000 boxes, plus each stage
//! on its own at 1,000 and 10,000 to show where the time goes. `ARCHDRAW_BENCH_BIG=1` adds
//! N = 100,000 (about a minute on its own).
//!
//! Few samples and short measurement times keep the whole run to a few minutes on two cores;
//! the big sizes use flat sampling (one iteration per sample), plenty for figures measured in
//! tenths of a second.

use std::hint::black_box;
use std::time::Duration;

use archdraw::render::{svg, text};
use archdraw::{Diagram, Layout, Limits, Spec, layout::LayoutOptions};
use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};

const SEED: u64 = 1;

fn sizes() -> Vec<usize> {
    let mut sizes = vec![10, 100, 1_000, 10_000];
    if std::env::var_os("ARCHDRAW_BENCH_BIG").is_some_and(|v| v == "1") {
        sizes.push(100_000);
    }
    sizes
}

/// What the targets time: YAML in, text and SVG out.
fn pipeline(yaml: &str, limits: &Limits) -> (String, String) {
    let spec = archdraw::parse_with_limits(yaml, limits).expect("generated specs are valid");
    let diagram = Diagram::from_spec_with_limits(&spec, limits).expect("generated specs resolve");
    let layout = archdraw::layout(&diagram, &LayoutOptions::default());
    (
        text::render(&layout, text::Charset::Unicode),
        svg::render(&layout, &svg::SvgOptions::default()),
    )
}

/// Samples and measurement time by size: enough for a stable mean, no more. Criterion's own
/// defaults (100 samples, 5 s) would take an hour at 100,000 boxes.
fn configure(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    n: usize,
) {
    let (samples, seconds) = match n {
        0..100 => (30, 3),
        100..10_000 => (20, 5),
        10_000..100_000 => (10, 15),
        _ => (10, 180),
    };
    if n >= 1_000 {
        // A few iterations per sample at most: each takes a tenth of a second or more, and
        // criterion's linear sampling would need hundreds of them.
        group.sampling_mode(SamplingMode::Flat);
    }
    group.sample_size(samples).measurement_time(Duration::from_secs(seconds));
}

fn end_to_end(c: &mut Criterion) {
    let limits = archdraw_bench::benchmark_limits();
    let mut group = c.benchmark_group("parse+layout+text+svg");
    for n in sizes() {
        let yaml = archdraw_bench::layered(n, SEED).to_yaml();
        configure(&mut group, n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &yaml, |b, yaml| {
            b.iter(|| pipeline(black_box(yaml), &limits));
        });
    }
    group.finish();
}

fn stages(c: &mut Criterion) {
    let limits = archdraw_bench::benchmark_limits();
    for n in [1_000, 10_000] {
        let yaml = archdraw_bench::layered(n, SEED).to_yaml();
        let spec: Spec = archdraw::parse_with_limits(&yaml, &limits).expect("valid");
        let diagram = Diagram::from_spec_with_limits(&spec, &limits).expect("resolves");
        let layout: Layout = archdraw::layout(&diagram, &LayoutOptions::default());

        let mut group = c.benchmark_group(format!("stages/{n}"));
        configure(&mut group, n);
        group.bench_function("parse", |b| {
            b.iter(|| archdraw::parse_with_limits(black_box(&yaml), &limits));
        });
        group.bench_function("resolve", |b| {
            b.iter(|| Diagram::from_spec_with_limits(black_box(&spec), &limits));
        });
        group.bench_function("layout", |b| {
            b.iter(|| archdraw::layout(black_box(&diagram), &LayoutOptions::default()));
        });
        group.bench_function("text", |b| {
            b.iter(|| text::render(black_box(&layout), text::Charset::Unicode));
        });
        group.bench_function("svg", |b| {
            b.iter(|| svg::render(black_box(&layout), &svg::SvgOptions::default()));
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = end_to_end, stages
}
criterion_main!(benches);
