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

/// A real `mdbook build` of tests/fixtures/mdbook/sample, then its page in headless Chromium
/// under each of mdBook's themes: the diagram's text and lines take the theme's `--fg`, its
/// boxes the theme's `--bg`. Needs `mdbook` (`ARCHDRAW_MDBOOK`, else on PATH) and Chromium;
/// without them the test says so and passes.
#[test]
fn a_real_mdbook_builds_the_sample_book_and_the_svg_follows_its_themes() {
    let mdbook = std::env::var("ARCHDRAW_MDBOOK").unwrap_or_else(|_| "mdbook".to_owned());
    if !std::process::Command::new(&mdbook)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        crate::binary::cannot_test_here("no mdbook (cargo install mdbook, or set ARCHDRAW_MDBOOK)");
        return;
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("sample");
    copy_dir(&root.join("tests/fixtures/mdbook/sample"), &book);
    // `archdraw` as book.toml names it: the binary under test, first on PATH.
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_archdraw")).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let output = std::process::Command::new(&mdbook)
        .arg("build")
        .current_dir(&book)
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let page_path = book.join("book/platform.html");
    let page = std::fs::read_to_string(&page_path).unwrap();
    assert!(page.contains("<div class=\"archdraw-diagram\">"), "no inline SVG");
    assert!(page.contains(">Orders API</text>") && page.contains(">Vault</text>"));
    assert!(page.contains("│ Queue │─ jobs ─▶│ Worker │"), "no text drawing");
    assert!(!page.contains("```archdraw") && !page.contains("boxes: ["), "a spec leaked");

    let Some(chromium) = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(std::path::PathBuf::from)
        .find(|p| p.exists())
    else {
        crate::binary::cannot_test_here("the theme check needs Chromium, not found");
        return;
    };
    // For each theme: the colours the diagram's parts get, and the theme's own.
    let script = r#"<script>
    window.addEventListener('load', () => {
      const html = document.documentElement, out = [];
      const probe = document.createElement('div');
      document.body.appendChild(probe);
      const colour = (v) => { probe.style.color = v; return getComputedStyle(probe).color; };
      const svg = document.querySelector('.archdraw-diagram svg');
      const box = svg.querySelector('.ad-box-shape'), label = svg.querySelector('.ad-box-text');
      const line = svg.querySelector('.ad-arrow-line');
      for (const theme of ['light', 'rust', 'coal', 'navy', 'ayu']) {
        for (const t of ['light', 'rust', 'coal', 'navy', 'ayu']) html.classList.remove(t);
        html.classList.add(theme);
        const fill = (e) => colour(getComputedStyle(e).fill);
        const stroke = (e) => colour(getComputedStyle(e).stroke);
        out.push({theme, fg: colour('var(--fg)'), bg: colour('var(--bg)'),
          text: fill(label), box: fill(box), outline: stroke(box), line: stroke(line)});
      }
      const pre = document.createElement('pre');
      pre.id = 'result'; pre.textContent = JSON.stringify(out);
      document.body.appendChild(pre);
    });
    </script>"#;
    std::fs::write(&page_path, page.replace("</body>", &format!("{script}</body>"))).unwrap();
    let dom = std::process::Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"])
        .args(["--disable-dev-shm-usage", "--virtual-time-budget=20000", "--dump-dom"])
        .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
        .arg(format!("file://{}", page_path.display()))
        .output()
        .unwrap();
    let dom = text(&dom.stdout);
    let json = dom.split("<pre id=\"result\">").nth(1).and_then(|s| s.split("</pre>").next());
    let json = json.unwrap_or_else(|| panic!("the check did not run: {} bytes", dom.len()));
    let themes: Value = serde_json::from_str(&json.replace("&quot;", "\"")).unwrap();
    let themes = themes.as_array().unwrap();
    assert_eq!(themes.len(), 5);
    for theme in themes {
        assert_eq!(theme["text"], theme["fg"], "{theme}");
        assert_eq!(theme["outline"], theme["fg"], "{theme}");
        assert_eq!(theme["line"], theme["fg"], "{theme}");
        assert_eq!(theme["box"], theme["bg"], "{theme}");
    }
    // The themes differ, so following them means something: light and coal are not alike.
    assert_ne!(themes[0]["fg"], themes[2]["fg"]);
    assert_ne!(themes[0]["bg"], themes[2]["bg"]);
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
