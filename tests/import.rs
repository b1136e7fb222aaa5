//! The Mermaid and DOT corpus: `tests/fixtures/mermaid/*.mmd` and `tests/fixtures/dot/*.dot`.
//!
//! Each fixture declares, in comments at its top, the graph its source means, written by hand
//! from reading the source (not from anything archdraw computes):
//!
//! ```text
//! %% expect boxes: a, b, c            every node, by id
//! %% expect arrows: a > b, b > c      every arrow, tail > head (a two-way link is two)
//! %% expect services: s > a           service arrows (nodes of class `service`)
//! %% expect frames: Backend, Data     every frame's title
//! ```
//!
//! (`//` instead of `%%` in DOT.) Each fixture is read, and the import must have exactly the
//! boxes declared. Then its text and ASCII drawings are read back (see [`crate::readback`]):
//! they must hold one box per declared node, exactly the declared arrows and service arrows
//! between the boxes titled as the nodes are, and one frame per declared title, with no
//! overlap and no trailing white space. The import itself (spec as YAML, and the warnings) is
//! snapshotted for review.
//!
//! Fixtures in `unsupported/` must fail with a located error, whose text is snapshotted.

use std::path::Path;

use archdraw::model::text::TextBlock;
use archdraw::{Diagram, Format, Options};

use crate::readback::{self, Charset, Pair, Picture, multiset_diff};

/// The expectations written at the top of a fixture.
#[derive(Debug, Default)]
struct Expect {
    boxes: Vec<String>,
    arrows: Vec<(String, String)>,
    services: Vec<(String, String)>,
    frames: Vec<String>,
}

fn expectations(source: &str, comment: &str) -> Expect {
    let mut expect = Expect::default();
    let list = |s: &str| -> Vec<String> {
        s.split(", ").map(str::trim).filter(|x| !x.is_empty()).map(str::to_owned).collect()
    };
    let pairs = |s: &str| -> Vec<(String, String)> {
        list(s)
            .iter()
            .map(|p| {
                let (a, b) = p.split_once(" > ").unwrap_or_else(|| panic!("`{p}` is not `a > b`"));
                (a.to_owned(), b.to_owned())
            })
            .collect()
    };
    for line in source.lines() {
        let Some(rest) = line.trim().strip_prefix(comment) else { continue };
        let Some(rest) = rest.trim().strip_prefix("expect ") else { continue };
        let (what, value) = rest.split_once(':').expect("`expect what: …`");
        match what {
            "boxes" => expect.boxes = list(value),
            "arrows" => expect.arrows = pairs(value),
            "services" => expect.services = pairs(value),
            "frames" => expect.frames = list(value),
            other => panic!("unknown expectation `{other}`"),
        }
    }
    assert!(!expect.boxes.is_empty(), "a fixture declares its boxes");
    expect
}

fn words(block: &TextBlock) -> Vec<&str> {
    block.lines.iter().flat_map(|l| l.text.split_whitespace()).collect()
}

fn first_line(block: &TextBlock) -> String {
    block.lines.first().map(|l| l.text.clone()).unwrap_or_default()
}

/// The title a found box or service draws: the longest title whose words begin its words, or
/// failing that whose characters (white space aside) begin its text, since the layout may
/// wrap a title anywhere, even inside a word. A name matching no title is kept, and shows as
/// a wrong arrow.
fn canonical(found: &[String], titles: &[&TextBlock]) -> Option<String> {
    let found_words: Vec<&str> = found.iter().flat_map(|l| l.split_whitespace()).collect();
    let by_words = titles
        .iter()
        .filter(|t| !t.is_empty() && found_words.starts_with(&words(t)))
        .max_by_key(|t| words(t).len());
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let found = squeeze(&found.concat());
    let by_chars = || {
        titles
            .iter()
            .map(|t| (t, squeeze(&words(t).concat())))
            .filter(|(_, t)| !t.is_empty() && found.starts_with(t.as_str()))
            .max_by_key(|(_, t)| t.len())
            .map(|(t, _)| t)
    };
    by_words.or_else(by_chars).map(|t| first_line(t))
}

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

