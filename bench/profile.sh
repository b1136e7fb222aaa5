#!/usr/bin/env bash
# Where the time of one render goes, by phase: the share of CPU samples whose function belongs
# to each part of the code (perf, no call graphs: every sample is charged to the function it
# was taken in, code inlined into a function counts toward it).
#
#   bench/profile.sh FILE [FORMAT] [RUNS]     e.g. bench/profile.sh target/bench-compare/layered-1000.yaml text
#
# Needs `perf` and a release build (`cargo build --release -p archdraw-cli --bin archdraw`).
# The generated graphs come from `target/release/gen N > FILE`. Network simplex serves both
# ranking and compaction, so its line is the two together.
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:?usage: bench/profile.sh FILE [FORMAT] [RUNS]}
format=${2:-text}
runs=${3:-10}
bin=target/release/archdraw
data=$(mktemp -p target profile.XXXXXX)
trap 'rm -f "$data"' EXIT
perf record -q -F 10000 -o "$data" -- \
    sh -c "for i in \$(seq $runs); do $bin render '$file' -f $format >/dev/null; done" 2>/dev/null
perf report -i "$data" --comm archdraw --no-children --stdio --sort sym -F overhead,sym 2>/dev/null |
    grep -v '^#' | grep -v '^$' | awk '
{
    pct = $1; sub(/%/, "", pct); $1 = ""; s = $0; b = "other (std, sorting, text measuring, ...)"
    if (s ~ /saphyr|granit|spec::|serde/) b = "parse (YAML + serde)"
    else if (s ~ /model::/) b = "resolve"
    else if (s ~ /layout::simplex/) b = "layout: network simplex (ranking + compaction)"
    else if (s ~ /layout::order/) b = "layout: ordering"
    else if (s ~ /layout::place/) b = "layout: placement"
    else if (s ~ /layout::route/) b = "layout: routing"
    else if (s ~ /layout::fit/) b = "layout: fit ladder"
    else if (s ~ /layout::nets/) b = "layout: nets"
    else if (s ~ /layout::(rank|acyclic)/) b = "layout: cycles and ranks (without simplex)"
    else if (s ~ /layout::/) b = "layout: other phases"
    else if (s ~ /render::svg/) b = "render: SVG"
    else if (s ~ /render::text/) b = "render: text"
    else if (s ~ /\[k\]/) b = "kernel (process start, page faults, I/O)"
    else if (s ~ /malloc|free|memmove|memcpy|memset|realloc|unlink_chunk/) b = "allocation and copying"
    t[b] += pct
}
END { for (b in t) printf "%6.1f%%  %s\n", t[b], b }' | sort -rn
