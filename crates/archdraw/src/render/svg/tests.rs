//! Tests of the SVG renderer on layouts built by hand.

use super::*;
use crate::layout::{PlacedBox, PlacedGroup, PlacedLabel, PlacedService};
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
    // 50 × 11 cells of 10 × 20 px, plus a 20 px margin on each side.
    assert_eq!(root.attribute("viewBox"), Some("0 0 540 260"));
    assert_eq!(root.attribute("width"), Some("540"));
    assert_eq!(root.attribute("height"), Some("260"));
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
    assert_eq!(size, Some(("rect", Some("540"), Some("260"))));
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
    let svg = render(&fixture(), &SvgOptions::default());
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
    // SOURCES covers columns 2..9 of row 1: centre 20 + 55 px, baseline 20 + 20 + 15 px.
    assert_eq!(attributes("SOURCES"), owned("75", "55", Some("middle"), Some("bold")));
    assert_eq!(attributes("(Kafka)"), owned("225", "75", Some("middle"), None));
    // Left-aligned items start at the left edge of their first cell; the bullet is centred two
    // cells to the left.
    assert_eq!(attributes("OLTP"), owned("60", "95", None, None));
    assert_eq!(attributes("DBs"), owned("60", "115", None, None));
    assert_eq!(attributes("\u{2022}"), owned("45", "95", Some("middle"), None));
}

#[test]
fn boxes_are_outlined_through_their_border_cells() {
    let svg = render(&fixture(), &SvgOptions::default());
    let document = parse(&svg);
    let shape = document.descendants().find(|n| n.attribute("class") == Some("ad-box-shape"));
    let geometry = shape.map(|n| {
        ["x", "y", "width", "height", "rx"].map(|a| n.attribute(a).unwrap_or_default().to_owned())
    });
    // Columns 0..11 and rows 0..6: from the centre of column 0 to the centre of column 10.
    assert_eq!(geometry, Some(["25", "30", "100", "100", "8"].map(str::to_owned)));
}

#[test]
fn arrows_run_from_the_tail_outline_to_the_head_outline() {
    let layout = fixture();
    let right = arrow_geometry(&layout, &layout.routes[0]).expect("route has points");
    // SOURCES' right border is column 10 (centre 125 px), INGEST's left border column 15
    // (centre 175 px); row 1's centre is 50 px.
    assert_eq!(right.line.first(), Some(&(125, 50)));
    assert_eq!(right.head, [(175, 50), (165, 55), (165, 45)]);
    assert_eq!(right.line.last(), Some(&(167, 50)), "the line ends under the head");

    let up = arrow_geometry(&layout, &layout.routes[2]).expect("route has points");
    // The service's text starts on row 8 (180 px); its outline stands 4 px above. INGEST's bottom
    // border is row 4, centre 110 px.
    assert_eq!(up.line.first(), Some(&(235, 176)));
    assert_eq!(up.head, [(235, 110), (240, 120), (230, 120)]);
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
    let arrow = arrow_geometry(&layout, &layout.routes[0]).expect("route has points");
    assert_eq!(arrow.head[0], (21 * 10 + 25, 8 * 20 + 20 - 4));
    let ys: Vec<i64> = arrow.line.iter().map(|p| p.1).collect();
    assert!(ys.windows(2).all(|w| w[0] < w[1]), "line goes only down: {ys:?}");
}

#[test]
fn arrow_corners_are_rounded_and_straight_lines_are_not() {
    assert_eq!(path_data(&[(0, 0), (40, 0)]), "M0 0 L40 0");
    assert_eq!(path_data(&[(0, 0), (40, 0), (40, 20)]), "M0 0 L36 0 Q40 0 40 4 L40 20");
    // A corner closer than twice the radius gets a smaller radius.
    assert_eq!(path_data(&[(0, 0), (40, 0), (40, 4)]), "M0 0 L38 0 Q40 0 40 2 L40 4");
}

#[test]
fn labels_are_drawn_over_arrows_on_a_halo() {
    let svg = render(&fixture(), &SvgOptions::default());
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
    // "feeds" covers columns 29..34; its halo reaches a cell further each side.
    assert_eq!(halo, Some((Some("ad-halo"), Some("#ffffff"), Some("300"), Some("70"))));
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
    let svg = render(&layout, &SvgOptions::default());
    let document = parse(&svg);
    let halos: Vec<[&str; 4]> = document
        .descendants()
        .filter(|n| n.attribute("class") == Some("ad-halo"))
        .filter(|n| n.parent().and_then(|p| p.attribute("class")) == Some("ad-label"))
        .map(|n| ["x", "y", "width", "height"].map(|a| n.attribute(a).unwrap_or_default()))
        .collect();
    assert_eq!(halos, [["300", "60", "70", "20"], ["300", "80", "110", "20"]]);
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
        assert!(!document.descendants().any(|n| n.has_tag_name("style")), "{theme:?} needs no CSS");
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
    assert!(css.starts_with("@media (prefers-color-scheme: dark){"), "{css}");
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
    let svg =
        render(&layout, &SvgOptions { theme: Theme::Auto, id_prefix: Some("a}b{c".to_owned()) });
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
    assert_eq!(document.root_element().attribute("viewBox"), Some("0 0 40 40"));

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
    let arrow = arrow_geometry(&broken, &broken.routes[0]).expect("route has points");
    // No tail outline: the line starts at the first cell; the head goes one cell on.
    assert_eq!(arrow.line.first(), Some(&(135, 50)));
    assert_eq!(arrow.head[0], (175, 50));
}
