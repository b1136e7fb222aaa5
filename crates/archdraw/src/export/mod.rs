//! A validated [`Diagram`](crate::Diagram) written out as source in other languages: a Mermaid
//! flowchart (GitHub renders it natively), Graphviz DOT, and archdraw's own YAML spec.
//!
//! Every writer escapes text for its language, so no label can break out of its quotes, and
//! the matching reader in [`crate::import`] reads the output back as the same diagram: the
//! same boxes with the same title, text and items, the same arrows with their labels, the same
//! groups, and services as services (Mermaid and DOT mark them with the class `service`).
//!
//! ```
//! let spec = archdraw::parse("
//! boxes: [{id: app, title: App}, {id: db, title: Database}]
//! arrows: [{app -> db: SQL}]
//! ")?;
//! let diagram = archdraw::Diagram::from_spec(&spec)?;
//! let mermaid = archdraw::export::mermaid(&diagram);
//! assert!(mermaid.contains("app -->|\"SQL\"| db"));
//! let back = archdraw::import::mermaid(&mermaid)?;
//! assert_eq!(back.spec.boxes[1].title.value, "Database");
//! # Ok::<(), archdraw::Error>(())
//! ```

mod dot;
mod mermaid;
mod yaml;

pub use dot::dot;
pub use mermaid::mermaid;
pub use yaml::yaml;

use crate::model::text::TextBlock;
use crate::model::{Node, Service};

/// A block's lines joined with line breaks.
fn text(block: &TextBlock) -> String {
    let lines: Vec<&str> = block.lines.iter().map(|l| l.text.as_str()).collect();
    lines.join("\n")
}

/// The lines of a box's label as Mermaid and DOT show it: the title, the text, then one
/// `• item` per item (an item's further lines indented by two spaces), which
/// [`crate::import`] splits back into title, text and items.
fn box_lines(node: &Node) -> Vec<String> {
    let mut lines: Vec<String> = node.title.lines.iter().map(|l| l.text.clone()).collect();
    lines.extend(node.text.lines.iter().map(|l| l.text.clone()));
    for item in &node.items {
        for (i, line) in item.lines.iter().enumerate() {
            lines.push(if i == 0 {
                format!("• {}", line.text)
            } else {
                format!("  {}", line.text)
            });
        }
    }
    lines
}

/// A service's label lines: its title, then its text.
fn service_lines(service: &Service) -> Vec<String> {
    let title = service.title.lines.iter();
    title.chain(&service.text.lines).map(|l| l.text.clone()).collect()
}

/// Ids made safe for a language and unique: `make` maps an id to a safe form, and clashes
/// get `_2`, `_3`… appended.
#[derive(Debug, Default)]
struct SafeIds {
    used: std::collections::HashSet<String>,
}

impl SafeIds {
    fn unique(&mut self, base: String) -> String {
        let mut id = base.clone();
        let mut n = 1;
        while self.used.contains(&id) {
            n += 1;
            id = format!("{base}_{n}");
        }
        self.used.insert(id.clone());
        id
    }
}
