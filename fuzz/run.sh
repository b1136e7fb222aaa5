#!/usr/bin/env bash
# Fuzzes parse → layout → render for SECONDS (default 600) on stable Rust.
#
#   fuzz/run.sh 600            # pipeline: any bytes as a spec
#   fuzz/run.sh 600 shapes     # shapes: generated diagrams up to 5,000 boxes and 20,000
#                              # arrows, capped at 1 GiB: the budgets must stop what needs more
#
# Installs cargo-fuzz when it is missing. `--sanitizer none` is what lets stable build it:
# AddressSanitizer needs nightly's -Zsanitizer, while libFuzzer's coverage instrumentation
# (-Cpasses=sancov-module and its -Cllvm-args) is stable. Safe Rust gains little from ASan.
# The default build is optimised with debug assertions and overflow checks on, so an overflow
# in the layout is a crash here rather than a silently wrong drawing.
# Crashes land in fuzz/artifacts/pipeline/; each one found should become a fixture in
# tests/fixtures/hostile/ (see tests/hostile.rs).
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-600}"
target="${2:-pipeline}"

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

# Seed the corpus with the gallery and the hostile fixtures (the fuzzer's first byte picks
# the options, so each seed gets a zero byte in front).
mkdir -p corpus/pipeline
for spec in ../specs/*.yaml ../tests/fixtures/hostile/*.yaml; do
    [ -f "$spec" ] || continue
    name="seed-$(basename "$spec" .yaml)"
    [ -f "corpus/pipeline/$name" ] || { printf '\0'; cat "$spec"; } > "corpus/pipeline/$name"
done

if [ "$target" = shapes ]; then
    # A few bytes pick the shape and size; a gibibyte is the bound the budgets promise. Each
    # input is drawn as text and as SVG by an instrumented build, 3-5x slower than release:
    # 30 s here stands for the 10 s a release build gets for one format.
    mkdir -p corpus/shapes
    cargo fuzz run --sanitizer none shapes corpus/shapes -- \
        -max_total_time="$seconds" -max_len=64 -len_control=0 -timeout=30 -rss_limit_mb=1024 \
        -malloc_limit_mb=1024
    exit
fi
cargo fuzz run --sanitizer none pipeline corpus/pipeline -- \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048
