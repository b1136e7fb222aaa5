//! `quality`: the drawing-quality benchmark of issue 12. See `bench/QUALITY.md` for what every
//! column means and how the baselines are made.
//!
//! ```text
//! quality [--check] [--refresh] [--pictures] [--sizes 100,1000,10000 | --no-generated]
//!         [--only NAME] [--out DIR]
//! ```
//!
//! - Over `bench/quality/specs/*.yaml` (the corpus) and `specs/*.yaml` (the gallery): read-back
//!   in text and ASCII, size against `max_width`, crossings against dot's, area against
//!   Graph::Easy's, the frames' cost, words broken or changed, bends per arrow.
//! - Over the generated layered graphs: crossings and area per box against dot's, rank stretch.
//! - Prints Markdown tables to standard output, progress to standard error; writes every
//!   drawing (text, ASCII, the DOT and Graph::Easy inputs) to `bench/quality/out/`, with
//!   `--pictures` also dot's PNG and Graph::Easy's drawing.
//! - dot and Graph::Easy results come from `bench/quality/baselines/` when the input is
//!   unchanged; missing ones are measured and added. `--refresh` measures everything again.
//! - `--check`: only parse, lay out and render every spec (text, ASCII, JSON, SVG); no tools.
//!
//! Exit status: 1 when a spec fails to parse or render, or (not with `--check`) a read-back or a
//! baseline fails; 2 on bad arguments.

#[path = "../../../tests/readback/mod.rs"]
mod readback;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use archdraw::layout::LayoutOptions;
use archdraw::model::text::TextBlock;
use archdraw::render::text::Charset;
use archdraw::{Diagram, Format, Layout, Options};
use archdraw_bench::quality::cache::{self, Cache};
use archdraw_bench::quality::dot::{self, DotMeasures};
use archdraw_bench::quality::drawn::{CrossSpan, Drawn, Stretch, WordCount, stretch};
use archdraw_bench::quality::figure::{self, Figure};
use archdraw_bench::quality::{graph_easy, matching, median};
use serde::{Deserialize, Serialize};

const USAGE: &str = "usage: quality [--check] [--refresh] [--pictures] [--sizes N,N,… | \
                     --no-generated] [--seed N] [--only NAME] [--out DIR]";

/// Seconds Graph::Easy may take on one spec before it counts as failed.
const GRAPH_EASY_TIMEOUT_S: u64 = 300;

/// The generator seed by default (the one `compare.sh` and the criterion benches use); other
/// seeds (`--seed`) show whether a change to the generated graphs' numbers is more than luck.
const SEED: u64 = 1;

#[derive(Debug)]
struct Args {
    check: bool,
    refresh: bool,
    pictures: bool,
    sizes: Vec<usize>,
    seed: u64,
    only: Option<String>,
    out: PathBuf,
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("quality: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("quality: {message}");
            ExitCode::FAILURE
        }
    }
}

fn parse_args() -> Result<Args, String> {
    let root = repo_root();
    let mut args = Args {
        check: false,
        refresh: false,
        pictures: false,
        sizes: vec![100, 1000, 10_000],
        seed: SEED,
        only: None,
        out: root.join("bench/quality/out"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--check" => args.check = true,
            "--refresh" => args.refresh = true,
            "--pictures" => args.pictures = true,
            "--no-generated" => args.sizes.clear(),
            "--sizes" => {
                let list = it.next().ok_or("--sizes needs a list")?;
                args.sizes = list
                    .split(',')
                    .map(|n| n.trim().parse().map_err(|_| format!("--sizes: {n:?} is no number")))
                    .collect::<Result<_, _>>()?;
            }
            "--seed" => {
                let seed = it.next().ok_or("--seed needs a number")?;
                args.seed = seed.parse().map_err(|_| format!("--seed: {seed:?} is no number"))?;
            }
            "--only" => args.only = Some(it.next().ok_or("--only needs a name")?),
            "--out" => args.out = PathBuf::from(it.next().ok_or("--out needs a folder")?),
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }
    Ok(args)
}

/// The workspace root: this crate lives in `bench/`.
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_owned)
}

/// `*.yaml` in `dir`, sorted by name.
fn specs_in(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    Ok(files)
}

fn stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

