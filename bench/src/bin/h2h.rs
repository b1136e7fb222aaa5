//! Judges text drawings of the Mermaid corpus made by several tools, with archdraw's read-back.
//!
//! ```text
//! h2h FIXTURES_DIR OUT_DIR TOOL…
//! ```
//!
//! For each `FIXTURES_DIR/*.mmd` and each tool, reads the drawing `OUT_DIR/TOOL/NAME.txt`
//! (missing or empty: the tool failed) and its time in `OUT_DIR/TOOL/times.tsv` (`NAME\tms`),
//! and prints a Markdown table and one line per failure. `bench/import/run.sh` makes the
//! drawings. What the read-back was given (the drawing, translated) is written beside each
//! drawing as `NAME.seen`.
//!
//! Two checks, both against the graph each fixture declares in its `%% expect` lines (node
//! titles are taken from archdraw's reader, the rest is as declared):
//!
//! - **read back**: the drawing read back by `tests/readback` (the helper archdraw's own tests
//!   use) has exactly the declared boxes, arrows and frame titles. The peers draw with other
//!   conventions, so their drawings are first translated, cell for cell, into archdraw's: `►`
//!   heads become `▶`, rounded and diamond corners square ones, dotted `┄┆` lines solid, tees
//!   where a line meets a box border plain border, a box that holds boxes a frame (`╭┄╮`, its
//!   title moved from its first row into its top border), and a label written into a line is
//!   given a blank on each side (horizontal) or moved beside the line (vertical), taking the
//!   cells from the line itself.
//! - **boxes and text**: tool-neutral: the rectangles that hold no other rectangle are the
//!   declared nodes, titled as declared, once each; every word of every link label is drawn;
//!   every subgraph title is drawn. Arrows are not judged.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "../../../tests/readback/mod.rs"]
#[allow(dead_code, unused_imports, clippy::all)]
mod readback;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use archdraw::model::text::TextBlock;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [fixtures, out, tools @ ..] = args.as_slice() else {
        eprintln!("usage: h2h FIXTURES_DIR OUT_DIR TOOL...");
        std::process::exit(2);
    };
    let mut files: Vec<_> = fs::read_dir(fixtures)
        .expect("the fixtures folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "mmd"))
        .collect();
    files.sort();
    println!(
        "| tool | read back (of {n}) | boxes and text (of {n}) | median ms | total ms |",
        n = files.len()
    );
    println!("|---|---|---|---|---|");
    let mut notes = Vec::new();
    for tool in tools {
        let times = read_times(&Path::new(out).join(tool).join("times.tsv"));
        let (mut read_ok, mut text_ok) = (0, 0);
        for file in &files {
            let name = file.file_stem().unwrap().to_string_lossy().into_owned();
            let drawing = fs::read_to_string(Path::new(out).join(tool).join(format!("{name}.txt")))
                .unwrap_or_default();
            let expect = Expect::of(&fs::read_to_string(file).unwrap());
            if drawing.trim().is_empty() {
                notes.push(format!("{tool} {name}: no drawing"));
                continue;
            }
            let text = if tool == "archdraw" { drawing.clone() } else { normalize(&drawing) };
            // What the read-back saw, for a reader who wants to judge the translation.
            let seen = Path::new(out).join(tool).join(format!("{name}.seen"));
            let _ = fs::write(seen, &text);
            match read_back_check(&text, &expect) {
                Ok(()) => read_ok += 1,
                Err(e) => notes.push(format!("{tool} {name}: read back: {e}")),
            }
            match text_check(&drawing, &expect) {
                Ok(()) => text_ok += 1,
                Err(e) => notes.push(format!("{tool} {name}: boxes and text: {e}")),
            }
        }
        let mut ms: Vec<f64> = times.values().copied().collect();
        ms.sort_by(f64::total_cmp);
        let median = ms.get(ms.len() / 2).copied().unwrap_or(f64::NAN);
        let total: f64 = ms.iter().sum();
        println!("| {tool} | {read_ok} | {text_ok} | {median:.1} | {total:.0} |");
    }
    println!();
    for note in notes {
        println!("- {}", note.replace('\n', " "));
    }
}

