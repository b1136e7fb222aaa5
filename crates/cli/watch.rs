//! `archdraw watch SPEC... [-o FILE | --out-dir DIR] [--serve]`: draws, then draws again each
//! time a spec is saved, until interrupted. Each drawing is written as `render` writes it
//! (atomically), and a spec with a problem gets its located message while the last good
//! drawing stays. `--serve` also shows the first spec on a page at http://127.0.0.1:PORT/, SVG
//! and text side by side, updated on each save, with problems shown in the page.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use archdraw::{Limits, Options};
use serde_json::json;

use crate::args::{RenderArgs, WatchArgs};
use crate::{Source, report, stderr};

/// What the page shows: bumped `version` on every redraw.
#[derive(Debug, Default)]
struct Shown {
    version: u64,
    svg: String,
    text: String,
    problems: String,
}

/// How often the specs are looked at: quick enough to feel live, cheap for a few small files.
const POLL: Duration = Duration::from_millis(250);

pub fn run(watch: &WatchArgs) -> anyhow::Result<ExitCode> {
    let args = &watch.render;
    let shown = Arc::new(Mutex::new(Shown::default()));
    if let Some(port) = watch.serve {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .map_err(|e| anyhow::anyhow!("cannot serve on 127.0.0.1:{port}: {e}"))?;
        let address = listener.local_addr()?;
        stderr(&format!("archdraw: serving http://{address}/\n"));
        let shown = Arc::clone(&shown);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                // A browser that goes away mid-answer is no concern of the watcher's.
                let _ = answer(stream, &shown);
            }
        });
    }
    if args.specs.iter().any(|s| crate::args::is_stdio(s)) {
        anyhow::bail!("watch reads spec files; standard input cannot be watched");
    }
    if args.output.is_none() && args.out_dir.is_none() && args.specs.len() > 1 {
        anyhow::bail!("several specs need --out-dir DIR, to write one file for each");
    }
    stderr(&format!(
        "archdraw: watching {} (Ctrl-C stops)\n",
        report::sanitize(
            &args.specs.iter().map(|s| s.display().to_string()).collect::<Vec<_>>().join(", ")
        )
    ));
    let mut seen: Option<Vec<Option<Vec<u8>>>> = None;
    loop {
        // The specs' bytes: a save that changes them, whatever their times say, is seen.
        let now: Vec<Option<Vec<u8>>> = args.specs.iter().map(|s| fs::read(s).ok()).collect();
        if seen.as_ref() != Some(&now) {
            match crate::render(args) {
                Ok(code) if code == ExitCode::SUCCESS => {
                    if let Some(target) = args.output.as_ref().or(args.out_dir.as_ref()) {
                        stderr(&format!(
                            "archdraw: drew {}\n",
                            report::sanitize(&target.display().to_string())
                        ));
                    }
                }
                // Problems were printed, located; the last good drawing stays.
                Ok(_) => {}
                Err(error) => {
                    stderr(&format!("archdraw: {}\n", report::sanitize(&format!("{error:#}"))));
                }
            }
            if watch.serve.is_some() {
                let (svg, text, problems) = for_the_page(args);
                let mut shown = shown.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                shown.version += 1;
                if problems.is_empty() {
                    (shown.svg, shown.text) = (svg, text);
                }
                shown.problems = problems;
            }
            seen = Some(now);
        }
        std::thread::sleep(POLL);
    }
}

/// The first spec as SVG and text, or its problems as the terminal shows them.
fn for_the_page(args: &RenderArgs) -> (String, String, String) {
    let limits = Limits::default();
    let Some(path) = args.specs.first() else { return Default::default() };
    let source = match Source::read(path, &limits) {
        Ok(source) => source.in_language(args.from),
        Err(error) => return (String::new(), String::new(), format!("{error:#}")),
    };
    let drawn = source.parse(&limits).and_then(|spec| {
        let options = |format| {
            args.look.with_look(Options {
                format,
                max_width: args.width.map(usize::from),
                ..Options::default()
            })
        };
        let svg = archdraw::render_spec(&spec, &options(archdraw::Format::Svg))?;
        let text = archdraw::render_spec(&spec, &options(archdraw::Format::Text))?;
        Ok((svg, text))
    });
    match drawn {
        Ok((svg, text)) => (svg, text, String::new()),
        Err(error) => {
            (String::new(), String::new(), report::render(&source.name, &source.text, &error))
        }
    }
}

/// One HTTP request: `/` is the page, `/state` what it shows, as JSON.
fn answer(mut stream: TcpStream, shown: &Mutex<Shown>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut request = String::new();
    BufReader::new(&stream).take(8192).read_line(&mut request)?;
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let (status, kind, body) = match path {
        "/" => ("200 OK", "text/html; charset=utf-8", PAGE.to_owned()),
        "/state" => {
            let shown = shown.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let state = json!({
                "version": shown.version,
                "svg": shown.svg,
                "text": shown.text,
                "problems": shown.problems,
            });
            ("200 OK", "application/json", state.to_string())
        }
        _ => ("404 Not Found", "text/plain", "not found\n".to_owned()),
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    stream.flush()
}

/// The page: polls `/state` and shows the SVG, the text and any problems.
const PAGE: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><title>archdraw watch</title>
<style>
body{font-family:system-ui,sans-serif;margin:1em}
main{display:flex;gap:2em;align-items:flex-start;flex-wrap:wrap}
#svg svg{max-width:100%;height:auto}
pre{font-family:ui-monospace,monospace;line-height:1.2}
#problems{color:#b91c1c;white-space:pre-wrap}
#problems:empty{display:none}
</style></head>
<body>
<pre id="problems"></pre>
<main><div id="svg"></div><pre id="text"></pre></main>
<script>
let version = -1;
async function poll() {
  try {
    const state = await (await fetch('/state', {cache: 'no-store'})).json();
    if (state.version !== version) {
      version = state.version;
      document.getElementById('svg').innerHTML = state.svg;
      document.getElementById('text').textContent = state.text;
      document.getElementById('problems').textContent = state.problems;
      document.body.dataset.version = version;
    }
  } catch (e) {
    document.getElementById('problems').textContent = 'archdraw watch is not running';
  }
  setTimeout(poll, 300);
}
poll();
</script>
</body></html>
"#;
