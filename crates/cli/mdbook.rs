//! `archdraw mdbook`: an mdBook preprocessor, in process (no other binary to install). mdBook
//! runs `archdraw mdbook supports RENDERER`, then `archdraw mdbook` with `[context, book]` as
//! JSON on standard input, and reads the book back from standard output.
//!
//! Every ```` ```archdraw ```` block (and ```` ```mermaid archdraw ````) in every chapter is
//! replaced by its drawing, with the drawing `archdraw md` may have put after it: inline SVG
//! for the HTML renderer, whose colours follow the book's theme through mdBook's CSS variables
//! (`--bg`, `--fg`, …, so light, rust, coal, navy and ayu all fit), or a text block for other
//! renderers and for blocks that ask for `text` or `ascii`.
//!
//! The book is walked as plain JSON: every `{"Chapter": {"content": …}}` at any depth is
//! rewritten and everything else passes through untouched, so mdBook 0.4 (`sections`) and
//! 0.5 (`items`) books both work.

use std::io::{self, Read as _};
use std::process::ExitCode;

use anyhow::{Context, bail};
use archdraw::markdown::{Mermaid, SpecBlock};
use archdraw::{Diagnostic, Error, Format, Limits, Options};
use serde_json::Value;

use crate::args::{MdbookArgs, MdbookCommand};
use crate::{output, report, stderr};

/// The largest book read: chapters are Markdown, and even a big book is a few MiB.
const MAX_BOOK_BYTES: u64 = 256 << 20;

/// The style every inline SVG carries, scoped to its wrapper: the diagram's colours come from
/// the book's theme variables (mdBook's `variables.css`), with archdraw's light palette where a
/// variable is missing, and the picture shrinks to the page width.
const BOOK_CSS: &str = ".archdraw-diagram{margin:1em 0;overflow-x:auto}\
.archdraw-diagram svg{max-width:100%;height:auto}\
.archdraw-diagram svg .ad-bg,.archdraw-diagram svg .ad-halo{fill:var(--bg,#fff)}\
.archdraw-diagram svg .ad-box-shape{fill:var(--bg,#fff);stroke:var(--fg,#1f2937)}\
.archdraw-diagram svg .ad-box-outline{stroke:var(--fg,#1f2937)}\
.archdraw-diagram svg .ad-box-text,.archdraw-diagram svg .ad-label-text{fill:var(--fg,#111827)}\
.archdraw-diagram svg .ad-service-shape{fill:var(--quote-bg,#f3f4f6);stroke:var(--quote-border,#6b7280)}\
.archdraw-diagram svg .ad-service-outline{stroke:var(--quote-border,#6b7280)}\
.archdraw-diagram svg .ad-service-text{fill:var(--fg,#374151)}\
.archdraw-diagram svg .ad-group-frame{stroke:var(--icons,#9ca3af)}\
.archdraw-diagram svg .ad-group-text{fill:var(--sidebar-fg,#4b5563)}\
.archdraw-diagram svg .ad-arrow-line{stroke:var(--fg,#374151)}\
.archdraw-diagram svg .ad-arrow-head{fill:var(--fg,#374151);stroke:var(--fg,#374151)}";

pub fn run(args: &MdbookArgs) -> anyhow::Result<ExitCode> {
    if let Some(MdbookCommand::Supports { .. }) = &args.command {
        // Every renderer gets something: SVG for HTML, text for the rest.
        return Ok(ExitCode::SUCCESS);
    }
    let mut bytes = Vec::new();
    io::stdin()
        .lock()
        .take(MAX_BOOK_BYTES + 1)
        .read_to_end(&mut bytes)
        .context("reading the book from standard input")?;
    if bytes.len() as u64 > MAX_BOOK_BYTES {
        bail!("the book is over the limit of {MAX_BOOK_BYTES} bytes");
    }
    let input: Value = serde_json::from_slice(&bytes)
        .context("standard input is not the JSON mdBook sends a preprocessor")?;
    let (context, mut book) = match input {
        Value::Array(pair) if pair.len() == 2 => {
            let mut pair = pair.into_iter();
            (pair.next().unwrap_or_default(), pair.next().unwrap_or_default())
        }
        _ => {
            bail!("mdBook sends [context, book]; this is not that: run archdraw mdbook from mdBook")
        }
    };
    let settings = Settings::from_context(&context)?;
    let mut failed = false;
    walk(&mut book, &settings, &mut failed);
    if failed {
        // mdBook stops the build and shows what was printed above.
        return Ok(ExitCode::from(crate::FAILURE));
    }
    let json = serde_json::to_vec(&book).context("encoding the book")?;
    output::write_stdout(&json).context("writing the book")?;
    Ok(ExitCode::SUCCESS)
}

