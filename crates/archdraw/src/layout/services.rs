//! Phase 6: the control plane. Services sit in one row past the far side of the main flow
//! (under it when the flow runs right or left, beside it when it runs down or up), ordered by
//! the boxes they serve, with an arrow from each service into the middle of each box's far side.
//!
//! A one-line service whose boxes all come first in their ranks, one of them with other nodes
//! past it, sits in a second row on the near side instead and drops straight into its boxes'
//! near sides: from the far row its arrow would climb past those nodes, crossing their lines
//! ([`Demand::near_side`]; dot draws such a service before the rank too).
//!
//! A service serving several boxes is one net: a trunk along a track row of the band, with a
//! branch into each box. Track rows are shared by nets whose spans do not meet.
//!
//! Beside a flow down or up, a block past the trunks widens the whole drawing by its text. Where
//! the drawing leaves room past a trunk's last branch (or before its first), each block stands
//! there instead, on its trunk's near side, the trunk turning into the end of one of its lines
//! ([`Band::tucks`]; dot draws such a service as a node in a free corner). Taken only when it
//! makes the drawing smaller.
//!
//! Services also ask things of earlier phases. Everything they add, in the order it runs:
//!
//! | When | What | Where |
//! |---|---|---|
//! | before phase 0 | how many services point into each box | [`Demand::of`] |
//! | after phase 0 | a served box is wide enough for its ports | [`Demand::make_room_for_ports`] |
//! | phase 2 | a served box ends its rank, so its arrow can reach it from the far side | [`Demand::served`], `order::order` (`pinned_last`) |
//! | after phase 2 | which services take the near row | [`Demand::near_side`] |
//! | after phase 2 | a served box with nodes past it gets lanes in the channel after its rank | [`Demand::lanes`] |
//! | phase 4 | a blank row before a box served from the near side | [`Lanes::clear_after`], `place::clear_after` |
//! | phase 4 | room past such a box for the rows its arrows turn on | [`Lanes::turns`], `place::ports` |
//! | phase 5 | lanes widen their channel | [`Lanes::per_channel`], `route::route` |
//! | phase 6 | blocks placed (beside a flow down or up, on their trunk's near side where that is smaller) and arrows routed | [`place`], [`Band::tucks`] |

use super::axis::{AbsRect, AbsRoute, Axis, Dir, Drawing, Pt, simplify};
use super::content::{self, Content, ContentLine, Contents};
use super::order::Order;
use super::pack::{TRACK_PITCH, Tracks};
use super::place::isotonic;
use super::rank::Layered;
use super::route::{Columns, reaches};
use super::types::Endpoint;
use crate::model::{Diagram, Direction};
use crate::text::reads_as_a_line;

/// Cells between two service ports on one box side: a line and a blank.
const PORT_PITCH: i64 = 2;

/// Cells a served box keeps between its outermost ports and its ends when its far side is a
/// top or bottom border (a flow across): the corner and a blank, so no arrow enters beside a
/// corner (`┌▼──`).
const PORT_CLEARANCE: i64 = 2;

/// The same when the far side is a box's left or right side (a flow down or up): only the
/// corner, so one service's arrow enters on the title row (`│ Title │◀──`, as arrows into a
/// box's side do in a flow across) and the box is not made taller for it.
const SIDE_PORT_CLEARANCE: i64 = 1;

/// Blank cells between two service blocks in the row, so two texts never read as one.
const BLOCK_GAP: i64 = 3;

/// How far a service block may move from its place to find a clear cell for its arrow.
const SHIFT: i64 = 3;

/// What the services ask of the main flow: how many point into each box.
#[derive(Debug, Clone)]
pub(super) struct Demand {
    count: Vec<usize>,
    /// The boxes each service serves.
    serves: Vec<Vec<usize>>,
}

/// The lanes service arrows climb past nodes that stand in their way.
#[derive(Debug, Clone)]
pub(super) struct Lanes {
    /// How many services point into each box.
    count: Vec<usize>,
    /// Served nodes with other nodes past them in their rank: their arrows climb a lane in the
    /// channel after the rank and turn in under the box.
    blocked: Vec<bool>,
    /// A blocked node's first lane in its channel.
    lane_of: Vec<usize>,
    /// How many lanes each channel holds.
    pub per_channel: Vec<usize>,
    /// Services drawn in the near-side row (see [`Demand::near_side`]).
    near: Vec<bool>,
    /// An extra blank row past each node that comes right before a box served from the near
    /// side, so an arrowhead never sits right behind the line it crosses.
    pub clear_after: Vec<i64>,
    /// How many service arrows turn in past each node, each on its own row.
    pub turns: Vec<i64>,
}

/// What a service's arrows aim at.
#[derive(Debug, Clone)]
struct Target {
    node: usize,
    /// Main-axis cell of the port on the box's far side.
    port: i64,
    /// Cross-axis cell of the arrowhead (just past the box's far side).
    head: i64,
    /// The column the arrow climbs from the band (the port itself, or a lane in a channel).
    entry: i64,
    /// For a box that has other nodes past it: the row the arrow turns on towards its lane.
    turn: Option<i64>,
}

impl Demand {
    pub fn of(diagram: &Diagram) -> Self {
        let mut count = vec![0usize; diagram.nodes.len()];
        for s in &diagram.services {
            for v in &s.serves {
                count[v.0] += 1;
            }
        }
        let serves = diagram.services.iter().map(|s| s.serves.iter().map(|v| v.0).collect());
        Self { count, serves: serves.collect() }
    }

    /// Services drawn in a second row on the near side of the flow: under a flow across, a
    /// one-line service whose every served box has no box before it in its rank, so each of
    /// its arrows drops straight into its box's near side, and one of them would otherwise
    /// climb past the nodes after its box.
    pub fn near_side(
        &self,
        g: &Layered,
        ord: &Order,
        contents: &Contents,
        axis: Axis,
    ) -> Vec<bool> {
        let first = |v: usize| {
            let layer = &ord.layers[g.rank[v]];
            layer.iter().take_while(|&&u| u != v).all(|&u| g.is_dummy(u))
        };
        // Only worth a second row where the far row's arrow would climb past other nodes.
        let blocked = |v: usize| ord.layers[g.rank[v]].last() != Some(&v);
        self.serves
            .iter()
            .enumerate()
            .map(|(s, vs)| {
                !axis.vertical
                    && contents.services[s].lines.len() == 1
                    && vs.iter().all(|&v| first(v))
                    && vs.iter().any(|&v| blocked(v))
            })
            .collect()
    }