/// Checks one drawing against the expectation; `d` is the diagram as drawn (folded to ASCII,
/// or with open text made safe), `source_d` the same diagram before, which the expectation's
/// frame titles are written in.
fn check_drawing(
    name: &str,
    text: &str,
    charset: Charset,
    expect: &Expect,
    d: &Diagram,
    source_d: &Diagram,
) {
    let fail = |what: String| -> ! { panic!("{name}, {charset:?}: {what}\n{text}") };
    readback::no_trailing_spaces(text).unwrap_or_else(|e| fail(e));
    let picture = readback::read_back(text, charset)
        .unwrap_or_else(|e| fail(format!("does not read back: {e}")));
    readback::boxes_do_not_overlap(&picture).unwrap_or_else(|e| fail(e));
    if picture.boxes.len() != expect.boxes.len() {
        fail(format!("{} boxes drawn, {} declared", picture.boxes.len(), expect.boxes.len()));
    }
    let node = |id: &str| {
        let i = d
            .nodes
            .iter()
            .position(|n| n.id == id)
            .unwrap_or_else(|| fail(format!("no box `{id}`")));
        first_line(&d.nodes[i].title)
    };
    let service = |id: &str| {
        let i = d
            .services
            .iter()
            .position(|s| s.id == id)
            .unwrap_or_else(|| fail(format!("no service `{id}`")));
        first_line(&d.services[i].title)
    };
    let mut expected: Vec<Pair> = expect.arrows.iter().map(|(a, b)| (node(a), node(b))).collect();
    expected.extend(expect.services.iter().map(|(s, b)| (service(s), node(b))));
    expected.sort();
    let (missing, extra) = multiset_diff(&expected, &read_edges(&picture, d));
    if !missing.is_empty() || !extra.is_empty() {
        fail(format!(
            "the drawing says other arrows than the source\nmissing: {missing:?}\nextra: {extra:?}"
        ));
    }
    // Frame titles as drawn: the declared title, through the same folding as the drawing.
    let mut want: Vec<String> = expect
        .frames
        .iter()
        .map(|title| {
            let i = source_d
                .groups
                .iter()
                .position(|g| words(&g.title).join(" ") == *title)
                .unwrap_or_else(|| fail(format!("no group titled `{title}`")));
            words(&d.groups[i].title).join(" ")
        })
        .collect();
    let mut got: Vec<String> = picture.frames.iter().map(|f| f.title.clone()).collect();
    want.sort();
    got.sort();
    if got != want {
        fail(format!("frames {got:?}, declared {want:?}"));
    }
    // Every arrow label is drawn whole where the layout put it (nothing drew over it), and
    // every word of it is in the drawing.
    let layout = archdraw::layout(d, &archdraw::layout::LayoutOptions::default());
    let rows: Vec<&str> = text.lines().collect();
    for label in &layout.labels {
        for line in &label.lines {
            let drawn = rows.get(line.y).map(|row| readback::cells(row, line.x, line.width));
            if drawn.as_deref() != Some(line.text.as_str()) {
                fail(format!("label line `{}` is not drawn whole at row {}", line.text, line.y));
            }
        }
    }
    for edge in &d.edges {
        for word in edge.label.iter().flat_map(words) {
            if !text.contains(word) {
                fail(format!("label word `{word}` is not drawn"));
            }
        }
    }
}

fn import(path: &Path, source: &str) -> Result<archdraw::import::Imported, archdraw::Error> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("mmd") => archdraw::import::mermaid(source),
        Some("dot") => archdraw::import::dot(source),
        other => panic!("unexpected fixture extension {other:?}"),
    }
}

fn check_fixture(path: &Path, comment: &str) {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let source = std::fs::read_to_string(path).unwrap();
    let expect = expectations(&source, comment);
    let imported = import(path, &source).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut ids: Vec<&str> = imported
        .spec
        .boxes
        .iter()
        .filter_map(|b| b.id.as_ref())
        .map(|i| i.value.as_str())
        .collect();
    let mut declared: Vec<&str> = expect.boxes.iter().map(String::as_str).collect();
    ids.sort_unstable();
    declared.sort_unstable();
    assert_eq!(ids, declared, "{name}: the boxes imported are not the nodes declared");

    let d = Diagram::from_spec(&imported.spec).unwrap_or_else(|e| panic!("{name}: {e}"));
    for (format, charset, drawn) in
        [(Format::Text, Charset::Unicode, d.clone()), (Format::Ascii, Charset::Ascii, d.clone())]
    {
        let options = Options { format, ..Options::default() };
        let text = archdraw::render_spec(&imported.spec, &options)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        check_drawing(&name, &text, charset, &expect, &drawn, &d);
    }

    let mut warnings: Vec<String> =
        imported.warnings.iter().map(|w| format!("warning: {w}")).collect();
    if warnings.is_empty() {
        warnings.push("(no warnings)".to_owned());
    }
    let snapshot = format!("{}\n---\n{}", warnings.join("\n"), archdraw::export::yaml(&d));
    insta::with_settings!({ description => source.as_str(), omit_expression => true }, {
        insta::assert_snapshot!("import", snapshot);
    });
}

