//! The figure as Graphviz DOT, and dot's `-Tjson` layout read back.
//!
//! # How a spec becomes DOT
//!
//! - Every box is a `shape=box` node with `fixedsize=true` at its natural size in cells
//!   ([`Node::size`](super::figure::Node::size)) at 0.1 in a column and 0.2 in a row
//!   ([`CELL_WIDTH_IN`], [`CELL_HEIGHT_IN`]); a terminal cell is about twice as tall as wide.
//!   Text is Courier 12 pt, whose advance is 7.2 pt = 0.1 in and whose line is 14.4 pt =
//!   0.2 in, so labels and cluster titles are cell-true too.
//! - Nodes are declared in spec order (dot's initial order is declaration order).
//! - A group is a `subgraph cluster_N` with the group's title as its label.
//! - A service is a borderless (`shape=plaintext`) node of its text's size with an edge into
//!   every box it serves; dot ranks it like any other node, before the boxes it serves.
//! - An arrow is an edge; its label, wrapped as archdraw wraps it, is an edge `label` (dot makes
//!   room for it, as archdraw does).
//! - `rankdir` is the spec's direction (archdraw may turn a flow down to meet a width limit;
//!   dot has no width limit); `nodesep` and `ranksep` are archdraw's own gaps
//!   (2 rows between boxes and 4 columns between ranks in a flow across; 3 columns and 3 rows
//!   in a flow down); `concentrate=false`, default splines.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::{Command, Stdio};

use serde::Deserialize;

use super::figure::Figure;
use crate::crossings::{Source, count_json};

/// Inches per cell column.
pub const CELL_WIDTH_IN: f64 = 0.1;
/// Inches per cell row.
pub const CELL_HEIGHT_IN: f64 = 0.2;
/// Points per cell column (72 points an inch).
pub const CELL_WIDTH_PT: f64 = CELL_WIDTH_IN * 72.0;
/// Points per cell row.
pub const CELL_HEIGHT_PT: f64 = CELL_HEIGHT_IN * 72.0;

/// `figure` as a DOT digraph named `G`; see the module docs.
pub fn to_dot(figure: &Figure) -> String {
    let (rankdir, vertical) = match figure.direction.as_str() {
        "down" => ("TB", true),
        "up" => ("BT", true),
        "left" => ("RL", false),
        _ => ("LR", false),
    };
    // archdraw's gaps: between neighbours in a rank, and the narrowest channel between ranks.
    let (nodesep, ranksep) = if vertical {
        (3.0 * CELL_WIDTH_IN, 3.0 * CELL_HEIGHT_IN)
    } else {
        (2.0 * CELL_HEIGHT_IN, 4.0 * CELL_WIDTH_IN)
    };
    let mut out = String::new();
    out.push_str("digraph G {\n");
    let _ = writeln!(
        out,
        "  graph [rankdir={rankdir}, nodesep={nodesep:.2}, ranksep={ranksep:.2}, \
         concentrate=false, fontname=\"Courier\", fontsize=12];"
    );
    out.push_str(
        "  node [shape=box, fixedsize=true, fontname=\"Courier\", fontsize=12, margin=0];\n",
    );
    out.push_str("  edge [fontname=\"Courier\", fontsize=12];\n");
    for (i, b) in figure.boxes.iter().enumerate() {
        let _ = writeln!(out, "  b{i} [label={}, {}];", quote(&b.title), size(b.size));
    }
    for (i, s) in figure.services.iter().enumerate() {
        let _ = writeln!(
            out,
            "  s{i} [shape=plaintext, label={}, {}];",
            quote(&s.lines.join("\n")),
            size(s.size)
        );
    }
    for (i, g) in figure.groups.iter().enumerate() {
        let members: String = g.members.iter().map(|m| format!(" b{m};")).collect();
        let _ = writeln!(out, "  subgraph cluster_{i} {{ label={};{members} }}", quote(&g.title));
    }
    for a in &figure.arrows {
        if a.label.is_empty() {
            let _ = writeln!(out, "  b{} -> b{};", a.from, a.to);
        } else {
            let _ =
                writeln!(out, "  b{} -> b{} [label={}];", a.from, a.to, quote(&a.label.join("\n")));
        }
    }
    for (s, b) in &figure.service_arrows {
        let _ = writeln!(out, "  s{s} -> b{b};");
    }
    out.push_str("}\n");
    out
}

