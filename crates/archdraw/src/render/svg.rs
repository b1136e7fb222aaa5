//! The SVG renderer: a [`Layout`] drawn as one standalone, self-contained SVG document.
//!
//! The drawing follows the cell grid exactly. A cell is [`CELL_WIDTH`] × [`CELL_HEIGHT`] pixels
//! and the canvas has a [`MARGIN`] on every side. Box and frame outlines run through the centres
//! of their border cells, where the text renderer draws `│` and `─`; text sits on its cells in a
//! monospace font whose advance is less than a cell, so nothing measured in cells overflows.
//! Arrows run through cell centres from the tail's outline to the head's outline.
//!
//! # Guarantees
//!
//! - Well-formed XML. User strings reach only text nodes and attribute values, both escaped by
//!   the `svg` crate; characters XML 1.0 cannot hold become U+FFFD. No user string is ever put
//!   into a comment, and the only caller-given text in a style sheet is
//!   [`SvgOptions::id_prefix`], cut down to letters, digits, `-` and `_`.
//! - Self-contained and inert: no scripts, no external references, no `id` attributes
//!   (arrowheads are polygons, not markers).
//! - Deterministic: every coordinate is an integer written by one formatter, attributes come out
//!   sorted, and nothing is iterated out of a hash map, so the same layout and options give the
//!   same bytes.

mod theme;

#[cfg(test)]
mod tests;

use std::borrow::Cow;

use ::svg::Node as _;
use ::svg::node::Text as TextNode;
use ::svg::node::element::Element;

use crate::geom::{Point, Rect, Side};
use crate::layout::{Endpoint, Layout, LineKind, PlacedText, Route};

pub use theme::Theme;
use theme::{Palette, Role};

/// Width of one grid cell in pixels.
pub const CELL_WIDTH: u32 = 10;
/// Height of one grid cell in pixels.
pub const CELL_HEIGHT: u32 = 20;
/// Empty space around the drawing, in pixels, on every side.
pub const MARGIN: u32 = 20;
/// Font size in pixels. Common monospace fonts advance about 0.6 em, 9.6 px: under a cell.
pub const FONT_SIZE: u32 = 16;

// Signed copies for arithmetic: outlines of services and halos reach outside their cells.
const CW: i64 = CELL_WIDTH as i64;
const CH: i64 = CELL_HEIGHT as i64;
const M: i64 = MARGIN as i64;
/// Baseline of a text line below the top of its row: centres 16 px glyphs in a 20 px row.
const BASELINE: i64 = 15;
/// Stroke width of outlines and arrows.
const STROKE: i64 = 2;
const BOX_RADIUS: i64 = 8;
const SERVICE_RADIUS: i64 = 6;
const GROUP_RADIUS: i64 = 10;
const HALO_RADIUS: i64 = 4;
/// How far a service's outline stands off its text: under half a cell, so two services one
/// column apart still show a gap.
const SERVICE_PAD_X: i64 = 4;
const SERVICE_PAD_Y: i64 = 4;
/// Arrowhead length along the arrow and half its width across it.
const HEAD_LENGTH: i64 = 10;
const HEAD_HALF_WIDTH: i64 = 5;
/// How far the arrow's line runs on under its head, so the butt end never shows at the base.
const HEAD_OVERLAP: i64 = 2;
/// Radius of the rounded corners of arrows.
const ROUTE_RADIUS: i64 = 4;
/// Fonts with an advance of at most a cell; the generic `monospace` last as the fallback.
const FONT_FAMILY: &str =
    "ui-monospace, SFMono-Regular, Menlo, Consolas, DejaVu Sans Mono, Liberation Mono, monospace";
const DEFAULT_TITLE: &str = "archdraw diagram";

