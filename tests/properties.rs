//! Property tests: random valid YAML specs through the whole pipeline (parse, resolve, layout,
//! render), judged by what the drawing *says* (the read-back helper) and by the layout's own
//! documented guarantees.
//!
//! # What is generated
//!
//! Up to 40 boxes and 80 arrows drawn from patterns that the engine finds hard: plain pairs,
//! self-arrows, two-way pairs with distinct labels, repeated arrows, chains (the `a -> b -> c`
//! form), and chains with a long arrow skipping ranks. Endpoints are random, so cycles and
//! disconnected parts come for free. Labels are optional and may span several lines; services
//! serve one or several boxes; groups have disjoint member sets; text mixes ASCII, accented
//! Latin, CJK, emoji and stress words (`WWWWWWWWWW`, a word longer than any wrap width); any
//! of the four directions or none; an optional `max_width`. All three arrow syntaxes and both
//! `serves` forms are written, so the parser is exercised too.
//!
//! Every text starts with a token naming what it belongs to (`B07` box 7, `S02` service 2,
//! `G01` group 1, `L13` the label of arrow 13), so a read-back name maps to the spec without
//! guessing, whatever wrapping or ASCII folding did to the rest of the text.
//!
//! # Case counts
//!
//! `PROPTEST_CASES` sets the number of cases of each property (see [`cases`]); proptest's
//! other variables (`PROPTEST_MAX_SHRINK_ITERS`, …) work as usual. Shrunk failures are saved as
//! seeds in `tests/properties.proptest-regressions` and replayed first on every run. Once an
//! engine bug found here is fixed, its readable, minimised YAML goes into
//! `tests/fixtures/layout-fixed/` (described, with a `# Fixed:` line), checked on every run by
//! [`fixed_layout_bugs`]; `LAYOUT_BUGS=file.yaml` makes that test check one file instead,
//! while minimising.

use std::collections::BTreeMap;
use std::fmt;

use archdraw::layout::LayoutOptions;
use archdraw::model::text::TextBlock;
use archdraw::{Diagram, Format, Options};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::FileFailurePersistence;

use crate::readback::{self, Charset, Pair, Picture, multiset_diff};

// --- configuration ---------------------------------------------------------------------------

/// Cases per property when `PROPTEST_CASES` is unset. Sized so the whole file stays well under
/// two minutes in a debug build on two cores (the properties run in parallel, one per test
/// thread); CI runs every property, so one run checks several thousand specs in all.
const DEFAULT_CASES: u32 = 1_000;

/// Where shrunk failures are kept (as seeds), next to this file.
const REGRESSIONS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/properties.proptest-regressions");

/// `PROPTEST_CASES` if set and valid, else [`DEFAULT_CASES`] (proptest's own default, 256, is
/// used only when the variable is set to something unreadable).
fn cases() -> u32 {
    match std::env::var("PROPTEST_CASES") {
        Ok(v) => v.trim().parse().unwrap_or(256),
        Err(_) => DEFAULT_CASES,
    }
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(REGRESSIONS))),
        // A failing case prints its whole drawing; shrinking should not take longer than the
        // run itself.
        max_shrink_iters: 2_000,
        ..ProptestConfig::default()
    }
}

// --- the generated spec ----------------------------------------------------------------------

const MAX_BOXES: usize = 40;

const MAX_ARROWS: usize = 80;

/// A generated spec. `Debug` prints it as the YAML it stands for, so a shrunk failure can be
/// pasted straight into a fixture file.
#[derive(Clone)]
struct Case {
    title: Option<String>,
    direction: Option<&'static str>,
    max_width: Option<usize>,
    boxes: Vec<GenBox>,
    arrows: Vec<Entry>,
    services: Vec<GenService>,
    groups: Vec<GenGroup>,
}

#[derive(Debug, Clone)]
struct GenBox {
    title: String,
    text: Option<String>,
    items: Vec<String>,
}

/// One entry of `arrows:`.
#[derive(Debug, Clone)]
enum Entry {
    /// `a -> b -> c`: no labels allowed.
    Chain(Vec<usize>),
    /// One arrow, in one of the written forms.
    One { from: usize, to: usize, label: Option<String>, form: Form },
}

