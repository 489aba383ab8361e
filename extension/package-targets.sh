#!/usr/bin/env bash
# Packages one platform-specific .vsix per `vsce package --target` name
# given as arguments (linux-x64 darwin-arm64 win32-x64 ...), each with the
# helper cross-compiled for that platform. The Marketplace then serves each
# platform its own helper. Run by `make vsix TARGETS="..."` after the
# extension bundle is built; the host's bin/gochallenge is left as it was.
set -euo pipefail

version=$(node -p "require('./package.json').version")
stash=$(mktemp -d)
trap 'rm -f bin/gochallenge bin/gochallenge.exe; cp -p "$stash"/* bin/ 2>/dev/null || true; rm -rf "$stash"' EXIT
cp -p bin/gochallenge* "$stash"/ 2>/dev/null || true

for target in "$@"; do
	goarm=""
	case "$target" in
	win32-*) goos=windows exe=.exe ;;
	darwin-*) goos=darwin exe= ;;
	linux-* | alpine-*) goos=linux exe= ;;
	*) echo "package-targets: unknown target $target (want e.g. linux-x64, darwin-arm64, win32-x64)" >&2; exit 2 ;;
	esac
	case "$target" in
	*-x64) goarch=amd64 ;;
	*-arm64) goarch=arm64 ;;
	*-armhf) goarch=arm goarm=7 ;;
	*) echo "package-targets: unknown architecture in $target" >&2; exit 2 ;;
	esac
	rm -f bin/gochallenge bin/gochallenge.exe
	# The helper needs no cgo (learner code is built by the learner's go).
	CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch GOARM=$goarm go build -trimpath -o "bin/gochallenge$exe" ./server/cmd/gochallenge
	npx vsce package --no-dependencies --skip-license --allow-missing-repository \
		--target "$target" --out "gochallenge-$target-$version.vsix"
done
