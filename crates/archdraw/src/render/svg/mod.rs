//! The SVG renderer: a [`Layout`] drawn as one standalone, self-contained SVG document.
//!
//! The drawing follows the cell grid. A cell is [`CELL_WIDTH`] × [`CELL_HEIGHT`] pixels and the
//! canvas has a [`MARGIN`] on every side; a five-box diagram comes out about 1,300 × 500 px,
//! which fills a 16:9 slide's width. Box and frame outlines run through the centres of their
//! border cells, where the text renderer draws `│` and `─`. Arrows run through cell centres from
//! the tail's outline to the head's outline.
//!
//! # Text that fits
//!
//! Text is set in a bundled font (see [`Font`]) whose glyph advances are read from the font
//! file, so every line's drawn width is known here, not guessed. The grid is fixed in cells, so
//! text cannot make its box wider; instead the cell size and [`FONT_SIZE`] are chosen so that
//! typical text fits with room to spare (Noto Sans averages about 0.55 em, 8.8 px, against a
//! 12 px cell). Each line is measured against the room it has: a box's inside less padding, a
//! service's outline, a label's area, a frame title's gap in the border. A line that would not
//! fit (ten `W`s, say) is set in a smaller font size, down to [`MIN_FONT_SIZE`]; one that would
//! still not fit is squeezed to the room with `textLength`. Nothing overflows, and the rest of
//! the diagram keeps its size. Graphemes the font lacks (CJK, emoji) are measured at 0.65 em a
//! terminal cell, more than fallback fonts draw them.
//!
//! The glyphs used are embedded as subsets of the font in an `@font-face` rule (base64 data
//! URLs), so the SVG looks the same in every browser, offline; [`SvgOptions::embed_font`] turns
//! that off for smaller files.
//!
//! # Guarantees
//!
//! - Well-formed XML. User strings reach only text nodes and attribute values, both escaped in
//!   one pass as they are written (see `writer`); characters XML 1.0 cannot hold become
//!   U+FFFD. No user string is ever put into a comment or a style sheet: the only caller-given
//!   text in one is [`SvgOptions::id_prefix`], cut down to letters, digits, `-` and `_`, which
//!   also names the embedded font families; the font data is base64, whose alphabet is inert
//!   in XML and CSS.
//! - Self-contained and inert: no scripts, no external references, no `id` attributes
//!   (arrowheads are polygons, not markers).
//! - Deterministic: every coordinate is an integer (or tenths, in the sketch style) written
//!   with integer arithmetic, attributes come out sorted, nothing is iterated out of a hash
//!   map, and the sketch style's wobble comes from a generator seeded by the layout, so the
//!   same layout and options give the same bytes.

mod font;
mod sketch;
mod theme;
mod writer;

#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use crate::geom::{Point, Rect, Side};
use crate::layout::{Endpoint, Layout, LineKind, PlacedText, Route};
use crate::style::Appearance;

pub use crate::style::{Font, Style, Theme};
#[cfg(feature = "png")]
pub(crate) use font::Typeface;
use font::{Metrics, Typeface as Face};
use sketch::Rng;
use theme::{Palette, Role};
use writer::{Writer, push_int};

/// Width of one grid cell in pixels.
pub const CELL_WIDTH: u32 = 12;
/// Height of one grid cell in pixels: a text row, with air above and below the letters.
pub const CELL_HEIGHT: u32 = 24;
/// Empty space around the drawing, in pixels, on every side.
pub const MARGIN: u32 = 24;
/// Font size in pixels.
pub const FONT_SIZE: u32 = 16;
/// The smallest size a line too wide for its room is set in before it is squeezed instead.
pub const MIN_FONT_SIZE: u32 = 10;