/// Options for the SVG renderer.
///
/// Build it with struct update syntax so that later options do not break callers:
///
/// ```
/// use archdraw::render::svg::{SvgOptions, Theme};
/// let options = SvgOptions { theme: Theme::Dark, ..SvgOptions::default() };
/// # assert_eq!(options.id_prefix, None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SvgOptions {
    /// The colours; see [`Theme`].
    pub theme: Theme,
    /// The class put on the root `<svg>` to scope this diagram's style rules (and any ids a later
    /// version adds) when several diagrams are inlined into one page.
    ///
    /// `None` derives `ad-` and eight hex digits from a hash of the layout, so the same layout
    /// always gets the same prefix. A given prefix keeps only ASCII letters, digits, `-` and `_`,
    /// and gets `ad-` in front unless it starts with a letter; if nothing is left, the derived
    /// prefix is used.
    pub id_prefix: Option<String>,
}

/// Draws `layout` as a standalone SVG document, ending in a newline.
///
/// # Examples
///
/// ```
/// use archdraw::geom::{Point, Rect, Side};
/// use archdraw::layout::{Endpoint, Layout, LineKind, PlacedBox, PlacedText, Route};
/// use archdraw::model::Direction;
/// use archdraw::render::svg::{SvgOptions, render};
///
/// let title = |text: &str, x, y| PlacedText {
///     kind: LineKind::Title,
///     text: text.to_owned(),
///     width: text.len(),
///     x,
///     y,
/// };
/// // ┌─────┐   ┌─────┐
/// // │ Web │──▶│ API │
/// // └─────┘   └─────┘
/// let layout = Layout {
///     title: Some("Web to API".to_owned()),
///     direction: Direction::Right,
///     width: 17,
///     height: 3,
///     boxes: vec![
///         PlacedBox { id: "web".into(), rect: Rect::new(0, 0, 7, 3), lines: vec![title("Web", 2, 1)] },
///         PlacedBox { id: "api".into(), rect: Rect::new(10, 0, 7, 3), lines: vec![title("API", 12, 1)] },
///     ],
///     services: vec![],
///     groups: vec![],
///     routes: vec![Route {
///         net: 0,
///         edge: Some(0),
///         from: Endpoint::Box(0),
///         to: Endpoint::Box(1),
///         points: vec![Point::new(7, 1), Point::new(9, 1)],
///         head: Side::Right,
///     }],
///     labels: vec![],
/// };
/// let svg = render(&layout, &SvgOptions::default());
/// assert!(svg.starts_with("<svg"));
/// assert!(svg.contains("<title>Web to API</title>"));
/// assert!(svg.contains(">API</text>"));
/// ```
pub fn render(layout: &Layout, options: &SvgOptions) -> String {
    let painter = Painter { palette: options.theme.palette() };
    let scope = scope_class(layout, options.id_prefix.as_deref());
    let width = M.saturating_mul(2).saturating_add(cells(layout.width).saturating_mul(CW));
    let height = M.saturating_mul(2).saturating_add(cells(layout.height).saturating_mul(CH));

    let mut document = ::svg::Document::new()
        .set("viewBox", format!("0 0 {} {}", num(width), num(height)))
        .set("width", num(width))
        .set("height", num(height))
        .set("role", "img")
        .set("class", scope.as_str());
    let title = layout.title.as_deref().filter(|t| !t.trim().is_empty()).unwrap_or(DEFAULT_TITLE);
    document.append(text_node_element("title", title));
    document.append(text_node_element("desc", &describe(layout)));
    if options.theme == Theme::Auto {
        document.append(text_node_element("style", &theme::dark_mode_css(&scope)));
    }
    document.append(
        painter.shape("rect", Role::Background).set("width", num(width)).set("height", num(height)),
    );

    let mut body = Element::new("g")
        .set("font-family", FONT_FAMILY)
        .set("font-size", num(i64::from(FONT_SIZE)));
    // Frames first: they enclose boxes. Arrows after boxes and services so heads sit on top of
    // the outlines they touch; labels last so their halos cover any line beneath them.
    for group in &layout.groups {
        body.append(painter.group(group));
    }
    for placed in &layout.boxes {
        body.append(painter.node(&BOX_STYLE, &placed.id, box_outline(placed.rect), &placed.lines));
    }
    for service in &layout.services {
        let outline = service_outline(service.rect);
        body.append(painter.node(&SERVICE_STYLE, &service.id, outline, &service.lines));
    }
    for route in &layout.routes {
        if let Some(arrow) = painter.arrow(layout, route) {
            body.append(arrow);
        }
    }
    for label in &layout.labels {
        let mut g = Element::new("g").set("class", "ad-label");
        // A halo per line, a cell wider than its text each side but never outside the label's
        // area: a line running on through the label shows up again where the text renderer's
        // does, one space after the text.
        for line in &label.lines {
            let left = col(line.x.saturating_sub(1)).max(col(label.rect.x));
            let right = col(line.x.saturating_add(line.width).saturating_add(1))
                .min(col(label.rect.right()));
            if left < right {
                let (top, bottom) = (row(line.y), row(line.y.saturating_add(1)));
                g.append(painter.halo(PxRect { left, top, right, bottom }));
            }
        }
        painter.lines(&mut g, &label.lines, Role::LabelText);
        body.append(g);
    }
    document.append(body);

    let mut out = document.to_string();
    out.push('\n');
    out
}