/// The book-wide defaults: from `[preprocessor.archdraw]` in book.toml, and the renderer.
struct Settings {
    format: Format,
    width: Option<usize>,
    mermaid: Mermaid,
    /// Where the chapters' files are, for error locations (`src` unless book.toml says).
    src: String,
}

impl Settings {
    fn from_context(context: &Value) -> anyhow::Result<Self> {
        let renderer = context.get("renderer").and_then(Value::as_str).unwrap_or("html");
        let config = &context["config"];
        let table = &config["preprocessor"]["archdraw"];
        let format = match table.get("format").map(|v| v.as_str()) {
            None => {
                if renderer == "html" {
                    Format::Svg
                } else {
                    Format::Text
                }
            }
            Some(Some("svg")) => Format::Svg,
            Some(Some("text")) => Format::Text,
            Some(Some("ascii")) => Format::Ascii,
            Some(_) => bail!("book.toml: [preprocessor.archdraw] format is svg, text or ascii"),
        };
        // SVG only means something in HTML; other renderers get text.
        let format =
            if renderer != "html" && format == Format::Svg { Format::Text } else { format };
        let width = match table.get("width") {
            None => None,
            Some(w) => Some(
                w.as_u64()
                    .filter(|&w| w > 0)
                    .and_then(|w| usize::try_from(w).ok())
                    .context("book.toml: [preprocessor.archdraw] width is a whole number from 1")?,
            ),
        };
        let mermaid = match table.get("mermaid").map(Value::as_bool) {
            None | Some(Some(false)) => Mermaid::Marked,
            Some(Some(true)) => Mermaid::All,
            Some(None) => bail!("book.toml: [preprocessor.archdraw] mermaid is true or false"),
        };
        let src = config["book"]["src"].as_str().unwrap_or("src").to_owned();
        Ok(Self { format, width, mermaid, src })
    }
}

/// Rewrites every chapter under `value`.
fn walk(value: &mut Value, settings: &Settings, failed: &mut bool) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(chapter)) = map.get_mut("Chapter") {
                let name = match chapter.get("source_path").or(chapter.get("path")) {
                    Some(Value::String(path)) => format!("{}/{path}", settings.src),
                    _ => chapter.get("name").and_then(Value::as_str).unwrap_or("?").to_owned(),
                };
                if let Some(Value::String(content)) = chapter.get_mut("content") {
                    match archdraw::markdown::replace(content, settings.mermaid, |block| {
                        draw(block, settings)
                    }) {
                        Ok(replaced) => *content = replaced,
                        Err(error) => {
                            stderr(&report::render(&name, content, &error));
                            *failed = true;
                        }
                    }
                }
            }
            for child in map.values_mut() {
                walk(child, settings, failed);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| walk(item, settings, failed)),
        _ => {}
    }
}

/// One block's replacement: inline SVG in its themed wrapper, or a text block.
fn draw(block: &SpecBlock, settings: &Settings) -> Result<String, Error> {
    let mut options = Options {
        format: settings.format,
        max_width: settings.width,
        limits: Limits::default(),
        ..Options::default()
    };
    for word in &block.words {
        match word.as_str() {
            "svg" => options.format = Format::Svg,
            "text" => options.format = Format::Text,
            "ascii" => options.format = Format::Ascii,
            _ => match word
                .strip_prefix("width=")
                .or_else(|| word.strip_prefix("width:"))
                .and_then(|w| w.parse::<usize>().ok())
            {
                Some(width) if width > 0 => options.max_width = Some(width),
                _ => {
                    return Err(Diagnostic::new(format!(
                        "unknown option `{}` for archdraw mdbook",
                        word.escape_debug()
                    ))
                    .with_help("the options are `svg`, `text`, `ascii` and `width=N`")
                    .into());
                }
            },
        }
    }
    let imported = archdraw::import::read(&block.source, block.language, &options.limits)?;
    let drawing = archdraw::render_spec(&imported.spec, &options)?;
    if options.format == Format::Svg {
        // An HTML block ends at a blank line, so the SVG must have none.
        let svg: Vec<&str> = drawing.lines().filter(|l| !l.trim().is_empty()).collect();
        return Ok(format!(
            "<div class=\"archdraw-diagram\">\n<style>{BOOK_CSS}</style>\n{}\n</div>\n",
            svg.join("\n")
        ));
    }
    let longest = drawing.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let newline = if drawing.ends_with('\n') { "" } else { "\n" };
    Ok(format!("{fence}text\n{drawing}{newline}{fence}\n"))
}