    /// Widens each served box so its ports fit its far side, [`PORT_PITCH`] apart and
    /// [`PORT_CLEARANCE`] ([`SIDE_PORT_CLEARANCE`] in a flow down or up) from its ends.
    pub fn make_room_for_ports(&self, box_sizes: &mut [(i64, i64)], axis: Axis) {
        let clearance = if axis.vertical { SIDE_PORT_CLEARANCE } else { PORT_CLEARANCE };
        for (size, &n) in box_sizes.iter_mut().zip(&self.count) {
            let ports = PORT_PITCH * (n as i64 - 1) + 1;
            size.0 = size.0.max(ports + 2 * clearance);
        }
    }

    /// Whether each of `nodes` layered nodes has a service pointing into it.
    pub fn served(&self, nodes: usize) -> Vec<bool> {
        (0..nodes).map(|v| self.count.get(v).is_some_and(|&n| n > 0)).collect()
    }

    /// The lanes the ordering `ord` makes necessary: a served box with other nodes past it in
    /// its rank cannot be reached straight from the band.
    pub fn lanes(&self, g: &Layered, ord: &Order, near: &[bool]) -> Lanes {
        // Only the far row's services climb lanes.
        let mut count = vec![0usize; self.count.len()];
        let mut clear_after = vec![0i64; g.len()];
        for (s, vs) in self.serves.iter().enumerate() {
            for &v in vs {
                if near[s] {
                    let layer = &ord.layers[g.rank[v]];
                    if let Some(i) = layer.iter().position(|&u| u == v).filter(|&i| i > 0) {
                        clear_after[layer[i - 1]] = 1;
                    }
                } else {
                    count[v] += 1;
                }
            }
        }
        let far = Demand { count, serves: Vec::new() };
        far.far_lanes(g, ord, near.to_vec(), clear_after)
    }

    fn far_lanes(&self, g: &Layered, ord: &Order, near: Vec<bool>, clear_after: Vec<i64>) -> Lanes {
        let served = self.served(g.len());
        let mut blocked = vec![false; g.len()];
        let mut lane_of = vec![0usize; g.len()];
        let mut per_channel = vec![0usize; g.ranks.max(1)];
        for layer in &ord.layers {
            for (i, &v) in layer.iter().enumerate().rev() {
                if served[v] && i + 1 < layer.len() {
                    blocked[v] = true;
                    lane_of[v] = per_channel[g.rank[v]];
                    per_channel[g.rank[v]] += self.count[v];
                }
            }
        }
        let turns =
            (0..g.len()).map(|v| if blocked[v] { self.count[v] as i64 } else { 0 }).collect();
        Lanes { count: self.count.clone(), blocked, lane_of, per_channel, turns, near, clear_after }
    }
}

/// Phase 6: places the service blocks past the far side of everything drawn so far and routes
/// their arrows into the boxes they serve; adds both to `drawing`.
pub(super) fn place(
    diagram: &Diagram,
    lanes: &Lanes,
    contents: &Contents,
    g: &Layered,
    columns: &Columns,
    direction: Direction,
    drawing: &mut Drawing,
) {
    // Most diagrams have no services: spare them the map of what the drawing covers.
    if contents.services.is_empty() {
        return;
    }
    let axis = Axis::of(direction);
    // Where each block's arrow may leave it: the start of a line (or its top), and the end of
    // a line for a block moved beside its trunk.
    let (anchors, ends): (Vec<Vec<i64>>, Vec<Vec<i64>>) = contents
        .services
        .iter()
        .zip(&contents.service_sizes)
        .map(|(c, &(main_len, _))| {
            (anchors(c, main_len, direction), line_ends(c, main_len, direction))
        })
        .unzip();
    let occupied = Occupied::of(drawing);
    let first_net = drawing.routes.iter().map(|r| r.net + 1).max().unwrap_or(0);
    let near_targets = near_targets(diagram, &lanes.near, &drawing.boxes, direction);
    let lay = |reversed: bool| {
        let targets = targets(diagram, direction, lanes, g, columns, &drawing.boxes, reversed);
        lay_out_bands(
            contents,
            (&anchors, &ends),
            &targets,
            &near_targets,
            lanes,
            axis,
            &occupied,
            first_net,
        )
    };
    let (mut rects, mut routes, crossings) = lay(false);
    // Two or more services into one box: their ports the other way round may uncross them.
    if crossings > 0 && lanes.count.iter().any(|&n| n > 1) {
        let (other_rects, other_routes, fewer) = lay(true);
        if fewer < crossings {
            (rects, routes) = (other_rects, other_routes);
        }
    }
    drawing.services = rects;
    drawing.routes.extend(routes);
}

/// The service blocks placed and their arrows routed, in the far row and (for services in
/// [`Lanes::near`]) the near one, aiming at `targets` (far) and `near_targets`: the blocks in
/// service order, the routes by net, and how many crossings their lines make among themselves.
#[allow(clippy::too_many_arguments)]
fn lay_out_bands(
    contents: &Contents,
    (anchors, ends): (&[Vec<i64>], &[Vec<i64>]),
    targets: &[Vec<Target>],
    near_targets: &[Vec<Target>],
    lanes: &Lanes,
    axis: Axis,
    occupied: &Occupied,
    first_net: usize,
) -> (Vec<AbsRect>, Vec<AbsRoute>, usize) {
    let near = &lanes.near;
    let far_edge = |lo: i64, hi: i64| occupied.far_edge(lo, hi);
    if !near.iter().any(|&n| n) {
        let band = Band { blocks: &contents.service_sizes, anchors, targets, axis };
        return band.arrange(&far_edge, Some((occupied, ends)), first_net);
    }
    let mut rects = vec![None; near.len()];
    let mut routes = Vec::new();
    let mut crossings = 0;
    for side_near in [false, true] {
        let picked: Vec<usize> = (0..near.len()).filter(|&s| near[s] == side_near).collect();
        if picked.is_empty() {
            continue;
        }
        let blocks: Vec<(i64, i64)> = picked.iter().map(|&s| contents.service_sizes[s]).collect();
        let anchors: Vec<Vec<i64>> = picked.iter().map(|&s| anchors[s].clone()).collect();
        let ts: Vec<Vec<Target>> = picked
            .iter()
            .map(|&s| if side_near { mirror(&near_targets[s]) } else { targets[s].clone() })
            .collect();
        let band = Band { blocks: &blocks, anchors: &anchors, targets: &ts, axis };
        // The near band is laid out mirrored: past the far side of the mirrored drawing.
        let near_edge = |lo: i64, hi: i64| 1 - occupied.near_edge(lo, hi);
        let edge: &dyn Fn(i64, i64) -> i64 = if side_near { &near_edge } else { &far_edge };
        let (side_rects, side_routes, side_crossings) = band.arrange(edge, None, 0);
        crossings += side_crossings;
        for (k, mut r) in side_rects.into_iter().enumerate() {
            if side_near {
                r.cross0 = -(r.cross0 + r.cross_len - 1);
            }
            rects[picked[k]] = Some(r);
        }
        for mut r in side_routes {
            let s = picked[r.net];
            r.net = first_net + s;
            r.from = Endpoint::Service(s);
            if side_near {
                r.points.iter_mut().for_each(|p| p.c = -p.c);
                r.head = Dir::CrossPlus;
            }
            routes.push(r);
        }
    }
    routes.sort_by_key(|r| r.net);
    (rects.into_iter().flatten().collect(), routes, crossings)
}

