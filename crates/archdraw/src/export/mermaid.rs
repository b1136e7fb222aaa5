//! A diagram as a Mermaid flowchart.

use std::fmt::Write as _;

use super::{SafeIds, box_lines, service_lines, text};
use crate::model::{Diagram, Direction};

/// Words that start Mermaid statements or tokens; its lexer matches these even at the start of
/// a longer word, so no node id may begin with one. (`end` only as a whole word.)
const RESERVED_PREFIXES: &[&str] = &[
    "subgraph",
    "graph",
    "flowchart",
    "style",
    "linkStyle",
    "classDef",
    "class",
    "click",
    "call",
    "href",
    "default",
    "interpolate",
    "direction",
    "accTitle",
    "accDescr",
    "_self",
    "_blank",
    "_parent",
    "_top",
];

/// Writes `diagram` as a Mermaid flowchart.
///
/// Boxes are rectangles `id["title<br>text<br>• item"]`, arrows `-->` with `|"label"|`,
/// groups `subgraph`s, and services nodes of class `service` (drawn without a border) with
/// dotted links `-.->` to the boxes they serve. The title goes in front matter. Ids are kept
/// where Mermaid accepts them and otherwise replaced by a safe one (`speed-layer` becomes
/// `speed_layer`); text is escaped with Mermaid's entity codes, so quotes, `<`, `>` and `#`
/// show as written.
///
/// ```
/// let spec = archdraw::parse("title: Demo\nboxes: [{id: a, title: \"Say \\\"hi\\\"\"}]\n")?;
/// let mermaid = archdraw::export::mermaid(&archdraw::Diagram::from_spec(&spec)?);
/// assert_eq!(mermaid, "---\ntitle: \"Demo\"\n---\nflowchart LR\n    a[\"Say #quot;hi#quot;\"]\n");
/// # Ok::<(), archdraw::Error>(())
/// ```
pub fn mermaid(diagram: &Diagram) -> String {
    let mut out = String::new();
    if let Some(title) = &diagram.title {
        let _ = write!(out, "---\ntitle: {}\n---\n", super::yaml::quoted(title));
    }
    let direction = match diagram.direction {
        Direction::Right => "LR",
        Direction::Down => "TD",
        Direction::Left => "RL",
        Direction::Up => "BT",
    };
    let _ = writeln!(out, "flowchart {direction}");
    let mut ids = SafeIds::default();
    let node_ids: Vec<String> = diagram.nodes.iter().map(|n| ids.unique(safe_id(&n.id))).collect();
    let service_ids: Vec<String> =
        diagram.services.iter().map(|s| ids.unique(safe_id(&s.id))).collect();
    for (node, id) in diagram.nodes.iter().zip(&node_ids) {
        let _ = writeln!(out, "    {id}[\"{}\"]", label(&box_lines(node)));
    }
    for group in &diagram.groups {
        let id = ids.unique(safe_id(&group.id));
        let _ = writeln!(out, "    subgraph {id} [\"{}\"]", label(&[text(&group.title)]));
        for node in &group.nodes {
            let _ = writeln!(out, "        {}", node_ids[node.0]);
        }
        out.push_str("    end\n");
    }
    for edge in &diagram.edges {
        let (from, to) = (&node_ids[edge.from.0], &node_ids[edge.to.0]);
        match &edge.label {
            Some(l) => {
                let _ = writeln!(out, "    {from} -->|\"{}\"| {to}", label(&[text(l)]));
            }
            None => {
                let _ = writeln!(out, "    {from} --> {to}");
            }
        }
    }
    for (service, id) in diagram.services.iter().zip(&service_ids) {
        let _ = writeln!(out, "    {id}[\"{}\"]", label(&service_lines(service)));
        for node in &service.serves {
            let _ = writeln!(out, "    {id} -.-> {}", node_ids[node.0]);
        }
    }
    if !service_ids.is_empty() {
        let _ = writeln!(out, "    class {} service", service_ids.join(","));
        // Borderless, as archdraw draws services.
        out.push_str("    classDef service fill:none,stroke:none\n");
    }
    out
}

/// An id Mermaid reads as one node id: ASCII letters, digits and `_`, not starting with a
/// keyword.
fn safe_id(id: &str) -> String {
    let mut safe: String =
        id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
    if safe.is_empty() || safe == "end" || RESERVED_PREFIXES.iter().any(|k| safe.starts_with(k)) {
        safe.insert_str(0, "n_");
    }
    safe
}

/// Label lines as the inside of a Mermaid `"…"` string: lines joined with `<br>`, and every
/// character Mermaid would read as markup written as an entity code.
fn label(lines: &[String]) -> String {
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push_str("<br>");
        }
        let mut rest = line.as_str();
        while let Some(c) = rest.chars().next() {
            match c {
                '"' => out.push_str("#quot;"),
                '<' => out.push_str("#lt;"),
                '>' => out.push_str("#gt;"),
                '&' => out.push_str("#amp;"),
                // A backquote right after the opening quote would start a Markdown string.
                '`' => out.push_str("#96;"),
                // `#name;` and `#123;` are entity codes to Mermaid.
                '#' if entity_like(&rest[1..]) => out.push_str("#35;"),
                c => out.push(c),
            }
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Whether `s` starts like the body of an entity code: letters or digits, then `;`.
fn entity_like(s: &str) -> bool {
    let body = s.chars().take_while(char::is_ascii_alphanumeric).count();
    body > 0 && s[body..].starts_with(';')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_avoid_keywords_and_odd_characters() {
        assert_eq!(safe_id("speed-layer"), "speed_layer");
        assert_eq!(safe_id("end"), "n_end");
        assert_eq!(safe_id("endpoint"), "endpoint");
        assert_eq!(safe_id("classifier"), "n_classifier");
        assert_eq!(safe_id("数据"), "__");
        assert_eq!(safe_id("api2"), "api2");
    }

    #[test]
    fn labels_escape_what_mermaid_reads_as_markup() {
        let lines = ["a \"b\" <br> & C# #1; `x`".to_owned(), "line 2".to_owned()];
        assert_eq!(label(&lines), "a #quot;b#quot; #lt;br#gt; #amp; C# #35;1; #96;x#96;<br>line 2");
    }
}
