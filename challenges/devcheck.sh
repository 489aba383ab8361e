#!/usr/bin/env bash
# Quick authoring aid (`gochallenge verify` is the judge): runs one
# challenge's tests against its starter, its reference solution (plus
# hold-out tests) or one wrong solution, through `go test -overlay`.
# usage: ./devcheck.sh ID starter|solution|wrong/NAME [go test flags...]
set -euo pipefail
cd "$(dirname "$0")"
id=$1; what=$2; shift 2
dir=$PWD/$id
ov=$(mktemp /tmp/overlay.XXXXXX.json)
trap 'rm -f "$ov"' EXIT
entries=()
add() { entries+=("\"$1\": \"$2\""); }
if [[ $what != starter ]]; then
  for f in "$dir"/_solution/*.go; do add "$dir/$(basename "$f")" "$f"; done
  for f in "$dir"/_holdout/*_test.go; do [[ -e $f ]] && add "$dir/$(basename "$f")" "$f"; done
fi
if [[ $what == wrong/* ]]; then
  for f in "$dir/_$what"/*.go; do add "$dir/$(basename "$f")" "$f"; done
  # a later entry for the same path wins in our list: rebuild without dups
fi
# de-duplicate keeping the last mapping for each path
declare -A m; order=()
for e in "${entries[@]}"; do k=${e%%\": *}; [[ -v m[$k] ]] || order+=("$k"); m[$k]=$e; done
{ printf '{"Replace": {'; sep=""; for k in "${order[@]}"; do printf '%s%s' "$sep" "${m[$k]}"; sep=", "; done; printf '}}\n'; } >"$ov"
GOTOOLCHAIN=local go test -overlay "$ov" "$@" "./$id/"
