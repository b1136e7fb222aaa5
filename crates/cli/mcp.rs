//! `archdraw mcp`: a Model Context Protocol server on standard input and output, so an agent
//! can draw with archdraw and get drawings that read back as the spec says, instead of
//! writing box art itself.
//!
//! The transport is MCP's stdio one: JSON-RPC 2.0 messages, one per line, requests in on
//! standard input, responses out on standard output, nothing else on standard output. The
//! tools: `render` (a spec, in YAML, Mermaid or DOT, to text, ASCII, SVG, JSON, Mermaid or
//! DOT), `validate` (every problem in a spec, located) and `schema` (the spec's JSON Schema).
//! A problem in a spec is a tool result with `isError`, holding the located messages the
//! command line prints, so the agent can fix the spec and try again.

use std::io::{self, BufRead, Read as _, Write};
use std::process::ExitCode;

use anyhow::Context;
use archdraw::import::Language;
use archdraw::{Error, Format, Limits, Options};
use serde_json::{Value, json};

use crate::report;

/// The protocol revisions this server speaks, newest first; a client asking for another gets
/// the newest, as the specification says.
const PROTOCOL_VERSIONS: [&str; 3] = ["2025-06-18", "2025-03-26", "2024-11-05"];

/// The longest message read: a spec at the size limit, escaped in JSON, with room to spare.
/// A longer line is answered with an error and skipped, never held whole in memory.
const MAX_MESSAGE_BYTES: usize = 8 << 20;

/// JSON-RPC error codes.
const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;
const INVALID_PARAMS: i64 = -32602;

/// Serves until standard input ends; 0 then.
pub fn run() -> anyhow::Result<ExitCode> {
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let mut out = io::stdout().lock();
    let mut line = Vec::new();
    loop {
        line.clear();
        let read = (&mut input)
            .take(MAX_MESSAGE_BYTES as u64 + 1)
            .read_until(b'\n', &mut line)
            .context("reading standard input")?;
        if read == 0 {
            return Ok(ExitCode::SUCCESS);
        }
        let response = if line.len() > MAX_MESSAGE_BYTES && !line.ends_with(b"\n") {
            skip_line(&mut input)?;
            Some(failure(
                Value::Null,
                INVALID_REQUEST,
                &format!("the message is over the limit of {MAX_MESSAGE_BYTES} bytes"),
            ))
        } else if line.iter().all(u8::is_ascii_whitespace) {
            None
        } else {
            handle(&line)
        };
        if let Some(response) = response {
            // serde_json writes no raw line break inside a value, so one message is one line.
            let mut bytes = serde_json::to_vec(&response).context("encoding a response")?;
            bytes.push(b'\n');
            out.write_all(&bytes).and_then(|()| out.flush()).context("writing a response")?;
        }
    }
}

/// Reads and drops the rest of an over-long line.
fn skip_line(input: &mut impl BufRead) -> anyhow::Result<()> {
    loop {
        let buffer = input.fill_buf().context("reading standard input")?;
        if buffer.is_empty() {
            return Ok(());
        }
        if let Some(at) = buffer.iter().position(|&b| b == b'\n') {
            input.consume(at + 1);
            return Ok(());
        }
        let len = buffer.len();
        input.consume(len);
    }
}