fn read_times(path: &Path) -> BTreeMap<String, f64> {
    fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let (name, ms) = l.split_once('\t')?;
            Some((name.to_owned(), ms.trim().parse().ok()?))
        })
        .collect()
}

/// The graph a fixture declares, with node titles from archdraw's reader.
#[derive(Debug, Default)]
struct Expect {
    /// Node id → its title (first line).
    titles: BTreeMap<String, String>,
    boxes: Vec<String>,
    /// Ids of nodes of class `service`: archdraw draws them without a border.
    services: Vec<String>,
    arrows: Vec<(String, String)>,
    frames: Vec<String>,
    labels: Vec<String>,
}

impl Expect {
    fn of(source: &str) -> Self {
        let mut e = Expect::default();
        let list = |s: &str| -> Vec<String> {
            s.split(", ").map(str::trim).filter(|x| !x.is_empty()).map(str::to_owned).collect()
        };
        for line in source.lines() {
            let Some(rest) = line.trim().strip_prefix("%% expect ") else { continue };
            let Some((what, value)) = rest.split_once(':') else { continue };
            match what {
                "boxes" => e.boxes = list(value),
                "frames" => e.frames = list(value),
                "arrows" | "services" => e.arrows.extend(list(value).iter().filter_map(|p| {
                    let (a, b) = p.split_once(" > ")?;
                    Some((a.to_owned(), b.to_owned()))
                })),
                _ => {}
            }
        }
        let diagram = archdraw::import::mermaid(source)
            .ok()
            .and_then(|imported| archdraw::Diagram::from_spec(&imported.spec).ok());
        if let Some(d) = diagram {
            for n in &d.nodes {
                e.titles.insert(n.id.clone(), first_line(&n.title));
            }
            for s in &d.services {
                e.titles.insert(s.id.clone(), first_line(&s.title));
                e.services.push(s.id.clone());
            }
            e.labels = d
                .edges
                .iter()
                .filter_map(|x| x.label.as_ref())
                .map(|l| words(l).join(" "))
                .collect();
        }
        e
    }

    fn title(&self, id: &str) -> String {
        self.titles.get(id).cloned().unwrap_or_else(|| id.to_owned())
    }
}

fn first_line(block: &TextBlock) -> String {
    block.lines.first().map(|l| l.text.clone()).unwrap_or_default()
}

fn words(block: &TextBlock) -> Vec<&str> {
    block.lines.iter().flat_map(|l| l.text.split_whitespace()).collect()
}

/// The title a found box draws: the longest expected title its text starts with.
fn canonical(lines: &[String], titles: &[String]) -> String {
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let found = squeeze(&lines.concat());
    titles
        .iter()
        .filter(|t| !t.is_empty() && found.starts_with(&squeeze(t)))
        .max_by_key(|t| squeeze(t).len())
        .cloned()
        .unwrap_or_else(|| lines.first().cloned().unwrap_or_default())
}

fn read_back_check(text: &str, e: &Expect) -> Result<(), String> {
    let picture = readback::read_back(text, readback::Charset::Unicode)?;
    let titles: Vec<String> = e.boxes.iter().chain(&e.services).map(|b| e.title(b)).collect();
    // A service may be drawn as a box (peers) or as borderless text (archdraw).
    if picture.boxes.len() + picture.services.len() != titles.len() {
        return Err(format!(
            "{} boxes, {} declared",
            picture.boxes.len() + picture.services.len(),
            titles.len()
        ));
    }
    let mut names = BTreeMap::new();
    for b in &picture.boxes {
        names.insert(b.name.clone(), canonical(&b.lines, &titles));
    }
    for s in &picture.services {
        names.insert(s.name.clone(), canonical(&s.lines, &titles));
    }
    let name = |n: &String| names.get(n).cloned().unwrap_or_else(|| n.clone());
    let mut got: Vec<(String, String)> =
        picture.edges.iter().map(|(a, b)| (name(a), name(b))).collect();
    let mut want: Vec<(String, String)> =
        e.arrows.iter().map(|(a, b)| (e.title(a), e.title(b))).collect();
    got.sort();
    want.sort();
    if got != want {
        let (missing, extra) = readback::multiset_diff(&want, &got);
        return Err(format!("arrows: missing {missing:?}, extra {extra:?}"));
    }
    let mut frames: Vec<String> = picture.frames.iter().map(|f| f.title.clone()).collect();
    let mut want_frames = e.frames.clone();
    frames.sort();
    want_frames.sort();
    if frames != want_frames {
        return Err(format!("frames {frames:?}, declared {want_frames:?}"));
    }
    Ok(())
}

