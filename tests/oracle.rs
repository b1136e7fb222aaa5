//! The test oracle: what a drawing must say, read from the spec's YAML text by this file alone.
//!
//! The YAML is parsed generically (into JSON values, as an editor's language server reads it)
//! and turned into an [`Expected`] by following the spec format as the README states it, never
//! by calling archdraw's resolver (`Diagram::from_spec`): a bug there (arrows merged, a label
//! dropped, an arrow reversed) must not also change what the tests expect.
//!
//! The format, as read here:
//!
//! - `boxes`, `services`, `groups`: each has an optional `id`, defaulting to its title with
//!   runs of white space replaced by one `-`, lower-cased. A number or boolean where text
//!   belongs is the text it spells (`id: 7` is the id `7`).
//! - `arrows`: `"a -> b"` or a chain `"a -> b -> c"` (one arrow per link, ids trimmed), a
//!   one-key map `{"a -> b": label}` (an empty or blank label is no label), or the long form
//!   `{from, to, label}`. Repeated arrows stay repeated.
//! - `serves`: one id or a list of them.
//! - Text keeps its line breaks; wrapping and white space are the drawing's business, so the
//!   comparison ignores white space but not the order of words.

use serde_json::Value;

use crate::readback::expect::{
    Expected, ExpectedArrow, ExpectedBox, ExpectedGroup, ExpectedService,
};

/// Reads `yaml` into what its drawing must say. Fails on anything that is not a valid spec
/// shape or names an unknown box: the oracle is only asked about valid specs.
pub fn expected(yaml: &str) -> Result<Expected, String> {
    let root: Value = serde_saphyr::from_str(yaml).map_err(|e| format!("YAML: {e}"))?;
    let root = root.as_object().ok_or("the spec is not a map")?;
    let list = |key: &str| -> Result<Vec<Value>, String> {
        match root.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => Ok(items.clone()),
            Some(other) => Err(format!("`{key}` is not a list: {other}")),
        }
    };

    let mut out =
        Expected { title: root.get("title").map(scalar).transpose()?, ..Expected::default() };
    for b in list("boxes")? {
        let title = required(&b, "title")?;
        out.boxes.push(ExpectedBox {
            id: id_of(&b, &title)?,
            title,
            text: optional(&b, "text")?,
            items: match b.get("items") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(items)) => items.iter().map(scalar).collect::<Result<_, _>>()?,
                Some(other) => return Err(format!("items is not a list: {other}")),
            },
        });
    }
    let index = |id: &str| -> Result<usize, String> {
        out.boxes.iter().position(|b| b.id == id).ok_or_else(|| format!("unknown box {id:?}"))
    };

    let mut arrows = Vec::new();
    for entry in list("arrows")? {
        match &entry {
            Value::String(chain) => {
                let ids = chain_ids(chain)?;
                for pair in ids.windows(2) {
                    arrows.push(ExpectedArrow {
                        from: index(pair[0])?,
                        to: index(pair[1])?,
                        label: None,
                    });
                }
            }
            Value::Object(map) if map.len() == 1 && map.keys().all(|k| k.contains("->")) => {
                let (chain, label) = map.iter().next().expect("one key");
                let ids = chain_ids(chain)?;
                let label = match label {
                    Value::Null => None,
                    other => visible(scalar(other)?),
                };
                if ids.len() > 2 && label.is_some() {
                    return Err(format!("a labelled chain: {chain}"));
                }
                for pair in ids.windows(2) {
                    arrows.push(ExpectedArrow {
                        from: index(pair[0])?,
                        to: index(pair[1])?,
                        label: label.clone(),
                    });
                }
            }
            Value::Object(_) => {
                let from = required(&entry, "from")?;
                let to = required(&entry, "to")?;
                let label = optional(&entry, "label")?.and_then(visible);
                arrows.push(ExpectedArrow { from: index(&from)?, to: index(&to)?, label });
            }
            other => return Err(format!("not an arrow: {other}")),
        }
    }
    out.arrows = arrows;

    for s in list("services")? {
        let title = required(&s, "title")?;
        let serves = match s.get("serves") {
            Some(Value::Array(ids)) => ids.iter().map(scalar).collect::<Result<Vec<_>, _>>()?,
            Some(one @ (Value::String(_) | Value::Number(_) | Value::Bool(_))) => {
                vec![scalar(one)?]
            }
            other => return Err(format!("serves: {other:?}")),
        };
        out.services.push(ExpectedService {
            id: id_of(&s, &title)?,
            title,
            text: optional(&s, "text")?,
            serves: serves.iter().map(|id| index(id)).collect::<Result<_, _>>()?,
        });
    }
    for g in list("groups")? {
        let title = required(&g, "title")?;
        let boxes = match g.get("boxes") {
            Some(Value::Array(ids)) => ids.iter().map(scalar).collect::<Result<Vec<_>, _>>()?,
            other => return Err(format!("group boxes: {other:?}")),
        };
        out.groups.push(ExpectedGroup {
            id: id_of(&g, &title)?,
            title,
            boxes: boxes.iter().map(|id| index(id)).collect::<Result<_, _>>()?,
        });
    }
    Ok(out)
}

