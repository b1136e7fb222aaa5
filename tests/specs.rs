//! The spec harness: every `specs/*.yaml` rendered as text, ASCII and SVG.
//!
//! - `spec_snapshots` pins every byte in `tests/snapshots/` (spec source in the header).
//! - The other tests check properties no snapshot review should have to catch: two renders give
//!   the same bytes; the text and ASCII drawings read back (see [`crate::readback`]) to exactly
//!   the spec's arrows and service arrows, with one frame per group; no box overlaps; no
//!   trailing spaces; labels drawn intact where the layout put them; ASCII is 7-bit; SVG is
//!   XML holding every user string; SVG crossings hop and junction dots mark only joins (also
//!   over the quality corpus, `bench/quality/specs`).

use archdraw::layout::{Layout, LayoutOptions};
use archdraw::model::text::TextBlock;
use archdraw::{Diagram, Format, Options};

use crate::readback::{self, Charset, Pair, Picture, multiset_diff};

/// Renders `src` twice in `format` and insists on identical bytes.
fn render(src: &str, format: Format) -> String {
    let options = Options { format, ..Options::default() };
    let first = archdraw::render(src, &options).unwrap_or_else(|e| panic!("{format:?}: {e}"));
    let second = archdraw::render(src, &options).unwrap_or_else(|e| panic!("{format:?}: {e}"));
    assert!(first == second, "{format:?}: two renders of the same spec differ");
    first
}

fn diagram(src: &str) -> Diagram {
    let spec = archdraw::parse(src).unwrap_or_else(|e| panic!("{e}"));
    Diagram::from_spec(&spec).unwrap_or_else(|e| panic!("{e}"))
}

/// A text block's words, in order (wrapping may move line breaks, never words).
fn words(block: &TextBlock) -> Vec<&str> {
    block.lines.iter().flat_map(|l| l.text.split_whitespace()).collect()
}

/// The name the read-back gives a box or service: its title's first line.
fn first_line(block: &TextBlock) -> String {
    block.lines.first().map(|l| l.text.clone()).unwrap_or_default()
}

/// The spec's arrows and service arrows as (source, target) names, sorted.
fn expected_edges(d: &Diagram) -> Vec<Pair> {
    let node = |i: archdraw::model::NodeId| first_line(&d.nodes[i.0].title);
    let arrows = d.edges.iter().map(|e| (node(e.from), node(e.to)));
    let services = d
        .services
        .iter()
        .flat_map(|s| s.serves.iter().map(move |&n| (first_line(&s.title), node(n))));
    let mut edges: Vec<_> = arrows.chain(services).collect();
    edges.sort();
    edges
}

/// Maps a found box or service to the title it draws: the title whose words begin the found
/// text's words (longest such title wins), so a title the layout wrapped still matches. A
/// found name matching no title is kept, and will show as a wrong edge.
fn canonical(found_lines: &[String], titles: &[&TextBlock]) -> Option<String> {
    let found: Vec<&str> = found_lines.iter().flat_map(|l| l.split_whitespace()).collect();
    titles
        .iter()
        .filter(|t| !t.is_empty() && found.starts_with(&words(t)))
        .max_by_key(|t| words(t).len())
        .map(|t| first_line(t))
}

/// The read-back edges, with names mapped to the titles they draw.
fn read_edges(p: &Picture, d: &Diagram) -> Vec<Pair> {
    let node_titles: Vec<&TextBlock> = d.nodes.iter().map(|n| &n.title).collect();
    let service_titles: Vec<&TextBlock> = d.services.iter().map(|s| &s.title).collect();
    let mut rename = std::collections::BTreeMap::new();
    for b in &p.boxes {
        if let Some(t) = canonical(&b.lines, &node_titles) {
            rename.insert(b.name.clone(), t);
        }
    }
    for s in &p.services {
        if let Some(t) = canonical(&s.lines, &service_titles) {
            rename.insert(s.name.clone(), t);
        }
    }
    let name = |n: &String| rename.get(n).cloned().unwrap_or_else(|| n.clone());
    let mut edges: Vec<_> = p.edges.iter().map(|(a, b)| (name(a), name(b))).collect();
    edges.sort();
    edges
}