/// How a single arrow is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `a -> b` (no label), or `a -> b: label`.
    Short,
    /// `{from: a, to: b, label: …}`.
    Long,
    /// `a -> b:` with an empty value: no label.
    EmptyLabel,
}

#[derive(Debug, Clone)]
struct GenService {
    title: String,
    text: Option<String>,
    serves: Vec<usize>,
    /// `serves: b3` rather than `serves: [b3]` (only with one box).
    scalar: bool,
}

#[derive(Debug, Clone)]
struct GenGroup {
    title: String,
    boxes: Vec<usize>,
}

impl Case {
    fn yaml(&self) -> String {
        use fmt::Write;
        let mut y = String::new();
        let w = &mut y;
        if let Some(t) = &self.title {
            let _ = writeln!(w, "title: {}", quote(t));
        }
        if let Some(d) = self.direction {
            let _ = writeln!(w, "direction: {d}");
        }
        if let Some(m) = self.max_width {
            let _ = writeln!(w, "max_width: {m}");
        }
        let _ = writeln!(w, "boxes:");
        for (i, b) in self.boxes.iter().enumerate() {
            let _ = writeln!(w, "  - id: b{i}\n    title: {}", quote(&b.title));
            if let Some(t) = &b.text {
                let _ = writeln!(w, "    text: {}", quote(t));
            }
            if !b.items.is_empty() {
                let items: Vec<String> = b.items.iter().map(|s| quote(s)).collect();
                let _ = writeln!(w, "    items: [{}]", items.join(", "));
            }
        }
        if !self.arrows.is_empty() {
            let _ = writeln!(w, "arrows:");
        }
        for entry in &self.arrows {
            let _ = match entry {
                Entry::Chain(ids) => {
                    let ids: Vec<String> = ids.iter().map(|i| format!("b{i}")).collect();
                    writeln!(w, "  - {}", ids.join(" -> "))
                }
                Entry::One { from, to, label, form } => match (form, label) {
                    (Form::Short, None) => writeln!(w, "  - b{from} -> b{to}"),
                    (Form::Short, Some(l)) => writeln!(w, "  - b{from} -> b{to}: {}", quote(l)),
                    (Form::EmptyLabel, _) => writeln!(w, "  - \"b{from} -> b{to}\":"),
                    (Form::Long, None) => writeln!(w, "  - {{from: b{from}, to: b{to}}}"),
                    (Form::Long, Some(l)) => {
                        writeln!(w, "  - {{from: b{from}, to: b{to}, label: {}}}", quote(l))
                    }
                },
            };
        }
        if !self.services.is_empty() {
            let _ = writeln!(w, "services:");
        }
        for (k, s) in self.services.iter().enumerate() {
            let _ = writeln!(w, "  - id: s{k}\n    title: {}", quote(&s.title));
            if let Some(t) = &s.text {
                let _ = writeln!(w, "    text: {}", quote(t));
            }
            let serves: Vec<String> = s.serves.iter().map(|b| format!("b{b}")).collect();
            let _ = if s.scalar && serves.len() == 1 {
                writeln!(w, "    serves: {}", serves[0])
            } else {
                writeln!(w, "    serves: [{}]", serves.join(", "))
            };
        }
        if !self.groups.is_empty() {
            let _ = writeln!(w, "groups:");
        }
        for (k, g) in self.groups.iter().enumerate() {
            let boxes: Vec<String> = g.boxes.iter().map(|b| format!("b{b}")).collect();
            let _ = writeln!(
                w,
                "  - {{id: g{k}, title: {}, boxes: [{}]}}",
                quote(&g.title),
                boxes.join(", ")
            );
        }
        y
    }
}

impl fmt::Debug for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\n{}", self.yaml())
    }
}

/// A YAML double-quoted scalar.
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
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

fn box_token(i: usize) -> String {
    format!("B{i:02}")
}

fn service_token(k: usize) -> String {
    format!("S{k:02}")
}

fn group_token(k: usize) -> String {
    format!("G{k:02}")
}

fn label_token(e: usize) -> String {
    format!("L{e:02}")
}

// --- strategies ------------------------------------------------------------------------------