#[test]
fn mermaid_corpus_reads_back_as_declared() {
    let mut count = 0;
    insta::glob!("fixtures/mermaid/*.mmd", |path| {
        check_fixture(path, "%%");
        count += 1;
    });
    assert!(count >= 40, "the Mermaid corpus has {count} fixtures, fewer than 40");
}

#[test]
fn dot_corpus_reads_back_as_declared() {
    let mut count = 0;
    insta::glob!("fixtures/dot/*.dot", |path| {
        check_fixture(path, "//");
        count += 1;
    });
    assert!(count >= 20, "the DOT corpus has {count} fixtures, fewer than 20");
}

/// Unsupported input through the binary, as a user meets it: exit 2, nothing drawn, a
/// located error in the source language's terms (snapshotted with the fixture).
#[test]
fn unsupported_input_gives_located_errors() {
    insta::glob!("fixtures/{mermaid,dot}/unsupported/*", |path| {
        let name = path.file_name().and_then(|n| n.to_str()).expect("a UTF-8 name");
        let folder = path.parent().and_then(|p| p.parent()).and_then(|p| p.file_name()).unwrap();
        let arg = format!("tests/fixtures/{}/unsupported/{name}", folder.to_string_lossy());
        let source = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
        let output = crate::binary::run(&["render", &arg]);
        let stderr = String::from_utf8(output.stderr).expect("stderr is UTF-8");
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert!(output.stdout.is_empty(), "{name}: drew something");
        assert!(stderr.contains(&format!("{arg}:")), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        // Located: the first problem names a line and a column.
        let located = stderr
            .lines()
            .find(|l| l.starts_with(&arg) && !l.contains(": warning: "))
            .and_then(|l| l[arg.len()..].split(':').nth(2))
            .is_some_and(|col| col.parse::<usize>().is_ok());
        assert!(located, "{name}: the error has no line and column\n{stderr}");
        insta::with_settings!({ description => source.as_str(), omit_expression => true }, {
            insta::assert_snapshot!("unsupported", stderr);
        });
    });
}

// --- through the binary ------------------------------------------------------------------------

const SHAPES: &str = "tests/fixtures/mermaid/dotted-and-thick.mmd";
const GALLERY: &str = "tests/fixtures/dot/gallery-clusters.dot";

fn stdout_of(args: &[&str]) -> (String, String) {
    let out = crate::binary::run(args);
    let (stdout, stderr) = (crate::binary::text(&out.stdout), crate::binary::text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    (stdout, stderr)
}

#[test]
fn render_reads_mermaid_and_dot_by_extension_and_warns_once_on_stderr() {
    for path in [SHAPES, GALLERY] {
        let (drawing, stderr) = stdout_of(&["render", path]);
        let source =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
        let imported = import(Path::new(path), &source).unwrap();
        let expected = archdraw::render_spec(&imported.spec, &Options::default()).unwrap();
        assert_eq!(drawing, expected, "{path}");
        assert!(!drawing.contains("warning"), "{path}: a warning in the drawing");
        // Each warning once, located in the file.
        assert_eq!(
            stderr.matches(": warning: ").count(),
            imported.warnings.len(),
            "{path}: {stderr}"
        );
        for w in &imported.warnings {
            let span = w.span.expect("warnings are located");
            let head = format!("{path}:{}:{}: warning: {}", span.line, span.column, w.message);
            assert_eq!(stderr.matches(&head).count(), 1, "{path}: `{head}` in\n{stderr}");
        }
    }
}

#[test]
fn from_names_the_language_of_standard_input_and_odd_extensions() {
    let source = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(GALLERY)).unwrap();
    let mut child = crate::binary::command(&["render", "-", "--from", "dot", "-f", "ascii"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), &source).unwrap();
    let piped = child.wait_with_output().unwrap();
    assert_eq!(piped.status.code(), Some(0), "{}", crate::binary::text(&piped.stderr));
    assert_eq!(piped.stdout, crate::binary::run(&["render", GALLERY, "-f", "ascii"]).stdout);

    // A .txt holding Mermaid: YAML by default (a located YAML error), Mermaid with --from.
    let dir = tempfile::tempdir().unwrap();
    let txt = dir.path().join("flow.txt");
    std::fs::write(&txt, "graph LR\n  a --> b\n").unwrap();
    let txt = txt.to_str().unwrap();
    assert_eq!(crate::binary::run(&["render", txt]).status.code(), Some(2));
    let (drawing, _) = stdout_of(&["render", txt, "--from", "mermaid"]);
    assert!(drawing.contains("│ a │"), "{drawing}");
    assert_eq!(crate::binary::run(&["validate", txt, "--from", "mermaid"]).status.code(), Some(0));
}

#[test]
fn format_mermaid_and_dot_write_the_spec_in_those_languages() {
    let (mermaid, _) = stdout_of(&["render", "specs/groups.yaml", "-f", "mermaid"]);
    assert!(
        mermaid.contains("flowchart LR\n") && mermaid.contains("subgraph lakehouse"),
        "{mermaid}"
    );
    let (dot, _) = stdout_of(&["render", "specs/groups.yaml", "-f", "dot"]);
    assert!(dot.starts_with("digraph {") && dot.contains("subgraph cluster_lakehouse"), "{dot}");

    // -o picks them from the extension, and what is written reads back as the same graph.
    let dir = tempfile::tempdir().unwrap();
    let mmd = dir.path().join("groups.mmd");
    let gv = dir.path().join("groups.gv");
    stdout_of(&["render", "specs/groups.yaml", "-o", mmd.to_str().unwrap()]);
    stdout_of(&["render", "specs/groups.yaml", "-o", gv.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&mmd).unwrap(), mermaid);
    assert_eq!(std::fs::read_to_string(&gv).unwrap(), dot);
    let (from_yaml, _) = stdout_of(&["render", "specs/groups.yaml"]);
    let (from_mmd, stderr) = stdout_of(&["render", mmd.to_str().unwrap()]);
    assert_eq!(from_mmd, from_yaml, "the Mermaid draws as the spec does");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn convert_writes_a_yaml_spec_that_draws_as_the_source() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.yaml");
    for path in [SHAPES, GALLERY, "tests/fixtures/mermaid/services.mmd"] {
        let (stdout, stderr) = stdout_of(&["convert", path, "-o", out.to_str().unwrap()]);
        assert!(stdout.is_empty(), "{stdout}");
        let yaml = std::fs::read_to_string(&out).unwrap();
        assert!(
            yaml.starts_with(&format!("# Converted from {path} by `archdraw convert`.\n")),
            "{yaml}"
        );
        let spec = archdraw::parse(&yaml).unwrap_or_else(|e| panic!("{path}: {e}\n{yaml}"));
        let from_yaml = archdraw::render_spec(&spec, &Options::default()).unwrap();
        let (from_source, _) = stdout_of(&["render", path]);
        assert_eq!(from_yaml, from_source, "{path}");
        // The same warnings as render, on stderr.
        assert!(stderr.contains(": warning: ") || path.ends_with("services.mmd"), "{stderr}");
    }
    // To standard output without -o.
    let (stdout, _) = stdout_of(&["convert", SHAPES]);
    assert!(stdout.contains("boxes:"), "{stdout}");
}

#[test]
fn convert_of_a_bad_diagram_fails_located_and_keeps_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.yaml");
    std::fs::write(&out, "old contents\n").unwrap();
    let bad = "tests/fixtures/mermaid/unsupported/single-dash-arrow.mmd";
    let run = crate::binary::run(&["convert", bad, "-o", out.to_str().unwrap()]);
    let stderr = crate::binary::text(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with(&format!("{bad}:3:20: `->` is not a Mermaid link")), "{stderr}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old contents\n");
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 1, "a temporary file was left behind");
}