/// Tool-neutral: innermost rectangles are the nodes, titled as declared, once each; label
/// words and subgraph titles are drawn.
fn text_check(text: &str, e: &Expect) -> Result<(), String> {
    let g = Grid::new(&normalize_glyphs(text));
    let rects = g.rects();
    let inner: Vec<&Rect> =
        rects.iter().filter(|r| !rects.iter().any(|o| o != *r && r.contains(o))).collect();
    let titles: Vec<String> = e.boxes.iter().chain(&e.services).map(|b| e.title(b)).collect();
    let mut got: Vec<String> =
        inner.iter().map(|r| canonical(&g.interior_lines(r), &titles)).collect();
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // Services may be drawn as boxes or as borderless text; either way, once.
    for s in &e.services {
        let title = e.title(s);
        if !got.contains(&title) && flat.contains(&title) {
            got.push(title);
        }
    }
    let mut want = titles.clone();
    got.sort();
    want.sort();
    if got != want {
        return Err(format!("boxes {got:?}, declared {want:?}"));
    }
    for label in &e.labels {
        for word in label.split_whitespace() {
            if !flat.contains(word) {
                return Err(format!("label word `{word}` is not drawn"));
            }
        }
    }
    for frame in &e.frames {
        // Nested frames are titled with their path by archdraw; each part must show.
        for part in frame.split(" / ") {
            if !flat.contains(part) {
                return Err(format!("subgraph title `{part}` is not drawn"));
            }
        }
    }
    Ok(())
}

// --- translating another tool's glyphs into archdraw's --------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rect {
    top: usize,
    left: usize,
    bottom: usize,
    right: usize,
}

impl Rect {
    fn contains(&self, o: &Rect) -> bool {
        self.top < o.top && self.left < o.left && self.bottom > o.bottom && self.right > o.right
    }
}

/// Cells: one grapheme each, a wide one followed by an empty continuation cell.
struct Grid {
    rows: Vec<Vec<String>>,
}

const UP: u8 = 1;
const RIGHT: u8 = 2;
const DOWN: u8 = 4;
const LEFT: u8 = 8;

fn arms(c: &str) -> u8 {
    match c {
        "─" => LEFT | RIGHT,
        "│" => UP | DOWN,
        "┌" => RIGHT | DOWN,
        "┐" => LEFT | DOWN,
        "└" => UP | RIGHT,
        "┘" => UP | LEFT,
        "├" => UP | DOWN | RIGHT,
        "┤" => UP | DOWN | LEFT,
        "┬" => LEFT | RIGHT | DOWN,
        "┴" => LEFT | RIGHT | UP,
        "┼" => UP | RIGHT | DOWN | LEFT,
        "▲" | "▼" => UP | DOWN,
        "▶" | "◀" => LEFT | RIGHT,
        _ => 0,
    }
}

fn is_text(c: &str) -> bool {
    !c.is_empty() && c != " " && arms(c) == 0
}

impl Grid {
    fn new(text: &str) -> Self {
        let rows = text
            .lines()
            .map(|line| {
                let mut row = Vec::new();
                for g in line.graphemes(true) {
                    row.push(g.to_owned());
                    if g.width() == 2 {
                        row.push(String::new());
                    }
                }
                row
            })
            .collect();
        Self { rows }
    }

