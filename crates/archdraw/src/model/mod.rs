//! The validated diagram: ids resolved to indices, every text measured in cells.
//!
//! [`Diagram::from_spec`] is the only place user errors are found; everything after it (layout,
//! renderers) is infallible.

pub mod ascii;
pub mod builder;
mod resolve;

pub use crate::geom::{Direction, Fit};
pub use crate::limits::Limits;
/// Text measurement, which the renderers share: see [`crate::text`].
pub use crate::text;
pub use builder::DiagramBuilder;

use serde::Serialize;

use crate::style::Appearance;
use crate::text::TextBlock;

/// Index of a box in [`Diagram::nodes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct NodeId(pub usize);

/// A box of the main flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Node {
    /// The id arrows refer to.
    pub id: String,
    /// The title, drawn centred (and bold in SVG).
    pub title: TextBlock,
    /// An optional paragraph, centred under the title.
    pub text: TextBlock,
    /// Bullet items, left-aligned under the text.
    pub items: Vec<TextBlock>,
}

/// An arrow between two boxes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edge {
    /// Where the arrow starts.
    pub from: NodeId,
    /// Where the arrowhead is.
    pub to: NodeId,
    /// Text written along the arrow.
    pub label: Option<TextBlock>,
}

/// A control-plane service, drawn in its own row with arrows into the boxes it serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Service {
    /// The service's id.
    pub id: String,
    /// The title.
    pub title: TextBlock,
    /// An optional paragraph under the title.
    pub text: TextBlock,
    /// The boxes it serves, at least one.
    pub serves: Vec<NodeId>,
}

/// A titled frame drawn around some boxes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    /// The group's id.
    pub id: String,
    /// The frame's title.
    pub title: TextBlock,
    /// The boxes inside the frame.
    pub nodes: Vec<NodeId>,
}

/// A whole diagram, validated.
///
/// # Guarantees
///
/// - Every [`NodeId`] in `edges`, `services` and `groups` indexes `nodes`.
/// - Ids are unique among boxes, services and groups.
/// - No text contains control characters; every [`TextBlock`] is measured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagram {
    /// The diagram's title (SVG `<title>`; not drawn in text).
    pub title: Option<String>,
    /// Which way the main flow goes.
    pub direction: Direction,
    /// Whether the spec pinned `direction`: if not, fitting to a page shape may turn the flow.
    pub direction_given: bool,
    /// The widest the text drawing may be, in cells, if limited.
    pub max_width: Option<usize>,
    /// The page shape the spec asks for (`fit:`), if it says.
    pub fit: Option<Fit>,
    /// The boxes, in the order written.
    pub nodes: Vec<Node>,
    /// The arrows, in the order written (chains expanded).
    pub edges: Vec<Edge>,
    /// The control-plane services.
    pub services: Vec<Service>,
    /// The frames around groups of boxes.
    pub groups: Vec<Group>,
    /// How its SVG and PNG drawings look: the spec's `theme:`, `style:` and `font:`, resolved.
    pub appearance: Appearance,
}
