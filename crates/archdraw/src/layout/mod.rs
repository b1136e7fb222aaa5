//! Layout: a [`Diagram`] in, boxes, routes and labels on an integer cell grid out.
//!
//! # Implementation notes
//!
//! A layered (Sugiyama) layout, worked out along two abstract axes: *main*, the way the
//! arrows flow, and *cross*, across it. Only the last phase maps them onto columns and rows for
//! one of the four directions, so every phase is written once. `lay_out` is the table of
//! contents: the phases in the order they run, each a module with its own small result type,
//! and around them the two features that touch several phases, each in one module that lists
//! what it adds and where (ELK layered's phases and intermediate processors, without its
//! configurator):
//!
//! 0. `content`: box, service and label text, wrapped; sizes follow.
//! 1. `rank`: cycles broken, ranks assigned, dummy nodes on arrows that skip ranks.
//! 2. `order`: order within ranks, crossings reduced.
//! 3. `nets`: hops grouped into nets (shared trunks), pins on node sides.
//! 4. `place`: pin offsets, then cross positions that keep chains straight, then the same
//!    positions compacted by network simplex with each frame's borders as variables.
//! 5. `route`: channel widths, tracks, polylines and label rectangles.
//! 6. `services`: the control-plane row and its arrows.
//! 7. `orient`: abstract coordinates to cells (the mapping is `axis::Orientation`), text placed
//!    inside boxes, the canvas sized.
//!
//! - `frames`: group frames, from membership before phase 0 (an arrow inside a group takes its
//!   dummies in after phase 1) to titles after phase 7, and the
//!   loop that makes the layout again when a title finds no room (`frames::fit_titles`).
//! - `services`: besides phase 6, ports, lanes and turns in phases 0, 2, 4 and 5.
//!
//! With a width limit, [`layout`] repeats all of it with narrower text, then with the flow
//! turned `down`, until the drawing fits.
//!
//! ## Vocabulary
//!
//! Coordinates are *main* and *cross* everywhere (`Pt { m, c }`, `AbsRect { main0, cross0,
//! .. }`, `Geometry::top` is a cross cell). Where a comment or a name pictures the drawing, it
//! pictures the flow running right: a *column* is a main-axis cell and a *row* a cross-axis one,
//! *left* is towards the lower main cell (a channel's left pins belong to the rank before it),
//! *top* towards the lower cross cell, and a *vertical* line runs across the flow. `axis.vertical`
//! is the one switch for the two directions whose main axis runs down the page.
//!
//! ## Rules the drawing keeps
//!
//! [`verify`] checks the first table on every layout in debug builds, in the property tests
//! and in the fuzz target; the read-back tests check the second on the drawings. Each fixture
//! `tests/fixtures/layout-fixed/NN-*.yaml` is a layout that once broke the rule (its `# Fixed:`
//! line says how it was mended).
//!
//! | Rule ([`Rule`]) | Kept by | Fixtures |
//! |---|---|---|
//! | `Counts`: a placed item for each, routes in order | `orient::finish`, `route::arrows`, `services::place` | |
//! | `InsideCanvas` | `axis::Orientation::canvas` | |
//! | `NoOverlap` of boxes, services, labels | `place::separation` (gaps, label footprints), `place::compact` (keeps them), `route::lay_channels` (label zones), the service band past the far side | |
//! | `FrameHoldsItsGroup` | `order::order` (a group's members one block and one part), `order::align_groups`, `place::separation`, `Frames::clear`, `place::compact` (members inside, the rest on their side) | 05, 12, 18, 19, 20 |
//! | `TitleInBorder` | `Frames::of` (least length), `frames::titled` | 01, 14 |
//! | `TextInside` | `content::measure`, `Demand::make_room_for_ports`, `orient::finish` | 03 |
//! | `Orthogonal` | `route::hop_polylines`, `axis::simplify` | |
//! | `EndsAtItsBoxes` | `route::pin_main`, `services::targets`, `services::anchors` | 03, 16, 23 |
//! | `ThroughFreeCells` | `route::lay_channels`, `route::place_labels` | |
//! | `TitleClearOfLines` | `frames::fit_titles` (the layout made again, frames longer) | 15 |
//! | `CrossAtRightAngles` | `route::Channel` (constraint graph, doglegs), `Channel::ties`, `pack::Tracks` (a free cell between spans), `Band::step_aside`, `Band::trunk_tracks` | 13, 21, 22, 24, 25, 28 |
//! | `HeadClearOfCrossings`: a head fed by a cell of its own line | `route::lay_channels` (a right zone's blank before a head; a cell before the first lane or track crossing a front-face head's line), `Band` (no crossing at a route's two end cells) | 09 |
//! | `CrossFramesStraight` | `route::lay_channels` (channels and lanes start past frame borders), `Channel::dogleg_row` | 04, 07, 08, 11, 26 |
//! | `LabelsByTheirLines` | `nets::build` (the pin that carries a label), `route::place_labels` | |
//!
//! | Rule, as drawn | Kept by | Fixtures |
//! |---|---|---|
//! | no `─││─`: a line crossing side-by-side vertical lines stays visible | `Channel::keep_side_by_side_apart`, `Channel::dogleg_row`, `Band::trunk_tracks`; the text renderer draws the rest passing over | 10, 25, 27 |
//! | no `+\|+` in ASCII: corners never flank another net's line | `Channel::pack` (no shared track across a crossed row), `Band::step_aside` | 17, 22 |
//! | a crossing of one net's routes is drawn as a crossing, not a junction | the text renderer | 13, 21 |
//! | text outside boxes never reads as a line | words drawn as written, in ASCII too (folding only on request); a service's arrow meets its text only at a glyph that reads as no line (`text::reads_as_a_line`, `services::anchors`) | 02, 06, 32 |
// No phase grows back into one long function (the threshold is in clippy.toml).
#![warn(clippy::too_many_lines)]