/// Builder-style attributes for the `svg` crate's generic [`Element`], which only has the
/// in-place [`Node::assign`](::svg::Node::assign).
trait SetAttribute {
    fn set(self, name: &str, value: impl Into<::svg::node::Value>) -> Self;
}

impl SetAttribute for Element {
    fn set(mut self, name: &str, value: impl Into<::svg::node::Value>) -> Self {
        self.assign(name, value);
        self
    }
}

/// What tells boxes and services apart on the page.
#[derive(Debug)]
struct NodeStyle {
    /// Class of the `<g>` around the outline and the text.
    class: &'static str,
    radius: i64,
    shape: Role,
    text: Role,
    dashes: Option<&'static str>,
}

const BOX_STYLE: NodeStyle = NodeStyle {
    class: "ad-box",
    radius: BOX_RADIUS,
    shape: Role::BoxShape,
    text: Role::BoxText,
    dashes: None,
};

/// Services are the control plane: dashed and muted, so they read as a row apart from the flow.
const SERVICE_STYLE: NodeStyle = NodeStyle {
    class: "ad-service",
    radius: SERVICE_RADIUS,
    shape: Role::ServiceShape,
    text: Role::ServiceText,
    dashes: Some("6 4"),
};

/// A rectangle in pixels, edges inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PxRect {
    left: i64,
    top: i64,
    right: i64,
    bottom: i64,
}

/// Turns painted roles into elements, in one palette.
#[derive(Debug)]
struct Painter {
    palette: &'static Palette,
}

impl Painter {
    /// An element with its role's class and the palette's colours for it.
    fn shape(&self, name: &str, role: Role) -> Element {
        let mut element = Element::new(name).set("class", role.class());
        let (fill, stroke) = role.paint(self.palette);
        if let Some(fill) = fill {
            element.assign("fill", fill);
        }
        if let Some(stroke) = stroke {
            element.assign("stroke", stroke);
        }
        element
    }

    fn rounded_rect(&self, rect: PxRect, radius: i64, role: Role) -> Element {
        self.shape("rect", role)
            .set("x", num(rect.left))
            .set("y", num(rect.top))
            .set("width", num(rect.right.saturating_sub(rect.left)))
            .set("height", num(rect.bottom.saturating_sub(rect.top)))
            .set("rx", num(radius))
    }

    fn halo(&self, rect: PxRect) -> Element {
        self.rounded_rect(rect, HALO_RADIUS, Role::Halo)
    }

    /// A box or a service: its outline, then its lines, in a `<g>` carrying its id.
    fn node(&self, style: &NodeStyle, id: &str, outline: PxRect, lines: &[PlacedText]) -> Element {
        let mut g =
            Element::new("g").set("class", style.class).set("data-id", xml_safe(id).into_owned());
        let mut shape =
            self.rounded_rect(outline, style.radius, style.shape).set("stroke-width", num(STROKE));
        if let Some(dashes) = style.dashes {
            shape.assign("stroke-dasharray", dashes);
        }
        g.append(shape);
        self.lines(&mut g, lines, style.text);
        g
    }

