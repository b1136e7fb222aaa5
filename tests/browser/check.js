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
  const counts = { diagrams: 0, texts: 0, boxes: 0, fonts: 0, crossings: 0, labels: 0, planted: 0 };
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

  // How finely arrow lines are sampled, and how far either side of a crossing a line must
  // run straight for the crossing to be a plain `+`.
  const STEP = 0.5;
  const REACH = 8;

  // Every arrow line, sampled along its length: {edge, net, points, at(length)}.
  function arrowLines(svg) {
    const lines = [];
    for (const arrow of svg.querySelectorAll("g.ad-arrow")) {
      const path = arrow.querySelector("path.ad-arrow-line");
      if (!path) continue;
      const length = path.getTotalLength();
      const points = [];
      for (let l = 0; l <= length; l += STEP) {
        const p = path.getPointAtLength(l);
        points.push({ x: p.x, y: p.y, l });
      }
      const at = (l) => path.getPointAtLength(Math.min(Math.max(l, 0), length));
      lines.push({ edge: arrow.getAttribute("data-edge"), net: arrow.getAttribute("data-net"), points, at, length });
    }
    return lines;
  }

  const key = (x, y) => Math.round(x) + "," + Math.round(y);

  // Which lines pass within a pixel of each point: key -> [{line, l}].
  function spatialIndex(lines) {
    const index = new Map();
    lines.forEach((line, i) => {
      for (const p of line.points) {
        const k = key(p.x, p.y);
        let list = index.get(k);
        if (!list) index.set(k, (list = []));
        if (!list.some((e) => e.line === i)) list.push({ line: i, l: p.l });
      }
    });
    return index;
  }

  // The lines near (x, y), within a pixel and a half.
  function near(index, x, y) {
    const found = [];
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const e of index.get(key(x + dx, y + dy)) || []) found.push(e);
      }
    }
    return found;
  }

  // Whether `line` runs straight through its point at length l (REACH either side), and its
  // direction there as a unit vector.
  function through(line, l) {
    const a = line.at(l - REACH);
    const b = line.at(l + REACH);
    const p = line.at(l);
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const chord = Math.hypot(dx, dy) || 1;
    // Distance of p from the chord a-b: a hop lifts the line 5 px off it.
    const off = Math.abs(dx * (p.y - a.y) - dy * (p.x - a.x)) / chord;
    return { straight: off < 2 && l - REACH >= 0 && l + REACH <= line.length, dir: { x: dx / chord, y: dy / chord } };
  }

  // Crossings hop: where two arrows' lines cross at a right angle, one of them leaves its
  // straight course (a hop or a gap); a plain `+` is a failure, and so are lines of two nets
  // running together. Each label touches a line of
  // its own arrow and lies over no other arrow's line.
  function checkRoutes(name, svg) {
    const lines = arrowLines(svg);
    const index = spatialIndex(lines);
    const reported = new Set();
    const seen = new Set();
    lines.forEach((line, i) => {
      for (const p of line.points) {
        for (const other of near(index, p.x, p.y)) {
          if (other.line <= i) continue;
          const mine = through(line, p.l);
          const theirs = through(lines[other.line], other.l);
          const cos = Math.abs(mine.dir.x * theirs.dir.x + mine.dir.y * theirs.dir.y);
          if (cos > 0.5) {
            // Running together: a shared trunk, which only lines of one net may have.
            const pair = i + "/" + other.line;
            if (line.net !== lines[other.line].net && !reported.has(pair)) {
              reported.add(pair);
              fail(name, "arrows of nets " + line.net + " and " + lines[other.line].net + " run together at " + key(p.x, p.y));
            }
            continue;
          }
          const pair = i + "/" + other.line;
          const crossing = pair + "@" + key(p.x / 10, p.y / 10);
          if (!seen.has(crossing)) {
            seen.add(crossing);
            counts.crossings += 1;
          }
          if (mine.straight && theirs.straight) {
            if (!reported.has(pair)) {
              reported.add(pair);
              fail(name, "arrows " + (line.edge ?? "-") + " and " + (lines[other.line].edge ?? "-") + " cross as a plain + at " + key(p.x, p.y));
            }
          }
        }
      }
    });

    for (const label of svg.querySelectorAll("g.ad-label")) {
      const edge = label.getAttribute("data-edge");
      const parts = [...label.querySelectorAll("rect.ad-halo")].map((h) => h.getBBox());
      if (parts.length === 0) parts.push(...[...label.querySelectorAll("text")].map((t) => t.getBBox()));
      const words = JSON.stringify([...label.querySelectorAll("text")].map((t) => t.textContent).join(" "));
      counts.labels += 1;
      const own = lines.map((l, i) => (l.edge === edge ? i : -1)).filter((i) => i >= 0);
      if (own.length === 0) {
        fail(name, "label " + words + " has no arrow");
        continue;
      }
      const touching = (box, margin) => (p) =>
        p.x >= box.x - margin && p.x <= box.x + box.width + margin && p.y >= box.y - margin && p.y <= box.y + box.height + margin;
      if (!own.some((i) => parts.some((box) => lines[i].points.some(touching(box, 3))))) {
        fail(name, "label " + words + " " + parts.map(show).join(" ") + " touches no line of its arrow");
      }
      lines.forEach((line, i) => {
        if (line.edge === edge) return;
        const over = line.points.find(
          (p) => parts.some((box) => touching(box, -1)(p)) && !near(index, p.x, p.y).some((e) => own.includes(e.line)),
        );
        if (over) {
          fail(name, "label " + words + " lies over arrow " + (line.edge ?? "-") + " at " + key(over.x, over.y));
        }
      });
    }
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

    checkRoutes(name, svg);
    // Nothing drawn outside the picture.
    const view = svg.viewBox.baseVal;
    for (const text of svg.querySelectorAll("text")) {
      const box = text.getBBox();
      if (text.textContent.trim() && !inside(box, view, 0)) {
        fail(name, "text " + JSON.stringify(text.textContent) + " " + show(box) + " leaves the picture");
      }
    }

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
        if (section.dataset.expect) {
          // A hand-made bad drawing: the checks must find each fault it plants.
          const before = failures.length;
          const diagrams = counts.diagrams;
          checkDiagram(section);
          const found = failures.splice(before);
          counts.diagrams = diagrams;
          for (const fault of JSON.parse(section.dataset.expect)) {
            if (!found.some((f) => f.includes(fault))) {
              fail(section.dataset.name, "the check missed a planted fault: " + fault + " (found: " + found.join("; ") + ")");
            }
          }
          counts.planted += 1;
          continue;
        }
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