mod acyclic;
mod axis;
mod band;
pub(crate) mod budget;
mod bus;
mod compose;
mod content;
mod cuts;
mod disjoint;
mod fit;
mod frames;
mod nets;
mod order;
mod orient;
mod pack;
pub(crate) mod page;
mod place;
mod rank;
mod route;
pub(crate) mod row_columns;
mod services;
mod simplex;
mod types;
mod verify;

pub use types::{
    Endpoint, Layout, LineKind, PlacedBox, PlacedGroup, PlacedLabel, PlacedService, PlacedText,
    Route,
};
pub use verify::{Rule, Violation, verify};

use axis::{Axis, Drawing};
use content::Wrap;
use frames::{CrowdedTitle, TitleFit};

use crate::model::{Diagram, Direction};
use crate::style::{AsciiText, Charset};
pub use budget::{LayoutSize, check_text, try_layout};

/// Options for [`layout`].
///
/// ```
/// use archdraw::layout::{LayoutOptions, layout};
/// use archdraw::render::text::{Charset, render};
/// use archdraw::{Diagram, Format, Options};
///
/// // Laid out for ASCII, stage by stage, the drawing is the one `render()` makes.
/// let yaml = "boxes: [{id: a, title: Café → Zürich}, {id: b, title: B}]\n\
///             arrows: [a -> b: x -> y]\n";
/// let diagram = Diagram::from_spec(&archdraw::parse(yaml)?)?;
/// let options = LayoutOptions { charset: Some(Charset::Ascii), ..LayoutOptions::default() };
/// let ascii = render(&layout(&diagram, &options), Charset::Ascii);
/// // Only the drawing is 7-bit; the words are the user's, an arrow in a label too.
/// assert!(ascii.contains("Café → Zürich") && ascii.contains("x -> y") && ascii.contains("+-"));
/// let whole = archdraw::render(yaml, &Options { format: Format::Ascii, ..Options::default() })?;
/// assert_eq!(ascii, whole);
/// # Ok::<(), archdraw::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LayoutOptions {
    /// Overrides the diagram's `max_width`.
    pub max_width: Option<usize>,
    /// The charset the text renderer will draw the layout in, or `None` (the default) for SVG,
    /// PNG and JSON. The words are drawn as written in every charset; where a line meets text,
    /// the layout keeps it from reading as the line going on (a service titled `|`).
    pub charset: Option<Charset>,
    /// With the ASCII charset: the user's text kept as written (the default) or folded to
    /// 7-bit ASCII ([`Diagram::to_ascii_folded`]).
    pub ascii_text: AsciiText,
    /// The page shape to fit the drawing to; overrides the diagram's `fit` (none if neither
    /// says). See [`Fit`](crate::geom::Fit).
    pub fit: Option<crate::geom::Fit>,
}

/// Box text wraps at this many cells unless a width limit asks for less.
pub const DEFAULT_WRAP: usize = 24;

/// Lays `diagram` out on the cell grid. Never fails.
///
/// With `options.charset`, the diagram's text is first folded for that charset (see
/// [`LayoutOptions::charset`]). With a width limit (`options.max_width`, else the diagram's
/// `max_width`), box text and labels are wrapped narrower, then the flow is turned `down`,
/// until the drawing fits; if nothing fits, the narrowest drawing found is returned (its
/// `width` tells by how much it misses).
///
/// In debug builds the layout is checked against every rule of the drawing ([`verify`]) and
/// a layout that breaks one panics, so tests and the fuzzer find it.
///
/// Time and memory grow with the boxes plus the ranks each arrow passes over, which a small
/// spec can make enormous, and `layout` does not check [`Limits`](crate::Limits); for diagrams
/// from input you do not control, use [`try_layout`]. A diagram of thousands of boxes tries
/// fewer widths: each try is a whole layout.
pub fn layout(diagram: &Diagram, options: &LayoutOptions) -> Layout {
    let folded = (options.charset == Some(Charset::Ascii) && options.ascii_text == AsciiText::Fold)
        .then(|| diagram.to_ascii_folded());
    let diagram = folded.as_ref().unwrap_or(diagram);
    let limit = options.max_width.or(diagram.max_width);
    let page = options.fit.or(diagram.fit).unwrap_or(crate::geom::Fit::None);
    let (layout, titles) = fit::fit_width(diagram, limit, page);
    // Debug builds (tests, the fuzzer) check every layout against the rules it promises,
    // unless its lines are too long to index in memory: the verifier holds a few words per
    // line cell, and a hostile diagram (a complete graph) can have hundreds of millions.
    if cfg!(debug_assertions)
        && line_cells(&layout) <= VERIFY_LINE_CELLS
        && let Err(broken) = verify(&layout, diagram)
    {
        panic!("the layout breaks a rule of the drawing (frame titles: {titles:?}): {broken}");
    }
    layout
}

