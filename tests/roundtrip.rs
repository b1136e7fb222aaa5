//! Round trips through the other languages: every gallery spec written as Mermaid, DOT and
//! YAML by `archdraw::export`, read back by `archdraw::import` (or the YAML parser), must be
//! the same graph.
//!
//! "The same graph", precisely, comparing the diagram `D` of the spec with the diagram `D'`
//! read back:
//!
//! - the same title and direction;
//! - the same boxes in the same order, box `i` of `D'` with the title, text and items of box
//!   `i` of `D` (as drawn: lines of text);
//! - the same arrows in the same order: the same tail and head boxes and the same label;
//! - the same groups in order: title and boxes;
//! - the same services in order: title, text and the boxes served (Mermaid and DOT mark them
//!   with the class `service`, which the readers turn back into services);
//! - ids: DOT keeps every id; Mermaid keeps each id made of ASCII letters, digits and `_` that
//!   is no Mermaid keyword, and gives the others a safe id (not compared);
//! - reading back gives no warning: the writers use only constructs the readers map exactly.
//!
//! Not kept by Mermaid and DOT: `max_width` (no meaning there; the YAML round trip keeps it),
//! and a box title's own line breaks (a label's first line is its title). YAML keeps
//! everything: its round trip must give an equal diagram.

use archdraw::model::text::TextBlock;
use archdraw::{Diagram, Spec};

