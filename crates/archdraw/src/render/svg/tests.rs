//! Tests of the SVG renderer on layouts built by hand.

use super::geometry::*;
use super::paint::TEXT_PAD;
use super::scope::*;
use super::*;
use crate::geom::{Point, Rect, Side};
use crate::layout::{
    Endpoint, PlacedBox, PlacedGroup, PlacedLabel, PlacedService, PlacedText, Route,
};
use crate::model::Direction;

fn line(kind: LineKind, text: &str, x: usize, y: usize) -> PlacedText {
    PlacedText { kind, text: text.to_owned(), width: text.chars().count(), x, y }
}

/// Three boxes, one with a wrapped bullet item, a labelled arrow into a group, and a service
/// with an arrow up into the box it serves:
///
/// ```text
///  ┌─────────┐   ┌──────────┐    ┌─ edge ────┐
///  │ SOURCES │──▶│  INGEST  │    │ ┌───────┐ │
///  │         │   │ (Kafka)  │───────▶│ SERVE │ │
///  │ • OLTP  │   │          │ feeds  └───────┘ │
///  │   DBs   │   └──────────┘    └───────────┘
///  └─────────┘         ▲
///                      │
///                schema registry
///                  (Confluent)
/// ```
/// Every cell at its terminal size, for checking the painting in round numbers apart from
/// the page grid (which has tests of its own).
fn uniform(layout: &Layout) -> PageGrid {
    PageGrid::uniform(layout.width, layout.height)
}

/// The page grid `render` draws `layout` on, in the default typeface.
fn page_grid_of(layout: &Layout) -> PageGrid {
    page_grid(layout, &Metrics::new(Face::Sans, false), &Metrics::new(Face::Sans, true))
}

/// `layout` drawn on [`uniform`] cells.
fn render_uniform(layout: &Layout, options: &SvgOptions) -> String {
    render_on(layout, options, Some(uniform(layout)))
}

fn fixture() -> Layout {
    Layout {
        title: Some("Fixture".to_owned()),
        direction: Direction::Right,
        width: 50,
        height: 11,
        boxes: vec![
            PlacedBox {
                id: "sources".to_owned(),
                rect: Rect::new(0, 0, 11, 6),
                lines: vec![
                    line(LineKind::Title, "SOURCES", 2, 1),
                    line(LineKind::Bullet, "OLTP", 4, 3),
                    line(LineKind::Continuation, "DBs", 4, 4),
                ],
            },
            PlacedBox {
                id: "ingest".to_owned(),
                rect: Rect::new(15, 0, 12, 5),
                lines: vec![
                    line(LineKind::Title, "INGEST", 18, 1),
                    line(LineKind::Text, "(Kafka)", 17, 2),
                ],
            },
            PlacedBox {
                id: "serve".to_owned(),
                rect: Rect::new(37, 1, 9, 3),
                lines: vec![line(LineKind::Title, "SERVE", 39, 2)],
            },
        ],
        services: vec![PlacedService {
            id: "registry".to_owned(),
            rect: Rect::new(15, 8, 15, 2),
            lines: vec![
                line(LineKind::Title, "schema registry", 15, 8),
                line(LineKind::Text, "(Confluent)", 17, 9),
            ],
        }],
        groups: vec![PlacedGroup {
            id: "edge".to_owned(),
            rect: Rect::new(35, 0, 13, 5),
            title: line(LineKind::Title, "edge", 37, 0),
        }],
        routes: vec![
            Route {
                net: 0,
                edge: Some(0),
                from: Endpoint::Box(0),
                to: Endpoint::Box(1),
                points: vec![Point::new(11, 1), Point::new(14, 1)],
                head: Side::Right,
            },
            Route {
                net: 1,
                edge: Some(1),
                from: Endpoint::Box(1),
                to: Endpoint::Box(2),
                points: vec![Point::new(27, 2), Point::new(36, 2)],
                head: Side::Right,
            },
            Route {
                net: 2,
                edge: None,
                from: Endpoint::Service(0),
                to: Endpoint::Box(1),
                points: vec![Point::new(21, 7), Point::new(21, 5)],
                head: Side::Up,
            },
        ],
        labels: vec![PlacedLabel {
            edge: 1,
            rect: Rect::new(28, 3, 7, 1),
            lines: vec![line(LineKind::Text, "feeds", 29, 3)],
        }],
    }
}

fn every_placed_text(layout: &Layout) -> Vec<&PlacedText> {
    let mut texts: Vec<&PlacedText> = Vec::new();
    texts.extend(layout.boxes.iter().flat_map(|b| &b.lines));
    texts.extend(layout.services.iter().flat_map(|s| &s.lines));
    texts.extend(layout.groups.iter().map(|g| &g.title));
    texts.extend(layout.labels.iter().flat_map(|l| &l.lines));
    texts
}

/// The drawn width in pixels of `text` at the default size, as the renderer measures it.
fn text_width(text: &str, bold: bool) -> i64 {
    let metrics = Metrics::new(Face::Sans, bold);
    (metrics.width(text) * SIZE + metrics.units_per_em - 1) / metrics.units_per_em
}

fn number(value: Option<&str>) -> i64 {
    value.and_then(|v| v.parse().ok()).unwrap_or_else(|| panic!("not a number: {value:?}"))
}

fn parse(svg: &str) -> roxmltree::Document<'_> {
    match roxmltree::Document::parse(svg) {
        Ok(document) => document,
        Err(error) => panic!("not well-formed XML: {error}\n{svg}"),
    }
}

/// The contents of every `<text>` element, in document order.
fn drawn_texts(document: &roxmltree::Document<'_>) -> Vec<String> {
    document
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().to_owned())
        .collect()
}