/// What the drawing covers, as rectangles (main0, main_end, cross0, cross_end; ends exclusive),
/// so a band can stand just past the stretch of the flow it spans.
struct Occupied {
    spans: Vec<(i64, i64, i64, i64)>,
}

impl Occupied {
    fn of(drawing: &Drawing) -> Self {
        let rect = |r: &AbsRect| (r.main0, r.main0 + r.main_len, r.cross0, r.cross0 + r.cross_len);
        let rects =
            drawing.boxes.iter().chain(&drawing.services).chain(drawing.frames.iter().flatten());
        let mut spans: Vec<_> =
            rects.chain(drawing.labels.iter().map(|l| &l.rect)).map(rect).collect();
        for r in &drawing.routes {
            for w in r.points.windows(2) {
                let (a, b) = (w[0], w[1]);
                spans.push((a.m.min(b.m), a.m.max(b.m) + 1, a.c.min(b.c), a.c.max(b.c) + 1));
            }
            if let [p] = r.points[..] {
                spans.push((p.m, p.m + 1, p.c, p.c + 1));
            }
        }
        Occupied { spans }
    }

    /// The main cells and the first cross cell past everything: (first, last, past); `None`
    /// for an empty drawing.
    fn extent(&self) -> Option<(i64, i64, i64)> {
        let first = self.spans.iter().map(|s| s.0).min()?;
        let last = self.spans.iter().map(|s| s.1 - 1).max()?;
        let past = self.spans.iter().map(|s| s.3).max()?;
        Some((first, last, past))
    }

    /// What meets main cells `lo..=hi` or the one on either side of them (a line of the band
    /// never runs right beside another).
    fn over(&self, lo: i64, hi: i64) -> impl Iterator<Item = &(i64, i64, i64, i64)> {
        self.spans.iter().filter(move |s| s.0 <= hi + 1 && s.1 > lo - 1)
    }

    /// The first cross cell past everything over `lo..=hi` (the whole drawing's when nothing
    /// is there).
    fn far_edge(&self, lo: i64, hi: i64) -> i64 {
        let past = |s: &(i64, i64, i64, i64)| s.3;
        self.over(lo, hi).map(past).max().or_else(|| self.spans.iter().map(past).max()).unwrap_or(0)
    }

    /// The first cross cell of anything over `lo..=hi` (the whole drawing's when nothing is).
    fn near_edge(&self, lo: i64, hi: i64) -> i64 {
        let first = |s: &(i64, i64, i64, i64)| s.2;
        self.over(lo, hi)
            .map(first)
            .min()
            .or_else(|| self.spans.iter().map(first).min())
            .unwrap_or(0)
    }
}

/// Targets in the cross-mirrored drawing.
fn mirror(ts: &[Target]) -> Vec<Target> {
    ts.iter().map(|t| Target { head: -t.head, turn: t.turn.map(|c| -c), ..t.clone() }).collect()
}

/// The cell of a box's side, `len` cells along the main axis, that a service's arrow enters:
/// its middle one. Of two middle cells, beside a flow down or up the one the flow meets first
/// (drawn, the upper down, the lower up): the service's text runs on from the line the arrow
/// meets (its first down, its last up, drawn mirrored) along the flow, so a two-line service
/// beside a two-line box stands on the box's text rows, not spilling onto its border. Across,
/// the latter, as always.
fn middle(len: i64, direction: Direction) -> i64 {
    match direction {
        Direction::Down | Direction::Up => (len - 1) / 2,
        Direction::Right | Direction::Left => len / 2,
    }
}

/// Each near-side service's targets: a port on each served box's near side, centred, in
/// service order.
fn near_targets(
    diagram: &Diagram,
    near: &[bool],
    boxes: &[AbsRect],
    direction: Direction,
) -> Vec<Vec<Target>> {
    let mut count = vec![0i64; boxes.len()];
    for (s, svc) in diagram.services.iter().enumerate() {
        if near[s] {
            svc.serves.iter().for_each(|v| count[v.0] += 1);
        }
    }
    let mut per_box = vec![0i64; boxes.len()];
    let mut targets = Vec::with_capacity(diagram.services.len());
    for (s, svc) in diagram.services.iter().enumerate() {
        let mut ts = Vec::new();
        for v in svc.serves.iter().filter(|_| near[s]) {
            let rect = boxes[v.0];
            let (n, k) = (count[v.0], per_box[v.0]);
            per_box[v.0] += 1;
            let port = rect.main0 + middle(rect.main_len, direction) - (n - 1) * PORT_PITCH / 2
                + PORT_PITCH * k;
            ts.push(Target { node: v.0, port, head: rect.cross0 - 1, entry: port, turn: None });
        }
        targets.push(ts);
    }
    targets
}

