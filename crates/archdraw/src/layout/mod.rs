//! Layout: a [`Diagram`] in, boxes, routes and labels on an integer cell grid out.
//!
//! # Implementation notes
//!
//! A layered (Sugiyama) layout, worked out along two abstract axes: *main*, the way the
//! arrows flow, and *cross*, across it. Only the last step maps them onto columns and rows for
//! one of the four directions, so every phase is written once. The phases, in order, each a
//! module with its own small result type:
//!
//! 0. `content`: box and service text, wrapped; sizes follow.
//! 1. `rank`: cycles broken, ranks assigned, dummy nodes on arrows that skip ranks.
//! 2. `order`: order within ranks, crossings reduced.
//! 3. `nets`: hops grouped into nets (shared trunks), pins on node sides.
//! 4. `place`: pin offsets, then cross positions that keep chains straight.
//! 5. `route`: channel widths, tracks, polylines and label rectangles.
//! 6. `services`: the control-plane row and its arrows.
//! 7. orientation: abstract coordinates to cells, text placed inside boxes.
//!
//! With a width limit, [`layout`] repeats the phases with narrower text, then with the flow
//! turned `down`, until the drawing fits.

pub(crate) mod budget;
mod content;
mod disjoint;
mod groups;
mod nets;
mod order;
mod place;
mod rank;
mod route;
mod services;

use serde::Serialize;

pub use budget::{LayoutSize, check_text, try_layout};

use crate::geom::{Point, Rect, Side};
use crate::model::text::TextBlock;
use crate::model::{Diagram, Direction};

/// What a line inside a box or service block is, which decides how renderers draw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// A title line: centred, bold in SVG.
    Title,
    /// A paragraph line: centred.
    Text,
    /// The first line of a bullet item: `x` is where its text starts; the renderer draws the
    /// bullet at `x - 2`, leaving a space between bullet and text.
    Bullet,
    /// A continuation line of a wrapped bullet item.
    Continuation,
}

/// A line of text at an absolute cell position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlacedText {
    /// What the line is.
    pub kind: LineKind,
    /// The text (no control characters).
    pub text: String,
    /// Width in cells.
    pub width: usize,
    /// Column of the first grapheme.
    pub x: usize,
    /// Row.
    pub y: usize,
}

/// A box of the main flow, placed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlacedBox {
    /// The box's id.
    pub id: String,
    /// Its border rectangle.
    pub rect: Rect,
    /// Its text lines, inside the border.
    pub lines: Vec<PlacedText>,
}

/// A control-plane service, placed: a block of text with no border.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlacedService {
    /// The service's id.
    pub id: String,
    /// The area its text covers.
    pub rect: Rect,
    /// Its text lines.
    pub lines: Vec<PlacedText>,
}

/// A group's titled frame, placed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlacedGroup {
    /// The group's id.
    pub id: String,
    /// The frame rectangle.
    pub rect: Rect,
    /// The title, drawn into the top border.
    pub title: PlacedText,
}

/// One end of a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "index")]
pub enum Endpoint {
    /// A box, by index into [`Layout::boxes`].
    Box(usize),
    /// A service, by index into [`Layout::services`].
    Service(usize),
}

/// The drawn path of one arrow.
///
/// # Guarantees
///
/// - `points` has at least two points; consecutive points share a row or a column.
/// - The first point is the cell next to the tail's border, the last the arrowhead's cell,
///   next to the head's border; `head` is the way the arrowhead points.
/// - Routes with the same `net` may share cells (a trunk); routes of different nets only ever
///   cross at right angles. Routes of one net may also cross at right angles where their
///   later hops are separate nets (arrows of one fan-out); renderers draw that as a crossing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Route {
    /// Arrows that share a trunk share a net number.
    pub net: usize,
    /// The arrow's index in [`Diagram::edges`], or `None` for a service's arrow.
    pub edge: Option<usize>,
    /// Where the arrow starts.
    pub from: Endpoint,
    /// Where the arrowhead is.
    pub to: Endpoint,
    /// Corner points of the orthogonal polyline, tail first.
    pub points: Vec<Point>,
    /// The way the arrowhead points.
    pub head: Side,
}