// Signed copies for arithmetic: outlines of services and halos reach outside their cells.
const CW: i64 = CELL_WIDTH as i64;
const CH: i64 = CELL_HEIGHT as i64;
const M: i64 = MARGIN as i64;
const SIZE: i64 = FONT_SIZE as i64;
const MIN_SIZE: i64 = MIN_FONT_SIZE as i64;
/// Stroke width of outlines and arrows.
const STROKE: i64 = 2;
const BOX_RADIUS: i64 = 10;
const SERVICE_RADIUS: i64 = 8;
const GROUP_RADIUS: i64 = 12;
const HALO_RADIUS: i64 = 4;
/// How far a service's outline stands off its text: under half a cell, so two services one
/// column apart still show a gap.
const SERVICE_PAD_X: i64 = 4;
const SERVICE_PAD_Y: i64 = 4;
/// Room kept free between text and the outline around it.
const TEXT_PAD: i64 = 4;
/// How far a halo reaches past its text on each side.
const HALO_PAD: i64 = 6;
/// Arrowhead length along the arrow and half its width across it.
const HEAD_LENGTH: i64 = 12;
const HEAD_HALF_WIDTH: i64 = 6;
/// How far the arrow's line runs on under its head, so the butt end never shows at the base.
const HEAD_OVERLAP: i64 = 2;
/// Radius of the rounded corners of arrows.
const ROUTE_RADIUS: i64 = 6;
const DEFAULT_TITLE: &str = "archdraw diagram";

/// Options for the SVG renderer.
///
/// Build it with struct update syntax so that later options do not break callers:
///
/// ```
/// use archdraw::render::svg::{Style, SvgOptions, Theme};
/// let options = SvgOptions { theme: Theme::Dark, style: Style::Sketch, ..SvgOptions::default() };
/// # assert_eq!(options.id_prefix, None);
/// # assert!(options.embed_font);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SvgOptions {
    /// The colours; see [`Theme`].
    pub theme: Theme,
    /// The class put on the root `<svg>` to scope this diagram's style rules, and the start of
    /// its embedded font family names, so several diagrams inlined into one page never restyle
    /// one another.
    ///
    /// `None` derives `ad-` and eight hex digits from a hash of the layout, so the same layout
    /// always gets the same prefix. A given prefix keeps only ASCII letters, digits, `-` and `_`,
    /// and gets `ad-` in front unless it starts with a letter; if nothing is left, the derived
    /// prefix is used.
    pub id_prefix: Option<String>,
    /// The typeface.
    pub font: Font,
    /// Clean or hand-drawn lines.
    pub style: Style,
    /// Whether to embed the glyphs used, as font subsets in `@font-face` rules (default: yes).
    /// Without them a viewer draws the text in its own Noto Sans or generic sans-serif, whose
    /// widths archdraw cannot vouch for.
    pub embed_font: bool,
}

impl Default for SvgOptions {
    fn default() -> Self {
        Self {
            theme: Theme::default(),
            id_prefix: None,
            font: Font::default(),
            style: Style::default(),
            embed_font: true,
        }
    }
}

impl SvgOptions {
    /// The options for drawing with `appearance` (a diagram's, or one overridden by the
    /// command line), defaults elsewhere.
    ///
    /// ```
    /// use archdraw::render::svg::{Font, Style, SvgOptions, Theme};
    /// let spec = archdraw::parse("theme: dark\nstyle: sketch\nfont: mono\nboxes: [{title: A}]\n")?;
    /// let diagram = archdraw::Diagram::from_spec(&spec)?;
    /// let options = SvgOptions::for_appearance(diagram.appearance);
    /// assert_eq!((options.theme, options.style, options.font), (Theme::Dark, Style::Sketch, Font::Mono));
    /// # Ok::<(), archdraw::Error>(())
    /// ```
    pub fn for_appearance(appearance: Appearance) -> Self {
        let Appearance { theme, style, font } = appearance;
        Self { theme, style, font, ..Self::default() }
    }