/// Where along its block a service's arrow may start and still touch its text: over the first
/// line (flow across), or beside any line (flow down, text left-aligned). These are drawn
/// offsets; a flow running left or up draws the main axis mirrored.
///
/// Text that reads as part of a line (`|` or `-` under a vertical line; see
/// [`reads_as_a_line`]) is no anchor. A block with no other has a
/// blank margin for its arrow (see `content::service_content`): the arrow then ends there,
/// beside the text.
fn anchors(content: &Content, main_len: i64, direction: Direction) -> Vec<i64> {
    let takes = content::service_text_takes_an_arrow(content, direction.is_vertical());
    let drawn: Vec<i64> = if direction.is_vertical() {
        let clear = |l: &ContentLine| {
            crate::text::graphemes(&l.line.text).next().is_some_and(|(g, _)| !reads_as_a_line(g))
        };
        (0..content.lines.len())
            .filter(|&i| match &content.lines[i] {
                Some(l) => clear(l),
                None => !takes,
            })
            .map(|i| i as i64)
            .collect()
    } else {
        let first_line = content.lines.first().and_then(Option::as_ref);
        let first = first_line.map_or(1, |l| l.line.width);
        let start = (content.width.max(1) as i64 - first as i64) / 2;
        match first_line {
            Some(l) if takes => crate::text::graphemes(&l.line.text)
                .scan(start, |x, (g, w)| {
                    let at = *x;
                    *x += w as i64;
                    Some((at, w as i64, g))
                })
                .filter(|(_, _, g)| !reads_as_a_line(g))
                // Either cell of a wide grapheme.
                .flat_map(|(at, w, _)| at..at + w)
                .collect(),
            Some(_) => vec![start - 1, start + first as i64],
            None => (start..start + first.max(1) as i64).collect(),
        }
    };
    let mirrored = matches!(direction, Direction::Left | Direction::Up);
    if mirrored { drawn.iter().map(|&o| main_len - 1 - o).collect() } else { drawn }
}

/// The main offsets in a block beside a flow down or up whose line ends where an arrow may
/// meet it: the block flush against its trunk's near side ([`Band::tucks`]), its lines set
/// flush right, an arrow from the end of a line whose last grapheme does not read as the line
/// going on. Empty for any other direction.
fn line_ends(content: &Content, main_len: i64, direction: Direction) -> Vec<i64> {
    if !direction.is_vertical() {
        return Vec::new();
    }
    let clear = |l: &ContentLine| {
        crate::text::graphemes(&l.line.text).last().is_some_and(|(g, _)| !reads_as_a_line(g))
    };
    let offsets = (0..content.lines.len() as i64)
        .filter(|&i| content.lines[i as usize].as_ref().is_some_and(clear));
    let mut offsets: Vec<i64> = if direction == Direction::Up {
        offsets.map(|o| main_len - 1 - o).collect()
    } else {
        offsets.collect()
    };
    offsets.sort_unstable();
    offsets
}

/// Each service's targets: a port on each served box's far side, left to right in service
/// order and centred, and the column and turn its arrow takes to get there.
fn targets(
    diagram: &Diagram,
    direction: Direction,
    lanes: &Lanes,
    g: &Layered,
    columns: &Columns,
    boxes: &[AbsRect],
    reversed: bool,
) -> Vec<Vec<Target>> {
    let mut per_box = vec![0usize; g.real];
    let mut targets = Vec::with_capacity(diagram.services.len());
    for (i, s) in diagram.services.iter().enumerate() {
        let mut ts = Vec::new();
        for v in s.serves.iter().filter(|_| !lanes.near[i]) {
            let rect = boxes[v.0];
            let n = lanes.count[v.0] as i64;
            // The services into one box take its ports in their order, or the other way
            // round (`reversed`): whichever crosses less depends on where their blocks land.
            let k = if reversed { n - 1 - per_box[v.0] as i64 } else { per_box[v.0] as i64 };
            per_box[v.0] += 1;
            let port = rect.main0 + middle(rect.main_len, direction) - (n - 1) * PORT_PITCH / 2
                + PORT_PITCH * k;
            let head = rect.cross0 + rect.cross_len;
            let (entry, turn) = if lanes.blocked[v.0] {
                // Lanes left to right in the same order; the later a service, the nearer the
                // box it turns, so no two of these arrows cross.
                let lane = lanes.lane_of[v.0] as i64 + k;
                (columns.lane_start[g.rank[v.0]] + 1 + TRACK_PITCH * lane, Some(head + n - k))
            } else {
                (port, None)
            };
            ts.push(Target { node: v.0, port, head, entry, turn });
        }
        targets.push(ts);
    }
    targets
}

/// What the blocks of the band are sorted by: their entry columns' median, mean, first or last.
#[derive(Debug, Clone, Copy)]
enum BlockKey {
    Median,
    Mean,
    First,
    Last,
}

impl BlockKey {
    const ALL: [BlockKey; 4] = [BlockKey::Median, BlockKey::Mean, BlockKey::First, BlockKey::Last];
}

/// A block moved to the near side of its own trunk ([`Band::tucks`]): its first main cell,
/// and the main cell of the line its arrow leaves from.
#[derive(Debug, Clone, Copy)]
struct Tucked {
    main0: i64,
    anchor: i64,
}

/// One candidate arrangement of the band: each block's first main cell, its trunk's anchor
/// column, its trunk's track (none for a straight arrow) and the number of tracks.
struct BandPlan {
    left: Vec<i64>,
    anchor: Vec<i64>,
    track_of: Vec<Option<usize>>,
    tracks: usize,
}

/// The service band being laid out: every block's size (main, cross), the main-axis offsets
/// in it where an arrow may start (at its text), and its targets.
struct Band<'a> {
    blocks: &'a [(i64, i64)],
    anchors: &'a [Vec<i64>],
    targets: &'a [Vec<Target>],
    axis: Axis,
}