/// Everything checked on a text or ASCII drawing.
fn check_drawing(text: &str, charset: Charset, d: &Diagram, layout: &Layout) {
    readback::no_trailing_spaces(text).unwrap_or_else(|e| panic!("{charset:?}: {e}"));
    let picture = readback::read_back(text, charset)
        .unwrap_or_else(|e| panic!("{charset:?} does not read back: {e}\n{text}"));
    readback::boxes_do_not_overlap(&picture).unwrap_or_else(|e| panic!("{charset:?}: {e}"));
    assert_eq!(picture.boxes.len(), d.nodes.len(), "{charset:?}: boxes drawn\n{text}");
    let (missing, extra) = multiset_diff(&expected_edges(d), &read_edges(&picture, d));
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{charset:?} drawing says other arrows than the spec\nmissing: {missing:?}\nextra: \
         {extra:?}\n{text}"
    );
    let mut frames: Vec<String> = picture.frames.iter().map(|f| f.title.clone()).collect();
    let mut groups: Vec<String> = d.groups.iter().map(|g| words(&g.title).join(" ")).collect();
    frames.sort();
    groups.sort();
    assert_eq!(frames, groups, "{charset:?}: group frames drawn\n{text}");
    // Every label line where the layout put it, intact: nothing drew over it.
    let rows: Vec<&str> = text.lines().collect();
    for label in &layout.labels {
        for line in &label.lines {
            let drawn = rows.get(line.y).map(|row| readback::cells(row, line.x, line.width));
            assert_eq!(
                drawn.as_deref(),
                Some(line.text.as_str()),
                "{charset:?}: label line at row {} col {}\n{text}",
                line.y,
                line.x
            );
        }
    }
}

#[test]
fn spec_snapshots() {
    insta::glob!("../specs", "*.yaml", |path| {
        let src = std::fs::read_to_string(path).unwrap();
        // Snapshots only: the checks below say *why* a drawing is wrong; these say *that* it
        // changed. The lead reviews and accepts them (`cargo insta review`).
        insta::with_settings!({ description => src.as_str(), omit_expression => true }, {
            insta::assert_snapshot!("text", render(&src, Format::Text));
            insta::assert_snapshot!("ascii", render(&src, Format::Ascii));
            insta::assert_snapshot!("svg", render(&src, Format::Svg));
        });
    });
}

#[test]
fn spec_drawings_read_back_as_the_spec() {
    insta::glob!("../specs", "*.yaml", |path| {
        let src = std::fs::read_to_string(path).unwrap();
        let d = diagram(&src);
        let layout = archdraw::layout(&d, &LayoutOptions::default());
        check_drawing(&render(&src, Format::Text), Charset::Unicode, &d, &layout);
        // The ASCII drawing names boxes by their folded titles (CJK becomes `?`).
        // and its labels as folded; it is laid out for that text.
        let ascii = d.to_ascii();
        let ascii_layout = archdraw::layout(&ascii, &LayoutOptions::default());
        check_drawing(&render(&src, Format::Ascii), Charset::Ascii, &ascii, &ascii_layout);
    });
}

/// The stages run one by one, as an embedder runs them, draw what `render()` draws: the charset
/// and the spec's theme, style and font reach them through `LayoutOptions` and the diagram.
#[test]
fn spec_stages_draw_what_render_draws() {
    use archdraw::render::{svg, text};
    insta::glob!("../specs", "*.yaml", |path| {
        let src = std::fs::read_to_string(path).unwrap();
        let d = diagram(&src);
        for (format, charset) in
            [(Format::Text, text::Charset::Unicode), (Format::Ascii, text::Charset::Ascii)]
        {
            let options = LayoutOptions { charset: Some(charset), ..LayoutOptions::default() };
            let staged = text::render(&archdraw::layout(&d, &options), charset);
            assert!(staged == render(&src, format), "{format:?}: the stages differ from render()");
        }
        let layout = archdraw::layout(&d, &LayoutOptions::default());
        let staged = svg::render(&layout, &svg::SvgOptions::for_appearance(d.appearance));
        assert!(staged == render(&src, Format::Svg), "SVG: the stages differ from render()");
    });
}

