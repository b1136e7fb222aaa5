//! Phase 4: cross coordinates. Pins get their offsets along node sides (nodes grow when they
//! need room for more pins or for labels), then every rank is placed so that connected pins
//! line up, which keeps chains straight.
//!
//! Placement is a few sweeps of weighted median alignment, each rank solved exactly as an
//! isotonic regression under minimum-separation constraints (pool-adjacent-violators): the
//! nodes land as close to their neighbours' pins as the ranks' order and spacing allow. Hops
//! between dummies weigh most, so long arrows run straight (the priority dot gives them).
//! [`compact()`] then keeps the heuristic's decisions (who lies above whom, on which side of a
//! frame) and moves every node to where network simplex finds the least weighted bends.

use super::axis::Axis;
use super::disjoint::DisjointSets;
use super::nets::{Face, NetKind, Nets};
use super::order::sweeps;
use super::rank::Layered;

mod compact;
pub(super) use compact::{Aim, FrameBox, Spread, compact};

/// How hard a hop pulls its two ends into line, by what it joins. Hops between dummies weigh
/// most, so long arrows run straight (the priority dot gives them); a box's first arrow (its
/// main line) outweighs even those, so the flow the spec lists first runs straight and the
/// others branch off it; hops between a box and a dummy come next and other box-to-box hops last.
/// Where main lines make the drawing a tenth wider across the flow, it is placed without them
/// ([`with_or_without_main_lines`]).
const DUMMY_TO_DUMMY: i64 = 8;
const MAIN_LINE: i64 = 16;
const BOX_TO_DUMMY: i64 = 2;
const BOX_TO_BOX: i64 = 1;

/// Placement sweeps for a diagram of ordinary size; larger ones get fewer (see [`sweeps`]).
const SWEEPS: usize = 8;

/// Every node's sizes and its position along the cross axis (the rows of a rightward flow).
#[derive(Debug, Clone)]
pub(super) struct Geometry {
    /// Length of each node along the main axis (dummies: 0).
    pub main_len: Vec<i64>,
    /// Length of each node along the cross axis (dummies: 1).
    pub cross_len: Vec<i64>,
    /// First cross cell of each node.
    pub top: Vec<i64>,
    /// How far past a node's first cross cell its labels and pins reach.
    pub reach: Vec<i64>,
    /// What a node holds in its rank's own cells and each of its two faces' label zones
    /// (see [`Sides`]): a label stands in a channel, so it only keeps the node's neighbours'
    /// lines and labels on the same face away, not their boxes.
    pub sides: Vec<Sides>,
    /// Each node's group, whose frame must keep other nodes out.
    pub group: Vec<Option<usize>>,
    /// Each group's frame margin across the flow, border included.
    pub frame_margin: Vec<i64>,
}

/// How far a node's parts reach past its first cross cell, and where its first pin on each
/// face lies. A label beside a pin lies in the channel's label zone on that face, where the
/// only other things are the lines and labels of the same rank's pins on the same face
/// (`route` module notes), so the next node in the rank need only keep its own pins on that
/// face clear of it: a short box with a long label beside it no longer pushes a box whose
/// line leaves from its middle away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Sides {
    /// The node's cells in its rank: its box, and the rows service arrows turn on past it.
    pub body: i64,
    /// Per face (front, back): how far its pins and labels reach, 0 without pins.
    pub face_reach: [i64; 2],
    /// Per face: the offset of its first pin, or `None` without pins.
    pub first_pin: [Option<i64>; 2],
}

impl Sides {
    /// A node that is only its box of `len` cells.
    pub const fn plain(len: i64) -> Self {
        Sides { body: len, face_reach: [0, 0], first_pin: [None, None] }
    }

    /// Cells of the node's own before its first pin on face `f` that the face's zone leaves
    /// free: all of the box without pins there; a box's corner before its first pin counts as
    /// its own (the clearance a box's start kept before), a dummy's line starts at once.
    fn lead(&self, f: usize, len: i64) -> i64 {
        self.first_pin[f].map_or(len, |first| (first - 1).max(0))
    }
}