fn run(args: &Args) -> Result<bool, String> {
    let root = repo_root();
    let sets = [
        ("Corpus (bench/quality/specs)", specs_in(&root.join("bench/quality/specs"))?),
        ("Gallery (specs)", specs_in(&root.join("specs"))?),
    ];
    let selected = |p: &PathBuf| args.only.as_ref().is_none_or(|o| stem(p).contains(o.as_str()));

    if args.check {
        let mut ok = true;
        for (_, files) in &sets {
            for path in files.iter().filter(|p| selected(p)) {
                match check_renders(path) {
                    Ok(()) => eprintln!("ok   {}", path.display()),
                    Err(e) => {
                        eprintln!("FAIL {}: {e}", path.display());
                        ok = false;
                    }
                }
            }
        }
        return Ok(ok);
    }

    std::fs::create_dir_all(&args.out).map_err(|e| format!("{}: {e}", args.out.display()))?;
    let baselines = root.join("bench/quality/baselines");
    let mut tools = Tools {
        dot: Cache::load(&baselines.join("dot.jsonl"))?,
        graph_easy: Cache::load(&baselines.join("graph-easy.jsonl"))?,
        dot_version: dot::version(),
        graph_easy_version: graph_easy::version(),
        refresh: args.refresh,
        pictures: args.pictures,
        out: args.out.clone(),
        warnings: Vec::new(),
    };

    let mut ok = true;
    let mut report = String::new();
    let started = Instant::now();
    for (title, files) in &sets {
        let mut rows = Vec::new();
        for path in files.iter().filter(|p| selected(p)) {
            let t = Instant::now();
            match measure_spec(path, &mut tools) {
                Ok(row) => {
                    ok &= row.readback_text.is_ok() && row.readback_ascii.is_ok();
                    eprintln!("{:>6} ms  {}", t.elapsed().as_millis(), path.display());
                    rows.push(row);
                }
                Err(e) => {
                    eprintln!("FAIL {}: {e}", path.display());
                    ok = false;
                }
            }
        }
        if !rows.is_empty() {
            let _ = writeln!(report, "### {title}\n");
            report.push_str(&spec_table(&rows));
            report.push('\n');
        }
    }
    if !args.sizes.is_empty() {
        let mut rows = Vec::new();
        for &n in &args.sizes {
            let t = Instant::now();
            match measure_generated(n, args.seed, &mut tools) {
                Ok(row) => {
                    eprintln!("{:>6} ms  generated {n}", t.elapsed().as_millis());
                    rows.push(row);
                }
                Err(e) => {
                    eprintln!("FAIL generated {n}: {e}");
                    ok = false;
                }
            }
        }
        let _ = writeln!(report, "### Generated layered graphs (seed {})\n", args.seed);
        report.push_str(&generated_table(&rows));
        report.push('\n');
    }

    // Prune stale baselines only when everything ran, so a partial run keeps the rest.
    let whole = args.only.is_none() && args.sizes == [100, 1000, 10_000] && args.seed == SEED;
    tools.dot.save(whole)?;
    tools.graph_easy.save(whole)?;

    let tool_line = format!(
        "dot {}, Graph::Easy {}",
        tools.dot_version.as_deref().unwrap_or("(not installed: cached baselines)"),
        tools.graph_easy_version.as_deref().unwrap_or("(not installed: cached baselines)")
    );
    print!("{report}");
    println!("{tool_line}; {:.1} s.", started.elapsed().as_secs_f64());
    for w in &tools.warnings {
        eprintln!("quality: warning: {w}");
    }
    if !ok {
        eprintln!("quality: some specs failed (see above)");
    }
    Ok(ok)
}

/// Parses, lays out and renders `path` in every format: what `--check` asks of each spec.
fn check_renders(path: &Path) -> Result<(), String> {
    let src = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    for format in [Format::Text, Format::Ascii, Format::Json, Format::Svg] {
        let options = Options { format, ..Options::default() };
        archdraw::render(&src, &options).map_err(|e| format!("{format:?}: {e}"))?;
    }
    Ok(())
}

/// The external tools and their caches.
struct Tools {
    dot: Cache<DotMeasures>,
    graph_easy: Cache<GraphEasyMeasures>,
    dot_version: Option<String>,
    graph_easy_version: Option<String>,
    refresh: bool,
    pictures: bool,
    out: PathBuf,
    warnings: Vec<String>,
}

