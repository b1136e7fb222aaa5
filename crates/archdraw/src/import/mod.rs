//! Diagrams people already have: Mermaid flowcharts and Graphviz DOT, read into a [`Spec`].
//!
//! Each reader is a small hand-written parser over the source text: linear in its length,
//! bounded by the same [`Limits`] as a YAML spec, and it reports problems as located
//! [`Diagnostic`]s in the source language's own terms. What archdraw cannot draw yet (a
//! diamond, a dotted link, a nested subgraph) is mapped to the nearest thing it can, and each
//! kind of loss is reported once as a warning, located at its first occurrence.
//!
//! The [`Spec`] that comes back carries source positions, so a problem that
//! [`Diagram::from_spec`](crate::Diagram::from_spec) finds later (a control character in a
//! label, a label over the length limit) points into the Mermaid or DOT file too.
//!
//! ```
//! let source = "flowchart LR\n    app[App] -->|SQL| db[(Database)]\n";
//! let imported = archdraw::import::mermaid(source)?;
//! assert_eq!(imported.spec.boxes.len(), 2);
//! // archdraw draws boxes only (for now), so the cylinder says so:
//! assert_eq!(imported.warnings.len(), 1);
//! assert!(imported.warnings[0].message.contains("cylinder"));
//!
//! let text = archdraw::render_spec(&imported.spec, &archdraw::Options::default())?;
//! assert!(text.contains("Database") && text.contains("SQL"));
//! # Ok::<(), archdraw::Error>(())
//! ```
//!
//! # How constructs map
//!
//! | Mermaid / DOT | archdraw |
//! |---|---|
//! | node, any shape | box (a warning names each shape that is not a rectangle) |
//! | label lines (`<br>`, `\n`) | first line: title; lines starting `• `: items; the rest: text |
//! | link with one arrowhead | arrow (dotted, thick, circle or cross heads: a warning) |
//! | link without arrowhead, undirected edge | arrow from the first node to the second (warning) |
//! | two-way link (`<-->`, `dir=both`) | two arrows (warning) |
//! | invisible link (`~~~`, `style=invis`) | nothing (warning) |
//! | subgraph, `cluster_*` | group; nested ones become flat groups titled `Outer / Inner` (warning) |
//! | link to a Mermaid subgraph | arrow to or from one node inside it (warning naming it) |
//! | node of class `service` whose links are all dotted/dashed and outgoing | service |
//! | styles, classes, clicks, other attributes | ignored (one warning per kind) |

mod dot;
mod graph;
mod label;
mod mermaid;

use std::collections::HashMap;

use serde::Deserialize as _;
use serde_saphyr::{Location, Spanned};

use crate::diagnostic::{Diagnostic, Error, Span};
use crate::model::Limits;
use crate::spec::Spec;

/// A diagram read from Mermaid or DOT: the spec it maps to, and what the mapping could not
/// keep.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Imported {
    /// The diagram as an archdraw spec, every id explicit and every text located in the
    /// source.
    pub spec: Spec,
    /// One located warning per kind of construct that was mapped to something near it or
    /// ignored, sorted by position.
    pub warnings: Vec<Diagnostic>,
}

/// The languages archdraw reads a diagram from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    /// An archdraw YAML spec.
    #[default]
    Yaml,
    /// A Mermaid flowchart (`flowchart LR` / `graph TD`).
    Mermaid,
    /// A Graphviz DOT graph (`digraph { … }`).
    Dot,
}

impl Language {
    /// The language a file name extension implies (any case): `.mmd` and `.mermaid` are
    /// Mermaid, `.dot` and `.gv` are DOT, `.yaml` and `.yml` are YAML.
    ///
    /// ```
    /// use archdraw::import::Language;
    /// assert_eq!(Language::from_extension("MMD"), Some(Language::Mermaid));
    /// assert_eq!(Language::from_extension("gv"), Some(Language::Dot));
    /// assert_eq!(Language::from_extension("txt"), None);
    /// ```
    pub fn from_extension(extension: &str) -> Option<Self> {
        match extension.to_ascii_lowercase().as_str() {
            "mmd" | "mermaid" => Some(Self::Mermaid),
            "dot" | "gv" => Some(Self::Dot),
            "yaml" | "yml" => Some(Self::Yaml),
            _ => None,
        }
    }
}

/// Reads a Mermaid flowchart with the default [`Limits`].
///
/// # Errors
///
/// Located diagnostics in Mermaid's terms: a diagram that is not a flowchart, a statement
/// archdraw does not read, an unclosed subgraph or label, input over the limits.
///
/// ```
/// let error = archdraw::import::mermaid("sequenceDiagram\n  A->>B: hi\n").unwrap_err();
/// assert!(error.diagnostics[0].message.contains("sequence diagram"));
/// ```
pub fn mermaid(source: &str) -> Result<Imported, Error> {
    mermaid_with_limits(source, &Limits::default())
}