fn text_element<'a, 'input>(
    document: &'a roxmltree::Document<'input>,
    content: &str,
) -> roxmltree::Node<'a, 'input> {
    match document.descendants().find(|n| n.has_tag_name("text") && n.text() == Some(content)) {
        Some(node) => node,
        None => panic!("no <text> holds {content:?}"),
    }
}

/// Whether every number (a run of digits and dots holding a digit) is an integer or has at most
/// two decimals. Runs of dots alone are CSS class selectors.
fn has_fixed_precision(s: &str) -> bool {
    let numbers = s
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter(|run| run.chars().any(|c| c.is_ascii_digit()));
    numbers.into_iter().all(|run| {
        let mut parts = run.split('.');
        let whole = parts.next().unwrap_or_default();
        let fraction = parts.next();
        let ok_whole = !whole.is_empty() && whole.chars().all(|c| c.is_ascii_digit());
        let ok_fraction = fraction.is_none_or(|f| (1..=2).contains(&f.len()));
        ok_whole && ok_fraction && parts.next().is_none()
    })
}

#[test]
fn output_is_a_well_formed_svg_document() {
    let svg = render(&fixture(), &SvgOptions::default());
    let document = parse(&svg);
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2000/svg"));
    assert_eq!(root.attribute("role"), Some("img"));
    // The page grid (see `the_page_grid_gives_text_rows_their_height_and_shrinks_the_rest`)
    // and a 24 px margin on each side.
    let (width, height) = page_grid_of(&fixture()).canvas();
    assert_eq!(height, 236);
    let view_box = format!("0 0 {width} {height}");
    assert_eq!(root.attribute("viewBox"), Some(view_box.as_str()));
    assert_eq!(root.attribute("width"), Some(width.to_string().as_str()));
    assert_eq!(root.attribute("height"), Some("236"));
    let first = root.first_element_child().map(|n| (n.tag_name().name(), n.text()));
    assert_eq!(first, Some(("title", Some("Fixture"))));
    assert!(svg.ends_with("</svg>\n"));
}

#[test]
fn background_covers_the_whole_canvas() {
    let document_text = render(&fixture(), &SvgOptions::default());
    let document = parse(&document_text);
    let background = document.descendants().find(|n| n.attribute("class") == Some("ad-bg"));
    let size =
        background.map(|n| (n.tag_name().name(), n.attribute("width"), n.attribute("height")));
    let width = page_grid_of(&fixture()).canvas().0.to_string();
    assert_eq!(size, Some(("rect", Some(width.as_str()), Some("236"))));
}

#[test]
fn title_falls_back_when_the_layout_has_none() {
    let mut layout = fixture();
    layout.title = None;
    let svg = render(&layout, &SvgOptions::default());
    let document = parse(&svg);
    let title = document.descendants().find(|n| n.has_tag_name("title")).and_then(|n| n.text());
    assert_eq!(title, Some("archdraw diagram"));
}

#[test]
fn every_title_text_item_and_label_is_drawn() {
    let layout = fixture();
    let svg = render(&layout, &SvgOptions::default());
    let drawn = drawn_texts(&parse(&svg));
    for placed in every_placed_text(&layout) {
        assert!(drawn.contains(&placed.text), "{:?} is missing from {drawn:?}", placed.text);
    }
    let bullets = drawn.iter().filter(|t| *t == "\u{2022}").count();
    assert_eq!(bullets, 1, "one bullet item, one bullet");
}

#[test]
fn text_sits_on_its_cells() {
    let svg = render_uniform(&fixture(), &SvgOptions::default());
    let document = parse(&svg);
    let attributes = |content: &str| {
        let node = text_element(&document, content);
        (
            node.attribute("x").map(str::to_owned),
            node.attribute("y").map(str::to_owned),
            node.attribute("text-anchor").map(str::to_owned),
            node.attribute("font-weight").map(str::to_owned),
        )
    };
    let owned = |x: &str, y: &str, anchor: Option<&str>, weight: Option<&str>| {
        (
            Some(x.to_owned()),
            Some(y.to_owned()),
            anchor.map(str::to_owned),
            weight.map(str::to_owned),
        )
    };
    // SOURCES is centred in its box, whose outline runs from the middle of column 0 (30 px) to
    // the middle of column 10 (150 px). Row 1 starts at 48 px; Noto Sans at 16 px has its
    // baseline 18 px down, which centres its 21.8 px line box in the 24 px row.
    assert_eq!(attributes("SOURCES"), owned("90", "66", Some("middle"), Some("bold")));
    // INGEST: columns 15..27, outline from 210 to 342 px. Its five rows leave one spare row
    // under its two lines of text; half of it goes above, so the text moves down 12 px.
    assert_eq!(attributes("(Kafka)"), owned("276", "102", Some("middle"), None));
    // Left-aligned items start at the left edge of their first cell (column 4: 72 px); the
    // bullet is centred 9 px to the left.
    assert_eq!(attributes("OLTP"), owned("72", "114", None, None));
    assert_eq!(attributes("DBs"), owned("72", "138", None, None));
    assert_eq!(attributes("\u{2022}"), owned("63", "114", Some("middle"), None));
}

#[test]
fn boxes_are_outlined_through_their_border_cells() {
    let svg = render_uniform(&fixture(), &SvgOptions::default());
    let document = parse(&svg);
    let shape = document.descendants().find(|n| n.attribute("class") == Some("ad-box-shape"));
    let geometry = shape.map(|n| {
        ["x", "y", "width", "height", "rx"].map(|a| n.attribute(a).unwrap_or_default().to_owned())
    });
    // Columns 0..11 and rows 0..6: from the centre of column 0 to the centre of column 10.
    assert_eq!(geometry, Some(["30", "36", "120", "120", "10"].map(str::to_owned)));
}