impl Band<'_> {
    /// Places the blocks and routes their arrows, `far_edge(lo, hi)` being the first cross cell
    /// past the drawing over main cells `lo..=hi`: the band stands just past what it spans, not
    /// past the whole drawing, so a service comes next to its boxes when something wider lies
    /// elsewhere in the flow. Routes get net numbers from `first_net` on. Also how many
    /// crossings the arrangement's lines make among themselves.
    fn arrange(
        &self,
        far_edge: &dyn Fn(i64, i64) -> i64,
        tuck_into: Option<(&Occupied, &[Vec<i64>])>,
        first_net: usize,
    ) -> (Vec<AbsRect>, Vec<AbsRoute>, usize) {
        if self.blocks.is_empty() {
            return (Vec::new(), Vec::new(), 0);
        }
        // The blocks in several orders; the one whose lines cross least (ties: the first).
        let mut best: Option<(usize, BandPlan)> = None;
        // Each order with its blocks near their median entries, then near the key's own
        // entries (a block under its first entry can keep its tail out of another's span).
        let candidates = [false, true].into_iter().flat_map(|at| BlockKey::ALL.map(|k| (k, at)));
        for (key, at_key) in candidates {
            let (order, mut left) = self.pack_blocks(key, at_key);
            let anchor = self.step_aside(&order, &mut left);
            let (track_of, tracks) = self.trunk_tracks(&anchor);
            let crossings = self.band_crossings(&anchor, &track_of);
            if best.as_ref().is_none_or(|b| crossings < b.0) {
                best = Some((crossings, BandPlan { left, anchor, track_of, tracks }));
            }
        }
        let Some((crossings, BandPlan { left, anchor, track_of, tracks })) = best else {
            return (Vec::new(), Vec::new(), 0);
        };
        // The main cells the band's blocks, trunks and arrows take.
        let cells = (0..self.blocks.len()).flat_map(|s| {
            let ends = [left[s], left[s] + self.blocks[s].0 - 1, anchor[s]];
            ends.into_iter().chain(self.targets[s].iter().flat_map(|t| [t.entry, t.port]))
        });
        let (lo, hi) = cells.fold((i64::MAX, i64::MIN), |(lo, hi), m| (lo.min(m), hi.max(m)));
        let band = far_edge(lo, hi) + 1;
        let block_cross = band + 1 + TRACK_PITCH * tracks as i64;
        let plan = BandPlan { left, anchor, track_of, tracks };
        let tucked = match tuck_into {
            Some((occupied, ends)) => self.tucks(occupied, ends, band, &plan),
            None => vec![None; self.blocks.len()],
        };
        let BandPlan { left, anchor, track_of, .. } = plan;
        let track_column = |track: usize| band + 1 + TRACK_PITCH * track as i64;
        let rects = (0..self.blocks.len())
            .map(|s| {
                let (main_len, cross_len) = self.blocks[s];
                match (tucked[s], track_of[s]) {
                    (Some(tuck), Some(track)) => AbsRect {
                        main0: tuck.main0,
                        cross0: track_column(track) - 1 - cross_len,
                        main_len,
                        cross_len,
                    },
                    _ => AbsRect { main0: left[s], cross0: block_cross, main_len, cross_len },
                }
            })
            .collect();
        let mut routes = Vec::new();
        for (s, ts) in self.targets.iter().enumerate() {
            let tail = match (tucked[s], track_of[s]) {
                (Some(tuck), Some(track)) => Pt::new(tuck.anchor, track_column(track) - 1),
                _ => Pt::new(anchor[s], block_cross - 1),
            };
            for t in ts {
                let mut pts = vec![tail];
                if let Some(track) = track_of[s] {
                    let row = track_column(track);
                    pts.push(Pt::new(tail.m, row));
                    pts.push(Pt::new(t.entry, row));
                }
                if let Some(turn) = t.turn {
                    pts.push(Pt::new(t.entry, turn));
                    pts.push(Pt::new(t.port, turn));
                }
                pts.push(Pt::new(t.port, t.head));
                routes.push(AbsRoute {
                    net: first_net + s,
                    edge: None,
                    from: Endpoint::Service(s),
                    to: Endpoint::Box(t.node),
                    points: simplify(pts),
                    head: Dir::CrossMinus,
                });
            }
        }
        (rects, routes, crossings)
    }

    /// Beside a flow down or up, blocks moved from past every trunk to the near side of their
    /// own trunk, past its last branch (or before its first), where the drawing leaves room
    /// for them: the trunk runs on and turns into the end of one of the block's lines. Taken
    /// only when every block can move and the drawing gets smaller (`None` for each block
    /// otherwise): a block past the trunks widens the whole drawing by its text, where dot
    /// draws the same service as a node in a free corner.
    fn tucks(
        &self,
        occupied: &Occupied,
        ends: &[Vec<i64>],
        band: i64,
        plan: &BandPlan,
    ) -> Vec<Option<Tucked>> {
        let n = self.blocks.len();
        let none = vec![None; n];
        if !self.axis.vertical || plan.track_of.iter().all(Option::is_none) {
            return none;
        }
        let Some((main_lo, main_hi, cross_hi)) = occupied.extent() else { return none };
        let track_column = |track: usize| band + 1 + TRACK_PITCH * track as i64;
        let entries = |s: usize| {
            let rows = || self.targets[s].iter().map(|t| t.entry);
            (rows().min().unwrap_or(plan.anchor[s]), rows().max().unwrap_or(plan.anchor[s]))
        };
        let mut tucked: Vec<Option<Tucked>> = vec![None; n];
        for s in 0..n {
            let Some(track) = plan.track_of[s] else { return none };
            let column = track_column(track);
            let (main_len, cross_len) = self.blocks[s];
            let (first, last) = entries(s);
            // The block's cells and the blank ring round it stay clear of the drawing.
            let clear_of_drawing = |main0: i64| {
                occupied
                    .spans
                    .iter()
                    .filter(|o| o.0 <= main0 + main_len && o.1 > main0 - 1)
                    .all(|o| o.3 < column - 1 - cross_len)
            };
            // Rows this service's new lines claim: its trunk's run on past the branches, the
            // block and the blank ring round it. No other service's line may run there.
            let clear_of_services = |lo: i64, hi: i64| {
                (0..n).filter(|&o| o != s).all(|o| {
                    let tail = tucked[o].map_or(plan.anchor[o], |t| t.anchor);
                    let (o_first, o_last) = entries(o);
                    let rows_clear = self.targets[o]
                        .iter()
                        .map(|t| t.entry)
                        .chain(tucked[o].is_none().then_some(tail))
                        .all(|m| m < lo || m > hi);
                    let trunk_clear = plan.track_of[o].is_none_or(|ot| {
                        let c = track_column(ot);
                        let (t_lo, t_hi) = (o_first.min(tail), o_last.max(tail));
                        c < column - cross_len - 2 || c > column || t_hi < lo || t_lo > hi
                    });
                    // A block already moved stays off every row this one claims, the trunk's
                    // run on included, not only off the block's own.
                    let block_clear = tucked[o]
                        .is_none_or(|t| t.main0 - 1 > hi || t.main0 + self.blocks[o].0 < lo);
                    rows_clear && trunk_clear && block_clear
                })
            };
            let offsets = &ends[s];
            let (Some(&nearest_top), Some(&nearest_bottom)) = (offsets.first(), offsets.last())
            else {
                return none;
            };
            let after = (last + 2..=main_hi + 1).map(|m| (m, m + nearest_top));
            let before = (main_lo - main_len - 1..=first - 1 - main_len).rev();
            let before = before.map(|m| (m, m + nearest_bottom));
            let fits = |&(main0, _): &(i64, i64)| {
                let block = (main0, main0 + main_len - 1);
                let (lo, hi) =
                    if main0 > last { (last + 1, block.1 + 1) } else { (block.0 - 1, first - 1) };
                // The trunk's run on to the block passes nothing of the drawing, nor runs
                // right beside it: the band stands past the drawing only over its branches.
                let trunk_clear = occupied
                    .spans
                    .iter()
                    .filter(|o| o.0 <= hi && o.1 > lo)
                    .all(|o| o.3 < column - 1);
                trunk_clear && clear_of_drawing(main0) && clear_of_services(lo, hi)
            };
            let below = after.clone().find(fits);
            let above = before.clone().find(fits);
            let nearer = match (below, above) {
                (Some(b), Some(a)) => {
                    Some(if b.0 - last <= first - (a.0 + main_len) { b } else { a })
                }
                (b, a) => b.or(a),
            };
            let Some((main0, anchor)) = nearer else { return none };
            tucked[s] = Some(Tucked { main0, anchor });
        }
        // Smaller, or not at all.
        let most_wide = self.blocks.iter().map(|b| b.1).max().unwrap_or(0);
        let block_cross = band + 1 + TRACK_PITCH * plan.tracks as i64;
        let before_area = (cross_hi.max(block_cross + most_wide))
            * (main_hi.max(self.main_end(&plan.left)) - main_lo.min(self.main_start(&plan.left)));
        let mains: Vec<i64> = tucked.iter().map(|t| t.map_or(0, |t| t.main0)).collect();
        let after_area = cross_hi.max(block_cross - 1)
            * (main_hi.max(self.main_end(&mains)) - main_lo.min(self.main_start(&mains)));
        if after_area < before_area { tucked } else { none }
    }

    /// The first main cell of any block starting at `main0`.
    fn main_start(&self, main0: &[i64]) -> i64 {
        main0.iter().copied().min().unwrap_or(0)
    }

    /// One past the last main cell of any block starting at `main0`.
    fn main_end(&self, main0: &[i64]) -> i64 {
        main0.iter().zip(self.blocks).map(|(m, b)| m + b.0).max().unwrap_or(0)
    }

    /// Where on a block's main axis an arrow prefers to leave it: under a rightward flow into
    /// the middle of the block's top; beside a downward flow from its first line, whose text
    /// starts right at the arrow.
    fn anchor_offset(&self, s: usize) -> i64 {
        if self.axis.vertical { 0 } else { self.blocks[s].0 / 2 }
    }

    /// The blocks in order of their targets (by `key`), each as close to the median of its
    /// entry columns as a gap of [`BLOCK_GAP`] between blocks allows. Returns that order and
    /// each block's first main cell.
    fn pack_blocks(&self, key: BlockKey, at_key: bool) -> (Vec<usize>, Vec<i64>) {
        let n = self.blocks.len();
        let sorted_entries = |ts: &[Target]| {
            let mut cols: Vec<i64> = ts.iter().map(|t| t.entry).collect();
            cols.sort_unstable();
            cols
        };
        let desired: Vec<i64> = self
            .targets
            .iter()
            .map(|ts| {
                let cols = sorted_entries(ts);
                cols.get(cols.len().saturating_sub(1) / 2).copied().unwrap_or(0)
            })
            .collect();
        let sort_key: Vec<i64> = match key {
            BlockKey::Median => desired.clone(),
            BlockKey::Mean => self
                .targets
                .iter()
                .map(|ts| ts.iter().map(|t| t.entry).sum::<i64>() / ts.len().max(1) as i64)
                .collect(),
            BlockKey::First => self
                .targets
                .iter()
                .map(|ts| sorted_entries(ts).first().copied().unwrap_or(0))
                .collect(),
            BlockKey::Last => self
                .targets
                .iter()
                .map(|ts| sorted_entries(ts).last().copied().unwrap_or(0))
                .collect(),
        };
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&s| (sort_key[s], desired[s], s));
        let desired = if at_key { sort_key } else { desired };
        let mut shift = Vec::with_capacity(n);
        let mut acc = 0;
        for &s in &order {
            shift.push(acc);
            acc += self.blocks[s].0 + BLOCK_GAP;
        }
        let wanted: Vec<(i64, i64)> = order
            .iter()
            .zip(&shift)
            .map(|(&s, &sh)| (desired[s] - self.anchor_offset(s) - sh, 1))
            .collect();
        let mut left = vec![0i64; n];
        for ((&s, &sh), z) in order.iter().zip(&shift).zip(isotonic(&wanted)) {
            left[s] = z + sh;
        }
        (order, left)
    }

    /// Moves a block a few cells, where its neighbours leave room, when none of the cells its
    /// arrow may leave from is clear of the other services' climbing arrows (a one-line block
    /// has a single row to leave from). Returns each block's anchor, the main cell its arrow
    /// leaves from.
    fn step_aside(&self, order: &[usize], left: &mut [i64]) -> Vec<i64> {
        let entries: Vec<(usize, i64)> = self
            .targets
            .iter()
            .enumerate()
            .flat_map(|(s, ts)| ts.iter().map(move |t| (s, t.entry)))
            .collect();
        let mut anchor: Vec<i64> =
            (0..self.blocks.len()).map(|s| left[s] + self.anchor_offset(s)).collect();
        for (i, &s) in order.iter().enumerate() {
            // How close an anchor comes to another service's climbing arrow: on it (2), in the
            // next column (1, and a line crossing both would read `|+|`), or clear of it (0).
            let clash = |a: i64| {
                entries
                    .iter()
                    .filter(|&&(o, _)| o != s)
                    .map(|&(_, c)| match (c - a).abs() {
                        0 => 2,
                        1 => 1,
                        _ => 0,
                    })
                    .max()
                    .unwrap_or(0)
            };
            let room_before = match i {
                0 => SHIFT,
                _ => left[s] - (left[order[i - 1]] + self.blocks[order[i - 1]].0 + BLOCK_GAP),
            };
            let room_after = match order.get(i + 1) {
                None => SHIFT,
                Some(&next) => left[next] - (left[s] + self.blocks[s].0 + BLOCK_GAP),
            };
            let preferred = anchor[s];
            // Among the allowed cells, the clearest, then the least moved, then the nearest the
            // preferred one.
            let start = left[s];
            let best = (-room_before.clamp(0, SHIFT)..=room_after.clamp(0, SHIFT))
                .flat_map(|shift| self.anchors[s].iter().map(move |&o| (shift, start + shift + o)))
                .min_by_key(|&(shift, a)| (clash(a), shift.abs(), (a - preferred).abs(), a));
            if let Some((shift, a)) = best {
                left[s] += shift;
                anchor[s] = a;
            }
        }
        anchor
    }

    /// The crossings between service lines in the band: each pair of trunks in their track
    /// order (see [`Band::cost_above`]), and each straight arrow with every trunk across it.
    fn band_crossings(&self, anchor: &[i64], track_of: &[Option<usize>]) -> usize {
        let span = |s: usize| {
            let cols = || self.targets[s].iter().map(|t| t.entry).chain([anchor[s]]);
            (cols().min().unwrap_or(0), cols().max().unwrap_or(0))
        };
        let no_one_below: Vec<Vec<usize>> = vec![Vec::new(); self.blocks.len()];
        let span_of = |s: usize| track_of[s].map(|_| span(s));
        // A line from a block nearer the flow than another service's trunk, in the row of one
        // of that service's branches, runs along the branch: the two would overlap. Such an
        // arrangement is taken only when every other has one too.
        let on_branch = |s: usize, t: usize| self.targets[t].iter().any(|x| x.entry == anchor[s]);
        let overlap = |s: usize, t: usize| if on_branch(s, t) { FORBIDDEN } else { 0 };
        let mut total = 0;
        for s in 0..self.blocks.len() {
            for t in 0..self.blocks.len() {
                match (track_of[s], track_of[t]) {
                    (Some(a), Some(b)) if a < b => {
                        total += self.cost_above(s, t, anchor, &span_of, &no_one_below);
                        total += overlap(s, t);
                    }
                    (None, Some(_)) => {
                        let (lo, hi) = span(t);
                        total += usize::from((lo..=hi).contains(&anchor[s])) + overlap(s, t);
                    }
                    _ => {}
                }
            }
        }
        total
    }

    /// The crossings between services `upper` and `lower` when `upper`'s trunk runs on a track
    /// nearer the flow than `lower`'s: `upper`'s trunk crosses each of `lower`'s branches within
    /// its span on their way up, and `lower`'s trunk crosses `upper`'s tail on its way down to
    /// the block. Putting a service above one it must lie past costs more than any crossing.
    fn cost_above(
        &self,
        upper: usize,
        lower: usize,
        anchor: &[i64],
        span_of: &impl Fn(usize) -> Option<(i64, i64)>,
        below: &[Vec<usize>],
    ) -> usize {
        let (Some((ulo, uhi)), Some((llo, lhi))) = (span_of(upper), span_of(lower)) else {
            return 0;
        };
        if uhi < llo || lhi < ulo {
            return 0;
        }
        let branches =
            self.targets[lower].iter().filter(|t| (ulo..=uhi).contains(&t.entry)).count();
        let tail = usize::from((llo..=lhi).contains(&anchor[upper]));
        let forbidden = if below[upper].contains(&lower) { FORBIDDEN } else { 0 };
        branches + tail + forbidden
    }

    /// Track rows for the trunks of the services whose arrows do not run straight (`None` for
    /// the others), and how many rows the band needs.
    ///
    /// A service's tail runs from its block to its track; another's branch runs from its own
    /// track towards its box. Where the tail lies on that branch's line, or right next to it,
    /// the service needs a track nearer the blocks (a higher one) than the other's, or the two
    /// lines would overlap, or run side by side where a third crosses both (`─││─`).
    fn trunk_tracks(&self, anchor: &[i64]) -> (Vec<Option<usize>>, usize) {
        let n = self.blocks.len();
        let bends = |s: usize| {
            self.targets[s].len() > 1 || self.targets[s].iter().any(|t| t.entry != anchor[s])
        };
        let mut spans: Vec<(i64, i64, usize)> = (0..n)
            .filter(|&s| bends(s))
            .map(|s| {
                let cols = || self.targets[s].iter().map(|t| t.entry).chain([anchor[s]]);
                (cols().min().unwrap_or(0), cols().max().unwrap_or(0), s)
            })
            .collect();
        spans.sort_unstable();
        let entry_rows: Vec<(usize, i64)> = (0..n)
            .filter(|&s| bends(s))
            .flat_map(|s| self.targets[s].iter().map(move |t| (s, t.entry)))
            .collect();
        // For each service, the others it must lie past, worked out once: a tail on another's
        // branch must (the two lines would overlap), a tail in the row next to one should
        // (`─││─`). A should that would close a cycle (two services each beside the other's
        // branch) gives way, so that every must can hold.
        let mut below: Vec<Vec<usize>> = vec![Vec::new(); n];
        for distance in [0, 1] {
            for s in 0..n {
                for &(o, row) in &entry_rows {
                    if o == s || (row - anchor[s]).abs() != distance || below[s].contains(&o) {
                        continue;
                    }
                    if distance == 0 || !reaches(&below, o, s) {
                        below[s].push(o);
                    }
                }
            }
        }
        let level = levels(&spans, &below, n);
        spans.sort_by_key(|&(lo, hi, s)| (level[s], lo, hi, s));
        let span_of =
            |s: usize| spans.iter().find(|&&(_, _, o)| o == s).map(|&(lo, hi, _)| (lo, hi));
        let cost =
            |upper: usize, lower: usize| self.cost_above(upper, lower, anchor, &span_of, &below);
        let sequence = least_crossing_sequence(&spans, &cost);
        let mut tracks = Tracks::default();
        let mut track_of: Vec<Option<usize>> = vec![None; n];
        for (i, &s) in sequence.iter().enumerate() {
            let (lo, hi) = span_of(s).unwrap_or((0, 0));
            // Past every earlier service it must lie past, and past every earlier one whose
            // trunk it would cross more if it went above it.
            let first = sequence[..i]
                .iter()
                .filter(|&&o| below[s].contains(&o) || cost(s, o) > cost(o, s))
                .map(|&o| track_of[o].map_or(0, |t| t + 1))
                .max()
                .unwrap_or(0);
            track_of[s] = Some(tracks.first_fit(first, lo, hi));
        }
        (track_of, tracks.len())
    }
}

