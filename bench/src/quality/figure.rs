//! The spec's graph as plain data, so it can be written for dot and Graph::Easy: boxes with the
//! text archdraw draws in them and their natural size, arrows with their labels, services with
//! the boxes they serve, groups with their members.

use archdraw::Diagram;

use super::drawn::{Block, Drawn, WordCount, compare_words};

/// A box or a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The first line of its title (what the read-back names it).
    pub title: String,
    /// Its text lines as archdraw draws them (wrapped), bullets written `* `.
    pub lines: Vec<String>,
    /// Its natural size in cells, (width, height), border included for a box: the content plus
    /// one cell of padding each side, before any stretching for pins or row alignment.
    pub size: (usize, usize),
}

/// An arrow of the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrow {
    pub from: usize,
    pub to: usize,
    /// The label's lines as archdraw draws them (wrapped).
    pub label: Vec<String>,
}

/// A group of boxes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub title: String,
    pub members: Vec<usize>,
}

/// A diagram as the baselines draw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    /// `right`, `down`, `left` or `up`: the spec's direction. (archdraw may turn a flow down to
    /// meet `max_width`; dot and Graph::Easy have no width limit and draw what was asked.)
    pub direction: String,
    pub boxes: Vec<Node>,
    pub services: Vec<Node>,
    pub arrows: Vec<Arrow>,
    /// (service, box) for every box a service serves.
    pub service_arrows: Vec<(usize, usize)>,
    pub groups: Vec<Group>,
}

impl Figure {
    /// The figure of `diagram`, with its text as archdraw drew it in `drawn` (same boxes, in
    /// the same order).
    pub fn new(diagram: &Diagram, drawn: &Drawn) -> Self {
        let boxes = diagram
            .nodes
            .iter()
            .zip(&drawn.boxes)
            .map(|(n, b)| node(first_line(&n.title.lines), b, 4, 2))
            .collect();
        let services = diagram
            .services
            .iter()
            .zip(&drawn.services)
            .map(|(s, b)| node(first_line(&s.title.lines), b, 0, 0))
            .collect();
        let arrows = diagram
            .edges
            .iter()
            .enumerate()
            .map(|(i, e)| Arrow {
                from: e.from.0,
                to: e.to.0,
                label: drawn.label_lines(i).unwrap_or_else(|| {
                    e.label.iter().flat_map(|l| l.lines.iter().map(|t| t.text.clone())).collect()
                }),
            })
            .collect();
        let service_arrows = diagram
            .services
            .iter()
            .enumerate()
            .flat_map(|(s, svc)| svc.serves.iter().map(move |n| (s, n.0)))
            .collect();
        let groups = diagram
            .groups
            .iter()
            .map(|g| Group {
                title: g.title.lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join(" "),
                members: g.nodes.iter().map(|n| n.0).collect(),
            })
            .collect();
        Figure {
            direction: format!("{:?}", diagram.direction).to_lowercase(),
            boxes,
            services,
            arrows,
            service_arrows,
            groups,
        }
    }
}

fn first_line(lines: &[archdraw::model::text::TextLine]) -> String {
    lines.first().map(|l| l.text.clone()).unwrap_or_default()
}

/// A node from its drawn block; `pad_x`, `pad_y` are the cells around the content.
fn node(title: String, block: &Block, pad_x: usize, pad_y: usize) -> Node {
    let indent = |kind: &str| if matches!(kind, "bullet" | "continuation") { 2 } else { 0 };
    let lines = block
        .lines
        .iter()
        .map(|l| match l.kind.as_str() {
            "bullet" => format!("* {}", l.text),
            "continuation" => format!("  {}", l.text),
            _ => l.text.clone(),
        })
        .collect();
    let width = block.lines.iter().map(|l| indent(&l.kind) + l.width).max().unwrap_or(0);
    let rows = match (block.lines.iter().map(|l| l.y).min(), block.lines.iter().map(|l| l.y).max())
    {
        (Some(top), Some(bottom)) => (bottom - top + 1) as usize,
        _ => 0,
    };
    Node { title, lines, size: (width + pad_x, rows + pad_y) }
}