/// Sets pin offsets (in `nets`) and grows nodes that need room. `sizes` are the boxes' (main,
/// cross) lengths; `labels[e]` is arrow `e`'s label size (width, height) if it has one;
/// `turns[v]` how many service arrows turn in past node `v`.
pub(super) fn ports(
    g: &Layered,
    nets: &mut Nets,
    sizes: &[(i64, i64)],
    labels: &[Option<(usize, usize)>],
    turns: &[i64],
    axis: Axis,
) -> Geometry {
    let n = g.len();
    let mut geometry = Geometry {
        main_len: vec![0; n],
        cross_len: vec![1; n],
        top: vec![0; n],
        reach: vec![1; n],
        sides: vec![Sides::plain(1); n],
        group: vec![None; n],
        frame_margin: Vec::new(),
    };
    for (v, &(main, cross_len)) in sizes.iter().enumerate().take(g.real) {
        geometry.main_len[v] = main;
        geometry.cross_len[v] = cross_len;
    }
    for v in 0..n {
        let mut reach = geometry.cross_len[v];
        let mut sides = Sides::plain(0);
        for (f, face) in [Face::Front, Face::Back].into_iter().enumerate() {
            let side = match face {
                Face::Front => &nets.front[v],
                Face::Back => &nets.back[v],
            };
            if side.is_empty() {
                continue;
            }
            let footprints: Vec<i64> =
                side.iter()
                    .map(|&p| {
                        nets.pins[p].label.and_then(|e| labels[e]).map_or(axis.pin_pitch(), |s| {
                            axis.label_footprint(s).max(axis.pin_pitch())
                        })
                    })
                    .collect();
            // Relative offsets, first pin at 0.
            let mut rel = Vec::with_capacity(side.len());
            let mut at = 0;
            for &f in &footprints {
                rel.push(at);
                at += f;
            }
            let span = rel.last().copied().unwrap_or(0) + 1;
            let start = if g.is_dummy(v) {
                0
            } else if axis.vertical {
                // Centre the pins along the side, inside the corners.
                let interior = geometry.cross_len[v] - 2;
                1 + ((interior - span) / 2).max(0)
            } else {
                // The first pin sits on the title row.
                1
            };
            if !g.is_dummy(v) {
                geometry.cross_len[v] = geometry.cross_len[v].max(start + span + 1);
            }
            let side = side.clone();
            sides.first_pin[f] = Some(start);
            for ((&p, r), footprint) in side.iter().zip(rel).zip(footprints) {
                nets.pins[p].offset = start + r;
                reach = reach.max(start + r + footprint);
                sides.face_reach[f] = sides.face_reach[f].max(start + r + footprint);
            }
        }
        geometry.reach[v] = reach.max(geometry.cross_len[v]);
        sides.body = geometry.cross_len[v];
        let turns = turns.get(v).copied().unwrap_or(0);
        if turns > 0 {
            // Room past the box for the service arrows' heads and the rows they turn on.
            geometry.reach[v] = geometry.reach[v].max(geometry.cross_len[v] + 1 + turns);
            sides.body = sides.body.max(geometry.cross_len[v] + 1 + turns);
        }
        geometry.sides[v] = sides;
    }
    geometry
}

/// Extra blank cross cells past nodes (`extra[v]`), kept by every later step of placement.
pub(super) fn clear_after(geometry: &mut Geometry, extra: &[i64]) {
    for ((reach, sides), &e) in geometry.reach.iter_mut().zip(&mut geometry.sides).zip(extra) {
        *reach += e;
        sides.body += e;
        for face_reach in &mut sides.face_reach {
            *face_reach += e;
        }
    }
}

