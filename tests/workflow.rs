//! Diagrams as code in a team's workflow: `render --out-dir`, `check`, `md`, `schema`,
//! completions and the man page, through the real binary. Every write is checked to replace
//! a file whole or not at all.

use std::fs;
use std::path::Path;
use std::process::{Output, Stdio};

#[cfg(unix)]
use crate::binary::{cannot_test_here, command_obeying_permissions, set_read_only};
use crate::binary::{command, run, text};

use std::io::Write;

const SPECS: [&str; 3] = ["specs/five-box.yaml", "specs/kappa.yaml", "specs/lambda.yaml"];
const BAD: &str = "tests/fixtures/invalid/unknown-id.yaml";

fn run_with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the archdraw binary runs");
    child.stdin.take().expect("piped").write_all(input).expect("archdraw reads its input");
    child.wait_with_output().expect("archdraw finishes")
}

fn path(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

/// Every file in `dir` and its bytes, sorted by name; temporary files would show up here too.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .expect("the folder is readable")
        .map(|e| {
            let e = e.expect("a folder entry");
            (e.file_name().to_string_lossy().into_owned(), fs::read(e.path()).unwrap_or_default())
        })
        .collect();
    files.sort();
    files
}

fn render_specs_to(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["render"];
    args.extend(SPECS);
    args.extend(["--out-dir", path(dir)]);
    args.extend(extra);
    run(&args)
}

fn check_specs_in(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["check"];
    args.extend(SPECS);
    args.extend(["--out-dir", path(dir)]);
    args.extend(extra);
    run(&args)
}

#[test]
fn render_out_dir_writes_one_file_per_spec_same_as_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let out = render_specs_to(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let names: Vec<_> = contents(dir.path()).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["five-box.txt", "kappa.txt", "lambda.txt"]);
    for spec in SPECS {
        let stem = Path::new(spec).file_stem().unwrap().to_str().unwrap();
        let file = fs::read(dir.path().join(format!("{stem}.txt"))).unwrap();
        assert_eq!(file, run(&["render", spec]).stdout, "{spec}");
    }

    let out = render_specs_to(dir.path(), &["-f", "svg"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let svg = fs::read_to_string(dir.path().join("lambda.svg")).unwrap();
    assert!(svg.starts_with("<svg"), "{svg}");
}

#[test]
fn several_specs_without_out_dir_or_with_one_name_twice_are_usage_errors() {
    let out = run(&["render", SPECS[0], SPECS[1]]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "archdraw: several specs need --out-dir DIR, to write one file for each\n"
    );

    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("sub");
    fs::create_dir(&copy).unwrap();
    fs::copy(SPECS[0], copy.join("five-box.yaml")).unwrap();
    let twin = copy.join("five-box.yaml");
    let out = run(&["render", SPECS[0], path(&twin), "--out-dir", path(dir.path())]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("would both be drawn to"), "{}", text(&out.stderr));
    assert_eq!(contents(dir.path()).len(), 1, "only the sub folder");

    let out = run(&["render", "-", "--out-dir", path(dir.path())]);
    assert_eq!(out.status.code(), Some(2));
    assert!(run(&["render", SPECS[0], "-o", "x.txt", "--out-dir", "d"]).status.code() == Some(2));
}

#[test]
fn render_out_dir_with_a_bad_spec_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    render_specs_to(dir.path(), &[]);
    fs::write(dir.path().join("five-box.txt"), "old").unwrap();
    let before = contents(dir.path());
    let out = run(&["render", SPECS[0], BAD, SPECS[2], "--out-dir", path(dir.path())]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with(&format!("{BAD}:7:15: unknown box 'strage'")));
    assert_eq!(contents(dir.path()), before, "a file changed or a temporary file was left");
}

#[cfg(unix)]
#[test]
fn render_out_dir_into_a_read_only_folder_keeps_the_old_files() {
    let dir = tempfile::tempdir().unwrap();
    render_specs_to(dir.path(), &[]);
    fs::write(dir.path().join("kappa.txt"), "old").unwrap();
    let before = contents(dir.path());
    let mut args = vec!["render"];
    args.extend(SPECS);
    args.extend(["--out-dir", path(dir.path())]);
    let Some(mut render) = command_obeying_permissions(&args) else {
        return cannot_test_here("archdraw cannot be run so that a folder's mode stops it");
    };
    set_read_only(dir.path(), true);
    let out = render.output().expect("archdraw runs");
    set_read_only(dir.path(), false);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("is not writable"), "{}", text(&out.stderr));
    assert_eq!(contents(dir.path()), before);
}