/// The response to one message, or `None` for a notification.
fn handle(line: &[u8]) -> Option<Value> {
    let message: Value = match serde_json::from_slice(line) {
        Ok(message) => message,
        Err(error) => {
            return Some(failure(Value::Null, PARSE_ERROR, &format!("not JSON: {error}")));
        }
    };
    let id = message.get("id").cloned();
    let method = message.get("method").and_then(Value::as_str);
    let valid_id = id.as_ref().is_none_or(|id| id.is_string() || id.is_i64() || id.is_u64());
    let (Some(method), true, true) =
        (method, message.get("jsonrpc") == Some(&json!("2.0")), valid_id && message.is_object())
    else {
        // A response from the client (to a request this server never makes) is ignored.
        if message.get("result").is_some() || message.get("error").is_some() {
            return None;
        }
        let id = id.filter(|_| valid_id).unwrap_or(Value::Null);
        return Some(failure(id, INVALID_REQUEST, "not a JSON-RPC 2.0 request"));
    };
    // Notifications (`notifications/initialized`, `notifications/cancelled`) need no answer,
    // and every request is answered before the next is read, so there is nothing to cancel.
    let id = id?;
    let params = message.get("params").cloned().unwrap_or_else(|| json!({}));
    let result = match method {
        "initialize" => Ok(initialize(&params)),
        "ping" => Ok(json!({})),
        "tools/list" => Ok(json!({ "tools": tools() })),
        "tools/call" => call(&params),
        _ => Err((METHOD_NOT_FOUND, format!("archdraw has no method `{method}`"))),
    };
    Some(match result {
        Ok(result) => json!({ "jsonrpc": "2.0", "id": id, "result": result }),
        Err((code, message)) => failure(id, code, &message),
    })
}

fn failure(id: Value, code: i64, message: &str) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } })
}

fn initialize(params: &Value) -> Value {
    let asked = params.get("protocolVersion").and_then(Value::as_str);
    let version = PROTOCOL_VERSIONS.into_iter().find(|v| Some(*v) == asked);
    json!({
        "protocolVersion": version.unwrap_or(PROTOCOL_VERSIONS[0]),
        "capabilities": { "tools": { "listChanged": false } },
        "serverInfo": { "name": "archdraw", "version": env!("CARGO_PKG_VERSION") },
        "instructions": INSTRUCTIONS,
    })
}

const INSTRUCTIONS: &str = "archdraw draws architecture diagrams (boxes, arrows, control-plane \
services, groups) from a short YAML spec, as Unicode or ASCII text for code comments, READMEs \
and terminals, or as SVG. Call `render` instead of drawing box art by hand: its text reads \
back as the spec says (every arrow reaches its box, no label is cut). Call `schema` once for \
the spec format; `validate` lists every problem with its line and column. Mermaid flowcharts \
and DOT graphs are read too (argument `from`).";

/// The tools, with JSON Schemas of their arguments.
fn tools() -> Value {
    let spec = json!({
        "type": "string",
        "description": "The diagram: an archdraw YAML spec (see the `schema` tool), or a Mermaid \
            flowchart or DOT graph with `from`. Example: \"boxes: [{title: App}, {title: DB}]\\n\
            arrows: [app -> db: SQL]\"",
    });
    let from = json!({
        "type": "string",
        "enum": ["yaml", "mermaid", "dot"],
        "default": "yaml",
        "description": "The language `spec` is written in",
    });
    json!([
        {
            "name": "render",
            "title": "Draw a diagram",
            "description": "Draws a spec as Unicode box-drawing text (default), 7-bit ASCII, \
                SVG, the layout as JSON, or a Mermaid flowchart or DOT graph of it. Returns the \
                drawing, or every problem in the spec with its line and column.",
            "inputSchema": {
                "type": "object",
                "properties": {
                    "spec": spec,
                    "format": {
                        "type": "string",
                        "enum": ["text", "ascii", "svg", "json", "mermaid", "dot"],
                        "default": "text",
                        "description": "The output format",
                    },
                    "width": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": 65535,
                        "description": "Fit the drawing into this many columns (wraps text, \
                            then turns the flow down)",
                    },
                    "from": from,
                },
                "required": ["spec"],
                "additionalProperties": false,
            },
        },
        {
            "name": "validate",
            "title": "Check a spec",
            "description": "Checks a spec without drawing it: `valid`, or every problem with \
                its line and column and a suggested fix.",
            "inputSchema": {
                "type": "object",
                "properties": { "spec": spec, "from": from },
                "required": ["spec"],
                "additionalProperties": false,
            },
        },
        {
            "name": "schema",
            "title": "The spec format",
            "description": "The JSON Schema (draft-07) of an archdraw YAML spec, with a \
                description of every key.",
            "inputSchema": { "type": "object", "properties": {}, "additionalProperties": false },
        },
    ])
}

