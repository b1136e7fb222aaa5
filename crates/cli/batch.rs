//! Many specs at once: `archdraw render SPEC... --out-dir DIR` writes `DIR/<stem>.<ext>` for
//! each, and `archdraw check SPEC... --out-dir DIR` tells whether those files are current.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, anyhow};
use archdraw::{Limits, Options};

use crate::args::{CheckArgs, FormatArg, FromArg, RenderArgs, is_stdio};
use crate::{FAILURE, Source, output, report, stderr};

/// Exit status of `check` when a file is stale or missing.
pub const STALE: u8 = 1;

/// The file name extension for a format's output.
pub fn extension(format: FormatArg) -> &'static str {
    match format {
        FormatArg::Text => "txt",
        // Distinct from text, so both can be drawn into one folder.
        FormatArg::Ascii => "ascii.txt",
        FormatArg::Svg => "svg",
        FormatArg::Json => "json",
        FormatArg::Png => "png",
        FormatArg::Mermaid => "mmd",
        FormatArg::Dot => "dot",
    }
}

/// One spec and the file its drawing belongs in.
struct Job<'a> {
    spec: &'a Path,
    target: PathBuf,
}

/// `DIR/<stem>.<ext>` for each spec; a usage error when a spec has no file name (standard
/// input) or two specs would share one output file.
fn jobs<'a>(specs: &'a [PathBuf], dir: &Path, format: FormatArg) -> anyhow::Result<Vec<Job<'a>>> {
    let mut seen: BTreeMap<PathBuf, &Path> = BTreeMap::new();
    let mut jobs = Vec::with_capacity(specs.len());
    for spec in specs {
        let stem = (!is_stdio(spec)).then(|| spec.file_stem()).flatten().ok_or_else(|| {
            anyhow!(
                "--out-dir names each output after its spec, so {} cannot be used",
                spec.display()
            )
        })?;
        // Not `with_extension`: `a.b.yaml` has the stem `a.b`, whose `.b` must stay.
        let mut name = stem.to_os_string();
        name.push(".");
        name.push(extension(format));
        let target = dir.join(name);
        if let Some(first) = seen.insert(target.clone(), spec) {
            return Err(anyhow!(
                "{} and {} would both be drawn to {}; rename one of them",
                first.display(),
                spec.display(),
                target.display()
            ));
        }
        jobs.push(Job { spec, target });
    }
    Ok(jobs)
}

/// Reads, checks and draws one spec (in `from`, or the language its extension names); prints
/// its problems and returns `None` if it has any. A PNG is drawn at `scale`, else to fit a slide.
fn draw(
    spec: &Path,
    options: &Options,
    format: FormatArg,
    from: Option<FromArg>,
    scale: Option<u32>,
) -> Option<Vec<u8>> {
    let limits = &options.limits;
    let source = match Source::read(spec, limits).map(|s| s.in_language(from)) {
        Ok(source) => source,
        Err(error) => {
            stderr(&format!("archdraw: {}\n", report::sanitize(&format!("{error:#}"))));
            return None;
        }
    };
    let parsed = source.parse(limits);
    let drawn = parsed.and_then(|parsed| {
        if format == FormatArg::Png {
            return png(&source.name, &parsed, options, scale);
        }
        let drawing = archdraw::render_spec(&parsed, options)?;
        let limit = options.max_width.or(parsed.max_width.as_ref().map(|w| w.value));
        crate::warn_if_too_wide(&source.name, &drawing, limit, format);
        Ok(drawing.into_bytes())
    });
    match drawn {
        Ok(drawing) => Some(drawing),
        Err(error) => {
            source.fail(&error);
            None
        }
    }
}

#[cfg(feature = "png")]
fn png(
    name: &str,
    spec: &archdraw::Spec,
    options: &Options,
    scale: Option<u32>,
) -> Result<Vec<u8>, archdraw::Error> {
    let drawn = crate::draw_png(spec, options, scale)?;
    crate::warn_if_undrawn(name, &drawn.missing);
    Ok(drawn.png)
}

#[cfg(not(feature = "png"))]
fn png(
    _: &str,
    _: &archdraw::Spec,
    _: &Options,
    _: Option<u32>,
) -> Result<Vec<u8>, archdraw::Error> {
    Err(archdraw::Diagnostic::new(
        "this archdraw was built without PNG support (cargo feature `png`)",
    )
    .into())
}

fn options(format: FormatArg, width: Option<u16>) -> Options {
    let limits = Limits::default();
    Options {
        format: format.into(),
        max_width: width.map(usize::from),
        limits,
        ..Options::default()
    }
}