/// What Graph::Easy's boxart measured, or why it has no drawing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum GraphEasyMeasures {
    Drawn { width: usize, height: usize },
    Failed { reason: String },
}

impl Tools {
    /// dot's measures for `source` (cached, or measured now); `name` labels the cache entry.
    fn dot(
        &mut self,
        name: &str,
        source: &str,
        measure: impl FnOnce(&dot::DotLayout) -> Option<Stretch>,
    ) -> Result<DotMeasures, String> {
        let key = cache::key(source);
        if !self.refresh
            && let Some(entry) = self.dot.get(&key)
        {
            if let Some(v) = &self.dot_version
                && *v != entry.version
            {
                self.warnings.push(format!(
                    "{name}: dot baseline from dot {}, installed {v} (--refresh to redo)",
                    entry.version
                ));
            }
            return Ok(entry.value.clone());
        }
        let Some(version) = self.dot_version.clone() else {
            return Err(format!("{name}: no cached dot baseline and dot is not installed"));
        };
        eprintln!("          running dot on {name} …");
        let (json, stderr) = dot::run(source, "json")?;
        let json = String::from_utf8(json).map_err(|e| format!("dot: {e}"))?;
        let layout = dot::read(&json, &stderr)?;
        let mut measures = layout.measures.clone();
        measures.stretch = measure(&layout);
        self.dot.insert(&key, name, &version, measures.clone());
        Ok(measures)
    }

    fn graph_easy(&mut self, name: &str, input: &str) -> GraphEasyMeasures {
        let key = cache::key(input);
        if !self.refresh
            && !self.pictures
            && let Some(entry) = self.graph_easy.get(&key)
        {
            return entry.value.clone();
        }
        let Some(version) = self.graph_easy_version.clone() else {
            return match self.graph_easy.get(&key) {
                Some(entry) => entry.value.clone(),
                None => GraphEasyMeasures::Failed { reason: "graph-easy not installed".into() },
            };
        };
        let measures = match graph_easy::run(input, GRAPH_EASY_TIMEOUT_S) {
            Ok(drawing) => {
                let _ = std::fs::write(self.out.join(format!("{name}.graph-easy.txt")), &drawing);
                let (width, height) = graph_easy::measure(&drawing);
                GraphEasyMeasures::Drawn { width, height }
            }
            Err(reason) => GraphEasyMeasures::Failed { reason },
        };
        self.graph_easy.insert(&key, name, &version, measures.clone());
        measures
    }
}

/// Everything measured on one spec.
#[derive(Debug)]
struct SpecRow {
    name: String,
    direction: String,
    spec_direction: String,
    boxes: usize,
    arrows: usize,
    services: usize,
    groups: usize,
    readback_text: Result<(), String>,
    readback_ascii: Result<(), String>,
    size: (usize, usize),
    max_width: Option<usize>,
    crossings: usize,
    dot: DotMeasures,
    graph_easy: GraphEasyMeasures,
    /// Area with the groups ÷ area of the same spec without them.
    group_cost: Option<f64>,
    words_text: WordCount,
    words_ascii: WordCount,
    bends: usize,
    max_bends: usize,
    /// Routes drawn: the spec's arrows and the service arrows.
    route_count: usize,
}

impl SpecRow {
    fn area(&self) -> usize {
        self.size.0 * self.size.1
    }

    fn graph_easy_area(&self) -> Option<usize> {
        match self.graph_easy {
            GraphEasyMeasures::Drawn { width, height } => Some(width * height),
            GraphEasyMeasures::Failed { .. } => None,
        }
    }

    fn area_ratio(&self) -> Option<f64> {
        self.graph_easy_area().map(|ge| self.area() as f64 / ge as f64)
    }

    fn fits(&self) -> Option<bool> {
        self.max_width.map(|m| self.size.0 <= m)
    }

    fn routes(&self) -> usize {
        self.route_count
    }
}

fn parse_diagram(src: &str) -> Result<Diagram, String> {
    let spec = archdraw::parse(src).map_err(|e| e.to_string())?;
    Diagram::from_spec(&spec).map_err(|e| e.to_string())
}

/// The layout of `diagram` and its `-f json` form.
fn lay_out(diagram: &Diagram) -> Result<(Layout, Drawn), String> {
    let layout = archdraw::layout(diagram, &LayoutOptions::default());
    let json = serde_json::to_string(&layout).map_err(|e| e.to_string())?;
    Ok((layout, Drawn::from_json(&json)?))
}

