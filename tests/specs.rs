//! The spec harness: every `specs/*.yaml` rendered as text, ASCII and SVG.
//!
//! - `spec_snapshots` pins every byte in `tests/snapshots/` (spec source in the header).
//! - The other tests check properties no snapshot review should have to catch, against what
//!   the spec's YAML says (read by [`crate::oracle`], not by the library's resolver): two
//!   renders give the same bytes; the text and ASCII drawings read back (see
//!   [`crate::readback`]) to exactly the spec's boxes with their text, arrows (repeats counted,
//!   direction kept), labels on their own arrows, services with their text and targets, and one
//!   frame per group around its boxes; no box overlaps; no trailing spaces; ASCII is 7-bit;
//!   SVG is XML holding every user string, escaped.

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
    let picture = readback::read_back_tolerating(text, charset, readback::KNOWN_ENGINE_BUGS)
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
        let layout = archdraw::layout(&d, &LayoutOptions::default());
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
