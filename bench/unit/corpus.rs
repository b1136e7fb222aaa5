//! The quality corpus (bench/quality/specs) cannot rot: every spec parses, lays out and renders
//! in every format, and the corpus stays what bench/QUALITY.md says it is. This is the cheap,
//! CI-friendly half of the quality benchmark; the measuring half is `quality` (not a test).

use std::collections::BTreeSet;
use std::path::PathBuf;

use archdraw::{Diagram, Format, Options};

fn corpus() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../quality/specs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

#[test]
fn every_corpus_spec_renders_in_every_format() {
    for (name, src) in corpus() {
        for format in [Format::Text, Format::Ascii, Format::Json, Format::Svg] {
            let options = Options { format, ..Options::default() };
            let out = archdraw::render(&src, &options)
                .unwrap_or_else(|e| panic!("{name} ({format:?}) does not render:\n{e}"));
            assert!(!out.trim().is_empty(), "{name} ({format:?}) rendered nothing");
        }
    }
}

#[test]
fn the_corpus_covers_what_the_benchmark_promises() {
    let specs = corpus();
    assert!(specs.len() >= 25, "{} specs; the benchmark promises at least 25", specs.len());
    let mut directions = BTreeSet::new();
    let (mut with_width, mut with_groups, mut with_pairs, mut with_services) = (0, 0, 0, 0);
    for (name, src) in &specs {
        assert!(src.starts_with('#'), "{name}: say in a leading comment what the figure is");
        let spec = archdraw::parse(src).unwrap_or_else(|e| panic!("{name}: {e}"));
        let d = Diagram::from_spec(&spec).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            (7..=60).contains(&d.nodes.len()),
            "{name}: {} boxes; corpus specs have 7 to 60",
            d.nodes.len()
        );
        directions.insert(format!("{:?}", d.direction));
        with_width += usize::from(d.max_width.is_some());
        with_groups += usize::from(!d.groups.is_empty());
        with_pairs += usize::from(d.groups.iter().any(|g| g.nodes.len() == 2));
        with_services += usize::from(!d.services.is_empty());
    }
    assert_eq!(directions.len(), 4, "all four directions: {directions:?}");
    assert!(with_width >= 10, "{with_width} specs with max_width");
    assert!(with_groups >= 10, "{with_groups} specs with groups");
    assert!(with_pairs >= 3, "{with_pairs} specs with a group of two");
    assert!(with_services >= 10, "{with_services} specs with services");
}