/// Services in rounds, each after the ones it must lie past (`below`); a cycle, two services
/// each beside the other's branch, is left as it falls.
fn levels(spans: &[(i64, i64, usize)], below: &[Vec<usize>], n: usize) -> Vec<usize> {
    let mut level = vec![0usize; n];
    for _ in 0..n {
        let mut changed = false;
        for &(_, _, s) in spans {
            let need = below[s].iter().map(|&o| level[o] + 1).max().unwrap_or(0);
            if need > level[s] && need < n {
                level[s] = need;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    level
}

/// A crossing no track order is allowed to buy: a service above one it must lie past.
const FORBIDDEN: usize = 1 << 16;

/// Up to this many bending services the track order is the best of all orders (a search over
/// subsets); past it, the order of `spans` as given.
const EXACT_ORDER_UP_TO: usize = 12;

/// The services of `spans` (in their given order) from the nearest the flow to the farthest,
/// in the order with the fewest crossings, `cost(a, b)` being what it costs to have `a` nearer
/// the flow than `b`. Where orders tie, the search keeps the given one.
fn least_crossing_sequence(
    spans: &[(i64, i64, usize)],
    cost: &impl Fn(usize, usize) -> usize,
) -> Vec<usize> {
    let items: Vec<usize> = spans.iter().map(|&(_, _, s)| s).collect();
    let m = items.len();
    if !(2..=EXACT_ORDER_UP_TO).contains(&m) {
        return items;
    }
    // pair[a][b]: the cost of items[a] nearer the flow than items[b].
    let pair: Vec<Vec<usize>> = items
        .iter()
        .map(|&a| items.iter().map(|&b| if a == b { 0 } else { cost(a, b) }).collect())
        .collect();
    let full = (1usize << m) - 1;
    // best[mask]: the least cost of putting the items of `mask` first; from[mask]: the item
    // that went last among them.
    let mut best = vec![usize::MAX; full + 1];
    let mut from = vec![usize::MAX; full + 1];
    best[0] = 0;
    for mask in 0..full {
        if best[mask] == usize::MAX {
            continue;
        }
        for next in (0..m).filter(|&b| mask & (1 << b) == 0) {
            let added: usize =
                (0..m).filter(|&a| mask & (1 << a) != 0).map(|a| pair[a][next]).sum();
            let to = mask | (1 << next);
            let total = best[mask] + added;
            if total < best[to] {
                best[to] = total;
                from[to] = next;
            }
        }
    }
    let mut sequence = Vec::with_capacity(m);
    let mut mask = full;
    while mask != 0 {
        let last = from[mask];
        sequence.push(items[last]);
        mask &= !(1 << last);
    }
    sequence.reverse();
    sequence
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_served_box_grows_for_its_ports_only_where_its_side_needs_it() {
        // Box 0 is served once, box 1 twice; both start as one-line boxes, 3 cells along the
        // flow's main axis (rows when it runs down).
        let demand = Demand { count: vec![1, 2], serves: Vec::new() };
        let mut sizes = vec![(3, 10), (3, 10)];
        demand.make_room_for_ports(&mut sizes, Axis::of(Direction::Down));
        // Down: one arrow enters on the title row, two need a row between them.
        assert_eq!(sizes, [(3, 10), (5, 10)]);
        let mut sizes = vec![(3, 10), (3, 10)];
        demand.make_room_for_ports(&mut sizes, Axis::of(Direction::Right));
        // Across: ports on a border keep a blank cell beside each corner.
        assert_eq!(sizes, [(5, 10), (7, 10)]);
    }

    #[test]
    fn beside_a_flow_down_or_up_a_two_line_service_stands_on_a_two_line_box_s_text_rows() {
        for direction in ["down", "up"] {
            let spec = crate::parse(&format!(
                "direction: {direction}\nboxes: [{{id: a, title: Load, text: COPY INTO}}, \
                 {{id: b, title: Next}}]\narrows: [a -> b]\n\
                 services: [{{title: Scheduler, text: nightly, serves: [a]}}]\n"
            ))
            .unwrap();
            let diagram = crate::Diagram::from_spec(&spec).unwrap();
            let layout = crate::layout::layout(&diagram, &crate::layout::LayoutOptions::default());
            let text_rows: Vec<usize> = layout.boxes[0].lines.iter().map(|l| l.y).collect();
            let service_rows: Vec<usize> = layout.services[0].lines.iter().map(|l| l.y).collect();
            assert_eq!(service_rows, text_rows, "{direction}");
            // The arrow meets the service's first line down, its last up (drawn mirrored).
            let route = layout.routes.iter().find(|r| r.to == Endpoint::Box(0)).unwrap();
            let meets = if direction == "down" { text_rows[0] } else { text_rows[1] };
            assert_eq!(route.points.last().unwrap().y, meets, "{direction}: {route:?}");
        }
    }

    #[test]
    fn the_track_order_takes_the_fewest_crossings() {
        // 0 above 1 costs 3, 1 above 0 costs 1; 2 crosses nothing.
        let spans = [(0, 10, 0), (2, 8, 1), (20, 30, 2)];
        let cost = |a: usize, b: usize| match (a, b) {
            (0, 1) => 3,
            (1, 0) => 1,
            _ => 0,
        };
        assert_eq!(least_crossing_sequence(&spans, &cost), [1, 0, 2]);
    }

    #[test]
    fn tied_track_orders_keep_the_given_order() {
        let spans = [(0, 10, 2), (2, 8, 0), (4, 6, 1)];
        assert_eq!(least_crossing_sequence(&spans, &|_, _| 1), [2, 0, 1]);
    }

    #[test]
    fn a_forbidden_order_is_never_taken() {
        // 0 above 1 costs a crossing, 1 above 0 is forbidden: 0 goes first though given last.
        let spans = [(2, 8, 1), (0, 10, 0)];
        let cost = |a: usize, b: usize| match (a, b) {
            (0, 1) => 1,
            (1, 0) => FORBIDDEN,
            _ => 0,
        };
        assert_eq!(least_crossing_sequence(&spans, &cost), [0, 1]);
    }
}