#[test]
fn spec_ascii_is_seven_bit() {
    insta::glob!("../specs", "*.yaml", |path| {
        let src = std::fs::read_to_string(path).unwrap();
        let ascii = render(&src, Format::Ascii);
        let bad = ascii.lines().enumerate().find_map(|(r, line)| {
            line.chars().find(|c| !c.is_ascii()).map(|c| format!("{c:?} on row {r}: {line}"))
        });
        assert!(bad.is_none(), "not 7-bit: {}", bad.unwrap_or_default());
    });
}

#[test]
fn spec_svg_is_xml_holding_every_string() {
    insta::glob!("../specs", "*.yaml", |path| {
        let src = std::fs::read_to_string(path).unwrap();
        let svg = render(&src, Format::Svg);
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("not XML: {e}"));
        assert_eq!(doc.root_element().tag_name().name(), "svg");

        // The words of every <text> element, in document order, entities already decoded.
        let drawn: Vec<String> = doc
            .descendants()
            .filter(|n| n.tag_name().name() == "text")
            .flat_map(|n| {
                let s: String =
                    n.descendants().filter(|t| t.is_text()).filter_map(|t| t.text()).collect();
                s.split_whitespace().map(str::to_owned).collect::<Vec<_>>()
            })
            .collect();
        let contains = |block: &TextBlock| {
            let want = words(block);
            want.is_empty()
                || drawn
                    .windows(want.len())
                    .any(|w| w.iter().map(String::as_str).eq(want.iter().copied()))
        };

        let d = diagram(&src);
        let mut strings: Vec<(&str, &TextBlock)> = Vec::new();
        for n in &d.nodes {
            strings.push(("box title", &n.title));
            strings.push(("box text", &n.text));
            strings.extend(n.items.iter().map(|i| ("item", i)));
        }
        strings.extend(d.edges.iter().filter_map(|e| e.label.as_ref().map(|l| ("label", l))));
        for s in &d.services {
            strings.push(("service title", &s.title));
            strings.push(("service text", &s.text));
        }
        strings.extend(d.groups.iter().map(|g| ("group title", &g.title)));
        for (what, block) in strings {
            assert!(contains(block), "SVG lacks {what} {:?}", words(block));
        }
        if let Some(title) = &d.title {
            let svg_title =
                doc.descendants().find(|n| n.tag_name().name() == "title").and_then(|n| n.text());
            assert_eq!(svg_title, Some(title.as_str()), "SVG <title>");
        }
    });
}

/// An arrow's line as drawn: its straight runs, and the hops (arcs) it makes over others.
#[derive(Debug, Default)]
struct DrawnLine {
    net: String,
    straight: Vec<((i64, i64), (i64, i64))>,
    /// The midpoint of each hop's arc, on the line's course.
    hops: Vec<(i64, i64)>,
}

/// Reads the arrow lines of a plain-style SVG: `M`, `L`, `Q` (a rounded corner) and `A` (a
/// hop: its two ends are on the line's course, the line crossed runs between them).
fn drawn_lines(doc: &roxmltree::Document) -> Vec<DrawnLine> {
    let mut lines = Vec::new();
    for arrow in doc.descendants().filter(|n| n.attribute("class") == Some("ad-arrow")) {
        let Some(d) = arrow
            .descendants()
            .find(|n| n.attribute("class") == Some("ad-arrow-line"))
            .and_then(|n| n.attribute("d"))
        else {
            continue;
        };
        let mut line = DrawnLine {
            net: arrow.attribute("data-net").unwrap_or("").to_owned(),
            ..DrawnLine::default()
        };
        let mut tokens =
            d.split(|c: char| c == ' ' || c.is_ascii_alphabetic()).filter(|t| !t.is_empty());
        let commands: Vec<char> = d.chars().filter(char::is_ascii_alphabetic).collect();
        let mut number =
            || -> i64 { tokens.next().and_then(|t| t.parse().ok()).expect("a number") };
        let mut at = (0, 0);
        let mut bridge_from = None;
        for command in commands {
            match command {
                'M' => at = (number(), number()),
                'L' => {
                    let to = (number(), number());
                    if to.1 == at.1 && bridge_from.is_some() {
                        // The top of a bridge over several lines: part of the hop.
                    } else if to != at {
                        line.straight.push((at, to));
                    }
                    at = to;
                }
                'Q' => {
                    let _control = (number(), number());
                    at = (number(), number());
                }
                'A' => {
                    let (_rx, _ry, _rotation, _large, _sweep) =
                        (number(), number(), number(), number(), number());
                    let to = (number(), number());
                    // A single hop returns to the course; a bridge's first quarter rises off it.
                    match bridge_from.take() {
                        None if to.1 == at.1 => line.hops.push(((at.0 + to.0) / 2, at.1)),
                        None => bridge_from = Some(at),
                        Some(start) => {
                            let start: (i64, i64) = start;
                            line.hops.push(((start.0 + to.0) / 2, to.1));
                        }
                    }
                    at = to;
                }
                other => panic!("unexpected path command {other} in {d}"),
            }
        }
        lines.push(line);
    }
    lines
}