#[test]
fn arrows_run_from_the_tail_outline_to_the_head_outline() {
    let layout = fixture();
    let right =
        arrow_geometry(&uniform(&layout), &layout, &layout.routes[0], &joins::Joins::of(&layout))
            .expect("route has points");
    // SOURCES' right border is column 10 (centre 150 px), INGEST's left border column 15
    // (centre 210 px); row 1's centre is 60 px.
    assert_eq!(right.line.first(), Some(&(150, 60)));
    assert_eq!(right.head, [(210, 60), (200, 64), (200, 56)]);
    assert_eq!(right.line.last(), Some(&(202, 60)), "the line ends under the head");

    let up =
        arrow_geometry(&uniform(&layout), &layout, &layout.routes[2], &joins::Joins::of(&layout))
            .expect("route has points");
    // The service's text starts on row 8 (216 px); its outline stands 4 px above. INGEST's
    // bottom border is row 4, centre 132 px; column 21's centre is 282 px.
    assert_eq!(up.line.first(), Some(&(282, 212)));
    assert_eq!(up.head, [(282, 132), (286, 142), (278, 142)]);
}

#[test]
fn arrow_line_never_folds_back_past_a_near_head() {
    let mut layout = fixture();
    // A service as the head: its outline is only 6 px beyond the last cell's centre, nearer
    // than a head's length.
    layout.routes = vec![Route {
        net: 0,
        edge: None,
        from: Endpoint::Box(1),
        to: Endpoint::Service(0),
        points: vec![Point::new(21, 5), Point::new(21, 7)],
        head: Side::Down,
    }];
    let arrow =
        arrow_geometry(&uniform(&layout), &layout, &layout.routes[0], &joins::Joins::of(&layout))
            .expect("route has points");
    assert_eq!(arrow.head[0], (24 + 21 * 12 + 6, 24 + 8 * 24 - 4));
    let ys: Vec<i64> = arrow.line.iter().map(|p| p.1).collect();
    assert!(ys.windows(2).all(|w| w[0] < w[1]), "line goes only down: {ys:?}");
}

#[test]
fn arrow_corners_are_rounded_and_straight_lines_are_not() {
    assert_eq!(path_data(&[(0, 0), (40, 0)], &[]), "M0 0 L40 0");
    assert_eq!(path_data(&[(0, 0), (40, 0), (40, 20)], &[]), "M0 0 L34 0 Q40 0 40 6 L40 20");
    // A corner closer than twice the radius gets a smaller radius.
    assert_eq!(path_data(&[(0, 0), (40, 0), (40, 4)], &[]), "M0 0 L38 0 Q40 0 40 2 L40 4");
}

#[test]
fn horizontal_lines_hop_over_the_lines_they_cross() {
    // Running right over a line at x = 20, up-bulging (clockwise).
    assert_eq!(path_data(&[(0, 0), (40, 0)], &[(0, 20)]), "M0 0 L15 0 A5 5 0 0 1 25 0 L40 0");
    // Running left over two lines 12 px apart: one bridge, two quarter arcs and its top.
    assert_eq!(
        path_data(&[(60, 0), (0, 0)], &[(0, 40), (0, 28)]),
        "M60 0 L45 0 A5 5 0 0 0 40 -5 L28 -5 A5 5 0 0 0 23 0 L0 0"
    );
    // Lines 24 px apart get a hop each; a hop keeps clear of the corner's rounding.
    assert_eq!(
        path_data(&[(0, 0), (60, 0), (60, 30)], &[(0, 12), (0, 36)]),
        "M0 0 L7 0 A5 5 0 0 1 17 0 L31 0 A5 5 0 0 1 41 0 L54 0 Q60 0 60 6 L60 30"
    );
    // Squeezed between a corner and the crossing, the hop shrinks; with no room it is left out.
    assert_eq!(path_data(&[(0, 0), (9, 0), (9, 20)], &[(0, 4)]).matches(" A").count(), 0);
    assert_eq!(
        path_data(&[(0, 0), (20, 0), (20, 30)], &[(0, 10)]),
        "M0 0 L6 0 A4 4 0 0 1 14 0 L14 0 Q20 0 20 6 L20 30"
    );
}

#[test]
fn labels_are_drawn_over_arrows_on_a_halo() {
    let svg = render_uniform(&fixture(), &SvgOptions::default());
    let document = parse(&svg);
    let position =
        |class: &str| document.descendants().position(|n| n.attribute("class") == Some(class));
    let (label, arrow) = (position("ad-label"), position("ad-arrow"));
    assert!(
        label.is_some() && arrow.is_some() && label > arrow,
        "label {label:?}, arrow {arrow:?}"
    );
    let halo = document
        .descendants()
        .find(|n| n.attribute("class") == Some("ad-label"))
        .and_then(|g| g.first_element_child())
        .map(|n| {
            (n.attribute("class"), n.attribute("fill"), n.attribute("x"), n.attribute("width"))
        });
    // The label's area is columns 28..35 (360 to 444 px), so its middle is 402 px; the halo
    // reaches 6 px past the measured text each side.
    let half = text_width("feeds", false) / 2 + 6;
    let (x, width) = ((402 - half).to_string(), (2 * half).to_string());
    assert_eq!(
        halo,
        Some((Some("ad-halo"), Some("#ffffff"), Some(x.as_str()), Some(width.as_str())))
    );
}