/// Places every rank along the cross axis; `main_lines`: whether a box's first arrow weighs
/// most (see [`MAIN_LINE`]).
pub(super) fn place(
    g: &Layered,
    nets: &Nets,
    layers: &[Vec<usize>],
    geometry: &mut Geometry,
    axis: Axis,
    main_lines: bool,
) {
    // Each node's links to adjacent ranks, with the far pin resolved to its node and offset
    // (large diagrams visit them millions of times).
    let main_line = main_lines_of(g, main_lines);
    let mut up: Vec<Vec<Link>> = vec![Vec::new(); g.len()];
    let mut down: Vec<Vec<Link>> = vec![Vec::new(); g.len()];
    for net in &nets.nets {
        for hop in &net.hops {
            let Some(right) = hop.right else { continue };
            let (l, r) = (&nets.pins[hop.left], &nets.pins[right]);
            let weight = hop_weight(g, &main_line, hop.edge, l.node, r.node);
            down[l.node].push(Link { own: l.offset, far: r.node, far_offset: r.offset, weight });
            up[r.node].push(Link { own: r.offset, far: l.node, far_offset: l.offset, weight });
        }
    }
    // Start packed.
    for layer in layers {
        let mut at = 0;
        for (i, &v) in layer.iter().enumerate() {
            geometry.top[v] = at;
            if let Some(&next) = layer.get(i + 1) {
                at += separation(g, geometry, v, next, axis);
            }
        }
    }
    let ties = Ties::for_boxes(g.real);
    let ranks = layers.len();
    let both: Vec<Vec<Link>> =
        (0..g.len()).map(|v| up[v].iter().chain(&down[v]).copied().collect()).collect();
    // Each sweep is linear; big diagrams get fewer of them.
    for sweep in 0..sweeps(g.len(), SWEEPS) {
        let order: Vec<usize> = if sweep % 2 == 0 {
            (1..ranks).collect()
        } else {
            (0..ranks.saturating_sub(1)).rev().collect()
        };
        let links = if sweep % 2 == 0 { &up } else { &down };
        for r in order {
            align(g, &layers[r], links, ties, geometry, axis);
        }
    }
    for layer in layers {
        align(g, layer, &both, ties, geometry, axis);
    }
}

/// Diagrams of up to this many boxes are placed both with and without main lines (see
/// [`with_or_without_main_lines`]); larger ones only without. Past a few hundred boxes a
/// diagram is generated or imported, its arrows listed in the order of their boxes, which
/// slants the drawing with main lines, and a second placement would cost a tenth of the
/// layout's time (about 3 ms at 1,000 boxes).
const MAIN_LINES_UP_TO: usize = 300;

/// The placement `placed` makes with main lines (its argument `true`) or without, whichever
/// is narrower across the flow by a tenth (with main lines on a tie).
///
/// Main lines keep the flow a spec lists first straight. But where a box's first arrow goes
/// to its first child in the rank order, every child lines up with its last parent, and over
/// many ranks the drawing slants: on the generated 10,000-box graph an arrow between adjacent
/// ranks ended 3.1 rows lower than it started, and the drawing was a third taller than its
/// ranks (bench/QUALITY.md). The same pull hangs a fan off to one side of its first branch
/// where a balanced fan is shorter (`specs/fan-in-fan-out.yaml`). `boxes`: the diagram's.
pub(super) fn with_or_without_main_lines(
    boxes: usize,
    placed: impl Fn(bool) -> Geometry,
) -> Geometry {
    let without = placed(false);
    if boxes > MAIN_LINES_UP_TO {
        return without;
    }
    let with = placed(true);
    if 10 * extent(&without) < 9 * extent(&with) { without } else { with }
}

/// How far the nodes reach across the flow, first cell to last.
fn extent(geometry: &Geometry) -> i64 {
    let first = geometry.top.iter().min().copied().unwrap_or(0);
    let last = geometry.top.iter().zip(&geometry.reach).map(|(t, r)| t + r).max().unwrap_or(0);
    last - first
}

/// Which arrows are their tail box's main line: the first arrow listed out of each box (none
/// if `wanted` is false).
fn main_lines_of(g: &Layered, wanted: bool) -> Vec<bool> {
    let mut main_line = vec![false; g.chains.len()];
    if !wanted {
        return main_line;
    }
    let mut has_main = vec![false; g.real];
    for (e, chain) in g.chains.iter().enumerate() {
        if !chain.reversed && !chain.is_self_loop() && !has_main[chain.nodes[0]] {
            has_main[chain.nodes[0]] = true;
            main_line[e] = true;
        }
    }
    main_line
}

/// How hard a hop of arrow `edge` between nodes `a` and `b` pulls them into line.
fn hop_weight(g: &Layered, main_line: &[bool], edge: usize, a: usize, b: usize) -> i64 {
    match (g.is_dummy(a), g.is_dummy(b)) {
        (true, true) => DUMMY_TO_DUMMY,
        (false, false) if main_line[edge] => MAIN_LINE,
        (false, false) => BOX_TO_BOX,
        _ => BOX_TO_DUMMY,
    }
}

