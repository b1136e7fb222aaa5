//! Large shapes through the checked pipeline: the fuzzer's bytes choose a shape and its size
//! (up to 5,000 boxes and 20,000 arrows) instead of writing YAML, so the runs explore what
//! small hand-written inputs never reach: long chains with skips, dense and complete graphs,
//! fan-outs, services serving thousands of boxes, groups. Run with a memory cap (`run.sh`
//! passes `-rss_limit_mb=1024 -malloc_limit_mb=1024`): a shape that needs more than a
//! gibibyte, or more than the timeout, is a bug: the budgets in `archdraw::Limits` must turn it
//! into an error first.
#![no_main]

use std::fmt::Write as _;

use archdraw::{Format, Limits, Options};
use libfuzzer_sys::fuzz_target;

/// SplitMix64 from the fuzzer's bytes, so each input is one deterministic shape.
struct Rng(u64);

impl Rng {
    fn below(&mut self, bound: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) % bound.max(1) as u64) as usize
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&shape, rest)) = data.split_first() else { return };
    let word = |i: usize| usize::from(u16::from_le_bytes([rest.get(i).copied().unwrap_or(0), rest.get(i + 1).copied().unwrap_or(0)]));
    let boxes = 1 + word(0) % 5_000;
    let arrows = word(2) % 20_001;
    let mut seed = 0u64;
    for &b in rest.iter().skip(4).take(8) {
        seed = seed << 8 | u64::from(b);
    }
    let mut rng = Rng(seed);
    let mut yaml = String::with_capacity(16 * (boxes + arrows));
    if shape & 0x10 != 0 {
        yaml.push_str("direction: down\n");
    }
    if shape & 0x20 != 0 {
        let _ = writeln!(yaml, "max_width: {}", 20 + word(12) % 200);
    }
    yaml.push_str("boxes:\n");
    for i in 0..boxes {
        let _ = writeln!(yaml, "  - {{title: b{i}}}");
    }
    yaml.push_str("arrows:\n");
    for k in 0..arrows {
        let (from, to) = match shape % 6 {
            // A chain, with arrows from its first box skipping ahead.
            0 => if k < boxes - 1 { (k, k + 1) } else { (0, rng.below(boxes)) },
            // Random pairs: cycles and long skips.
            1 => (rng.below(boxes), rng.below(boxes)),
            // Forward arrows only, towards near boxes: a layered pipeline.
            2 => {
                let from = rng.below(boxes);
                (from, (from + 1 + rng.below(8)).min(boxes - 1))
            }
            // One hub fanning out and in.
            3 => if k % 2 == 0 { (0, rng.below(boxes)) } else { (rng.below(boxes), 0) },
            // Every pair in order, as far as the arrows go: a complete graph.
            4 => {
                let n = boxes.min(200);
                let (a, b) = (k % n, (k / n) % n);
                (a.min(b), a.max(b))
            }
            // Forward arrows of any length.
            _ => {
                let (a, b) = (rng.below(boxes), rng.below(boxes));
                (a.min(b), a.max(b))
            }
        };
        let _ = writeln!(yaml, "  - b{from} -> b{to}");
    }
    if shape & 0x40 != 0 {
        // A service serving many boxes.
        let served = 1 + word(14) % boxes;
        yaml.push_str("services:\n  - title: config\n    serves: [");
        for i in 0..served {
            let _ = write!(yaml, "{}b{}", if i == 0 { "" } else { ", " }, rng.below(boxes));
        }
        yaml.push_str("]\n");
    }
    if shape & 0x80 != 0 {
        // Groups of consecutive boxes.
        yaml.push_str("groups:\n");
        for g in 0..(1 + word(16) % 20).min(boxes) {
            let _ = write!(yaml, "  - {{title: g{g}, boxes: [");
            for i in (g..boxes).step_by(20).take(50) {
                let _ = write!(yaml, "{}b{i}", if i == g { "" } else { ", " });
            }
            yaml.push_str("]}\n");
        }
    }
    // The default limits, except the input size: these specs are generated, not hostile
    // bytes, and reach up to 20,000 arrows.
    let mut limits = Limits::default();
    limits.max_input_bytes = 4 << 20;
    for format in [Format::Text, Format::Svg] {
        let options = Options { format, max_width: None, limits: limits.clone() };
        // A drawing or a budget error; a panic, an abort or the memory cap is a finding.
        let _ = archdraw::render(&yaml, &options);
    }
});
