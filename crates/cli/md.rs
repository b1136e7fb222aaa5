//! `archdraw md FILE... [--check] [--mermaid] [--as KIND]`: the drawings after
//! ```` ```archdraw ```` (and ```` ```mermaid ````) blocks, in Markdown files or in source-code
//! comments, refreshed in place (see `archdraw::markdown` for the format).

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use archdraw::markdown::Mermaid;
use archdraw::{Error, Options};

use crate::args::{DocumentKind, MdArgs, is_stdio};
use crate::batch::{exit_code, unified_diff};
use crate::{output, report, stderr};

/// The largest Markdown file read: far above any document, and a guard against `/dev/zero`.
/// Each spec inside is still held to the spec size limit.
const MAX_MARKDOWN_BYTES: u64 = 64 << 20;

/// Updates (or with `--check`, compares) each file; 0 when all are current or were updated,
/// 1 when `--check` found a stale drawing, 2 on any problem (which wins).
pub fn run(args: &MdArgs) -> anyhow::Result<ExitCode> {
    let options = Options::default();
    let (mut failed, mut stale) = (false, false);
    for path in &args.files {
        match one(path, args, &options) {
            Ok(Outcome::Current) => {}
            Ok(Outcome::Stale) => stale = true,
            Ok(Outcome::Failed) => failed = true,
            Err(error) if output::is_broken_pipe(&error) => return Err(error),
            Err(error) => {
                stderr(&format!("archdraw: {}\n", report::sanitize(&format!("{error:#}"))));
                failed = true;
            }
        }
    }
    Ok(exit_code(failed, stale))
}

enum Outcome {
    /// Nothing to change, or changed as asked.
    Current,
    /// `--check` found a drawing to change.
    Stale,
    /// A problem was reported.
    Failed,
}

fn one(path: &Path, args: &MdArgs, options: &Options) -> anyhow::Result<Outcome> {
    let check = args.check;
    let stdio = is_stdio(path);
    let name = if stdio { "<stdin>".to_owned() } else { path.display().to_string() };
    let mut bytes = Vec::new();
    if stdio {
        io::stdin().lock().take(MAX_MARKDOWN_BYTES + 1).read_to_end(&mut bytes)
    } else {
        File::open(path).and_then(|f| f.take(MAX_MARKDOWN_BYTES + 1).read_to_end(&mut bytes))
    }
    .with_context(|| format!("cannot read {name}"))?;
    if bytes.len() as u64 > MAX_MARKDOWN_BYTES {
        anyhow::bail!("{name} is over the limit of {MAX_MARKDOWN_BYTES} bytes for a Markdown file");
    }
    let Ok(text) = String::from_utf8(bytes) else {
        anyhow::bail!("{name} is not valid UTF-8; save it as UTF-8");
    };
    let mermaid = if args.mermaid { Mermaid::All } else { Mermaid::Marked };
    let kind =
        args.kind.unwrap_or(if stdio { DocumentKind::Markdown } else { DocumentKind::of(path) });
    let refreshed = match kind {
        DocumentKind::Markdown => archdraw::markdown::refresh(&text, options, mermaid),
        DocumentKind::Code => archdraw::markdown::refresh_comments(&text, options, mermaid),
    };
    let updated = match refreshed {
        Ok(refreshed) => {
            if !refreshed.warnings.is_empty() {
                let warnings = refreshed
                    .warnings
                    .into_iter()
                    .map(|mut w| {
                        w.message.insert_str(0, "warning: ");
                        w
                    })
                    .collect();
                stderr(&report::render(&name, &text, &Error::new(warnings)));
            }
            refreshed.text
        }
        Err(error) => {
            stderr(&report::render(&name, &text, &error));
            return Ok(Outcome::Failed);
        }
    };
    if stdio && !check {
        // A filter: the whole document out, changed or not.
        output::write_stdout(updated.as_bytes()).context("writing the document")?;
        return Ok(Outcome::Current);
    }
    if updated == text {
        return Ok(Outcome::Current);
    }
    if check {
        stderr(&format!("archdraw: {} has stale drawings\n", report::sanitize(&name)));
        output::write_stdout(unified_diff(&text, &updated, &name).as_bytes())
            .context("writing the diff")?;
        return Ok(Outcome::Stale);
    }
    // Someone may have saved the file while it was drawn: then it is left as they saved it.
    output::replace_unchanged(path, text.as_bytes(), updated.as_bytes())?;
    stderr(&format!("archdraw: updated {}\n", report::sanitize(&name)));
    Ok(Outcome::Current)
}