fn measure_spec(path: &Path, tools: &mut Tools) -> Result<SpecRow, String> {
    let name = stem(path);
    let src = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let diagram = parse_diagram(&src)?;

    // The drawings exactly as `archdraw render` makes them, and the layouts they come from.
    let (text_layout, drawn) = lay_out(&diagram)?;
    let text = archdraw::render::text::render(&text_layout, Charset::Unicode);
    let (ascii_layout, ascii_drawn) = lay_out(&diagram)?;
    let ascii = archdraw::render::text::render(&ascii_layout, Charset::Ascii);
    for (format, drawing) in [(Format::Text, &text), (Format::Ascii, &ascii)] {
        let cli = archdraw::render(&src, &Options { format, ..Options::default() })
            .map_err(|e| e.to_string())?;
        if cli != *drawing {
            return Err(format!("{format:?}: the benchmark's drawing differs from render()'s"));
        }
    }
    let _ = std::fs::write(tools.out.join(format!("{name}.txt")), &text);
    let _ = std::fs::write(tools.out.join(format!("{name}.ascii.txt")), &ascii);

    // The reader's own charset type: it may stop sharing the library's.
    let readback_text = read_back(&text, readback::Charset::Unicode, &diagram);
    let readback_ascii = read_back(&ascii, readback::Charset::Ascii, &diagram);

    let figure = Figure::new(&diagram, &drawn);
    let dot_source = dot::to_dot(&figure);
    let _ = std::fs::write(tools.out.join(format!("{name}.dot")), &dot_source);
    let dot = tools.dot(&name, &dot_source, |_| None)?;
    if tools.pictures {
        match dot::run(&dot_source, "png") {
            Ok((png, _)) => {
                let _ = std::fs::write(tools.out.join(format!("{name}.dot.png")), png);
            }
            Err(e) => tools.warnings.push(format!("{name}: dot -Tpng: {e}")),
        }
    }
    let ge_input = graph_easy::to_graph_easy(&figure);
    let _ = std::fs::write(tools.out.join(format!("{name}.graph-easy.in")), &ge_input);
    let graph_easy = tools.graph_easy(&name, &ge_input);

    let group_cost = if diagram.groups.is_empty() {
        None
    } else {
        let mut spec = archdraw::parse(&src).map_err(|e| e.to_string())?;
        spec.groups.clear();
        let plain = Diagram::from_spec(&spec).map_err(|e| e.to_string())?;
        let (_, plain) = lay_out(&plain)?;
        Some((drawn.width * drawn.height) as f64 / (plain.width * plain.height) as f64)
    };

    let bends = drawn.bends();
    Ok(SpecRow {
        name,
        direction: drawn.direction.clone(),
        spec_direction: format!("{:?}", diagram.direction).to_lowercase(),
        boxes: diagram.nodes.len(),
        arrows: diagram.edges.len(),
        services: diagram.services.len(),
        groups: diagram.groups.len(),
        readback_text,
        readback_ascii,
        size: (drawn.width, drawn.height),
        max_width: diagram.max_width,
        crossings: drawn.crossings()?,
        dot,
        graph_easy,
        group_cost,
        words_text: figure::word_count(&diagram, &drawn),
        words_ascii: figure::word_count(&diagram, &ascii_drawn),
        bends: bends.iter().sum(),
        max_bends: bends.iter().copied().max().unwrap_or(0),
        route_count: bends.len(),
    })
}

// ---------------------------------------------------------------------------------------------
// Read-back: the test suite's reader (tests/readback), judged as tests/specs.rs judges it.

