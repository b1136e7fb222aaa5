//! What a whole run from spec to drawing takes: the options of [`render()`](crate::render).

use crate::limits::Limits;

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
}

/// Options for [`render()`](crate::render()).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The output format.
    pub format: Format,
    /// The widest the drawing should be, in cells; overrides the spec's `max_width`.
    pub max_width: Option<usize>,
    /// Input limits.
    pub limits: Limits,
}