/// An arrow's label, placed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlacedLabel {
    /// The arrow's index in [`Diagram::edges`].
    pub edge: usize,
    /// The area the label covers, padding included.
    pub rect: Rect,
    /// The label's lines.
    pub lines: Vec<PlacedText>,
}

/// A finished layout: everything a renderer needs, in cells.
///
/// # Guarantees
///
/// Boxes, services, frames and labels lie inside `width` × `height` and do not overlap one
/// another (a frame contains exactly its group's boxes); routes run only through free cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Layout {
    /// The diagram's title, if any.
    pub title: Option<String>,
    /// The flow direction used (it may differ from the spec's when a width limit forced `down`).
    pub direction: Direction,
    /// Canvas width in cells.
    pub width: usize,
    /// Canvas height in cells.
    pub height: usize,
    /// The boxes, in diagram order.
    pub boxes: Vec<PlacedBox>,
    /// The services, in diagram order.
    pub services: Vec<PlacedService>,
    /// The group frames, in diagram order.
    pub groups: Vec<PlacedGroup>,
    /// The arrows' routes: diagram arrows first, in order, then service arrows.
    pub routes: Vec<Route>,
    /// The arrows' labels.
    pub labels: Vec<PlacedLabel>,
}

/// Options for [`layout`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LayoutOptions {
    /// Overrides the diagram's `max_width`.
    pub max_width: Option<usize>,
}

/// Box text wraps at this many cells unless a width limit asks for less.
pub const DEFAULT_WRAP: usize = 24;

/// Wrap widths tried, widest first, when a width limit is set.
const WRAPS: [usize; 8] = [24, 20, 18, 16, 14, 12, 10, 8];

/// Lays `diagram` out on the cell grid. Never fails.
///
/// With a width limit (`options.max_width`, else the diagram's `max_width`), box text and
/// labels are wrapped narrower, then the flow is turned `down`, until the drawing fits; if
/// nothing fits, the narrowest drawing found is returned (its `width` tells by how much it
/// misses). A diagram of thousands of boxes tries fewer widths: each try is a whole layout.
///
/// `layout` does not check [`Limits`](crate::Limits): time and memory grow with the boxes plus
/// the ranks each arrow passes over, which a small spec can make enormous. For diagrams from
/// input you do not control, use [`try_layout`].
pub fn layout(diagram: &Diagram, options: &LayoutOptions) -> Layout {
    let Some(limit) = options.max_width.or(diagram.max_width) else {
        return layout_once(diagram, diagram.direction, DEFAULT_WRAP);
    };
    let mut directions = vec![diagram.direction];
    if !diagram.direction.is_vertical() {
        directions.push(Direction::Down);
    }
    // Words stay whole while anything fits that way: turning the flow down reads better than
    // `TRANSFOR` / `M`. Breaking words is the last resort.
    let longest = longest_word(diagram);
    let whole_words = directions
        .iter()
        .flat_map(|&d| WRAPS.iter().filter(move |&&w| w >= longest).map(move |&w| (d, w)));
    let broken_words = directions
        .iter()
        .flat_map(|&d| WRAPS.iter().filter(move |&&w| w < longest).map(move |&w| (d, w)));
    let mut best: Option<Layout> = None;
    let mut tries = budget::Tries::new(diagram);
    for (direction, wrap) in whole_words.chain(broken_words) {
        let candidate = layout_once(diagram, direction, wrap);
        if candidate.width <= limit {
            return candidate;
        }
        if best.as_ref().is_none_or(|b| candidate.width < b.width) {
            best = Some(candidate);
        }
        if !tries.another() {
            break;
        }
    }
    best.unwrap_or_else(|| layout_once(diagram, diagram.direction, DEFAULT_WRAP))
}

