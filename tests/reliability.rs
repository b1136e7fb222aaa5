//! Tracker issue 11 through the binary: a signal during a write leaves no temporary file,
//! `check` reads a capped amount, `--out-dir` renames nothing until every file is written, an
//! unknown `-o` extension is refused, and `md` loses nothing when its markers are broken.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::binary::{run, text};

const SPEC: &str = "boxes: [{id: a, title: A}, {id: b, title: B}]\narrows: [a -> b]\n";

fn temporaries(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".archdraw-"))
        .collect()
}

// The pause it needs to land the signal exists only in debug builds (`crates/cli/output.rs`).
#[cfg(all(unix, debug_assertions))]
#[test]
fn a_signal_while_writing_removes_the_temporary_file() {
    use std::os::unix::process::ExitStatusExt;
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.yaml");
    let out = dir.path().join("out.txt");
    fs::write(&spec, SPEC).unwrap();
    fs::write(&out, "old").unwrap();
    for signal in ["INT", "TERM"] {
        // Debug builds wait this long with the temporary file written, so the signal lands
        // while it exists.
        let mut child = crate::binary::command(&[
            "render",
            spec.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .env("ARCHDRAW_TEST_PAUSE_MS", "20000")
        .spawn()
        .unwrap();
        let start = Instant::now();
        while temporaries(dir.path()).is_empty() {
            assert!(start.elapsed() < Duration::from_secs(30), "no temporary file appeared");
            std::thread::sleep(Duration::from_millis(10));
        }
        let killed = std::process::Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(child.id().to_string())
            .status()
            .unwrap();
        assert!(killed.success());
        let status = child.wait().unwrap();
        let expected = if signal == "INT" { 2 } else { 15 };
        assert_eq!(
            status.signal().or(status.code().map(|c| c - 128)),
            Some(expected),
            "{status:?}"
        );
        assert!(start.elapsed() < Duration::from_secs(15), "the signal did not end it");
        assert_eq!(temporaries(dir.path()), Vec::<String>::new(), "after SIG{signal}");
        assert_eq!(fs::read_to_string(&out).unwrap(), "old");
    }
}

#[cfg(unix)]
#[test]
fn check_reads_no_more_than_it_compares() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.yaml");
    fs::write(&spec, SPEC).unwrap();
    let drawings = dir.path().join("docs");
    fs::create_dir(&drawings).unwrap();
    std::os::unix::fs::symlink("/dev/zero", drawings.join("spec.txt")).unwrap();
    let start = Instant::now();
    let output = run(&["check", spec.to_str().unwrap(), "--out-dir", drawings.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("spec.txt is stale"), "{}", text(&output.stderr));
    // The diff shows what was read: the drawing's size and a margin, not a gigabyte of zeros.
    assert!(output.stdout.len() < 1 << 20, "{} bytes of diff", output.stdout.len());
    assert!(start.elapsed() < Duration::from_secs(30));
}

#[cfg(unix)]
#[test]
fn out_dir_renames_nothing_until_every_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (dir.path().join("one.yaml"), dir.path().join("two.yaml"));
    fs::write(&one, SPEC).unwrap();
    fs::write(&two, SPEC.replace("A}", "C}")).unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    fs::write(docs.join("one.txt"), "old one").unwrap();
    fs::write(docs.join("two.txt"), "old two").unwrap();
    // The second target cannot be written (the immutable attribute, as root too).
    let _ = std::process::Command::new("chattr").arg("+i").arg(docs.join("two.txt")).output();
    let locked = fs::OpenOptions::new().write(true).open(docs.join("two.txt")).is_err();
    let output = run(&[
        "render",
        one.to_str().unwrap(),
        two.to_str().unwrap(),
        "--out-dir",
        docs.to_str().unwrap(),
    ]);
    let _ = std::process::Command::new("chattr").arg("-i").arg(docs.join("two.txt")).output();
    if !locked {
        eprintln!("skipped: cannot make a file read-only here");
        return;
    }
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("two.txt: the file is read-only"), "{stderr}");
    assert_eq!(fs::read_to_string(docs.join("one.txt")).unwrap(), "old one");
    assert_eq!(fs::read_to_string(docs.join("two.txt")).unwrap(), "old two");
    assert_eq!(temporaries(&docs), Vec::<String>::new());
}

#[test]
fn an_output_extension_archdraw_does_not_write_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.yaml");
    fs::write(&spec, SPEC).unwrap();
    let pdf = dir.path().join("x.pdf");
    let output = run(&["render", spec.to_str().unwrap(), "-o", pdf.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        "archdraw: archdraw cannot write .pdf files: name the output .txt, .ascii, .svg, .png, \
         .json, .mmd or .dot, or choose the format with -f\n"
    );
    assert!(!pdf.exists());
    // Said with -f, the name is the user's choice.
    let output = run(&["render", spec.to_str().unwrap(), "-o", pdf.to_str().unwrap(), "-f", "svg"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(fs::read_to_string(&pdf).unwrap().starts_with("<svg"));
}

#[test]
fn md_with_a_missing_end_marker_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("doc.md");
    let spec_block = |title: &str| format!("```archdraw\nboxes: [{{title: {title}}}]\n```\n");
    fs::write(
        &doc,
        format!("# One\n\n{}\n## Two\n\nProse.\n\n{}\nEnd.\n", spec_block("A"), spec_block("B")),
    )
    .unwrap();
    let output = run(&["md", doc.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let drawn = fs::read_to_string(&doc).unwrap();
    assert_eq!(drawn.matches("<!-- archdraw:end -->").count(), 2);
    // The first end marker deleted by hand: md must not reach for the second one.
    let broken = drawn.replacen("<!-- archdraw:end -->\n", "", 1);
    fs::write(&doc, &broken).unwrap();
    let output = run(&["md", doc.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("has no `<!-- archdraw:end -->` right after its drawing"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(fs::read_to_string(&doc).unwrap(), broken);
    // A second run of md on the drawn file changes nothing.
    fs::write(&doc, &drawn).unwrap();
    let output = run(&["md", "--check", doc.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
}