#[test]
fn label_halos_fit_each_line_inside_the_label_area() {
    let mut layout = fixture();
    layout.labels = vec![PlacedLabel {
        edge: 1,
        rect: Rect::new(28, 2, 12, 2),
        lines: vec![
            line(LineKind::Text, "feeds", 29, 2),
            // A line with no padding left of it in the area: the halo stops at the area's edge.
            line(LineKind::Text, "everything", 28, 3),
        ],
    }];
    let svg = render_uniform(&layout, &SvgOptions::default());
    let document = parse(&svg);
    let halos: Vec<[i64; 4]> = document
        .descendants()
        .filter(|n| n.attribute("class") == Some("ad-halo"))
        .filter(|n| n.parent().and_then(|p| p.attribute("class")) == Some("ad-label"))
        .map(|n| ["x", "y", "width", "height"].map(|a| number(n.attribute(a))))
        .collect();
    // The area: columns 28..40 (360 to 504 px), rows 2..4 (72 to 120 px). Each halo covers its
    // line's row and measured text and stays inside the area. The arrow runs through the area
    // on row 2 and ends at 466 px, under SERVE's head, so the block is centred on the area but
    // kept over the line: both lines share one centre, left of the area's (432 px).
    assert_eq!(halos.len(), 2);
    let centre = number(text_element(&document, "feeds").attribute("x"));
    assert_eq!(centre, number(text_element(&document, "everything").attribute("x")));
    assert!(centre < 432 && centre + text_width("everything", false) / 2 <= 466, "{centre}");
    // The second line closes up on the first, which the arrow runs through: 20 px apart.
    for (halo, (text, top)) in halos.iter().zip([("feeds", 72), ("everything", 92)]) {
        let [x, y, width, height] = *halo;
        assert_eq!((y, height), (top, 24), "{text}");
        assert!(x >= 360 && x + width <= 504, "{text}: {halo:?}");
        let drawn = text_width(text, false);
        assert!(x <= centre - drawn / 2 && x + width >= centre + drawn / 2, "{text}: {halo:?}");
    }
    // A line as wide as the area: its halo stops at the area's edges.
    layout.labels[0].lines[1].text = "everything and more".to_owned();
    let svg = render_uniform(&layout, &SvgOptions::default());
    let document = parse(&svg);
    let last = document
        .descendants()
        .rfind(|n| n.attribute("class") == Some("ad-halo"))
        .map(|n| ["x", "width"].map(|a| number(n.attribute(a))));
    assert_eq!(last, Some([360, 144]));
}

#[test]
fn hostile_strings_come_out_as_literal_text() {
    let hostile = [
        "</text><script>alert(1)</script>",
        "\" onload=\"x",
        "&amp;",
        "javascript:alert(1)",
        "<!-- -->",
        "]]>",
    ];
    let mut layout = fixture();
    layout.title = Some(hostile[0].to_owned());
    layout.boxes[0].id = hostile[1].to_owned();
    layout.boxes[0].lines[0].text = hostile[0].to_owned();
    layout.boxes[0].lines[1].text = hostile[1].to_owned();
    layout.boxes[0].lines[2].text = hostile[2].to_owned();
    layout.boxes[1].lines[0].text = hostile[3].to_owned();
    layout.services[0].lines[0].text = hostile[4].to_owned();
    layout.groups[0].id = hostile[0].to_owned();
    layout.groups[0].title.text = hostile[5].to_owned();
    layout.labels[0].lines[0].text = hostile[0].to_owned();

    let svg = render(&layout, &SvgOptions { theme: Theme::Auto, ..SvgOptions::default() });
    assert!(!svg.contains("<script"), "{svg}");
    assert!(!svg.contains("<!--"), "no comments at all: {svg}");
    assert!(svg.contains("&amp;amp;"), "a literal &amp; is escaped again");
    let document = parse(&svg);
    for node in document.descendants().filter(|n| n.is_element()) {
        assert_ne!(node.tag_name().name(), "script");
        for attribute in node.attributes() {
            assert!(!attribute.name().starts_with("on"), "event handler {}", attribute.name());
            assert!(!attribute.name().contains("href"), "reference {}", attribute.name());
        }
    }
    // Each string reads back exactly as given, so it was escaped, not interpreted.
    let drawn = drawn_texts(&document);
    for text in hostile {
        assert!(drawn.iter().any(|t| t == text), "{text:?} not drawn literally: {drawn:?}");
    }
    let ids: Vec<&str> = document.descendants().filter_map(|n| n.attribute("data-id")).collect();
    assert!(ids.contains(&hostile[1]) && ids.contains(&hostile[0]), "{ids:?}");
    let title = document.descendants().find(|n| n.has_tag_name("title")).and_then(|n| n.text());
    assert_eq!(title, Some(hostile[0]));
}

#[test]
fn characters_xml_cannot_hold_are_replaced() {
    let mut layout = fixture();
    layout.boxes[0].lines[0].text = "nul\u{0}bell\u{7}\u{ffff}".to_owned();
    layout.title = Some("esc\u{1b}".to_owned());
    let svg = render(&layout, &SvgOptions::default());
    let document = parse(&svg);
    assert!(drawn_texts(&document).contains(&"nul\u{fffd}bell\u{fffd}\u{fffd}".to_owned()));
    assert_eq!(xml_safe("tab\tnewline\n"), "tab\tnewline\n");
}

#[test]
fn rendering_is_deterministic() {
    for theme in [Theme::Light, Theme::Dark, Theme::Auto] {
        let options = SvgOptions { theme, ..SvgOptions::default() };
        let first = render(&fixture(), &options);
        let second = render(&fixture().clone(), &options);
        assert_eq!(first, second, "{theme:?}");
    }
}

#[test]
fn fixed_precision_check_rejects_float_noise() {
    assert!(has_fixed_precision("M25 30 L40.5 12.25 #1e293b 0 0 540 260"));
    assert!(!has_fixed_precision("0.30000000000000004"));
    assert!(!has_fixed_precision("0.33333334"));
    assert!(!has_fixed_precision("1.2.3"));
    assert!(!has_fixed_precision(".5"));
    assert!(has_fixed_precision(".ad-1f .ad-bg{fill:#111827}"));
}