/// Graphviz's own reading of each DOT fixture (`dot -Tjson0`) agrees with the fixture's
/// hand-written expectation: the same nodes (invisible ones aside), the same arrows (by
/// `dir`; an undirected edge from its first node to its second), the same cluster titles.
/// An independent check of the expectations the read-back test relies on. Skipped, with a
/// notice, where Graphviz is not installed.
#[test]
fn dot_corpus_agrees_with_graphviz() {
    let probe = std::process::Command::new("dot").arg("-V").output();
    if probe.is_err() {
        eprintln!(
            "note: Graphviz `dot` is not installed; the DOT corpus is not checked against it"
        );
        return;
    }
    insta::glob!("fixtures/dot/*.dot", |path| {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let expect = expectations(&std::fs::read_to_string(path).unwrap(), "//");
        let out = std::process::Command::new("dot").arg("-Tjson0").arg(path).output().unwrap();
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let g: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let objects = g["objects"].as_array().cloned().unwrap_or_default();
        let invisible =
            |o: &serde_json::Value| o["style"].as_str().is_some_and(|s| s.contains("invis"));
        let node_name = |i: &serde_json::Value| {
            let o = &objects[i.as_u64().unwrap() as usize];
            (o["name"].as_str().unwrap().to_owned(), invisible(o))
        };
        let mut nodes: Vec<String> = objects
            .iter()
            .filter(|o| o.get("nodes").is_none() && o.get("subgraphs").is_none() && !invisible(o))
            .filter(|o| o["name"].as_str().is_some_and(|n| !n.starts_with('%')))
            .map(|o| o["name"].as_str().unwrap().to_owned())
            .collect();
        // Subgraphs with no nodes of their own are objects too; nodes have no `nodes` key.
        nodes.retain(|n| !objects.iter().any(|o| o["name"] == *n && o.get("nodes").is_some()));
        nodes.sort();
        let mut want_nodes = expect.boxes.clone();
        want_nodes.extend(expect.services.iter().map(|(s, _)| s.clone()));
        want_nodes.sort();
        want_nodes.dedup();
        assert_eq!(nodes, want_nodes, "{name}: nodes");

        let mut arrows = Vec::new();
        for e in g["edges"].as_array().cloned().unwrap_or_default() {
            let ((tail, t_hidden), (head, h_hidden)) =
                (node_name(&e["tail"]), node_name(&e["head"]));
            if invisible(&e) || t_hidden || h_hidden {
                continue;
            }
            match e["dir"].as_str() {
                Some("back") => arrows.push((head, tail)),
                Some("both") => {
                    arrows.push((tail.clone(), head.clone()));
                    arrows.push((head, tail));
                }
                _ => arrows.push((tail, head)),
            }
        }
        arrows.sort();
        let mut want = expect.arrows.clone();
        want.extend(expect.services.iter().cloned());
        want.sort();
        assert_eq!(arrows, want, "{name}: arrows");

        let clusters: Vec<&serde_json::Value> = objects
            .iter()
            .filter(|o| o["name"].as_str().is_some_and(|n| n.starts_with("cluster")))
            .collect();
        if clusters.iter().all(|c| c.get("subgraphs").is_none()) {
            let mut titles: Vec<String> =
                clusters.iter().map(|c| c["label"].as_str().unwrap_or("").to_owned()).collect();
            let mut want = expect.frames.clone();
            titles.sort();
            want.sort();
            assert_eq!(titles, want, "{name}: cluster titles");
        }
    });
}