/// Like [`mermaid`], with explicit limits.
///
/// # Errors
///
/// As [`mermaid`].
pub fn mermaid_with_limits(source: &str, limits: &Limits) -> Result<Imported, Error> {
    let source = prepare(source, limits)?;
    let mut warnings = Warnings::default();
    let graph = mermaid::parse(source, limits, &mut warnings)?;
    let spec = graph::lower(graph, &mut warnings)?;
    Ok(Imported { spec, warnings: warnings.finish() })
}

/// Reads a Graphviz DOT graph with the default [`Limits`].
///
/// # Errors
///
/// Located diagnostics in DOT's terms: syntax errors, an edge operator that does not fit the
/// graph (`->` in a `graph`), more than one graph in the file, input over the limits.
///
/// ```
/// let imported = archdraw::import::dot("digraph { rankdir=LR; a -> b [label=\"x\"] }")?;
/// assert_eq!(imported.spec.boxes.len(), 2);
/// assert!(imported.warnings.is_empty());
/// # Ok::<(), archdraw::Error>(())
/// ```
pub fn dot(source: &str) -> Result<Imported, Error> {
    dot_with_limits(source, &Limits::default())
}

/// Like [`dot`], with explicit limits.
///
/// # Errors
///
/// As [`dot`].
pub fn dot_with_limits(source: &str, limits: &Limits) -> Result<Imported, Error> {
    let source = prepare(source, limits)?;
    let mut warnings = Warnings::default();
    let graph = dot::parse(source, limits, &mut warnings)?;
    let spec = graph::lower(graph, &mut warnings)?;
    Ok(Imported { spec, warnings: warnings.finish() })
}

/// Reads `source` in `language`: [`crate::parse_with_limits`] for YAML (never a warning),
/// [`mermaid_with_limits`] or [`dot_with_limits`] for the others.
///
/// # Errors
///
/// As the reader for `language`.
///
/// ```
/// use archdraw::import::{Language, read};
/// let yaml = read("boxes: [{title: A}]", Language::Yaml, &archdraw::Limits::default())?;
/// let mmd = read("graph TD\n  A", Language::Mermaid, &archdraw::Limits::default())?;
/// assert_eq!(yaml.spec.boxes[0].title.value, mmd.spec.boxes[0].title.value);
/// # Ok::<(), archdraw::Error>(())
/// ```
pub fn read(source: &str, language: Language, limits: &Limits) -> Result<Imported, Error> {
    match language {
        Language::Yaml => {
            Ok(Imported { spec: crate::spec::parse(source, limits)?, warnings: Vec::new() })
        }
        Language::Mermaid => mermaid_with_limits(source, limits),
        Language::Dot => dot_with_limits(source, limits),
    }
}

/// What a Mermaid diagram that starts with `word` is, in Mermaid's words, when it is not a
/// flowchart (`sequenceDiagram`: "sequence diagram").
pub(crate) fn mermaid_diagram_kind(word: &str) -> Option<&'static str> {
    mermaid::diagram_kind(word)
}

/// The source without a byte-order mark, or an error when it is over the size limit.
fn prepare<'a>(source: &'a str, limits: &Limits) -> Result<&'a str, Error> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    if source.len() > limits.max_input_bytes {
        return Err(Diagnostic::new(format!(
            "the diagram is too large: {} bytes, over the limit of {} bytes",
            source.len(),
            limits.max_input_bytes
        ))
        .with_help("split the diagram into smaller ones")
        .into());
    }
    if source.trim().is_empty() {
        return Err(Diagnostic::new("the diagram is empty").into());
    }
    Ok(source)
}

/// A value located at `span` in the source, so that the spec's later checks point there.
///
/// serde-saphyr builds its locations only while reading YAML; its `Location` is plain data
/// with a public `Deserialize`, which is the one way to make one at a given place.
pub(crate) fn located<T>(value: T, span: Span) -> Spanned<T> {
    let json = serde_json::json!({
        "line": span.line,
        "column": span.column,
        "span": {"offset": 0, "len": span.len, "byte_info": [u32::MAX, u32::MAX]},
    });
    // Every field is present with its type, so this cannot fail; an unknown location only
    // costs the position of a later message.
    let location = Location::deserialize(json).unwrap_or(Location::UNKNOWN);
    Spanned::new(value, location, location)
}