/// Reads `drawing` back and compares it with `diagram` (the form of the spec that drawing was
/// made from): every box and service drawn with its title, exactly the spec's arrows and
/// service arrows, one frame per group, nothing overlapping, no trailing spaces. Found boxes
/// are matched to the spec's by their text ([`matching`]); the spec's arrows, named as the
/// reader names those boxes, must be exactly the arrows the reader found.
fn read_back(drawing: &str, charset: readback::Charset, diagram: &Diagram) -> Result<(), String> {
    readback::no_trailing_spaces(drawing)?;
    let picture = readback::read_back(drawing, charset)?;
    readback::boxes_do_not_overlap(&picture)?;
    if picture.boxes.len() != diagram.nodes.len() {
        return Err(format!(
            "{} boxes drawn, {} in the spec",
            picture.boxes.len(),
            diagram.nodes.len()
        ));
    }
    let found: Vec<(&str, &[String])> =
        picture.boxes.iter().map(|b| (b.name.as_str(), b.lines.as_slice())).collect();
    let titles: Vec<Vec<&str>> = diagram.nodes.iter().map(|n| words(&n.title)).collect();
    let box_names = matching::found_names(&found, &titles)?;
    let found: Vec<(&str, &[String])> =
        picture.services.iter().map(|s| (s.name.as_str(), s.lines.as_slice())).collect();
    let titles: Vec<Vec<&str>> = diagram.services.iter().map(|s| words(&s.title)).collect();
    let service_names = matching::found_names(&found, &titles)?;

    let arrows =
        diagram.edges.iter().map(|e| (box_names[e.from.0].clone(), box_names[e.to.0].clone()));
    let services = diagram
        .services
        .iter()
        .zip(&service_names)
        .flat_map(|(s, name)| s.serves.iter().map(|n| (name.clone(), box_names[n.0].clone())));
    let mut expected: Vec<readback::Pair> = arrows.chain(services).collect();
    expected.sort();
    let (missing, extra) = readback::multiset_diff(&expected, &picture.edges);
    if !missing.is_empty() || !extra.is_empty() {
        return Err(format!("arrows missing {missing:?}, extra {extra:?}"));
    }
    let mut frames: Vec<String> = picture.frames.iter().map(|f| f.title.clone()).collect();
    let mut groups: Vec<String> =
        diagram.groups.iter().map(|g| words(&g.title).join(" ")).collect();
    frames.sort();
    groups.sort();
    if frames != groups {
        return Err(format!("frames {frames:?}, groups {groups:?}"));
    }
    Ok(())
}

fn words(block: &TextBlock) -> Vec<&str> {
    block.lines.iter().flat_map(|l| l.text.split_whitespace()).collect()
}

// ---------------------------------------------------------------------------------------------
// Generated graphs.

#[derive(Debug)]
struct GeneratedRow {
    boxes: usize,
    arrows: usize,
    crossings: usize,
    dot: DotMeasures,
    area: usize,
    stretch: Stretch,
    bends: usize,
    routes: usize,
}

fn measure_generated(n: usize, seed: u64, tools: &mut Tools) -> Result<GeneratedRow, String> {
    let graph = archdraw_bench::layered(n, seed);
    let limits = archdraw_bench::benchmark_limits();
    let yaml = graph.to_yaml();
    let spec = archdraw::parse_with_limits(&yaml, &limits).map_err(|e| e.to_string())?;
    let diagram = Diagram::from_spec_with_limits(&spec, &limits).map_err(|e| e.to_string())?;
    let (_, drawn) = lay_out(&diagram)?;
    let ranks = graph.rank_of_boxes();
    let vertical = drawn.is_vertical();
    let figure = Figure::new(&diagram, &drawn);
    let natural = |i: usize| {
        let (w, h) = figure.boxes[i].size;
        (if vertical { w } else { h }) as f64
    };
    let spans: Vec<CrossSpan> = drawn
        .boxes
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let (start, len) =
                if vertical { (b.rect.x, b.rect.width) } else { (b.rect.y, b.rect.height) };
            CrossSpan { rank: ranks[i], start: start as f64, len: len as f64, natural: natural(i) }
        })
        .collect();
    // archdraw's gap between neighbours in a rank (rows across, columns down), also dot's nodesep.
    let gap = if vertical { 3.0 } else { 2.0 };
    let archdraw_stretch = stretch(&spans, &graph.edges, gap);

    let source = dot::to_dot(&figure);
    let name =
        if seed == SEED { format!("generated-{n}") } else { format!("generated-{n}-seed-{seed}") };
    let dot = tools.dot(&name, &source, |layout| {
        let spans: Option<Vec<CrossSpan>> = (0..graph.box_count())
            .map(|i| {
                let node = layout.nodes.get(&format!("b{i}"))?;
                let (centre, len) =
                    if vertical { (node.x, node.width) } else { (node.y, node.height) };
                // dot draws every node at its natural (fixed) size.
                Some(CrossSpan { rank: ranks[i], start: centre - len / 2.0, len, natural: len })
            })
            .collect();
        spans.map(|s| stretch(&s, &graph.edges, gap))
    })?;
    let bends = drawn.bends();
    Ok(GeneratedRow {
        boxes: graph.box_count(),
        arrows: graph.edges.len(),
        crossings: drawn.crossings()?,
        dot,
        area: drawn.width * drawn.height,
        stretch: archdraw_stretch,
        bends: bends.iter().sum(),
        routes: bends.len(),
    })
}

