//! The spec as written: serde types for the YAML format, and [`parse`](crate::parse).
//!
//! These types mirror the YAML one to one and check only its shape (unknown keys, wrong types,
//! YAML syntax). Ids are not resolved here: [`Diagram::from_spec`](crate::Diagram::from_spec)
//! does that and reports every semantic problem at once. Every id, reference and text is kept
//! as a [`Spanned`] value so those later problems can point at a line and column.
//!
//! ```yaml
//! title: Lambda architecture        # optional
//! direction: right                  # right (default) | down | left | up
//! boxes:
//!   - {id: source, title: Source events}
//!   - {id: speed, title: Speed Layer, text: (Flink/Storm)}
//!   - {id: serve, title: Serve layer, items: [BI, API]}
//! arrows:
//!   - source -> speed -> serve                   # a chain
//!   - speed -> serve: real-time view             # one arrow with a label
//!   - {from: source, to: serve, label: batch}    # the long form
//! services:
//!   - {title: schema registry, serves: source}   # or serves: [a, b]
//! groups:
//!   - {title: Lakehouse, boxes: [speed, serve]}
//! ```
//!
//! Only hand-written visitors are used for the "one of several shapes" values ([`ArrowSpec`],
//! [`Serves`]): serde's `untagged` enums buffer their input and lose every location.
//!
//! The module's parts: the types here, with the helpers that map their positions to spans;
//! `de`, the hand-written visitors; `schema`, the JSON Schema; `yaml`, [`parse`](crate::parse)
//! and the YAML parser's errors in our words.

mod de;
mod schema;
mod yaml;

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
pub use serde_saphyr::{Location, Spanned};

use crate::diagnostic::Span;
use crate::geom::Direction;
pub use crate::style::{Font, Style, Theme};

pub use schema::json_schema;
pub(crate) use yaml::parse;

/// A whole spec file.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "archdraw spec")]
pub struct Spec {
    /// A JSON Schema reference for editors; ignored by archdraw.
    #[serde(rename = "$schema", default)]
    pub schema: Option<String>,
    /// The diagram's title: the SVG `<title>`, not drawn in text.
    #[serde(default)]
    #[schemars(with = "Option<Text>")]
    pub title: Option<Spanned<String>>,
    /// Which way the main flow points (default: right).
    #[serde(default)]
    pub direction: Option<Direction>,
    /// The widest the text drawing should be, in terminal cells.
    #[serde(default)]
    #[schemars(with = "Option<u32>", range(min = 1))]
    pub max_width: Option<Spanned<usize>>,
    /// The page shape to fit the drawing to, width:height in SVG units: `"16:9"`, `"4:3"`,
    /// `"1:1"`, or `none` (default: 16:9 for SVG and PNG when `direction` is not given, none
    /// for text).
    #[serde(default)]
    #[schemars(with = "Option<String>", regex(pattern = r"^\s*(none|\d+\s*:\s*\d+)\s*$"))]
    pub fit: Option<Spanned<String>>,
    /// The SVG colour theme (default: light).
    #[serde(default)]
    pub theme: Option<Theme>,
    /// The SVG and PNG drawing style (default: clean).
    #[serde(default)]
    pub style: Option<Style>,
    /// The SVG and PNG typeface (default: sans; mono for the terminal look).
    #[serde(default)]
    pub font: Option<Font>,
    /// The boxes of the main flow, in order.
    pub boxes: Vec<BoxSpec>,
    /// The arrows between boxes.
    #[serde(default)]
    #[schemars(with = "Vec<ArrowSpec>")]
    pub arrows: Vec<Spanned<ArrowSpec>>,
    /// Control-plane services, drawn in their own row.
    #[serde(default)]
    pub services: Vec<ServiceSpec>,
    /// Titled frames around boxes.
    #[serde(default)]
    pub groups: Vec<GroupSpec>,
}

/// A box: `{id, title, text, items}`.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BoxSpec {
    /// The id arrows refer to; defaults to the title, lower-cased, spaces → `-`.
    #[serde(default)]
    #[schemars(with = "Option<Text>")]
    pub id: Option<Spanned<String>>,
    /// The title, drawn centred.
    #[schemars(with = "Text")]
    pub title: Spanned<String>,
    /// A paragraph centred under the title.
    #[serde(default)]
    #[schemars(with = "Option<Text>")]
    pub text: Option<Spanned<String>>,
    /// Bullet items under the text.
    #[serde(default)]
    #[schemars(with = "Vec<Text>")]
    pub items: Vec<Spanned<String>>,
}

/// A control-plane service: `{id, title, text, serves}`.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    /// The service's id; defaults to the title, lower-cased, spaces → `-`.
    #[serde(default)]
    #[schemars(with = "Option<Text>")]
    pub id: Option<Spanned<String>>,
    /// The title.
    #[schemars(with = "Text")]
    pub title: Spanned<String>,
    /// A paragraph under the title.
    #[serde(default)]
    #[schemars(with = "Option<Text>")]
    pub text: Option<Spanned<String>>,
    /// The boxes the service serves.
    #[schemars(with = "Serves")]
    pub serves: Spanned<Serves>,
}