// --- hostile input -------------------------------------------------------------------------------

use proptest::prelude::*;

/// Token soup in each language's own vocabulary: every reader must answer with a spec or
/// located errors, never a panic, and what it accepts is a spec archdraw can check.
fn soup(tokens: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(tokens), 0..60).prop_map(|t| t.concat())
}

const MERMAID_TOKENS: &[&str] = &[
    "flowchart LR\n",
    "graph TD;",
    "\n",
    ";",
    " ",
    "a",
    "b",
    "c1",
    "end",
    "subgraph ",
    "subgraph s [T]\n",
    "-->",
    "---",
    "-.->",
    "==>",
    "<-->",
    "~~~",
    "-- x -->",
    "-->|y|",
    "&",
    "[",
    "]",
    "(",
    ")",
    "{",
    "}",
    "[(",
    ")]",
    "([",
    "])",
    ">",
    "\"",
    "\"`",
    "`\"",
    "<br>",
    "#quot;",
    "%%",
    "%%{init}%%",
    ":::service",
    ":::x",
    "@{ shape: cyl }",
    "e1@",
    "class a service",
    "classDef x fill:red",
    "style a x",
    "click a cb",
    "---\n",
    "title: T\n",
    "direction LR",
    "accTitle: x",
    "|",
    "o--o",
    "x--x",
    "数据",
    "\u{1b}",
    "#27;",
];