/// Words for box, service and label text. No word contains a token's shape (a capital letter
/// and two digits), so tokens stay unambiguous; no word is a line or head glyph on its own,
/// which the read-back conventions reserve.
const ASCII_WORDS: &[&str] = &[
    "Kafka",
    "dbt",
    "Airflow",
    "S3",
    "Flink",
    "orders",
    "users",
    "CDC",
    "(raw)",
    "v2",
    "x",
    "a",
    "ingest",
    "events",
    "real-time",
    "C++",
    "I/O",
    "(Flink/Storm)",
    "schema",
    "Reverse ETL",
    "Snowflake",
    "retry",
];
const WIDE_WORDS: &[&str] = &[
    "café",
    "naïve",
    "Zürich",
    "São Paulo",
    "Ærø",
    "e\u{301}té",
    "数据",
    "データ",
    "管道",
    "流水线",
    "한국어",
    "湖仓一体",
    "ｶﾀｶﾅ",
    "🚀",
    "📦",
    "✅",
    "👍🏽",
    "🇯🇵",
    "⚙️",
    "👨‍👩‍👧",
];
/// Words written with (or folding to, in ASCII) the glyphs lines are drawn with: outside a
/// box they must not read as lines (see `archdraw::model::open`).
const LINE_WORDS: &[&str] = &[
    "→", "—", "->", "<-", "--", "-", "|", "+", "a|b", "C++", "+1", "─", "│", "┼", "▶", "◀", "▲",
    "▼",
];
const STRESS_WORDS: &[&str] = &[
    "WWWWWWWWWW",
    "iiiiiiiiii",
    // Longer than the widest wrap (24): it has to be broken inside the word.
    "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
    "数据数据数据数据数据数据数据数据",
];

fn word() -> impl Strategy<Value = &'static str> {
    let mut wide = WIDE_WORDS.to_vec();
    wide.extend(LINE_WORDS);
    prop_oneof![
        6 => prop::sample::select(ASCII_WORDS),
        3 => prop::sample::select(wide),
        1 => prop::sample::select(STRESS_WORDS),
    ]
}

/// `min..=max` words on one line.
fn words(min: usize, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(word(), min..=max).prop_map(|w| w.join(" "))
}

/// One to three lines of text.
fn paragraph(max_words: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(words(1, max_words), 1..=3).prop_map(|lines| lines.join("\n"))
}

/// A token, then optionally more text (which may start a new line).
fn titled(token: String, rest: Option<(String, bool)>) -> String {
    match rest {
        None => token,
        Some((rest, newline)) => format!("{token}{}{rest}", if newline { "\n" } else { " " }),
    }
}

fn rest_of_title() -> impl Strategy<Value = Option<(String, bool)>> {
    prop::option::weighted(0.7, (words(1, 5), prop::bool::weighted(0.15)))
}

/// A box before its token is known.
#[derive(Debug, Clone)]
struct RawBox {
    title: Option<(String, bool)>,
    text: Option<String>,
    items: Vec<String>,
}

fn raw_box() -> impl Strategy<Value = RawBox> {
    (
        rest_of_title(),
        prop::option::weighted(0.3, paragraph(4)),
        prop::collection::vec(words(1, 4), 0..=3),
    )
        .prop_map(|(title, text, items)| RawBox { title, text, items })
}

type Label = Option<String>;

fn label() -> impl Strategy<Value = Label> {
    prop::option::weighted(0.4, (words(0, 4), prop::bool::weighted(0.2)))
        .prop_map(|l| l.map(|(w, nl)| if nl { format!("\n{w}") } else { w }))
}

fn form() -> impl Strategy<Value = Form> {
    prop_oneof![6 => Just(Form::Short), 3 => Just(Form::Long), 1 => Just(Form::EmptyLabel)]
}

/// The arrow patterns, with endpoints as indexes into whatever number of boxes there are.
#[derive(Debug, Clone)]
enum Pattern {
    Pair(Index, Index, Label, Form),
    SelfArrow(Index, Label, Form),
    /// `a -> b` and `b -> a`, each with its own label.
    TwoWay(Index, Index, Label, Label),
    /// The same arrow twice.
    Repeat(Index, Index, Label, Label),
    Chain(Vec<Index>),
    /// A chain of `len` boxes from `start` in box order, and a labelled arrow from its first
    /// box to its last, which skips ranks.
    Skip(Index, usize, Label),
}

