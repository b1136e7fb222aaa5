//! Unit tests of the read-back helper itself: hand-drawn pictures whose meaning we know, each
//! read in Unicode and (transliterated) in ASCII. The helper judges every spec's drawing, so it
//! must be shown to reject bad drawings, not only to accept good ones.

use super::*;

/// Copies of the reference figures from `shared/reference/` (the printed page's figures).
const FIVE_BOX: &str = include_str!("figures/five-box.txt");
const LAMBDA: &str = include_str!("figures/lambda.txt");
const KAPPA: &str = include_str!("figures/kappa.txt");

/// Drops the leading newline of a raw-string picture.
const fn pic(s: &str) -> &str {
    s.split_at(1).1
}

fn edges(list: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<_> = list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    v.sort();
    v
}

/// The ASCII renderer's glyphs for a Unicode picture, cell for cell.
fn ascii(s: &str) -> String {
    s.lines()
        .map(|line| {
            let top = line.contains(['╭', '╮']);
            line.chars()
                .map(|c| match c {
                    '─' => '-',
                    '│' => '|',
                    '┌' | '┐' | '└' | '┘' | '├' | '┤' | '┬' | '┴' | '┼' => '+',
                    '▶' => '>',
                    '◀' => '<',
                    '▲' => '^',
                    '▼' => 'v',
                    '•' => '*',
                    '╭' | '╮' => '.',
                    '╰' | '╯' => '\'',
                    '┄' if top => '.',
                    '┄' => '\'',
                    '┆' => ':',
                    c => c,
                })
                .collect::<String>()
                + "\n"
        })
        .collect()
}

/// The picture in both charsets.
fn both(unicode: &str) -> [(Charset, String); 2] {
    [(Charset::Unicode, unicode.to_owned()), (Charset::Ascii, ascii(unicode))]
}

fn read_ok(text: &str, charset: Charset) -> Picture {
    read_back(text, charset).unwrap_or_else(|e| panic!("{charset:?}: {e}\n{text}"))
}

fn read_err(text: &str, charset: Charset) -> String {
    match read_back(text, charset) {
        Ok(p) => panic!("{charset:?}: expected an error, read {:?}\n{text}", p.edges),
        Err(e) => e,
    }
}

/// The drawing is rejected, or read as something other than `wrong`.
fn assert_not_read_as(text: &str, charset: Charset, wrong: &[(String, String)]) {
    if let Ok(p) = read_back(text, charset) {
        assert_ne!(p.edges, wrong, "{charset:?}: read as the intended picture\n{text}");
    }
}

#[test]
fn five_box_reference() {
    for (cs, text) in both(FIVE_BOX) {
        let p = read_ok(&text, cs);
        let names: Vec<_> = p.boxes.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["SOURCES", "INGEST", "STORAGE", "TRANSFORM", "SERVE"], "{cs:?}");
        assert_eq!(p.boxes[0].rect, Rect::new(0, 0, 16, 9));
        assert_eq!(
            p.boxes[4].lines.last().map(String::as_str),
            Some(if cs == Charset::Ascii { "* ML serving" } else { "• ML serving" })
        );
        let services: Vec<_> = p.services.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(services, ["schema registry", "metadata catalog", "lineage tracker"], "{cs:?}");
        assert_eq!(p.services[1].lines, ["metadata catalog", "(Datahub /", "Atlas / Unity)"]);
        assert_eq!(
            p.edges,
            edges(&[
                ("SOURCES", "INGEST"),
                ("INGEST", "STORAGE"),
                ("STORAGE", "TRANSFORM"),
                ("TRANSFORM", "SERVE"),
                ("schema registry", "INGEST"),
                ("metadata catalog", "STORAGE"),
                ("lineage tracker", "TRANSFORM"),
            ]),
            "{cs:?}"
        );
        boxes_do_not_overlap(&p).unwrap();
        no_trailing_spaces(&text).unwrap();
    }
}

