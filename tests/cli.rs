//! The command line as a user meets it: exit codes, standard input and output, formats, and
//! files that are replaced whole or not at all.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::binary::{cannot_test_here, command, run, text};
#[cfg(unix)]
use crate::binary::{command_obeying_permissions, set_read_only};

const LAMBDA: &str = "specs/lambda.yaml";
const BAD: &str = "tests/fixtures/invalid/unknown-id.yaml";

/// Runs with `input` on standard input.
fn run_with_stdin(args: &[&str], input: &[u8]) -> Output {
    run_counting_stdin(args, input).0
}

/// Runs with `input` on standard input, and counts the bytes the pipe took before archdraw
/// closed it: what archdraw read, plus at most what the pipe buffers.
fn run_counting_stdin(args: &[&str], input: &[u8]) -> (Output, usize) {
    let mut child = command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the archdraw binary runs");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    // archdraw may stop reading early (input over the size limit): then a write fails.
    let mut taken = 0;
    for chunk in input.chunks(4096) {
        if stdin.write_all(chunk).is_err() {
            break;
        }
        taken += chunk.len();
    }
    drop(stdin);
    (child.wait_with_output().expect("archdraw finishes"), taken)
}

fn path(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

/// Temporary files archdraw may have left in `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .expect("the folder is readable")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with(".archdraw-"))
        .collect()
}