    /// A group's dashed frame with its title on a halo that breaks the top border.
    fn group(&self, group: &crate::layout::PlacedGroup) -> Element {
        let mut g = Element::new("g")
            .set("class", "ad-group")
            .set("data-id", xml_safe(&group.id).into_owned());
        g.append(
            self.rounded_rect(box_outline(group.rect), GROUP_RADIUS, Role::GroupFrame)
                .set("fill", "none")
                .set("stroke-width", num(STROKE))
                .set("stroke-dasharray", "8 5"),
        );
        let title = &group.title;
        if !title.text.is_empty() {
            // Half a cell of air either side of the title, and clear of the rows above and below.
            g.append(self.halo(PxRect {
                left: col(title.x) - CW / 2,
                top: row(title.y) + STROKE,
                right: col(title.x.saturating_add(title.width)) + CW / 2,
                bottom: row(title.y.saturating_add(1)) - STROKE,
            }));
        }
        self.lines(&mut g, std::slice::from_ref(title), Role::GroupText);
        g
    }

    /// Appends a `<text>` per line, placed on its cells by its kind.
    fn lines(&self, parent: &mut Element, lines: &[PlacedText], role: Role) {
        for line in lines {
            let baseline = row(line.y) + BASELINE;
            match line.kind {
                LineKind::Title | LineKind::Text => {
                    // The middle of the line's cell span; CW is even, so this is exact.
                    let centre = col(line.x) + cells(line.width).saturating_mul(CW / 2);
                    let mut text = self.text(centre, baseline, &line.text, role);
                    text.assign("text-anchor", "middle");
                    if line.kind == LineKind::Title {
                        text.assign("font-weight", "bold");
                    }
                    parent.append(text);
                }
                LineKind::Bullet => {
                    // The bullet sits two cells left of the text: bullet, space, text.
                    let bullet_x = col(line.x.saturating_sub(2)) + CW / 2;
                    parent.append(
                        self.text(bullet_x, baseline, "\u{2022}", role)
                            .set("text-anchor", "middle"),
                    );
                    parent.append(self.text(col(line.x), baseline, &line.text, role));
                }
                LineKind::Continuation => {
                    parent.append(self.text(col(line.x), baseline, &line.text, role));
                }
            }
        }
    }

    /// A `<text>` with its content on the same line: the `svg` crate's own `Text` element puts
    /// the content between newlines, which would add spaces under `white-space: pre`.
    fn text(&self, x: i64, y: i64, content: &str, role: Role) -> Element {
        let mut text = self.shape("text", role).set("x", num(x)).set("y", num(y));
        text.append(TextNode::new(xml_safe(content)));
        text
    }

    /// An arrow: its line and its head, or `None` for a route without points.
    fn arrow(&self, layout: &Layout, route: &Route) -> Option<Element> {
        let geometry = arrow_geometry(layout, route)?;
        let mut g = Element::new("g").set("class", "ad-arrow");
        if geometry.line.len() >= 2 {
            g.append(
                self.shape("path", Role::ArrowLine)
                    .set("d", path_data(&geometry.line))
                    .set("fill", "none")
                    .set("stroke-width", num(STROKE))
                    .set("stroke-linejoin", "round"),
            );
        }
        let points: Vec<String> =
            geometry.head.iter().map(|&(x, y)| format!("{},{}", num(x), num(y))).collect();
        g.append(self.shape("polygon", Role::ArrowHead).set("points", points.join(" ")));
        Some(g)
    }
}

/// An arrow in pixels: the polyline of its line, and the head's triangle, tip first.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ArrowGeometry {
    line: Vec<(i64, i64)>,
    head: [(i64, i64); 3],
}

