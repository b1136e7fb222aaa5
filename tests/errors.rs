//! Every spec in `fixtures/invalid/` fails with a located message and exit code 2.
//!
//! The binary runs on each fixture as a user would run it, and its stderr is snapshotted with
//! the fixture above it, so the wording of errors is reviewed like a drawing.

use std::process::Command;

fn archdraw(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_archdraw"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("the archdraw binary runs")
}

#[test]
fn invalid_specs() {
    insta::glob!("fixtures/invalid/*.yaml", |path| {
        let name = path.file_name().and_then(|n| n.to_str()).expect("fixture names are UTF-8");
        // A relative path with `/` in the messages keeps snapshots the same on every machine.
        let arg = format!("tests/fixtures/invalid/{name}");
        let bytes = std::fs::read(path).expect("the fixture is readable");
        let source = String::from_utf8_lossy(&bytes);
        assert!(source.starts_with("# expect: "), "{name}: first line must be `# expect: …`");

        let output = archdraw(&["render", &arg]);
        let stderr = String::from_utf8(output.stderr).expect("stderr is UTF-8");
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert!(output.stdout.is_empty(), "{name}: drew something");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(stderr.starts_with(&format!("{arg}:")), "{name}: {stderr}");

        // `validate` finds exactly the same problems.
        let validated = archdraw(&["validate", &arg]);
        assert_eq!(validated.status.code(), Some(2), "{name}");
        assert_eq!(String::from_utf8_lossy(&validated.stderr), stderr, "{name}");

        insta::with_settings!({ description => source.as_ref(), omit_expression => true }, {
            insta::assert_snapshot!("diagnostic", stderr);
        });
    });
}
