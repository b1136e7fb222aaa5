//! archdraw: boxes, arrows and control-plane services from YAML to text and SVG diagrams.
//!
//! # The contract
//!
//! A string in, a string out. The library does no I/O, prints nothing and keeps no global
//! state; the same input gives the same bytes on every run and platform. Every mistake in a
//! spec is found before anything is drawn and comes back as an [`Error`] holding all of them,
//! each a [`Diagnostic`] with a line and column where there is one. Layout and renderers cannot
//! fail; what can is a diagram too large for them, which [`render()`] refuses before spending
//! the memory (see [`Limits`]).
//!
//! # Example
//!
//! ```
//! let yaml = "
//! boxes:
//!   - {id: app, title: App}
//!   - {id: db, title: Database, items: [orders, users]}
//! arrows:
//!   - app -> db: SQL
//! ";
//! let text = archdraw::render(yaml, &archdraw::Options::default())?;
//! assert!(text.contains("Database") && text.contains("• orders") && text.contains("SQL"));
//!
//! let svg = archdraw::render(yaml, &archdraw::Options {
//!     format: archdraw::Format::Svg,
//!     ..archdraw::Options::default()
//! })?;
//! assert!(svg.starts_with("<svg"));
//!
//! let typo = "boxes: [{title: App}, {title: DB}]\narrows: [app -> dbb]\n";
//! let error = archdraw::render(typo, &archdraw::Options::default()).unwrap_err();
//! assert_eq!(error.to_string(), "2:17: unknown box 'dbb'\nhelp: did you mean 'db'?");
//! # Ok::<(), archdraw::Error>(())
//! ```
//!
//! # The pipeline
//!
//! Each stage is plain data and public, so embedders and tests can stop at any of them:
//!
//! 1. [`parse`]: YAML text → [`spec::Spec`], the spec as written (shape and syntax errors).
//! 2. [`Diagram::from_spec`]: spec → [`Diagram`], ids resolved and every text measured in
//!    terminal cells (all semantic errors, at once).
//! 3. [`layout()`]: diagram → [`Layout`], boxes, routes and labels on an integer cell grid.
//! 4. [`render::text::render`] / [`render::svg::render`]: layout → `String`.
//!
//! [`render()`] runs all four. Input size, box and arrow counts, text length, the layout's
//! size and the text drawing's size are bounded by [`Limits`], which embedders can change; a
//! staged caller keeps the same bounds with [`layout::try_layout`] and [`layout::check_text`].
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod diagnostic;
pub mod export;
pub mod geom;
pub mod import;
pub mod layout;
mod limits;
pub mod markdown;
pub mod model;
mod pipeline;
pub mod render;
pub mod spec;
pub mod style;
pub mod text;
mod typeface;

pub use diagnostic::{Diagnostic, Error, Span};
pub use layout::{Layout, layout};
pub use limits::Limits;
pub use model::{Diagram, DiagramBuilder};
pub use pipeline::{Format, Options};
pub use spec::Spec;

/// Parses a YAML spec with the default [`Limits`].
///
/// A leading byte-order mark is ignored.
///
/// # Errors
///
/// One located [`Diagnostic`]: YAML syntax errors, unknown keys, wrong value types, an empty
/// file, input over [`Limits::max_input_bytes`], or YAML aliases that expand past the parser's
/// budget (an "alias bomb").
///
/// ```
/// let error = archdraw::parse("boxes:\n  - title: A\n    colour: red\n").unwrap_err();
/// let d = &error.diagnostics[0];
/// assert_eq!(d.message, "unknown key `colour`");
/// assert_eq!(d.span.map(|s| (s.line, s.column)), Some((3, 5)));
/// ```
pub fn parse(yaml: &str) -> Result<Spec, Error> {
    spec::parse(yaml, &Limits::default())
}

/// Like [`parse`], with explicit limits.
///
/// # Errors
///
/// As [`parse`].
pub fn parse_with_limits(yaml: &str, limits: &Limits) -> Result<Spec, Error> {
    spec::parse(yaml, limits)
}

/// Renders a YAML spec: [`parse`], [`Diagram::from_spec`], [`layout()`], then the renderer
/// `options.format` asks for.
///
/// # Errors
///
/// Every problem in the spec; see [`parse`] and [`Diagram::from_spec`].
pub fn render(yaml: &str, options: &Options) -> Result<String, Error> {
    let spec = parse_with_limits(yaml, &options.limits)?;
    render_spec(&spec, options)
}