/// The least distance from `a`'s first cross cell to `b`'s, `b` following `a` in its rank.
pub(super) fn separation(g: &Layered, geometry: &Geometry, a: usize, b: usize, axis: Axis) -> i64 {
    let gap = axis.gap(g.is_dummy(a), g.is_dummy(b));
    let next = (geometry.cross_len[b], geometry.sides[b]);
    separation_of(
        geometry.cross_len[a],
        geometry.reach[a],
        geometry.sides[a],
        next,
        gap,
        frame_margins(geometry, a, b),
    )
}

/// [`separation`] for a node `a` of length `len` whose labels and pins reach `reach` cells,
/// made of `sides`, `gap` apart from the next node (its length and sides); `frames`: the
/// margins of the frames between them, if they are in different groups.
fn separation_of(
    len: i64,
    reach: i64,
    sides: Sides,
    (next_len, next): (i64, Sides),
    gap: i64,
    frames: Option<i64>,
) -> i64 {
    match frames {
        // Each frame between them takes its margin; one blank line outside keeps the frames
        // apart. A frame's border crosses the channels, so everything `a` reaches counts.
        Some(margins) => (len + gap).max(reach + 1).max(reach + margins + 1),
        None => {
            let mut base = (len + gap).max(sides.body + 1);
            for f in 0..2 {
                if sides.first_pin[f].is_some() {
                    base = base.max(sides.face_reach[f] + 1 - next.lead(f, next_len));
                }
            }
            base
        }
    }
}

/// Drawn down or up, a node's pins are centred on its side; where the side leaves an odd
/// number of cells to share, centring has two answers and the pins take the first. Where a
/// straight arrow's far end lines up with the second, the pins take that one: otherwise a box
/// between two others of different parity (Bronze → Silver → Gold) jogs one cell (`┌┘`) on
/// one of its lines. A side moves only where more of its one-hop arrows line up after than
/// before (so every move straightens a line), and only where the node's neighbours in the
/// rank keep their separation, so nothing else moves.
pub(super) fn line_up_pins(
    g: &Layered,
    nets: &mut Nets,
    layers: &[Vec<usize>],
    geometry: &mut Geometry,
    axis: Axis,
) {
    if !axis.vertical {
        return;
    }
    // The pin at the other end of each pin's one-hop net, if it is in one.
    let mut far = vec![None; nets.pins.len()];
    for net in nets.nets.iter().filter(|n| n.kind == NetKind::Solo) {
        if let (Some(&l), Some(&r)) = (net.left.first(), net.right.first()) {
            far[l] = Some(r);
            far[r] = Some(l);
        }
    }
    for layer in layers {
        for (i, &v) in layer.iter().enumerate().filter(|&(_, &v)| v < g.real) {
            for f in 0..2 {
                let side = if f == 0 { &nets.front[v] } else { &nets.back[v] };
                let (Some(&first), Some(&last)) = (side.first(), side.last()) else { continue };
                let span = nets.pins[last].offset - nets.pins[first].offset + 1;
                let slack = geometry.cross_len[v] - 2 - span;
                if slack < 1 || slack % 2 == 0 || nets.pins[first].offset != 1 + slack / 2 {
                    continue;
                }
                let at = |p: usize| geometry.top[nets.pins[p].node] + nets.pins[p].offset;
                let lined_up = |shift: i64| {
                    let far_at = |p: usize| far[p].map(at);
                    side.iter().filter(|&&p| far_at(p) == Some(at(p) + shift)).count()
                };
                if lined_up(1) <= lined_up(0) {
                    continue;
                }
                let before = (geometry.sides[v], geometry.reach[v]);
                let sides = &mut geometry.sides[v];
                sides.first_pin[f] = sides.first_pin[f].map(|o| o + 1);
                sides.face_reach[f] += 1;
                geometry.reach[v] = geometry.reach[v].max(sides.face_reach[f]);
                let keeps = |a: usize, b: usize| {
                    geometry.top[a] + separation(g, geometry, a, b, axis) <= geometry.top[b]
                };
                let prev_keeps = i.checked_sub(1).is_none_or(|h| keeps(layer[h], v));
                if prev_keeps && layer.get(i + 1).is_none_or(|&w| keeps(v, w)) {
                    let side = if f == 0 { &nets.front[v] } else { &nets.back[v] };
                    for &p in side {
                        nets.pins[p].offset += 1;
                    }
                } else {
                    (geometry.sides[v], geometry.reach[v]) = before;
                }
            }
        }
    }
}