/// The most line cells a debug build's [`verify`] indexes (about 100 MiB of index).
const VERIFY_LINE_CELLS: usize = 4_000_000;

/// The cells a layout's routes cover, counting shared cells once per route.
fn line_cells(layout: &Layout) -> usize {
    let segment = |w: &[crate::geom::Point]| w[0].x.abs_diff(w[1].x) + w[0].y.abs_diff(w[1].y);
    layout.routes.iter().map(|r| r.points.windows(2).map(segment).sum::<usize>() + 1).sum()
}

/// The layout for one direction and wrap width, made again with longer frames while a frame
/// title finds no room past the arrows crossing its border.
fn layout_once(diagram: &Diagram, direction: Direction, wrap: Wrap) -> (Layout, TitleFit) {
    layout_spread(diagram, direction, wrap, place::Spread::Straightest)
}

/// [`layout_once`], its placement compacted to minimise what `spread` says.
fn layout_spread(
    diagram: &Diagram,
    direction: Direction,
    wrap: Wrap,
    spread: place::Spread,
) -> (Layout, TitleFit) {
    frames::fit_titles(diagram.groups.len(), |title_room, compact| {
        let compaction = compact.then_some(spread);
        lay_out(diagram, direction, wrap, title_room, compaction)
    })
}

/// One layout: the phases in order. Each group's frame is at least `title_room[k]` long along
/// its top border; the placement is compacted when `compaction` says how (see
/// [`frames::fit_titles`]). Also returns the frame titles that found no room there.
fn lay_out(
    diagram: &Diagram,
    direction: Direction,
    wrap: Wrap,
    title_room: &[i64],
    compaction: Option<place::Spread>,
) -> (Layout, Vec<CrowdedTitle>) {
    let axis = Axis::of(direction);
    // Before phase 0: what the two features that touch several phases ask of them.
    let demand = services::Demand::of(diagram);
    let mut group_frames = frames::Frames::of(diagram, axis, title_room);

    // 0. Content: text wrapped and measured; served boxes wide enough for their ports.
    let mut contents = content::measure(diagram, wrap, axis);
    demand.make_room_for_ports(&mut contents.box_sizes, axis);

    // 1. Ranks: cycles broken, ranks assigned, dummy nodes on arrows that skip ranks; an
    //    arrow's dummies join the group holding both its ends.
    let g = rank::rank(diagram.nodes.len(), &rank::arrows(diagram), group_frames.group_of());
    group_frames.take_in_dummies(&g);

    // 2. Order: crossings reduced, served boxes last in their rank, groups kept together;
    //    then the lanes service arrows climb past the nodes that stand in their way.
    let ord = order::order(&g, &demand.served(g.len()), group_frames.group_of());
    let near = demand.near_side(&g, &ord, &contents, axis);
    let lanes = demand.lanes(&g, &ord, &near);

    // 3. Nets: hops grouped into shared trunks, pins on node sides.
    let label_len: Vec<i64> =
        contents.label_sizes.iter().map(|l| l.map_or(0, |size| axis.label_main(size))).collect();
    let mut nets = nets::build(&g, &label_len, &ord.pos, axis.vertical);

    // 4. Placement: pin offsets, then cross positions that keep chains straight; frames clear;
    //    then everything as compact as those decisions allow, frames tight; with or without
    //    main lines, whichever is narrower.
    let (sizes, labels) = (&contents.box_sizes, &contents.label_sizes);
    let mut geometry = place::ports(&g, &mut nets, sizes, labels, &lanes.turns, axis);
    place::clear_after(&mut geometry, &lanes.clear_after);
    group_frames.mark_members(&mut geometry);
    let placed = |main_lines: bool| {
        let mut geometry = geometry.clone();
        place::place(&g, &nets, &ord.layers, &mut geometry, axis, main_lines);
        place::even_rows(&g, &nets, &ord.layers, &mut geometry, axis);
        group_frames.clear(&g, &ord, &mut geometry, axis);
        if let Some(spread) = compaction {
            let frames = group_frames.boxes(&g);
            let aim = place::Aim { main_lines, spread };
            place::compact(&g, &nets, &ord.layers, &frames, &mut geometry, axis, aim);
        }
        geometry
    };
    let mut geometry = place::with_or_without_main_lines(g.real, placed);
    place::line_up_pins(&g, &mut nets, &ord.layers, &mut geometry, axis);

    // 5. Routing: channels, tracks, polylines and labels; the frames around their boxes.
    let spans = group_frames.spans(&g, &geometry);
    let routed = route::route(&g, &nets, &geometry, labels, &lanes.per_channel, &spans, axis);
    let boxes = routed.box_rects(&g, &geometry);
    let mut drawing = Drawing {
        frames: group_frames.rects(&boxes, &geometry),
        boxes,
        labels: routed.labels,
        routes: routed.routes,
        services: Vec::new(),
    };

    // 6. Services: the control-plane row past the far side (and one on the near side), and
    //    their arrows.
    services::place(diagram, &lanes, &contents, &g, &routed.columns, direction, &mut drawing);

    // 7. Orientation: onto the cell grid, each frame's title in its top border.
    let grid = axis::Orientation::new(direction, drawing.extent(), routed.columns.end);
    let routes = grid.routes(std::mem::take(&mut drawing.routes));
    let (groups, crowded) = frames::titled(diagram, &grid, &drawing.frames, &routes);
    (orient::finish(diagram, &contents, &drawing, &grid, routes, groups), crowded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lay(yaml: &str) -> Layout {
        let spec = crate::parse(yaml).expect("a valid spec");
        layout(&Diagram::from_spec(&spec).expect("a valid diagram"), &LayoutOptions::default())
    }

    /// Cells where a horizontal run of one net passes through a vertical run of another.
    fn crossings(routes: &[Route]) -> usize {
        types::crossing_cells(routes, routes).len()
    }

    #[test]
    fn tracks_keep_the_order_that_does_not_cross() {
        // The tokenizer sits below the frame: `PAN` goes down from the API's upper pin and
        // `token` comes back up into its lower one. With PAN's track left of token's, both
        // cross each other twice; the other way round, not at all (`route::Channel::ties`).
        let drawn = lay("boxes: [{id: api, title: API}, {id: tok, title: Tokenizer}, \
                         {id: vault, title: Vault}]\n\
                         arrows: [api -> tok: PAN, tok -> vault, tok -> api: token]\n\
                         groups: [{title: Scope, boxes: [api, vault]}]\n");
        assert_eq!(crossings(&drawn.routes), 0, "{drawn:?}");
    }

    #[test]
    fn a_service_of_a_box_first_in_its_rank_comes_from_the_near_side() {
        // Billing comes before Reports in their rank. From the far row, Flags' arrow would
        // climb past Reports and cross its line to Store; from a row on the near side it drops
        // straight into Billing (`services::Demand::near_side`).
        let drawn = lay("boxes: [{id: web, title: Web}, {id: billing, title: Billing}, \
                         {id: reports, title: Reports}, {id: store, title: Store}]\n\
                         arrows: [web -> billing, web -> reports, reports -> store, \
                         billing -> store]\n\
                         services: [{title: Flags, serves: [billing]}, \
                         {title: Config, serves: [reports]}]\n");
        assert_eq!(crossings(&drawn.routes), 0, "{drawn:?}");
        let top = drawn.boxes.iter().map(|b| b.rect.y).min();
        assert!(Some(drawn.services[0].rect.y) < top, "{drawn:?}");
        assert!(drawn.services[1].rect.y > drawn.boxes[2].rect.y, "{drawn:?}");
    }

    #[test]
    fn a_label_beside_a_line_does_not_push_the_next_box_of_its_rank_away() {
        // Drawn up, `threshold breached` stands beside the line into Alerting, in the channel
        // below it; Fleet dashboards' line leaves from the middle of its box, far past the
        // label's end, so Alerting can sit right over the rules engine's middle and the line
        // runs straight (it jogged when the label counted as part of Alerting's width).
        let drawn = lay("direction: up\n\
                         boxes: [{id: b, title: Kafka bridge}, \
                         {id: r, title: Real-time rules engine}, {id: a, title: Alerting}, \
                         {id: t, title: Time-series DB}, {id: d, title: Fleet dashboards}]\n\
                         arrows: [b -> r, b -> t, r -> a: threshold breached, t -> d]\n");
        for route in &drawn.routes {
            if route.edge == Some(2) || route.edge == Some(3) {
                assert_eq!(route.points.len(), 2, "{route:?}");
            }
        }
        // The label still keeps clear of the dashboards' line: it ends left of it.
        let label = &drawn.labels[0].rect;
        let line = drawn.routes.iter().find(|r| r.edge == Some(3)).expect("t -> d");
        assert!(label.x + label.width < line.points[0].x, "{label:?} {line:?}");
    }

    #[test]
    fn a_labelled_straight_line_takes_one_blank_each_side_of_its_label() {
        // No track runs in the channel, so nothing sits between the label's zone and the
        // arrowhead's: down, the line's rows are a blank, the label, one line cell and the head
        // (five rows when each zone kept its own blank); across, `─ label ─▶`.
        let down = lay("direction: down\nboxes: [{id: a, title: A}, {id: b, title: B}]\n\
                        arrows: [a -> b: telemetry]\n");
        let (a, b) = (down.boxes[0].rect, down.boxes[1].rect);
        assert_eq!(b.y - (a.y + a.height), 4, "{down:?}");
        assert_eq!(down.labels[0].rect.y, a.y + a.height + 1, "{down:?}");
        let across = lay("boxes: [{id: a, title: A}, {id: b, title: B}]\n\
                          arrows: [a -> b: telemetry]\n");
        let (a, b) = (across.boxes[0].rect, across.boxes[1].rect);
        assert_eq!(b.x - (a.x + a.width), "─ telemetry ─▶".chars().count(), "{across:?}");
    }

    #[test]
    fn a_reversed_arrows_head_keeps_its_line_before_a_label() {
        // The head of `b -> a` is on A's right side, where the channel starts: the label
        // beside it must leave one cell of the head's line (`◀─ back ─`), so this channel
        // keeps both blanks although no track runs in it.
        let drawn = lay("boxes: [{id: a, title: A}, {id: b, title: B}]\n\
                         arrows: [a -> b, {from: b, to: a, label: back}]\n");
        let a = drawn.boxes[0].rect;
        let label = drawn.labels[0].rect;
        let back = drawn.routes.iter().find(|r| r.edge == Some(1)).expect("b -> a");
        let head = back.points.last().expect("a point");
        assert_eq!(head.x, a.x + a.width, "{drawn:?}");
        assert!(label.x >= head.x + 2, "{label:?} {back:?}");
    }

    #[test]
    fn a_line_through_a_frames_border_keeps_one_cell_each_side_of_it() {
        // Down into the frame: a cell of line, the border, the head in the frame's margin. Out
        // of it: the border right under B, a cell of line (the channel's first, the blank it
        // needs), the head. A channel next to a frame's border used to keep a blank of its
        // own besides, and every channel down at least three rows, where a straight line
        // needs two.
        let drawn = lay("direction: down\n\
                         boxes: [{id: a, title: A}, {id: b, title: B}, {id: c, title: C}]\n\
                         arrows: [a -> b -> c]\ngroups: [{title: G, boxes: [b]}]\n");
        let (a, b, c) = (drawn.boxes[0].rect, drawn.boxes[1].rect, drawn.boxes[2].rect);
        let frame = drawn.groups[0].rect;
        assert_eq!(frame.y - a.bottom(), 1, "{drawn:?}");
        assert_eq!(b.y - frame.y, 2, "{drawn:?}");
        // Past the last rank the border follows the box, as across a flow.
        assert_eq!(frame.bottom() - b.bottom(), 1, "{drawn:?}");
        assert_eq!(c.y - frame.bottom(), 2, "{drawn:?}");
    }

    #[test]
    fn a_frame_keeps_its_blank_under_a_head_on_a_last_rank_box() {
        // `b -> a` is drawn against the flow: its head stands on A's bottom side, so A's frame
        // keeps the blank under it there (a frame whose last boxes have no head below them
        // ends right under them).
        let drawn = lay("direction: down\n\
                         boxes: [{id: a, title: A}, {id: b, title: B}]\n\
                         arrows: [a -> b, {from: b, to: a, label: back}]\n\
                         groups: [{title: G, boxes: [a]}]\n");
        let (a, frame) = (drawn.boxes[0].rect, drawn.groups[0].rect);
        assert_eq!(frame.bottom() - a.bottom(), 2, "{drawn:?}");
    }

    #[test]
    fn a_frame_does_not_reach_across_for_a_label_past_its_border() {
        // `nightly snapshot to object storage` stands beside the line leaving DB, in the channel
        // below the frame's bottom border: the frame holds App and DB, and is as narrow as
        // they are, not as wide as the label.
        let drawn = lay("direction: down\n\
                         boxes: [{id: a, title: App}, {id: d, title: DB}, {id: b, title: Backups}]\n\
                         arrows: [a -> d, d -> b: nightly snapshot to object storage]\n\
                         groups: [{title: Region, boxes: [a, d]}]\n");
        let frame = drawn.groups[0].rect;
        let label = drawn.labels[0].rect;
        assert!(label.y >= frame.bottom(), "{frame:?} {label:?}");
        let members_end = drawn.boxes[..2].iter().map(|b| b.rect.right()).max();
        assert!(Some(frame.right()) < Some(label.right()), "{frame:?} {label:?}");
        assert!(members_end.is_some_and(|end| frame.right() <= end + 3), "{drawn:?}");
    }

    #[test]
    fn a_label_past_a_frames_border_keeps_clear_of_the_next_frame() {
        // West's last box sends a long label into the channel below West, which East's frame
        // crosses: West stays narrow, and East's border keeps past the label's end.
        let drawn = lay("direction: down\n\
                         boxes: [{id: w1, title: W1}, {id: w2, title: W2}, {id: e1, title: E1}, \
                         {id: e2, title: E2}, {id: e3, title: E3}, {id: e4, title: E4}]\n\
                         arrows: [w1 -> w2, w2 -> e3: a long label into east, \
                         e1 -> e2 -> e3 -> e4]\n\
                         groups: [{title: West, boxes: [w1, w2]}, \
                         {title: East, boxes: [e1, e2, e3, e4]}]\n");
        let label = drawn.labels[0].rect;
        let (west, east) = (drawn.groups[0].rect, drawn.groups[1].rect);
        assert!(label.y >= west.bottom(), "{west:?} {label:?}");
        assert!(label.y > east.y && label.bottom() < east.bottom(), "{east:?} {label:?}");
        assert!(west.right() < label.right(), "{west:?} {label:?}");
        assert!(east.x > west.x && label.right() < east.x, "{label:?} {east:?}");
    }

    #[test]
    fn beside_a_flow_down_a_service_stands_on_its_own_trunk_s_near_side_when_that_is_smaller() {
        // Past its trunk the block would widen the drawing by its text; above the trunk's
        // first branch there is room for it, and its arrow leaves the end of a line.
        let l = lay("direction: down\n\
                     boxes: [{title: Source check, text: dbt source freshness}, {title: Build}, \
                             {title: Test}]\n\
                     arrows: [source-check -> build -> test]\n\
                     services: [{title: Airflow, text: schedule and retries, \
                                 serves: [source-check, test]}]\n");
        let service = &l.services[0];
        let tail = l.routes.iter().find(|r| r.from == Endpoint::Service(0)).expect("an arrow");
        let (first, second) = (tail.points[0], tail.points[1]);
        assert_eq!(first.x, service.rect.right(), "{l:?}");
        assert!(second.x > first.x, "the arrow turns down its trunk past the block: {l:?}");
        for line in &service.lines {
            assert_eq!(line.x + line.width, service.rect.right(), "flush against the arrow");
        }
        assert!(service.rect.bottom() <= l.boxes[0].rect.y, "above the first box: {l:?}");
        assert_eq!(l.width, second.x + 1, "nothing stands past the trunk: {l:?}");
    }

    #[test]
    fn a_service_stands_beside_its_boxes_not_past_a_wider_rank_elsewhere() {
        // The rank of four consumers at the bottom is the widest part of the flow; the
        // scheduler serves only the source at the top, so it belongs beside the source.
        let yaml = "direction: down
boxes:
  - {id: src, title: Source}
  - {id: hub, title: Hub}
  - {id: a, title: Consumer A}
  - {id: b, title: Consumer B}
  - {id: c, title: Consumer C}
  - {id: d, title: Consumer D}
arrows: [src -> hub, hub -> a, hub -> b, hub -> c, hub -> d]
services:
  - {title: Scheduler, serves: [src]}
";
        let d = Diagram::from_spec(&crate::parse(yaml).expect("a spec")).expect("a diagram");
        let l = layout(&d, &LayoutOptions::default());
        let right = |r: &crate::geom::Rect| r.x + r.width;
        let src = l.boxes[0].rect;
        let consumers = l.boxes[2..].iter().map(|b| right(&b.rect)).max().expect("consumers");
        let service = l.services[0].rect;
        assert!(service.x < consumers, "the service at column {} is past the consumers", service.x);
        assert!(service.x > right(&src), "the service overlaps its box");
        assert!(service.y < l.boxes[1].rect.y, "the service is not beside the source");
        assert_eq!(verify(&l, &d), Ok(()));
    }

    #[test]
    fn pins_take_the_centring_their_far_ends_line_up_with() {
        // Drawn down in 80 columns, Bronze (20 wide) and Silver (18) stand flush left in the
        // Lakehouse frame, Silver lined up with Gold under it. Silver's top pin took the first
        // of its two middle cells, one left of Bronze's: `Delta Live Tables` jogged `┌┘`.
        let layout = lay(include_str!("../../../../bench/quality/specs/lakehouse-medallion.yaml"));
        assert_eq!(layout.direction, Direction::Down);
        let bronze_to_silver = layout.routes.iter().find(|r| r.edge == Some(2)).expect("a route");
        assert_eq!(bronze_to_silver.points.len(), 2, "{:?}", bronze_to_silver.points);
    }

    #[test]
    fn a_long_arrows_label_takes_a_channel_that_has_room_for_it() {
        // `replay` runs back from the operator under the whole flow into the orders topic. By
        // its head its label made the channel between the topic and the processor 9 cells
        // longer than its one straight arrow needs; further along, the channel after the
        // processor already holds `failed` and `redeliver`, as long, and takes it for free.
        let layout = lay(include_str!("../../../../specs/retry-dlq.yaml"));
        let box_named = |title: &str| {
            let found = layout.boxes.iter().find(|b| b.lines[0].text == title);
            found.expect("a box").rect
        };
        let (topic, processor) = (box_named("orders topic"), box_named("Order processor"));
        assert_eq!(processor.x - topic.right(), 4, "the topic's arrow alone: `───▶`");
        let replay = layout.labels.iter().find(|l| l.edge == 6).expect("a label").rect;
        assert!(replay.x > processor.right(), "{replay:?} by the head, before {processor:?}");
    }

    #[test]
    fn a_fan_does_not_branch_round_a_line_back_from_its_middle() {
        // `charged` comes back from Payments, the middle branch of Orders' fan: a trunk
        // running on to Bus crosses it, even though a branch ends at Payments too.
        let drawn = lay("direction: down\n\
                         boxes: [{id: o, title: Orders}, {id: i, title: Inventory}, \
                         {id: p, title: Payments}, {id: b, title: Bus}]\n\
                         arrows: [o -> i: reserve, o -> p: charge, o -> b: placed, \
                         p -> o: charged]\n");
        assert_eq!(crossings(&drawn.routes), 0, "{drawn:?}");
    }

    #[test]
    fn a_fan_does_not_branch_round_another_line() {
        // Browser's `login` and `authorize` leave one side towards BFF (above) and IdP
        // (below); `redirect`, back from BFF, lands on that side between them. A shared trunk
        // would cross it (`nets::fans`); two lines drawn apart do not.
        let drawn = lay("direction: left\n\
                         boxes: [{id: browser, title: Browser}, {id: bff, title: BFF}, \
                         {id: idp, title: IdP}, {id: mfa, title: MFA}]\n\
                         arrows: [browser -> bff: login, bff -> browser: redirect, \
                         browser -> idp: authorize, idp -> mfa, idp -> bff: token]\n");
        assert_eq!(crossings(&drawn.routes), 0, "{drawn:?}");
    }

    #[test]
    fn an_arrow_between_two_members_stays_inside_their_frame() {
        // Two regions side by side, each with an arrow skipping two ranks (app -> db). Its
        // dummies belong to the region, as dot keeps an intra-cluster edge in its cluster:
        // without them the arrow left its frame, ran down beside it and came back in (in
        // multi-region, around the other region's frame, crossing 4 of its lines).
        let drawn = lay("direction: down\n\
                         boxes: [{id: dns, title: DNS}, {id: ea, title: EU app}, \
                         {id: eq, title: EU queue}, {id: ew, title: EU workers}, \
                         {id: ed, title: EU db}, {id: ua, title: US app}, \
                         {id: uq, title: US queue}, {id: uw, title: US workers}, \
                         {id: ud, title: US db}]\n\
                         arrows: [dns -> ea, dns -> ua, ea -> eq -> ew -> ed, ea -> ed, \
                         ua -> uq -> uw -> ud, ua -> ud, ed -> ud]\n\
                         groups: [{title: eu, boxes: [ea, eq, ew, ed]}, \
                         {title: us, boxes: [ua, uq, uw, ud]}]\n");
        for (edge, frame) in [(5, 0), (9, 1)] {
            let route = drawn.routes.iter().find(|r| r.edge == Some(edge)).expect("a route");
            let rect = drawn.groups[frame].rect;
            // Every corner inside the border, so every run too.
            let inside = |p: crate::geom::Point| {
                rect.x < p.x
                    && p.x + 1 < rect.x + rect.width
                    && rect.y < p.y
                    && p.y + 1 < rect.y + rect.height
            };
            assert!(route.points.iter().all(|&p| inside(p)), "{route:?} leaves {rect:?}");
        }
        assert_eq!(crossings(&drawn.routes), 0, "{drawn:?}");
    }

    #[test]
    fn free_nodes_are_ordered_again_once_the_frames_are_aligned() {
        // multi-region, reduced: the served EU app tier asks the EU slot to end its rank,
        // the served US app tier the US slot to end the next one; aligning the frames puts
        // EU first in both, and DNS's long arrow to the US load balancer, whose dummy had
        // been ordered for the other order, crossed an EU line. Swept again, it does not.
        let drawn = lay("direction: down\n\
                         boxes: [{id: dns, title: Global DNS, text: latency routing}, \
                         {id: eu-app, title: EU app tier}, \
                         {id: eu-db, title: EU database, text: primary}, \
                         {id: eu-queue, title: EU job queue}, {id: eu-workers, title: EU workers}, \
                         {id: us-lb, title: US load balancer}, {id: us-app, title: US app tier}, \
                         {id: us-db, title: US database, text: primary}, \
                         {id: backups, title: Cross-region backups, text: object storage}]\n\
                         arrows: [dns -> us-lb, eu-app -> eu-queue -> eu-workers, \
                         eu-workers -> eu-db, us-lb -> us-app, us-app -> us-db, \
                         {eu-db -> us-db: async replication}, {eu-db -> backups: nightly}]\n\
                         services: [{title: Global control plane, text: (Terraform + Argo CD), \
                         serves: [eu-app, us-app, eu-workers]}]\n\
                         groups: [{title: eu-west-1, boxes: [eu-app, eu-db, eu-queue, eu-workers]}, \
                         {title: us-east-1, boxes: [us-lb, us-app, us-db]}]\n");
        // The one left: the control plane's line to EU workers past the US app tier's.
        assert_eq!(crossings(&drawn.routes), 1, "{drawn:?}");
    }

    #[test]
    fn a_crowded_frame_title_is_laid_out_again_until_it_fits() {
        // Fixture 15: the arrows in and out of the framed box cross its top border where the
        // title would go.
        let yaml = "direction: down\n\
                    boxes: [{title: B00}, {title: B01}, {title: B04}, {title: B02}]\n\
                    arrows: [b00 -> b01, b01 -> b04, b04 -> b00, b04 -> b02]\n\
                    groups: [{title: G01, boxes: [b04]}]\n";
        let d = Diagram::from_spec(&crate::parse(yaml).expect("a spec")).expect("a diagram");
        let (once, titles) = layout_once(&d, d.direction, Wrap::NATURAL);
        assert_eq!(titles, TitleFit::Fitted { rounds: 1 });
        assert_eq!(verify(&once, &d), Ok(()));
        let (first, crowded) =
            lay_out(&d, d.direction, Wrap::NATURAL, &[0], Some(place::Spread::Straightest));
        assert_eq!(crowded.len(), 1, "the first layout has no room for the title");
        assert!(once.groups[0].rect.width > first.groups[0].rect.width);
    }

    /// The spec's height with its groups and without them.
    fn heights_with_and_without_groups(yaml: &str) -> (usize, usize) {
        let without = yaml.split("groups:").next().expect("a spec");
        (lay(yaml).height, lay(without).height)
    }

    #[test]
    fn a_group_adds_its_border_and_no_rank() {
        // Issue 12: four boxes with one group of two took 20 lines instead of 8.
        let yaml = "boxes: [{id: a, title: Web}, {id: b, title: API}, {id: c, title: Worker}, \
                    {id: d, title: DB}]\narrows: [a -> b, a -> c, b -> d, c -> d]\n\
                    groups: [{title: Backend, boxes: [b, c]}]\n";
        let (with, without) = heights_with_and_without_groups(yaml);
        // A border and a blank line inside it, above and below.
        assert!(with <= without + 4, "{with} lines with the group, {without} without");
    }

    #[test]
    fn seven_boxes_in_three_groups_of_two_take_a_few_lines_more() {
        // Issue 12's acceptance: 65×13 without the groups, 77×70 with them once; the frames
        // of two teams share ranks, so they are stacked: two borders, each with its blank.
        let yaml = "boxes:\n  - {id: web, title: Web shop}\n  - {id: cart, title: Cart}\n  \
                    - {id: catalog, title: Catalog}\n  - {id: search, title: Search}\n  \
                    - {id: payments, title: Payments}\n  - {id: recs, title: Recommendations}\n  \
                    - {id: email, title: Email campaigns}\n\
                    arrows: [web -> catalog, web -> cart, web -> search, cart -> payments, \
                    catalog -> recs, search -> recs, payments -> email: receipts, \
                    recs -> email: picks for you]\n\
                    groups:\n  - {title: Team Checkout, boxes: [cart, payments]}\n  \
                    - {title: Team Discovery, boxes: [catalog, search]}\n  \
                    - {title: Team Growth, boxes: [recs, email]}\n";
        let (with, without) = heights_with_and_without_groups(yaml);
        assert!(with <= without + 8, "{with} lines with the groups, {without} without");
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

    #[test]
    fn a_lattice_listed_box_by_box_does_not_slant() {
        // Eight ranks of four boxes, each box joined to the lanes beside and across from it in
        // the next rank, arrows listed box by box: every box's first arrow (its main line) goes
        // to the child above it. Kept straight, each child lines up with its lowest parent and
        // the ranks step down one after another (56 rows tall, arrows ending about 4.5 rows
        // lower than they start); placed without main lines the drawing is level (30 rows).
        let mut yaml = String::from("direction: right\nboxes:\n");
        for r in 0..8 {
            for i in 0..4 {
                yaml.push_str(&format!("  - {{id: b{r}{i}, title: b{r}{i}}}\n"));
            }
        }
        yaml.push_str("arrows:\n");
        for r in 0..7 {
            for i in 0..4i32 {
                for j in (i - 1).max(0)..=(i + 1).min(3) {
                    yaml.push_str(&format!("  - b{r}{i} -> b{}{j}\n", r + 1));
                }
            }
        }
        let drawn = lay(&yaml);
        let centre = |k: usize| {
            let r = drawn.boxes[k].rect;
            2 * r.y as i64 + r.height as i64
        };
        let offsets: Vec<i64> = (0..7)
            .flat_map(|r| {
                (0..4).flat_map(move |i: usize| {
                    (i.max(1) - 1..=(i + 1).min(3)).map(move |j| (r, i, j))
                })
            })
            .map(|(r, i, j)| centre((r + 1) * 4 + j) - centre(r * 4 + i))
            .collect();
        // Twice the mean offset, in half rows: under two rows either way.
        let mean = offsets.iter().sum::<i64>() / offsets.len() as i64;
        assert!(mean.abs() < 4, "arrows end {mean} half rows lower on average");
        assert!(drawn.height <= 40, "{} x {}", drawn.width, drawn.height);
    }
}
