//! The command line, declared with clap's derive API; doc comments are the help text.
// Help text writes placeholders the usual way (`DIR/<spec name>.<ext>`), which rustdoc would
// otherwise take for unclosed HTML tags.
#![allow(rustdoc::invalid_html_tags)]

use std::path::{Path, PathBuf};

use archdraw::Options;
use archdraw::geom::Fit;
use archdraw::style::{AsciiText, Font, Style, Theme};
use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  archdraw render specs/five-box.yaml              draw a spec in the terminal
  archdraw render specs/lambda.yaml -o lambda.svg  write SVG (format from the extension)
  archdraw validate specs/*.yaml                   check specs, report every problem
  archdraw render specs/*.yaml --out-dir docs      one drawing per spec, docs/<name>.txt
  archdraw check specs/*.yaml --out-dir docs       fail (exit 1) if those drawings are stale
  archdraw md README.md                            refresh the drawings in a Markdown file
  archdraw render diagram.mmd                      draw a Mermaid flowchart (or graph.dot)
  archdraw convert diagram.mmd -o diagram.yaml     turn Mermaid or DOT into an archdraw spec

Exit status: 0 on success, 1 when check or md --check finds a stale drawing, 2 on a problem
with the input or the command line.";

const RENDER_EXAMPLES: &str = "\
Examples:
  archdraw render specs/five-box.yaml                draw with Unicode box lines
  archdraw render specs/five-box.yaml -f ascii       7-bit ASCII only
  archdraw render specs/five-box.yaml --width 80     fit into 80 columns
  archdraw render specs/lambda.yaml -o lambda.svg    SVG, chosen by the .svg extension
  archdraw render specs/kappa.yaml -f json           the layout as JSON
  cat spec.yaml | archdraw render -                  read the spec from standard input
  archdraw render flow.mmd                           a Mermaid flowchart (.mmd, .mermaid)
  archdraw render deps.dot -f ascii                  a Graphviz graph (.dot, .gv)
  terraform graph | archdraw render - --from dot     DOT from standard input
  archdraw render specs/lambda.yaml -f mermaid       the spec as Mermaid, for GitHub to render
  archdraw render specs/*.yaml --out-dir docs        docs/five-box.txt, docs/kappa.txt, …

-o replaces FILE only once the drawing is complete: on any error the old file stays as it was.
With --out-dir every spec is drawn before any file is written, so one bad spec changes nothing.";

const CHECK_EXAMPLES: &str = "\
Examples:
  archdraw check specs/*.yaml --out-dir docs           are docs/<name>.txt current?
  archdraw check specs/*.yaml --out-dir docs -f svg    are docs/<name>.svg current?
  archdraw check specs/*.yaml --out-dir docs -f png    are docs/<name>.png current (same bytes)?

Exit status: 0 when every drawing is current; 1 when one is stale (its diff is printed) or
missing; 2 when a spec has a problem or a file cannot be read.";

const MD_EXAMPLES: &str = "\
A fenced block whose info string is `archdraw` holds a spec; its drawing follows it in a
`text` block between <!-- archdraw:begin --> and <!-- archdraw:end -->, which archdraw
inserts or refreshes. Nothing else in the file changes. Options follow `archdraw` in the info
string: `ascii` for 7-bit output, `width=N` (or `width:N`) to fit N columns (```archdraw ascii
width=72).

Mermaid: a ```mermaid archdraw block (options after `archdraw`) holding a flowchart gets its
drawing the same way, and GitHub still renders the Mermaid; with --mermaid every ```mermaid
flowchart block does (other Mermaid diagrams are left alone, with a warning).

Source code: in any file that is not Markdown (or with --as code), each run of comment lines
starting with the same `//!`, `///`, `//`, `#` or `--` is read as Markdown, and the drawing is
kept inside the same comment, where rustdoc shows it.

Examples:
  archdraw md README.md docs/*.md       refresh every drawing in place
  archdraw md --check README.md         exit 1 with a diff if a drawing is stale
  archdraw md --mermaid README.md       draw the ```mermaid flowcharts too
  archdraw md src/lib.rs scripts/*.py   the drawings in source comments
  archdraw md - < in.md > out.md        as a filter

Exit status: 0 when done (or current), 1 when --check finds a stale drawing, 2 on a problem.";

const CONVERT_EXAMPLES: &str = "\
Reads a Mermaid flowchart or a DOT graph (by extension, or --from) and writes the archdraw YAML
spec it maps to. What archdraw cannot draw yet (shapes, dotted links, styles) is mapped to the
nearest thing it has, and each kind of loss is reported once on standard error.

Examples:
  archdraw convert diagram.mmd -o diagram.yaml
  archdraw convert deps.dot > deps.yaml
  cat flow.txt | archdraw convert - --from mermaid

-o replaces FILE only once the spec is complete: on any error the old file stays as it was.";

const MCP_HELP: &str = "\
A Model Context Protocol server for agents (stdio transport: JSON-RPC 2.0, one message per
line). Tools: `render` (spec, format, width, from: the drawing), `validate` (spec, from: every
problem, located) and `schema` (the spec's JSON Schema). See docs/agents.md.

Register it with a client, e.g. in a JSON config:
  {\"mcpServers\": {\"archdraw\": {\"command\": \"archdraw\", \"args\": [\"mcp\"]}}}

Exits 0 when standard input ends.";

const MDBOOK_HELP: &str = "\
In book.toml:

  [preprocessor.archdraw]
  command = \"archdraw mdbook\"
  # format = \"svg\"      svg (default for HTML; colours follow the book's theme), text or ascii
  # width = 80          fit text drawings into 80 columns
  # mermaid = true      draw every ```mermaid flowchart, not only ```mermaid archdraw

Each ```archdraw block (and ```mermaid archdraw) is replaced by its drawing, together with the
drawing `archdraw md` may have put after it. Options in a block's info string override the
book's: ```archdraw text width=72, ```archdraw svg. Errors name the chapter's file, line and
column, and stop the build.";

const WATCH_EXAMPLES: &str = "\
Takes the options of render. Each save of a spec redraws it (atomically, as render writes);
a spec with a problem gets its located message and the last good drawing stays.

Examples:
  archdraw watch specs/lambda.yaml                   redraw in the terminal on each save
  archdraw watch specs/lambda.yaml -o lambda.svg     keep lambda.svg current
  archdraw watch specs/*.yaml --out-dir docs         keep docs/<name>.txt current
  archdraw watch specs/lambda.yaml --serve           a live page, SVG and text side by side";

const VALIDATE_EXAMPLES: &str = "\
Examples:
  archdraw validate specs/five-box.yaml
  archdraw validate specs/*.yaml

Prints nothing and exits 0 when every spec is valid; otherwise prints every problem, each with
its file, line and column, and exits 2.";

/// Whiteboard-style architecture diagrams from YAML, as text and SVG.
#[derive(Debug, Parser)]
#[command(name = "archdraw", version, after_help = EXAMPLES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Draw a spec (YAML, Mermaid or DOT) as text, ASCII, SVG, PNG, JSON, Mermaid or DOT
    #[command(after_help = RENDER_EXAMPLES)]
    Render(RenderArgs),
    /// Draw specs, then again each time one is saved (Ctrl-C stops)
    #[command(after_help = WATCH_EXAMPLES)]
    Watch(WatchArgs),
    /// Check specs and report every problem, without drawing
    #[command(after_help = VALIDATE_EXAMPLES)]
    Validate(ValidateArgs),
    /// Re-draw specs and compare with the drawings in a folder; exit 1 if any is stale
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Insert or refresh the drawings of the archdraw blocks in Markdown files and code comments
    #[command(after_help = MD_EXAMPLES)]
    Md(MdArgs),
    /// Turn a Mermaid flowchart or a DOT graph into an archdraw YAML spec
    #[command(after_help = CONVERT_EXAMPLES)]
    Convert(ConvertArgs),
    /// Print the JSON Schema (draft-07) of a spec, for editors
    Schema,
    /// mdBook preprocessor: draws the archdraw blocks of a book (book.toml:
    /// [preprocessor.archdraw] command = "archdraw mdbook")
    #[command(after_help = MDBOOK_HELP)]
    Mdbook(MdbookArgs),
    /// Serve agents over MCP on standard input and output: tools render, validate, schema
    #[command(after_help = MCP_HELP)]
    Mcp,
    /// Print a shell completion script
    Completions(CompletionsArgs),
    /// Print the man page (roff), every subcommand and option in it: `archdraw man | man -l -`
    Man,
}

/// `archdraw render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The spec files; `-` reads standard input. Several need --out-dir
    #[arg(value_name = "SPEC", required = true)]
    pub specs: Vec<PathBuf>,
    /// Output format [default: from the extension of -o (.svg, .png, .json, .txt, .ascii, .mmd,
    /// .dot), else text]
    #[arg(short, long, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,
    /// The input's language [default: from its extension: .mmd or .mermaid is Mermaid, .dot or
    /// .gv is DOT, anything else YAML]
    #[arg(long, value_enum, value_name = "LANGUAGE")]
    pub from: Option<FromArg>,
    /// Write to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write each drawing to DIR/<spec name>.<txt|ascii.txt|svg|json|mmd|dot> instead (DIR is
    /// created if missing)
    #[arg(long, value_name = "DIR", conflicts_with = "output")]
    pub out_dir: Option<PathBuf>,
    /// Fit the drawing into N columns (overrides the spec's max_width)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub width: Option<u16>,
    #[command(flatten)]
    pub look: LookArgs,
    /// PNG pixels per SVG pixel [default: 2, less if needed to fit inside a 1920×1080 slide]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=16))]
    pub scale: Option<u32>,
}

/// The options that change how a drawing looks, shared by `render` and `check` (a drawing
/// checked must be drawn as it was rendered).
#[derive(Debug, Args)]
pub struct LookArgs {
    /// SVG and PNG colours (overrides the spec's theme); auto follows the viewer's browser
    #[arg(long, value_enum, value_name = "THEME")]
    pub theme: Option<Theme>,
    /// SVG and PNG drawn by hand: wobbly lines and a hand-drawn font (spec: style: sketch)
    #[arg(long)]
    pub sketch: bool,
    /// SVG and PNG typeface (overrides the spec's font); mono gives the terminal look
    #[arg(long, value_enum, value_name = "FONT")]
    pub font: Option<Font>,
    /// -f ascii: keep the words as written (only the lines are 7-bit) or spell them in 7-bit
    /// ASCII, with a note on stderr
    #[arg(long, value_enum, value_name = "HOW", default_value_t = AsciiText::Keep)]
    pub ascii_text: AsciiText,
    /// Shape the drawing for a page, width:height in SVG units: 16:9, 4:3, 1:1, or none
    /// (overrides the spec's fit) [default: 16:9 for SVG and PNG when the spec sets neither
    /// direction nor fit, else none]
    #[arg(long, value_name = "W:H", value_parser = parse_fit)]
    pub fit: Option<Fit>,
}

impl LookArgs {
    /// `options` with --theme, --sketch, --font (which override the spec's keys),
    /// --ascii-text and --fit.
    pub fn with_look(&self, options: Options) -> Options {
        Options {
            theme: self.theme,
            style: self.sketch.then_some(Style::Sketch),
            font: self.font,
            ascii_text: self.ascii_text,
            fit: self.fit.or(options.fit),
            ..options
        }
    }
}

/// `--fit`'s value: a ratio such as `16:9`, or `none`.
fn parse_fit(value: &str) -> Result<Fit, String> {
    value.parse::<Fit>()
}

impl RenderArgs {
    /// PNG pixels per SVG pixel, if given: without it, a PNG fits inside a slide.
    pub fn scale(&self) -> Option<u32> {
        self.scale
    }

    /// The options given that do nothing for `format` (`--theme` for text, `--scale` for SVG),
    /// by their flags, for a warning: an option must never be silently ignored.
    pub fn ignored_options(&self, format: FormatArg) -> Vec<&'static str> {
        let drawn = matches!(format, FormatArg::Svg | FormatArg::Png);
        let mut ignored = Vec::new();
        for (given, flag) in [
            (self.look.theme.is_some(), "--theme"),
            (self.look.sketch, "--sketch"),
            (self.look.font.is_some(), "--font"),
        ] {
            if given && !drawn {
                ignored.push(flag);
            }
        }
        if self.scale.is_some() && format != FormatArg::Png {
            ignored.push("--scale");
        }
        if self.width.is_some() && matches!(format, FormatArg::Mermaid | FormatArg::Dot) {
            ignored.push("--width");
        }
        if self.look.fit.is_some() && matches!(format, FormatArg::Mermaid | FormatArg::Dot) {
            ignored.push("--fit");
        }
        ignored
    }

    /// The format asked for, else the one the output file's extension names, else text.
    pub fn format(&self) -> FormatArg {
        self.format
            .or_else(|| self.output.as_deref().and_then(FormatArg::from_extension))
            .unwrap_or(FormatArg::Text)
    }

    /// A usage error when `-o FILE` has an extension that names no format archdraw writes
    /// (`x.pdf`) and no `-f` says which: writing text into it would look like success.
    pub fn unknown_extension(&self) -> Option<String> {
        let path = self.output.as_deref().filter(|p| !is_stdio(p))?;
        let extension = path.extension()?.to_str().unwrap_or("?");
        if self.format.is_some() || FormatArg::from_extension(path).is_some() {
            return None;
        }
        Some(format!(
            "archdraw cannot write .{extension} files: name the output .txt, .ascii, .svg, .png, \
             .json, .mmd or .dot, or choose the format with -f"
        ))
    }
}

/// `archdraw watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub render: RenderArgs,
    /// Also show the first spec on a page at http://127.0.0.1:PORT/ (SVG and text side by
    /// side, updated on each save, problems shown in the page); no PORT: any free one
    #[arg(long, value_name = "PORT", num_args = 0..=1, default_missing_value = "0")]
    pub serve: Option<u16>,
}

/// `archdraw validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The spec files; `-` reads standard input
    #[arg(value_name = "SPEC", required = true)]
    pub specs: Vec<PathBuf>,
    /// The inputs' language [default: from each one's extension]
    #[arg(long, value_enum, value_name = "LANGUAGE")]
    pub from: Option<FromArg>,
}

/// `archdraw convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The Mermaid or DOT file; `-` reads standard input (with --from)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Write the spec to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The input's language [default: from its extension: .mmd or .mermaid is Mermaid, .dot or
    /// .gv is DOT, anything else YAML]
    #[arg(long, value_enum, value_name = "LANGUAGE")]
    pub from: Option<FromArg>,
}

/// `archdraw check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The spec files
    #[arg(value_name = "SPEC", required = true)]
    pub specs: Vec<PathBuf>,
    /// The folder holding the drawings, DIR/<spec name>.<txt|ascii.txt|svg|json|mmd|dot>
    #[arg(long, value_name = "DIR")]
    pub out_dir: PathBuf,
    /// The format the drawings are in [default: text]
    #[arg(short, long, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,
    /// The --width they were drawn with
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub width: Option<u16>,
    /// The --scale PNG drawings were drawn with [default: 2]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=16))]
    pub scale: Option<u32>,
    #[command(flatten)]
    pub look: LookArgs,
}

/// `archdraw md`.
#[derive(Debug, Args)]
pub struct MdArgs {
    /// The Markdown or source files; `-` reads standard input and writes the result to
    /// standard output
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Change nothing; exit 1 with a diff if a drawing is stale
    #[arg(long)]
    pub check: bool,
    /// Draw every ```mermaid flowchart block too, not only those marked ```mermaid archdraw
    #[arg(long)]
    pub mermaid: bool,
    /// How to read the files [default: by extension: .md, .markdown, .mdx, .txt (and no
    /// extension, and standard input) are Markdown, any other is source code]
    #[arg(long = "as", value_enum, value_name = "KIND")]
    pub kind: Option<DocumentKind>,
}

/// `md --as`: where the blocks are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocumentKind {
    /// A Markdown document
    Markdown,
    /// Source code: the blocks are in `//!`, `///`, `//`, `#` or `--` comments
    Code,
}

impl DocumentKind {
    /// What a file's name implies: Markdown for Markdown and text files, and for names
    /// without an extension (README) and standard input; source code for the rest.
    pub fn of(path: &Path) -> Self {
        let Some(extension) = path.extension().and_then(|e| e.to_str()) else {
            return Self::Markdown;
        };
        let markdown = ["md", "markdown", "mdown", "mkd", "mkdn", "mdwn", "mdx", "qmd", "rmd"];
        let extension = extension.to_ascii_lowercase();
        if markdown.contains(&extension.as_str()) || extension == "txt" {
            Self::Markdown
        } else {
            Self::Code
        }
    }
}

/// `archdraw mdbook`.
#[derive(Debug, Args)]
pub struct MdbookArgs {
    /// Without a subcommand: read [context, book] from standard input, write the book
    #[command(subcommand)]
    pub command: Option<MdbookCommand>,
}

/// `archdraw mdbook supports`.
#[derive(Debug, Subcommand)]
pub enum MdbookCommand {
    /// Exit 0: every renderer is supported (SVG for html, text for the others)
    Supports {
        /// The renderer mdBook asks about
        renderer: String,
    },
}

/// `archdraw completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// `-f` / `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Unicode box drawing
    Text,
    /// 7-bit ASCII only
    Ascii,
    /// A standalone SVG document
    Svg,
    /// The layout as JSON
    Json,
    /// A PNG picture of the SVG (--scale), drawn without a browser
    Png,
    /// A Mermaid flowchart of the diagram (GitHub renders it)
    Mermaid,
    /// A Graphviz DOT digraph of the diagram
    Dot,
}

/// `--from`: the language a diagram is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FromArg {
    /// An archdraw YAML spec
    Yaml,
    /// A Mermaid flowchart (`flowchart LR`, `graph TD`)
    Mermaid,
    /// A Graphviz DOT graph (`digraph { … }`)
    Dot,
}

impl From<FromArg> for archdraw::import::Language {
    fn from(from: FromArg) -> Self {
        match from {
            FromArg::Yaml => Self::Yaml,
            FromArg::Mermaid => Self::Mermaid,
            FromArg::Dot => Self::Dot,
        }
    }
}

impl FormatArg {
    /// The format an output file name implies: `.svg`, `.png`, `.json`, `.txt`, `.ascii` (and
    /// `.ascii.txt`), `.mmd`, `.dot` (any case).
    pub fn from_extension(path: &Path) -> Option<Self> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        // `x.ascii.txt` is what --out-dir writes for ASCII, so it reads back as ASCII.
        if name.ends_with(".ascii.txt") {
            return Some(Self::Ascii);
        }
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "ascii" => Some(Self::Ascii),
            "svg" => Some(Self::Svg),
            "png" => Some(Self::Png),
            "json" => Some(Self::Json),
            // A drawing for a Markdown or AsciiDoc file is the text drawing.
            "txt" | "text" | "md" | "markdown" | "adoc" => Some(Self::Text),
            "mmd" | "mermaid" => Some(Self::Mermaid),
            "dot" | "gv" => Some(Self::Dot),
            _ => None,
        }
    }

    /// Whether the output is text for a terminal, where a width limit applies.
    pub const fn is_text(self) -> bool {
        matches!(self, Self::Text | Self::Ascii)
    }
}

impl From<FormatArg> for archdraw::Format {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Text => Self::Text,
            FormatArg::Ascii => Self::Ascii,
            // A PNG is the SVG rasterised; main.rs draws it through archdraw::render::png.
            FormatArg::Svg | FormatArg::Png => Self::Svg,
            FormatArg::Json => Self::Json,
            FormatArg::Mermaid => Self::Mermaid,
            FormatArg::Dot => Self::Dot,
        }
    }
}

/// Whether a path argument means standard input or output.
pub fn is_stdio(path: &Path) -> bool {
    path.as_os_str() == "-"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn format_comes_from_the_flag_then_the_extension() {
        let args = |argv: &[&str]| match Cli::try_parse_from(argv).map(|c| c.command) {
            Ok(Command::Render(args)) => args.format(),
            other => panic!("{other:?}"),
        };
        assert_eq!(args(&["archdraw", "render", "x.yaml"]), FormatArg::Text);
        assert_eq!(args(&["archdraw", "render", "x.yaml", "-o", "a.SVG"]), FormatArg::Svg);
        assert_eq!(args(&["archdraw", "render", "x.yaml", "-o", "a.json"]), FormatArg::Json);
        assert_eq!(args(&["archdraw", "render", "x.yaml", "-o", "a.Png"]), FormatArg::Png);
        assert_eq!(args(&["archdraw", "render", "x.yaml", "-o", "a.md"]), FormatArg::Text);
        assert_eq!(args(&["archdraw", "render", "x.yaml", "-o", "a.mmd"]), FormatArg::Mermaid);
        assert_eq!(args(&["archdraw", "render", "x.yaml", "-o", "a.GV"]), FormatArg::Dot);
        let unknown = |argv: &[&str]| match Cli::try_parse_from(argv).map(|c| c.command) {
            Ok(Command::Render(args)) => args.unknown_extension(),
            other => panic!("{other:?}"),
        };
        assert!(
            unknown(&["archdraw", "render", "x", "-o", "a.pdf"])
                .is_some_and(|e| e.contains(".pdf"))
        );
        assert_eq!(unknown(&["archdraw", "render", "x", "-o", "a.pdf", "-f", "svg"]), None);
        assert_eq!(unknown(&["archdraw", "render", "x", "-o", "drawing"]), None);
        assert_eq!(unknown(&["archdraw", "render", "x", "-o", "a.TXT"]), None);
        assert_eq!(
            args(&["archdraw", "render", "x", "-o", "a.svg", "-f", "ascii"]),
            FormatArg::Ascii
        );
    }

    #[test]
    fn width_zero_is_a_usage_error() {
        assert!(Cli::try_parse_from(["archdraw", "render", "x", "--width", "0"]).is_err());
    }
}
