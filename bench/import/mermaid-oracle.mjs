// Mermaid's own reading of the corpus, as an oracle for archdraw's reader and for the
// fixtures' hand-written expectations (`%% expect …` lines).
//
//   node mermaid-oracle.mjs FILE.mmd…
//
// Needs `mermaid` (11.x) and `jsdom` from npm in the folder it runs in (bench/import/run.sh
// installs them in a scratch folder). For each file it prints one line: `ok`, or what
// Mermaid's parse says that the expectation does not (nodes, arrows, subgraph titles).
// Links to a subgraph id are left out of the comparison: archdraw draws them to a node inside
// the subgraph (see archdraw::import), which Mermaid has no notion of.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser;
globalThis.Element = dom.window.Element;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });

const list = (s) => s.split(', ').map((x) => x.trim()).filter(Boolean);
function expectations(src) {
  const e = { boxes: [], arrows: [], services: [], frames: [] };
  for (const line of src.split('\n')) {
    const m = line.trim().match(/^%% expect (\w+):(.*)$/);
    if (m) e[m[1]] = list(m[2]);
  }
  return e;
}

const decode = (t) => t.replace(/<br\s*\/?>/gi, ' ').replace(/\s+/g, ' ').trim();
let failures = 0;
for (const file of process.argv.slice(2)) {
  const src = readFileSync(file, 'utf8');
  const want = expectations(src);
  let diagram;
  try {
    diagram = await mermaid.mermaidAPI.getDiagramFromText(src);
  } catch (err) {
    console.log(`${file}: Mermaid cannot parse it: ${err.message.split('\n')[0]}`);
    failures++;
    continue;
  }
  const db = diagram.db;
  const subgraphs = db.getSubGraphs();
  const subIds = new Set(subgraphs.map((s) => s.id));
  const nodes = [...db.getVertices().keys()].filter((id) => !subIds.has(id)).sort();
  const arrows = [];
  for (const e of db.getEdges()) {
    if (e.stroke === 'invisible' || subIds.has(e.start) || subIds.has(e.end)) continue;
    const two = e.type.startsWith('double_');
    arrows.push(`${e.start} > ${e.end}`);
    if (two) arrows.push(`${e.end} > ${e.start}`);
  }
  const wantArrows = [...want.arrows, ...want.services];
  const problems = [];
  const wantBoxes = [...want.boxes, ...want.services.map((s) => s.split(' > ')[0])];
  const uniq = (a) => [...new Set(a)].sort();
  if (JSON.stringify(uniq(wantBoxes)) !== JSON.stringify(nodes)) {
    problems.push(`nodes: Mermaid ${JSON.stringify(nodes)}, expected ${JSON.stringify(uniq(wantBoxes))}`);
  }
  const linkedToSubgraph = db.getEdges().some((e) => subIds.has(e.start) || subIds.has(e.end));
  const sorted = (a) => [...a].sort().join('; ');
  if (!linkedToSubgraph && sorted(arrows) !== sorted(wantArrows)) {
    problems.push(`arrows: Mermaid [${sorted(arrows)}], expected [${sorted(wantArrows)}]`);
  }
  const nested = subgraphs.some((s) => s.nodes.some((n) => subIds.has(n)));
  const titles = subgraphs.filter((s) => s.nodes.length > 0).map((s) => decode(s.title));
  if (!nested && sorted(titles) !== sorted(want.frames)) {
    problems.push(`frames: Mermaid [${sorted(titles)}], expected [${sorted(want.frames)}]`);
  }
  console.log(problems.length ? `${file}: ${problems.join(' | ')}` : `${file}: ok`);
  failures += problems.length ? 1 : 0;
}
process.exitCode = failures ? 1 : 0;