fn pattern() -> impl Strategy<Value = Pattern> {
    let i = any::<Index>;
    prop_oneof![
        8 => (i(), i(), label(), form()).prop_map(|(a, b, l, f)| Pattern::Pair(a, b, l, f)),
        1 => (i(), label(), form()).prop_map(|(a, l, f)| Pattern::SelfArrow(a, l, f)),
        1 => (i(), i(), label(), label()).prop_map(|(a, b, l, m)| Pattern::TwoWay(a, b, l, m)),
        1 => (i(), i(), label(), label()).prop_map(|(a, b, l, m)| Pattern::Repeat(a, b, l, m)),
        2 => prop::collection::vec(i(), 2..=5).prop_map(Pattern::Chain),
        1 => (i(), 3..=6usize, label()).prop_map(|(a, n, l)| Pattern::Skip(a, n, l)),
    ]
}

#[derive(Debug, Clone)]
struct RawService {
    title: Option<(String, bool)>,
    text: Option<String>,
    serves: Vec<Index>,
    scalar: bool,
}

fn raw_service() -> impl Strategy<Value = RawService> {
    (
        rest_of_title(),
        prop::option::weighted(0.5, paragraph(3)),
        prop::collection::vec(any::<Index>(), 1..=4),
        any::<bool>(),
    )
        .prop_map(|(title, text, serves, scalar)| RawService { title, text, serves, scalar })
}

fn raw_group() -> impl Strategy<Value = (Option<String>, Vec<Index>)> {
    (
        prop::option::weighted(0.7, prop_oneof![3 => words(1, 3), 1 => words(6, 10)]),
        prop::collection::vec(any::<Index>(), 1..=6),
    )
}

/// Random valid specs, mostly small (most bugs show in a few boxes, and small cases are
/// cheap, so many more are tried), one in four up to the full size.
fn any_case() -> impl Strategy<Value = Case> {
    prop_oneof![3 => case(12, 16), 1 => case(MAX_BOXES, 50)]
}

/// Random valid specs; `max_boxes` and `max_patterns` bound their size.
fn case(max_boxes: usize, max_patterns: usize) -> impl Strategy<Value = Case> {
    let direction = prop::option::of(prop::sample::select(&["right", "down", "left", "up"][..]));
    (
        prop::collection::vec(raw_box(), 1..=max_boxes),
        prop::collection::vec(pattern(), 0..=max_patterns),
        prop::collection::vec(raw_service(), 0..=4),
        prop::collection::vec(raw_group(), 0..=3),
        (direction, prop::option::weighted(0.15, 20..=160usize), prop::option::of(words(1, 4))),
    )
        .prop_map(|(boxes, patterns, services, groups, (direction, max_width, title))| {
            resolve(boxes, patterns, services, groups, direction, max_width, title)
        })
}

