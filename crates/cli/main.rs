//! `archdraw`: the command-line tool. Reads specs, prints diagnostics, writes drawings.
//!
//! Exit status: 0 on success, 2 on bad input, a usage error or an I/O failure. A reader that
//! closes the pipe early (`archdraw render x | head -1`) is not a failure: exit 0, quietly.

mod args;
mod batch;
mod convert;
mod generate;
mod mcp;
mod md;
mod mdbook;
mod output;
mod report;
mod watch;

use std::fs::File;
use std::io::{self, IsTerminal as _, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use archdraw::import::Language;
use archdraw::model::text::width;
use archdraw::{Diagnostic, Error, Limits, Options, Span, Spec};
use clap::{Parser, ValueEnum as _};

use crate::args::{Cli, Command, FromArg, RenderArgs, ValidateArgs, is_stdio};

/// Exit status for bad input, usage errors and I/O failures.
const FAILURE: u8 = 2;

fn main() -> ExitCode {
    output::remove_temps_on_signals();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // `--help` and `--version` arrive here too, with exit code 0.
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { FAILURE } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Render(args) => render(&args),
        Command::Watch(args) => watch::run(&args),
        Command::Validate(args) => validate(&args),
        Command::Check(args) => batch::check(&args),
        Command::Md(args) => md::run(&args),
        Command::Convert(args) => convert::run(&args),
        Command::Schema => generate::schema(),
        Command::Mcp => mcp::run(),
        Command::Mdbook(args) => mdbook::run(&args),
        Command::Completions(args) => generate::completions(&args),
        Command::Man => generate::man(),
    };
    match result {
        Ok(code) => code,
        Err(error) if output::is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            stderr(&format!("archdraw: {}\n", report::sanitize(&format!("{error:#}"))));
            ExitCode::from(FAILURE)
        }
    }
}

/// `archdraw render`.
pub(crate) fn render(args: &RenderArgs) -> anyhow::Result<ExitCode> {
    if let Some(dir) = &args.out_dir {
        return batch::render_to_dir(args, dir);
    }
    let [spec_path] = args.specs.as_slice() else {
        anyhow::bail!("several specs need --out-dir DIR, to write one file for each");
    };
    if let Some(problem) = args.unknown_extension() {
        anyhow::bail!(problem);
    }
    let limits = Limits::default();
    let source = Source::read(spec_path, &limits)?.in_language(args.from);
    let spec = match source.parse(&limits) {
        Ok(spec) => spec,
        Err(error) => return Ok(source.fail(&error)),
    };
    let format = args.format();
    warn_if_ignored(args, format);
    let options = args.look.with_look(Options {
        format: format.into(),
        max_width: args.width.map(usize::from),
        ..Options::default()
    });
    if format == args::FormatArg::Png {
        return render_png(args, &source, &spec, &options);
    }
    let drawing = match archdraw::render_spec(&spec, &options) {
        Ok(drawing) => drawing,
        Err(error) => return Ok(source.fail(&error)),
    };

    let limit = options.max_width.or(spec.max_width.as_ref().map(|w| w.value));
    warn_if_too_wide(&source.name, &drawing, limit, format);
    note_if_folded(&source.name, &source.text, &options);

    match &args.output {
        Some(path) if !is_stdio(path) => output::write_atomic(path, drawing.as_bytes())?,
        _ => output::write_stdout(drawing.as_bytes()).context("writing the drawing")?,
    }
    Ok(ExitCode::SUCCESS)
}

/// A PNG of `spec`: at `scale` if given, else as large as fits a 1920 × 1080 slide (at most
/// twice the SVG's size).
#[cfg(feature = "png")]
fn draw_png(
    spec: &Spec,
    options: &Options,
    scale: Option<u32>,
) -> Result<archdraw::render::png::Drawn, archdraw::Error> {
    use archdraw::render::png::{PngOptions, SLIDE, render_spec_drawn};
    match scale {
        Some(scale) => render_spec_drawn(spec, options, scale, None),
        None => render_spec_drawn(spec, options, PngOptions::default().scale, Some(SLIDE)),
    }
}

