// Runs inside headless Chromium on the page tests/browser.rs builds: every diagram inlined as
// <section data-name="…"><svg>…</svg></section>. It waits for the embedded fonts, measures
// what the browser actually drew, and writes a JSON verdict into <pre id="result">, which the
// test reads back from Chromium's --dump-dom output.
//
// A check that cannot see what it checks (no boxes, no text) counts as a failure, so a page
// that failed to render cannot pass.
(function () {
  "use strict";
  const failures = [];
  const counts = { diagrams: 0, texts: 0, boxes: 0, fonts: 0 };
  // getBBox reports fractional pixels; half a pixel absorbs rounding, nothing more.
  const SLACK = 0.5;

  function fail(where, message) {
    failures.push(where + ": " + message);
  }

  function inside(inner, outer, inset) {
    return (
      inner.x >= outer.x + inset - SLACK &&
      inner.y >= outer.y + inset - SLACK &&
      inner.x + inner.width <= outer.x + outer.width - inset + SLACK &&
      inner.y + inner.height <= outer.y + outer.height - inset + SLACK
    );
  }

  function show(r) {
    return "[" + [r.x, r.y, r.width, r.height].map((v) => v.toFixed(1)).join(", ") + "]";
  }

  function overlap(a, b) {
    const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
    const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
    return w > SLACK && h > SLACK;
  }

  function checkDiagram(section) {
    const name = section.dataset.name;
    const svg = section.querySelector("svg");
    if (!svg) return fail(name, "no <svg>");
    counts.diagrams += 1;

    // Every text of a box or service lies inside that block's outline, clear of its stroke.
    const shapes = [];
    for (const block of svg.querySelectorAll("g.ad-box, g.ad-service")) {
      const shape = block.querySelector("rect");
      if (!shape) {
        fail(name, "a block without an outline");
        continue;
      }
      const outline = shape.getBBox();
      shapes.push({ id: block.getAttribute("data-id"), box: outline });
      counts.boxes += 1;
      for (const text of block.querySelectorAll("text")) {
        counts.texts += 1;
        const box = text.getBBox();
        if (text.textContent.trim() && box.width <= 0) fail(name, "text drawn with no width: " + text.textContent);
        if (!inside(box, outline, 1)) {
          fail(name, "text " + JSON.stringify(text.textContent) + " " + show(box) + " overflows its block " + show(outline));
        }
      }
    }
    // Label and frame-title texts lie on their halos (which the renderer keeps inside the
    // label's area and the frame's border gap).
    for (const holder of svg.querySelectorAll("g.ad-label, g.ad-group")) {
      const halos = [...holder.querySelectorAll("rect.ad-halo")].map((h) => h.getBBox());
      for (const text of holder.querySelectorAll("text")) {
        counts.texts += 1;
        const box = text.getBBox();
        if (!halos.some((halo) => inside(box, halo, 0))) {
          fail(name, "label " + JSON.stringify(text.textContent) + " " + show(box) + " is off its halo " + halos.map(show).join(" "));
        }
      }
      if (holder.matches("g.ad-group")) {
        const frame = holder.querySelector(".ad-group-frame").getBBox();
        for (const halo of halos) {
          if (halo.x < frame.x - SLACK || halo.x + halo.width > frame.x + frame.width + SLACK) {
            fail(name, "a frame title's halo leaves its frame");
          }
        }
      }
    }
    // No two blocks overlap.
    for (let i = 0; i < shapes.length; i++) {
      for (let j = i + 1; j < shapes.length; j++) {
        if (overlap(shapes[i].box, shapes[j].box)) {
          fail(name, "blocks " + shapes[i].id + " and " + shapes[j].id + " overlap");
        }
      }
    }
    if (shapes.length === 0) fail(name, "no boxes found");

    // Inert markup: no scripts, no event handlers, no references, no foreign content.
    for (const element of svg.querySelectorAll("*")) {
      const tag = element.localName;
      if (["script", "foreignObject", "a", "image", "use", "iframe", "img"].includes(tag)) {
        fail(name, "a <" + tag + "> element");
      }
      for (const attribute of element.attributes) {
        if (/^on/i.test(attribute.name) || /href|src/i.test(attribute.name)) {
          fail(name, "attribute " + attribute.name + " on <" + tag + ">");
        }
      }
    }

    // Hostile diagrams: every hostile string appears as literal text.
    const expected = section.dataset.literal ? JSON.parse(section.dataset.literal) : [];
    const squash = (s) => s.replace(/\s+/g, "");
    const drawn = squash([...svg.querySelectorAll("text, title")].map((t) => t.textContent).join(""));
    for (const literal of expected) {
      if (!drawn.includes(squash(literal))) fail(name, "not drawn literally: " + JSON.stringify(literal));
    }
  }

  function finish() {
    try {
      for (const section of document.querySelectorAll("section[data-name]")) {
        checkDiagram(section);
      }
    } catch (error) {
      fail("check.js", String(error && error.stack ? error.stack : error));
    }
    // Nothing was fetched: the only resources are data: URLs, which Resource Timing omits, and
    // the page's Content-Security-Policy reports any other attempt.
    for (const entry of performance.getEntriesByType("resource")) {
      fail("network", "fetched " + entry.name);
    }
    for (const violation of window.__violations) fail("csp", violation);
    if (window.__pwned) fail("script", "injected script ran " + window.__pwned + " time(s)");
    if (document.querySelectorAll("script").length !== window.__scripts) {
      fail("script", "the page has " + document.querySelectorAll("script").length + " <script> elements");
    }
    if (counts.texts === 0) fail("page", "no text checked");
    document.getElementById("result").textContent = JSON.stringify({ done: true, counts, failures });
  }

  // The embedded fonts load when text first needs them: lay the page out, then wait for every
  // face. A face the browser rejects (a bad subset) fails the test rather than silently
  // falling back to another font.
  document.body.getBoundingClientRect();
  const faces = [...document.fonts];
  counts.fonts = faces.length;
  if (faces.length === 0) fail("fonts", "no @font-face in the page");
  Promise.all(
    faces.map((face) =>
      face.load().catch(() => fail("fonts", "Chromium rejected the font " + face.family + " " + face.weight)),
    ),
  )
    .then(() => document.fonts.ready)
    .then(finish, (error) => {
      fail("fonts", String(error));
      finish();
    });
})();