/// The margins of the frames between `a` and `b`, which follow each other in a rank; `None`
/// if both are in the same group or in none.
fn frame_margins(geometry: &Geometry, a: usize, b: usize) -> Option<i64> {
    let (ga, gb) = (geometry.group[a], geometry.group[b]);
    let margin = |g: Option<usize>| g.map_or(0, |k| geometry.frame_margin[k]);
    (ga != gb).then(|| margin(ga) + margin(gb))
}

/// Flow across (right or left): boxes joined by a straight arrow, their tops level, are drawn
/// equally tall, as a row of pipeline stages on a whiteboard is. A box less than half as tall
/// as the row's tallest keeps its size (a one-line box stretched to a tall empty frame reads
/// worse than a short one). A row is evened out only where every box that grows has room
/// below (its rank's next node keeps its separation), so nothing else moves. Drawn down or up,
/// pins are centred on the sides, so boxes keep their size there.
pub(super) fn even_rows(
    g: &Layered,
    nets: &Nets,
    layers: &[Vec<usize>],
    geometry: &mut Geometry,
    axis: Axis,
) {
    if axis.vertical {
        return;
    }
    let mut rows = DisjointSets::new(g.real);
    for net in nets.nets.iter().filter(|n| n.kind == NetKind::Solo) {
        let (Some(&l), Some(&r)) = (net.left.first(), net.right.first()) else { continue };
        let (a, b) = (nets.pins[l].node, nets.pins[r].node);
        let straight =
            nets.pins[l].offset == nets.pins[r].offset && geometry.top[a] == geometry.top[b];
        if a < g.real && b < g.real && straight {
            rows.union(a, b);
        }
    }
    let mut tallest = vec![0i64; g.real];
    let mut size = vec![0usize; g.real];
    for v in 0..g.real {
        let k = rows.find(v);
        tallest[k] = tallest[k].max(geometry.cross_len[v]);
        size[k] += 1;
    }
    // Whether `v` can grow to `len` and keep its separation from the next node in its rank.
    let mut next = vec![None; g.real];
    for layer in layers {
        for pair in layer.windows(2) {
            if pair[0] < g.real {
                next[pair[0]] = Some(pair[1]);
            }
        }
    }
    let fits = |geometry: &Geometry, v: usize, len: i64| {
        let Some(w) = next[v] else { return true };
        // Everything the node reaches past its box (service turns) moves down with it.
        let grown = len - geometry.cross_len[v];
        let reach = geometry.reach[v] + grown;
        let sides = Sides { body: geometry.sides[v].body + grown, ..geometry.sides[v] };
        let next = (geometry.cross_len[w], geometry.sides[w]);
        let gap = axis.gap(g.is_dummy(v), g.is_dummy(w));
        let frames = frame_margins(geometry, v, w);
        geometry.top[v] + separation_of(len, reach, sides, next, gap, frames) <= geometry.top[w]
    };
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); g.real];
    for v in 0..g.real {
        let k = rows.find(v);
        if size[k] > 1 {
            members[k].push(v);
        }
    }
    for (k, vs) in members.iter_mut().enumerate() {
        vs.retain(|&v| 2 * geometry.cross_len[v] >= tallest[k]);
        if vs.iter().all(|&v| fits(geometry, v, tallest[k])) {
            for &v in vs.iter() {
                geometry.reach[v] += tallest[k] - geometry.cross_len[v];
                geometry.sides[v].body += tallest[k] - geometry.cross_len[v];
                geometry.cross_len[v] = tallest[k];
            }
        }
    }
}

/// A hop seen from one of its nodes.
#[derive(Debug, Clone, Copy)]
struct Link {
    /// Offset of this node's pin.
    own: i64,
    /// The node at the other end and its pin's offset.
    far: usize,
    far_offset: i64,
    weight: i64,
}