fn arrow_geometry(layout: &Layout, route: &Route) -> Option<ArrowGeometry> {
    let first = *route.points.first()?;
    let last = *route.points.last()?;
    let mut line = Vec::with_capacity(route.points.len() + 2);
    if let Some(start) = endpoint(layout, route.from).and_then(|(r, o)| tail_anchor(r, o, first)) {
        line.push(start);
    }
    line.extend(route.points.iter().map(|&p| centre(p)));

    let direction = unit(route.head);
    let tip = head_tip(endpoint(layout, route.to).map(|(_, o)| o), route.head, centre(last));
    let line_end = step(tip, direction, HEAD_OVERLAP - HEAD_LENGTH);
    // Points beyond the line's end on the final axis would fold the line back on itself; this
    // happens when the head's outline is nearer than a head's length (a service's padding).
    while let Some(&p) = line.last() {
        let on_axis = if direction.0 == 0 { p.0 == line_end.0 } else { p.1 == line_end.1 };
        let beyond = along(p, direction) >= along(line_end, direction);
        if on_axis && beyond {
            line.pop();
        } else {
            break;
        }
    }
    line.push(line_end);
    line.dedup();

    let base = step(tip, direction, -HEAD_LENGTH);
    let across = (-direction.1, direction.0);
    let head = [tip, step(base, across, HEAD_HALF_WIDTH), step(base, across, -HEAD_HALF_WIDTH)];
    Some(ArrowGeometry { line, head })
}

/// The cell rectangle and drawn outline of a route's end, if the index is valid.
fn endpoint(layout: &Layout, end: Endpoint) -> Option<(Rect, PxRect)> {
    match end {
        Endpoint::Box(i) => layout.boxes.get(i).map(|b| (b.rect, box_outline(b.rect))),
        Endpoint::Service(i) => layout.services.get(i).map(|s| (s.rect, service_outline(s.rect))),
    }
}

/// Where a route leaves its tail: the point on the outline facing `first`, the cell next to it.
fn tail_anchor(rect: Rect, outline: PxRect, first: Point) -> Option<(i64, i64)> {
    let (x, y) = centre(first);
    let in_rows = first.y >= rect.y && first.y < rect.bottom();
    let in_columns = first.x >= rect.x && first.x < rect.right();
    if in_rows && first.x >= rect.right() {
        Some((outline.right, y))
    } else if in_rows && first.x < rect.x {
        Some((outline.left, y))
    } else if in_columns && first.y >= rect.bottom() {
        Some((x, outline.bottom))
    } else if in_columns && first.y < rect.y {
        Some((x, outline.top))
    } else {
        None
    }
}

/// Where the arrowhead's tip touches the head's outline, going `head` from the last cell's
/// centre; one cell on when the outline is unknown or not ahead.
fn head_tip(outline: Option<PxRect>, head: Side, last: (i64, i64)) -> (i64, i64) {
    let direction = unit(head);
    let one_cell = step(last, direction, if direction.0 == 0 { CH } else { CW });
    let Some(o) = outline else { return one_cell };
    let tip = match head {
        Side::Right => (o.left, last.1),
        Side::Left => (o.right, last.1),
        Side::Down => (last.0, o.top),
        Side::Up => (last.0, o.bottom),
    };
    if along(tip, direction) > along(last, direction) { tip } else { one_cell }
}

/// SVG path data for an orthogonal polyline, with its corners slightly rounded.
fn path_data(points: &[(i64, i64)]) -> String {
    let mut d = String::new();
    let Some(&(x, y)) = points.first() else { return d };
    d.push_str(&format!("M{} {}", num(x), num(y)));
    for i in 1..points.len() {
        let corner = points[i];
        let Some(&next) = points.get(i + 1) else {
            d.push_str(&format!(" L{} {}", num(corner.0), num(corner.1)));
            break;
        };
        let previous = points[i - 1];
        let (din, len_in) = direction_between(previous, corner);
        let (dout, len_out) = direction_between(corner, next);
        let orthogonal = din.0 * dout.0 + din.1 * dout.1 == 0
            && (din.0 == 0) != (din.1 == 0)
            && (dout.0 == 0) != (dout.1 == 0);
        let radius = ROUTE_RADIUS.min(len_in / 2).min(len_out / 2);
        if orthogonal && radius > 0 {
            let (ax, ay) = step(corner, din, -radius);
            let (bx, by) = step(corner, dout, radius);
            d.push_str(&format!(
                " L{} {} Q{} {} {} {}",
                num(ax),
                num(ay),
                num(corner.0),
                num(corner.1),
                num(bx),
                num(by)
            ));
        } else {
            d.push_str(&format!(" L{} {}", num(corner.0), num(corner.1)));
        }
    }
    d
}

