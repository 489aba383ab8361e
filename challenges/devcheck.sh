#!/usr/bin/env bash
# Quick authoring aid (`gochallenge verify` is the judge): runs one
# challenge's tests against its starter, its reference solution (plus
# hold-out tests) or one wrong solution, through `go test -overlay`.
# usage: ./devcheck.sh ID starter|solution|wrong/NAME [go test flags...]
set -euo pipefail
cd "$(dirname "$0")"
id=$1; what=$2; shift 2
dir=$PWD/$id
tmp=$(mktemp -d /tmp/devcheck.XXXXXX)
ov=$tmp/overlay.json
trap 'rm -rf "$tmp"' EXIT
entries=()
add() { entries+=("\"$1\": \"$2\""); }
if [[ $what != starter ]]; then
  for f in "$dir"/_solution/*.go; do add "$dir/$(basename "$f")" "$f"; done
  for f in "$dir"/_holdout/*_test.go; do [[ -e $f ]] && add "$dir/$(basename "$f")" "$f"; done
fi
if [[ $what == wrong/* ]]; then
  name=${what#wrong/}
  if [[ -f $dir/_wrong/$name.patch ]]; then
    # A patch against the reference (the curriculum's form): apply it to a copy.
    cp "$dir"/_solution/*.go "$tmp"/
    patch --quiet -d "$tmp" -p1 <"$dir/_wrong/$name.patch"
    for f in $(grep -E '^\+\+\+ ' "$dir/_wrong/$name.patch" | awk '{print $2}'); do
      b=$(basename "$f"); add "$dir/$b" "$tmp/$b"
    done
  else
    for f in "$dir/_wrong/$name"/*.go; do add "$dir/$(basename "$f")" "$f"; done
  fi
  # a later entry for the same path wins in our list: rebuild without dups
fi
# de-duplicate keeping the last mapping for each path
declare -A m; order=()
for e in "${entries[@]}"; do k=${e%%\": *}; [[ -v m[$k] ]] || order+=("$k"); m[$k]=$e; done
{ printf '{"Replace": {'; sep=""; for k in "${order[@]}"; do printf '%s%s' "$sep" "${m[$k]}"; sep=", "; done; printf '}}\n'; } >"$ov"
GOTOOLCHAIN=local go test -overlay "$ov" "$@" "./$id/"