#[test]
fn check_passes_on_current_drawings_and_diffs_stale_ones() {
    let dir = tempfile::tempdir().unwrap();
    render_specs_to(dir.path(), &[]);
    let out = check_specs_in(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());

    let kappa = dir.path().join("kappa.txt");
    let current = fs::read_to_string(&kappa).unwrap();
    fs::write(&kappa, current.replace("Kafka log", "Kafka LOG")).unwrap();
    fs::remove_file(dir.path().join("lambda.txt")).unwrap();
    let before = contents(dir.path());
    let out = check_specs_in(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let (diff, stderr) = (text(&out.stdout), text(&out.stderr));
    let name = kappa.display();
    assert!(
        diff.starts_with(&format!("--- {name} (on disk)\n+++ {name} (rendered)\n@@ ")),
        "{diff}"
    );
    let changed: Vec<_> = diff
        .lines()
        .filter(|l| l.starts_with(['-', '+']) && !l.starts_with("--- ") && !l.starts_with("+++ "))
        .collect();
    assert_eq!(changed.len(), 2, "one line out, one in:\n{diff}");
    assert!(changed[0].starts_with('-') && changed[0].contains("Kafka LOG"));
    assert!(changed[1].starts_with('+') && changed[1].contains("Kafka log"));
    assert!(stderr.contains(&format!("archdraw: {name} is stale\n")), "{stderr}");
    assert!(stderr.contains("lambda.txt is missing; draw it with `archdraw render"), "{stderr}");
    assert_eq!(contents(dir.path()), before, "check never writes");
}

#[test]
fn check_compares_the_format_and_width_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    render_specs_to(dir.path(), &["-f", "ascii", "--width", "60"]);
    assert_eq!(
        check_specs_in(dir.path(), &["-f", "ascii", "--width", "60"]).status.code(),
        Some(0)
    );
    // The same files judged as Unicode drawings are stale.
    assert_eq!(check_specs_in(dir.path(), &["-f", "text", "--width", "60"]).status.code(), Some(1));
    render_specs_to(dir.path(), &["-f", "svg"]);
    assert_eq!(check_specs_in(dir.path(), &["-f", "svg"]).status.code(), Some(0));
}

#[test]
fn check_with_a_bad_spec_exits_2_even_when_others_are_stale() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["check", SPECS[0], BAD, "--out-dir", path(dir.path())]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("five-box.txt is missing"), "{stderr}");
    assert!(stderr.contains(&format!("{BAD}:7:15: unknown box 'strage'")), "{stderr}");
}

const SPEC_BLOCK: &str =
    "```archdraw\nboxes: [{title: App}, {title: DB}]\narrows: [app -> db: SQL]\n```\n";

/// A document that exercises everything `md` must leave alone.
fn document(newline: &str) -> String {
    let doc = format!(
        "# Title  \n\
         \n\
         Some *text*\twith a tab, trailing spaces   \n\
         \n\
         ````markdown\n\
         {SPEC_BLOCK}\
         ````\n\
         \n\
         ```yaml\n\
         boxes: [{{title: not a spec block}}]\n\
         ```\n\
         \n\
         - a list item\n\
         \n  \
           ```archdraw ascii width=50\n  \
           boxes: [{{title: Indented}}, {{title: Block}}]\n  \
           arrows: [indented -> block]\n  \
           ```\n\
         \n\
         {SPEC_BLOCK}\
         <!-- an unrelated comment -->\n\
         Ünïcödé — 数据 and no final newline"
    );
    doc.replace('\n', newline)
}

const BEGIN: &str = "<!-- archdraw:begin -->";
const END: &str = "<!-- archdraw:end -->";

/// `updated` with what `md` inserts cut out again: each drawing block from its marker lines,
/// and the blank line before it and the line end after it that come with it.
fn without_drawings(updated: &str, newline: &str) -> String {
    let mut out = String::new();
    let mut rest = updated;
    while let Some(at) = rest.find(BEGIN) {
        let line_start = rest[..at].rfind(newline).map_or(0, |i| i + newline.len());
        let kept = &rest[..line_start];
        out.push_str(kept.strip_suffix(newline).expect("a blank line before a new drawing"));
        let end = at + rest[at..].find(END).expect("every begin has an end") + END.len();
        rest = rest[end..].strip_prefix(newline).expect("a line end after a new drawing");
    }
    out.push_str(rest);
    out
}