fn resolve(
    raw_boxes: Vec<RawBox>,
    patterns: Vec<Pattern>,
    raw_services: Vec<RawService>,
    raw_groups: Vec<(Option<String>, Vec<Index>)>,
    direction: Option<&'static str>,
    max_width: Option<usize>,
    title: Option<String>,
) -> Case {
    let n = raw_boxes.len();
    let boxes = raw_boxes
        .into_iter()
        .enumerate()
        .map(|(i, b)| GenBox { title: titled(box_token(i), b.title), text: b.text, items: b.items })
        .collect();

    // Labels are numbered by arrow, in Diagram::edges order.
    let mut arrows = Vec::new();
    let mut count = 0;
    let mut push = |arrows: &mut Vec<Entry>, entry: Entry| {
        let k = match &entry {
            Entry::Chain(ids) => ids.len() - 1,
            Entry::One { .. } => 1,
        };
        if count + k > MAX_ARROWS {
            return;
        }
        let entry = match entry {
            Entry::One { from, to, label, form } => {
                let label = label.map(|l| format!("{}{}", label_token(count), spaced(&l)));
                Entry::One { from, to, label, form }
            }
            chain => chain,
        };
        count += k;
        arrows.push(entry);
    };
    for p in patterns {
        let one = |from: &Index, to: &Index, label: Label, form| Entry::One {
            from: from.index(n),
            to: to.index(n),
            label,
            form,
        };
        match p {
            Pattern::Pair(a, b, l, f) => push(&mut arrows, one(&a, &b, l, f)),
            Pattern::SelfArrow(a, l, f) => push(&mut arrows, one(&a, &a, l, f)),
            Pattern::TwoWay(a, b, l, m) => {
                push(&mut arrows, one(&a, &b, l, Form::Short));
                push(&mut arrows, one(&b, &a, m, Form::Long));
            }
            Pattern::Repeat(a, b, l, m) => {
                push(&mut arrows, one(&a, &b, l, Form::Short));
                push(&mut arrows, one(&a, &b, m, Form::Short));
            }
            Pattern::Chain(ids) => {
                push(&mut arrows, Entry::Chain(ids.iter().map(|i| i.index(n)).collect()));
            }
            Pattern::Skip(a, len, l) => {
                let start = a.index(n);
                let ids: Vec<usize> = (0..len).map(|k| (start + k) % n).collect();
                let last = ids[len - 1];
                push(&mut arrows, Entry::Chain(ids));
                let form = Form::Long;
                push(&mut arrows, Entry::One { from: start, to: last, label: l, form });
            }
        }
    }

    let mut services = Vec::new();
    for s in raw_services {
        let mut serves: Vec<usize> = Vec::new();
        for i in &s.serves {
            let b = i.index(n);
            if !serves.contains(&b) {
                serves.push(b);
            }
        }
        if serves.is_empty() {
            continue;
        }
        services.push(GenService {
            title: titled(service_token(services.len()), s.title),
            text: s.text,
            serves,
            scalar: s.scalar,
        });
    }

    // Disjoint member sets: a box already in an earlier group is left out of later ones.
    let mut taken = vec![false; n];
    let mut groups = Vec::new();
    for (title, members) in raw_groups {
        let mut boxes = Vec::new();
        for i in &members {
            let b = i.index(n);
            if !taken[b] {
                taken[b] = true;
                boxes.push(b);
            }
        }
        if !boxes.is_empty() {
            let token = group_token(groups.len());
            let title = match title {
                Some(t) => format!("{token} {t}"),
                None => token,
            };
            groups.push(GenGroup { title, boxes });
        }
    }
    Case { title, direction, max_width, boxes, arrows, services, groups }
}

/// `" rest"`, or `rest` as is when it starts a new line or is empty.
fn spaced(rest: &str) -> String {
    if rest.is_empty() || rest.starts_with('\n') { rest.to_owned() } else { format!(" {rest}") }
}

// --- checks ----------------------------------------------------------------------------------

fn diagram(yaml: &str) -> Result<Diagram, TestCaseError> {
    // A generated spec that does not resolve is a bug in the generator, not in the engine.
    let spec = archdraw::parse(yaml).map_err(|e| TestCaseError::fail(format!("parse: {e}")))?;
    Diagram::from_spec(&spec).map_err(|e| TestCaseError::fail(format!("resolve: {e}")))
}

/// The token a read-back name starts with (`B07 数据` → `B07`).
fn token(name: &str) -> String {
    name.split_whitespace().next().unwrap_or_default().to_owned()
}

