//! Embedding archdraw: a diagram from YAML, one built in code, and each pipeline stage.
//!
//! The library does no I/O; this example prints its results and nothing else.
//!
//! ```text
//! cargo run --example embed
//! ```

use archdraw::layout::LayoutOptions;
use archdraw::model::Direction;
use archdraw::render::{svg, text};
use archdraw::{Diagram, Format, Limits, Options};

fn main() -> Result<(), archdraw::Error> {
    // 1. The common case: YAML in, a drawing out.
    let yaml = "
boxes:
  - {id: app, title: App}
  - {id: db, title: Database, items: [orders, users]}
arrows:
  - app -> db: SQL
";
    println!("{}", archdraw::render(yaml, &Options::default())?);

    // 2. Errors are data: every problem, each with a line and column, for your own UI.
    let typo = "boxes: [{title: App}, {title: DB}]\narrows: [app -> dbb]\n";
    if let Err(error) = archdraw::render(typo, &Options::default()) {
        for d in &error.diagnostics {
            let (line, column) = d.span.map_or((0, 0), |s| (s.line, s.column));
            println!(
                "problem at {line}:{column}: {} ({})",
                d.message,
                d.help.as_deref().unwrap_or("")
            );
        }
    }

    // 3. A diagram built in code, checked like YAML, then drawn stage by stage.
    let diagram = Diagram::builder()
        .title("Orders")
        .direction(Direction::Down)
        .node("web", "Web shop")
        .node("orders", "Order service")
        .text("(Rust)")
        .node("db", "Postgres")
        .items(["orders", "payments"])
        .arrow("web", "orders")
        .label("HTTP")
        .arrow("orders", "db")
        .service("auth", "Auth", ["web", "orders"])
        .build()?;
    // The layout is made for the charset it will be drawn in: the text is folded first, so
    // boxes are sized for the text drawn. try_layout and check_text keep the staged path
    // inside the same budgets as render(): a diagram too big to lay out, or to draw as text,
    // is an error, not an abort.
    let limits = Limits::default();
    let ascii = LayoutOptions {
        max_width: Some(60),
        charset: Some(text::Charset::Ascii),
        ..LayoutOptions::default()
    };
    let layout = archdraw::layout::try_layout(&diagram, &ascii, &limits)?;
    archdraw::layout::check_text(&layout, &limits)?;
    println!("{}", text::render(&layout, text::Charset::Ascii));
    // An SVG draws the text as written, in the diagram's theme, style and font.
    let layout = archdraw::layout::try_layout(&diagram, &LayoutOptions::default(), &limits)?;
    let svg = svg::render(&layout, &svg::SvgOptions::for_appearance(diagram.appearance));
    println!("SVG: {} bytes", svg.len());

    // 4. Untrusted input: tighter limits than the defaults.
    let mut limits = Limits::default();
    limits.max_input_bytes = 64 << 10;
    limits.max_boxes = 200;
    let options = Options { format: Format::Ascii, limits, ..Options::default() };
    println!("{}", archdraw::render("boxes: [{title: Tight}]", &options)?);
    Ok(())
}