#[test]
fn every_number_has_fixed_precision() {
    for theme in [Theme::Light, Theme::Dark, Theme::Auto] {
        let svg = render(&fixture(), &SvgOptions { theme, ..SvgOptions::default() });
        let document = parse(&svg);
        let mut checked = 0;
        for node in document.descendants() {
            for attribute in node.attributes() {
                assert!(
                    has_fixed_precision(attribute.value()),
                    "{}={:?}",
                    attribute.name(),
                    attribute.value()
                );
                checked += 1;
            }
            if node.has_tag_name("style") {
                let css = node.text().unwrap_or_default();
                assert!(has_fixed_precision(css), "{css}");
            }
        }
        assert!(checked > 50, "only {checked} attributes checked");
    }
}

#[test]
fn desc_lists_boxes_arrows_services_and_groups() {
    let svg = render(&fixture(), &SvgOptions::default());
    let document = parse(&svg);
    let desc = document.descendants().find(|n| n.has_tag_name("desc")).and_then(|n| n.text());
    assert_eq!(
        desc,
        Some(
            "Boxes: SOURCES: OLTP DBs; INGEST: (Kafka); SERVE. \
             Arrows: SOURCES \u{2192} INGEST; INGEST \u{2192} SERVE (feeds); \
             schema registry \u{2192} INGEST. \
             Services: schema registry: (Confluent). Groups: edge."
        )
    );
}

#[test]
fn services_and_groups_are_dashed_and_muted() {
    let svg = render(&fixture(), &SvgOptions::default());
    let document = parse(&svg);
    let find = |class: &str| {
        document.descendants().find(|n| n.attribute("class") == Some(class)).map(|n| {
            (n.attribute("stroke-dasharray").is_some(), n.attribute("stroke").map(str::to_owned))
        })
    };
    let muted = Some(theme::LIGHT.service_stroke.to_owned());
    assert_eq!(find("ad-service-shape"), Some((true, muted.clone())));
    assert_eq!(find("ad-group-frame"), Some((true, Some(theme::LIGHT.group_stroke.to_owned()))));
    assert_ne!(muted.as_deref(), Some(theme::LIGHT.box_stroke));
    let group_title = text_element(&document, "edge");
    assert_eq!(group_title.attribute("fill"), Some(theme::LIGHT.group_text));
}

#[test]
fn light_and_dark_resolve_colours_into_attributes() {
    for (theme, palette) in [(Theme::Light, &theme::LIGHT), (Theme::Dark, &theme::DARK)] {
        let svg = render(&fixture(), &SvgOptions { theme, ..SvgOptions::default() });
        let document = parse(&svg);
        let css = document.descendants().find(|n| n.has_tag_name("style")).and_then(|n| n.text());
        let css = css.unwrap_or_default();
        assert!(
            !css.contains("@media") && !css.contains("var("),
            "{theme:?}: colours only in attributes"
        );
        let fill_of = |class: &str| {
            document
                .descendants()
                .find(|n| n.attribute("class") == Some(class))
                .and_then(|n| n.attribute("fill"))
        };
        assert_eq!(fill_of("ad-bg"), Some(palette.background), "{theme:?}");
        assert_eq!(fill_of("ad-box-shape"), Some(palette.box_fill), "{theme:?}");
        assert_eq!(text_element(&document, "SOURCES").attribute("fill"), Some(palette.text));
    }
    assert_ne!(theme::LIGHT.background, theme::DARK.background);
}

#[test]
fn auto_theme_switches_to_dark_in_a_scoped_media_query() {
    let svg = render(&fixture(), &SvgOptions { theme: Theme::Auto, ..SvgOptions::default() });
    let document = parse(&svg);
    let root = document.root_element();
    let scope = root.attribute("class").expect("root has a scope class");
    let css = document.descendants().find(|n| n.has_tag_name("style")).and_then(|n| n.text());
    let css = css.expect("auto theme has a style sheet");
    assert!(css.contains("@media (prefers-color-scheme: dark){"), "{css}");
    assert!(css.contains(&format!(".{scope} .ad-bg{{fill:{}}}", theme::DARK.background)), "{css}");
    assert!(
        css.contains(&format!(
            ".{scope} .ad-box-shape{{fill:{};stroke:{}}}",
            theme::DARK.box_fill,
            theme::DARK.box_stroke
        )),
        "{css}"
    );
    // Every role has a rule, and each rule is scoped.
    for role in Role::ALL {
        assert!(css.contains(&format!(".{scope} .{}{{", role.class())), "{role:?}: {css}");
    }
    // Without the media query (resvg, viewers) the attributes give the light look.
    let background = document.descendants().find(|n| n.attribute("class") == Some("ad-bg"));
    assert_eq!(background.and_then(|n| n.attribute("fill")), Some(theme::LIGHT.background));
}