/// `tools/call`: a tool result, or a protocol error for an unknown tool or bad arguments.
fn call(params: &Value) -> Result<Value, (i64, String)> {
    let name = params.get("name").and_then(Value::as_str).unwrap_or("");
    let empty = json!({});
    let arguments = params.get("arguments").unwrap_or(&empty);
    let Some(arguments) = arguments.as_object() else {
        return Err((INVALID_PARAMS, "`arguments` must be an object".to_owned()));
    };
    let allowed: &[&str] = match name {
        "render" => &["spec", "format", "width", "from"],
        "validate" => &["spec", "from"],
        "schema" => &[],
        _ => return Err((INVALID_PARAMS, format!("archdraw has no tool `{name}`"))),
    };
    if let Some(unknown) = arguments.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err((INVALID_PARAMS, format!("`{name}` takes no argument `{unknown}`")));
    }
    if name == "schema" {
        return Ok(content(archdraw::spec::json_schema(), false));
    }
    let spec = match arguments.get("spec") {
        Some(Value::String(spec)) => spec.as_str(),
        _ => return Err((INVALID_PARAMS, "`spec` (a string) is required".to_owned())),
    };
    let language = match arguments.get("from").map(|v| v.as_str()) {
        None | Some(Some("yaml")) => Language::Yaml,
        Some(Some("mermaid")) => Language::Mermaid,
        Some(Some("dot")) => Language::Dot,
        Some(_) => return Err((INVALID_PARAMS, "`from` is yaml, mermaid or dot".to_owned())),
    };
    let format = match arguments.get("format").map(|v| v.as_str()) {
        None | Some(Some("text")) => Format::Text,
        Some(Some("ascii")) => Format::Ascii,
        Some(Some("svg")) => Format::Svg,
        Some(Some("json")) => Format::Json,
        Some(Some("mermaid")) => Format::Mermaid,
        Some(Some("dot")) => Format::Dot,
        Some(_) => {
            return Err((
                INVALID_PARAMS,
                "`format` is text, ascii, svg, json, mermaid or dot".to_owned(),
            ));
        }
    };
    let width = match arguments.get("width") {
        None => None,
        Some(width) => match width.as_u64().filter(|w| (1..=65535).contains(w)) {
            Some(width) => usize::try_from(width).ok(),
            None => {
                return Err((INVALID_PARAMS, "`width` is a whole number from 1".to_owned()));
            }
        },
    };
    let limits = Limits::default();
    let located = |error: &Error| report::render("spec", spec, error);
    let imported = match archdraw::import::read(spec, language, &limits) {
        Ok(imported) => imported,
        Err(error) => return Ok(content(located(&error), true)),
    };
    let warnings = report::warnings("spec", spec, imported.warnings).unwrap_or_default();
    if name == "validate" {
        return Ok(match archdraw::check_spec(&imported.spec, &limits) {
            Ok(_) if warnings.is_empty() => content("valid".to_owned(), false),
            Ok(_) => content(format!("valid, with warnings:\n{warnings}"), false),
            Err(error) => content(located(&error), true),
        });
    }
    let options = Options { format, max_width: width, limits, ..Options::default() };
    Ok(match archdraw::render_spec(&imported.spec, &options) {
        // The drawing alone in the first item, so it can be used as it is; warnings after it.
        Ok(drawing) if warnings.is_empty() => content(drawing, false),
        Ok(drawing) => json!({
            "content": [
                { "type": "text", "text": drawing },
                { "type": "text", "text": warnings },
            ],
            "isError": false,
        }),
        Err(error) => content(located(&error), true),
    })
}

/// A tool result holding one text.
fn content(text: String, is_error: bool) -> Value {
    json!({ "content": [{ "type": "text", "text": text }], "isError": is_error })
}