fn size((width, height): (usize, usize)) -> String {
    format!(
        "width={:.2}, height={:.2}",
        width as f64 * CELL_WIDTH_IN,
        height as f64 * CELL_HEIGHT_IN
    )
}

/// A DOT string literal (`\n` for line breaks).
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What the benchmark keeps of one dot run.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
pub struct DotMeasures {
    /// Crossings between the drawn edge splines ([`crate::crossings`]).
    pub crossings: usize,
    /// dot's own count after ordering (`dot -v`: "mincross G: N crossings"), if printed.
    pub mincross: Option<usize>,
    /// The bounding box in cells.
    pub width: f64,
    pub height: f64,
    /// For generated graphs: how far the ranks spread ([`super::drawn::stretch`]).
    #[serde(default)]
    pub stretch: Option<super::drawn::Stretch>,
}

/// A node of dot's layout, in cells (x to the right, y down, like archdraw's grid).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DotNode {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// dot's layout: the measures, and every node by name.
#[derive(Debug, Clone, PartialEq)]
pub struct DotLayout {
    pub measures: DotMeasures,
    pub nodes: std::collections::HashMap<String, DotNode>,
}

/// Reads `dot -Tjson` output (and `dot -v`'s standard error for the mincross count).
///
/// # Errors
///
/// Output that is not dot's JSON.
pub fn read(json: &str, stderr: &str) -> Result<DotLayout, String> {
    #[derive(Deserialize)]
    struct Graph {
        bb: String,
        #[serde(default)]
        objects: Vec<Object>,
    }
    #[derive(Deserialize)]
    struct Object {
        name: String,
        pos: Option<String>,
        width: Option<String>,
        height: Option<String>,
    }
    let graph: Graph = serde_json::from_str(json).map_err(|e| format!("not dot JSON: {e}"))?;
    let bb = numbers(&graph.bb)?;
    let [_, _, right, top] = bb[..] else { return Err(format!("bb {:?}", graph.bb)) };
    let mut nodes = std::collections::HashMap::new();
    for o in graph.objects {
        let (Some(pos), Some(w), Some(h)) = (o.pos, o.width, o.height) else { continue };
        let p = numbers(&pos)?;
        let w: f64 = w.parse().map_err(|_| format!("width {w:?}"))?;
        let h: f64 = h.parse().map_err(|_| format!("height {h:?}"))?;
        // dot's y grows upwards; flip it so rows grow downwards as in archdraw.
        nodes.insert(
            o.name,
            DotNode {
                x: p[0] / CELL_WIDTH_PT,
                y: (top - p[1]) / CELL_HEIGHT_PT,
                width: w / CELL_WIDTH_IN,
                height: h / CELL_HEIGHT_IN,
            },
        );
    }
    let crossings = match count_json(json)? {
        (Source::Dot, n) => n,
        (Source::Archdraw, _) => return Err("archdraw JSON where dot's was expected".into()),
    };
    let measures = DotMeasures {
        crossings,
        mincross: mincross(stderr),
        width: right / CELL_WIDTH_PT,
        height: top / CELL_HEIGHT_PT,
        stretch: None,
    };
    Ok(DotLayout { measures, nodes })
}

fn numbers(text: &str) -> Result<Vec<f64>, String> {
    text.split(',').map(|n| n.trim().parse().map_err(|_| format!("not a number: {n:?}"))).collect()
}

