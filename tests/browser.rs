//! The SVG in a real browser: every spec in `specs/`, the gallery's stress specs, the quality
//! corpus (`bench/quality/specs/`, the realistic diagrams the gallery page shows) and a hostile
//! spec, each drawn light, dark, sketched and monospaced (and, where `render -f svg` fits it to
//! a slide by default, as fitted), inlined into one HTML page that
//! headless Chromium loads. `browser/check.js` then measures what Chromium drew (`getBBox`):
//! every text inside its box, service, label halo or frame-title halo, and inside the picture;
//! no two blocks overlapping; every crossing of two arrows hopped (never a plain `+`); every
//! label touching its own arrow's line and lying over no other's; every embedded font accepted;
//! nothing fetched; no script run; hostile strings drawn literally. A hand-made drawing with
//! planted faults proves the route checks can fail.
//!
//! Chromium comes from Debian (`apt-get install chromium`; `.ci/run` installs it). Without it
//! the test prints a notice and passes, except under `CI=true`, where it fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use archdraw::Diagram;
use archdraw::geom::Fit;
use archdraw::layout::LayoutOptions;
use archdraw::render::svg::{Font, Style, SvgOptions, Theme};

const CHECK_JS: &str = include_str!("browser/check.js");

/// How long Chromium may take to load and check the page: a guard against a hang, not a
/// speed target. The page holds about 60 specs drawn four ways (fonts embedded in each), and
/// Chromium needs 2-4 minutes for it on a 2-core machine, more when the machine is busy (a
/// run beside another build took over 240 s).
const TIMEOUT: Duration = Duration::from_secs(600);

fn chromium() -> Option<PathBuf> {
    let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
    candidates.iter().map(PathBuf::from).find(|p| p.exists())
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The specs checked: the project's, the gallery's stress specs, the quality corpus and the
/// hostile one.
fn spec_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["specs", "examples/gallery/specs", "bench/quality/specs"] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect();
        found.sort();
        files.extend(found);
    }
    files.push(root().join("tests/browser/hostile.yaml"));
    files
}

/// Escapes text for an HTML attribute value or text node.
fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn html_unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
}

/// Every user string of a diagram, each text block's lines joined.
fn user_strings(d: &Diagram) -> Vec<String> {
    let join = |b: &archdraw::model::text::TextBlock| {
        b.lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join(" ")
    };
    let mut out = Vec::new();
    for n in &d.nodes {
        out.push(join(&n.title));
        out.push(join(&n.text));
        out.extend(n.items.iter().map(join));
    }
    out.extend(d.edges.iter().filter_map(|e| e.label.as_ref()).map(join));
    for s in &d.services {
        out.push(join(&s.title));
        out.push(join(&s.text));
    }
    out.extend(d.groups.iter().map(|g| join(&g.title)));
    out.extend(d.title.clone());
    out.retain(|s| !s.is_empty());
    out
}