/// One warning per kind of construct: the first place it occurs, and how many there are.
#[derive(Debug, Default)]
pub(crate) struct Warnings {
    entries: Vec<Warning>,
    by_kind: HashMap<&'static str, usize>,
}

#[derive(Debug)]
struct Warning {
    diagnostic: Diagnostic,
    count: usize,
    /// For warnings about named things (attributes): the first distinct names, in order.
    names: Vec<String>,
    /// Every distinct name, for the count of the ones not listed.
    seen: std::collections::HashSet<String>,
    /// How to list the names: `{}` in the message is replaced by them.
    listed: bool,
}

/// Names listed in one warning before "and N more".
const MAX_NAMES: usize = 8;

impl Warnings {
    /// Records one occurrence of `kind`; the message and help are made only for the first.
    pub(crate) fn add(
        &mut self,
        kind: &'static str,
        span: Span,
        message: impl FnOnce() -> String,
        help: Option<&str>,
    ) {
        if let Some(&i) = self.by_kind.get(kind) {
            self.entries[i].count += 1;
            return;
        }
        let mut diagnostic = Diagnostic::new(message()).with_span(span);
        diagnostic.help = help.map(str::to_owned);
        self.by_kind.insert(kind, self.entries.len());
        self.entries.push(Warning {
            diagnostic,
            count: 1,
            names: Vec::new(),
            seen: std::collections::HashSet::new(),
            listed: false,
        });
    }

    /// Records `name` (an attribute, a keyword) under `kind`, whose message holds `{}` where
    /// the names go: `attributes {} are ignored`.
    pub(crate) fn add_named(
        &mut self,
        kind: &'static str,
        name: &str,
        span: Span,
        template: &str,
        help: Option<&str>,
    ) {
        let i = match self.by_kind.get(kind) {
            Some(&i) => {
                self.entries[i].count += 1;
                i
            }
            None => {
                let mut diagnostic = Diagnostic::new(template).with_span(span);
                diagnostic.help = help.map(str::to_owned);
                self.by_kind.insert(kind, self.entries.len());
                self.entries.push(Warning {
                    diagnostic,
                    count: 1,
                    names: Vec::new(),
                    seen: std::collections::HashSet::new(),
                    listed: true,
                });
                self.entries.len() - 1
            }
        };
        let entry = &mut self.entries[i];
        if entry.seen.insert(name.to_owned()) && entry.names.len() < MAX_NAMES {
            entry.names.push(name.to_owned());
        }
    }

    /// The warnings, sorted by position, each saying how often its construct occurs.
    pub(crate) fn finish(self) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = self
            .entries
            .into_iter()
            .map(|w| {
                let mut d = w.diagnostic;
                if w.listed {
                    let mut names: Vec<String> =
                        w.names.iter().map(|n| format!("`{}`", crate::spec::escape(n))).collect();
                    if w.seen.len() > w.names.len() {
                        names.push(format!("{} more", w.seen.len() - w.names.len()));
                    }
                    d.message = d.message.replace("{}", &names.join(", "));
                } else if w.count > 1 {
                    d.message.push_str(&format!(" ({} times; the first is here)", w.count));
                }
                d
            })
            .collect();
        out.sort_by_key(|d| d.span);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::span_of;

    #[test]
    fn located_values_carry_their_position() {
        let value = located("x".to_owned(), Span::new(3, 7, 2));
        assert_eq!(span_of(&value.referenced), Some(Span::new(3, 7, 2)));
    }

    #[test]
    fn warnings_count_per_kind_and_list_names() {
        let mut w = Warnings::default();
        w.add("dotted", Span::new(2, 1, 1), || "dotted".to_owned(), None);
        w.add("dotted", Span::new(5, 1, 1), || unreachable!(), None);
        w.add_named("attr", "color", Span::new(1, 1, 1), "attributes are ignored: {}", None);
        w.add_named("attr", "color", Span::new(4, 1, 1), "", None);
        w.add_named("attr", "penwidth", Span::new(4, 1, 1), "", None);
        let out = w.finish();
        assert_eq!(out[0].message, "attributes are ignored: `color`, `penwidth`");
        assert_eq!(out[1].message, "dotted (2 times; the first is here)");
    }

    #[test]
    fn oversized_and_empty_input_are_refused() {
        let limits = Limits { max_input_bytes: 5, ..Limits::default() };
        let e = mermaid_with_limits("graph TD\n  A", &limits).unwrap_err();
        assert!(e.diagnostics[0].message.starts_with("the diagram is too large"));
        let e = dot(" \n ").unwrap_err();
        assert_eq!(e.diagnostics[0].message, "the diagram is empty");
    }
}