/// Which of two targets a box's median takes when its pulls split evenly between them (a box
/// with two parents, or two children, lines up with one of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ties {
    /// Every box the first (the one nearer the start of the cross axis).
    First,
    /// Boxes of even number the first, of odd number the last. Always the first slants a
    /// large diagram: on the generated 10,000-box graph an arrow between adjacent ranks ended
    /// 1.75 rows lower than it started (the generator's lanes are unbiased), its last rank
    /// 170 rows below its first; alternating, 0.1 rows, and the drawing is 9 % smaller.
    /// Dummies keep the first (alternating, a long arrow's line zigzags).
    Alternate,
}

impl Ties {
    /// Diagrams of up to [`MAIN_LINES_UP_TO`] boxes, the ones written by hand, take the first
    /// (the slant builds up over many ranks; the drawings stay as they were); larger ones
    /// alternate.
    fn for_boxes(boxes: usize) -> Self {
        if boxes > MAIN_LINES_UP_TO { Ties::Alternate } else { Ties::First }
    }

    /// Whether node `v` of `g` takes the last of two evenly pulling targets.
    fn take_last(self, g: &Layered, v: usize) -> bool {
        self == Ties::Alternate && !g.is_dummy(v) && v % 2 == 1
    }
}

/// Moves one rank's nodes as close to their weighted median targets as spacing allows.
fn align(
    g: &Layered,
    layer: &[usize],
    links: &[Vec<Link>],
    ties: Ties,
    geometry: &mut Geometry,
    axis: Axis,
) {
    if layer.is_empty() {
        return;
    }
    // Shift every node by the separations before it, so the constraint becomes z[i] <= z[i+1].
    let mut shift = Vec::with_capacity(layer.len());
    let mut acc = 0;
    for (i, &v) in layer.iter().enumerate() {
        shift.push(acc);
        if let Some(&next) = layer.get(i + 1) {
            acc += separation(g, geometry, v, next, axis);
        }
    }
    // A node with no links follows the one before it, so that nothing drifts apart.
    let mut previous_target = 0;
    let mut wanted: Vec<(i64, i64)> = Vec::new();
    let mut targets: Vec<(i64, i64)> = Vec::with_capacity(layer.len());
    for (&v, &s) in layer.iter().zip(&shift) {
        wanted.clear();
        wanted.extend(
            links[v].iter().map(|l| (geometry.top[l.far] + l.far_offset - l.own, l.weight)),
        );
        let (t, w) = match weighted_median(&mut wanted, ties.take_last(g, v)) {
            Some((t, w)) => (t - s, w),
            None => (previous_target, 1),
        };
        previous_target = t;
        targets.push((t, w));
    }
    // The median fit keeps a heavy link exactly straight where the mean would split the
    // difference with a light neighbour; it costs O(n²) when blocks merge, so very wide ranks
    // use the linear least-squares fit.
    let z = if layer.len() <= MEDIAN_FIT_LIMIT {
        isotonic_median(&targets)
    } else {
        isotonic(&targets)
    };
    for ((&v, &s), z) in layer.iter().zip(&shift).zip(z) {
        geometry.top[v] = z + s;
    }
}

/// The weighted median of (value, weight) pairs, and the total weight; where the weight splits
/// evenly between two values, the first, or the last if `take_last`.
fn weighted_median(values: &mut [(i64, i64)], take_last: bool) -> Option<(i64, i64)> {
    values.sort_unstable();
    sorted_weighted_median(values, take_last)
}

/// Ranks up to this many nodes are placed with the (quadratic) median fit.
const MEDIAN_FIT_LIMIT: usize = 256;

