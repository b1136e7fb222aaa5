// Runs inside headless Chromium on the page `right_to_left_text_keeps_the_box_order` builds:
// text drawings in <pre> elements, as a browser or a GitHub code block shows them. For every
// line it measures where each character landed on screen (Range.getBoundingClientRect) and
// checks the line still reads in the drawing's order: the box and arrow glyphs left to right
// in their column order, and each run of text between the glyphs before and after it. The
// verdict goes into <pre id="result"> as JSON, one entry per <pre data-name>.
(function () {
  "use strict";
  const GLYPHS = /[│─┌┐└┘├┤┬┴┼▶◀▲▼╭╮╰╯┄┆]/u;
  const verdict = {};
  for (const pre of document.querySelectorAll("pre[data-name]")) {
    const failures = [];
    const node = pre.firstChild;
    const text = node ? node.data : "";
    const range = document.createRange();
    let checked = 0;
    let lineStart = 0;
    text.split("\n").forEach((line, row) => {
      // Each visible character with its column (as a terminal counts them: the marks take
      // none) and its left edge on screen.
      const chars = [];
      let column = 0;
      for (let i = 0; i < line.length; ) {
        const code = line.codePointAt(i);
        const size = code > 0xffff ? 2 : 1;
        const ch = String.fromCodePoint(code);
        if (ch !== "\u2068" && ch !== "\u2069") {
          range.setStart(node, lineStart + i);
          range.setEnd(node, lineStart + i + size);
          const rect = range.getBoundingClientRect();
          chars.push({ ch, column, x: rect.left, right: rect.right });
          column += 1;
        }
        i += size;
      }
      lineStart += line.length + 1;
      // Glyphs keep their order; a run of other characters lies between its neighbours.
      const glyphs = chars.filter((c) => GLYPHS.test(c.ch));
      for (let k = 1; k < glyphs.length; k++) {
        checked += 1;
        if (!(glyphs[k].x > glyphs[k - 1].x)) {
          failures.push("row " + row + ": '" + glyphs[k].ch + "' at column " + glyphs[k].column + " is drawn left of '" + glyphs[k - 1].ch + "' at column " + glyphs[k - 1].column);
        }
      }
      for (const c of chars) {
        if (GLYPHS.test(c.ch) || c.ch === " ") continue;
        const before = glyphs.filter((g) => g.column < c.column).pop();
        const after = glyphs.find((g) => g.column > c.column);
        checked += 1;
        if ((before && c.x < before.right - 0.5) || (after && c.right > after.x + 0.5)) {
          failures.push("row " + row + ": '" + c.ch + "' at column " + c.column + " is drawn outside its box");
        }
      }
    });
    if (checked === 0) failures.push("nothing was measured");
    verdict[pre.dataset.name] = { checked, failures };
  }
  document.getElementById("result").textContent = JSON.stringify(verdict);
})();