/// The widest word of any box or service text, bullet items counting their bullet.
fn longest_word(diagram: &Diagram) -> usize {
    let words = |block: &TextBlock, extra: usize| {
        block
            .lines
            .iter()
            .flat_map(|l| l.text.split(' '))
            .map(|w| crate::model::text::width(w) + extra)
            .max()
            .unwrap_or(0)
    };
    let nodes = diagram.nodes.iter().map(|n| {
        let items = n.items.iter().map(|i| words(i, 2)).max().unwrap_or(0);
        words(&n.title, 0).max(words(&n.text, 0)).max(items)
    });
    let services = diagram.services.iter().map(|s| words(&s.title, 0).max(words(&s.text, 0)));
    nodes.chain(services).max().unwrap_or(0)
}

/// A cell in abstract coordinates: `m` along the flow, `c` across it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pt {
    m: i64,
    c: i64,
}

impl Pt {
    const fn new(m: i64, c: i64) -> Self {
        Self { m, c }
    }
}

/// A direction in abstract coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    MainPlus,
    MainMinus,
    CrossMinus,
}

/// A rectangle in abstract coordinates.
#[derive(Debug, Clone, Copy)]
struct AbsRect {
    main0: i64,
    cross0: i64,
    main_len: i64,
    cross_len: i64,
}

#[derive(Debug, Clone)]
struct AbsRoute {
    net: usize,
    edge: Option<usize>,
    from: Endpoint,
    to: Endpoint,
    points: Vec<Pt>,
    head: Dir,
}

#[derive(Debug, Clone, Copy)]
struct AbsLabel {
    edge: usize,
    rect: AbsRect,
}

/// The cells a set of rectangles and routes covers, in abstract coordinates.
#[derive(Debug, Clone, Copy)]
struct Extent {
    main0: i64,
    cross0: i64,
    /// One past the last main-axis cell.
    main_end: i64,
    /// One past the last cross-axis cell.
    cross_end: i64,
}

impl Extent {
    fn of<'a>(rects: impl Iterator<Item = &'a AbsRect>, routes: &[AbsRoute]) -> Extent {
        let mut e =
            Extent { main0: i64::MAX, cross0: i64::MAX, main_end: i64::MIN, cross_end: i64::MIN };
        let mut cover = |m0: i64, c0: i64, m1: i64, c1: i64| {
            e.main0 = e.main0.min(m0);
            e.cross0 = e.cross0.min(c0);
            e.main_end = e.main_end.max(m1);
            e.cross_end = e.cross_end.max(c1);
        };
        for r in rects {
            cover(r.main0, r.cross0, r.main0 + r.main_len, r.cross0 + r.cross_len);
        }
        for p in routes.iter().flat_map(|r| &r.points) {
            cover(p.m, p.c, p.m + 1, p.c + 1);
        }
        if e.main0 > e.main_end {
            return Extent { main0: 0, cross0: 0, main_end: 0, cross_end: 0 };
        }
        e
    }
}