/// Weighted least-absolute-deviations non-decreasing fit (pool adjacent violators, each block
/// at the weighted median of its targets).
fn isotonic_median(targets: &[(i64, i64)]) -> Vec<i64> {
    /// Pooled nodes: `sorted[start..]` up to the next block's start holds their targets with
    /// weights, sorted (blocks pool neighbours, so each block's targets stay one run of one
    /// buffer, and a ranked layer takes no allocation per node), and `value` the weighted
    /// median of them.
    struct Block {
        start: usize,
        value: i64,
    }
    let mut sorted: Vec<(i64, i64)> = Vec::with_capacity(targets.len());
    let mut merged: Vec<(i64, i64)> = Vec::new();
    let mut blocks: Vec<Block> = Vec::with_capacity(targets.len());
    for &(t, w) in targets {
        blocks.push(Block { start: sorted.len(), value: t });
        sorted.push((t, w));
        while blocks.len() > 1 && blocks[blocks.len() - 2].value > blocks[blocks.len() - 1].value {
            let last = blocks.pop().expect("two blocks were present");
            let prev = blocks.last_mut().expect("two blocks were present");
            let (a, b) = sorted[prev.start..].split_at(last.start - prev.start);
            merged.clear();
            let (mut i, mut j) = (0, 0);
            while i < a.len() || j < b.len() {
                if j == b.len() || (i < a.len() && a[i] <= b[j]) {
                    merged.push(a[i]);
                    i += 1;
                } else {
                    merged.push(b[j]);
                    j += 1;
                }
            }
            sorted[prev.start..].copy_from_slice(&merged);
            prev.value = sorted_weighted_median(&merged, false).map_or(prev.value, |(m, _)| m);
        }
    }
    let mut out = Vec::with_capacity(targets.len());
    for (k, b) in blocks.iter().enumerate() {
        let end = blocks.get(k + 1).map_or(sorted.len(), |next| next.start);
        out.extend(std::iter::repeat_n(b.value, end - b.start));
    }
    out
}

/// [`weighted_median`] of values already sorted, and their total weight.
fn sorted_weighted_median(values: &[(i64, i64)], take_last: bool) -> Option<(i64, i64)> {
    let total: i64 = values.iter().map(|v| v.1).sum();
    let mut seen = 0;
    for (i, &(value, w)) in values.iter().enumerate() {
        seen += w;
        if 2 * seen >= total {
            // Exactly half the weight up to here: the other half starts at the next value.
            let last = values.get(i + 1).filter(|_| take_last && 2 * seen == total);
            return Some((last.map_or(value, |&(next, _)| next), total));
        }
    }
    values.last().map(|&(v, _)| (v, total))
}