/// Renders an already parsed spec; the part of [`render()`] after [`parse`].
///
/// # Errors
///
/// Every semantic problem in the spec; see [`Diagram::from_spec`]. A diagram whose layout
/// would pass [`Limits::max_layout_nodes`], or whose text drawing would pass
/// [`Limits::max_text_cells`], is refused with one diagnostic before the memory is spent.
pub fn render_spec(spec: &Spec, options: &Options) -> Result<String, Error> {
    // Source in another language: the diagram as declared, with no layout.
    if matches!(options.format, Format::Mermaid | Format::Dot) {
        let diagram = Diagram::from_spec_with_limits(spec, &options.limits)?;
        return Ok(if options.format == Format::Mermaid {
            export::mermaid(&diagram)
        } else {
            export::dot(&diagram)
        });
    }
    let page = options.format == Format::Svg;
    let (layout, appearance) = pipeline::lay_out(spec, options, options.format.charset(), page)?;
    if options.format.charset().is_some() {
        layout::check_text(&layout, &options.limits)?;
    }
    Ok(match options.format {
        Format::Text => render::text::render(&layout, render::text::Charset::Unicode),
        Format::Ascii => render::text::render(&layout, render::text::Charset::Ascii),
        Format::Svg => {
            render::svg::render(&layout, &render::svg::SvgOptions::for_appearance(appearance))
        }
        Format::Json => layout_json(&layout),
        Format::Mermaid | Format::Dot => unreachable!("exported before layout"),
    })
}

impl render::svg::SvgOptions {
    /// The options a spec asks for: its `theme:`, `style:` and `font:`, defaults elsewhere;
    /// what [`SvgOptions::for_appearance`](render::svg::SvgOptions::for_appearance) gives for
    /// the diagram the spec resolves to. (Defined with the pipeline, as renderers never read a
    /// spec.)
    ///
    /// ```
    /// use archdraw::render::svg::{Font, Style, SvgOptions, Theme};
    /// let spec = archdraw::parse("theme: dark\nstyle: sketch\nfont: mono\nboxes: [{title: A}]\n")?;
    /// let options = SvgOptions::for_spec(&spec);
    /// assert_eq!((options.theme, options.style, options.font), (Theme::Dark, Style::Sketch, Font::Mono));
    /// # Ok::<(), archdraw::Error>(())
    /// ```
    pub fn for_spec(spec: &Spec) -> Self {
        Self::for_appearance(style::Appearance {
            theme: spec.theme.unwrap_or_default(),
            style: spec.style.unwrap_or_default(),
            font: spec.font.unwrap_or_default(),
        })
    }
}

/// Checks a parsed spec as far as can be known without drawing it: every semantic problem
/// ([`Diagram::from_spec_with_limits`]), then the size of its layout
/// ([`Limits::max_layout_nodes`], located at the arrow that passes over the most ranks).
/// Returns the diagram, ready for [`layout()`].
///
/// # Errors
///
/// As [`Diagram::from_spec`], or one diagnostic for a layout over the limit.
///
/// ```
/// let spec = archdraw::parse("boxes: [{title: A}, {title: B}, {title: C}]\narrows: [a -> b -> c, a -> c]")?;
/// let mut limits = archdraw::Limits::default();
/// assert!(archdraw::check_spec(&spec, &limits).is_ok());
/// limits.max_layout_nodes = 3; // three boxes, and `a -> c` passes over B's rank
/// let error = archdraw::check_spec(&spec, &limits).unwrap_err();
/// // At `a -> c`, the arrow that passes over a rank.
/// assert_eq!(error.diagnostics[0].span.map(|s| (s.line, s.column)), Some((2, 23)));
/// # Ok::<(), archdraw::Error>(())
/// ```
pub fn check_spec(spec: &Spec, limits: &Limits) -> Result<Diagram, Error> {
    let diagram = Diagram::from_spec_with_limits(spec, limits)?;
    if let Err((diagnostic, edge)) = layout::budget::check_layout(&diagram, limits) {
        let span = edge.and_then(|k| arrow_span(spec, k));
        return Err(diagnostic.with_span_opt(span).into());
    }
    Ok(diagram)
}