/// A text block's characters with all white space removed: what must survive wrapping.
fn squeezed(blocks: &[&TextBlock]) -> String {
    blocks
        .iter()
        .flat_map(|b| b.lines.iter())
        .flat_map(|l| l.text.chars())
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// What a drawing must say, by token (a text's first word: `B07` for a box titled
/// `B07 数据`).
struct Expected {
    /// Each box's token, in diagram order.
    boxes: Vec<String>,
    /// Each service's token.
    services: Vec<String>,
    /// The arrows and service arrows, sorted.
    edges: Vec<Pair>,
    /// Each group's token and its boxes' tokens, sorted.
    groups: Vec<(String, Vec<String>)>,
    /// Per arrow: `None` without a label, `Some(token)` with one, where `token` is its first
    /// word if that is a label token (`L13`): such a token must appear exactly once.
    labels: Vec<Option<Option<String>>>,
}

impl Expected {
    fn of(d: &Diagram) -> Self {
        let first = |b: &TextBlock| b.lines.first().map(|l| token(&l.text)).unwrap_or_default();
        let boxes: Vec<String> = d.nodes.iter().map(|n| first(&n.title)).collect();
        let services: Vec<String> = d.services.iter().map(|s| first(&s.title)).collect();
        let mut edges: Vec<Pair> =
            d.edges.iter().map(|e| (boxes[e.from.0].clone(), boxes[e.to.0].clone())).collect();
        for (s, name) in d.services.iter().zip(&services) {
            edges.extend(s.serves.iter().map(|b| (name.clone(), boxes[b.0].clone())));
        }
        edges.sort();
        let labels = d
            .edges
            .iter()
            .map(|e| {
                let label = e.label.as_ref().filter(|l| !l.is_empty())?;
                let word = first(label);
                let is_token = word.len() == 3
                    && word.starts_with('L')
                    && word[1..].chars().all(|c| c.is_ascii_digit());
                Some(is_token.then_some(word))
            })
            .collect();
        let groups = d
            .groups
            .iter()
            .map(|g| {
                let mut members: Vec<String> = g.nodes.iter().map(|n| boxes[n.0].clone()).collect();
                members.sort();
                (first(&g.title), members)
            })
            .collect();
        Self { boxes, services, edges, groups, labels }
    }
}

/// Renders `yaml` in `charset` and checks the drawing against the spec. Boxes, services and
/// labels are recognised by the first word of their text, which must be unique.
fn check_drawing(yaml: &str, charset: Charset) -> Result<(), TestCaseError> {
    let format = match charset {
        Charset::Unicode => Format::Text,
        Charset::Ascii => Format::Ascii,
    };
    let options = Options { format, ..Options::default() };
    let text = archdraw::render(yaml, &options).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let fail = |what: String| TestCaseError::fail(format!("{charset:?}: {what}\n{text}"));

    // The pipeline again, stage by stage (ASCII folds text before layout): the layout gives
    // label positions, and the same bytes a second time show rendering is deterministic.
    let spec = Expected::of(&diagram(yaml)?);
    let mut d = diagram(yaml)?;
    d = match charset {
        Charset::Ascii => d.to_ascii(),
        Charset::Unicode => d.to_unicode_text(),
    };
    let layout = archdraw::layout(&d, &LayoutOptions::default());
    prop_assert!(
        archdraw::render::text::render(&layout, charset) == text,
        "{charset:?}: a second render of the same spec differs"
    );

    if charset == Charset::Ascii
        && let Some((r, line)) = text.lines().enumerate().find(|(_, l)| !l.is_ascii())
    {
        return Err(fail(format!("not 7-bit on row {r}: {line:?}")));
    }
    readback::no_trailing_spaces(&text).map_err(fail)?;
    let widths = readback::cell_width_of_each_line(&text);
    if let Some((r, w)) = widths.iter().enumerate().find(|(_, w)| **w > layout.width) {
        return Err(fail(format!(
            "row {r} is {w} cells, wider than the layout's {}",
            layout.width
        )));
    }
    prop_assert!(widths.len() <= layout.height, "{charset:?}: more rows than the layout's height");

    // Every line ends at a box, service or head: read_back fails otherwise.
    let picture: Picture = readback::read_back(&text, charset)
        .map_err(|e| fail(format!("does not read back: {e}")))?;
    readback::boxes_do_not_overlap(&picture).map_err(fail)?;

    // Boxes: each exactly once, with all its text intact.
    let mut found: BTreeMap<String, usize> = BTreeMap::new();
    for b in &picture.boxes {
        *found.entry(token(&b.name)).or_default() += 1;
    }
    let mut want: BTreeMap<String, usize> = BTreeMap::new();
    for t in &spec.boxes {
        *want.entry(t.clone()).or_default() += 1;
    }
    if found != want {
        return Err(fail(format!("boxes drawn {found:?}, spec has {want:?}")));
    }
    let bullet = match charset {
        Charset::Unicode => "• ",
        Charset::Ascii => "* ",
    };
    for b in &picture.boxes {
        let name = token(&b.name);
        let i = spec.boxes.iter().position(|t| *t == name).expect("every box found is in the spec");
        let node = &d.nodes[i];
        let mut blocks = vec![&node.title, &node.text];
        blocks.extend(&node.items);
        let drawn: String = b
            .lines
            .iter()
            .map(|l| l.strip_prefix(bullet).unwrap_or(l))
            .flat_map(str::chars)
            .filter(|c| !c.is_whitespace())
            .collect();
        if drawn != squeezed(&blocks) {
            return Err(fail(format!("box {name} reads {:?}", b.lines)));
        }
    }

    // Services: each once, named by its token.
    let mut services: Vec<String> = picture.services.iter().map(|s| token(&s.name)).collect();
    services.sort();
    let mut want = spec.services.clone();
    want.sort();
    if services != want {
        return Err(fail(format!("services drawn {services:?}, spec has {want:?}")));
    }

    // Frames: one per group, titled as the group.
    let mut frames: Vec<String> = picture.frames.iter().map(|f| f.title.clone()).collect();
    frames.sort();
    let mut groups: Vec<String> = d
        .groups
        .iter()
        .map(|g| g.title.lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join(" "))
        .collect();
    groups.sort();
    if frames != groups {
        return Err(fail(format!("frames drawn {frames:?}, groups are {groups:?}")));
    }

    // Each frame holds exactly its group's boxes.
    for f in &picture.frames {
        let name = token(&f.title);
        let Some((_, members)) = spec.groups.iter().find(|(t, _)| *t == name) else {
            return Err(fail(format!("frame {:?} is no group's", f.title)));
        };
        let mut inside: Vec<String> = picture
            .boxes
            .iter()
            .filter(|b| b.rect.overlaps(&f.rect))
            .map(|b| token(&b.name))
            .collect();
        inside.sort();
        if inside != *members {
            return Err(fail(format!("frame {name} holds {inside:?}, its group {members:?}")));
        }
    }

    // Arrows: exactly the spec's, as a multiset.
    let mut edges: Vec<Pair> = picture.edges.iter().map(|(a, b)| (token(a), token(b))).collect();
    edges.sort();
    let expected = &spec.edges;
    if edges != *expected {
        let (missing, extra) = multiset_diff(expected, &edges);
        return Err(fail(format!(
            "arrows differ from the spec\nmissing: {missing:?}\nextra: {extra:?}"
        )));
    }

    // What the read-back takes for inline labels are lines of placed labels, nothing else.
    for found in &picture.labels {
        let known = layout.labels.iter().flat_map(|l| &l.lines).any(|t| t.text == found.text);
        if !known {
            return Err(fail(format!(
                "{:?} at row {} col {} reads as a label but is none",
                found.text, found.row, found.col
            )));
        }
    }

    // Labels: each labelled arrow has one, drawn intact where the layout put it, and its
    // token appears nowhere else.
    let rows: Vec<&str> = text.lines().collect();
    for (e, label) in spec.labels.iter().enumerate() {
        let placed: Vec<_> = layout.labels.iter().filter(|l| l.edge == e).collect();
        let want = usize::from(label.is_some());
        if placed.len() != want {
            return Err(fail(format!(
                "arrow {e} has {} labels placed, wants {want}",
                placed.len()
            )));
        }
        for line in placed.iter().flat_map(|l| &l.lines) {
            let drawn = rows.get(line.y).map(|row| readback::cells(row, line.x, line.width));
            if drawn.as_deref() != Some(line.text.as_str()) {
                return Err(fail(format!(
                    "label line {:?} at row {} col {} reads {drawn:?}",
                    line.text, line.y, line.x
                )));
            }
        }
        if let Some(Some(token)) = label {
            let times = text.matches(token.as_str()).count();
            if times != 1 {
                return Err(fail(format!("label {token} appears {times} times")));
            }
        }
    }
    Ok(())
}

/// The layout's documented guarantees (see [`archdraw::Layout`] and [`archdraw::layout::Route`]),
/// checked on the data itself rather than on a drawing of it by the library's own
/// [`archdraw::layout::verify`], and the JSON form of the same layout.
fn check_layout(yaml: &str) -> Result<(), TestCaseError> {
    let d = diagram(yaml)?;
    let l = archdraw::layout(&d, &LayoutOptions::default());
    let fail = |what: String| {
        let text = archdraw::render::text::render(&l, Charset::Unicode);
        TestCaseError::fail(format!("layout: {what}\n{text}"))
    };

    // The JSON form is this layout, and parses.
    let json = archdraw::render(yaml, &Options { format: Format::Json, ..Options::default() })
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let value: serde_json::Value =
        serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("JSON: {e}")))?;
    prop_assert_eq!(value["width"].as_u64(), Some(l.width as u64));
    prop_assert_eq!(value["height"].as_u64(), Some(l.height as u64));
    prop_assert_eq!(value["routes"].as_array().map(Vec::len), Some(l.routes.len()));

    archdraw::layout::verify(&l, &d).map_err(|broken| fail(broken.to_string()))
}