/// Drops repeated points and the middle of three collinear ones.
fn simplify(points: Vec<Pt>) -> Vec<Pt> {
    let mut out: Vec<Pt> = Vec::with_capacity(points.len());
    for p in points {
        if out.last() == Some(&p) {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let collinear = (a.m == b.m && b.m == p.m) || (a.c == b.c && b.c == p.c);
            // Keep a point where the line doubles back (a self-loop's turn).
            let between = if a.m == b.m {
                (a.c - b.c).signum() != (p.c - b.c).signum()
            } else {
                (a.m - b.m).signum() != (p.m - b.m).signum()
            };
            if collinear && between {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

/// Labels wrap at this many cells (or the box wrap, if narrower).
const LABEL_WRAP: usize = 20;

/// Lays the diagram out once for one direction and wrap width. A frame whose title finds no
/// room in its top border between the arrows crossing it is drawn again, longer by the
/// title's room, so the title fits past the arrows (they cross near the group's boxes).
fn layout_once(diagram: &Diagram, direction: Direction, wrap: usize) -> Layout {
    let mut title_room = vec![0i64; diagram.groups.len()];
    let (mut layout, mut crowded) = layout_with(diagram, direction, wrap, &title_room);
    // Lengthening a frame can move the arrows that cross it; a few rounds settle it.
    for _ in 0..3 {
        if crowded.is_empty() {
            break;
        }
        for &(k, room) in &crowded {
            title_room[k] = title_room[k].max(room);
        }
        (layout, crowded) = layout_with(diagram, direction, wrap, &title_room);
    }
    layout
}

/// One layout, with each group's frame at least `title_room[k]` long along its top border.
/// Also returns the groups whose title found no room there, with the length that would give
/// it room past the arrows.
fn layout_with(
    diagram: &Diagram,
    direction: Direction,
    wrap: usize,
    title_room: &[i64],
) -> (Layout, Vec<(usize, i64)>) {
    let spacing = place::Spacing { vertical: direction.is_vertical() };
    let orient = |(w, h): (i64, i64)| if spacing.vertical { (h, w) } else { (w, h) };

    // 0. Content and sizes.
    let contents: Vec<content::Content> =
        diagram.nodes.iter().map(|n| content::node_content(n, wrap)).collect();
    // Services into a box get ports two cells apart inside its far side: it is at least wide
    // enough for them.
    let mut service_count = vec![0usize; diagram.nodes.len()];
    for s in &diagram.services {
        for v in &s.serves {
            service_count[v.0] += 1;
        }
    }
    let sizes: Vec<(i64, i64)> = contents
        .iter()
        .zip(&service_count)
        .map(|(c, &n)| {
            let (main, cross) = orient((c.width.max(1) as i64 + 4, c.height().max(1) as i64 + 2));
            (main.max(2 * n as i64 + 3), cross)
        })
        .collect();
    let label_text: Vec<Option<TextBlock>> = diagram
        .edges
        .iter()
        .map(|e| e.label.as_ref().filter(|l| !l.is_empty()).map(|l| l.wrap(LABEL_WRAP.min(wrap))))
        .collect();
    let label_size: Vec<Option<(usize, usize)>> =
        label_text.iter().map(|l| l.as_ref().map(|l| (l.width(), l.height()))).collect();

    // 1. Ranks.
    let pairs: Vec<(usize, usize)> = diagram.edges.iter().map(|e| (e.from.0, e.to.0)).collect();
    let g = rank::rank(diagram.nodes.len(), &pairs);

    // 2. Order; boxes that services point into end their rank so the arrow can reach them.
    let served: Vec<bool> =
        (0..g.len()).map(|v| service_count.get(v).is_some_and(|&n| n > 0)).collect();
    let mut group_of: Vec<Option<usize>> = vec![None; g.len()];
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); diagram.groups.len()];
    for (k, group) in diagram.groups.iter().enumerate() {
        for v in &group.nodes {
            // A box belongs to the first group that lists it.
            if group_of[v.0].is_none() {
                group_of[v.0] = Some(k);
                members[k].push(v.0);
            }
        }
    }
    let ord = order::order(&g, &served, &group_of);
    // A served box with other nodes past it in its rank: its service arrow climbs a lane in
    // the channel after the rank and turns in under the box.
    let mut blocked = vec![false; g.len()];
    let mut lane_of = vec![0usize; g.len()];
    let mut lanes = vec![0usize; g.ranks.max(1)];
    for layer in &ord.layers {
        for (i, &v) in layer.iter().enumerate().rev() {
            if served[v] && i + 1 < layer.len() {
                blocked[v] = true;
                lane_of[v] = lanes[g.rank[v]];
                lanes[g.rank[v]] += service_count[v];
            }
        }
    }

    // 3–4. Nets, pins, cross positions.
    let labelled: Vec<bool> = label_size.iter().map(Option::is_some).collect();
    let mut nets = nets::build(&g, &labelled, &ord.pos);
    // A blocked box's service arrows each turn on their own row past it.
    let turns: Vec<i64> =
        (0..g.len()).map(|v| if blocked[v] { service_count[v] as i64 } else { 0 }).collect();
    let mut cross = place::ports(&g, &mut nets, &sizes, &label_size, &turns, spacing);
    cross.group.clone_from(&group_of);
    place::place(&g, &nets, &ord.layers, &mut cross, spacing);
    place::even_rows(&g, &nets, &ord.layers, &mut cross, spacing);
    // A frame's title sits in its top border: `╭ Title ╮` needs the title's width plus four,
    // along the main axis or across it.
    let min_frame: Vec<(i64, i64)> = diagram
        .groups
        .iter()
        .enumerate()
        .map(|(k, group)| {
            let t = crate::model::text::width(&frame_title_text(&group.title)) as i64 + 4;
            let t = t.max(title_room[k]);
            if spacing.vertical { (0, t) } else { (t, 0) }
        })
        .collect();
    let min_cross: Vec<i64> = min_frame.iter().map(|m| m.1).collect();
    groups::clear_frames(&g, &ord.layers, &mut cross, &members, &ord.groups, &min_cross, spacing);

    // 5. Routes and labels.
    let spans: Vec<route::FrameSpan> = members
        .iter()
        .zip(&min_frame)
        .filter(|(m, _)| !m.is_empty())
        .map(|(m, &(min_main_len, min_cross_len))| {
            let (lo, hi) = groups::cross_extent(m, &cross, min_cross_len);
            route::FrameSpan {
                first_rank: m.iter().map(|&v| g.rank[v]).min().unwrap_or(0),
                last_rank: m.iter().map(|&v| g.rank[v]).max().unwrap_or(0),
                members: m,
                min_main_len,
                border_rows: [lo - place::FRAME_MARGIN, hi + place::FRAME_MARGIN - 1],
            }
        })
        .collect();
    let (columns, mut routes, labels) =
        route::route(&g, &nets, &cross, &label_size, &lanes, &spans, spacing);
    for r in &mut routes {
        r.net = nets.network[r.net];
    }

    let box_rects: Vec<AbsRect> = (0..g.real)
        .map(|v| AbsRect {
            main0: columns.node_start(g.rank[v], cross.main_len[v]),
            cross0: cross.top[v],
            main_len: cross.main_len[v],
            cross_len: cross.cross_len[v],
        })
        .collect();

    let frames: Vec<Option<AbsRect>> = members
        .iter()
        .zip(&min_frame)
        .map(|(m, &min)| groups::frame(m, &box_rects, &cross, min))
        .collect();

    // 6. Services.
    let service_contents: Vec<content::Content> =
        diagram.services.iter().map(|s| content::service_content(s, wrap + 4)).collect();
    let blocks: Vec<(i64, i64)> = service_contents
        .iter()
        .map(|c| orient((c.width.max(1) as i64, c.height().max(1) as i64)))
        .collect();
    // Where along its block a service's arrow may start and still touch its text: over the
    // first line (flow across), or beside any line (flow down, text left-aligned). These are
    // drawn offsets; a flow running left or up draws the main axis mirrored.
    let mirrored = matches!(direction, Direction::Left | Direction::Up);
    let anchors: Vec<Vec<i64>> = service_contents
        .iter()
        .zip(&blocks)
        .map(|(c, &(main_len, _))| {
            let drawn: Vec<i64> = if spacing.vertical {
                (0..c.lines.len()).filter(|&i| c.lines[i].is_some()).map(|i| i as i64).collect()
            } else {
                let first = c.lines.first().and_then(Option::as_ref).map_or(1, |l| l.line.width);
                let start = (c.width.max(1) as i64 - first as i64) / 2;
                (start..start + first.max(1) as i64).collect()
            };
            if mirrored { drawn.iter().map(|&o| main_len - 1 - o).collect() } else { drawn }
        })
        .collect();
    let mut per_box = vec![0usize; g.real];
    let mut targets: Vec<Vec<services::Target>> = Vec::new();
    for s in &diagram.services {
        let mut ts = Vec::new();
        for v in &s.serves {
            let rect = box_rects[v.0];
            let k = per_box[v.0] as i64;
            per_box[v.0] += 1;
            let n = service_count[v.0] as i64;
            // Ports left to right in service order, centred on the side.
            let port = rect.main0 + rect.main_len / 2 - (n - 1) + 2 * k;
            let head = rect.cross0 + rect.cross_len;
            let (entry, turn) = if blocked[v.0] {
                // Lanes left to right in the same order; the later a service, the nearer the
                // box it turns, so no two of these arrows cross.
                let lane = columns.lane_start[g.rank[v.0]] + 1 + 2 * (lane_of[v.0] as i64 + k);
                (lane, Some(head + n - k))
            } else {
                (port, None)
            };
            ts.push(services::Target { node: v.0, port, head, entry, turn });
        }
        targets.push(ts);
    }
    let drawn = Extent::of(
        box_rects.iter().chain(frames.iter().flatten()).chain(labels.iter().map(|l| &l.rect)),
        &routes,
    );
    let far_edge = drawn.cross_end;
    let first_net = routes.iter().map(|r| r.net + 1).max().unwrap_or(0);
    let (service_rects, service_routes) =
        services::place(&blocks, &anchors, &targets, far_edge, first_net, spacing);
    routes.extend(service_routes);

    // 7. Orientation.
    let all = Extent::of(
        box_rects
            .iter()
            .chain(&service_rects)
            .chain(frames.iter().flatten())
            .chain(labels.iter().map(|l| &l.rect)),
        &routes,
    );
    let (min_main, min_cross) = (all.main0.min(0), all.cross0);
    let max_main = all.main_end.max(columns.end);
    let o = Orientation { direction, main_extent: max_main - min_main, min_main, min_cross };

    let boxes = diagram
        .nodes
        .iter()
        .zip(&box_rects)
        .zip(&contents)
        .map(|((node, &r), content)| {
            let rect = o.rect(r);
            PlacedBox { id: node.id.clone(), rect, lines: box_lines(rect, content) }
        })
        .collect();
    let services = diagram
        .services
        .iter()
        .zip(&service_rects)
        .zip(&service_contents)
        .map(|((service, &r), content)| {
            let rect = o.rect(r);
            PlacedService {
                id: service.id.clone(),
                rect,
                lines: block_lines(rect, content, spacing.vertical),
            }
        })
        .collect();
    let labels: Vec<PlacedLabel> = labels
        .iter()
        .filter_map(|l| {
            let text = label_text[l.edge].as_ref()?;
            let rect = o.rect(l.rect);
            let lines = text
                .lines
                .iter()
                .enumerate()
                .map(|(i, line)| PlacedText {
                    kind: LineKind::Text,
                    text: line.text.clone(),
                    width: line.width,
                    x: rect.x + 1,
                    y: rect.y + i,
                })
                .collect();
            Some(PlacedLabel { edge: l.edge, rect, lines })
        })
        .collect();
    let routes: Vec<Route> = routes
        .into_iter()
        .map(|r| Route {
            net: r.net,
            edge: r.edge,
            from: r.from,
            to: r.to,
            points: r.points.iter().map(|&p| o.point(p)).collect(),
            head: o.side(r.head),
        })
        .collect();

    let mut crowded = Vec::new();
    let groups: Vec<PlacedGroup> = diagram
        .groups
        .iter()
        .zip(&frames)
        .enumerate()
        .filter_map(|(k, (group, frame))| {
            let rect = o.rect((*frame)?);
            let title = frame_title(rect, &group.title, &routes).unwrap_or_else(|(first, last)| {
                let text = frame_title_text(&group.title);
                let width = crate::model::text::width(&text);
                // Lengthened, a frame grows away from its first rank: rightwards, except in a
                // flow running left. The title then goes one cell past the arrows, as `│ T ┄╮`
                // or `╭┄ T │`.
                let room = if direction == Direction::Left {
                    rect.right() - first + width + 3
                } else {
                    last + 1 - rect.x + width + 4
                };
                crowded.push((k, room as i64));
                PlacedText { kind: LineKind::Title, text, width, x: rect.x + 2, y: rect.y }
            });
            Some(PlacedGroup { id: group.id.clone(), rect, title })
        })
        .collect();
    let mut width = 0;
    let mut height = 0;
    let mut grow = |r: &Rect| {
        width = width.max(r.right());
        height = height.max(r.bottom());
    };
    let boxes: Vec<PlacedBox> = boxes;
    let services: Vec<PlacedService> = services;
    boxes.iter().for_each(|b| grow(&b.rect));
    services.iter().for_each(|s| grow(&s.rect));
    labels.iter().for_each(|l| grow(&l.rect));
    groups.iter().for_each(|g| grow(&g.rect));
    for r in &routes {
        for p in &r.points {
            grow(&Rect::new(p.x, p.y, 1, 1));
        }
    }
    let layout = Layout {
        title: diagram.title.clone(),
        direction,
        width,
        height,
        boxes,
        services,
        groups,
        routes,
        labels,
    };
    (layout, crowded)
}

/// Maps abstract coordinates onto the grid for one direction.
struct Orientation {
    direction: Direction,
    main_extent: i64,
    min_main: i64,
    min_cross: i64,
}

impl Orientation {
    fn norm(&self, m: i64, c: i64) -> (usize, usize) {
        ((m - self.min_main) as usize, (c - self.min_cross) as usize)
    }

    fn point(&self, p: Pt) -> Point {
        let (m, c) = self.norm(p.m, p.c);
        let flip = |m: usize| self.main_extent as usize - 1 - m;
        match self.direction {
            Direction::Right => Point::new(m, c),
            Direction::Left => Point::new(flip(m), c),
            Direction::Down => Point::new(c, m),
            Direction::Up => Point::new(c, flip(m)),
        }
    }

    fn rect(&self, r: AbsRect) -> Rect {
        let (m, c) = self.norm(r.main0, r.cross0);
        let (ml, cl) = (r.main_len as usize, r.cross_len as usize);
        let flip = self.main_extent as usize - m - ml;
        match self.direction {
            Direction::Right => Rect::new(m, c, ml, cl),
            Direction::Left => Rect::new(flip, c, ml, cl),
            Direction::Down => Rect::new(c, m, cl, ml),
            Direction::Up => Rect::new(c, flip, cl, ml),
        }
    }

    fn side(&self, d: Dir) -> Side {
        let main = match self.direction {
            Direction::Right => Side::Right,
            Direction::Left => Side::Left,
            Direction::Down => Side::Down,
            Direction::Up => Side::Up,
        };
        let cross_plus = if self.direction.is_vertical() { Side::Right } else { Side::Down };
        match d {
            Dir::MainPlus => main,
            Dir::MainMinus => main.opposite(),
            Dir::CrossMinus => cross_plus.opposite(),
        }
    }
}

/// A box's text, placed inside its border with one cell of padding.
fn box_lines(rect: Rect, content: &content::Content) -> Vec<PlacedText> {
    let inner = rect.width.saturating_sub(4);
    let left = rect.x + 2;
    content
        .lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.as_ref()?;
            let x = match line.kind {
                LineKind::Title | LineKind::Text => left + (inner - line.line.width) / 2,
                LineKind::Bullet | LineKind::Continuation => left + line.indent,
            };
            Some(PlacedText {
                kind: line.kind,
                text: line.line.text.clone(),
                width: line.line.width,
                x,
                y: rect.y + 1 + i,
            })
        })
        .collect()
}