#[test]
fn md_inserts_drawings_and_touches_nothing_else_byte_for_byte() {
    for newline in ["\n", "\r\n"] {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("doc.md");
        let original = document(newline);
        fs::write(&file, &original).unwrap();

        let out = run(&["md", path(&file)]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert_eq!(text(&out.stderr), format!("archdraw: updated {}\n", file.display()));
        let updated = fs::read_to_string(&file).unwrap();
        assert_eq!(updated.matches("<!-- archdraw:begin -->").count(), 2, "{updated}");
        assert_eq!(without_drawings(&updated, newline), original, "{newline:?}");
        if newline == "\r\n" {
            assert!(!updated.replace("\r\n", "").contains('\n'), "a bare LF crept in");
        }
        // The indented block's drawing is indented like it, and ASCII at most 50 wide.
        let indented = updated.split("  <!-- archdraw:begin -->").nth(1).unwrap();
        let drawing: Vec<_> = indented.lines().skip(2).take_while(|l| !l.contains("```")).collect();
        assert!(drawing.iter().all(|l| l.starts_with("  ") && l.is_ascii() && l.len() <= 52));
        assert!(drawing.iter().any(|l| l.contains("Indented")), "{indented}");

        // Current now: --check is silent, and a second run writes nothing.
        let out = run(&["md", "--check", path(&file)]);
        assert_eq!((out.status.code(), out.stdout.len()), (Some(0), 0), "{}", text(&out.stderr));
        let out = run(&["md", path(&file)]);
        assert_eq!((out.status.code(), text(&out.stderr)), (Some(0), String::new()));
        assert_eq!(fs::read_to_string(&file).unwrap(), updated);
    }
}

#[test]
fn md_check_reports_a_stale_drawing_with_a_diff_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.md");
    fs::write(&file, format!("intro\n\n{SPEC_BLOCK}")).unwrap();
    run(&["md", path(&file)]);
    let current = fs::read_to_string(&file).unwrap();
    let stale = current.replace("─ SQL ─", "─ JDBC ─");
    fs::write(&file, &stale).unwrap();

    let out = run(&["md", "--check", path(&file)]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr), format!("archdraw: {} has stale drawings\n", file.display()));
    let diff = text(&out.stdout);
    assert!(diff.contains("\n-│ App │─ JDBC ─▶│ DB │\n+│ App │─ SQL ─▶│ DB │\n"), "{diff}");
    assert_eq!(fs::read_to_string(&file).unwrap(), stale);

    // A changed spec makes the drawing stale too.
    fs::write(&file, current.replace("SQL]", "reads]")).unwrap();
    assert_eq!(run(&["md", "--check", path(&file)]).status.code(), Some(1));
}

#[test]
fn md_errors_point_into_the_markdown_file_and_leave_it_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.md");
    let original = "# Doc\n\n```archdraw\nboxes:\n  - title: A\narrows: [a -> nope]\n```\n";
    fs::write(&file, original).unwrap();
    let out = run(&["md", path(&file)]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        format!(
            "{}:6:15: unknown box 'nope'\n  |\n6 | arrows: [a -> nope]\n  |               ^^^^\n\
             help: the box ids are 'a'\n",
            file.display()
        )
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), original);
    assert_eq!(contents(dir.path()).len(), 1, "no temporary file left");
}

#[cfg(unix)]
#[test]
fn md_in_a_read_only_folder_is_a_clear_error_and_keeps_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.md");
    fs::write(&file, SPEC_BLOCK).unwrap();
    let Some(mut md) = command_obeying_permissions(&["md", path(&file)]) else {
        return cannot_test_here("archdraw cannot be run so that a folder's mode stops it");
    };
    set_read_only(dir.path(), true);
    let out = md.output().expect("archdraw runs");
    set_read_only(dir.path(), false);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        format!(
            "archdraw: cannot write {}: the folder {} is not writable\n",
            file.display(),
            dir.path().display()
        )
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), SPEC_BLOCK);
}