// --- the properties --------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(cases()))]

    /// The Unicode drawing says exactly what the spec says.
    #[test]
    fn text_drawings_read_back_as_the_spec(case in any_case()) {
        check_drawing(&case.yaml(), Charset::Unicode)?;
    }

    /// The ASCII drawing (text folded to 7 bits before layout) says exactly what the spec says.
    #[test]
    fn ascii_drawings_read_back_as_the_spec(case in any_case()) {
        check_drawing(&case.yaml(), Charset::Ascii)?;
    }

    /// The layout keeps the guarantees its documentation gives.
    #[test]
    fn layouts_keep_their_guarantees(case in any_case()) {
        check_layout(&case.yaml())?;
    }
}

proptest! {
    #![proptest_config(config(cases() / 4))]

    /// Issue 3, acceptance 3: with `max_width: 80`, a chain of up to eight boxes fits 80
    /// columns, whatever their titles (each fits the narrowest wrap once broken).
    #[test]
    fn eight_box_chains_fit_80_columns(
        titles in prop::collection::vec(words(1, 4), 2..=8),
        direction in prop::sample::select(&["right", "down", "left", "up"][..]),
    ) {
        let ids: Vec<String> = (0..titles.len()).map(|i| format!("b{i}")).collect();
        let mut yaml = format!("direction: {direction}\nmax_width: 80\nboxes:\n");
        for (i, t) in titles.iter().enumerate() {
            yaml.push_str(&format!("  - {{id: b{i}, title: {}}}\n", quote(&format!("{} {t}", box_token(i)))));
        }
        yaml.push_str(&format!("arrows:\n  - {}\n", ids.join(" -> ")));
        for format in [Format::Text, Format::Ascii] {
            let text = archdraw::render(&yaml, &Options { format, ..Options::default() })
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let widest = readback::cell_width_of_each_line(&text).into_iter().max().unwrap_or(0);
            prop_assert!(widest <= 80, "{format:?}: {widest} columns\n{yaml}\n{text}");
        }
    }
}

