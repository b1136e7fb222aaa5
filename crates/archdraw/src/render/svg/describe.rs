//! The `<desc>` text, for screen readers and search.

use std::collections::HashMap;

use crate::layout::{Endpoint, Layout, LineKind, PlacedText};

/// The `<desc>` text: the boxes with their contents, the arrows with their labels, the services
/// and the groups, so a screen reader or a search gets the diagram's content.
pub(super) fn describe(layout: &Layout) -> String {
    let box_names: Vec<String> = layout.boxes.iter().map(|b| name_of(&b.lines, &b.id)).collect();
    let service_names: Vec<String> =
        layout.services.iter().map(|s| name_of(&s.lines, &s.id)).collect();
    let endpoint_name = |end: Endpoint| -> &str {
        match end {
            Endpoint::Box(i) => box_names.get(i),
            Endpoint::Service(i) => service_names.get(i),
        }
        .map_or("?", String::as_str)
    };
    // The first label of each edge, looked up once rather than searched for per arrow.
    let mut label_of: HashMap<usize, &crate::layout::PlacedLabel> = HashMap::new();
    for label in &layout.labels {
        label_of.entry(label.edge).or_insert(label);
    }

    let mut out = String::new();
    push_section(&mut out, "Boxes: ", layout.boxes.iter().zip(&box_names), |out, (b, name)| {
        push_with_details(out, name, &b.lines);
    });
    push_section(&mut out, "Arrows: ", &layout.routes, |out, route| {
        out.push_str(endpoint_name(route.from));
        out.push_str(" \u{2192} ");
        out.push_str(endpoint_name(route.to));
        let label = route
            .edge
            .and_then(|edge| label_of.get(&edge))
            .map(|l| join_texts(&l.lines))
            .filter(|text| !text.is_empty());
        if let Some(label) = label {
            out.push_str(" (");
            out.push_str(&label);
            out.push(')');
        }
    });
    push_section(
        &mut out,
        "Services: ",
        layout.services.iter().zip(&service_names),
        |out, (s, name)| push_with_details(out, name, &s.lines),
    );
    push_section(&mut out, "Groups: ", &layout.groups, |out, g| out.push_str(&g.title.text));
    if out.is_empty() { "An empty diagram.".to_owned() } else { out }
}

/// Appends `heading` and `items` written by `item`, separated by `; ` and ended by a full
/// stop, after a space if `out` already holds a section; nothing when there are no items.
pub(super) fn push_section<T>(
    out: &mut String,
    heading: &str,
    items: impl IntoIterator<Item = T>,
    mut item: impl FnMut(&mut String, T),
) {
    let mut items = items.into_iter().peekable();
    if items.peek().is_none() {
        return;
    }
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(heading);
    for (i, x) in items.enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        item(out, x);
    }
    out.push('.');
}

/// A block's name: its title lines joined, or its id when it has none.
pub(super) fn name_of(lines: &[PlacedText], id: &str) -> String {
    let title: Vec<&str> =
        lines.iter().filter(|l| l.kind == LineKind::Title).map(|l| l.text.as_str()).collect();
    if title.is_empty() { id.to_owned() } else { title.join(" ") }
}

/// Appends `name`, then the block's paragraph and items after a colon: wrapped lines joined by
/// spaces, the paragraph and the items by commas.
pub(super) fn push_with_details(out: &mut String, name: &str, lines: &[PlacedText]) {
    out.push_str(name);
    let mut previous_kind = LineKind::Title;
    let mut first = true;
    for line in lines.iter().filter(|l| l.kind != LineKind::Title) {
        let wraps_on = matches!(
            (previous_kind, line.kind),
            (_, LineKind::Continuation) | (LineKind::Text, LineKind::Text)
        );
        previous_kind = line.kind;
        out.push_str(match (first, wraps_on) {
            (true, _) => ": ",
            (false, true) => " ",
            (false, false) => ", ",
        });
        first = false;
        out.push_str(&line.text);
    }
}

pub(super) fn join_texts(lines: &[PlacedText]) -> String {
    lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join(" ")
}
