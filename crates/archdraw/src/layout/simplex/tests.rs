use super::*;

/// SplitMix64, for reproducible random problems.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A random acyclic problem: edges only from a lower to a higher node number.
fn random_problem(rng: &mut Rng, n: usize, m: usize, negative: bool) -> Vec<Edge> {
    (0..m)
        .filter_map(|_| {
            let a = rng.below(n as u64) as usize;
            let b = rng.below(n as u64) as usize;
            if a == b {
                return None;
            }
            let (tail, head) = (a.min(b), a.max(b));
            let minlen = if negative { rng.below(5) as i64 - 2 } else { rng.below(3) as i64 };
            Some(Edge { tail, head, minlen, weight: rng.below(4) as i64 })
        })
        .collect()
}

/// The least cost by trying every position in 0..=span for each node (components are
/// independent, so this is exact when span bounds the optimum's extent).
fn brute_force(n: usize, edges: &[Edge], span: i64) -> i64 {
    let mut x = vec![0i64; n];
    let mut best = i64::MAX;
    loop {
        if edges.iter().all(|e| x[e.head] - x[e.tail] >= e.minlen) {
            best = best.min(cost(edges, &x));
        }
        let mut i = 0;
        loop {
            if i == n {
                return best;
            }
            x[i] += 1;
            if x[i] <= span {
                break;
            }
            x[i] = 0;
            i += 1;
        }
    }
}

fn feasible(edges: &[Edge], x: &[i64]) -> bool {
    edges.iter().all(|e| x[e.head] - x[e.tail] >= e.minlen)
}

#[test]
fn a_chain_is_tight() {
    let edges = [
        Edge { tail: 0, head: 1, minlen: 1, weight: 1 },
        Edge { tail: 1, head: 2, minlen: 2, weight: 1 },
    ];
    let s = solve(3, &edges, None, Balance::None, Effort::default());
    assert_eq!(s.x, [0, 1, 3]);
    assert!(s.optimal);
}

#[test]
fn a_late_source_moves_next_to_its_successor() {
    // 0 → 1 → 2 → 3, and 4 → 3: longest path puts 4 at 0, the optimum at 2.
    let e = |tail, head| Edge { tail, head, minlen: 1, weight: 1 };
    let edges = [e(0, 1), e(1, 2), e(2, 3), e(4, 3)];
    let s = solve(5, &edges, None, Balance::None, Effort::default());
    assert_eq!(s.x, [0, 1, 2, 3, 2]);
}

#[test]
fn components_start_at_zero() {
    let e = |tail, head| Edge { tail, head, minlen: 1, weight: 1 };
    let s = solve(4, &[e(0, 1), e(2, 3)], None, Balance::None, Effort::default());
    assert_eq!(s.x, [0, 1, 0, 1]);
}

#[test]
fn matches_brute_force_on_small_problems() {
    let mut rng = Rng(7);
    for case in 0..400 {
        let n = 2 + rng.below(3) as usize;
        let m = rng.below(9) as usize;
        let negative = case % 2 == 1;
        let edges = random_problem(&mut rng, n, m, negative);
        let s = solve(n, &edges, None, Balance::None, Effort::default());
        assert!(feasible(&edges, &s.x), "case {case}: infeasible {:?} for {edges:?}", s.x);
        assert!(s.optimal);
        // Any optimum fits in n × the largest |minlen| per component.
        let span = (n as i64) * 2 + 1;
        let want = brute_force(n, &edges, span);
        assert_eq!(cost(&edges, &s.x), want, "case {case}: {edges:?} gave {:?}", s.x);
    }
}

#[test]
fn balancing_keeps_the_cost() {
    let mut rng = Rng(11);
    for case in 0..300 {
        let n = 2 + rng.below(3) as usize;
        let m = rng.below(8) as usize;
        let edges = random_problem(&mut rng, n, m, false);
        let plain = solve(n, &edges, None, Balance::None, Effort::default());
        let even = solve(n, &edges, None, Balance::Even { counted: n }, Effort::default());
        assert!(feasible(&edges, &even.x), "case {case}");
        assert_eq!(cost(&edges, &plain.x), cost(&edges, &even.x), "case {case}");
    }
}

#[test]
fn a_feasible_start_is_kept_feasible_and_improved() {
    let mut rng = Rng(3);
    for case in 0..200 {
        let n = 2 + rng.below(3) as usize;
        let m = rng.below(9) as usize;
        let edges = random_problem(&mut rng, n, m, false);
        // Spread-out start: node i at 3i meets any minlen ≤ 2 along increasing numbers.
        let start: Vec<i64> = (0..n as i64).map(|i| 3 * i).collect();
        let s = solve(n, &edges, Some(start), Balance::None, Effort::default());
        assert!(feasible(&edges, &s.x));
        let want = brute_force(n, &edges, 2 * n as i64 + 1);
        assert_eq!(cost(&edges, &s.x), want, "case {case}");
    }
}