const FAN_OUT_TEE: &str = pic("
┌───┐     ┌───┐
│ A │──┬─▶│ B │
└───┘  │  └───┘
       │  ┌───┐
       └─▶│ C │
          └───┘
");

const FAN_OUT_SIDE: &str = pic("
┌───┐
│ A │──┐  ┌───┐
└───┘  ├─▶│ B │
       │  └───┘
       │  ┌───┐
       └─▶│ C │
          └───┘
");

#[test]
fn fan_out_shares_a_trunk() {
    for fig in [FAN_OUT_TEE, FAN_OUT_SIDE] {
        for (cs, text) in both(fig) {
            assert_eq!(
                read_ok(&text, cs).edges,
                edges(&[("A", "B"), ("A", "C")]),
                "{cs:?}\n{text}"
            );
        }
    }
}

const FAN_IN: &str = pic("
┌───┐
│ A │──┐
└───┘  │  ┌───┐
       ├─▶│ C │
┌───┐  │  └───┘
│ B │──┘
└───┘
");

#[test]
fn fan_in_shares_a_trunk() {
    for (cs, text) in both(FAN_IN) {
        assert_eq!(read_ok(&text, cs).edges, edges(&[("A", "C"), ("B", "C")]), "{cs:?}");
    }
}

const CROSSING: &str = pic("
        ┌───┐
        │ C │
        └───┘
          │
┌───┐     │     ┌───┐
│ A │─────│────▶│ B │
└───┘     │     └───┘
          ▼
        ┌───┐
        │ D │
        └───┘
");

#[test]
fn a_crossing_keeps_two_networks_apart() {
    for (cs, text) in both(CROSSING) {
        assert_eq!(read_ok(&text, cs).edges, edges(&[("A", "B"), ("C", "D")]), "{cs:?}");
    }
}

#[test]
fn a_junction_where_a_crossing_belongs_merges_the_arrows() {
    // The same drawing with `┼`: one network, so every source reaches every head.
    let merged = CROSSING.replace("─────│────", "─────┼────");
    let want = edges(&[("A", "B"), ("A", "D"), ("C", "B"), ("C", "D")]);
    for (cs, text) in both(&merged) {
        assert_eq!(read_ok(&text, cs).edges, want, "{cs:?}");
    }
}

/// A's line crosses C's two lines, which run in neighbouring columns.
const BRIDGE: &str = pic("
        ┌────┐
        │ C  │
        └────┘
          ││
┌───┐     ││
│ A │────────────┐
└───┘     ││     │
          ▼▼     ▼
        ┌────┐ ┌───┐
        │ D  │ │ B │
        └────┘ └───┘
");

#[test]
fn a_line_crossing_side_by_side_verticals_passes_over_them() {
    let want = edges(&[("A", "B"), ("C", "D"), ("C", "D")]);
    for (cs, text) in both(BRIDGE) {
        assert_eq!(read_ok(&text, cs).edges, want, "{cs:?}");
    }
    // Drawn `─││─`, the horizontal line cannot be followed past the verticals.
    let hidden = BRIDGE.replace("│ A │────────────┐", "│ A │─────││─────┐");
    for (cs, text) in both(&hidden) {
        assert!(read_err(&text, cs).contains("ends in the open"), "{cs:?}");
    }
}

#[test]
fn crossing_next_to_a_corner() {
    // The horizontal line turns right after the crossing; the `┐` still points at the `│`.
    let fig = pic("
        ┌───┐
        │ C │
        └───┘
          │
┌───┐     │
│ A │─────│┐
└───┘     ││
          ▼▼
        ┌────┐
        │ D  │
        └────┘
");
    let p = read_ok(fig, Charset::Unicode);
    assert_eq!(p.edges, edges(&[("A", "D"), ("C", "D")]));
}

#[test]
fn a_crossing_right_behind_a_head_is_an_error() {
    // The A → B line jumps C → D's line in the cell before its head: the head seems to hang
    // off the vertical line (`│▶`), so a reader could take C's line for B's.
    let fig = pic("
          ┌───┐
          │ C │
          └───┘
            │
┌───┐       │ ┌───┐
│ A │───────│▶│ B │
└───┘       │ └───┘
            ▼
          ┌───┐
          │ D │
          └───┘
");
    for (cs, text) in both(fig) {
        let e = read_err(&text, cs);
        assert!(e.contains("not attached") || e.contains("ends in the open"), "{cs:?}: {e}");
    }
}

#[test]
fn a_line_stopping_at_a_head_beside_a_line_is_no_crossing() {
    // The same, with the A line stopping short of the vertical line: in ASCII `-- |>` the head
    // is not fed, and the line ends in the open.
    let fig = pic("
          ┌───┐
          │ C │
          └───┘
            │
┌───┐       │ ┌───┐
│ A │────── │▶│ B │
└───┘       │ └───┘
            ▼
          ┌───┐
          │ D │
          └───┘
");
    for (cs, text) in both(fig) {
        read_err(&text, cs);
    }
}

const LABELLED: &str = pic("
┌───┐                                  ┌───┐
│ A │── approximate real-time view ───▶│ B │
└───┘   (second line)                  └───┘
");

#[test]
fn an_inline_label_interrupts_its_line() {
    for (cs, text) in both(LABELLED) {
        let p = read_ok(&text, cs);
        assert_eq!(p.edges, edges(&[("A", "B")]), "{cs:?}");
        assert_eq!(
            p.labels,
            [FoundLabel {
                text: "approximate real-time view".into(),
                row: 1,
                col: 8,
                lines: vec!["approximate real-time view".into(), "(second line)".into()],
                arrow: 0,
            }]
        );
        assert!(p.services.is_empty(), "an extra label line is not a service");
    }
}

#[test]
fn labels_with_line_characters_in_ascii() {
    // A hyphen inside a word and "C++" are text.
    for label in ["real-time", "C++ jobs", "vacuum", "a|b"] {
        let fig = format!(
            "+---+{pad}+---+\n| A |-- {label} -->| B |\n+---+{pad}+---+\n",
            pad = " ".repeat(label.len() + 7)
        );
        let p = read_ok(&fig, Charset::Ascii);
        assert_eq!(p.edges, edges(&[("A", "B")]), "{label}");
        assert_eq!(p.labels[0].lines, [label], "{label}");
    }
    // A lone ` - ` joins no box: it is the label's, not a piece of line between two labels.
    // So are a label that is only line glyphs, and an arrow written in words.
    for label in ["a - b", "->", "--flag", "x -> y", "|", "+--+"] {
        let pad = " ".repeat(label.len() + 7);
        let fig = format!("+---+{pad}+---+\n| A |-- {label} -->| B |\n+---+{pad}+---+\n");
        let p = read_ok(&fig, Charset::Ascii);
        assert_eq!(p.edges, edges(&[("A", "B")]), "{label}");
        assert_eq!(p.labels[0].lines, [label], "{label}");
    }
}

#[test]
fn a_label_glued_to_its_line_is_not_a_label() {
    // `──streaming──` (as in the printed Kappa figure): the line touches text, which reads as a
    // service, so the edge set is wrong.
    let fig = pic("
┌───┐             ┌───┐
│ A │──streaming─▶│ B │
└───┘             └───┘
");
    assert_not_read_as(fig, Charset::Unicode, &edges(&[("A", "B")]));
}

const CJK: &str = pic("
┌────────┐    ┌──────┐
│ 数据源 │───▶│ 仓库 │
│ 👍🏽 ok  │    └──────┘
└────────┘
");

#[test]
fn wide_graphemes_take_two_cells() {
    for (cs, text) in both(CJK) {
        let p = read_ok(&text, cs);
        assert_eq!(p.edges, edges(&[("数据源", "仓库")]), "{cs:?}");
        assert_eq!(p.boxes[0].rect, Rect::new(0, 0, 10, 4));
        assert_eq!(p.boxes[0].lines, ["数据源", "👍🏽 ok"]);
        assert_eq!(cell_width_of_each_line(&text)[..2], [22, 22]);
    }
}

#[test]
fn wide_graphemes_counted_as_one_cell_break_the_box() {
    // A renderer counting chars, not cells: the right border of the CJK row is 3 cells off.
    let fig = pic("
┌─────┐    ┌───┐
│ 数据源 │───▶│ 仓库 │
└─────┘    └───┘
");
    for (cs, text) in both(fig) {
        let read = read_back(&text, cs);
        assert!(
            read.as_ref().map_or(true, |p| p.edges != edges(&[("数据源", "仓库")])),
            "{cs:?}: {read:?}"
        );
        assert_ne!(cell_width_of_each_line(&text)[0], cell_width_of_each_line(&text)[1]);
    }
}

#[test]
fn a_wrong_merge_shows_as_extra_edges() {
    // A → B and C → D drawn through one shared trunk: the drawing says four arrows.
    let fig = pic("
┌───┐        ┌───┐
│ A │──┐  ┌─▶│ B │
└───┘  │  │  └───┘
       ├──┤
┌───┐  │  │  ┌───┐
│ C │──┘  └─▶│ D │
└───┘        └───┘
");
    let want = edges(&[("A", "B"), ("A", "D"), ("C", "B"), ("C", "D")]);
    for (cs, text) in both(fig) {
        let p = read_ok(&text, cs);
        assert_eq!(p.edges, want, "{cs:?}");
        assert_ne!(p.edges, edges(&[("A", "B"), ("C", "D")]));
    }
}

#[test]
fn a_line_ending_in_the_open_is_an_error() {
    let fig = pic("
┌───┐      ┌───┐
│ A │───┐  │ B │
└───┘   │  └───┘
        │
");
    for (cs, text) in both(fig) {
        assert!(read_err(&text, cs).contains("line ends in the open at row 3 col 8"), "{cs:?}");
    }
    let stub = pic("
┌───┐      ┌───┐
│ A │───   │ B │
└───┘      └───┘
");
    for (cs, text) in both(stub) {
        assert!(read_err(&text, cs).contains("line ends in the open at row 1 col 7"), "{cs:?}");
    }
}

#[test]
fn other_broken_drawings_are_errors() {
    let cases = [
        // A head one cell short of the box.
        ("│ A │──▶ │ B │", "points at no box"),
        // A line with no head at all.
        ("│ A │────│ B │", "reaches no arrowhead"),
        // A line from nowhere into a head.
        ("│ A │ ──▶│ B │", "in the open"),
    ];
    for (row, want) in cases {
        let fig = format!("┌───┐     ┌───┐\n{row}\n└───┘     └───┘\n");
        let fig = fig.replacen(
            "┌───┐     ┌───┐",
            &format!("┌───┐{}┌───┐", " ".repeat(row.chars().count() - 10)),
            1,
        );
        let fig = fig.replacen(
            "└───┘     └───┘",
            &format!("└───┘{}└───┘", " ".repeat(row.chars().count() - 10)),
            1,
        );
        for (cs, text) in both(&fig) {
            let e = read_err(&text, cs);
            assert!(e.contains(want), "{cs:?}: {e}\n{text}");
        }
    }
    // A line leaving a box at its corner, and a head pointing at a corner.
    let tail_at_corner = pic("
┌───┐
│ A │
└───┘
│
│  ┌───┐
└─▶│ B │
   └───┘
");
    let head_at_corner = pic("
┌───┐
│ A │
└───┘
  │
  ▼
  ┌───┐
  │ B │
  └───┘
");
    for (cs, text) in both(tail_at_corner) {
        assert_eq!(
            read_err(&text, cs),
            "line at row 3 col 0 touches box `A` at a corner",
            "{cs:?}"
        );
    }
    for (cs, text) in both(head_at_corner) {
        assert!(read_err(&text, cs).contains("at row 4 col 2 points at no box"), "{cs:?}");
    }
}

#[test]
fn the_printed_lambda_figure_is_not_read_as_lambda() {
    // Its arrows point into label text and Source never reaches the Speed Layer.
    let lambda = edges(&[
        ("Source", "Speed Layer"),
        ("Source", "Batch Layer"),
        ("Speed Layer", "Serve"),
        ("Batch Layer", "Serve"),
    ]);
    for (cs, text) in both(LAMBDA) {
        match read_back(&text, cs) {
            Err(e) => assert!(e.contains("points at no box"), "{cs:?}: {e}"),
            Ok(p) => assert_ne!(p.edges, lambda, "{cs:?}"),
        }
    }
}

#[test]
fn the_printed_kappa_figure_is_not_read_as_kappa() {
    // Its labels are glued to their lines (`──streaming──`, ` replay──┐`).
    let kappa = edges(&[("Source", "Kafka log"), ("Kafka log", "Serve"), ("Kafka log", "Replay")]);
    for (cs, text) in both(KAPPA) {
        if let Ok(p) = read_back(&text, cs) {
            assert_ne!(p.edges, kappa, "{cs:?}");
        }
    }
}

const SIDE_SERVICE: &str = pic("
┌───┐
│ A │
└───┘
  │
  ▼
┌───┐
│ B │◀────schema registry
└───┘     (Confluent)
  │
  ▼
┌───┐
│ C │◀────vault
└───┘
");

#[test]
fn services_beside_a_top_down_flow() {
    for (cs, text) in both(SIDE_SERVICE) {
        let p = read_ok(&text, cs);
        let want = edges(&[("A", "B"), ("B", "C"), ("schema registry", "B"), ("vault", "C")]);
        assert_eq!(p.edges, want, "{cs:?}");
        assert_eq!(p.services[0].lines, ["schema registry", "(Confluent)"]);
        assert_eq!(p.services[0].rect, Rect::new(10, 6, 15, 2));
    }
}

const FRAMED: &str = pic("
        ╭┄ Lakehouse ┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄╮
┌───┐   ┆ ┌────────┐    ┌────────┐    ┆
│ S │────▶│ bronze │───▶│ silver │    ┆
└───┘   ┆ └────────┘    └────────┘    ┆
        ╰┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄╯
");

#[test]
fn frames_are_neither_boxes_nor_lines() {
    for (cs, text) in both(FRAMED) {
        let p = read_ok(&text, cs);
        assert_eq!(p.edges, edges(&[("S", "bronze"), ("bronze", "silver")]), "{cs:?}");
        assert_eq!(
            p.frames,
            [FoundFrame { title: "Lakehouse".into(), rect: Rect::new(8, 0, 31, 5) }],
            "{cs:?}"
        );
        boxes_do_not_overlap(&p).unwrap();
    }
}

#[test]
fn a_box_straddling_a_frame_is_an_overlap() {
    let mut p = read_ok(FRAMED, Charset::Unicode);
    p.boxes[0].rect.x = 7; // now it reaches the frame's left border
    p.boxes[0].rect.width = 3;
    assert!(boxes_do_not_overlap(&p).unwrap_err().contains("straddles"));
    let mut p = read_ok(FAN_IN, Charset::Unicode);
    p.boxes[1].rect = p.boxes[0].rect;
    assert!(boxes_do_not_overlap(&p).unwrap_err().contains("overlaps"));
}

#[test]
fn ascii_v_in_text_is_not_a_head() {
    // `v` under a line but inside a word, and `v` in free text, are text.
    let fig = "+---+\n| A |\n+---+\n  ^\n  |\nvault v1\n";
    let p = read_ok(fig, Charset::Ascii);
    assert_eq!(p.edges, edges(&[("vault v1", "A")]));
}

#[test]
fn trailing_spaces_are_found() {
    assert!(no_trailing_spaces("a\nb\n").is_ok());
    assert_eq!(
        no_trailing_spaces("a\nb \nc\n").unwrap_err(),
        "trailing white space on row 1: \"b \""
    );
}

// --- labels on their arrows ------------------------------------------------------------------

const ON_A_BRANCH: &str = pic("
┌───┐          ┌───┐
│ A │──┬─ x ──▶│ B │
└───┘  │       └───┘
       │       ┌───┐
       └──────▶│ C │
               └───┘
");

#[test]
fn a_label_on_a_fan_out_branch_is_that_arrows() {
    for (cs, text) in both(ON_A_BRANCH) {
        let p = read_ok(&text, cs);
        assert_eq!(p.labels.len(), 1, "{cs:?}");
        let arrow = &p.arrows[p.labels[0].arrow];
        assert_eq!((arrow.from, p.boxes[arrow.to].name.as_str()), (End::Box(0), "B"), "{cs:?}");
    }
}

#[test]
fn a_label_on_a_shared_trunk_is_an_error() {
    let fig = pic("
┌───┐          ┌───┐
│ A │─ x ─┬───▶│ B │
└───┘     │    └───┘
          │    ┌───┐
          └───▶│ C │
               └───┘
");
    for (cs, text) in both(fig) {
        assert_eq!(read_err(&text, cs), "label \"x\" at row 1 col 7 is on a line 2 arrows share");
    }
}

const BESIDE: &str = pic("
┌───┐┌───┐
│ A ││ C │
└───┘└───┘
  │    │
  │ ab │
  ▼    ▼
┌──────────┐
│    B     │
└──────────┘
");

#[test]
fn a_label_beside_a_vertical_line_is_that_lines() {
    for (cs, text) in both(BESIDE) {
        let p = read_ok(&text, cs);
        assert_eq!(p.labels.len(), 1, "{cs:?}");
        assert_eq!((p.labels[0].row, p.labels[0].col, p.labels[0].text.as_str()), (4, 4, "ab"));
        let arrow = &p.arrows[p.labels[0].arrow];
        assert_eq!(arrow.from, End::Box(0), "{cs:?}: the label of A's arrow, not C's");
    }
}

#[test]
fn a_label_glued_to_another_arrows_line_is_an_error() {
    let glued = BESIDE.replace("  │ ab │", "  │ abc│");
    for (cs, text) in both(&glued) {
        assert!(read_err(&text, cs).contains("touches another arrow's line"), "{cs:?}");
    }
}

#[test]
fn text_that_belongs_to_nothing_is_an_error() {
    let fig = pic("
┌───┐      ┌───┐
│ A │─────▶│ B │
└───┘      └───┘
   stray
");
    for (cs, text) in both(fig) {
        assert_eq!(
            read_err(&text, cs),
            "text \"stray\" at row 3 col 3 is in no box, frame, service or label"
        );
    }
}

// --- ASCII words and lines -------------------------------------------------------------------

#[test]
fn ascii_a_bar_between_letters_under_a_line_is_a_line() {
    // `a|b` is a word in free text, but with a line coming down onto the `|` a reader sees the
    // line run through the word: the read-back must not take it for text.
    let word = "+---+\n| B |\n+---+\n  ^\n  |\n  a|b\n";
    assert_eq!(read_ok(word, Charset::Ascii).edges, edges(&[("a|b", "B")]));
    let through = "+---+\n| B |\n+---+\n  ^\n  |\n a|b\n";
    assert!(read_back(through, Charset::Ascii).is_err(), "{through}");
}

#[test]
fn ascii_a_plus_after_a_word_with_a_line_after_it_is_a_corner() {
    // "C++" is a word; "C+-->" is a line leaving from a `+` right after a letter, which a
    // reader cannot tell from a corner: not a service named "C+".
    let word = "+---+\n| B |<--C++\n+---+\n";
    assert_eq!(read_ok(word, Charset::Ascii).edges, edges(&[("C++", "B")]));
    let corner = "+---+      +---+\n| B |  C+-->| D |\n+---+      +---+\n";
    assert!(read_back(corner, Charset::Ascii).is_err());
}

// --- comparing with the spec -------------------------------------------------------------------

mod compare {
    use super::super::expect::{Expected, ExpectedArrow, ExpectedBox, ExpectedService, compare};
    use super::*;

    fn boxes(list: &[(&str, Option<&str>)]) -> Vec<ExpectedBox> {
        list.iter()
            .enumerate()
            .map(|(i, (title, text))| ExpectedBox {
                id: format!("b{i}"),
                title: (*title).to_owned(),
                text: text.map(str::to_owned),
                items: Vec::new(),
            })
            .collect()
    }

    fn arrow(from: usize, to: usize, label: Option<&str>) -> ExpectedArrow {
        ExpectedArrow { from, to, label: label.map(str::to_owned) }
    }

    /// In ASCII only the drawing is 7-bit: `cjk-flow.yaml`'s words folded to `????` do not say
    /// the spec; drawn as written they do, and an arrow drawn the wrong way round is caught.
    #[test]
    fn ascii_text_beyond_ascii_must_be_drawn_as_written() {
        let mut spec = Expected {
            boxes: boxes(&[("取り込み", Some("Kafka")), ("湖仓一体", Some("Iceberg 🧊"))]),
            arrows: vec![arrow(0, 1, None)],
            ..Expected::default()
        };
        let folded = "+-------+    +-----------+\n| ????  |--->|   ????    |\n| Kafka |    | Iceberg ? |\n+-------+    +-----------+\n";
        assert!(compare(&spec, &read_ok(folded, Charset::Ascii), Charset::Ascii).is_err());
        let kept = "+----------+    +------------+\n| 取り込み |--->|  湖仓一体  |\n|  Kafka   |    | Iceberg 🧊 |\n+----------+    +------------+\n";
        let picture = read_ok(kept, Charset::Ascii);
        compare(&spec, &picture, Charset::Ascii).unwrap();
        spec.arrows = vec![arrow(1, 0, None)];
        let e = compare(&spec, &picture, Charset::Ascii).unwrap_err();
        assert!(e.contains("arrows differ"), "{e}");
    }

    #[test]
    fn a_repeated_arrow_drawn_once_is_caught() {
        let picture = read_ok(&super::ascii(LABELLED), Charset::Ascii);
        let spec = Expected {
            boxes: boxes(&[("A", None), ("B", None)]),
            arrows: vec![
                arrow(0, 1, Some("approximate real-time view (second line)")),
                arrow(0, 1, None),
            ],
            ..Expected::default()
        };
        let e = compare(&spec, &picture, Charset::Ascii).unwrap_err();
        assert!(e.contains("\"A\" -> \"B\": 2 in the spec, 1 drawn"), "{e}");
    }

    #[test]
    fn labels_are_compared_word_for_word_on_their_arrow() {
        let picture = read_ok(LABELLED, Charset::Unicode);
        let mut spec = Expected {
            boxes: boxes(&[("A", None), ("B", None)]),
            arrows: vec![arrow(0, 1, Some("approximate\nreal-time view (second line)"))],
            ..Expected::default()
        };
        compare(&spec, &picture, Charset::Unicode).unwrap();
        spec.arrows[0].label = Some("approximate real-time view".into());
        assert!(compare(&spec, &picture, Charset::Unicode).unwrap_err().contains("labels differ"));
        spec.arrows[0].label = None;
        assert!(compare(&spec, &picture, Charset::Unicode).unwrap_err().contains("labels differ"));
    }

    #[test]
    fn services_are_compared_with_their_text_and_targets() {
        let picture = read_ok(SIDE_SERVICE, Charset::Unicode);
        let service = |title: &str, text: Option<&str>, serves: Vec<usize>| ExpectedService {
            id: title.to_owned(),
            title: title.to_owned(),
            text: text.map(str::to_owned),
            serves,
        };
        let mut spec = Expected {
            boxes: boxes(&[("A", None), ("B", None), ("C", None)]),
            arrows: vec![arrow(0, 1, None), arrow(1, 2, None)],
            services: vec![
                service("schema registry", Some("(Confluent)"), vec![1]),
                service("vault", None, vec![2]),
            ],
            ..Expected::default()
        };
        compare(&spec, &picture, Charset::Unicode).unwrap();
        spec.services[1].serves = vec![1];
        assert!(compare(&spec, &picture, Charset::Unicode).unwrap_err().contains("arrows differ"));
        spec.services[1].serves = vec![2];
        spec.services[0].text = Some("(Apicurio)".into());
        assert!(compare(&spec, &picture, Charset::Unicode).unwrap_err().contains("services"));
    }
}
