//! Benchmark inputs and measuring tools for archdraw.
//!
//! - [`layered`] generates the benchmark graphs: N boxes in ⌈√N⌉ ranks with about 1.5 N
//!   arrows, from a fixed seed, written as an archdraw spec ([`Graph::to_yaml`]) or as Graphviz
//!   DOT ([`Graph::to_dot`]) so both tools draw exactly the same graph.
//! - [`crossings`] counts edge crossings in archdraw's `-f json` layout and in Graphviz's
//!   `-Tjson` output, so a speed comparison can also compare drawing quality.
//!
//! # The graphs
//!
//! Architecture diagrams are layered pipelines: most arrows go from one stage to the next,
//! towards boxes "in the same lane", and a few skip a stage. They are not random hairballs, and
//! a benchmark on hairballs would measure crossing minimisation on drawings nobody makes. So:
//!
//! - Rank r holds boxes `n{start_r}..n{end_r}`; rank sizes differ by at most one. Boxes are
//!   numbered, and so written in the spec, rank by rank — the way people write specs, in flow
//!   order. Both tools see the same order.
//! - **Spine.** Every box in rank r > 0 gets one arrow from a box of rank r − 1 at about the same
//!   relative position (± 1). So the longest path into a box of rank r has exactly r arrows:
//!   longest-path ranking gives exactly the generator's ranks (the tests check it), and the
//!   layering is known. archdraw and dot may still move a box where that shortens its arrows.
//! - **Extra arrows**, up to ⌊1.5 N⌋ in all: from a random box to a box 1 rank on (80 %),
//!   2 ranks on (15 %) or 3 ranks on (5 %), at about the same relative position (± 3). Every
//!   arrow points forward, so the graph is acyclic, and no pair of boxes is joined twice.
//! - Arrows are listed sorted by (source, target), again flow order.
//!
//! The PRNG is SplitMix64, written inline: the benchmark inputs must stay byte-identical across
//! versions and platforms, which a dependency's generator does not promise.

pub mod crossings;
pub mod hostile;
pub mod quality;

use std::collections::HashSet;
use std::fmt::Write as _;
use std::ops::Range;

/// archdraw's input limits raised past every benchmark size: the defaults (1 MiB of YAML,
/// 20,000 boxes, 50,000 arrows) guard a server against hostile input and stop the 100,000-box
/// graph (about 6 MB of YAML), which the benchmarks mean to draw.
pub fn benchmark_limits() -> archdraw::Limits {
    let mut limits = archdraw::Limits::default();
    limits.max_input_bytes = 1 << 30;
    limits.max_boxes = 10_000_000;
    limits.max_arrows = 10_000_000;
    limits.max_layout_nodes = 100_000_000;
    limits.max_text_cells = 1 << 40;
    limits
}

/// A generated layered graph. Boxes are `0..box_count()`, named `n{index}`.
///
/// # Guarantees
///
/// - `ranks` partitions `0..box_count()` into consecutive, non-empty ranges, in order.
/// - Every edge goes from a lower rank to a higher one; no edge repeats; edges are sorted.
/// - Every box of rank r > 0 has an edge from rank r − 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graph {
    /// The seed it was generated from.
    pub seed: u64,
    /// The boxes of each rank, as a range of box indices.
    pub ranks: Vec<Range<usize>>,
    /// The arrows, `(from, to)`, sorted.
    pub edges: Vec<(usize, usize)>,
}

impl Graph {
    /// How many boxes.
    pub fn box_count(&self) -> usize {
        self.ranks.last().map_or(0, |r| r.end)
    }

    /// The generator's rank of every box, indexed by box.
    pub fn rank_of_boxes(&self) -> Vec<usize> {
        let mut rank = vec![0; self.box_count()];
        for (r, boxes) in self.ranks.iter().enumerate() {
            rank[boxes.clone()].fill(r);
        }
        rank
    }

