//! The spec harness: every `specs/*.yaml` rendered as text, ASCII and SVG.
//!
//! - `spec_snapshots` pins every byte in `tests/snapshots/` (spec source in the header).
//! - The other tests check properties no snapshot review should have to catch, against what
//!   the spec's YAML says (read by [`crate::oracle`], not by the library's resolver): two
//!   renders give the same bytes; the text and ASCII drawings read back (see
//!   [`crate::readback`]) to exactly the spec's boxes with their text, arrows (repeats counted,
//!   direction kept), labels on their own arrows, services with their text and targets, and one
//!   frame per group around its boxes; no box overlaps; no trailing spaces; ASCII is 7-bit;
//!   SVG is XML holding every user string, escaped; SVG crossings hop and junction dots mark
//!   only joins (also over the quality corpus, `bench/quality/specs`).

use archdraw::layout::LayoutOptions;
use archdraw::{Diagram, Format, Options};

use crate::oracle;
use crate::readback::expect::{self, Expected};
use crate::readback::{self, Charset};

/// Renders `src` twice in `format` and insists on identical bytes.
fn render(src: &str, format: Format) -> String {
    let options = Options { format, ..Options::default() };
    let first = archdraw::render(src, &options).unwrap_or_else(|e| panic!("{format:?}: {e}"));
    let second = archdraw::render(src, &options).unwrap_or_else(|e| panic!("{format:?}: {e}"));
    assert!(first == second, "{format:?}: two renders of the same spec differ");
    first
}

/// The library's own model of `src`, for the stage-by-stage API (not an expectation).
fn diagram(src: &str) -> Diagram {
    let spec = archdraw::parse(src).unwrap_or_else(|e| panic!("{e}"));
    Diagram::from_spec(&spec).unwrap_or_else(|e| panic!("{e}"))
}

fn expected(src: &str) -> Expected {
    oracle::expected(src).unwrap_or_else(|e| panic!("the oracle cannot read the spec: {e}"))
}

/// Everything checked on a text or ASCII drawing.
fn check_drawing(text: &str, charset: Charset, expected: &Expected) {
    readback::no_trailing_spaces(text).unwrap_or_else(|e| panic!("{charset:?}: {e}"));
    let picture = readback::read_back(text, charset)
        .unwrap_or_else(|e| panic!("{charset:?} does not read back: {e}\n{text}"));
    readback::boxes_do_not_overlap(&picture).unwrap_or_else(|e| panic!("{charset:?}: {e}"));
    expect::compare(expected, &picture, charset)
        .unwrap_or_else(|e| panic!("{charset:?} drawing says other than the spec:\n{e}\n{text}"));
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
        let expected = expected(&src);
        check_drawing(&render(&src, Format::Text), Charset::Unicode, &expected);
        check_drawing(&render(&src, Format::Ascii), Charset::Ascii, &expected);
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
        // SVG takes a slide's shape unless the spec pins `direction` or `fit`.
        let slide = !d.direction_given && d.fit.is_none();
        let fit = slide.then_some(archdraw::geom::Fit::SLIDE);
        let layout = archdraw::layout(&d, &LayoutOptions { fit, ..LayoutOptions::default() });
        let staged = svg::render(&layout, &svg::SvgOptions::for_appearance(d.appearance));
        assert!(staged == render(&src, Format::Svg), "SVG: the stages differ from render()");
    });
}

#[test]
fn spec_ascii_drawing_is_seven_bit() {
    insta::glob!("../specs", "*.yaml", |path| {
        let src = std::fs::read_to_string(path).unwrap();
        let ascii = render(&src, Format::Ascii);
        if let Err(bad) = readback::seven_bit_drawing(&ascii, &src) {
            panic!("{bad}\n{ascii}");
        }
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
        let contains = |text: &str| {
            let want: Vec<&str> = text.split_whitespace().collect();
            want.is_empty()
                || drawn
                    .windows(want.len())
                    .any(|w| w.iter().map(String::as_str).eq(want.iter().copied()))
        };

        let e = expected(&src);
        let mut strings: Vec<(&str, &str)> = Vec::new();
        for b in &e.boxes {
            strings.push(("box title", &b.title));
            strings.extend(b.text.as_deref().map(|t| ("box text", t)));
            strings.extend(b.items.iter().map(|i| ("item", i.as_str())));
        }
        strings.extend(e.arrows.iter().filter_map(|a| a.label.as_deref().map(|l| ("label", l))));
        for s in &e.services {
            strings.push(("service title", &s.title));
            strings.extend(s.text.as_deref().map(|t| ("service text", t)));
        }
        strings.extend(e.groups.iter().map(|g| ("group title", g.title.as_str())));
        for (what, text) in strings {
            assert!(contains(text), "SVG lacks {what} {text:?}");
        }
        if let Some(title) = &e.title {
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