/// The root graph's count from `dot -v` ("mincross G: 5 crossings, 0.01 secs.").
pub fn mincross(stderr: &str) -> Option<usize> {
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix("mincross G: "))
        .filter_map(|rest| rest.split_whitespace().next()?.parse().ok())
        .next_back()
}

/// Runs `dot -v -Tjson` (or another format) on `source`; standard output and standard error.
///
/// # Errors
///
/// dot missing or failing.
pub fn run(source: &str, format: &str) -> Result<(Vec<u8>, String), String> {
    let mut child = Command::new("dot")
        .args(["-v", &format!("-T{format}")])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run dot: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("dot: no stdin")?;
    let input = source.to_owned();
    // Feed stdin from a thread: dot may fill its output pipe before it has read everything.
    let feeder = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().map_err(|e| format!("dot: {e}"))?;
    let _ = feeder.join();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if !output.status.success() {
        let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
        return Err(format!("dot failed ({}): {}", output.status, tail.join(" | ")));
    }
    Ok((output.stdout, stderr))
}

/// `dot -V`, e.g. "2.43.0"; `None` when dot is missing.
pub fn version() -> Option<String> {
    let out = Command::new("dot").arg("-V").output().ok()?;
    let text = String::from_utf8_lossy(&out.stderr);
    let v = text.split("version ").nth(1)?.split_whitespace().next()?;
    Some(v.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quality::figure::{Arrow, Group, Node};

    fn node(title: &str, size: (usize, usize)) -> Node {
        Node { title: title.into(), lines: vec![title.into()], size }
    }

    #[test]
    fn dot_has_sizes_clusters_labels_and_services() {
        let figure = Figure {
            direction: "down".into(),
            boxes: vec![node("Say \"hi\"", (12, 3)), node("B", (5, 3))],
            services: vec![node("reg", (3, 1))],
            arrows: vec![Arrow { from: 0, to: 1, label: vec!["two".into(), "lines".into()] }],
            service_arrows: vec![(0, 1)],
            groups: vec![Group { title: "Tier".into(), members: vec![1] }],
        };
        let dot = to_dot(&figure);
        assert!(dot.contains("rankdir=TB, nodesep=0.30, ranksep=0.60"), "{dot}");
        assert!(dot.contains("b0 [label=\"Say \\\"hi\\\"\", width=1.20, height=0.60];"), "{dot}");
        assert!(dot.contains("s0 [shape=plaintext, label=\"reg\", width=0.30, height=0.20];"));
        assert!(dot.contains("subgraph cluster_0 { label=\"Tier\"; b1; }"));
        assert!(dot.contains("b0 -> b1 [label=\"two\\nlines\"];"));
        assert!(dot.contains("s0 -> b1;"));
    }

    #[test]
    fn mincross_is_the_root_graphs() {
        let stderr = "mincross: pass 0 iter 0 trying 0 cur_cross 3 best_cross 3\nmincross \
                      cluster_0: 1 crossings, 0.00 secs.\nmincross G: 2 crossings, 0.00 secs.\n";
        assert_eq!(mincross(stderr), Some(2));
        assert_eq!(mincross("nothing"), None);
    }

    #[test]
    fn dot_json_is_read_in_cells() {
        let json = r#"{"name": "G", "directed": true, "bb": "0,0,72,144",
            "objects": [{"_gvid": 0, "name": "b0", "pos": "36,126", "width": "1", "height": "0.5"}],
            "edges": [{"tail": 0, "head": 0, "pos": "e,36,0 36,100 36,80 36,60 36,20"}]}"#;
        let layout = read(json, "mincross G: 0 crossings, 0.00 secs.\n").unwrap();
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert!(close(layout.measures.width, 10.0));
        assert!(close(layout.measures.height, 10.0));
        assert_eq!(layout.measures.mincross, Some(0));
        let b0 = layout.nodes["b0"];
        assert!(close(b0.x, 5.0) && close(b0.y, 1.25), "{b0:?}");
        assert!(close(b0.width, 10.0) && close(b0.height, 2.5), "{b0:?}");
    }
}