/// The page: every spec in every variant, the results element, then the check; and how many
/// drawings it holds.
fn page() -> (String, u64) {
    let variants = [
        ("light", SvgOptions::default()),
        ("dark", SvgOptions { theme: Theme::Dark, ..SvgOptions::default() }),
        ("sketch", SvgOptions { style: Style::Sketch, ..SvgOptions::default() }),
        ("mono", SvgOptions { font: Font::Mono, ..SvgOptions::default() }),
    ];
    let mut sections = String::new();
    let mut drawings = 0;
    for file in spec_files() {
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let source = std::fs::read_to_string(&file).unwrap();
        let spec = archdraw::parse(&source).unwrap_or_else(|e| panic!("{name}: {e}"));
        let diagram = Diagram::from_spec(&spec).unwrap_or_else(|e| panic!("{name}: {e}"));
        let layout = archdraw::layout(&diagram, &LayoutOptions::default());
        let literal = if name == "hostile" {
            serde_json::to_string(&user_strings(&diagram)).unwrap()
        } else {
            String::new()
        };
        for (variant, options) in &variants {
            drawings += 1;
            let svg = archdraw::render::svg::render(&layout, options);
            sections.push_str(&format!(
                "<section data-name=\"{} {variant}\" data-literal=\"{}\">{svg}</section>\n",
                html_escape(&name),
                html_escape(&literal)
            ));
        }
        // What `render -f svg` writes for a spec that pins neither `direction` nor `fit`: the
        // drawing fitted to a slide, often another layout (turned, wrapped into rows).
        if diagram.fit.is_none() && !diagram.direction_given {
            let options = LayoutOptions { fit: Some(Fit::SLIDE), ..LayoutOptions::default() };
            let slide = archdraw::layout(&diagram, &options);
            if slide != layout {
                drawings += 1;
                let svg = archdraw::render::svg::render(&slide, &SvgOptions::default());
                sections.push_str(&format!(
                    "<section data-name=\"{} slide\" data-literal=\"{}\">{svg}</section>\n",
                    html_escape(&name),
                    html_escape(&literal)
                ));
            }
        }
    }
    // A drawing with planted faults the checks must each report: a plain `+` crossing, a
    // label away from its arrow and over another one, two nets' lines running together.
    sections.push_str(
        "<section data-name=\"planted\" data-expect='[\"cross as a plain +\",\
         \"touches no line of its arrow\",\"lies over arrow 1\",\"run together\"]'>\
         <svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 200 200\" width=\"200\" \
         height=\"200\"><g class=\"ad-box\" data-id=\"a\"><rect x=\"150\" y=\"150\" \
         width=\"40\" height=\"40\"/></g>\
         <g class=\"ad-arrow\" data-edge=\"0\" data-net=\"0\"><path class=\"ad-arrow-line\" \
         d=\"M10 50 L190 50\" fill=\"none\" stroke=\"#000\"/></g>\
         <g class=\"ad-arrow\" data-edge=\"1\" data-net=\"1\"><path class=\"ad-arrow-line\" \
         d=\"M100 10 L100 140\" fill=\"none\" stroke=\"#000\"/></g>\
         <g class=\"ad-arrow\" data-edge=\"2\" data-net=\"2\"><path class=\"ad-arrow-line\" \
         d=\"M10 180 L140 180\" fill=\"none\" stroke=\"#000\"/></g>\
         <g class=\"ad-arrow\" data-edge=\"3\" data-net=\"3\"><path class=\"ad-arrow-line\" \
         d=\"M60 180 L120 180\" fill=\"none\" stroke=\"#000\"/></g>\
         <g class=\"ad-label\" data-edge=\"0\"><rect class=\"ad-halo\" x=\"80\" y=\"100\" \
         width=\"40\" height=\"20\"/><text x=\"85\" y=\"115\">far</text></g></svg></section>\n",
    );
    // Scripts may run inline (so an injected one would, and be caught); nothing may be fetched
    // except data: URLs, and every attempt is reported.
    let page = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         font-src data:; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\
         <script>window.__violations=[];window.__scripts=2;window.__pwned=0;\
         window.alert=function(){{window.__pwned++}};\
         document.addEventListener('securitypolicyviolation',function(e){{\
         window.__violations.push(e.violatedDirective+' '+e.blockedURI)}});</script>\
         <title>archdraw browser check</title></head><body>\n{sections}\
         <pre id=\"result\"></pre><script>{CHECK_JS}</script></body></html>\n"
    );
    (page, drawings)
}

/// Runs Chromium on `html` and returns what it dumped, or why it could not.
fn dump_dom(chromium: &Path, dir: &Path, html: &Path) -> Result<String, String> {
    let out_path = dir.join("dom.html");
    let out = std::fs::File::create(&out_path).map_err(|e| e.to_string())?;
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
            // Virtual time runs on while the page is busy (font loads, promises), then stops
            // and the DOM is dumped: the check's result is in it without a fixed sleep.
            "--virtual-time-budget=60000",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", html.display()))
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", chromium.display()))?;
    let start = Instant::now();
    loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(_) => break,
            None if start.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("Chromium took longer than {TIMEOUT:?}"));
            }
            None => std::thread::sleep(Duration::from_millis(100)),
        }
    }
    std::fs::read_to_string(out_path).map_err(|e| e.to_string())
}