/// The unit step from `a` towards `b` (each axis -1, 0 or 1) and the longer axis distance.
fn direction_between(a: (i64, i64), b: (i64, i64)) -> ((i64, i64), i64) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    ((dx.signum(), dy.signum()), dx.abs().max(dy.abs()))
}

fn unit(side: Side) -> (i64, i64) {
    match side {
        Side::Up => (0, -1),
        Side::Right => (1, 0),
        Side::Down => (0, 1),
        Side::Left => (-1, 0),
    }
}

fn step(p: (i64, i64), direction: (i64, i64), distance: i64) -> (i64, i64) {
    (p.0 + direction.0 * distance, p.1 + direction.1 * distance)
}

/// How far `p` lies along `direction`.
fn along(p: (i64, i64), direction: (i64, i64)) -> i64 {
    p.0 * direction.0 + p.1 * direction.1
}

/// A cell count as a signed number; grids never come near the limit, so saturating is only a
/// guard against panics on hand-built layouts.
fn cells(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The left edge of column `x`.
fn col(x: usize) -> i64 {
    M.saturating_add(cells(x).saturating_mul(CW))
}

/// The top edge of row `y`.
fn row(y: usize) -> i64 {
    M.saturating_add(cells(y).saturating_mul(CH))
}

fn centre(p: Point) -> (i64, i64) {
    (col(p.x) + CW / 2, row(p.y) + CH / 2)
}

/// A bordered rectangle's outline: through the centres of its border cells.
fn box_outline(rect: Rect) -> PxRect {
    let last_column = rect.right().saturating_sub(1).max(rect.x);
    let last_row = rect.bottom().saturating_sub(1).max(rect.y);
    PxRect {
        left: col(rect.x) + CW / 2,
        top: row(rect.y) + CH / 2,
        right: col(last_column) + CW / 2,
        bottom: row(last_row) + CH / 2,
    }
}

/// A service's outline: its text area has no border cells, so the outline stands just outside.
fn service_outline(rect: Rect) -> PxRect {
    PxRect {
        left: col(rect.x) - SERVICE_PAD_X,
        top: row(rect.y) - SERVICE_PAD_Y,
        right: col(rect.right()) + SERVICE_PAD_X,
        bottom: row(rect.bottom()) + SERVICE_PAD_Y,
    }
}

/// The one number formatter: every number in the output goes through here, as an integer.
fn num(value: i64) -> String {
    value.to_string()
}

/// An element holding only text, written on one line.
fn text_node_element(name: &str, content: &str) -> Element {
    let mut element = Element::new(name);
    element.append(TextNode::new(xml_safe(content)));
    element
}

/// `s` with every character XML 1.0 cannot hold (most C0 controls, U+FFFE, U+FFFF) replaced by
/// U+FFFD. The model never produces them, but a hand-built layout may, and the output must
/// still parse.
fn xml_safe(s: &str) -> Cow<'_, str> {
    let allowed = |c: char| {
        !(matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}')
            || c == '\u{fffe}'
            || c == '\u{ffff}')
    };
    if s.chars().all(allowed) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().map(|c| if allowed(c) { c } else { '\u{fffd}' }).collect())
    }
}

/// The root's scope class: the caller's prefix made safe for a class name and a CSS selector,
/// or one derived from the layout.
fn scope_class(layout: &Layout, prefix: Option<&str>) -> String {
    let given: String = prefix
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    match given.chars().next() {
        None => format!("ad-{:08x}", content_hash(layout) & 0xffff_ffff),
        Some(c) if c.is_ascii_alphabetic() => given,
        Some(_) => format!("ad-{given}"),
    }
}

