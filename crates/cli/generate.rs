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

/// `archdraw man`: the man page in roff, for `man -l -` or packaging. clap_mangen renders the
/// top level only, so each subcommand's usage, options and examples follow in a section of
/// their own: the page lists every option.
pub fn man() -> anyhow::Result<ExitCode> {
    let mut command = Cli::command();
    command.build();
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone()).render(&mut page).context("rendering the man page")?;
    let page = String::from_utf8(page).context("the man page is UTF-8")?;
    let mut page = page.replace("\n.SH EXTRA\n", "\n.SH \"EXAMPLES AND EXIT STATUS\"\n");
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        let name = sub.get_bin_name().unwrap_or_else(|| sub.get_name());
        page.push_str(&format!(".SH \"{}\"\n", name.to_uppercase()));
        let man = clap_mangen::Man::new(sub.clone());
        let mut part = Vec::new();
        man.render_description_section(&mut part).context("rendering the man page")?;
        man.render_synopsis_section(&mut part).context("rendering the man page")?;
        man.render_options_section(&mut part).context("rendering the man page")?;
        if sub.get_after_help().is_some() || sub.get_after_long_help().is_some() {
            man.render_extra_section(&mut part).context("rendering the man page")?;
        }
        for line in String::from_utf8(part).context("the man page is UTF-8")?.lines() {
            match line {
                ".SH DESCRIPTION" => {}
                ".SH SYNOPSIS" => page.push_str(".SS Usage\n"),
                ".SH OPTIONS" => page.push_str(".SS Options\n"),
                ".SH EXTRA" => page.push_str(".SS Notes and examples\n"),
                _ => {
                    page.push_str(line);
                    page.push('\n');
                }
            }
        }
    }
    output::write_stdout(page.as_bytes()).context("writing the man page")?;
    Ok(ExitCode::SUCCESS)
}