    /// The bundled typeface text is set in.
    const fn typeface(&self) -> Face {
        match (self.font, self.style) {
            (Font::Mono, _) => Face::Mono,
            (Font::Sans, Style::Sketch) => Face::Hand,
            (Font::Sans, Style::Clean) => Face::Sans,
        }
    }
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
/// // The glyphs of "Web", "API" and the title travel with the drawing.
/// assert!(svg.contains("@font-face{font-family:ad-"));
/// ```
pub fn render(layout: &Layout, options: &SvgOptions) -> String {
    let hash = content_hash(layout);
    let scope = scope_class_for(options.id_prefix.as_deref(), || hash);
    let typeface = options.typeface();
    let painter = Painter {
        palette: options.theme.palette(),
        regular: Metrics::new(typeface, false),
        bold: Metrics::new(typeface, true),
        sketch: (options.style == Style::Sketch).then(|| Rng::new(hash)),
    };
    let (width, height) = canvas(layout);

    let mut css = String::new();
    let mut families = Vec::new();
    if options.embed_font
        && let Some((family, rules)) = font_faces(layout, typeface, &scope)
    {
        css.push_str(&rules);
        families.push(family);
    }
    families.extend([typeface.family().to_owned(), typeface.generic().to_owned()]);
    if options.theme == Theme::Auto {
        css.push_str(&theme::dark_mode_css(&scope));
    }

    let mut w = Writer::with_capacity(estimated_size(layout, css.len()));
    w.open("svg");
    w.attr("class", &scope);
    w.attr_num("height", height);
    w.attr("role", "img");
    w.attr_with("viewBox", |out| {
        out.push_str("0 0 ");
        push_int(out, width);
        out.push(' ');
        push_int(out, height);
    });
    w.attr_num("width", width);
    w.attr("xmlns", "http://www.w3.org/2000/svg");
    let title = layout.title.as_deref().filter(|t| !t.trim().is_empty()).unwrap_or(DEFAULT_TITLE);
    w.open("title");
    w.text(title);
    w.open("desc");
    w.text(&describe(layout));
    if !css.is_empty() {
        w.open("style");
        w.text(&css);
    }
    let (fill, stroke) = Role::Background.paint(painter.palette);
    w.open("rect");
    w.attr("class", Role::Background.class());
    w.attr_opt("fill", fill);
    w.attr_num("height", height);
    w.attr_opt("stroke", stroke);
    w.attr_num("width", width);
    w.close();

    w.open("g");
    w.attr("font-family", &families.join(", "));
    w.attr_num("font-size", SIZE);
    // Frames first: they enclose boxes. Arrows after boxes and services so heads sit on top of
    // the outlines they touch; labels last so their halos cover any line beneath them.
    for group in &layout.groups {
        painter.group(&mut w, group);
    }
    for placed in &layout.boxes {
        painter.node(&mut w, &BOX_STYLE, &placed.id, placed.rect, &placed.lines);
    }
    for service in &layout.services {
        painter.node(&mut w, &SERVICE_STYLE, &service.id, service.rect, &service.lines);
    }
    for route in &layout.routes {
        painter.arrow(&mut w, layout, route);
    }
    for label in &layout.labels {
        painter.label(&mut w, label);
    }
    w.close();
    w.close();

    let mut out = w.finish();
    out.push('\n');
    out
}

/// A generous guess at the document's length, so its string is allocated once: a little under
/// 1 KB per block, arrow or label in the clean style (more in the sketch style), plus the
/// style sheet and the text.
fn estimated_size(layout: &Layout, css: usize) -> usize {
    let items = layout.boxes.len()
        + layout.services.len()
        + layout.groups.len()
        + layout.routes.len()
        + layout.labels.len();
    4096 + css + items.saturating_mul(1024)
}

/// The canvas in pixels: the grid and a margin all round.
fn canvas(layout: &Layout) -> (i64, i64) {
    let width = M.saturating_mul(2).saturating_add(cells(layout.width).saturating_mul(CW));
    let height = M.saturating_mul(2).saturating_add(cells(layout.height).saturating_mul(CH));
    (width, height)
}

/// The SVG's width and height in pixels.
#[cfg(feature = "png")]
pub(crate) fn canvas_size(layout: &Layout) -> (u64, u64) {
    let (width, height) = canvas(layout);
    (width.unsigned_abs(), height.unsigned_abs())
}

/// The `@font-face` rules embedding subsets of `typeface` with the glyphs `layout` draws, and
/// the family name they declare; `None` when there is no text.
///
/// The name is the diagram's scope, the typeface and a hash of the subsets: two diagrams on one
/// page share a family only when they embed the very same glyphs, so neither can take glyphs
/// from the other's subset.
fn font_faces(layout: &Layout, typeface: Face, scope: &str) -> Option<(String, String)> {
    let (regular, bold) = used_chars(layout);
    let mut faces = Vec::new();
    let mut hasher = Fnv1a::new();
    for (chars, weight) in [(regular, false), (bold, true)] {
        if chars.is_empty() {
            continue;
        }
        if let Some(data) = font::subset(typeface.data(weight), &chars) {
            hasher.feed(&data);
            faces.push((weight, data));
        }
    }
    if faces.is_empty() {
        return None;
    }
    let family = format!("{scope}-{}-{:08x}", typeface.key(), hasher.0 & 0xffff_ffff);
    let mut css = String::new();
    for (bold, data) in faces {
        css.push_str(&format!(
            "@font-face{{font-family:{family};font-weight:{};src:url(data:font/ttf;base64,{})}}",
            if bold { 700 } else { 400 },
            font::base64(&data)
        ));
    }
    Some((family, css))
}

/// The characters drawn in the regular and in the bold face.
fn used_chars(layout: &Layout) -> (BTreeSet<char>, BTreeSet<char>) {
    let (mut regular, mut bold) = (BTreeSet::new(), BTreeSet::new());
    let lines = layout
        .boxes
        .iter()
        .flat_map(|b| &b.lines)
        .chain(layout.services.iter().flat_map(|s| &s.lines))
        .chain(layout.groups.iter().map(|g| &g.title))
        .chain(layout.labels.iter().flat_map(|l| &l.lines));
    for line in lines {
        let set = if line.kind == LineKind::Title { &mut bold } else { &mut regular };
        set.extend(xml_safe(&line.text).chars());
        if line.kind == LineKind::Bullet {
            regular.insert(BULLET);
        }
    }
    (regular, bold)
}

const BULLET: char = '\u{2022}';

/// What tells boxes and services apart on the page.
#[derive(Debug)]
struct NodeStyle {
    /// Class of the `<g>` around the outline and the text.
    class: &'static str,
    radius: i64,
    shape: Role,
    /// The outline alone, for the sketch style's hand strokes over a plain fill.
    outline: Role,
    text: Role,
    dashes: Option<&'static str>,
    /// Where a block's outline lies, from its cell rectangle.
    outline_of: fn(Rect) -> PxRect,
}

const BOX_STYLE: NodeStyle = NodeStyle {
    class: "ad-box",
    radius: BOX_RADIUS,
    shape: Role::BoxShape,
    outline: Role::BoxOutline,
    text: Role::BoxText,
    dashes: None,
    outline_of: box_outline,
};

/// Services are the control plane: dashed and muted, so they read as a row apart from the flow.
const SERVICE_STYLE: NodeStyle = NodeStyle {
    class: "ad-service",
    radius: SERVICE_RADIUS,
    shape: Role::ServiceShape,
    outline: Role::ServiceOutline,
    text: Role::ServiceText,
    dashes: Some("6 4"),
    outline_of: service_outline,
};

/// A rectangle in pixels, edges inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PxRect {
    left: i64,
    top: i64,
    right: i64,
    bottom: i64,
}