/// 64-bit FNV-1a over the layout's JSON form: stable across runs, platforms and Rust versions,
/// unlike `std`'s hashers.
fn content_hash(layout: &Layout) -> u64 {
    let mut hasher = Fnv1a::new();
    // Serialising plain structs into a writer that never fails cannot fail; were it to, the hash
    // of what was written is still deterministic.
    let _ = serde_json::to_writer(&mut hasher, layout);
    hasher.0
}

/// The 64-bit FNV-1a hash of the bytes written into it.
#[derive(Debug)]
struct Fnv1a(u64);

impl Fnv1a {
    const fn new() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl std::io::Write for Fnv1a {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The `<desc>` text: the boxes with their contents, the arrows with their labels, the services
/// and the groups, so a screen reader or a search gets the diagram's content.
fn describe(layout: &Layout) -> String {
    let mut parts = Vec::new();
    if !layout.boxes.is_empty() {
        let boxes: Vec<String> = layout
            .boxes
            .iter()
            .map(|b| with_details(&name_of(&b.lines, &b.id), &b.lines))
            .collect();
        parts.push(format!("Boxes: {}.", boxes.join("; ")));
    }
    if !layout.routes.is_empty() {
        let arrows: Vec<String> = layout
            .routes
            .iter()
            .map(|route| {
                let mut arrow = format!(
                    "{} \u{2192} {}",
                    endpoint_name(layout, route.from),
                    endpoint_name(layout, route.to)
                );
                let label = route
                    .edge
                    .and_then(|edge| layout.labels.iter().find(|l| l.edge == edge))
                    .map(|l| join_texts(&l.lines))
                    .filter(|text| !text.is_empty());
                if let Some(label) = label {
                    arrow.push_str(&format!(" ({label})"));
                }
                arrow
            })
            .collect();
        parts.push(format!("Arrows: {}.", arrows.join("; ")));
    }
    if !layout.services.is_empty() {
        let services: Vec<String> = layout
            .services
            .iter()
            .map(|s| with_details(&name_of(&s.lines, &s.id), &s.lines))
            .collect();
        parts.push(format!("Services: {}.", services.join("; ")));
    }
    if !layout.groups.is_empty() {
        let groups: Vec<&str> = layout.groups.iter().map(|g| g.title.text.as_str()).collect();
        parts.push(format!("Groups: {}.", groups.join("; ")));
    }
    if parts.is_empty() { "An empty diagram.".to_owned() } else { parts.join(" ") }
}

/// A block's name: its title lines joined, or its id when it has none.
fn name_of(lines: &[PlacedText], id: &str) -> String {
    let title: Vec<&str> =
        lines.iter().filter(|l| l.kind == LineKind::Title).map(|l| l.text.as_str()).collect();
    if title.is_empty() { id.to_owned() } else { title.join(" ") }
}

/// `name`, then the block's paragraph and items after a colon: wrapped lines joined by spaces,
/// the paragraph and the items by commas.
fn with_details(name: &str, lines: &[PlacedText]) -> String {
    let mut details: Vec<String> = Vec::new();
    let mut previous_kind = LineKind::Title;
    for line in lines.iter().filter(|l| l.kind != LineKind::Title) {
        let wraps_on = matches!(
            (previous_kind, line.kind),
            (_, LineKind::Continuation) | (LineKind::Text, LineKind::Text)
        );
        previous_kind = line.kind;
        match (wraps_on, details.last_mut()) {
            (true, Some(previous)) => {
                previous.push(' ');
                previous.push_str(&line.text);
            }
            _ => details.push(line.text.clone()),
        }
    }
    if details.is_empty() { name.to_owned() } else { format!("{name}: {}", details.join(", ")) }
}

fn join_texts(lines: &[PlacedText]) -> String {
    lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join(" ")
}

fn endpoint_name(layout: &Layout, end: Endpoint) -> String {
    match end {
        Endpoint::Box(i) => layout.boxes.get(i).map(|b| name_of(&b.lines, &b.id)),
        Endpoint::Service(i) => layout.services.get(i).map(|s| name_of(&s.lines, &s.id)),
    }
    .unwrap_or_else(|| "?".to_owned())
}
