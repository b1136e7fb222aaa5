//! A diagram as a Graphviz DOT digraph.

use std::fmt::Write as _;

use super::{box_lines, service_lines, text};
use crate::model::{Diagram, Direction};

/// Writes `diagram` as a Graphviz `digraph`.
///
/// Boxes are `shape=box` nodes named by their archdraw ids, arrows `->` edges with `label`,
/// groups `subgraph cluster_<id>` with the group's title as `label`, and services
/// `shape=plaintext` nodes of `class="service"` with `style=dashed` edges to the boxes they
/// serve. The title is the graph's `label`, drawn at the top. Every name and label is quoted
/// and escaped.
///
/// ```
/// let spec = archdraw::parse("boxes: [{id: a, title: A}, {id: b, title: B}]\narrows: [a -> b]\n")?;
/// let dot = archdraw::export::dot(&archdraw::Diagram::from_spec(&spec)?);
/// assert!(dot.starts_with("digraph {\n    rankdir=LR;\n"));
/// assert!(dot.contains("    a -> b;\n"));
/// # Ok::<(), archdraw::Error>(())
/// ```
pub fn dot(diagram: &Diagram) -> String {
    let mut out = String::from("digraph {\n");
    if let Some(title) = &diagram.title {
        let _ = writeln!(out, "    label={};", quoted(title));
        out.push_str("    labelloc=t;\n");
    }
    let rankdir = match diagram.direction {
        Direction::Right => "LR",
        Direction::Down => "TB",
        Direction::Left => "RL",
        Direction::Up => "BT",
    };
    let _ = writeln!(out, "    rankdir={rankdir};");
    out.push_str("    node [shape=box];\n");
    for node in &diagram.nodes {
        let _ =
            writeln!(out, "    {} [label={}];", id(&node.id), quoted(&box_lines(node).join("\n")));
    }
    for group in &diagram.groups {
        let _ = writeln!(out, "    subgraph {} {{", id(&format!("cluster_{}", group.id)));
        let _ = writeln!(out, "        label={};", quoted(&text(&group.title)));
        for node in &group.nodes {
            let _ = writeln!(out, "        {};", id(&diagram.nodes[node.0].id));
        }
        out.push_str("    }\n");
    }
    for edge in &diagram.edges {
        let (from, to) = (id(&diagram.nodes[edge.from.0].id), id(&diagram.nodes[edge.to.0].id));
        match &edge.label {
            Some(label) => {
                let _ = writeln!(out, "    {from} -> {to} [label={}];", quoted(&text(label)));
            }
            None => {
                let _ = writeln!(out, "    {from} -> {to};");
            }
        }
    }
    for service in &diagram.services {
        let name = id(&service.id);
        let label = quoted(&service_lines(service).join("\n"));
        let _ = writeln!(out, "    {name} [label={label}, shape=plaintext, class=\"service\"];");
        for node in &service.serves {
            let _ =
                writeln!(out, "    {name} -> {} [style=dashed];", id(&diagram.nodes[node.0].id));
        }
    }
    out.push_str("}\n");
    out
}

/// A DOT id: bare when it is a plain name that is no keyword, quoted otherwise.
fn id(name: &str) -> String {
    let plain = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !["node", "edge", "graph", "digraph", "subgraph", "strict"]
            .iter()
            .any(|k| name.eq_ignore_ascii_case(k));
    if plain { name.to_owned() } else { quoted(name) }
}

/// A DOT string: `"…"` with `\` and `"` escaped and line breaks written `\n`.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_quoted_when_dot_needs_it() {
        assert_eq!(id("api_2"), "api_2");
        assert_eq!(id("speed-layer"), "\"speed-layer\"");
        assert_eq!(id("Node"), "\"Node\"");
        assert_eq!(id("数据"), "\"数据\"");
        assert_eq!(quoted("a \"b\" \\N\nc"), r#""a \"b\" \\N\nc""#);
    }
}