/// Where a line of text is anchored, and the room it may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Placement {
    /// The anchor's x.
    x: i64,
    /// Centred on `x` (else starting at it).
    centred: bool,
    /// The leftmost and rightmost x the text may reach.
    room: (i64, i64),
}

impl Placement {
    /// The widest the text may be: centred text is limited by the nearer edge.
    fn available(&self) -> i64 {
        let (left, right) = self.room;
        if self.centred { 2 * (self.x - left).min(right - self.x) } else { right - self.x }.max(1)
    }
}

/// A line's size, fitted to its room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fit {
    /// Font size in pixels.
    size: i64,
    /// Drawn width in pixels, rounded up.
    width: i64,
    /// Set when even [`MIN_FONT_SIZE`] is too wide: the width to squeeze the text to.
    squeeze: Option<i64>,
}

/// Writes painted roles as elements, in one palette and one typeface.
#[derive(Debug)]
struct Painter {
    palette: &'static Palette,
    regular: Metrics,
    bold: Metrics,
    /// The sketch style's generator; `None` draws clean lines.
    sketch: Option<Rng>,
}

/// Attributes of an outline: its dashes, and a fill that replaces the role's.
#[derive(Debug, Clone, Copy, Default)]
struct Stroke {
    fill: Option<&'static str>,
    dashes: Option<&'static str>,
}

impl Painter {
    /// A rounded rectangle with its role's class and colours; `stroke_width` and `dashes` when
    /// given. Attributes in name order, as every element's.
    fn rounded_rect(
        &self,
        w: &mut Writer,
        rect: PxRect,
        radius: i64,
        role: Role,
        stroke: Stroke,
        stroke_width: Option<i64>,
    ) {
        let (fill, line) = role.paint(self.palette);
        w.open("rect");
        w.attr("class", role.class());
        w.attr_opt("fill", stroke.fill.or(fill));
        w.attr_num("height", rect.bottom.saturating_sub(rect.top));
        w.attr_num("rx", radius);
        w.attr_opt("stroke", line);
        w.attr_opt("stroke-dasharray", stroke.dashes);
        if let Some(width) = stroke_width {
            w.attr_num("stroke-width", width);
        }
        w.attr_num("width", rect.right.saturating_sub(rect.left));
        w.attr_num("x", rect.left);
        w.attr_num("y", rect.top);
        w.close();
    }