    fn at(&self, r: usize, c: usize) -> &str {
        self.rows.get(r).and_then(|row| row.get(c)).map_or(" ", String::as_str)
    }

    fn set(&mut self, r: usize, c: usize, s: &str) {
        if let Some(row) = self.rows.get_mut(r) {
            while row.len() <= c {
                row.push(" ".to_owned());
            }
            row[c] = s.to_owned();
        }
    }

    fn text(&self) -> String {
        let mut out = String::new();
        for row in &self.rows {
            out.push_str(row.concat().trim_end());
            out.push('\n');
        }
        out
    }

    /// Closed rectangles: `┌` … `┐` over `└` … `┘`, tees allowed on the border.
    fn rects(&self) -> Vec<Rect> {
        let mut out = Vec::new();
        for (top, row) in self.rows.iter().enumerate() {
            for (left, cell) in row.iter().enumerate() {
                if cell != "┌" {
                    continue;
                }
                let mut right = left + 1;
                while matches!(self.at(top, right), "─" | "┬" | "┴" | "┼") {
                    right += 1;
                }
                if self.at(top, right) != "┐" || right == left + 1 {
                    continue;
                }
                let mut bottom = top + 1;
                while matches!(self.at(bottom, left), "│" | "├" | "┤" | "┼") {
                    bottom += 1;
                }
                if self.at(bottom, left) != "└" || bottom == top + 1 {
                    continue;
                }
                let sides =
                    (top + 1..bottom).all(|r| matches!(self.at(r, right), "│" | "├" | "┤" | "┼"));
                let base =
                    (left + 1..right).all(|c| matches!(self.at(bottom, c), "─" | "┬" | "┴" | "┼"));
                if sides && base && self.at(bottom, right) == "┘" {
                    out.push(Rect { top, left, bottom, right });
                }
            }
        }
        out
    }

    fn interior_lines(&self, r: &Rect) -> Vec<String> {
        (r.top + 1..r.bottom)
            .map(|row| {
                (r.left + 1..r.right).map(|c| self.at(row, c)).collect::<String>().trim().to_owned()
            })
            .filter(|l| !l.is_empty())
            .collect()
    }
}

/// Glyph for glyph: heads, rounded and diamond corners, dotted lines.
fn normalize_glyphs(text: &str) -> String {
    let mut g = Grid::new(text);
    let snapshot = Grid { rows: g.rows.clone() };
    for r in 0..g.rows.len() {
        for c in 0..g.rows[r].len() {
            let new = match g.rows[r][c].as_str() {
                "►" => "▶",
                "◄" => "◀",
                "╭" => "┌",
                "╮" => "┐",
                "╰" => "└",
                "╯" => "┘",
                "┄" => "─",
                "┆" => "│",
                "◇" => {
                    let right = arms(snapshot.at(r, c + 1)) & LEFT != 0;
                    let down = arms(snapshot.at(r + 1, c)) & UP != 0;
                    match (right, down) {
                        (true, true) => "┌",
                        (false, true) => "┐",
                        (true, false) => "└",
                        (false, false) => "┘",
                    }
                }
                _ => continue,
            };
            g.rows[r][c] = new.to_owned();
        }
    }
    g.text()
}

