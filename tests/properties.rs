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
//! Latin, CJK, emoji, stress words (`WWWWWWWWWW`, a word longer than any wrap width) and
//! hostile words that look like part of a drawing (lone `v ^ < > | + -`, `->`, `...`,
//! `--flag`, `<!-- archdraw:end -->`, `───`, `+--+`); any of the four directions or none; an
//! optional `max_width`. All three arrow syntaxes and both
//! `serves` forms are written, so the parser is exercised too.
//!
//! Most texts start with a token naming what it belongs to (`B07` box 7, `S02` service 2,
//! `G01` group 1, `L13` the label of arrow 13); a title, group title or label may instead be
//! only a hostile word. The oracle tells things apart by all of their text (see
//! `readback::expect`), and things whose text is the same are interchangeable.
//!
//! # Case counts
//!
//! `PROPTEST_CASES` sets the number of cases of each property (see [`cases`]: anything but a
//! whole number of at least 8 is refused), `PROPTEST_RNG_SEED` the seed they are drawn from
//! (see [`seed`]: new on every run unless set; every failure names the seed and case count
//! that replay it). Proptest's other variables (`PROPTEST_MAX_SHRINK_ITERS`, …) work as usual.
//! Shrunk failures are saved as seeds in `tests/properties.proptest-regressions` and replayed
//! first on every run. Once an engine bug found here is fixed, its readable, minimised YAML
//! goes into `tests/fixtures/layout-fixed/` (described, with a `# Fixed:` line), checked on
//! every run by [`fixed_layout_bugs`]; `LAYOUT_BUGS=file.yaml` checks one more file, while
//! minimising.
//!
//! # The oracle
//!
//! What a drawing must say comes from the generator's own lists ([`Case::expected`]), and
//! `tests/oracle.rs` must read the same from the YAML: never from the library's resolver, so
//! a bug there (arrows merged, a label dropped) cannot move the expectation with it.

use std::fmt;

use archdraw::layout::LayoutOptions;
use archdraw::{Diagram, Format, Options};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{FileFailurePersistence, RngSeed};

use crate::oracle;
use crate::readback::expect::{
    self, Expected, ExpectedArrow, ExpectedBox, ExpectedGroup, ExpectedService,
};
use crate::readback::{self, Charset, Picture};

// --- configuration ---------------------------------------------------------------------------

/// Cases per property when `PROPTEST_CASES` is unset: enough that a quick `cargo test` tries a
/// few hundred new specs per property, few enough that the README's test command stays well
/// under ten minutes from a cold cache on two cores. CI runs the properties again with 1,000
/// cases each (`.ci/run`), so one CI run checks several thousand specs in all.
const DEFAULT_CASES: u32 = 256;

/// The fewest cases `PROPTEST_CASES` may ask for: the smallest property runs a quarter of
/// them, and a property of one or two cases proves next to nothing.
const MIN_CASES: u32 = 8;

/// Where shrunk failures are kept (as seeds), next to this file.
const REGRESSIONS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/properties.proptest-regressions");

/// `PROPTEST_CASES` if set, else [`DEFAULT_CASES`]. Anything but a whole number of at least
/// [`MIN_CASES`] is refused loudly, never replaced by some default: a typo must not quietly
/// run no cases, or many more than asked.
fn cases() -> u32 {
    let value = match std::env::var("PROPTEST_CASES") {
        Err(std::env::VarError::NotPresent) => return DEFAULT_CASES,
        Err(std::env::VarError::NotUnicode(v)) => panic!("PROPTEST_CASES={v:?} is not a number"),
        Ok(value) => value,
    };
    match value.trim().parse::<u32>() {
        Ok(n) if n >= MIN_CASES => n,
        Ok(n) => panic!(
            "PROPTEST_CASES={n} is below {MIN_CASES}: a property would run too few cases to mean \
             anything"
        ),
        Err(_) => panic!("PROPTEST_CASES={value:?} is not a whole number of cases"),
    }
}

/// The seed all properties draw their cases from: `PROPTEST_RNG_SEED` if set (CI sets a new
/// one on every run and prints it), else one taken from the clock, so every run tries new
/// specs. Every failure message names it, so the run can be replayed.
fn seed() -> u64 {
    static SEED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *SEED.get_or_init(|| match std::env::var("PROPTEST_RNG_SEED") {
        Ok(v) => v.trim().parse().unwrap_or_else(|_| {
            panic!("PROPTEST_RNG_SEED={v:?} is not a seed (a whole number below 2^64)")
        }),
        Err(_) => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
            now ^ (u64::from(std::process::id()) << 32)
        }
    })
}