    fn halo(&self, w: &mut Writer, rect: PxRect) {
        self.rounded_rect(w, rect, HALO_RADIUS, Role::Halo, Stroke::default(), None);
    }

    /// An outlined shape: a rounded rectangle, or in the sketch style a plain fill under two
    /// passes of hand strokes. With `outline_only`, the sketch style's fill is left out.
    fn outlined(
        &self,
        w: &mut Writer,
        outline: PxRect,
        radius: i64,
        (shape, strokes): (Role, Role),
        stroke: Stroke,
        outline_only: bool,
    ) {
        let Some(rng) = &self.sketch else {
            self.rounded_rect(w, outline, radius, shape, stroke, Some(STROKE));
            return;
        };
        // The fill keeps its role (and so its dark-mode colour) but draws no line of its own.
        if !outline_only {
            self.rounded_rect(w, outline, radius, shape, stroke, Some(0));
        }
        let (_, line) = strokes.paint(self.palette);
        w.open("path");
        w.attr("class", strokes.class());
        w.attr_with("d", |out| {
            sketch::write_rectangle(
                out,
                rng,
                outline.left * 10,
                outline.top * 10,
                outline.right * 10,
                outline.bottom * 10,
                2,
            );
        });
        w.attr("fill", "none");
        w.attr_opt("stroke", line);
        w.attr_opt("stroke-dasharray", stroke.dashes);
        w.attr("stroke-linecap", "round");
        w.attr_num("stroke-width", STROKE);
        w.close();
    }

    /// A box or a service: its outline, then its lines, in a `<g>` carrying its id.
    fn node(&self, w: &mut Writer, style: &NodeStyle, id: &str, rect: Rect, lines: &[PlacedText]) {
        let outline = (style.outline_of)(rect);
        w.open("g");
        w.attr("class", style.class);
        w.attr("data-id", id);
        let stroke = Stroke { fill: None, dashes: style.dashes };
        self.outlined(w, outline, style.radius, (style.shape, style.outline), stroke, false);
        // Text keeps clear of the outline: a box's inside is its cells within the border.
        let (left, right) = if style.class == BOX_STYLE.class {
            (col(rect.x.saturating_add(1)), col(rect.right().saturating_sub(1)))
        } else {
            (outline.left, outline.right)
        };
        let room = (left + TEXT_PAD, (right - TEXT_PAD).max(left + TEXT_PAD));
        let middle = (outline.left + outline.right) / 2;
        for line in lines {
            let place = match line.kind {
                // Box titles and paragraphs are centred in the box itself, not on their cells:
                // the grid can only centre to the nearest cell.
                LineKind::Title | LineKind::Text if style.class == BOX_STYLE.class => {
                    Placement { x: middle, centred: true, room }
                }
                LineKind::Title | LineKind::Text => {
                    Placement { x: span_centre(line), centred: true, room }
                }
                LineKind::Bullet | LineKind::Continuation => {
                    Placement { x: col(line.x), centred: false, room }
                }
            };
            if line.kind == LineKind::Bullet {
                // The bullet one cell left of the text: bullet, gap, text.
                let spot = Placement {
                    x: col(line.x) - CW + CW / 4,
                    centred: true,
                    room: (0, i64::MAX / 4),
                };
                let mut buffer = [0; 4];
                let bullet = Line { text: BULLET.encode_utf8(&mut buffer), ..Line::of(line) };
                self.text(w, bullet, spot, style.text);
            }
            self.text(w, Line::of(line), place, style.text);
        }
        w.close();
    }