/// Words of a spec text block, in order.
fn words(block: &archdraw::model::text::TextBlock) -> impl Iterator<Item = &str> {
    block.lines.iter().flat_map(|l| l.text.split_whitespace())
}

/// Every text of `diagram` (box titles, texts and items; labels; service titles and texts;
/// group titles) against the lines `drawn` gives it. `drawn` must be a layout of `diagram` or
/// of its text or ASCII form (same boxes, arrows, services and groups).
pub fn word_count(diagram: &Diagram, drawn: &Drawn) -> WordCount {
    let mut count = WordCount::default();
    let texts = |b: &Block| b.lines.iter().map(|l| l.text.clone()).collect::<Vec<_>>();
    for (n, b) in diagram.nodes.iter().zip(&drawn.boxes) {
        let want: Vec<&str> =
            words(&n.title).chain(words(&n.text)).chain(n.items.iter().flat_map(words)).collect();
        let got = texts(b);
        count += compare_words(&want, &got.iter().map(String::as_str).collect::<Vec<_>>());
    }
    for (s, b) in diagram.services.iter().zip(&drawn.services) {
        let want: Vec<&str> = words(&s.title).chain(words(&s.text)).collect();
        let got = texts(b);
        count += compare_words(&want, &got.iter().map(String::as_str).collect::<Vec<_>>());
    }
    for (i, e) in diagram.edges.iter().enumerate() {
        if let Some(label) = &e.label {
            let want: Vec<&str> = words(label).collect();
            let got = drawn.label_lines(i).unwrap_or_default();
            count += compare_words(&want, &got.iter().map(String::as_str).collect::<Vec<_>>());
        }
    }
    for (g, f) in diagram.groups.iter().zip(&drawn.groups) {
        let want: Vec<&str> = words(&g.title).collect();
        count += compare_words(&want, &[f.title.text.as_str()]);
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drawn(yaml: &str) -> (Diagram, Drawn) {
        let options = archdraw::Options { format: archdraw::Format::Json, ..Default::default() };
        let json = archdraw::render(yaml, &options).unwrap();
        let d = Diagram::from_spec(&archdraw::parse(yaml).unwrap()).unwrap();
        (d, Drawn::from_json(&json).unwrap())
    }

    #[test]
    fn a_figure_has_the_spec_graph_and_natural_sizes() {
        let yaml = "boxes:\n  - {id: a, title: Source, items: [one item]}\n  - {id: b, title: \
                    Sink, text: a b}\narrows: [a -> b: load]\nservices: [{title: Reg, serves: \
                    [a, b]}]\ngroups: [{title: Tier, boxes: [b]}]\n";
        let (d, dr) = drawn(yaml);
        let f = Figure::new(&d, &dr);
        assert_eq!(f.direction, "right");
        assert_eq!(f.boxes[0].title, "Source");
        assert_eq!(f.boxes[0].lines, ["Source", "* one item"]);
        // "* one item" is 10 cells, plus border and padding; title, blank line, item: 3 rows.
        assert_eq!(f.boxes[0].size, (14, 5));
        assert_eq!(f.boxes[1].size, (8, 4));
        assert_eq!(f.arrows, [Arrow { from: 0, to: 1, label: vec!["load".into()] }]);
        assert_eq!(f.service_arrows, [(0, 0), (0, 1)]);
        assert_eq!(f.services[0].size, (3, 1));
        assert_eq!(f.groups, [Group { title: "Tier".into(), members: vec![1] }]);
    }

    #[test]
    fn every_word_of_a_plain_spec_is_drawn_whole() {
        let yaml = "boxes:\n  - {id: a, title: Inventory service, text: keeps stock}\n  - {id: \
                    b, title: Orders}\narrows: [a -> b: reserved stock]\n";
        let (d, dr) = drawn(yaml);
        assert_eq!(word_count(&d, &dr), WordCount { words: 7, broken: 0, changed: 0 });
    }
}
