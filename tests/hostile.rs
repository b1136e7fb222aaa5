//! Hostile input: every fixture in `fixtures/hostile/`, and a few too big to commit that are
//! made here, goes through the real binary with a time limit. Each must end with a drawing
//! (exit 0) or located problems (exit 2), never a panic, a crash or a hang, and its outcome
//! is snapshotted with the fixture's first line (what it is) as the snapshot's description.
//!
//! Inputs that render are also drawn as ASCII (every byte 7-bit) and SVG (well-formed XML
//! with no element or attribute made from user text).
//!
//! Every run has its address space capped (`prlimit --as`: 64 MiB for the fixtures, 1 GiB for
//! the generated giants), so a case that would need more ends as an allocation failure (exit 134), which fails the test: the memory bound
//! is enforced, not timed. The shapes that once asked for gigabytes (`bench/src/hostile.rs`:
//! a complete graph, a service serving thousands of boxes, a chain with an arrow from its
//! first box to every other…) are generated here and snapshotted, text and SVG each.

use std::fs::{self, File};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Far above what any fixture needs in a debug build; a hang or a blow-up ends here.
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// The address space every fixture run gets (`prlimit --as`): the largest fixture peaks under
/// 20 MB resident, and the input limit is 1 MiB. Past it an allocation fails and archdraw
/// aborts, which fails the test: memory is bounded by measurement, not by a timer.
const MEMORY_LIMIT: u64 = 64 << 20;

/// The generated giants (thousands of boxes) get the issue's bound, 1 GiB.
const SHAPES_MEMORY_LIMIT: u64 = 1 << 30;

#[path = "../bench/src/hostile.rs"]
mod shapes;