const DOT_TOKENS: &[&str] = &[
    "digraph ",
    "graph ",
    "strict ",
    "{",
    "}",
    "[",
    "]",
    ";",
    ",",
    "=",
    ":",
    "->",
    "--",
    "a",
    "b",
    "node",
    "edge",
    "subgraph ",
    "cluster_x ",
    "label",
    "\"q\"",
    "\"a\\\"b\"",
    "<<b>x</b>>",
    "shape=box",
    "style=invis",
    "dir=both",
    "class=service",
    "rankdir=LR",
    "//c\n",
    "/*",
    "*/",
    "#x\n",
    "+",
    " ",
    "\n",
    "1.5",
    "-2",
    "数据",
];

proptest! {
    #[test]
    fn mermaid_soup_never_panics(source in soup(MERMAID_TOKENS)) {
        if let Ok(imported) = archdraw::import::mermaid(&source) {
            let _ = Diagram::from_spec(&imported.spec);
            prop_assert!(imported.warnings.iter().all(|w| w.span.is_some()), "warnings are located");
        }
    }

    #[test]
    fn dot_soup_never_panics(source in soup(DOT_TOKENS)) {
        if let Ok(imported) = archdraw::import::dot(&source) {
            let _ = Diagram::from_spec(&imported.spec);
            prop_assert!(imported.warnings.iter().all(|w| w.span.is_some()), "warnings are located");
        }
    }
}

/// Valid diagrams of every size stay cheap: a chain of 19,000 links and a 100 × 100 fan are
/// read, and a fan past the arrow limit is refused before it is expanded.
#[test]
fn big_input_is_read_or_refused_by_the_limits() {
    let mut chain = String::from("flowchart LR\n");
    for i in 0..19_000 {
        chain.push_str(&format!("n{i} --> n{}\n", i + 1));
    }
    let imported = archdraw::import::mermaid(&chain).unwrap();
    assert_eq!(imported.spec.arrows.len(), 19_000);

    let side: Vec<String> = (0..300).map(|i| format!("x{i}")).collect();
    let fan =
        format!("graph LR\n{} --> {}\n", side.join(" & "), side.join(" & ").replace('x', "y"));
    let error = archdraw::import::mermaid(&fan).unwrap_err();
    assert!(error.diagnostics[0].message.starts_with("too many links"), "{error}");

    let dot =
        format!("digraph {{ {{{}}} -> {{{}}} }}", side.join(" "), side.join(" ").replace('x', "y"));
    let error = archdraw::import::dot(&dot).unwrap_err();
    assert!(error.diagnostics[0].message.starts_with("too many edges"), "{error}");

    let open: String = (0..40).map(|i| format!("subgraph s{i}\n")).collect();
    let deep = format!("graph TD\n{open}a\n{}", "end\n".repeat(40));
    let error = archdraw::import::mermaid(&deep).unwrap_err();
    assert!(error.diagnostics[0].message.contains("nested more than"), "{error}");
    let deep = format!("digraph {{ {}a{} }}", "{ ".repeat(40), " }".repeat(40));
    assert!(
        archdraw::import::dot(&deep).unwrap_err().diagnostics[0]
            .message
            .contains("nested more than")
    );
}

/// Input shaped to make a careless reader quadratic: one long line of links with no spaces,
/// a link text that is one long run of `=`, thousands of distinct attribute names. Each is
/// read (or refused) in one pass; a quadratic reader would not finish this test.
#[test]
fn adversarial_lines_are_read_in_one_pass() {
    let chain = format!("graph LR\n{}a\n", "a-->".repeat(40_000));
    assert!(archdraw::import::mermaid(&chain).is_ok());
    let run = format!("graph LR\na -- {} --> b\n", "=".repeat(500_000));
    assert!(archdraw::import::mermaid(&run).is_ok());
    let attrs: String = (0..50_000).map(|i| format!("k{i}=v,")).collect();
    let dot = format!("digraph {{ node [{attrs}]; a -> b }}");
    let imported = archdraw::import::dot(&dot).unwrap();
    assert!(
        imported.warnings[0].message.ends_with("49992 more"),
        "{}",
        imported.warnings[0].message
    );
}
