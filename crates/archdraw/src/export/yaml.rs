//! A diagram as an archdraw YAML spec.

use std::fmt::Write as _;

use super::text;
use crate::model::text::TextBlock;
use crate::model::{Diagram, Direction};

/// Writes `diagram` as an archdraw YAML spec that [`crate::parse`] reads back as the same
/// diagram: every id explicit, arrows in the `a -> b: label` form, and every text that YAML
/// could read as something else (a number, `true`, a flow-collection character, a leading
/// indicator) double-quoted with its escapes.
///
/// ```
/// let imported = archdraw::import::mermaid("graph LR\n  a[\"Ingest: Kafka\"] -->|7| b[Lake]")?;
/// let diagram = archdraw::Diagram::from_spec(&imported.spec)?;
/// let yaml = archdraw::export::yaml(&diagram);
/// assert_eq!(yaml, "\
/// direction: right
/// boxes:
///   - {id: a, title: \"Ingest: Kafka\"}
///   - {id: b, title: Lake}
/// arrows:
///   - a -> b: \"7\"
/// ");
/// let again = archdraw::Diagram::from_spec(&archdraw::parse(&yaml)?)?;
/// assert_eq!(again, diagram);
/// # Ok::<(), archdraw::Error>(())
/// ```
pub fn yaml(diagram: &Diagram) -> String {
    let mut out = String::new();
    if let Some(title) = &diagram.title {
        let _ = writeln!(out, "title: {}", scalar(title));
    }
    let direction = match diagram.direction {
        Direction::Right => "right",
        Direction::Down => "down",
        Direction::Left => "left",
        Direction::Up => "up",
    };
    // Only a pinned direction is written: an unpinned one leaves SVG free to turn the flow.
    if diagram.direction_given {
        let _ = writeln!(out, "direction: {direction}");
    }
    if let Some(width) = diagram.max_width {
        let _ = writeln!(out, "max_width: {width}");
    }
    if let Some(fit) = diagram.fit {
        let _ = writeln!(out, "fit: \"{fit}\"");
    }
    out.push_str("boxes:\n");
    for node in &diagram.nodes {
        let mut fields = vec![("id", scalar(&node.id)), ("title", block(&node.title))];
        if !node.text.is_empty() {
            fields.push(("text", block(&node.text)));
        }
        if !node.items.is_empty() {
            let items: Vec<String> = node.items.iter().map(block).collect();
            fields.push(("items", format!("[{}]", items.join(", "))));
        }
        map_entry(&mut out, &fields);
    }
    if !diagram.edges.is_empty() {
        out.push_str("arrows:\n");
    }
    for edge in &diagram.edges {
        let arrow = format!("{} -> {}", diagram.nodes[edge.from.0].id, diagram.nodes[edge.to.0].id);
        match &edge.label {
            Some(label) => {
                let _ = writeln!(out, "  - {}: {}", scalar(&arrow), block(label));
            }
            None => {
                let _ = writeln!(out, "  - {}", scalar(&arrow));
            }
        }
    }
    if !diagram.services.is_empty() {
        out.push_str("services:\n");
    }
    for service in &diagram.services {
        let serves: Vec<String> =
            service.serves.iter().map(|n| scalar(&diagram.nodes[n.0].id)).collect();
        let mut fields = vec![("id", scalar(&service.id)), ("title", block(&service.title))];
        if !service.text.is_empty() {
            fields.push(("text", block(&service.text)));
        }
        fields.push(("serves", format!("[{}]", serves.join(", "))));
        map_entry(&mut out, &fields);
    }
    if !diagram.groups.is_empty() {
        out.push_str("groups:\n");
    }
    for group in &diagram.groups {
        let boxes: Vec<String> =
            group.nodes.iter().map(|n| scalar(&diagram.nodes[n.0].id)).collect();
        let fields = [
            ("id", scalar(&group.id)),
            ("title", block(&group.title)),
            ("boxes", format!("[{}]", boxes.join(", "))),
        ];
        map_entry(&mut out, &fields);
    }
    out
}

/// One list entry: `- {a: 1, b: 2}` when it fits on a line, otherwise one key per line.
fn map_entry(out: &mut String, fields: &[(&str, String)]) {
    const MAX_LINE: usize = 100;
    let inline: Vec<String> = fields.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    let line = format!("  - {{{}}}", inline.join(", "));
    if line.chars().count() <= MAX_LINE {
        out.push_str(&line);
        out.push('\n');
        return;
    }
    for (i, field) in inline.iter().enumerate() {
        out.push_str(if i == 0 { "  - " } else { "    " });
        out.push_str(field);
        out.push('\n');
    }
}

/// A text block as one scalar, its lines joined with line breaks.
fn block(block: &TextBlock) -> String {
    scalar(&text(block))
}

/// `text` as a YAML scalar: bare when YAML reads it back as exactly this string in block and
/// flow context alike, double-quoted otherwise.
fn scalar(text: &str) -> String {
    let special = ["true", "false", "null", "yes", "no", "on", "off", "y", "n"]
        .iter()
        .any(|w| text.eq_ignore_ascii_case(w));
    let mut chars = text.chars();
    let bare = !special
        && chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| {
            c.is_alphanumeric() || matches!(c, ' ' | '_' | '-' | '.' | '/' | '(' | ')' | '+' | '>')
        })
        && !text.ends_with(' ')
        && !text.contains("  ");
    if bare { text.to_owned() } else { quoted(text) }
}

/// A YAML double-quoted scalar; every character YAML would not keep as itself is escaped.
pub(crate) fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\u{85}' => out.push_str("\\N"),
            '\u{a0}' => out.push_str("\\_"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            '\u{feff}' => out.push_str("\\uFEFF"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
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
    fn scalars_are_bare_only_when_safe() {
        assert_eq!(scalar("Kafka Connect"), "Kafka Connect");
        assert_eq!(scalar("speed-layer"), "speed-layer");
        assert_eq!(scalar("a -> b"), "a -> b");
        assert_eq!(scalar("数据源"), "数据源");
        for odd in ["7", "true", "No", "", "a: b", "x #y", "[a]", "a,b", "-a", "é ", "*x", "a\nb"]
        {
            assert!(scalar(odd).starts_with('"'), "{odd:?} must be quoted");
        }
        assert_eq!(quoted("a\"b\\c\nd\te\u{1b}"), r#""a\"b\\c\nd\te\u001B""#);
    }
}
