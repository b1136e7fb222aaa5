//! `archdraw convert`: a Mermaid flowchart or a DOT graph written out as an archdraw YAML spec,
//! to move a diagram over once.

use std::process::ExitCode;

use anyhow::Context;
use archdraw::{Diagram, Limits};

use crate::args::{ConvertArgs, is_stdio};
use crate::{Source, output, report};

/// `archdraw convert FILE [-o OUT]`: the spec is checked like any other (ids, text, limits)
/// before anything is written, so what lands in OUT is a spec archdraw draws.
pub fn run(args: &ConvertArgs) -> anyhow::Result<ExitCode> {
    let limits = Limits::default();
    let source = Source::read(&args.file, &limits)?.in_language(args.from);
    let diagram =
        match source.parse(&limits).and_then(|spec| Diagram::from_spec_with_limits(&spec, &limits))
        {
            Ok(diagram) => diagram,
            Err(error) => return Ok(source.fail(&error)),
        };
    let from = if is_stdio(&args.file) { "standard input".to_owned() } else { source.name.clone() };
    // One line: a file name with a line break in it must not end the comment.
    let header = format!("# Converted from {} by `archdraw convert`.\n", report::sanitize(&from));
    let yaml = header + &archdraw::export::yaml(&diagram);
    match &args.output {
        Some(path) if !is_stdio(path) => output::write_atomic(path, yaml.as_bytes())?,
        _ => output::write_stdout(yaml.as_bytes()).context("writing the spec")?,
    }
    Ok(ExitCode::SUCCESS)
}