/// A PNG leaves out what its bundled fonts cannot draw (CJK, emoji): the user's words must
/// not go missing without a word.
#[cfg(feature = "png")]
fn warn_if_undrawn(name: &str, missing: &[char]) {
    const SHOWN: usize = 12;
    if missing.is_empty() {
        return;
    }
    let shown: Vec<String> = missing.iter().take(SHOWN).map(char::to_string).collect();
    let mut chars = shown.join(" ");
    if missing.len() > SHOWN {
        chars.push_str(" …");
    }
    let count = missing.len();
    let (them, s) = if count == 1 { ("it", "") } else { ("them", "s") };
    stderr(&format!(
        "archdraw: warning: {}: the PNG leaves out {count} character{s} of the text ({}): the \
         bundled fonts have no glyph for {them}; the SVG (-f svg) keeps every character, for \
         its viewer's fonts to draw\n",
        report::sanitize(name),
        report::sanitize(&chars)
    ));
}

/// `archdraw render -f png`: bytes, not text, so never to a terminal.
fn render_png(
    args: &RenderArgs,
    source: &Source,
    spec: &Spec,
    options: &Options,
) -> anyhow::Result<ExitCode> {
    #[cfg(feature = "png")]
    {
        let drawn = match draw_png(spec, options, args.scale()) {
            Ok(drawn) => drawn,
            Err(error) => return Ok(source.fail(&error)),
        };
        warn_if_undrawn(&source.name, &drawn.missing);
        let png = drawn.png;
        match &args.output {
            Some(path) if !is_stdio(path) => output::write_atomic(path, &png)?,
            _ if io::stdout().is_terminal() => anyhow::bail!(
                "a PNG is not for the terminal: write it with -o FILE.png or redirect it"
            ),
            _ => output::write_stdout(&png).context("writing the PNG")?,
        }
        Ok(ExitCode::SUCCESS)
    }
    #[cfg(not(feature = "png"))]
    {
        let _ = (args, source, spec, options);
        anyhow::bail!("this archdraw was built without PNG support (cargo feature `png`)")
    }
}

/// An option that does nothing for the format chosen is said to do nothing.
fn warn_if_ignored(args: &RenderArgs, format: args::FormatArg) {
    let ignored = args.ignored_options(format);
    if !ignored.is_empty() {
        let name = format.to_possible_value().map_or_else(String::new, |v| v.get_name().to_owned());
        let does = if ignored.len() == 1 { "does" } else { "do" };
        stderr(&format!(
            "archdraw: warning: {} {does} nothing for {name} output (--theme, --sketch and --font \
             are for SVG and PNG, --scale for PNG); ignored\n",
            ignored.join(", ")
        ));
    }
}

/// The layout tries hard to fit; when it cannot, it still draws, and the user should know.
fn warn_if_too_wide(name: &str, drawing: &str, limit: Option<usize>, format: args::FormatArg) {
    if let Some(limit) = limit
        && format.is_text()
    {
        let widest = drawing.lines().map(width).max().unwrap_or(0);
        if widest > limit {
            stderr(&format!(
                "archdraw: warning: {}: the drawing is {widest} columns wide; it does not fit \
                 in {limit}\n",
                report::sanitize(name)
            ));
        }
    }
}

/// `--ascii-text fold` changes the user's words; say so whenever the spec had any to change.
fn note_if_folded(name: &str, text: &str, options: &Options) {
    if options.format == archdraw::Format::Ascii
        && options.ascii_text == archdraw::style::AsciiText::Fold
        && !text.is_ascii()
    {
        stderr(&format!(
            "archdraw: note: {}: --ascii-text fold spelled text written outside 7-bit ASCII \
             in ASCII look-alikes (→ as ->, é as e, anything else ?); without it the words \
             are drawn as written\n",
            report::sanitize(name)
        ));
    }
}

/// `archdraw validate`: every problem in every spec; nothing printed when all are valid.
fn validate(args: &ValidateArgs) -> anyhow::Result<ExitCode> {
    let limits = Limits::default();
    let mut valid = true;
    for path in &args.specs {
        let source = match Source::read(path, &limits) {
            Ok(source) => source.in_language(args.from),
            Err(error) => {
                stderr(&format!("archdraw: {}\n", report::sanitize(&format!("{error:#}"))));
                valid = false;
                continue;
            }
        };
        let checked =
            source.parse(&limits).and_then(|spec| archdraw::check_spec(&spec, &limits).map(drop));
        if let Err(error) = checked {
            source.fail(&error);
            valid = false;
        }
    }
    Ok(if valid { ExitCode::SUCCESS } else { ExitCode::from(FAILURE) })
}