/// A service's text: lines centred under a rightward flow, flush left (against the arrow)
/// beside a downward one.
fn block_lines(rect: Rect, content: &content::Content, vertical: bool) -> Vec<PlacedText> {
    content
        .lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.as_ref()?;
            Some(PlacedText {
                kind: line.kind,
                text: line.line.text.clone(),
                width: line.line.width,
                x: if vertical { rect.x } else { rect.x + (rect.width - line.line.width) / 2 },
                y: rect.y + i,
            })
        })
        .collect()
}

/// A frame title on one line, as its border shows it.
fn frame_title_text(title: &TextBlock) -> String {
    title.lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join(" ")
}

/// A frame's title in its top border, where no arrow crosses it or its padding. If the
/// arrows leave it no room: the first and last columns they cross the border at.
fn frame_title(
    rect: Rect,
    title: &TextBlock,
    routes: &[Route],
) -> Result<PlacedText, (usize, usize)> {
    let text = frame_title_text(title);
    let width = crate::model::text::width(&text);
    let y = rect.y;
    // Each segment once, its columns on the border row marked as a difference array: a scan of
    // every segment for every column took seconds for a frame crossed by thousands of arrows.
    let mut starts = vec![0i64; rect.width + 1];
    for w in routes.iter().flat_map(|r| r.points.windows(2)) {
        let (a, b) = (w[0], w[1]);
        let (x0, x1) = (a.x.min(b.x).max(rect.x), a.x.max(b.x).min(rect.right().saturating_sub(1)));
        if a.y.min(b.y) <= y && y <= a.y.max(b.y) && x0 <= x1 {
            starts[x0 - rect.x] += 1;
            starts[x1 + 1 - rect.x] -= 1;
        }
    }
    let crossed: Vec<bool> = starts[..rect.width]
        .iter()
        .scan(0i64, |depth, &d| {
            *depth += d;
            Some(*depth > 0)
        })
        .collect();
    let free = |x: usize| !crossed[x - rect.x];
    let fits = |x: usize| x + width + 1 < rect.right() && (x - 1..x + width + 1).all(free);
    match (rect.x + 2..rect.right().saturating_sub(width + 1)).find(|&x| fits(x)) {
        Some(x) => Ok(PlacedText { kind: LineKind::Title, text, width, x, y }),
        None => {
            let first = crossed.iter().position(|&c| c).unwrap_or(0);
            let last = crossed.iter().rposition(|&c| c).unwrap_or(0);
            Err((rect.x + first, rect.x + last))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lay(yaml: &str) -> Layout {
        let spec = crate::parse(yaml).expect("a valid spec");
        layout(&Diagram::from_spec(&spec).expect("a valid diagram"), &LayoutOptions::default())
    }

    fn heights(l: &Layout) -> Vec<usize> {
        l.boxes.iter().map(|b| b.rect.height).collect()
    }

    #[test]
    fn a_straight_chain_is_drawn_equally_tall() {
        let chain = "boxes:\n  - {id: a, title: A, items: [p]}\n  - {id: b, title: B, items: [x, y, z]}\n  \
                     - {id: c, title: C}\narrows: [a -> b -> c]\n";
        // C, less than half as tall as B, keeps its size.
        assert_eq!(heights(&lay(chain)), [7, 7, 3]);
        // Drawn down, pins are centred on the sides: boxes keep their own size.
        assert_eq!(heights(&lay(&format!("direction: down\n{chain}"))), [5, 7, 3]);
        // A fan-out is no straight row: the boxes keep their height.
        let fan = "boxes:\n  - {id: a, title: A, items: [p]}\n  - {id: b, title: B, items: [x, y, z]}\n  \
                   - {id: c, title: C}\narrows: [a -> b, a -> c]\n";
        assert_eq!(heights(&lay(fan)), [5, 7, 3]);
    }
}
