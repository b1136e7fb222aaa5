//! `md` beyond ```` ```archdraw ```` blocks in Markdown (tracker issue 14): ```` ```mermaid ````
//! flowcharts (marked, or all of them with `--mermaid`) and blocks in source-code comments,
//! through the binary: idempotent, `--check` fails on a stale drawing, errors located, nothing
//! touched that archdraw does not own.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::binary::{run, text};

fn path(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

/// The drawing blocks of a file: the lines from each begin marker to its end marker.
fn drawings(doc: &str) -> Vec<String> {
    doc.split("<!-- archdraw:begin -->")
        .skip(1)
        .map(|rest| rest.split("<!-- archdraw:end -->").next().unwrap_or("").to_owned())
        .collect()
}

/// Runs `md` on `file` until current, and checks it stays so: a second run writes nothing and
/// `--check` passes; then a stale drawing fails `--check` with a diff and changes nothing.
fn assert_idempotent_and_checked(file: &Path, extra: &[&str], stale_from: &str, stale_to: &str) {
    let with = |first: &[&str]| {
        let mut args = first.to_vec();
        args.extend(extra);
        args.push(path(file));
        run(&args)
    };
    let current = fs::read_to_string(file).unwrap();
    let out = with(&["md"]);
    assert_eq!((out.status.code(), fs::read_to_string(file).unwrap()), (Some(0), current.clone()));
    assert!(!text(&out.stderr).contains("updated"), "{}", text(&out.stderr));
    let out = with(&["md", "--check"]);
    assert_eq!((out.status.code(), out.stdout.len()), (Some(0), 0), "{}", text(&out.stderr));

    let stale = current.replacen(stale_from, stale_to, 1);
    assert_ne!(stale, current, "{stale_from:?} is in the drawing");
    fs::write(file, &stale).unwrap();
    let out = with(&["md", "--check"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("has stale drawings"));
    let diff = text(&out.stdout);
    assert!(diff.contains(stale_to) && diff.contains(stale_from), "{diff}");
    assert_eq!(fs::read_to_string(file).unwrap(), stale, "--check changed the file");
    // And a run puts it right again.
    assert_eq!(with(&["md"]).status.code(), Some(0));
    assert_eq!(fs::read_to_string(file).unwrap(), current);
}

const MERMAID_DOC: &str = "\
# Services

```mermaid
flowchart LR
  web[Web] --> api[API]
```

Marked, in ASCII:

```mermaid archdraw ascii
graph TD
  api[API] -->|SQL| db[Database]
```

```mermaid
sequenceDiagram
  A->>B: hi
```
";

#[test]
fn md_draws_marked_mermaid_blocks_and_with_the_flag_every_flowchart() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.md");
    fs::write(&file, MERMAID_DOC).unwrap();

    // Without --mermaid only the marked block is drawn.
    let out = run(&["md", path(&file)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let marked = fs::read_to_string(&file).unwrap();
    let got = drawings(&marked);
    assert_eq!(got.len(), 1, "{marked}");
    assert!(got[0].contains("| Database |") && got[0].is_ascii(), "{}", got[0]);
    let through_marked = MERMAID_DOC.find("```\n\n```mermaid\nsequence").unwrap() + 4;
    assert!(marked.starts_with(&MERMAID_DOC[..through_marked]), "{marked}");
    assert!(marked.contains("```\n<!-- archdraw:end -->\n\n```mermaid\nsequenceDiagram"));
    assert_idempotent_and_checked(&file, &[], "| Database |", "| Datab4se |");

    // With it, the first flowchart too; the sequence diagram is left alone, with a warning.
    let out = run(&["md", "--mermaid", path(&file)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let all = fs::read_to_string(&file).unwrap();
    let got = drawings(&all);
    assert_eq!(got.len(), 2, "{all}");
    assert!(got[0].contains("│ Web │") && got[0].contains("│ API │"), "{}", got[0]);
    assert_eq!(
        all.replacen(&got[0], "", 1).replacen(
            "\n<!-- archdraw:begin --><!-- archdraw:end -->\n",
            "",
            1
        ),
        marked
    );
    let line = marked[..marked.find("```mermaid\nsequence").unwrap()].matches('\n').count() + 1;
    let warning = format!(
        "{}:{line}:1: warning: this Mermaid sequence diagram is not a flowchart: archdraw \
         leaves it as it is\n",
        file.display()
    );
    assert!(text(&out.stderr).starts_with(&warning), "{}", text(&out.stderr));
    assert_idempotent_and_checked(&file, &["--mermaid"], "│ Web │", "│ W3b │");
}

#[test]
fn md_mermaid_errors_and_warnings_are_located_in_the_markdown_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.md");
    let original =
        "Intro\n\n```mermaid archdraw\nflowchart LR\n  a --> b{Decide}\n  b -- yes --> \n```\n";
    fs::write(&file, original).unwrap();
    let out = run(&["md", path(&file)]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with(&format!("{}:6:", file.display())), "{stderr}");
    assert_eq!(fs::read_to_string(&file).unwrap(), original, "the file is untouched");

    // A marked block that is no flowchart is an error in Mermaid's terms: it was asked for.
    fs::write(&file, "```mermaid archdraw\npie\n  \"a\": 1\n```\n").unwrap();
    let out = run(&["md", path(&file)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains(":2:1: this is a Mermaid pie chart"),
        "{}",
        text(&out.stderr)
    );

    // A mapped construct (the diamond) is a warning at its place; the drawing is made.
    fs::write(&file, "```mermaid archdraw\nflowchart LR\n  a --> b{Decide}\n```\n").unwrap();
    let out = run(&["md", path(&file)]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with(&format!("{}:3:", file.display())), "{stderr}");
    assert!(stderr.contains("warning: ") && stderr.contains("diamond"), "{stderr}");
    assert!(fs::read_to_string(&file).unwrap().contains("│ Decide │"));
}

const RUST: &str = "\
//! The ingest service.
//!
//! ```archdraw
//! boxes: [{title: Queue}, {title: Worker}]
//! arrows: [queue -> worker: jobs]
//! ```

/// A worker, drawn in ASCII inside its doc comment:
///
/// ```archdraw ascii
/// boxes: [{title: Fetch}, {title: Store}]
/// arrows: [fetch -> store]
/// ```
pub struct Worker;

// The string below mentions ```archdraw, but it is code.
pub const NOT_A_SPEC: &str = \"```archdraw\";
";

#[test]
fn md_refreshes_drawings_in_source_comments() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lib.rs");
    fs::write(&file, RUST).unwrap();
    let out = run(&["md", path(&file)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let updated = fs::read_to_string(&file).unwrap();
    let got = drawings(&updated);
    assert_eq!(got.len(), 2, "{updated}");
    assert!(got[0].lines().skip(1).all(|l| l.starts_with("//!")), "{}", got[0]);
    assert!(got[0].contains("│ Queue │"), "{}", got[0]);
    assert!(got[1].lines().skip(1).all(|l| l.starts_with("///")) && got[1].is_ascii());
    // Every line that was there is there, in order: only drawing lines were added.
    let mut added = updated.lines();
    for line in RUST.lines() {
        assert!(added.any(|l| l == line), "{line:?} lost from\n{updated}");
    }
    assert!(updated.ends_with("/// <!-- archdraw:end -->\npub struct Worker;\n\n// The string below mentions ```archdraw, but it is code.\npub const NOT_A_SPEC: &str = \"```archdraw\";\n"), "{updated}");
    assert_idempotent_and_checked(&file, &[], "| Fetch |", "| F3tch |");

    // A Python file, `#` comments, by its extension; and the same through --as code.
    let py = dir.path().join("flow.py");
    let source = "import os\n\n# ```archdraw\n# boxes: [{title: In}, {title: Out}]\n# arrows: [in -> out]\n# ```\nprint(os.name)\n";
    fs::write(&py, source).unwrap();
    assert_eq!(run(&["md", path(&py)]).status.code(), Some(0));
    let updated = fs::read_to_string(&py).unwrap();
    assert!(
        updated.contains("# ```\n#\n# <!-- archdraw:begin -->\n# ```text\n# ┌────┐"),
        "{updated}"
    );
    assert!(updated.ends_with("# <!-- archdraw:end -->\nprint(os.name)\n"), "{updated}");
    assert_idempotent_and_checked(&py, &[], "│ In │", "│ IN │");
    let renamed = dir.path().join("flow.md");
    fs::write(&renamed, source).unwrap();
    assert_eq!(run(&["md", path(&renamed)]).status.code(), Some(0));
    assert_eq!(fs::read_to_string(&renamed).unwrap(), source, "Markdown has no `#` comments");
    assert_eq!(run(&["md", "--as", "code", path(&renamed)]).status.code(), Some(0));
    assert_eq!(fs::read_to_string(&renamed).unwrap(), updated);
}

#[test]
fn md_source_errors_point_at_the_file_line_and_column_past_the_marker() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("schema.sql");
    let original = "SELECT 1;\n    -- ```archdraw\n    -- boxes: [{title: A}]\n    -- arrows: [a -> nope]\n    -- ```\n";
    fs::write(&file, original).unwrap();
    let out = run(&["md", path(&file)]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        format!(
            "{}:4:22: unknown box 'nope'\n  |\n4 |     -- arrows: [a -> nope]\n  |                      ^^^^\n\
             help: the box ids are 'a'\n",
            file.display()
        )
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), original);
}

/// What rustdoc makes of a doc comment `md` drew into: the drawing, as a text block.
#[test]
fn rustdoc_shows_a_drawing_made_in_a_doc_comment() {
    let Ok(version) = Command::new("rustdoc").arg("--version").output() else {
        eprintln!("skipped: rustdoc is not on PATH");
        return;
    };
    assert!(version.status.success());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lib.rs");
    fs::write(&file, RUST).unwrap();
    assert_eq!(run(&["md", path(&file)]).status.code(), Some(0));
    let out = Command::new("rustdoc")
        .args(["--edition", "2021", "--crate-name", "demo", "-o"])
        .arg(dir.path().join("doc"))
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let html = fs::read_to_string(dir.path().join("doc/demo/index.html")).unwrap();
    assert!(html.contains("│ Queue │"), "the crate page lacks the drawing");
    let worker = fs::read_to_string(dir.path().join("doc/demo/struct.Worker.html")).unwrap();
    assert!(worker.contains("| Fetch |"), "the struct page lacks the drawing");
}

/// The README's doc-comment example is what `md` makes of its spec.
#[test]
fn the_readme_doc_comment_example_is_current() {
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let example = readme.split("  ````rust\n").nth(1).unwrap().split("  ````\n").next().unwrap();
    let example: String = example.lines().map(|l| format!("{}\n", &l[2..])).collect();
    assert!(example.contains("/// <!-- archdraw:begin -->"), "{example}");
    let refreshed = archdraw::markdown::refresh_comments(
        &example,
        &archdraw::Options::default(),
        archdraw::markdown::Mermaid::Marked,
    )
    .unwrap();
    assert_eq!(refreshed.text, example, "refresh the README's example with archdraw md");
}

/// The project keeps its own drawings current: the diagram in `archdraw::markdown`'s doc
/// comment (a source file) and the README.
#[test]
fn the_projects_own_drawings_are_current() {
    for file in ["crates/archdraw/src/markdown.rs", "README.md"] {
        let out = run(&["md", "--check", file]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{file}: run archdraw md {file}\n{}",
            text(&out.stdout)
        );
    }
    let source = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/archdraw/src/markdown.rs"),
    )
    .unwrap();
    assert!(
        source.contains("//! │ Markdown or source file │───▶│  archdraw md  │"),
        "the diagram is drawn"
    );
}

/// The README's SVG figures are what `archdraw render` draws today, so an engine change cannot
/// leave them stale (regenerate each with the command in the assertion's message).
#[test]
fn the_readme_figures_are_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let figures: [(&str, &[&str]); 4] = [
        ("docs/five-box-light.svg", &["render", "specs/five-box.yaml", "-f", "svg"]),
        (
            "docs/five-box-dark.svg",
            &["render", "specs/five-box.yaml", "-f", "svg", "--theme", "dark"],
        ),
        ("docs/five-box-sketch.svg", &["render", "specs/five-box.yaml", "-f", "svg", "--sketch"]),
        (
            "docs/payments-platform.svg",
            &["render", "bench/quality/specs/payments-platform.yaml", "-f", "svg"],
        ),
    ];
    let readme = fs::read_to_string(root.join("README.md")).unwrap();
    for (figure, args) in figures {
        assert!(readme.contains(&format!("({figure})")), "the README shows {figure}");
        let mut args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        args[1] = root.join(&args[1]).display().to_string();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(&args);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let committed = fs::read_to_string(root.join(figure)).unwrap();
        assert!(
            text(&out.stdout) == committed,
            "{figure} is stale: archdraw {} -o {figure}",
            args.join(" ")
        );
    }
    // And the text form shown under the payments figure.
    let spec = root.join("bench/quality/specs/payments-platform.yaml").display().to_string();
    let out = run(&["render", &spec]);
    let shown = readme
        .split("The same spec as text (`archdraw render payments-platform.yaml`)")
        .nth(1)
        .and_then(|after| after.split("```text\n").nth(1))
        .and_then(|block| block.split("```").next())
        .expect("the README shows the payments platform as text");
    assert!(text(&out.stdout) == shown, "the README's text of payments-platform is stale");
}