/// The engine bugs the properties found, since fixed, minimised and described in
/// `tests/fixtures/layout-fixed/` (each file with a `# Fixed:` line), through the same checks
/// as the properties: they stay fixed. `LAYOUT_BUGS=path` checks that folder or YAML file
/// instead, which is handy while minimising a new failure:
/// `LAYOUT_BUGS=file.yaml cargo test --test integration fixed_layout_bugs`.
#[test]
fn fixed_layout_bugs() {
    let default = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/layout-fixed");
    check_fixtures(&std::env::var("LAYOUT_BUGS").unwrap_or(default.into()));
}

/// Checks `path`, a YAML file or every `.yaml` file in a folder, as the properties check a
/// generated spec, and fails listing every check that does not hold.
fn check_fixtures(path: &str) {
    let dir = std::path::PathBuf::from(path);
    let mut paths: Vec<_> = if dir.is_file() {
        vec![dir.clone()]
    } else {
        std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.expect("a directory entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect()
    };
    paths.sort();
    assert!(!paths.is_empty(), "no fixtures in {}", dir.display());
    let mut failing = Vec::new();
    for path in &paths {
        let yaml = std::fs::read_to_string(path).expect("a fixture");
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let checks = [
            ("text", check_drawing(&yaml, Charset::Unicode)),
            ("ascii", check_drawing(&yaml, Charset::Ascii)),
            ("layout", check_layout(&yaml)),
        ];
        for (what, result) in checks {
            if let Err(e) = result {
                failing.push(format!("{name} ({what}): {e}"));
            }
        }
    }
    assert!(failing.is_empty(), "{} still failing:\n\n{}", failing.len(), failing.join("\n\n"));
}