#[test]
fn svg_checks_out_in_headless_chromium() {
    let Some(chromium) = chromium() else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("CI=true but Chromium is missing: apt-get install chromium");
        }
        eprintln!("notice: browser test skipped: Chromium not found (apt-get install chromium)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("page.html");
    let (page, drawings) = page();
    std::fs::write(&html, page).unwrap();
    let dom = dump_dom(&chromium, dir.path(), &html).unwrap_or_else(|e| panic!("{e}"));

    let start = dom.find("<pre id=\"result\">").map(|i| i + "<pre id=\"result\">".len());
    let json = start.and_then(|s| dom[s..].find("</pre>").map(|e| html_unescape(&dom[s..s + e])));
    let Some(json) = json.filter(|j| !j.is_empty()) else {
        panic!("the check never finished; Chromium dumped {} bytes", dom.len());
    };
    let verdict: serde_json::Value =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    let failures = verdict["failures"].as_array().cloned().unwrap_or_default();
    let counts = &verdict["counts"];
    eprintln!("browser check: {counts}");
    assert!(
        failures.is_empty(),
        "{} failures in Chromium:\n{}",
        failures.len(),
        failures.iter().map(|f| f.as_str().unwrap_or_default()).collect::<Vec<_>>().join("\n")
    );
    // Four variants of every spec were checked, and the slides, with their text.
    let diagrams = counts["diagrams"].as_u64().unwrap_or(0);
    assert!(drawings > 4 * spec_files().len() as u64, "no spec was fitted to a slide");
    assert_eq!(diagrams, drawings, "{counts}");
    assert!(counts["texts"].as_u64().unwrap_or(0) > 100 * 4, "{counts}");
    // The route checks saw crossings and labels, and caught every planted fault.
    assert!(counts["crossings"].as_u64().unwrap_or(0) > 10, "{counts}");
    assert!(counts["labels"].as_u64().unwrap_or(0) > 50, "{counts}");
    assert_eq!(counts["planted"].as_u64(), Some(1), "{counts}");
}

const RTL_JS: &str = include_str!("browser/rtl.js");

/// Right-to-left text in a text drawing, shown in a `<pre>` as a browser or a GitHub code
/// block shows it: the boxes must stay in the order the terminal shows them. The same drawing
/// without its isolates is checked too and must fail, so the check is known to see the
/// reordering it guards against.
#[test]
fn right_to_left_text_keeps_the_box_order_in_chromium() {
    let Some(chromium) = chromium() else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("CI=true but Chromium is missing: apt-get install chromium");
        }
        eprintln!("notice: browser test skipped: Chromium not found (apt-get install chromium)");
        return;
    };
    let yaml = "title: RTL\nboxes:\n  - {id: a, title: שלום, items: [עברית 12]}\n  \
                - {id: b, title: مرحبا, text: (نص)}\n  - {id: c, title: Kafka}\n  - {id: d, title: אב}\n\
                arrows: [a -> b: כתיבה, b -> c, c -> d: قراءة]\n";
    let drawing = archdraw::render(yaml, &archdraw::Options::default()).expect("a valid spec");
    assert!(drawing.contains('\u{2068}'), "the drawing isolates its right-to-left text");
    let bare: String = drawing.chars().filter(|c| !matches!(c, '\u{2068}' | '\u{2069}')).collect();
    let pre = |name: &str, text: &str| {
        format!(
            "<pre data-name=\"{name}\" style=\"font: 16px monospace\">{}</pre>\n",
            html_escape(text)
        )
    };
    let page = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>rtl</title></head><body>\n\
         {}{}<pre id=\"result\"></pre><script>{RTL_JS}</script></body></html>\n",
        pre("isolated", &drawing),
        pre("bare", &bare)
    );
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("rtl.html");
    std::fs::write(&html, page).unwrap();
    let dom = dump_dom(&chromium, dir.path(), &html).unwrap_or_else(|e| panic!("{e}"));
    let start = dom.find("<pre id=\"result\">").map(|i| i + "<pre id=\"result\">".len());
    let json = start.and_then(|s| dom[s..].find("</pre>").map(|e| html_unescape(&dom[s..s + e])));
    let verdict: serde_json::Value = serde_json::from_str(json.as_deref().unwrap_or(""))
        .unwrap_or_else(|e| panic!("no verdict ({e}); Chromium dumped {} bytes", dom.len()));
    let failures = |name: &str| verdict[name]["failures"].as_array().cloned().unwrap_or_default();
    eprintln!("rtl check: {verdict}");
    assert!(verdict["isolated"]["checked"].as_u64().unwrap_or(0) > 50, "{verdict}");
    assert!(
        failures("isolated").is_empty(),
        "the drawing reads out of order:\n{drawing}\n{verdict}"
    );
    assert!(
        !failures("bare").is_empty(),
        "without isolates the check should see a reordering: {verdict}"
    );
}
