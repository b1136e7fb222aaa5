//! Phase 5: channels. Each channel between two ranks gets its width and its tracks, then every
//! hop becomes an orthogonal polyline and every label a rectangle.
//!
//! Pictured as if the flow ran right (see the vocabulary in the module notes): a channel is three
//! zones along the main axis: labels next to the left pins, vertical tracks (one per net that has
//! to change rows), labels next to the right pins. Lines cross only at right angles, and never
//! run along each other: a net's horizontal from its left pin ends at its track, one from a right
//! pin starts at its track, so when a row holds a left pin of net `a` and a right pin of net `b`,
//! `a`'s track must come first (the vertical constraint graph of channel routing). Where those
//! constraints form a cycle, one net takes a dogleg: its left pins go to an extra track before
//! all others, then along a free row to its own track.
//!
//! [`assign_tracks`] works in named passes: [`Channel::constraint_graph`],
//! [`Channel::keep_side_by_side_apart`], [`Channel::order_with_doglegs`],
//! [`Channel::ties`] and [`Channel::pack`].

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

use super::axis::{AbsLabel, AbsRect, AbsRoute, Axis, Dir, Pt, simplify};
use super::frames::FrameSpan;
use super::nets::{Face, NetKind, Nets};
use super::pack::{TRACK_PITCH, left_edge};
use super::place::Geometry;
use super::rank::Layered;
use super::types::Endpoint;

/// Thousands of repeated arrows would make the pairs [`Channel::ties`] compares
/// cost quadratic time and memory; past this many pairs in a channel, the plain packing decides.
const PAIR_BUDGET: usize = 1 << 20;

/// How many tracks past half again as many a channel may take to cross less (see
/// [`assign_tracks`]): small channels may double.
const MORE_TRACKS_FOR_FEWER_CROSSINGS: usize = 2;

/// How many crossings a channel's extra track must save at least (see [`assign_tracks`]).
/// Each extra track widens the whole drawing; at one crossing per track, generated graphs of
/// 1,000 boxes were 2 % larger over eight seeds for 1.3 % fewer crossings (under dot's either
/// way), and of the corpus only data-platform-reverse-etl's page drawing differs (a row taller).
const CROSSINGS_PER_TRACK: usize = 2;

/// A channel asks a crossing saved per extra track for every this many nets it holds, and
/// never fewer than [`CROSSINGS_PER_TRACK`] (see [`track_price`]).
const NETS_PER_CROSSING: usize = 8;

/// How many crossings an extra track of a channel of `nets` nets must save. A track is a
/// column (a row, drawn down) over the channel's whole length, which grows with its nets: in a
/// channel of a hundred nets it is hundreds of cells of blank for a crossing or two saved.
/// Generated graphs (seed 1): 10,000 boxes 1.81 -> 1.72 of dot's area per box for 0.68 ->
/// 0.71 of its crossings; 1,000 boxes over seeds 1-5, 2-5 % smaller for 2-5 % more crossings
/// (0.90-0.97 of dot's). No corpus drawing has a channel that large.
fn track_price(nets: usize) -> usize {
    CROSSINGS_PER_TRACK.max(nets / NETS_PER_CROSSING)
}

/// Channels of up to this many nets, in a flow down or up, take crossing-saving ties that
/// only pay for their tracks (see [`assign_tracks`]): in multi-region, two crossings saved
/// for one row.
const SPARSE_CHANNEL: usize = 12;

/// How many sets of ties a channel tries (see [`assign_tracks`]): those saving the most
/// crossings each, the next most, ..., and all of them.
const TIE_LEVELS: usize = 4;

/// Main-axis width of a channel's label zone without labels: on the left, one cell for the
/// pin's line to leave the box; on the right, two for the arrowhead and the cell before it
/// (one in the last channel, which only self-loops use).
const EMPTY_LEFT_ZONE: i64 = 1;
const EMPTY_RIGHT_ZONE: i64 = 2;

/// Where each rank's column starts and how wide it is, along the main axis.
#[derive(Debug, Clone)]
pub(super) struct Columns {
    pub start: Vec<i64>,
    pub width: Vec<i64>,
    /// One past the last cell of the last channel.
    pub end: i64,
    /// Where each channel's service lanes start (lane `i` is at `lane_start + 1 + 2i`).
    pub lane_start: Vec<i64>,
}

impl Columns {
    /// Main-axis start of a node's border (boxes are centred in their column).
    pub fn node_start(&self, rank: usize, main_len: i64) -> i64 {
        self.start[rank] + (self.width[rank] - main_len) / 2
    }
}

/// What phase 5 makes.
#[derive(Debug, Clone)]
pub(super) struct Routed {
    pub columns: Columns,
    /// Every diagram arrow's route, in order, numbered by network.
    pub routes: Vec<AbsRoute>,
    pub labels: Vec<AbsLabel>,
}