#[test]
fn derived_prefix_is_stable_and_follows_the_content() {
    let layout = fixture();
    let prefix = scope_class(&layout, None);
    assert_eq!(prefix.len(), 11, "{prefix}");
    assert!(prefix.starts_with("ad-"), "{prefix}");
    assert!(prefix[3..].chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    assert_eq!(prefix, scope_class(&fixture(), None));
    let mut changed = fixture();
    changed.boxes[0].lines[1].text = "OLTQ".to_owned();
    assert_ne!(prefix, scope_class(&changed, None));
}

#[test]
fn fnv1a_matches_its_published_test_vectors() {
    use std::io::Write as _;
    let hash = |bytes: &[u8]| {
        let mut hasher = Fnv1a::new();
        hasher.write_all(bytes).expect("hashing never fails");
        hasher.0
    };
    assert_eq!(hash(b""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(hash(b"a"), 0xaf63_dc4c_8601_ec8c);
    assert_eq!(hash(b"foobar"), 0x8594_4171_f739_67e8);
}

#[test]
fn given_prefixes_are_sanitised() {
    let layout = fixture();
    assert_eq!(scope_class(&layout, Some("docs-fig1")), "docs-fig1");
    assert_eq!(scope_class(&layout, Some("x\" onload=\"y")), "xonloady");
    assert_eq!(scope_class(&layout, Some("9lives")), "ad-9lives");
    assert_eq!(scope_class(&layout, Some("}{ .;")), scope_class(&layout, None));
    let svg = render(
        &layout,
        &SvgOptions {
            theme: Theme::Auto,
            id_prefix: Some("a}b{c".to_owned()),
            ..SvgOptions::default()
        },
    );
    assert!(svg.contains(".abc .ad-bg{"), "{svg}");
    assert_eq!(parse(&svg).root_element().attribute("class"), Some("abc"));
}

#[test]
fn empty_and_broken_layouts_still_render() {
    let empty = Layout {
        title: None,
        direction: Direction::Down,
        width: 0,
        height: 0,
        boxes: vec![],
        services: vec![],
        groups: vec![],
        routes: vec![],
        labels: vec![],
    };
    let svg = render(&empty, &SvgOptions::default());
    let document = parse(&svg);
    let desc = document.descendants().find(|n| n.has_tag_name("desc")).and_then(|n| n.text());
    assert_eq!(desc, Some("An empty diagram."));
    assert_eq!(document.root_element().attribute("viewBox"), Some("0 0 48 48"));

    // Endpoints that do not exist and a route without points: drawn as far as possible, no panic.
    let mut broken = fixture();
    broken.routes[0].from = Endpoint::Box(99);
    broken.routes[0].to = Endpoint::Service(99);
    broken.routes[1].points.clear();
    broken.boxes[0].rect = Rect::new(0, 0, 0, 0);
    let svg = render(&broken, &SvgOptions::default());
    let document = parse(&svg);
    let arrows =
        document.descendants().filter(|n| n.attribute("class") == Some("ad-arrow")).count();
    assert_eq!(arrows, 2, "the pointless route is skipped, the others drawn");
    let arrow =
        arrow_geometry(&uniform(&broken), &broken, &broken.routes[0], &joins::Joins::of(&broken))
            .expect("route has points");
    // No tail outline: the line starts at the first cell; the head goes one cell on.
    assert_eq!(arrow.line.first(), Some(&(162, 60)));
    assert_eq!(arrow.head[0], (210, 60));
}

/// Standard base64 decoding, for reading embedded fonts back.
fn unbase64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let digits: Vec<u8> = text.bytes().filter(|&c| c != b'=').map(value).collect();
    let mut out = Vec::new();
    for chunk in digits.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &d)| n | u32::from(d) << (18 - 6 * i));
        out.extend(n.to_be_bytes()[1..chunk.len()].iter());
    }
    out
}

/// The embedded fonts of an SVG: (family, weight, font file).
fn embedded_fonts(svg: &str) -> Vec<(String, String, Vec<u8>)> {
    let document = parse(svg);
    let css = document.descendants().find(|n| n.has_tag_name("style")).and_then(|n| n.text());
    let css = css.unwrap_or_default();
    css.split("@font-face{")
        .skip(1)
        .map(|rule| {
            let field = |name: &str| {
                let start = rule.find(name).map(|i| i + name.len()).expect(name);
                rule[start..].split([';', ')']).next().unwrap_or_default().to_owned()
            };
            let data = field("base64,");
            (field("font-family:"), field("font-weight:"), unbase64(&data))
        })
        .collect()
}

#[test]
fn fonts_are_embedded_as_subsets_of_the_glyphs_drawn() {
    let layout = fixture();
    let svg = render(&layout, &SvgOptions::default());
    let fonts = embedded_fonts(&svg);
    let weights: Vec<&str> = fonts.iter().map(|f| f.1.as_str()).collect();
    assert_eq!(weights, ["400", "700"], "regular for items and labels, bold for titles");
    let scope = scope_class(&layout, None);
    for (family, _, data) in &fonts {
        assert!(family.starts_with(&format!("{scope}-sans-")), "{family}");
        assert!(data.len() < 20_000, "a subset, not the whole font: {} bytes", data.len());
    }
    let regular = ttf_parser::Face::parse(&fonts[0].2, 0).expect("a valid font");
    let bold = ttf_parser::Face::parse(&fonts[1].2, 0).expect("a valid font");
    // Items, labels and the bullet are regular; titles are bold.
    for c in "OLTPDBs(Kafka)feeds\u{2022}".chars() {
        assert!(regular.glyph_index(c).is_some(), "regular lacks {c:?}");
    }
    for c in "SOURCESINGESTschemaregistry".chars() {
        assert!(bold.glyph_index(c).is_some(), "bold lacks {c:?}");
    }
    assert!(regular.glyph_index('Z').is_none() && bold.glyph_index('z').is_none());
    // Every text names the embedded family first, then the font's own name and a generic one.
    let document = parse(&svg);
    let families = document.descendants().find_map(|n| n.attribute("font-family"));
    assert_eq!(families, Some(format!("{}, Noto Sans, sans-serif", fonts[0].0).as_str()));
}

#[test]
fn fonts_can_be_left_out() {
    let svg = render(&fixture(), &SvgOptions { embed_font: false, ..SvgOptions::default() });
    assert!(!svg.contains("@font-face") && !svg.contains("<style"), "{svg}");
    let document = parse(&svg);
    let families = document.descendants().find_map(|n| n.attribute("font-family"));
    assert_eq!(families, Some("Noto Sans, sans-serif"));
}