#[test]
fn render_draws_on_stdout() {
    let out = run(&["render", LAMBDA]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let drawing = text(&out.stdout);
    for title in ["Source events", "Speed Layer", "Batch Layer", "Serve layer"] {
        assert!(drawing.contains(title), "{title} missing from\n{drawing}");
    }
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

#[test]
fn a_dash_reads_the_spec_from_stdin() {
    let source = fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(LAMBDA)).unwrap();
    let piped = run_with_stdin(&["render", "-"], &source);
    assert_eq!(piped.status.code(), Some(0), "{}", text(&piped.stderr));
    assert_eq!(piped.stdout, run(&["render", LAMBDA]).stdout);
}

#[test]
fn the_output_extension_picks_the_format_unless_f_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();

    let out = run(&["render", LAMBDA, "-o", &path("a.svg")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    assert!(fs::read_to_string(path("a.svg")).unwrap().starts_with("<svg"));

    run(&["render", LAMBDA, "-o", &path("a.json")]);
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(path("a.json")).unwrap()).unwrap();
    assert_eq!(json["boxes"].as_array().map(Vec::len), Some(4));

    run(&["render", LAMBDA, "-o", &path("a.txt")]);
    assert_eq!(fs::read(path("a.txt")).unwrap(), run(&["render", LAMBDA]).stdout);

    run(&["render", LAMBDA, "-f", "ascii", "-o", &path("b.svg")]);
    let ascii = fs::read(path("b.svg")).unwrap();
    assert!(ascii.is_ascii() && ascii.contains(&b'+'), "{}", text(&ascii));
    assert_eq!(ascii, run(&["render", LAMBDA, "-f", "ascii"]).stdout);
}

#[test]
fn a_bad_spec_leaves_the_old_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.svg");
    fs::write(&target, "old").unwrap();
    let out = run(&["render", BAD, "-o", target.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(fs::read_to_string(&target).unwrap(), "old");
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

#[test]
fn a_good_render_replaces_the_old_output_whole() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.svg");
    fs::write(&target, "old").unwrap();
    let out = run(&["render", LAMBDA, "-o", target.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let svg = fs::read_to_string(&target).unwrap();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

/// `/dev/null` is written to, not replaced by a regular file (as root, the rename would succeed).
#[cfg(unix)]
#[test]
fn dev_null_stays_a_device() {
    use std::os::unix::fs::FileTypeExt;
    let null = Path::new("/dev/null");
    if !fs::metadata(null).is_ok_and(|m| m.file_type().is_char_device()) {
        return cannot_test_here("there is no /dev/null character device");
    }
    let out = run(&["render", LAMBDA, "-o", "/dev/null"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(fs::symlink_metadata(null).unwrap().file_type().is_char_device());
}

/// A named pipe gets the drawing, and stays a pipe.
#[cfg(unix)]
#[test]
fn a_named_pipe_is_written_to() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("drawing.txt");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return cannot_test_here("mkfifo cannot make a named pipe");
    }
    // The reader blocks opening the pipe until archdraw opens it for writing.
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read(&fifo).unwrap())
    };
    let out = run(&["render", LAMBDA, "-o", fifo.to_str().unwrap()]);
    // Should archdraw not have opened the pipe, open it here so the reader sees an empty end
    // of file instead of waiting forever.
    for _ in 0..100 {
        if reader.is_finished() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    if !reader.is_finished() {
        drop(fs::OpenOptions::new().write(true).open(&fifo));
    }
    let drawn = reader.join().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    let expected = run(&["render", LAMBDA]);
    assert_eq!(text(&drawn), text(&expected.stdout));
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

/// A symbolic link stays a link: the file it points to is replaced, and a link to a device
/// leads to the device, which is written to.
#[cfg(unix)]
#[test]
fn a_symlink_stays_a_symlink() {
    use std::os::unix::fs::{FileTypeExt, symlink};
    let dir = tempfile::tempdir().unwrap();
    let (target, link) = (dir.path().join("out.txt"), dir.path().join("link.txt"));
    fs::write(&target, "old").unwrap();
    symlink("out.txt", &link).unwrap();
    let out = run(&["render", LAMBDA, "-o", link.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(fs::read(&target).unwrap(), run(&["render", LAMBDA]).stdout);
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());

    let null = Path::new("/dev/null");
    if fs::metadata(null).is_ok_and(|m| m.file_type().is_char_device()) {
        let to_null = dir.path().join("null.txt");
        symlink(null, &to_null).unwrap();
        let out = run(&["render", LAMBDA, "-o", to_null.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert!(fs::symlink_metadata(&to_null).unwrap().file_type().is_symlink());
        assert!(fs::symlink_metadata(null).unwrap().file_type().is_char_device());
    }
}

#[cfg(unix)]
#[test]
fn a_read_only_folder_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.svg");
    fs::write(&target, "old").unwrap();
    let Some(mut render) = command_obeying_permissions(&["render", LAMBDA, "-o", path(&target)])
    else {
        return cannot_test_here("archdraw cannot be run so that a folder's mode stops it");
    };
    set_read_only(dir.path(), true);
    let out = render.output().expect("archdraw runs");
    set_read_only(dir.path(), false);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        format!(
            "archdraw: cannot write {}: the folder {} is not writable\n",
            target.display(),
            dir.path().display()
        )
    );
    assert_eq!(fs::read_to_string(&target).unwrap(), "old");
}

#[test]
fn a_closed_stdout_pipe_ends_quietly() {
    let mut child = command(&["render", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end before archdraw has its input, so its write must fail with EPIPE.
    drop(child.stdout.take());
    let source = fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(LAMBDA)).unwrap();
    child.stdin.take().unwrap().write_all(&source).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn a_drawing_that_cannot_fit_is_drawn_with_a_warning() {
    let out = run(&["render", LAMBDA, "--width", "5"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(!out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("archdraw: warning: specs/lambda.yaml: the drawing is "),
        "{stderr}"
    );
    assert!(stderr.ends_with(" columns wide; it does not fit in 5\n"), "{stderr}");
}

#[test]
fn a_png_says_which_characters_its_fonts_cannot_draw() {
    // The bundled fonts have no CJK or emoji: the PNG leaves them out, and says so once.
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("cjk.png");
    let out = run(&["render", "specs/cjk-flow.yaml", "-o", png.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(fs::read(&png).unwrap().starts_with(b"\x89PNG"));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("archdraw: warning: specs/cjk-flow.yaml: the PNG leaves out "),
        "{stderr}"
    );
    assert!(stderr.contains("(数 据 源 📱 "), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    // The same spec as SVG keeps every character: nothing to say.
    let out = run(&["render", "specs/cjk-flow.yaml", "-f", "svg"]);
    assert_eq!((out.status.code(), text(&out.stderr)), (Some(0), String::new()));
    // Text the fonts cover (Latin with accents, arrows): no warning.
    let png = dir.path().join("five.png");
    let out = run(&["render", "specs/five-box.yaml", "-o", png.to_str().unwrap()]);
    assert_eq!((out.status.code(), text(&out.stderr)), (Some(0), String::new()));
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    for args in
        [&[][..], &["render"], &["render", LAMBDA, "--bogus"], &["render", LAMBDA, "-f", "bmp"]]
    {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!text(&out.stderr).is_empty(), "{args:?}");
    }
    let help = run(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(text(&help.stdout).contains("Examples:"));
    let help = run(&["render", "--help"]);
    assert!(text(&help.stdout).contains("archdraw render specs/lambda.yaml -o lambda.svg"));
    let version = run(&["--version"]);
    assert_eq!(version.status.code(), Some(0));
    assert!(text(&version.stdout).starts_with("archdraw "));
}

#[test]
fn a_missing_file_is_a_one_line_error() {
    let out = run(&["render", "no/such/spec.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("archdraw: cannot read no/such/spec.yaml: "), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn stdin_problems_are_reported_against_stdin() {
    let out = run_with_stdin(&["render", "-"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("<stdin>: the spec is empty: add `boxes:`\n"));

    let out = run_with_stdin(&["render", "-"], b"boxes:\n  - title: caf\xe9\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("<stdin>:2:15: the spec is not valid UTF-8\n"));

    // 20 MB of input is refused without being read whole: the pipe takes the 1 MiB limit and
    // what it buffers, then archdraw closes it.
    let huge = vec![b'#'; 20 << 20];
    let (out, taken) = run_counting_stdin(&["render", "-"], &huge);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("<stdin>: the spec is too large: over the limit of"));
    assert!(taken > 1 << 20 && taken < 2 << 20, "the pipe took {taken} bytes of 20 MB");
}

#[test]
fn validate_is_silent_on_valid_specs() {
    let specs: Vec<String> = fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("specs"))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".yaml"))
        .map(|n| format!("specs/{n}"))
        .collect();
    assert!(specs.len() >= 3);
    let mut args = vec!["validate"];
    args.extend(specs.iter().map(String::as_str));
    let out = run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
}

#[test]
fn validate_reports_every_problem_of_every_file_in_order() {
    let spec = b"\
boxes:
  - {id: a, title: A}
  - {id: a, title: B}
arrows:
  - a -> nope
services:
  - {title: S, serves: [gone]}
";
    let out = run_with_stdin(&["validate", "-", "no/such.yaml", LAMBDA], spec);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    let headers: Vec<_> = stderr
        .lines()
        .filter(|l| l.starts_with("<stdin>:") || l.starts_with("archdraw:"))
        .collect();
    assert_eq!(
        headers,
        [
            "<stdin>:3:10: duplicate id 'a'",
            "<stdin>:5:10: unknown box 'nope'",
            "<stdin>:7:25: unknown box 'gone'",
        ]
        .into_iter()
        .map(str::to_owned)
        .chain([format!("archdraw: cannot read no/such.yaml: {}", missing_file_message())])
        .collect::<Vec<_>>()
    );
}

/// How this platform describes a missing file.
fn missing_file_message() -> String {
    fs::File::open("no/such.yaml").unwrap_err().to_string()
}

#[test]
fn font_mono_sets_svg_text_in_the_monospace_face_and_overrides_the_spec() {
    let families = |svg: &str| {
        let mut found: Vec<&str> =
            ["-sans-", "-mono-", "-hand-"].into_iter().filter(|face| svg.contains(face)).collect();
        found.sort_unstable();
        found
    };
    let flag = run(&["render", LAMBDA, "-f", "svg", "--font", "mono"]);
    assert_eq!(flag.status.code(), Some(0), "{}", text(&flag.stderr));
    assert_eq!(families(&text(&flag.stdout)), ["-mono-"]);

    let default = run(&["render", LAMBDA, "-f", "svg"]);
    assert_eq!(families(&text(&default.stdout)), ["-sans-"]);

    // The spec key gives the same drawing as the flag; the flag wins over the key.
    let spec = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(LAMBDA)).unwrap();
    let keyed =
        run_with_stdin(&["render", "-", "-f", "svg"], format!("font: mono\n{spec}").as_bytes());
    assert_eq!(text(&keyed.stdout), text(&flag.stdout));
    let overridden = run_with_stdin(
        &["render", "-", "-f", "svg", "--font", "sans"],
        format!("font: mono\n{spec}").as_bytes(),
    );
    assert_eq!(text(&overridden.stdout), text(&default.stdout));
}

/// The width and height of an SVG's viewBox.
fn view_box(svg: &str) -> (f64, f64) {
    let at = svg.find("viewBox=\"").expect("a viewBox") + "viewBox=\"".len();
    let values: Vec<f64> =
        svg[at..].split('"').next().unwrap().split(' ').map(|v| v.parse().unwrap()).collect();
    (values[2], values[3])
}

#[test]
fn svg_is_fitted_to_a_slide_by_default_and_fit_picks_another_shape_or_none() {
    // Seven boxes in one flow, no direction pinned: one row is 8.7 times as wide as tall.
    let spec = "bench/quality/specs/webhook-intake.yaml";
    let aspect = |extra: &[&str]| {
        let mut args = vec!["render", spec, "-f", "svg"];
        args.extend_from_slice(extra);
        let out = run(&args);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let (w, h) = view_box(&text(&out.stdout));
        w / h
    };
    let (default, slide, none, square) = (
        aspect(&[]),
        aspect(&["--fit", "16:9"]),
        aspect(&["--fit", "none"]),
        aspect(&["--fit", "1:1"]),
    );
    assert!(none > 4.0, "{none}");
    assert_eq!(default, slide);
    // 16:9 ± 25%, and a square page gets a squarer drawing.
    assert!((1.33..=2.23).contains(&default), "{default}");
    assert!(square < default, "{square} vs {default}");
}

#[test]
fn text_is_not_fitted_unless_asked() {
    let spec = "bench/quality/specs/webhook-intake.yaml";
    let plain = run(&["render", spec]);
    let none = run(&["render", spec, "--fit", "none"]);
    let slide = run(&["render", spec, "--fit", "16:9"]);
    assert_eq!(plain.status.code(), Some(0), "{}", text(&plain.stderr));
    assert_eq!(plain.stdout, none.stdout);
    assert_ne!(plain.stdout, slide.stdout);
}

#[test]
fn a_bad_fit_is_refused_on_the_command_line_and_in_the_spec_with_its_place() {
    let out = run(&["render", LAMBDA, "-f", "svg", "--fit", "16x9"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("16x9"), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());

    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("slide.yaml");
    fs::write(&spec, "boxes: [{title: A}]\nfit: \"16/9\"\n").unwrap();
    let out = run(&["render", spec.to_str().unwrap(), "-f", "svg"]);
    assert_ne!(out.status.code(), Some(0));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("slide.yaml:2:6"), "{stderr}");
    assert!(stderr.contains("not a page shape"), "{stderr}");
}
