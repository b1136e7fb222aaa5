//! The SVG renderer: a [`Layout`] drawn as one standalone, self-contained SVG document.
//!
//! The drawing follows the layout's cell grid, laid out for the page: every column and row
//! gets its own size (see `page`). A row carrying text is a text row, [`CELL_HEIGHT`] pixels;
//! a column carrying text is as wide as its share of the text measured in the bundled font;
//! rows and columns carrying only strokes (borders, the corners and ends of arrows) shrink to
//! what a line, a rounded corner or a hop needs, and the rest (blank space, lines only passing
//! across) to a few pixels of air. The map is monotone, so the drawing keeps the layout's
//! topology exactly. The canvas has a [`MARGIN`] on every side; a five-box diagram comes out
//! about 1,000 × 320 px. Box and frame outlines run through the centres of their border cells,
//! where the text renderer draws `│` and `─`. Arrows run through cell centres from the tail's
//! outline to the head's outline.
//!
//! The parts: this module has the options, the document's skeleton and its fonts; `paint`
//! writes boxes, services, frames, labels and arrows; `geometry` turns cells into pixels and
//! shapes arrows; `describe` writes the `<desc>`; `scope` derives the scope class; `font`,
//! `sketch`, `theme` and `writer` are the bundled typefaces, the hand-drawn strokes, the
//! palettes and the escaping XML writer.
//!
//! # Text that fits
//!
//! Text is set in a bundled font (see [`Font`]) whose glyph advances are read from the font
//! file, so every line's drawn width is known here, not guessed ([`text_width`]). The page's
//! columns are sized from those widths, so every line fits its box, service, label or frame
//! title at [`FONT_SIZE`]. Each line is still measured against the room it has (a box's inside
//! less padding, a service's outline, a label's area, a frame title's gap in the border), for
//! drawings on another grid: a line that would not fit is set in a smaller font size, down to
//! [`MIN_FONT_SIZE`], and one that would still not fit is squeezed to the room with
//! `textLength`. Nothing overflows. Graphemes the font lacks (CJK, emoji) are measured at 0.65 em a
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

mod describe;
mod font;
mod geometry;
mod joins;
mod page;
mod paint;
mod scope;
mod sketch;
mod theme;
mod writer;

#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use crate::layout::{Layout, LineKind};
use crate::style::Appearance;

pub use crate::style::{Font, Style, Theme};
use describe::describe;
#[cfg(feature = "png")]
pub(crate) use font::Typeface;
use font::{Metrics, Typeface as Face};
pub use geometry::{CELL_HEIGHT, CELL_WIDTH, MARGIN};
use page::PageGrid;
use paint::{BOX_STYLE, BULLET, Painter, SERVICE_STYLE, SIZE, xml_safe};
pub use paint::{FONT_SIZE, MIN_FONT_SIZE};
use scope::{Fnv1a, content_hash, scope_class_for};
use sketch::Rng;
use theme::Role;
use writer::{Writer, push_int};

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
    render_on(layout, options, None)
}

/// [`render`] on `grid`, or on the layout's own page grid when `None`.
fn render_on(layout: &Layout, options: &SvgOptions, grid: Option<PageGrid>) -> String {
    let hash = content_hash(layout);
    let scope = scope_class_for(options.id_prefix.as_deref(), || hash);
    let typeface = options.typeface();
    let (regular, bold) = (Metrics::new(typeface, false), Metrics::new(typeface, true));
    let grid = grid.unwrap_or_else(|| page_grid(layout, &regular, &bold));
    let (width, height) = grid.canvas();
    let painter = Painter {
        palette: options.theme.palette(),
        regular,
        bold,
        sketch: (options.style == Style::Sketch).then(|| Rng::new(hash)),
        grid,
    };

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
    let joins = joins::Joins::of(layout);
    let arrows: Vec<Option<geometry::ArrowGeometry>> = layout
        .routes
        .iter()
        .map(|route| geometry::arrow_geometry(&painter.grid, layout, route, &joins))
        .collect();
    for (route, arrow) in layout.routes.iter().zip(&arrows) {
        if let Some(arrow) = arrow {
            painter.arrow(&mut w, route, arrow);
        }
    }
    painter.junctions(&mut w, &joins);
    // Each label goes against its own arrow's line: the first route of its edge.
    let mut line_of_edge: Vec<(usize, &[(i64, i64)])> = layout
        .routes
        .iter()
        .zip(&arrows)
        .filter_map(|(route, arrow)| Some((route.edge?, arrow.as_ref()?.line.as_slice())))
        .collect();
    line_of_edge.sort_by_key(|&(edge, _)| edge);
    line_of_edge.dedup_by_key(|&mut (edge, _)| edge);
    for label in &layout.labels {
        let line = line_of_edge
            .binary_search_by_key(&label.edge, |&(edge, _)| edge)
            .ok()
            .map(|i| line_of_edge[i].1);
        painter.label(&mut w, label, line);
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

/// The drawn width in pixels (rounded up) of one line of `text` set at [`FONT_SIZE`] in the
/// bundled typeface `options` choose, bold as titles are: the width the renderer sizes the
/// page's columns by, so a box is never narrower than its text.
///
/// ```
/// use archdraw::render::svg::{SvgOptions, text_width};
/// let options = SvgOptions::default();
/// assert!(text_width("Orders", true, &options) > text_width("Orders", false, &options));
/// assert!(text_width("WWW", false, &options) > text_width("iii", false, &options));
/// assert_eq!(text_width("", false, &options), 0);
/// ```
pub fn text_width(text: &str, bold: bool, options: &SvgOptions) -> u32 {
    let metrics = Metrics::new(options.typeface(), bold);
    u32::try_from(metrics.pixels(&xml_safe(text), SIZE)).unwrap_or(u32::MAX)
}

/// Where `layout`'s cells lie on the page, its text measured in `regular` and `bold` (titles).
fn page_grid(layout: &Layout, regular: &Metrics, bold: &Metrics) -> PageGrid {
    PageGrid::of(layout, |text, is_bold| {
        if is_bold { bold } else { regular }.pixels(&xml_safe(text), SIZE)
    })
}

/// The width and height in pixels of the SVG `options` draw `layout` as.
#[cfg(feature = "png")]
pub(crate) fn canvas_size(layout: &Layout, options: &SvgOptions) -> (u64, u64) {
    let typeface = options.typeface();
    let grid = page_grid(layout, &Metrics::new(typeface, false), &Metrics::new(typeface, true));
    let (width, height) = grid.canvas();
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
    for (line, _) in layout.text_lines() {
        let set = if line.kind == LineKind::Title { &mut bold } else { &mut regular };
        set.extend(xml_safe(&line.text).chars());
        if line.kind == LineKind::Bullet {
            regular.insert(BULLET);
        }
    }
    (regular, bold)
}