/// What one run of the binary did.
struct Outcome {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

/// Runs `archdraw ARGS`, its output going to files (no pipe can fill and stall it), and kills
/// it at the time limit.
fn archdraw(args: &[&str], dir: &Path) -> Outcome {
    archdraw_within(MEMORY_LIMIT, args, dir)
}

/// [`archdraw`] with its own cap on the address space.
fn archdraw_within(memory_limit: u64, args: &[&str], dir: &Path) -> Outcome {
    let (out_path, err_path) = (dir.join("stdout"), dir.join("stderr"));
    let mut child = Command::new("prlimit")
        .arg(format!("--as={memory_limit}"))
        .arg(env!("CARGO_BIN_EXE_archdraw"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(File::create(&out_path).expect("a file for stdout"))
        .stderr(File::create(&err_path).expect("a file for stderr"))
        .spawn()
        .expect("archdraw runs under prlimit (util-linux)");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the child can be waited for") {
            break status;
        }
        if start.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("archdraw {args:?} ran for over {TIME_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Outcome {
        code: status.code(),
        stdout: fs::read(out_path).expect("stdout was written"),
        stderr: String::from_utf8(fs::read(err_path).expect("stderr was written"))
            .expect("diagnostics are UTF-8 even for input that is not"),
    }
}

/// Runs a spec through `render` in every format and returns the snapshot text.
fn judge(name: &str, arg: &str) -> String {
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let text = archdraw(&["render", arg], scratch.path());
    assert!(!text.stderr.contains("panicked"), "{name} panicked:\n{}", text.stderr);
    match text.code {
        Some(0) => {
            assert!(!text.stdout.is_empty(), "{name}: exit 0 without a drawing");
            let ascii = archdraw(&["render", arg, "-f", "ascii"], scratch.path());
            assert_eq!(ascii.code, Some(0), "{name}: -f ascii failed:\n{}", ascii.stderr);
            // Only the drawing is 7-bit: text beyond ASCII is the spec's, drawn as written.
            let source = String::from_utf8_lossy(&fs::read(arg).unwrap_or_default()).into_owned();
            let drawn = String::from_utf8(ascii.stdout).expect("-f ascii writes UTF-8");
            if let Err(bad) = crate::readback::seven_bit_drawing(&drawn, &source) {
                panic!("{name}: -f ascii: {bad}");
            }
            let svg = archdraw(&["render", arg, "-f", "svg"], scratch.path());
            assert_eq!(svg.code, Some(0), "{name}: -f svg failed:\n{}", svg.stderr);
            check_svg(name, &String::from_utf8(svg.stdout).expect("SVG is UTF-8"));
        }
        Some(2) => {
            assert!(text.stdout.is_empty(), "{name}: drew something and failed");
            assert!(text.stderr.starts_with(arg), "{name}: {}", text.stderr);
            // validate finds the same problems without drawing.
            let validated = archdraw(&["validate", arg], scratch.path());
            assert_eq!(validated.code, Some(2), "{name}");
            assert_eq!(validated.stderr, text.stderr, "{name}");
        }
        other => panic!("{name}: exit {other:?}, stderr:\n{}", text.stderr),
    }
    let drawing = String::from_utf8(text.stdout).expect("drawings are UTF-8");
    // Nothing that moves the cursor, recolours or reorders a line reaches the terminal. The
    // one exception is archdraw's own: a run of right-to-left text between FSI and PDI, both
    // on one line, balanced, which keeps the line's order in a browser.
    let harmful = |c: char| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
    };
    let unisolated: String =
        drawing.lines().map(|line| strip_isolates(name, line) + "\n").collect();
    assert!(
        !unisolated.chars().chain(text.stderr.chars()).any(harmful),
        "{name}: a control or bidi character reached the terminal"
    );
    format!("exit {}\n--- stderr\n{}--- stdout\n{drawing}", text.code.unwrap_or(-1), text.stderr)
}

/// `line` without its FSI…PDI pairs, which must be balanced, unnested and hold right-to-left
/// text.
fn strip_isolates(name: &str, line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut open = false;
    let mut inside = String::new();
    for c in line.chars() {
        match c {
            '\u{2068}' => {
                assert!(!open, "{name}: nested FSI in {line:?}");
                open = true;
            }
            '\u{2069}' => {
                assert!(open, "{name}: PDI without FSI in {line:?}");
                assert!(
                    inside.chars().any(|c| matches!(c, '\u{0590}'..='\u{08ff}')),
                    "{name}: an isolate without right-to-left text in {line:?}"
                );
                open = false;
                inside.clear();
            }
            c => {
                if open {
                    inside.push(c);
                }
                out.push(c);
            }
        }
    }
    assert!(!open, "{name}: FSI without PDI in {line:?}");
    out
}

/// Well-formed and inert: no script, no foreign content, no event handlers, no links; so no
/// user text became markup.
fn check_svg(name: &str, svg: &str) {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{name}: bad SVG: {e}"));
    for node in doc.descendants().filter(roxmltree::Node::is_element) {
        let tag = node.tag_name().name().to_ascii_lowercase();
        assert!(
            !["script", "foreignobject", "a", "iframe", "image", "use"].contains(&tag.as_str()),
            "{name}: <{tag}> in the SVG"
        );
        for attribute in node.attributes() {
            let key = attribute.name().to_ascii_lowercase();
            assert!(!key.starts_with("on") && key != "href", "{name}: a {key} attribute");
        }
    }
}

#[test]
fn hostile_fixtures() {
    let mut count = 0;
    insta::glob!("fixtures/hostile/*.yaml", |path| {
        count += 1;
        let name = path.file_name().and_then(|n| n.to_str()).expect("fixture names are UTF-8");
        let arg = format!("tests/fixtures/hostile/{name}");
        let bytes = fs::read(path).expect("the fixture is readable");
        let what = String::from_utf8_lossy(&bytes).lines().next().unwrap_or("").to_owned();
        let got = judge(name, &arg);
        insta::with_settings!({ description => what, omit_expression => true }, {
            insta::assert_snapshot!("outcome", got);
        });
    });
    assert!(count >= 30, "only {count} hostile fixtures");
}

/// Writes a generated fixture to a scratch folder and judges it like a committed one.
fn generated(name: &str, bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("a scratch folder");
    let path = dir.path().join(name);
    fs::write(&path, bytes).expect("the fixture is written");
    let got = judge(name, path.to_str().expect("temporary paths are UTF-8"));
    // The path is random; the snapshot keeps the name.
    got.replace(path.to_str().expect("UTF-8"), name)
}

#[test]
fn a_20_mb_file_is_refused_without_being_read_whole() {
    let mut yaml = String::from("boxes:\n");
    while yaml.len() < 20 << 20 {
        yaml.push_str("  - title: a box with a title of some length\n");
    }
    // Run in 64 MiB of address space (see MEMORY_LIMIT).
    insta::assert_snapshot!(generated("20mb.yaml", yaml.as_bytes()), @r"
    exit 2
    --- stderr
    20mb.yaml: the spec is too large: over the limit of 1048576 bytes
    help: split the diagram into smaller ones
    --- stdout
    ");
    // The same 20 MB from a named pipe, whose writer counts what archdraw takes before it
    // stops reading: the limit, plus what the pipe holds, not the whole file.
    #[cfg(unix)]
    {
        let taken = bytes_taken_through_a_pipe(yaml.as_bytes());
        assert!(taken > 1 << 20, "archdraw stopped before its limit: {taken} bytes");
        assert!(taken < 2 << 20, "archdraw took {taken} bytes of 20 MB");
    }
}

/// Feeds `bytes` to `archdraw render FIFO` through a named pipe and returns how many the pipe
/// took before archdraw closed it (what archdraw read, plus at most the pipe's buffer).
#[cfg(unix)]
fn bytes_taken_through_a_pipe(bytes: &[u8]) -> usize {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("a scratch folder");
    let fifo = dir.path().join("spec.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo makes a named pipe");
    let writer = {
        let (fifo, bytes) = (fifo.clone(), bytes.to_vec());
        // Opening blocks until archdraw opens the pipe to read; each write until it reads.
        std::thread::spawn(move || {
            let mut pipe = fs::OpenOptions::new().write(true).open(&fifo).expect("the pipe opens");
            let mut taken = 0;
            for chunk in bytes.chunks(4096) {
                if pipe.write_all(chunk).is_err() {
                    break; // archdraw closed its end
                }
                taken += chunk.len();
            }
            taken
        })
    };
    let outcome = archdraw(&["render", fifo.to_str().expect("UTF-8")], dir.path());
    if !writer.is_finished() {
        // Should archdraw not have opened the pipe, open and close it here, so the writer
        // stops instead of waiting forever.
        drop(fs::File::open(&fifo));
    }
    let taken = writer.join().expect("the writer thread");
    assert_eq!(outcome.code, Some(2), "{}", outcome.stderr);
    assert!(outcome.stderr.contains("the spec is too large"), "{}", outcome.stderr);
    taken
}

#[test]
fn a_hundred_thousand_boxes_are_refused_quickly() {
    let mut yaml = String::from("boxes:\n");
    for i in 0..100_000 {
        yaml.push_str(&format!("- {{title: b{i}}}\n"));
    }
    // Through the binary, the size limit is what stops it (1.5 MB).
    insta::assert_snapshot!(generated("100k-boxes.yaml", yaml.as_bytes()), @r"
    exit 2
    --- stderr
    100k-boxes.yaml: the spec is too large: over the limit of 1048576 bytes
    help: split the diagram into smaller ones
    --- stdout
    ");

    // An embedder who raises the size limit still meets the box limit, before any layout.
    let mut limits = archdraw::Limits::default();
    limits.max_input_bytes = 32 << 20;
    let start = Instant::now();
    let spec = archdraw::parse_with_limits(&yaml, &limits).expect("it parses");
    let error = archdraw::Diagram::from_spec_with_limits(&spec, &limits).unwrap_err();
    assert_eq!(
        error.to_string(),
        "20002:11: too many boxes: 100000, over the limit of 20000\nhelp: split the diagram into smaller ones"
    );
    assert!(start.elapsed() < Duration::from_secs(20), "took {:?}", start.elapsed());
}

#[test]
fn nesting_a_hundred_thousand_deep_does_not_overflow_the_stack() {
    let yaml = format!("boxes: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let got = generated("deep.yaml", yaml.as_bytes());
    assert!(got.starts_with("exit 2\n--- stderr\ndeep.yaml:1:"), "{got}");
    assert!(got.contains(": the spec is nested too deeply\n"), "{got}");
}

#[test]
fn a_label_at_the_size_limit_is_refused_by_length_not_by_size() {
    let yaml = format!(
        "boxes: [{{title: a}}, {{title: b}}]\narrows:\n  - a -> b: {}\n",
        "y".repeat(1 << 19)
    );
    let got = generated("half-mb-label.yaml", yaml.as_bytes());
    assert!(
        got.contains("half-mb-label.yaml:3:13: an arrow label is too long: 524288 characters, over the limit of 2000\n"),
        "{got}"
    );
}

/// One format of a generated shape: its exit and messages, and the drawing's size (drawings of
/// thousands of boxes are too big to snapshot whole).
fn outcome_of(name: &str, path: &str, format: &str, dir: &Path) -> String {
    let run = archdraw_within(SHAPES_MEMORY_LIMIT, &["render", path, "-f", format], dir);
    assert!(!run.stderr.contains("panicked"), "{name} -f {format} panicked:\n{}", run.stderr);
    let stderr = run.stderr.replace(path, name);
    match run.code {
        Some(0) => {
            assert!(!run.stdout.is_empty(), "{name}: exit 0 without a drawing");
            let drawing = String::from_utf8(run.stdout).expect("drawings are UTF-8");
            if format == "svg" {
                check_svg(name, &drawing);
            }
            if format == "svg" {
                // Its size follows the SVG renderer's details, which are not what this checks.
                return format!("-f {format}: exit 0\n{stderr}");
            }
            let rows = drawing.lines().count();
            let columns = drawing.lines().map(archdraw::model::text::width).max().unwrap_or(0);
            format!("-f {format}: exit 0, {rows} lines, {columns} columns at most\n{stderr}")
        }
        Some(2) => {
            assert!(run.stdout.is_empty(), "{name}: drew something and failed");
            format!("-f {format}: exit 2\n{stderr}")
        }
        other => panic!(
            "{name} -f {format}: exit {other:?} (134 is an allocation failure past the 1 GiB cap), stderr:\n{}",
            run.stderr
        ),
    }
}

#[test]
fn shapes_that_once_asked_for_gigabytes_stay_under_a_gibibyte() {
    for (name, yaml) in shapes::cases() {
        let dir = tempfile::tempdir().expect("a scratch folder");
        let path = dir.path().join(name);
        fs::write(&path, &yaml).expect("the spec is written");
        let path = path.to_str().expect("temporary paths are UTF-8");
        let what = yaml.lines().next().unwrap_or("").to_owned();
        let got = format!(
            "{}{}",
            outcome_of(name, path, "text", dir.path()),
            outcome_of(name, path, "svg", dir.path())
        );
        let snapshot = name.trim_end_matches(".yaml").to_owned();
        insta::with_settings!({ description => what, omit_expression => true }, {
            insta::assert_snapshot!(snapshot, got);
        });
    }
}
