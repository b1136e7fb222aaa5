//! The SVG, JSON and PNG of the generated specs, judged against the spec (the oracle), as
//! the text drawings are judged in the parent module.

use std::collections::BTreeMap;

use archdraw::geom::{Point, Rect};
#[cfg(feature = "png")]
use archdraw::layout::LayoutOptions;
use archdraw::{Format, Options};
use proptest::prelude::*;

#[cfg(feature = "png")]
use super::diagram;
use crate::readback::expect::{self, Expected, Piece};

/// The SVG of `yaml`: the same bytes twice, well-formed XML, every box, service and group
/// drawn once under its id holding its text word for word (so every user string came through
/// the XML escaping intact, `<tag>` and `R&D` included), every label's text in some label,
/// every arrow from the border of its box or service to the border of the box it points at
/// (a multiset, so repeats count), and by geometry: boxes, services and label halos disjoint,
/// every text inside its shape.
pub(super) fn check_svg(yaml: &str, spec: &Expected) -> Result<(), TestCaseError> {
    use archdraw::render::svg::{FONT_SIZE, SvgOptions, text_width};
    let options = Options { format: Format::Svg, ..Options::default() };
    let svg = archdraw::render(yaml, &options).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let again = archdraw::render(yaml, &options).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(svg == again, "SVG: two renders of the same spec differ");
    let fail = |what: String| TestCaseError::fail(format!("SVG: {what}"));
    let doc = roxmltree::Document::parse(&svg).map_err(|e| fail(format!("not XML: {e}")))?;
    prop_assert_eq!(doc.root_element().tag_name().name(), "svg");

    let class_is = |n: &roxmltree::Node<'_, '_>, class: &str| n.attribute("class") == Some(class);
    let number = |n: &roxmltree::Node<'_, '_>, key: &str| -> f64 {
        n.attribute(key).and_then(|v| v.parse().ok()).unwrap_or(f64::NAN)
    };
    // A shape: (left, top, right, bottom) in pixels.
    type Shape = (f64, f64, f64, f64);
    let shape_of = |n: roxmltree::Node<'_, '_>| -> Shape {
        let (x, y) = (number(&n, "x"), number(&n, "y"));
        (x, y, x + number(&n, "width"), y + number(&n, "height"))
    };
    let overlap = |a: Shape, b: Shape| a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3;
    let text_of = |n: roxmltree::Node<'_, '_>| -> String {
        n.descendants().filter(|t| t.is_text()).filter_map(|t| t.text()).collect()
    };
    // A text element's extent: its width as measured in the bundled font at its size, unless
    // squeezed by textLength.
    let svg_options = SvgOptions::default();
    let extent = |n: roxmltree::Node<'_, '_>| -> Shape {
        let text = text_of(n);
        let bold = n.attribute("font-weight") == Some("bold");
        let size = n.attribute("font-size").and_then(|v| v.parse::<f64>().ok());
        let measured = f64::from(text_width(&text, bold, &svg_options))
            * size.map_or(1.0, |s| s / f64::from(FONT_SIZE));
        let width =
            n.attribute("textLength").and_then(|v| v.parse::<f64>().ok()).unwrap_or(measured);
        let x = number(&n, "x");
        let left = if n.attribute("text-anchor") == Some("middle") { x - width / 2.0 } else { x };
        let y = number(&n, "y");
        (left, y - 1.0, left + width, y)
    };
    // A text whose anchor and baseline lie in `outer`, centred in it if anchored in the middle.
    let anchored = |n: roxmltree::Node<'_, '_>, outer: Shape| {
        let (x, y) = (number(&n, "x"), number(&n, "y"));
        let centred = n.attribute("text-anchor") != Some("middle")
            || ((outer.0 + outer.2) / 2.0 - x).abs() <= 1.0;
        x >= outer.0 && x <= outer.2 && y > outer.1 && y <= outer.3 && centred
    };
    let inside = |inner: Shape, outer: Shape| {
        inner.0 >= outer.0 - 0.5
            && inner.2 <= outer.2 + 0.5
            && inner.1 >= outer.1
            && inner.3 <= outer.3
    };

    // Each group element of `class` with its id, shape, texts; texts must lie in the shape.
    let mut solid: Vec<(String, Shape)> = Vec::new();
    // What an arrow may start or end at: "ad-box ID" or "ad-service ID", and its shape.
    let mut ends: Vec<(String, Shape)> = Vec::new();
    let mut groups_of =
        |class: &str, shape_class: &str| -> Result<BTreeMap<String, Vec<String>>, TestCaseError> {
            let mut out = BTreeMap::new();
            for g in doc.descendants().filter(|n| class_is(n, class)) {
                let id = g.attribute("data-id").unwrap_or("").to_owned();
                let shape = g
                    .children()
                    .find(|n| class_is(n, shape_class))
                    .map(shape_of)
                    .ok_or_else(|| fail(format!("{class} {id:?} has no {shape_class}")))?;
                let texts: Vec<roxmltree::Node<'_, '_>> =
                    g.children().filter(|n| n.tag_name().name() == "text").collect();
                for t in &texts {
                    // Boxes and services are sized on the page to their text as measured, so
                    // the measured text fits them; a halo is sized to the text as set: its
                    // anchor and baseline lie inside it.
                    let fits = if shape_class == "ad-halo" {
                        anchored(*t, shape)
                    } else {
                        inside(extent(*t), shape)
                    };
                    if !fits {
                        return Err(fail(format!(
                            "{class} {id:?}: text {:?} at {:?} is outside its shape {shape:?}",
                            text_of(*t),
                            extent(*t)
                        )));
                    }
                }
                if class != "ad-group" {
                    solid.push((format!("{class} {id:?}"), shape));
                    ends.push((format!("{class} {id}"), shape));
                }
                let lines = texts.into_iter().map(text_of).collect();
                if out.insert(id.clone(), lines).is_some() {
                    return Err(fail(format!("two {class} elements with id {id:?}")));
                }
            }
            Ok(out)
        };
    let boxes = groups_of("ad-box", "ad-box-shape")?;
    let services = groups_of("ad-service", "ad-service-shape")?;
    let groups = groups_of("ad-group", "ad-halo")?;
    let labels: Vec<Vec<String>> = {
        let mut out = Vec::new();
        for (k, g) in doc.descendants().filter(|n| class_is(n, "ad-label")).enumerate() {
            // One halo per line, in the same order as the lines.
            let halos: Vec<Shape> =
                g.children().filter(|n| class_is(n, "ad-halo")).map(shape_of).collect();
            let texts: Vec<_> = g.children().filter(|n| n.tag_name().name() == "text").collect();
            // Numbered: one label's halos (its lines set closer than a row) may meet and overlap.
            let name =
                format!("label {k} {:?}", texts.iter().map(|t| text_of(*t)).collect::<Vec<_>>());
            if halos.len() != texts.len() {
                return Err(fail(format!("{name} has {} halos", halos.len())));
            }
            for (t, halo) in texts.iter().zip(&halos) {
                if !anchored(*t, *halo) {
                    return Err(fail(format!("{name}: {:?} is outside its halo", text_of(*t))));
                }
                solid.push((name.clone(), *halo));
            }
            out.push(texts.into_iter().map(text_of).collect());
        }
        out
    };
    for (i, (a, ra)) in solid.iter().enumerate() {
        for (b, rb) in &solid[i + 1..] {
            if a != b && overlap(*ra, *rb) {
                return Err(fail(format!("{a} at {ra:?} overlaps {b} at {rb:?}")));
            }
        }
    }

    // Every box, service and group once, under its id, saying its text (as written: the SVG
    // draws user text as it is, bullets `•`).
    let exact = |pieces: &[Piece<'_>], drawn: &[String]| expect::says(pieces, drawn);
    let ids = |m: &BTreeMap<String, Vec<String>>| m.keys().cloned().collect::<Vec<_>>();
    let mut want: Vec<String> = spec.boxes.iter().map(|b| b.id.clone()).collect();
    want.sort();
    prop_assert_eq!(ids(&boxes), want, "SVG box ids");
    for b in &spec.boxes {
        let mut pieces = vec![Piece::Text(&b.title)];
        pieces.extend(b.text.as_deref().map(Piece::Text));
        for item in &b.items {
            pieces.extend([Piece::Drawn("•"), Piece::Text(item)]);
        }
        prop_assert!(exact(&pieces, &boxes[&b.id]), "SVG box {}: {:?}", b.id, boxes[&b.id]);
    }
    let mut want: Vec<String> = spec.services.iter().map(|s| s.id.clone()).collect();
    want.sort();
    prop_assert_eq!(ids(&services), want, "SVG service ids");
    for s in &spec.services {
        let mut pieces = vec![Piece::Text(&s.title)];
        pieces.extend(s.text.as_deref().map(Piece::Text));
        prop_assert!(
            exact(&pieces, &services[&s.id]),
            "SVG service {}: {:?}",
            s.id,
            services[&s.id]
        );
    }
    let mut want: Vec<String> = spec.groups.iter().map(|g| g.id.clone()).collect();
    want.sort();
    prop_assert_eq!(ids(&groups), want, "SVG group ids");
    for g in &spec.groups {
        prop_assert!(exact(&[Piece::Text(&g.title)], &groups[&g.id]), "SVG group {}", g.id);
    }
    // Labels: as many as the spec's, each saying one of them.
    let wanted: Vec<&str> = spec.arrows.iter().filter_map(|a| a.label.as_deref()).collect();
    let m = matching_labels(&labels, &wanted, &|drawn, label| exact(&[Piece::Text(label)], drawn));
    prop_assert!(m && labels.len() == wanted.len(), "SVG labels {labels:?}, the spec's {wanted:?}");

    // Arrows: each line starts on the border of its box or service and its head's tip touches
    // the border of the box it points into; as a multiset, exactly the spec's arrows.
    let on_border = |(x, y): (f64, f64), r: Shape| {
        let near = |a: f64, b: f64| (a - b).abs() <= 1.0;
        let (within_x, within_y) =
            (x >= r.0 - 1.0 && x <= r.2 + 1.0, y >= r.1 - 1.0 && y <= r.3 + 1.0);
        ((near(x, r.0) || near(x, r.2)) && within_y) || ((near(y, r.1) || near(y, r.3)) && within_x)
    };
    let owner = |p: (f64, f64)| -> Result<String, TestCaseError> {
        let owners: Vec<&String> =
            ends.iter().filter(|(_, r)| on_border(p, *r)).map(|(n, _)| n).collect();
        match owners[..] {
            [one] => Ok(one.clone()),
            _ => Err(fail(format!("an arrow end at {p:?} is on the border of {owners:?}"))),
        }
    };
    let first_pair = |text: &str| -> Option<(f64, f64)> {
        let mut numbers = text
            .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
            .filter(|t| !t.is_empty())
            .map(|t| t.parse::<f64>().ok());
        Some((numbers.next()??, numbers.next()??))
    };
    let mut drawn: Vec<(String, String)> = Vec::new();
    for g in doc.descendants().filter(|n| class_is(n, "ad-arrow")) {
        let path =
            g.children().find(|n| class_is(n, "ad-arrow-line")).and_then(|n| n.attribute("d"));
        let head =
            g.children().find(|n| class_is(n, "ad-arrow-head")).and_then(|n| n.attribute("points"));
        let (Some(tail), Some(tip)) = (path.and_then(first_pair), head.and_then(first_pair)) else {
            return Err(fail("an arrow without its line or head".into()));
        };
        drawn.push((owner(tail)?, owner(tip)?));
    }
    let mut want: Vec<(String, String)> = spec
        .arrows
        .iter()
        .map(|a| {
            (format!("ad-box {}", spec.boxes[a.from].id), format!("ad-box {}", spec.boxes[a.to].id))
        })
        .collect();
    for s in &spec.services {
        want.extend(
            s.serves
                .iter()
                .map(|&b| (format!("ad-service {}", s.id), format!("ad-box {}", spec.boxes[b].id))),
        );
    }
    drawn.sort();
    want.sort();
    prop_assert_eq!(drawn, want, "SVG arrows (tail, head)");
    Ok(())
}

/// Whether every drawn label can be paired with a different one of `wanted` that it says.
fn matching_labels(
    drawn: &[Vec<String>],
    wanted: &[&str],
    says: &dyn Fn(&[String], &str) -> bool,
) -> bool {
    fn augment(
        d: usize,
        drawn: &[Vec<String>],
        wanted: &[&str],
        says: &dyn Fn(&[String], &str) -> bool,
        seen: &mut [bool],
        owner: &mut [Option<usize>],
    ) -> bool {
        for w in 0..wanted.len() {
            if seen[w] || !says(&drawn[d], wanted[w]) {
                continue;
            }
            seen[w] = true;
            if owner[w].is_none_or(|o| augment(o, drawn, wanted, says, seen, owner)) {
                owner[w] = Some(d);
                return true;
            }
        }
        false
    }
    let mut owner = vec![None; wanted.len()];
    (0..drawn.len())
        .all(|d| augment(d, drawn, wanted, says, &mut vec![false; wanted.len()], &mut owner))
}

/// The JSON layout of `yaml`, judged by the spec alone: every box under its id in the order
/// written; one route per arrow (in order) and per service target, each from the right box or
/// service to the right box, its first point just outside its tail's border and its last just
/// outside its head's; one label per labelled arrow, saying the label.
pub(super) fn check_json(yaml: &str, spec: &Expected) -> Result<(), TestCaseError> {
    use serde_json::Value;
    let options = Options { format: Format::Json, ..Options::default() };
    let json = archdraw::render(yaml, &options).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let v: Value =
        serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("JSON: {e}")))?;
    let fail = |what: String| TestCaseError::fail(format!("JSON: {what}"));
    let list = |key: &str| v[key].as_array().cloned().unwrap_or_default();
    let (boxes, services, routes, labels) =
        (list("boxes"), list("services"), list("routes"), list("labels"));
    let ids = |items: &[Value]| -> Vec<String> {
        items.iter().map(|x| x["id"].as_str().unwrap_or("").to_owned()).collect()
    };
    let want: Vec<String> = spec.boxes.iter().map(|b| b.id.clone()).collect();
    prop_assert_eq!(ids(&boxes), want, "JSON box ids");
    let want: Vec<String> = spec.services.iter().map(|s| s.id.clone()).collect();
    prop_assert_eq!(ids(&services), want, "JSON service ids");

    let n = |x: &Value| x.as_u64().map_or(usize::MAX, |n| n as usize);
    let rect = |item: &Value| {
        let r = &item["rect"];
        Rect::new(n(&r["x"]), n(&r["y"]), n(&r["width"]), n(&r["height"]))
    };
    // Just outside `r`, beside one of its sides; with `corners`, beside its corner cells too.
    let beside = |r: Rect, p: Point, corners: bool| {
        let (rows, cols) = if corners {
            (r.y..r.bottom(), r.x..r.right())
        } else {
            (r.y + 1..r.bottom() - 1, r.x + 1..r.right() - 1)
        };
        (rows.contains(&p.y) && (p.x + 1 == r.x || p.x == r.right()))
            || (cols.contains(&p.x) && (p.y + 1 == r.y || p.y == r.bottom()))
    };
    let mut want: Vec<(Option<usize>, String, usize)> = spec
        .arrows
        .iter()
        .enumerate()
        .map(|(e, a)| (Some(e), format!("box {}", a.from), a.to))
        .collect();
    for (k, s) in spec.services.iter().enumerate() {
        want.extend(s.serves.iter().map(|&b| (None, format!("service {k}"), b)));
    }
    let mut got = Vec::new();
    for r in &routes {
        let end = |x: &Value| (x["kind"].as_str().unwrap_or("").to_owned(), n(&x["index"]));
        let ((from_kind, from), (to_kind, to)) = (end(&r["from"]), end(&r["to"]));
        let points: Vec<Point> = r["points"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| Point::new(n(&p["x"]), n(&p["y"])))
            .collect();
        let (Some(&tail), Some(&head)) = (points.first(), points.last()) else {
            return Err(fail(format!("route {r} has no points")));
        };
        let tail_rect = match from_kind.as_str() {
            "box" => boxes.get(from).map(rect),
            _ => services.get(from).map(rect),
        };
        let tail_ok = tail_rect.is_some_and(|t| beside(t, tail, from_kind != "box"));
        let head_ok =
            to_kind == "box" && boxes.get(to).map(rect).is_some_and(|h| beside(h, head, false));
        if !tail_ok || !head_ok {
            return Err(fail(format!(
                "route {from_kind} {from} -> {to_kind} {to} runs {tail:?} .. {head:?}, not from \
                 border to border"
            )));
        }
        got.push((r["edge"].as_u64().map(|e| e as usize), format!("{from_kind} {from}"), to));
    }
    got.sort();
    want.sort();
    prop_assert_eq!(got, want, "JSON routes (edge, tail, head box)");

    let mut placed: Vec<(usize, Vec<String>)> = labels
        .iter()
        .map(|l| {
            let lines = l["lines"].as_array().into_iter().flatten();
            (n(&l["edge"]), lines.map(|t| t["text"].as_str().unwrap_or("").to_owned()).collect())
        })
        .collect();
    placed.sort();
    let labelled: Vec<usize> =
        (0..spec.arrows.len()).filter(|&e| spec.arrows[e].label.is_some()).collect();
    prop_assert_eq!(placed.iter().map(|(e, _)| *e).collect::<Vec<_>>(), labelled, "JSON labels");
    for (e, lines) in &placed {
        let label = spec.arrows[*e].label.as_deref().unwrap_or_default();
        prop_assert!(
            expect::says(&[Piece::Text(label)], lines),
            "JSON label of arrow {e}: {lines:?}, the spec's {label:?}"
        );
    }
    Ok(())
}