    /// A group's dashed frame with its title on a halo that breaks the top border.
    fn group(&self, w: &mut Writer, group: &crate::layout::PlacedGroup) {
        w.open("g");
        w.attr("class", "ad-group");
        w.attr("data-id", &group.id);
        let outline = box_outline(group.rect);
        // A frame has no fill: only the outline (in the sketch style, only the strokes).
        let stroke = Stroke { fill: Some("none"), dashes: Some("8 5") };
        let roles = (Role::GroupFrame, Role::GroupFrame);
        self.outlined(w, outline, GROUP_RADIUS, roles, stroke, true);
        let title = &group.title;
        if !title.text.is_empty() {
            // The layout keeps a cell either side of the title clear of arrows; the title may
            // use them, but not the frame's corners.
            let room = (
                (col(title.x.saturating_sub(1)) + CW / 2).max(outline.left + GROUP_RADIUS),
                (col(title.x.saturating_add(title.width)) + CW / 2)
                    .min(outline.right - GROUP_RADIUS),
            );
            let place = Placement { x: span_centre(title), centred: true, room };
            let line = Line::of(title);
            let fit = self.fit_line(line, place);
            let half = fit.width / 2 + HALO_PAD;
            self.halo(
                w,
                PxRect {
                    left: place.x - half,
                    top: row(title.y),
                    right: place.x + half,
                    bottom: row(title.y.saturating_add(1)),
                },
            );
            self.write_text(w, line, place, Role::GroupText, fit);
        }
        w.close();
    }

    /// An arrow's label: a halo per line, a little wider than its text but never outside the
    /// label's area, then the text, centred in the area. A line running on through the label
    /// shows up again past the halo.
    fn label(&self, w: &mut Writer, label: &crate::layout::PlacedLabel) {
        w.open("g");
        w.attr("class", "ad-label");
        let area = (col(label.rect.x), col(label.rect.right()));
        // Lines are centred on the label as a block; the grid starts them all at one column.
        let middle = (area.0 + area.1) / 2;
        let place = Placement { x: middle, centred: true, room: (area.0 + 2, area.1 - 2) };
        let mut fits = Vec::with_capacity(label.lines.len());
        for line in &label.lines {
            let fit = self.fit_line(Line::of(line), place);
            let half = fit.width / 2 + HALO_PAD;
            let (left, right) = ((place.x - half).max(area.0), (place.x + half).min(area.1));
            if left < right {
                let (top, bottom) = (row(line.y), row(line.y.saturating_add(1)));
                self.halo(w, PxRect { left, top, right, bottom });
            }
            fits.push(fit);
        }
        for (line, fit) in label.lines.iter().zip(fits) {
            self.write_text(w, Line::of(line), place, Role::LabelText, fit);
        }
        w.close();
    }

    /// The size `text` is set in to fit `available` pixels.
    fn fit(&self, text: &str, bold: bool, available: i64) -> Fit {
        let metrics = if bold { &self.bold } else { &self.regular };
        let (units, upem) = (metrics.width(text), metrics.units_per_em);
        // Rounded up: a halo or a check may rely on it. Widths are never negative.
        let width_at = |size: i64| (units * size + upem - 1) / upem;
        if width_at(SIZE) <= available {
            return Fit { size: SIZE, width: width_at(SIZE), squeeze: None };
        }
        let size = (available * upem / units.max(1)).clamp(MIN_SIZE, SIZE);
        if width_at(size) <= available {
            Fit { size, width: width_at(size), squeeze: None }
        } else {
            Fit { size, width: available, squeeze: Some(available) }
        }
    }

    /// How `line` is fitted to the room `place` gives it.
    fn fit_line(&self, line: Line<'_>, place: Placement) -> Fit {
        self.fit(&xml_safe(line.text), line.kind == LineKind::Title, place.available())
    }

    /// A `<text>` for `line`, placed and fitted, with its content on the same line (a newline
    /// around it would add spaces under `white-space: pre`).
    fn text(&self, w: &mut Writer, line: Line<'_>, place: Placement, role: Role) {
        let fit = self.fit_line(line, place);
        self.write_text(w, line, place, role, fit);
    }

    /// A `<text>` for `line` at the size `fit` gives.
    fn write_text(&self, w: &mut Writer, line: Line<'_>, place: Placement, role: Role, fit: Fit) {
        let bold = line.kind == LineKind::Title;
        let metrics = if bold { &self.bold } else { &self.regular };
        let (fill, stroke) = role.paint(self.palette);
        w.open("text");
        w.attr("class", role.class());
        w.attr_opt("fill", fill);
        if fit.size != SIZE {
            w.attr_num("font-size", fit.size);
        }
        if bold {
            w.attr("font-weight", "bold");
        }
        if fit.squeeze.is_some() {
            w.attr("lengthAdjust", "spacingAndGlyphs");
        }
        w.attr_opt("stroke", stroke);
        if place.centred {
            w.attr("text-anchor", "middle");
        }
        if let Some(length) = fit.squeeze {
            w.attr_num("textLength", length);
        }
        w.attr_num("x", place.x);
        w.attr_num("y", baseline(row(line.y), fit.size, metrics));
        w.text(line.text);
    }

