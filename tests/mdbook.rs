//! `archdraw mdbook`, the mdBook preprocessor, fed the `[context, book]` JSON mdBook sends
//! (tests/fixtures/mdbook/book.json, mdBook 0.4's shape; 0.5's is made from it).

use std::io::Write;
use std::process::{Output, Stdio};

use serde_json::{Value, json};

use crate::binary::{command, run, text};

fn fixture() -> Value {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mdbook/book.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn preprocess(input: &Value) -> Output {
    let mut child = command(&["mdbook"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.to_string().as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn book_out(input: &Value) -> Value {
    let output = preprocess(input);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stderr), "");
    serde_json::from_slice(&output.stdout).expect("the book comes back as JSON")
}

/// Every chapter's content, depth first, and the book with each content blanked.
fn contents(book: &Value) -> (Vec<String>, Value) {
    fn walk(value: &mut Value, found: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::Object(chapter)) = map.get_mut("Chapter")
                    && let Some(content) = chapter.get_mut("content")
                {
                    found.push(content.as_str().unwrap().to_owned());
                    *content = json!("");
                }
                map.values_mut().for_each(|v| walk(v, found));
            }
            Value::Array(items) => items.iter_mut().for_each(|v| walk(v, found)),
            _ => {}
        }
    }
    let mut book = book.clone();
    let mut found = Vec::new();
    walk(&mut book, &mut found);
    (found, book)
}

fn drawn(spec: &str, format: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("spec.yaml");
    std::fs::write(&file, spec).unwrap();
    text(&run(&["render", file.to_str().unwrap(), "-f", format]).stdout)
}

#[test]
fn mdbook_asks_and_every_renderer_is_supported() {
    for renderer in ["html", "markdown", "epub"] {
        assert_eq!(run(&["mdbook", "supports", renderer]).status.code(), Some(0));
    }
}

#[test]
fn the_html_book_gets_themed_inline_svg_and_text_where_asked() {
    let input = fixture();
    let output = book_out(&input);
    let (before, shape_in) = contents(&input[1]);
    let (after, shape_out) = contents(&output);
    assert_eq!(shape_out, shape_in, "only chapter contents change");
    assert_eq!(after[2], before[2], "a chapter without diagrams is untouched");

    // Chapter 1: the spec and the drawing `md` had put after it become one inline SVG.
    let intro = &after[0];
    let (head, rest) = intro.split_once("<div class=\"archdraw-diagram\">\n").expect("a diagram");
    assert_eq!(head, "# Introduction\n\nThe platform at a glance:\n\n");
    let (div, tail) = rest.split_once("\n</div>\n").unwrap();
    assert_eq!(tail, "\nSome Rust, left alone:\n\n```rust\nfn main() {}\n```\n");
    assert!(!div.lines().any(|l| l.trim().is_empty()), "a blank line would end the HTML block");
    let (style, svg) = div.split_once("</style>\n").unwrap();
    assert!(style.contains("var(--fg") && style.contains("var(--bg"), "themed by the book");
    let parsed = roxmltree::Document::parse(svg).expect("the SVG is well-formed");
    let texts: Vec<&str> = parsed.descendants().filter_map(|n| n.text()).collect();
    for word in ["Web", "API", "DB", "SQL"] {
        assert!(texts.contains(&word), "{word} is not drawn");
    }
    assert!(!intro.contains("archdraw:begin") && !intro.contains("an old drawing"));

    // Chapter 1.1: ASCII in a list item (indented like it), and an opted-in Mermaid block.
    let detail = &after[1];
    let queue =
        drawn("boxes: [{title: Queue}, {title: Worker}]\narrows: [queue -> worker]\n", "ascii");
    let indented: String = queue.lines().map(|l| format!("   {l}\n")).collect();
    assert!(detail.contains(&format!("   ```text\n{indented}   ```\n")), "{detail}");
    assert!(
        detail.contains("```text\n┌────────┐    ┌────────┐\n│ Client │───▶│ Server │\n"),
        "{detail}"
    );
    assert!(detail.ends_with("```mermaid\nsequenceDiagram\n  A->>B: not ours\n```\n"));
}

#[test]
fn other_renderers_and_mdbook_0_5_books() {
    // A renderer other than HTML gets text; mdBook 0.5 calls the top list `items`.
    let mut input = fixture();
    input[0]["renderer"] = json!("markdown");
    let sections = input[1]["sections"].take();
    input[1] = json!({ "items": sections });
    let output = book_out(&input);
    assert!(output.get("items").is_some());
    let (after, _) = contents(&output);
    assert!(after[0].contains("```text\n┌─────┐"), "{}", after[0]);
    assert!(!after[0].contains("<svg"));

    // book.toml's settings: text for every block, at most 30 columns.
    let mut input = fixture();
    input[0]["config"]["preprocessor"]["archdraw"] = json!({"format": "text", "width": 30});
    let (after, _) = contents(&book_out(&input));
    let drawing = after[0].split("```text\n").nth(1).unwrap().split("```").next().unwrap();
    assert!(drawing.lines().all(|l| l.chars().count() <= 30), "{drawing}");
}

#[test]
fn a_bad_spec_stops_the_build_with_its_chapter_file_line_and_column() {
    let mut input = fixture();
    input[1]["sections"][3]["Chapter"]["content"] =
        json!("# Plain\n\n```archdraw\nboxes: [{title: A}]\narrows: [a -> nope]\n```\n");
    input[1]["sections"][0]["Chapter"]["sub_items"][0]["Chapter"]["content"] =
        json!("```archdraw bold\nboxes: [{title: A}]\n```\n");
    let output = preprocess(&input);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "no half-made book");
    let stderr = text(&output.stderr);
    assert!(stderr.contains("src/plain.md:5:15: unknown box 'nope'"), "{stderr}");
    assert!(stderr.contains("src/intro/detail.md:1:1: unknown option `bold`"), "{stderr}");

    let output = preprocess(&json!({"not": "a book"}));
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("run archdraw mdbook from mdBook"));
}