/// A spec's name and text, or the reason its bytes are not a spec.
struct Source {
    /// The path as given, or `<stdin>`.
    name: String,
    /// The text, lossily decoded when it is not UTF-8 (for the snippet).
    text: String,
    /// Set when the bytes could not be a spec at all (too big, not UTF-8).
    problem: Option<Diagnostic>,
    /// The language it is written in: from the extension, or `--from`.
    language: Language,
}

impl Source {
    /// Reads at most one byte more than the size limit, so a huge file or an endless pipe is
    /// refused without being read whole.
    fn read(path: &Path, limits: &Limits) -> anyhow::Result<Source> {
        let cap = u64::try_from(limits.max_input_bytes).unwrap_or(u64::MAX).saturating_add(1);
        let mut bytes = Vec::new();
        let name = if is_stdio(path) {
            io::stdin()
                .lock()
                .take(cap)
                .read_to_end(&mut bytes)
                .context("cannot read the spec from standard input")?;
            "<stdin>".to_owned()
        } else {
            let context = || format!("cannot read {}", path.display());
            File::open(path)
                .with_context(context)?
                .take(cap)
                .read_to_end(&mut bytes)
                .with_context(context)?;
            path.display().to_string()
        };
        // Standard input has no extension: YAML unless --from says otherwise.
        let language = path
            .extension()
            .and_then(|e| e.to_str())
            .and_then(Language::from_extension)
            .unwrap_or_default();
        if bytes.len() > limits.max_input_bytes {
            let problem = Diagnostic::new(format!(
                "the spec is too large: over the limit of {} bytes",
                limits.max_input_bytes
            ))
            .with_help("split the diagram into smaller ones");
            return Ok(Source { name, text: String::new(), problem: Some(problem), language });
        }
        Ok(match String::from_utf8(bytes) {
            Ok(text) => Source { name, text, problem: None, language },
            Err(error) => {
                let bytes = error.as_bytes();
                let problem = not_utf8(bytes, error.utf8_error().valid_up_to());
                Source {
                    name,
                    text: String::from_utf8_lossy(bytes).into_owned(),
                    problem: Some(problem),
                    language,
                }
            }
        })
    }

    /// The same source read as `from`, when given.
    fn in_language(mut self, from: Option<FromArg>) -> Source {
        if let Some(from) = from {
            self.language = from.into();
        }
        self
    }

    /// The spec, read in the source's language; a Mermaid or DOT reader's warnings are
    /// printed on standard error, each once, located like errors.
    fn parse(&self, limits: &Limits) -> Result<Spec, Error> {
        if let Some(problem) = &self.problem {
            return Err(problem.clone().into());
        }
        let imported = archdraw::import::read(&self.text, self.language, limits)?;
        if let Some(warnings) = report::warnings(&self.name, &self.text, imported.warnings) {
            stderr(&warnings);
        }
        Ok(imported.spec)
    }

    /// Prints `error` against this source; the exit code for it.
    fn fail(&self, error: &Error) -> ExitCode {
        stderr(&report::render(&self.name, &self.text, error));
        ExitCode::from(FAILURE)
    }
}

/// Where the first byte that is not UTF-8 sits, and what to do about it.
fn not_utf8(bytes: &[u8], valid_up_to: usize) -> Diagnostic {
    let valid = String::from_utf8_lossy(&bytes[..valid_up_to]);
    let line = valid.matches('\n').count() + 1;
    let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let utf16 = bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]);
    Diagnostic::new("the spec is not valid UTF-8").with_span(Span::new(line, column, 1)).with_help(
        if utf16 {
            "this looks like UTF-16; save the file as UTF-8"
        } else {
            "save the file as UTF-8"
        },
    )
}

/// Writes to standard error, ignoring failure: there is nowhere left to report it.
fn stderr(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}