/// A scalar as the text it spells.
fn scalar(v: &Value) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(format!("not text: {other}")),
    }
}

fn required(v: &Value, key: &str) -> Result<String, String> {
    scalar(v.get(key).ok_or_else(|| format!("no `{key}` in {v}"))?)
}

fn optional(v: &Value, key: &str) -> Result<Option<String>, String> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(x) => scalar(x).map(Some),
    }
}

/// The explicit id, or the title with white space runs as `-`, lower-cased.
fn id_of(v: &Value, title: &str) -> Result<String, String> {
    match optional(v, "id")? {
        Some(id) => Ok(id),
        None => Ok(title.split_whitespace().collect::<Vec<_>>().join("-").to_lowercase()),
    }
}

/// `a -> b -> c` as its trimmed ids.
fn chain_ids(chain: &str) -> Result<Vec<&str>, String> {
    let ids: Vec<&str> = chain.split("->").map(str::trim).collect();
    if ids.len() < 2 || ids.iter().any(|id| id.is_empty()) {
        return Err(format!("not an arrow: {chain:?}"));
    }
    Ok(ids)
}

/// A label with nothing to draw (empty, blank or only zero-width characters) is no label.
fn visible(label: String) -> Option<String> {
    let shows =
        label.chars().any(|c| !c.is_whitespace() && !crate::readback::width::is_zero_width(c));
    shows.then_some(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arrows(e: &Expected) -> Vec<(String, String, Option<String>)> {
        e.arrows
            .iter()
            .map(|a| (e.boxes[a.from].id.clone(), e.boxes[a.to].id.clone(), a.label.clone()))
            .collect()
    }

    fn owned(list: &[(&str, &str, Option<&str>)]) -> Vec<(String, String, Option<String>)> {
        list.iter().map(|(a, b, l)| (a.to_string(), b.to_string(), l.map(str::to_owned))).collect()
    }

    #[test]
    fn every_arrow_form_and_repeats() {
        let e = expected(
            "boxes:\n  - title: Speed Layer\n  - {id: b, title: B}\n  - {id: 7, title: Seven}\n\
             arrows:\n  - speed-layer -> b -> 7\n  - b -> 7: a label\n  - b -> 7: a label\n  \
             - \"7 -> b\":\n  - {b -> b: ''}\n  - {from: 7, to: speed-layer, label: long}\n  \
             - {from: b, to: b}\n",
        )
        .unwrap();
        assert_eq!(
            arrows(&e),
            owned(&[
                ("speed-layer", "b", None),
                ("b", "7", None),
                ("b", "7", Some("a label")),
                ("b", "7", Some("a label")),
                ("7", "b", None),
                ("b", "b", None),
                ("7", "speed-layer", Some("long")),
                ("b", "b", None),
            ])
        );
    }

    #[test]
    fn default_ids_and_serves() {
        let e = expected(
            "boxes:\n  - {title: \"  Kafka   Connect \"}\n  - {title: S3}\nservices:\n  \
             - {title: Schema Registry, serves: kafka-connect}\n  \
             - {id: c, title: Catalog, text: \"a\\nb\", serves: [s3, kafka-connect]}\n\
             groups:\n  - {title: Lake House, boxes: [s3]}\n",
        )
        .unwrap();
        assert_eq!(e.boxes[0].id, "kafka-connect");
        assert_eq!(e.services[0].id, "schema-registry");
        assert_eq!(e.services[0].serves, [0]);
        assert_eq!(e.services[1].serves, [1, 0]);
        assert_eq!(e.services[1].text.as_deref(), Some("a\nb"));
        assert_eq!((e.groups[0].id.as_str(), &e.groups[0].boxes[..]), ("lake-house", &[1][..]));
    }

    #[test]
    fn refuses_what_is_no_spec() {
        assert!(expected("boxes: [{title: a}]\narrows: [a -> b]\n").is_err());
        assert!(expected("boxes: [{title: a}]\narrows: [a]\n").is_err());
        assert!(expected("boxes: [{title: a}, {title: b}]\narrows: [{a -> b -> a: x}]\n").is_err());
    }

    /// Every gallery spec reads, and agrees in counts with what the library resolves (a
    /// sanity check of the oracle itself, not of the library: both read the same YAML).
    #[test]
    fn the_gallery_reads() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/specs");
        let mut n = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let yaml = std::fs::read_to_string(&path).unwrap();
            let e = expected(&yaml).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
            assert!(!e.boxes.is_empty(), "{}", path.display());
            n += 1;
        }
        assert!(n >= 3);
    }
}
