#!/usr/bin/env bash
# archdraw against Graphviz dot on the same generated graphs: time, crossings, peak memory.
#
#   bench/compare.sh                       N = 100, 1000, 10000
#   SIZES="100 1000" bench/compare.sh      other sizes
#   ARCHDRAW_BENCH_BIG=1 bench/compare.sh  also archdraw alone at N = 100,000 (see below)
#
# Needs Debian's graphviz, hyperfine and time packages; installs them with apt-get when missing
# (as root, or through sudo). Writes its files to target/bench-compare/ and prints a Markdown
# table. Both tools write SVG to standard output, which hyperfine discards; `archdraw -o
# /dev/null` is not used because -o replaces its target atomically (write a temporary file,
# rename it over the target), and for a device file that would replace the device itself.
#
# Timing: hyperfine, --warmup 1 and $RUNS runs (default 5) per command; the table gives the mean
# wall time and the mean CPU time (user + system), which is what to trust on a busy machine.
# dot needs minutes at 10,000 boxes, so from $SLOW boxes on (default 5000) dot gets one run and
# no warm-up.
#
# Crossings: `archdraw render -f json` and `dot -Tjson`, counted by the crossings binary
# (bench/src/crossings.rs says exactly how; in short: distinct crossing cells between different
# nets for archdraw, crossings between the flattened splines of different edges for dot).
#
# Peak memory: maximum resident set size from GNU time -v, one run each.
#
# N = 100,000 (ARCHDRAW_BENCH_BIG=1): the CLI's default input limits stop at 20,000 boxes and
# 1 MiB of YAML, so archdraw is timed through the library by the stages binary with raised
# limits (parse + resolve + layout + text + SVG, one run; its own peak-memory reading), and
# dot, which would need hours, is not run.
set -euo pipefail

cd "$(dirname "$0")/.."
SIZES=${SIZES:-100 1000 10000}
RUNS=${RUNS:-5}
SLOW=${SLOW:-5000}
OUT=${OUT:-target/bench-compare}
mkdir -p "$OUT"

# --- tools -------------------------------------------------------------------------------------
missing=()
command -v dot >/dev/null || missing+=(graphviz)
command -v hyperfine >/dev/null || missing+=(hyperfine)
[[ -x /usr/bin/time ]] || missing+=(time)
if ((${#missing[@]})); then
    echo "installing ${missing[*]} with apt-get" >&2
    sudo=()
    if [[ $(id -u) != 0 ]]; then
        command -v sudo >/dev/null || { echo "need root or sudo to install ${missing[*]}" >&2; exit 1; }
        sudo=(sudo)
    fi
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cargo build --release --quiet -p archdraw-cli --bin archdraw -p archdraw-bench --bins
BIN=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')/release
ARCHDRAW=$BIN/archdraw

# --- helpers -----------------------------------------------------------------------------------
# Mean wall time and mean user + system CPU time, in seconds, from a hyperfine CSV export
# (columns: command, mean, stddev, median, user, system, min, max).
read_times() { awk -F, 'NR == 2 { printf "%s %.6f\n", $2, $5 + $6 }' "$1"; }
peak_mib() { # peak RSS of a command, in MiB; output discarded
    /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}'
}
fmt_time() { awk -v s="$1" 'BEGIN { if (s < 1) printf "%.1f ms", s * 1000; else printf "%.2f s", s }'; }

# --- runs --------------------------------------------------------------------------------------
rows=()
for n in $SIZES; do
    yaml=$OUT/layered-$n.yaml dot=$OUT/layered-$n.dot
    "$BIN/gen" "$n" >"$yaml"
    "$BIN/gen" "$n" --format dot >"$dot"
    echo "== N = $n: $(grep -c -- ' -> ' "$yaml") arrows" >&2

    "$ARCHDRAW" render "$yaml" -f json >"$OUT/layered-$n.layout.json"
    a_cross=$("$BIN/crossings" "$OUT/layered-$n.layout.json")
    a_mem=$(peak_mib "$ARCHDRAW" render "$yaml" -f svg)

    if ((n >= SLOW)); then dot_runs=(--runs 1); else dot_runs=(--warmup 1 --runs "$RUNS"); fi
    hyperfine -N --style basic --warmup 1 --runs "$RUNS" --export-json "$OUT/archdraw-$n.json" --export-csv "$OUT/archdraw-$n.csv" \
        --command-name "archdraw $n" "$ARCHDRAW render $yaml -f svg" >&2
    hyperfine -N --style basic "${dot_runs[@]}" --export-json "$OUT/dot-$n.json" --export-csv "$OUT/dot-$n.csv" \
        --command-name "dot $n" "dot -Tsvg $dot" >&2

    # One more dot run gives the layout for the crossing count and dot's peak memory.
    d_mem=$(peak_mib dot -Tjson "$dot" -o "$OUT/layered-$n.dot.json")
    d_cross=$("$BIN/crossings" "$OUT/layered-$n.dot.json")

    read -r a_wall a_cpu < <(read_times "$OUT/archdraw-$n.csv")
    read -r d_wall d_cpu < <(read_times "$OUT/dot-$n.csv")
    ratio=$(awk -v a="$a_wall" -v d="$d_wall" 'BEGIN { printf "%.1f×", d / a }')
    rows+=("| $n | $(fmt_time "$a_wall") ($(fmt_time "$a_cpu") CPU) | $(fmt_time "$d_wall") ($(fmt_time "$d_cpu") CPU) | $ratio | $a_cross | $d_cross | $a_mem MiB | $d_mem MiB |")
done

if [[ ${ARCHDRAW_BENCH_BIG:-} == 1 ]]; then
    n=100000
    echo "== N = $n: archdraw through the library (stages), dot not run" >&2
    line=$("$BIN/stages" "$n")
    echo "$line" >&2
    total=$(sed 's/.*total \([0-9.]*\) ms.*/\1/' <<<"$line")
    cpu=$(sed -n 's/.*total [0-9.]* ms (cpu \([0-9.]*\)).*/\1/p' <<<"$line")
    mem=$(sed -n 's/.* peak \([0-9]*\) MiB$/\1/p' <<<"$line")
    rows+=("| $n | $(fmt_time "$(awk -v t="$total" 'BEGIN { print t / 1000 }')") ($(fmt_time "$(awk -v t="${cpu:-0}" 'BEGIN { print t / 1000 }')") CPU; library, 1 run) | not run | – | – | – | ${mem:-?} MiB | – |")
fi

echo
echo "| N | archdraw -f svg | dot -Tsvg | dot ÷ archdraw | archdraw crossings | dot crossings | archdraw peak RSS | dot peak RSS |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
echo
echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); $(dot -V 2>&1); $(hyperfine --version); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
