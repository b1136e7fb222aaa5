#!/usr/bin/env bash
# The hostile shapes of tracker issue 11, timed on the release build: each spec in text and
# SVG under a 1 GiB address-space cap, then `md` on a Markdown file with 2,000 unterminated
# begin markers in 2 million lines, then the 100,000-box benchmark graph as text and as SVG.
#
#   bench/hostile.sh
#
# Needs GNU time (`apt-get install time`) and prlimit (util-linux). Prints one line per run:
# exit status, wall seconds, user seconds, peak resident memory. Exit 2 with a message is an
# accepted outcome (a budget refusing the work); 134 (an allocation failure) or a timeout is a
# failure. Files go to target/bench-hostile/.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin archdraw
cargo build --release --quiet -p archdraw-bench --bin hostile --bin pipeline
out=target/bench-hostile
mkdir -p "$out"
target/release/hostile "$out"
cap=$((1 << 30))

measure() { # measure LABEL COMMAND...: one line of figures
    local label=$1
    shift
    local status=0
    /usr/bin/time -f "%e %U %M" -o "$out/time" timeout 60 prlimit --as=$cap -- "$@" \
        >"$out/stdout" 2>"$out/stderr" || status=$?
    read -r wall user rss < <(tail -n 1 "$out/time") || true
    printf '| %s | %s | %s s | %s s | %s MiB | %s |\n' "$label" "$status" "${wall:-?}" "${user:-?}" \
        "$(( ${rss:-0} / 1024 ))" "$(head -c 70 "$out/stderr" | tr '\n|' '  ')"
}

echo "| run | exit | wall | user | peak RSS | stderr |"
echo "|---|---:|---:|---:|---:|---|"
for spec in "$out"/*.yaml; do
    for format in text svg; do
        measure "$(basename "$spec" .yaml) -f $format" target/release/archdraw render "$spec" -f "$format"
    done
done

# 2,000 archdraw blocks, each followed by a begin marker that is never ended, then 1,000
# lines of prose: the end marker must not be searched for to the end of the file each time.
awk 'BEGIN {
    for (b = 0; b < 2000; b++) {
        print "```archdraw"; print "boxes: [{title: A" b "}]"; print "```"; print ""
        print "<!-- archdraw:begin -->"
        for (l = 0; l < 995; l++) print "prose line " l " of section " b
    }
}' >"$out/markers.md"
measure "md: 2,000 unterminated markers, $(wc -l <"$out/markers.md") lines" \
    target/release/archdraw md "$out/markers.md"

for format in text svg; do
    measure "100,000-box graph -f $format (library, raised limits)" \
        sh -c "target/release/pipeline 100000 $format > $out/big.$format"
done