/// Where a horizontal run and a vertical run cross strictly inside both.
fn crossing(a: ((i64, i64), (i64, i64)), b: ((i64, i64), (i64, i64))) -> Option<(i64, i64)> {
    let (h, v) = if a.0.1 == a.1.1 && b.0.0 == b.1.0 {
        (a, b)
    } else if b.0.1 == b.1.1 && a.0.0 == a.1.0 {
        (b, a)
    } else {
        return None;
    };
    let (x, y) = (v.0.0, h.0.1);
    let inside = |p: i64, e: i64, f: i64| p > e.min(f) && p < e.max(f);
    (inside(x, h.0.0, h.1.0) && inside(y, v.0.1, v.1.1)).then_some((x, y))
}

/// Issue 13's acceptance 3: in the SVG (and so in the PNG drawn from it), no two arrow lines
/// cross as a plain `+`: one of them hops. Every hop is over another arrow's line, and no
/// junction dot sits on a crossing (every dot is where lines of one net meet).
#[test]
fn spec_svg_crossings_hop_and_junctions_join() {
    let mut files: Vec<std::path::PathBuf> = ["specs", "bench/quality/specs"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{dir}: {e}")))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let (mut hops, mut junctions) = (0, 0);
    for path in &files {
        let src = std::fs::read_to_string(path).unwrap();
        let svg = render(&src, Format::Svg);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let lines = drawn_lines(&doc);
        let name = path.display();
        for (i, a) in lines.iter().enumerate() {
            for b in &lines[i + 1..] {
                for &sa in &a.straight {
                    for &sb in &b.straight {
                        assert_eq!(
                            crossing(sa, sb),
                            None,
                            "{name}: a plain + between nets {} and {}",
                            a.net,
                            b.net
                        );
                    }
                }
            }
            for &(x, y) in &a.hops {
                hops += 1;
                let under = lines
                    .iter()
                    .flat_map(|l| &l.straight)
                    .any(|&(p, q)| p.0 == x && q.0 == x && y > p.1.min(q.1) && y < p.1.max(q.1));
                assert!(under, "{name}: a hop at ({x}, {y}) over no line");
            }
        }
        for dot in doc.descendants().filter(|n| n.attribute("class") == Some("ad-junction")) {
            junctions += 1;
            let centre =
                ["cx", "cy"].map(|a| dot.attribute(a).and_then(|v| v.parse::<i64>().ok()).unwrap());
            let (x, y) = (centre[0], centre[1]);
            // On a line, or at a corner: the runs stop a corner's radius (6 px) short of it.
            let on = |l: &&DrawnLine| {
                l.straight.iter().any(|&(p, q)| {
                    let off = |v: i64, e: i64, f: i64| (e.min(f) - v).max(v - e.max(f)).max(0);
                    off(x, p.0, q.0).max(off(y, p.1, q.1)) <= 6
                })
            };
            let nets: std::collections::BTreeSet<&str> =
                lines.iter().filter(on).map(|l| l.net.as_str()).collect();
            assert_eq!(
                nets.len(),
                1,
                "{name}: the junction dot at ({x}, {y}) is on the lines of nets {nets:?}"
            );
        }
    }
    // The corpus has crossings and splits to check.
    assert!(hops > 20 && junctions > 20, "{hops} hops, {junctions} junctions");
}