    /// The graph as an archdraw spec: `boxes: [{id: n17, title: n17}]`, `arrows: [n1 -> n2]`.
    pub fn to_yaml(&self) -> String {
        let mut out = String::with_capacity(32 * self.box_count() + 24 * self.edges.len());
        let _ = writeln!(out, "# {}", self.summary());
        out.push_str("boxes:\n");
        for b in 0..self.box_count() {
            let _ = writeln!(out, "  - {{id: n{b}, title: n{b}}}");
        }
        if !self.edges.is_empty() {
            out.push_str("arrows:\n");
            for (from, to) in &self.edges {
                let _ = writeln!(out, "  - n{from} -> n{to}");
            }
        }
        out
    }

    /// The same graph for Graphviz: left to right, box-shaped nodes labelled with their names.
    /// Nodes are declared in index order so dot's initial order matches archdraw's input order.
    pub fn to_dot(&self) -> String {
        let mut out = String::with_capacity(8 * self.box_count() + 16 * self.edges.len());
        let _ = writeln!(out, "// {}", self.summary());
        out.push_str("digraph G {\n  rankdir=LR;\n  node [shape=box];\n");
        for b in 0..self.box_count() {
            let _ = writeln!(out, "  n{b};");
        }
        for (from, to) in &self.edges {
            let _ = writeln!(out, "  n{from} -> n{to};");
        }
        out.push_str("}\n");
        out
    }

    fn summary(&self) -> String {
        format!(
            "archdraw-bench layered graph: {} boxes, {} arrows, {} ranks, seed {}",
            self.box_count(),
            self.edges.len(),
            self.ranks.len(),
            self.seed
        )
    }
}

/// N boxes in ⌈√N⌉ ranks with ⌊1.5 N⌋ arrows (fewer only when the graph is too small to hold
/// that many distinct forward arrows), from `seed`. See the crate docs for the shape.
pub fn layered(n: usize, seed: u64) -> Graph {
    let rank_count = ceil_sqrt(n);
    let ranks = rank_ranges(n, rank_count);
    let mut rng = SplitMix64(seed);
    let mut edges: HashSet<(usize, usize)> = HashSet::new();

    // Spine: one arrow into every box past rank 0, from the same lane of the rank before.
    for r in 1..rank_count {
        for to in ranks[r].clone() {
            let from = near(&mut rng, &ranks[r], to, &ranks[r - 1], 1);
            edges.insert((from, to));
        }
    }

    let forward_pairs: usize =
        (0..rank_count).map(|r| ranks[r].len() * (ranks[r].end..n).len()).sum();
    let target = (n * 3 / 2).min(forward_pairs);
    // Only boxes before the last rank can start an arrow.
    let sources = ranks.last().map_or(0, |last| last.start);
    let mut misses = 0;
    while edges.len() < target {
        let from = rng.below(sources);
        let r = rank_index(&ranks, from);
        let pair = if misses < 32 {
            let span = match rng.below(100) {
                0..80 => 1,
                80..95 => 2,
                _ => 3,
            }
            .min(rank_count - 1 - r);
            (from, near(&mut rng, &ranks[r], from, &ranks[r + span], 3))
        } else {
            // Small graphs run out of nearby pairs; any forward pair will do there.
            (from, ranks[r + 1].start + rng.below(n - ranks[r + 1].start))
        };
        if edges.insert(pair) {
            misses = 0;
        } else {
            misses += 1;
        }
    }

    let mut edges: Vec<_> = edges.into_iter().collect();
    edges.sort_unstable();
    Graph { seed, ranks, edges }
}

/// A box of rank `to` at about the relative position `b` has in rank `of`, give or take
/// `jitter` places.
fn near(
    rng: &mut SplitMix64,
    of: &Range<usize>,
    b: usize,
    to: &Range<usize>,
    jitter: usize,
) -> usize {
    // The centre of b's slot mapped onto the other rank's slots.
    let centre = ((2 * (b - of.start) + 1) * to.len()) / (2 * of.len());
    let offset = rng.below(2 * jitter + 1);
    let position = (centre + offset).saturating_sub(jitter).min(to.len() - 1);
    to.start + position
}