/// The PNG of `yaml` renders, decodes to the SVG's size, and is the same bytes twice; or, if
/// the picture would be over [`archdraw::render::png::MAX_PIXELS`], says so (a limit, not a
/// crash).
#[cfg(feature = "png")]
pub(super) fn check_png(yaml: &str) -> Result<(), TestCaseError> {
    use archdraw::render::png::{MAX_PIXELS, PngError, PngOptions, render};
    let d = diagram(yaml)?;
    let layout = archdraw::layout(&d, &LayoutOptions::default());
    let svg = archdraw::render::svg::render(&layout, &archdraw::render::svg::SvgOptions::default());
    let doc = roxmltree::Document::parse(&svg).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let size = |key: &str| doc.root_element().attribute(key).and_then(|v| v.parse::<u32>().ok());
    let (Some(width), Some(height)) = (size("width"), size("height")) else {
        return Err(TestCaseError::fail("the SVG has no width or height"));
    };
    let options = PngOptions { scale: 1, fit_inside: None, ..PngOptions::default() };
    let png = match render(&layout, &options) {
        Ok(png) => png,
        Err(PngError::TooLarge { .. }) if u64::from(width) * u64::from(height) > MAX_PIXELS => {
            return Ok(());
        }
        Err(e) => return Err(TestCaseError::fail(format!("PNG ({width} x {height}): {e}"))),
    };
    let again = render(&layout, &options).map_err(|e| TestCaseError::fail(format!("PNG: {e}")))?;
    prop_assert!(png == again, "PNG: two renders of the same spec differ");
    let pixmap = resvg::tiny_skia::Pixmap::decode_png(&png)
        .map_err(|e| TestCaseError::fail(format!("PNG does not decode: {e}")))?;
    prop_assert_eq!((pixmap.width(), pixmap.height()), (width, height), "PNG size");
    Ok(())
}
