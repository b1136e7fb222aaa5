#!/usr/bin/env bash
# Mutation check (issue 16): plants, one at a time, the bugs the test suite must catch in the
# library's resolver (crates/archdraw/src/model/resolve.rs), runs the tests that judge drawings
# against the spec, and fails unless every mutation makes them fail. The file is restored after
# each mutation, and on any exit.
#
#   tests/mutations.sh            # every mutation
#   tests/mutations.sh reverse    # the mutations whose name contains "reverse"
#
# Each mutation replaces one exact snippet of the source, which must occur exactly once: when
# the code moves or changes, the script stops with "no longer applies" instead of testing
# nothing. Run from anywhere; CI runs it after the test suite (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

file=crates/archdraw/src/model/resolve.rs
regressions=tests/properties.proptest-regressions
only="${1:-}"
# Few cases: each mutation is caught in the first few specs, and each run rebuilds the library.
export PROPTEST_CASES="${MUTATION_CASES:-32}"
# The tests that compare drawings with the spec: the gallery and the generated specs.
tests=(specs::spec_drawings_read_back_as_the_spec properties::text_drawings
       properties::ascii_drawings properties::fixed_layout_bugs specs::spec_svg)

if ! git diff --quiet -- "$file" "$regressions"; then
    echo "mutations: $file or $regressions has local changes; commit or stash them first" >&2
    exit 2
fi
backup=$(mktemp -d)
cp "$file" "$backup/resolve.rs"
cp "$regressions" "$backup/regressions"
restore() {
    cp "$backup/resolve.rs" "$file"
    cp "$backup/regressions" "$regressions"
}
trap 'restore; rm -rf "$backup"' EXIT

run_tests() {
    cargo test --quiet --locked --test integration -- --test-threads 2 "${tests[@]}" \
        >"$backup/log" 2>&1
}

# mutate NAME OLD NEW: replace the one occurrence of OLD in $file with NEW.
mutate() {
    python3 - "$file" "$2" "$3" <<'EOF'
import sys
path, old, new = sys.argv[1:4]
text = open(path, encoding="utf-8").read()
count = text.count(old)
if count != 1:
    sys.exit(f"the snippet occurs {count} times, not once:\n{old}")
open(path, "w", encoding="utf-8").write(text.replace(old, new))
EOF
}

echo "mutations: the unmutated suite first (PROPTEST_CASES=$PROPTEST_CASES)"
if ! run_tests; then
    tail -40 "$backup/log"
    echo "mutations: the tests fail without any mutation; nothing can be concluded" >&2
    exit 1
fi

names=() olds=() news=()
add() { names+=("$1"); olds+=("$2"); news+=("$3"); }

add "merge repeated arrows" \
    'edges.push(Edge { from, to, label: label.clone() });' \
    'if !edges.iter().any(|e: &Edge| e.from == from && e.to == to) {
                    edges.push(Edge { from, to, label: label.clone() });
                }'
add "drop a label (long form)" \
    'edges.push(Edge { from, to, label });' \
    'let _ = label;
                        edges.push(Edge { from, to, label: None });'
add "reverse an arrow (long form)" \
    'edges.push(Edge { from, to, label });' \
    'edges.push(Edge { from: to, to: from, label });'
add "drop a service target (all but the first)" \
    'serves.push(node);' \
    'if serves.is_empty() {
                    serves.push(node);
                }'
add "swap two box titles" \
    'let nodes: Vec<Node> = spec.boxes.iter().map(|b| self.node(b)).collect();' \
    'let mut nodes: Vec<Node> = spec.boxes.iter().map(|b| self.node(b)).collect();
        if nodes.len() > 1 {
            let first = nodes[0].title.clone();
            nodes[0].title = std::mem::replace(&mut nodes[1].title, first);
        }'

survivors=0
for i in "${!names[@]}"; do
    name=${names[$i]}
    [[ -z "$only" || "$name" == *"$only"* ]] || continue
    if ! mutate "$name" "${olds[$i]}" "${news[$i]}" 2>"$backup/why"; then
        echo "mutation '$name' no longer applies to $file: $(cat "$backup/why")" >&2
        exit 2
    fi
    if run_tests; then
        echo "SURVIVED  $name: the tests still pass"
        survivors=$((survivors + 1))
    elif grep -q "could not compile" "$backup/log"; then
        grep -m5 -A5 "^error\[" "$backup/log" >&2
        echo "mutation '$name' does not compile; fix the script" >&2
        exit 2
    else
        caught=$(grep -E "^    [a-z_:]+$" "$backup/log" | sed 's/^ *//' | tr '\n' ' ')
        echo "caught    $name: failing ${caught:-(see log)}"
    fi
    restore
done
if ((survivors > 0)); then
    echo "mutations: $survivors survived" >&2
    exit 1
fi
echo "mutations: every mutation was caught"
