//! The SVG renderer.

use crate::layout::Layout;

/// Options for the SVG renderer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SvgOptions {}

/// Draws `layout` as a standalone SVG document.
pub fn render(layout: &Layout, options: &SvgOptions) -> String {
    let _ = (layout, options);
    String::new()
}
