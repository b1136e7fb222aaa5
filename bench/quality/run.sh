#!/usr/bin/env bash
# The drawing-quality benchmark of issue 12 (bench/QUALITY.md says what every number means).
# Prints Markdown tables on standard output and progress on standard error; exits non-zero if a
# spec fails to render or to read back.
#
#   bench/quality/run.sh                      corpus, gallery and generated graphs (100, 1,000, 10,000)
#   bench/quality/run.sh --no-generated       only the specs
#   bench/quality/run.sh --only payments      only specs whose name contains "payments"
#   bench/quality/run.sh --check              only: every spec parses and renders (no dot, no Graph::Easy)
#   bench/quality/run.sh --pictures           also dot's PNG and Graph::Easy's drawing in bench/quality/out/
#   bench/quality/run.sh --refresh            rerun dot and Graph::Easy instead of using bench/quality/baselines/
#
# Drawings go to bench/quality/out/ (ignored by git). dot and Graph::Easy results are cached in
# bench/quality/baselines/ by a hash of their input, so a run needs neither tool unless an input
# changed; dot needs several minutes on the 10,000-box graph.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec cargo run --quiet -p archdraw-bench --bin quality -- "$@"
