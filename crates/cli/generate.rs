//! Things generated from archdraw's own definitions, printed on standard output: the spec's
//! JSON Schema, shell completions and the man page.

use std::process::ExitCode;

use anyhow::Context;
use clap::CommandFactory;

use crate::args::{Cli, CompletionsArgs};
use crate::output;

/// `archdraw schema`.
pub fn schema() -> anyhow::Result<ExitCode> {
    output::write_stdout(archdraw::spec::json_schema().as_bytes()).context("writing the schema")?;
    Ok(ExitCode::SUCCESS)
}

/// `archdraw completions SHELL`.
pub fn completions(args: &CompletionsArgs) -> anyhow::Result<ExitCode> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "archdraw", &mut script);
    output::write_stdout(&script).context("writing the completions")?;
    Ok(ExitCode::SUCCESS)
}

/// `archdraw man`: the man page in roff, for `man -l -` or packaging.
pub fn man() -> anyhow::Result<ExitCode> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut page).context("rendering the man page")?;
    output::write_stdout(&page).context("writing the man page")?;
    Ok(ExitCode::SUCCESS)
}