    /// An arrow: its line and its head; nothing for a route without points.
    fn arrow(&self, w: &mut Writer, layout: &Layout, route: &Route) {
        let Some(geometry) = arrow_geometry(layout, route) else { return };
        w.open("g");
        w.attr("class", "ad-arrow");
        let in_tenths = |points: &[(i64, i64)]| -> Vec<(i64, i64)> {
            points.iter().map(|&(x, y)| (x * 10, y * 10)).collect()
        };
        if geometry.line.len() >= 2 {
            let (_, stroke) = Role::ArrowLine.paint(self.palette);
            w.open("path");
            w.attr("class", Role::ArrowLine.class());
            w.attr_with("d", |out| match &self.sketch {
                Some(rng) => sketch::write_polyline(out, rng, &in_tenths(&geometry.line)),
                None => write_path_data(out, &geometry.line),
            });
            w.attr("fill", "none");
            w.attr_opt("stroke", stroke);
            w.attr("stroke-linecap", "round");
            w.attr("stroke-linejoin", "round");
            w.attr_num("stroke-width", STROKE);
            w.close();
        }
        // A thin stroke in the head's own colour rounds its corners a little.
        let (fill, stroke) = Role::ArrowHead.paint(self.palette);
        w.open("polygon");
        w.attr("class", Role::ArrowHead.class());
        w.attr_opt("fill", fill);
        w.attr_with("points", |out| match &self.sketch {
            Some(rng) => sketch::write_polygon(out, rng, &in_tenths(&geometry.head), 8),
            None => {
                for (i, &(x, y)) in geometry.head.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    push_int(out, x);
                    out.push(',');
                    push_int(out, y);
                }
            }
        });
        w.attr_opt("stroke", stroke);
        w.attr("stroke-linejoin", "round");
        w.attr("stroke-width", "1");
        w.close();
        w.close();
    }
}

/// What a `<text>` needs of a placed line; the bullet before an item borrows the item's.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    text: &'a str,
    kind: LineKind,
    /// The row.
    y: usize,
}

impl<'a> Line<'a> {
    fn of(line: &'a PlacedText) -> Self {
        Self { text: &line.text, kind: line.kind, y: line.y }
    }
}

/// The middle of a line's cell span; `CW` is even, so this is exact.
fn span_centre(line: &PlacedText) -> i64 {
    col(line.x) + cells(line.width).saturating_mul(CW / 2)
}