/// `cases` cases drawn from [`seed`]; `salt` keeps two properties from drawing the same specs.
fn config(cases: u32, salt: u64) -> ProptestConfig {
    let defaults = ProptestConfig::default();
    // A failing case prints its whole drawing; shrinking should not take longer than the run
    // itself, unless PROPTEST_MAX_SHRINK_ITERS says otherwise.
    let max_shrink_iters = match std::env::var_os("PROPTEST_MAX_SHRINK_ITERS") {
        Some(_) => defaults.max_shrink_iters,
        None => 2_000,
    };
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(seed() ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15)),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(REGRESSIONS))),
        max_shrink_iters,
        ..defaults
    }
}

/// `result`, its failure naming the seed and case count that replay it.
fn replayable<T>(result: Result<T, TestCaseError>) -> Result<T, TestCaseError> {
    result.map_err(|e| match e {
        TestCaseError::Fail(reason) => TestCaseError::fail(format!(
            "{}\n(this run: PROPTEST_RNG_SEED={} PROPTEST_CASES={})",
            reason.message(),
            seed(),
            cases()
        )),
        reject => reject,
    })
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
/// and two digits), so tokens stay unambiguous.
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
    // Markup in SVG unless escaped.
    "R&D",
    "<tag>",
    "\"quoted\"",
    "it's",
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
/// Words that look like part of a drawing (issue 16): lone heads and line glyphs, arrows and
/// dashes in words, a flag, a Markdown marker, lines and box corners. They come in every
/// position, and a title, a group's title or a label may be nothing but one of them.
const HOSTILE_WORDS: &[&str] = &[
    "v",
    "^",
    "<",
    ">",
    "|",
    "+",
    "-",
    "->",
    "...",
    "--flag",
    "--full-refresh",
    "<!-- archdraw:end -->",
    "<!-- archdraw:begin -->",
    "───",
    "+--+",
    "|",
    "x -> y",
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
        2 => prop::sample::select(HOSTILE_WORDS),
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

/// A token, then optionally more text (which may start a new line); or, for a [`Rest::Bare`]
/// title, only that hostile word and no token.
fn titled(token: String, rest: Rest) -> String {
    match rest {
        Rest::None => token,
        Rest::Words(rest, newline) => {
            format!("{token}{}{rest}", if newline { "\n" } else { " " })
        }
        Rest::Bare(word) => word.to_owned(),
    }
}

/// [`titled`], but a bare hostile word another box (or service) already says exactly so gets
/// its token back: two things the drawing cannot tell apart would leave the arrows between
/// them ambiguous, whatever the engine did. The word itself is still drawn.
fn distinct(token: String, rest: Rest, taken: impl Fn(&str) -> bool) -> String {
    match rest {
        Rest::Bare(word) if taken(word) => titled(token, Rest::Words(word.to_owned(), false)),
        rest => titled(token, rest),
    }
}

/// What follows a title's token.
#[derive(Debug, Clone)]
enum Rest {
    None,
    /// More words, on the token's line or (`true`) the next.
    Words(String, bool),
    /// No token at all: the title is only this [hostile word](HOSTILE_WORDS).
    Bare(&'static str),
}

fn rest_of_title() -> impl Strategy<Value = Rest> {
    prop_oneof![
        3 => Just(Rest::None),
        6 => (words(1, 5), prop::bool::weighted(0.15)).prop_map(|(w, nl)| Rest::Words(w, nl)),
        1 => prop::sample::select(HOSTILE_WORDS).prop_map(Rest::Bare),
    ]
}

/// A box before its token is known.
#[derive(Debug, Clone)]
struct RawBox {
    title: Rest,
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

/// A label's words after its token, or (`Rest::Bare`) a label that is only a hostile word.
type Label = Option<Rest>;

fn label() -> impl Strategy<Value = Label> {
    prop::option::weighted(
        0.4,
        prop_oneof![
            9 => (words(0, 4), prop::bool::weighted(0.2)).prop_map(|(w, nl)| Rest::Words(w, nl)),
            1 => prop::sample::select(HOSTILE_WORDS).prop_map(Rest::Bare),
        ],
    )
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
    title: Rest,
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

fn raw_group() -> impl Strategy<Value = (Rest, Vec<Index>)> {
    (
        prop_oneof![
            3 => Just(Rest::None),
            5 => words(1, 3).prop_map(|w| Rest::Words(w, false)),
            2 => words(6, 10).prop_map(|w| Rest::Words(w, false)),
            1 => prop::sample::select(HOSTILE_WORDS).prop_map(Rest::Bare),
        ],
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
    raw_groups: Vec<(Rest, Vec<Index>)>,
    direction: Option<&'static str>,
    max_width: Option<usize>,
    title: Option<String>,
) -> Case {
    let n = raw_boxes.len();
    let boxes =
        raw_boxes.into_iter().enumerate().fold(Vec::<GenBox>::new(), |mut boxes, (i, b)| {
            let title = distinct(box_token(i), b.title, |t| {
                boxes.iter().any(|x| x.title == t && x.text == b.text && x.items == b.items)
            });
            boxes.push(GenBox { title, text: b.text, items: b.items });
            boxes
        });

    // Labels are numbered by arrow, in Diagram::edges order.
    let mut arrows = Vec::new();
    let mut count = 0;
    let mut push = |arrows: &mut Vec<Entry>, entry: Entry, label: Label| {
        let k = match &entry {
            Entry::Chain(ids) => ids.len() - 1,
            Entry::One { .. } => 1,
        };
        if count + k > MAX_ARROWS {
            return;
        }
        let entry = match entry {
            Entry::One { from, to, form, .. } => {
                let label = label.map(|rest| match rest {
                    Rest::Words(w, false) if w.is_empty() => label_token(count),
                    rest => titled(label_token(count), rest),
                });
                Entry::One { from, to, label, form }
            }
            chain => chain,
        };
        count += k;
        arrows.push(entry);
    };
    for p in patterns {
        let one = |from: &Index, to: &Index, form| Entry::One {
            from: from.index(n),
            to: to.index(n),
            label: None,
            form,
        };
        match p {
            Pattern::Pair(a, b, l, f) => push(&mut arrows, one(&a, &b, f), l),
            Pattern::SelfArrow(a, l, f) => push(&mut arrows, one(&a, &a, f), l),
            Pattern::TwoWay(a, b, l, m) => {
                push(&mut arrows, one(&a, &b, Form::Short), l);
                push(&mut arrows, one(&b, &a, Form::Long), m);
            }
            Pattern::Repeat(a, b, l, m) => {
                push(&mut arrows, one(&a, &b, Form::Short), l);
                push(&mut arrows, one(&a, &b, Form::Short), m);
            }
            Pattern::Chain(ids) => {
                push(&mut arrows, Entry::Chain(ids.iter().map(|i| i.index(n)).collect()), None);
            }
            Pattern::Skip(a, len, l) => {
                let start = a.index(n);
                let ids: Vec<usize> = (0..len).map(|k| (start + k) % n).collect();
                let last = ids[len - 1];
                push(&mut arrows, Entry::Chain(ids), None);
                let form = Form::Long;
                push(&mut arrows, Entry::One { from: start, to: last, label: None, form }, l);
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
        let title = distinct(service_token(services.len()), s.title, |t| {
            services.iter().any(|x: &GenService| x.title == t && x.text == s.text)
        });
        services.push(GenService { title, text: s.text, serves, scalar: s.scalar });
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
            let title = titled(group_token(groups.len()), title);
            groups.push(GenGroup { title, boxes });
        }
    }
    Case { title, direction, max_width, boxes, arrows, services, groups }
}

// --- checks ----------------------------------------------------------------------------------

// The SVG, JSON and PNG of the same specs.
mod formats;
#[cfg(feature = "png")]
use formats::check_png;
use formats::{check_json, check_svg};

fn diagram(yaml: &str) -> Result<Diagram, TestCaseError> {
    // A generated spec that does not resolve is a bug in the generator, not in the engine.
    let spec = archdraw::parse(yaml).map_err(|e| TestCaseError::fail(format!("parse: {e}")))?;
    Diagram::from_spec(&spec).map_err(|e| TestCaseError::fail(format!("resolve: {e}")))
}

impl Case {
    /// What the drawing must say, from the generator's own lists: the test's oracle. It never
    /// goes through the library (`tests/oracle.rs` reads the same from the YAML, and each
    /// property checks that both agree).
    fn expected(&self) -> Expected {
        let mut arrows = Vec::new();
        for entry in &self.arrows {
            match entry {
                Entry::Chain(ids) => arrows.extend(ids.windows(2).map(|w| ExpectedArrow {
                    from: w[0],
                    to: w[1],
                    label: None,
                })),
                Entry::One { from, to, label, form } => arrows.push(ExpectedArrow {
                    from: *from,
                    to: *to,
                    label: label.clone().filter(|_| *form != Form::EmptyLabel),
                }),
            }
        }
        Expected {
            title: self.title.clone(),
            boxes: self
                .boxes
                .iter()
                .enumerate()
                .map(|(i, b)| ExpectedBox {
                    id: format!("b{i}"),
                    title: b.title.clone(),
                    text: b.text.clone(),
                    items: b.items.clone(),
                })
                .collect(),
            arrows,
            services: self
                .services
                .iter()
                .enumerate()
                .map(|(k, s)| ExpectedService {
                    id: format!("s{k}"),
                    title: s.title.clone(),
                    text: s.text.clone(),
                    serves: s.serves.clone(),
                })
                .collect(),
            groups: self
                .groups
                .iter()
                .enumerate()
                .map(|(k, g)| ExpectedGroup {
                    id: format!("g{k}"),
                    title: g.title.clone(),
                    boxes: g.boxes.clone(),
                })
                .collect(),
        }
    }

    /// The oracle, after checking that reading the YAML gives what the generator meant.
    fn checked_expected(&self) -> Result<Expected, TestCaseError> {
        let yaml = self.yaml();
        let read =
            oracle::expected(&yaml).map_err(|e| TestCaseError::fail(format!("oracle: {e}")))?;
        let meant = self.expected();
        prop_assert_eq!(&read, &meant, "the oracle reads the YAML other than the generator meant");
        Ok(meant)
    }
}

/// Renders `yaml` in `charset` and checks the drawing against `spec` (see
/// [`readback::expect::compare`]), and against the layout the library computed for it (the
/// renderer draws what the layout decided: widths, label positions, the same bytes twice).
fn check_drawing(yaml: &str, spec: &Expected, charset: Charset) -> Result<(), TestCaseError> {
    let format = match charset {
        Charset::Unicode => Format::Text,
        Charset::Ascii => Format::Ascii,
    };
    let options = Options { format, ..Options::default() };
    let text = archdraw::render(yaml, &options).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let fail = |what: String| TestCaseError::fail(format!("{charset:?}: {what}\n{text}"));

    if charset == Charset::Ascii {
        readback::seven_bit_drawing(&text, yaml).map_err(fail)?;
    }
    readback::no_trailing_spaces(&text).map_err(fail)?;

    // Every line ends at a box, service or head, every label is on one arrow, and all text
    // belongs to something: read_back fails otherwise.
    let picture: Picture = readback::read_back(&text, charset)
        .map_err(|e| fail(format!("does not read back: {e}")))?;
    readback::boxes_do_not_overlap(&picture).map_err(fail)?;
    // Boxes with their text, services, frames, arrows and labels: exactly the spec's.
    expect::compare(spec, &picture, charset).map_err(fail)?;

    // The pipeline again, stage by stage (the words are laid out as written in either
    // charset): the layout's canvas and label positions, and the same bytes a second time.
    let d = diagram(yaml)?;
    let layout = archdraw::layout(&d, &LayoutOptions::default());
    prop_assert!(
        archdraw::render::text::render(&layout, charset) == text,
        "{charset:?}: a second render of the same spec differs"
    );
    let widths = readback::cell_width_of_each_line(&text);
    if let Some((r, w)) = widths.iter().enumerate().find(|(_, w)| **w > layout.width) {
        return Err(fail(format!(
            "row {r} is {w} cells, wider than the layout's {}",
            layout.width
        )));
    }
    prop_assert!(widths.len() <= layout.height, "{charset:?}: more rows than the layout's height");
    // Every label line where the layout put it, intact: nothing drew over it.
    let rows: Vec<&str> = text.lines().collect();
    for (e, arrow) in spec.arrows.iter().enumerate() {
        let placed: Vec<_> = layout.labels.iter().filter(|l| l.edge == e).collect();
        let want = usize::from(arrow.label.is_some());
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
    #![proptest_config(config(cases(), 1))]

    /// The Unicode drawing says exactly what the spec says.
    #[test]
    fn text_drawings_read_back_as_the_spec(case in any_case()) {
        replayable(case.checked_expected().and_then(|spec| {
            check_drawing(&case.yaml(), &spec, Charset::Unicode)
        }))?;
    }
}

proptest! {
    #![proptest_config(config(cases(), 2))]

    /// The ASCII drawing (a 7-bit drawing, the words as written) says exactly what the spec says.
    #[test]
    fn ascii_drawings_read_back_as_the_spec(case in any_case()) {
        replayable(case.checked_expected().and_then(|spec| {
            check_drawing(&case.yaml(), &spec, Charset::Ascii)
        }))?;
    }
}

proptest! {
    #![proptest_config(config(cases(), 3))]

    /// The layout keeps the guarantees its documentation gives.
    #[test]
    fn layouts_keep_their_guarantees(case in any_case()) {
        replayable(check_layout(&case.yaml()))?;
    }
}

proptest! {
    #![proptest_config(config(cases(), 5))]

    /// The SVG says what the spec says, escaped, with nothing overlapping (see [`check_svg`]).
    #[test]
    fn svg_drawings_hold_the_spec(case in any_case()) {
        replayable(case.checked_expected().and_then(|spec| check_svg(&case.yaml(), &spec)))?;
    }
}

proptest! {
    #![proptest_config(config(cases(), 6))]

    /// The JSON layout's routes join the spec's boxes (see [`check_json`]).
    #[test]
    fn json_routes_join_their_boxes(case in any_case()) {
        replayable(case.checked_expected().and_then(|spec| check_json(&case.yaml(), &spec)))?;
    }
}

#[cfg(feature = "png")]
proptest! {
    // Rasterising is the slowest stage by far; a tenth of the cases.
    #![proptest_config(config((cases() / 10).max(2), 7))]

    /// The PNG renders and is deterministic (see [`check_png`]). The smaller specs only: a
    /// 40-box picture is millions of pixels, a second each to rasterise.
    #[test]
    fn png_renders_the_same_bytes_twice(case in case(12, 16)) {
        replayable(check_png(&case.yaml()))?;
    }
}

proptest! {
    #![proptest_config(config(cases() / 4, 4))]

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
            let text = replayable(archdraw::render(&yaml, &Options { format, ..Options::default() })
                .map_err(|e| TestCaseError::fail(e.to_string())))?;
            let widest = readback::cell_width_of_each_line(&text).into_iter().max().unwrap_or(0);
            replayable((|| {
                prop_assert!(widest <= 80, "{format:?}: {widest} columns\n{yaml}\n{text}");
                Ok(())
            })())?;
        }
    }
}

/// The engine bugs the properties found, since fixed, minimised and described in
/// `tests/fixtures/layout-fixed/` (each file with a `# Fixed:` line), through the same checks
/// as the properties: they stay fixed. While minimising a new failure,
/// `LAYOUT_BUGS=file.yaml cargo test --test integration fixed_layout_bugs` checks that file
/// (or folder) too; the fixtures are checked all the same, and CI refuses the variable.
#[test]
fn fixed_layout_bugs() {
    check_fixtures(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/layout-fixed"));
    if let Ok(extra) = std::env::var("LAYOUT_BUGS") {
        assert!(
            std::env::var("CI").is_err(),
            "LAYOUT_BUGS={extra} is set in CI, where only the committed fixtures count"
        );
        check_fixtures(&extra);
    }
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
        let spec = oracle::expected(&yaml)
            .unwrap_or_else(|e| panic!("{name}: the oracle cannot read it: {e}"));
        let checks = [
            ("text", check_drawing(&yaml, &spec, Charset::Unicode)),
            ("ascii", check_drawing(&yaml, &spec, Charset::Ascii)),
            ("layout", check_layout(&yaml)),
            ("svg", check_svg(&yaml, &spec)),
        ];
        for (what, result) in checks {
            if let Err(e) = result {
                failing.push(format!("{name} ({what}): {e}"));
            }
        }
    }
    assert!(failing.is_empty(), "{} still failing:\n\n{}", failing.len(), failing.join("\n\n"));
}