#[test]
fn font_families_differ_when_the_glyphs_do() {
    // The same prefix on two diagrams with different text: the families must differ, or one
    // page holding both would draw one diagram's text with the other's subset.
    let options = SvgOptions { id_prefix: Some("fig".to_owned()), ..SvgOptions::default() };
    let mut other = fixture();
    other.boxes[0].lines[0].text = "ZEBRA".to_owned();
    let (a, b) =
        (embedded_fonts(&render(&fixture(), &options)), embedded_fonts(&render(&other, &options)));
    assert_ne!(a[1].0, b[1].0);
    assert!(a[1].0.starts_with("fig-sans-") && b[1].0.starts_with("fig-sans-"));
}

#[test]
fn lines_too_wide_for_their_room_are_set_smaller_or_squeezed() {
    let mut layout = fixture();
    // Ten W's on a 10-cell span: at 16 px they would be about 150 px, more than the box has.
    layout.boxes[2].rect = Rect::new(35, 1, 14, 3);
    layout.boxes[2].lines = vec![line(LineKind::Title, "WWWWWWWWWW", 37, 2)];
    // Sixty M's in the same room cannot be set readably at all: squeezed.
    layout.boxes[0].lines[1] = line(LineKind::Bullet, &"M".repeat(60), 4, 3);
    let svg = render_uniform(&layout, &SvgOptions::default());
    let document = parse(&svg);
    let wide = text_element(&document, "WWWWWWWWWW");
    let size = number(wide.attribute("font-size"));
    assert!((i64::from(MIN_FONT_SIZE)..SIZE).contains(&size), "size {size}");
    // At that size the measured width fits the box's inside less padding.
    let metrics = Metrics::new(Face::Sans, true);
    let width = metrics.width("WWWWWWWWWW") * size / metrics.units_per_em;
    let inside = 12 * (14 - 2) - 2 * TEXT_PAD;
    assert!(width <= inside && width > inside - 20, "{width} px in {inside} px");
    assert_eq!(wide.attribute("textLength"), None);

    let squeezed = text_element(&document, &"M".repeat(60));
    assert_eq!(squeezed.attribute("font-size"), Some("10"));
    // From column 4 (72 px) to the inside's right edge, column 10 (144 px), less padding.
    assert_eq!(squeezed.attribute("textLength"), Some("68"));
    assert_eq!(squeezed.attribute("lengthAdjust"), Some("spacingAndGlyphs"));
    // Text that fits is left alone.
    assert_eq!(text_element(&document, "INGEST").attribute("font-size"), None);
}

#[test]
fn mono_uses_the_monospace_font() {
    let svg = render(&fixture(), &SvgOptions { font: Font::Mono, ..SvgOptions::default() });
    let fonts = embedded_fonts(&svg);
    assert!(fonts.iter().all(|f| f.0.contains("-mono-")), "{fonts:?}");
    let document = parse(&svg);
    let families = document.descendants().find_map(|n| n.attribute("font-family"));
    assert!(families.is_some_and(|f| f.ends_with(", Noto Sans Mono, monospace")), "{families:?}");
    let face = ttf_parser::Face::parse(&fonts[0].2, 0).expect("a valid font");
    let advance = |c| face.glyph_index(c).and_then(|g| face.glyph_hor_advance(g));
    assert_eq!(advance('O'), advance('s'), "every glyph one advance wide");
}

#[test]
fn sketch_style_is_hand_drawn_deterministic_and_seeded_by_the_layout() {
    let options = SvgOptions { style: Style::Sketch, ..SvgOptions::default() };
    let sketch = render(&fixture(), &options);
    assert_eq!(sketch, render(&fixture(), &options), "same layout, same bytes");
    let clean = render(&fixture(), &SvgOptions::default());
    assert_ne!(sketch, clean);
    let document = parse(&sketch);
    let families = document.descendants().find_map(|n| n.attribute("font-family"));
    assert!(families.is_some_and(|f| f.contains(", Comic Neue, ")), "{families:?}");
    // Box outlines are two passes of four bowed strokes over a plain fill.
    let strokes = document
        .descendants()
        .find(|n| n.attribute("class") == Some("ad-box-outline"))
        .and_then(|n| n.attribute("d"))
        .expect("hand strokes");
    assert_eq!(strokes.matches('M').count(), 8, "{strokes}");
    assert_eq!(strokes.matches('Q').count(), 8, "{strokes}");
    let fill = document.descendants().find(|n| n.attribute("class") == Some("ad-box-shape"));
    assert_eq!(fill.and_then(|n| n.attribute("stroke-width")), Some("0"));
    for node in document.descendants() {
        for attribute in node.attributes() {
            assert!(
                has_fixed_precision(attribute.value()),
                "{}={:?}",
                attribute.name(),
                attribute.value()
            );
        }
    }
    // Another layout wobbles differently.
    let mut moved = fixture();
    moved.boxes[0].lines[1].text = "OLTQ".to_owned();
    let other = render(&moved, &options);
    let outline = |svg: &str| {
        let document = parse(svg);
        document
            .descendants()
            .find(|n| n.attribute("class") == Some("ad-box-outline"))
            .and_then(|n| n.attribute("d"))
            .map(str::to_owned)
    };
    assert_ne!(outline(&sketch), outline(&other));
    // Mono wins over the sketch font: the terminal look, hand-drawn lines.
    let mono = render(&fixture(), &SvgOptions { font: Font::Mono, ..options });
    assert!(mono.contains(", Noto Sans Mono, monospace"));
}