#[test]
fn big_random_problems_stay_feasible_and_improve() {
    let mut rng = Rng(5);
    for _ in 0..5 {
        let n = 600;
        let edges = random_problem(&mut rng, n, 1200, false);
        let start = longest_path(n, &edges);
        let s = solve(n, &edges, None, Balance::Even { counted: n }, Effort::default());
        assert!(feasible(&edges, &s.x));
        assert!(s.optimal);
        assert!(cost(&edges, &s.x) <= cost(&edges, &start));
    }
}

#[test]
fn a_work_budget_stops_the_pivots_early_and_feasibly() {
    let mut rng = Rng(7);
    let n = 600;
    let edges = random_problem(&mut rng, n, 1200, true);
    let full = solve(n, &edges, None, Balance::None, Effort::default());
    assert!(full.optimal && full.pivots > 10, "the problem needs pivots: {}", full.pivots);
    let cut = Effort { max_work: 5 * n, ..Effort::default() };
    let s = solve(n, &edges, None, Balance::None, cut);
    assert!(!s.optimal && s.pivots < full.pivots, "{} pivots of {}", s.pivots, full.pivots);
    assert!(feasible(&edges, &s.x));
    assert!(cost(&edges, &s.x) >= cost(&edges, &full.x));
}

/// Pivots of different rules (how many leaving edges are compared) from different starts take
/// different paths through the trees, so different subtrees move and are re-hung; wrong sizes
/// or sums after a pivot would give wrong cut values and stop some of them short of the
/// optimum, or past a feasible one.
#[test]
fn every_pivot_rule_and_start_reaches_the_same_least_cost() {
    let mut rng = Rng(13);
    for case in 0..12 {
        let n = 150 + rng.below(100) as usize;
        let negative = case % 2 == 1;
        let edges = random_problem(&mut rng, n, 2 * n, negative);
        let spread: Vec<i64> = (0..n as i64).map(|i| 3 * i).collect();
        let mut costs = Vec::new();
        let rules = [Leaving::MostNegative, Leaving::MostNegativePerWork];
        for (search_size, leaving) in
            [1, 30, usize::MAX].into_iter().flat_map(|s| rules.map(|r| (s, r)))
        {
            for start in [None, Some(spread.clone())] {
                let effort = Effort { search_size, leaving, ..Effort::default() };
                let s = solve(n, &edges, start, Balance::None, effort);
                assert!(s.optimal && feasible(&edges, &s.x), "case {case}");
                costs.push((cost(&edges, &s.x), s.pivots));
            }
        }
        let least = costs[0].0;
        assert!(costs.iter().all(|&(c, _)| c == least), "case {case}: {costs:?}");
        assert!(costs.iter().any(|&(_, p)| p > 20), "case {case} needs pivots: {costs:?}");
    }
}

/// Under a work budget, choosing the leaving edge for its gain per node its pivot walks makes
/// more pivots and gets nearer the optimum than dot's steepest choice (the 10,000-box
/// compaction's case): it fails if the rule picked the costliest pivot instead.
#[test]
fn cheap_pivots_first_get_further_on_a_budget() {
    let mut rng = Rng(21);
    let n = 1000;
    let edges = random_problem(&mut rng, n, 2000, false);
    let start = longest_path(n, &edges);
    let optimum =
        cost(&edges, &solve(n, &edges, Some(start.clone()), Balance::None, Effort::default()).x);
    let budget = |leaving| Effort { max_work: 40 * n, leaving, ..Effort::default() };
    let steepest =
        solve(n, &edges, Some(start.clone()), Balance::None, budget(Leaving::MostNegative));
    let cheap =
        solve(n, &edges, Some(start.clone()), Balance::None, budget(Leaving::MostNegativePerWork));
    // Here: 9,379 at the start, 8,248 after 34 steepest pivots, 7,231 after 141 cheap ones,
    // 6,279 at the optimum.
    assert!(feasible(&edges, &cheap.x) && !cheap.optimal);
    assert!(
        cheap.pivots > 2 * steepest.pivots,
        "{} against {} pivots",
        cheap.pivots,
        steepest.pivots
    );
    let (cheap, steepest) = (cost(&edges, &cheap.x), cost(&edges, &steepest.x));
    assert!(optimum < cheap && cheap < steepest, "{optimum} < {cheap} < {steepest}");
}