impl Routed {
    /// Every box's border rectangle, centred in its rank's column.
    pub fn box_rects(&self, g: &Layered, geometry: &Geometry) -> Vec<AbsRect> {
        (0..g.real)
            .map(|v| AbsRect {
                main0: self.columns.node_start(g.rank[v], geometry.main_len[v]),
                cross0: geometry.top[v],
                main_len: geometry.main_len[v],
                cross_len: geometry.cross_len[v],
            })
            .collect()
    }
}

/// Track assignment of one net.
#[derive(Debug, Clone, Copy, Default)]
struct Tracks {
    /// Index of the net's track among its channel's tracks.
    main: Option<usize>,
    /// For a dogleg: the extra track its left pins use, and the free row it crosses on.
    dogleg: Option<(usize, i64)>,
}

/// Where each channel's parts start along the main axis.
#[derive(Debug, Clone)]
struct Channels {
    /// The channel's first cell: its left label zone.
    start: Vec<i64>,
    /// Its first track.
    tracks: Vec<i64>,
    /// Its right label zone.
    right_zone: Vec<i64>,
}

impl Channels {
    fn track_main(&self, channel: usize, track: usize) -> i64 {
        self.tracks[channel] + TRACK_PITCH * track as i64
    }
}

/// Routes every hop and places every label.
///
/// Channels next to a frame's side keep a blank cell between its border and their first track,
/// lane or label (and between their last and the border), so none ever lies on or against a
/// frame border: lines cross borders only at right angles.
pub(super) fn route(
    g: &Layered,
    nets: &Nets,
    geometry: &Geometry,
    labels: &[Option<(usize, usize)>],
    lanes: &[usize],
    frames: &[FrameSpan<'_>],
    axis: Axis,
) -> Routed {
    let pin_row = |p: usize| geometry.top[nets.pins[p].node] + nets.pins[p].offset;
    let (tracks, track_count) = channel_tracks(g, nets, frames, &pin_row, axis);
    let zones = label_zones(g, nets, labels, axis);
    let heads = front_heads(g, nets, &tracks, &pin_row);
    let (columns, channels) =
        lay_channels(g, nets, geometry, &zones, &heads, &track_count, lanes, frames, axis);
    let pin_main = |p: usize| pin_main(g, geometry, &columns, nets, p);
    let hop_points = hop_polylines(nets, &tracks, &channels, &pin_main, &pin_row);
    let routes = arrows(g, nets, &hop_points);
    let labels = place_labels(g, nets, geometry, labels, &channels, axis);
    Routed { columns, routes, labels }
}

/// Every net's tracks, channel by channel, and how many tracks each channel uses.
fn channel_tracks(
    g: &Layered,
    nets: &Nets,
    frames: &[FrameSpan<'_>],
    pin_row: &dyn Fn(usize) -> i64,
    axis: Axis,
) -> (Vec<Tracks>, Vec<usize>) {
    let channels = g.ranks.max(1);
    let mut by_channel: Vec<Vec<usize>> = vec![Vec::new(); channels];
    for (i, net) in nets.nets.iter().enumerate() {
        by_channel[net.channel].push(i);
    }
    let mut tracks = vec![Tracks::default(); nets.nets.len()];
    let mut track_count = vec![0usize; channels];
    for (c, members) in by_channel.iter().enumerate() {
        // A dogleg must not run along the border of a frame this channel lies inside.
        let borders: BTreeSet<i64> = frames
            .iter()
            .filter(|f| f.first_rank <= c && c < f.last_rank)
            .flat_map(|f| f.border_rows)
            .collect();
        track_count[c] =
            assign_tracks(nets, members, pin_row, &borders, axis.vertical, &mut tracks);
    }
    (tracks, track_count)
}

/// The main-axis length of the widest label next to each channel's left pins and right pins.
struct LabelZones {
    left: Vec<i64>,
    right: Vec<i64>,
}

fn label_zones(
    g: &Layered,
    nets: &Nets,
    labels: &[Option<(usize, usize)>],
    axis: Axis,
) -> LabelZones {
    let channels = g.ranks.max(1);
    let label_main = |e: usize| labels[e].map_or(0, |size| axis.label_main(size));
    let mut zones = LabelZones { left: vec![0; channels], right: vec![0; channels] };
    for pin in &nets.pins {
        let Some(e) = pin.label else { continue };
        match pin.face {
            Face::Front => {
                let c = g.rank[pin.node];
                zones.left[c] = zones.left[c].max(label_main(e));
            }
            Face::Back => {
                let c = g.rank[pin.node] - 1;
                zones.right[c] = zones.right[c].max(label_main(e));
            }
        }
    }
    zones
}

/// An arrowhead on a node's front face (a self-arrow's, or a reversed arrow's): its line runs
/// from the head into the channel after the node's rank, where lanes and tracks cross it.
struct FrontHead {
    node: usize,
    /// Another net's line runs along the channel's first track across the head's row.
    crossed_by_first_track: bool,
}

/// Every channel's front-face heads.
fn front_heads(
    g: &Layered,
    nets: &Nets,
    tracks: &[Tracks],
    pin_row: &dyn Fn(usize) -> i64,
) -> Vec<Vec<FrontHead>> {
    let channels = g.ranks.max(1);
    let span = |rows: &mut dyn Iterator<Item = i64>| {
        rows.fold((i64::MAX, i64::MIN), |(lo, hi), r| (lo.min(r), hi.max(r)))
    };
    // The lines along each channel's first track: (net, first row, last row).
    let mut first_track: Vec<Vec<(usize, i64, i64)>> = vec![Vec::new(); channels];
    for (i, net) in nets.nets.iter().enumerate() {
        let left = net.left.iter().map(|&p| pin_row(p));
        let right = net.right.iter().map(|&p| pin_row(p));
        let (lo, hi) = match tracks[i] {
            Tracks { dogleg: Some((0, row)), .. } => span(&mut left.chain([row])),
            Tracks { main: Some(0), dogleg: None } => span(&mut left.chain(right)),
            _ => continue,
        };
        first_track[net.channel].push((i, lo, hi));
    }
    let mut heads: Vec<Vec<FrontHead>> = (0..channels).map(|_| Vec::new()).collect();
    for (e, chain) in g.chains.iter().enumerate() {
        let Some(&(i, h)) = nets.edge_hops[e].first() else { continue };
        let net = &nets.nets[i];
        if !chain.head_on_front_face() {
            continue;
        }
        // A self-arrow's head is its second pin on the face; a reversed arrow's, its first hop's
        // left pin.
        let pin = if chain.is_self_loop() { net.left[1] } else { net.hops[h].left };
        let row = pin_row(pin);
        let crossed_by_first_track =
            first_track[net.channel].iter().any(|&(j, lo, hi)| j != i && lo <= row && row <= hi);
        heads[net.channel].push(FrontHead { node: nets.pins[pin].node, crossed_by_first_track });
    }
    heads
}

/// Lays the ranks' columns and the channels between them along the main axis.
#[allow(clippy::too_many_arguments)]
fn lay_channels(
    g: &Layered,
    nets: &Nets,
    geometry: &Geometry,
    zones: &LabelZones,
    heads: &[Vec<FrontHead>],
    track_count: &[usize],
    lanes: &[usize],
    frames: &[FrameSpan<'_>],
    axis: Axis,
) -> (Columns, Channels) {
    let channels = g.ranks.max(1);
    let spacing = axis.channel();
    let mut column_width = vec![1i64; g.ranks];
    for v in 0..g.real {
        column_width[g.rank[v]] = column_width[g.rank[v]].max(geometry.main_len[v]);
    }
    let has_self_loop_at_end =
        nets.nets.iter().any(|n| n.kind == NetKind::SelfLoop && n.channel + 1 == g.ranks);
    let mut columns = Columns {
        start: vec![0; g.ranks],
        width: column_width,
        end: 0,
        lane_start: vec![0; channels],
    };
    let mut at_channel = Channels {
        start: vec![0; channels],
        tracks: vec![0; channels],
        right_zone: vec![0; channels],
    };
    let mut at = 0;
    for (c, &track_count) in track_count.iter().enumerate() {
        if c < g.ranks {
            columns.start[c] = at;
            at += columns.width[c];
        }
        let last = c + 1 >= g.ranks;
        let lane_cells = TRACK_PITCH * lanes.get(c).copied().unwrap_or(0) as i64;
        // A frame ending in this rank: the channel starts past its border. The left zone's
        // first cell is a blank (before the first track, or the label's padding), so it is
        // the blank the border needs; lanes start right at the channel, so they keep one more.
        let clear_of_border = i64::from(lane_cells > 0 || last);
        for f in frames.iter().filter(|f| f.last_rank == c) {
            let start_of = |v: usize| columns.node_start(g.rank[v], geometry.main_len[v]);
            at = at.max(f.main_range(geometry, start_of).1 + clear_of_border);
        }
        // A head on a node's front face keeps a cell of its own line before the first line
        // that may cross it, a lane or the first track; else the head seems to hang off the
        // crossed line (`◀│─`, fixture 09).
        let first_line = if lane_cells > 0 {
            Some(at + 1)
        } else {
            (zones.left[c] == 0).then_some(at + EMPTY_LEFT_ZONE)
        };
        let crowded = heads.get(c).is_some_and(|heads| {
            heads.iter().any(|h| {
                let v = h.node;
                let head =
                    columns.node_start(g.rank[v], geometry.main_len[v]) + geometry.main_len[v];
                Some(head + 1) == first_line && (lane_cells > 0 || h.crossed_by_first_track)
            })
        });
        at += i64::from(crowded);
        // Lanes for service arrows that climb past other nodes come first, right by the column.
        columns.lane_start[c] = at;
        at += lane_cells;
        // In the last channel a cell after the lanes for the self-loops' turns; and one more
        // before a label there, so the blank the text renderer leaves beside a label never
        // follows a lane's crossing (the crossed line would read as ending in the open).
        if last && lane_cells > 0 {
            at += if zones.left[c] > 0 { 2 } else { 1 };
        }
        let left =
            if zones.left[c] > 0 { zones.left[c] + spacing.left_pad } else { EMPTY_LEFT_ZONE };
        at_channel.tracks[c] = at + left;
        if last && !has_self_loop_at_end {
            at_channel.start[c] = at;
            at_channel.right_zone[c] = at;
            continue;
        }
        let t = track_count as i64;
        let tracks = if t > 0 { TRACK_PITCH * t - 1 } else { 0 };
        let right = if last {
            1
        } else if zones.right[c] > 0 {
            zones.right[c] + spacing.right_pad
        } else {
            EMPTY_RIGHT_ZONE
        };
        // With no track between them, the blank that ends the left zone (clear of the tracks)
        // and the one that starts the right zone (clear of them too) are one blank: a
        // labelled line down takes four rows, not five (`│`, label, `│`, `▼`). Not past a
        // head on the front face: its line's first cell is that blank (`◀─ label ─`).
        let no_front_head = heads.get(c).is_none_or(Vec::is_empty);
        let shared_blank = i64::from(t == 0 && !last && no_front_head);
        let width =
            (left + tracks + right - shared_blank).max(if last { 0 } else { spacing.min_width });
        at_channel.start[c] = at;
        at_channel.right_zone[c] = at + left + tracks - shared_blank;
        at += width;
        // A frame starting in the next rank has its border up to its margin before that
        // column. The border takes the channel's last cell, where an arrowhead would stand
        // without it: the heads stand in the margin's blank past it, and the cell before (a
        // line's, past the last track or label) keeps both clear of the border.
        let starting = frames.iter().filter(|f| f.first_rank == c + 1);
        at += starting.map(|f| f.main_margins.0 - 1).max().unwrap_or(0);
    }
    columns.end = at;
    (columns, at_channel)
}

/// Where a pin's line leaves its node along the main axis.
fn pin_main(g: &Layered, geometry: &Geometry, columns: &Columns, nets: &Nets, p: usize) -> i64 {
    let pin = &nets.pins[p];
    let r = g.rank[pin.node];
    match (pin.face, g.is_dummy(pin.node)) {
        (Face::Front, true) => columns.start[r] + columns.width[r],
        (Face::Back, true) => columns.start[r] + columns.width[r] - 1,
        (Face::Front, false) => {
            columns.node_start(r, geometry.main_len[pin.node]) + geometry.main_len[pin.node]
        }
        (Face::Back, false) => columns.node_start(r, geometry.main_len[pin.node]) - 1,
    }
}

/// Each hop's polyline, by net and hop.
fn hop_polylines(
    nets: &Nets,
    tracks: &[Tracks],
    channels: &Channels,
    pin_main: &dyn Fn(usize) -> i64,
    pin_row: &dyn Fn(usize) -> i64,
) -> Vec<Vec<Vec<Pt>>> {
    let mut hop_points: Vec<Vec<Vec<Pt>>> =
        nets.nets.iter().map(|n| vec![Vec::new(); n.hops.len()]).collect();
    for (i, net) in nets.nets.iter().enumerate() {
        let c = net.channel;
        let tr = tracks[i];
        for (h, hop) in net.hops.iter().enumerate() {
            let (xs, yl) = (pin_main(hop.left), pin_row(hop.left));
            let mut pts = vec![Pt::new(xs, yl)];
            let mut left_end = yl;
            if let Some((entry, row)) = tr.dogleg {
                let te = channels.track_main(c, entry);
                pts.push(Pt::new(te, yl));
                pts.push(Pt::new(te, row));
                left_end = row;
            }
            match (hop.right, tr.main) {
                (None, Some(k)) => {
                    // Self-loop: out, along the track, and back into the same side.
                    let head = net.left[1];
                    let t = channels.track_main(c, k);
                    pts.push(Pt::new(t, left_end));
                    pts.push(Pt::new(t, pin_row(head)));
                    pts.push(Pt::new(pin_main(head), pin_row(head)));
                }
                (Some(right), Some(k)) => {
                    let t = channels.track_main(c, k);
                    pts.push(Pt::new(t, left_end));
                    pts.push(Pt::new(t, pin_row(right)));
                    pts.push(Pt::new(pin_main(right), pin_row(right)));
                }
                (Some(right), None) => pts.push(Pt::new(pin_main(right), pin_row(right))),
                (None, None) => {}
            }
            hop_points[i][h] = pts;
        }
    }
    hop_points
}

/// Whole arrows: hops joined left to right, reversed ones turned round, each numbered by its
/// network (nets joined through one arrow's hops are drawn as one tree of lines).
fn arrows(g: &Layered, nets: &Nets, hop_points: &[Vec<Vec<Pt>>]) -> Vec<AbsRoute> {
    let mut routes = Vec::with_capacity(g.chains.len());
    for (e, chain) in g.chains.iter().enumerate() {
        let mut points: Vec<Pt> = Vec::new();
        for &(net, h) in &nets.edge_hops[e] {
            points.extend(hop_points[net][h].iter().copied());
        }
        let head = if chain.head_on_front_face() { Dir::MainMinus } else { Dir::MainPlus };
        if chain.reversed {
            points.reverse();
        }
        let (first, last) = (chain.nodes[0], chain.last());
        let (from, to) = if chain.reversed { (last, first) } else { (first, last) };
        let net = nets.edge_hops[e].first().map_or(0, |&(n, _)| n);
        routes.push(AbsRoute {
            net: nets.network[net],
            edge: Some(e),
            from: Endpoint::Box(from),
            to: Endpoint::Box(to),
            points: simplify(points),
            head,
        });
    }
    routes
}

/// Every label next to its pin, in its channel's label zone.
fn place_labels(
    g: &Layered,
    nets: &Nets,
    geometry: &Geometry,
    labels: &[Option<(usize, usize)>],
    channels: &Channels,
    axis: Axis,
) -> Vec<AbsLabel> {
    let mut placed = Vec::new();
    for pin in &nets.pins {
        let Some(e) = pin.label else { continue };
        let Some((w, h)) = labels[e] else { continue };
        let row = geometry.top[pin.node] + pin.offset;
        let zone_start = match pin.face {
            Face::Front => channels.start[g.rank[pin.node]],
            Face::Back => channels.right_zone[g.rank[pin.node] - 1],
        };
        placed.push(AbsLabel {
            edge: e,
            rect: axis.label_rect(zone_start, row, (w as i64, h as i64)),
        });
    }
    placed
}

/// Orders the tracks of one channel; returns how many tracks it uses. `vertical`: the layout
/// runs down or up, so tracks are drawn as rows and the lines from pins as vertical lines.
fn assign_tracks(
    nets: &Nets,
    members: &[usize],
    pin_row: &dyn Fn(usize) -> i64,
    borders: &BTreeSet<i64>,
    vertical: bool,
    tracks: &mut [Tracks],
) -> usize {
    let Some(mut channel) = Channel::constraint_graph(nets, members, pin_row, vertical) else {
        return 0;
    };
    if vertical {
        channel.keep_side_by_side_apart();
    }
    let order = channel.order_with_doglegs(borders, tracks);
    let spans: Vec<(i64, i64)> =
        (0..channel.routed.len()).map(|k| channel.span(k, tracks)).collect();
    let ties = channel.ties(&order, &spans, tracks);
    // The nets to pack, by first row (their order found only decides through the ties).
    let mut by_start: Vec<(i64, i64, usize)> =
        order.iter().map(|&k| (spans[k].0, spans[k].1, k)).collect();
    by_start.sort_unstable();
    // Nets of one network always keep the order that crosses least (see `Channel::ties`);
    // the others do when the tracks that costs are paid for. The ties are offered most saving
    // first (those saving the most crossings each, then down to all of them), and the channel
    // keeps the set that saves the most crossings net of `track_price` for each track
    // it adds, growing by at most half. Dense channels (a random graph of 1,000 boxes and
    // 5,000 arrows) would otherwise be drawn up to four times as wide, where so many crossings
    // remain that the saved ones are not what the reader sees.
    let kin_only = channel.pack(&by_start, &channel.preds(ties.iter().filter(|t| t.kin)));
    let mut levels: Vec<usize> = ties.iter().filter(|t| !t.kin).map(|t| t.saves).collect();
    levels.sort_unstable_by(|a, b| b.cmp(a));
    levels.dedup();
    if levels.len() > TIE_LEVELS {
        levels.drain(TIE_LEVELS - 1..levels.len() - 1);
    }
    let kept = |p: &Packing, t: &Tie| p.0[t.first] < p.0[t.then];
    // (gain, crossings saved, packing). In a sparse channel of a flow down or up, a set that
    // only pays for its tracks still wins over one saving fewer crossings: there each crossing
    // is seen, and a track is a row, which no width limit counts (across, it is a column).
    let sparse = vertical && members.len() <= SPARSE_CHANNEL;
    let mut best = (0, 0, kin_only.clone());
    for level in levels {
        let packing = channel
            .pack(&by_start, &channel.preds(ties.iter().filter(|t| t.kin || t.saves >= level)));
        let extra = packing.1.saturating_sub(kin_only.1);
        if extra > kin_only.1 / 2 + MORE_TRACKS_FOR_FEWER_CROSSINGS {
            continue;
        }
        let saved: i64 = ties
            .iter()
            .map(|t| t.saves as i64 * (kept(&packing, t) as i64 - kept(&kin_only, t) as i64))
            .sum();
        let gain = saved - (track_price(members.len()) * extra) as i64;
        if gain > best.0 || (sparse && gain == best.0 && saved > best.1) {
            best = (gain, saved, packing);
        }
    }
    let packing = best.2;
    channel.commit(packing, tracks)
}

/// Two nets of a channel whose tracks cross less one way round: `first`'s track before
/// `then`'s saves `saves` crossings. `kin`: both are of one network.
struct Tie {
    first: usize,
    then: usize,
    saves: usize,
    kin: bool,
}

/// Each net's track (`None` for one never placed) and how many tracks the nets use.
type Packing = (Vec<Option<usize>>, usize);

/// One channel's nets while their tracks are worked out. Nets are numbered `0..routed.len()`
/// here, in the order of `routed`.
struct Channel<'a> {
    nets: &'a Nets,
    pin_row: &'a dyn Fn(usize) -> i64,
    vertical: bool,
    /// The channel's nets that need a track (all but straight single hops).
    routed: Vec<usize>,
    /// Which routed net has a left pin and which a right pin in each row.
    rows: BTreeMap<i64, (Option<usize>, Option<usize>)>,
    /// Every row a pin of the channel's nets lies on, routed or not.
    pin_rows: BTreeSet<i64>,
    /// Constraint a → b: a's track comes before b's.
    succ: Vec<Vec<usize>>,
    indegree: Vec<usize>,
    /// The free rows doglegs cross on.
    dogleg_rows: BTreeSet<i64>,
    /// How many doglegs the channel has (their extra tracks come first).
    doglegs: usize,
}

impl<'a> Channel<'a> {
    /// The vertical constraint graph: where a row holds a left pin of one net and a right pin
    /// of another, the first net's track must come first. `None` when no net needs a track.
    fn constraint_graph(
        nets: &'a Nets,
        members: &[usize],
        pin_row: &'a dyn Fn(usize) -> i64,
        vertical: bool,
    ) -> Option<Self> {
        let needs_track = |i: usize| {
            let net = &nets.nets[i];
            !(net.kind == NetKind::Solo && pin_row(net.left[0]) == pin_row(net.right[0]))
        };
        let routed: Vec<usize> = members.iter().copied().filter(|&i| needs_track(i)).collect();
        if routed.is_empty() {
            return None;
        }
        let pin_rows: BTreeSet<i64> = members
            .iter()
            .flat_map(|&i| nets.nets[i].left.iter().chain(&nets.nets[i].right))
            .map(|&p| pin_row(p))
            .collect();
        let mut rows: BTreeMap<i64, (Option<usize>, Option<usize>)> = BTreeMap::new();
        for (k, &i) in routed.iter().enumerate() {
            let net = &nets.nets[i];
            for &p in &net.left {
                rows.entry(pin_row(p)).or_default().0 = Some(k);
            }
            for &p in &net.right {
                rows.entry(pin_row(p)).or_default().1 = Some(k);
            }
        }
        let mut succ: Vec<Vec<usize>> = vec![Vec::new(); routed.len()];
        let mut indegree = vec![0usize; routed.len()];
        for &(l, r) in rows.values() {
            if let (Some(a), Some(b)) = (l, r)
                && a != b
            {
                succ[a].push(b);
                indegree[b] += 1;
            }
        }
        let (dogleg_rows, doglegs) = (BTreeSet::new(), 0);
        Some(Self {
            nets,
            pin_row,
            vertical,
            routed,
            rows,
            pin_rows,
            succ,
            indegree,
            dogleg_rows,
            doglegs,
        })
    }

    fn pin_rows_of<'p>(&'p self, pins: &'p [usize]) -> impl Iterator<Item = i64> + 'p {
        pins.iter().map(|&p| (self.pin_row)(p))
    }

    /// Drawn down or up, a left pin's line and another net's right-pin line in the next row
    /// are vertical lines in neighbouring columns; where both run past the same rows and a
    /// third net's track crosses them there, it is drawn `─││─`, and nobody can tell the track
    /// goes on (fixture 27). Where a third net spans both rows, putting the left pin's net
    /// first keeps the two lines from running side by side, wherever that adds no cycle.
    fn keep_side_by_side_apart(&mut self) {
        let spans: Vec<(i64, i64)> = self
            .routed
            .iter()
            .map(|&i| {
                let net = &self.nets.nets[i];
                let rows = self.pin_rows_of(&net.left).chain(self.pin_rows_of(&net.right));
                rows.fold((i64::MAX, i64::MIN), |(lo, hi), r| (lo.min(r), hi.max(r)))
            })
            .collect();
        for (&row, &(l, _)) in &self.rows {
            let Some(a) = l else { continue };
            for next in [row - 1, row + 1] {
                let Some(&(_, Some(b))) = self.rows.get(&next) else { continue };
                let (lo, hi) = (row.min(next), row.max(next));
                let crossed = spans
                    .iter()
                    .enumerate()
                    .any(|(c, &(l, h))| c != a && c != b && l <= lo && hi <= h);
                if a != b && crossed && !self.succ[a].contains(&b) && !reaches(&self.succ, b, a) {
                    self.succ[a].push(b);
                    self.indegree[b] += 1;
                }
            }
        }
    }

    /// Prefers the order that crosses least: nets going down further left the lower they start,
    /// nets going up further left the higher they start.
    fn key(&self, k: usize) -> (i64, i64, usize) {
        let net = &self.nets.nets[self.routed[k]];
        let mean = |ps: &[usize]| {
            if ps.is_empty() { 0 } else { self.pin_rows_of(ps).sum::<i64>() / ps.len() as i64 }
        };
        let (l, r) = (mean(&net.left), mean(&net.right));
        if net.right.is_empty() || r >= l { (0, -l, k) } else { (1, l, k) }
    }

    /// The nets in an order that keeps every constraint (a topological order, preferred nets
    /// first). Where the constraints form a cycle, the first net still constraining others
    /// takes a dogleg, which frees its left pins from the order, on a free row that is no
    /// frame's border (fixtures 8, 26). Returns the order; sets each dogleg in `tracks`.
    fn order_with_doglegs(&mut self, borders: &BTreeSet<i64>, tracks: &mut [Tracks]) -> Vec<usize> {
        let n = self.routed.len();
        let mut ready: BinaryHeap<Reverse<(i64, i64, usize)>> =
            (0..n).filter(|&k| self.indegree[k] == 0).map(|k| Reverse(self.key(k))).collect();
        let mut placed = vec![false; n];
        let mut order = Vec::with_capacity(n);
        while order.len() < n {
            if let Some(Reverse((_, _, k))) = ready.pop() {
                if placed[k] {
                    continue;
                }
                placed[k] = true;
                order.push(k);
                for &s in &self.succ[k] {
                    self.indegree[s] -= 1;
                    if self.indegree[s] == 0 {
                        ready.push(Reverse(self.key(s)));
                    }
                }
                continue;
            }
            let Some(k) = (0..n).find(|&k| !placed[k] && !self.succ[k].is_empty()) else { break };
            let row = self.dogleg_row(k, borders);
            self.dogleg_rows.insert(row);
            tracks[self.routed[k]].dogleg = Some((self.doglegs, row));
            self.doglegs += 1;
            for s in std::mem::take(&mut self.succ[k]) {
                self.indegree[s] -= 1;
                if self.indegree[s] == 0 && !placed[s] {
                    ready.push(Reverse(self.key(s)));
                }
            }
        }
        order
    }

    /// The free row a dogleg of net `k` crosses on: near the middle of its pins, on no pin's
    /// row, no other dogleg's and no frame border.
    fn dogleg_row(&self, k: usize, borders: &BTreeSet<i64>) -> i64 {
        let net = &self.nets.nets[self.routed[k]];
        let all: Vec<i64> =
            self.pin_rows_of(&net.left).chain(self.pin_rows_of(&net.right)).collect();
        let target = all.iter().sum::<i64>() / all.len().max(1) as i64;
        let free = |r: &i64| {
            !self.pin_rows.contains(r) && !self.dogleg_rows.contains(r) && !borders.contains(r)
        };
        // Drawn down or up, the dogleg is a vertical line: beside another one, a track
        // crossing both would read `─││─`; so it keeps a free row each side if it can.
        let clear = |r: &i64| !self.vertical || (free(&(r - 1)) && free(&(r + 1)));
        let near = |d: i64| [target + d, target - d - 1];
        let span = all.iter().max().unwrap_or(&target) - all.iter().min().unwrap_or(&target);
        (0..=span + 2)
            .flat_map(near)
            .find(|r| free(r) && clear(r))
            .or_else(|| (0..).flat_map(near).find(free))
            .unwrap_or(target)
    }

    /// The rows net `k`'s lines from its left pins run on: its dogleg's row, if it has one.
    fn left_rows(&self, k: usize, tracks: &[Tracks]) -> Vec<i64> {
        match tracks[self.routed[k]].dogleg {
            Some((_, row)) => vec![row],
            None => self.pin_rows_of(&self.nets.nets[self.routed[k]].left).collect(),
        }
    }

    /// The rows net `k`'s track runs along, first to last.
    fn span(&self, k: usize, tracks: &[Tracks]) -> (i64, i64) {
        let right = self.pin_rows_of(&self.nets.nets[self.routed[k]].right);
        let rows = self.left_rows(k, tracks).into_iter().chain(right);
        rows.fold((i64::MAX, i64::MIN), |(lo, hi), r| (lo.min(r), hi.max(r)))
    }

    /// Every pair of nets whose tracks cross less in the order found than the other way round.
    ///
    /// The order found puts nets going down further left the lower they start (see
    /// [`Channel::key`]), which is the order that crosses least; the packing then reorders
    /// nets that nothing ties, to share tracks. Left free, it put a net starting low right of
    /// the nets it passes: its line from the left pin crossed all of their tracks, then their
    /// lines to the right pins crossed its own, two crossings per pair that no order of the
    /// ranks asked for (on a generated 200-box graph, 51 of 186). Between nets of one network
    /// (hops of arrows that share a trunk in another channel) such a crossing also looks
    /// tangled (fixtures 13, 21). Every tie points forward in that order, so ties added to
    /// the constraints keep them acyclic. Only nets whose spans overlap can cross: a sweep by
    /// first row finds the pairs. `span[k]` is net `k`'s first and last row.
    fn ties(&self, order: &[usize], span: &[(i64, i64)], tracks: &[Tracks]) -> Vec<Tie> {
        let n = self.routed.len();
        let mut rank_in_order = vec![0usize; n];
        for (i, &k) in order.iter().enumerate() {
            rank_in_order[k] = i;
        }
        let left_rows: Vec<Vec<i64>> = (0..n).map(|k| self.left_rows(k, tracks)).collect();
        let right_rows: Vec<Vec<i64>> = (0..n)
            .map(|k| self.pin_rows_of(&self.nets.nets[self.routed[k]].right).collect())
            .collect();
        // Crossings between `a` and `b` with `a`'s track first: `b`'s lines from its left pins
        // pass `a`'s track, `a`'s lines to its right pins pass `b`'s.
        let within = |rows: &[i64], (lo, hi): (i64, i64)| {
            rows.iter().filter(|&&r| lo <= r && r <= hi).count()
        };
        let crossings =
            |a: usize, b: usize| within(&left_rows[b], span[a]) + within(&right_rows[a], span[b]);
        let network = |k: usize| self.nets.network[self.routed[k]];
        let mut by_first: Vec<usize> = (0..n).collect();
        by_first.sort_unstable_by_key(|&k| (span[k].0, k));
        let mut ties = Vec::new();
        let mut budget = PAIR_BUDGET;
        'sweep: for (i, &a) in by_first.iter().enumerate() {
            for &b in &by_first[i + 1..] {
                if span[b].0 > span[a].1 {
                    break; // Starts past `a`'s end, as do all after it: no overlap.
                }
                if budget == 0 {
                    break 'sweep;
                }
                budget -= 1;
                let (first, then) =
                    if rank_in_order[a] < rank_in_order[b] { (a, b) } else { (b, a) };
                let (kept, turned) = (crossings(first, then), crossings(then, first));
                if kept < turned {
                    let kin = network(first) == network(then);
                    ties.push(Tie { first, then, saves: turned - kept, kin });
                }
            }
        }
        ties
    }

    /// Every net's predecessors: its constraints and the `ties` given.
    fn preds<'t>(&self, ties: impl Iterator<Item = &'t Tie>) -> Vec<Vec<usize>> {
        let mut preds: Vec<Vec<usize>> = vec![Vec::new(); self.routed.len()];
        for (k, ss) in self.succ.iter().enumerate() {
            for &t in ss {
                preds[t].push(k);
            }
        }
        for tie in ties {
            preds[tie.then].push(tie.first);
        }
        preds
    }

    /// Packs the nets into as few tracks as possible (the constrained left-edge algorithm),
    /// after the doglegs' extra tracks.
    ///
    /// When the layout runs down or up, the free row between two nets sharing a track must not
    /// be one a line crosses the track on (a pin's row, a dogleg's row): the two nets' corners
    /// would sit right beside that line, drawn `+|+` in ASCII, which is how ASCII draws a line
    /// jumping a vertical one (fixture 17). (Across a horizontal line, corners stacked above
    /// and below it cannot be read so: a vertical line is never broken where lines cross.)
    fn pack(&self, by_start: &[(i64, i64, usize)], preds: &[Vec<usize>]) -> Packing {
        let crossed = |row: i64| {
            self.vertical && (self.pin_rows.contains(&row) || self.dogleg_rows.contains(&row))
        };
        left_edge(by_start, self.routed.len(), preds, crossed)
    }

    /// Gives every net its track of `packing`, after the doglegs' extra tracks; returns how
    /// many tracks the channel uses.
    fn commit(&self, (track_of, used): Packing, tracks: &mut [Tracks]) -> usize {
        for (k, t) in track_of.iter().enumerate() {
            tracks[self.routed[k]].main = Some(self.doglegs + t.unwrap_or(used));
        }
        self.doglegs + used
    }
}

/// Whether `to` can be reached from `from` along `succ`.
pub(super) fn reaches(succ: &[Vec<usize>], from: usize, to: usize) -> bool {
    let mut seen = vec![false; succ.len()];
    let mut stack = vec![from];
    while let Some(k) = stack.pop() {
        if k == to {
            return true;
        }
        if !std::mem::replace(&mut seen[k], true) {
            stack.extend(&succ[k]);
        }
    }
    false
}
