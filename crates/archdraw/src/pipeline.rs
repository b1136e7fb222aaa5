//! What a whole run from spec to drawing takes: the options of [`render()`](crate::render),
//! and the stages every output goes through (resolve, then lay out), shared by the text, SVG,
//! JSON and PNG paths so they cannot drift apart.

use crate::diagnostic::Error;
use crate::geom::Fit;
use crate::layout::{Layout, LayoutOptions, layout};
use crate::limits::Limits;
use crate::spec::Spec;
use crate::style::{Appearance, AsciiText, Charset, Font, Style, Theme};

/// What [`render()`](crate::render()) produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Unicode box drawing (`┌─┐`, `▶`), for terminals and Markdown.
    #[default]
    Text,
    /// 7-bit ASCII only (`+-|`, `>`).
    Ascii,
    /// A standalone SVG document.
    Svg,
    /// The [`Layout`](crate::Layout) as pretty-printed JSON, for tools and tests.
    Json,
    /// A Mermaid flowchart of the diagram ([`export::mermaid`](crate::export::mermaid)),
    /// which GitHub renders.
    Mermaid,
    /// A Graphviz DOT digraph of the diagram ([`export::dot`](crate::export::dot)).
    Dot,
}

/// Options for [`render()`](crate::render()).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The output format.
    pub format: Format,
    /// The widest the drawing should be, in cells; overrides the spec's `max_width`.
    pub max_width: Option<usize>,
    /// The page shape to fit the drawing to; overrides the spec's `fit:`. Without either, SVG
    /// and PNG drawings of a spec that does not pin `direction` are fitted to a 16:9 slide
    /// ([`Fit::SLIDE`]), and the other formats are drawn as laid out.
    pub fit: Option<Fit>,
    /// Input limits.
    pub limits: Limits,
    /// The SVG and PNG colours; overrides the spec's `theme:`.
    pub theme: Option<Theme>,
    /// Clean or hand-drawn SVG and PNG lines; overrides the spec's `style:`.
    pub style: Option<Style>,
    /// The SVG and PNG typeface; overrides the spec's `font:`.
    pub font: Option<Font>,
    /// For [`Format::Ascii`]: the user's words kept as written (the default; only the drawing
    /// is 7-bit) or folded to 7-bit ASCII.
    pub ascii_text: AsciiText,
}

impl Format {
    /// The charset the text renderer draws this format in; `None` for formats whose text is
    /// drawn as written (SVG, JSON).
    pub const fn charset(self) -> Option<Charset> {
        match self {
            Format::Text => Some(Charset::Unicode),
            Format::Ascii => Some(Charset::Ascii),
            Format::Svg | Format::Json | Format::Mermaid | Format::Dot => None,
        }
    }
}

/// `spec` resolved and laid out as `options` ask, its text folded for `charset` (`None` for
/// text as written), and the look its SVG or PNG drawing takes. `page` is for an SVG or PNG
/// drawing, which takes a slide's shape unless the spec pins `direction` or `fit` (or
/// `options.fit` says).
pub(crate) fn lay_out(
    spec: &Spec,
    options: &Options,
    charset: Option<Charset>,
    page: bool,
) -> Result<(Layout, Appearance), Error> {
    let diagram = crate::check_spec(spec, &options.limits)?;
    let slide = page && diagram.fit.is_none() && !diagram.direction_given;
    let fit = options.fit.or(slide.then_some(Fit::SLIDE));
    let layout = layout(
        &diagram,
        &LayoutOptions {
            max_width: options.max_width,
            charset,
            ascii_text: options.ascii_text,
            fit,
        },
    );
    let appearance = diagram.appearance.overridden(options.theme, options.style, options.font);
    Ok((layout, appearance))
}
