//! What publishing needs (tracker issue 15): licence files in each published crate, no
//! placeholder URL, both packages publishable, and the README saying how to install.

use std::fs;
use std::path::Path;

fn read(path: &str) -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn each_published_crate_carries_the_licences_the_manifest_names() {
    let workspace = read("Cargo.toml");
    assert!(workspace.contains("license = \"MIT OR Apache-2.0\""));
    for licence in ["LICENSE-MIT", "LICENSE-APACHE"] {
        let root = read(licence);
        assert!(root.len() > 900, "{licence} holds the licence text");
        assert_eq!(read(&format!("crates/archdraw/{licence}")), root, "{licence} copies differ");
    }
    assert!(read("LICENSE-APACHE").contains("Apache License\n                        Version 2.0"));
    assert!(read("LICENSE-MIT").contains("Permission is hereby granted, free of charge"));
}

#[test]
fn manifests_are_ready_to_publish() {
    for manifest in ["Cargo.toml", "crates/archdraw/Cargo.toml"] {
        let text = read(manifest);
        assert!(!text.contains("example.invalid"), "{manifest}: a placeholder URL");
        let package = text.split("[package]").nth(1).expect("a [package] table");
        let package = package.split("\n[").next().unwrap_or(package);
        assert!(!package.contains("publish = false"), "{manifest} cannot be published");
        for key in ["description", "license", "readme", "include", "keywords"] {
            assert!(package.contains(&format!("\n{key}")), "{manifest} lacks {key}");
        }
    }
}

#[test]
fn the_readme_says_how_to_install_on_its_first_screen() {
    let readme = read("README.md");
    let first_screen: String = readme.lines().take(15).collect::<Vec<_>>().join("\n");
    assert!(first_screen.contains("cargo install --locked --path ."), "{first_screen}");
}
