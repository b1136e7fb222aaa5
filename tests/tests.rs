// Running the archdraw binary, shared by the tests that do.
mod binary;
// What a drawing must say, read from the spec's YAML without the library's resolver.
mod oracle;
mod readback;
mod specs;
// Exit codes, stdin/stdout, formats and atomic output files of the `archdraw` binary.
mod cli;
// Every spec in fixtures/invalid gives its located message (snapshotted) and exit code 2.
mod errors;
// Random specs through the whole pipeline, judged by read-back and the layout's guarantees.
mod properties;
// render --out-dir, check, md, schema, completions and the man page through the binary.
mod workflow;
// Hostile input through the binary: a drawing or located problems, never a panic or a hang.
mod hostile;
// Mermaid, DOT and YAML written by archdraw::export read back as the same graph.
mod roundtrip;
// The Mermaid and DOT corpus read back as the source declares; unsupported input fails located.
mod import;
// Issue 11 through the binary: signals, capped reads, batches, extensions, md's markers.
mod reliability;
// md with Mermaid blocks and with specs in source-code comments (tracker issue 14).
mod embedded;
// Publishing: licences, manifests and the README's install line (tracker issue 15).
mod install;
// The CLI's rough edges of tracker issue 15: --out-dir, ASCII names, ignored options.
mod edges;
// archdraw mcp, spoken to over stdio as an agent's host does (tracker issue 15).
mod mcp;
// archdraw mdbook, fed the JSON mdBook sends a preprocessor (tracker issue 15).
mod mdbook;