// ---------------------------------------------------------------------------------------------
// Tables.

fn ratio(a: f64, b: f64) -> String {
    if b == 0.0 {
        if a == 0.0 { "=".into() } else { "∞".into() }
    } else {
        format!("{:.2}", a / b)
    }
}

fn spec_table(rows: &[SpecRow]) -> String {
    let mut t = String::new();
    t.push_str(
        "| spec | flow | boxes / arrows / services / groups | read-back text, ASCII | size W×H \
         | max_width | crossings: archdraw / dot (dot's mincross) | area: archdraw / Graph::Easy \
         = ratio | groups: area with ÷ without | words broken (text, ASCII) | words changed \
         (text, ASCII) | bends per arrow (max) |\n",
    );
    t.push_str("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for r in rows {
        let flow = if r.direction == r.spec_direction {
            r.direction.clone()
        } else {
            format!("{} → {}", r.spec_direction, r.direction)
        };
        let rb = |x: &Result<(), String>| if x.is_ok() { "ok" } else { "**FAIL**" };
        let width = match (r.max_width, r.fits()) {
            (Some(m), Some(true)) => format!("{m}: fits"),
            (Some(m), _) => format!("{m}: **misses by {}**", r.size.0 - m),
            (None, _) => "–".into(),
        };
        let ge = match &r.graph_easy {
            GraphEasyMeasures::Drawn { width, height } => {
                format!(
                    "{} / {} ({width}×{height}) = {}",
                    r.area(),
                    width * height,
                    ratio(r.area() as f64, (width * height) as f64)
                )
            }
            GraphEasyMeasures::Failed { .. } => format!("{} / – (failed)", r.area()),
        };
        let mincross = r.dot.mincross.map_or_else(String::new, |m| format!(" ({m})"));
        let _ = writeln!(
            t,
            "| {} | {flow} | {} / {} / {} / {} | {}, {} | {}×{} | {width} | {} / {}{mincross} | {ge} | {} | {}, {} | {}, {} | {:.2} ({}) |",
            r.name,
            r.boxes,
            r.arrows,
            r.services,
            r.groups,
            rb(&r.readback_text),
            rb(&r.readback_ascii),
            r.size.0,
            r.size.1,
            r.crossings,
            r.dot.crossings,
            r.group_cost.map_or_else(|| "–".into(), |c| format!("{c:.2}")),
            r.words_text.broken,
            r.words_ascii.broken,
            r.words_text.changed,
            r.words_ascii.changed,
            r.bends as f64 / r.routes().max(1) as f64,
            r.max_bends,
        );
    }

    // Totals and medians.
    let n = rows.len();
    let sum = |f: &dyn Fn(&SpecRow) -> usize| rows.iter().map(f).sum::<usize>();
    let (boxes, arrows) = (sum(&|r| r.boxes), sum(&|r| r.arrows));
    let rb_text = rows.iter().filter(|r| r.readback_text.is_ok()).count();
    let rb_ascii = rows.iter().filter(|r| r.readback_ascii.is_ok()).count();
    let limited = rows.iter().filter(|r| r.max_width.is_some()).count();
    let fit = rows.iter().filter(|r| r.fits() == Some(true)).count();
    let (crossings, dot_crossings) = (sum(&|r| r.crossings), sum(&|r| r.dot.crossings));
    let over = rows.iter().filter(|r| r.crossings > r.dot.crossings + 1).count();
    let area_ratios: Vec<f64> = rows.iter().filter_map(SpecRow::area_ratio).collect();
    let group_costs: Vec<f64> = rows.iter().filter_map(|r| r.group_cost).collect();
    let med = |v: &[f64]| median(v).map_or_else(|| "–".into(), |m| format!("{m:.2}"));
    // Medians of counts print as whole numbers (or halves).
    let count = |v: &[f64]| {
        median(v).map_or_else(
            || "–".into(),
            |m| if m.fract() == 0.0 { format!("{m:.0}") } else { format!("{m:.1}") },
        )
    };
    let medu = |f: &dyn Fn(&SpecRow) -> usize| {
        count(&rows.iter().map(|r| f(r) as f64).collect::<Vec<_>>())
    };
    let bends = sum(&|r| r.bends);
    let routes = sum(&|r| r.routes());
    let _ = writeln!(
        t,
        "| **total ({n} specs)** | | {boxes} / {arrows} | {rb_text} of {n}, {rb_ascii} of {n} | | \
         {fit} of {limited} fit | {crossings} / {dot_crossings} = {}; over dot + 1 on {over} of {n} | \
         median ratio {} (of {}) | median {} (of {}) | {}, {} | {}, {} | {:.2} |",
        ratio(crossings as f64, dot_crossings as f64),
        med(&area_ratios),
        area_ratios.len(),
        med(&group_costs),
        group_costs.len(),
        sum(&|r| r.words_text.broken),
        sum(&|r| r.words_ascii.broken),
        sum(&|r| r.words_text.changed),
        sum(&|r| r.words_ascii.changed),
        bends as f64 / routes.max(1) as f64,
    );
    let _ = writeln!(
        t,
        "| **median** | | {} / {} | | {} × {} | | {} / {} | {} / {} | | | | {} |",
        medu(&|r| r.boxes),
        medu(&|r| r.arrows),
        medu(&|r| r.size.0),
        medu(&|r| r.size.1),
        medu(&|r| r.crossings),
        medu(&|r| r.dot.crossings),
        medu(&|r| r.area()),
        count(
            &rows.iter().filter_map(|r| r.graph_easy_area().map(|a| a as f64)).collect::<Vec<_>>()
        ),
        med(&rows.iter().map(|r| r.bends as f64 / r.routes().max(1) as f64).collect::<Vec<_>>()),
    );

    let failures: Vec<String> = rows
        .iter()
        .flat_map(|r| {
            [("text", &r.readback_text), ("ASCII", &r.readback_ascii)].into_iter().filter_map(
                move |(what, res)| {
                    res.as_ref().err().map(|e| format!("- {} ({what}): {e}", r.name))
                },
            )
        })
        .chain(rows.iter().filter_map(|r| match &r.graph_easy {
            GraphEasyMeasures::Failed { reason } => {
                Some(format!("- {}: Graph::Easy: {reason}", r.name))
            }
            GraphEasyMeasures::Drawn { .. } => None,
        }))
        .collect();
    if !failures.is_empty() {
        t.push('\n');
        for f in failures {
            t.push_str(&f);
            t.push('\n');
        }
    }
    t
}

