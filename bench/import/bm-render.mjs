// Renders Mermaid files with beautiful-mermaid's text renderer, in one Node process:
//   node bm-render.mjs OUT_DIR FILE.mmd…
// writes OUT_DIR/NAME.txt (empty when it throws) and OUT_DIR/times.tsv (NAME, milliseconds
// spent in renderMermaidASCII, so without Node's start-up).
import { readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { basename } from 'node:path';
import { renderMermaidASCII } from 'beautiful-mermaid';

const [out, ...files] = process.argv.slice(2);
writeFileSync(`${out}/times.tsv`, '');
for (const file of files) {
  const name = basename(file, '.mmd');
  const src = readFileSync(file, 'utf8');
  let text = '';
  const start = performance.now();
  try {
    text = renderMermaidASCII(src, { useAscii: false });
  } catch (err) {
    console.error(`${name}: ${String(err.message ?? err).split('\n')[0]}`);
  }
  const ms = performance.now() - start;
  writeFileSync(`${out}/${name}.txt`, text ? text + '\n' : '');
  appendFileSync(`${out}/times.tsv`, `${name}\t${ms.toFixed(2)}\n`);
}
