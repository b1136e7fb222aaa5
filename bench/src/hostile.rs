//! Hostile specs too big to commit: small, valid inputs whose *shape* once made archdraw ask
//! for gigabytes (tracker issue 11). `tests/hostile.rs` runs each through the debug binary
//! under a memory cap and snapshots the outcome; `bench/hostile.sh` times the release binary on
//! them (the `hostile` bin writes them out). Every spec stays inside the CLI's default limits
//! (1 MiB, 20,000 boxes, 50,000 arrows): the point is that the defaults alone must hold.
//!
//! This file has no dependencies, so the integration tests include it with `#[path]` instead
//! of depending on the bench crate.

use std::fmt::Write as _;

/// Every case: a file name and the spec. The first line of each spec says what it is.
pub fn cases() -> Vec<(&'static str, String)> {
    vec![
        ("complete-graph-k100.yaml", complete_graph(100)),
        ("service-serving-5000.yaml", service_serving(5_000)),
        ("service-serving-10000.yaml", service_serving(10_000)),
        ("random-1000-boxes-5000-arrows.yaml", random_arrows(1_000, 5_000, 11)),
        ("chain-3000-skips-from-first.yaml", chain_with_skips(3_000)),
        ("fan-out-20000.yaml", fan_out(19_999)),
        ("hub-with-a-group.yaml", hub_with_a_group(1_238, 16_236, 5)),
    ]
}

fn boxes(out: &mut String, n: usize) {
    out.push_str("boxes:\n");
    for i in 0..n {
        let _ = writeln!(out, "  - {{title: b{i}}}");
    }
}

/// Boxes `b0..bn`, every pair joined once, lower index to higher: longest-path ranking puts
/// each box in its own rank, so the arrows pass n³/6 ranks in all.
pub fn complete_graph(n: usize) -> String {
    let mut out = format!("# complete graph K{n}: every pair of {n} boxes joined by an arrow\n");
    boxes(&mut out, n);
    out.push_str("arrows:\n");
    for i in 0..n {
        for j in i + 1..n {
            let _ = writeln!(out, "  - b{i} -> b{j}");
        }
    }
    out
}

/// `n` boxes with no arrows between them and one service serving all of them.
pub fn service_serving(n: usize) -> String {
    let mut out = format!("# one service serving {n} unconnected boxes\n");
    boxes(&mut out, n);
    out.push_str("services:\n  - title: config\n    serves: [");
    for i in 0..n {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "b{i}");
    }
    out.push_str("]\n");
    out
}

/// `n` boxes and `m` arrows between random distinct pairs (SplitMix64 from `seed`, so the
/// spec is the same on every run and platform); pairs may repeat and cycles are likely.
pub fn random_arrows(n: usize, m: usize, seed: u64) -> String {
    let mut out = format!("# {n} boxes joined by {m} arrows between random boxes (seed {seed})\n");
    boxes(&mut out, n);
    out.push_str("arrows:\n");
    let mut next = splitmix(seed);
    for _ in 0..m {
        let from = next(n);
        let to = (from + 1 + next(n - 1)) % n;
        let _ = writeln!(out, "  - b{from} -> b{to}");
    }
    out
}

/// A chain `b0 -> b1 -> … -> b(n-1)`, plus an arrow from `b0` to every other box: the arrow to
/// `bi` passes i − 1 ranks, n²/2 in all.
pub fn chain_with_skips(n: usize) -> String {
    let mut out =
        format!("# a chain of {n} boxes with an arrow from its first box to every other\n");
    boxes(&mut out, n);
    out.push_str("arrows:\n");
    for i in 1..n {
        let _ = writeln!(out, "  - b{} -> b{i}", i - 1);
    }
    for i in 2..n {
        let _ = writeln!(out, "  - b0 -> b{i}");
    }
    out
}

/// A hub `b0` with `m` arrows to and from random boxes of `n`, inside a group with every 20th
/// box: thousands of arrows cross the frame's border. Found by the `shapes` fuzz target (laying
/// out the frame's title scanned every arrow for every column of the border).
pub fn hub_with_a_group(n: usize, m: usize, seed: u64) -> String {
    let mut out =
        format!("# a hub joined to random boxes by {m} arrows, in a group, among {n} boxes\n");
    boxes(&mut out, n);
    out.push_str("arrows:\n");
    let mut next = splitmix(seed);
    for k in 0..m {
        let other = next(n);
        if k % 2 == 0 {
            let _ = writeln!(out, "  - b0 -> b{other}");
        } else {
            let _ = writeln!(out, "  - b{other} -> b0");
        }
    }
    out.push_str("groups:\n  - title: hub group\n    boxes: [");
    for (k, i) in (0..n).step_by(20).take(50).enumerate() {
        let _ = write!(out, "{}b{i}", if k == 0 { "" } else { ", " });
    }
    out.push_str("]\n");
    out
}

/// SplitMix64 from `seed`: numbers below a bound, the same on every run and platform.
fn splitmix(seed: u64) -> impl FnMut(usize) -> usize {
    let mut state = seed;
    move |bound: usize| {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) % bound as u64) as usize
    }
}

/// One box with an arrow to each of `n` others: one trunk shared by `n` arrows.
pub fn fan_out(n: usize) -> String {
    let mut out = format!("# one box fanning out to {n} boxes\n");
    out.push_str("boxes:\n  - {id: hub, title: hub}\n");
    for i in 0..n {
        let _ = writeln!(out, "  - {{title: b{i}}}");
    }
    out.push_str("arrows:\n");
    for i in 0..n {
        let _ = writeln!(out, "  - hub -> b{i}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_fits_the_default_limits() {
        for (name, yaml) in cases() {
            assert!(yaml.len() < 1 << 20, "{name}: {} bytes", yaml.len());
            let limits = archdraw::Limits::default();
            let spec = archdraw::parse_with_limits(&yaml, &limits).expect(name);
            assert!(spec.boxes.len() <= limits.max_boxes, "{name}");
        }
    }

    #[test]
    fn the_random_case_is_the_same_every_time() {
        assert_eq!(random_arrows(10, 20, 3), random_arrows(10, 20, 3));
        assert_ne!(random_arrows(10, 20, 3), random_arrows(10, 20, 4));
    }
}
