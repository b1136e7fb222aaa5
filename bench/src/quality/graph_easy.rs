//! The figure for Graph::Easy (`graph-easy --as=boxart`), and the size of its drawing.
//!
//! # How a spec becomes Graph::Easy input
//!
//! - Every box is a node whose label is the box's text as archdraw draws it (wrapped lines,
//!   bullets as `* `), so Graph::Easy sizes it for the same text.
//! - A group is a Graph::Easy group `( title [b1] [b2] )`.
//! - A service is a borderless node with an edge into every box it serves.
//! - An arrow is an edge `-->`, with its label (wrapped as archdraw wraps it).
//! - `flow` is the spec's direction (Graph::Easy has no width limit).
//! - Text is made safe for Graph::Easy's parser without changing its width: `| [ ] # ;` are
//!   escaped, braces become parentheses, a backslash a slash, and every other character outside
//!   plain ASCII punctuation becomes `x`s of its display width (Graph::Easy counts characters,
//!   not cells, so a CJK character would otherwise get half its width). Only sizes matter here.

use std::fmt::Write as _;
use std::process::{Command, Stdio};

use unicode_width::UnicodeWidthChar;

use super::figure::Figure;

/// `figure` in Graph::Easy's text syntax; see the module docs.
pub fn to_graph_easy(figure: &Figure) -> String {
    let flow = match figure.direction.as_str() {
        "down" => "south",
        "up" => "north",
        "left" => "west",
        _ => "east",
    };
    let mut out = String::new();
    let _ = writeln!(out, "graph {{ flow: {flow}; }}");
    let node = |i: usize| format!("[b{i}] {{ label: {}; }}", text(&figure.boxes[i].lines));
    let mut grouped = vec![false; figure.boxes.len()];
    for g in &figure.groups {
        let _ = writeln!(out, "( {}", text(std::slice::from_ref(&g.title)));
        for &m in &g.members {
            grouped[m] = true;
            let _ = writeln!(out, "  {}", node(m));
        }
        out.push_str(")\n");
    }
    for i in (0..figure.boxes.len()).filter(|&i| !grouped[i]) {
        let _ = writeln!(out, "{}", node(i));
    }
    for (i, s) in figure.services.iter().enumerate() {
        let _ = writeln!(out, "[s{i}] {{ label: {}; border: none; }}", text(&s.lines));
    }
    for a in &figure.arrows {
        if a.label.is_empty() {
            let _ = writeln!(out, "[b{}] --> [b{}]", a.from, a.to);
        } else {
            let _ = writeln!(out, "[b{}] --> {{ label: {}; }} [b{}]", a.from, text(&a.label), a.to);
        }
    }
    for (s, b) in &figure.service_arrows {
        let _ = writeln!(out, "[s{s}] --> [b{b}]");
    }
    out
}

/// Lines as one Graph::Easy attribute value: `\n` between lines, unsafe characters replaced.
fn text(lines: &[String]) -> String {
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push_str("\\n");
        }
        for c in line.chars() {
            match c {
                '|' | '[' | ']' | '#' | ';' => {
                    out.push('\\');
                    out.push(c);
                }
                '{' => out.push('('),
                '}' => out.push(')'),
                '\\' => out.push('/'),
                c if c.is_ascii_alphanumeric() || c == ' ' => out.push(c),
                c if c.is_ascii() && ".,:()/+*=_-'!?&@<>\"$^~%`".contains(c) => out.push(c),
                c => out.extend(std::iter::repeat_n('x', c.width().unwrap_or(0))),
            }
        }
    }
    out
}

/// The size of a text drawing in cells: the widest line (trailing blanks ignored) and the
/// number of lines between the first and the last that are not blank.
pub fn measure(drawing: &str) -> (usize, usize) {
    let lines: Vec<&str> = drawing.lines().map(str::trim_end).collect();
    let first = lines.iter().position(|l| !l.is_empty());
    let last = lines.iter().rposition(|l| !l.is_empty());
    let (Some(first), Some(last)) = (first, last) else { return (0, 0) };
    let width = lines[first..=last]
        .iter()
        .map(|l| l.chars().map(|c| c.width().unwrap_or(0)).sum::<usize>())
        .max()
        .unwrap_or(0);
    (width, last - first + 1)
}

/// Runs `graph-easy --as=boxart` on `input`, with Perl's hash order fixed so the drawing is the
/// same on every run, and gives up after `timeout_s` seconds.
///
/// # Errors
///
/// graph-easy missing, failing or too slow.
pub fn run(input: &str, timeout_s: u64) -> Result<String, String> {
    let dir = std::env::temp_dir().join(format!("archdraw-quality-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let path = dir.join("input.txt");
    std::fs::write(&path, input).map_err(|e| e.to_string())?;
    let output = Command::new("timeout")
        .arg(timeout_s.to_string())
        .args(["graph-easy", "--as=boxart"])
        .arg(&path)
        .env("PERL_HASH_SEED", "0")
        .env("PERL_PERTURB_KEYS", "0")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run graph-easy: {e}"))?;
    let _ = std::fs::remove_dir_all(&dir);
    if !output.status.success() {
        let err = String::from_utf8_lossy(&output.stderr);
        let reason = if output.status.code() == Some(124) {
            format!("timed out after {timeout_s} s")
        } else {
            err.lines().next().unwrap_or("failed").to_owned()
        };
        return Err(format!("graph-easy: {reason}"));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("graph-easy: {e}"))
}

/// `graph-easy --version`, e.g. "0.76"; `None` when it is missing.
pub fn version() -> Option<String> {
    let out = Command::new("graph-easy").arg("--version").output().ok()?;
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    let v = text.split("Graph::Easy v").nth(1)?.split_whitespace().next()?;
    Some(v.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quality::figure::{Arrow, Group, Node};

    #[test]
    fn text_keeps_widths_and_escapes() {
        assert_eq!(text(&["a|b [c] #1; {x}".into()]), "a\\|b \\[c\\] \\#1\\; (x)");
        // 注 is two cells wide, é one, → one.
        assert_eq!(text(&["注é→".into(), "two".into()]), "xxxx\\ntwo");
    }

    #[test]
    fn input_has_groups_services_and_labels() {
        let node = |t: &str| Node { title: t.into(), lines: vec![t.into()], size: (0, 0) };
        let figure = Figure {
            direction: "left".into(),
            boxes: vec![node("A"), node("B")],
            services: vec![node("reg")],
            arrows: vec![Arrow { from: 0, to: 1, label: vec!["x".into()] }],
            service_arrows: vec![(0, 0)],
            groups: vec![Group { title: "Tier".into(), members: vec![1] }],
        };
        let ge = to_graph_easy(&figure);
        assert_eq!(
            ge,
            "graph { flow: west; }\n( Tier\n  [b1] { label: B; }\n)\n[b0] { label: A; }\n[s0] { \
             label: reg; border: none; }\n[b0] --> { label: x; } [b1]\n[s0] --> [b0]\n"
        );
    }

    #[test]
    fn measure_ignores_blank_margins() {
        assert_eq!(measure("\n┌──┐  \n│注│\n└──┘\n\n"), (4, 3));
        assert_eq!(measure(""), (0, 0));
    }
}