/// `serves:` — one box id, or a list of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Serves {
    /// `serves: ingest`; its position is the enclosing [`Spanned`]'s.
    One(String),
    /// `serves: [ingest, storage]`.
    Many(Vec<Spanned<String>>),
}

/// A group: `{id, title, boxes}`, drawn as a titled frame around its boxes.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    /// The group's id; defaults to the title, lower-cased, spaces → `-`.
    #[serde(default)]
    #[schemars(with = "Option<Text>")]
    pub id: Option<Spanned<String>>,
    /// The frame's title.
    #[schemars(with = "Text")]
    pub title: Spanned<String>,
    /// The ids of the boxes inside the frame.
    #[schemars(with = "Vec<Text>")]
    pub boxes: Vec<Spanned<String>>,
}

/// One entry of `arrows:`, in any of its three forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArrowSpec {
    /// `a -> b` or a chain `a -> b -> c`: the text as written, not yet split. Its position is
    /// the enclosing [`Spanned`]'s.
    Chain(String),
    /// `a -> b: label` (a one-key map): the arrow text and the label.
    Labelled {
        /// The key, `a -> b`.
        arrow: Spanned<String>,
        /// The value; `None` when left empty (`a -> b:`).
        label: Option<Spanned<String>>,
    },
    /// `{from: a, to: b, label: …}`.
    Long {
        /// The tail's box id.
        from: Spanned<String>,
        /// The head's box id.
        to: Spanned<String>,
        /// The label, if any.
        label: Option<Spanned<String>>,
    },
}

/// A text value in the JSON Schema. YAML reads `7` and `true` as a number and a boolean,
/// but archdraw takes any scalar where text belongs (`id: 7` is the id "7"), so the schema
/// must not flag them either.
pub(super) struct Text;

impl JsonSchema for Text {
    fn schema_name() -> Cow<'static, str> {
        "Text".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Text. A number or `true`/`false` is read as the text it spells.",
            "type": ["string", "number", "boolean"]
        })
    }
}

/// The position of a spanned value, or `None` when it was not read from YAML.
pub(crate) fn span_of(location: &Location) -> Option<Span> {
    let line = usize::try_from(location.line()).ok()?;
    let column = usize::try_from(location.column()).ok()?;
    if line == 0 || column == 0 {
        return None;
    }
    let len = usize::try_from(location.span().len()).unwrap_or(0);
    Some(Span::new(line, column, len))
}

/// Maps char positions inside a scalar's value to source positions.
///
/// The source text of a plain scalar is its value, and that of a quoted scalar without escapes
/// is its value between two quotes; for anything else (escapes, block scalars, folded lines)
/// the value's chars do not map onto source columns, so the whole scalar is returned.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ScalarSpans {
    whole: Option<Span>,
    /// Columns from the scalar's start to its value's first char, when chars map 1:1.
    offset: Option<usize>,
}

impl ScalarSpans {
    /// Measures once, so a long chain can map each of its ids cheaply.
    pub(crate) fn new(location: &Location, value: &str) -> Self {
        let whole = span_of(location);
        let offset = whole.and_then(|whole| {
            if value.contains('\n') {
                return None;
            }
            let chars = value.chars().count();
            if whole.len == chars {
                Some(0)
            } else if whole.len == chars + 2 {
                Some(1)
            } else {
                None
            }
        });
        Self { whole, offset }
    }

    /// The position of the value's chars `start..start + len`.
    pub(crate) fn at(&self, start: usize, len: usize) -> Option<Span> {
        let whole = self.whole?;
        Some(match self.offset {
            Some(offset) => Span::new(whole.line, whole.column + offset + start, len),
            None => whole,
        })
    }
}

/// One id of an arrow chain: its text and where it sits in the chain's text, in chars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Link<'a> {
    pub id: &'a str,
    pub start: usize,
    pub len: usize,
}

/// Splits `a -> b -> c` at every `->`, trimming the white space around each id.
pub(crate) fn chain_links(text: &str) -> Vec<Link<'_>> {
    let mut links = Vec::new();
    let mut start_chars = 0;
    for piece in text.split("->") {
        let leading = piece.len() - piece.trim_start().len();
        let id = piece.trim();
        let start = start_chars + piece[..leading].chars().count();
        links.push(Link { id, start, len: id.chars().count() });
        start_chars += piece.chars().count() + 2;
    }
    links
}

/// Shows user text inside a message: control characters escaped so a message never carries
/// them to a terminal, and very long text shortened.
pub(crate) fn escape(text: &str) -> String {
    const MAX: usize = 60;
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        if c.is_control() || crate::text::is_hidden_control(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_links_know_their_char_offsets() {
        let links = chain_links("数据 -> b->  c ");
        let got: Vec<_> = links.iter().map(|l| (l.id, l.start, l.len)).collect();
        assert_eq!(got, [("数据", 0, 2), ("b", 6, 1), ("c", 11, 1)]);
        assert_eq!(chain_links("a").len(), 1);
        assert_eq!(chain_links("a -> ").last().map(|l| l.id), Some(""));
    }

    #[test]
    fn escape_neutralises_control_characters() {
        assert_eq!(escape("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(escape(&"x".repeat(100)).chars().count(), 61);
    }
}