/// Where the spec writes the `edge`th arrow of its diagram (chains expanded), for a spec that
/// resolved without problems, so every entry made all its arrows.
fn arrow_span(spec: &Spec, edge: usize) -> Option<Span> {
    let mut seen = 0;
    for entry in &spec.arrows {
        let (made, location) = match &entry.value {
            spec::ArrowSpec::Chain(text) => {
                (spec::chain_links(text).len().saturating_sub(1), &entry.referenced)
            }
            spec::ArrowSpec::Labelled { arrow, .. } => {
                (spec::chain_links(&arrow.value).len().saturating_sub(1), &arrow.referenced)
            }
            spec::ArrowSpec::Long { .. } => (1, &entry.referenced),
        };
        if edge < seen + made {
            return spec::span_of(location);
        }
        seen += made;
    }
    None
}

/// The layout as pretty JSON with a final newline.
fn layout_json(layout: &Layout) -> String {
    // serde_json fails only on maps with non-string keys or a failing Serialize impl; Layout
    // derives Serialize over strings, integers, vectors and enums, so this cannot fail.
    let mut json = serde_json::to_string_pretty(layout)
        .unwrap_or_else(|e| unreachable!("a Layout always serialises to JSON: {e}"));
    json.push('\n');
    json
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::LayoutOptions;
    use crate::render::text::Charset;

    /// Text outside ASCII and a label that would read as an arrow: the stage-by-stage path must
    /// fold them just as `render()` does (only with `--ascii-text fold`: the words are
    /// otherwise drawn as written, a label `x -> y` too).
    const CAFE: &str = "boxes: [{id: a, title: Café → Zürich}, {id: b, title: B}]\n\
                        arrows: [a -> b: x -> y]\n";

    #[test]
    fn the_stages_with_a_charset_draw_what_render_draws() {
        let diagram = Diagram::from_spec(&parse(CAFE).unwrap()).unwrap();
        for (format, charset) in [(Format::Ascii, Charset::Ascii), (Format::Text, Charset::Unicode)]
        {
            let options = LayoutOptions { charset: Some(charset), ..LayoutOptions::default() };
            let staged = render::text::render(&layout(&diagram, &options), charset);
            let whole = super::render(CAFE, &Options { format, ..Options::default() }).unwrap();
            assert_eq!(staged, whole, "{format:?}");
        }
        let options = LayoutOptions { charset: Some(Charset::Ascii), ..LayoutOptions::default() };
        let ascii = render::text::render(&layout(&diagram, &options), Charset::Ascii);
        assert!(ascii.contains("Café → Zürich") && ascii.contains("x -> y"), "{ascii}");
        let drawing: String = ascii.replace("Café → Zürich", "");
        assert!(drawing.is_ascii(), "{ascii}");
        let fold = LayoutOptions { ascii_text: crate::style::AsciiText::Fold, ..options };
        let folded = render::text::render(&layout(&diagram, &fold), Charset::Ascii);
        assert!(folded.is_ascii() && folded.contains("Cafe -> Zurich"), "{folded}");
    }

    #[test]
    fn options_override_the_spec_look() {
        use crate::render::svg::SvgOptions;
        use crate::style::{Font, Style, Theme};
        let spec = parse("theme: dark\nfont: mono\nboxes: [{title: A}]\n").unwrap();
        let laid_out = layout(&Diagram::from_spec(&spec).unwrap(), &LayoutOptions::default());
        let drawn = |theme, style, font| {
            let options = SvgOptions { theme, style, font, ..SvgOptions::default() };
            render::svg::render(&laid_out, &options)
        };
        let svg = |options: Options| {
            render_spec(&spec, &Options { format: Format::Svg, ..options }).unwrap()
        };
        assert_eq!(svg(Options::default()), drawn(Theme::Dark, Style::Clean, Font::Mono));
        let flags =
            Options { theme: Some(Theme::Light), style: Some(Style::Sketch), ..Options::default() };
        assert_eq!(svg(flags), drawn(Theme::Light, Style::Sketch, Font::Mono));
        assert_ne!(
            drawn(Theme::Dark, Style::Clean, Font::Mono),
            drawn(Theme::Light, Style::Sketch, Font::Mono)
        );
    }
}

/// The README's Rust examples, compiled and run as doc tests so they cannot go stale.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