/// Weighted least-squares non-decreasing fit (pool adjacent violators), rounded to cells.
pub(super) fn isotonic(targets: &[(i64, i64)]) -> Vec<i64> {
    // Blocks of (sum of weight × target, sum of weight, count).
    let mut blocks: Vec<(i128, i128, usize)> = Vec::with_capacity(targets.len());
    let mean = |b: &(i128, i128, usize)| -> i128 { (2 * b.0 + b.1).div_euclid(2 * b.1) };
    for &(t, w) in targets {
        blocks.push((t as i128 * w as i128, w as i128, 1));
        while blocks.len() > 1 {
            let last = blocks[blocks.len() - 1];
            let prev = blocks[blocks.len() - 2];
            // Compare exact means: prev.0/prev.1 > last.0/last.1.
            if prev.0 * last.1 > last.0 * prev.1 {
                blocks.pop();
                let merged = blocks.last_mut().expect("two blocks were present");
                merged.0 += last.0;
                merged.1 += last.1;
                merged.2 += last.2;
            } else {
                break;
            }
        }
    }
    let mut out = Vec::with_capacity(targets.len());
    let mut prev = i128::MIN;
    for b in &blocks {
        // Rounding could reorder two blocks whose means differ by less than one cell.
        let m = mean(b).max(prev);
        prev = m;
        out.extend(std::iter::repeat_n(m as i64, b.2));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn main_lines_are_dropped_where_that_narrows_the_placement_by_a_tenth() {
        let spread = |extent: i64| Geometry {
            main_len: vec![1, 1],
            cross_len: vec![1, 1],
            top: vec![0, extent - 1],
            reach: vec![1, 1],
            sides: vec![Sides::plain(1); 2],
            group: vec![None, None],
            frame_margin: Vec::new(),
        };
        let placed =
            |narrower: i64| move |main_lines: bool| spread(if main_lines { 100 } else { narrower });
        assert_eq!(extent(&with_or_without_main_lines(10, placed(89))), 89);
        // Less than a tenth narrower: the main lines stay.
        assert_eq!(extent(&with_or_without_main_lines(10, placed(91))), 100);
        // Past a few hundred boxes, only the placement without them is made.
        let wider = |main_lines: bool| spread(if main_lines { 100 } else { 120 });
        assert_eq!(extent(&with_or_without_main_lines(1_000, wider)), 120);
    }

    #[test]
    fn a_label_keeps_only_the_next_nodes_lines_on_its_face_clear() {
        // A 12-cell box whose front-face pin at 5 carries a label reaching to cell 26.
        let labelled = Sides { body: 12, face_reach: [26, 0], first_pin: [Some(5), None] };
        let gap = 3;
        // The next box's front-face line leaves from its middle (cell 10): the label ends
        // left of it with two blank cells, so the boxes stand 18 apart, not 27.
        let middle_pin = Sides { body: 20, face_reach: [12, 0], first_pin: [Some(10), None] };
        assert_eq!(separation_of(12, 26, labelled, (20, middle_pin), gap, None), 18);
        // A pin on the corner's next cell leaves nothing to spare: the old distance.
        let first_cell = Sides { first_pin: [Some(1), None], ..middle_pin };
        assert_eq!(separation_of(12, 26, labelled, (20, first_cell), gap, None), 27);
        // A dummy's line is all of it.
        let dummy = Sides { body: 1, face_reach: [2, 2], first_pin: [Some(0), Some(0)] };
        assert_eq!(separation_of(12, 26, labelled, (1, dummy), gap, None), 27);
        // Without lines on that face, the label need only end before the next box does (any
        // node after it keeps its gap from that box): here the boxes' gap decides.
        let other_face = Sides { body: 20, face_reach: [0, 12], first_pin: [None, Some(10)] };
        assert_eq!(separation_of(12, 26, labelled, (20, other_face), gap, None), 15);
        // Boxes still keep their gap, and across a frame everything reached counts.
        let short = Sides { body: 12, face_reach: [8, 0], first_pin: [Some(5), None] };
        assert_eq!(separation_of(12, 12, short, (20, middle_pin), gap, None), 15);
        assert_eq!(separation_of(12, 26, labelled, (20, middle_pin), gap, Some(4)), 31);
    }

    #[test]
    fn isotonic_keeps_order_and_pools_violators() {
        assert_eq!(isotonic(&[(0, 1), (5, 1), (9, 1)]), [0, 5, 9]);
        assert_eq!(isotonic(&[(4, 1), (2, 1)]), [3, 3]);
        assert_eq!(isotonic(&[(10, 3), (0, 1)]), [8, 8]);
    }

    #[test]
    fn median_fit_keeps_the_heavy_target_exact() {
        // The mean would pull the first node to 8.75 and round it off its heavy target.
        assert_eq!(isotonic_median(&[(10, 16), (5, 1)]), [10, 10]);
        assert_eq!(isotonic(&[(10, 16), (5, 1)]), [10, 10]);
        assert_eq!(isotonic_median(&[(10, 3), (0, 1)]), [10, 10]);
        assert_eq!(isotonic(&[(10, 3), (0, 1)]), [8, 8]);
        assert_eq!(isotonic_median(&[(0, 1), (5, 1), (9, 1)]), [0, 5, 9]);
    }

    #[test]
    fn weighted_median_prefers_heavy_values() {
        for take_last in [false, true] {
            assert_eq!(weighted_median(&mut [(1, 1), (5, 8), (9, 1)], take_last), Some((5, 10)));
            assert_eq!(weighted_median(&mut [(9, 3), (1, 1), (5, 1)], take_last), Some((9, 5)));
            assert_eq!(weighted_median(&mut [], take_last), None);
        }
    }

    #[test]
    fn an_even_split_takes_the_first_target_or_the_last() {
        assert_eq!(weighted_median(&mut [(9, 1), (1, 1)], false), Some((1, 2)));
        assert_eq!(weighted_median(&mut [(9, 1), (1, 1)], true), Some((9, 2)));
        assert_eq!(weighted_median(&mut [(-4, 3), (6, 2), (-1, 1)], true), Some((-1, 6)));
        // Several links at the same target: the last is the next distinct value.
        assert_eq!(weighted_median(&mut [(2, 1), (2, 1), (7, 2)], true), Some((7, 4)));
        // Hand-written diagrams always take the first; larger ones alternate by box.
        assert_eq!(Ties::for_boxes(MAIN_LINES_UP_TO), Ties::First);
        assert_eq!(Ties::for_boxes(MAIN_LINES_UP_TO + 1), Ties::Alternate);
    }
}