/// Another tool's drawing in archdraw's conventions (see the module comment).
fn normalize(text: &str) -> String {
    let mut g = Grid::new(&normalize_glyphs(text));
    let rects = g.rects();
    let is_frame = |r: &Rect| rects.iter().any(|o| o != r && r.contains(o));
    for r in &rects {
        let frame = is_frame(r);
        // Tees on the border: a line ending there (plain border), or crossing a frame.
        for c in r.left + 1..r.right {
            for (row, outward) in [(r.top, UP), (r.bottom, DOWN)] {
                let a = arms(g.at(row, c));
                let crossing = frame && a & UP != 0 && a & DOWN != 0 && a & (LEFT | RIGHT) != 0;
                let glyph = if crossing {
                    "│"
                } else if frame {
                    "┄"
                } else {
                    "─"
                };
                if a & (UP | DOWN) != 0 || frame {
                    let _ = outward;
                    g.set(row, c, glyph);
                }
            }
        }
        for row in r.top + 1..r.bottom {
            for col in [r.left, r.right] {
                let a = arms(g.at(row, col));
                let crossing = frame && a & LEFT != 0 && a & RIGHT != 0;
                let glyph = if crossing {
                    "─"
                } else if frame {
                    "┆"
                } else {
                    "│"
                };
                g.set(row, col, glyph);
            }
        }
        if frame {
            g.set(r.top, r.left, "╭");
            g.set(r.top, r.right, "╮");
            g.set(r.bottom, r.left, "╰");
            g.set(r.bottom, r.right, "╯");
            // The title from the first row inside into the top border.
            let row = r.top + 1;
            let title: String = (r.left + 1..r.right).map(|c| g.at(row, c).to_owned()).collect();
            let title = title.trim().to_owned();
            let width = title.width();
            if !title.is_empty()
                && title.chars().all(|ch| arms(&ch.to_string()) == 0)
                && width + 3 < r.right - r.left
            {
                for c in r.left + 1..r.right {
                    g.set(row, c, " ");
                }
                let mut c = r.left + 1;
                g.set(r.top, c, " ");
                c += 1;
                for gr in title.graphemes(true) {
                    g.set(r.top, c, gr);
                    if gr.width() == 2 {
                        g.set(r.top, c + 1, "");
                        c += 1;
                    }
                    c += 1;
                }
                g.set(r.top, c, " ");
            }
        }
    }
    let inside_box = |r: usize, c: usize| {
        rects.iter().any(|x| !is_frame(x) && r > x.top && r < x.bottom && c > x.left && c < x.right)
    };
    // Labels written into a horizontal line: a blank on each side, taken from the line.
    for r in 0..g.rows.len() {
        let mut c = 0;
        while c < g.rows[r].len() {
            if !is_text(g.at(r, c)) || inside_box(r, c) {
                c += 1;
                continue;
            }
            let start = c;
            while c < g.rows[r].len()
                && (is_text(g.at(r, c))
                    || g.at(r, c).is_empty()
                    || (g.at(r, c) == " " && is_text(g.at(r, c + 1))))
            {
                c += 1;
            }
            let end = c; // exclusive
            let line_left = start >= 2
                && arms(g.at(r, start - 1)) & RIGHT != 0
                && arms(g.at(r, start - 2)) & RIGHT != 0;
            let line_right = arms(g.at(r, end)) & LEFT != 0 && arms(g.at(r, end + 1)) & LEFT != 0;
            if line_left && line_right {
                g.set(r, start - 1, " ");
                g.set(r, end, " ");
            }
        }
    }
    // Labels written into a vertical line: the line back in its column, the label beside it.
    for r in 1..g.rows.len().saturating_sub(1) {
        let len = g.rows[r].len();
        let mut c = 0;
        while c < len {
            if !is_text(g.at(r, c)) || inside_box(r, c) {
                c += 1;
                continue;
            }
            let start = c;
            while c < len
                && (is_text(g.at(r, c))
                    || g.at(r, c).is_empty()
                    || (g.at(r, c) == " " && is_text(g.at(r, c + 1))))
            {
                c += 1;
            }
            let end = c;
            let Some(col) = (start..end)
                .find(|&k| arms(g.at(r - 1, k)) & DOWN != 0 && arms(g.at(r + 1, k)) & UP != 0)
            else {
                continue;
            };
            let label: Vec<String> = (start..end).map(|k| g.at(r, k).to_owned()).collect();
            let needed = col + 2 + label.len();
            if (end..needed).all(|k| g.at(r, k) == " ") {
                for k in start..needed {
                    g.set(r, k, " ");
                }
                g.set(r, col, "│");
                for (i, cell) in label.iter().enumerate() {
                    g.set(r, col + 2 + i, cell);
                }
            }
            c = needed.max(end);
        }
    }
    g.text()
}