/// `n` boxes split into `count` consecutive ranks whose sizes differ by at most one, the larger
/// ranks first.
fn rank_ranges(n: usize, count: usize) -> Vec<Range<usize>> {
    let mut ranks = Vec::with_capacity(count);
    let mut start = 0;
    for r in 0..count {
        let size = n / count + usize::from(r < n % count);
        ranks.push(start..start + size);
        start += size;
    }
    ranks
}

fn rank_index(ranks: &[Range<usize>], b: usize) -> usize {
    ranks.partition_point(|r| r.end <= b)
}

/// ⌈√n⌉, exactly (no float rounding at perfect squares).
fn ceil_sqrt(n: usize) -> usize {
    let mut r = (n as f64).sqrt() as usize;
    while r * r > n {
        r -= 1;
    }
    while r * r < n {
        r += 1;
    }
    r
}

/// SplitMix64 (Steele, Lea and Flood 2014): tiny, fast, and good enough to pick boxes.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64(pub(crate) u64);

impl SplitMix64 {
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0), by Lemire's multiply-shift; the bias is below 2⁻⁴⁰ here.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Longest-path ranks computed from the edges alone (Kahn's order).
    fn longest_path_ranks(g: &Graph) -> Vec<usize> {
        let n = g.box_count();
        let mut indegree = vec![0; n];
        let mut out = vec![Vec::new(); n];
        for &(a, b) in &g.edges {
            indegree[b] += 1;
            out[a].push(b);
        }
        let mut rank = vec![0; n];
        let mut ready: Vec<usize> = (0..n).filter(|&b| indegree[b] == 0).collect();
        let mut seen = 0;
        while let Some(a) = ready.pop() {
            seen += 1;
            for &b in &out[a] {
                rank[b] = rank[b].max(rank[a] + 1);
                indegree[b] -= 1;
                if indegree[b] == 0 {
                    ready.push(b);
                }
            }
        }
        assert_eq!(seen, n, "the graph has a cycle");
        rank
    }

    #[test]
    fn the_same_seed_gives_the_same_graph() {
        assert_eq!(layered(1000, 7), layered(1000, 7));
        assert_eq!(layered(1000, 7).to_yaml(), layered(1000, 7).to_yaml());
        assert_ne!(layered(1000, 7).edges, layered(1000, 8).edges);
    }

    #[test]
    fn inputs_are_pinned() {
        // Benchmark figures are only comparable across versions if the inputs are the same:
        // a change here changes every published number, so it must be deliberate.
        let g = layered(10, 1);
        assert_eq!(g.ranks, vec![0..3, 3..6, 6..8, 8..10]);
        assert_eq!(
            g.edges,
            vec![
                (0, 3),
                (0, 4),
                (0, 9),
                (2, 4),
                (2, 5),
                (2, 6),
                (3, 6),
                (4, 6),
                (4, 7),
                (5, 6),
                (5, 7),
                (5, 9),
                (6, 8),
                (7, 8),
                (7, 9),
            ]
        );
    }

    #[test]
    fn arrow_count_is_one_and_a_half_per_box() {
        for n in [6, 10, 100, 1000, 10_000, 12_345] {
            assert_eq!(layered(n, 1).edges.len(), n * 3 / 2, "n = {n}");
        }
    }

    #[test]
    fn tiny_graphs_get_every_forward_arrow_they_can_hold() {
        assert_eq!(layered(0, 1).edges, vec![]);
        assert_eq!(layered(1, 1).edges, vec![]);
        assert_eq!(layered(2, 1).edges, vec![(0, 1)]);
        // 3 boxes: ranks [0, 1] and [2]; only two forward pairs exist.
        assert_eq!(layered(3, 1).edges, vec![(0, 2), (1, 2)]);
        // 4 boxes: ranks [0, 1] and [2, 3]; four pairs exist, fewer than 1.5 × 4.
        assert_eq!(layered(4, 1).edges.len(), 4);
    }

    #[test]
    fn ranks_are_ceil_sqrt_n_and_balanced() {
        for n in [1, 2, 9, 10, 99, 100, 101, 1000, 10_000] {
            let g = layered(n, 3);
            assert_eq!(g.ranks.len(), (n as f64).sqrt().ceil() as usize, "n = {n}");
            assert_eq!(g.box_count(), n);
            let sizes: Vec<usize> = g.ranks.iter().map(ExactSizeIterator::len).collect();
            let (min, max) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
            assert!(*min >= 1 && max - min <= 1, "n = {n}: {sizes:?}");
        }
    }

    #[test]
    fn longest_path_ranks_are_the_generator_ranks() {
        for (n, seed) in [(2, 1), (10, 1), (100, 2), (1000, 3), (10_000, 4)] {
            let g = layered(n, seed);
            assert_eq!(longest_path_ranks(&g), g.rank_of_boxes(), "n = {n}");
        }
    }

    #[test]
    fn arrows_are_forward_distinct_sorted_and_mostly_short() {
        let g = layered(10_000, 5);
        let rank = g.rank_of_boxes();
        assert!(g.edges.windows(2).all(|w| w[0] < w[1]), "sorted and distinct");
        let spans: Vec<usize> = g.edges.iter().map(|&(a, b)| rank[b] - rank[a]).collect();
        assert!(spans.iter().all(|&s| (1..=3).contains(&s)), "forward, at most 3 ranks");
        let short = spans.iter().filter(|&&s| s == 1).count();
        // Spine ≈ 9,900 of 15,000, plus 80 % of the rest: about 93 % span one rank.
        assert!(short * 100 > spans.len() * 88, "{short} of {}", spans.len());
        // Lanes: arrows to the next rank land near the same relative position.
        let position = |b: usize| {
            let r = &g.ranks[rank[b]];
            (b - r.start) as f64 / r.len() as f64
        };
        let far = g.edges.iter().filter(|&&(a, b)| (position(a) - position(b)).abs() > 0.1).count();
        assert_eq!(far, 0, "arrows leave their lane");
    }

    #[test]
    fn the_yaml_is_a_valid_spec_of_the_same_graph() {
        let g = layered(100, 1);
        let spec = archdraw::parse(&g.to_yaml()).unwrap();
        let diagram = archdraw::Diagram::from_spec(&spec).unwrap();
        assert_eq!(diagram.nodes.len(), 100);
        assert!(diagram.nodes.iter().enumerate().all(|(i, b)| b.id == format!("n{i}")));
        let edges: Vec<(usize, usize)> = diagram.edges.iter().map(|e| (e.from.0, e.to.0)).collect();
        assert_eq!(edges, g.edges);
    }

    #[test]
    fn the_dot_names_the_same_graph() {
        let g = layered(10, 1);
        let dot = g.to_dot();
        assert!(dot.contains("digraph G {\n  rankdir=LR;\n  node [shape=box];\n  n0;\n"));
        let arrows: Vec<&str> = dot.lines().filter(|l| l.contains("->")).collect();
        assert_eq!(arrows.len(), g.edges.len());
        assert_eq!(arrows[0], "  n0 -> n3;");
        assert!(dot.ends_with("  n7 -> n9;\n}\n"));
    }

    #[test]
    fn ceil_sqrt_is_exact() {
        let got: Vec<usize> =
            [0, 1, 2, 4, 5, 9, 10, 99_980_001, 99_980_002].into_iter().map(ceil_sqrt).collect();
        assert_eq!(got, vec![0, 1, 2, 2, 3, 3, 4, 9_999, 10_000]);
    }
}
