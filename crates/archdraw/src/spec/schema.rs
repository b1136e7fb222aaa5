//! The JSON Schema of a spec, derived from the [`Spec`] types; the shapes only the
//! hand-written visitors know are described by hand.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use super::{ArrowSpec, Serves, Spec, Text};

// The arrow and serves schemas are written by hand because their Deserialize impls are:
// a derive would describe the Rust enums, not the YAML shapes the visitors accept.
impl JsonSchema for ArrowSpec {
    fn schema_name() -> Cow<'static, str> {
        "Arrow".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let text = generator.subschema_for::<Text>();
        let optional_text = generator.subschema_for::<Option<Text>>();
        json_schema!({
            "description": "An arrow: `a -> b`, a chain `a -> b -> c`, `a -> b: label`, or \
                            `{from: a, to: b, label: …}`.",
            "anyOf": [
                {
                    "description": "`a -> b`, or a chain `a -> b -> c`.",
                    "type": "string",
                    "pattern": "->"
                },
                {
                    "description": "`a -> b: label`: one key, the arrow, and its label.",
                    "type": "object",
                    "minProperties": 1,
                    "maxProperties": 1,
                    "patternProperties": { "->": optional_text },
                    "additionalProperties": false
                },
                {
                    "description": "The long form.",
                    "type": "object",
                    "properties": {
                        "from": text.clone(),
                        "to": text,
                        "label": optional_text
                    },
                    "required": ["from", "to"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

impl JsonSchema for Serves {
    fn schema_name() -> Cow<'static, str> {
        "Serves".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let text = generator.subschema_for::<Text>();
        json_schema!({
            "description": "The boxes a service serves: one box id, or a list of them.",
            "anyOf": [text.clone(), { "type": "array", "items": text }]
        })
    }
}

/// The JSON Schema (draft-07) of a spec, pretty-printed with a final newline.
///
/// Generated from the [`Spec`] types, so it always matches what [`parse`](crate::parse)
/// accepts in shape: keys, value types, allowed values. It cannot check ids, which
/// [`Diagram::from_spec`](crate::Diagram::from_spec) resolves. Editors that speak
/// yaml-language-server use it for completion and inline errors; a spec may name it in a
/// `$schema:` key, which archdraw ignores.
///
/// ```
/// let schema: serde_json::Value = serde_json::from_str(&archdraw::spec::json_schema())?;
/// assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
/// assert_eq!(schema["required"][0], "boxes");
/// assert_eq!(schema["additionalProperties"], false);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn json_schema() -> String {
    let schema = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<Spec>();
    // A Schema is a serde_json::Value inside, which always serialises.
    let mut json = serde_json::to_string_pretty(&schema)
        .unwrap_or_else(|e| unreachable!("a JSON Schema always serialises: {e}"));
    json.push('\n');
    json
}