fn gallery() -> Vec<(String, Diagram)> {
    let mut specs: Vec<_> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/specs"))
        .expect("specs/ exists")
        .map(|e| e.expect("a readable entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    specs.sort();
    assert!(specs.len() >= 20, "the gallery has its specs");
    specs
        .into_iter()
        .map(|path| {
            let src = std::fs::read_to_string(&path).expect("a readable spec");
            let spec = archdraw::parse(&src).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let d = Diagram::from_spec(&spec).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (path.file_name().unwrap().to_string_lossy().into_owned(), d)
        })
        .collect()
}

fn lines(block: &TextBlock) -> Vec<&str> {
    block.lines.iter().map(|l| l.text.as_str()).collect()
}

/// Whether Mermaid's writer keeps this id as it is.
fn mermaid_safe(id: &str) -> bool {
    let keyword = [
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
    ]
    .iter()
    .any(|k| id.starts_with(k))
        || id == "end";
    !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !keyword
}

/// Asserts that `back` is the same graph as `d` (see the module comment).
fn assert_same_graph(name: &str, d: &Diagram, back: &Diagram, keeps_id: impl Fn(&str) -> bool) {
    assert_eq!(back.title, d.title, "{name}: title");
    assert_eq!(back.direction, d.direction, "{name}: direction");
    assert_eq!(back.nodes.len(), d.nodes.len(), "{name}: number of boxes");
    for (a, b) in d.nodes.iter().zip(&back.nodes) {
        let first: Vec<&str> = lines(&a.title);
        assert_eq!(first.len(), 1, "{name}: the gallery's titles are one line each");
        assert_eq!(lines(&b.title), first, "{name}: title of box {}", a.id);
        assert_eq!(lines(&b.text), lines(&a.text), "{name}: text of box {}", a.id);
        let items = |n: &archdraw::model::Node| -> Vec<Vec<String>> {
            n.items.iter().map(|i| lines(i).iter().map(|s| (*s).to_owned()).collect()).collect()
        };
        assert_eq!(items(b), items(a), "{name}: items of box {}", a.id);
        if keeps_id(&a.id) {
            assert_eq!(b.id, a.id, "{name}: box id");
        }
    }
    assert_eq!(back.edges, d.edges, "{name}: arrows (ends and labels, in order)");
    assert_eq!(back.groups.len(), d.groups.len(), "{name}: number of groups");
    for (a, b) in d.groups.iter().zip(&back.groups) {
        assert_eq!((&b.title, &b.nodes), (&a.title, &a.nodes), "{name}: group {}", a.id);
        if keeps_id(&a.id) {
            assert_eq!(b.id, a.id, "{name}: group id");
        }
    }
    assert_eq!(back.services.len(), d.services.len(), "{name}: number of services");
    for (a, b) in d.services.iter().zip(&back.services) {
        assert_eq!(
            (&b.title, &b.text, &b.serves),
            (&a.title, &a.text, &a.serves),
            "{name}: service {}",
            a.id
        );
        if keeps_id(&a.id) {
            assert_eq!(b.id, a.id, "{name}: service id");
        }
    }
}

fn read_back(
    name: &str,
    what: &str,
    source: &str,
    imported: archdraw::import::Imported,
) -> Diagram {
    assert!(
        imported.warnings.is_empty(),
        "{name}: reading the {what} back warns: {:?}\n{source}",
        imported.warnings
    );
    Diagram::from_spec(&imported.spec).unwrap_or_else(|e| panic!("{name}: {e}\n{source}"))
}

#[test]
fn gallery_through_mermaid_is_the_same_graph() {
    for (name, d) in gallery() {
        let source = archdraw::export::mermaid(&d);
        let imported = archdraw::import::mermaid(&source)
            .unwrap_or_else(|e| panic!("{name}: the Mermaid does not read back: {e}\n{source}"));
        let back = read_back(&name, "Mermaid", &source, imported);
        assert_same_graph(&name, &d, &back, mermaid_safe);
    }
}

#[test]
fn gallery_through_dot_is_the_same_graph() {
    for (name, d) in gallery() {
        let source = archdraw::export::dot(&d);
        let imported = archdraw::import::dot(&source)
            .unwrap_or_else(|e| panic!("{name}: the DOT does not read back: {e}\n{source}"));
        let back = read_back(&name, "DOT", &source, imported);
        assert_same_graph(&name, &d, &back, |_| true);
    }
}

#[test]
fn gallery_through_yaml_is_the_same_diagram() {
    for (name, d) in gallery() {
        let yaml = archdraw::export::yaml(&d);
        let spec: Spec = archdraw::parse(&yaml).unwrap_or_else(|e| panic!("{name}: {e}\n{yaml}"));
        let back = Diagram::from_spec(&spec).unwrap_or_else(|e| panic!("{name}: {e}\n{yaml}"));
        assert_eq!(back, d, "{name}\n{yaml}");
    }
}

/// Text that tries to break out of its quotes in each language comes back as written.
#[test]
fn hostile_text_survives_every_round_trip() {
    let nasty = [
        "quote \" and backslash \\ end",
        "<br> <b>bold</b> &amp; &lt; #quot; #35; C# `tick`",
        "-->|x| ]) }} \" ; %% comment",
        "\\n \\N \\G \\l literal escapes",
        "true",
        "7",
        "- leading dash: and colon",
        "数据 📱 → ok",
    ];
    for text in nasty {
        let mut builder = Diagram::builder().node("a", text).node("b", "B");
        builder = builder.text(text).items([text]).arrow("a", "b").label(text);
        builder = builder.group("g", text, ["a"]).service("s", text, ["b"]);
        let d = builder.build().unwrap_or_else(|e| panic!("{text:?}: {e}"));
        let mermaid = archdraw::export::mermaid(&d);
        let imported = archdraw::import::mermaid(&mermaid)
            .unwrap_or_else(|e| panic!("{text:?}: {e}\n{mermaid}"));
        let back = read_back(text, "Mermaid", &mermaid, imported);
        assert_same_graph(text, &d, &back, mermaid_safe);

        let dot = archdraw::export::dot(&d);
        let imported =
            archdraw::import::dot(&dot).unwrap_or_else(|e| panic!("{text:?}: {e}\n{dot}"));
        let back = read_back(text, "DOT", &dot, imported);
        assert_same_graph(text, &d, &back, |_| true);

        let yaml = archdraw::export::yaml(&d);
        let spec = archdraw::parse(&yaml).unwrap_or_else(|e| panic!("{text:?}: {e}\n{yaml}"));
        assert_eq!(Diagram::from_spec(&spec).ok(), Some(d), "{text:?}\n{yaml}");
    }
}

/// Graphviz reads every gallery spec's DOT without a warning, with one node per box and
/// service and one edge per arrow and service arrow. Skipped, with a notice, where Graphviz
/// is not installed.
#[test]
fn graphviz_reads_the_gallery_dot_cleanly() {
    use std::io::Write as _;
    if std::process::Command::new("dot").arg("-V").output().is_err() {
        eprintln!("note: Graphviz `dot` is not installed; the DOT output is not checked with it");
        return;
    }
    for (name, d) in gallery() {
        let source = archdraw::export::dot(&d);
        let mut child = std::process::Command::new("dot")
            .arg("-Tjson0")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(source.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success() && stderr.is_empty(), "{name}: {stderr}\n{source}");
        let g: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let nodes = g["objects"]
            .as_array()
            .map_or(0, |o| o.iter().filter(|x| x.get("nodes").is_none()).count());
        let edges = g["edges"].as_array().map_or(0, Vec::len);
        let serves: usize = d.services.iter().map(|s| s.serves.len()).sum();
        assert_eq!(nodes, d.nodes.len() + d.services.len(), "{name}: nodes\n{source}");
        assert_eq!(edges, d.edges.len() + serves, "{name}: edges\n{source}");
    }
}