#[test]
fn options_follow_the_diagram() {
    let spec = crate::parse("theme: auto\nstyle: sketch\nboxes: [{title: A}]\n").unwrap();
    let options = SvgOptions::for_appearance(crate::Diagram::from_spec(&spec).unwrap().appearance);
    assert_eq!(
        (options.theme, options.style, options.font),
        (Theme::Auto, Style::Sketch, Font::Sans)
    );
    assert!(options.embed_font);
    let plain = SvgOptions::for_appearance(Appearance::default());
    assert_eq!(plain, SvgOptions::default());
}

#[test]
fn the_page_grid_gives_text_rows_their_height_and_shrinks_the_rest() {
    let layout = fixture();
    let grid = page_grid_of(&layout);
    let heights: Vec<i64> = (0..layout.height).map(|y| grid.row_height(y)).collect();
    // Rows 0-4 and 8-9 carry text (the frame's title, the boxes' lines, the label, the
    // service); row 5 a border and an arrow's end, row 7 the arrow's start and the line the
    // service's outline runs in, row 10 the outline under it; row 6 only a vertical line
    // passing through.
    assert_eq!(heights, [22, 22, 22, 22, 22, 10, 4, 10, 22, 22, 10]);
    assert_eq!(grid.row(0), 24, "the margin");
    // Columns, row by row: in row 1, SOURCES' border (0) takes a stroke's width and its
    // arrow's head (14), entering INGEST straight after a cell of its line, a head's; its
    // first cell (11), where it leaves the box straight on, and 12 and 13 are blank, the
    // arrow passing along them.
    let width = |x: usize, y: usize| grid.col_width(x, y);
    assert_eq!((width(0, 1), width(14, 1)), (10, 6));
    for x in 11..14 {
        assert!((4..10).contains(&width(x, 1)), "cell {x}: {}", width(x, 1));
    }
    // Every text's cells hold it as measured, in its row.
    for text in every_placed_text(&layout) {
        let room = grid.col(text.x + text.width, text.y) - grid.col(text.x, text.y);
        assert!(room >= text_width(&text.text, text.kind == LineKind::Title), "{}", text.text);
    }
    // Each row keeps the layout's order: centres strictly increase along it.
    for y in 0..layout.height {
        for x in 1..layout.width {
            assert!(grid.mid_x(x, y) > grid.mid_x(x - 1, y), "cell {x} of row {y}");
        }
    }
    for y in 1..layout.height {
        assert!(grid.mid_y(y) > grid.mid_y(y - 1));
    }
    // Things spanning rows stand at one place in all of them: a box's sides.
    for b in &layout.boxes {
        let sides = |y: usize| (grid.mid_x(b.rect.x, y), grid.mid_x(b.rect.right() - 1, y));
        for y in b.rect.y..b.rect.bottom() {
            assert_eq!(sides(y), sides(b.rect.y), "{} in row {y}", b.id);
        }
    }
    // And only what shares its rows pushes a thing aside: "schema registry" (rows 8-9, under
    // INGEST's columns) is wider than INGEST's box, which stays as wide as its own text needs.
    let ingest = grid.mid_x(26, 1) - grid.mid_x(15, 1);
    assert!(ingest < text_width("schema registry", true), "{ingest}");
    // A label's cells keep 4 px more than its text, for the room it keeps from its edges.
    let feeds = layout.labels[0].lines[0].clone();
    let room = grid.col(feeds.x + feeds.width, feeds.y) - grid.col(feeds.x, feeds.y);
    assert!(room >= text_width(&feeds.text, false) + 4, "{room}");
    // The frame's title "edge" (columns 37..41 of row 0) has room beside it for the frame's
    // corners.
    assert!(width(36, 0) >= 14 && width(41, 0) >= 14, "{} {}", width(36, 0), width(41, 0));
    assert_eq!(grid.row_centred_at(grid.mid_y(5)), Some(5));
    assert_eq!(grid.row_centred_at(grid.mid_y(5) + 1), None);
    assert_eq!(grid.column_at(grid.mid_x(12, 1), 1), 12);
}

#[test]
fn on_the_page_a_wide_line_widens_its_box_instead_of_shrinking() {
    let mut layout = fixture();
    // Ten W's on a 10-cell span: wider than ten text cells, so their columns widen.
    layout.boxes[2].rect = Rect::new(35, 1, 14, 3);
    layout.boxes[2].lines = vec![line(LineKind::Title, "WWWWWWWWWW", 37, 2)];
    let svg = render(&layout, &SvgOptions::default());
    let document = parse(&svg);
    let wide = text_element(&document, "WWWWWWWWWW");
    assert_eq!(wide.attribute("font-size"), None, "set at the full size");
    assert_eq!(wide.attribute("textLength"), None);
    let shape = document
        .descendants()
        .filter(|n| n.attribute("class") == Some("ad-box-shape"))
        .nth(2)
        .map(|n| number(n.attribute("width")))
        .expect("SERVE's box");
    assert!(shape >= text_width("WWWWWWWWWW", true) + 2 * TEXT_PAD, "{shape}");
}

#[test]
fn the_page_fitting_estimates_the_canvas_exactly_in_the_default_typeface() {
    // The fitting chooses among drawings by their size on the page: measured as the SVG
    // measures, or a drawing of CJK text (wider than the average letter) is chosen for a
    // shape it does not have.
    let yaml = include_str!("../../../../../bench/quality/specs/tokyo-commerce-cjk.yaml");
    let diagram =
        crate::model::Diagram::from_spec(&crate::parse(yaml).expect("a spec")).expect("a diagram");
    for layout in [fixture(), crate::layout::layout(&diagram, &Default::default())] {
        let (width, height) = page_grid_of(&layout).canvas();
        let canvas = (width.unsigned_abs(), height.unsigned_abs());
        assert_eq!(crate::layout::page::estimated_size(&layout), canvas);
    }
}
