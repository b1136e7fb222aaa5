//! Size limits on what the library accepts, shared by every stage that reads input.

/// Size limits that keep hostile or runaway input cheap to reject.
///
/// The defaults are far above any diagram a person draws and low enough that parsing and
/// layout stay fast and small. Embedders can raise or lower them:
///
/// ```
/// let mut limits = archdraw::Limits::default();
/// limits.max_boxes = 100_000;
/// limits.max_input_bytes = 32 << 20;
/// let spec = archdraw::parse_with_limits("boxes: [{title: A}]", &limits)?;
/// let diagram = archdraw::Diagram::from_spec_with_limits(&spec, &limits)?;
/// assert_eq!(diagram.nodes.len(), 1);
/// # Ok::<(), archdraw::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The largest spec [`parse`](crate::parse) accepts, in bytes (default 1 MiB).
    pub max_input_bytes: usize,
    /// The most boxes a diagram may have (default 20,000); services and groups are limited to
    /// the same number each.
    pub max_boxes: usize,
    /// The longest any single text may be — a title, text, item, label or id — in `char`s
    /// (default 2,000).
    pub max_text_len: usize,
    /// The most arrows a diagram may have once chains are expanded (default 50,000).
    pub max_arrows: usize,
    /// The most nodes the layered layout may have (default 200,000): boxes, plus one dummy
    /// node for every rank an arrow passes over. Checked after ranking, before the layout
    /// spends anything on them (see [`layout::try_layout`](crate::layout::try_layout)).
    pub max_layout_nodes: usize,
    /// The most cells, columns × rows, a text drawing may have (default 16,000,000); checked
    /// after layout, before the text renderer allocates anything (see
    /// [`layout::check_text`](crate::layout::check_text)). SVG has no such limit.
    pub max_text_cells: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_input_bytes: 1 << 20,
            max_boxes: 20_000,
            max_text_len: 2_000,
            max_arrows: 50_000,
            max_layout_nodes: 200_000,
            max_text_cells: 16_000_000,
        }
    }
}