/// The baseline that centres a line's ascent and descent at `size` in the row starting at
/// `top`, so the text's box (what `getBBox` reports) stays within its row.
fn baseline(top: i64, size: i64, metrics: &Metrics) -> i64 {
    let upem = metrics.units_per_em;
    let height = (metrics.ascender + metrics.descender) * size;
    top + ((CH * upem - height) / 2 + metrics.ascender * size) / upem
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
#[cfg(test)]
fn path_data(points: &[(i64, i64)]) -> String {
    let mut d = String::new();
    write_path_data(&mut d, points);
    d
}

/// Appends [`path_data`]'s path data to `d`.
fn write_path_data(d: &mut String, points: &[(i64, i64)]) {
    let Some(&(x, y)) = points.first() else { return };
    let point = |d: &mut String, command: &str, (x, y): (i64, i64)| {
        d.push_str(command);
        push_int(d, x);
        d.push(' ');
        push_int(d, y);
    };
    point(d, "M", (x, y));
    for i in 1..points.len() {
        let corner = points[i];
        let Some(&next) = points.get(i + 1) else {
            point(d, " L", corner);
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
            point(d, " L", step(corner, din, -radius));
            point(d, " Q", corner);
            point(d, " ", step(corner, dout, radius));
        } else {
            point(d, " L", corner);
        }
    }
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
#[cfg(test)]
fn scope_class(layout: &Layout, prefix: Option<&str>) -> String {
    scope_class_for(prefix, || content_hash(layout))
}

/// The scope class for `prefix`, or `ad-` and eight hex digits of the layout's hash.
fn scope_class_for(prefix: Option<&str>, hash: impl FnOnce() -> u64) -> String {
    let given: String = prefix
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    match given.chars().next() {
        None => format!("ad-{:08x}", hash() & 0xffff_ffff),
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
    // Buffered, so the hasher gets large slices rather than one call per JSON token.
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut hasher);
    let _ = serde_json::to_writer(&mut buffered, layout);
    let _ = std::io::Write::flush(&mut buffered);
    drop(buffered);
    hasher.0
}

/// The 64-bit FNV-1a hash of the bytes written into it.
#[derive(Debug)]
struct Fnv1a(u64);

impl Fnv1a {
    const fn new() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    fn feed(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

impl std::io::Write for Fnv1a {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.feed(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The `<desc>` text: the boxes with their contents, the arrows with their labels, the services
/// and the groups, so a screen reader or a search gets the diagram's content.
fn describe(layout: &Layout) -> String {
    let box_names: Vec<String> = layout.boxes.iter().map(|b| name_of(&b.lines, &b.id)).collect();
    let service_names: Vec<String> =
        layout.services.iter().map(|s| name_of(&s.lines, &s.id)).collect();
    let endpoint_name = |end: Endpoint| -> &str {
        match end {
            Endpoint::Box(i) => box_names.get(i),
            Endpoint::Service(i) => service_names.get(i),
        }
        .map_or("?", String::as_str)
    };
    // The first label of each edge, looked up once rather than searched for per arrow.
    let mut label_of: HashMap<usize, &crate::layout::PlacedLabel> = HashMap::new();
    for label in &layout.labels {
        label_of.entry(label.edge).or_insert(label);
    }

    let mut out = String::new();
    push_section(&mut out, "Boxes: ", layout.boxes.iter().zip(&box_names), |out, (b, name)| {
        push_with_details(out, name, &b.lines);
    });
    push_section(&mut out, "Arrows: ", &layout.routes, |out, route| {
        out.push_str(endpoint_name(route.from));
        out.push_str(" \u{2192} ");
        out.push_str(endpoint_name(route.to));
        let label = route
            .edge
            .and_then(|edge| label_of.get(&edge))
            .map(|l| join_texts(&l.lines))
            .filter(|text| !text.is_empty());
        if let Some(label) = label {
            out.push_str(" (");
            out.push_str(&label);
            out.push(')');
        }
    });
    push_section(
        &mut out,
        "Services: ",
        layout.services.iter().zip(&service_names),
        |out, (s, name)| push_with_details(out, name, &s.lines),
    );
    push_section(&mut out, "Groups: ", &layout.groups, |out, g| out.push_str(&g.title.text));
    if out.is_empty() { "An empty diagram.".to_owned() } else { out }
}

/// Appends `heading` and `items` written by `item`, separated by `; ` and ended by a full
/// stop, after a space if `out` already holds a section; nothing when there are no items.
fn push_section<T>(
    out: &mut String,
    heading: &str,
    items: impl IntoIterator<Item = T>,
    mut item: impl FnMut(&mut String, T),
) {
    let mut items = items.into_iter().peekable();
    if items.peek().is_none() {
        return;
    }
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(heading);
    for (i, x) in items.enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        item(out, x);
    }
    out.push('.');
}

/// A block's name: its title lines joined, or its id when it has none.
fn name_of(lines: &[PlacedText], id: &str) -> String {
    let title: Vec<&str> =
        lines.iter().filter(|l| l.kind == LineKind::Title).map(|l| l.text.as_str()).collect();
    if title.is_empty() { id.to_owned() } else { title.join(" ") }
}

/// Appends `name`, then the block's paragraph and items after a colon: wrapped lines joined by
/// spaces, the paragraph and the items by commas.
fn push_with_details(out: &mut String, name: &str, lines: &[PlacedText]) {
    out.push_str(name);
    let mut previous_kind = LineKind::Title;
    let mut first = true;
    for line in lines.iter().filter(|l| l.kind != LineKind::Title) {
        let wraps_on = matches!(
            (previous_kind, line.kind),
            (_, LineKind::Continuation) | (LineKind::Text, LineKind::Text)
        );
        previous_kind = line.kind;
        out.push_str(match (first, wraps_on) {
            (true, _) => ": ",
            (false, true) => " ",
            (false, false) => ", ",
        });
        first = false;
        out.push_str(&line.text);
    }
}

fn join_texts(lines: &[PlacedText]) -> String {
    lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join(" ")
}