/// `archdraw render SPEC... --out-dir DIR`: every spec is drawn before any file is written,
/// so one bad spec leaves every output as it was.
pub fn render_to_dir(args: &RenderArgs, dir: &Path) -> anyhow::Result<ExitCode> {
    let format = args.format.unwrap_or(FormatArg::Text);
    let jobs = jobs(&args.specs, dir, format)?;
    crate::warn_if_ignored(args, format);
    let options = args.look.with_look(options(format, args.width));
    let mut drawings = Vec::with_capacity(jobs.len());
    let mut failed = false;
    for job in &jobs {
        match draw(job.spec, &options, format, args.from, args.scale()) {
            Some(drawing) => drawings.push(drawing),
            None => failed = true,
        }
    }
    if failed {
        return Ok(ExitCode::from(FAILURE));
    }
    // Made only now that every drawing is ready, so a bad spec leaves no empty folder.
    if !dir.is_dir() {
        fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    }
    // Every file written before any is renamed: a full disk or a read-only file stops the
    // batch with every target as it was (dropping the prepared ones removes their temporary
    // files).
    let prepared = jobs
        .iter()
        .zip(&drawings)
        .map(|(job, drawing)| output::prepare(&job.target, drawing))
        .collect::<anyhow::Result<Vec<_>>>()?;
    for file in prepared {
        file.commit(None)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `archdraw check`: 0 when every file is current, 1 with a diff for each stale or missing
/// one, 2 when a spec cannot be drawn (that wins: the comparison means nothing then).
pub fn check(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let format = args.format.unwrap_or(FormatArg::Text);
    let jobs = jobs(&args.specs, &args.out_dir, format)?;
    let options = args.look.with_look(options(format, args.width));
    let (mut failed, mut stale) = (false, false);
    let mut diffs = String::new();
    for job in &jobs {
        let Some(drawing) = draw(job.spec, &options, format, None, args.scale) else {
            failed = true;
            continue;
        };
        let name = job.target.display().to_string();
        let on_disk = match read_capped(&job.target, drawing.len()) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                stderr(&format!(
                    "archdraw: {} is missing; draw it with `archdraw render {} --out-dir {}`\n",
                    report::sanitize(&name),
                    report::sanitize(&job.spec.display().to_string()),
                    report::sanitize(&args.out_dir.display().to_string()),
                ));
                stale = true;
                continue;
            }
            Err(error) => return Err(error).with_context(|| format!("cannot read {name}")),
        };
        if on_disk != drawing {
            stale = true;
            if format == FormatArg::Png {
                // Same spec, same bytes (resvg with the bundled fonts only): any change is real.
                stderr(&format!(
                    "archdraw: {} is stale: its pixels differ from a new drawing\n",
                    report::sanitize(&name)
                ));
                continue;
            }
            stderr(&format!("archdraw: {} is stale\n", report::sanitize(&name)));
            let new = String::from_utf8_lossy(&drawing);
            diffs.push_str(&unified_diff(&String::from_utf8_lossy(&on_disk), &new, &name));
        }
    }
    if !diffs.is_empty() {
        output::write_stdout(diffs.as_bytes()).context("writing the diff")?;
    }
    Ok(exit_code(failed, stale))
}

/// The file at `path`, read to at most one byte more than `expected` (plus a margin for the
/// diff to show): a drawing is compared with what it should be, so a longer file is stale
/// whatever the rest holds, and a link to `/dev/zero` or a huge file is not read whole.
fn read_capped(path: &Path, expected: usize) -> io::Result<Vec<u8>> {
    use std::io::Read as _;
    let cap = expected.saturating_add(64 << 10);
    let mut bytes = Vec::new();
    fs::File::open(path)?.take(cap as u64 + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Bad input wins over a stale drawing, which wins over success.
pub fn exit_code(failed: bool, stale: bool) -> ExitCode {
    if failed {
        ExitCode::from(FAILURE)
    } else if stale {
        ExitCode::from(STALE)
    } else {
        ExitCode::SUCCESS
    }
}

/// A unified diff from what is on disk to what it should be, `diff -u` style, with control
/// characters (an ANSI escape in a stale file) made harmless for the terminal.
pub fn unified_diff(old: &str, new: &str, name: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("{name} (on disk)"), &format!("{name} (rendered)"))
        .missing_newline_hint(true)
        .to_string();
    text.lines().map(|line| format!("{}\n", report::sanitize(line))).collect()
}