#[test]
fn md_reads_stdin_as_a_filter() {
    let out = run_with_stdin(&["md", "-"], SPEC_BLOCK.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let got = text(&out.stdout);
    assert!(got.starts_with(SPEC_BLOCK) && got.ends_with("<!-- archdraw:end -->\n"), "{got}");
    let out = run_with_stdin(&["md", "--check", "-"], got.as_bytes());
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn md_refuses_a_file_that_is_not_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.md");
    fs::write(&file, b"caf\xe9\n").unwrap();
    let out = run(&["md", path(&file)]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        format!("archdraw: {} is not valid UTF-8; save it as UTF-8\n", file.display())
    );
}

#[test]
fn the_committed_schema_is_what_archdraw_schema_prints() {
    let out = run(&["schema"]);
    assert_eq!(out.status.code(), Some(0));
    let committed = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schema.json"))
        .expect("schema.json is committed at the repository root");
    assert!(
        text(&out.stdout) == committed,
        "schema.json is out of date; regenerate it with `cargo run -- schema > schema.json`"
    );
}

/// YAML → JSON, the way an editor's language server sees a spec.
fn yaml_to_json(yaml: &str) -> serde_json::Value {
    serde_saphyr::from_str(yaml).expect("the YAML parses")
}

#[test]
fn the_schema_accepts_the_gallery_and_rejects_misspelt_keys() {
    let schema: serde_json::Value =
        serde_json::from_str(&text(&run(&["schema"]).stdout)).expect("the schema is JSON");
    assert!(jsonschema::meta::is_valid(&schema), "not a valid JSON Schema");
    let validator = jsonschema::draft7::new(&schema).expect("a draft-07 schema");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut gallery: Vec<_> = fs::read_dir(root.join("specs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    gallery.sort();
    assert!(gallery.len() >= 3);
    for spec in &gallery {
        let json = yaml_to_json(&fs::read_to_string(spec).unwrap());
        let errors: Vec<_> = validator.iter_errors(&json).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", spec.display());
    }

    let valid = [
        "$schema: ./schema.json\nboxes: [{id: 7, title: 42}]\n",
        "boxes: [{title: a}]\narrows: [a -> b, {a -> b: x}, {a -> b: }, {from: a, to: b}]\n",
        "boxes: [{title: a}]\nservices: [{title: s, serves: a}, {title: t, serves: [a, 7]}]\n",
        "boxes: [{title: a}]\ndirection: down\ntheme: dark\nmax_width: 80\n",
    ];
    for yaml in valid {
        let errors: Vec<_> =
            validator.iter_errors(&yaml_to_json(yaml)).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{yaml}: {errors:?}");
    }
    // Each with the problem archdraw reports for it: the same mistake, found for the same
    // reason (an unrelated error would not show that the two agree).
    let invalid = [
        ("boxes:\n  - title: a\n    itmes: [x]\n", "3:5: unknown key `itmes`"),
        ("boxes: [{title: a}]\narows: [a -> b]\n", "2:1: unknown key `arows`"),
        ("boxes: [{title: a}]\narrows: [{form: a, to: b}]\n", "2:11: unknown key `form`"),
        (
            "boxes: [{title: a}]\narrows: [{a -> b: x, c -> d: y}]\n",
            "2:10: an arrow written `a -> b: label` is a map with one key, but this one also has \
             `c -> d`",
        ),
        ("boxes: [{title: a}]\ndirection: sideways\n", "2:12: unknown value `sideways`"),
        ("boxes: [{title: a}]\nmax_width: 0\n", "2:12: max_width must be at least 1"),
        ("title: no boxes\n", "1:1: missing key `boxes`"),
        ("boxes: [{text: no title}]\n", "1:10: missing key `title`"),
    ];
    for (yaml, problem) in invalid {
        assert!(!validator.is_valid(&yaml_to_json(yaml)), "accepted:\n{yaml}");
        // archdraw agrees, for the same reason.
        let error =
            archdraw::parse(yaml).and_then(|s| archdraw::Diagram::from_spec(&s)).expect_err(yaml);
        let first = error.diagnostics.first().expect("a problem");
        let at = first.span.map(|s| format!("{}:{}: ", s.line, s.column)).unwrap_or_default();
        assert_eq!(format!("{at}{}", first.message), problem, "{yaml}");
    }
}

#[test]
fn completions_and_the_man_page_are_generated() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = text(&out.stdout);
        for word in ["archdraw", "render", "check", "md", "out-dir"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    assert_eq!(run(&["completions", "tcsh"]).status.code(), Some(2));

    let out = run(&["man"]);
    assert_eq!(out.status.code(), Some(0));
    let page = text(&out.stdout);
    assert!(page.contains(".TH archdraw") && page.contains("render") && page.contains("check"));
    // Every subcommand is in --help, man too, and the page lists every option of each.
    let help = text(&run(&["--help"]).stdout);
    for sub in ["render", "validate", "check", "md", "convert", "schema", "completions", "man"] {
        assert!(help.contains(&format!("\n  {sub} ")), "{sub} is not in --help:\n{help}");
    }
    for (sub, options) in [
        (
            "RENDER",
            &["format", "from", "output", "out-dir", "width", "theme", "sketch", "font", "scale"][..],
        ),
        ("CHECK", &["out-dir", "format", "width"][..]),
        ("MD", &["check", "mermaid", "as"][..]),
        ("CONVERT", &["output", "from"][..]),
        ("VALIDATE", &["from"][..]),
    ] {
        let section = page
            .split(&format!(".SH \"ARCHDRAW {sub}\"\n"))
            .nth(1)
            .unwrap_or_else(|| panic!("no section for {sub}"));
        let section = section.split("\n.SH ").next().unwrap();
        for option in options {
            // roff writes a dash as `\-`.
            let roff = option.replace('-', "\\-");
            assert!(section.contains(&format!("\\-\\-{roff}")), "{sub} lacks --{option}");
        }
    }
}