fn generated_table(rows: &[GeneratedRow]) -> String {
    let mut t = String::new();
    t.push_str(
        "| boxes | arrows | crossings: archdraw / dot (dot's mincross) = ratio | area per box: \
         archdraw / dot = ratio | rank stretch: archdraw / dot | nearest parent, farthest \
         (cells): archdraw / dot | boxes drifted off: archdraw / dot | bends per arrow |\n",
    );
    t.push_str("|---:|---:|---|---|---|---|---|---:|\n");
    for r in rows {
        let dot_area = r.dot.width * r.dot.height;
        let per_box = |a: f64| a / r.boxes as f64;
        let ds = r.dot.stretch.unwrap_or_default();
        let mincross = r.dot.mincross.map_or_else(String::new, |m| format!(" ({m})"));
        let _ = writeln!(
            t,
            "| {} | {} | {} / {}{mincross} = {} | {:.0} / {:.0} = {} | {:.2} / {:.2} | {:.0} / {:.0} | {} / {} | {:.2} |",
            r.boxes,
            r.arrows,
            r.crossings,
            r.dot.crossings,
            ratio(r.crossings as f64, r.dot.crossings as f64),
            per_box(r.area as f64),
            per_box(dot_area),
            ratio(r.area as f64, dot_area),
            r.stretch.ratio,
            ds.ratio,
            r.stretch.max_parent_offset,
            ds.max_parent_offset,
            r.stretch.displaced,
            ds.displaced,
            r.bends as f64 / r.routes.max(1) as f64,
        );
    }
    t
}
